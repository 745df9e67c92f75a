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
* each site at most once in the week and each must-visit site exactly once, as rows of the
  master, and in the pricing for the sites the class's week *tracks*: the must-visit sites from
  the start, then each site a cheapest week visits twice (decremental state-space relaxation),
  up to ``BoundParams.max_tracked`` (after a first round that tracks only the must-visit sites,
  for a first bound soon);
* the red-education visits, the field share (``route_relaxation.field_share_row``) and the room
  for the class's sessions (each route's room as ``DayRouteEnumerator`` counts it, with the
  chain's clock);
* a programme every day (``programme_every_day``): the days without visits that no fixed
  session fills (an opening, a presentation or a closing) at most the class's sessions that may
  be held on any day (its lectures), each filling one day;
* with ``shared``, the rows between classes: each night's lodging and each site's visits a day
  (``route_relaxation.lodging_limits``, ``site_day_limits``).

It leaves out the lectures' rows (who can reach which place), idle daytime, and visits of a
site not tracked on two days: each only removes routes or weeks, or only adds to a plan's cost,
so whatever the relaxation proves holds for every plan. A route costs what the objective counts
for it: its coach minutes less what its visits earn (``Candidates.visit_reward``); the
lecturers' balance and the late evenings are bounded apart (``balance_bound``) and added.

It is solved by column generation: a master linear programme (GLOP) mixes whole weeks of every
class under those rows, and the pricing finds each class's cheapest week at the prices: for
each day and morning place, the cheapest chain to each evening place with each set of tracked
sites (``compiled.cheapest_chains``, a depth-first search of the chains the clock and the
limits allow, cut where no way on could beat the chains with fewer tracked sites), then a
shortest path over the days whose state is the place and the tracked sites visited
(``compiled.advance_day``). At any prices of the right signs, the prices times the rows'
right-hand sides plus the cheapest weeks is a lower bound (Lagrangian duality), so every round
gives a valid bound whatever the linear programme's tolerances; the prices are the master's
duals drawn towards those of the best bound so far (``JointMaster.SMOOTHING``), the less the
longer that fails to raise it. The master starts from the weeks of the plan found so far
(``KnownWeek``), which keep all its rows from its first solve.

