"""The planner on small hand-made cases whose best plan is known."""

import datetime

from campaigns.planning.calendar import open_days
from campaigns.planning.lastvisit import LastVisits
from campaigns.planning.problem import (
    NO_CAPACITY,
    TURNS_16_AFTER_CAMPAIGN,
    Problem,
    SchoolNeed,
    StudentNeed,
    TeamSpec,
    Uncovered,
    team_classes,
)
from campaigns.planning.solver import solve

MON = datetime.date(2027, 1, 4)
WEEKDAYS = frozenset({1, 2, 3, 4, 5})


def day(n):
    return MON + datetime.timedelta(days=n)


def students(first_key, count, eligible=datetime.date(2026, 6, 1), overdue=False):
    return tuple(StudentNeed(first_key + i, eligible, overdue) for i in range(count))


def problem(schools, teams, last=4, calendar=None):
    days, half = open_days(MON, day(last), calendar or {}, fridays_half_day=False)
    return Problem(days, half, day(last), tuple(schools), tuple(teams))


def team(key=1, capacity=60):
    return TeamSpec(key, f"Tim {key}", capacity, WEEKDAYS)


def summary(plan):
    return [(v.school, v.team, v.date, len(v.students), v.part, v.parts) for v in plan.visits]


def test_plan_skips_a_public_holiday():
    school = SchoolNeed(1, "A", "k1", students(1, 50))
    plan = solve(problem([school], [team()], last=0 + 1, calendar={MON: "holiday"}))
    assert summary(plan) == [(1, 1, day(1), 50, 1, 1)]
    assert (plan.team_days, plan.lower_bound, plan.uncovered) == (1, 1, [])


def test_plan_waits_for_the_end_of_a_school_exam_week():
    closed = frozenset(day(n) for n in range(4))
    school = SchoolNeed(1, "A", "k1", students(1, 30), closed=closed)
    plan = solve(problem([school], [team()]))
    assert summary(plan) == [(1, 1, day(4), 30, 1, 1)]


def test_plan_splits_a_big_school_over_consecutive_days():
    school = SchoolNeed(1, "A", "k1", students(1, 150))
    plan = solve(problem([school], [team()]))
    assert [(v.date, len(v.students), v.part, v.parts) for v in plan.visits] == [
        (day(0), 60, 1, 3),
        (day(1), 60, 2, 3),
        (day(2), 30, 3, 3),
    ]
    assert (plan.team_days, plan.lower_bound, plan.optimal) == (3, 3, True)


def test_two_teams_serve_two_schools_on_one_day():
    schools = [
        SchoolNeed(1, "A", "k1", students(1, 60)),
        SchoolNeed(2, "B", "k2", students(100, 60)),
    ]
    plan = solve(problem(schools, [team(1), team(2)], last=0))
    assert sorted(summary(plan)) == [(1, 1, day(0), 60, 1, 1), (2, 2, day(0), 60, 1, 1)]
    assert (plan.team_days, plan.lower_bound) == (2, 2)


def test_a_team_never_visits_two_schools_on_one_day():
    schools = [
        SchoolNeed(1, "A", "k1", students(1, 10)),
        SchoolNeed(2, "B", "k1", students(100, 10)),
    ]
    plan = solve(problem(schools, [team(1)], last=1))
    assert sorted((v.team, v.date) for v in plan.visits) == [(1, day(0)), (1, day(1))]


def test_students_turning_16_mid_campaign_are_served_in_one_later_visit():
    # 40 students are 16 already, 10 turn 16 on the Thursday, one after the campaign.
    needs = students(1, 40) + students(100, 10, eligible=day(3)) + students(200, 1, day(30))
    plan = solve(problem([SchoolNeed(1, "A", "k1", needs)], [team()]))
    assert [(v.date, len(v.students)) for v in plan.visits] in ([(day(3), 50)], [(day(4), 50)])
    assert plan.uncovered == [Uncovered(1, (200,), TURNS_16_AFTER_CAMPAIGN)]
    assert (plan.team_days, plan.lower_bound) == (1, 1)


