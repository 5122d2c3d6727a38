"""Each school's last visit first: the plan for big campaigns, and a lower bound for all.

Every student a plan covers at a school is covered on or before the school's last visit,
so a school whose last visit is on day d by a team of capacity c (that day) covers at most
E(d) students (those 16 by d), and needs at least 1 + ceil((covered - c) / M) visits, M
being the most any team records in a day. Giving each school one last visit, with no more
schools on a day than the teams of a capacity free that day, is then a relaxation of the
planning problem: it forgets the earlier visits' team-days and when they happen. It is an
assignment (a min-cost flow, solved exactly), so it yields

- the last visits of the plan: as many students covered as the relaxation allows, then as
  few visits, then each school as early as that allows (the earlier visits are fitted
  around them, in the team-days the last visits leave free); and
- a lower bound on the team-days of any plan covering at least C students: for any price
  p >= 0 per student, team-days >= sum over schools of (visits - p * covered) + p * C
  >= (the relaxation's least value of that sum) + p * C. With C the relaxation's own most
  students, a high price gives exactly its fewest visits.

Capacities of the last visit come from the day (half on a half day); a school's last visit
may only be on one of its open days.
"""

import bisect
import math

import numpy as np
from ortools.graph.python import min_cost_flow

from .greedy import school_order
from .problem import OVERDUE_WEIGHT, capacity_on, urgency

# Prices tried, in 1/PRICE_SCALE of a team-day per student, for a bound below the
# relaxation's most students; each try is one flow.
PRICE_SCALE = 64
PRICE_STEPS = 12


class LastVisits:
    """The relaxation of one problem: options per school, capacities per (day, class)."""

    def __init__(self, problem, classes, schools, candidates):
        self.problem, self.classes, self.schools = problem, classes, schools
        self.largest = max(
            (capacity_on(problem, c, day) for c in classes for day in problem.days), default=1
        )
        self.slots = {}  # (day index, class index) -> teams free
        self.options = []  # per school: [(day index, class index, eligible, capacity)]
        self.eligible = []  # per school: the sorted days its students turn 16
        for school in schools:
            dates = sorted(s.eligible_from for s in school.students)
            self.eligible.append(dates)
            own = []
            for i in candidates[school.key]:
                day = problem.days[i]
                ready = bisect.bisect_right(dates, day)
                if not ready:
                    continue
                for c, team_class in enumerate(classes):
                    free = team_class.free_on(day)
                    if free:
                        self.slots[i, c] = free
                        own.append((i, c, ready, capacity_on(problem, team_class, day)))
            self.options.append(own)

    def visits(self, covered, capacity):
        """The fewest visits covering `covered` students when the last holds `capacity`."""
        return 1 + math.ceil(max(covered - capacity, 0) / self.largest)

    def ready(self, school_index, day_index):
        return bisect.bisect_right(self.eligible[school_index], self.problem.days[day_index])

    def _flow(self, costs, none_costs):
        """Min-cost assignment: each school one option or none. Returns (cost, picks)."""
        slots = sorted(self.slots)
        slot_node = {slot: 1 + len(self.schools) + n for n, slot in enumerate(slots)}
        sink = 1 + len(self.schools) + len(slots)
        tails, heads, caps, unit = [], [], [], []

        def arc(tail, head, capacity, cost):
            tails.append(tail)
            heads.append(head)
            caps.append(capacity)
            unit.append(cost)

        for s in range(len(self.schools)):
            arc(0, 1 + s, 1, 0)
            arc(1 + s, sink, 1, none_costs[s])
        first_option = len(tails)
        for s, own in enumerate(self.options):
            for (i, c, _ready, _capacity), cost in zip(own, costs[s], strict=True):
                arc(1 + s, slot_node[i, c], 1, cost)
        last_option = len(tails)
        for slot in slots:
            arc(slot_node[slot], sink, self.slots[slot], 0)
        flow = min_cost_flow.SimpleMinCostFlow()
        arcs = flow.add_arcs_with_capacity_and_unit_cost(
            np.array(tails), np.array(heads), np.array(caps), np.array(unit)
        )
        supplies = np.zeros(sink + 1, dtype=np.int64)
        supplies[0], supplies[sink] = len(self.schools), -len(self.schools)
        flow.set_nodes_supplies(np.arange(sink + 1), supplies)
        status = flow.solve()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow: {status}")
        used = flow.flows(arcs[first_option:last_option])
        picks, n = [None] * len(self.schools), 0
        for s, own in enumerate(self.options):
            for option in own:
                if used[n]:
                    picks[s] = option
                n += 1
        return flow.optimal_cost(), picks

    def best(self):
        """The last visits: most students, then fewest visits, then earliest days (for a
        school with overdue students most of all).

        Returns (picks, covered, visits): per school its (day, class, eligible, capacity)
        or None, and the relaxation's most students and, with them, fewest visits.
        """
        # Lexicographic weights: the days' positions together never outweigh one visit,
        # nor all the visits one student. A school with overdue students counts days more.
        visit = OVERDUE_WEIGHT * len(self.problem.days) * len(self.schools) + 1
        most_visits = sum(self.visits(len(s.students), 0) for s in self.schools)
        student = visit * (most_visits + 1)
        costs = [
            [
                student * (len(school.students) - ready)
                + visit * self.visits(ready, cap)
                + urgency(school) * i
                for i, _c, ready, cap in own
            ]
            for school, own in zip(self.schools, self.options, strict=True)
        ]
        none_costs = [student * len(school.students) for school in self.schools]
        _cost, picks = self._flow(costs, none_costs)
        covered = sum(p[2] for p in picks if p)
        visits = sum(self.visits(p[2], p[3]) for p in picks if p)
        return picks, covered, visits

    def bound(self, covered, best_covered, best_visits):
        """A lower bound on the team-days of any plan covering at least `covered` students."""
        if covered >= best_covered:
            return best_visits
        # Below the relaxation's most students, the bound at a price of k / PRICE_SCALE per
        # student is concave in k: halve the interval towards where the slope changes sign.
        low, high, bound = 0, PRICE_SCALE * (self.largest + 1), 0
        for _step in range(PRICE_STEPS):
            price = (low + high) // 2
            value, reached = self._priced(price, covered)
            bound = max(bound, value)
            if reached > covered:
                high = price
            else:
                low = price + 1
            if low >= high:
                break
        return max(math.ceil(bound - 1e-9), 0)

    def _priced(self, price, covered):
        """The relaxation's value at `price` (in 1/PRICE_SCALE team-day per student) and the
        students its best assignment covers."""
        costs, choice = [], []
        for school, own in zip(self.schools, self.options, strict=True):
            row, picked = [], []
            n = len(school.students)
            for _i, _c, ready, cap in own:
                # Covering fewer than it could: the cheapest count is `ready`, or just
                # before a further visit would be needed.
                counts = [ready, *range(cap, ready, self.largest)]
                cost, count = min(
                    (PRICE_SCALE * self.visits(m, cap) + price * (n - m), m) for m in counts
                )
                row.append(cost)
                picked.append(count)
            costs.append(row)
            choice.append(picked)
        none_costs = [price * len(school.students) for school in self.schools]
        cost, picks = self._flow(costs, none_costs)
        reached = 0
        for s, pick in enumerate(picks):
            if pick:
                reached += choice[s][self.options[s].index(pick)]
        total = sum(len(school.students) for school in self.schools)
        return (cost - price * (total - covered)) / PRICE_SCALE, reached


