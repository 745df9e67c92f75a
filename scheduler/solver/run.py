"""Build the CP-SAT model, solve it in stages, and return a ``Result``.

1. A first plan: the constructive heuristic chooses nights and visits (``construct``), and
   the full model with those choices fixed sets clock times and lecturers. If that fails, a
   coarse model (no clock times) chooses instead.
2. Large-neighbourhood search (``lns``) improves it one class or a few days at a time.
3. The full model, hinted with the best plan, searches and proves what it can in the time left.

Progress (objective and bound as they improve) goes to an optional callback; SIGINT and
SIGTERM stop the search cleanly and keep the best plan found so far.
"""

from __future__ import annotations

import math
import multiprocessing
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass

from ortools.sat.python import cp_model
from ortools.sat.python.cp_model_helper import FlatIntExpr

from ..plan import Plan, Result, SolverStats, SolveStatus
from ..scenario import Scenario
from ..travel import rest_stops_needed
from . import by_class
from .candidates import Candidates
from .constraints import add_all
from .construct import DayChoice, Skeleton, construct, planned_in_turn
from .extract import extract_plan
from .focus import bounded_by_weeks, solve_by_class, too_large_to_model_whole
from .lns import improve
from .objective import build_objective
from .route_search import improve_routes
from .variables import Variables, build_variables
from .week_bound import WeekBound, Weeks, week_bound

FIRST_PLAN_SHARE = 0.15
"""Share of the time limit for setting the clock times of the first plan's choices."""
COARSE_SHARE = 0.25
"""Share of the time limit for the coarse model, when the constructive plan fails."""
ROUTE_SHARE = 0.1
"""Share of the time limit (counted in simulated work, not seconds) for improving the constructive routes."""
ROUTE_SHARE_WHEN_SLACK = 0.25
"""The same where no clock time can bind (``time_is_slack``): the routes are then the whole plan
and the route search, which times each route exactly, finds better ones faster than CP-SAT."""
COARSE_POLISH_UNTIL = 0.5
"""The untimed search runs until this share of the time limit (until LNS_SHARE where no clock
time can bind: it then searches the whole problem, and the timed parts would add nothing)."""
COARSE_SLICE = 0.1
"""Each slice of the untimed search, as a share of the time limit (at least 3 s)."""
LNS_SHARE = 0.85
"""Large-neighbourhood search runs until this share of the time limit has passed."""
CLASS_STALL_SECONDS = 1.0
"""A class's re-plan stops once this long passes without a better plan (wall clock, so not in
a reproducible run)."""
CLASS_SLICE_SECONDS = 5.0
"""At most this long for one class's re-plan."""
BALANCE_SECONDS = 10.0
BALANCE_SHARE = 0.1
"""Time kept for the last pass of a class-by-class solve small enough to model whole: at most
BALANCE_SECONDS and BALANCE_SHARE of the time limit."""


@dataclass(frozen=True)
class SolveOptions:
    """How long and how hard to search."""

    time_limit: float = 60.0
    workers: int = 2
    seed: int = 0
    log_search: bool = False
    handle_signals: bool = False
    """Stop cleanly on SIGINT/SIGTERM (the command sets this; library callers need not)."""


@dataclass(frozen=True)
class Progress:
    """One improvement seen during the search."""

    seconds: float
    plans_found: int
    objective: float
    best_bound: float


class ModelInvalidError(RuntimeError):
    """CP-SAT rejected the model: a bug in the model builder, never the user's fault."""


@dataclass
class BuiltModel:
    model: cp_model.CpModel
    candidates: Candidates
    variables: Variables
    terms: list[tuple[str, cp_model.LinearExprT]]


def build_model(scenario: Scenario, timed: bool = True, cand: Candidates | None = None) -> BuiltModel:
    """The CP-SAT model of a scenario: variables, hard rules and soft goals.

    ``timed=False`` builds the coarse model (no clock times, only day budgets).
    """
    model = cp_model.CpModel()
    cand = cand or Candidates(scenario)
    variables = build_variables(model, cand)
    add_all(model, cand, variables, timed=timed)
    terms = build_objective(model, cand, variables)
    return BuiltModel(model, cand, variables, terms)


# ---------------------------------------------------------------------------
# Progress and interruption


