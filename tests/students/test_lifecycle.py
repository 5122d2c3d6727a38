"""The lifecycle: every allowed and refused step, the age and date rules, who and when."""

import datetime
import threading
import zoneinfo

import pytest
from django.db import connection, transaction
from django.utils import translation

from students import lifecycle
from students.lifecycle import TRANSITIONS, TransitionRefused
from students.models import (
    CloseReason,
    EventKind,
    FailureReason,
    MaritalStatus,
    ReprintReason,
    SiakResult,
    Status,
    Student,
    StudentEvent,
)
from tests.factories import StudentFactory

pytestmark = pytest.mark.usefixtures("english")

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
D = datetime.date
TODAY = D(2026, 8, 5)
DAY = D(2026, 8, 1)  # when the steps that lead a student to a status happened
NOW = datetime.datetime(2026, 8, 5, 10, 0, tzinfo=WITA)
BORN_17 = D(2009, 5, 17)  # 17 since 17 May 2026

# The steps that bring a student from the roster to each status: (event, reason).
PATHS = {
    Status.ON_ROSTER: [],
    Status.SCHEDULED: [(EventKind.SCHEDULED, "")],
    Status.RECORDED: [(EventKind.RECORDED, "")],
    Status.SIAK_PROBLEM: [(EventKind.RECORDED, ""), (EventKind.SIAK_PROBLEM, SiakResult.DUPLICATE)],
    Status.PRINT_READY: [(EventKind.RECORDED, ""), (EventKind.PRINT_READY, "")],
    Status.DUE_FOR_PRINT: [
        (EventKind.RECORDED, ""),
        (EventKind.PRINT_READY, ""),
        (EventKind.DUE_FOR_PRINT, ""),
    ],
    Status.WAITING_BLANKO: [
        (EventKind.RECORDED, ""),
        (EventKind.PRINT_READY, ""),
        (EventKind.DUE_FOR_PRINT, ""),
        (EventKind.WAITING_BLANKO, ""),
    ],
    Status.PRINTED: [
        (EventKind.RECORDED, ""),
        (EventKind.PRINT_READY, ""),
        (EventKind.DUE_FOR_PRINT, ""),
        (EventKind.PRINTED, ""),
    ],
    Status.HANDED_OVER: [
        (EventKind.RECORDED, ""),
        (EventKind.PRINT_READY, ""),
        (EventKind.DUE_FOR_PRINT, ""),
        (EventKind.PRINTED, ""),
        (EventKind.HANDED_OVER, ""),
    ],
    Status.CLOSED: [(EventKind.CLOSED, CloseReason.HAS_KTP)],
}
REASONS = {
    EventKind.CLOSED: CloseReason.MOVED,
    EventKind.SIAK_PROBLEM: SiakResult.ADJUDICATION,
    EventKind.RECORDING_FAILED: FailureReason.DEVICE,
    EventKind.REPRINT: ReprintReason.LOST,
}

ALLOWED = [
    (status, kind)
    for kind, rule in TRANSITIONS.items()
    for status in Status
    if status in rule.allowed_from
]
REFUSED = [
    (status, kind)
    for kind, rule in TRANSITIONS.items()
    for status in Status
    if status not in rule.allowed_from
]


@pytest.fixture(autouse=True)
def office_now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def student_at(status, *, by, born=BORN_17, **fields):
    student = StudentFactory(birth_date=born, name="Ani Rahmawati", **fields)
    for kind, reason in PATHS[status]:
        lifecycle.apply(student, kind, on=DAY, by=by, reason=reason)
    return student


def refusal(student, kind, *, on, by, reason=""):
    with pytest.raises(TransitionRefused) as raised:
        lifecycle.apply(student, kind, on=on, by=by, reason=reason)
    return str(raised.value)


