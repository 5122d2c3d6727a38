"""A big roster read by a real Celery worker on Redis, as in production."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from students.models import RosterImport
from students.roster.tasks import read_roster_import
from tests.factories import SchoolFactory, UserFactory

from .conftest import PLAIN_HEADER, student, write_xlsx

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]


def _database_url():
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def worker_queue(media):
    """A real worker process sharing the test database and media folder, on its own queue."""
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is empty: tasks run eagerly, there is no worker to reach")
    if connection.vendor != "postgresql":
        pytest.skip("a worker process can share only a server database, not the test's SQLite")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "DEBUG": "true",
           "MEDIA_ROOT": str(media)}
    process = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
        [sys.executable, "-m", "celery", "-A", "ktpku", "worker", "-P", "solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
        cwd=ROOT, env=env,
    )
    yield queue
    process.terminate()
    process.wait(timeout=30)


def test_worker_reads_a_large_upload(worker_queue, tmp_path, media):
    school = SchoolFactory(npsn="30304567")
    user = UserFactory(username="koord_worker", role="koordinator")
    path = write_xlsx(tmp_path / "big.xlsx", [PLAIN_HEADER] + [student(n) for n in range(1, 2001)])
    # Stored as an upload is, without enqueueing: the test sends the task to its own queue.
    roster_import = RosterImport(school=school, uploaded_by=user, original_name="big.xlsx")
    roster_import.file.save("big.xlsx", SimpleUploadedFile("big.xlsx", path.read_bytes()))

    read_roster_import.apply_async(args=[roster_import.pk], queue=worker_queue).get(timeout=120)

    roster_import.refresh_from_db()
    assert (roster_import.status, roster_import.row_count, roster_import.new_count,
            roster_import.progress) == (RosterImport.Status.READY, 2000, 2000, 100)
    assert not roster_import.file
    assert list((media / "rosters").iterdir()) == []
