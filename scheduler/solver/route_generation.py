"""Day routes built from the prices, for programmes too large to list every route a class could
drive (``day_routes``): the week bound's pricing then finds the routes it needs as it goes.

At the master's prices, a day route's reduced cost is its coach minutes and the costs of its
sites (what they earn, less what their rows pay), which add up along the chain, less what the
evening place's rows pay, less what its room for sessions earns. That last part is never more
than the room of the day at its best (no visits, the shortest way from the morning place to
the evening place: ``_room_ceiling``). So:

1. **Each day's routes are bounded from below** by min-plus products over the day's sites
   (``_cost_to_go``): the cheapest additive cost from a place or site through at most j more
   sites to each evening place, with no clock and sites allowed twice, less the room ceiling.
2. **Each week's two ends are bounded from below**: over the days, with those route bounds,
   the least cost of reaching each place by the morning of a day (``ahead``) and of finishing
   the week from each evening place (``behind``). ``least``, the least cost of a week, is a
   lower bound on every week.
3. **A route of day d from p to q can be part of a week cheaper than a target T only if**
   ahead[d][p] + its reduced cost + behind[d + 1][q] < T. The route search follows only
   chains that could still end so (``ChainBound``), and keeps the routes that do.
4. With those routes added to the pool, every week cheaper than T has all its routes in it:
   the pool's cheapest week is the cheapest of all if it costs at most T. If it costs more,
   T is raised (``class_bound``).

Every route added is built as the listing would have built it (the cheapest order of its
sites, the most room of any order), so the bound is the same as with every route listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .candidates import Candidates
from .day_routes import DayRoute, DayRouteEnumerator
from .route_relaxation import ClassColumns, RouteColumn

MARKED_SITES = 5
"""Most must-visit sites whose visits the bounds on a week's ends follow (each doubles them)."""

