"""A lower bound on every plan's objective, from whole weeks of day routes (column generation).

The route relaxation (``route_relaxation``) is solved by Dantzig-Wolfe decomposition: a master
linear programme mixes whole weeks of day routes, one mix per class, under the rules between
days and between classes (sites, red-education visits, field share, room for sessions and
topics, lodging); each class's cheapest week at the master's prices comes from a shortest path
over the days (``_ClassWeeks``), whose state is the place the class sleeps and which of its
*tracked* sites it has visited. Its must-visit sites are tracked from the start; a site the
cheapest week visits twice is tracked from then on (decremental state-space relaxation), up to
``MAX_TRACKED`` sites, so the weeks grow closer to real ones as the search goes on.

At any prices of the right signs, the prices times the rules' right-hand sides plus each
class's cheapest week bounds the relaxation from below (Lagrangian duality), so every iteration
gives a valid bound, whatever the LP solver's tolerances; the search keeps the best and stops at
its deadline or when the master's value meets it.

The lecturers' balance, which no route pays, is bounded apart (``balance_bound``) and added.

Once the master has converged, a second phase begins: a week that leaves one of its class's
own lecture rows short, alone, gets the row's lectures counted in its state, and must meet it.

Measured on Dalian 2019 (2 cores): 825 in about 30 s alone (785 from the routes, 40 from the
balance), 831 after the second phase (about 65 s), against 842 for the plan made from its
weeks; CP-SAT's own bound on the whole model was below -1900. The rest of the gap is the rural
class's: the master mixes weeks that repeat untracked sites or fall short of the field share
(see docs/model.md, known limits).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import pywraplp

from .balance_bound import least_imbalance
from .candidates import Candidates
from .day_routes import TooManyRoutes
from .route_relaxation import ROUTE_BUDGET, Relaxation, relaxation

MAX_TRACKED = 14
"""Most sites a class's week remembers. On Dalian, with dominated states dropped: 10 sites gave
716 in 17 s (20 rounds, 0.45 GB), 12 gave 746 in 22 s (0.96 GB), 14 gave 783 in 35 s (1.5 GB):
there every class's cheapest week already visits no site twice, so 16 gave the same 783 in
2.3 GB."""

MAX_LECTURE_STATES = 32
"""Most combinations of lecture counts a class's week remembers (see ``_ClassWeeks.count``)."""

SLACK_PRICE = 1e4
"""Cost per unit of a master row's shortfall, so that the master has a solution from the start."""


DayRouteChoice = tuple[frozenset[str], str]
"""A day of a week: the sites visited and the place the class ends the day."""
Weeks = dict[str, tuple[DayRouteChoice, ...]]
"""Class id -> a week of the relaxation, day by day."""


@dataclass(frozen=True)
class WeekBound:
    """The bound and what it took; ``bound`` is None when it could not be computed (``reason``).
    ``weeks`` holds, for each class, a week of the relaxation that visits no site twice (the
    one the master leans on most), a good place for the search to look."""

    bound: int | None
    iterations: int
    day_routes: int
    seconds: float
    reason: str = ""
    weeks: Weeks = field(default_factory=dict)


