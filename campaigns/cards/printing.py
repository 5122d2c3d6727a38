"""Writes of the print queue: printed, waiting for blanko, reprint. All through the lifecycle."""

from django.db import transaction

from students import lifecycle
from students.models import EventKind, Status, Student

from ..card_models import HandoverItem
from . import batches
from .queue import QUEUE_STATUSES


@transaction.atomic
def mark_printed(student_ids, *, on, by):
    """Mark the cards of `student_ids` (those in the queue) printed on `on`, and put them in
    their school's handover batch. Returns the ids marked (a second click marks none)."""
    printed = lifecycle.apply_many(
        Student.objects.filter(pk__in=student_ids, status__in=QUEUE_STATUSES),
        EventKind.PRINTED,
        on=on,
        by=by,
    )
    if printed:
        batches.attach_printed(student_ids=printed)
    return printed


def mark_waiting_blanko(student_ids, *, asked_on, by):
    """The office asked for blank cards on `asked_on`; these cards wait for them."""
    return lifecycle.apply_many(
        Student.objects.filter(pk__in=student_ids, status=Status.DUE_FOR_PRINT),
        EventKind.WAITING_BLANKO,
        on=asked_on,
        by=by,
    )


@transaction.atomic
def reprint(student, *, reason, on, by, note=""):
    """Send a printed (or handed over) card back to the queue, with the reason; a card
    still waiting in a batch leaves it."""
    event = lifecycle.apply(student, EventKind.REPRINT, on=on, by=by, reason=reason, note=note)
    HandoverItem.objects.filter(student=student, state=HandoverItem.State.WAITING).update(
        state=HandoverItem.State.WITHDRAWN
    )
    return event