def test_overdue_students_are_in_the_first_visit_of_a_split_school():
    needs = students(1, 60) + students(100, 10, eligible=datetime.date(2025, 1, 1), overdue=True)
    plan = solve(problem([SchoolNeed(1, "A", "k1", needs)], [team()]))
    assert set(range(100, 110)) <= set(plan.visits[0].students)
    assert plan.team_days == 2


def test_the_same_input_gives_the_same_plan():
    schools = [
        SchoolNeed(k, f"S{k}", f"k{k % 3}", students(100 * k, 20 + 15 * k)) for k in range(1, 7)
    ]
    teams = [team(1, 60), team(2, 120)]
    first, second = solve(problem(schools, teams, last=11)), solve(problem(schools, teams, last=11))
    assert first.visits == second.visits
    assert first.team_days == second.team_days == first.lower_bound


def test_the_last_visits_bound_counts_the_teams_free_on_the_last_days():
    # 10 students of each school turn 16 on the Friday; only the 120 team holds a whole
    # school on that day, so the other school is seen twice.
    schools = [
        SchoolNeed(k, f"S{k}", "k1", students(100 * k, 90) + students(100 * k + 90, 10, day(4)))
        for k in (1, 2)
    ]
    plan = solve(problem(schools, [team(1, 120), team(2, 60)]))
    assert sorted((v.date, len(v.students)) for v in plan.visits)[-2:] == [
        (day(4), 10),
        (day(4), 100),
    ]
    assert (plan.team_days, plan.lower_bound, plan.optimal, plan.uncovered) == (3, 3, True, [])


def test_the_last_visits_bound_below_the_most_students_covered():
    schools = [
        SchoolNeed(k, f"S{k}", "k1", students(100 * k, 90) + students(100 * k + 90, 10, day(4)))
        for k in (1, 2)
    ]
    planning = problem(schools, [team(1, 120), team(2, 60)])
    relaxation = LastVisits(
        planning, team_classes(planning.teams), schools, {1: range(5), 2: range(5)}
    )
    _picks, most, fewest = relaxation.best()
    assert (most, fewest) == (200, 3)
    # 190: the 120 team on Thursday at one school and on Friday at the other.
    assert [relaxation.bound(c, most, fewest) for c in (200, 190, 100, 0)] == [3, 2, 1, 0]


def test_a_campaign_too_big_for_the_model_is_planned_around_last_visits():
    # 300 schools, 90 weekdays, 4 teams: the Friday at the end holds 4 of the schools whose
    # last 10 students turn 16 that day; the others are seen once, earlier, without them.
    last = 18 * 7 - 3
    schools = [
        SchoolNeed(
            k,
            f"S{k:03d}",
            f"k{k % 7}",
            students(100 * k, 40, overdue=k == 300) + students(100 * k + 40, 10, day(last)),
        )
        for k in range(1, 301)
    ]
    plan = solve(problem(schools, [team(k) for k in range(1, 5)], last=last))
    assert (plan.team_days, plan.lower_bound, plan.optimal) == (300, 300, True)
    assert plan.notes == ["no_layout_round"]
    assert sorted(len(v.students) for v in plan.visits if v.date == day(last)) == [50] * 4
    assert sum(len(u.students) for u in plan.uncovered) == 296 * 10
    assert {u.reason for u in plan.uncovered} == {NO_CAPACITY}
    assert [v.date for v in plan.visits if v.school == 300] == [MON]


def test_a_campaign_with_nobody_to_record_yet_plans_nothing():
    school = SchoolNeed(1, "A", "k1", students(1, 3, eligible=day(30)))
    plan = solve(problem([school], [team()]))
    assert (plan.visits, plan.team_days, plan.lower_bound, plan.optimal) == ([], 0, 0, True)
    assert plan.uncovered == [Uncovered(1, (1, 2, 3), TURNS_16_AFTER_CAMPAIGN)]