class _Tracker:
    """Counts plans and reports each improvement, whichever stage finds it."""

    def __init__(self, on_progress: Callable[[Progress], None] | None, started: float):
        self.on_progress = on_progress
        self.started = started
        self.first_plan_seconds: float | None = None
        self.plans_found = 0
        self.best = math.inf
        self.bound = -math.inf

    def plan(self, objective: float) -> None:
        self.plans_found += 1
        if self.first_plan_seconds is None:
            self.first_plan_seconds = time.monotonic() - self.started
        if objective < self.best:
            self.best = objective
            self._report()

    def new_bound(self, bound: float, report: bool = True) -> None:
        """A better bound is reported at once when a plan is known (a bound that comes with a
        plan, ``report=False``, is reported with it)."""
        if bound > self.bound:
            self.bound = bound
            if report and math.isfinite(self.best):
                self._report()

    def _report(self) -> None:
        if self.on_progress is not None:
            self.on_progress(Progress(time.monotonic() - self.started, self.plans_found, self.best, self.bound))


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, tracker: _Tracker):
        super().__init__()
        self.tracker = tracker

    def on_solution_callback(self) -> None:
        self.tracker.new_bound(self.best_objective_bound, report=False)
        self.tracker.plan(self.objective_value)


class _LastImprovement(cp_model.CpSolverSolutionCallback):
    """Notes when the search last found a better plan."""

    def __init__(self) -> None:
        super().__init__()
        self.last: float | None = None

    def on_solution_callback(self) -> None:
        self.last = time.monotonic()

    def stalled_for(self) -> float:
        """Seconds since the last better plan; 0 while none is known."""
        return 0.0 if self.last is None else time.monotonic() - self.last


class _Stopper:
    """Stops the running stage on the first SIGINT/SIGTERM; a second one aborts at once.

    Each solve runs in a worker thread while the main thread waits in Python, so that the
    signal handler runs at once rather than when CP-SAT returns.
    """

    def __init__(self) -> None:
        self.solver: cp_model.CpSolver | None = None
        self.interrupted = False
        self.budget: _Budget | None = None

    def run(
        self,
        solver: cp_model.CpSolver,
        model: cp_model.CpModel,
        callback: cp_model.CpSolverSolutionCallback | None = None,
        stall_seconds: float | None = None,
    ) -> int:
        """``solver.solve(model, callback)``, interruptible; the CP-SAT status code. With
        ``stall_seconds``, the search also stops once a plan is known and none better has come
        for that long (wall clock: never in a run that must be reproducible); it takes the
        place of ``callback``."""
        self.solver = solver
        if self.interrupted:
            return cp_model.UNKNOWN
        solver.parameters.catch_sigint_signal = False
        if stall_seconds is not None:
            assert callback is None, "a stall limit watches the plans itself"
            callback = _LastImprovement()
        with ThreadPoolExecutor(max_workers=1) as pool:
            future = pool.submit(solver.solve, model, callback)
            while True:
                try:
                    code = future.result(timeout=0.1 if stall_seconds is None else 0.05)
                    break
                except FutureTimeout:
                    if stall_seconds is not None and callback.stalled_for() > stall_seconds:
                        solver.stop_search()
                    continue
        if self.budget is not None:
            self.budget.charge(solver)
        return code

    def __call__(self, signum, frame) -> None:
        if self.interrupted:
            raise KeyboardInterrupt
        self.interrupted = True
        if self.solver is not None:
            self.solver.stop_search()