Its master's favourite weeks (``JointMaster.suggested_weeks``) are also where the search looks:
planned one class after another around each other (``by_class.from_weeks``), they make far
better plans than a search class by class from a constructive plan, wherever the master has
settled. A solve past the week bound's size computes it beside the search
(``aside.WeekBoundAside``): on a core the search leaves free, or, up to ``[bound]
relaxed_legs``, on one of the search's for the first ``[bound] relaxed_share`` of the time. It
is weaker than the week bound (no lectures' rows, no branching) and, on large programmes, far
from settled within a solve's time: figures in ``bench/README.md``.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from scheduler.scenario.goals import COACH_MINUTES
from scheduler.scenario.model import on_step
from scheduler.solver.bound.balance_bound import least_imbalance, least_late_evening_cost
from scheduler.solver.bound.day_routes import DayRouteEnumerator
from scheduler.solver.bound.route_relaxation import Rows, field_share_row, lodging_limits, site_day_limits
from scheduler.solver.bound.week_pricing import Weeks
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.params import BoundParams

INF = 1e18


@dataclass(frozen=True)
class RelaxedDay:
    """What a class's day of the relaxation is made of, as arrays for the chain search."""

    starts: np.ndarray  # place numbers of the morning places
    ends: np.ndarray  # place numbers of the evening places
    sites: np.ndarray  # the class's site numbers (``ClassDays.site_ids``) open to it that day
    frame: tuple[int, ...]  # the day's clock and limits, as ``compiled.cheapest_chains`` reads them


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
        self.tracked: list[int] = []
        """The site numbers a week remembers visiting, each a bit of its state (in order)."""
        own_sessions = [s for s in cand.sessions if s.class_id == class_id]
        self.session_minutes = sum(s.minutes for s in own_sessions)
        fixed = {s.days[0] for s in own_sessions if len(s.days) == 1}
        self.fill_days = np.array(
            [req.programme_every_day and d not in cand.rest_days and d not in fixed for d in days], bool
        )
        """The days a visit must fill unless a session that may be held on several days (a
        lecture) does: ``programme_every_day``, but rest days and days of a fixed session."""
        self.movable_sessions = sum(1 for s in own_sessions if len(s.days) > 1)
        rows = Rows()
        field = field_share_row(cand, klass, own_sessions, rows)
        self.min_field = rows.rhs[field] if field is not None else None
        """Least visit minutes of the week the field share asks (None: the share is no such row)."""
        self.hundredths = np.ascontiguousarray(travel.hundredths_matrix, np.int64)
        self.driving = -(-self.hundredths // 100)
        self.door = self.driving + np.asarray(travel.rest_minutes_matrix, np.int64)
        self.least_driving = np.ascontiguousarray(travel.shortest_driving_matrix, np.int64)
        listing = DayRouteEnumerator(cand)  # its clock's rules, which the chain search keeps
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
                listing.teaching_room(day),
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
                    frame=tuple(int(x) for x in clock),
                )
            )

    def empty_days(self, visits: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> int:
        """The days of ``fill_days`` a week with ``visits`` (day, site number) leaves without one."""
        visited = {d for d, _ in visits}
        return sum(1 for d in np.flatnonzero(self.fill_days) if d not in visited)

    def rows_of(self, visits: tuple[tuple[int, int], ...]) -> WeekRows:
        """What a week with ``visits`` (day, site number) puts in this class's own rows."""
        counts = Counter(s for _, s in visits)
        return WeekRows(
            visits=dict(counts),
            red=float(sum(self.red[s] for _, s in visits)),
            field=float(sum(self.site_minutes[s] for _, s in visits)),
            empty=self.empty_days(visits),
        )

    @property
    def must_bits(self) -> int:
        """The bits of the tracked must-visit sites."""
        return sum(1 << k for k, site in enumerate(self.tracked) if self.must[site])


@dataclass(frozen=True)
class WeekRows:
    """A week's entries in its class's own rows: visits per site number, red-education visits,
    field minutes and days left without a visit of those to fill."""

    visits: dict[int, int]
    red: float
    field: float
    empty: int


@dataclass(frozen=True)
class _Week:
    """A week of the relaxation: its cost, its visits (day, site number), its nights (night,
    place number) and its room for sessions (minutes)."""

    cost: float
    visits: tuple[tuple[int, int], ...]
    nights: tuple[tuple[int, int], ...]
    room: int


@dataclass(frozen=True)
class KnownWeek:
    """A class's week in a plan already found: what its routes cost (coach minutes less what its
    visits earn), its visits (day, site id) and its nights (night, place id)."""

    cost: float
    visits: tuple[tuple[int, str], ...]
    nights: tuple[tuple[int, str], ...]


def day_chains(
    data: ClassDays, d: int, start: int, costs: np.ndarray, room_price: float, empty_cost: float = 0.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each evening place of day ``d`` (``RelaxedDay.ends``) and each set of the class's
    tracked sites (``ClassDays.tracked``, as bits), the cheapest chain from the place numbered
    ``start`` (``compiled.cheapest_chains``), its sites numbered as the day's ``sites`` (-1
    after the last), and its room for sessions. ``costs``: each of the day's sites' cost on top
    of the coach; ``empty_cost``: what a day without visits costs on top."""
    from scheduler.solver.bound.compiled import cheapest_chains  # numba, imported when first needed

    day = data.days[d]
    sites = day.sites
    bit = {site: 1 << k for k, site in enumerate(data.tracked)}
    site_bit = np.array([bit.get(int(site), 0) for site in sites], np.int64)
    sets = 1 << len(data.tracked)
    best = np.empty((day.ends.shape[0], sets))
    chains = np.empty((day.ends.shape[0], sets, max(1, data.max_visits)), np.int64)
    rooms = np.zeros((day.ends.shape[0], sets), np.int64)
    cheapest_chains(
        start,
        day.ends,
        data.site_place[sites],
        data.site_open[sites],
        data.site_close[sites],
        data.site_minutes[sites],
        np.ascontiguousarray(costs, dtype=np.float64),
        site_bit,
        data.must_bits,
        data.hundredths,
        data.driving,
        data.door,
        data.least_driving,
        day.frame,
        float(room_price),
        float(empty_cost),
        data.coach,
        best,
        chains,
        rooms,
    )
    return best, chains, rooms


_Origin = tuple[int, int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""Where a day's options from one morning place begin among the day's options, the place, its
chains and rooms (``day_chains``), and the evening places and sets of the options kept."""


def cheapest_weeks(
    data: ClassDays,
    site_price: np.ndarray,
    night_price: np.ndarray,
    room_price: float,
    count: int = 1,
    empty_price: float = 0.0,
) -> list[tuple[float, _Week]]:
    """The class's cheapest week when a visit of site s on day d pays ``site_price[d, s]`` on
    top of its coach minutes less its reward, a night at place p after day d
    ``night_price[d, p]``, each minute of room for sessions earns ``room_price`` and each day
    of ``ClassDays.fill_days`` without visits costs ``empty_price``: its cost
    at those prices and the week, first, then the cheapest weeks of other sets of tracked sites
    visited, up to ``count`` in all, the cheapest first; none if the class has no week at all.
    Each week visits each tracked site at most once, and each tracked must-visit site once."""
    from scheduler.solver.bound.compiled import advance_day, undominated  # numba, imported when first needed

    site_cost = site_price - data.reward[None, :]
    places = sorted({int(p) for day in data.days for p in (*day.starts, *day.ends)})
    local = np.full(max(places) + 1, -1, np.int64)
    local[places] = np.arange(len(places))
    sets = 1 << len(data.tracked)
    must = data.must_bits
    value = np.full((len(places), sets), INF)
    value[local[int(data.days[0].starts[0])], 0] = 0.0
    last = len(data.days) - 1
    steps: list[tuple[np.ndarray, np.ndarray, list[_Origin]]] = []
    # days alike in their clock, sites and prices have the same chains from each place
    known: dict[
        tuple[tuple[int, ...], bytes, bytes, bytes, float, float, int], tuple[np.ndarray, np.ndarray, np.ndarray, tuple]
    ] = {}
    for d, day in enumerate(data.days):
        sites = day.sites
        costs = np.ascontiguousarray(site_cost[d, sites])
        starts, ends, taken, priced = [], [], [], []
        origins: list[_Origin] = []
        count_so_far = 0
        for p in day.starts:
            if not (value[local[int(p)]] < INF).any():
                continue
            empty = empty_price if data.fill_days[d] else 0.0
            key = (day.frame, day.ends.tobytes(), sites.tobytes(), costs.tobytes(), room_price, empty, int(p))
            if key not in known:
                best, chains, rooms = day_chains(data, d, int(p), costs, room_price, empty)
                kept = np.nonzero(undominated(best, must))
                known[key] = (best, chains, rooms, kept)
            best, chains, rooms, (e, t) = known[key]
            q = day.ends[e]
            starts.append(np.full(e.shape[0], local[int(p)], np.int64))
            ends.append(local[q])
            taken.append(t.astype(np.int64))
            priced.append(best[e, t] + (night_price[d, q] if d < last else 0.0))
            origins.append((count_so_far, int(p), chains, rooms, e, t))
            count_so_far += e.shape[0]
        joined = [
            np.concatenate(parts) if parts else np.empty(0, kind)
            for parts, kind in ((starts, np.int64), (ends, np.int64), (taken, np.int64), (priced, float))
        ]
        value, came_option, came_set = advance_day(value, *joined)
        steps.append((came_option, came_set, origins))
    end = int(local[int(data.days[-1].ends[0])])
    finals = sorted((t for t in range(sets) if t & must == must and value[end, t] < INF), key=lambda t: value[end, t])
    if not finals:
        return []
    weeks = []
    for final in finals[:count]:
        state = final
        priced_week = float(value[end, state])
        visits: list[tuple[int, int]] = []
        nights: list[tuple[int, int]] = []
        room = 0
        place = end
        for d in range(last, -1, -1):
            came_option, came_set, origins = steps[d]
            option = int(came_option[place, state])
            first, start, chains, rooms, e, t = next(o for o in reversed(origins) if o[0] <= option)
            k = option - first
            sites = data.days[d].sites
            visits += [(d, int(sites[j])) for j in chains[e[k], t[k]] if j >= 0]
            room += int(rooms[e[k], t[k]])
            if d < last:
                nights.append((d, places[place]))
            state = int(came_set[place, state])
            place = int(local[start])
        paid = (
            sum(site_price[d, s] for d, s in visits)
            + sum(night_price[d, p] for d, p in nights)
            - room_price * room
            + empty_price * data.empty_days(visits)
        )
        week = _Week(priced_week - float(paid), tuple(sorted(visits)), tuple(sorted(nights)), room)
        weeks.append((priced_week, week))
    return weeks


class JointMaster:
    """Every class's weeks mixed under each class's own rows (sites, red-education visits) and,
    where ``shared``, the rows between classes (each site's visits a day, each night's
    lodging); solved by column generation (see the module's text)."""

    PENALTY = 1e4
    """What the master's slack pays per unit of a row it breaks, before weeks keep them all."""

    SMOOTHING = 0.7
    """How far the pricing's prices are drawn from the master's duals towards the best bound's."""

    def __init__(
        self,
        cand: Candidates,
        *,
        shared: bool = True,
        max_tracked: int = BoundParams().max_tracked,
        weeks_per_pricing: int = BoundParams().weeks_per_pricing,
    ):
        from ortools.linear_solver import pywraplp

        self.max_tracked = max_tracked
        self.weeks_per_pricing = weeks_per_pricing
        self.classes = [ClassDays(cand, k.id) for k in cand.scenario.classes]
        for data in self.classes:
            # the must-visit sites are remembered from the start: a week visits each once
            data.tracked = [int(s) for s in np.flatnonzero(data.must)][:max_tracked]
        self.solver = solver = pywraplp.Solver.CreateSolver("GLOP")
        self.pricings = 0
        self.columns: list[list[tuple[object, list[int]]]] = [[] for _ in cand.scenario.classes]
        """Each class's weeks in the master: the variable and the sites it visits twice."""
        self.weeks: list[list[_Week]] = [[] for _ in cand.scenario.classes]
        """Each class's weeks in the master, as ``columns`` lists them."""
        self.weights: list[list[float]] = [[] for _ in cand.scenario.classes]
        """Each class's weeks' weights in the master when it was last solved."""
        self.place_ids = cand.travel.place_ids
        self.rounds = 0
        """Rounds of pricing every class done."""
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
        self.empty_rows = []
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
            empty = None
            if data.fill_days.any():
                empty = solver.Constraint(-infinity, float(data.movable_sessions))
                slack(empty, -1.0)
            self.empty_rows.append(empty)
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
        zero = (self._zero_prices(), 0.0)
        self._pricing = zero
        """The prices the next round prices at, and their constant."""
        self._center = zero
        """The prices of the best bound so far, and their constant."""
        self._weight = self.SMOOTHING
        """How far the next prices are drawn towards the best bound's."""

    def _zero_prices(self) -> list[tuple[np.ndarray, np.ndarray, float, float]]:
        n_days, n_places = self.shape
        return [
            (np.zeros((n_days, len(data.site_ids))), np.zeros((n_days, n_places)), 0.0, 0.0) for data in self.classes
        ]

    def add(self, c: int, week: _Week) -> None:
        solver = self.solver
        data = self.classes[c]
        variable = solver.NumVar(0.0, solver.infinity(), "")
        self.convexity[c].SetCoefficient(variable, 1.0)
        rows = data.rows_of(week.visits)
        for d, s in week.visits:
            for row, demand in self.site_day.get((d, data.site_ids[s]), ()):
                if c in demand:
                    row.SetCoefficient(variable, row.GetCoefficient(variable) + demand[c])
        for s, count in rows.visits.items():
            self.site_rows[c][s].SetCoefficient(variable, float(count))
        self.columns[c].append((variable, [s for s, count in rows.visits.items() if count > 1]))
        self.weeks[c].append(week)
        if rows.red:
            self.red_rows[c].SetCoefficient(variable, rows.red)
        if week.room:
            self.room_rows[c].SetCoefficient(variable, float(week.room))
        if self.field_rows[c] is not None:
            self.field_rows[c].SetCoefficient(variable, rows.field)
        if self.empty_rows[c] is not None and rows.empty:
            self.empty_rows[c].SetCoefficient(variable, float(rows.empty))
        for night in week.nights:
            row = self.lodging.get(night)
            if row is not None:
                row.SetCoefficient(variable, 1.0)
        solver.Objective().SetCoefficient(variable, week.cost)

    def price_all(self, stopped: Callable[[], bool]) -> bool:
        """Each class's cheapest week at the pricing's prices: the bound they give, each week
        added to the master, then the master solved again. False once told to stop before all
        were priced, the master settled (no week can lower it), or a class has no week.

        The prices are the master's duals drawn towards those of the best bound so far
        (``SMOOTHING``; Wentges' smoothing): the duals alone swing from round to round and the
        bound with them. Each round that does not raise the bound halves the draw, down to the
        duals alone, which settle the master or lower it: held at the best bound's prices while
        the master is still falling, the bound would stay where it first stood."""
        total = 0.0
        found = []
        prices, constant = self._pricing
        for c, data in enumerate(self.classes):
            if stopped():
                return False
            site_price, night_price, room_price, empty_price = prices[c]
            while True:
                weeks = cheapest_weeks(
                    data, site_price, night_price, room_price, self.weeks_per_pricing, empty_price=empty_price
                )
                self.pricings += 1
                if not weeks:
                    self.bound = math.inf
                    return False
                week = weeks[0]
                # a site the week visits twice is remembered from now on, and the class priced
                # again; not in the first round, which gives a bound as soon as it can
                repeated = Counter(s for _, s in week[1].visits if s not in data.tracked)
                room = self.max_tracked - len(data.tracked)
                twice = [s for s, n in repeated.most_common() if n > 1][:room]
                if not twice or stopped() or self.rounds == 0:
                    break
                data.tracked += twice
                # weeks that visit a site now tracked twice are no weeks of the relaxation now
                for variable, repeats in self.columns[c]:
                    if any(s in twice for s in repeats):
                        variable.SetUb(0.0)
            total += week[0]
            found.append([w for _, w in weeks])
        total += constant
        raised = total > self.bound + 1e-9
        if raised:
            self.bound = total
            self._center = (prices, constant)
        for c, weeks in enumerate(found):
            for week in weeks:
                self.add(c, week)
        self.rounds += 1
        if self.rounds == 1:
            return True  # the same prices again, with the sites each class's week repeats remembered
        if self.value - self.bound < 0.5:
            return False
        status = self.solver.Solve()
        if status != self.solver.OPTIMAL:
            return False
        value = self.solver.Objective().Value()
        self.weights = [[variable.solution_value() for variable, _ in columns] for columns in self.columns]
        self.value = value
        duals = self._read_prices()
        # drawn towards the best bound's prices, the less the longer they fail to raise it
        self._weight = self.SMOOTHING if raised else self._weight / 2
        self._pricing = _mixed(self._center, duals, self._weight if self._weight > 0.05 else 0.0)
        return self.value - self.bound >= 0.5

    def add_known(self, c: int, known: KnownWeek) -> None:
        """A week of a plan already found into the master: with every class's, the master keeps
        all its rows from its first solve, so its prices mean something from the first round
        (its slack would otherwise set them while the priced weeks are few). The week keeps
        its class's rows, so it is the relaxation's week too, its room the sessions it holds."""
        data = self.classes[c]
        number = {site_id: s for s, site_id in enumerate(data.site_ids)}
        places = {place_id: p for p, place_id in enumerate(self.place_ids)}
        if any(site not in number for _, site in known.visits):
            return  # not a week of this class's relaxation
        visits = tuple(sorted((d, number[site]) for d, site in known.visits))
        nights = tuple(sorted((d, places[place]) for d, place in known.nights))
        self.add(c, _Week(known.cost, visits, nights, data.session_minutes))

    def fits(self, c: int, week: _Week) -> bool:
        """Whether a week keeps its class's own rows: no site twice, every must-visit site, the
        red-education visits, the field share, the room for sessions and the days to fill."""
        data = self.classes[c]
        rows = data.rows_of(week.visits)
        return (
            all(count == 1 for count in rows.visits.values())
            and set(np.flatnonzero(data.must)) <= rows.visits.keys()
            and rows.red >= data.min_red
            and (data.min_field is None or rows.field >= data.min_field)
            and week.room >= data.session_minutes
            and rows.empty <= data.movable_sessions
        )

    def suggested_weeks(self, fitting: bool = False) -> Weeks:
        """Each class's week with the most weight in the master when it was last solved (the
        latest found before then), as a plan could follow it: a site it visits again is visited
        on its first day only. The master's mix says which weeks the classes' rows together
        favour; planned one class after another around each other (``by_class.from_weeks``)
        they are far better weeks than a search class by class finds from a constructive plan.
        ``fitting``: the heaviest of the weeks that keep their class's own rows (``fits``), if
        any: a master far from settled mixes weeks of too few visits with weeks of many, and
        the heaviest may be one a plan cannot follow."""
        weeks: Weeks = {}
        for c, data in enumerate(self.classes):
            if not self.weeks[c]:
                continue
            weights = [*self.weights[c], *[0.0] * (len(self.weeks[c]) - len(self.weights[c]))]
            choices = range(len(self.weeks[c]))
            if fitting and (fit := [i for i in choices if self.fits(c, self.weeks[c][i])]):
                choices = fit
            costs = [week.cost for week in self.weeks[c]]
            k = max(choices, key=lambda i: (weights[i], -costs[i], i) if fitting else (weights[i], i))
            week = self.weeks[c][k]
            nights = dict(week.nights)
            seen: set[int] = set()
            days = []
            for d, relaxed_day in enumerate(data.days):
                sites = {s for day, s in week.visits if day == d and s not in seen}
                seen |= sites
                end = nights[d] if d in nights else int(relaxed_day.ends[0])
                days.append((frozenset(data.site_ids[s] for s in sites), self.place_ids[end]))
            weeks[data.class_id] = tuple(days)
        return weeks

    def _read_prices(self) -> tuple[list[tuple[np.ndarray, np.ndarray, float, float]], float]:
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
            empty = 0.0
            if self.empty_rows[c] is not None:
                dual = min(0.0, self.empty_rows[c].dual_value())
                constant += dual * data.movable_sessions
                empty = -dual
            prices.append((site_price, night_price, room, empty))
        return prices, constant


def _mixed(center, duals, weight: float):
    """``weight`` of the prices ``center`` and the rest of ``duals``, with their constant (the
    constant is linear in the prices, and the signs the bound needs are kept by any such mix)."""
    (near, near_constant), (far, far_constant) = center, duals
    if weight == 0.0:
        return duals
    prices = [
        tuple(weight * a + (1 - weight) * b for a, b in zip(one, other, strict=True))
        for one, other in zip(near, far, strict=True)
    ]
    return prices, weight * near_constant + (1 - weight) * far_constant


@dataclass(frozen=True)
class RelaxedBound:
    """The bound (None where a class has no week at all), what it took, and the weeks the
    master favoured at the end (``JointMaster.suggested_weeks``), if it settled or its time for
    weeks came (none otherwise: weeks of a master far from settled plan worse than none)."""

    bound: int | None
    pricings: int
    seconds: float
    settled: bool
    weeks: Weeks


def relaxed_week_bound(
    cand: Candidates,
    seconds: float,
    *,
    params: BoundParams = BoundParams(),
    should_stop: Callable[[], bool] = lambda: False,
    on_bound: Callable[[int], None] = lambda bound: None,
    on_weeks: Callable[[int, Weeks], None] = lambda bound, weeks: None,
    weeks_after: float = math.inf,
    shared: bool = True,
    known: Mapping[str, KnownWeek] | None = None,
    fitting_weeks: bool = False,
) -> RelaxedBound:
    """The best bound within about ``seconds`` or until ``should_stop()``; ``on_bound`` hears
    each better one. ``on_weeks`` hears the best bound and the weeks the master favours once,
    when the master settles or ``weeks_after`` seconds have passed, whichever comes first: a
    plan from those weeks takes a while, and weeks from a master far from settled plan badly.
    ``known``: each class's week in a plan already found, in the master from the start;
    ``fitting_weeks``: the weeks sent keep their classes' own rows where any priced week does
    (``JointMaster.suggested_weeks``)."""
    started = time.monotonic()

    def stopped() -> bool:
        return time.monotonic() - started > seconds or should_stop()

    master = JointMaster(
        cand, shared=shared, max_tracked=params.max_tracked, weeks_per_pricing=params.weeks_per_pricing
    )
    for c, data in enumerate(master.classes):
        if known and data.class_id in known:
            master.add_known(c, known[data.class_id])
    apart = least_imbalance(cand, params.balance_seconds) + least_late_evening_cost(cand)
    best = -math.inf
    going = True
    told = False
    while going and not stopped():
        going = master.price_all(stopped)
        if master.bound == math.inf:
            break
        if math.isfinite(master.bound) and math.ceil(master.bound - 1e-6) > best:
            best = math.ceil(master.bound - 1e-6)
            on_bound(int(best) + apart)
        settled = master.value - master.bound < 0.5
        if not told and best > -math.inf and (settled or time.monotonic() - started > weeks_after):
            told = True
            on_weeks(int(best) + apart, master.suggested_weeks(fitting_weeks))
    found = master.bound != math.inf and best != -math.inf
    return RelaxedBound(
        int(best) + apart if found else None,
        master.pricings,
        time.monotonic() - started,
        master.value - master.bound < 0.5,
        master.suggested_weeks(fitting_weeks) if found and told else {},
    )
