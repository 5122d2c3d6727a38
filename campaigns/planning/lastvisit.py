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

# Prices per student are tried in steps of 1/PRICE_SCALE team-day (each try is one flow)
# for the bound below the relaxation's most students.
PRICE_SCALE = 64


class LastVisits:
    """The relaxation of one problem: each school's options for its last visit, as arrays."""

    def __init__(self, problem, classes, schools, candidates):
        self.schools = schools
        self.largest = max(
            (capacity_on(problem, c, day) for c in classes for day in problem.days), default=1
        )
        slots = {}  # (day index, class index) -> teams free
        rows = []  # (school, day index, class index, students 16 by then, capacity)
        for s, school in enumerate(schools):
            dates = sorted(student.eligible_from for student in school.students)
            for i in candidates[school.key]:
                day = problem.days[i]
                ready = bisect.bisect_right(dates, day)
                for c, team_class in enumerate(classes):
                    if ready and team_class.free_on(day):
                        slots[i, c] = team_class.free_on(day)
                        rows.append((s, i, c, ready, capacity_on(problem, team_class, day)))
        self.options = np.array(rows, dtype=np.int64).reshape(-1, 5)
        self.sizes = np.array([len(school.students) for school in schools], dtype=np.int64)
        self.urgency = np.array([urgency(school) for school in schools], dtype=np.int64)
        # The network: source 0, a node per school, per slot, then the sink. Only the
        # costs change from one flow to the next.
        count = len(schools)
        node = {slot: 1 + count + n for n, slot in enumerate(sorted(slots))}
        sink = 1 + count + len(node)
        school_nodes = np.arange(1, count + 1, dtype=np.int64)
        option_slots = np.array([node[i, c] for _s, i, c, _r, _cap in rows], dtype=np.int64)
        self.tails = np.concatenate(
            [
                np.zeros(count, np.int64),
                school_nodes,
                1 + self.options[:, 0],
                np.array(sorted(node.values()), dtype=np.int64),
            ]
        )
        self.heads = np.concatenate(
            [school_nodes, np.full(count, sink), option_slots, np.full(len(node), sink)]
        )
        self.caps = np.concatenate(
            [
                np.ones(2 * count + len(rows), np.int64),
                np.array([slots[slot] for slot in sorted(node)], dtype=np.int64),
            ]
        )
        self.supplies = np.zeros(sink + 1, dtype=np.int64)
        self.supplies[0], self.supplies[sink] = count, -count

    def visits(self, covered, capacity):
        """The fewest visits covering `covered` students when the last holds `capacity`."""
        return 1 + (np.maximum(covered - capacity, 0) + self.largest - 1) // self.largest

    def _flow(self, option_costs, none_costs):
        """The least-cost assignment: each school one option or none.

        Returns (its cost, the index of each school's option or -1 for none)."""
        count = len(self.schools)
        flow = min_cost_flow.SimpleMinCostFlow()
        costs = np.concatenate(
            [
                np.zeros(count, np.int64),
                none_costs,
                option_costs,
                np.zeros(len(self.caps) - 2 * count - len(option_costs), np.int64),
            ]
        )
        arcs = flow.add_arcs_with_capacity_and_unit_cost(self.tails, self.heads, self.caps, costs)
        flow.set_nodes_supplies(np.arange(len(self.supplies)), self.supplies)
        status = flow.solve()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow: {status}")
        used = flow.flows(arcs[2 * count : 2 * count + len(option_costs)])
        picked = np.full(count, -1)
        chosen = np.nonzero(used)[0]
        picked[self.options[chosen, 0]] = chosen
        return flow.optimal_cost(), picked

    def best(self):
        """The last visits: most students, then fewest visits, then earliest days (for a
        school with overdue students most of all).

        Returns (picks, covered, visits): per school its (day, class, eligible, capacity)
        or None, and the relaxation's most students and, with them, fewest visits.
        """
        if not self.schools:
            return [], 0, 0
        school, day, _c, ready, capacity = self.options.T
        # Lexicographic weights: the days' positions together never outweigh one visit,
        # nor all the visits one student. A school with overdue students counts days more.
        visit = OVERDUE_WEIGHT * (int(day.max(initial=0)) + 1) * len(self.schools) + 1
        student = visit * (int(self.visits(self.sizes, 0).sum()) + 1)
        costs = (
            student * (self.sizes[school] - ready)
            + visit * self.visits(ready, capacity)
            + self.urgency[school] * day
        )
        _cost, picked = self._flow(costs, student * self.sizes)
        taken = self.options[picked[picked >= 0]]
        picks = [tuple(int(v) for v in self.options[n, 1:]) if n >= 0 else None for n in picked]
        return picks, int(taken[:, 3].sum()), int(self.visits(taken[:, 3], taken[:, 4]).sum())

    def bound(self, covered, best_covered, best_visits):
        """A lower bound on the team-days of any plan covering at least `covered` students."""
        if covered >= best_covered:
            return best_visits
        # Below the relaxation's most students, the bound at a price of k / PRICE_SCALE per
        # student is concave in k: halve the interval towards where the slope changes sign.
        # Any price gives a true bound; the search only looks for a good one.
        low, high, bound = 0, PRICE_SCALE * (self.largest + 1), 0
        while low < high:
            price = (low + high) // 2
            value, reached = self._priced(price, covered)
            bound = max(bound, value)
            if reached > covered:
                high = price
            else:
                low = price + 1
        return max(math.ceil(bound - 1e-9), 0)

    def _priced(self, price, covered):
        """The relaxation's value at `price` (in 1/PRICE_SCALE team-day per student) and the
        students its best assignment covers."""
        school, _day, _c, ready, capacity = self.options.T
        left = self.sizes[school]
        # An option may cover fewer than it could: the cheapest count is all of `ready`,
        # or as many as fit just before one more visit would be needed.
        cost = PRICE_SCALE * self.visits(ready, capacity) + price * (left - ready)
        count = ready.copy()
        for k in range(int(ready.max(initial=0)) // self.largest + 1):
            fewer = capacity + k * self.largest
            cheaper = (fewer < ready) & (PRICE_SCALE * (1 + k) + price * (left - fewer) < cost)
            cost = np.where(cheaper, PRICE_SCALE * (1 + k) + price * (left - fewer), cost)
            count = np.where(cheaper, fewer, count)
        total, picked = self._flow(cost, price * self.sizes)
        reached = int(count[picked[picked >= 0]].sum())
        return (total - price * (int(self.sizes.sum()) - covered)) / PRICE_SCALE, reached


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