@contextmanager
def _stop_on_signals(enabled: bool) -> Iterator[_Stopper]:
    stopper = _Stopper()
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield stopper
        return
    previous = {sig: signal.signal(sig, stopper) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stopper
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


# ---------------------------------------------------------------------------
# Stages


class _Budget:
    """The time limit and what is spent of it.

    With one worker the run must be reproducible, so time is CP-SAT's deterministic time
    (summed over the stages) rather than the wall clock; with more, it is wall-clock seconds.
    """

    def __init__(self, options: SolveOptions, started: float):
        self.limit = options.time_limit
        self.deterministic = options.workers == 1
        self.started = started
        self.deterministic_spent = 0.0

    def spent(self) -> float:
        return self.deterministic_spent if self.deterministic else time.monotonic() - self.started

    def left(self) -> float:
        return self.limit - self.spent()

    def left_until(self, share: float) -> float:
        """Time left before ``share`` of the limit is spent."""
        return share * self.limit - self.spent()

    def charge(self, solver: cp_model.CpSolver) -> None:
        self.deterministic_spent += solver.deterministic_time


def _configure(solver: cp_model.CpSolver, options: SolveOptions, time_limit: float) -> None:
    time_limit = max(0.05, time_limit)
    if options.workers == 1:
        solver.parameters.max_deterministic_time = time_limit
        # a wall-clock safety net far enough away never to decide a reproducible run
        solver.parameters.max_time_in_seconds = 10 * time_limit + 10
    else:
        solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = options.seed
    solver.parameters.log_search_progress = options.log_search
    # Full probing in presolve costs seconds on the day circuits and finds little here; level 0
    # is not safe: OR-Tools 9.15 then reports some feasible models as infeasible (seen on a
    # re-planning model, tests/test_replan.py), so level 1.
    solver.parameters.cp_model_probing_level = 1


Fixes = list[tuple[cp_model.IntVar, int]]
Values = list[int]


def skeleton_fixes(built: BuiltModel, skeleton: Skeleton) -> Fixes:
    """The constructive plan's nights and visits, as (variable, value) pairs."""
    fixes: Fixes = []
    last = built.candidates.scenario.programme.days - 1
    for class_id, days in skeleton.days.items():
        for day, choice in enumerate(days or ()):
            if day < last:
                fixes += [
                    (lit, int(p == choice.end_place)) for p, lit in built.variables.nights[(class_id, day)].items()
                ]
            visits = built.variables.class_days[(class_id, day)].visits
            fixes += [(visit.present, int(site in choice.sites)) for site, visit in visits.items()]
    return fixes


def _coarse_fixes(built: BuiltModel, coarse: BuiltModel, value: Callable[[object], int]) -> Fixes:
    """The coarse model's nights, visits, legs and lecturers, as (variable, value) pairs."""
    pairs: Fixes = []
    for key, places in built.variables.nights.items():
        pairs += [(lit, value(coarse.variables.nights[key][p])) for p, lit in places.items()]
    for key, day_vars in built.variables.class_days.items():
        other = coarse.variables.class_days[key]
        pairs += [(visit.present, value(other.visits[s].present)) for s, visit in day_vars.visits.items()]
        pairs += [(a.used, value(b.used)) for a, b in zip(day_vars.arcs, other.arcs, strict=True)]
    for session, other in zip(built.variables.sessions, coarse.variables.sessions, strict=True):
        pairs += [(lit, value(other.slot[key])) for key, lit in session.slot.items()]
        pairs += [(lit, value(other.lecturer[l])) for l, lit in session.lecturer.items()]
    return pairs


def _route_hints(built: BuiltModel, skeleton: Skeleton) -> Fixes:
    """The skeleton's routes as coach legs (start, each site in order, end), for hints."""
    hints: Fixes = []
    scenario = built.candidates.scenario
    for class_id, days in skeleton.days.items():
        start = scenario.training_class(class_id).first_place
        for day, choice in enumerate(days or ()):
            day_vars = built.variables.class_days[(class_id, day)]
            stops = [f"start:{start}"] + [f"site:{s}" for s in choice.sites] + [f"end:{choice.end_place}"]
            legs = set(zip(stops, stops[1:], strict=False))
            hints += [(a.used, int((a.tail, a.head) in legs)) for a in day_vars.arcs]
            start = choice.end_place
    return hints


def _solve_fixed(
    built: BuiltModel,
    fixes: Fixes,
    options: SolveOptions,
    stopper: _Stopper,
    time_limit: float,
    hints: Fixes = (),
    first_only: bool = False,
    presolve_rounds: int | None = None,
    workers: int | None = None,
    stall_seconds: float | None = None,
) -> tuple[Values, float] | None:
    """The full model with some choices fixed: every variable's value and the objective, or None
    (``first_only``: the first plan found, not the best in the time; ``presolve_rounds``: at
    most that many rounds of CP-SAT's presolve; ``workers``: fewer search workers than the
    options give, the clock still deciding; ``stall_seconds``: stop sooner once that long
    passes without a better plan, ignored where the run must be reproducible)."""
    fixed = built.model.clone()
    for var, value in fixes:
        fixed.add(fixed.get_int_var_from_proto_index(var.index) == value)
    fixed.clear_hints()
    for var, value in hints:
        fixed.add_hint(fixed.get_int_var_from_proto_index(var.index), value)
    solver = cp_model.CpSolver()
    _configure(solver, options, time_limit)
    solver.parameters.stop_after_first_solution = first_only
    if presolve_rounds is not None:
        solver.parameters.max_presolve_iterations = presolve_rounds
    if workers is not None:
        solver.parameters.num_workers = min(workers, options.workers)
    code = stopper.run(solver, fixed, stall_seconds=None if options.workers == 1 else stall_seconds)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    values = [solver.value(fixed.get_int_var_from_proto_index(i)) for i in range(len(fixed.proto.variables))]
    return values, solver.objective_value


def _first_plan(
    scenario: Scenario,
    built: BuiltModel,
    skeleton: Skeleton,
    options: SolveOptions,
    stopper: _Stopper,
    tracker: _Tracker,
) -> tuple[Values, float] | None | bool:
    """Stage 1. A plan's values and objective; None if none was found; False if the coarse
    model proved that no plan exists."""
    cand = built.candidates
    share = FIRST_PLAN_SHARE * options.time_limit
    found = None
    if skeleton.complete:
        hints = _route_hints(built, skeleton)
        found = _solve_fixed(built, skeleton_fixes(built, skeleton), options, stopper, share, hints)
        if found is not None:
            tracker.plan(found[1])
            return _polish_routes(built, skeleton, found, options, stopper, tracker)
    if found is None and not stopper.interrupted:
        coarse = build_model(scenario, timed=False, cand=cand)
        solver = cp_model.CpSolver()
        _configure(solver, options, COARSE_SHARE * options.time_limit)
        code = stopper.run(solver, coarse.model)
        if code == cp_model.INFEASIBLE:
            return False
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # the coarse model is a relaxation: its bound holds for the full model
            tracker.new_bound(solver.best_objective_bound)
            found = _solve_fixed(built, _coarse_fixes(built, coarse, solver.value), options, stopper, share)
    if found is not None:
        tracker.plan(found[1])
    return found


def _polish_routes(
    built: BuiltModel,
    skeleton: Skeleton,
    found: tuple[Values, float],
    options: SolveOptions,
    stopper: _Stopper,
    tracker: _Tracker,
) -> tuple[Values, float]:
    """Stage 1b: improve the constructive routes by local search and complete them again; the
    completed constructive plan stays when that is no better."""
    seconds = (ROUTE_SHARE_WHEN_SLACK if time_is_slack(built.candidates) else ROUTE_SHARE) * options.time_limit
    better = improve_routes(built.candidates, skeleton, seconds, options.seed, lambda: stopper.interrupted)
    if better == skeleton or stopper.interrupted:
        return found
    share = FIRST_PLAN_SHARE * options.time_limit
    polished = _solve_fixed(built, skeleton_fixes(built, better), options, stopper, share, _route_hints(built, better))
    if polished is None or polished[1] >= found[1] - 0.5:
        return found
    tracker.plan(polished[1])
    return polished


def _hint_all(model: cp_model.CpModel, values: Values) -> None:
    model.clear_hints()
    for index, value in enumerate(values):
        model.add_hint(model.get_int_var_from_proto_index(index), value)


_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.UNKNOWN: SolveStatus.NO_PLAN_IN_TIME,
    cp_model.MODEL_INVALID: SolveStatus.MODEL_INVALID,
}


