import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_celery_results.models import TaskResult

from ktpku.tasks import health_check

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _database_url():
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_queue():
    """A real Celery worker process on the configured Redis broker, on a queue of its own."""
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is empty: tasks run eagerly, there is no worker to reach")
    if connection.vendor != "postgresql":
        pytest.skip("a worker process can share only a server database, not the test's SQLite")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "DEBUG": "true"}
    process = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
        [sys.executable, "-m", "celery", "-A", "ktpku", "worker", "-P", "solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
        cwd=ROOT, env=env,
    )
    yield queue
    process.terminate()
    process.wait(timeout=30)


def test_health_check_round_trip_through_real_worker(worker_queue):
    result = health_check.apply_async(queue=worker_queue)
    value = result.get(timeout=90)
    assert value["database"] is True
    stored = TaskResult.objects.get(task_id=result.id)
    assert stored.status == "SUCCESS"
    assert stored.task_name == "ktpku.health_check"
