"""PDP-03: the rows an upload keeps are erased after the retention period; counts stay."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from students.models import RosterImport
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

ROWS = [{"row": 2, "name": "Rahmat Hidayat", "nik": "6311061705100001"}]
ISSUES = [
    {"row": 2, "column": "NIK", "code": "nik_region_unknown", "severity": "warning", "message": "…"}
]


def _upload(status, *, days_ago):
    upload = RosterImport.objects.create(
        school=SchoolFactory(),
        original_name="daftar.xlsx",
        status=status,
        rows=ROWS,
        issues=ISSUES,
        row_count=1,
        valid_count=1,
    )
    RosterImport.objects.filter(pk=upload.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return upload


def _purge():
    out = StringIO()
    call_command("purge_roster_imports", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_purge_erases_rows_past_retention_and_keeps_counts(settings, caplog):
    settings.ROSTER_RETENTION_DAYS = 30
    saved = _upload(RosterImport.Status.COMMITTED, days_ago=40)
    never_saved = _upload(RosterImport.Status.READY, days_ago=31)
    recent = _upload(RosterImport.Status.READY, days_ago=29)

    with caplog.at_level("INFO", logger="ktpku.audit"):
        assert _purge() == {"purged": 2, "retention_days": 30}

    saved.refresh_from_db()
    never_saved.refresh_from_db()
    recent.refresh_from_db()
    assert (saved.rows, saved.issues, saved.row_count, saved.status) == (
        [],
        [],
        1,
        RosterImport.Status.COMMITTED,
    )
    assert saved.purged_at is not None
    assert (never_saved.rows, never_saved.status, never_saved.file_error_code) == (
        [],
        RosterImport.Status.FAILED,
        "purged",
    )
    assert (recent.rows, recent.status, recent.purged_at) == (ROWS, RosterImport.Status.READY, None)
    assert [r.getMessage() for r in caplog.records if r.name == "ktpku.audit"] == [
        "roster_imports_purged count=2 older_than_days=30"
    ]


def test_purge_twice_erases_nothing_more(settings):
    settings.ROSTER_RETENTION_DAYS = 30
    _upload(RosterImport.Status.COMMITTED, days_ago=40)

    assert _purge()["purged"] == 1
    assert _purge()["purged"] == 0
