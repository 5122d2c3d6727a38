"""JOB-02: with the broker (Redis) unreachable every page still answers; work stays queued."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ktpku.tasks import enqueue, health_check
from students.models import RosterImport
from students.roster.services.uploads import INLINE_MAX_BYTES
from tests.students.roster.conftest import PLAIN_HEADER, student, write_xlsx

pytestmark = pytest.mark.django_db


def test_enqueue_answers_false_and_logs_when_the_broker_is_down(broker_down, caplog):
    assert enqueue(health_check) is False

    (record,) = [r for r in caplog.records if r.name == "ktpku.events"]
    assert (record.fields["event"], record.fields["task"]) == (
        "enqueue_failed",
        "ktpku.health_check",
    )


def test_roster_upload_with_the_broker_down_is_kept_queued(
    client, koordinator_a, broker_down, media, tmp_path, django_capture_on_commit_callbacks
):
    # Large enough to go to the worker rather than be read while the uploader waits.
    rows = [PLAIN_HEADER] + [student(n) for n in range(1, 2001)]
    path = write_xlsx(tmp_path / "roster.xlsx", rows)
    assert path.stat().st_size > INLINE_MAX_BYTES
    client.force_login(koordinator_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/daftar-siswa/", {"file": SimpleUploadedFile("roster.xlsx", path.read_bytes())}
        )

    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/daftar-siswa/{roster_import.pk}/"
    assert (roster_import.status, roster_import.sent_at) == (RosterImport.Status.QUEUED, None)
    assert client.get(response["Location"]).status_code == 200
