"""The visit planner: which team visits which school on which day, with as few team-days
as it can, proven against a lower bound.

The model (OR-Tools CP-SAT) decides, for each school and open day, whether a team of a
given class (teams of one capacity and one set of working days are interchangeable) is
there. A team-day holds `capacity` students (half on a half day); a student may only be
served on or after their 16th birthday. Each school has one team at most per day; each
class no more teams on a day than it has free. Whether the students fit is exact and
linear: served students = all students minus the worst shortfall over the suffixes of
the school's days (the students who turn 16 from a day on must fit in the visits from
that day on), because the students eligible on a day are eligible on every later day.

Two rounds, lexicographic: (1) as many students covered as possible, then as few
team-days as possible; (2) with those two fixed, the plan that reads best: a school's
visits on consecutive days (few runs), the schools of one kecamatan on neighbouring days,
schools with overdue students early. The start and the fallback is the better of two quick
plans: the greedy one, and the one built around each school's last visit (lastvisit.py).
A campaign too big for the model keeps that plan as it is.

The reported lower bound is the best of three that each hold for every plan covering as
many students: each school's students over the largest team-day, CP-SAT's proven bound on
round one, and the last-visit relaxation's (lastvisit.py).

Same input, same plan: one worker, a fixed seed, deterministic time limits, inputs sorted.
"""

import math

from ortools.sat.python import cp_model

from . import lastvisit
from .greedy import greedy
from .problem import (
    NO_CAPACITY,
    NO_OPEN_DAY,
    TURNS_16_AFTER_CAMPAIGN,
    Plan,
    PlannedVisit,
    SchoolNeed,
    Uncovered,
    assign_teams,
    capacity_on,
    fill,
    split_parts,
    team_classes,
    urgency,
)

SEED = 6311
# Deterministic seconds (CP-SAT's own measure of work, the same on every machine) for the
# two rounds, and a wall-clock safety net for each that a normal run does not reach.
EFFORT = 5.0
WALL_LIMIT = 20.0
# Above this many decisions CP-SAT spends its effort reading the model (500 schools, 100
# days and 3 capacities take it half a minute before it searches), so a big campaign keeps
# the better of the two quick plans, which the last-visit relaxation often proves optimal.
FULL_MODEL_LIMIT = 25_000
RUN_WEIGHT = 1000
KECAMATAN_RUN_WEIGHT = 100


def solve(problem, *, effort=EFFORT):
    """Plan the visits of `problem` (a planning.problem.Problem). Returns a Plan."""
    classes = team_classes(problem.teams)
    days = problem.days
    usable = [any(c.free_on(day) for c in classes) for day in days]
    schools, candidates, uncovered = [], {}, []
    for school in sorted(problem.schools, key=lambda s: (s.code, s.key)):
        open_indexes = [i for i, day in enumerate(days) if usable[i] and day not in school.closed]
        late, no_day, coverable = [], [], []
        for student in sorted(school.students, key=lambda s: s.key):
            if student.eligible_from > problem.last_day:
                late.append(student.key)
            elif not any(days[i] >= student.eligible_from for i in open_indexes):
                no_day.append(student.key)
            else:
                coverable.append(student)
        for keys, reason in ((late, TURNS_16_AFTER_CAMPAIGN), (no_day, NO_OPEN_DAY)):
            if keys:
                uncovered.append(Uncovered(school.key, tuple(keys), reason))
        if coverable:
            schools.append(SchoolNeed(school.key, school.code, school.kecamatan, tuple(coverable)))
            candidates[school.key] = open_indexes

    relaxation = lastvisit.LastVisits(problem, classes, schools, candidates)
    picks, most, fewest = relaxation.best()
    start, score = min(
        (
            _tidy(problem, classes, schools, option)
            for option in (
                greedy(problem, schools, classes, candidates),
                lastvisit.plan_around(problem, classes, schools, candidates, picks),
            )
        ),
        key=lambda tidied: tidied[1],
    )
    chosen, bound, notes = start, 0, []
    if schools:
        if sum(len(v) for v in candidates.values()) * len(classes) <= FULL_MODEL_LIMIT:
            # The relaxation's most students and fewest visits are reached: nothing to improve.
            settled = score == (sum(len(s.students) for s in schools) - most, fewest)
            found = _Model(problem, classes, schools, candidates).solve(
                start, score, effort, settled=settled
            )
            if found is None:
                notes.append("solver_found_nothing_better")
            else:
                chosen, bound = found
        else:
            notes.append("no_layout_round")
    plan = _assemble(problem, classes, schools, chosen)
    plan.uncovered = sorted(uncovered + plan.uncovered, key=lambda u: (u.school, u.reason))
    missed = sum(len(u.students) for u in plan.uncovered if u.reason == NO_CAPACITY)
    covered = sum(len(s.students) for s in schools) - missed
    largest = max((c.capacity for c in classes), default=1)
    plan.lower_bound = max(
        _simple_bound([len(s.students) for s in schools], largest, missed),
        bound - _big(problem, classes) * missed,
        relaxation.bound(covered, most, fewest),
    )
    plan.optimal = plan.lower_bound == plan.team_days
    plan.notes = notes
    return plan