def solve(
    scenario: Scenario,
    options: SolveOptions = SolveOptions(),
    on_progress: Callable[[Progress], None] | None = None,
) -> Result:
    """Plan the scenario; the result holds the plan when one was found."""
    started = time.monotonic()
    cand = Candidates(scenario)
    if solve_by_class(cand):
        result = _solve_by_class(scenario, cand, options, on_progress, started)
        if result.plan is not None or result.stats.interrupted or too_large_to_model_whole(cand):
            return result
        # one class at a time found no plan (say, lodging too tight for the construction): the
        # whole model, with its untimed fallback, gets the time left
    skeleton = construct(cand)
    built = build_model(scenario, cand=cand)
    tracker = _Tracker(on_progress, started)
    best: tuple[Values, float] | None = None
    code = cp_model.UNKNOWN
    final: cp_model.CpSolver | None = None

    budget = _Budget(options, started)

    with _stop_on_signals(options.handle_signals) as stopper:
        stopper.budget = budget
        first = _first_plan(scenario, built, skeleton, options, stopper, tracker)
        if first is False:
            code = cp_model.INFEASIBLE
        else:
            best = first
            if best is not None and not stopper.interrupted:
                until = LNS_SHARE if time_is_slack(built.candidates) else COARSE_POLISH_UNTIL
                best = _coarse_polish(built, options, stopper, tracker, best, budget.left_until(until))
            if best is not None and not stopper.interrupted:
                best = _improve(built, options, stopper, tracker, best, lambda: budget.left_until(LNS_SHARE))
            if best is not None:
                _hint_all(built.model, best[0])
            if not stopper.interrupted and budget.left() > 0.1:
                final = cp_model.CpSolver()
                _configure(final, options, budget.left())
                code = stopper.run(final, built.model, _Callback(tracker))
    if code == cp_model.MODEL_INVALID:
        raise ModelInvalidError(built.model.validate() or "CP-SAT reported MODEL_INVALID")

    status = _STATUS[code]
    if final is not None and code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # only a search that got going has a bound worth the name (an unknown one reports 0)
        tracker.new_bound(final.best_objective_bound)
    value: Callable[[object], int] | None = None
    objective = None
    if final is not None and status.has_plan and (best is None or final.objective_value <= best[1]):
        value, objective = final.value, final.objective_value
        tracker.new_bound(final.best_objective_bound)
    elif best is not None:
        values = best[0]
        value, objective = (lambda var: values[var.index]), best[1]
        status = SolveStatus.FEASIBLE
    elif final is not None and status.has_plan:
        value, objective = final.value, final.objective_value

    plan = None
    terms: dict[str, int] = {}
    bound = tracker.bound if tracker.bound > -math.inf else None
    if value is not None and objective is not None:
        plan = extract_plan(built.candidates, built.variables, value)
        terms = _term_values(built, value)
        if bound is not None and objective - bound < 0.5:
            status = SolveStatus.OPTIMAL
    return Result(_stats(status, objective, bound, tracker, options, stopper), plan, terms)


