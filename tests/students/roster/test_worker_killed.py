"""JOB-03: a worker killed with SIGKILL in the middle of reading a 5,000-row roster.

The reading task is acknowledged only once it has finished (acks_late), so the broker
hands it again, with the same task id, and that task takes the reading back instead of
finding the upload "being read" and leaving it so. The import then finishes once, with
every row, and saving it makes each student exactly once.
"""

import os
import signal
import time
import uuid

import psutil
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F

from students.models import RosterImport, Student
from students.roster.services.commit import roster_import_commit
from students.roster.services.upkeep import roster_imports_sweep
from students.roster.services.uploads import STALE_READING
from students.roster.tasks import QUEUE, read_roster_import
from tests.factories import SchoolFactory, UserFactory
from tests.helpers import start_worker, wait_for

from .conftest import PLAIN_HEADER, student, write_xlsx

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROWS = 5000
# The broker hands a task again once its worker has held it this long unacknowledged.
VISIBILITY = "2"


@pytest.fixture
def upload(tmp_path, media):
    """A stored 5,000-row upload of a coordinator, not yet sent to any worker."""
    school = SchoolFactory(npsn="30304567")
    user = UserFactory(username="koord_kill", role="koordinator")
    path = write_xlsx(
        tmp_path / "big.xlsx", [PLAIN_HEADER] + [student(n) for n in range(1, 1 + ROWS)]
    )
    roster_import = RosterImport(school=school, uploaded_by=user, original_name="big.xlsx")
    roster_import.file.save("big.xlsx", SimpleUploadedFile("big.xlsx", path.read_bytes()))
    return roster_import, user


def reading_started(roster_import):
    def started():
        roster_import.refresh_from_db()
        return roster_import.status == RosterImport.Status.READING

    return started


def finished(roster_import):
    def done():
        roster_import.refresh_from_db()
        return roster_import.status not in (
            RosterImport.Status.QUEUED,
            RosterImport.Status.READING,
        )

    return done


def stop(process):
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)


def assert_read_once_and_saved(roster_import, user, *, claims=2):
    assert roster_import.reading_attempts == claims  # the killed reading, then the one kept
    assert (
        roster_import.status,
        roster_import.row_count,
        roster_import.new_count,
        roster_import.invalid_count,
        roster_import.progress,
    ) == (RosterImport.Status.READY, ROWS, ROWS, 0, 100)
    assert not roster_import.file
    roster_import_commit(roster_import_id=roster_import.pk, user=user)
    students = Student.objects.filter(school=roster_import.school)
    assert students.count() == ROWS
    assert students.values("nik").distinct().count() == ROWS


def test_main_process_killed_mid_read_the_task_is_handed_again_and_finishes(upload, media):
    roster_import, user = upload
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {"MEDIA_ROOT": str(media), "CELERY_VISIBILITY_TIMEOUT": VISIBILITY}
    first = start_worker(queue, **env)  # solo: the task runs in the main process
    second = None
    try:
        read_roster_import.apply_async(args=[roster_import.pk], queue=queue)
        assert wait_for(reading_started(roster_import), 60)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        roster_import.refresh_from_db()
        assert roster_import.status == RosterImport.Status.READING  # killed half-way
        assert roster_import.file  # the file is still there to read again

        second = start_worker(queue, **env)
        assert wait_for(finished(roster_import), 120, step=0.2)
    finally:
        stop(first)
        if second is not None:
            stop(second)
    assert_read_once_and_saved(roster_import, user)


@pytest.mark.parametrize("reject_on_worker_lost", [True, False])
def test_pool_child_killed_mid_read_the_import_still_finishes(upload, media, reject_on_worker_lost):
    """With task_reject_on_worker_lost (our setting) the task goes back to the queue at
    once; without it Celery acknowledges the lost task, and the sweeper hands the
    reading again once its claim is stale."""
    roster_import, user = upload
    env = {"MEDIA_ROOT": str(media), "CELERY_VISIBILITY_TIMEOUT": VISIBILITY}
    if not reject_on_worker_lost:
        env["CELERY_TASK_REJECT_ON_WORKER_LOST"] = "false"
    # The sweeper sends to the product's queue: this worker listens there.
    worker = start_worker(QUEUE, pool="prefork", **env)
    try:
        read_roster_import.apply_async(args=[roster_import.pk], queue=QUEUE)
        assert wait_for(reading_started(roster_import), 60)
        (child,) = psutil.Process(worker.pid).children()
        child.kill()
        if not reject_on_worker_lost:
            roster_import.refresh_from_db()
            claim = (roster_import.reading_started_at, roster_import.reading_task_id)
            time.sleep(4)  # past the visibility timeout: nothing comes back by itself
            roster_import.refresh_from_db()
            assert roster_import.status == RosterImport.Status.READING
            assert (roster_import.reading_started_at, roster_import.reading_task_id) == claim
            # The claim as it is STALE_READING later, when the sweeper comes by.
            RosterImport.objects.filter(pk=roster_import.pk).update(
                reading_started_at=F("reading_started_at") - STALE_READING
            )
            assert roster_imports_sweep() == [(roster_import.pk, True)]
        assert wait_for(finished(roster_import), 120, step=0.2)
    finally:
        stop(worker)
    assert_read_once_and_saved(roster_import, user)
