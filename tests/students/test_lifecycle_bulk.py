"""lifecycle.apply_many: one step for many students in a fixed number of queries."""

import datetime
import zoneinfo

import pytest
from django.db import IntegrityError, connection, transaction

from students import dates, lifecycle
from students.lifecycle import TransitionRefused
from students.models import EventKind, MaritalStatus, Status, Student, StudentEvent
from tests.factories import StudentFactory

pytestmark = pytest.mark.usefixtures("english", "db")

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
D = datetime.date
TODAY = D(2026, 8, 5)
DAY = D(2026, 8, 1)


@pytest.fixture(autouse=True)
def office_now(time_machine):
    time_machine.move_to(datetime.datetime(2026, 8, 5, 10, 0, tzinfo=WITA), tick=False)


def print_ready(born, **fields):
    student = StudentFactory(birth_date=born, **fields)
    for kind in (EventKind.RECORDED, EventKind.PRINT_READY):
        lifecycle.apply(student, kind, on=DAY, by=None)
    return student


def test_apply_many_moves_eligible_and_leaves_the_rest(staf):
    due = print_ready(D(2009, 5, 17), name="Ani")
    married = print_ready(D(2010, 1, 2), name="Budi", marital_status=MaritalStatus.MARRIED)
    too_young = print_ready(D(2009, 8, 6), name="Citra")
    StudentFactory(birth_date=D(2009, 1, 1), name="Dewi")  # on the roster: not eligible

    changed = lifecycle.apply_many(
        Student.objects.all(), EventKind.DUE_FOR_PRINT, on=TODAY, by=staf, visit_id=41
    )

    assert changed == sorted([due.pk, married.pk])
    statuses = dict(Student.objects.values_list("name", "status"))
    assert statuses == {
        "Ani": Status.DUE_FOR_PRINT,
        "Budi": Status.DUE_FOR_PRINT,
        "Citra": Status.PRINT_READY,
        "Dewi": Status.ON_ROSTER,
    }
    events = StudentEvent.objects.filter(kind=EventKind.DUE_FOR_PRINT).order_by("student_id")
    assert [(e.student_id, e.date, e.recorded_by, e.visit_id) for e in events] == [
        (due.pk, TODAY, staf, 41),
        (married.pk, TODAY, staf, 41),
    ]
    due.refresh_from_db()
    assert due.status_since == TODAY
    latest = due.history.first()
    assert (latest.status, latest.history_type, latest.history_user) == (
        Status.DUE_FOR_PRINT,
        "~",
        staf,
    )
    assert latest.history_change_reason == "event due_for_print"
    assert latest.nik == due.nik
    assert too_young.history.count() == 3  # created, recorded, print ready: nothing new


def test_apply_many_same_queries_for_one_and_many(django_assert_num_queries):
    one = [print_ready(D(2009, 5, 17)).pk]
    many = [print_ready(D(2009, 5, 17)).pk for _ in range(3)]
    # SAVEPOINT / UPDATE the eligible students, INSERT their events and history in one
    # statement / RELEASE SAVEPOINT. Elsewhere than PostgreSQL: lock, INSERT events, UPDATE,
    # INSERT history and read the NIKs, one statement each.
    queries = 3 if connection.vendor == "postgresql" else 7
    for ids in (one, many):
        with django_assert_num_queries(queries):
            assert lifecycle.apply_many(ids, EventKind.DUE_FOR_PRINT, on=TODAY, by=None) == ids


def test_apply_many_second_run_changes_nothing():
    student = print_ready(D(2009, 5, 17))
    assert lifecycle.apply_many([student.pk], EventKind.DUE_FOR_PRINT, on=TODAY, by=None) == [
        student.pk
    ]

    assert lifecycle.apply_many([student.pk], EventKind.DUE_FOR_PRINT, on=TODAY, by=None) == []
    assert student.events.filter(kind=EventKind.DUE_FOR_PRINT).count() == 1


