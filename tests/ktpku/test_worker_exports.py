"""A large export made by a real Celery worker on Redis, as in production."""

import time

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from ktpku.models import ExportJob
from tests.factories import SchoolFactory, StudentFactory, UserFactory
from tests.helpers import celery_worker, open_workbook, sheet_values

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _finished(job, timeout=120):
    """The job once it has left the queue (or as it is after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while job.is_pending and time.monotonic() < deadline:
        time.sleep(0.5)
        job.refresh_from_db()
    return job


def test_worker_makes_a_large_export_for_its_requester(client, settings, media):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    staf = UserFactory(username="staf", role="staf")
    school = SchoolFactory(name="SMA Negeri 1 Paringin")
    students = [
        StudentFactory(school=school, name=name) for name in ("-2+3", "Ahmad Fauzi", "Citra Dewi")
    ]
    client.force_login(staf)

    with celery_worker(queue="slow", MEDIA_ROOT=str(media)):
        response = client.post(reverse("students:export"), {"nik_lengkap": "1"})
        job = _finished(ExportJob.objects.get())

    assert response["Location"] == reverse("export_job", args=[job.pk])
    assert (job.state, job.done, job.total) == ("done", 3, 3)
    download = client.get(reverse("export_download", args=[job.pk]))
    sheet = open_workbook(download.content)["Siswa"]
    rows = sheet_values(sheet)
    assert [(row[0], row[1]) for row in rows[1:]] == [
        ("-2+3", students[0].nik),
        ("Ahmad Fauzi", students[1].nik),
        ("Citra Dewi", students[2].nik),
    ]
    assert (sheet["A2"].data_type, sheet["B2"].number_format) == ("s", "@")
    assert AuditEvent.objects.filter(actor=staf, details__full_nik=True).count() == 3
