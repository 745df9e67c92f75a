"""What a caller decides about a solve: how long and how hard to search; and what the search
reports as it goes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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
    deterministic: bool | None = None
    """True: the same input and seed give the same plan, whatever the number of workers
    (``--reproducible``): time is CP-SAT's deterministic time, each search runs on one worker,
    and the week bound is computed before the search. False (``--free``): wall-clock seconds
    and free-running workers, each run its own. None, the default: ``solve`` decides by the
    programme's size (``for_programme``). One worker is always deterministic."""

    @property
    def reproducible(self) -> bool:
        """Whether this run must give the same plan every time (``deterministic``; None counts
        as free until ``for_programme`` decides)."""
        return self.deterministic is True or self.workers == 1

    def for_programme(self, provable: bool) -> SolveOptions:
        """These options with the default decided: reproducible where the programme is small
        enough for its plans to be proven best (``provable``: the size of an organiser's
        programme, where a reproducible run plans as well in about the same time), free past
        it, where a reproducible run plans markedly worse in the same time (bench/README.md)."""
        if self.deterministic is not None:
            return self
        return replace(self, deterministic=provable)

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
        cut_by_clock: bool = False,
    ) -> SolverStats:
        """The figures of a run under these options (``cut_by_clock``: a reproducible run ended
        by the clock rather than its work, ``Budget.cut_by_clock``)."""
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
            reproducible=self.reproducible and not cut_by_clock,
            cut_by_clock=cut_by_clock,
        )


@dataclass(frozen=True)
class Progress:
    """One improvement seen during the search."""

    seconds: float
    plans_found: int
    objective: float
    best_bound: float
