"""A programme of several classes planned one class at a time (``by_class``) on candidates cut
down around the constructive plan, with the week bound computed beside the search where the
programme is small enough, and, last, the whole model re-timing the joined plan."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from scheduler.plan.model import Plan, Result, SolveStatus
from scheduler.scenario.model import Scenario
from scheduler.solver.bound.aside import WeekBoundAside, free_cores
from scheduler.solver.cpsat.engine import (
    Budget,
    Race,
    Stopper,
    Tracker,
    solve_fixed,
    solver_stats,
    stop_on_signals,
)
from scheduler.solver.cpsat.model import build_model, plan_and_terms, route_hints, skeleton_fixes
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.focus import bounded_by_weeks, leg_count, too_large_to_model_whole
from scheduler.solver.data.skeleton import Skeleton
from scheduler.solver.heuristics.construct import planned_in_turn
from scheduler.solver.options import SolveOptions
from scheduler.solver.search import by_class


def class_solver(
    options: SolveOptions, stopper: Stopper, workers: Callable[[], int | None] = lambda: None
) -> by_class.Solver:
    """How ``by_class`` solves one class: the model on its cut-down candidates, with the
    skeleton's nights and visits fixed (``keep``, the first plan found) or as hints;
    ``workers()``: fewer search workers than the options give, for now."""

    def solve_class(sub, sub_cand, sub_skeleton, *, keep, seconds, first_only):
        built = build_model(sub, cand=sub_cand)
        choices, routes = skeleton_fixes(built, sub_skeleton), route_hints(built, sub_skeleton)
        fixes, hints = (choices, routes) if keep else ([], choices + routes)
        balance = options.params.class_by_class
        race = Race()

        def quick():
            return solve_fixed(
                built, fixes, options, stopper, time_limit=min(seconds, balance.quick_completion_seconds),
                hints=hints, first_only=True, presolve=False, workers=1, race=race, follow_hints=True,
            )  # fmt: skip

        def full():
            # A class's presolve is most of a completion's time and its later rounds gain
            # nothing on so small a model: one round leaves the slice to the search.
            return solve_fixed(
                built,
                fixes,
                options,
                stopper,
                time_limit=seconds,
                hints=hints,
                first_only=first_only,
                presolve_rounds=1,
                workers=workers(),
                stall_seconds=None if keep or first_only else balance.stall_seconds,
                race=race,
            )

        if keep and first_only and balance.quick_completion_seconds > 0:
            # With its nights and visits fixed, a class's model is mostly clock times: the first
            # plan is usually found by propagation alone, following the routes' hints, and
            # presolve, the LP (and a second worker's start) would be most of the time. A
            # completion that needs more gets the full search: beside the quick one once it has
            # had a head start (the first plan found wins), or after it where the run must be
            # reproducible (which one wins would depend on the clock).
            if options.reproducible:
                found = quick() or full()
            else:
                found = race.first_of(quick, full, head_start=balance.full_completion_after)
        else:
            found = full()
        return None if found is None else plan_and_terms(built, found.values)

    return solve_class


def joined_plan(scenario: Scenario, cand: Candidates, parts: dict[str, by_class.ClassPlan]) -> Callable[[], Plan]:
    """The classes' plans as one, made when called (for ``Tracker.plan``)."""
    return lambda: by_class.joined(scenario, cand, parts)[0]