# The table


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            Status.ON_ROSTER,
            [
                EventKind.SCHEDULED,
                EventKind.ABSENT,
                EventKind.RECORDING_FAILED,
                EventKind.REFUSED,
                EventKind.NOT_YET_16,
                EventKind.RECORDED,
                EventKind.CLOSED,
            ],
        ),
        (
            Status.SCHEDULED,
            [
                EventKind.ABSENT,
                EventKind.RECORDING_FAILED,
                EventKind.REFUSED,
                EventKind.NOT_YET_16,
                EventKind.RECORDED,
                EventKind.CLOSED,
            ],
        ),
        (Status.RECORDED, [EventKind.SIAK_PROBLEM, EventKind.PRINT_READY, EventKind.CLOSED]),
        (Status.SIAK_PROBLEM, [EventKind.RECORDED, EventKind.CLOSED]),
        (Status.PRINT_READY, [EventKind.DUE_FOR_PRINT, EventKind.CLOSED]),
        (Status.DUE_FOR_PRINT, [EventKind.WAITING_BLANKO, EventKind.PRINTED, EventKind.CLOSED]),
        (Status.WAITING_BLANKO, [EventKind.PRINTED, EventKind.CLOSED]),
        (Status.PRINTED, [EventKind.HANDED_OVER, EventKind.CLOSED]),
        (Status.HANDED_OVER, [EventKind.IKD_ACTIVATED]),
        (Status.CLOSED, [EventKind.REOPENED]),
    ],
)
def test_allowed_events_each_status_exact_list(status, expected):
    assert lifecycle.allowed_events(Student(status=status)) == expected


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ([], Status.ON_ROSTER),
        ([kind for kind, _reason in PATHS[Status.HANDED_OVER]], Status.HANDED_OVER),
        ([EventKind.SCHEDULED, EventKind.ABSENT], Status.ON_ROSTER),
        ([EventKind.RECORDED, EventKind.CLOSED, EventKind.REOPENED], Status.RECORDED),
        ([EventKind.SCHEDULED, EventKind.CLOSED, EventKind.REOPENED], Status.ON_ROSTER),
        (
            [
                EventKind.CLOSED,
                EventKind.REOPENED,
                EventKind.RECORDED,
                EventKind.PRINT_READY,
                EventKind.CLOSED,
                EventKind.REOPENED,
            ],
            Status.PRINT_READY,
        ),
        (
            [
                EventKind.RECORDED,
                EventKind.PRINT_READY,
                EventKind.DUE_FOR_PRINT,
                EventKind.PRINTED,
                EventKind.HANDED_OVER,
                EventKind.IKD_ACTIVATED,
            ],
            Status.HANDED_OVER,
        ),
    ],
)
def test_status_after_event_kinds_replayed(kinds, expected):
    assert lifecycle.status_after(kinds) == expected


# Every allowed step, every refused one


@pytest.mark.parametrize(("status", "kind"), ALLOWED)
def test_apply_allowed_step_moves_status(staf, status, kind):
    student = student_at(status, by=staf)
    rule = TRANSITIONS[kind]
    expected = rule.to or status  # a fact-only event leaves the status as it is

    event = lifecycle.apply(student, kind, on=TODAY, by=staf, reason=REASONS.get(kind, ""))

    student.refresh_from_db()
    assert (event.kind, event.date, event.recorded_by) == (kind, TODAY, staf)
    assert student.status == expected
    assert student.status_since == (TODAY if rule.to else (DAY if PATHS[status] else None))


@pytest.mark.parametrize(("status", "kind"), REFUSED)
def test_apply_refused_step_says_which_status(staf, status, kind):
    student = student_at(status, by=staf)
    events_before = student.events.count()
    history_before = student.history.count()

    message = refusal(student, kind, on=TODAY, by=staf, reason=REASONS.get(kind, ""))

    assert message == f"“{kind.label}” cannot follow the status “{status.label}”."
    student.refresh_from_db()
    assert (student.status, student.status_since) == (status, DAY if PATHS[status] else None)
    assert student.events.count() == events_before
    assert student.history.count() == history_before


# Ages


def test_apply_recorded_before_16th_birthday_refused(staf):
    student = StudentFactory(name="Ani Rahmawati", birth_date=D(2010, 8, 3))

    message = refusal(student, EventKind.RECORDED, on=D(2026, 8, 2), by=staf)

    assert message == (
        "Ani Rahmawati is not yet 16 on 2 August 2026: recording is possible from 3 August 2026."
    )
    assert Student.objects.get(pk=student.pk).status == Status.ON_ROSTER


@pytest.mark.parametrize("on", [D(2026, 8, 3), D(2026, 8, 4)])
def test_apply_recorded_on_or_after_16th_birthday_allowed(staf, on):
    student = StudentFactory(birth_date=D(2010, 8, 3))

    lifecycle.apply(student, EventKind.RECORDED, on=on, by=staf)

    assert Student.objects.get(pk=student.pk).status == Status.RECORDED


def test_apply_due_for_print_before_17th_birthday_refused(staf):
    student = student_at(Status.PRINT_READY, by=staf, born=D(2009, 8, 3))

    message = refusal(student, EventKind.DUE_FOR_PRINT, on=D(2026, 8, 2), by=staf)

    assert message == (
        "Ani Rahmawati is not yet 17 on 2 August 2026 and has never married: "
        "the card may be printed from 3 August 2026."
    )