def _tidy(problem, classes, schools, chosen):
    """`chosen` without the visits that would see nobody, and its (students left out,
    team-days): the planner's two aims, in order."""
    days, tidy, missed = problem.days, {}, 0
    for school in schools:
        visits = sorted(chosen.get(school.key, []))
        taken, left = fill(
            [(days[i], capacity_on(problem, classes[c], days[i])) for i, c in visits],
            school.students,
        )
        tidy[school.key] = [(i, c) for i, c in visits if taken[days[i]]]
        missed += len(left)
    return tidy, (missed, sum(len(v) for v in tidy.values()))


def _simple_bound(sizes, largest, missed):
    """Team-days any plan needs to cover all but `missed` students: each school's students
    over the largest team-day, less the days saved by leaving out the cheapest remainders."""
    days = sum(math.ceil(n / largest) for n in sizes)
    remainders = sorted((n % largest) or largest for n in sizes if n)
    for remainder in remainders:
        if remainder > missed:
            break
        missed -= remainder
        days -= 1
    return days


def _big(problem, classes):
    """More than any number of team-days: one student covered outweighs them all."""
    return sum(c.free_on(day) for c in classes for day in problem.days) + 1


class _Model:
    def __init__(self, problem, classes, schools, candidates):
        self.problem, self.classes, self.schools = problem, classes, schools
        self.model = model = cp_model.CpModel()
        days = problem.days
        self.x = {}
        self.present = {}  # (school key, day index) -> linear expression, 0 or 1
        for school in schools:
            for i in candidates[school.key]:
                here = []
                for c, team_class in enumerate(classes):
                    if team_class.free_on(days[i]) > 0:
                        var = model.new_bool_var(f"x_{school.key}_{i}_{c}")
                        self.x[school.key, i, c] = var
                        here.append(var)
                model.add(sum(here) <= 1)
                self.present[school.key, i] = sum(here)
        per_day = {}
        for (_s, i, c), var in self.x.items():
            per_day.setdefault((i, c), []).append(var)
        for (i, c), used in sorted(per_day.items()):
            model.add(sum(used) <= classes[c].free_on(days[i]))
        self.miss = {}
        for school in schools:
            self._cover(school, candidates[school.key])
        self.team_days = sum(self.x.values())
        self.missed = sum(self.miss.values())
        self.big = _big(problem, classes)

    def _cover(self, school, indexes):
        model, days = self.model, self.problem.days
        n = len(school.students)
        miss = model.new_int_var(0, n, f"miss_{school.key}")
        self.miss[school.key] = miss
        total = sum(
            capacity_on(self.problem, self.classes[c], days[i])
            for i in indexes
            for c in range(len(self.classes))
            if (school.key, i, c) in self.x
        )
        suffix, following = {}, 0
        for i in reversed(indexes):
            served = sum(
                capacity_on(self.problem, self.classes[c], days[i]) * self.x[school.key, i, c]
                for c in range(len(self.classes))
                if (school.key, i, c) in self.x
            )
            var = model.new_int_var(0, total, f"suf_{school.key}_{i}")
            model.add(var == following + served)
            suffix[i], following = var, var
        # Students who turn 16 on or after each candidate day must fit in the visits from then on.
        # (A student with no candidate day left can only be missed.)
        first_index, waiting = {}, 0
        for student in school.students:
            i = next((j for j in indexes if days[j] >= student.eligible_from), None)
            if i is None:
                waiting += 1
            else:
                first_index[i] = first_index.get(i, 0) + 1
        model.add(miss >= waiting)
        for i in sorted(first_index, reverse=True):
            waiting += first_index[i]
            model.add(suffix[i] + miss >= waiting)

    def _params(self, effort):
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = SEED
        solver.parameters.max_deterministic_time = effort
        solver.parameters.max_time_in_seconds = WALL_LIMIT
        solver.parameters.interleave_search = False
        return solver

    def _hint(self, chosen):
        self.model.clear_hints()
        picked = {(s, i, c) for s, visits in chosen.items() for i, c in visits}
        for key, var in self.x.items():
            self.model.add_hint(var, 1 if key in picked else 0)

    def _read(self, solver):
        chosen = {school.key: [] for school in self.schools}
        for (s, i, c), var in self.x.items():
            if solver.boolean_value(var):
                chosen[s].append((i, c))
        return {s: sorted(v) for s, v in chosen.items()}

    def solve(self, start, score, effort, *, settled=False):
        """Round one from `start` (whose (missed, team-days) is `score`; none when `start`
        is `settled`, proven the best already), then the layout round on the better of the
        two. Returns (chosen, bound) or None."""
        model = self.model
        chosen, bound, (missed, team_days) = start, 0, score
        if not settled:
            self._hint(start)
            model.minimize(self.big * self.missed + self.team_days)
            solver = self._params(effort * 0.6)
            status = solver.solve(model)
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return None
            bound = math.ceil(solver.best_objective_bound - 1e-6)
            if (solver.value(self.missed), solver.value(self.team_days)) <= score:
                chosen = self._read(solver)
                missed, team_days = solver.value(self.missed), solver.value(self.team_days)
        model.add(self.missed == missed)
        model.add(self.team_days == team_days)
        self._hint(chosen)
        model.minimize(self._layout(chosen))
        solver = self._params(effort * 0.4)
        if solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            chosen = self._read(solver)
        return chosen, bound

    def _layout(self, chosen):
        """Few runs per school, few per kecamatan, overdue students early.

        Its helper variables get hints from `chosen`, so the round starts from that plan.
        """
        model, days = self.model, self.problem.days
        visited = {(s, i) for s, visits in chosen.items() for i, _c in visits}
        runs, kecamatan_runs, lateness = [], [], []
        by_kecamatan = {}
        for school in self.schools:
            by_kecamatan.setdefault(school.kecamatan, []).append(school.key)
            # Every school is better served early; one with overdue students far more so.
            for i in range(len(days)):
                here = self.present.get((school.key, i))
                if here is None:
                    continue
                before = self.present.get((school.key, i - 1), 0)
                start = model.new_bool_var(f"run_{school.key}_{i}")
                model.add(start >= here - before)
                is_start = (school.key, i) in visited and (school.key, i - 1) not in visited
                model.add_hint(start, is_start)
                runs.append(start)
                lateness.append(urgency(school) * i * here)
        for kecamatan, keys in sorted(by_kecamatan.items()):
            previous, was_active = 0, False
            for i in range(len(days)):
                here = [self.present[k, i] for k in keys if (k, i) in self.present]
                if not here:
                    previous, was_active = 0, False
                    continue
                is_active = any((k, i) in visited for k in keys)
                active = model.new_bool_var(f"kec_{kecamatan}_{i}")
                model.add_hint(active, is_active)
                model.add(active <= sum(here))
                for term in here:
                    model.add(active >= term)
                start = model.new_bool_var(f"kecrun_{kecamatan}_{i}")
                model.add(start >= active - previous)
                model.add_hint(start, is_active and not was_active)
                kecamatan_runs.append(start)
                previous, was_active = active, is_active
        return RUN_WEIGHT * sum(runs) + KECAMATAN_RUN_WEIGHT * sum(kecamatan_runs) + sum(lateness)


def _assemble(problem, classes, schools, chosen):
    days = problem.days
    picked = [(s, i, c) for s, visits in sorted(chosen.items()) for i, c in visits]
    triples = [(s, days[i], c) for s, i, c in picked]
    capacity = {(s, days[i]): capacity_on(problem, classes[c], days[i]) for s, i, c in picked}
    teams = assign_teams(problem, triples)
    team_of = {(school, day): team for school, team, day in teams}
    visits, uncovered = [], []
    served = {}
    for school in schools:
        own = sorted(day for (s, day) in capacity if s == school.key)
        taken, left = fill([(day, capacity[school.key, day]) for day in own], school.students)
        served[school.key] = [day for day in own if taken[day]]
        if left:
            uncovered.append(Uncovered(school.key, tuple(sorted(s.key for s in left)), NO_CAPACITY))
        for day in served[school.key]:
            visits.append((school.key, day, tuple(taken[day])))
    parts = split_parts(served, days)
    planned = [
        PlannedVisit(school, team_of[school, day], day, students, *parts[school, day])
        for school, day, students in sorted(visits, key=lambda v: (v[1], v[0]))
    ]
    return Plan(visits=planned, team_days=len(planned), lower_bound=0, uncovered=uncovered)