def solve_class_by_class(scenario: Scenario, cand: Candidates, options: SolveOptions, tracker: Tracker) -> Result:
    """A programme of several classes, one class at a time (``by_class``) on candidates cut down
    around the constructive plan: its plan is checked like any other; the search proves nothing,
    and the bound, where the programme is small enough (``focus.bounded_by_weeks``), is the week
    bound, computed beside the search (``WeekBoundAside``)."""
    budget = Budget(options, tracker.started)
    params = options.params
    modelled_whole_last = not too_large_to_model_whole(cand, params.focus)
    balance = params.class_by_class
    reserve = min(balance.balance_seconds, balance.balance_share * options.time_limit) if modelled_whole_last else 0.0

    parts = None
    with stop_on_signals(options.handle_signals) as stopper:
        stopper.budget = budget
        bound: WeekBoundAside | None = None
        # while the bound's process works, the search leaves it a core
        solve_class = class_solver(options, stopper, lambda: 1 if bound is not None and bound.needs_a_core else None)

        def interrupted() -> bool:
            return stopper.interrupted

        def done() -> bool:
            """Interrupted, or the best plan meets the bound: nothing is left to find."""
            return stopper.interrupted or tracker.best <= tracker.bound

        slice_seconds = max(1.0, min(params.class_by_class.slice_seconds, options.time_limit / 20))
        if bounded_by_weeks(cand, params.focus) and not options.reproducible:
            # started first: its process takes a second to start, and its route listing, the
            # longest part of it, runs beside the first plan
            bound = WeekBoundAside(cand, options, tracker)
        # each class is completed while the construction plans the next; a class that cannot
        # be planned around those before it is planned first in the next attempt, with a larger
        # share of the time (``failed_class_share``), while time is left (the classes before it
        # took what it needed, or its search needed more time than a class's share)
        first: list[str] = []
        failed_first = 0
        parts = None
        while True:
            order = [scenario.training_class(c) for c in first] + [k for k in scenario.classes if k.id not in first]
            planned = by_class.Ahead(planned_in_turn(cand, order, params=params.construction))
            failed: list[str] = []
            parts = by_class.first_plan(
                scenario,
                cand,
                planned,
                solve_class,
                seconds_left=budget.left,
                should_stop=interrupted,
                params=params,
                on_failure=failed.append,
                generous=frozenset(first),
            )
            planned.stop()
            if parts is not None or stopper.interrupted or not failed:
                break
            if budget.left() < params.class_by_class.class_seconds_floor:
                break
            if failed[0] == order[0].id:
                # planned first and still not planned: once more with the time left, then no plan
                failed_first += 1
                if failed_first > params.class_by_class.first_class_retries:
                    break
            else:
                if failed[0] in first:
                    first.remove(failed[0])
                first.insert(0, failed[0])
        plan, terms = None, {}
        if parts is not None and not stopper.interrupted:
            tracker.plan(sum(by_class.joined(scenario, cand, parts)[1].values()), joined_plan(scenario, cand, parts))
            if bound is None and not options.reproducible:
                # past the week bound's size, the relaxed weeks' bound, whose weeks the search
                # plans the programme from (``improve``): on a core the search leaves free, for
                # the time left (up to ``[bound] relaxed_legs``, its weeks once its master
                # settles or after the first ``relaxed_share`` of the time limit); else, up to
                # ``relaxed_legs``, on one of the search's for that share if it is at least
                # ``relaxed_min_seconds``, its weeks when its master settles or at the share's end;
                # past it, only where a run asks (``bound_only_share``), for its bound alone
                left = options.time_limit - (time.monotonic() - tracker.started)
                share = min(left, params.bound.relaxed_share * options.time_limit)
                plans_from = leg_count(cand) <= params.bound.relaxed_legs
                known = by_class.known_weeks(scenario, parts)
                if free_cores(options) > 0:
                    bound = WeekBoundAside(
                        cand, options, tracker, relaxed=True, relaxed_seconds=left,
                        weeks_after=share if plans_from else math.inf, takes_a_core=False, known=known,
                    )  # fmt: skip
                elif plans_from and share > 0 and share >= params.bound.relaxed_min_seconds:
                    bound = WeekBoundAside(
                        cand, options, tracker, relaxed=True, relaxed_seconds=share, weeks_after=share, known=known
                    )
                elif not plans_from and (alone := min(left, params.bound.bound_only_share * options.time_limit)) > 0:
                    bound = WeekBoundAside(
                        cand, options, tracker, relaxed=True, relaxed_seconds=alone, weeks_after=math.inf, known=known
                    )
            if (
                bounded_by_weeks(cand, params.focus)
                and options.reproducible
                and leg_count(cand) <= params.bound.reproducible_legs_per_second * options.time_limit
            ):
                # computed here, to the end, before the search goes on (``WeekBoundAside``),
                # within the time limit on the clock
                clock = options.time_limit - (time.monotonic() - tracker.started)
                bound = WeekBoundAside(cand, options, tracker, clock_seconds=clock, should_stop=interrupted)
                budget.cut_by_clock |= bound.cut_by_clock
                if bound.result is not None:
                    # the bound's work, by the routes it listed and priced, comes out of the
                    # search's budget: the run ends near its limit, the same on every run
                    budget.charge_work(bound.result.day_routes / params.bound.reproducible_routes_per_second)
            parts = by_class.improve(
                scenario,
                cand,
                parts,
                solve_class,
                seconds_left=lambda: budget.left() - reserve,
                on_better=lambda objective, better: tracker.plan(objective, joined_plan(scenario, cand, better)),
                slice_seconds=slice_seconds,
                should_stop=done,
                suggested=bound.weeks if bound else list,
                # the plan from the bound's weeks may borrow the bound's core for its short solve:
                # a class solved freely gains far more from a second worker than the bound loses
                solve_weeks=class_solver(options, stopper),
                weeks_pending=lambda: bound is not None and bound.weeks_pending,
                relaxed_seconds=0.0
                if options.reproducible or bounded_by_weeks(cand, params.focus)
                else params.class_by_class.relaxed_week_seconds,
                params=params,
            )
        if parts is not None:
            plan, terms = by_class.joined(scenario, cand, parts)
            if modelled_whole_last and not done() and budget.left() > 0.5:
                # last, the whole model re-times the plan and weighs the lecturers' balance
                found = completed_whole(scenario, cand, parts, options, stopper=stopper, seconds_left=budget.left)
                if found is not None and found[2] < sum(terms.values()) - 0.5:
                    plan, terms, objective = found
                    tracker.plan(objective, lambda plan=plan: plan)
        # without a plan the bound proves nothing: it is stopped at once
        proven = bound.finish(budget.left() if plan is not None else 0.0, interrupted) if bound else None
    status = SolveStatus.FEASIBLE if plan is not None else SolveStatus.NO_PLAN_IN_TIME
    objective = sum(terms.values()) if plan is not None else None
    if objective is not None and proven is not None and objective <= proven:
        status = SolveStatus.OPTIMAL
    stats = solver_stats(status, objective, proven, tracker=tracker, options=options, stopper=stopper, focused=True)
    return Result(stats, plan, terms)


def completed_whole(
    scenario: Scenario,
    cand: Candidates,
    parts: dict[str, by_class.ClassPlan],
    options: SolveOptions,
    *,
    stopper: Stopper,
    seconds_left: Callable[[], float],
) -> tuple[Plan, dict[str, int], float] | None:
    """The classes' nights and visits fixed in the whole model, which sets clock times and
    lecturers again: the plan, its terms and objective, or None if none was found in the time
    left once the model is built (building it takes seconds on a large programme).
    Unlike any class's own model it weighs the lecturers' balance."""
    built = build_model(scenario, cand=cand)
    skeleton = Skeleton({class_id: part.skeleton for class_id, part in parts.items()})
    fixes = skeleton_fixes(built, skeleton)
    if seconds_left() <= 0.5:
        return None
    hints = route_hints(built, skeleton)
    found = solve_fixed(built, fixes, options, stopper, time_limit=seconds_left(), hints=hints)
    if found is None:
        return None
    return *plan_and_terms(built, found.values), found.objective
