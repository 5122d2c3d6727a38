"""The student lifecycle: the one module that moves a student from status to status.

Every step is a StudentEvent with a date and the user who recorded it; `Student.status`
is kept in step here and written nowhere else. A refused step raises TransitionRefused
with a message that tells the user why.
"""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import dates, lifecycle_sql
from .history import CHANGED, db_datetime, ids_sql_of, record_history
from .models import (
    ONCE_KINDS,
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


class TransitionRefused(Exception):
    pass


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset
    to: str | None  # None: the status stays (an event that records a fact only)
    reasons: type | None = None  # the choices a reason must come from, if one is required
    # Back to the status the student had before being closed (`to` when there is none).
    restores: bool = False
    # Offered on the student page; False for steps taken by a job or on the card pages.
    on_student_page: bool = True


_ACTIVE = frozenset(s for s in Status.values if s not in (Status.CLOSED, Status.HANDED_OVER))
# A visit's outcome for a student who was still waiting (on the roster, or scheduled).
_WAITING = frozenset({Status.ON_ROSTER, Status.SCHEDULED})

TRANSITIONS = {
    EventKind.SCHEDULED: Transition(frozenset({Status.ON_ROSTER}), Status.SCHEDULED),
    EventKind.ABSENT: Transition(_WAITING, Status.ON_ROSTER),
    EventKind.RECORDING_FAILED: Transition(_WAITING, Status.ON_ROSTER, FailureReason),
    EventKind.REFUSED: Transition(_WAITING, Status.ON_ROSTER),
    EventKind.NOT_YET_16: Transition(_WAITING, Status.ON_ROSTER),
    EventKind.RECORDED: Transition(
        frozenset({Status.ON_ROSTER, Status.SCHEDULED, Status.SIAK_PROBLEM}), Status.RECORDED
    ),
    EventKind.SIAK_PROBLEM: Transition(
        frozenset({Status.RECORDED}), Status.SIAK_PROBLEM, SiakResult
    ),
    EventKind.PRINT_READY: Transition(frozenset({Status.RECORDED}), Status.PRINT_READY),
    EventKind.DUE_FOR_PRINT: Transition(frozenset({Status.PRINT_READY}), Status.DUE_FOR_PRINT),
    EventKind.WAITING_BLANKO: Transition(frozenset({Status.DUE_FOR_PRINT}), Status.WAITING_BLANKO),
    EventKind.PRINTED: Transition(
        frozenset({Status.DUE_FOR_PRINT, Status.WAITING_BLANKO}), Status.PRINTED
    ),
    EventKind.HANDED_OVER: Transition(frozenset({Status.PRINTED}), Status.HANDED_OVER),
    EventKind.IKD_ACTIVATED: Transition(frozenset({Status.HANDED_OVER}), None),
    # A printed card lost, damaged or with corrected data goes back to the print queue.
    EventKind.REPRINT: Transition(
        frozenset({Status.PRINTED, Status.HANDED_OVER}),
        Status.DUE_FOR_PRINT,
        ReprintReason,
        on_student_page=False,
    ),
    # 17 or older and still not recorded: a fact the nightly job notes, the status stays.
    EventKind.OVERDUE: Transition(
        frozenset({Status.ON_ROSTER, Status.SCHEDULED}), None, on_student_page=False
    ),
    EventKind.CLOSED: Transition(_ACTIVE, Status.CLOSED, CloseReason),
    EventKind.REOPENED: Transition(frozenset({Status.CLOSED}), Status.ON_ROSTER, restores=True),
}

# Every event's date respects the student's age. A visit and what comes of it need the
# recording age (16 on that day); the card's steps need the card age (17, or married or
# ever married). Closing because the student already has a card or was recorded elsewhere
# needs the recording age too; closing for another reason (moved, left school, deceased)
# and reopening may come at any age, but never before the student was born.
_VISIT_STEPS = {
    EventKind.SCHEDULED,
    EventKind.ABSENT,
    EventKind.RECORDING_FAILED,
    EventKind.RECORDED,
    EventKind.SIAK_PROBLEM,
    EventKind.PRINT_READY,
}
_CARD_STEPS = {
    EventKind.DUE_FOR_PRINT,
    EventKind.WAITING_BLANKO,
    EventKind.PRINTED,
    EventKind.HANDED_OVER,
    EventKind.IKD_ACTIVATED,
    EventKind.REPRINT,
}
_RECORDED_REASONS = {CloseReason.HAS_KTP, CloseReason.RECORDED_ELSEWHERE}
# Events are facts and carry the day they happened, never a later one; "scheduled" alone
# carries the planned visit day, which may lie ahead, up to a year (a campaign's season).
SCHEDULE_AHEAD = datetime.timedelta(days=366)
# A reopened student does not go back to a visit that was planned before the close.
_NOT_RESTORED = {Status.SCHEDULED: Status.ON_ROSTER}


def allowed_events(student):
    """The event kinds that may follow the student's current status.

    The IKD activation is left out once it has been recorded (one query, only for a
    student whose card was handed over).
    """
    kinds = [
        kind
        for kind, rule in TRANSITIONS.items()
        if student.status in rule.allowed_from and rule.on_student_page
    ]
    if (
        EventKind.IKD_ACTIVATED in kinds
        and student.pk is not None
        and student.events.filter(kind=EventKind.IKD_ACTIVATED, taken_back_by__isnull=True).exists()
    ):
        kinds.remove(EventKind.IKD_ACTIVATED)
    return kinds


def earliest_date(student, kind, reason=""):
    """The first day an event `kind` may be dated for `student`, by the student's age."""
    kind = EventKind(kind)
    if kind == EventKind.OVERDUE:
        return dates.turns(student.birth_date, dates.CARD_AGE)
    if kind in _CARD_STEPS and not student.ever_married:
        return dates.turns(student.birth_date, dates.CARD_AGE)
    if kind in _CARD_STEPS or kind in _VISIT_STEPS or reason in _RECORDED_REASONS:
        return dates.turns(student.birth_date, dates.RECORDING_AGE)
    return dates.as_date(student.birth_date)


def latest_date(kind, *, today=None):
    """The last day an event `kind` may be dated: today, or a year ahead for a visit."""
    today = today or dates.today()
    return today + SCHEDULE_AHEAD if EventKind(kind) == EventKind.SCHEDULED else today


def next_steps(student, *, today=None):
    """[(kind, possible_from)] for every event kind that may follow the current status.

    `possible_from` is None when the step can be dated today (or, for a visit, ahead);
    otherwise it is the first day the step becomes possible (the student's age, or the day
    the current status began), for the page to show the step as not possible yet.
    """
    steps = []
    for kind in allowed_events(student):
        first = earliest_date(student, kind)
        if student.status_since is not None:
            first = max(first, student.status_since)
        steps.append((kind, first if first > latest_date(kind, today=today) else None))
    return steps


def status_after(kinds):
    """The status a student reaches through the event kinds `kinds`, in order, from the roster.

    The events are taken as they were accepted; this replays the targets, it does not check.
    An "undone" event takes back the latest step still in force before it.
    """
    states = [(Status.ON_ROSTER, Status.ON_ROSTER)]  # (status, status before a close)
    for kind in kinds:
        if kind == EventKind.UNDONE:
            if len(states) > 1:
                states.pop()
            continue
        status, before_close = states[-1]
        rule = TRANSITIONS[EventKind(kind)]
        if kind == EventKind.CLOSED:
            before_close = status
        if rule.restores:
            status = _NOT_RESTORED.get(before_close, before_close)
        elif rule.to is not None:
            status = rule.to
        states.append((status, before_close))
    return Status(states[-1][0])


def steps_in_force(events):
    """The events of `events` (in order) that no later "undone" event took back."""
    kept = []
    for event in events:
        if event.kind == EventKind.UNDONE:
            if kept:
                kept.pop()
        else:
            kept.append(event)
    return kept


def check(student, kind, *, on, reason=""):
    """Raise TransitionRefused if `kind` may not happen to `student` on date `on`."""
    kind = EventKind(kind)
    if kind not in TRANSITIONS:
        raise TransitionRefused(_("“%(event)s” is not a step of its own.") % {"event": kind.label})
    rule = TRANSITIONS[kind]
    on = dates.as_date(on)
    if on > latest_date(kind):
        if kind == EventKind.SCHEDULED:
            raise TransitionRefused(
                _("The visit day %(date)s is more than a year ahead.") % {"date": date_format(on)}
            )
        raise TransitionRefused(
            _("The date %(date)s is in the future.") % {"date": date_format(on)}
        )
    if student.status not in rule.allowed_from:
        raise TransitionRefused(
            _("“%(event)s” cannot follow the status “%(status)s”.")
            % {"event": kind.label, "status": Status(student.status).label}
        )
    if rule.reasons is not None and reason not in rule.reasons.values:
        raise TransitionRefused(_("Choose a reason for “%(event)s”.") % {"event": kind.label})
    if rule.reasons is None and reason:
        raise TransitionRefused(
            _("“%(event)s” takes no reason: write it in the note instead.") % {"event": kind.label}
        )
    # Events are ordered by date: one dated before the current status began would make the
    # history say something else than the status.
    if student.status_since is not None and on < student.status_since:
        raise TransitionRefused(
            _("The date %(date)s is before the current status “%(status)s” began (%(since)s).")
            % {
                "date": date_format(on),
                "status": Status(student.status).label,
                "since": date_format(student.status_since),
            }
        )
    if kind in ONCE_KINDS and student.events.filter(kind=kind, taken_back_by__isnull=True).exists():
        if kind == EventKind.IKD_ACTIVATED:
            raise TransitionRefused(_("The IKD of this student is already activated."))
        raise TransitionRefused(
            _("“%(event)s” is already recorded for this student.") % {"event": kind.label}
        )
    earliest = earliest_date(student, kind, reason)
    if on < earliest:
        raise TransitionRefused(_too_early(student, kind, on=on, earliest=earliest))


def _too_early(student, kind, *, on, earliest):
    values = {
        "name": student.name,
        "event": kind.label,
        "date": date_format(on),
        "from": date_format(earliest),
    }
    if earliest == student.birth_date:
        return _("The date %(date)s is before %(name)s was born (%(from)s).") % values
    if kind in _CARD_STEPS and not student.ever_married:
        if kind in (EventKind.DUE_FOR_PRINT, EventKind.PRINTED):
            message = _(
                "%(name)s is not yet 17 on %(date)s and has never married: the card may be "
                "printed from %(from)s."
            )
        else:
            message = _(
                "%(name)s is not yet 17 on %(date)s and has never married: “%(event)s” is "
                "possible from %(from)s."
            )
        return message % values
    if kind == EventKind.RECORDED:
        return (
            _("%(name)s is not yet 16 on %(date)s: recording is possible from %(from)s.") % values
        )
    return _("%(name)s is not yet 16 on %(date)s: “%(event)s” is possible from %(from)s.") % values


@transaction.atomic
def apply(student, kind, *, on, by, reason="", note="", visit_id=None):
    """Record event `kind` for `student` on date `on`, by user `by`, and move the status.

    `by` is the user who recorded the step (None for a scheduled job); it is kept on the
    event and on the history record of the status change. `visit_id` names the
    campaigns.Visit the step came from, if any. The student row is locked for
    the duration and the checks run on the locked row, so two people pressing the same
    button at once, or a second press from a stale page, give one event and one refusal.
    """
    kind = EventKind(kind)
    on = dates.as_date(on)
    locked = Student.objects.select_for_update().get(pk=student.pk)
    check(locked, kind, on=on, reason=reason)
    rule = TRANSITIONS[kind]
    target = rule.to
    if rule.restores:
        kinds = locked.events.order_by("date", "recorded_at", "pk").values_list("kind", flat=True)
        target = status_after([*kinds, kind])
    event = StudentEvent.objects.create(
        student=locked,
        kind=kind,
        date=on,
        reason=reason,
        note=note,
        recorded_by=by,
        visit_id=visit_id,
    )
    if target is not None:
        locked.status = target
        locked.status_since = on
        locked._change_reason = f"event {kind.value}"  # a stable code, not a translation
        locked._history_user = by
        locked.save(update_fields=["status", "status_since", "updated_at"])
    student.status, student.status_since = locked.status, locked.status_since
    return event


# Flags the nightly job records (by=None) about a student; they follow from the status and
# the age, so an undo may take them back with the step they followed (see undo()).
JOB_FLAGS = frozenset({EventKind.OVERDUE, EventKind.DUE_FOR_PRINT})


def _is_job_flag(event):
    return event.kind in JOB_FLAGS and event.recorded_by_id is None


@transaction.atomic
def undo(student, event, *, on, by, note="", visit_id=None):
    """Take back `event`, the latest step of `student` still in force, on date `on`.

    The step stays in the history, followed by an "undone" event; the status goes back to
    what it was before the step. Anything a person recorded after the step was built on
    it, so the step can then no longer be undone (TransitionRefused says what came after
    and what to do instead). The nightly job's flags after the step (overdue, due for
    print) are a different matter: they were drawn from the status the step made, so they
    are taken back with it, each with its own "undone" event, and no longer count as
    reached; the caller flags again what still holds once it has recorded the step that
    replaces this one (flagging.flag_due_cards for the student). The returned "undone"
    event carries them in `flags_taken_back`.
    """
    on = dates.as_date(on)
    locked = Student.objects.select_for_update().get(pk=student.pk)
    events = list(locked.events.order_by("date", "recorded_at", "pk"))
    in_force = steps_in_force(events)
    position = next((n for n, e in enumerate(in_force) if e.pk == event.pk), None)
    if position is None:
        raise TransitionRefused(
            _("Only the latest step of %(name)s can be undone.") % {"name": locked.name}
        )
    later = in_force[position + 1 :]
    built_on = next((e for e in later if not _is_job_flag(e)), None)
    if built_on is not None:
        raise TransitionRefused(_built_on_message(locked, in_force[position], built_on))
    if on < event.date:
        raise TransitionRefused(
            _("The date %(date)s is before the step it undoes (%(since)s).")
            % {"date": date_format(on), "since": date_format(event.date)}
        )
    # Newest first, each "undone" dated no earlier than what it takes back: replayed in
    # date order (status_after, steps_in_force), each one takes back its own step.
    taken = [*reversed(later), in_force[position]]
    undone = None
    for step in taken:
        undone = StudentEvent.objects.create(
            student=locked,
            kind=EventKind.UNDONE,
            date=max(on, step.date),
            note=note,
            recorded_by=by,
            visit_id=visit_id,
        )
        StudentEvent.objects.filter(pk=step.pk).update(taken_back_by=undone)
    # The status began with the latest step still in force that moved it (a fact such as
    # "overdue" leaves the status, and its date, as they were).
    moves = [e for e in in_force[:position] if _moves_status(e.kind)]
    kinds = locked.events.order_by("date", "recorded_at", "pk").values_list("kind", flat=True)
    locked.status = status_after(list(kinds))
    locked.status_since = moves[-1].date if moves else None
    locked._change_reason = "event undone"
    locked._history_user = by
    locked.save(update_fields=["status", "status_since", "updated_at"])
    student.status, student.status_since = locked.status, locked.status_since
    undone.flags_taken_back = later
    return undone


def _moves_status(kind):
    rule = TRANSITIONS[EventKind(kind)]
    return rule.to is not None or rule.restores


def _built_on_message(student, step, later):
    values = {
        "name": student.name,
        "event": EventKind(step.kind).label,
        "later": EventKind(later.kind).label,
        "date": date_format(later.date),
    }
    return (
        _(
            "“%(event)s” of %(name)s cannot be undone any more: “%(later)s” was recorded "
            "after it, on %(date)s, and builds on it. Record what really happened as a new "
            "step on the student's page instead."
        )
        % values
    )


def eligible(kind, *, on, reason=""):
    """A Q over students for whom `kind` may happen on `on`: status, age and date order.

    The set-based twin of check(): the same rules, as conditions SQL can evaluate for any
    number of students (the IKD's "once only" is left to the database constraint).
    """
    kind = EventKind(kind)
    condition = Q(status__in=TRANSITIONS[kind].allowed_from) & (
        Q(status_since__isnull=True) | Q(status_since__lte=on)
    )
    if kind == EventKind.OVERDUE:
        return condition & Q(birth_date__lte=dates.latest_birth_date(dates.CARD_AGE, on))
    if kind in _CARD_STEPS:
        return condition & (
            ~Q(marital_status=MaritalStatus.SINGLE)
            | Q(birth_date__lte=dates.latest_birth_date(dates.CARD_AGE, on))
        )
    if kind in _VISIT_STEPS or reason in _RECORDED_REASONS:
        return condition & Q(birth_date__lte=dates.latest_birth_date(dates.RECORDING_AGE, on))
    return condition & Q(birth_date__lte=on)


def first_day_in_sql(kind, *, on):
    """For each student, the first day `kind` became possible: the set-based twin of
    next_steps()' first day, for a job that finds a milestone late (a missed night).

    For the milestones (ONCE_KINDS): the later of the day the current status began and the
    day the student turned 17 (earliest_date's rule, through dates.turns_in_sql), and
    never after `on`. For a card step of a married or ever-married student the office knows no
    marriage date, only the day it recorded the marital status: the first saved version
    of the student that shows them married (in WITA), or `on` if none does.
    """
    kind = EventKind(kind)
    if kind.value not in ONCE_KINDS:
        raise ValueError(f"{kind} is not a milestone: its day is the day it is recorded")
    age_day = dates.turns_in_sql("birth_date", dates.CARD_AGE)
    if kind in _CARD_STEPS:
        versions = Student.history.model.objects.filter(id=OuterRef("pk")).exclude(
            marital_status=MaritalStatus.SINGLE
        )
        married_on = versions.order_by("history_date").values(
            day=TruncDate("history_date", tzinfo=timezone.get_default_timezone())
        )[:1]
        age_day = Case(
            When(
                ~Q(marital_status=MaritalStatus.SINGLE),
                then=Least(age_day, Coalesce(Subquery(married_on), Value(on))),
            ),
            default=age_day,
        )
    return Least(
        Greatest(Coalesce(F("status_since"), age_day), age_day),
        Value(on),
        output_field=Student._meta.get_field("status_since"),
    )


def apply_many(students, kind, *, on, by, reason="", note="", visit_id=None, backdate=False):
    """Record event `kind` on date `on` for every student of `students` it may happen to.

    `students` is a queryset (or an iterable of ids). Students the step may not follow
    (another status, too young, a later status date) are left out, not refused: a job over
    many students takes those it can. Returns the sorted ids of the students the event was
    recorded for. See apply_many_with_niks.
    """
    return sorted(
        apply_many_with_niks(
            students,
            kind,
            on=on,
            by=by,
            reason=reason,
            note=note,
            visit_id=visit_id,
            backdate=backdate,
        )
    )


@transaction.atomic
def apply_many_with_niks(
    students, kind, *, on, by, reason="", note="", visit_id=None, backdate=False
):
    """apply_many, returning {id: NIK} of the students the event was recorded for.

    On PostgreSQL one statement whatever the number of students (lifecycle_sql): a step
    that moves the status updates the eligible students and, from the updated rows, writes
    their events and their simple-history rows (history user `by`, reason "event <kind>",
    the record lifecycle.apply leaves); a fact that leaves the status inserts the events of
    the eligible students. Where a unique constraint allows a kind once per student (see
    StudentEvent.Meta), those who have it are left out, so a second run records nothing.
    Two runs at once: the second waits for the first's row locks and re-checks the
    conditions on the rows the first one wrote. Elsewhere (SQLite) the same in four
    statements (_apply_many_portable).

    Kinds that restore an earlier status (reopening) need each student's past and go
    through apply() one at a time.

    With `backdate`, for a milestone a job finds (the nightly flags), each student's event
    and status date is the day the milestone was reached (first_day_in_sql), not `on`: a
    night the job did not run leaves no trace in the dates. Still the same four queries.
    """
    kind = EventKind(kind)
    rule = TRANSITIONS[kind]
    if rule.restores:
        raise ValueError(f"{kind} restores a past status: use lifecycle.apply per student")
    on = dates.as_date(on)
    if on > latest_date(kind):
        raise TransitionRefused(
            _("The date %(date)s is in the future.") % {"date": date_format(on)}
        )
    if rule.reasons is not None and reason not in rule.reasons.values:
        raise TransitionRefused(_("Choose a reason for “%(event)s”.") % {"event": kind.label})
    if rule.reasons is None and reason:
        raise TransitionRefused(
            _("“%(event)s” takes no reason: write it in the note instead.") % {"event": kind.label}
        )
    if hasattr(students, "query") and students.query.is_sliced:
        students = list(students.values_list("pk", flat=True))  # a slice cannot be filtered
    if not hasattr(students, "query"):
        students = list(students)
        if not students:
            return {}
    step = {
        "on": on,
        "now": timezone.now(),
        "reason": reason,
        "note": note,
        "user_id": by.pk if by is not None else None,
        "visit_id": visit_id,
    }
    if connection.vendor != "postgresql":
        return _apply_many_portable(students, kind, rule, backdate=backdate, **step)
    step["day"] = _sql_of(first_day_in_sql(kind, on=on)) if backdate else ("%s", [on])
    chosen = lifecycle_sql.condition_sql(students)
    allowed = lifecycle_sql.condition_sql(
        Student.objects.filter(eligible(kind, on=on, reason=reason))
    )
    if chosen is None or allowed is None:
        return {}
    where = (f"({chosen[0]}) AND ({allowed[0]})", [*chosen[1], *allowed[1]])
    if rule.to is None:
        return lifecycle_sql.record_fact(where, kind.value, **step)
    return lifecycle_sql.move_status(where, kind.value, to=rule.to, **step)


def _apply_many_portable(
    students, kind, rule, *, on, now, reason, note, user_id, visit_id, backdate
):
    """apply_many in four statements any database runs: lock the eligible students
    (SELECT ... FOR UPDATE), INSERT the events (ON CONFLICT DO NOTHING: a kind allowed once
    per student is not recorded again), UPDATE the status of those with a new event, INSERT
    their history rows; then read their NIKs."""
    chosen = students if hasattr(students, "query") else Student.objects.filter(pk__in=students)
    locked = list(
        chosen.filter(eligible(kind, on=on, reason=reason))
        .order_by("pk")
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )
    if not locked:
        return {}
    # As the ORM writes it: SQLite keeps datetimes as text, and a raw parameter would carry
    # "+00:00" that the ORM's rows do not, putting these events after others of the moment.
    now = db_datetime(now)
    event_table = StudentEvent._meta.db_table
    student_table = Student._meta.db_table
    id_test, ids_params = ids_sql_of(locked)
    day_sql, day_params = _sql_of(first_day_in_sql(kind, on=on)) if backdate else ("%s", [on])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {event_table} "  # noqa: S608 (names from the models; values bound)
            "(student_id, kind, date, reason, note, recorded_by_id, recorded_at, visit_id) "
            f"SELECT id, %s, {day_sql}, %s, %s, %s, %s, %s FROM {student_table} "
            f"WHERE id {id_test} ON CONFLICT DO NOTHING RETURNING student_id",
            [kind.value, *day_params, reason, note, user_id, now, visit_id, *ids_params],
        )
        changed = sorted(row[0] for row in cursor.fetchall())
    if rule.to is not None and changed:
        _move_status(
            changed, rule.to, day=(day_sql, day_params), now=now, user_id=user_id, kind=kind
        )
    return dict(Student.objects.filter(pk__in=changed).values_list("pk", "nik"))


def _sql_of(expression):
    """(SQL, params) of an expression over one student row of the students table."""
    query = Student.objects.all().query
    compiler = query.get_compiler(connection=connection)
    return compiler.compile(expression.resolve_expression(query))


def _move_status(ids, status, *, day, now, user_id, kind):
    """UPDATE the students' status and write their history rows: two statements.

    `day` is (SQL, params) of the status date: one value, or an expression over the row
    (evaluated on the row as it was before the update, as SQL does).
    """
    id_test, ids_params = ids_sql_of(ids)
    day_sql, day_params = day
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Student._meta.db_table} SET status = %s, status_since = {day_sql}, "  # noqa: S608
            f"updated_at = %s WHERE id {id_test}",
            [status, *day_params, now, *ids_params],
        )
    record_history(ids, kind=CHANGED, when=now, reason=f"event {kind.value}", user_id=user_id)
