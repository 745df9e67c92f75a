"""Solve several scenarios at once, each in its own process (for ``solve.py compare``).

The search workers are shared out: at most ``workers`` solves run at a time, each with
``max(1, workers // solves at a time)`` workers, so that two cores run two one-worker solves
side by side. A scenario whose data alone shows it impossible (``prechecks``) is not searched.
The first Ctrl-C stops every search that has started (each keeps its best plan, as a single
solve does) and skips those that have not; a second one aborts.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing.synchronize import Event as EventType

from scheduler.plan.model import Result, SolveStatus
from scheduler.scenario.model import Scenario
from scheduler.solver.diagnosis.prechecks import Obstacle, find_obstacles
from scheduler.solver.options import SolveOptions
from scheduler.solver.run import solve

__all__ = ["Solved", "share_workers", "solve_all"]

PARENT_CHECK_SECONDS = 1.0
"""How often a worker process checks that the comparison that started it is still there."""


@dataclass(frozen=True)
class Solved:
    """A scenario's result, and the obstacles that made a search pointless (if any)."""

    result: Result
    obstacles: tuple[Obstacle, ...] = ()
    skipped: bool = False
    """True if it was never searched because the user stopped the comparison first."""


def share_workers(solves: int, workers: int) -> tuple[int, int]:
    """(solves run at a time, workers per solve) for ``solves`` scenarios and ``workers`` in all."""
    at_once = max(1, min(solves, workers))
    return at_once, max(1, workers // at_once)


def solve_all(scenarios: Sequence[Scenario], options: SolveOptions) -> list[Solved]:
    """Each scenario's result, in order; ``options.workers`` is the total, shared out.

    Parameters
    ----------
    scenarios
        The scenarios to solve.
    options
        Time limit (per scenario), total workers, seed; ``handle_signals`` as for ``solve``.

    Raises
    ------
    KeyboardInterrupt
        On a second Ctrl-C.
    """
    at_once, per_solve = share_workers(len(scenarios), options.workers)
    each = replace(options, workers=per_solve)
    if at_once == 1:
        return _solve_in_turn(scenarios, each)
    context = multiprocessing.get_context()
    stop = context.Event()
    with ProcessPoolExecutor(at_once, mp_context=context, initializer=_start_worker, initargs=(stop,)) as pool:
        futures = [pool.submit(_solve_one, scenario, each) for scenario in scenarios]
        try:
            return [future.result() for future in futures]
        except KeyboardInterrupt:  # the searches under way stop with their best plan; the others are skipped
            stop.set()
            for future in futures:
                future.cancel()
            try:
                return [_outcome(future, each) for future in futures]
            except KeyboardInterrupt:
                pool.shutdown(wait=False, cancel_futures=True)
                raise


def _solve_in_turn(scenarios: Sequence[Scenario], options: SolveOptions) -> list[Solved]:
    """One after the other, in this process; after a Ctrl-C the rest are skipped."""
    solved: list[Solved] = []
    for scenario in scenarios:
        if solved and solved[-1].result.stats.interrupted:
            solved.append(Solved(_no_search(options, SolveStatus.NO_PLAN_IN_TIME, interrupted=True), skipped=True))
        else:
            solved.append(_solve_one(scenario, options))
    return solved


def _solve_one(scenario: Scenario, options: SolveOptions) -> Solved:
    if _stopped is not None and _stopped.is_set():
        return Solved(_no_search(options, SolveStatus.NO_PLAN_IN_TIME, interrupted=True), skipped=True)
    obstacles = find_obstacles(scenario)
    if obstacles:
        return Solved(_no_search(options, SolveStatus.INFEASIBLE), tuple(obstacles))
    return Solved(solve(scenario, options))


def _outcome(future: Future[Solved], options: SolveOptions) -> Solved:
    if future.cancelled():
        return Solved(_no_search(options, SolveStatus.NO_PLAN_IN_TIME, interrupted=True), skipped=True)
    return future.result()


def _no_search(options: SolveOptions, status: SolveStatus, interrupted: bool = False) -> Result:
    return Result(options.stats(status, interrupted=interrupted), None)


_stopped: EventType | None = None
"""In a worker process: set once the user has stopped the comparison (solves not yet begun are skipped)."""


def _start_worker(stopped: EventType) -> None:
    """In a worker process: Ctrl-C is for the search (``solve`` stops on it), never kills an idle
    worker; and a worker whose parent has gone (killed) goes too, since no one will read its result."""
    global _stopped
    _stopped = stopped
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)
