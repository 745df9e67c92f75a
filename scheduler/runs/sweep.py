"""A robustness sweep: every single disruption of a plan, re-planned with least change on an
engine (``scheduler.runs.engine``), collected into the risk table (``scheduler.analysis.risk``).

``run_sweep`` always re-plans reproducibly (one CP-SAT worker per task, deterministic time), so
the same sweep gives the same table in a local pool and on a cluster. It keeps every result that
arrived when the user stops it or the engine fails: those disruptions not run are marked so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from scheduler.analysis.disruptions import Disruption, disruptions
from scheduler.analysis.impact import Planned
from scheduler.analysis.risk import Ending, Reason, Replanned
from scheduler.runs.engine import Engine, EngineError, Task, TaskFailed
from scheduler.runs.tasks import sweep_one
from scheduler.scenario.wording import Message
from scheduler.solver.options import SolveOptions

__all__ = ["SweepRun", "run_sweep", "sweep_options"]

Outcome = tuple[Disruption, Planned | None, Replanned]


@dataclass(frozen=True)
class SweepRun:
    """What a sweep gave: every disruption with its outcome (NOT_RUN where it never ran)."""

    outcomes: list[Outcome]
    interrupted: bool = False
    engine_error: Message | None = None
    """Why the engine stopped running the re-plans, if it did (worded in either language)."""


SWEEP_CLOCK_CAP = 4.0
"""A sweep's re-plans may take this many times their limit on the clock before the clock, not
their deterministic time, ends them: a re-plan spends more of its time outside CP-SAT's count
(building the model, checking) than a solve does, and a run the clock cuts may differ from one
machine to another, which a sweep's table must not."""


def sweep_options(options: SolveOptions) -> SolveOptions:
    """The options every task of a sweep uses: one worker, reproducible (with the clock's cap at
    ``SWEEP_CLOCK_CAP`` at least), no signal handling."""
    cpsat = options.params.cpsat
    params = replace(
        options.params, cpsat=replace(cpsat, reproducible_clock_cap=max(cpsat.reproducible_clock_cap, SWEEP_CLOCK_CAP))
    )
    return replace(options, workers=1, deterministic=True, handle_signals=False, log_search=False, params=params)


def run_sweep(
    base: Planned,
    kinds: tuple[str, ...],
    engine: Engine,
    options: SolveOptions,
    *,
    diagnosis_seconds: float,
    on_progress: Callable[[int, int, Disruption, Replanned], None] | None = None,
    only: list[Disruption] | None = None,
) -> SweepRun:
    """Re-plan each disruption of ``kinds`` (or those in ``only``) from ``base``'s plan.

    Parameters
    ----------
    base
        The scenario and the plan whose robustness is asked.
    on_progress
        Called as each result arrives: (results so far, total, the disruption, its outcome).
    """
    assert base.plan is not None
    found = only if only is not None else disruptions(base.scenario, base.plan, kinds)
    each = sweep_options(options)
    tasks = [Task(d.key, sweep_one, (base.scenario, base.plan, d, each, diagnosis_seconds)) for d in found]
    outcomes: list[Replanned | None] = [None] * len(found)
    arrived = 0

    def collect(index: int, value: object) -> None:
        nonlocal arrived
        if isinstance(value, TaskFailed):
            value = Replanned(Ending.FAILED, reasons=(Reason(value.reason),))
        assert isinstance(value, Replanned)
        outcomes[index] = value
        arrived += 1
        if on_progress is not None:
            on_progress(arrived, len(found), found[index], value)

    interrupted, error = False, None
    try:
        engine.run(tasks, collect)
    except KeyboardInterrupt:
        interrupted = True
    except EngineError as failure:
        error = failure.said
    result: list[Outcome] = []
    for disruption, outcome in zip(found, outcomes, strict=True):
        outcome = outcome or Replanned(Ending.NOT_RUN)
        planned = None
        if outcome.ending is Ending.REPLANNED and outcome.result is not None:
            scenario = disruption.apply(base.scenario)
            new = outcome.result
            planned = Planned(scenario, new.plan, new.stats.objective, new.objective_terms or None)
        result.append((disruption, planned, outcome))
    return SweepRun(result, interrupted, error)
