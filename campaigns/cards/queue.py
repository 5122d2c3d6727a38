"""Reads for the card pages: the print queue, the forward view, the cards ready at school."""

import datetime

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When

from students import dates
from students.models import EventKind, MaritalStatus, Status, Student, StudentEvent

from ..card_models import HandoverBatch, HandoverItem

QUEUE_STATUSES = (Status.DUE_FOR_PRINT, Status.WAITING_BLANKO)
# Recorded students whose card will be printed once they turn 17.
COMING_STATUSES = (Status.RECORDED, Status.SIAK_PROBLEM, Status.PRINT_READY)
FORWARD_MONTHS = 12


def print_queue(*, school=None, due_from=None, due_to=None):
    """The students whose card may be printed, with `due_on`: the day they entered the queue
    (flagged due, or a reprint asked for). Oldest first."""
    entered = (
        StudentEvent.objects.filter(
            student=OuterRef("pk"),
            kind__in=(EventKind.DUE_FOR_PRINT, EventKind.REPRINT),
            taken_back_by__isnull=True,
        )
        .order_by("-date", "-pk")
        .values("date")[:1]
    )
    students = (
        Student.objects.filter(status__in=QUEUE_STATUSES)
        .select_related("school")
        .annotate(due_on=Subquery(entered))
    )
    if school is not None:
        students = students.filter(school=school)
    if due_from is not None:
        students = students.filter(due_on__gte=due_from)
    if due_to is not None:
        students = students.filter(due_on__lte=due_to)
    return students.order_by("due_on", "school__name", "name", "pk")


def _months(today):
    """[(first day, last day)] of the next FORWARD_MONTHS months; the first from tomorrow."""
    months, start = [], today + datetime.timedelta(days=1)
    for _index in range(FORWARD_MONTHS):
        following = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        months.append((start, following - datetime.timedelta(days=1)))
        start = following
    return months


def forward_view(today=None):
    """Who becomes due in each of the next twelve months, per school and in total.

    Counts recorded students not yet due (never married: the married are due already)
    by the month of their 17th birthday, the 29 February rule included. One query.
    Returns {"months": [first days], "schools": [(name, [counts], total)], "totals", "total"}.
    """
    today = today or dates.today()
    months = _months(today)
    bounds = [
        (
            dates.latest_birth_date(dates.CARD_AGE, first - datetime.timedelta(days=1)),
            dates.latest_birth_date(dates.CARD_AGE, last),
        )
        for first, last in months
    ]
    month = Case(
        *(
            When(birth_date__gt=low, birth_date__lte=high, then=Value(index))
            for index, (low, high) in enumerate(bounds)
        ),
        output_field=IntegerField(),
    )
    rows = (
        Student.objects.filter(
            status__in=COMING_STATUSES,
            marital_status=MaritalStatus.SINGLE,
            birth_date__gt=bounds[0][0],
            birth_date__lte=bounds[-1][1],
        )
        .annotate(month=month)
        .values("school_id", "school__name", "month")
        .annotate(count=Count("pk"))
        .order_by("school__name", "school_id", "month")
    )
    by_school, totals = {}, [0] * FORWARD_MONTHS
    for row in rows:
        counts = by_school.setdefault((row["school__name"], row["school_id"]), [0] * FORWARD_MONTHS)
        counts[row["month"]] += row["count"]
        totals[row["month"]] += row["count"]
    return {
        "months": [first for first, _last in months],
        "schools": [(name, counts, sum(counts)) for (name, _pk), counts in by_school.items()],
        "totals": totals,
        "total": sum(totals),
    }


def cards_ready(schools):
    """The cards waiting to be handed over at `schools`, with their batch and its visit."""
    return (
        HandoverItem.objects.filter(state=HandoverItem.State.WAITING, batch__school__in=schools)
        .select_related("student", "batch__school", "batch__visit")
        .order_by("batch__school__name", "student__class_name", "student__name", "pk")
    )


def batch_items(batch):
    """A batch's list: its cards waiting and handed over (not those withdrawn or moved on)."""
    return (
        batch.items.filter(
            Q(state=HandoverItem.State.WAITING) | Q(state=HandoverItem.State.HANDED_OVER)
        )
        .select_related("student")
        .order_by("student__class_name", "student__name", "pk")
    )


def open_batches():
    """The open batches with cards still waiting (and how many), soonest visit first."""
    return (
        HandoverBatch.objects.filter(status=HandoverBatch.Status.OPEN)
        .annotate(waiting=Count("items", filter=Q(items__state=HandoverItem.State.WAITING)))
        .filter(waiting__gt=0)
        .select_related("school", "visit__team")
        .order_by(F("visit__date").asc(nulls_last=True), "school__name", "pk")
    )
