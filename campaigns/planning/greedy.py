"""A quick feasible plan: the solver's starting point, and the plan when it finds no better.

Schools are taken in a fixed order (those with overdue students first, then by kecamatan
and code). Each gets a main run from its first free day, on consecutive free days, until
every student who was 16 when the run began is served; then one catch-up run placed as
late as possible for the students who turn 16 during the campaign.
"""

from .problem import capacity_on, fill


def school_order(school):
    overdue = sum(1 for s in school.students if s.overdue)
    return (-overdue, school.kecamatan, school.code, school.key)


def greedy(problem, schools, classes, candidates):
    """Returns {school key: [(day index, class index), ...]}.

    `schools` are the SchoolNeeds with their coverable students only; `candidates` maps
    a school key to the day indexes the school is open on.
    """
    free = [[team_class.free_on(day) for day in problem.days] for team_class in classes]
    return {
        school.key: _school_plan(problem, classes, free, school, candidates[school.key])
        for school in sorted(schools, key=school_order)
    }


def _school_plan(problem, classes, free, school, days):
    chosen = []

    def best_class(index):
        options = [
            (capacity_on(problem, classes[c], problem.days[index]), -c)
            for c in range(len(classes))
            if free[c][index] > 0
        ]
        return -max(options)[1] if options else None

    def take(index):
        team_class = best_class(index)
        free[team_class][index] -= 1
        chosen.append((index, team_class))

    def left_over():
        visits = sorted(
            (problem.days[i], capacity_on(problem, classes[c], problem.days[i])) for i, c in chosen
        )
        return fill(visits, school.students)[1]

    open_days = [i for i in days if best_class(i) is not None]
    if open_days:
        start = problem.days[open_days[0]]
        if any(s.eligible_from <= start for s in school.students):
            for index in open_days:
                take(index)
                if not any(s.eligible_from <= start for s in left_over()):
                    break
    last_main = max((i for i, _c in chosen), default=-1)
    for index in reversed([i for i in days if i > last_main]):
        day = problem.days[index]
        if not any(s.eligible_from <= day for s in left_over()):
            break
        if best_class(index) is not None:
            take(index)
    return sorted(chosen)