GENERATION_BUDGET = 3_000_000
"""Most partial day routes one round of the search may explore (``TooManyRoutes`` past it)."""


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

    def __init__(self, cand: Candidates, class_id: str, maker: ClassColumns, budget: int = GENERATION_BUDGET):
        scenario = cand.scenario
        self.cand = cand
        self.klass = scenario.training_class(class_id)
        self.maker = maker
        self.enumerator = DayRouteEnumerator(cand, budget)
        self.budget = budget
        self.visits = cand.requirements(self.klass).max_visits_per_day
        self.coach_minute = scenario.weights.coach_minute
        self.days = list(cand.days)
        self.sites = {day: [scenario.site(s) for s in cand.visit_options[(class_id, day)]] for day in self.days}
        self.starts = {day: cand.start_places(self.klass, day) for day in self.days}
        self.ends = {day: cand.end_places(self.klass, day) for day in self.days}
        numbers = cand.travel.place_numbers
        self.number = numbers
        # whole coach minutes of each leg, as the objective counts them
        self.driving = -(-cand.travel.hundredths_matrix // 100)
        self.known: set[tuple[int, str, str, frozenset[str]]] = set()
        self.explored = 0
        """Partial routes explored in all, for the figures."""

    def first_routes(self) -> list[RouteColumn]:
        """The routes that visit no site, each day from each morning place: a first pool."""
        columns = []
        for day in self.days:
            for start in self.starts[day]:
                for route in self.enumerator.routes_from(day, start, [], self.ends[day], 0):
                    columns += self._keep(route, start)
        return columns

    def price(self, duals: dict[str, float], tracked: frozenset[str], narrowing: Narrowing = Narrowing()) -> PricedDays:
        """The bounds of step 1 and 2 at these prices (``duals``: row name -> its signed dual),
        for weeks that visit each ``tracked`` site at most once (``week_pricing.ClassWeeks``)."""
        return PricedDays(self, duals, tracked, narrowing)

    def _keep(self, route: DayRoute, start: str) -> list[RouteColumn]:
        key = (route.day, start, route.end, route.sites)
        if key in self.known:
            return []
        column = self.maker.column(route, start)
        if column is None:
            return []
        self.known.add(key)
        return [column]

    def exact_route(self, day: int, start: str, end: str, sites: frozenset[str]) -> DayRoute | None:
        """The route of these sites as the listing builds it: over every order of them."""
        chosen = [s for s in self.sites[day] if s.id in sites]
        for route in self.enumerator.routes_from(day, start, chosen, (end,), len(sites)):
            if route.sites == sites:
                return route
        return None

    def room_ceiling(self, day: int, start: str, end: str) -> tuple[int, int, int]:
        """The most (session, morning, afternoon) room any route of the day from ``start`` to
        ``end`` can leave: no visit, the shortest way there (``day_routes._close``)."""
        frame = self.cand.frame
        travel = self.cand.travel
        least = travel.shortest_minutes(start, end)
        morning = self.cand.scenario.latest_return_on(day) - least - frame.earliest_departure
        leave = frame.earliest_departure + self.enumerator._fixed_morning(day)
        afternoon = frame.dinner.start - (leave + least + frame.lunch.minutes)
        session = min(morning + afternoon, frame.dinner.start - frame.earliest_departure - least - frame.lunch.minutes)
        return session, morning, afternoon


class PricedDays:
    """A class's days at one set of prices: bounds on every route and on every week's ends,
    by which of the *marked* must-visit sites (the first ``MARKED_SITES``) have been visited."""

    def __init__(
        self, generator: RouteGenerator, duals: dict[str, float], tracked: frozenset[str], narrowing: Narrowing
    ):
        self.generator = g = generator
        self.duals = duals
        self.narrowing = narrowing
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
        self.bit = {site: 1 << i for i, site in enumerate(must[:MARKED_SITES])}
        self.masks = 1 << len(self.bit)
        # Every week visits a must-visit site exactly once and another tracked site at most
        # once: what an unmarked such site earns (for a must-visit site, also what it costs)
        # is counted once for the week (``once``), and its cost in a route never falls below 0.
        self.earns = {
            site: cost if site in must else min(cost, 0.0)
            for site, cost in self.site_cost.items()
            if site in tracked and site not in self.bit
        }
        self.once = sum(self.earns.values())
        for site in self.earns:
            self.site_cost[site] -= self.earns[site]
        self.day_sites: dict[int, list] = {}
        self.to_go: dict[int, list[np.ndarray]] = {}  # day -> j -> (sites + starts) x ends x marked
        self.ceiling: dict[int, np.ndarray] = {}  # day -> starts x ends: the most the room earns
        self.route_floor: dict[int, np.ndarray] = {}  # day -> starts x ends x marked: no route costs less
        for day in g.days:
            self._price_day(day)
        self._ahead_and_behind()

    # -- steps 1 and 2 ----------------------------------------------------------------------
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
        floor = to_go[-1][len(sites) :] - ceiling[:, :, None]
        allowed_starts = set(self._starts(day))
        floor[[p not in allowed_starts for p in starts]] = np.inf
        self.route_floor[day] = floor

    def _room_earnings(self, day: int, start: str, end: str) -> float:
        """The most a route's room for sessions can earn at these prices (-inf where no route
        can leave the opening or the closing presentations their room)."""
        g = self.generator
        session, morning, afternoon = g.room_ceiling(day, start, end)
        req = g.maker.req
        if (day == 0 and morning < req.opening_minutes) or (day == g.days[-1] and afternoon < req.presentation_minutes):
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
        g.enumerator.explored = 0
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
                chains = g.enumerator.routes_from(day, start, self.day_sites[day], self._ends(day), g.visits, hope)
                complete = complete and not hope.cut
                found += self._worth_keeping(day, start, chains, limit)
                g.explored += g.enumerator.explored
                g.enumerator.explored = 0
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
        return sum(self.bit.get(s, 0) for s in sites)

    def reduced_cost(self, column: RouteColumn) -> float:
        return column.cost - sum(self.duals.get(name, 0.0) * value for name, value in column.rows.items())

    def floored_cost(self, column: RouteColumn) -> float:
        """The reduced cost, less what its unmarked tracked sites earn (counted in ``once``)."""
        return self.reduced_cost(column) - sum(self.earns.get(s, 0.0) for s in column.route.sites)


class _Hope:
    """The route search's ``ChainBound`` for one morning place: a chain is followed while its
    cost so far, the least cost to go (``to_go``) and the most its room earns can still come
    in under the limit of some evening place and marked sites."""

    def __init__(self, priced: PricedDays, day: int, start: int, limit: np.ndarray):
        g = priced.generator
        self.coach_minute = g.coach_minute
        self.site_cost = priced.site_cost
        self.priced = priced
        to_go = priced.to_go[day]
        sites = priced.day_sites[day]
        count = priced.masks
        spare = limit + priced.ceiling[day][start][:, None]  # q x m: cost so far and to go stay under
        masks = np.arange(count)
        ids = [s.id for s in sites]
        # [j][site][a]: with a marked so far and j visits left, the least of cost to go less
        # spare over the evening places and the marked sites still to come
        self._extend = []
        for table in to_go:
            least = np.full((len(sites), count), np.inf)
            for a in range(count):
                for rest in masks[(masks & a) == 0]:
                    value = (table[: len(sites), :, rest] - spare[None, :, a | rest]).min(axis=1)
                    least[:, a] = np.minimum(least[:, a], value)
            self._extend.append(dict(zip(ids, least, strict=True)))
        end_ids = g.ends[day]
        self._close = {
            None: {q: to_go[0][len(sites) + start, k, 0] - spare[k] for k, q in enumerate(end_ids)},
            **{s: {q: to_go[0][n, k, 0] - spare[k] for k, q in enumerate(end_ids)} for n, s in enumerate(ids)},
        }
        self.cut = False

    def may_extend(self, chain: tuple[str, ...], cost: float, visits_left: int) -> bool:
        if cost + self._extend[visits_left][chain[-1]][self.priced.marked(chain)] < 0:
            return True
        self.cut = True
        return False

    def may_close(self, chain: tuple[str, ...], cost: float, end: str) -> bool:
        last = chain[-1] if chain else None
        if cost + self._close[last][end][self.priced.marked(chain)] < 0:
            return True
        self.cut = True
        return False
