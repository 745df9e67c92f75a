"""The one place that configures and runs CP-SAT, and what every stage shares while it runs:
the time budget, the progress tracker, and the stopper that turns SIGINT/SIGTERM into a clean
stop with the best plan kept."""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager

from ortools.sat.python import cp_model

from scheduler.plan.model import Plan, SolverStats, SolveStatus
from scheduler.solver.cpsat.model import BuiltModel, Fixes, Incumbent, incumbent_plan
from scheduler.solver.options import Progress, SolveOptions


class ModelInvalidError(RuntimeError):
    """CP-SAT rejected the model: a bug in the model builder, never the user's fault."""


STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.UNKNOWN: SolveStatus.NO_PLAN_IN_TIME,
    cp_model.MODEL_INVALID: SolveStatus.MODEL_INVALID,
}


class Tracker:
    """Counts plans and reports each improvement, whichever stage finds it.

    ``on_plan``, when given, hears the better plans themselves (for figures worked out on the
    plan while the search goes on): at most one every ``plan_seconds``, the latest one; a plan
    held back by that pace goes out with the next report once the pace allows, unless a better
    one replaced it. It runs on the thread that found the plan, so it must return quickly."""

    def __init__(
        self,
        on_progress: Callable[[Progress], None] | None,
        started: float,
        on_plan: Callable[[Plan], None] | None = None,
        plan_seconds: float = 1.0,
    ):
        self.on_progress = on_progress
        self.on_plan = on_plan
        self.plan_seconds = plan_seconds
        self.started = started
        self.first_plan_seconds: float | None = None
        self.plans_found = 0
        self.best = math.inf
        self.bound = -math.inf
        self._waiting: Callable[[], Plan] | None = None
        self._plan_sent = -math.inf
        self._lock = threading.Lock()

    @property
    def wants_plans(self) -> bool:
        """Whether a stage should pass the plan it found (``plan(objective, plan)``)."""
        return self.on_plan is not None

    def plan(self, objective: float, plan: Callable[[], Plan] | None = None) -> None:
        """A plan of ``objective`` was found; ``plan`` makes it (called later, from any thread,
        so it must not read a running solver)."""
        self.plans_found += 1
        if self.first_plan_seconds is None:
            self.first_plan_seconds = time.monotonic() - self.started
        if objective < self.best:
            self.best = objective
            with self._lock:
                self._waiting = plan
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
        self._send_plan()

    def _send_plan(self) -> None:
        if self.on_plan is None:
            return
        with self._lock:
            now = time.monotonic()
            if self._waiting is None or now - self._plan_sent < self.plan_seconds:
                return
            make, self._waiting, self._plan_sent = self._waiting, None, now
        self.on_plan(make())


class ProgressCallback(cp_model.CpSolverSolutionCallback):
    """Tells the tracker of each plan CP-SAT finds on ``built``'s model (with the plan itself
    when the tracker wants plans)."""

    def __init__(self, tracker: Tracker, built: BuiltModel | None = None):
        super().__init__()
        self.tracker = tracker
        self.built = built

    def on_solution_callback(self) -> None:
        self.tracker.new_bound(self.best_objective_bound, report=False)
        plan = None
        if self.built is not None and self.tracker.wants_plans:
            # copied now: the solver's values are readable only during this call
            plan = incumbent_plan(self.built, Incumbent(list(self.response_proto.solution), self.objective_value))
        self.tracker.plan(self.objective_value, plan)


class LastImprovement(cp_model.CpSolverSolutionCallback):
    """Notes when the search last found a better plan."""

    def __init__(self) -> None:
        super().__init__()
        self.last: float | None = None

    def on_solution_callback(self) -> None:
        self.last = time.monotonic()

    def stalled_for(self) -> float:
        """Seconds since the last better plan; 0 while none is known."""
        return 0.0 if self.last is None else time.monotonic() - self.last


