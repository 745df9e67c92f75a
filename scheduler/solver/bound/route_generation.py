"""Day routes built from the prices, for programmes too large to list every route a class could
drive (``day_routes``): the week bound's pricing then builds the routes it needs as it goes.

At the master's prices, a day route's reduced cost is its coach minutes and the costs of its
sites (what they earn, less what their rows pay), which add up along the chain, less what the
evening place's rows pay, less what its room for sessions earns. That last part is never more
than the room of the day at its best (no visits, the shortest way from the morning place to
the evening place: ``RouteGenerator.room_ceiling``). The must-visit sites are *marked* (up to
``BoundParams.marked_sites``): every bound below follows which of them a week has visited,
since a week visits each exactly once.

1. **The least cost of each day's routes**, from each morning place to each evening place with
   each set of marked sites: a branch and bound over the chains the clock allows (``_Least``,
   the route search of ``day_routes`` with a ``ChainBound``), its cost to go from min-plus
   products over the day's sites (``to_go``: no clock, no site twice in a row), and each
   route's room counted at its ceiling. So no route costs less, whatever its order of sites.
2. **The least cost of each week's two ends**: over the days, with those route costs, the least
   cost of reaching each morning place with each set of marked sites (``ahead``) and of
   finishing the week from each evening place (``behind``). ``least``, the least cost of a
   week, is a lower bound on every week.
3. **A route of day d from p to q can be part of a week cheaper than a target T only if**
   ahead + its reduced cost + behind < T, over the marked sets that fit together. The route
   search follows only chains that could still end so (``_Hope``) and keeps the routes that do,
   each built as the listing would build it (the cheapest order of its sites, the most room of
   any order), so the bound is the same as with every route listed.
4. With those routes added to the pool, every week cheaper than T has all its routes in it:
   the pool's cheapest week is the cheapest of all if it costs at most T. Otherwise T is
   raised (``class_bound.ClassAlone.cheapest_week``: from one unit above ``least``, doubling).

At any prices, the pricing finds the same cheapest week as over every listed route (the tests
hold it to that, on a listed master's prices and on sides of the branching), with a pool of
only part of the routes; but each pricing costs far more than one over listed routes. So past
the listing's size the bound stays too slow and weak to help a solve: see ``docs/model.md``
("Past the listing's size"), and ``bench/README.md`` for figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from scheduler.scenario.goals import COACH_MINUTES
from scheduler.solver.bound.day_routes import DayRoute, DayRouteEnumerator
from scheduler.solver.bound.route_relaxation import ClassColumns, RouteColumn
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.params import BoundParams

NONE_YET = 1e18
"""The least cost found of routes of which none is known yet (finite: see ``_Least``)."""


class PricingStopped(Exception):
    """The search was told to stop before it could know the cheapest week."""


@dataclass(frozen=True)
class Narrowing:
    """What a side of the branching leaves the class, day by day (``class_bound.Branch``)."""

    banned_sites: dict[int, frozenset[str]] = field(default_factory=dict)
    site_day: dict[str, int] = field(default_factory=dict)
    """Site -> the one day the class visits it (and no other)."""
    only_end: dict[int, str] = field(default_factory=dict)
    banned_ends: dict[int, frozenset[str]] = field(default_factory=dict)
    only_start: dict[int, str] = field(default_factory=dict)


class RouteGenerator:
    """One class's day routes, built from the prices (see the module's text)."""

    def __init__(self, cand: Candidates, class_id: str, maker: ClassColumns, params: BoundParams = BoundParams()):
        scenario = cand.scenario
        self.marked_sites = params.marked_sites
        """Most must-visit sites whose visits the bounds on a week's ends follow (each doubles them)."""
        self.cand = cand
        self.klass = scenario.training_class(class_id)
        self.maker = maker
        self.enumerator = DayRouteEnumerator(cand, params.generation_budget)
        self.visits = cand.requirements(self.klass).max_visits_per_day
        self.coach_minute = COACH_MINUTES.price(scenario.weights)
        self.days = list(cand.days)
        self.sites = {day: [scenario.site(s) for s in cand.visit_options[(class_id, day)]] for day in self.days}
        self.starts = {day: cand.start_places(self.klass, day) for day in self.days}
        self.ends = {day: cand.end_places(self.klass, day) for day in self.days}
        self.number = cand.travel.place_numbers
        # whole coach minutes of each leg, as the objective counts them
        self.driving = -(-cand.travel.hundredths_matrix // 100)
        self.known: set[tuple[int, str, str, frozenset[str]]] = set()

    def first_routes(self) -> list[RouteColumn]:
        """The routes that visit no site, each day from each morning place: a first pool."""
        columns = []
        for day in self.days:
            for start in self.starts[day]:
                for route in self.enumerator.routes_from(day, start, [], self.ends[day], max_visits=0):
                    columns += self._keep(route, start)
        return columns

    def price(
        self,
        duals: dict[str, float],
        tracked: frozenset[str],
        narrowing: Narrowing = Narrowing(),
        pool: tuple[list[RouteColumn], np.ndarray] = ([], np.zeros(0)),
    ) -> PricedDays:
        """The bounds of step 1 and 2 at these prices (``duals``: row name -> its signed dual),
        for weeks that visit each ``tracked`` site at most once (``week_pricing.ClassWeeks``).
        ``pool``: the routes known and their reduced costs (+inf where the narrowing rules them
        out), whose costs the search for each day's least need not beat."""
        return PricedDays(self, duals, tracked, narrowing, pool=pool)

    def _keep(self, route: DayRoute, start: str) -> list[RouteColumn]:
        key = (route.day, start, route.end, route.sites)
        if key in self.known:
            return []
        column = self.maker.column(route, start)
        if column is None:
            return []
        self.known.add(key)
        return [column]

    def search(self, day: int, start: str, sites: list, ends: tuple[str, ...], *, bound) -> list[DayRoute]:
        """The route search from one morning place under a ``ChainBound``, within the budget."""
        self.enumerator.explored = 0
        return self.enumerator.routes_from(day, start, sites, ends, max_visits=self.visits, bound=bound)

    def exact_route(self, day: int, start: str, end: str, sites: frozenset[str]) -> DayRoute | None:
        """The route of these sites as the listing builds it: over every order of them."""
        chosen = [s for s in self.sites[day] if s.id in sites]
        for route in self.enumerator.routes_from(day, start, chosen, (end,), max_visits=len(sites)):
            if route.sites == sites:
                return route
        return None

    def room_ceiling(self, day: int, start: str, end: str) -> tuple[int, int, int]:
        """The most (session, morning, afternoon) room any route of the day from ``start`` to
        ``end`` can leave: no visit, the shortest way there (``DayRouteEnumerator._close``)."""
        frame = self.cand.frame
        travel = self.cand.travel
        least = travel.shortest_minutes(start, end)
        earliest = self.cand.scenario.earliest_departure_on(day)
        morning = self.cand.scenario.latest_return_on(day) - least - earliest
        leave = self.enumerator.leave_after_fixed_morning(day)
        afternoon = frame.dinner.start - (leave + least + frame.lunch.minutes)
        session = min(morning + afternoon, frame.dinner.start - earliest - least - frame.lunch.minutes)
        return session, morning, afternoon


class PricedDays:
    """A class's days at one set of prices: bounds on every route and on every week's ends,
    by which of the *marked* must-visit sites (the first ``marked_sites``) have been visited."""

    def __init__(
        self,
        generator: RouteGenerator,
        duals: dict[str, float],
        tracked: frozenset[str],
        narrowing: Narrowing,
        *,
        pool: tuple[list[RouteColumn], np.ndarray],
    ):
        self.generator = g = generator
        self.duals = duals
        self.narrowing = narrowing
        self.tracked = tracked
        maker = g.maker
        c = g.klass.id
        red = duals.get(f"red[{c}]", 0.0) if maker.req.min_red_education_visits else 0.0
        field = duals.get(maker.field_row, 0.0) if maker.field_row else 0.0
        # each site's additive part of a route's reduced cost
        self.site_cost = {
            site.id: -maker.reward[site.id]
            - duals.get(f"site[{c},{site.id}]", 0.0)
            - red * maker.red_site[site.id]
            - field * maker.minutes[site.id]
            for day in g.days
            for site in g.sites[day]
        }
        must = [s for s in maker.req.must_visit if s in tracked]
        self.bit = {site: 1 << i for i, site in enumerate(must[: g.marked_sites])}
        self.masks = 1 << len(self.bit)
        # Every week visits a must-visit site exactly once: what an unmarked one costs is
        # counted once for the week (``once``), not in its routes.
        self.earns = {site: cost for site, cost in self.site_cost.items() if site in must and site not in self.bit}
        self.once = sum(self.earns.values())
        for site in self.earns:
            self.site_cost[site] -= self.earns[site]
        self.known = self._known_least(*pool)
        self.day_sites: dict[int, list] = {}
        self.step: dict[int, np.ndarray] = {}  # day -> (sites + starts) x sites: a step's cost
        self.to_go: dict[int, list[np.ndarray]] = {}  # day -> j -> (sites + starts) x ends x marked
        self.ceiling: dict[int, np.ndarray] = {}  # day -> starts x ends: the most the room earns
        self.route_floor: dict[int, np.ndarray] = {}  # day -> starts x ends x marked: no route costs less
        for day in g.days:
            self._price_day(day)
        self._ahead_and_behind()

    # -- steps 1 and 2 ----------------------------------------------------------------------
    def _known_least(self, columns: list[RouteColumn], reduced: np.ndarray) -> dict[tuple, float]:
        """(day, morning place, evening place, marked sites) -> the least cost of a known route,
        as the bounds count it (its tracked sites' earnings taken out)."""
        least: dict[tuple, float] = {}
        for column, cost in zip(columns, reduced, strict=True):
            if not np.isfinite(cost):
                continue
            sites = column.route.sites
            key = (column.day, column.route.start, column.route.end, self.marked(sites))
            cost = float(cost) - sum(self.earns.get(s, 0.0) for s in sites)
            if cost < least.get(key, np.inf):
                least[key] = cost
        return least

    def _starts(self, day: int) -> tuple[str, ...]:
        only = self.narrowing.only_start.get(day)
        return tuple(p for p in self.generator.starts[day] if only is None or p == only)

    def _ends(self, day: int) -> tuple[str, ...]:
        only = self.narrowing.only_end.get(day)
        banned = self.narrowing.banned_ends.get(day, frozenset())
        return tuple(q for q in self.generator.ends[day] if (only is None or q == only) and q not in banned)

    def _price_day(self, day: int) -> None:
        """``to_go[day][j][x, q, m]``: the least additive cost from node x (a site, or a
        morning place after the sites) through at most j more sites, the marked ones exactly
        ``m``, to evening place q."""
        g = self.generator
        banned = self.narrowing.banned_sites.get(day, frozenset())
        elsewhere = {s for s, d in self.narrowing.site_day.items() if d != day}
        sites = [s for s in g.sites[day] if s.id not in banned and s.id not in elsewhere]
        self.day_sites[day] = sites
        starts, ends = g.starts[day], g.ends[day]
        site_places = np.array([g.number[s.place] for s in sites], dtype=int)
        nodes = np.concatenate([site_places, np.array([g.number[p] for p in starts], dtype=int)])
        end_places = np.array([g.number[q] for q in ends], dtype=int)
        end_cost = np.array([-self.duals.get(f"lodging[{day},{q}]", 0.0) for q in ends])
        allowed_ends = set(self._ends(day))
        end_cost[[q not in allowed_ends for q in ends]] = np.inf
        coach = g.coach_minute
        to_end = np.full((len(nodes), len(ends), self.masks), np.inf)
        to_end[:, :, 0] = coach * g.driving[np.ix_(nodes, end_places)] + end_cost[None, :]
        to_site = coach * g.driving[np.ix_(nodes, site_places)].astype(float)
        to_site[np.arange(len(sites)), np.arange(len(sites))] = np.inf  # no site twice in a row
        to_site += np.array([self.site_cost[s.id] for s in sites])[None, :]
        self.step[day] = to_site
        marked = [n for n, s in enumerate(sites) if s.id in self.bit]
        plain = np.array([n for n, s in enumerate(sites) if s.id not in self.bit], dtype=int)
        to_go = [to_end]
        for _ in range(g.visits):
            onward = to_go[-1][: len(sites)]  # from a site, through fewer sites
            best = to_go[-1].copy()
            if len(plain):
                via = (to_site[:, plain, None, None] + onward[None, plain]).min(axis=1)
                np.minimum(best, via, out=best)
            for n in marked:
                bit = self.bit[sites[n].id]
                having = [m for m in range(self.masks) if m & bit]
                via = to_site[:, n, None, None] + onward[n][None, :, [m ^ bit for m in having]]
                best[:, :, having] = np.minimum(best[:, :, having], via)
            to_go.append(best)
        self.to_go[day] = to_go
        ceiling = np.zeros((len(starts), len(ends)))
        for i, p in enumerate(starts):
            for k, q in enumerate(ends):
                ceiling[i, k] = self._room_earnings(day, p, q)
        self.ceiling[day] = ceiling
        floor = np.full((len(starts), len(ends), self.masks), np.inf)
        allowed_starts = set(self._starts(day))
        for i, start in enumerate(starts):
            if start in allowed_starts:
                floor[i] = self._least_routes(day, i, start)
        self.route_floor[day] = floor

    def _least_routes(self, day: int, i: int, start: str) -> np.ndarray:
        """[q, m]: no route of the day from the ``i``-th morning place ``start`` to q, with
        the marked sites m, costs less: the least additive cost of any order of sites that
        the clock allows, less the most its room can earn (branch and bound, ``_Least``)."""
        least = _Least(self, day, i)
        self.generator.search(day, start, self.day_sites[day], self._ends(day), bound=least)
        return np.where(least.best >= NONE_YET, np.inf, least.best)

    def _room_earnings(self, day: int, start: str, end: str) -> float:
        """The most a route's room for sessions can earn at these prices (-inf where no route
        can leave the opening or the closing presentations their room)."""
        g = self.generator
        session, morning, afternoon = g.room_ceiling(day, start, end)
        req = g.maker.req
        if (day == 0 and morning < req.opening_minutes) or (
            day == g.days[-1] and afternoon < req.presentation_minutes + req.closing_minutes
        ):
            return -np.inf  # no route: its floor is +inf
        best = DayRoute(day, start, end, frozenset(), 0, session, morning, afternoon)
        earned = self.duals.get(f"sessions[{g.klass.id}]", 0.0) * session
        for name, room in g.maker.lectures.entries(best, start).items():
            earned += self.duals.get(name, 0.0) * room
        return earned

    def _ahead_and_behind(self) -> None:
        """``ahead[d][p, m]``: the least a week's days before ``d`` cost, ending at morning
        place p with the marked sites m visited; ``behind[d][p, m]``: the least its days from
        ``d`` on cost, from p with m visited (every marked site by the end)."""
        g = self.generator
        days = g.days
        masks = np.arange(self.masks)
        disjoint = (masks[:, None] & masks[None, :]) == 0  # [m, m']: m' may follow m
        union = masks[:, None] | masks[None, :]
        first = np.full((1, self.masks), np.inf)
        first[0, 0] = 0.0
        self.ahead: list[np.ndarray] = [first]
        for day in days:
            floor = self.route_floor[day]  # p x q x m'
            before = self.ahead[day]  # p x m
            reached = np.full((floor.shape[1], self.masks), np.inf)
            for m in range(self.masks):
                for m2 in range(self.masks):
                    if disjoint[m, m2]:
                        value = (before[:, m, None] + floor[:, :, m2]).min(axis=0)
                        reached[:, union[m, m2]] = np.minimum(reached[:, union[m, m2]], value)
            self.ahead.append(reached)
        last = np.full((1, self.masks), np.inf)
        last[0, self.masks - 1] = 0.0
        self.behind: list[np.ndarray] = [np.zeros(0)] * len(days) + [last]
        for day in reversed(days):
            floor = self.route_floor[day]
            after = self.behind[day + 1]  # q x m
            left = np.full((floor.shape[0], self.masks), np.inf)
            for m in range(self.masks):
                for m2 in range(self.masks):
                    if disjoint[m, m2]:
                        value = (floor[:, :, m2] + after[None, :, union[m, m2]]).min(axis=1)
                        left[:, m] = np.minimum(left[:, m], value)
            self.behind[day] = left
        self.least = float(self.ahead[len(days)][0, self.masks - 1]) + self.once
        """No week of the class costs less at these prices."""

    # -- steps 3 and 4 ----------------------------------------------------------------------
    def routes_below(self, target: float, stopped: Callable[[], bool]) -> tuple[list[RouteColumn], bool]:
        """Every route not yet in the pool that could be part of a week cheaper than
        ``target``, and whether the search cut nothing off (then every route is known)."""
        g = self.generator
        found: list[RouteColumn] = []
        complete = True
        slack = 1e-6 * max(1.0, abs(target))  # so that rounding never hides a route
        masks = np.arange(self.masks)
        for day in g.days:
            behind = self.behind[day + 1]  # q x m
            for i, start in enumerate(g.starts[day]):
                if stopped():
                    raise PricingStopped
                ahead = self.ahead[day][i]  # m
                # limit[q, m']: a route to q visiting marked m' must cost less
                ends_cost = np.full(behind.shape, np.inf)
                for m in range(self.masks):
                    if np.isfinite(ahead[m]):
                        fits = (masks & m) == 0
                        ends_cost[:, fits] = np.minimum(ends_cost[:, fits], ahead[m] + behind[:, masks[fits] | m])
                limit = target + slack - self.once - ends_cost
                floor = self.route_floor[day][i]
                if np.all(floor >= limit):
                    complete = complete and not np.isfinite(floor).any()
                    continue
                hope = _Hope(self, day, i, limit)
                chains = g.search(day, start, self.day_sites[day], self._ends(day), bound=hope)
                complete = complete and not hope.cut
                found += self._worth_keeping(day, start, chains, limit)
        return found, complete

    def _worth_keeping(self, day: int, start: str, chains: list[DayRoute], limit: np.ndarray) -> list:
        g = self.generator
        required = {s for s, d in self.narrowing.site_day.items() if d == day}
        end_number = {q: k for k, q in enumerate(g.ends[day])}
        kept = []
        for chain in chains:
            key = (day, start, chain.end, chain.sites)
            if key in g.known or not required <= chain.sites:
                continue
            route = chain if len(chain.sites) <= 1 else g.exact_route(day, start, chain.end, chain.sites)
            column = None if route is None else g.maker.column(route, start)
            if column is None:
                continue
            if self.floored_cost(column) >= limit[end_number[chain.end], self.marked(chain.sites)]:
                continue
            g.known.add(key)
            kept.append(column)
        return kept

    def marked(self, sites) -> int:
        """The marked sites among ``sites``, as bits."""
        if not self.bit:
            return 0
        return sum(self.bit.get(s, 0) for s in sites)

    def reduced_cost(self, column: RouteColumn) -> float:
        return column.cost - sum(self.duals.get(name, 0.0) * value for name, value in column.rows.items())

    def floored_cost(self, column: RouteColumn) -> float:
        """The reduced cost, less what its unmarked must-visit sites cost (counted in ``once``)."""
        return self.reduced_cost(column) - sum(self.earns.get(s, 0.0) for s in column.route.sites)


class _Search:
    """What both route searches share: each site's number and marked bit, and the cost of the
    next step from each node (a site, or the morning place) to each site."""

    def __init__(self, priced: PricedDays, day: int, start: int):
        g = priced.generator
        self.priced = priced
        sites = priced.day_sites[day]
        self.node = {s.id: n for n, s in enumerate(sites)}
        self.start_node = len(sites) + start
        self.bits = np.array([priced.bit.get(s.id, 0) for s in sites], dtype=int)
        self.step = priced.step[day]
        count = priced.masks
        masks = np.arange(count)
        self.rests = [masks[(masks & a) == 0] for a in range(count)]
        self.unions = [rest | a for a, rest in enumerate(self.rests)]
        self.end_number = {q: k for k, q in enumerate(g.ends[day])}
        self.cut = False
        # for each marked set so far: the sites that keep it, and each marked site that adds to it
        self._groups = []
        for a in range(count):
            keeps = (self.bits | a) == a
            self._groups.append([(a, keeps)] + [(a | int(b), self.bits == b) for b in np.unique(self.bits[~keeps])])

    def _next(self, chain: tuple[str, ...], cost: float, slack: Callable[[np.ndarray, int], np.ndarray]):
        """Each site's cost once the chain goes on to it, +inf where ``slack`` (the least of
        cost to go less what must be beaten, for some sites and marked set) leaves no hope."""
        node = self.node[chain[-1]] if chain else self.start_node
        after = cost + self.step[node]
        hopeful = np.zeros(len(after), dtype=bool)
        for a, these in self._groups[self.priced.marked(chain)]:
            hopeful[these] = after[these] + slack(these, a) < 0
        if not hopeful.all():
            self.cut = True
        return np.where(hopeful, after, np.inf)

    def closed(self, chain: tuple[str, ...], cost: float, end: str) -> None:
        pass


class _Hope(_Search):
    """The route search's ``ChainBound`` for one morning place: a chain is followed while its
    cost so far, the least cost to go (``to_go``) and the most its room earns can still come
    in under the limit of some evening place and marked sites."""

    def __init__(self, priced: PricedDays, day: int, start: int, limit: np.ndarray):
        super().__init__(priced, day, start)
        to_go = priced.to_go[day]
        sites = len(priced.day_sites[day])
        spare = limit + priced.ceiling[day][start][:, None]  # q x m: cost so far and to go stay under
        # [j][site, a]: with a marked (the site's bit included) and j visits left after it, the
        # least of cost to go less spare, over the evening places and the marked sites to come
        self._slack = []
        for table in to_go:
            least = np.full((sites, priced.masks), np.inf)
            for a in range(priced.masks):
                for rest in self.rests[a]:
                    value = (table[:sites, :, rest] - spare[None, :, a | rest]).min(axis=1)
                    least[:, a] = np.minimum(least[:, a], value)
            self._slack.append(least)
        self._close = to_go[0][:, :, 0]  # node x q
        self._spare = spare

    def next_costs(self, chain: tuple[str, ...], cost: float, visits_left: int) -> np.ndarray:
        slack = self._slack[visits_left]
        return self._next(chain, cost, lambda these, a: slack[these, a])

    def may_close(self, chain: tuple[str, ...], cost: float, end: str) -> bool:
        node = self.node[chain[-1]] if chain else self.start_node
        k = self.end_number[end]
        if cost + self._close[node, k] - self._spare[k, self.priced.marked(chain)] < 0:
            return True
        self.cut = True
        return False


class _Least(_Search):
    """The route search's ``ChainBound`` when it looks for the least cost of the day's routes
    from one morning place to each evening place, with each set of marked sites: a chain is
    followed while its cost so far and the least cost to go could still beat the best found."""

    def __init__(self, priced: PricedDays, day: int, start: int):
        super().__init__(priced, day, start)
        g = priced.generator
        sites = len(priced.day_sites[day])
        ceiling = priced.ceiling[day][start][:, None]  # q x 1
        # q x m: the least found, from the known routes' (never below the least of any order);
        # NONE_YET, not +inf, where nothing is known, so that what cannot get there stays +inf
        self.best = np.full((len(g.ends[day]), priced.masks), NONE_YET)
        start_place = g.starts[day][start]
        for k, q in enumerate(g.ends[day]):
            for m in range(priced.masks):
                self.best[k, m] = priced.known.get((day, start_place, q, m), NONE_YET)
        self._to_go = [table[:sites] - ceiling[None] for table in priced.to_go[day]]  # site x q x m
        self._to_end = priced.to_go[day][0][:, :, 0] - ceiling[:, 0][None, :]  # node x q

    def next_costs(self, chain: tuple[str, ...], cost: float, visits_left: int) -> np.ndarray:
        table = self._to_go[visits_left]

        def slack(these: np.ndarray, a: int) -> np.ndarray:
            rest, union = self.rests[a], self.unions[a]
            return (table[these][:, :, rest] - self.best[None, :, union]).min(axis=(1, 2))

        return self._next(chain, cost, slack)

    def may_close(self, chain: tuple[str, ...], cost: float, end: str) -> bool:
        node = self.node[chain[-1]] if chain else self.start_node
        k = self.end_number[end]
        return bool(cost + self._to_end[node, k] < self.best[k, self.priced.marked(chain)])

    def closed(self, chain: tuple[str, ...], cost: float, end: str) -> None:
        node = self.node[chain[-1]] if chain else self.start_node
        k, m = self.end_number[end], self.priced.marked(chain)
        self.best[k, m] = min(self.best[k, m], cost + self._to_end[node, k])
