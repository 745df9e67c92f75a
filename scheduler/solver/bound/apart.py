"""The week bound with every class worked out apart, on as many processes as the search has
workers: where a run must be reproducible the bound is computed before the search goes on, and
one process would leave the other cores idle.

The day routes are listed once, here (most of them serve every class), with which classes may
take a route into each row classes could share (``shared_use``); then each class's share is
worked out to the end (``class_outcome``): its columns made (``class_relaxation``), its master
settled, then branch and price for at most ``max_sides`` sides. Nothing in that depends on
another class's work, nor on which process does it or when, so the bound and the weeks are the
same on one process as on several. The processes are forked once the routes are listed, so that
they read the listing without a copy (a copy through a pipe takes longer than the work it would
share). The classes' bounds add up (``class_bound``), with the lecturers' balance and the late
evenings bounded apart (``balance_bound``).

Unlike ``week_bound`` it does not price the rows between classes together. Where the classes'
weeks together break one of them (``week_bound.activities_break_rows``, as ``week_bound`` decides),
those rows could raise the bound; the sequential ``week_bound`` is then run in the time left and
the higher bound kept.
"""

from __future__ import annotations

import math
import multiprocessing
import queue
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from scheduler.solver.bound.balance_bound import least_imbalance, least_late_evening_cost
from scheduler.solver.bound.class_bound import ClassAlone, Phase
from scheduler.solver.bound.day_routes import TooManyRoutes
from scheduler.solver.bound.route_relaxation import (
    Routes,
    SharedUse,
    class_relaxation,
    listed_routes,
    shared_rows,
    shared_use,
)
from scheduler.solver.bound.week_bound import WeekBound, Weeks, activities_break_rows, class_activity, week_bound
from scheduler.solver.bound.week_pricing import DayRouteChoice
from scheduler.solver.bounded import may_fork, start_forked
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.focus import class_leg_count
from scheduler.solver.params import SolverParams


@dataclass(frozen=True)
class ClassOutcome:
    """One class's share of the week bound, worked out alone."""

    class_id: str
    bound: float
    """A lower bound on the class's share of every plan's objective (-inf: none yet, +inf: the
    class has no week at all)."""
    settled_week: tuple[DayRouteChoice, ...] | None
    """The master's favourite week once it settled, before the branching."""
    week: tuple[DayRouteChoice, ...] | None
    """The class's best real week of the relaxation if the branching found one, else the
    master's favourite."""
    steps: int
    routes: int
    sides: int
    reason: str = ""
    """Why there is no bound (routes past the listing's budget, no day route)."""
    activity: dict[str, float] = field(default_factory=dict)
    """The entries of the class's week, as the bound has it, in every row (``week_bound.class_activity``)."""
    own_rows: frozenset[str] = frozenset()
    """The rows the class has alone."""


def class_outcome(
    cand: Candidates,
    routes: Routes,
    use: SharedUse,
    class_id: str,
    params: SolverParams,
    max_sides: int,
    stopped: Callable[[], bool],
) -> ClassOutcome:
    """The class's share of the week bound under its own rows of the route relaxation (its
    columns made from ``routes``), until its branching is done, ``max_sides`` sides are
    searched, or ``stopped()``."""
    relaxed = class_relaxation(cand, cand.scenario.training_class(class_id), routes, use, params.bound)
    if not relaxed.columns:
        return ClassOutcome(class_id, -math.inf, None, None, 0, 0, 0, f"class {class_id} has no day route")
    alone = ClassAlone(cand, relaxed, class_id, own=True, params=params.bound)
    steps = 0
    while alone.phase is Phase.ROOT and not stopped():
        alone.advance(stopped)
        steps += 1
    settled = alone.week()
    while alone.phase is Phase.BRANCHING and alone.sides_searched < max_sides and not stopped():
        try:
            alone.advance(stopped)
        except TooManyRoutes:
            break  # what the bound is stays valid
        steps += 1
    return ClassOutcome(
        class_id,
        alone.bound,
        settled,
        alone.week(),
        steps,
        alone.routes,
        alone.sides_searched,
        activity=class_activity(alone),
        own_rows=frozenset(alone.relaxed.rows.sense),
    )