def week_bound(
    cand: Candidates,
    seconds: float,
    route_budget: int = ROUTE_BUDGET,
    should_stop: Callable[[], bool] = lambda: False,
    on_bound: Callable[[int, Weeks], None] = lambda bound, weeks: None,
    on_converged: Callable[[], None] = lambda: None,
) -> WeekBound:
    """The best lower bound found within about ``seconds`` or until ``should_stop()``
    (``on_bound`` hears each better one, with the weeks the master leans on then, as
    ``WeekBound.weeks``, and the weeks once more when the first phase converges; then
    ``on_converged()`` is called, and the second phase, where weeks count their own lectures,
    begins). The route enumeration stops early only when told to stop or past
    ``route_budget`` partial routes."""
    started = time.monotonic()

    def stopped() -> bool:
        return time.monotonic() - started > seconds or should_stop()

    try:
        relaxed = relaxation(cand, route_budget, stopped)
    except TooManyRoutes as error:
        return WeekBound(None, 0, 0, time.monotonic() - started, str(error))
    if relaxed is None:
        return WeekBound(None, 0, 0, time.monotonic() - started, "stopped while listing the day routes")
    without = [k.id for k in cand.scenario.classes if not any(c.class_id == k.id for c in relaxed.columns)]
    if without:
        return WeekBound(None, 0, 0, time.monotonic() - started, f"class {without[0]} has no day route")
    balance = least_imbalance(cand)  # the goal the routes leave out: the two bounds add up
    prices = _Prices(relaxed)
    weeks = {k.id: _ClassWeeks(cand, relaxed, prices, k.id) for k in cand.scenario.classes}
    master = _Master(relaxed, prices, list(weeks))
    best = -math.inf
    counting = False
    iterations = 0
    value = None
    duals = np.zeros(len(prices.names))
    while True:
        iterations += 1
        reduced = prices.reduced_costs(duals)
        found = {class_id: w.cheapest(reduced) for class_id, w in weeks.items()}
        if any(week is None for week in found.values()):
            reason = "a class has no week of day routes that keeps its must-visit sites"
            return WeekBound(None, iterations, len(relaxed.columns), time.monotonic() - started, reason)
        value_now = prices.constant(duals) + sum(week.reduced for week in found.values())
        for class_id, week in found.items():
            master.add(class_id, week)
        if math.ceil(value_now - 1e-6) > best:
            on_bound(math.ceil(value_now - 1e-6) + balance, master.suggested_weeks() if master.weights else {})
        best = max(best, math.ceil(value_now - 1e-6))
        converged = value is not None and value - best < 0.5
        if converged and not counting and not stopped():
            on_bound(int(best) + balance, master.suggested_weeks())
            on_converged()
            # the weeks now count their own lectures too: slower to price, but real plans' weeks
            # meet their lecture rows alone, where the master mixes weeks to meet them
            counting = True
            for w in weeks.values():
                w.counting = True
        elif converged or stopped():
            break
        value, duals = _forbid_and_solve(master, weeks)
        if counting and any([w.count(master.short_in_mix(class_id, w.lecture_rows)) for class_id, w in weeks.items()]):
            value, duals = _forbid_and_solve(master, weeks)
    return WeekBound(
        int(best) + balance,
        iterations,
        len(relaxed.columns),
        time.monotonic() - started,
        weeks=master.suggested_weeks(),
    )


def _forbid_and_solve(master: _Master, weeks: dict[str, _ClassWeeks]) -> tuple[float, np.ndarray]:
    """The master solved again without the weeks each class now rules out."""
    for class_id, w in weeks.items():
        master.forbid(class_id, w.tracked, w.counted)
    return master.solve()


class _Prices:
    """The rows priced in the master (all but the flow between days, which the weeks keep), as
    sparse arrays over the relaxation's columns."""

    def __init__(self, relaxed: Relaxation):
        rows = relaxed.rows
        self.names = [name for name in rows.sense if not name.startswith("flow[")]
        index = {name: i for i, name in enumerate(self.names)}
        self.sense = np.array([{"=": 0, ">=": 1, "<=": -1}[rows.sense[n]] for n in self.names])
        self.rhs = np.array([rows.rhs[n] for n in self.names], dtype=float)
        self.cost = np.array([c.cost for c in relaxed.columns], dtype=float)
        entries = [(j, index[n], v) for j, c in enumerate(relaxed.columns) for n, v in c.rows.items() if n in index]
        self.column, self.row, self.value = (np.array(a) for a in zip(*entries, strict=True)) if entries else ([],) * 3

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
        """Each row's total over the given columns (a week)."""
        used = np.zeros(len(self.cost), dtype=bool)
        used[columns] = True
        return np.bincount(self.row, weights=self.value * used[self.column], minlength=len(self.names))


