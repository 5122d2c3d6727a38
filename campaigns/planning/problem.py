"""The planner's input and output as plain data, and the steps that need no solver.

Dates are `datetime.date`; keys are whatever the caller uses to find its rows again
(database ids in the app, small numbers in the tests).
"""

import datetime
from dataclasses import dataclass, field

from .calendar import day_capacity

TURNS_16_AFTER_CAMPAIGN = "turns_16_after_campaign"
NO_OPEN_DAY = "no_open_day"
NO_CAPACITY = "no_capacity"
OVERDUE_WEIGHT = 5


@dataclass(frozen=True)
class StudentNeed:
    key: int
    eligible_from: datetime.date  # the first day they may be recorded (their 16th birthday)
    overdue: bool = False  # 17 or older and still not recorded: served first


@dataclass(frozen=True)
class SchoolNeed:
    key: int
    code: str
    kecamatan: str
    students: tuple[StudentNeed, ...]
    closed: frozenset[datetime.date] = frozenset()  # blackout days, days already taken


@dataclass(frozen=True)
class TeamSpec:
    key: int
    name: str
    capacity: int  # students in a full day: kits * per_kit_per_day
    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})  # ISO weekdays
    busy: frozenset[datetime.date] = frozenset()  # days with a visit kept from before

    def works_on(self, day):
        return day.isoweekday() in self.weekdays and day not in self.busy


@dataclass(frozen=True)
class Problem:
    days: tuple[datetime.date, ...]  # the campaign's open days still to plan, in order
    half_days: frozenset[datetime.date]
    last_day: datetime.date  # the campaign's last day (a student turning 16 after it waits)
    schools: tuple[SchoolNeed, ...]
    teams: tuple[TeamSpec, ...]


@dataclass(frozen=True)
class PlannedVisit:
    school: int
    team: int
    date: datetime.date
    students: tuple[int, ...]
    part: int = 1
    parts: int = 1


@dataclass(frozen=True)
class Uncovered:
    school: int
    students: tuple[int, ...]
    reason: str


@dataclass
class Plan:
    visits: list[PlannedVisit]
    team_days: int
    lower_bound: int
    uncovered: list[Uncovered]
    optimal: bool = False  # the solver proved no plan covering as many needs fewer team-days
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TeamClass:
    """Teams of one capacity: on a day the planner may give a school any of them that works."""

    capacity: int
    teams: tuple[TeamSpec, ...]

    def free_on(self, day):
        return sum(1 for team in self.teams if team.works_on(day))


def team_classes(teams):
    groups = {}
    for team in sorted(teams, key=lambda t: (t.name, t.key)):
        groups.setdefault(team.capacity, []).append(team)
    return [TeamClass(capacity, tuple(groups[capacity])) for capacity in sorted(groups)[::-1]]


def capacity_on(problem, team_class, day):
    return day_capacity(team_class.capacity, day in problem.half_days)


def urgency(school):
    """How much a day's delay weighs for a school: far more with overdue students."""
    return OVERDUE_WEIGHT if any(s.overdue for s in school.students) else 1


def student_order(student):
    """Who goes first into a visit: overdue students, then the oldest, then by key."""
    return (not student.overdue, student.eligible_from, student.key)


def fill(visits, students):
    """Give each visit its students: overdue and oldest first, each on or after turning 16.

    `visits` is a list of (day, capacity) in date order. Filling each visit in date order
    with as many eligible students as it holds covers the most students there are: every
    student eligible on one day is eligible on all later days. Returns ({day: [keys]},
    [students left over]).
    """
    pending = sorted(students, key=student_order)
    taken = {}
    for day, capacity in visits:
        chosen = [s for s in pending if s.eligible_from <= day][:capacity]
        taken[day] = [s.key for s in chosen]
        chosen_keys = set(taken[day])
        pending = [s for s in pending if s.key not in chosen_keys]
    return taken, pending


def assign_teams(problem, chosen):
    """Concrete teams for the chosen (school, day, class) triples.

    A team that was at the same school the open day before stays there (a split school
    keeps its team); the rest take the free teams of their class in name order.
    """
    by_day = {}
    for school, day, index in chosen:
        by_day.setdefault(day, []).append((school, index))
    classes = team_classes(problem.teams)
    previous = {}  # school key -> team key, on the open day before
    result = []
    for day in problem.days:
        today = {}
        for index, team_class in enumerate(classes):
            schools = sorted(s for s, c in by_day.get(day, []) if c == index)
            free = [team for team in team_class.teams if team.works_on(day)]
            free_keys = [team.key for team in free]
            for school in list(schools):
                if previous.get(school) in free_keys:
                    team = previous[school]
                    free_keys.remove(team)
                    today[school] = team
                    schools.remove(school)
            for school, team in zip(schools, free_keys, strict=False):
                today[school] = team
        result.extend((school, team, day) for school, team in today.items())
        previous = today
    return result


def split_parts(visits_by_school, days):
    """Number the visits of a school: a run over consecutive open days is part 1..n of n."""
    position = {day: index for index, day in enumerate(days)}
    parts = {}
    for school, visit_days in visits_by_school.items():
        run = []
        for day in sorted(visit_days):
            if run and position[day] != position[run[-1]] + 1:
                parts.update(_number(school, run))
                run = []
            run.append(day)
        parts.update(_number(school, run))
    return parts


def _number(school, run):
    return {(school, day): (index + 1, len(run)) for index, day in enumerate(run)}
