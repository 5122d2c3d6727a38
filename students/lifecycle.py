"""The student lifecycle: the one module that moves a student from status to status.

Every step is a StudentEvent with a date and the user who recorded it; `Student.status`
is kept in step here and written nowhere else. A refused step raises TransitionRefused
with a message that tells the user why.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import dates
from .models import CloseReason, EventKind, SiakResult, Status, Student, StudentEvent


class TransitionRefused(Exception):
    pass


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset
    to: str | None  # None: the status stays (an event that records a fact only)
    reasons: type | None = None  # the choices a reason must come from, if one is required
    # Back to the status the student had before being closed (`to` when there is none).
    restores: bool = False


_ACTIVE = frozenset(s for s in Status.values if s not in (Status.CLOSED, Status.HANDED_OVER))

TRANSITIONS = {
    EventKind.SCHEDULED: Transition(frozenset({Status.ON_ROSTER}), Status.SCHEDULED),
    EventKind.ABSENT: Transition(frozenset({Status.SCHEDULED}), Status.ON_ROSTER),
    EventKind.RECORDING_FAILED: Transition(frozenset({Status.SCHEDULED}), Status.ON_ROSTER),
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
    EventKind.CLOSED: Transition(_ACTIVE, Status.CLOSED, CloseReason),
    EventKind.REOPENED: Transition(frozenset({Status.CLOSED}), Status.ON_ROSTER, restores=True),
}

# Events whose date must respect an age rule.
_NEEDS_RECORDING_AGE = {EventKind.RECORDED}
_NEEDS_CARD_AGE = {EventKind.DUE_FOR_PRINT, EventKind.PRINTED}
# A reopened student does not go back to a visit that was planned before the close.
_NOT_RESTORED = {Status.SCHEDULED: Status.ON_ROSTER}


def allowed_events(student):
    """The event kinds that may follow the student's current status.

    The IKD activation is left out once it has been recorded (one query, only for a
    student whose card was handed over).
    """
    kinds = [kind for kind, rule in TRANSITIONS.items() if student.status in rule.allowed_from]
    if (
        EventKind.IKD_ACTIVATED in kinds
        and student.pk is not None
        and (student.events.filter(kind=EventKind.IKD_ACTIVATED).exists())
    ):
        kinds.remove(EventKind.IKD_ACTIVATED)
    return kinds


def status_after(kinds):
    """The status a student reaches through the event kinds `kinds`, in order, from the roster.

    The events are taken as they were accepted; this replays the targets, it does not check.
    """
    status = before_close = Status.ON_ROSTER
    for kind in kinds:
        rule = TRANSITIONS[EventKind(kind)]
        if kind == EventKind.CLOSED:
            before_close = status
        if rule.restores:
            status = _NOT_RESTORED.get(before_close, before_close)
        elif rule.to is not None:
            status = rule.to
    return Status(status)


def check(student, kind, *, on, reason=""):
    """Raise TransitionRefused if `kind` may not happen to `student` on date `on`."""
    kind = EventKind(kind)
    rule = TRANSITIONS[kind]
    on = dates.as_date(on)
    if on > dates.today():
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
    if kind == EventKind.IKD_ACTIVATED and student.events.filter(kind=kind).exists():
        raise TransitionRefused(_("The IKD of this student is already activated."))
    if kind in _NEEDS_RECORDING_AGE and not dates.may_be_recorded(student.birth_date, on):
        raise TransitionRefused(
            _("%(name)s is not yet 16 on %(date)s: recording is possible from %(from)s.")
            % {
                "name": student.name,
                "date": date_format(on),
                "from": date_format(dates.turns(student.birth_date, dates.RECORDING_AGE)),
            }
        )
    if kind in _NEEDS_CARD_AGE and not dates.card_may_be_printed(
        student.birth_date, on, ever_married=student.ever_married
    ):
        raise TransitionRefused(
            _(
                "%(name)s is not yet 17 on %(date)s and has never married: the card may be "
                "printed from %(from)s."
            )
            % {
                "name": student.name,
                "date": date_format(on),
                "from": date_format(dates.turns(student.birth_date, dates.CARD_AGE)),
            }
        )


@transaction.atomic
def apply(student, kind, *, on, by, reason="", note=""):
    """Record event `kind` for `student` on date `on`, by user `by`, and move the status.

    `by` is the user who recorded the step (None for a scheduled job); it is kept on the
    event and on the history record of the status change. The student row is locked for
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
        student=locked, kind=kind, date=on, reason=reason, note=note, recorded_by=by
    )
    if target is not None:
        locked.status = target
        locked.status_since = on
        locked._change_reason = f"event {kind.value}"  # a stable code, not a translation
        locked._history_user = by
        locked.save(update_fields=["status", "status_since", "updated_at"])
    student.status, student.status_since = locked.status, locked.status_since
    return event
