import pytest
from django_celery_results.models import TaskResult

from ktpku.tasks import health_check
from tests.helpers import celery_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_queue():
    with celery_worker() as queue:
        yield queue


def test_health_check_round_trip_through_real_worker(worker_queue):
    result = health_check.apply_async(queue=worker_queue)
    value = result.get(timeout=90)
    assert value["database"] is True
    stored = TaskResult.objects.get(task_id=result.id)
    assert stored.status == "SUCCESS"
    assert stored.task_name == "ktpku.health_check"
