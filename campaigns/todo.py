"""The staff's to-do list on the home page: what is waiting for someone at the office.

Each item is a count (or the visits themselves) and the page where the work is done.
Seven queries in all, whatever the number of students or schools; the student counts come
from the tallies the database keeps (campaigns.figures.student_sums).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from schools.models import School
from students import dates
from students.models import RosterImport, SchoolMoveRequest, Status

from .card_models import HandoverBatch, HandoverItem
from .figures import NOT_RECORDED, student_sums
from .models import Visit


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    count: int
    url: str
    alert: bool = False


def _student_counts(today):
    return student_sums(
        None,
        {
            "due_for_print": ((Status.DUE_FOR_PRINT,), None),
            "print_ready": ((Status.PRINT_READY,), None),
            "waiting_blanko": ((Status.WAITING_BLANKO,), None),
            "overdue": (NOT_RECORDED, dates.latest_birth_date(dates.CARD_AGE, today)),
        },
    )


def _unvisited_schools(campaign_pk):
    visited = Visit.objects.live().filter(
        campaign_id=campaign_pk, school=OuterRef("pk"), kind=Visit.Kind.RECORDING
    )
    return School.objects.filter(campaigns=campaign_pk).exclude(Exists(visited)).count()


def _batches_ready():
    """Open handover batches with a printed card still waiting to be handed over."""
    waiting = HandoverItem.objects.filter(batch=OuterRef("pk"), state=HandoverItem.State.WAITING)
    return HandoverBatch.objects.filter(status=HandoverBatch.Status.OPEN).filter(Exists(waiting))


def staff_todo(campaign_pk, today=None):
    """(visits today, visits tomorrow, [Item]) for an office user who sees every school."""
    today = today or dates.today()
    tomorrow = today + datetime.timedelta(days=1)
    visits = list(
        Visit.objects.live()
        .filter(date__in=(today, tomorrow))
        .for_list()
        .order_by("date", "team__name", "pk")
    )
    students = _student_counts(today)
    student_list = reverse("students:list")
    print_queue = reverse("campaigns:cards_queue")
    items = [
        Item(
            "uploads",
            _("Roster uploads waiting for confirmation"),
            RosterImport.objects.filter(status=RosterImport.Status.READY).count(),
            reverse("rosters:history"),
        ),
        Item(
            "moves",
            _("School moves waiting for a decision"),
            SchoolMoveRequest.objects.filter(status=SchoolMoveRequest.Status.PENDING).count(),
            reverse("rosters:moves"),
        ),
        Item(
            "due_for_print",
            _("Cards due for print"),
            students["due_for_print"],
            print_queue,
        ),
        Item(
            "waiting_blanko",
            _("Cards waiting for blanko"),
            students["waiting_blanko"],
            print_queue,
        ),
        Item(
            "batches",
            _("Batches ready for handover"),
            _batches_ready().count(),
            reverse("campaigns:batches"),
        ),
        Item(
            "print_ready",
            _("Print ready, not 17 yet"),
            students["print_ready"],
            f"{student_list}?status={Status.PRINT_READY}",
        ),
        Item(
            "overdue",
            _("Overdue: 17 or older and not recorded"),
            students["overdue"],
            f"{student_list}?overdue=1",
            alert=True,
        ),
    ]
    if campaign_pk is not None:
        items.insert(
            2,
            Item(
                "unvisited",
                _("Schools with no visit yet in this campaign"),
                _unvisited_schools(campaign_pk),
                reverse("campaigns:unvisited", args=[campaign_pk]),
            ),
        )
    return (
        [v for v in visits if v.date == today],
        [v for v in visits if v.date == tomorrow],
        items,
    )