@pytest.mark.parametrize("on", [D(2026, 8, 3), D(2026, 8, 4)])
def test_apply_due_for_print_on_or_after_17th_birthday_allowed(staf, on):
    student = student_at(Status.PRINT_READY, by=staf, born=D(2009, 8, 3))

    lifecycle.apply(student, EventKind.DUE_FOR_PRINT, on=on, by=staf)

    assert Student.objects.get(pk=student.pk).status == Status.DUE_FOR_PRINT


@pytest.mark.parametrize(
    "marital_status", [MaritalStatus.MARRIED, MaritalStatus.DIVORCED, MaritalStatus.WIDOWED]
)
def test_apply_print_at_16_ever_married_allowed(staf, marital_status):
    student = student_at(
        Status.PRINT_READY, by=staf, born=D(2010, 5, 17), marital_status=marital_status
    )

    lifecycle.apply(student, EventKind.DUE_FOR_PRINT, on=TODAY, by=staf)
    lifecycle.apply(student, EventKind.PRINTED, on=TODAY, by=staf)

    assert Student.objects.get(pk=student.pk).status == Status.PRINTED


def test_apply_printed_before_17_refused_once_marriage_corrected(staf):
    student = student_at(
        Status.PRINT_READY, by=staf, born=D(2010, 5, 17), marital_status=MaritalStatus.MARRIED
    )
    lifecycle.apply(student, EventKind.DUE_FOR_PRINT, on=TODAY, by=staf)
    Student.objects.filter(pk=student.pk).update(marital_status=MaritalStatus.SINGLE)

    message = refusal(student, EventKind.PRINTED, on=TODAY, by=staf)

    assert message == (
        "Ani Rahmawati is not yet 17 on 5 August 2026 and has never married: "
        "the card may be printed from 17 May 2027."
    )


def leap_day_student_print_ready(staf, time_machine):
    time_machine.move_to(datetime.datetime(2025, 3, 5, 10, 0, tzinfo=WITA), tick=False)
    student = StudentFactory(name="Ani Rahmawati", birth_date=D(2008, 2, 29))
    lifecycle.apply(student, EventKind.RECORDED, on=D(2024, 3, 1), by=staf)
    lifecycle.apply(student, EventKind.PRINT_READY, on=D(2024, 3, 5), by=staf)
    return student


@pytest.mark.parametrize(
    ("rule", "on", "printable_from"),
    [
        ("03-01", D(2025, 2, 28), "1 March 2025"),
        ("02-28", D(2025, 2, 27), "28 February 2025"),
    ],
)
def test_apply_due_for_print_born_29_february_day_before_refused(
    staf, settings, time_machine, rule, on, printable_from
):
    settings.LEAP_DAY_BIRTHDAY = rule
    student = leap_day_student_print_ready(staf, time_machine)

    message = refusal(student, EventKind.DUE_FOR_PRINT, on=on, by=staf)

    assert message == (
        f"Ani Rahmawati is not yet 17 on {on.day} February 2025 and has never "
        f"married: the card may be printed from {printable_from}."
    )


@pytest.mark.parametrize(("rule", "on"), [("03-01", D(2025, 3, 1)), ("02-28", D(2025, 2, 28))])
def test_apply_due_for_print_born_29_february_on_birthday_allowed(
    staf, settings, time_machine, rule, on
):
    settings.LEAP_DAY_BIRTHDAY = rule
    student = leap_day_student_print_ready(staf, time_machine)

    lifecycle.apply(student, EventKind.DUE_FOR_PRINT, on=on, by=staf)

    assert Student.objects.get(pk=student.pk).status == Status.DUE_FOR_PRINT


# Dates


def test_apply_future_date_refused(staf):
    student = StudentFactory(birth_date=BORN_17)

    message = refusal(student, EventKind.RECORDED, on=D(2026, 8, 6), by=staf)

    assert message == "The date 6 August 2026 is in the future."


def test_apply_today_allowed(staf):
    student = StudentFactory(birth_date=BORN_17)

    event = lifecycle.apply(student, EventKind.RECORDED, on=TODAY, by=staf)

    assert event.date == TODAY


def test_apply_just_past_wita_midnight_wita_day_allowed(staf, time_machine):
    # 00:30 WITA on 1 June is still 31 May in UTC: the office's day is 1 June, the day
    # a student born on 1 June 2010 turns 16.
    time_machine.move_to(datetime.datetime(2026, 5, 31, 16, 30, tzinfo=datetime.UTC), tick=False)
    student = StudentFactory(birth_date=D(2010, 6, 1))

    lifecycle.apply(student, EventKind.RECORDED, on=D(2026, 6, 1), by=staf)

    assert Student.objects.get(pk=student.pk).status == Status.RECORDED


