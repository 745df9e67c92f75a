"""What a caller decides about a solve: how long and how hard to search; and what the search
reports as it goes."""

from __future__ import annotations

from dataclasses import dataclass


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
