"""Build the CP-SAT model, solve it, and return a ``Result``.

Progress (objective and bound as they improve) goes to an optional callback; SIGINT and
SIGTERM stop the search cleanly and keep the best plan found so far.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..plan import Result, SolverStats, SolveStatus
from ..scenario import Scenario
from .candidates import Candidates
from .constraints import add_all
from .construct import Skeleton, construct
from .extract import extract_plan
from .objective import build_objective
from .variables import Variables, build_variables


COARSE_SHARE = 0.25
"""Share of the time limit given to the coarse first stage."""
REPAIR_SHARE = 0.15
"""Share of the time limit given to timing the coarse stage's choices."""


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

    ``timed=False`` builds the coarse first stage (no clock times, only day budgets).
    """
    model = cp_model.CpModel()
    cand = cand or Candidates(scenario)
    variables = build_variables(model, cand)
    add_all(model, cand, variables, timed=timed)
    terms = build_objective(model, cand, variables)
    return BuiltModel(model, cand, variables, terms)


def _hint_from(full: BuiltModel, coarse: BuiltModel, value: Callable[[object], int]) -> None:
    """Hint the full model with the coarse stage's nights, visits, routes and lecturers."""
    pairs: list[tuple[object, object]] = []
    for key, places in full.variables.nights.items():
        pairs += [(lit, coarse.variables.nights[key][p]) for p, lit in places.items()]
    for key, day_vars in full.variables.class_days.items():
        other = coarse.variables.class_days[key]
        pairs += [(visit.present, other.visits[s].present) for s, visit in day_vars.visits.items()]
        pairs += [(a.used, b.used) for a, b in zip(day_vars.arcs, other.arcs)]
        pairs += [(day_vars.seminar_hours, other.seminar_hours), (day_vars.writing_hours, other.writing_hours)]
    for session, other in zip(full.variables.sessions, coarse.variables.sessions):
        pairs += [(lit, other.slot[key]) for key, lit in session.slot.items()]
        pairs += [(lit, other.lecturer[l]) for l, lit in session.lecturer.items()]
    for var, source in pairs:
        full.model.add_hint(var, value(source))


def _skeleton_fixes(built: BuiltModel, skeleton: Skeleton) -> list[tuple[cp_model.IntVar, int]]:
    """The constructive plan's nights and visits, as (variable, value) pairs."""
    fixes: list[tuple[cp_model.IntVar, int]] = []
    last = built.candidates.scenario.programme.days - 1
    for class_id, days in skeleton.days.items():
        for day, choice in enumerate(days or ()):
            if day < last:
                fixes += [(lit, int(p == choice.end_place)) for p, lit in built.variables.nights[(class_id, day)].items()]
            visits = built.variables.class_days[(class_id, day)].visits
            fixes += [(visit.present, int(site in choice.sites)) for site, visit in visits.items()]
    return fixes


def _coarse_fixes(built: BuiltModel, coarse: BuiltModel, value: Callable[[object], int]) -> list[tuple[cp_model.IntVar, int]]:
    """The coarse stage's nights, visits, legs and lecturers, as (variable, value) pairs."""
    _hint_from(built, coarse, value)
    hints = built.model.proto.solution_hint
    return [(built.model.get_int_var_from_proto_index(i), v) for i, v in zip(hints.vars, hints.values)]


def _repair(
    built: BuiltModel, fixes: list[tuple[cp_model.IntVar, int]], options: SolveOptions, stopper: _Stopper, time_limit: float
) -> list[int] | None:
    """Solve the full model with some choices fixed; every variable's value, or None."""
    fixed = built.model.clone()
    for var, value in fixes:
        fixed.add(fixed.get_int_var_from_proto_index(var.index) == value)
    solver = cp_model.CpSolver()
    _configure(solver, options, time_limit)
    stopper.solver = solver
    code = solver.solve(fixed)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [solver.value(fixed.get_int_var_from_proto_index(i)) for i in range(len(fixed.proto.variables))]


