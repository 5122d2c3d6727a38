"""JOB-02: an upload the broker never took is sent again by the sweeper, and read once."""

import datetime
import json
import os
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from students.models import RosterImport
from students.roster.tasks import QUEUE
from tests.factories import SchoolFactory, UserFactory
from tests.helpers import ROOT, celery_worker, database_url

from .conftest import PLAIN_HEADER, student, write_xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def _waiting_upload(
    tmp_path, *, minutes_ago, status=RosterImport.Status.QUEUED, sent_minutes_ago=None
):
    """An upload kept on disk whose task never reached a worker."""
    school = SchoolFactory()
    user = UserFactory(role="koordinator")
    path = write_xlsx(tmp_path / "daftar.xlsx", [PLAIN_HEADER] + [student(n) for n in (1, 2)])
    upload = RosterImport(
        school=school, uploaded_by=user, original_name="daftar.xlsx", status=status
    )
    upload.file.save("daftar.xlsx", ContentFile(path.read_bytes()), save=False)
    upload.save()
    then = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    sent = (
        None
        if sent_minutes_ago is None
        else timezone.now() - datetime.timedelta(minutes=sent_minutes_ago)
    )
    RosterImport.objects.filter(pk=upload.pk).update(
        created_at=then, reading_started_at=then, sent_at=sent
    )
    return upload


def _sweep():
    out = StringIO()
    call_command("sweep_roster_imports", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.worker
def test_sweep_sends_a_stuck_upload_to_the_worker_which_reads_it_once(tmp_path, media):
    upload = _waiting_upload(tmp_path, minutes_ago=5)
    fresh = _waiting_upload(tmp_path, minutes_ago=0)
    with celery_worker(queue=QUEUE, MEDIA_ROOT=str(media)):
        assert _sweep() == {"sent": [upload.pk], "not_sent": [], "orphan_files_removed": 0}
        deadline = time.monotonic() + 90
        while (
            RosterImport.objects.get(pk=upload.pk).status != RosterImport.Status.READY
            and time.monotonic() < deadline
        ):
            time.sleep(0.5)
    upload.refresh_from_db()
    assert (upload.status, upload.row_count, upload.new_count) == (RosterImport.Status.READY, 2, 2)
    assert not upload.file
    assert RosterImport.objects.get(pk=fresh.pk).status == RosterImport.Status.QUEUED
    assert _sweep() == {"sent": [], "not_sent": [], "orphan_files_removed": 0}


@pytest.mark.postgres
def test_sweep_with_the_broker_down_keeps_the_upload_queued(tmp_path, media):
    upload = _waiting_upload(tmp_path, minutes_ago=5)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "true",
        "MEDIA_ROOT": str(media),
        "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "sweep_roster_imports", "--format", "json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "sent": [],
        "not_sent": [upload.pk],
        "orphan_files_removed": 0,
    }
    upload.refresh_from_db()
    assert upload.status == RosterImport.Status.QUEUED
    assert upload.file


def test_sweep_picks_only_refused_lost_and_dead_uploads(tmp_path, media):
    fresh = _waiting_upload(tmp_path, minutes_ago=1)
    waiting_its_turn = _waiting_upload(tmp_path, minutes_ago=10, sent_minutes_ago=10)
    live = _waiting_upload(tmp_path, minutes_ago=10, status=RosterImport.Status.READING)
    done = _waiting_upload(tmp_path, minutes_ago=30, status=RosterImport.Status.READY)
    lost = _waiting_upload(tmp_path, minutes_ago=45, sent_minutes_ago=45)
    dead = _waiting_upload(tmp_path, minutes_ago=30, status=RosterImport.Status.READING)

    swept = _sweep()

    assert sorted(swept["sent"] + swept["not_sent"]) == [lost.pk, dead.pk]
    assert {fresh.pk, waiting_its_turn.pk, live.pk, done.pk}.isdisjoint(swept["sent"])
