"""One what-if, as a task any worker can run: module-level functions of plain data (a scenario, a
plan, a disruption, the options), returning plain data (``scheduler.analysis.risk.Replanned``).

A task re-plans a changed programme from the base plan with the least change
(``scheduler.solver.replan``), or solves it from scratch. Before any search it checks whether
the base plan already keeps every rule of the changed programme (then nothing changes) and
whether the data alone shows the change impossible (``find_obstacles``). When no plan is found
it looks for the requirements that conflict within ``diagnosis_seconds``, in a process of its
own with a memory cap where the worker may start one (``run_bounded``). Every plan it returns
has passed the independent checker.
"""

from __future__ import annotations

import os
import socket
import time

from scheduler.analysis.check import check
from scheduler.analysis.compare import Outcome, outcome_of
from scheduler.analysis.disruptions import Disruption
from scheduler.analysis.risk import Ending, Reason, Replanned
from scheduler.plan.model import Freeze, Plan, Result, SolveStatus
from scheduler.scenario.model import Scenario
from scheduler.solver.bounded import Ending as BoundedEnding
from scheduler.solver.bounded import may_start_processes, run_bounded
from scheduler.solver.diagnosis.diagnose import find_conflict
from scheduler.solver.diagnosis.prechecks import find_obstacles
from scheduler.solver.options import SolveOptions
from scheduler.solver.replan import replan
from scheduler.solver.run import solve

__all__ = ["replan_changed", "solve_changed", "sweep_one"]


def sweep_one(
    scenario: Scenario, plan: Plan, disruption: Disruption, options: SolveOptions, diagnosis_seconds: float
) -> Replanned:
    """``disruption`` applied to ``scenario``, re-planned from ``plan`` with the least change."""
    started = time.monotonic()
    try:
        changed = disruption.apply(scenario)
    except ValueError as error:
        return Replanned(
            Ending.FAILED, reasons=(Reason(str(error)),), seconds=time.monotonic() - started, where=_where()
        )
    return replan_changed(changed, plan, options, None, diagnosis_seconds)


def replan_changed(
    scenario: Scenario, plan: Plan, options: SolveOptions, freeze: Freeze | None, diagnosis_seconds: float
) -> Replanned:
    """A plan for the changed ``scenario`` with the least change from ``plan`` (everything that
    starts before ``freeze`` kept, if given)."""
    started = time.monotonic()
    if not check(scenario, plan):
        return Replanned(Ending.UNCHANGED, seconds=time.monotonic() - started, where=_where())
    obstacles = find_obstacles(scenario)
    if obstacles:
        return _no_plan(started, tuple(Reason(o.message, o.path) for o in obstacles), proven=True)
    result, weighted = replan(scenario, plan, freeze, options)
    return _ended(scenario, result, weighted, options, diagnosis_seconds, started)


def solve_changed(scenario: Scenario, options: SolveOptions, diagnosis_seconds: float) -> Replanned:
    """A plan for ``scenario`` from scratch (``solve.py compare --from-scratch``)."""
    started = time.monotonic()
    obstacles = find_obstacles(scenario)
    if obstacles:
        return _no_plan(started, tuple(Reason(o.message, o.path) for o in obstacles), proven=True)
    return _ended(scenario, solve(scenario, options), None, options, diagnosis_seconds, started)


def compared(replanned: Replanned, options: SolveOptions, base: Result | None = None) -> Outcome:
    """What ``replan_changed`` (from ``base``'s plan) or ``solve_changed`` (no ``base``) gave,
    as a comparison reads it (``scheduler.analysis.compare.outcome_of``)."""
    return outcome_of(
        replanned,
        base,
        lambda status, seconds, interrupted: options.stats(status, seconds=seconds, interrupted=interrupted),
    )


def _ended(
    scenario: Scenario,
    result: Result,
    weighted: int | None,
    options: SolveOptions,
    diagnosis_seconds: float,
    started: float,
) -> Replanned:
    if result.plan is not None:
        broken = check(scenario, result.plan)
        if broken:  # a bug: never hand out such a plan
            reasons = (Reason.of("internal_broken"),) + tuple(Reason(v.message) for v in broken[:5])
            return Replanned(Ending.FAILED, reasons=reasons, seconds=time.monotonic() - started, where=_where())
        return Replanned(Ending.REPLANNED, result, weighted, seconds=time.monotonic() - started, where=_where())
    if result.stats.interrupted:
        return _no_plan(started, (Reason.of("stopped"),), proven=False)
    reasons, proven = _diagnose(scenario, options, diagnosis_seconds)
    if result.status is SolveStatus.INFEASIBLE:
        proven = True
    return _no_plan(started, reasons, proven=proven)


def _diagnose(scenario: Scenario, options: SolveOptions, seconds: float) -> tuple[tuple[Reason, ...], bool]:
    """Why there is no plan, in sentences, and whether that is proven, within ``seconds``."""
    if seconds <= 0:
        return (Reason.of("no_diagnosis"),), False
    args = (scenario, seconds, 1, options.seed)
    if not may_start_processes():
        diagnosis = find_conflict(*args, params=options.params)
    else:
        params = options.params.diagnosis
        bounded = run_bounded(
            find_conflict,
            *args,
            seconds=seconds + max(params.grace_seconds, params.grace_share * seconds),
            memory_bytes=params.memory_mb * 2**20,
            params=options.params,
        )
        if bounded.ending is not BoundedEnding.DONE:
            return (Reason.of(f"diagnosis_{bounded.ending.name.lower()}"),), False
        diagnosis = bounded.value
    if diagnosis.feasible is False:
        return tuple(Reason(r.sentence, r.path) for r in diagnosis.conflict), True
    if diagnosis.feasible is True:
        return (Reason.of("one_exists"),), False
    return (Reason.of("no_conflict_named", seconds=f"{seconds:g}"),), False


def _no_plan(started: float, reasons: tuple[Reason, ...], *, proven: bool) -> Replanned:
    return Replanned(Ending.NO_PLAN, reasons=reasons, proven=proven, seconds=time.monotonic() - started, where=_where())


def _where() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"
