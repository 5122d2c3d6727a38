"""Time of planning 500 schools with 20 teams over 120 days (not a pass/fail test).

Run with `make bench`; prints the seconds taken, the team-days, the lower bound and how
many students were left out and why. Synthetic schools of 20 to 250 students, birthdays
spread so that some turn 16 during the campaign and some after it, a ten-day exam period
per school, teams of one to three kits, a quarter of them working Saturdays.
"""

import datetime
import random
import time
from collections import Counter

from campaigns.planning.calendar import national_days, open_days
from campaigns.planning.problem import Problem, SchoolNeed, StudentNeed, TeamSpec
from campaigns.planning.solver import solve

FIRST = datetime.date(2027, 7, 19)
LAST = FIRST + datetime.timedelta(days=119)


def build(schools=500, teams=20):
    rows = {day.date: day.kind for day in national_days(FIRST, LAST)}
    days, half = open_days(FIRST, LAST, rows, fridays_half_day=True)
    rng = random.Random(500)
    needs, key = [], 0
    for number in range(schools):
        students = []
        for _ in range(rng.randint(20, 250)):
            key += 1
            offset = rng.randint(-500, 300)
            students.append(
                StudentNeed(key, FIRST + datetime.timedelta(days=offset), offset < -365)
            )
        exams = FIRST + datetime.timedelta(days=rng.randint(0, 100))
        closed = frozenset(exams + datetime.timedelta(days=n) for n in range(10))
        needs.append(
            SchoolNeed(number + 1, f"S{number:04d}", f"k{number % 40}", tuple(students), closed)
        )
    crews = tuple(
        TeamSpec(
            n + 1,
            f"Tim {n + 1:02d}",
            60 * rng.choice([1, 2, 2, 3]),
            frozenset({1, 2, 3, 4, 5, 6} if n % 4 == 0 else {1, 2, 3, 4, 5}),
        )
        for n in range(teams)
    )
    return Problem(days, half, LAST, tuple(needs), crews)


def test_plan_500_schools_20_teams_120_days():
    problem = build()
    started = time.perf_counter()
    plan = solve(problem)
    seconds = time.perf_counter() - started
    left = Counter()
    for uncovered in plan.uncovered:
        left[uncovered.reason] += len(uncovered.students)
    print(
        f"\nplanner: {seconds:.1f} s, {plan.team_days} team-days, lower bound "
        f"{plan.lower_bound}, not covered {dict(left)}, notes {plan.notes}"
    )
    team_days = {(v.team, v.date) for v in plan.visits}
    assert len(team_days) == len(plan.visits)
