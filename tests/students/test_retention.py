"""PDP-03: personal data past its retention period is erased by a nightly job; counts stay."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from audit.models import AuditEvent
from students import lifecycle
from students.models import EventKind, Status, Student
from students.retention import months_before
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

WITA = datetime.timezone(datetime.timedelta(hours=8))


def _purge(**options):
    out = StringIO()
    call_command("purge_personal_data", "--format", "json", stdout=out, **options)
    return json.loads(out.getvalue())


def _handed_over(school, on, **fields):
    student = StudentFactory(school=school, kk_number="6311060101080001", **fields)
    # The handover is the end of a long lifecycle; the state is set directly here.
    Student.objects.filter(pk=student.pk).update(status=Status.HANDED_OVER, status_since=on)
    return student


def test_months_before_keeps_the_day_or_the_months_last():
    assert months_before(datetime.date(2027, 3, 31), 1) == datetime.date(2027, 2, 28)
    assert months_before(datetime.date(2027, 1, 15), 12) == datetime.date(2026, 1, 15)


def test_students_past_retention_are_anonymised_and_counts_stay(
    school_a, staf, settings, time_machine
):
    settings.PERSONAL_DATA_RETENTION_MONTHS = 12
    old = _handed_over(school_a, datetime.date(2025, 11, 30), name="Rahmat Hidayat")
    recent = _handed_over(school_a, datetime.date(2026, 1, 10), name="Siti Rahmah")
    closed = StudentFactory(
        school=school_a, name="Nur Aisyah", birth_date=datetime.date(2009, 8, 5)
    )
    lifecycle.apply(closed, EventKind.CLOSED, on=datetime.date(2025, 6, 2), by=staf, reason="moved")
    waiting = StudentFactory(school=school_a, name="Budi Santoso")
    old_nik = old.nik
    time_machine.move_to(datetime.datetime(2027, 1, 5, 2, 45, tzinfo=WITA))

    result = _purge()

    assert result == {
        "today": "2027-01-05",
        "retention_months": 12,
        "anonymised": 2,
        "student_ids": sorted([old.pk, closed.pk]),
    }
    old.refresh_from_db()
    assert (old.name, old.nik, old.kk_number, old.birth_place, old.birth_date) == (
        "Anonim",
        f"{old.pk:016d}",
        "",
        "",
        datetime.date(2010, 1, 1),
    )
    assert (old.school, old.status, old.status_since) == (
        school_a,
        Status.HANDED_OVER,
        datetime.date(2025, 11, 30),
    )
    assert old.anonymised_at is not None
    assert Student.objects.get(pk=closed.pk).events.count() == 1
    assert Student.objects.get(pk=recent.pk).name == "Siti Rahmah"
    assert Student.objects.get(pk=waiting.pk).name == "Budi Santoso"
    assert Student.objects.filter(school=school_a).count() == 4
    history = Student.history.filter(id=old.pk)
    assert set(history.values_list("name", "nik", "kk_number")) == {
        ("Anonim", f"{old.pk:016d}", "")
    }
    assert not Student.history.filter(nik=old_nik).exists()
    assert sorted(
        AuditEvent.objects.filter(action="anonymised").values_list("object_id", flat=True)
    ) == sorted([old.pk, closed.pk])


def test_a_second_run_anonymises_nothing(school_a, settings, time_machine):
    settings.PERSONAL_DATA_RETENTION_MONTHS = 12
    _handed_over(school_a, datetime.date(2025, 1, 10))
    time_machine.move_to(datetime.datetime(2027, 1, 5, 2, 45, tzinfo=WITA))

    first = _purge()
    second = _purge()

    assert (first["anonymised"], second["anonymised"]) == (1, 0)
    assert AuditEvent.objects.filter(action="anonymised").count() == 1


def test_the_retention_period_is_a_setting(school_a, settings):
    student = _handed_over(school_a, datetime.date(2026, 6, 1))
    settings.PERSONAL_DATA_RETENTION_MONTHS = 6

    assert _purge(today="2026-12-01")["student_ids"] == []
    assert _purge(today="2026-12-02")["student_ids"] == [student.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers")
def test_after_the_purge_history_is_append_only_again(school_a, settings):
    from django.db import transaction
    from django.db.utils import DatabaseError

    student = _handed_over(school_a, datetime.date(2024, 1, 1))
    _purge(today="2026-12-01")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Student.history.filter(id=student.pk).update(name="Back")