def class_solver(
    options: SolveOptions, stopper: _Stopper, workers: Callable[[], int | None] = lambda: None
) -> by_class.Solver:
    """How ``by_class`` solves one class: the model on its cut-down candidates, with the
    skeleton's nights and visits fixed (``keep``, the first plan found) or as hints;
    ``workers()``: fewer search workers than the options give, for now."""

    def solve_class(sub, sub_cand, sub_skeleton, keep, seconds, first_only):
        built = build_model(sub, cand=sub_cand)
        choices, routes = skeleton_fixes(built, sub_skeleton), _route_hints(built, sub_skeleton)
        fixes, hints = (choices, routes) if keep else ([], choices + routes)
        # A class's presolve is most of a completion's time (0.2-0.6 s against a few hundredths
        # for the search) and its later rounds gain nothing here: one round halved the 40 class
        # completions of the 40 x 14 programme (20 s to 10 s of CP-SAT), and left more of each
        # re-plan's slice to the search (16 x 10 at 60 s: 2222-2482 against 2439-2946).
        stall = None if keep or first_only else CLASS_STALL_SECONDS
        found = _solve_fixed(built, fixes, options, stopper, seconds, hints, first_only, 1, workers(), stall)
        return None if found is None else _plan_and_terms(built, found[0])

    return solve_class


def _plan_and_terms(built: BuiltModel, values: Values) -> tuple[Plan, dict[str, int]]:
    """The plan and the objective terms that a solve's variable values give."""

    def value(var):
        return values[var.index]

    return extract_plan(built.candidates, built.variables, value), _term_values(built, value)