@dataclass(frozen=True)
class _Week:
    columns: np.ndarray  # one day route a day, by column number
    reduced: float  # its reduced cost at the prices it was priced at
    sites: tuple[str, ...]  # every visit, repeats included

    @property
    def repeated(self) -> list[str]:
        """The sites visited more than once, sorted (the same order in every process)."""
        return sorted({s for s in self.sites if self.sites.count(s) > 1})


class _ClassWeeks:
    """A class's cheapest week at given prices: a shortest path over its days, through the
    places it sleeps, remembering which tracked sites it has visited (each at most once, every
    must-visit site by the end) and, for the lecture rows it *counts*, how many lectures its
    routes have room for so far (each row met by the end)."""

    def __init__(self, cand: Candidates, relaxed: Relaxation, prices: _Prices, class_id: str):
        klass = cand.scenario.training_class(class_id)
        self.first, self.last = klass.first_place, klass.last_place
        self.days = cand.scenario.programme.days
        self.columns = relaxed.columns
        self.own = np.array([j for j, c in enumerate(relaxed.columns) if c.class_id == class_id], dtype=int)
        self.must = list(cand.requirements(klass).must_visit)
        self.tracked = self.must[:MAX_TRACKED]
        rows = relaxed.rows
        self.lecture_rows = {n: int(rows.rhs[n]) for n in rows.sense if n.startswith(f"lectures[{class_id},")}
        self.counted: list[str] = []
        self.counting = False
        """Whether a week short of its own lecture rows gets them counted (``count``)."""
        self.place_numbers: dict[str, int] = {}
        self._group()

    def _group(self) -> None:
        """Columns with the same day, places, tracked sites and lectures counted are
        interchangeable to the path: only the cheapest of each group matters."""
        bit = {site: 1 << i for i, site in enumerate(self.tracked)}
        needs = [self.lecture_rows[n] for n in self.counted]
        radix = [int(np.prod([need + 1 for need in needs[:i]])) for i in range(len(needs))]
        self.codes = int(np.prod([need + 1 for need in needs]))
        groups: dict[tuple[int, int, int, int, int], list[int]] = defaultdict(list)
        for j in self.own:
            column = self.columns[j]
            route = column.route
            mask = sum(bit.get(site, 0) for site in route.sites)
            code = 0
            for name, need, r in zip(self.counted, needs, radix, strict=True):
                code += min(int(column.rows.get(name, 0)), need) * r
            groups[(route.day, self._place(route.start), mask, code, self._place(route.end))].append(int(j))
        keys = sorted(groups)
        self.order = np.concatenate([np.array(groups[key], dtype=int) for key in keys])
        sizes = np.array([len(groups[key]) for key in keys])
        self.starts = np.cumsum(sizes) - sizes
        self.sizes = sizes
        self.group_day, self.group_start, self.group_mask, self.group_code, self.group_end = (
            np.array(field, dtype=np.int64) for field in zip(*keys, strict=True)
        )
        self.day_bounds = np.searchsorted(self.group_day, np.arange(self.days + 1))
        self.must_mask = sum(bit[site] for site in self.must if site in bit)
        # the counts after adding a route's to a state's, each row's capped at its need
        every = np.arange(self.codes)
        digits = [(every // r) % (need + 1) for r, need in zip(radix, needs, strict=True)]
        self.add_codes = np.zeros((self.codes, self.codes), dtype=np.int64)
        for a, b, r, need in zip(digits, digits, radix, needs, strict=True):
            self.add_codes += np.minimum(a[:, None] + b[None, :], need) * r

    def _place(self, place: str) -> int:
        return self.place_numbers.setdefault(place, len(self.place_numbers))

    def track(self, sites: list[str]) -> bool:
        """Remember these sites from now on (as room allows); whether anything changed."""
        new = [s for s in dict.fromkeys(sites) if s not in self.tracked][: MAX_TRACKED - len(self.tracked)]
        if not new:
            return False
        self.tracked = self.tracked + new
        self._group()
        return True

    def count(self, rows: list[str]) -> bool:
        """Count the lectures of one of these rows from now on, the one with the most lectures
        (each multiplies the states), as room allows: at most ``MAX_LECTURE_STATES``
        combinations of counts; whether anything changed."""
        changed = False
        for name in sorted(rows, key=lambda name: -self.lecture_rows[name])[:1]:
            if name in self.counted or self.codes * (self.lecture_rows[name] + 1) > MAX_LECTURE_STATES:
                continue
            self.counted = self.counted + [name]
            self.codes *= self.lecture_rows[name] + 1
            changed = True
        if changed:
            self._group()
        return changed

    def short_of_lectures(self, week: _Week) -> list[str]:
        """The class's lecture rows the week alone leaves short (sorted, the same order in
        every process): the master may make them up with other weeks, no real plan can."""
        return sorted(
            name
            for name, need in self.lecture_rows.items()
            if sum(self.columns[j].rows.get(name, 0) for j in week.columns) < need
        )

    def cheapest(self, reduced: np.ndarray) -> _Week | None:
        """The cheapest week; a week that repeats a site gets the site tracked, and one that
        leaves its own lecture rows short gets them counted, and is priced again, until
        neither happens or no room is left."""
        while True:
            week = self._shortest_path(reduced)
            if week is None:
                return None
            if week.repeated and self.track(week.repeated):
                continue
            if self.counting and self.count(self.short_of_lectures(week)):
                continue
            return week

    def _shortest_path(self, reduced: np.ndarray) -> _Week | None:
        """Day by day, every (place, lectures counted, tracked sites visited) state reached, at
        its least cost: each state is joined with every group of routes leaving its place that
        visits none of its tracked sites, and the cheapest way to each new state is kept."""
        group_best = np.minimum.reduceat(reduced[self.order], self.starts)
        place = np.array([self._place(self.first)], dtype=np.int64)
        mask = np.zeros(1, dtype=np.int64)
        code = np.zeros(1, dtype=np.int64)
        value = np.zeros(1)
        steps: list[tuple[np.ndarray, np.ndarray]] = []  # per day: each state's previous state and group
        states_per_place = 1 << len(self.tracked)
        for day in range(self.days):
            groups = np.arange(self.day_bounds[day], self.day_bounds[day + 1])
            by_place = np.argsort(place, kind="stable")
            sorted_place = place[by_place]
            first = np.searchsorted(sorted_place, self.group_start[groups], "left")
            counts = np.searchsorted(sorted_place, self.group_start[groups], "right") - first
            pair_group = np.repeat(groups, counts)
            offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            pair_state = by_place[np.repeat(first, counts) + offsets]
            fits = (mask[pair_state] & self.group_mask[pair_group]) == 0
            pair_group, pair_state = pair_group[fits], pair_state[fits]
            new_place = self.group_end[pair_group]
            new_mask = mask[pair_state] | self.group_mask[pair_group]
            new_value = value[pair_state] + group_best[pair_group]
            if self.codes > 1:
                new_code = self.add_codes[code[pair_state], self.group_code[pair_group]]
                key = (new_place * self.codes + new_code) * states_per_place + new_mask
            else:  # nothing counted: spare the pairs an array (they run to millions)
                new_code = None
                key = new_place * states_per_place + new_mask
            least = np.full(len(self.place_numbers) * self.codes * states_per_place, np.inf)
            np.minimum.at(least, key, new_value)
            winner = np.full(len(least), -1)
            ties = np.flatnonzero(new_value == least[key])
            winner[key[ties]] = ties  # any of equal cost will do
            keep = winner[winner >= 0]
            keep = keep[new_value[keep] < self._least_below(least, states_per_place)[key[keep]]]
            place, mask, value = new_place[keep], new_mask[keep], new_value[keep]
            code = new_code[keep] if new_code is not None else np.zeros(len(keep), dtype=np.int64)
            steps.append((pair_state[keep], pair_group[keep]))
            if len(place) == 0:
                return None
        done = (
            (place == self._place(self.last))
            & ((mask & self.must_mask) == self.must_mask)
            & (code == self.codes - 1)  # every counted row met
        )
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
        return _Week(np.array(chosen), total, sites)

    def _least_below(self, least: np.ndarray, states_per_place: int) -> np.ndarray:
        """For each (place, lectures counted, tracked sites visited), the least cost of a state
        at the place with the same lectures counted that has visited the same must-visit sites
        and only some of the others: such a state can go on in every way this one can, so this
        one is dominated unless it is cheaper (the search keeps only states cheaper than this)."""
        masks = np.arange(states_per_place)
        below = least.reshape(-1, states_per_place).copy()
        # below[m] = least over the masks within m that differ in the other sites only
        free_bits = [b for b in range(len(self.tracked)) if not (self.must_mask >> b) & 1]
        for b in free_bits:
            having = masks[(masks >> b) & 1 == 1]
            below[:, having] = np.minimum(below[:, having], below[:, having ^ (1 << b)])
        strictly = np.full_like(below, np.inf)
        for b in free_bits:
            having = masks[(masks >> b) & 1 == 1]
            strictly[:, having] = np.minimum(strictly[:, having], below[:, having ^ (1 << b)])
        return strictly.ravel()


class _Master:
    """The master LP: for each class, a mix of the weeks found so far (weights summing to one),
    under the priced rows; each row's shortfall is allowed at ``SLACK_PRICE``."""

    def __init__(self, relaxed: Relaxation, prices: _Prices, classes: list[str]):
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
        self.weeks: list[tuple[str, frozenset[str], pywraplp.Variable, np.ndarray]] = []
        self.activities: list[np.ndarray] = []  # each week's total in each priced row
        self.row_index = {name: i for i, name in enumerate(prices.names)}
        self.weights: list[float] = []
        """Each week's weight in the master's last solution (weeks added since then have none)."""

    def add(self, class_id: str, found: _Week) -> None:
        columns = found.columns
        week = self.solver.NumVar(0, 1, "")
        self.solver.Objective().SetCoefficient(week, float(self.prices.cost[columns].sum()))
        self.convexity[class_id].SetCoefficient(week, 1)
        activity = self.prices.activity(columns)
        for i in np.nonzero(activity)[0]:
            self.rows[i].SetCoefficient(week, float(activity[i]))
        self.weeks.append((class_id, frozenset(found.repeated), week, columns))
        self.activities.append(activity)

    def _short(self, activity: np.ndarray, names) -> set[str]:
        """The rows of ``names`` (all >= rows) a week's ``activity`` leaves short alone."""
        return {name for name in names if activity[self.row_index[name]] < self.prices.rhs[self.row_index[name]] - 1e-9}

    def forbid(self, class_id: str, tracked: list[str], counted: list[str]) -> None:
        """Weeks that repeat a site the class now tracks, or leave short a lecture row it now
        counts, are no longer weeks it may take."""
        for (owner, repeated, week, _), activity in zip(self.weeks, self.activities, strict=True):
            if owner == class_id and (repeated & set(tracked) or self._short(activity, counted)):
                week.SetUb(0)

    def solve(self) -> tuple[float, np.ndarray]:
        self.solver.Solve()
        self.weights = [week.solution_value() for _, _, week, _ in self.weeks]
        return self.solver.Objective().Value(), np.array([row.dual_value() for row in self.rows])

    def short_in_mix(self, class_id: str, names) -> list[str]:
        """The class's rows of ``names`` that a week in the master's last mix leaves short
        alone (sorted)."""
        short = set()
        for (owner, _, _, _), weight, activity in zip(self.weeks, self.weights, self.activities, strict=False):
            if owner == class_id and weight > 1e-6:
                short |= self._short(activity, names)
        return sorted(short)

    def suggested_weeks(self) -> Weeks:
        """Each class's week that visits no site twice with the most weight in the master (the
        last found, before the master was first solved)."""
        best: dict[str, tuple[float, np.ndarray]] = {}
        for i, (owner, repeated, week, columns) in enumerate(self.weeks):
            if repeated or week.ub() == 0:  # a forbidden week: short of its lectures
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
