"""Large exports: made by a task with progress, downloadable by their requester alone,
refused clearly when no worker can be reached, erased after EXPORT_KEEP_HOURS."""

import datetime
import json
import os

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from ktpku.celery import app
from ktpku.exports import export_jobs_purge
from ktpku.models import ExportJob
from ktpku.tasks import make_export
from tests.factories import StudentFactory, UserFactory
from tests.helpers import open_workbook, sheet_values

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

EXPORT = reverse("students:export")


@pytest.fixture(autouse=True)
def small_limit(settings):
    """Above two rows an export goes to a worker."""
    settings.EXPORT_SYNC_MAX_ROWS = 2


@pytest.fixture
def three_students(school_a):
    return [
        StudentFactory(school=school_a, name=name)
        for name in ("=1+1", "Ahmad Fauzi", "Bunga Lestari")
    ]


def _ask(client, **data):
    """Post the export; the job is sent to no broker (the test runs the task itself)."""
    response = client.post(EXPORT, data)
    return response, ExportJob.objects.get()


def test_large_export_is_made_by_the_task_with_progress_then_downloaded(
    client, staf, three_students
):
    client.force_login(staf)

    response, job = _ask(client)

    assert response["Location"] == reverse("export_job", args=[job.pk])
    assert (job.kind, job.state, job.total, job.full_nik, job.params) == (
        "students",
        "queued",
        3,
        False,
        {},
    )
    waiting = client.get(reverse("export_progress", args=[job.pk]))
    assert 'data-testid="export-progress"' in waiting.content.decode()
    assert AuditEvent.objects.count() == 0  # nothing has left the database yet

    make_export.apply(args=[job.pk])
    make_export.apply(args=[job.pk])  # a second delivery changes nothing

    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.progress) == ("done", 3, 3, 100)
    assert job.file.name.startswith(f"ekspor/{staf.pk}/")
    done = client.get(reverse("export_progress", args=[job.pk]))
    assert (done.status_code, done["HX-Refresh"]) == (204, "true")
    page = client.get(reverse("export_job", args=[job.pk])).content.decode()
    assert reverse("export_download", args=[job.pk]) in page
    download = client.get(reverse("export_download", args=[job.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="{job.download_name}"'
    sheet = open_workbook(download.content)["Siswa"]
    assert [row[0] for row in sheet_values(sheet)] == [
        "Nama",
        "=1+1",
        "Ahmad Fauzi",
        "Bunga Lestari",
    ]
    assert sheet["A2"].data_type == "s"
    assert sorted(AuditEvent.objects.values_list("object_id", flat=True)) == sorted(
        student.pk for student in three_students
    )
    assert AuditEvent.objects.first().details == {
        "export": "students",
        "full_nik": False,
        "export_job": job.pk,
    }


def test_without_a_broker_the_task_runs_at_once(
    client, staf, three_students, django_capture_on_commit_callbacks
):
    """The embedded set-up (no CELERY_BROKER_URL) runs tasks in the web process."""
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    client.force_login(staf)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _response, job = _ask(client, nik_lengkap="1")
    finally:
        app.conf.task_always_eager = saved

    job.refresh_from_db()
    assert (job.state, job.full_nik) == ("done", True)
    download = client.get(reverse("export_download", args=[job.pk]))
    rows = sheet_values(open_workbook(download.content)["Siswa"])
    assert rows[1][1] == three_students[0].nik


@pytest.mark.django_db(transaction=True)
def test_the_broker_down_gives_a_clear_message_and_the_list_back(client, broker_down):
    """Outside a test's transaction the job is sent as soon as its row exists, so the
    answer already knows the broker refused it."""
    staf = UserFactory(username="staf", role="staf")
    StudentFactory.create_batch(3)
    client.force_login(staf)

    response = client.post(f"{EXPORT}?status=on_roster")

    job = ExportJob.objects.get()
    assert (job.state, job.error) == ("failed", "not_sent")
    assert response["Location"] == f"{reverse('students:list')}?status=on_roster"
    page = client.get(response["Location"]).content.decode()
    assert "pekerja latar belakang saat ini tidak dapat dihubungi" in page
    assert "paling banyak 2 baris" in page
    job_page = client.get(reverse("export_job", args=[job.pk])).content.decode()
    assert "Pekerja latar belakang tidak dapat dihubungi" in job_page


def test_a_job_no_worker_takes_says_so(client, staf, three_students):
    client.force_login(staf)
    _response, job = _ask(client)
    ExportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    body = client.get(reverse("export_progress", args=[job.pk])).content.decode()

    assert 'data-testid="export-no-worker"' in body


def test_only_the_requester_opens_or_downloads_the_job(client, staf, three_students):
    client.force_login(staf)
    _response, job = _ask(client)
    make_export.apply(args=[job.pk])
    colleague = UserFactory(username="staf2", role="staf")
    client.force_login(colleague)

    for name in ("export_job", "export_progress", "export_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_a_requester_who_lost_the_full_nik_right_cannot_download(client, staf, three_students):
    client.force_login(staf)
    _response, job = _ask(client, nik_lengkap="1")
    assert job.full_nik is True
    make_export.apply(args=[job.pk])
    staf.groups.set([Group.objects.get(name="petugas")])  # no full-NIK right

    assert client.get(reverse("export_download", args=[job.pk])).status_code == 403


def test_a_job_whose_requester_lost_the_right_is_not_made(client, staf, three_students):
    client.force_login(staf)
    _response, job = _ask(client, nik_lengkap="1")
    staf.groups.set([Group.objects.get(name="petugas")])  # no full-NIK right

    make_export.apply(args=[job.pk])

    job.refresh_from_db()
    assert (job.state, bool(job.file)) == ("failed", False)
    assert AuditEvent.objects.count() == 0


def test_files_are_erased_after_the_keeping_time(client, staf, three_students, settings):
    settings.EXPORT_KEEP_HOURS = 24
    client.force_login(staf)
    _response, job = _ask(client)
    make_export.apply(args=[job.pk])
    job.refresh_from_db()
    stored = job.file.path

    assert export_jobs_purge(now=timezone.now() + datetime.timedelta(hours=23)) == 0
    assert export_jobs_purge(now=timezone.now() + datetime.timedelta(hours=25)) == 1

    job.refresh_from_db()
    assert (job.state, job.file.name, job.params) == ("expired", "", {})
    assert not os.path.exists(stored)
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 404
    assert (
        'data-testid="export-expired"'
        in client.get(reverse("export_job", args=[job.pk])).content.decode()
    )


def test_purge_command_prints_json(capsys):
    call_command("purge_exports", "--format", "json")
    assert json.loads(capsys.readouterr().out) == {"purged": 0, "keep_hours": 24}


# 1 session, 2 user, 3 the second-factor device, 4-5 permissions, 6 the job.
@pytest.mark.parametrize("count", [1, 3])
def test_export_job_page_query_count(client, staf, count, django_assert_num_queries):
    jobs = [
        ExportJob.objects.create(kind="students", requested_by=staf, total=count)
        for _ in range(count)
    ]
    client.force_login(staf)

    with django_assert_num_queries(6):
        response = client.get(reverse("export_job", args=[jobs[-1].pk]))

    assert response.context["job"].total == count
