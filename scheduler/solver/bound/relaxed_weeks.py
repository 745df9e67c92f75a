"""A lower bound at every size: every class's week, its day routes relaxed enough to be priced
by a compiled search instead of listed (``week_bound`` needs every route listed, which stops at
``FocusParams.week_bound_legs``).

The relaxation keeps, for each class:

* one route a day, each day starting where the last ended (the class's night places), from its
  first place to its last;
* each route a chain of at most ``max_visits_per_day`` sites the class may visit that day, on
  ``DayRouteEnumerator``'s clock: the coach leaves once the class's own opening is over (day 1)
  and no earlier than the day's earliest departure, each visit within its site's hours on the
  clock's steps (the class may wait), lunch in its window at a stop, back by the latest return
  with the presentations and closing still before dinner on the last day, within the day's
  driving limit and teaching limit;
* each site at most once in the week and each must-visit site exactly once, **as rows of the
  master only**: a week the pricing finds may visit a site on two days (below);
* the red-education visits, the field share (``route_relaxation.field_share_row``) and the room
  for the class's sessions (each route's room as ``DayRouteEnumerator`` counts it, with the
  chain's clock);
* with ``shared``, the rows between classes: each night's lodging and each site's visits a day
  (``route_relaxation.lodging_limits``, ``site_day_limits``).

It leaves out the lectures' rows (who can reach which place), idle daytime, and the order of
the visits beyond each route's own cheapest: each only removes routes or weeks, or only adds to
a plan's cost, so whatever the relaxation proves holds for every plan. A route costs what the
objective counts for it: its coach minutes less what its visits earn
(``Candidates.visit_reward``); the lecturers' balance and the late evenings are bounded apart
(``balance_bound``) and added.

It is solved by column generation: a master linear programme (GLOP) mixes whole weeks of every
class under those rows, and the pricing finds each class's cheapest week at the master's
prices: for each day and morning place the cheapest chain to each evening place
(``compiled.cheapest_chains``, a depth-first search of the chains the clock and the limits
allow, cut where no way on could beat the cheapest found), then a shortest path over the days
whose state is the place. At any prices of the right signs, the prices times the rows'
right-hand sides plus the cheapest weeks is a lower bound (Lagrangian duality), so every round
gives a valid bound whatever the linear programme's tolerances.

It is weak: the pricing does not remember which sites a week has visited, so the master mixes
weeks that return to the best sites day after day, and its bound stays far below the plans
(figures in ``bench/README.md``). It is not yet part of a solve; ``bench/relaxed_bound.py``
measures it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scheduler.scenario.goals import COACH_MINUTES
from scheduler.scenario.model import on_step
from scheduler.solver.bound.balance_bound import least_imbalance, least_late_evening_cost
from scheduler.solver.bound.route_relaxation import Rows, field_share_row, lodging_limits, site_day_limits
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.params import BoundParams

INF = 1e18


@dataclass(frozen=True)
class RelaxedDay:
    """What a class's day of the relaxation is made of, as arrays for the chain search."""

    starts: np.ndarray  # place numbers of the morning places
    ends: np.ndarray  # place numbers of the evening places
    sites: np.ndarray  # the class's site numbers (``ClassDays.site_ids``) open to it that day
    frame: np.ndarray  # the day's clock and limits, as ``compiled.cheapest_chains`` reads them