class Stopper:
    """Stops the running stage on the first SIGINT/SIGTERM; a second one aborts at once.

    Each solve runs in a worker thread while the main thread waits in Python, so that the
    signal handler runs at once rather than when CP-SAT returns.
    """

    def __init__(self) -> None:
        self._running: set[cp_model.CpSolver] = set()
        self.interrupted = False
        self.budget: Budget | None = None

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
        place of ``callback``. Several threads may run a solve each at once (``Race``): a
        signal stops them all."""
        if self.interrupted:
            return cp_model.UNKNOWN
        solver.parameters.catch_sigint_signal = False
        if stall_seconds is not None:
            assert callback is None, "a stall limit watches the plans itself"
            callback = LastImprovement()
        self._running.add(solver)
        try:
            with ThreadPoolExecutor(max_workers=1) as pool:
                future = pool.submit(solver.solve, model, callback)
                while True:
                    try:
                        code = future.result(timeout=0.1 if stall_seconds is None else 0.05)
                        break
                    except FutureTimeout:
                        if self.interrupted or (stall_seconds is not None and callback.stalled_for() > stall_seconds):
                            solver.stop_search()  # again: one asked for before the search began is lost
                        continue
        finally:
            self._running.discard(solver)
        if self.budget is not None:
            self.budget.charge(solver)
        return code

    def __call__(self, signum, frame) -> None:
        if self.interrupted:
            raise KeyboardInterrupt
        self.interrupted = True
        for solver in list(self._running):
            solver.stop_search()


class Race:
    """Two ways to the same first plan run side by side; the first to find one stops the other
    (see ``first_of``). ``solve_fixed(..., race=...)`` enters its solver here."""

    def __init__(self) -> None:
        self._solvers: list[cp_model.CpSolver] = []
        self.over = threading.Event()

    def enter(self, solver: cp_model.CpSolver) -> None:
        self._solvers.append(solver)
        if self.over.is_set():
            solver.stop_search()

    def stop_all(self) -> None:
        self.over.set()
        for solver in list(self._solvers):
            solver.stop_search()

    def first_of(self, first: Callable[[], object | None], second: Callable[[], object | None], head_start: float):
        """``first()``'s result if it has one within ``head_start`` seconds; else ``first()`` and
        ``second()`` side by side, the first result that is not None (the other stopped); None
        if neither has one."""
        with ThreadPoolExecutor(max_workers=2) as pool:
            early = pool.submit(first)
            try:
                found = early.result(timeout=head_start)
                return found if found is not None else second()  # ended without a plan: nothing to race
            except FutureTimeout:
                pass
            late = pool.submit(second)
            pending = {early, late}
            found = None
            while pending:
                done, pending = wait(pending, timeout=0.05, return_when=FIRST_COMPLETED)
                found = next((f.result() for f in done if f.result() is not None), None)
                if found is not None:
                    break
            self.stop_all()
            while pending:  # the loser, stopped (again, should the first stop have come before its search began)
                done, pending = wait(pending, timeout=0.05)
                self.stop_all()
            return found


@contextmanager
def stop_on_signals(enabled: bool) -> Iterator[Stopper]:
    stopper = Stopper()
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield stopper
        return
    previous = {sig: signal.signal(sig, stopper) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stopper
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


class Budget:
    """The time limit and what is spent of it, in seconds.

    Where the run must be reproducible (``SolveOptions.reproducible``), what is spent is
    CP-SAT's deterministic time summed over the stages, counted at
    ``[cpsat] deterministic_per_second`` to the second, rather than the wall clock; and the clock
    still ends the run at ``reproducible_clock_cap`` times its limit (on a machine much slower
    than that rate assumes), which ``cut_by_clock`` then says: such a run may not be reproduced.
    """

    def __init__(self, options: SolveOptions, started: float):
        self.limit = options.time_limit
        self.deterministic = options.reproducible
        self.started = started
        self.deterministic_spent = 0.0
        self.rate = options.params.cpsat.deterministic_per_second
        self.clock_cap = options.params.cpsat.reproducible_clock_cap * options.time_limit
        self.cut_by_clock = False
        """The clock, not the work done, decided how long a stage of this reproducible run was."""

    def spent(self) -> float:
        clock = time.monotonic() - self.started
        return self.deterministic_spent / self.rate if self.deterministic else clock

    def left(self) -> float:
        return self.left_until(1.0)

    def left_until(self, share: float) -> float:
        """Time left before ``share`` of the limit is spent: none once a reproducible run is
        past its clock cap."""
        left = share * self.limit - self.spent()
        if self.deterministic and left > 0 and time.monotonic() - self.started >= self.clock_cap:
            self.cut_by_clock = True
            return 0.0
        return left

    def charge_work(self, seconds: float) -> None:
        """Count ``seconds`` of work done outside CP-SAT, measured by a count of that work (not
        the clock), so that a reproducible run stays reproducible and still ends near its limit."""
        self.deterministic_spent += seconds * self.rate

    def charge(self, solver: cp_model.CpSolver) -> None:
        """Count a search's deterministic time; note a reproducible search that its wall-clock
        safety net (``configure``) ended before its deterministic limit."""
        self.deterministic_spent += solver.deterministic_time
        limits = solver.parameters
        if (
            self.deterministic
            and solver.deterministic_time < 0.99 * limits.max_deterministic_time
            and solver.wall_time >= 0.99 * limits.max_time_in_seconds
        ):
            self.cut_by_clock = True


def configure(
    solver: cp_model.CpSolver,
    options: SolveOptions,
    time_limit: float,
    *,
    workers: int | None = None,
    wall_clock: bool = False,
    first_only: bool = False,
    presolve: bool = True,
    presolve_rounds: int | None = None,
    linearization_level: int | None = None,
    follow_hints: bool = False,
) -> None:
    """Set CP-SAT's parameters for one search: the one place they are set.

    The time limit is CP-SAT's deterministic time where the run must be reproducible
    (``SolveOptions.reproducible``, with one worker; ``wall_clock`` says otherwise, for
    checks that are reproducible by their answer alone), else seconds. ``workers``: fewer
    search workers than the options give;
    ``first_only``: stop at the first solution; ``presolve``/``presolve_rounds``: no presolve,
    or at most that many rounds; ``linearization_level``: how much of the model goes into the LP;
    ``follow_hints``: branch on the hinted variables first, towards their hinted values, with no
    LP (where the hints are nearly a plan, the LP only slows the way to it).
    """
    time_limit = max(0.05, time_limit)
    if options.reproducible and not wall_clock:
        cpsat = options.params.cpsat
        solver.parameters.max_deterministic_time = time_limit * cpsat.deterministic_per_second
        # a wall-clock safety net for one search, at the run's own cap (``Budget``)
        solver.parameters.max_time_in_seconds = cpsat.reproducible_clock_cap * time_limit + 1
    else:
        solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = options.workers if workers is None else min(workers, options.workers)
    if options.reproducible and not wall_clock:
        # One worker is deterministic by itself. CP-SAT's deterministic parallel search
        # (``interleave_search``) was measured slower on the many small searches a solve makes
        # (bench/README.md), and OR-Tools 9.15 aborts the process on some models searched
        # interleaved for a first solution (``heuristics.fixed_search != nullptr``).
        solver.parameters.num_workers = 1
    solver.parameters.random_seed = options.seed
    # the solve handles Ctrl-C itself (``stop_on_signals``); CP-SAT's own handler would leave
    # SIGINT at its default, which ends the process, once its search is over
    solver.parameters.catch_sigint_signal = False
    solver.parameters.log_search_progress = options.log_search
    solver.parameters.cp_model_probing_level = options.params.cpsat.probing_level
    solver.parameters.stop_after_first_solution = first_only
    if not presolve:
        solver.parameters.cp_model_presolve = False
    if presolve_rounds is not None:
        solver.parameters.max_presolve_iterations = presolve_rounds
    if linearization_level is not None:
        solver.parameters.linearization_level = linearization_level
    if follow_hints:
        solver.parameters.search_branching = cp_model.HINT_SEARCH
        solver.parameters.linearization_level = 0


def solve_fixed(
    built: BuiltModel,
    fixes: Fixes,
    options: SolveOptions,
    stopper: Stopper,
    *,
    time_limit: float,
    hints: Fixes = (),
    first_only: bool = False,
    presolve: bool = True,
    presolve_rounds: int | None = None,
    workers: int | None = None,
    stall_seconds: float | None = None,
    budget: Budget | None = None,
    race: Race | None = None,
    follow_hints: bool = False,
) -> Incumbent | None:
    """The full model with some choices fixed: its best plan in the time, or None
    (``first_only``: the first plan found, not the best in the time; ``presolve``: False for
    none; ``presolve_rounds``: at most that many rounds of CP-SAT's presolve; ``workers``:
    fewer search workers than the options give, the clock still deciding; ``stall_seconds``: stop sooner once that long
    passes without a better plan, ignored where the run must be reproducible; ``budget``: the
    run's budget, charged with what the search spent; ``race``: the race this search runs in,
    which may stop it; ``follow_hints``: as ``configure`` has it)."""
    fixed = built.model.clone()
    for var, value in fixes:
        fixed.add(fixed.get_int_var_from_proto_index(var.index) == value)
    fixed.clear_hints()
    for var, value in hints:
        fixed.add_hint(fixed.get_int_var_from_proto_index(var.index), value)
    solver = cp_model.CpSolver()
    configure(
        solver,
        options,
        time_limit,
        workers=workers,
        first_only=first_only,
        presolve=presolve,
        presolve_rounds=presolve_rounds,
        follow_hints=follow_hints,
    )
    if race is not None:
        race.enter(solver)
        if race.over.is_set():
            return None
    code = stopper.run(solver, fixed, stall_seconds=None if options.reproducible else stall_seconds)
    if budget is not None:
        budget.charge(solver)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    values = [solver.value(fixed.get_int_var_from_proto_index(i)) for i in range(len(fixed.proto.variables))]
    return Incumbent(values, solver.objective_value)


def solver_stats(
    status: SolveStatus,
    objective: float | None,
    bound: float | None,
    *,
    tracker: Tracker,
    options: SolveOptions,
    stopper: Stopper,
    focused: bool = False,
) -> SolverStats:
    """The figures of a staged solve: its result, and what the tracker counted."""
    return options.stats(
        status,
        objective,
        bound,
        seconds=time.monotonic() - tracker.started,
        first_plan_seconds=tracker.first_plan_seconds,
        plans_found=tracker.plans_found,
        interrupted=stopper.interrupted,
        focused=focused,
        cut_by_clock=stopper.budget is not None and stopper.budget.cut_by_clock,
    )
