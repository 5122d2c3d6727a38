"""Reads of students: counts over many (set-based, one query each) and a student's timeline."""

import datetime
from dataclasses import dataclass

from django.db.models import Count

from . import dates
from .models import CloseReason, ReprintReason, SchoolMoveRequest, SiakResult, Status

_REASON_LABELS = {
    **dict(CloseReason.choices),
    **dict(SiakResult.choices),
    **dict(ReprintReason.choices),
}


def status_counts(students):
    """{status: count} for every status, zeros included, in lifecycle order."""
    found = dict(students.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: found.get(status, 0) for status in Status.values}


def counts_by_kecamatan(students):
    """[(kecamatan name, count)] of the given students, by kecamatan name."""
    rows = (
        students.order_by()
        .values_list("school__kecamatan__name")
        .annotate(n=Count("pk"))
        .order_by("school__kecamatan__name")
    )
    return list(rows)


@dataclass(frozen=True)
class SchoolMove:
    """A confirmed school move, as the timeline shows it."""

    date: datetime.date
    decided_at: datetime.datetime
    from_school: str
    to_school: str
    decided_by: str  # the name (or username) of who confirmed it; "" when unknown
    is_move = True


def student_timeline(student):
    """The student's events and confirmed school moves, in the order they happened.

    Two queries, however long the history: the events with who recorded them, and the
    confirmed moves with their schools and who decided them.
    """
    events = list(
        student.events.select_related("recorded_by").order_by("date", "recorded_at", "pk")
    )
    for event in events:
        event.reason_label = _REASON_LABELS.get(event.reason, event.reason)
    moves = [
        _school_move(move)
        for move in SchoolMoveRequest.objects.filter(
            student=student, status=SchoolMoveRequest.Status.CONFIRMED
        )
        .select_related("from_school", "to_school", "decided_by")
        .order_by("decided_at", "pk")
    ]
    return sorted(
        [*events, *moves],
        key=lambda entry: (entry.date, getattr(entry, "recorded_at", None) or entry.decided_at),
    )


def _school_move(move):
    user = move.decided_by
    full_name = user.get_full_name() if user else ""
    return SchoolMove(
        date=dates.as_date(move.decided_at),
        decided_at=move.decided_at,
        from_school=move.from_school.name,
        to_school=move.to_school.name,
        decided_by=full_name or (user.username if user else ""),
    )
