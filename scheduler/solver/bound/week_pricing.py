"""The pieces of column generation over whole weeks (``week_bound``, ``class_bound``): the
rows' prices, a class's cheapest week at those prices (a shortest path over its days), and the
master linear programme that mixes the weeks found."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from scheduler.solver.bound.route_relaxation import Relaxation
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.params import BoundParams

SLACK_PRICE = 1e4
"""Cost per unit of a master row's shortfall, so that the master has a solution from the start."""

NO_WEEK_PRICE = 1e7
"""Cost of a class taking no week at all in the master (see ``Master``)."""


DayRouteChoice = tuple[frozenset[str], str]
"""A day of a week: the sites visited and the place the class ends the day."""
Weeks = dict[str, tuple[DayRouteChoice, ...]]
"""Class id -> a week of the relaxation, day by day."""


class Prices:
    """The rows priced in the master (all but the flow between days, which the weeks keep), as
    sparse arrays over the relaxation's columns."""

    def __init__(self, relaxed: Relaxation):
        rows = relaxed.rows
        self.names = [name for name in rows.sense if not name.startswith("flow[")]
        index = {name: i for i, name in enumerate(self.names)}
        self.sense = np.array([{"=": 0, ">=": 1, "<=": -1}[rows.sense[n]] for n in self.names])
        self.rhs = np.array([rows.rhs[n] for n in self.names], dtype=float)
        self._index = index
        self.cost = np.zeros(0)
        self.column, self.row, self.value = np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0)
        self.extend(relaxed.columns)

    def extend(self, columns: list) -> None:
        """Price these columns too, numbered after those already priced (``route_generation``)."""
        index, first = self._index, len(self.cost)
        entries = [(first + j, index[n], v) for j, c in enumerate(columns) for n, v in c.rows.items() if n in index]
        self.cost = np.concatenate([self.cost, np.array([c.cost for c in columns], dtype=float)])
        if entries:
            column, row, value = (np.array(a) for a in zip(*entries, strict=True))
            self.column = np.concatenate([self.column, column])
            self.row = np.concatenate([self.row, row])
            self.value = np.concatenate([self.value, value])

    def signed(self, duals: np.ndarray) -> np.ndarray:
        """The duals with the signs a lower bound needs (>= rows: at least 0, <= rows: at most 0)."""
        duals = duals.copy()
        duals[self.sense == 1] = np.maximum(duals[self.sense == 1], 0.0)
        duals[self.sense == -1] = np.minimum(duals[self.sense == -1], 0.0)
        return duals

    def reduced_costs(self, duals: np.ndarray) -> np.ndarray:
        duals = self.signed(duals)
        return self.cost - np.bincount(self.column, weights=self.value * duals[self.row], minlength=len(self.cost))

    def constant(self, duals: np.ndarray) -> float:
        return float(self.signed(duals) @ self.rhs)

    def activity(self, columns: np.ndarray) -> np.ndarray:
        """Each row's total over the given columns (a week, each column once). The entries are
        numbered by column (``extend`` adds them so), so each column's are one stretch."""
        columns = np.asarray(columns)
        first = np.searchsorted(self.column, columns, "left")
        last = np.searchsorted(self.column, columns, "right")
        entries = np.concatenate([np.arange(a, b) for a, b in zip(first, last, strict=True)] or [np.zeros(0, int)])
        return np.bincount(self.row[entries], weights=self.value[entries], minlength=len(self.names))


@dataclass(frozen=True)
class Week:
    columns: np.ndarray  # one day route a day, by column number
    reduced: float  # its reduced cost at the prices it was priced at
    sites: tuple[str, ...]  # every visit, repeats included

    @property
    def repeated(self) -> list[str]:
        """The sites visited more than once, sorted (the same order in every process)."""
        return sorted({s for s in self.sites if self.sites.count(s) > 1})


def compiled_joins():
    """The compiled inner loop of the pricing (``compiled.cheapest_joins``), imported at its
    first use: numba takes a good part of a second to import, which the commands and solves
    that never price a week should not pay."""
    from scheduler.solver.bound.compiled import cheapest_joins

    return cheapest_joins


