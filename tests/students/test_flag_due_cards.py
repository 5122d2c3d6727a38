"""flag_due_cards: the nightly flags, day by day, leap days, WITA midnight, runs at once."""

import datetime
import io
import json
import threading
import zoneinfo

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from students import dates, flagging, lifecycle
from students.models import EventKind, MaritalStatus, Status, Student, StudentEvent
from tests.factories import StudentFactory

pytestmark = pytest.mark.usefixtures("english", "db")

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
D = datetime.date


@pytest.fixture(autouse=True)
def office_now(time_machine):
    time_machine.move_to(datetime.datetime(2027, 6, 1, 10, 0, tzinfo=WITA), tick=False)


def print_ready(born, **fields):
    """A student recorded and print ready on their 16th birthday."""
    student = StudentFactory(birth_date=born, **fields)
    for kind in (EventKind.RECORDED, EventKind.PRINT_READY):
        lifecycle.apply(student, kind, on=dates.turns(born, dates.RECORDING_AGE), by=None)
    return student


def run(today):
    out = io.StringIO()
    call_command("flag_due_cards", "--today", today.isoformat(), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_json_lists_the_students_flagged_by_this_run():
    due = print_ready(D(2009, 8, 5))
    overdue = StudentFactory(birth_date=D(2009, 8, 1))  # 17 since 1 August: flagged late
    StudentFactory(birth_date=D(2009, 8, 6))  # 16 still: neither

    assert run(D(2026, 8, 5)) == {
        "today": "2026-08-05",
        "due_for_print": [due.nik],
        "overdue_recording": [overdue.nik],
    }
    due.refresh_from_db()
    assert (due.status, due.status_since) == (Status.DUE_FOR_PRINT, D(2026, 8, 5))
    flagged = StudentEvent.objects.get(student=overdue)
    assert (flagged.kind, flagged.date, flagged.recorded_by) == (
        EventKind.OVERDUE,
        D(2026, 8, 1),  # the day they turned 17, not the day of the run
        None,
    )
    assert Student.objects.get(pk=overdue.pk).status == Status.ON_ROSTER


def test_second_run_same_day_prints_empty_lists():
    print_ready(D(2009, 8, 5))
    StudentFactory(birth_date=D(2009, 8, 1))
    run(D(2026, 8, 5))

    assert run(D(2026, 8, 5)) == {
        "today": "2026-08-05",
        "due_for_print": [],
        "overdue_recording": [],
    }
    assert StudentEvent.objects.filter(kind=EventKind.DUE_FOR_PRINT).count() == 1
    assert StudentEvent.objects.filter(kind=EventKind.OVERDUE).count() == 1


def test_day_by_day_around_the_17th_birthday():
    student = print_ready(D(2009, 8, 5))

    flagged = [run(D(2026, 8, day))["due_for_print"] for day in (3, 4, 5, 6, 7)]

    assert flagged == [[], [], [student.nik], [], []]


def test_married_student_flagged_before_17():
    student = print_ready(D(2010, 3, 1), marital_status=MaritalStatus.MARRIED)

    assert run(D(2026, 8, 5))["due_for_print"] == [student.nik]


def test_missed_night_is_covered_by_the_next_run_dated_the_missed_day():
    student = print_ready(D(2009, 8, 5))
    waiting = StudentFactory(birth_date=D(2009, 8, 5))
    on_time = print_ready(D(2009, 8, 6))
    assert run(D(2026, 8, 4))["due_for_print"] == []
    # no run on 5 August

    assert run(D(2026, 8, 6)) == {
        "today": "2026-08-06",
        "due_for_print": sorted([student.nik, on_time.nik]),
        "overdue_recording": [waiting.nik],
    }
    assert sorted(
        StudentEvent.objects.filter(
            kind__in=[EventKind.DUE_FOR_PRINT, EventKind.OVERDUE]
        ).values_list("student__name", "kind", "date")
    ) == sorted(
        [
            (student.name, EventKind.DUE_FOR_PRINT, D(2026, 8, 5)),
            (waiting.name, EventKind.OVERDUE, D(2026, 8, 5)),
            (on_time.name, EventKind.DUE_FOR_PRINT, D(2026, 8, 6)),
        ]
    )
    student.refresh_from_db()
    assert (student.status, student.status_since) == (Status.DUE_FOR_PRINT, D(2026, 8, 5))
    history = student.history.order_by("-history_id").first()
    assert (history.status, history.status_since) == (Status.DUE_FOR_PRINT, D(2026, 8, 5))


def test_three_missed_nights_each_student_dated_their_own_birthday():
    students = {day: print_ready(D(2009, 8, day)) for day in (3, 4, 5, 6)}
    run(D(2026, 8, 2))
    # no run on 3, 4 and 5 August

    assert run(D(2026, 8, 6))["due_for_print"] == sorted(s.nik for s in students.values())
    assert dict(
        StudentEvent.objects.filter(kind=EventKind.DUE_FOR_PRINT).values_list("student_id", "date")
    ) == {student.pk: D(2026, 8, day) for day, student in students.items()}


@pytest.mark.parametrize(
    ("leap_setting", "birthday"), [("03-01", D(2025, 3, 1)), ("02-28", D(2025, 2, 28))]
)
def test_born_29_february_missed_nights_dated_the_birthday_of_the_setting(
    settings, leap_setting, birthday
):
    settings.LEAP_DAY_BIRTHDAY = leap_setting
    due = print_ready(D(2008, 2, 29))
    not_recorded = StudentFactory(birth_date=D(2008, 2, 29))
    run(D(2025, 2, 27))
    # no run from 28 February to 2 March

    assert run(D(2025, 3, 3)) == {
        "today": "2025-03-03",
        "due_for_print": [due.nik],
        "overdue_recording": [not_recorded.nik],
    }
    assert list(
        StudentEvent.objects.filter(kind__in=[EventKind.DUE_FOR_PRINT, EventKind.OVERDUE])
        .order_by("kind")
        .values_list("kind", "date")
    ) == [(EventKind.DUE_FOR_PRINT, birthday), (EventKind.OVERDUE, birthday)]
    due.refresh_from_db()
    assert due.status_since == birthday


def test_print_ready_after_the_17th_birthday_is_due_from_that_day():
    student = StudentFactory(birth_date=D(2009, 8, 5))
    lifecycle.apply(student, EventKind.RECORDED, on=D(2026, 7, 1), by=None)
    lifecycle.apply(student, EventKind.PRINT_READY, on=D(2026, 9, 14), by=None)

    assert run(D(2026, 9, 20))["due_for_print"] == [student.nik]
    assert student.events.get(kind=EventKind.DUE_FOR_PRINT).date == D(2026, 9, 14)


def test_married_student_due_from_the_day_the_marriage_was_recorded(time_machine):
    student = print_ready(D(2010, 3, 1))  # print ready on 1 March 2026, 16 years old
    time_machine.move_to(datetime.datetime(2026, 7, 20, 23, 30, tzinfo=WITA), tick=False)
    student.marital_status = MaritalStatus.MARRIED
    student.save()  # 23:30 WITA is 15:30 UTC: still 20 July at the office
    time_machine.move_to(datetime.datetime(2026, 8, 1, 10, 0, tzinfo=WITA), tick=False)

    assert run(D(2026, 7, 30))["due_for_print"] == [student.nik]
    assert student.events.get(kind=EventKind.DUE_FOR_PRINT).date == D(2026, 7, 20)


def test_married_before_print_ready_is_due_from_print_ready(time_machine):
    time_machine.move_to(datetime.datetime(2026, 2, 10, 9, 0, tzinfo=WITA), tick=False)
    student = StudentFactory(birth_date=D(2010, 3, 1), marital_status=MaritalStatus.MARRIED)
    time_machine.move_to(datetime.datetime(2026, 8, 6, 9, 0, tzinfo=WITA), tick=False)
    for kind in (EventKind.RECORDED, EventKind.PRINT_READY):
        lifecycle.apply(student, kind, on=D(2026, 3, 1), by=None)

    assert run(D(2026, 8, 5))["due_for_print"] == [student.nik]
    assert student.events.get(kind=EventKind.DUE_FOR_PRINT).date == D(2026, 3, 1)


def test_married_with_no_saved_version_is_due_from_the_run():
    student = print_ready(D(2010, 3, 1))
    Student.objects.filter(pk=student.pk).update(marital_status=MaritalStatus.WIDOWED)

    assert run(D(2026, 8, 5))["due_for_print"] == [student.nik]
    assert student.events.get(kind=EventKind.DUE_FOR_PRINT).date == D(2026, 8, 5)


def test_a_flag_is_never_dated_after_the_run_day(time_machine):
    student = print_ready(D(2010, 3, 1))
    time_machine.move_to(datetime.datetime(2026, 7, 20, 9, 0, tzinfo=WITA), tick=False)
    student.marital_status = MaritalStatus.MARRIED
    student.save()

    assert run(D(2026, 7, 10))["due_for_print"] == [student.nik]  # the day given by hand
    assert student.events.get(kind=EventKind.DUE_FOR_PRINT).date == D(2026, 7, 10)


@pytest.mark.parametrize(
    ("leap_setting", "flagged_on"), [("03-01", D(2025, 3, 1)), ("02-28", D(2025, 2, 28))]
)
def test_born_29_february_flagged_on_the_set_day(settings, leap_setting, flagged_on):
    settings.LEAP_DAY_BIRTHDAY = leap_setting
    student = print_ready(D(2008, 2, 29))
    not_recorded = StudentFactory(birth_date=D(2008, 2, 29))
    days = [D(2025, 2, 27), D(2025, 2, 28), D(2025, 3, 1), D(2025, 3, 2)]

    runs = {day: run(day) for day in days}

    assert [day for day in days if runs[day]["due_for_print"]] == [flagged_on]
    assert [day for day in days if runs[day]["overdue_recording"]] == [flagged_on]
    assert runs[flagged_on]["due_for_print"] == [student.nik]
    assert runs[flagged_on]["overdue_recording"] == [not_recorded.nik]


def test_born_29_february_in_a_leap_year_birthday_on_the_day(settings):
    settings.LEAP_DAY_BIRTHDAY = "02-28"
    student = print_ready(D(2007, 2, 28))
    print_ready(D(2007, 3, 1))

    assert run(D(2024, 2, 28))["due_for_print"] == [student.nik]
    assert run(D(2024, 2, 29))["due_for_print"] == []


@pytest.mark.parametrize(
    ("utc_moment", "flagged"),
    [
        (datetime.datetime(2026, 8, 4, 15, 59, tzinfo=datetime.UTC), False),  # 23:59 WITA, 4 Aug
        (datetime.datetime(2026, 8, 4, 16, 0, tzinfo=datetime.UTC), True),  # 00:00 WITA, 5 Aug
    ],
)
def test_wita_midnight_decides_the_day(time_machine, utc_moment, flagged):
    student = print_ready(D(2009, 8, 5))
    time_machine.move_to(utc_moment, tick=False)
    out = io.StringIO()

    call_command("flag_due_cards", "--format", "json", stdout=out)

    result = json.loads(out.getvalue())
    assert result["today"] == ("2026-08-05" if flagged else "2026-08-04")
    assert result["due_for_print"] == ([student.nik] if flagged else [])


def test_beat_runs_the_job_after_midnight_wita():
    entry = settings.CELERY_BEAT_SCHEDULE["flag-due-cards"]
    assert entry["task"] == "students.flag_due_cards"
    assert entry["schedule"] == crontab(hour=0, minute=5)
    assert settings.CELERY_TIMEZONE == "Asia/Makassar"


def test_text_output_counts():
    print_ready(D(2009, 8, 5))
    out = io.StringIO()

    call_command("flag_due_cards", "--today", "2026-08-05", stdout=out)

    assert out.getvalue().strip() == (
        "2026-08-05: 1 cards due for print, 0 students overdue for recording."
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("05-08-2026", "“05-08-2026” is not a date: write it as YYYY-MM-DD."),
        ("2027-06-02", "The date 2 June 2027 is in the future."),
    ],
)
def test_bad_day_refused_and_nothing_flagged(value, message):
    print_ready(D(2009, 8, 5))

    with pytest.raises(CommandError) as refused:
        call_command("flag_due_cards", "--today", value)

    assert str(refused.value) == message
    assert not StudentEvent.objects.filter(kind=EventKind.DUE_FOR_PRINT).exists()


