"""Iterated local search on the constructive plan's routes, before CP-SAT completes it.

Choosing which sites a class visits on which day, and in what order, is an orienteering
problem: the day's driving limit is the budget and the sites' worth (value, theme fit) the
prize. CP-SAT's timed model proves little about such routes quickly, so the skeleton's routes
are improved first by the moves that work for orienteering (Vansteenwegen et al.'s iterated
local search): reorder a day's route to drive less (2-opt), insert the site with the most
worth per added minute, replace a visit by a worthier one, then shake (drop a stretch of a
route, or move a night to another lodging) and search again, keeping the best skeleton. The sites a
shake dropped may not come back until the search after it has settled, so that it explores
rather than rebuilding the route it just left.

Where a class's nights are free to move, the lodging sequence decides much of what a week can
reach, and a search started from one sequence seldom leaves it. So one search (a *walk*) starts
from each sequence of the movable nights (all of them when there are few, else a sample), and
successive halving gives the better half of the walks more of the budget each round.

Before the walks, PyVRP (``heuristics/vrp.py``) solves each lodging sequence's week as a
prize-collecting vehicle routing problem for ``pyvrp_share`` of the class's budget, and a walk
starts from PyVRP's week where that, read back through the day simulation, is better than its
own start and keeps the class's requirements.

Where one search falls short, it is mostly the random numbers: the shakes that lead a walk to
a better week differ from seed to seed. So ``searches`` independent searches run, each with the
whole budget and its own seed, and the worthiest result is kept; where the solve has workers to
spare they run side by side in forked processes, else one after another, with the same result.

Every route is checked with the day simulation the construction uses (``scheduler.plan.day``:
opening hours, lunch, driving and return limits), so the result is a skeleton CP-SAT can
complete. The search never drops a must-visit site, never lets a class's field minutes fall
below the constructive plan's, never lets red-education visits fall below their minimum, and
respects site and lodging capacity against the other classes. Lectures stay on the days and
halves the constructive plan gave them; nights move only where no lecture is held at the
evening place or the next morning.

Work is counted in simulated stops, not seconds, so a run with a given seed and budget is
reproducible; a wall-clock safety net at 1.5 times the budget (plus a second) cuts in only on a
machine much slower than the work rate (``work_per_second``) assumes.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import multiprocessing
import queue
import random
import signal
import time
from collections.abc import Callable

from scheduler.plan.day import DaySimulator
from scheduler.scenario.goals import COACH_MINUTES
from scheduler.scenario.model import TrainingClass
from scheduler.solver.bounded import may_fork, start_forked
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.skeleton import DayChoice, Skeleton
from scheduler.solver.heuristics.construct import session_frame, site_has_room
from scheduler.solver.heuristics.vrp import WeekRouting, solve_weeks
from scheduler.solver.params import RouteSearchParams


@dataclasses.dataclass
class WorkBudget:
    left: int
    should_stop: Callable[[], bool]
    deadline: float
    """A wall-clock safety net, far enough away never to decide a run on a normal machine."""

    def spend(self, units: int) -> bool:
        self.left -= units
        return self.left > 0 and not self.should_stop() and time.monotonic() < self.deadline


def improve_routes(
    cand: Candidates,
    skeleton: Skeleton,
    seconds: float,
    *,
    seed: int = 0,
    should_stop: Callable[[], bool] = lambda: False,
    params: RouteSearchParams = RouteSearchParams(),
    processes: int = 1,
) -> Skeleton:
    """A skeleton at least as good as ``skeleton`` (by the objective's site and driving terms):
    the best of ``params.searches`` independent searches (seeds ``seed``, ``seed + 1``, ...),
    each with the whole budget, the earlier seed winning ties. They run on up to ``processes``
    processes at once (forked from this one), else one after another, with the same result."""
    if not skeleton.complete:
        return skeleton
    seeds = [seed + k for k in range(params.searches)]
    if len(seeds) == 1 or processes <= 1 or not may_fork():
        found = [_search(cand, skeleton, seconds, s, should_stop, params) for s in seeds]
    else:
        found = _searches_beside(cand, skeleton, seconds, seeds, processes, should_stop, params)
    best = max(range(len(found)), key=lambda k: (found[k][1], -k))
    return found[best][0]


def _searches_beside(cand, skeleton, seconds, seeds, processes, should_stop, params) -> list[tuple[Skeleton, float]]:
    """``_search`` for each seed, the first here and the others in forked processes (at most
    ``processes`` at once in all), in the order of ``seeds``; on a stop, the searches that
    ended by then; a search that failed is left out."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    children = []

    def start(index: int) -> None:
        child = context.Process(
            target=_search_apart,
            args=(cand, skeleton, seconds, seeds[index], params, index, results),
            daemon=True,
        )
        start_forked(child)
        children.append(child)

    waiting = list(range(1, len(seeds)))
    found: dict[int, tuple[Skeleton, float]] = {}
    try:
        while waiting and len(children) < processes - 1:
            start(waiting.pop(0))
        found[0] = _search(cand, skeleton, seconds, seeds[0], should_stop, params)
        while len(found) < len(seeds) and not should_stop():
            try:
                index, days, worth = results.get(timeout=0.1)
            except queue.Empty:
                if not any(c.is_alive() for c in children) and results.empty():
                    if not waiting:
                        break  # a search that failed sent nothing
                    start(waiting.pop(0))
                continue
            if days is not None:
                found[index] = (Skeleton(days), worth)
            if waiting:
                start(waiting.pop(0))
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()
            child.join()
    return [found[k] for k in sorted(found)]


def _search_apart(cand, skeleton, seconds, seed, params, index, results) -> None:
    """One search in a forked process, its result sent on ``results``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the process group: the parent decides
    try:
        found, worth = _search(cand, skeleton, seconds, seed, lambda: False, params)
        results.put((index, dict(found.days), worth))
    except Exception:  # another search's plan will do: this one's failure must not spoil it
        results.put((index, None, -math.inf))
    results.close()
    results.join_thread()


def _search(cand, skeleton, seconds, seed, should_stop, params) -> tuple[Skeleton, float]:
    """One search over every class in turn (the others' choices held fixed), and the worth of
    what it found (the classes' site worth less their weighted driving)."""
    deadline = time.monotonic() + 1.5 * seconds + 1
    budget = WorkBudget(int(seconds * params.work_per_second), should_stop, deadline)
    days = {class_id: list(choices) for class_id, choices in skeleton.days.items() if choices is not None}
    classes = [k for k in cand.scenario.classes if k.id in days]
    rng = random.Random(seed)
    worth = 0.0
    for index, klass in enumerate(classes):
        # what one class leaves unspent goes to the classes after it
        share = max(0, budget.left) // (len(classes) - index)
        others = {k: v for k, v in days.items() if k != klass.id}
        share_budget = WorkBudget(share, should_stop, deadline)
        search = ClassSearch(cand, klass, days[klass.id], others=others, rng=rng, budget=share_budget, params=params)
        days[klass.id] = search.run()
        worth += search.found_score
        budget.left -= share - max(0, search.budget.left)
    return Skeleton(dict(days)), worth


@dataclasses.dataclass
class _Walk:
    """One iterated local search, from one lodging sequence: where it is and the best it kept."""

    routes: list[list[str]]
    ends: list[str]
    best: tuple[list[list[str]], list[str]] | None = None
    best_score: float = -math.inf
    stale: int = 0
    started: bool = False


class ClassSearch:
    """The iterated local search for one class, the other classes' choices held fixed."""

    def __init__(
        self,
        cand,
        klass: TrainingClass,
        choices: list[DayChoice],
        *,
        others,
        rng,
        budget: WorkBudget,
        params: RouteSearchParams = RouteSearchParams(),
    ):
        scenario = cand.scenario
        self.cand, self.klass, self.rng, self.budget, self.params = cand, klass, rng, budget, params
        self.simulator = DaySimulator(cand.scenario, cand.travel)
        self.last = scenario.programme.days - 1
        self.req = cand.requirements(klass)
        weights = scenario.weights
        # less driving breaks ties between equally worthy routes, even where the objective
        # does not count coach minutes: the time saved leaves room for another visit
        self.coach_weight = COACH_MINUTES.price(weights) + params.tie_break_per_minute
        self.choices = choices
        # the lectures stay where the construction put them, so each day's frame is fixed
        self.frames = [session_frame(cand, self.req, day, choice) for day, choice in enumerate(choices)]
        self.must = set(self.req.must_visit)
        self.site = {s.id: s for s in scenario.sites}
        self.worth = {s.id: cand.visit_reward(klass.id, s.id) for s in scenario.sites}
        site_used: dict[tuple[int, str], int] = {}
        trainees_at: dict[tuple[int, str], int] = {}
        self.lodging_used: dict[tuple[int, str], int] = {}
        for other_id, other in others.items():
            trainees = scenario.training_class(other_id).trainees
            for day, choice in enumerate(other):
                for site_id in choice.sites:
                    site_used[(day, site_id)] = site_used.get((day, site_id), 0) + 1
                    trainees_at[(day, site_id)] = trainees_at.get((day, site_id), 0) + trainees
                if day < self.last:
                    self.lodging_used[(day, choice.end_place)] = self.lodging_used.get((day, choice.end_place), 0) + 1
        # as the construction counts it: a site's visits of a day as if they all came at once
        self.allowed = [
            {
                s
                for s in cand.visit_options[(klass.id, day)]
                if site_has_room(scenario.site(s), day, klass, site_used, trainees_at)
            }
            for day in cand.days
        ]
        self.routes = [list(c.sites) for c in choices]
        self.ends = [c.end_place for c in choices]
        self.field_floor = self._field_minutes(self.routes)
        self.red_floor = self.req.min_red_education_visits
        self.cache: dict[tuple, int | None] = {}
        self.tabu: frozenset[str] = frozenset()
        """Sites a shake just dropped: not inserted again until the search after it settles."""
        travel = cand.travel
        self.legs = travel.hundredths

    # -- evaluation -------------------------------------------------------
    def _start(self, day: int, ends: list[str]) -> str:
        return self.klass.first_place if day == 0 else ends[day - 1]

    def driving(self, day: int, route: list[str], ends: list[str]) -> int | None:
        """Exact driving of the day's route (hundredths), or None when it cannot be kept."""
        start, end = self._start(day, ends), ends[day]
        key = (day, start, end, tuple(route))
        self.budget.left -= 3 + len(route) // 4  # the call and the cache lookup, which hashes the route
        if key in self.cache:
            return self.cache[key]
        self.budget.left -= 2 * (len(route) + 1)
        leave_after, after = self.frames[day]
        sites = tuple(self.site[s] for s in route)
        driven = self.simulator.run(start, end, sites, day, leave_after=leave_after, afternoon=after)
        if len(self.cache) > 200_000:
            self.cache.clear()
        self.cache[key] = driven
        return driven

    def legs_sum(self, day: int, route: list[str], ends: list[str]) -> int:
        """The route's driving by the travel table alone (what the simulation returns when the
        route can be kept); a cheap filter before simulating."""
        stops = [self._start(day, ends)] + [self.site[s].place for s in route] + [ends[day]]
        legs = self.legs
        self.budget.left -= len(stops)
        return sum(legs[a, b] for a, b in zip(stops, stops[1:], strict=False))

    def added_driving(self, stops: list[str], place: str) -> list[tuple[int, int]]:
        """For each gap ``k`` between consecutive ``stops``, (the driving added by a stop at
        ``place`` there, ``k``), by the travel table."""
        legs = self.legs
        return [
            (legs[stops[k], place] + legs[place, stops[k + 1]] - legs[stops[k], stops[k + 1]], k)
            for k in range(len(stops) - 1)
        ]

    def place(self, site_id: str) -> str:
        return self.site[site_id].place

    def score(self, routes: list[list[str]], ends: list[str]) -> float | None:
        total = 0.0
        for day, route in enumerate(routes):
            driven = self.driving(day, route, ends)
            if driven is None:
                return None
            total += sum(self.worth[s] for s in route) - self.coach_weight * driven / 100
        return total

    def _field_minutes(self, routes: list[list[str]]) -> int:
        return sum(self.site[s].visit_minutes for route in routes for s in route)

    def _swap_keeps_requirements(self, routes: list[list[str]], old: str, new: str) -> bool:
        if self.site[new].visit_minutes < self.site[old].visit_minutes or (
            self.site[old].is_red_education and not self.site[new].is_red_education
        ):
            return self._keeps_requirements([[new if s == old else s for s in route] for route in routes])
        return True

    def _keeps_requirements(self, routes: list[list[str]]) -> bool:
        red = sum(self.site[s].is_red_education for route in routes for s in route)
        return self._field_minutes(routes) >= self.field_floor and red >= self.red_floor

    # -- the search -------------------------------------------------------
    def run(self) -> list[DayChoice]:
        """The best choices of every walk, by successive halving over the lodging sequences
        (their score in ``found_score``)."""
        self.found_score = self.score(self.routes, self.ends)
        if self.found_score is None:  # the simulator disagrees with the construction
            self.found_score = -math.inf
            return self._choices(self.routes, self.ends)
        walks = [walk for ends in self.lodging_sequences() if (walk := self._walk_from(ends)) is not None]
        self._start_from_pyvrp(walks)
        alive = list(walks)
        rounds = math.ceil(math.log2(len(alive))) + 1
        while alive and self.budget.spend(0):
            share = max(0, self.budget.left) // rounds // len(alive)
            for walk in alive:
                self._advance(walk, share)
            alive = [w for w in alive if w.stale < self.patience]
            alive.sort(key=lambda w: -w.best_score)  # stable: the constructive sequence wins ties
            alive = alive[: max(1, len(alive) // 2)]
            rounds = max(1, rounds - 1)
        best = max(walks, key=lambda w: w.best_score)
        if best.best is None:
            return self._choices(self.routes, self.ends)
        self.found_score = best.best_score
        return self._choices(*best.best)

    def _start_from_pyvrp(self, walks: list[_Walk]) -> None:
        """Give PyVRP ``pyvrp_share`` of the budget on the walks' lodging sequences, and start
        each walk from PyVRP's week on its nights where that week, read back through the day
        simulation, is better and keeps the class's requirements.

        PyVRP knows nothing of the class's field minutes, red-education visits, lunch or
        lectures: where those bind, its weeks are of no use. So it first tries the constructive
        sequence alone with ``pyvrp_probe_share`` of its part (none: no first try), and where
        that week is not kept, the rest of its part goes back to the walks."""
        params = self.params
        units = int(max(0, self.budget.left) * params.pyvrp_share)
        if not walks or units <= 0:
            return
        self.budget.left -= units
        probe = int(units * params.pyvrp_probe_share)
        seed = self.rng.randrange(2**31)
        if probe > 0 and not self._take_pyvrp_weeks(walks[:1], probe, seed):
            self.budget.left += units - probe
            return
        self._take_pyvrp_weeks(walks, units - probe, seed)

    def _take_pyvrp_weeks(self, walks: list[_Walk], units: int, seed: int) -> bool:
        """PyVRP on the walks' lodging sequences for ``units`` of work; each walk takes its week
        where that is kept and better. Whether any of its weeks was kept (better or not)."""
        params = self.params
        weeks = solve_weeks(
            self.week_routing(),
            [walk.ends for walk in walks],
            int(units / params.work_per_second * params.pyvrp_iterations_per_second),
            seed=seed,
            should_stop=self.budget.should_stop,
            iterations_per_second=params.pyvrp_iterations_per_second,
        )
        kept = False
        for index, week in sorted(weeks.items()):
            walk = walks[index]
            routes = self._kept([list(route) for route in week], walk.ends)
            if routes is None or not self._keeps_requirements(routes):
                continue
            current, found = self.score(walk.routes, walk.ends), self.score(routes, walk.ends)
            kept |= found is not None
            if found is not None and (current is None or found > current + 1e-9):
                walk.routes[:] = routes
                self._record(walk)  # PyVRP's week counts even where the walk gets no work after it
        return kept

    def week_routing(self) -> WeekRouting:
        """The class's week as PyVRP sees it (``scheduler.solver.heuristics.vrp``)."""
        scenario, days = self.cand.scenario, range(self.last + 1)
        usable = set().union(*self.allowed)
        return WeekRouting(
            first_place=self.klass.first_place,
            sites={s: self.site[s] for s in usable},
            allowed=[frozenset(a) for a in self.allowed],
            worth=self.worth,
            must=frozenset(self.must & usable),
            cost_per_hundredth=self.coach_weight / 100,
            driving_limit=[scenario.max_coach_hundredths_on(day) for day in days],
            window=[(self.frames[day][0], scenario.latest_return_on(day) - self.frames[day][1]) for day in days],
            max_visits=[self.req.max_visits_per_day for _ in days],
            legs=self.legs,
        )

    def _kept(self, routes: list[list[str]], ends: list[str]) -> list[list[str]] | None:
        """``routes`` with each day the simulation cannot keep losing its least worthy visits
        until it can (None when even its must-visit sites cannot be kept)."""
        for day, route in enumerate(routes):
            while self.driving(day, route, ends) is None:
                droppable = [s for s in route if s not in self.must]
                if not droppable:
                    return None
                route.remove(min(droppable, key=lambda s: (self.worth[s], s)))
        return routes

    @property
    def patience(self) -> int:
        return self.params.stale_shakes_per_site * max(1, len(set().union(*self.allowed)))

    def _advance(self, walk: _Walk, units: int) -> None:
        """Shake and search again from the walk's current routes for ``units`` of work, or until
        it has gone ``patience`` shakes without a better skeleton."""
        stop_at = self.budget.left - units
        routes, ends = walk.routes, walk.ends
        if not walk.started:
            walk.started = True
            self._local_search(routes, ends)
            self._record(walk)
        while self.budget.left > stop_at and self.budget.spend(0) and walk.stale < self.patience:
            dropped = self._shake(routes, ends, strength=1 + (walk.stale // 5) % 4)
            self.tabu = dropped
            self._local_search(routes, ends)
            self.tabu = frozenset()
            self._local_search(routes, ends)
            self._record(walk)

    def _record(self, walk: _Walk) -> None:
        """Keep the walk's routes as its best when they are better; go back to the best when they
        are worse (an equal plan is kept, to walk along plateaus)."""
        current = self.score(walk.routes, walk.ends)
        kept = current is not None and self._keeps_requirements(walk.routes)
        if kept and current > walk.best_score + 1e-9:
            walk.best = ([list(r) for r in walk.routes], list(walk.ends))
            walk.best_score, walk.stale = current, 0
            return
        walk.stale += 1
        if walk.best is not None and (not kept or current < walk.best_score - 1e-9):
            walk.routes[:] = [list(r) for r in walk.best[0]]
            walk.ends[:] = list(walk.best[1])

    def movable_nights(self) -> list[int]:
        """Nights the search may move: no lecture tied to the evening place or the next morning."""
        return [
            n
            for n in range(self.last)
            if self.choices[n].afternoon_lectures == 0 and self.choices[n + 1].morning_lectures == 0
        ]

    def night_options(self, night: int) -> list[str]:
        capacity = self.cand.scenario.lodging_capacity
        return [
            p
            for p in self.cand.night_places(self.klass, night)
            if p == self.ends[night] or self.lodging_used.get((night, p), 0) < capacity(p)
        ]

    def lodging_sequences(self) -> list[list[str]]:
        """The constructive evening places first, then other sequences of the movable nights'
        lodging: all of them, or a sample when there are more than ``max_lodging_sequences``."""
        most = self.params.max_lodging_sequences
        nights = self.movable_nights()
        options = [self.night_options(n) for n in nights]
        if math.prod(len(o) for o in options) <= most:
            combos = list(itertools.product(*options))
        else:
            drawn: dict[tuple[str, ...], None] = {}
            for _ in range(4 * most):
                drawn.setdefault(tuple(self.rng.choice(o) for o in options), None)
                if len(drawn) >= most - 1:
                    break
            combos = list(drawn)
        sequences = [list(self.ends)]
        for combo in combos:
            ends = list(self.ends)
            for night, place in zip(nights, combo, strict=True):
                ends[night] = place
            if ends != self.ends:
                sequences.append(ends)
        return sequences

    def _walk_from(self, ends: list[str]) -> _Walk | None:
        """A walk from the lodging sequence ``ends``: a day between the same places as in the
        construction keeps its route, another keeps its must-visit sites (None when it cannot)."""
        routes = []
        for day, route in enumerate(self.routes):
            same = ends[day] == self.ends[day] and self._start(day, ends) == self._start(day, self.ends)
            routes.append(list(route) if same else [s for s in route if s in self.must])
            if self.driving(day, routes[-1], ends) is None:
                return None
        return _Walk(routes, list(ends))

    def _choices(self, routes, ends) -> list[DayChoice]:
        return [
            dataclasses.replace(choice, sites=tuple(route), end_place=end)
            for route, end, choice in zip(routes, ends, self.choices, strict=True)
        ]

    def _local_search(self, routes, ends) -> None:
        improved = True
        while improved and self.budget.spend(0):
            improved = False
            for day in range(len(routes)):
                improved |= self._two_opt(day, routes, ends)
                improved |= self._or_opt(day, routes, ends)
            improved |= self._relocate(routes, ends)
            improved |= self._insert(routes, ends)
            improved |= self._replace(routes, ends)

    def _two_opt(self, day: int, routes, ends) -> bool:
        """Reverse a stretch of the day's route when that drives less."""
        route = routes[day]
        current = self.driving(day, route, ends)
        if current is None or len(route) < 2:
            return False
        improved = False
        for i in range(len(route) - 1):
            for j in range(i + 1, len(route)):
                trial = route[:i] + route[i : j + 1][::-1] + route[j + 1 :]
                if self.legs_sum(day, trial, ends) >= current:
                    continue
                driven = self.driving(day, trial, ends)
                if driven is not None and driven < current:
                    route[:], current, improved = trial, driven, True
        return improved

    def _or_opt(self, day: int, routes, ends) -> bool:
        """Move one visit to another place in the same day's route when that drives less."""
        route = routes[day]
        current = self.driving(day, route, ends)
        if current is None or len(route) < 3:
            return False
        improved = False
        for i in range(len(route)):
            site_id = route[i]
            rest = route[:i] + route[i + 1 :]
            for j in range(len(rest) + 1):
                if j == i:
                    continue
                trial = rest[:j] + [site_id] + rest[j:]
                if self.legs_sum(day, trial, ends) >= current:
                    continue
                driven = self.driving(day, trial, ends)
                if driven is not None and driven < current:
                    route[:], current, improved = trial, driven, True
                    break
        return improved

    def _relocate(self, routes, ends) -> bool:
        """Move a visit to another day (best place in that day's route) when the two days
        together drive less, which leaves room for more visits."""
        improved = False
        for day, route in enumerate(routes):
            for site_id in list(route):
                if site_id not in route:
                    continue
                before = self.driving(day, route, ends)
                shorter = [s for s in route if s != site_id]
                after = self.driving(day, shorter, ends)
                if before is None or after is None:
                    continue
                place = self.place(site_id)
                for other in range(len(routes)):
                    if other == day or site_id not in self.allowed[other]:
                        continue
                    if len(routes[other]) >= self.req.max_visits_per_day:
                        continue
                    other_before = self.driving(other, routes[other], ends)
                    if other_before is None:
                        continue
                    stops = [self._start(other, ends)] + [self.place(s) for s in routes[other]] + [ends[other]]
                    self.budget.left -= len(stops)
                    cheapest = sorted(self.added_driving(stops, place))[:3]
                    for _, position in cheapest:
                        trial = routes[other][:position] + [site_id] + routes[other][position:]
                        driven = self.driving(other, trial, ends)
                        if driven is not None and driven + after < other_before + before:
                            routes[other], routes[day] = trial, shorter
                            route = shorter
                            improved = True
                            break
                    if site_id not in route:
                        break
        return improved

    def _visited(self, routes) -> set[str]:
        return {s for route in routes for s in route}

    def _insert(self, routes, ends) -> bool:
        """Insert, one at a time, the visit with the most worth per minute of added driving."""
        improved = False
        while self.budget.spend(0):
            visited = self._visited(routes)
            options = []
            for day, route in enumerate(routes):
                if len(route) >= self.req.max_visits_per_day:
                    continue
                current = self.driving(day, route, ends)
                if current is None:
                    continue
                limit = self.cand.scenario.max_coach_hundredths_on(day)
                stops = [self._start(day, ends)] + [self.place(s) for s in route] + [ends[day]]
                self.budget.left -= len(stops) * len(self.allowed[day])
                for site_id in self.allowed[day] - visited - self.tabu:
                    worth = self.worth[site_id]
                    if worth <= 0 and site_id not in self.must:
                        continue
                    place = self.place(site_id)
                    for added, position in self.added_driving(stops, place):
                        if current + added > limit:
                            continue
                        gain = worth - self.coach_weight * added / 100
                        if gain <= 0 and site_id not in self.must:
                            continue
                        options.append((-gain / (max(added, 0) / 100 + 1), day, position, site_id))
            if not options:
                return improved
            options.sort()
            for _, day, position, site_id in options[:40]:
                trial = routes[day][:position] + [site_id] + routes[day][position:]
                if self.driving(day, trial, ends) is not None:
                    routes[day] = trial
                    improved = True
                    break
            else:
                return improved
        return improved

    def _replace(self, routes, ends) -> bool:
        """Swap a visit for an unvisited site that is worthier, or as worthy and cheaper to reach,
        at the cheapest place in the day's route."""
        base = self.score(routes, ends)
        if base is None:
            return False
        visited = self._visited(routes)
        improved = False
        for day, route in enumerate(routes):
            limit = self.cand.scenario.max_coach_hundredths_on(day)
            for position, old in enumerate(list(route)):
                if old in self.must:
                    continue
                if position >= len(route) or route[position] != old:
                    continue
                rest = route[:position] + route[position + 1 :]
                stops = [self._start(day, ends)] + [self.place(s) for s in rest] + [ends[day]]
                rest_driving = self.legs_sum(day, rest, ends)
                newcomers = sorted(self.allowed[day] - visited - self.tabu, key=lambda s: (-self.worth[s], s))[:15]
                for new in newcomers:
                    if self.worth[new] < self.worth[old]:
                        break
                    if not self._swap_keeps_requirements(routes, old, new):
                        continue
                    place = self.place(new)
                    self.budget.left -= len(stops)
                    spots = sorted(self.added_driving(stops, place))
                    for added, spot in spots[:2]:
                        if rest_driving + added > limit:
                            break
                        trial_routes = list(routes)
                        trial_routes[day] = rest[:spot] + [new] + rest[spot:]
                        trial = self.score(trial_routes, ends)
                        if trial is not None and trial > base + 1e-9:
                            routes[day] = trial_routes[day]
                            route = routes[day]
                            visited = self._visited(routes)
                            base, improved = trial, True
                            break
                    if route[position : position + 1] != [old]:
                        break
        return improved

    def _shake(self, routes, ends, strength: int) -> frozenset[str]:
        """Drop a random stretch of a route (never a must-visit site); now and then move a night,
        or swap two days' visits instead. Returns the sites dropped."""
        rng = self.rng
        before = self._visited(routes)
        if self.last > 0 and rng.random() < self.params.swap_days_share:
            self.swap_days(routes, ends)
            return frozenset(before - self._visited(routes))
        if self.last > 0 and rng.random() < 0.15:
            self._move_night(routes, ends)
        busy = [day for day, route in enumerate(routes) if route]
        if not busy:
            return frozenset(before - self._visited(routes))
        for day in busy if rng.random() < 0.5 else [rng.choice(busy)]:
            route = routes[day]
            length = min(len(route), rng.randint(1, max(1, strength * len(route) // 4)))
            begin = rng.randint(0, len(route) - length)
            kept = [s for s in route[begin : begin + length] if s in self.must]
            routes[day] = route[:begin] + kept + route[begin + length :]
        return frozenset(before - self._visited(routes))

    def swap_days(self, routes, ends) -> None:
        """Give two days each other's visits (the must-visit sites stay where they are), each
        day's route rebuilt from them: which group of sites fills which day is something moves
        of one visit at a time seldom change, as every step between the two is worse."""
        first, second = self.rng.sample(range(len(routes)), 2)
        movers = {day: [s for s in routes[day] if s not in self.must] for day in (first, second)}
        for day, other in ((first, second), (second, first)):
            offered = [s for s in movers[other] if s in self.allowed[day]]
            routes[day] = self._rebuild(day, [s for s in routes[day] if s in self.must], offered, ends)

    def _rebuild(self, day: int, route: list[str], offered: list[str], ends) -> list[str]:
        """``route`` with the ``offered`` sites added, worthiest first, each at its cheapest place
        where the day can still be kept."""
        limit = self.cand.scenario.max_coach_hundredths_on(day)
        for site_id in sorted(offered, key=lambda s: (-self.worth[s], s)):
            if len(route) >= self.req.max_visits_per_day:
                break
            stops = [self._start(day, ends)] + [self.place(s) for s in route] + [ends[day]]
            place = self.place(site_id)
            self.budget.left -= len(stops)
            added, spot = min(self.added_driving(stops, place))
            trial = route[:spot] + [site_id] + route[spot:]
            if self.legs_sum(day, route, ends) + added <= limit and self.driving(day, trial, ends) is not None:
                route = trial
        return route

    def _move_night(self, routes, ends) -> None:
        """Sleep somewhere else one night, where no lecture is tied to the evening or the next
        morning; drop visits from the two days around it until they can be kept."""
        nights = self.movable_nights()
        if not nights:
            return
        night = self.rng.choice(nights)
        before = (ends[night], list(routes[night]), list(routes[night + 1]))
        options = [p for p in self.night_options(night) if p != ends[night]]
        if not options:
            return
        ends[night] = self.rng.choice(options)
        # the two days' routes were shaped for the old night: rebuild them (insertion refills them)
        for day in (night, night + 1):
            routes[day] = [s for s in routes[day] if s in self.must]
            if self.driving(day, routes[day], ends) is None:
                ends[night], routes[night], routes[night + 1] = before[0], before[1], before[2]
                return
