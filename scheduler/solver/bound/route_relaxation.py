"""The route relaxation of a programme: day routes as columns, the rules they must keep as rows.

The relaxation: each class chooses one day route a day (any route ``day_routes`` lists for it),
so that

* each day starts where the day before ended, from the class's start to its end place;
* it visits each site at most once, each must-visit site once, enough red-education sites,
  and enough field minutes for its field-teaching share;
* its routes leave room for all its sessions (opening, lectures, presentations), and for each
  group of lecture topics, room for the group's lectures, in whole lectures, at places a
  lecturer of the group can reach that day, no more a day than those lecturers may give;
* no lodging holds more classes a night than it takes;
* no site receives, on a day, more visits than fit in its opening hours at its capacity (in
  classes and in trainees).

Every plan's routes keep these rules, and its objective is at least their coach minutes less
their rewards (the lecturers' balance and late evenings only add): whatever bounds the
relaxation bounds every plan (``week_bound``). Nothing here imports OR-Tools.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from scheduler.scenario.goals import COACH_MINUTES, IDLE_TIME
from scheduler.scenario.model import TrainingClass
from scheduler.solver.bound.day_routes import DayRoute, DayRouteEnumerator
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.units import DAY, SHARE_SCALE
from scheduler.solver.params import BoundParams

SESSION_KINDS = ("opening", "lecture", "presentation", "closing")


@dataclass
class Rows:
    """The relaxation's rules, each a row: name -> sense ("=", ">=" or "<=") and right-hand side."""

    sense: dict[str, str] = field(default_factory=dict)
    rhs: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, sense: str, rhs: float) -> None:
        self.sense[name] = sense
        self.rhs[name] = rhs


@dataclass(frozen=True)
class RouteColumn:
    """One day route a class may take, its cost (coach minutes less rewards) and its entries in
    the rows. The flow rows (``flow[...]``) tie the day to the days before and after it."""

    class_id: str
    day: int
    route: DayRoute
    cost: float
    rows: dict[str, float]


@dataclass(frozen=True)
class Relaxation:
    rows: Rows
    columns: list[RouteColumn]


def relaxation(
    cand: Candidates, params: BoundParams = BoundParams(), should_stop: Callable[[], bool] = lambda: False
) -> Relaxation | None:
    """The programme's route relaxation, or None if told to stop while listing the routes;
    raises ``TooManyRoutes`` past the ``route_budget`` partial routes."""
    routes = listed_routes(cand, params, should_stop)
    if routes is None:
        return None
    rows = Rows()
    columns: list[RouteColumn] = []
    for klass in cand.scenario.classes:
        columns += _class_columns(cand, klass, routes, rows, params=params)
    _lodging_rows(cand, rows)
    _site_day_rows(cand, columns, rows)
    return Relaxation(rows, columns)


Routes = dict[tuple[int, str], list[DayRoute]]
"""(day, morning place) -> every relaxed route of any class from there."""


def listed_routes(
    cand: Candidates, params: BoundParams = BoundParams(), should_stop: Callable[[], bool] = lambda: False
) -> Routes | None:
    """Every day route of any class (None if told to stop while listing them); raises
    ``TooManyRoutes`` past the ``route_budget`` partial routes."""
    return _routes_by_day(cand, DayRouteEnumerator(cand, params.route_budget), should_stop)


@dataclass(frozen=True)
class SharedUse:
    """Which classes have a route into each row classes may share: each night's lodging
    (routes ending at the place) and each day's site visits. A row only one class can touch is
    that class's own (``class_bound.own_relaxation``)."""

    lodging: dict[tuple[int, str], frozenset[str]]
    visits: dict[tuple[int, str], frozenset[str]]


