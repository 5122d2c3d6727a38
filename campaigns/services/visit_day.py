"""The visit day's writes: one outcome for one student, undo, closing the visit.

Each change comes with the key the browser gave it (a resend of the same key answers what
the first one did and changes nothing) and the version of the outcome the officer saw: a
change made from an older version is refused with the current value, never applied over
another officer's. The lifecycle steps go through `students.lifecycle`, naming the visit.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from students import dates, flagging, lifecycle
from students.lifecycle import TransitionRefused
from students.models import CloseReason, EventKind, FailureReason, StudentEvent

from ..models import Outcome, OutcomeChange, Visit, VisitOutcome

# The fields of a student added at the visit, as the roster's checks return them.
FIELDS = ("name", "nik", "sex", "birth_date", "nisn", "class_name")


class OutcomeRefused(Exception):
    """A request that cannot be a change at all (a student not on the visit, a bad value)."""


@dataclass(frozen=True)
class Answer:
    accepted: bool
    student: int
    outcome: str
    reason: str
    version: int
    message: str

    def as_json(self):
        return {
            "accepted": self.accepted,
            "student": self.student,
            "outcome": self.outcome,
            "reason": self.reason,
            "version": self.version,
            "message": self.message,
        }


def lifecycle_step(outcome, reason):
    """(event kind, event reason) of an outcome; raises OutcomeRefused for a bad pair."""
    if outcome == Outcome.FAILED:
        if reason not in FailureReason.values:
            raise OutcomeRefused(_("Choose why the recording failed."))
        return EventKind.RECORDING_FAILED, reason
    if reason:
        raise OutcomeRefused(_("Only a failed recording takes a reason."))
    return {
        Outcome.RECORDED: (EventKind.RECORDED, ""),
        Outcome.ABSENT: (EventKind.ABSENT, ""),
        Outcome.HAS_KTP: (EventKind.CLOSED, CloseReason.HAS_KTP),
        Outcome.RECORDED_ELSEWHERE: (EventKind.CLOSED, CloseReason.RECORDED_ELSEWHERE),
        Outcome.REFUSED: (EventKind.REFUSED, ""),
        Outcome.NOT_YET_16: (EventKind.NOT_YET_16, ""),
    }[Outcome(outcome)]


def outcome_label(outcome, reason=""):
    if not outcome:
        return _("no outcome")
    label = Outcome(outcome).label
    if reason:
        label = f"{label} ({FailureReason(reason).label})"
    return label


def _who(user):
    return (user.get_full_name() or user.username) if user else _("someone")


def record_outcome(*, visit, student_id, outcome, reason, version, key, by, staff=False, note=""):
    """Set (or, with an empty outcome, undo) one student's outcome at `visit`.

    Returns an Answer: accepted or refused with the reason, and the current value either
    way. `staff` says `by` may change a closed visit, which then needs `note`.
    """
    if outcome and outcome not in Outcome.values:
        raise OutcomeRefused(_("Unknown outcome."))
    if outcome:
        lifecycle_step(outcome, reason)
    elif reason:
        raise OutcomeRefused(_("Only a failed recording takes a reason."))
    if not visit.students.filter(pk=student_id).exists():
        raise OutcomeRefused(_("This student is not on the visit's list."))
    try:
        with transaction.atomic():
            return _record(visit, student_id, outcome, reason, version, key, by, staff, note)
    except IntegrityError:
        # The same key sent twice at the same moment: the first one's answer stands.
        change = OutcomeChange.objects.get(key=key)
        return _answer(change)


def _answer(change, row=None):
    row = row or VisitOutcome.objects.get(visit=change.visit_id, student=change.student_id)
    return Answer(
        change.accepted, row.student_id, row.outcome, row.reason, row.version, change.message
    )


def _record(visit, student_id, outcome, reason, version, key, by, staff, note):
    change = OutcomeChange.objects.filter(key=key).first()
    if change is not None:
        return _answer(change)
    VisitOutcome.objects.bulk_create(
        [VisitOutcome(visit=visit, student_id=student_id)], ignore_conflicts=True
    )
    row = (
        VisitOutcome.objects.select_for_update(of=("self",))
        .select_related("changed_by", "student")
        .get(visit=visit, student_id=student_id)
    )
    closed = Visit.objects.filter(pk=visit.pk, closed_at__isnull=False).exists()
    accepted, message = False, ""
    if closed and not staff:
        message = _("The visit is closed: only the office can change an outcome now.")
    elif closed and not note.strip():
        message = _("The visit is closed: write why the outcome changes.")
    elif (row.outcome, row.reason) == (outcome, reason):
        accepted = True  # already so: nothing to change, nothing lost
    elif version != row.version:
        message = _("%(who)s changed this first: the outcome is now “%(outcome)s”.") % {
            "who": _who(row.changed_by),
            "outcome": outcome_label(row.outcome, row.reason),
        }
    else:
        accepted, message = _change(visit, row, outcome, reason, by, note)
    OutcomeChange.objects.create(
        key=key,
        visit=visit,
        student_id=student_id,
        outcome=outcome,
        reason=reason,
        base_version=version,
        accepted=accepted,
        message=message,
        note=note,
        by=by,
    )
    return _answer(OutcomeChange(accepted=accepted, message=message), row)


def _change(visit, row, outcome, reason, by, note):
    """Take back the row's step, make the new one; (accepted, message)."""
    student = row.student
    try:
        with transaction.atomic():
            flags = []
            if row.event_id is not None:
                undone = lifecycle.undo(
                    student, row.event, on=visit.date, by=by, note=note, visit_id=visit.pk
                )
                flags = undone.flags_taken_back
            event = None
            if outcome:
                kind, step_reason = lifecycle_step(outcome, reason)
                event = lifecycle.apply(
                    student,
                    kind,
                    on=visit.date,
                    by=by,
                    reason=step_reason,
                    note=note,
                    visit_id=visit.pk,
                )
            if flags:
                # The nightly flags the old outcome led to went with it: whatever still
                # holds after the new one is flagged again now, dated the day it first held.
                flagging.flag_due_cards(dates.today(), student_ids=[student.pk])
    except TransitionRefused as refusal:
        return False, str(refusal)
    row.outcome, row.reason, row.event = outcome, reason, event
    row.version += 1
    row.changed_by, row.changed_at = by, timezone.now()
    row.save()
    return True, ""