def _solve_by_class(
    scenario: Scenario,
    cand: Candidates,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None,
    started: float,
) -> Result:
    """A programme of several classes, one class at a time (``by_class``) on candidates cut down
    around the constructive plan: its plan is checked like any other; the search proves nothing,
    and the bound, where the programme is small enough (``focus.bounded_by_weeks``), is the week
    bound, computed beside the search (``_WeekBoundAside``)."""
    tracker = _Tracker(on_progress, started)
    budget = _Budget(options, started)
    modelled_whole_last = not too_large_to_model_whole(cand)
    reserve = min(BALANCE_SECONDS, BALANCE_SHARE * options.time_limit) if modelled_whole_last else 0.0

    parts = None
    with _stop_on_signals(options.handle_signals) as stopper:
        stopper.budget = budget
        bound: _WeekBoundAside | None = None
        # while the bound's process works, the search leaves it a core
        solve_class = class_solver(options, stopper, lambda: 1 if bound is not None and bound.needs_a_core else None)

        def interrupted() -> bool:
            return stopper.interrupted

        def done() -> bool:
            """Interrupted, or the best plan meets the bound: nothing is left to find."""
            return stopper.interrupted or tracker.best <= tracker.bound

        slice_seconds = max(1.0, min(CLASS_SLICE_SECONDS, options.time_limit / 20))
        # each class is completed while the construction plans the next
        planned = by_class.Ahead(planned_in_turn(cand))
        parts = by_class.first_plan(scenario, cand, planned, solve_class, budget.left, interrupted)
        planned.stop()
        if parts is None and planned.failed and not stopper.interrupted:
            # a class the construction could not plan: construct again with it first
            skeleton = construct(cand)
            if skeleton.complete:
                planned_again = skeleton.days.items()
                parts = by_class.first_plan(scenario, cand, planned_again, solve_class, budget.left, interrupted)
        plan, terms = None, {}
        if parts is not None and not stopper.interrupted:
            tracker.plan(sum(by_class.joined(scenario, cand, parts)[1].values()))
            if bounded_by_weeks(cand):  # started after the first plan, which it would slow down
                bound = _WeekBoundAside(cand, options, tracker)
            parts = by_class.improve(
                scenario,
                cand,
                parts,
                solve_class,
                lambda: budget.left() - reserve,
                tracker.plan,
                slice_seconds,
                done,
                bound.weeks if bound else list,
                # the plan from the bound's weeks is worth the bound's core for a few seconds:
                # Dalian's rural class, solved freely in 2 s, came to 507 on one worker and to
                # 355 on two
                class_solver(options, stopper),
            )
        if parts is not None:
            plan, terms = by_class.joined(scenario, cand, parts)
            if modelled_whole_last and not done() and budget.left() > 0.5:
                # last, the whole model re-times the plan and weighs the lecturers' balance
                found = _completed_whole(scenario, cand, parts, options, stopper, budget.left())
                if found is not None and found[2] < sum(terms.values()) - 0.5:
                    plan, terms, objective = found
                    tracker.plan(objective)
        proven = bound.finish(budget.left(), interrupted) if bound else None
    status = SolveStatus.FEASIBLE if plan is not None else SolveStatus.NO_PLAN_IN_TIME
    objective = sum(terms.values()) if plan is not None else None
    if objective is not None and proven is not None and objective <= proven:
        status = SolveStatus.OPTIMAL
    return Result(_stats(status, objective, proven, tracker, options, stopper, focused=True), plan, terms)


class _WeekBoundAside:
    """The week bound (``week_bound``) of a programme solved one class at a time, computed in a
    separate process while the classes are searched (in a thread, its Python would hold the
    interpreter lock the search needs to build its models: the first plan of Dalian took 14 s
    instead of 1). Each better bound reaches the tracker as it is found, with its weeks, which
    ``by_class.improve`` plans the programme from.

    With one worker the run must be reproducible, so the bound is computed first, in this
    process and to the end, and its weeks are known from the start of the search (a race with
    the wall clock would decide otherwise)."""

    def __init__(self, cand: Candidates, options: SolveOptions, tracker: _Tracker):
        self.result: WeekBound | None = None
        self._best: int | None = None
        self._weeks: list[Weeks] = []
        """Each distinct set of weeks heard, in order."""
        self._tracker = tracker
        if options.workers == 1:
            self.result = week_bound(cand, math.inf, on_bound=self._heard, max_sides=REPRODUCIBLE_SIDES)
            self._process = None
            return
        context = multiprocessing.get_context("spawn")
        self._messages = context.Queue()
        self._stop = context.Event()
        self._process = context.Process(
            target=_week_bound_process,
            args=(cand.scenario, options.time_limit, self._stop, self._messages),
            daemon=True,
        )
        self._process.start()
        self._listener = threading.Thread(target=self._listen, daemon=True)
        self._listener.start()

    def _heard(self, bound: int, weeks: Weeks) -> None:
        self._best = bound
        self._keep(weeks)
        self._tracker.new_bound(bound)

    def _keep(self, weeks: Weeks) -> None:
        if weeks and weeks not in self._weeks:
            self._weeks = [*self._weeks, weeks]  # a new list: the search may be reading the old

    def _listen(self) -> None:
        while True:
            try:
                message = self._messages.get()
            except (EOFError, OSError, ValueError):  # the process was ended mid-message
                return
            if isinstance(message, WeekBound):
                self.result = message
                self._keep(message.weeks)
                return
            self._heard(*message)

    @property
    def needs_a_core(self) -> bool:
        """Whether the bound's process is still at work. It runs at the search's priority, and
        the search leaves it a core (one CP-SAT worker) until it is done: its weeks plan better
        than the search alone, and only it can prove a plan optimal. Dalian: the bound ends at
        841 after 24-26 s, and the plan made from its weeks is 841, proven optimal; with the
        branching at niceness 10 beside two workers (and 14 tracked sites) it had reached only
        832 by 60 s, and in session 7, with the whole bound at niceness 10, it came after 50 s
        or not at all on a busy machine."""
        return self._process is not None and self._listener.is_alive()

    def weeks(self) -> list[dict[str, list[DayChoice]]]:
        """Each set of weeks heard so far, in order, each class's as construction days: with
        one worker, every set the bound went through is known at once (``by_class.improve``
        tries the newest first: Dalian's last set, every class's real week, plans 841)."""
        return [
            {
                class_id: [DayChoice(tuple(sorted(sites)), end) for sites, end in days]
                for class_id, days in weeks.items()
            }
            for weeks in self._weeks
        ]

    def finish(self, seconds: float, interrupted: Callable[[], bool]) -> int | None:
        """Let the bound run for at most ``seconds`` more (the search may end before the time
        limit) unless interrupted, then stop it where it is; its best value, or None if it had
        none yet."""
        if self._process is not None:
            deadline = time.monotonic() + seconds
            while self._listener.is_alive() and time.monotonic() < deadline and not interrupted():
                self._listener.join(timeout=0.1)
            self._stop.set()
            self._listener.join(timeout=FINISH_SECONDS)
            if self._process.is_alive():
                self._process.terminate()
        return self.result.bound if self.result is not None else self._best


