"""A big roster read by a real Celery worker on Redis, as in production."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from students.models import RosterImport
from students.roster.tasks import read_roster_import
from tests.factories import SchoolFactory, UserFactory
from tests.helpers import celery_worker

from .conftest import PLAIN_HEADER, student, write_xlsx

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_queue(media, tmp_path):
    """A real worker process sharing the test database and media folder; its output in
    tmp_path / "worker.log"."""
    with celery_worker(MEDIA_ROOT=str(media), log=tmp_path / "worker.log") as queue:
        yield queue


def test_worker_reads_a_large_upload(worker_queue, tmp_path, media):
    school = SchoolFactory(npsn="30304567")
    user = UserFactory(username="koord_worker", role="koordinator")
    path = write_xlsx(tmp_path / "big.xlsx", [PLAIN_HEADER] + [student(n) for n in range(1, 2001)])
    # Stored as an upload is, without enqueueing: the test sends the task to its own queue.
    roster_import = RosterImport(school=school, uploaded_by=user, original_name="big.xlsx")
    roster_import.file.save("big.xlsx", SimpleUploadedFile("big.xlsx", path.read_bytes()))

    result = read_roster_import.apply_async(args=[roster_import.pk], queue=worker_queue)
    result.get(timeout=120)
    task_id = result.id

    roster_import.refresh_from_db()
    assert (
        roster_import.status,
        roster_import.row_count,
        roster_import.new_count,
        roster_import.progress,
    ) == (RosterImport.Status.READY, 2000, 2000, 100)
    assert not roster_import.file
    assert list((media / "rosters").iterdir()) == []
    # LOG-02: the worker logged the task at level info, and no identifier of the file.
    log = (tmp_path / "worker.log").read_text()
    assert f"read_roster_import[{task_id}] succeeded" in log
    assert [n for n in range(1, 2001) if student(n)[1] in log or student(n)[6] in log] == []
