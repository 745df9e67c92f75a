"""One class's share of the week bound, under its own rows alone: column generation, then branch
and price until the class's cheapest real week of the relaxation is known.

Leaving out the rows between classes (lodging, each site's visits a day) only loosens the
relaxation, so the classes' bounds add up to a bound on every plan (``week_bound`` checks
whether those rows bind, and prices them together if they do). A class alone has a small
master that settles much sooner than one master of all classes together, and each class stops
as soon as its own weeks are settled.

The master may still mix weeks that no plan could take alone (say, half a week that visits a
site twice and half a week short of the field share). *Branch and price* then splits the
class's weeks in two, by whether the class sleeps at a place on a night, or visits a site on a
day (the most fractional in the master's mix), and prices each side again. The lowest bound
among the sides still open is the class's bound; a week that keeps every row alone is a real
week of the relaxation and closes every side that cannot beat it. Once every class has its real
week, the bound is as strong as the relaxation allows (figures in ``bench/README.md``).

Past the listing's size (``ClassAlone.generated``), the class's routes are built from the
prices as the pricing needs them (``route_generation``), and only its must-visit sites are
tracked.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from scheduler.solver.bound.route_generation import Narrowing, PricingStopped, RouteGenerator
from scheduler.solver.bound.route_relaxation import ClassColumns, Relaxation, Rows
from scheduler.solver.bound.week_pricing import ClassWeeks, DayRouteChoice, Master, Prices, Week
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.params import BoundParams


class Phase(Enum):
    """Where a class's share of the week bound stands."""

    ROOT = "root"
    """Pricing the class's own master: its bound still rising."""
    NO_WEEK = "no week"
    """The class has no week at all under its rows."""
    BRANCHING = "branching"
    """The root has settled on a mix of weeks: branch and price on it."""
    DONE = "done"
    """The class's bound is settled on a real week."""


@dataclass(frozen=True)
class Branch:
    """One side of a split: the class sleeps at ``item`` after ``day`` (``kind`` "place") or
    visits site ``item`` on ``day`` (``kind`` "site"), or (``taken`` False) does not."""

    kind: str
    day: int
    item: str
    taken: bool


@dataclass(frozen=True, order=True)
class _Side:
    """A set of the class's weeks still to search, and a lower bound on their cost."""

    bound: float
    number: int
    branches: tuple[Branch, ...] = field(compare=False)


def own_relaxation(relaxed: Relaxation, class_id: str) -> tuple[Relaxation, np.ndarray]:
    """The class's columns and the rows no other class's column is in (its own rows, and rows
    between classes only it can touch), with the column numbers they had in ``relaxed``. The
    columns are shared, entries in other rows and all: ``Prices`` reads only the rows given."""
    index = np.array([j for j, c in enumerate(relaxed.columns) if c.class_id == class_id], dtype=int)
    others = {name for c in relaxed.columns if c.class_id != class_id for name in c.rows}
    touched = {name for j in index for name in relaxed.columns[j].rows}
    named = (f"[{class_id},", f"[{class_id}]")
    own = [
        name
        for name in relaxed.rows.sense
        if name not in others and (name in touched or any(part in name for part in named))
    ]
    rows = Rows()
    for name in own:
        rows.add(name, relaxed.rows.sense[name], relaxed.rows.rhs[name])
    return Relaxation(rows, [relaxed.columns[j] for j in index]), index