def shared_use(cand: Candidates, routes: Routes) -> SharedUse:
    """Who may touch the shared rows, from the routes each class may take (``ClassColumns.admits``)."""
    lodging: dict[tuple[int, str], set[str]] = defaultdict(set)
    visits: dict[tuple[int, str], set[str]] = defaultdict(set)
    last = cand.scenario.programme.days - 1
    for klass in cand.scenario.classes:
        admits = _Admission(cand, klass).admits
        for day in cand.days:
            ends, sites = set(), set()
            for start in cand.start_places(klass, day):
                for route in routes[(day, start)]:
                    if admits(route):
                        ends.add(route.end)
                        sites |= route.sites
            for place in ends if day < last else ():
                lodging[(day, place)].add(klass.id)
            for site_id in sites:
                visits[(day, site_id)].add(klass.id)
    return SharedUse(
        {key: frozenset(value) for key, value in lodging.items()},
        {key: frozenset(value) for key, value in visits.items()},
    )


def class_relaxation(
    cand: Candidates, klass: TrainingClass, routes: Routes, use: SharedUse, params: BoundParams = BoundParams()
) -> Relaxation:
    """The class's own relaxation, made without the other classes' columns: the same rows and
    columns, in the same order, as ``class_bound.own_relaxation`` takes from the whole
    ``relaxation``. Its columns also have their entries in the site rows the class shares, so
    that its weeks' activity there can be added up with the other classes'."""
    rows = Rows()
    columns = _class_columns(cand, klass, routes, rows, params=params)
    for night, place, room in lodging_limits(cand):
        if use.lodging.get((night, place)) == frozenset([klass.id]):
            rows.add(f"lodging[{night},{place}]", "<=", room)
    entries: dict[tuple[int, str], list[tuple[str, float]]] = defaultdict(list)
    for kind, day, site_id, room, demand in site_day_limits(cand, use.visits):
        if klass.id in demand:
            name = f"{kind}[{day},{site_id}]"
            entries[(day, site_id)].append((name, float(demand[klass.id])))
            if len(demand) == 1:
                rows.add(name, "<=", room)
    for column in columns:
        for site_id in sorted(column.route.sites):
            column.rows.update(entries.get((column.day, site_id), ()))
    return Relaxation(rows, columns)


def shared_rows(cand: Candidates, use: SharedUse) -> Rows:
    """The rows classes may share (each night's lodging, each site's visits a day), as
    ``relaxation`` has them."""
    rows = Rows()
    for night, place, room in lodging_limits(cand):
        rows.add(f"lodging[{night},{place}]", "<=", room)
    for kind, day, site_id, room, _ in site_day_limits(cand, use.visits):
        rows.add(f"{kind}[{day},{site_id}]", "<=", room)
    return rows


def _routes_by_day(cand: Candidates, enumerator: DayRouteEnumerator, should_stop: Callable[[], bool]) -> Routes | None:
    """(day, morning place) -> every relaxed route of any class from there (None if stopped)."""
    scenario = cand.scenario
    routes: Routes = {}
    for day in cand.days:
        starts = dict.fromkeys(p for k in scenario.classes for p in cand.start_places(k, day))
        ends = tuple(dict.fromkeys(p for k in scenario.classes for p in cand.end_places(k, day)))
        site_ids = dict.fromkeys(s for k in scenario.classes for s in cand.visit_options[(k.id, day)])
        sites = [scenario.site(s) for s in site_ids]
        for start in starts:
            if should_stop():
                return None
            routes[(day, start)] = enumerator.routes_from(day, start, sites, ends)
    return routes


def _lecturers_of(cand: Candidates, lectures: list, day: int) -> list:
    """The lecturers who may give some of ``lectures`` (``Candidates.qualified_lecturers``, as
    the model has them) and are not away on ``day``."""
    qualified = dict.fromkeys(lect for session in lectures for lect in cand.qualified_lecturers(session))
    return [cand.scenario.lecturer(lect) for lect in qualified if day not in cand.lecturer_away_days(lect)]


