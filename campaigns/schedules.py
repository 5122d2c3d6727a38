"""Reads of the schedule pages: the month grid, the schedule, the figures, the planner's
report, and the schools still without a visit."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Sum

from schools.models import School

from .models import Visit


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    in_campaign: bool
    closed: str = ""  # the calendar row's name when the day is closed
    half: str = ""
    visits: list = field(default_factory=list)

    @property
    def is_sunday(self):
        return self.date.isoweekday() == 7


def month_weeks(campaign, month, visits, calendar_days):
    """The weeks (Monday first) of one month, each day with its visits and calendar row."""
    by_date = {}
    for visit in visits:
        by_date.setdefault(visit.date, []).append(visit)
    rows = {day.date: day for day in calendar_days}
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        days = []
        for date in week:
            row = rows.get(date)
            days.append(
                Day(
                    date=date,
                    in_month=date.month == month.month,
                    in_campaign=campaign.first_day <= date <= campaign.last_day,
                    closed=row.name if row and row.is_closed else "",
                    half=row.name if row and not row.is_closed else "",
                    visits=by_date.get(date, []),
                )
            )
        weeks.append(days)
    return weeks


def campaign_months(campaign):
    """The first day of every month the campaign touches."""
    months = []
    month = campaign.first_day.replace(day=1)
    while month <= campaign.last_day:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def schedule(campaign, *, team=None, school=None, live_only=True):
    """The campaign's visits by date, with their team and school, in one query."""
    visits = campaign.visits.for_list()
    if live_only:
        visits = visits.live()
    if team is not None:
        visits = visits.filter(team=team)
    if school is not None:
        visits = visits.filter(school=school)
    return visits.order_by("date", "team__name", "pk")


def visit_figures(campaign):
    """Counts of the campaign's live visits: proposed, accepted, and students expected."""
    return campaign.visits.live().aggregate(
        proposed=Count("pk", filter=Q(status=Visit.Status.PROPOSED)),
        accepted=Count("pk", filter=Q(status=Visit.Status.ACCEPTED)),
        expected=Sum("expected", default=0),
        answers_waiting=Count(
            "pk",
            filter=Q(coordinator_answer=Visit.Answer.CHANGE_ASKED, status=Visit.Status.ACCEPTED),
        ),
    )


def schools_without_visit(campaign):
    """The campaign's schools that have no live recording visit yet."""
    visited = Visit.objects.live().filter(
        campaign=campaign, school=OuterRef("pk"), kind=Visit.Kind.RECORDING
    )
    return (
        School.objects.filter(campaigns=campaign)
        .exclude(Exists(visited))
        .select_related("kecamatan")
        .order_by("kecamatan__name", "name")
    )


def plan_report(campaign):
    """The last planner run's report for the page: its figures, and the schools it left
    students out of, with the school (one query) and the reason in words."""
    report = campaign.plan_report or {}
    rows = report.get("uncovered", [])
    by_code = {school.code: school for school in campaign.schools.all()} if rows else {}
    return {
        "team_days": report.get("team_days"),
        "lower_bound": report.get("lower_bound"),
        "optimal": report.get("optimal", False),
        "uncovered": [
            {
                "school": by_code.get(row.get("school")),
                "code": row.get("school"),
                "students": row.get("students", 0),
                "reason": row.get("message", ""),
            }
            for row in rows
        ],
    }


def weekday_names():
    """Monday to Sunday in the page's language."""
    from django.utils.formats import date_format

    monday = datetime.date(2024, 1, 1)
    return [date_format(monday + datetime.timedelta(days=n), "l") for n in range(7)]