class ClassWeeks:
    """A class's cheapest week at given prices: a shortest path over its days, through the
    places it sleeps, remembering which tracked sites it has visited (each at most once, every
    must-visit site by the end)."""

    def __init__(
        self,
        cand: Candidates,
        relaxed: Relaxation,
        prices: Prices,
        class_id: str,
        *,
        max_tracked: int = BoundParams().max_tracked,
    ):
        klass = cand.scenario.training_class(class_id)
        self.first, self.last = klass.first_place, klass.last_place
        self.days = cand.scenario.programme.days
        self.class_id = class_id
        self.columns = relaxed.columns
        self.must = list(cand.requirements(klass).must_visit)
        self.max_tracked = max_tracked
        self.tracked = self.must[:max_tracked]
        self.place_numbers: dict[str, int] = {}
        self.refresh()

    def refresh(self) -> None:
        """Take in the columns added to the relaxation since (``route_generation``)."""
        self.own = np.array([j for j, c in enumerate(self.columns) if c.class_id == self.class_id], dtype=int)
        # what the grouping reads of each column, looked up once: its day, its places as
        # numbers (numbered as first met, start before end) and its sites as a flat list
        day, start, end, flat, owner = [], [], [], [], []
        site_number: dict[str, int] = {}
        for k, j in enumerate(self.own):
            route = self.columns[j].route
            day.append(route.day)
            start.append(self._place(route.start))
            end.append(self._place(route.end))
            for site in route.sites:
                flat.append(site_number.setdefault(site, len(site_number)))
                owner.append(k)
        self._day, self._start, self._end = (np.array(a, dtype=np.int64) for a in (day, start, end))
        self._site_number = site_number
        self._flat_sites = np.array(flat, dtype=np.int64)
        self._site_owner = np.array(owner, dtype=np.int64)
        self._group()

    def _group(self) -> None:
        """Columns with the same day, places and tracked sites are interchangeable to the path:
        only the cheapest of each group matters."""
        bits = np.zeros(len(self._site_number), dtype=np.int64)
        for i, site in enumerate(self.tracked):
            if site in self._site_number:
                bits[self._site_number[site]] = 1 << i
        # a route visits a site once: the sum of its sites' bits is their union
        mask = np.bincount(self._site_owner, weights=bits[self._flat_sites], minlength=len(self.own)).astype(np.int64)
        by_key = np.lexsort((self._end, mask, self._start, self._day))  # stable: by column within a group
        places, masks = max(1, len(self.place_numbers)), 1 << len(self.tracked)
        key = ((self._day * places + self._start) * masks + mask) * places + self._end
        if len(self.own) == 0:  # no column yet
            first = self._place(self.first)
            fields = [np.array([0]), np.array([first]), np.array([0]), np.array([first])]
            self.order, sizes, group_key = np.zeros(0, dtype=int), np.array([0]), np.array([first * places + first])
        else:
            sorted_key = key[by_key]
            opens = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
            fields = [a[by_key][opens] for a in (self._day, self._start, mask, self._end)]
            self.order = self.own[by_key]
            sizes = np.diff(np.r_[opens, len(by_key)])
            group_key = sorted_key[opens]
        self.starts = np.cumsum(sizes) - sizes
        self.sizes = sizes
        # 32 bits: the pricing moves many copies of these through memory
        self.group_day, self.group_start, self.group_mask, self.group_end = (a.astype(np.int32) for a in fields)
        self.day_bounds = np.searchsorted(self.group_day, np.arange(self.days + 1))
        self.must_mask = sum(1 << i for i, site in enumerate(self.tracked) if site in self.must)
        # each group's plain twin: the same day and places, the same must-visit sites, no other
        # tracked site (``_useful_groups``)
        day, start, group_mask, end = (a.astype(np.int64) for a in fields)
        twin_key = ((day * places + start) * masks + (group_mask & self.must_mask)) * places + end
        at = np.minimum(np.searchsorted(group_key, twin_key), len(group_key) - 1)
        found = (group_key[at] == twin_key) & ((group_mask & ~self.must_mask) != 0)
        self.plain_twin = np.where(found, at, -1).astype(np.int64)

    def _place(self, place: str) -> int:
        return self.place_numbers.setdefault(place, len(self.place_numbers))

    def track(self, sites: list[str]) -> bool:
        """Remember these sites from now on (as room allows); whether anything changed."""
        new = [s for s in dict.fromkeys(sites) if s not in self.tracked][: self.max_tracked - len(self.tracked)]
        if not new:
            return False
        self.tracked = self.tracked + new
        self._group()
        return True

    def cheapest(self, reduced: np.ndarray) -> Week | None:
        """The cheapest week; a week that repeats a site gets the site tracked and is priced
        again, until none does or no room is left."""
        while True:
            week = self.shortest_path(reduced)
            if week is None:
                return None
            if week.repeated and self.track(week.repeated):
                continue
            return week

    def shortest_path(self, reduced: np.ndarray) -> Week | None:
        """Day by day, every (place, tracked sites visited) state reached, at
        its least cost: each state is joined with every group of routes leaving its place that
        visits none of its tracked sites, and the cheapest way to each new state is kept."""
        if len(self.own) == 0:
            return None
        group_best = np.minimum.reduceat(reduced[self.order], self.starts)
        useful = self._useful_groups(group_best)
        place = np.array([self._place(self.first)], dtype=np.int32)
        mask = np.zeros(1, dtype=np.int32)
        value = np.zeros(1)
        steps: list[tuple[np.ndarray, np.ndarray]] = []  # per day: each state's previous state and group
        states_per_place = 1 << len(self.tracked)
        size = len(self.place_numbers) * states_per_place
        cheapest_joins = compiled_joins()
        for day in range(self.days):
            groups = np.arange(self.day_bounds[day], self.day_bounds[day + 1])
            groups = groups[useful[groups]]
            by_place = np.argsort(place, kind="stable")
            least, came_from, group = cheapest_joins(
                groups,
                self.group_start,
                self.group_end,
                self.group_mask,
                group_best,
                by_place,
                place[by_place],
                mask,
                value,
                states_per_place,
                size,
            )
            reached = np.flatnonzero(came_from >= 0)
            keep = reached[least[reached] < self._least_below(least, states_per_place)[reached]]
            place = (keep // states_per_place).astype(np.int32)
            mask = (keep % states_per_place).astype(np.int32)
            value = least[keep]
            steps.append((came_from[keep], group[keep]))
            if len(place) == 0:
                return None
        done = (place == self._place(self.last)) & ((mask & self.must_mask) == self.must_mask)
        if not done.any():
            return None
        state = int(np.flatnonzero(done)[np.argmin(value[done])])
        total = float(value[state])
        chosen = []
        for previous, group in reversed(steps):
            g = int(group[state])
            members = self.order[self.starts[g] : self.starts[g] + self.sizes[g]]
            chosen.append(int(members[np.argmin(reduced[members])]))
            state = int(previous[state])
        chosen.reverse()
        sites = tuple(site for j in chosen for site in self.columns[j].route.sites)
        return Week(np.array(chosen), total, sites)

    def _useful_groups(self, group_best: np.ndarray) -> np.ndarray:
        """The groups a cheapest week may take: at a finite cost (a side of the branching rules
        routes out at an infinite one), and cheaper than their plain twin, if they have one. A
        state that can take a group can take its twin, and ends the day at the same place
        having visited the same must-visit sites and fewer others, for no more: it dominates
        (``_least_below``), so the group adds nothing."""
        useful = np.isfinite(group_best)
        twin = self.plain_twin
        has_twin = twin >= 0
        useful[has_twin] &= group_best[has_twin] < group_best[twin[has_twin]]
        return useful

    def _least_below(self, least: np.ndarray, states_per_place: int) -> np.ndarray:
        """For each (place, tracked sites visited), the least cost of a state at the place that
        has visited the same must-visit sites
        and only some of the others: such a state can go on in every way this one can, so this
        one is dominated unless it is cheaper (the search keeps only states cheaper than this)."""
        bits = len(self.tracked)
        below = least.reshape(-1, states_per_place).copy()
        free_bits = [b for b in range(bits) if not (self.must_mask >> b) & 1]

        def by_bit(values: np.ndarray, b: int) -> tuple[np.ndarray, np.ndarray]:
            """Views of the masks without bit ``b`` and, in the same order, with it."""
            split = values.reshape(len(values), 1 << (bits - 1 - b), 2, 1 << b)
            return split[:, :, 0, :], split[:, :, 1, :]

        # below[m] = least over the masks within m that differ in the other sites only
        for b in free_bits:
            without, having = by_bit(below, b)
            np.minimum(having, without, out=having)
        strictly = np.full_like(below, np.inf)
        for b in free_bits:
            _, having = by_bit(strictly, b)
            without, _ = by_bit(below, b)
            np.minimum(having, without, out=having)
        return strictly.ravel()


class Master:
    """The master LP: for each class, a mix of the weeks found so far (weights summing to one),
    under the priced rows; each row's shortfall is allowed at ``SLACK_PRICE``."""

    def __init__(self, relaxed: Relaxation, prices: Prices, classes: list[str]):
        self.relaxed = relaxed
        self.prices = prices
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        infinity = self.solver.infinity()
        self.rows = []
        objective = self.solver.Objective()
        objective.SetMinimization()
        for name, sense, rhs in zip(prices.names, prices.sense, prices.rhs, strict=True):
            low, high = {0: (rhs, rhs), 1: (rhs, infinity), -1: (-infinity, rhs)}[int(sense)]
            row = self.solver.Constraint(low, high, name)
            for direction in (1, -1):
                if sense != -direction:  # a >= row may fall short, a <= row may run over
                    slack = self.solver.NumVar(0, infinity, "")
                    objective.SetCoefficient(slack, SLACK_PRICE)
                    row.SetCoefficient(slack, direction)
            self.rows.append(row)
        self.convexity = {c: self.solver.Constraint(1, 1, f"one_week[{c}]") for c in classes}
        for row in self.convexity.values():
            # a week of nothing but shortfalls, so that the master has a solution even when
            # every week found is forbidden, or ruled out by a side of the branching
            none = self.solver.NumVar(0, 1, "")
            objective.SetCoefficient(none, NO_WEEK_PRICE)
            row.SetCoefficient(none, 1)
        self.weeks: list[tuple[str, frozenset[str], pywraplp.Variable, np.ndarray]] = []
        self.activities: list[np.ndarray] = []  # each week's total in each priced row
        self.row_index = {name: i for i, name in enumerate(prices.names)}
        self.weights: list[float] = []
        """Each week's weight in the master's last solution (weeks added since then have none)."""

    def add(self, class_id: str, found: Week) -> None:
        columns = found.columns
        week = self.solver.NumVar(0, 1, "")
        self.solver.Objective().SetCoefficient(week, float(self.prices.cost[columns].sum()))
        self.convexity[class_id].SetCoefficient(week, 1)
        activity = self.prices.activity(columns)
        for i in np.nonzero(activity)[0]:
            self.rows[i].SetCoefficient(week, float(activity[i]))
        self.weeks.append((class_id, frozenset(found.repeated), week, columns))
        self.activities.append(activity)

    def keeps_every_row(self, activity: np.ndarray) -> bool:
        """Whether a week's ``activity`` keeps every priced row alone, as a real week must."""
        rhs, sense = self.prices.rhs, self.prices.sense
        tolerance = 1e-9 * np.maximum(1.0, np.abs(rhs))
        return bool(
            np.all(activity[sense == 1] >= rhs[sense == 1] - tolerance[sense == 1])
            and np.all(activity[sense == -1] <= rhs[sense == -1] + tolerance[sense == -1])
            and np.all(np.abs(activity[sense == 0] - rhs[sense == 0]) <= tolerance[sense == 0])
        )

    def forbid(self, class_id: str, tracked: list[str]) -> None:
        """Weeks that repeat a site the class now tracks are no longer weeks it may take."""
        for owner, repeated, week, _ in self.weeks:
            if owner == class_id and repeated & set(tracked):
                week.SetUb(0)

    def solve(self) -> tuple[float, np.ndarray]:
        self.solver.Solve()
        self.weights = [week.solution_value() for _, _, week, _ in self.weeks]
        return self.solver.Objective().Value(), np.array([row.dual_value() for row in self.rows])

    def suggested_weeks(self) -> Weeks:
        """Each class's week that visits no site twice with the most weight in the master (the
        last found, before the master was first solved)."""
        best: dict[str, tuple[float, np.ndarray]] = {}
        for i, (owner, repeated, week, columns) in enumerate(self.weeks):
            if repeated or week.ub() == 0:  # a forbidden week
                continue
            weight = self.weights[i] if i < len(self.weights) else 0.0
            if owner not in best or weight >= best[owner][0]:
                best[owner] = (weight, columns)
        routes = self.relaxed.columns
        return {
            owner: tuple(
                (routes[j].route.sites, routes[j].route.end) for j in sorted(columns, key=lambda j: routes[j].day)
            )
            for owner, (_, columns) in best.items()
        }