class ClassDays:
    """One class's relaxation: its sites, its days, and what its own rows ask."""

    def __init__(self, cand: Candidates, class_id: str):
        scenario = cand.scenario
        travel = cand.travel
        klass = scenario.training_class(class_id)
        req = cand.requirements(klass)
        days = range(scenario.programme.days)
        last = scenario.programme.days - 1
        frame = cand.frame
        step = frame.time_step_minutes
        self.class_id = class_id
        self.coach = float(COACH_MINUTES.price(scenario.weights))
        self.max_visits = req.max_visits_per_day
        self.site_ids = sorted({s for day in days for s in cand.visit_options[(class_id, day)]} | set(req.must_visit))
        number = {site_id: i for i, site_id in enumerate(self.site_ids)}
        sites = [scenario.site(site_id) for site_id in self.site_ids]
        places = travel.place_numbers
        self.site_place = np.array([places[s.place] for s in sites], np.int64)
        self.site_open = np.array([s.hours.open for s in sites], np.int64)
        self.site_close = np.array([s.hours.close for s in sites], np.int64)
        self.site_minutes = np.array([s.visit_minutes for s in sites], np.int64)
        self.reward = np.array([cand.visit_reward(class_id, s.id) for s in sites], float)
        self.red = np.array([int(s.is_red_education) for s in sites], float)
        self.must = np.array([s.id in req.must_visit for s in sites], bool)
        self.min_red = req.min_red_education_visits
        self.session_minutes = sum(s.minutes for s in cand.sessions if s.class_id == class_id)
        rows = Rows()
        field = field_share_row(cand, klass, [s for s in cand.sessions if s.class_id == class_id], rows)
        self.min_field = rows.rhs[field] if field is not None else None
        """Least visit minutes of the week the field share asks (None: the share is no such row)."""
        self.hundredths = np.ascontiguousarray(travel.hundredths_matrix, np.int64)
        self.driving = -(-self.hundredths // 100)
        self.door = self.driving + np.asarray(travel.rest_minutes_matrix, np.int64)
        self.least_driving = np.ascontiguousarray(travel.shortest_driving_matrix, np.int64)
        teaching = scenario.limits.max_teaching_minutes_per_day
        if "field_visit" not in scenario.definitions.workload_kinds or teaching is None:
            teaching = 10**9
        self.days: list[RelaxedDay] = []
        for day in days:
            earliest = scenario.earliest_departure_on(day)
            leave = earliest
            if day == 0 and req.opening_minutes:
                leave = max(leave, scenario.day_start_on(day) + req.opening_minutes)
            afternoon = req.presentation_minutes + req.closing_minutes if day == last else 0
            clock = [
                on_step(leave, step),
                scenario.latest_return_on(day),
                frame.dinner.start - afternoon,
                scenario.max_coach_hundredths_on(day),
                teaching,
                req.max_visits_per_day,
                step,
                frame.lunch.earliest,
                frame.lunch.latest,
                frame.lunch.minutes,
                frame.dinner.start,
                earliest,
                req.opening_minutes if day == 0 else -(10**9),
            ]
            self.days.append(
                RelaxedDay(
                    starts=np.array([places[p] for p in cand.start_places(klass, day)], np.int64),
                    ends=np.array([places[p] for p in cand.end_places(klass, day)], np.int64),
                    sites=np.array(sorted(number[s] for s in cand.visit_options[(class_id, day)]), np.int64),
                    frame=np.array(clock, np.int64),
                )
            )


@dataclass(frozen=True)
class _Week:
    """A week of the relaxation: its cost, its visits (day, site number), its nights (night,
    place number) and its room for sessions (minutes)."""

    cost: float
    visits: tuple[tuple[int, int], ...]
    nights: tuple[tuple[int, int], ...]
    room: int


def day_chains(
    data: ClassDays, d: int, start: int, costs: np.ndarray, room_price: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each evening place of day ``d`` (``RelaxedDay.ends``), the cheapest chain from the
    place numbered ``start`` (``compiled.cheapest_chains``), its sites numbered as the day's
    ``sites`` (-1 after the last), and its room for sessions. ``costs``: each of the day's sites'
    cost on top of the coach."""
    from scheduler.solver.bound.compiled import cheapest_chains  # numba, imported when first needed

    day = data.days[d]
    sites = day.sites
    best = np.empty(day.ends.shape[0])
    chains = np.empty((day.ends.shape[0], max(1, data.max_visits)), np.int64)
    rooms = np.zeros(day.ends.shape[0], np.int64)
    cheapest_chains(
        start,
        day.ends,
        data.site_place[sites],
        data.site_open[sites],
        data.site_close[sites],
        data.site_minutes[sites],
        np.ascontiguousarray(costs, dtype=np.float64),
        data.hundredths,
        data.driving,
        data.door,
        data.least_driving,
        day.frame,
        float(room_price),
        data.coach,
        best,
        chains,
        rooms,
    )
    return best, chains, rooms


def cheapest_week(
    data: ClassDays, site_price: np.ndarray, night_price: np.ndarray, room_price: float
) -> tuple[float, _Week] | None:
    """The class's cheapest week when a visit of site s on day d pays ``site_price[d, s]`` on
    top of its coach minutes less its reward, a night at place p after day d
    ``night_price[d, p]``, and each minute of room for sessions earns ``room_price``: its cost
    at those prices and the week, or None if the class has no week at all."""
    site_cost = site_price - data.reward[None, :]
    n_places = data.hundredths.shape[0]
    value = np.full(n_places, INF)
    value[data.days[0].starts[0]] = 0.0
    back: list[dict[int, tuple[int, np.ndarray, int]]] = []
    last = len(data.days) - 1
    # days alike in their clock, sites and prices have the same chains from each place
    known: dict[tuple[bytes, bytes, bytes, bytes, float, int], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for d, day in enumerate(data.days):
        sites = day.sites
        costs = np.ascontiguousarray(site_cost[d, sites])
        arrival = np.full(n_places, INF)
        how: dict[int, tuple[int, np.ndarray, int]] = {}
        for p in day.starts:
            if value[p] >= INF:
                continue
            key = (day.frame.tobytes(), day.ends.tobytes(), sites.tobytes(), costs.tobytes(), room_price, int(p))
            if key not in known:
                known[key] = day_chains(data, d, int(p), costs, room_price)
            best, chains, rooms = known[key]
            for e, q in enumerate(day.ends):
                if best[e] >= INF:
                    continue
                total = value[p] + best[e] + (night_price[d, q] if d < last else 0.0)
                if total < arrival[q]:
                    arrival[q] = total
                    chain = np.array([sites[k] for k in chains[e] if k >= 0], np.int64)
                    how[int(q)] = (int(p), chain, int(rooms[e]))
        back.append(how)
        value = arrival
    end = int(data.days[-1].ends[0])
    if value[end] >= INF:
        return None
    visits: list[tuple[int, int]] = []
    nights: list[tuple[int, int]] = []
    room = 0
    place = end
    for d in range(last, -1, -1):
        start, chain, day_room = back[d][place]
        visits += [(d, int(s)) for s in chain]
        room += day_room
        if d < last:
            nights.append((d, place))
        place = start
    priced = float(value[end])
    paid = sum(site_price[d, s] for d, s in visits) + sum(night_price[d, p] for d, p in nights) - room_price * room
    return priced, _Week(priced - float(paid), tuple(sorted(visits)), tuple(sorted(nights)), room)


class JointMaster:
    """Every class's weeks mixed under each class's own rows (sites, red-education visits) and,
    where ``shared``, the rows between classes (each site's visits a day, each night's
    lodging); solved by column generation (see the module's text)."""

    PENALTY = 1e4
    """What the master's slack pays per unit of a row it breaks, before weeks keep them all."""

    def __init__(self, cand: Candidates, *, shared: bool = True):
        from ortools.linear_solver import pywraplp

        self.classes = [ClassDays(cand, k.id) for k in cand.scenario.classes]
        self.solver = solver = pywraplp.Solver.CreateSolver("GLOP")
        self.pricings = 0
        self.bound = -math.inf
        self.value = math.inf
        infinity = solver.infinity()
        objective = solver.Objective()
        objective.SetMinimization()
        n_days = cand.scenario.programme.days
        n_places = len(cand.travel.place_ids)

        def slack(row, sign: float) -> None:
            variable = solver.NumVar(0.0, infinity, "")
            row.SetCoefficient(variable, sign)
            objective.SetCoefficient(variable, self.PENALTY)

        self.convexity = []
        self.site_rows = []
        self.red_rows = []
        self.room_rows = []
        self.field_rows = []
        for data in self.classes:
            row = solver.Constraint(1.0, 1.0)
            slack(row, 1.0)
            self.convexity.append(row)
            rows = []
            for must in data.must:
                rows.append(solver.Constraint(1.0 if must else -infinity, 1.0))
                if must:
                    slack(rows[-1], 1.0)
            self.site_rows.append(rows)
            red = solver.Constraint(float(data.min_red), infinity)
            slack(red, 1.0)
            self.red_rows.append(red)
            room = solver.Constraint(float(data.session_minutes), infinity)
            slack(room, 1.0)
            self.room_rows.append(room)
            field = None
            if data.min_field is not None:
                field = solver.Constraint(float(data.min_field), infinity)
                slack(field, 1.0)
            self.field_rows.append(field)
        # rows between classes: (day, site id) -> [(row, {class number: demand})]; (night, place number) -> row
        self.site_day: dict[tuple[int, str], list[tuple[object, dict[int, float]]]] = {}
        self.lodging: dict[tuple[int, int], object] = {}
        self.shape = (n_days, n_places)
        if shared:
            number = {data.class_id: c for c, data in enumerate(self.classes)}
            visitors = {}
            for data in self.classes:
                for d in range(n_days):
                    for s in data.days[d].sites:
                        key = (d, data.site_ids[s])
                        visitors[key] = visitors.get(key, frozenset()) | {data.class_id}
            for _kind, day, site_id, room, demand in site_day_limits(cand, visitors):
                row = solver.Constraint(-infinity, float(room))
                self.site_day.setdefault((day, site_id), []).append(
                    (row, {number[c]: float(v) for c, v in demand.items()})
                )
            places = cand.travel.place_numbers
            for night, place, room in lodging_limits(cand):
                self.lodging[(night, places[place])] = solver.Constraint(-infinity, float(room))
        self._prices = self._zero_prices()
        self._constant = 0.0

    def _zero_prices(self) -> list[tuple[np.ndarray, np.ndarray, float]]:
        n_days, n_places = self.shape
        return [(np.zeros((n_days, len(data.site_ids))), np.zeros((n_days, n_places)), 0.0) for data in self.classes]

    def add(self, c: int, week: _Week) -> None:
        solver = self.solver
        data = self.classes[c]
        variable = solver.NumVar(0.0, solver.infinity(), "")
        self.convexity[c].SetCoefficient(variable, 1.0)
        red = 0.0
        counts: dict[int, float] = {}
        for d, s in week.visits:
            counts[s] = counts.get(s, 0.0) + 1.0
            red += data.red[s]
            for row, demand in self.site_day.get((d, data.site_ids[s]), ()):
                if c in demand:
                    row.SetCoefficient(variable, row.GetCoefficient(variable) + demand[c])
        for s, count in counts.items():
            self.site_rows[c][s].SetCoefficient(variable, count)
        if red:
            self.red_rows[c].SetCoefficient(variable, red)
        if week.room:
            self.room_rows[c].SetCoefficient(variable, float(week.room))
        if self.field_rows[c] is not None:
            field = float(sum(data.site_minutes[s] for _, s in week.visits))
            self.field_rows[c].SetCoefficient(variable, field)
        for night in week.nights:
            row = self.lodging.get(night)
            if row is not None:
                row.SetCoefficient(variable, 1.0)
        solver.Objective().SetCoefficient(variable, week.cost)

    def price_all(self, stopped: Callable[[], bool]) -> bool:
        """Each class's cheapest week at the master's prices: the bound they give, each added to
        the master, then the master solved again. False once told to stop before all were
        priced, the master settled (no week can lower it), or a class has no week."""
        total = 0.0
        found = []
        for c, data in enumerate(self.classes):
            if stopped():
                return False
            site_price, night_price, room_price = self._prices[c]
            week = cheapest_week(data, site_price, night_price, room_price)
            self.pricings += 1
            if week is None:
                self.bound = math.inf
                return False
            total += week[0]
            found.append(week[1])
        total += self._constant
        self.bound = max(self.bound, total)
        for c, week in enumerate(found):
            self.add(c, week)
        if self.value - self.bound < 0.5:
            return False
        status = self.solver.Solve()
        if status != self.solver.OPTIMAL:
            return False
        self.value = self.solver.Objective().Value()
        self._read_prices()
        return self.value - self.bound >= 0.5

    def _read_prices(self) -> None:
        """The master's duals, of the signs the bound needs (a row of at most pays nothing
        back, a row of at least charges nothing), as the pricing's prices, and the prices
        times the rows' right-hand sides (the convexity rows left to the pricing)."""
        n_days, n_places = self.shape
        constant = 0.0
        shared_site: dict[tuple[int, int, str], float] = {}
        for (day, site_id), rows in self.site_day.items():
            for row, demand in rows:
                dual = min(0.0, row.dual_value())
                constant += dual * row.ub()
                for c, v in demand.items():
                    shared_site[(c, day, site_id)] = shared_site.get((c, day, site_id), 0.0) - dual * v
        night_price = np.zeros((n_days, n_places))
        for (night, place), row in self.lodging.items():
            dual = min(0.0, row.dual_value())
            constant += dual * row.ub()
            night_price[night, place] = -dual
        prices = []
        for c, data in enumerate(self.classes):
            site_price = np.zeros((n_days, len(data.site_ids)))
            for s, row in enumerate(self.site_rows[c]):
                dual = row.dual_value() if data.must[s] else min(0.0, row.dual_value())
                constant += dual
                site_price[:, s] = -dual
            for d in range(n_days):
                for s in data.days[d].sites:
                    extra = shared_site.get((c, d, data.site_ids[s]))
                    if extra:
                        site_price[d, s] += extra
            red = max(0.0, self.red_rows[c].dual_value())
            constant += red * data.min_red
            site_price -= red * data.red[None, :]
            if self.field_rows[c] is not None:
                field = max(0.0, self.field_rows[c].dual_value())
                constant += field * data.min_field
                site_price -= field * data.site_minutes[None, :]
            room = max(0.0, self.room_rows[c].dual_value())
            constant += room * data.session_minutes
            prices.append((site_price, night_price, room))
        self._prices = prices
        self._constant = constant


@dataclass(frozen=True)
class RelaxedBound:
    """The bound (None where a class has no week at all), and what it took."""

    bound: int | None
    pricings: int
    seconds: float
    settled: bool


def relaxed_week_bound(
    cand: Candidates,
    seconds: float,
    *,
    params: BoundParams = BoundParams(),
    should_stop: Callable[[], bool] = lambda: False,
    on_bound: Callable[[int], None] = lambda bound: None,
    shared: bool = True,
) -> RelaxedBound:
    """The best bound within about ``seconds`` or until ``should_stop()``; ``on_bound`` hears
    each better one."""
    started = time.monotonic()

    def stopped() -> bool:
        return time.monotonic() - started > seconds or should_stop()

    master = JointMaster(cand, shared=shared)
    apart = least_imbalance(cand, params.balance_seconds) + least_late_evening_cost(cand)
    best = -math.inf
    going = True
    while going and not stopped():
        going = master.price_all(stopped)
        if master.bound == math.inf:
            break
        if math.isfinite(master.bound) and math.ceil(master.bound - 1e-6) > best:
            best = math.ceil(master.bound - 1e-6)
            on_bound(int(best) + apart)
    return RelaxedBound(
        None if master.bound == math.inf or best == -math.inf else int(best) + apart,
        master.pricings,
        time.monotonic() - started,
        master.value - master.bound < 0.5,
    )
