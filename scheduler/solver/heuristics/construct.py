"""A constructive plan, as a careful person would make it by hand.

For each class in turn, a beam search over the days picks where the class sleeps and which
sites it visits each day: each day's route is built by cheapest insertion, checked against
opening hours, lunch, driving and return limits by simulating the day at its earliest times
(``scheduler.plan.day``).
Lectures are placed on mornings or afternoons spent where a qualified lecturer can come.
The result is a skeleton (nights and visits per day) that the solver completes with clock
times and lecturers, and uses as its first plan. No OR-Tools here: plain arithmetic.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from scheduler.plan.day import DaySimulator
from scheduler.scenario.goals import COACH_MINUTES
from scheduler.scenario.model import Site, TrainingClass
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.skeleton import DayChoice, Skeleton
from scheduler.solver.params import ConstructionParams


def session_frame(cand: Candidates, req, day: int, choice: DayChoice) -> tuple[int, int]:
    """When the coach may leave the morning place (after the day's morning sessions), and the
    session minutes to hold at the evening place before dinner."""
    lecture = req.lecture_class_hours * cand.scenario.programme.minutes_per_class_hour
    morning = choice.morning_lectures * lecture + (req.opening_minutes if day == 0 else 0)
    leave_after = cand.scenario.earliest_departure_on(day) + choice.morning_wait
    if morning:  # sessions begin at the day's start, not at the coach's earliest departure
        leave_after = max(leave_after, cand.scenario.day_start_on(day)) + morning
    afternoon = choice.afternoon_lectures * lecture
    if day == cand.scenario.programme.days - 1:
        afternoon += req.presentation_minutes + req.closing_minutes
    return leave_after, afternoon


@dataclass
class _State:
    place: str
    visited: frozenset[str]
    field_minutes: int
    driving: int  # hundredths of a minute
    lectures_left: int
    days: list[DayChoice] = field(default_factory=list)
    score: float = 0.0


def construct(cand: Candidates, params: ConstructionParams = ConstructionParams()) -> Skeleton:
    """A skeleton for every class, planned one class after another.

    Classes the first pass could not plan (the earlier ones took the lodging, sites or
    lecturers they needed) are planned first in a second pass; the more complete pass wins."""
    classes = list(cand.scenario.classes)
    skeleton = Skeleton(dict(planned_in_turn(cand, classes, params)))
    failed = [k for k in classes if skeleton.days[k.id] is None]
    if failed:
        retry = Skeleton(dict(planned_in_turn(cand, failed + [k for k in classes if k not in failed], params)))
        if sum(d is None for d in retry.days.values()) < len(failed):
            skeleton = Skeleton({k.id: retry.days[k.id] for k in classes})
    return skeleton


def beam_width(cand: Candidates, params: ConstructionParams = ConstructionParams()) -> int:
    """States kept per day: ``beam_width``, narrower on large programmes so that the construction
    keeps to about ``beam_budget`` states over all class-days (it is the first plan's wait)."""
    class_days = len(cand.scenario.classes) * cand.scenario.programme.days
    return max(params.min_beam_width, min(params.beam_width, params.beam_budget // class_days))


def planned_in_turn(
    cand: Candidates,
    classes: list[TrainingClass] | None = None,
    params: ConstructionParams = ConstructionParams(),
) -> Iterator[tuple[str, list[DayChoice] | None]]:
    """The classes planned one after another (``construct``'s first pass), each class's days
    (None if it could not be planned) as soon as they are known, for work that can start on
    one class while the next is planned."""
    scenario = cand.scenario
    classes = list(scenario.classes) if classes is None else classes
    width = beam_width(cand, params)
    simulator = DaySimulator(cand.scenario, cand.travel)
    lodging_used: dict[tuple[int, str], int] = {}
    site_used: dict[tuple[int, str], int] = {}
    trainees_at: dict[tuple[int, str], int] = {}  # trainees visiting a site on a day
    teachers = _Teachers(cand)
    # classes still to be planned that must visit each site
    owed: dict[str, int] = {}
    for klass in classes:
        for site_id in cand.requirements(klass).must_visit:
            owed[site_id] = owed.get(site_id, 0) + 1
    for klass in classes:
        for site_id in cand.requirements(klass).must_visit:
            owed[site_id] -= 1
        reserved = _reserved_sites(cand, owed, site_used)
        # a class the beam misses (the classes before it took what its narrow beam counted
        # on) is tried again with wider beams: a width kept small for the sake of the many
        # classes costs little on one
        for retry in range(params.wider_retries + 1):
            days = _plan_class(
                cand,
                simulator,
                klass,
                lodging_used=lodging_used,
                site_used=site_used,
                trainees_at=trainees_at,
                teachers=teachers,
                width=width * 4**retry,
                params=params,
                reserved=reserved,
            )
            if days is not None:
                break
        if days is not None:
            topics = set(cand.requirements(klass).lectures)
            for day, choice in enumerate(days):
                morning_place = klass.first_place if day == 0 else days[day - 1].end_place
                teachers.book(topics, day, morning_place, choice.morning_lectures)
                teachers.book(topics, day, choice.end_place, choice.afternoon_lectures)
                if day < scenario.programme.days - 1:
                    lodging_used[(day, choice.end_place)] = lodging_used.get((day, choice.end_place), 0) + 1
                for site_id in choice.sites:
                    site_used[(day, site_id)] = site_used.get((day, site_id), 0) + 1
                    trainees_at[(day, site_id)] = trainees_at.get((day, site_id), 0) + klass.trainees
        yield klass.id, days


def _reserved_sites(cand: Candidates, owed: dict[str, int], site_used: dict[tuple[int, str], int]) -> set[str]:
    """Sites kept for the classes still to come that must visit them: those with no more room
    left over the programme's days (a class a day, at its capacity) than those classes need."""
    reserved = set()
    for site_id, count in owed.items():
        if count <= 0:
            continue
        site = cand.scenario.site(site_id)
        room = sum(
            max(0, site.capacity_classes - site_used.get((day, site_id), 0))
            for day in cand.days
            if site.is_open_on(cand.scenario.programme.date_of(day))
        )
        if room <= count:
            reserved.add(site_id)
    return reserved


class _Teachers:
    """Lecturers' days as the construction books them, shared by the classes planned in turn.

    A morning or afternoon at a place can hold lectures only when enough lecturers who teach
    one of the class's topics can come: not away that whole day, within the longest trip a
    lecturer makes, and with lectures left in their day and in the programme. Morning lectures
    start once the nearest of them has driven from home (as the model's rule has it)."""

    def __init__(self, cand: Candidates):
        self.cand = cand
        self.used_on: dict[tuple[str, int], int] = {}
        self.used: dict[str, int] = {}

    def _free(self, lecturer, day: int) -> int:
        left = lecturer.max_sessions_per_day - self.used_on.get((lecturer.id, day), 0)
        if lecturer.max_sessions is not None:
            left = min(left, lecturer.max_sessions - self.used.get(lecturer.id, 0))
        return left

    def who(self, topics: set[str], day: int, place: str) -> list[tuple[int, str, int]]:
        """(minutes from home, lecturer, lectures left that day) of those who could come, nearest first."""
        limit = self.cand.scenario.limits.lecturer_max_travel_minutes
        found = []
        for lecturer in self.cand.scenario.lecturers:
            if not topics & set(lecturer.topics) or day in self.cand.lecturer_away_days(lecturer.id):
                continue
            drive = self.cand.travel.driving_minutes(lecturer.home, place)
            free = self._free(lecturer, day)
            if free > 0 and (limit is None or drive <= limit):
                found.append((drive, lecturer.id, free))
        # lecturers who still owe lectures (min_sessions) first, then the nearest
        owed = {l.id for l in self.cand.scenario.lecturers if self.used.get(l.id, 0) < l.min_sessions}
        return sorted(found, key=lambda f: (f[1] not in owed, f))

    def delay(self, topics: set[str], day: int, place: str, count: int) -> int | None:
        """Minutes after the earliest departure before ``count`` lectures can begin there, or None."""
        teachers = self.who(topics, day, place)
        if sum(free for _, _, free in teachers) < count:
            return None
        return teachers[0][0] + self.cand.scenario.limits.lecturer_arrival_margin_minutes if teachers else 0

    def book(self, topics: set[str], day: int, place: str, count: int) -> None:
        for _, lecturer_id, free in self.who(topics, day, place):
            if count <= 0:
                return
            taken = min(free, count)
            self.used_on[(lecturer_id, day)] = self.used_on.get((lecturer_id, day), 0) + taken
            self.used[lecturer_id] = self.used.get(lecturer_id, 0) + taken
            count -= taken


def _lecture_places(cand: Candidates, klass: TrainingClass) -> set[str]:
    """Places where some qualified lecturer can come for each of the class's lecture topics."""
    limit = cand.scenario.limits.lecturer_max_travel_minutes
    topics = {s.topic for s in cand.sessions if s.class_id == klass.id and s.needs_lecturer}
    places = set(cand.stay_places)
    for topic in topics:
        homes = {l.home for l in cand.scenario.lecturers if topic in l.topics}
        reachable = {
            p
            for p in cand.stay_places
            if any(limit is None or cand.travel.driving_minutes(h, p) <= limit for h in homes)
        }
        places &= reachable
    return places


class _Homeward:
    """The evening places from which a class can still reach its last place by the end: on the
    last evening but one, those from which the last day (its closing sessions, no visit) can be
    driven; on an earlier evening, those no farther from such a place than the days between
    could drive. A week that wanders farther than that could never end where it must."""

    def __init__(self, cand: Candidates, simulator: DaySimulator, klass: TrainingClass, req) -> None:
        scenario = cand.scenario
        self.cand = cand
        self.last = scenario.programme.days - 1
        places = sorted({p for day in range(self.last) for p in cand.night_places(klass, day)})
        leave_after, afternoon = session_frame(cand, req, self.last, DayChoice((), klass.last_place))
        self.final = [
            p
            for p in places
            if simulator.run(p, klass.last_place, (), self.last, leave_after=leave_after, afternoon=afternoon)
            is not None
        ]
        minutes = cand.travel.driving_minutes
        self._to_final = {p: min((minutes(p, q) for q in self.final), default=math.inf) for p in places}

    def keep(self, options: list[str], day: int) -> list[str]:
        """``options`` (evening places of ``day``) from which the end can still be reached; all of
        them where none can (the check is then no guide)."""
        if not self.final:
            return options
        between = sum(self.cand.scenario.max_coach_minutes_on(d) for d in range(day + 1, self.last))
        kept = [p for p in options if self._to_final.get(p, math.inf) <= between]
        return kept or options


def _plan_class(
    cand,
    simulator,
    klass,
    *,
    lodging_used,
    site_used,
    trainees_at: dict[tuple[int, str], int],
    teachers: _Teachers,
    width: int,
    params: ConstructionParams,
    reserved: set[str] = frozenset(),
) -> list[DayChoice] | None:
    scenario = cand.scenario
    req = cand.requirements(klass)
    last = scenario.programme.days - 1
    lectures = sum(req.lectures.values())
    teach_places = _lecture_places(cand, klass)
    topics = {topic for topic, count in req.lectures.items() if count > 0}
    must = set(req.must_visit)
    homeward = _Homeward(cand, simulator, klass, req)
    beam = [_State(klass.first_place, frozenset(), 0, 0, lectures)]
    usable_on: list[list[Site]] = []  # each day's sites with room for the class
    for day in cand.days:
        date = scenario.programme.date_of(day)
        options = cand.visit_options[(klass.id, day)]
        usable = [
            scenario.site(s)
            for s in options
            if site_has_room(scenario.site(s), day, klass, site_used, trainees_at) and (s in must or s not in reserved)
        ]
        usable_on.append(usable)
        gains = _visit_gains(cand, klass, usable, must)
        nearest: dict[tuple[str, str], list[Site]] = {}
        next_beam: list[_State] = []
        for state in beam:
            ends = _end_choices(
                cand,
                klass,
                state,
                day,
                usable=usable,
                must=must,
                lodging_used=lodging_used,
                most=params.end_choices,
                homeward=homeward,
            )
            for end in ends:
                for morning, afternoon in _lecture_splits(state, day, end, last=last, teach_places=teach_places):
                    wait = teachers.delay(topics, day, state.place, morning) if morning else 0
                    if wait is None or (afternoon and teachers.delay(topics, day, end, afternoon) is None):
                        continue
                    lectures = DayChoice((), end, morning, afternoon, wait)
                    leave_after, afternoon_minutes = session_frame(cand, req, day, lectures)
                    route = _build_route(
                        simulator,
                        state,
                        end,
                        day,
                        date=date,
                        usable=usable,
                        must=must,
                        max_visits=req.max_visits_per_day,
                        leave_after=leave_after,
                        afternoon=afternoon_minutes,
                        gains=gains,
                        nearest=nearest,
                        pool_limit=params.pool_limit,
                    )
                    if route is None:
                        continue
                    sites, driving = route
                    visited = state.visited | {s.id for s in sites}
                    new = _State(
                        end,
                        visited,
                        state.field_minutes + sum(s.visit_minutes for s in sites),
                        state.driving + driving,
                        state.lectures_left - morning - afternoon,
                        state.days + [DayChoice(tuple(s.id for s in sites), end, morning, afternoon, wait)],
                    )
                    new.score = _score(cand, klass, new, must)
                    next_beam.append(new)
        if not next_beam:
            return None
        next_beam.sort(key=lambda s: -s.score)
        beam = _distinct(next_beam)[:width]
    finished = [s for s in beam if s.lectures_left == 0 and must <= s.visited]
    if not finished:
        return None
    days = max(finished, key=lambda s: s.score).days
    return _with_red_education(cand, simulator, klass, days, usable_on)


def _with_red_education(
    cand: Candidates, simulator: DaySimulator, klass: TrainingClass, days: list[DayChoice], usable_on
) -> list[DayChoice]:
    """The week with red-education visits added until it makes ``min_red_education_visits``, as
    a person would mend it: one at a time, the change of a day's route that costs least (a red-
    education site inserted, or put in place of a visit no rule asks for), each day's route
    simulated again. The week as it was where no change is left that keeps its days."""
    scenario = cand.scenario
    req = cand.requirements(klass)
    red_of = {site.id: site.is_red_education for site in scenario.sites}
    if sum(red_of[s] for choice in days for s in choice.sites) >= req.min_red_education_visits:
        return days  # most weeks: nothing to mend
    days = list(days)
    must = set(req.must_visit)
    gains = {day: _visit_gains(cand, klass, usable, must) for day, usable in enumerate(usable_on)}
    coach_minute = COACH_MINUTES.price(scenario.weights)
    while sum(red_of[s] for choice in days for s in choice.sites) < req.min_red_education_visits:
        visited = {s for choice in days for s in choice.sites}
        best = None
        for day, choice in enumerate(days):
            start = klass.first_place if day == 0 else days[day - 1].end_place
            leave_after, afternoon = session_frame(cand, req, day, choice)
            now = simulator.run(start, choice.end_place, tuple(scenario.site(s) for s in choice.sites), day,
                                leave_after=leave_after, afternoon=afternoon)  # fmt: skip
            if now is None:
                continue
            worth = sum(gains[day].get(s, 0) for s in choice.sites) - coach_minute * now / 100
            for red in (s for s in usable_on[day] if red_of[s.id] and s.id not in visited):
                for route in _red_routes(choice.sites, red.id, req.max_visits_per_day, must, red_of):
                    if best is not None and best[0] >= sum(gains[day].get(s, 0) for s in route) - worth:
                        continue  # cannot beat the best change even without driving
                    driving = simulator.run(start, choice.end_place, tuple(scenario.site(s) for s in route), day,
                                            leave_after=leave_after, afternoon=afternoon)  # fmt: skip
                    if driving is None:
                        continue
                    change = sum(gains[day].get(s, 0) for s in route) - coach_minute * driving / 100 - worth
                    if best is None or change > best[0]:
                        best = (change, day, route)
        if best is None:
            return days
        _, day, route = best
        days[day] = dataclasses.replace(days[day], sites=route)
    return days


def _red_routes(sites, red: str, most: int, must: set[str], red_of: dict[str, bool]):
    """A day's routes with the red-education site ``red`` added: inserted at each place in the
    order (within the day's visit limit), or in place of a visit that is neither a must-visit nor
    red education."""
    sites = tuple(sites)
    if len(sites) < most:
        for position in range(len(sites) + 1):
            yield sites[:position] + (red,) + sites[position:]
    for position, site in enumerate(sites):
        if site not in must and not red_of[site]:
            yield sites[:position] + (red,) + sites[position + 1 :]


def site_has_room(site: Site, day: int, klass: TrainingClass, site_used, trainees_at) -> bool:
    """Whether the site can still take the class on that day, its visits of the day counted as
    if they all came at once, in classes and in trainees: the construction sets no clock times,
    so only room for every visit of the day at once is sure to be room."""
    if site_used.get((day, site.id), 0) >= site.capacity_classes:
        return False
    trainees = trainees_at.get((day, site.id), 0) + klass.trainees
    return site.capacity_trainees is None or trainees <= site.capacity_trainees


def _distinct(states: list[_State]) -> list[_State]:
    seen, kept = set(), []
    for state in states:
        key = (state.place, state.visited, state.lectures_left)
        if key not in seen:
            seen.add(key)
            kept.append(state)
    return kept


def _score(cand: Candidates, klass: TrainingClass, state: _State, must: set[str]) -> float:
    rewards = sum(cand.visit_reward(klass.id, s) for s in state.visited)
    return (
        10_000 * len(must & state.visited)
        - 5_000 * state.lectures_left * (state.lectures_left > 0)
        + 3 * state.field_minutes
        + rewards
        - COACH_MINUTES.price(cand.scenario.weights) * state.driving / 100
    )


def _end_choices(cand, klass, state, day, *, usable, must, lodging_used, most: int, homeward: _Homeward) -> list[str]:
    """The evening places worth trying: the ``most`` closest to the sites still wanted, and staying
    put; only those from which the class can still reach its last place in time (``homeward``)."""
    if day == cand.scenario.programme.days - 1:
        return [klass.last_place]
    options = [
        p for p in cand.night_places(klass, day) if lodging_used.get((day, p), 0) < cand.scenario.lodging_capacity(p)
    ]
    options = homeward.keep(options, day)
    if not options:
        return []
    wanted = [s for s in usable if s.id not in state.visited]
    targets = [s for s in wanted if s.id in must] or wanted

    legs = cand.travel.hundredths

    def closeness(place: str) -> float:
        if not targets:
            return legs[state.place, place]
        return min(legs[place, s.place] for s in targets) + 0.3 * legs[state.place, place]

    ranked = sorted(options, key=closeness)
    chosen = ranked[:most]
    if state.place in options and state.place not in chosen:
        chosen.append(state.place)
    return chosen


def _lecture_splits(state, day, end, *, last, teach_places) -> list[tuple[int, int]]:
    """(morning, afternoon) lecture counts worth trying on a day."""
    splits = [(0, 0)]
    if state.lectures_left <= 0:
        return splits
    if state.place in teach_places:
        splits += [(k, 0) for k in range(1, min(3, state.lectures_left) + 1)]
    if end in teach_places and day != last:
        splits.append((0, 1))
    return splits


def _visit_gains(cand: Candidates, klass: TrainingClass, usable: list[Site], must: set[str]) -> dict[str, float]:
    """What a visit is worth before the driving it costs: must-visit sites first, then field
    minutes (towards the field share), then what the visit earns, as the objective weighs it."""
    return {
        site.id: (5_000 if site.id in must else 0) + 3 * site.visit_minutes + cand.visit_reward(klass.id, site.id)
        for site in usable
    }


def _build_route(
    simulator,
    state,
    end,
    day,
    *,
    date: dt.date,
    usable,
    must,
    max_visits,
    leave_after,
    afternoon,
    gains,
    nearest,
    pool_limit: int,
):
    """Best-ratio insertion of unvisited sites: each step inserts the visit with the most gain per
    minute of added driving (must-visit sites dominate by their gain); None if even no visit fails.
    ``nearest`` caches, per morning and evening place, the usable sites within the day's driving,
    must-visits first and then by least detour."""
    base = simulator.run(state.place, end, (), day, leave_after=leave_after, afternoon=afternoon)
    if base is None:
        return None
    route: list[Site] = []
    driving = base
    travel = simulator.travel
    numbers, matrix = travel.place_numbers, travel.hundredths_matrix
    start, finish = numbers[state.place], numbers[end]
    if (state.place, end) not in nearest:
        limit = simulator.scenario.max_coach_hundredths_on(day)
        places = np.array([numbers[s.place] for s in usable], dtype=np.int64)
        detour = dict(
            zip((s.id for s in usable), (matrix[start, places] + matrix[places, finish]).tolist(), strict=True)
        )
        within = [s for s in usable if detour[s.id] <= limit]
        nearest[state.place, end] = sorted(within, key=lambda s: (s.id not in must, detour[s.id]))
    ranked_sites = [s for s in nearest[state.place, end] if s.id not in state.visited]
    chosen = {s.id for s in ranked_sites[:pool_limit]} | {s.id for s in ranked_sites if s.id in must}
    pool = [s for s in usable if s.id in chosen and s.id not in state.visited]
    pool_gains = [gains[s.id] for s in pool]
    coach_minute = COACH_MINUTES.price(simulator.scenario.weights)
    legs = travel.hundredths
    while len(route) < max_visits and pool:
        stops = [state.place] + [s.place for s in route] + [end]
        # A trial's driving is its legs' sum, so its ratio is known before simulating it; the
        # simulation only decides whether it can be kept. Trying the best ratio first and
        # stopping at the first that can be kept chooses what trying them all would. Ties go
        # to the site first in the pool, then the earlier position. (Plain Python: the pool
        # holds a few sites, too few for arrays to pay.)
        trials = []
        for position in range(len(stops) - 1):
            before, after = stops[position], stops[position + 1]
            direct = legs[before, after]
            for order, site in enumerate(pool):
                added = (legs[before, site.place] + legs[site.place, after] - direct) / 100
                gain = pool_gains[order] - coach_minute * added
                if gain > 0:
                    trials.append((-gain / ((added if added > 0 else 0.0) + 1.0), order, position))
        trials.sort()
        for _, order, position in trials:
            trial = tuple(route[:position] + [pool[order]] + route[position:])
            result = simulator.run(state.place, end, trial, day, leave_after=leave_after, afternoon=afternoon)
            if result is not None:
                break
        else:
            break
        route, driving = list(trial), result
        pool.pop(order)
        pool_gains.pop(order)
    return tuple(route), driving