def close_visit(*, visit, by):
    """Close the visit day. Refused (OutcomeRefused) while a student has no outcome."""
    with transaction.atomic():
        locked = Visit.objects.select_for_update().get(pk=visit.pk)
        if locked.closed_at is not None:
            raise OutcomeRefused(_("The visit is already closed."))
        done = VisitOutcome.objects.filter(visit=locked).exclude(outcome="").values("student_id")
        waiting = locked.students.exclude(pk__in=done).count()
        if waiting:
            raise OutcomeRefused(
                ngettext(
                    "%(count)d student has no outcome yet: set it or mark the rest absent first.",
                    "%(count)d students have no outcome yet: set theirs or mark the rest "
                    "absent first.",
                    waiting,
                )
                % {"count": waiting}
            )
        locked.closed_at, locked.closed_by = timezone.now(), by
        locked.save(update_fields=["closed_at", "closed_by", "updated_at"])
    visit.closed_at, visit.closed_by = locked.closed_at, by
    return visit


def mark_rest_absent(*, visit, students, key, by):
    """Mark absent every student of `students` (ids the officer saw without an outcome)
    who still has none: one set-based lifecycle step for all of them.

    Returns (accepted, message, rows): rows are the current values of those students. A
    resend of the same key changes nothing again; a student someone gave an outcome
    meanwhile keeps it.
    """
    wanted = set(visit.students.filter(pk__in=students).values_list("pk", flat=True))
    with transaction.atomic():
        done = OutcomeChange.objects.filter(key=key).first()
        if done is None:
            accepted, message = _mark_rest_absent(visit, wanted, key, by)
        else:
            accepted, message = done.accepted, done.message
    rows = VisitOutcome.objects.filter(visit=visit, student__in=wanted).order_by("student_id")
    return accepted, message, [_row_json(row) for row in rows]


def _row_json(row):
    return {
        "student": row.student_id,
        "outcome": row.outcome,
        "reason": row.reason,
        "version": row.version,
    }


def _mark_rest_absent(visit, wanted, key, by):
    # The outcome rows are locked first, as one change does: a tap on one of these
    # students waits for this, or this for it, and the later one sees the other's result.
    VisitOutcome.objects.bulk_create(
        [VisitOutcome(visit=visit, student_id=pk) for pk in sorted(wanted)], ignore_conflicts=True
    )
    rows = list(
        VisitOutcome.objects.select_for_update()
        .filter(visit=visit, student__in=wanted, outcome="")
        .order_by("pk")
    )
    closed = Visit.objects.filter(pk=visit.pk, closed_at__isnull=False).exists()
    if closed:
        accepted = False
        message = _("The visit is closed: only the office can change an outcome now.")
    else:
        changed = lifecycle.apply_many(
            [row.student_id for row in rows],
            EventKind.ABSENT,
            on=visit.date,
            by=by,
            visit_id=visit.pk,
        )
        events = dict(
            StudentEvent.objects.filter(
                visit_id=visit.pk, kind=EventKind.ABSENT, student__in=changed
            )
            .order_by("pk")
            .values_list("student_id", "pk")
        )
        VisitOutcome.objects.filter(visit=visit, student__in=changed or [0]).update(
            outcome=Outcome.ABSENT,
            reason="",
            event=Case(
                *[When(student_id=s, then=Value(e)) for s, e in events.items()], default=None
            ),
            version=F("version") + 1,
            changed_by=by,
            changed_at=timezone.now(),
        )
        accepted = True
        message = ngettext(
            "%(count)d student marked absent.", "%(count)d students marked absent.", len(changed)
        ) % {"count": len(changed)}
        left = len(rows) - len(changed)
        if left:
            message += " " + ngettext(
                "%(count)d student could not be marked absent (see their status).",
                "%(count)d students could not be marked absent (see their status).",
                left,
            ) % {"count": left}
    OutcomeChange.objects.create(
        key=key, visit=visit, outcome=Outcome.ABSENT, accepted=accepted, message=message, by=by
    )
    return accepted, message


def add_student(*, visit, values, student=None, by):
    """Put a student who turned up on the visit's list: a new student of the school from
    the checked `values`, or `student` (already on the school's roster)."""
    from students.models import Student

    with transaction.atomic():
        locked = Visit.objects.select_for_update().get(pk=visit.pk)
        if student is None:
            student = Student(
                school_id=locked.school_id,
                **{name: values[name] for name in FIELDS if values.get(name)},
            )
            student._history_user = by
            student._change_reason = "added at a visit"
            student.save()
        if locked.students.filter(pk=student.pk).exists():
            raise OutcomeRefused(_("%(name)s is already on the list.") % {"name": student.name})
        locked.students.add(student)
        locked.expected += 1
        locked.save(update_fields=["expected", "updated_at"])
    visit.expected = locked.expected
    return student
