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
        taken_back_by__isnull=True,
    )
    return Q(status__in=WAITING) | (Q(status=Status.SIAK_PROBLEM) & Exists(refused))


def campaign_visits(campaign):
    """The live visits of a campaign, for its schedule pages and exports."""
    return Visit.objects.filter(campaign=campaign).live().for_list().order_by("date", "team__name")


def _availability(campaign, schools, first, last):
    """What a plan between `first` and `last` may use, as the planner reads it: the open
    days and half days, the teams with the days their live visits already hold, and each
    school's closed days (blackouts, and days it already has a visit)."""
    rows = dict(CalendarDay.objects.filter(campaign=campaign).values_list("date", "kind"))
    days, half_days = open_days(first, last, rows, fridays_half_day=campaign.fridays_half_day)
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
    closed = {school.pk: set(busy_schools.get(school.pk, ())) for school in schools}
    for blackout in BlackoutPeriod.objects.filter(
        school__in=schools, end__gte=first, start__lte=last
    ):
        closed[blackout.school_id].update(
            daterange(max(blackout.start, first), min(blackout.end, last))
        )
    return days, half_days, teams, closed


def planning_problem(campaign, *, today):
    """The planner's input for `campaign`, from tomorrow (or its first day) to its last.

    Visits that stay (every live visit: the caller has removed the old proposals) keep
    their team and school busy that day; the students meant for a stay visit still to come
    are not planned again. Students of an earlier visit, or of one closed today, who are
    still waiting (absent, or the recording failed) are planned again.
    """
    start = max(campaign.first_day, today + datetime.timedelta(days=1))
    schools = list(
        campaign.schools.filter(is_active=True).select_related("kecamatan").order_by("pk")
    )
    days, half_days, teams, closed = _availability(campaign, schools, start, campaign.last_day)
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


def handover_problem(campaign, schools, *, first, last, avoid=None):
    """The planner's input for handover-only visits: each of `schools` needs one team-day
    between `first` and `last` (within the campaign), on a day open for the school and a
    team, as the planner decides it for recording visits (holidays, closed days, blackouts,
    team working days, days already taken, and the days `avoid` gives it). The school's one
    need is keyed by its id."""
    first, last = max(first, campaign.first_day), min(last, campaign.last_day)
    schools = sorted(schools, key=lambda school: school.pk)
    days, half_days, teams, closed = _availability(campaign, schools, first, last)
    return Problem(
        days=days,
        half_days=half_days,
        last_day=last,
        schools=tuple(
            SchoolNeed(
                key=school.pk,
                code=school.code,
                kecamatan=school.kecamatan_id,
                students=(StudentNeed(key=school.pk, eligible_from=first),),
                closed=frozenset(closed[school.pk] | set((avoid or {}).get(school.pk, ()))),
            )
            for school in schools
        ),
        teams=teams,
    )