class ClassAlone:
    """A class's bound under its own rows: ``advance`` does one step of work (a pricing while
    the root's master settles, then a side of the branching at a time); ``bound`` is valid
    after each."""

    def __init__(
        self,
        cand: Candidates,
        relaxed: Relaxation,
        class_id: str,
        *,
        generator: RouteGenerator | None = None,
        own: bool = False,
        params: BoundParams = BoundParams(),
    ):
        """Under the class's own rows of ``relaxed``. Where ``own``, ``relaxed`` is already
        the class's own relaxation (``route_relaxation.class_relaxation``); with a
        ``generator``, it holds only the class's rows and a first pool of routes, and the
        pricing adds the routes it needs (``route_generation``). Either way the class's column
        numbers are its own (``full_columns`` has none)."""
        self.class_id = class_id
        self.generator = generator
        self.params = params
        if generator is None and not own:
            self.relaxed, self.index = own_relaxation(relaxed, class_id)
        else:
            self.relaxed, self.index = relaxed, None
        self.prices = Prices(self.relaxed)
        # generated: only the must-visit sites, whose single visits the pricing's bounds follow
        # (``route_generation``); a week that repeats another site is left to the branching
        must = len(cand.requirements(cand.scenario.training_class(class_id)).must_visit)
        tracked = params.max_tracked if generator is None else min(must, params.max_tracked)
        self.weeks = ClassWeeks(cand, self.relaxed, self.prices, class_id, max_tracked=tracked)
        self.whole = bool(np.all(self.prices.cost == np.round(self.prices.cost)))
        """Whether every week costs a whole number, so that bounds round up (routes built later
        cost whole numbers too: coach minutes and rewards are whole)."""
        self.master = Master(self.relaxed, self.prices, [class_id])
        self.duals = np.zeros(len(self.prices.names))
        self.value: float | None = None
        self.root_bound = -math.inf
        self.pool: list[Week] = []
        """Every week priced so far, for the masters of the sides."""
        self.best_week: Week | None = None
        """The cheapest week found that keeps every row alone."""
        self.best_cost = math.inf
        self.phase = Phase.ROOT
        """Where the class's bound stands."""
        self.sides: list[_Side] = []
        self.sides_searched = 0
        self._numbers = itertools.count()
        self._index_columns()

    @classmethod
    def generated(cls, cand: Candidates, class_id: str, params: BoundParams = BoundParams()) -> ClassAlone:
        """The class alone, its routes built from the prices as the pricing needs them."""
        rows = Rows()
        maker = ClassColumns(cand, cand.scenario.training_class(class_id), rows, params)
        maker.add_site_rows(s for day in cand.days for s in cand.visit_options[(class_id, day)])
        generator = RouteGenerator(cand, class_id, maker, params)
        return cls(cand, Relaxation(rows, generator.first_routes()), class_id, generator=generator, params=params)

    def seed(self, days: list[tuple[frozenset[str], str]]) -> bool:
        """Start the master from a week the class could take (each day's sites and evening
        place, a constructive plan's), so that its rows need no slack and its first prices
        mean something; whether the week was one of the relaxation's."""
        assert self.generator is not None
        columns, start = [], self.generator.klass.first_place
        for day, (sites, end) in enumerate(days):
            route = self.generator.exact_route(day, start, end, frozenset(sites))
            column = None if route is None else self.generator.maker.column(route, start)
            if column is None:
                return False
            columns.append(column)
            start = end

        def key(c):
            return c.day, c.route.start, c.route.end, c.route.sites

        number = {key(c): j for j, c in enumerate(self.relaxed.columns)}
        new = []
        for column in columns:
            if key(column) not in number:
                number[key(column)] = len(self.relaxed.columns) + len(new)
                new.append(column)
        self.generator.known.update(key(c) for c in new)
        self.grow(new)
        week = np.array([number[key(c)] for c in columns])
        self._add(self.master, Week(week, 0.0, tuple(s for c in columns for s in c.route.sites)))
        return True

    def _index_columns(self) -> None:
        columns = self.relaxed.columns
        self._day = np.array([c.day for c in columns], dtype=int)
        # places as numbers: the branching compares them over every column many times
        self._place_number: dict[str, int] = {}
        number = self._place_number.setdefault
        self._start = np.array([number(c.route.start, len(self._place_number)) for c in columns], dtype=np.int32)
        self._end = np.array([number(c.route.end, len(self._place_number)) for c in columns], dtype=np.int32)
        self._visiting: dict[str, np.ndarray] = {}
        self._banned: tuple[tuple[Branch, ...], np.ndarray] | None = None
        """The last side's routes ruled out: its pricing asks for them again and again."""

    # -- what the outside reads ------------------------------------------------------------
    @property
    def bound(self) -> float:
        """A lower bound on the class's share of any plan's objective."""
        if self.phase is Phase.NO_WEEK:
            return math.inf
        if self.phase is Phase.ROOT:
            found = self.root_bound
        else:
            found = min([side.bound for side in self.sides] + [self.best_cost])
        return self._rounded(found)

    @property
    def gap(self) -> float:
        return self.best_cost - self.bound

    def week(self) -> tuple[DayRouteChoice, ...] | None:
        """The class's best real week if one is known, else the master's favourite week that
        visits no site twice."""
        if self.best_week is not None:
            return self._choices(self.best_week.columns)
        return self.master.suggested_weeks().get(self.class_id)

    def full_columns(self, week: Week) -> np.ndarray:
        """The week's day routes as column numbers of the whole relaxation (listed routes only)."""
        assert self.index is not None
        return self.index[week.columns]

    @property
    def routes(self) -> int:
        """Day routes the class's pricing has had so far."""
        return len(self.relaxed.columns)

    # -- the work ----------------------------------------------------------------------------
    def advance(self, stopped: Callable[[], bool]) -> None:
        """One step: a pricing of the root, or one side of the branching."""
        if self.phase is Phase.ROOT:
            self._root_step(stopped)
        elif self.phase is Phase.BRANCHING:
            self._search_side(stopped)

    def _root_step(self, stopped: Callable[[], bool]) -> None:
        try:
            week, exact = self.cheapest_week(self.duals, (), stopped, self.value)
        except PricingStopped:
            return
        if week is None:
            self.phase = Phase.NO_WEEK
            return
        if exact:
            self.root_bound = max(self.root_bound, self.prices.constant(self.duals) + week.reduced)
        self._add(self.master, week)
        if exact and self.value is not None and self._settled(self.value, self.root_bound):
            self._start_branching()
            return
        self.value, self.duals = self._solve(self.master)

    def _start_branching(self) -> None:
        self.phase = Phase.BRANCHING
        self.sides = [_Side(self.root_bound, next(self._numbers), ())]
        self._close_if_settled()

    def _search_side(self, stopped: Callable[[], bool]) -> None:
        """Settle the master of the most promising side: drop it if it holds no week cheaper than
        the best real one, keep the real week if the master takes one whole, else split it."""
        side = heapq.heappop(self.sides)
        self.sides_searched += 1
        banned = self.banned(side.branches)
        master = Master(self.relaxed, self.prices, [self.class_id])
        for week in self.pool:
            if not banned[week.columns].any():
                master.add(self.class_id, week)
        bound, value = side.bound, None
        duals = np.zeros(len(self.prices.names))
        if master.weeks:
            value, duals = self._solve(master)
        while True:
            try:
                if stopped():
                    raise PricingStopped
                week, exact = self.cheapest_week(duals, side.branches, stopped, value)
            except PricingStopped:  # put back what is known of it
                heapq.heappush(self.sides, _Side(bound, side.number, side.branches))
                return
            if week is None:
                break  # no week on this side
            if exact:
                bound = max(bound, self.prices.constant(duals) + week.reduced)
            if self._rounded(bound) >= self.best_cost:
                break
            self._add(master, week)
            if exact and value is not None and self._settled(value, bound):
                self._split(master, side, bound)
                break
            value, duals = self._solve(master)
        self._close_if_settled()

    def _split(self, master: Master, side: _Side, bound: float) -> None:
        """Split the side on the place or site the master's mix takes most nearly half."""
        mix = [(w, columns) for w, (_, _, _, columns) in zip(master.weights, master.weeks, strict=False) if w > 1e-6]
        share: dict[tuple[str, int, str], float] = {}
        last = max(self._day)
        for weight, columns in mix:
            for j in columns:
                column = self.relaxed.columns[j]
                for site in column.route.sites:
                    share[("site", column.day, site)] = share.get(("site", column.day, site), 0.0) + weight
                if column.day < last:
                    share[("place", column.day, column.route.end)] = (
                        share.get(("place", column.day, column.route.end), 0.0) + weight
                    )
        split = [key for key, taken in share.items() if 1e-6 < taken < 1 - 1e-6]
        if not split:
            return  # one week, taken whole: it was kept as the best real week if it is one
        kind, day, item = min(split, key=lambda key: (abs(share[key] - 0.5), key))
        for taken in (True, False):
            branch = Branch(kind, day, item, taken)
            heapq.heappush(self.sides, _Side(bound, next(self._numbers), side.branches + (branch,)))

    def _close_if_settled(self) -> None:
        self.sides = [side for side in self.sides if self._rounded(side.bound) < self.best_cost]
        heapq.heapify(self.sides)
        if not self.sides:
            self.phase = Phase.DONE

    # -- the pricing ----------------------------------------------------------------------------
    def cheapest_week(
        self, duals: np.ndarray, branches: tuple[Branch, ...], stopped: Callable[[], bool], value: float | None
    ) -> tuple[Week | None, bool]:
        """A cheap week at these prices, among those the branches leave the class, and whether
        it is the cheapest (only then does it bound the master's ``value``).

        With a generator, the routes the week may need are added first (``route_generation``,
        steps 3-4): every route of a week cheaper than a target, the target starting
        ``first_margin`` above the least a week could cost. The pool's cheapest week is the
        cheapest of all once it costs no more than the target; until then, a pool week that
        lowers the master will do (unproven), and otherwise the target's margin doubles."""
        week = self.cheapest_in_pool(duals, branches)
        if self.generator is None:
            return week, True
        signed = dict(zip(self.prices.names, self.prices.signed(duals), strict=True))
        narrowing = narrowing_of(branches)
        constant = self.prices.constant(duals)
        priced = None
        while True:
            if priced is None or priced.tracked != frozenset(self.weeks.tracked):
                # priced again once the pool's weeks track more sites: weeks that visit them
                # once at most cost more, so the bounds rise
                pool = (self.relaxed.columns, self._reduced(duals, branches))
                priced = self.generator.price(signed, frozenset(self.weeks.tracked), narrowing, pool)
                if not math.isfinite(priced.least):
                    return None, True
                margin = self.params.first_margin
            target = priced.least + margin
            found, complete = priced.routes_below(min(target, _cost(week)), stopped)
            if found:
                self.grow(found)
                week = self.cheapest_in_pool(duals, branches)
            if _cost(week) <= target + 1e-9 * max(1.0, abs(target)) or complete:
                return week, True
            if week is not None and value is not None and constant + week.reduced < value - 1e-6 * max(1, abs(value)):
                return week, False  # it lowers the master: enough for now
            margin *= 2

    def cheapest_in_pool(self, duals: np.ndarray, branches: tuple[Branch, ...]) -> Week | None:
        return self.weeks.cheapest(self._reduced(duals, branches))

    def _reduced(self, duals: np.ndarray, branches: tuple[Branch, ...]) -> np.ndarray:
        """The pool's reduced costs, +inf for the routes the branches rule out (the pricing
        takes no route at an infinite cost)."""
        reduced = self.prices.reduced_costs(duals)
        if branches:
            reduced[self.banned(branches)] = np.inf
        return reduced

    def grow(self, columns: list) -> None:
        """Add generated routes to the class's relaxation, and to everything that reads it."""
        self.relaxed.columns.extend(columns)
        self.prices.extend(columns)
        self.weeks.refresh()
        self._index_columns()

    # -- helpers ------------------------------------------------------------------------------
    def _add(self, master: Master, week: Week) -> None:
        """Add the week to the master and the pool; keep it if it is the best real week yet."""
        master.add(self.class_id, week)
        self.pool.append(week)
        cost = float(self.prices.cost[week.columns].sum())
        if cost < self.best_cost and master.keeps_every_row(master.activities[-1]):
            self.best_week, self.best_cost = week, cost

    def _solve(self, master: Master) -> tuple[float, np.ndarray]:
        master.forbid(self.class_id, self.weeks.tracked)
        return master.solve()

    def _settled(self, value: float, bound: float) -> bool:
        """Whether more pricing could not raise the bound (the master's value is reached)."""
        return self._rounded(bound) >= value - 1e-6 if self.whole else value - bound <= 1e-6 * max(1.0, abs(value))

    def _rounded(self, bound: float) -> float:
        return math.ceil(bound - 1e-6) if self.whole and math.isfinite(bound) else bound

    def banned(self, branches: tuple[Branch, ...]) -> np.ndarray:
        """The day routes the side's branches rule out."""
        if self._banned is not None and self._banned[0] == branches:
            return self._banned[1].copy()
        banned = np.zeros(len(self._day), dtype=bool)
        for branch in branches:
            on_day = self._day == branch.day
            if branch.kind == "site":
                visits = self._visits(branch.item)
                # a site is visited once at most: taken on the day, it is not visited on others
                banned |= (on_day != visits) if branch.taken else (on_day & visits)
            else:
                place = self._place_number.get(branch.item, -1)
                ends_there = on_day & (self._end == place)
                if branch.taken:
                    next_day = self._day == branch.day + 1
                    banned |= (on_day & ~ends_there) | (next_day & (self._start != place))
                else:
                    banned |= ends_there
        self._banned = (branches, banned)
        return banned.copy()

    def _visits(self, site: str) -> np.ndarray:
        if site not in self._visiting:
            self._visiting[site] = np.array([site in c.route.sites for c in self.relaxed.columns])
        return self._visiting[site]

    def _choices(self, columns: np.ndarray) -> tuple[DayRouteChoice, ...]:
        routes = self.relaxed.columns
        return tuple((routes[j].route.sites, routes[j].route.end) for j in sorted(columns, key=lambda j: routes[j].day))


def narrowing_of(branches: tuple[Branch, ...]) -> Narrowing:
    """What the branches leave the class, day by day, as the route generation reads it
    (the same routes as ``ClassAlone.banned`` rules out)."""
    narrowing = Narrowing()
    for branch in branches:
        day, item = branch.day, branch.item
        if branch.kind == "site":
            if branch.taken:
                narrowing.site_day[item] = day
            else:
                narrowing.banned_sites[day] = narrowing.banned_sites.get(day, frozenset()) | {item}
        elif branch.taken:
            narrowing.only_end[day] = item
            narrowing.only_start[day + 1] = item
        else:
            narrowing.banned_ends[day] = narrowing.banned_ends.get(day, frozenset()) | {item}
    return narrowing


def _cost(week: Week | None) -> float:
    return math.inf if week is None else week.reduced
