"""The programme's figures for the home pages and the dashboard, computed in the database.

Every read here is one aggregate query whatever the number of students; Python only
shapes the rows that come back (one per school, week or month). On PostgreSQL the counts
by school, status and age and the recordings by day come from the tallies the database
keeps (students.tallies), so a read costs the same for ten thousand students as for a
million; elsewhere they are counted from the students.
"""

import calendar
import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext_lazy as _

from students import dates, tallies
from students.filters import born_to_turn
from students.models import EventKind, Status, Student, StudentEvent

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


LIVE = tuple(status for status in Status.values if status != Status.CLOSED)


def _step_counts(campaign, today):
    """{figure: (statuses, born on or before)} of the funnel and the overdue students."""
    last_day = campaign.last_day if campaign else today
    return {
        "on_roster": (LIVE, None),
        "of_age": (LIVE, dates.latest_birth_date(dates.RECORDING_AGE, last_day)),
        "recorded": (RECORDED_OR_LATER, None),
        "print_ready": (PRINT_READY_OR_LATER, None),
        "printed": (PRINTED_OR_LATER, None),
        "handed_over": ((Status.HANDED_OVER,), None),
        "overdue": (NOT_RECORDED, dates.latest_birth_date(dates.CARD_AGE, today)),
    }


def _counted(counts):
    """The same counts as filtered Counts over students (where no tally is kept)."""
    filters = {}
    for name, (statuses, born_by) in counts.items():
        condition = Q(status__in=statuses) if statuses is not None else Q()
        if born_by is not None:
            condition &= Q(birth_date__lte=born_by)
        filters[name] = Count("pk", filter=condition)
    return filters


def student_sums(schools, counts, *, by_school=False):
    """tallies.sums, counted from the students where the database keeps no tally."""
    if tallies.available():
        return tallies.sums(schools, counts, by_school=by_school)
    students = Student.objects.order_by()
    if schools is not None:
        students = students.filter(school__in=schools.order_by().values("pk"))
    if not by_school:
        return students.aggregate(**_counted(counts))
    rows = students.values("school_id").annotate(**_counted(counts))
    return {row.pop("school_id"): row for row in rows}


def campaign_students(students, campaign):
    """The students of the campaign's schools (all of them when it names none)."""
    if campaign is not None and campaign.schools.exists():
        return students.filter(school__campaigns=campaign)
    return students


def school_progress(schools, campaign, today=None):
    """[{"pk", "name", "kecamatan", step counts}] of the schools of `schools` (a School
    queryset) that have students, by name: two queries, the counts and the names."""
    today = today or dates.today()
    counts = student_sums(schools, _step_counts(campaign, today), by_school=True)
    names = schools.order_by("name", "pk").values_list("pk", "name", "kecamatan__name")
    return [
        {"pk": pk, "name": name, "kecamatan": kecamatan, **counts[pk]}
        for pk, name, kecamatan in names
        if pk in counts
    ]


def total_progress(rows, campaign):
    """{step: count} summed over school rows of school_progress, plus the target."""
    figures = {key: sum(row[key] for row in rows) for key in [*STEPS, "overdue"]}
    target = (campaign.target if campaign else None) or figures["of_age"]
    return {**figures, "target": target}


def recordings_per_week(schools, campaign, today=None):
    """[(Monday, count)] of students recorded at the schools `schools` in the campaign's
    weeks (a student recorded on two days counts on each)."""
    first, last = (campaign.first_day, campaign.last_day) if campaign else (None, None)
    if tallies.available() and campaign is not None:
        return tallies.recordings_by_week(schools, first, last)
    events = StudentEvent.objects.filter(
        kind=EventKind.RECORDED,
        student__school__in=schools.order_by().values("pk"),
        taken_back_by__isnull=True,
    )
    if campaign is not None:
        events = events.filter(date__range=(first, last))
    rows = (
        events.order_by()
        .annotate(week=TruncWeek("date"))
        .values_list("week")
        .annotate(n=Count("pk"))
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
    the next twelve months (one query, one filtered count per month, over the students
    born in those months only)."""
    today = today or dates.today()
    months = months_ahead(today)
    # Born in the twelve months 17 years back, and the day before: one born on 29 February
    # may turn 17 on 1 March.
    born_from = datetime.date(months[0].year - dates.CARD_AGE, months[0].month, 1)
    last = months[-1]
    born_to = datetime.date(
        last.year - dates.CARD_AGE,
        last.month,
        calendar.monthrange(last.year - dates.CARD_AGE, last.month)[1],
    )
    waiting = students.filter(
        status__in=(Status.RECORDED, Status.SIAK_PROBLEM, Status.PRINT_READY),
        birth_date__range=(born_from - datetime.timedelta(days=1), born_to),
    ).order_by()
    # Counting a column of the (status, birth date, school) index: read from the index alone.
    counts = waiting.aggregate(
        **{
            f"m{index}": Count("birth_date", filter=born_to_turn(dates.CARD_AGE, m.year, m.month))
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