def test_apply_many_fact_only_event_keeps_status_and_history():
    student = StudentFactory(birth_date=D(2009, 8, 5))
    history = student.history.count()

    changed = lifecycle.apply_many([student.pk], EventKind.OVERDUE, on=TODAY, by=None)

    student.refresh_from_db()
    assert changed == [student.pk]
    assert (student.status, student.status_since) == (Status.ON_ROSTER, None)
    assert student.history.count() == history
    assert lifecycle.apply_many([student.pk], EventKind.OVERDUE, on=TODAY, by=None) == []


def test_apply_many_skips_a_student_whose_status_began_later():
    student = StudentFactory(birth_date=D(2009, 5, 17))
    for kind in (EventKind.RECORDED, EventKind.PRINT_READY):
        lifecycle.apply(student, kind, on=TODAY, by=None)

    assert lifecycle.apply_many([student.pk], EventKind.DUE_FOR_PRINT, on=DAY, by=None) == []


def test_apply_many_refuses_future_date_and_bad_reason():
    student = print_ready(D(2009, 5, 17))

    with pytest.raises(TransitionRefused, match="is in the future"):
        lifecycle.apply_many([student.pk], EventKind.PRINTED, on=TODAY.replace(day=6), by=None)
    with pytest.raises(TransitionRefused, match="Choose a reason"):
        lifecycle.apply_many([student.pk], EventKind.CLOSED, on=TODAY, by=None)
    with pytest.raises(ValueError, match="restores"):
        lifecycle.apply_many([student.pk], EventKind.REOPENED, on=TODAY, by=None)
    assert student.events.count() == 2


def test_apply_many_empty_selection_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(2):  # SAVEPOINT / RELEASE: an empty id list asks nothing
        assert lifecycle.apply_many([], EventKind.PRINTED, on=TODAY, by=None) == []


def test_milestone_constraint_refuses_a_second_due_event():
    student = print_ready(D(2009, 5, 17))
    lifecycle.apply(student, EventKind.DUE_FOR_PRINT, on=TODAY, by=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        StudentEvent.objects.create(student=student, kind=EventKind.DUE_FOR_PRINT, date=TODAY)


def test_apply_overdue_once_is_refused_twice_on_the_page_path():
    student = StudentFactory(birth_date=D(2009, 5, 17))
    lifecycle.apply(student, EventKind.OVERDUE, on=TODAY, by=None)

    with pytest.raises(TransitionRefused) as refused:
        lifecycle.apply(student, EventKind.OVERDUE, on=TODAY, by=None)
    assert str(refused.value) == "“Overdue for recording” is already recorded for this student."


def test_overdue_is_not_offered_on_the_student_page():
    assert EventKind.OVERDUE not in lifecycle.allowed_events(Student(status=Status.ON_ROSTER))


@pytest.mark.parametrize(
    ("leap_setting", "on", "expected"),
    [
        ("03-01", D(2026, 8, 5), D(2009, 8, 5)),
        ("03-01", D(2027, 2, 28), D(2010, 2, 28)),
        ("03-01", D(2027, 3, 1), D(2010, 3, 1)),
        ("03-01", D(2025, 2, 28), D(2008, 2, 28)),  # born 29 Feb 2008: 17 on 1 March 2025
        ("03-01", D(2025, 3, 1), D(2008, 3, 1)),
        ("02-28", D(2025, 2, 28), D(2008, 2, 29)),  # born 29 Feb 2008: 17 on 28 Feb 2025
        ("02-28", D(2024, 2, 29), D(2007, 2, 28)),
        ("03-01", D(2024, 2, 29), D(2007, 2, 28)),
    ],
)
def test_latest_birth_date_follows_the_leap_day_rule(settings, leap_setting, on, expected):
    settings.LEAP_DAY_BIRTHDAY = leap_setting
    assert dates.latest_birth_date(17, on) == expected
    assert dates.age_on(expected, on) == 17
    assert dates.age_on(expected + datetime.timedelta(days=1), on) == 16