def plan_around(problem, classes, schools, candidates, picks):
    """Visits for every school around its last visit: {school key: [(day, class), ...]}.

    The last visits take their team-days first. Then, school by school (those with overdue
    students first, then by kecamatan and code), the earlier visits needed so that what is
    left fits in the last one: a run on the school's earliest open days with a free team
    that does it in the fewest visits.
    """
    free = {}
    for c, team_class in enumerate(classes):
        for i, day in enumerate(problem.days):
            free[i, c] = team_class.free_on(day)
    for pick in picks:
        if pick:
            free[pick[0], pick[1]] -= 1
    chosen = {}
    index = {school.key: n for n, school in enumerate(schools)}
    for school in sorted(schools, key=school_order):
        pick = picks[index[school.key]]
        if pick is None:
            chosen[school.key] = []
            continue
        last, c, ready, cap = pick
        dates = sorted(s.eligible_from for s in school.students)
        early = _run(problem, classes, free, dates, candidates[school.key], last, ready - cap)
        for i, team_class in early:
            free[i, team_class] -= 1
        chosen[school.key] = sorted([*early, (last, c)])
    return chosen


def _run(problem, classes, free, dates, indexes, last, needed):
    """The visits before day `last` covering `needed` students, fewest first, then earliest."""
    if needed <= 0:
        return []

    def best_class(i):
        options = [
            (capacity_on(problem, team_class, problem.days[i]), -c)
            for c, team_class in enumerate(classes)
            if free[i, c] > 0
        ]
        return (max(options)[0], -max(options)[1]) if options else None

    before = [i for i in indexes if i < last]
    offers = {i: best_class(i) for i in before}
    ready = {i: bisect.bisect_right(dates, problem.days[i]) for i in before}
    largest = max((offer[0] for offer in offers.values() if offer), default=1)
    fewest = math.ceil(needed / largest)
    best, best_key = [], None
    for start in range(len(before)):
        taken, covered = [], 0
        for i in before[start:]:
            offer = offers[i]
            if offer is None or ready[i] <= covered:
                continue
            covered += min(offer[0], ready[i] - covered)
            taken.append((i, offer[1]))
            if covered >= needed:
                break
        key = (max(needed - covered, 0), len(taken))
        if best_key is None or key < best_key:
            best, best_key = taken, key
        if key == (0, fewest):
            break
    return best