def test_apply_just_before_wita_midnight_next_day_future(staf, time_machine):
    time_machine.move_to(
        datetime.datetime(2026, 5, 31, 15, 59, 59, tzinfo=datetime.UTC), tick=False
    )
    student = StudentFactory(birth_date=D(2010, 6, 1))

    message = refusal(student, EventKind.RECORDED, on=D(2026, 6, 1), by=staf)

    assert message == "The date 1 June 2026 is in the future."


def test_apply_before_current_status_began_refused(staf):
    student = StudentFactory(birth_date=BORN_17)
    lifecycle.apply(student, EventKind.RECORDED, on=D(2026, 8, 3), by=staf)

    message = refusal(student, EventKind.PRINT_READY, on=D(2026, 8, 2), by=staf)

    assert message == (
        "The date 2 August 2026 is before the current status “Recorded” began (3 August 2026)."
    )


def test_apply_same_day_as_current_status_allowed(staf):
    student = StudentFactory(birth_date=BORN_17)
    lifecycle.apply(student, EventKind.RECORDED, on=D(2026, 8, 3), by=staf)

    lifecycle.apply(student, EventKind.PRINT_READY, on=D(2026, 8, 3), by=staf)

    assert Student.objects.get(pk=student.pk).status == Status.PRINT_READY


# Reasons


@pytest.mark.parametrize("reason", ["", "because", SiakResult.DUPLICATE])
def test_apply_close_without_close_reason_refused(staf, reason):
    student = StudentFactory(birth_date=BORN_17)

    message = refusal(student, EventKind.CLOSED, on=TODAY, by=staf, reason=reason)

    assert message == "Choose a reason for “Closed”."
    assert student.events.count() == 0


@pytest.mark.parametrize("reason", CloseReason.values)
def test_apply_close_with_close_reason_kept(staf, reason):
    student = StudentFactory(birth_date=BORN_17)

    event = lifecycle.apply(
        student, EventKind.CLOSED, on=TODAY, by=staf, reason=reason, note="KTP-el dari Tabalong"
    )

    assert (event.reason, event.note) == (reason, "KTP-el dari Tabalong")
    assert Student.objects.get(pk=student.pk).status == Status.CLOSED


def test_apply_siak_problem_without_siak_result_refused(staf):
    student = student_at(Status.RECORDED, by=staf)

    message = refusal(student, EventKind.SIAK_PROBLEM, on=TODAY, by=staf, reason=CloseReason.MOVED)

    assert message == "Choose a reason for “SIAK result: needs attention”."


def test_apply_reason_on_step_without_reasons_refused(staf):
    student = StudentFactory(birth_date=BORN_17)

    message = refusal(student, EventKind.SCHEDULED, on=TODAY, by=staf, reason=CloseReason.MOVED)

    assert message == "“Scheduled for a visit” takes no reason: write it in the note instead."


# IKD


def test_apply_ikd_activation_keeps_handed_over(staf):
    student = student_at(Status.HANDED_OVER, by=staf)

    event = lifecycle.apply(student, EventKind.IKD_ACTIVATED, on=TODAY, by=staf)

    student.refresh_from_db()
    assert event.kind == EventKind.IKD_ACTIVATED
    assert (student.status, student.status_since) == (Status.HANDED_OVER, DAY)
    assert lifecycle.allowed_events(student) == []


def test_apply_ikd_activation_twice_refused(staf):
    student = student_at(Status.HANDED_OVER, by=staf)
    lifecycle.apply(student, EventKind.IKD_ACTIVATED, on=DAY, by=staf)

    message = refusal(student, EventKind.IKD_ACTIVATED, on=TODAY, by=staf)

    assert message == "The IKD of this student is already activated."
    assert student.events.filter(kind=EventKind.IKD_ACTIVATED).count() == 1


def test_allowed_events_handed_over_before_ikd_offers_it(staf):
    student = student_at(Status.HANDED_OVER, by=staf)

    assert lifecycle.allowed_events(student) == [EventKind.IKD_ACTIVATED]


# Reopening


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.ON_ROSTER, Status.ON_ROSTER),
        (Status.SCHEDULED, Status.ON_ROSTER),  # the planned visit is not kept for a closed student
        (Status.RECORDED, Status.RECORDED),
        (Status.SIAK_PROBLEM, Status.SIAK_PROBLEM),
        (Status.PRINT_READY, Status.PRINT_READY),
        (Status.WAITING_BLANKO, Status.WAITING_BLANKO),
        (Status.PRINTED, Status.PRINTED),
    ],
)
def test_apply_reopened_back_to_status_before_close(staf, status, expected):
    student = student_at(status, by=staf)
    lifecycle.apply(student, EventKind.CLOSED, on=D(2026, 8, 2), by=staf, reason=CloseReason.MOVED)

    lifecycle.apply(student, EventKind.REOPENED, on=TODAY, by=staf)

    student.refresh_from_db()
    assert (student.status, student.status_since) == (expected, TODAY)


