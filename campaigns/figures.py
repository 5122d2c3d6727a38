"""The programme's figures for the home pages and the dashboard, computed in the database.

Every read here is one aggregate query whatever the number of students; Python only
shapes the handful of rows that come back (one per status group, kecamatan, school,
week or month).
"""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext_lazy as _

from students import dates
from students.filters import born_by, born_to_turn
from students.models import EventKind, Status, StudentEvent

from .models import Campaign

RECORDED_OR_LATER = (
    Status.RECORDED,
    Status.SIAK_PROBLEM,
    Status.PRINT_READY,
    Status.DUE_FOR_PRINT,
    Status.WAITING_BLANKO,
    Status.PRINTED,
    Status.HANDED_OVER,
)
PRINT_READY_OR_LATER = RECORDED_OR_LATER[2:]
PRINTED_OR_LATER = (Status.PRINTED, Status.HANDED_OVER)
NOT_RECORDED = (Status.ON_ROSTER, Status.SCHEDULED)
# The funnel of the progress bars, each step a subset of the one before.
STEPS = ["on_roster", "of_age", "recorded", "print_ready", "printed", "handed_over"]
STEP_LABELS = {
    "on_roster": _("On rosters"),
    "of_age": _("Of age to record (16 by the campaign's last day)"),
    "recorded": _("Recorded"),
    "print_ready": _("Print ready"),
    "printed": _("Printed"),
    "handed_over": _("Handed over"),
    "overdue": _("Overdue: 17 or older and not recorded"),
}


def current_campaign(today=None):
    """The campaign whose days include today, else the next to start, else the latest."""
    today = today or dates.today()
    campaigns = Campaign.objects.order_by()
    return (
        campaigns.filter(first_day__lte=today, last_day__gte=today).order_by("first_day").first()
        or campaigns.filter(first_day__gt=today).order_by("first_day", "pk").first()
        or campaigns.order_by("-last_day", "-pk").first()
    )


def _step_counts(campaign, today):
    """The funnel's filtered counts over students, for one aggregate or one GROUP BY."""
    last_day = campaign.last_day if campaign else today
    live = ~Q(status=Status.CLOSED)
    return {
        "on_roster": Count("pk", filter=live),
        "of_age": Count("pk", filter=live & born_by(dates.RECORDING_AGE, last_day)),
        "recorded": Count("pk", filter=Q(status__in=RECORDED_OR_LATER)),
        "print_ready": Count("pk", filter=Q(status__in=PRINT_READY_OR_LATER)),
        "printed": Count("pk", filter=Q(status__in=PRINTED_OR_LATER)),
        "handed_over": Count("pk", filter=Q(status=Status.HANDED_OVER)),
        "overdue": Count("pk", filter=Q(status__in=NOT_RECORDED) & born_by(dates.CARD_AGE, today)),
    }


def campaign_students(students, campaign):
    """The students of the campaign's schools (all of them when it names none)."""
    if campaign is not None and campaign.schools.exists():
        return students.filter(school__campaigns=campaign)
    return students


def progress(students, campaign, today=None):
    """{step: count} over `students`, plus the target, in one query."""
    today = today or dates.today()
    figures = students.order_by().aggregate(**_step_counts(campaign, today))
    target = (campaign.target if campaign else None) or figures["of_age"]
    return {**figures, "target": target}


def progress_by(students, campaign, fields, today=None):
    """[{field values, step counts}] grouped by `fields` (e.g. "school__kecamatan__name")."""
    today = today or dates.today()
    return list(
        students.order_by()
        .values(*fields)
        .annotate(**_step_counts(campaign, today))
        .order_by(*fields)
    )


def recordings_per_week(students, campaign):
    """[(Monday, count)] of RECORDED events of `students` in the campaign's weeks."""
    events = StudentEvent.objects.filter(
        kind=EventKind.RECORDED, student__in=students, taken_back_by__isnull=True
    )
    if campaign is not None:
        events = events.filter(date__range=(campaign.first_day, campaign.last_day))
    rows = (
        events.order_by()
        .annotate(week=TruncWeek("date"))
        .values_list("week")
        .annotate(n=Count("student", distinct=True))
        .order_by("week")
    )
    return [(dates.as_date(week), count) for week, count in rows]


def months_ahead(today, count=12):
    """The first days of the `count` months starting with today's month."""
    months = []
    year, month = today.year, today.month
    for _index in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def cards_coming_due(students, today=None):
    """[(first of month, count)]: recorded students not printed yet who turn 17 in each of
    the next twelve months (one query, one filtered count per month)."""
    today = today or dates.today()
    months = months_ahead(today)
    waiting = students.filter(
        status__in=(Status.RECORDED, Status.SIAK_PROBLEM, Status.PRINT_READY)
    ).order_by()
    counts = waiting.aggregate(
        **{
            f"m{index}": Count("pk", filter=born_to_turn(dates.CARD_AGE, m.year, m.month))
            for index, m in enumerate(months)
        }
    )
    return [(month, counts[f"m{index}"]) for index, month in enumerate(months)]


def next_visits(visits, today=None, limit=10):
    today = today or dates.today()
    return list(
        visits.live().filter(date__gte=today).for_list().order_by("date", "team__name")[:limit]
    )


def visits_on(visits, *days):
    return list(visits.live().filter(date__in=days).for_list().order_by("date", "team__name"))


def percent(part, whole):
    return round(100 * part / whole) if whole else 0


def with_percentages(figures, target_key="target"):
    """[(step, label, count, percent of the target)] in funnel order, plus overdue."""
    whole = figures[target_key]
    return [
        (step, str(STEP_LABELS[step]), figures[step], percent(figures[step], whole))
        for step in [*STEPS, "overdue"]
    ]
