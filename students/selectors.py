"""Reads of students: counts over many (set-based, one query each) and a student's timeline."""

import datetime
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, OuterRef
from django.db.models.functions import JSONObject

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


def with_confirmed_moves(students):
    """The students with `confirmed_moves`: their confirmed school moves, oldest first.

    A subquery of the same query, so the student page costs no query more for them.
    """
    moves = (
        SchoolMoveRequest.objects.filter(
            student=OuterRef("pk"), status=SchoolMoveRequest.Status.CONFIRMED
        )
        .order_by("decided_at", "pk")
        .values(
            json=JSONObject(
                from_school="from_school__name",
                to_school="to_school__name",
                decided_at="decided_at",
                first_name="decided_by__first_name",
                last_name="decided_by__last_name",
                username="decided_by__username",
            )
        )
    )
    return students.annotate(confirmed_moves=ArraySubquery(moves))


def student_timeline(student):
    """The student's events and confirmed school moves, in the order they happened.

    One query (the events with who recorded them); the moves come with a student loaded
    through `with_confirmed_moves`.
    """
    events = list(
        student.events.select_related("recorded_by").order_by("date", "recorded_at", "pk")
    )
    for event in events:
        event.reason_label = _REASON_LABELS.get(event.reason, event.reason)
    moves = [_school_move(row) for row in getattr(student, "confirmed_moves", None) or []]
    return sorted(
        [*events, *moves],
        key=lambda entry: (entry.date, getattr(entry, "recorded_at", None) or entry.decided_at),
    )


def _school_move(row):
    decided_at = datetime.datetime.fromisoformat(row["decided_at"])
    full_name = " ".join(part for part in (row["first_name"], row["last_name"]) if part)
    return SchoolMove(
        date=dates.as_date(decided_at),
        decided_at=decided_at,
        from_school=row["from_school"],
        to_school=row["to_school"],
        decided_by=full_name or row["username"] or "",
    )