def test_apply_status_in_step_with_events_replayed(staf):
    student = student_at(Status.RECORDED, by=staf)
    steps = [
        (EventKind.CLOSED, CloseReason.MOVED),
        (EventKind.REOPENED, ""),
        (EventKind.PRINT_READY, ""),
        (EventKind.CLOSED, CloseReason.LEFT_SCHOOL),
        (EventKind.REOPENED, ""),
        (EventKind.DUE_FOR_PRINT, ""),
    ]
    for kind, reason in steps:
        lifecycle.apply(student, kind, on=TODAY, by=staf, reason=reason)

    student.refresh_from_db()
    kinds = list(student.events.values_list("kind", flat=True))
    assert student.status == lifecycle.status_after(kinds) == Status.DUE_FOR_PRINT


# Who and when


def test_apply_status_and_status_since_updated(staf):
    student = StudentFactory(birth_date=BORN_17)

    lifecycle.apply(student, EventKind.SCHEDULED, on=DAY, by=staf)

    stored = Student.objects.get(pk=student.pk)
    assert (student.status, student.status_since) == (Status.SCHEDULED, DAY)
    assert (stored.status, stored.status_since) == (Status.SCHEDULED, DAY)


def test_apply_event_keeps_who_when_and_why(staf, office_now):
    student = StudentFactory(birth_date=BORN_17)

    event = lifecycle.apply(
        student,
        EventKind.CLOSED,
        on=DAY,
        by=staf,
        reason=CloseReason.RECORDED_ELSEWHERE,
        note="Direkam di Tabalong",
    )

    stored = StudentEvent.objects.get(pk=event.pk)
    assert (
        stored.student,
        stored.kind,
        stored.date,
        stored.reason,
        stored.note,
        stored.recorded_by,
        stored.recorded_at,
    ) == (
        student,
        EventKind.CLOSED,
        DAY,
        CloseReason.RECORDED_ELSEWHERE,
        "Direkam di Tabalong",
        staf,
        office_now,
    )


def test_apply_by_nobody_scheduled_job_event_without_user(staf):
    student = student_at(Status.PRINT_READY, by=staf)

    event = lifecycle.apply(student, EventKind.DUE_FOR_PRINT, on=TODAY, by=None)

    assert StudentEvent.objects.get(pk=event.pk).recorded_by is None
    assert student.history.first().history_user is None


def test_apply_history_record_for_status_change(staf, office_now):
    student = StudentFactory(birth_date=BORN_17)
    before = student.history.count()

    lifecycle.apply(student, EventKind.RECORDED, on=DAY, by=staf)

    latest = student.history.first()
    assert student.history.count() == before + 1
    assert (
        latest.status,
        latest.status_since,
        latest.history_type,
        latest.history_user,
        latest.history_change_reason,
        latest.history_date,
    ) == (Status.RECORDED, DAY, "~", staf, "event recorded", office_now)


def test_apply_fact_only_event_no_history_record(staf):
    student = student_at(Status.HANDED_OVER, by=staf)
    before = student.history.count()

    lifecycle.apply(student, EventKind.IKD_ACTIVATED, on=TODAY, by=staf)

    assert student.history.count() == before


# Twice


def test_apply_same_step_from_stale_copy_one_event_one_refusal(staf):
    student = StudentFactory(birth_date=BORN_17)
    first = Student.objects.get(pk=student.pk)
    stale = Student.objects.get(pk=student.pk)  # loaded before the first step: "on roster"

    lifecycle.apply(first, EventKind.SCHEDULED, on=TODAY, by=staf)
    message = refusal(stale, EventKind.SCHEDULED, on=TODAY, by=staf)

    assert message == "“Scheduled for a visit” cannot follow the status “Scheduled”."
    assert student.events.filter(kind=EventKind.SCHEDULED).count() == 1
    assert Student.objects.get(pk=student.pk).status == Status.SCHEDULED