def test_same_queries_for_one_and_three_students(django_assert_num_queries):
    for count, day in ((1, D(2026, 8, 5)), (3, D(2026, 8, 6))):
        for _ in range(count):
            print_ready(day.replace(year=2009))
            StudentFactory(birth_date=day.replace(year=2009))
        # SAVEPOINT (the job) / per flag: SAVEPOINT, one statement (the status, the events,
        # the history and the NIKs), RELEASE / RELEASE. Elsewhere than PostgreSQL each flag
        # locks, inserts the events, [updates the status, inserts history: due only] and
        # reads the NIKs in statements of their own.
        with django_assert_num_queries(8 if connection.vendor == "postgresql" else 14):
            result = flagging.flag_due_cards(day)
        assert (len(result["due_for_print"]), len(result["overdue_recording"])) == (count, count)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_flag_each_student_once():
    """A second scheduler starts while the first holds its locks: it waits, then flags none."""
    due = sorted(print_ready(D(2009, 8, 5)).nik for _ in range(5))
    overdue = sorted(StudentFactory(birth_date=D(2009, 7, 1)).nik for _ in range(4))
    started, release, results = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = flagging.flag_due_cards(D(2026, 8, 5))
                started.set()
                release.wait(10)
        finally:
            connection.close()

    def second():
        try:
            results["second"] = flagging.flag_due_cards(D(2026, 8, 5))
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert started.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(1)
    waited = two.is_alive()
    release.set()
    one.join(10)
    two.join(10)

    assert waited is True
    assert (results["first"]["due_for_print"], results["first"]["overdue_recording"]) == (
        due,
        overdue,
    )
    assert (results["second"]["due_for_print"], results["second"]["overdue_recording"]) == ([], [])
    assert StudentEvent.objects.filter(kind=EventKind.DUE_FOR_PRINT).count() == 5
    assert StudentEvent.objects.filter(kind=EventKind.OVERDUE).count() == 4