REPRODUCIBLE_SIDES = 200
"""Most sides of the week bound's branching with one worker, where the bound runs before the
search and its work must not depend on the clock (Dalian settles in 50: 17 for the private
class, 33 for the rural one)."""

FINISH_SECONDS = 1.0
"""How long the end of a solve waits for the week bound to stop before it ends the bound's
process; each better bound has been heard already, so little is lost (a pricing round on
Dalian can take a few seconds; with 3 s here, a 60 s run ended at 62.4 s)."""


def _week_bound_process(scenario: Scenario, seconds: float, stop, messages) -> None:
    """The week bound in its own process: each better bound, then the result, on ``messages``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the solve decides

    try:
        result = week_bound(
            Candidates(scenario),
            seconds,
            should_stop=stop.is_set,
            on_bound=lambda *news: messages.put(news),
        )
    except Exception as error:  # the bound is an extra: its failure must not spoil the plan's output
        result = WeekBound(None, 0, 0, 0.0, f"internal error: {error!r}")
    messages.put(result)


def _completed_whole(
    scenario: Scenario,
    cand: Candidates,
    parts: dict[str, by_class.ClassPlan],
    options: SolveOptions,
    stopper: _Stopper,
    seconds: float,
) -> tuple[Plan, dict[str, int], float] | None:
    """The classes' nights and visits fixed in the whole model, which sets clock times and
    lecturers again: the plan, its terms and objective, or None if none was found in time.
    Unlike any class's own model it weighs the lecturers' balance."""
    built = build_model(scenario, cand=cand)
    skeleton = Skeleton({class_id: part.skeleton for class_id, part in parts.items()})
    found = _solve_fixed(
        built, skeleton_fixes(built, skeleton), options, stopper, seconds, _route_hints(built, skeleton)
    )
    if found is None:
        return None
    values, objective = found
    return *_plan_and_terms(built, values), objective


def _stats(
    status: SolveStatus,
    objective: float | None,
    bound: float | None,
    tracker: _Tracker,
    options: SolveOptions,
    stopper: _Stopper,
    focused: bool = False,
) -> SolverStats:
    return SolverStats(
        status=status,
        objective=objective,
        best_bound=bound,
        seconds=time.monotonic() - tracker.started,
        first_plan_seconds=tracker.first_plan_seconds,
        plans_found=tracker.plans_found,
        workers=options.workers,
        seed=options.seed,
        time_limit=options.time_limit,
        interrupted=stopper.interrupted,
        focused=focused,
    )


def _coarse_hints(built: BuiltModel, coarse: BuiltModel, values: Values) -> Fixes:
    """The plan's nights, visits, legs and lecturers as hints for the coarse model."""
    pairs: Fixes = []
    for key, places in coarse.variables.nights.items():
        pairs += [(lit, values[built.variables.nights[key][p].index]) for p, lit in places.items()]
    for key, day_vars in coarse.variables.class_days.items():
        full = built.variables.class_days[key]
        pairs += [(visit.present, values[full.visits[s].present.index]) for s, visit in day_vars.visits.items()]
        pairs += [(a.used, values[b.used.index]) for a, b in zip(day_vars.arcs, full.arcs, strict=True)]
    for session, full in zip(coarse.variables.sessions, built.variables.sessions, strict=True):
        pairs += [(lit, values[full.slot[key].index]) for key, lit in session.slot.items()]
        pairs += [(lit, values[full.lecturer[l].index]) for l, lit in session.lecturer.items()]
    return pairs