def test_apply_same_step_twice_same_object_one_event(staf):
    student = StudentFactory(birth_date=BORN_17)

    lifecycle.apply(student, EventKind.RECORDED, on=TODAY, by=staf)
    message = refusal(student, EventKind.RECORDED, on=TODAY, by=staf)

    assert message == "“Recorded” cannot follow the status “Recorded”."
    assert student.events.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_apply_same_step_at_once_second_waits_then_refused(staf):
    """Two people press "scheduled" together: the second waits for the first, then is told."""
    student = StudentFactory(birth_date=BORN_17)
    first, second = Student.objects.get(pk=student.pk), Student.objects.get(pk=student.pk)
    applied, release, outcome = threading.Event(), threading.Event(), {}

    def rival():
        try:
            with transaction.atomic():  # keeps the row locked until released
                lifecycle.apply(first, EventKind.SCHEDULED, on=TODAY, by=staf)
                applied.set()
                release.wait(10)
        finally:
            connection.close()

    def ours():
        try:
            with translation.override("en"):
                lifecycle.apply(second, EventKind.SCHEDULED, on=TODAY, by=staf)
        except TransitionRefused as exc:
            outcome["refused"] = str(exc)
        finally:
            connection.close()

    other = threading.Thread(target=rival)
    other.start()
    assert applied.wait(10)
    mine = threading.Thread(target=ours)
    mine.start()
    mine.join(1)
    blocked = mine.is_alive()  # waiting on the rival's row lock, not reading a stale status
    release.set()
    other.join(10)
    mine.join(10)

    assert blocked is True
    assert outcome == {"refused": "“Scheduled for a visit” cannot follow the status “Scheduled”."}
    assert StudentEvent.objects.filter(student=student).count() == 1
    assert Student.objects.get(pk=student.pk).status == Status.SCHEDULED


# Every event's date follows the student's age (issue 14)


def test_apply_scheduled_years_before_16th_birthday_refused(staf):
    student = StudentFactory(name="Ani Rahmawati", birth_date=D(2008, 3, 12))

    message = refusal(student, EventKind.SCHEDULED, on=D(2005, 1, 1), by=staf)

    assert message == (
        "Ani Rahmawati is not yet 16 on 1 January 2005: “Scheduled for a visit” is possible "
        "from 12 March 2024."
    )
    student.refresh_from_db()
    assert (student.status, student.status_since, student.events.count()) == (
        Status.ON_ROSTER,
        None,
        0,
    )


def test_apply_scheduled_for_a_visit_day_ahead_on_16th_birthday_allowed(staf):
    student = StudentFactory(birth_date=D(2010, 10, 1))  # 16 on 1 October 2026

    lifecycle.apply(student, EventKind.SCHEDULED, on=D(2026, 10, 1), by=staf)

    student.refresh_from_db()
    assert (student.status, student.status_since) == (Status.SCHEDULED, D(2026, 10, 1))


def test_apply_scheduled_more_than_a_year_ahead_refused(staf):
    student = StudentFactory(birth_date=BORN_17)

    message = refusal(student, EventKind.SCHEDULED, on=D(2027, 8, 7), by=staf)

    assert message == "The visit day 7 August 2027 is more than a year ahead."


@pytest.mark.parametrize(
    ("kind", "reason", "message"),
    [
        (
            EventKind.CLOSED,
            CloseReason.HAS_KTP,
            "Ani Rahmawati is not yet 16 on 1 August 2026: “Closed” is possible from "
            "3 August 2026.",
        ),
        (
            EventKind.CLOSED,
            CloseReason.LEFT_SCHOOL,
            "The date 1 August 2009 is before Ani Rahmawati was born (3 August 2010).",
        ),
    ],
)
def test_apply_closed_before_the_student_could_be_refused(staf, kind, reason, message):
    student = StudentFactory(name="Ani Rahmawati", birth_date=D(2010, 8, 3))
    on = D(2026, 8, 1) if reason == CloseReason.HAS_KTP else D(2009, 8, 1)

    assert refusal(student, kind, on=on, by=staf, reason=reason) == message


def test_apply_closed_left_school_at_15_allowed(staf):
    student = StudentFactory(birth_date=D(2011, 1, 10))

    lifecycle.apply(student, EventKind.CLOSED, on=TODAY, by=staf, reason=CloseReason.LEFT_SCHOOL)

    assert Student.objects.get(pk=student.pk).status == Status.CLOSED


def test_apply_handed_over_before_17_refused_once_marriage_corrected(staf):
    student = student_at(
        Status.PRINT_READY, by=staf, born=D(2010, 5, 17), marital_status=MaritalStatus.MARRIED
    )
    lifecycle.apply(student, EventKind.DUE_FOR_PRINT, on=TODAY, by=staf)
    lifecycle.apply(student, EventKind.PRINTED, on=TODAY, by=staf)
    Student.objects.filter(pk=student.pk).update(marital_status=MaritalStatus.SINGLE)

    message = refusal(student, EventKind.HANDED_OVER, on=TODAY, by=staf)

    assert message == (
        "Ani Rahmawati is not yet 17 on 5 August 2026 and has never married: “Handed over” is "
        "possible from 17 May 2027."
    )