class _LectureRows:
    """For each group of a class's lecture topics: its routes leave room, in whole lectures at
    places a lecturer of the group can reach that day (at most as many a day as those lecturers
    may give), for all the group's lectures. Room is counted in whole lectures, a part of the
    day (morning at the morning place, afternoon at the evening place) at a time, less the
    opening and the presentations; a morning's room begins when the first lecturer of the
    group can arrive (``_where``); each topic alone and the groups (several topics may share
    one lecturer, or the same few places) both bind. Past ``max_topic_groups`` topics, only
    each topic alone and all of them together get a row."""

    def __init__(self, cand: Candidates, klass: TrainingClass, sessions, rows: Rows, *, max_topic_groups: int):
        req = cand.requirements(klass)
        self.cand = cand
        self.length = req.lecture_class_hours * cand.scenario.programme.minutes_per_class_hour
        self.opening = req.opening_minutes
        self.presentation = req.presentation_minutes + req.closing_minutes  # the last afternoon
        self.last = cand.scenario.programme.days - 1
        self.lectures = [s for s in sessions if s.kind == "lecture" and s.topic]
        counts: dict[str, int] = defaultdict(int)
        for session in self.lectures:
            counts[session.topic] += 1
        topics = sorted(counts)
        if len(topics) <= max_topic_groups:
            groups = [
                frozenset(t for i, t in enumerate(topics) if mask >> i & 1) for mask in range(1, 1 << len(topics))
            ]
        else:
            groups = [frozenset([t]) for t in topics] + [frozenset(topics)]
        reach = cand.lecturer_reach
        # groups that see the same places and lecturers each day need only their largest row
        self.rows: dict[tuple, tuple[str, int]] = {}
        for group in groups:
            key = tuple(self._where(group, day, reach) for day in cand.days)
            needed = sum(counts[t] for t in group)
            if key not in self.rows or self.rows[key][1] < needed:
                self.rows[key] = (f"lectures[{klass.id},{'+'.join(sorted(group))}]", needed)
        for name, needed in self.rows.values():
            rows.add(name, ">=", needed)
        # the day's frame, looked up once: it is asked for every route
        scenario = cand.scenario
        self._earliest = {day: scenario.earliest_departure_on(day) for day in cand.days}
        self.day_starts = {day: scenario.day_start_on(day) for day in cand.days}
        # each row's earliest lecture start by place and day, looked up for every route
        self.arrival = {(name, day): dict(key[day][2]) for key, (name, _) in self.rows.items() for day in cand.days}

    def _where(self, group: frozenset[str], day: int, reach) -> tuple[frozenset[str], int, tuple]:
        """The places a lecturer of the group can reach on the day, how many lectures they may
        give that day (less what they give other classes held fixed), and the earliest a lecture
        can begin at each of those places: a lecturer leaves home no earlier than the day's
        earliest departure and arrives with the arrival margin (``add_lecturer_travel``)."""
        group_lectures = [s for s in self.lectures if s.topic in group]
        lecturers = [lect for lect in _lecturers_of(self.cand, group_lectures, day) if reach[lect.id]]
        places = frozenset().union(*(reach[lect.id] for lect in lecturers))
        most = sum(
            max(0, lect.max_sessions_per_day - self.cand.outside.lectures_on(lect.id, day)) for lect in lecturers
        )
        scenario, travel = self.cand.scenario, self.cand.travel
        leave = scenario.earliest_departure_on(day) + scenario.limits.lecturer_arrival_margin_minutes
        drive = travel.driving_minutes
        arrival = tuple(
            sorted(
                (place, leave + min(drive(lect.home, place) for lect in lecturers if place in reach[lect.id]))
                for place in places
            )
        )
        return places, most, arrival

    def entries(self, route: DayRoute, start: str) -> dict[str, float]:
        """The route's room, in lectures, for each group."""
        day = route.day
        opening = self.opening if day == 0 else 0
        presentation = self.presentation if day == self.last else 0
        morning = max(0, route.morning_room - opening) // self.length
        afternoon = max(0, route.afternoon_room - presentation) // self.length
        whole = max(0, route.session_room - opening - presentation) // self.length
        latest_departure = self._earliest[day] + route.morning_room
        day_start = self.day_starts[day] + opening  # lectures follow the opening
        found = {}
        for key, (name, _) in self.rows.items():
            places, most, _ = key[day]
            here = 0
            if start in places:
                begin = max(day_start, self.arrival[(name, day)][start])
                here = min(morning, max(0, latest_departure - begin) // self.length)
            room = here + afternoon * (route.end in places)
            room = min(room, whole, most)
            if room:
                found[name] = float(room)
        return found


def _class_columns(
    cand: Candidates, klass: TrainingClass, routes, rows: Rows, *, params: BoundParams
) -> list[RouteColumn]:
    """The class's route columns, and its own rows."""
    maker = ClassColumns(cand, klass, rows, params, idle_floor=True)
    columns = []
    for day in cand.days:
        for start in cand.start_places(klass, day):
            for route in routes[(day, start)]:
                column = maker.column(route, start)
                if column is not None:
                    columns.append(column)
    seen_sites = {site_id for column in columns for site_id in column.route.sites}
    maker.add_site_rows(seen_sites)
    return columns


class _Admission:
    """Whether a class may take a day route: it ends where the class may sleep, visits only
    sites the class may visit that day and no more than it may, and leaves room for the
    opening on the first day and the presentations and closing on the last."""

    def __init__(self, cand: Candidates, klass: TrainingClass):
        self.req = cand.requirements(klass)
        self.last = cand.scenario.programme.days - 1
        self.options = {day: set(cand.visit_options[(klass.id, day)]) for day in cand.days}
        self.ends = {day: set(cand.end_places(klass, day)) for day in cand.days}

    def admits(self, route: DayRoute) -> bool:
        req, day = self.req, route.day
        if route.end not in self.ends[day] or not route.sites <= self.options[day]:
            return False
        if len(route.sites) > req.max_visits_per_day:
            return False
        if day == 0 and route.morning_room < req.opening_minutes:
            return False
        return day != self.last or route.afternoon_room >= req.presentation_minutes + req.closing_minutes


class ClassColumns:
    """A class's own rows, and the column of any day route the class may take."""

    def __init__(
        self,
        cand: Candidates,
        klass: TrainingClass,
        rows: Rows,
        params: BoundParams = BoundParams(),
        *,
        idle_floor: bool = False,
    ):
        scenario = cand.scenario
        self.cand = cand
        self.idle_floor = idle_floor
        """Whether a column's cost counts the least idle daytime of its route (``idle_cost``); only
        where every route is listed, as a pricing that builds routes does not know it."""
        self.klass = klass
        self.rows = rows
        self.req = req = cand.requirements(klass)
        c = klass.id
        self.last = scenario.programme.days - 1
        sessions = [s for s in cand.sessions if s.class_id == c]
        self.lectures = _LectureRows(cand, klass, sessions, rows, max_topic_groups=params.max_topic_groups)
        self.field_row = field_share_row(cand, klass, sessions, rows)
        rows.add(f"sessions[{c}]", ">=", sum(s.minutes for s in sessions))
        if req.min_red_education_visits:
            rows.add(f"red[{c}]", ">=", req.min_red_education_visits)
        for night in range(self.last):
            for place in cand.night_places(klass, night):
                rows.add(f"flow[{c},{night},{place}]", "=", 0)
        # per site, looked up once: a column is made for every route of every class
        self.reward = {site.id: cand.visit_reward(klass.id, site.id) for site in scenario.sites}
        self.red_site = {site.id: int(site.is_red_education) for site in scenario.sites}
        self.minutes = {site.id: site.visit_minutes for site in scenario.sites}
        self._admission = _Admission(cand, klass)
        # the rows' names, made once: a column is made for every route of every class
        self._site_row = {site.id: f"site[{c}," + site.id + "]" for site in scenario.sites}
        self._flow_in = {
            (day, place): f"flow[{c},{day - 1},{place}]"
            for day in cand.days
            if day > 0
            for place in cand.start_places(klass, day)
        }
        self._flow_out = {
            (day, place): (f"flow[{c},{day},{place}]", f"lodging[{day},{place}]")
            for day in cand.days
            if day < self.last
            for place in self._admission.ends[day]
        }
        self._coach = COACH_MINUTES.price(scenario.weights)

    def add_site_rows(self, sites) -> None:
        """Each site at most once (the given sites), each must-visit site exactly once."""
        c = self.klass.id
        for site_id in sorted(set(sites) | set(self.req.must_visit)):
            self.rows.add(f"site[{c},{site_id}]", "=" if site_id in self.req.must_visit else "<=", 1)

    def column(self, route: DayRoute, start: str) -> RouteColumn | None:
        """The route's column, or None if the class may not take it."""
        req, c, day, last = self.req, self.klass.id, route.day, self.last
        if not self._admission.admits(route):
            return None
        entries: dict[str, float] = {}
        if day > 0:
            entries[self._flow_in[(day, start)]] = -1.0
        if day < last:
            flow, lodging = self._flow_out[(day, route.end)]
            entries[flow] = 1.0
            entries[lodging] = 1.0
        sites = sorted(route.sites)  # sorted: the same sums in every process
        for site_id in sites:
            entries[self._site_row[site_id]] = 1.0
        red = sum(self.red_site[s] for s in sites)
        if red and req.min_red_education_visits:
            entries[f"red[{c}]"] = red
        if self.field_row:
            entries[self.field_row] = sum(self.minutes[s] for s in sites)
        entries[f"sessions[{c}]"] = route.session_room
        lectures = self.lectures.entries(route, start)
        entries.update(lectures)
        cost = self._coach * route.driving_minutes - sum(self.reward[s] for s in sites)
        if self.idle_floor:
            cost += self.idle_cost(route, max(lectures.values(), default=0.0))
        return RouteColumn(c, day, route, cost, entries)

    def idle_cost(self, route: DayRoute, lectures: float) -> int:
        """The least the idle-daytime goal (``objective.idle_daytime``) costs on this route:
        the daytime less lunch, the visits, the coach (driving, and at most one rest stop per
        ``max_continuous_drive_minutes`` of it) and the most session minutes the class could hold
        that day (its opening on day 1, and ``lectures`` lectures, within the route's room).
        Nothing on the last day of a class that ends with its closing (its daytime ends there),
        nor on a rest day."""
        scenario, frame, day = self.cand.scenario, self.cand.frame, route.day
        weight = IDLE_TIME.price(scenario.weights)
        if not weight or day in self.cand.rest_days or (day == self.last and self.cand.ends_with_closing(self.klass)):
            return 0
        limits = scenario.limits
        rests = limits.rest_stop_minutes * (route.driving_minutes // limits.max_continuous_drive_minutes)
        held = (self.req.opening_minutes if day == 0 else 0) + int(lectures) * self.lectures.length
        sessions = min(route.session_room, held)
        busy = frame.lunch.minutes + sum(self.minutes[s] for s in route.sites) + route.driving_minutes + rests
        free = frame.dinner.start - self.lectures.day_starts[day] - busy - sessions - limits.max_idle_minutes
        return weight * max(0, -(-free // 60))


def field_share_row(cand: Candidates, klass: TrainingClass, sessions, rows: Rows) -> str | None:
    """The field-teaching share as a row over visit minutes, when nothing else in it depends on
    the routes (the sessions, seminars, report writing and meals have fixed totals)."""
    req = cand.requirements(klass)
    definitions = cand.scenario.definitions
    if req.min_field_share <= 0:
        return None
    known = {"field_visit", "seminar", "report_writing", "meal", *SESSION_KINDS}
    kinds = set(definitions.field_kinds) | set(definitions.teaching_kinds)
    if not kinds <= known:
        return None  # travel minutes, say, depend on the order of the visits: the row is left out
    mpch = cand.scenario.programme.minutes_per_class_hour
    frame = cand.frame
    fixed = defaultdict(int)
    for session in sessions:
        fixed[session.kind] += session.minutes
    fixed["seminar"] = req.min_seminar_class_hours * mpch
    fixed["report_writing"] = req.min_report_writing_class_hours * mpch
    fixed["meal"] = (frame.lunch.minutes + frame.dinner.minutes) * cand.scenario.programme.days
    scaled = math.ceil(req.min_field_share * SHARE_SCALE - 1e-9)
    # SHARE_SCALE * field >= scaled * teaching, with field visits on both sides where counted
    visit_in_field = "field_visit" in definitions.field_kinds
    visit_in_teaching = "field_visit" in definitions.teaching_kinds
    per_visit_minute = SHARE_SCALE * visit_in_field - scaled * visit_in_teaching
    if per_visit_minute <= 0:
        return None
    constant = SHARE_SCALE * sum(fixed[k] for k in definitions.field_kinds if k != "field_visit") - scaled * sum(
        fixed[k] for k in definitions.teaching_kinds if k != "field_visit"
    )
    name = f"field_share[{klass.id}]"
    # scaled down to visit minutes, so that the LP stays well conditioned
    rows.add(name, ">=", -constant / per_visit_minute)
    return name


def _lodging_rows(cand: Candidates, rows: Rows) -> None:
    for night, place, room in lodging_limits(cand):
        rows.add(f"lodging[{night},{place}]", "<=", room)


def lodging_limits(cand: Candidates):
    """Each (night, place) a class may sleep at, and how many classes it takes that night."""
    for night in range(cand.scenario.programme.days - 1):
        places = dict.fromkeys(p for k in cand.scenario.classes for p in cand.night_places(k, night))
        for place in places:
            taken = cand.outside.nights.get((night, place), 0)
            yield night, place, max(0, cand.scenario.lodging_capacity(place) - taken)


def _site_day_rows(cand: Candidates, columns: list[RouteColumn], rows: Rows) -> None:
    """Each site's visits on a day, in classes and in trainees, at most what its opening hours
    hold at its capacity (``site_day_limits``)."""
    load: dict[tuple[int, str], list[RouteColumn]] = defaultdict(list)
    for column in columns:
        for site_id in column.route.sites:
            load[(column.day, site_id)].append(column)
    visitors = {key: frozenset(column.class_id for column in visiting) for key, visiting in load.items()}
    for kind, day, site_id, room, demand in site_day_limits(cand, visitors):
        name = f"{kind}[{day},{site_id}]"
        rows.add(name, "<=", room)
        for column in load[(day, site_id)]:
            column.rows[name] = float(demand[column.class_id])


def site_day_limits(cand: Candidates, visitors: dict[tuple[int, str], frozenset[str]]):
    """The rows on each site's visits a day (kind, day, site, room, each class's demand), in
    order of day and site, given the classes that may visit it that day. Every visit takes the
    site's ``visit_minutes`` (``p``) inside its hours (``W`` minutes), so each covers exactly
    one of the minutes ``p - 1, 2p - 1, ...`` after opening, of which ``W // p`` lie in the
    hours; at each of them the site holds at most its capacity, in classes and in trainees.
    Visits the rest of the programme has booked (``Outside``) cover one each too. Rows that no
    choice of routes could break are left out."""
    scenario = cand.scenario
    trainees = {k.id: k.trainees for k in scenario.classes}
    for (day, site_id), classes in sorted(visitors.items()):
        site = scenario.site(site_id)
        slots = (site.hours.close - site.hours.open) // site.visit_minutes
        booked = [b for b in cand.outside.visits.get(site_id, ()) if b.start // DAY == day]
        limits = [("site_classes", site.capacity_classes * slots - len(booked), dict.fromkeys(classes, 1))]
        if site.capacity_trainees is not None:
            room = site.capacity_trainees * slots - sum(b.trainees for b in booked)
            limits.append(("site_trainees", room, {c: trainees[c] for c in classes}))
        for kind, room, demand in limits:
            if sum(demand.values()) > room:
                yield kind, day, site_id, max(room, 0), demand
