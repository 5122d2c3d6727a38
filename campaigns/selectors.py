"""Reads for campaigns: the planner's input gathered from the database, and lists."""

import datetime

from django.db.models import Exists, OuterRef, Q

from schools.models import BlackoutPeriod
from students import dates
from students.models import EventKind, SiakResult, Status, Student, StudentEvent

from .models import CalendarDay, Visit
from .planning.calendar import daterange, open_days
from .planning.problem import Problem, SchoolNeed, StudentNeed, TeamSpec

# Students the planner still has to bring to a visit: not recorded, not closed.
WAITING = (Status.ON_ROSTER, Status.SCHEDULED)
# SIAK results after which the student is recorded again (an adjudication is not).
RECORD_AGAIN = (SiakResult.DUPLICATE, SiakResult.ENROLMENT_FAILURE)


def waiting():
    """A Q for the students the planner brings to a visit: those still waiting, and those
    whose recording SIAK refused as a duplicate or an enrolment failure (the catch-up)."""
    refused = StudentEvent.objects.filter(
        student=OuterRef("pk"),
        kind=EventKind.SIAK_PROBLEM,
        reason__in=RECORD_AGAIN,
        date=OuterRef("status_since"),
    )
    return Q(status__in=WAITING) | (Q(status=Status.SIAK_PROBLEM) & Exists(refused))


def campaign_visits(campaign):
    """The live visits of a campaign, for its schedule pages and exports."""
    return Visit.objects.filter(campaign=campaign).live().for_list().order_by("date", "team__name")


def planning_problem(campaign, *, today):
    """The planner's input for `campaign`, from tomorrow (or its first day) to its last.

    Visits that stay (every live visit: the caller has removed the old proposals) keep
    their team and school busy that day; the students meant for a stay visit still to come
    are not planned again. Students of an earlier visit, or of one closed today, who are
    still waiting (absent, or the recording failed) are planned again.
    """
    start = max(campaign.first_day, today + datetime.timedelta(days=1))
    rows = dict(CalendarDay.objects.filter(campaign=campaign).values_list("date", "kind"))
    days, half_days = open_days(
        start, campaign.last_day, rows, fridays_half_day=campaign.fridays_half_day
    )
    kept = list(
        Visit.objects.filter(campaign=campaign)
        .live()
        .values_list("pk", "team_id", "school_id", "date")
    )
    busy_teams, busy_schools = {}, {}
    for _pk, team, school, date in kept:
        busy_teams.setdefault(team, set()).add(date)
        busy_schools.setdefault(school, set()).add(date)
    teams = tuple(
        TeamSpec(
            key=team.pk,
            name=team.name,
            capacity=team.capacity,
            weekdays=frozenset(int(d) for d in team.weekdays),
            busy=frozenset(busy_teams.get(team.pk, ())),
        )
        for team in campaign.teams.order_by("name", "pk")
    )
    schools = list(
        campaign.schools.filter(is_active=True).select_related("kecamatan").order_by("pk")
    )
    closed = {school.pk: set(busy_schools.get(school.pk, ())) for school in schools}
    for blackout in BlackoutPeriod.objects.filter(
        school__in=schools, end__gte=start, start__lte=campaign.last_day
    ):
        closed[blackout.school_id].update(
            daterange(max(blackout.start, start), min(blackout.end, campaign.last_day))
        )
    # A visit closed today is over: its absent and failed students wait again.
    still_planned = Visit.objects.filter(
        campaign=campaign, date__gte=today, closed_at__isnull=True
    ).live()
    students = (
        Student.objects.filter(waiting(), school__in=schools)
        .exclude(planned_visits__in=still_planned)
        .order_by("pk")
        .values_list("pk", "school_id", "birth_date")
    )
    needs = {school.pk: [] for school in schools}
    for pk, school_id, birth_date in students:
        needs[school_id].append(
            StudentNeed(
                key=pk,
                eligible_from=dates.turns(birth_date, dates.RECORDING_AGE),
                overdue=dates.age_on(birth_date, start) >= dates.CARD_AGE,
            )
        )
    return Problem(
        days=days,
        half_days=half_days,
        last_day=campaign.last_day,
        schools=tuple(
            SchoolNeed(
                key=school.pk,
                code=school.code,
                kecamatan=school.kecamatan_id,
                students=tuple(needs[school.pk]),
                closed=frozenset(closed[school.pk]),
            )
            for school in schools
        ),
        teams=teams,
    )