def test_next_steps_15_year_old_recording_not_yet(staf):
    student = StudentFactory(birth_date=D(2011, 1, 10))  # 16 on 10 January 2027

    assert lifecycle.next_steps(student) == [
        (EventKind.SCHEDULED, None),  # the visit may be planned for a day they are 16
        (EventKind.ABSENT, D(2027, 1, 10)),
        (EventKind.RECORDING_FAILED, D(2027, 1, 10)),
        (EventKind.REFUSED, None),
        (EventKind.NOT_YET_16, None),
        (EventKind.RECORDED, D(2027, 1, 10)),
        (EventKind.CLOSED, None),
    ]


def test_next_steps_print_ready_at_16_due_for_print_from_17th_birthday(staf):
    student = student_at(Status.PRINT_READY, by=staf, born=D(2010, 5, 17))

    assert lifecycle.next_steps(student) == [
        (EventKind.DUE_FOR_PRINT, D(2027, 5, 17)),
        (EventKind.CLOSED, None),
    ]


def test_next_steps_scheduled_ahead_visit_steps_from_the_visit_day(staf):
    student = StudentFactory(birth_date=BORN_17)
    lifecycle.apply(student, EventKind.SCHEDULED, on=D(2026, 9, 1), by=staf)

    assert lifecycle.next_steps(student) == [
        (EventKind.ABSENT, D(2026, 9, 1)),
        (EventKind.RECORDING_FAILED, D(2026, 9, 1)),
        (EventKind.REFUSED, D(2026, 9, 1)),
        (EventKind.NOT_YET_16, D(2026, 9, 1)),
        (EventKind.RECORDED, D(2026, 9, 1)),
        (EventKind.CLOSED, D(2026, 9, 1)),
    ]


def test_undo_takes_back_the_latest_step_and_keeps_it_in_the_history(staf):
    student = student_at(Status.SCHEDULED, by=staf)
    recorded = lifecycle.apply(student, EventKind.RECORDED, on=TODAY, by=staf)

    lifecycle.undo(student, recorded, on=TODAY, by=staf)

    student.refresh_from_db()
    assert (student.status, student.status_since) == (Status.SCHEDULED, DAY)
    assert list(student.events.values_list("kind", flat=True)) == [
        EventKind.SCHEDULED,
        EventKind.RECORDED,
        EventKind.UNDONE,
    ]


def test_undo_takes_back_the_nightly_flag_that_followed_the_step(staf):
    """Absent at a visit on 1 August, then flagged overdue by the night's job: undoing the
    absence takes the flag back too (it came from the status the absence made), and the
    milestone no longer counts, so the job flags it again, dated the day it first held."""
    from students import flagging

    student = student_at(Status.SCHEDULED, by=staf)  # scheduled for 1 August, 17 since May
    absent = lifecycle.apply(student, EventKind.ABSENT, on=DAY, by=staf)
    assert flagging.flag_due_cards(D(2026, 8, 2))["overdue_recording"] == [student.nik]

    undone = lifecycle.undo(student, absent, on=DAY, by=staf, note="salah tekan")

    student.refresh_from_db()
    assert (student.status, student.status_since) == (Status.SCHEDULED, DAY)
    events = list(student.events.order_by("date", "recorded_at", "pk"))
    assert [(e.kind, e.date, e.recorded_by) for e in events] == [
        (EventKind.SCHEDULED, DAY, staf),
        (EventKind.ABSENT, DAY, staf),
        (EventKind.OVERDUE, DAY, None),
        (EventKind.UNDONE, DAY, staf),
        (EventKind.UNDONE, DAY, staf),
    ]
    assert [e.kind for e in lifecycle.steps_in_force(events)] == [EventKind.SCHEDULED]
    assert lifecycle.status_after([e.kind for e in events]) == Status.SCHEDULED
    taken = dict(student.events.exclude(taken_back_by=None).values_list("kind", "taken_back_by"))
    assert taken == {EventKind.ABSENT: undone.pk, EventKind.OVERDUE: events[3].pk}
    assert [e.kind for e in undone.flags_taken_back] == [EventKind.OVERDUE]

    again = flagging.flag_due_cards(TODAY)

    assert again["overdue_recording"] == [student.nik]
    flags = student.events.filter(kind=EventKind.OVERDUE).order_by("pk")
    assert [(e.date, e.taken_back_by_id is None) for e in flags] == [(DAY, False), (DAY, True)]


