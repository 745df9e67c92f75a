"""The stages of a solve on the whole model (``docs/model.md``): a first plan from the
construction (or the untimed model), the route search, the untimed search, large-neighbourhood
search, and the full model hinted with the best plan in the time left."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.scenario.travel import rest_stops_needed
from scheduler.solver.cpsat.engine import (
    Stopper,
    Tracker,
    configure,
    solve_fixed,
)
from scheduler.solver.cpsat.model import (
    BuiltModel,
    Incumbent,
    build_model,
    coarse_fixes,
    coarse_hints,
    incumbent_plan,
    route_hints,
    skeleton_fixes,
)
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.skeleton import Skeleton
from scheduler.solver.heuristics.route_search import improve_routes
from scheduler.solver.options import SolveOptions
from scheduler.solver.search.lns import improve


@dataclass(frozen=True)
class Search:
    """What every stage of a whole-model solve works with: the full model, the options, the
    stopper that ends the search on a signal (and charges its time), and the tracker that hears
    every plan and bound."""

    built: BuiltModel
    options: SolveOptions
    stopper: Stopper
    tracker: Tracker

    def better(self, found: Incumbent) -> None:
        """Tell the tracker of a better plan (with the plan, when it wants plans)."""
        self.tracker.plan(found.objective, incumbent_plan(self.built, found))


def first_plan(search: Search, skeleton: Skeleton) -> Incumbent | None | bool:
    """Stage 1. A plan's values and objective; None if none was found; False if the coarse
    model proved that no plan exists."""
    built, options, stopper, tracker = search.built, search.options, search.stopper, search.tracker
    cand = built.candidates
    share = options.params.stages.first_plan_share * options.time_limit
    found = None
    if skeleton.complete:
        hints = route_hints(built, skeleton)
        found = solve_fixed(built, skeleton_fixes(built, skeleton), options, stopper, time_limit=share, hints=hints)
        if found is not None:
            search.better(found)
            return polish_routes(search, skeleton, found)
    if found is None and not stopper.interrupted:
        coarse = build_model(cand.scenario, timed=False, cand=cand)
        solver = cp_model.CpSolver()
        configure(solver, options, options.params.stages.coarse_share * options.time_limit)
        code = stopper.run(solver, coarse.model)
        if code == cp_model.INFEASIBLE:
            return False
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # the coarse model is a relaxation: its bound holds for the full model
            tracker.new_bound(solver.best_objective_bound)
            found = solve_fixed(built, coarse_fixes(built, coarse, solver.value), options, stopper, time_limit=share)
    if found is not None:
        search.better(found)
    return found


def polish_routes(search: Search, skeleton: Skeleton, found: Incumbent) -> Incumbent:
    """Stage 1b: improve the constructive routes by local search and complete them again; the
    completed constructive plan stays when that is no better."""
    built, options, stopper = search.built, search.options, search.stopper
    stages = options.params.stages
    share = stages.route_share_when_slack if time_is_slack(built.candidates) else stages.route_share
    better = improve_routes(
        built.candidates,
        skeleton,
        share * options.time_limit,
        seed=options.seed,
        should_stop=lambda: stopper.interrupted,
        params=options.params.route_search,
        processes=options.workers,
    )
    if better == skeleton or stopper.interrupted:
        return found
    share = options.params.stages.first_plan_share * options.time_limit
    fixes, hints = skeleton_fixes(built, better), route_hints(built, better)
    polished = solve_fixed(built, fixes, options, stopper, time_limit=share, hints=hints)
    if polished is None or polished.objective >= found.objective - 0.5:
        return found
    search.better(polished)
    return polished


def coarse_polish(search: Search, best: Incumbent, seconds: float) -> Incumbent:
    """Stage 2: search the untimed model (routes, nights, visits and lecturers without clock
    times) from the current plan, then give its best routes clock times in the full model.

    Without clock times CP-SAT moves far faster through which sites to visit and in what order;
    where time is slack (wide opening hours, short days) little is lost, and where it is not
    the full model simply rejects the routes and the current plan stays."""
    built, options, stopper, tracker = search.built, search.options, search.stopper, search.tracker
    started = time.monotonic()
    slack = time_is_slack(built.candidates)
    # where no clock time can bind, the untimed model is the whole problem: one long search
    slice_seconds = seconds if slack else max(3.0, options.params.stages.coarse_slice * options.time_limit)
    coarse: BuiltModel | None = None
    # slices while they pay: a slice whose routes the full model cannot time, or that finds
    # nothing better, ends the stage (on a programme with tight days it costs one slice)
    while not stopper.interrupted and seconds - (time.monotonic() - started) >= 1.0:
        left = seconds - (time.monotonic() - started)
        if coarse is None:
            coarse = build_model(built.candidates.scenario, timed=False, cand=built.candidates)
        coarse.model.clear_hints()
        for var, value in coarse_hints(built, coarse, best.values):
            coarse.model.add_hint(var, value)
        solver = cp_model.CpSolver()
        configure(solver, options, min(slice_seconds, 0.8 * left))
        code = stopper.run(solver, coarse.model)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        # the untimed model is a relaxation of the full one: its bound holds for every plan
        tracker.new_bound(solver.best_objective_bound)
        if solver.objective_value >= best.objective - 0.5:
            break
        completion = max(1.0, min(slice_seconds, seconds - (time.monotonic() - started)))
        found = solve_fixed(built, coarse_fixes(built, coarse, solver.value), options, stopper, time_limit=completion)
        if found is None or found.objective >= best.objective - 0.5:
            break
        search.better(found)
        best = found
        if code == cp_model.OPTIMAL:
            break
    return best


def time_is_slack(cand: Candidates) -> bool:
    """True when no clock time can bind on any class's day: no sessions, every candidate site
    open from the earliest departure to the latest return, and the longest possible route (the
    whole driving limit with its rest stops, the longest allowed visits) is back at the evening
    place early enough for lunch there. The untimed model then has the full model's plans."""
    scenario, frame = cand.scenario, cand.frame
    if cand.sessions:
        return False
    limits = scenario.limits
    for klass in scenario.classes:
        req = cand.requirements(klass)
        for day in cand.days:
            sites = [scenario.site(s) for s in cand.visit_options[(klass.id, day)]]
            begin, end = scenario.earliest_departure_on(day), scenario.latest_return_on(day)
            if any(s.hours.open > begin or s.hours.close < end for s in sites):
                return False
            driving = math.ceil(scenario.max_coach_minutes_on(day)) + len(sites) + 1  # rounding up per leg
            rests = rest_stops_needed(driving, limits.max_continuous_drive_minutes) * limits.rest_stop_minutes
            visits = sum(sorted((s.visit_minutes for s in sites), reverse=True)[: req.max_visits_per_day])
            # back at the evening place in time to eat there, whatever the route
            if begin + driving + rests + visits > min(end, frame.lunch.latest - frame.lunch.minutes):
                return False
    return True


def improve_by_lns(search: Search, best: Incumbent, time_left: Callable[[], float]) -> Incumbent:
    """Stage 3: large-neighbourhood search over classes and days."""
    built, options, stopper = search.built, search.options, search.stopper
    scenario = built.candidates.scenario
    return improve(
        built.model,
        built.variables,
        best,
        class_ids=[k.id for k in scenario.classes],
        days=scenario.programme.days,
        time_left=time_left,
        configure=lambda solver, seconds: configure(solver, options, seconds),
        on_better=search.better,
        should_stop=lambda: stopper.interrupted,
        run=stopper.run,
        nearest=nearest_sites(built.candidates),
        seed=options.seed,
        params=options.params.lns,
    )


def nearest_sites(cand: Candidates) -> dict[str, list[str]]:
    """For each site, every site from the nearest to the farthest (by driving), for site parts."""
    place = {site.id: site.place for site in cand.scenario.sites}
    drive = cand.travel.driving_hundredths
    return {a: sorted(place, key=lambda b: (drive(place[a], place[b]), b)) for a in place}
