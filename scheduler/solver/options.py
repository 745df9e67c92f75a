"""What a caller decides about a solve: how long and how hard to search; and what the search
reports as it goes."""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.plan.model import SolverStats, SolveStatus
from scheduler.solver.params import SolverParams


@dataclass(frozen=True)
class SolveOptions:
    """How long and how hard to search."""

    time_limit: float = 60.0
    workers: int = 2
    seed: int = 0
    log_search: bool = False
    handle_signals: bool = False
    """Stop cleanly on SIGINT/SIGTERM (the command sets this; library callers need not)."""
    params: SolverParams = field(default_factory=SolverParams)
    """The tuning parameters (``--params FILE``); the defaults are what the solver is tuned with."""
    deterministic: bool = False
    """The same input and seed give the same plan, whatever the number of workers
    (``--reproducible``): time is CP-SAT's deterministic time, its workers interleave their
    search in a fixed order, and the week bound is computed before the search, so the run
    takes longer than its time limit in seconds. Otherwise wall-clock seconds and free-running
    workers, each run its own. One worker is always deterministic."""

    @property
    def reproducible(self) -> bool:
        """Whether this run must give the same plan every time (``deterministic``)."""
        return self.deterministic or self.workers == 1

    def stats(
        self,
        status: SolveStatus,
        objective: float | None = None,
        bound: float | None = None,
        *,
        seconds: float = 0.0,
        first_plan_seconds: float | None = None,
        plans_found: int = 0,
        interrupted: bool = False,
        focused: bool = False,
    ) -> SolverStats:
        """The figures of a run under these options."""
        return SolverStats(
            status=status,
            objective=objective,
            best_bound=bound,
            seconds=seconds,
            first_plan_seconds=first_plan_seconds,
            plans_found=plans_found,
            workers=self.workers,
            seed=self.seed,
            time_limit=self.time_limit,
            interrupted=interrupted,
            focused=focused,
        )


@dataclass(frozen=True)
class Progress:
    """One improvement seen during the search."""

    seconds: float
    plans_found: int
    objective: float
    best_bound: float