def test_undo_of_a_flag_dated_after_the_step_replays_in_date_order(staf):
    """The flag came on a later day than the step: each "undone" is dated no earlier than
    what it takes back, so a replay in date order takes back the right ones."""
    student = StudentFactory(birth_date=D(2009, 8, 3), name="Ani Rahmawati")
    lifecycle.apply(student, EventKind.SCHEDULED, on=DAY, by=staf)
    absent = lifecycle.apply(student, EventKind.ABSENT, on=DAY, by=staf)  # 16 that day
    lifecycle.apply_many([student.pk], EventKind.OVERDUE, on=TODAY, by=None, backdate=True)

    lifecycle.undo(student, absent, on=DAY, by=staf)

    events = list(student.events.order_by("date", "recorded_at", "pk"))
    assert [(e.kind, e.date) for e in events] == [
        (EventKind.SCHEDULED, DAY),
        (EventKind.ABSENT, DAY),
        (EventKind.UNDONE, DAY),
        (EventKind.OVERDUE, D(2026, 8, 3)),
        (EventKind.UNDONE, D(2026, 8, 3)),
    ]
    assert [e.kind for e in lifecycle.steps_in_force(events)] == [EventKind.SCHEDULED]
    student.refresh_from_db()
    assert (student.status, student.status_since) == (Status.SCHEDULED, DAY)


def test_undo_after_an_older_flag_keeps_it_and_the_status_date(staf):
    """A flag from before the step is not the step's: it stays, and the status date is the
    day the status began, not the flag's."""
    student = student_at(Status.ON_ROSTER, by=staf)
    lifecycle.apply_many([student.pk], EventKind.OVERDUE, on=DAY, by=None, backdate=True)
    recorded = lifecycle.apply(student, EventKind.RECORDED, on=TODAY, by=staf)

    lifecycle.undo(student, recorded, on=TODAY, by=staf)

    student.refresh_from_db()
    assert (student.status, student.status_since) == (Status.ON_ROSTER, None)
    assert list(
        student.events.filter(taken_back_by=None).values_list("kind", "date").order_by("pk")
    ) == [(EventKind.OVERDUE, D(2026, 5, 17)), (EventKind.UNDONE, TODAY)]


def test_undo_refused_after_a_step_a_person_recorded_changes_nothing(staf):
    student = student_at(Status.SCHEDULED, by=staf)
    absent = lifecycle.apply(student, EventKind.ABSENT, on=DAY, by=staf)
    lifecycle.apply(student, EventKind.SCHEDULED, on=TODAY, by=staf)

    with pytest.raises(TransitionRefused) as raised:
        lifecycle.undo(student, absent, on=TODAY, by=staf)

    assert str(raised.value) == (
        "“Absent on the visit day” of Ani Rahmawati cannot be undone any more: “Scheduled "
        "for a visit” was recorded after it, on 5 August 2026, and builds on it. Record what "
        "really happened as a new step on the student's page instead."
    )
    student.refresh_from_db()
    assert (student.status, student.status_since) == (Status.SCHEDULED, TODAY)
    assert student.events.count() == 3
    assert not student.events.exclude(taken_back_by=None).exists()


def test_undo_of_a_step_already_taken_back_refused(staf):
    student = student_at(Status.ON_ROSTER, by=staf)
    recorded = lifecycle.apply(student, EventKind.RECORDED, on=TODAY, by=staf)
    lifecycle.undo(student, recorded, on=TODAY, by=staf)

    with pytest.raises(TransitionRefused) as raised:
        lifecycle.undo(student, recorded, on=TODAY, by=staf)

    assert str(raised.value) == "Only the latest step of Ani Rahmawati can be undone."
    assert student.events.count() == 2


def test_undo_refuses_a_step_that_is_not_the_latest(staf):
    student = student_at(Status.ON_ROSTER, by=staf)
    recorded = lifecycle.apply(student, EventKind.RECORDED, on=DAY, by=staf)
    lifecycle.apply(student, EventKind.PRINT_READY, on=TODAY, by=staf)

    with pytest.raises(TransitionRefused) as raised:
        lifecycle.undo(student, recorded, on=TODAY, by=staf)

    assert str(raised.value) == (
        "“Recorded” of Ani Rahmawati cannot be undone any more: “Print ready” was recorded "
        "after it, on 5 August 2026, and builds on it. Record what really happened as a new "
        "step on the student's page instead."
    )
    student.refresh_from_db()
    assert student.status == Status.PRINT_READY
    assert student.events.count() == 2