def _hint_everything(built: BuiltModel, values: list[int]) -> None:
    built.model.clear_hints()
    for index, value in enumerate(values):
        built.model.add_hint(built.model.get_int_var_from_proto_index(index), value)


def _configure(solver: cp_model.CpSolver, options: SolveOptions, time_limit: float) -> None:
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = options.seed
    solver.parameters.log_search_progress = options.log_search
    # Probing in presolve costs seconds on the day circuits and finds little here.
    solver.parameters.cp_model_probing_level = 0


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_progress: Callable[[Progress], None] | None, started: float):
        super().__init__()
        self.started = started
        self.first_plan_seconds: float | None = None
        self.plans_found = 0
        self.on_progress = on_progress

    def on_solution_callback(self) -> None:
        self.plans_found += 1
        seconds = time.monotonic() - self.started
        if self.first_plan_seconds is None:
            self.first_plan_seconds = seconds
        if self.on_progress is not None:
            self.on_progress(Progress(seconds, self.plans_found, self.objective_value, self.best_objective_bound))


class _Stopper:
    """Stops the running stage on the first SIGINT/SIGTERM; a second one aborts at once."""

    def __init__(self) -> None:
        self.solver: cp_model.CpSolver | None = None
        self.interrupted = False

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
    built = build_model(scenario, timed=True, cand=cand)
    watcher = _Watcher(on_progress, started)
    bound: float | None = None

    def remaining() -> float:
        return options.time_limit - (time.monotonic() - started)

    with _stop_on_signals(options.handle_signals) as stopper:
        # Stage 1: a constructive plan (nights and visits), completed with clock times and
        # lecturers by the full model with those choices fixed.
        first_plan = None
        skeleton = construct(cand)
        if skeleton.complete:
            first_plan = _repair(built, _skeleton_fixes(built, skeleton), options, stopper, REPAIR_SHARE * options.time_limit)
        code = None
        if first_plan is None and not stopper.interrupted:
            # Stage 1b: the coarse model (no clock times) chooses instead; a relaxation, so its
            # bound also holds for the full model.
            coarse = build_model(scenario, timed=False, cand=cand)
            first = cp_model.CpSolver()
            _configure(first, options, COARSE_SHARE * options.time_limit)
            stopper.solver = first
            coarse_code = first.solve(coarse.model)
            if coarse_code == cp_model.INFEASIBLE:
                code, solver = coarse_code, first
            elif coarse_code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                bound = first.best_objective_bound
                fixes = _coarse_fixes(built, coarse, first.value)
                first_plan = _repair(built, fixes, options, stopper, min(REPAIR_SHARE * options.time_limit, 0.5 * remaining()))
        if first_plan is not None:
            _hint_everything(built, first_plan)
        if code is None:
            # Stage 2: the full model, clock times and all, from the best hint there is.
            solver = cp_model.CpSolver()
            _configure(solver, options, remaining())
            stopper.solver = solver
            code = solver.solve(built.model, watcher) if not stopper.interrupted else cp_model.UNKNOWN
    interrupted = [stopper.interrupted]
    status = _STATUS[code]
    if status is SolveStatus.MODEL_INVALID:
        raise ModelInvalidError(built.model.validate() or "CP-SAT reported MODEL_INVALID")
    plan = None
    objective = None
    terms: dict[str, int] = {}
    if status.has_plan:
        plan = extract_plan(built.candidates, built.variables, solver.value)
        objective = solver.objective_value
        bound = max(solver.best_objective_bound, bound if bound is not None else -math.inf)
        if objective - bound < 0.5:
            status = SolveStatus.OPTIMAL
        terms = {name: int(solver.value(expr)) for name, expr in built.terms}
    stats = SolverStats(
        status=status,
        objective=objective,
        best_bound=bound,
        seconds=time.monotonic() - started,
        first_plan_seconds=watcher.first_plan_seconds,
        plans_found=watcher.plans_found,
        workers=options.workers,
        seed=options.seed,
        time_limit=options.time_limit,
        interrupted=interrupted[0],
    )
    return Result(stats, plan, terms)
