"""Build the CP-SAT model, solve it, and return a ``Result``.

Progress (objective and bound as they improve) goes to an optional callback; SIGINT and
SIGTERM stop the search cleanly and keep the best plan found so far.
"""

from __future__ import annotations

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
from .extract import extract_plan
from .objective import build_objective
from .variables import Variables, build_variables


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


def build_model(scenario: Scenario) -> BuiltModel:
    """The whole CP-SAT model of a scenario: variables, hard rules and soft goals."""
    model = cp_model.CpModel()
    cand = Candidates(scenario)
    variables = build_variables(model, cand)
    add_all(model, cand, variables)
    terms = build_objective(model, cand, variables)
    return BuiltModel(model, cand, variables, terms)


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_progress: Callable[[Progress], None] | None):
        super().__init__()
        self.started = time.monotonic()
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


@contextmanager
def _stop_on_signals(solver: cp_model.CpSolver, enabled: bool) -> Iterator[list[bool]]:
    """First SIGINT/SIGTERM stops the search (the best plan is kept); a second one aborts."""
    interrupted = [False]
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield interrupted
        return

    def handler(signum, frame):
        if interrupted[0]:
            raise KeyboardInterrupt
        interrupted[0] = True
        solver.stop_search()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield interrupted
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
    built = build_model(scenario)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = options.time_limit
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = options.seed
    solver.parameters.log_search_progress = options.log_search
    watcher = _Watcher(on_progress)
    with _stop_on_signals(solver, options.handle_signals) as interrupted:
        code = solver.solve(built.model, watcher)
    status = _STATUS[code]
    if status is SolveStatus.MODEL_INVALID:
        raise ModelInvalidError(built.model.validate() or "CP-SAT reported MODEL_INVALID")
    plan = None
    objective = bound = None
    terms: dict[str, int] = {}
    if status.has_plan:
        plan = extract_plan(built.candidates, built.variables, solver.value)
        objective, bound = solver.objective_value, solver.best_objective_bound
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