def _coarse_polish(
    built: BuiltModel,
    options: SolveOptions,
    stopper: _Stopper,
    tracker: _Tracker,
    best: tuple[Values, float],
    seconds: float,
) -> tuple[Values, float]:
    """Stage 2a: search the untimed model (routes, nights, visits and lecturers without clock
    times) from the current plan, then give its best routes clock times in the full model.

    Without clock times CP-SAT moves far faster through which sites to visit and in what order;
    where time is slack (wide opening hours, short days) little is lost, and where it is not
    the full model simply rejects the routes and the current plan stays."""
    started = time.monotonic()
    slack = time_is_slack(built.candidates)
    # where no clock time can bind, the untimed model is the whole problem: one long search
    slice_seconds = seconds if slack else max(3.0, COARSE_SLICE * options.time_limit)
    coarse: BuiltModel | None = None
    # slices while they pay: a slice whose routes the full model cannot time, or that finds
    # nothing better, ends the stage (on a programme with tight days it costs one slice)
    while not stopper.interrupted and seconds - (time.monotonic() - started) >= 1.0:
        left = seconds - (time.monotonic() - started)
        if coarse is None:
            coarse = build_model(built.candidates.scenario, timed=False, cand=built.candidates)
        coarse.model.clear_hints()
        for var, value in _coarse_hints(built, coarse, best[0]):
            coarse.model.add_hint(var, value)
        solver = cp_model.CpSolver()
        _configure(solver, options, min(slice_seconds, 0.8 * left))
        code = stopper.run(solver, coarse.model)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        # the untimed model is a relaxation of the full one: its bound holds for every plan
        tracker.new_bound(solver.best_objective_bound)
        if solver.objective_value >= best[1] - 0.5:
            break
        completion = max(1.0, min(slice_seconds, seconds - (time.monotonic() - started)))
        found = _solve_fixed(built, _coarse_fixes(built, coarse, solver.value), options, stopper, completion)
        if found is None or found[1] >= best[1] - 0.5:
            break
        tracker.plan(found[1])
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
            begin, end = frame.earliest_departure, scenario.latest_return_on(day)
            if any(s.hours.open > begin or s.hours.close < end for s in sites):
                return False
            driving = math.ceil(scenario.max_coach_minutes_on(day)) + len(sites) + 1  # rounding up per leg
            rests = rest_stops_needed(driving, limits.max_continuous_drive_minutes) * limits.rest_stop_minutes
            visits = sum(sorted((s.visit_minutes for s in sites), reverse=True)[: req.max_visits_per_day])
            # back at the evening place in time to eat there, whatever the route
            if begin + driving + rests + visits > min(end, frame.lunch.latest - frame.lunch.minutes):
                return False
    return True


def _improve(
    built: BuiltModel,
    options: SolveOptions,
    stopper: _Stopper,
    tracker: _Tracker,
    best: tuple[Values, float],
    time_left: Callable[[], float],
) -> tuple[Values, float]:
    """Stage 2: large-neighbourhood search over classes and days."""
    scenario = built.candidates.scenario

    values, objective = improve(
        built.model,
        built.variables,
        [k.id for k in scenario.classes],
        scenario.programme.days,
        best[0],
        best[1],
        time_left,
        configure=lambda solver, seconds: _configure(solver, options, seconds),
        on_better=lambda _values, objective: tracker.plan(objective),
        should_stop=lambda: stopper.interrupted,
        run=stopper.run,
        nearest=_nearest_sites(built.candidates),
        seed=options.seed,
    )
    return values, objective


def _nearest_sites(cand: Candidates) -> dict[str, list[str]]:
    """For each site, every site from the nearest to the farthest (by driving), for site parts."""
    place = {site.id: site.place for site in cand.scenario.sites}
    drive = cand.travel.driving_hundredths
    return {a: sorted(place, key=lambda b: (drive(place[a], place[b]), b)) for a in place}


def _term_values(built: BuiltModel, value: Callable[[object], int]) -> dict[str, int]:
    """Each named objective term's value in the plan (a name may cover several days' variables,
    e.g. a class's visit to a site, whichever day it falls on)."""
    result: dict[str, int] = {}
    for name, expr in built.terms:
        flat = FlatIntExpr(expr)
        result[name] = result.get(name, 0) + sum(c * value(v) for c, v in zip(flat.coeffs, flat.vars, strict=True))
        result[name] += flat.offset
    return result