def week_bound_apart(
    cand: Candidates,
    seconds: float,
    *,
    params: SolverParams = SolverParams(),
    max_sides: int,
    workers: int = 1,
    should_stop: Callable[[], bool] = lambda: False,
    on_bound: Callable[[int, Weeks], None] = lambda bound, weeks: None,
    together: bool = True,
) -> WeekBound:
    """The week bound within about ``seconds``, each class's share worked out alone with at
    most ``max_sides`` sides of branching, on ``workers`` processes (this one when 1); with
    ``together``, priced again with the rows between classes where the classes' weeks break one
    (below).

    ``on_bound`` hears the bound twice: with the weeks the classes' masters settled on, then
    with the classes' best weeks (the same sets, in the same order, whatever ``workers``)."""
    started = time.monotonic()
    deadline = started + seconds

    def stopped() -> bool:
        return time.monotonic() > deadline or should_stop()

    try:
        routes = listed_routes(cand, params.bound, stopped)
    except TooManyRoutes as error:
        return WeekBound(None, 0, 0, time.monotonic() - started, str(error))
    if routes is None:
        return WeekBound(None, 0, 0, time.monotonic() - started, "stopped while listing the day routes")
    use = shared_use(cand, routes)
    classes = [k.id for k in cand.scenario.classes]
    if workers <= 1 or len(classes) == 1 or not may_fork():
        outcomes = {c: class_outcome(cand, routes, use, c, params, max_sides, stopped) for c in classes}
        balance = _balance(cand, params)
    else:
        shares = _shares(cand, classes, workers)
        with _Processes(cand, routes, use, shares, params, max_sides, deadline) as running:
            balance = _balance(cand, params)  # while the classes are worked out
            outcomes = running.outcomes(should_stop)
    steps = sum(o.steps for o in outcomes.values())
    routes = sum(o.routes for o in outcomes.values())
    failed = next((o.reason for o in outcomes.values() if o.reason), "")
    if failed or len(outcomes) < len(classes):
        return WeekBound(None, steps, routes, time.monotonic() - started, failed or "stopped")
    if any(o.bound == math.inf for o in outcomes.values()):
        return WeekBound(None, steps, routes, time.monotonic() - started, "a class has no week of day routes")
    total = sum(o.bound for o in outcomes.values())
    if not math.isfinite(total):
        return WeekBound(None, steps, routes, time.monotonic() - started)
    settled = {c: o.settled_week for c, o in outcomes.items() if o.settled_week is not None}
    weeks = {c: o.week for c, o in outcomes.items() if o.week is not None}
    bound = math.ceil(total - 1e-6) + balance
    on_bound(bound, settled)
    on_bound(bound, weeks)
    own = set().union(*(o.own_rows for o in outcomes.values()))
    breaking = together and not stopped()
    if breaking and activities_break_rows(shared_rows(cand, use), [o.activity for o in outcomes.values()], own):
        together = week_bound(
            cand, deadline - time.monotonic(), params=params, should_stop=should_stop, max_sides=max_sides
        )
        if together.bound is not None and together.bound > bound:
            bound = together.bound
            weeks = together.weeks or weeks
            on_bound(bound, weeks)
        steps += together.iterations
    return WeekBound(bound, steps, routes, time.monotonic() - started, "", weeks)


def _balance(cand: Candidates, params: SolverParams) -> int:
    """The goals no route pays, bounded apart."""
    return least_imbalance(cand, params.bound.balance_seconds) + least_late_evening_cost(cand)


def _shares(cand: Candidates, classes: Sequence[str], workers: int) -> list[list[str]]:
    """The classes dealt out to ``workers`` processes, the largest first to the least loaded
    (by coach legs), so that the processes finish close together as far as size tells."""
    size = {c: class_leg_count(cand, cand.scenario.training_class(c)) for c in classes}
    shares: list[list[str]] = [[] for _ in range(min(workers, len(classes)))]
    load = [0] * len(shares)
    for class_id in sorted(classes, key=lambda c: (-size[c], c)):
        least = min(range(len(shares)), key=lambda i: (load[i], i))
        shares[least].append(class_id)
        load[least] += size[class_id]
    return shares


class _Processes:
    """The classes worked out in forked processes, one share of the classes each."""

    def __init__(
        self,
        cand: Candidates,
        routes: Routes,
        use: SharedUse,
        shares: list[list[str]],
        params: SolverParams,
        max_sides: int,
        deadline: float,
    ):
        context = multiprocessing.get_context("fork")
        self._results = context.Queue()
        self._stop = context.Event()
        self._count = sum(len(share) for share in shares)
        self._processes = [
            context.Process(
                target=_work_out,
                args=(cand, routes, use, share, params, max_sides, deadline, self._stop, self._results),
                daemon=True,
            )
            for share in shares
        ]

    def __enter__(self) -> _Processes:
        for process in self._processes:
            start_forked(process)
        return self

    def outcomes(self, should_stop: Callable[[], bool]) -> dict[str, ClassOutcome]:
        """Every class's outcome, or those that came before a process died or the stop."""
        found: dict[str, ClassOutcome] = {}
        while len(found) < self._count:
            if should_stop():
                self._stop.set()
            try:
                outcome = self._results.get(timeout=0.1)
            except queue.Empty:
                if not any(p.is_alive() for p in self._processes) and self._results.empty():
                    break
                continue
            found[outcome.class_id] = outcome
        return found

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for process in self._processes:
            process.join(timeout=2.0)
            if process.is_alive():
                process.terminate()
                process.join()


def _work_out(cand, routes, use, share: list[str], params: SolverParams, max_sides: int, deadline, stop, results):
    """A forked process's share of the classes, each outcome sent as it is known. The deadline
    is the parent's ``time.monotonic()`` reading: the clock is the system's, the same in every
    process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the solve decides

    def stopped() -> bool:
        return time.monotonic() > deadline or stop.is_set()

    for class_id in share:
        try:
            outcome = class_outcome(cand, routes, use, class_id, params, max_sides, stopped)
        except Exception as error:  # the bound is an extra: its failure must not spoil the plan
            outcome = ClassOutcome(class_id, -math.inf, None, None, 0, 0, 0, f"internal error: {error!r}")
        results.put(outcome)
    results.close()
    results.join_thread()  # every outcome through the pipe before the process ends
