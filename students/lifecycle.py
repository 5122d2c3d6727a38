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


_ACTIVE = frozenset(s for s in Status.values if s not in (Status.CLOSED, Status.HANDED_OVER))

TRANSITIONS = {
    EventKind.SCHEDULED: Transition(frozenset({Status.ON_ROSTER}), Status.SCHEDULED),
    EventKind.ABSENT: Transition(frozenset({Status.SCHEDULED}), Status.ON_ROSTER),
    EventKind.RECORDING_FAILED: Transition(frozenset({Status.SCHEDULED}), Status.ON_ROSTER),
    EventKind.RECORDED: Transition(
        frozenset({Status.ON_ROSTER, Status.SCHEDULED, Status.SIAK_PROBLEM}), Status.RECORDED
    ),
    EventKind.SIAK_PROBLEM: Transition(frozenset({Status.RECORDED}), Status.SIAK_PROBLEM,
                                       SiakResult),
    EventKind.PRINT_READY: Transition(frozenset({Status.RECORDED}), Status.PRINT_READY),
    EventKind.DUE_FOR_PRINT: Transition(frozenset({Status.PRINT_READY}), Status.DUE_FOR_PRINT),
    EventKind.WAITING_BLANKO: Transition(frozenset({Status.DUE_FOR_PRINT}),
                                         Status.WAITING_BLANKO),
    EventKind.PRINTED: Transition(frozenset({Status.DUE_FOR_PRINT, Status.WAITING_BLANKO}),
                                  Status.PRINTED),
    EventKind.HANDED_OVER: Transition(frozenset({Status.PRINTED}), Status.HANDED_OVER),
    EventKind.IKD_ACTIVATED: Transition(frozenset({Status.HANDED_OVER}), None),
    EventKind.CLOSED: Transition(_ACTIVE, Status.CLOSED, CloseReason),
    EventKind.REOPENED: Transition(frozenset({Status.CLOSED}), Status.ON_ROSTER),
}

# Events whose date must respect an age rule.
_NEEDS_RECORDING_AGE = {EventKind.RECORDED}
_NEEDS_CARD_AGE = {EventKind.DUE_FOR_PRINT, EventKind.PRINTED}


def allowed_events(student):
    """The event kinds that may follow the student's current status."""
    return [kind for kind, rule in TRANSITIONS.items() if student.status in rule.allowed_from]


def check(student, kind, *, on, reason=""):
    """Raise TransitionRefused if `kind` may not happen to `student` on date `on`."""
    kind = EventKind(kind)
    rule = TRANSITIONS[kind]
    if on > dates.today():
        raise TransitionRefused(_("The date %(date)s is in the future.")
                                % {"date": date_format(on)})
    if student.status not in rule.allowed_from:
        raise TransitionRefused(
            _("“%(event)s” cannot follow the status “%(status)s”.")
            % {"event": kind.label, "status": Status(student.status).label}
        )
    if rule.reasons is not None and reason not in rule.reasons.values:
        raise TransitionRefused(_("Choose a reason for “%(event)s”.") % {"event": kind.label})
    if kind == EventKind.IKD_ACTIVATED and student.events.filter(kind=kind).exists():
        raise TransitionRefused(_("The IKD of this student is already activated."))
    if kind in _NEEDS_RECORDING_AGE and not dates.may_be_recorded(student.birth_date, on):
        raise TransitionRefused(
            _("%(name)s is not yet 16 on %(date)s: recording is possible from %(from)s.")
            % {"name": student.name, "date": date_format(on),
               "from": date_format(dates.turns(student.birth_date, dates.RECORDING_AGE))}
        )
    if kind in _NEEDS_CARD_AGE and not dates.card_may_be_printed(
        student.birth_date, on, ever_married=student.ever_married
    ):
        raise TransitionRefused(
            _("%(name)s is not yet 17 on %(date)s and has never married: the card may be "
              "printed from %(from)s.")
            % {"name": student.name, "date": date_format(on),
               "from": date_format(dates.turns(student.birth_date, dates.CARD_AGE))}
        )


@transaction.atomic
def apply(student, kind, *, on, by, reason="", note=""):
    """Record event `kind` for `student` on date `on`, by user `by`, and move the status.

    The student row is locked for the duration, so two people pressing the same button
    at once produce one event and one refusal, not two events.
    """
    locked = Student.objects.select_for_update().get(pk=student.pk)
    check(locked, kind, on=on, reason=reason)
    event = StudentEvent.objects.create(
        student=locked, kind=kind, date=on, reason=reason, note=note, recorded_by=by
    )
    target = TRANSITIONS[EventKind(kind)].to
    if target is not None:
        locked.status = target
        locked.status_since = on
        locked._change_reason = EventKind(kind).label
        locked.save(update_fields=["status", "status_since", "updated_at"])
    student.status, student.status_since = locked.status, locked.status_since
    return event
