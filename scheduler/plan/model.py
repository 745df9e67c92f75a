"""The plan and the result of a solve, as plain data.

Everything downstream (the checker, the figures, the terminal table, the JSON export and
every later output) reads these objects and nothing else. They hold ids, not solver
variables; clock times are minutes after midnight of the event's date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from scheduler.scenario.model import ACTIVITY_KINDS

FINAL_KINDS = ("presentation", "closing")
"""The sessions a programme ends with on its last day, in their order."""
FREE_TIME = "free_time"
"""Daytime left free (自由活动): a labelled gap, never teaching, added by ``scheduler.plan.free_time``."""
EVENT_KINDS = (*ACTIVITY_KINDS, FREE_TIME)
"""Every kind of event a plan holds: the scenario's activity kinds (named in its definitions)
and free time."""


@dataclass(frozen=True)
class Event:
    """One thing a class does, from ``start`` to ``end`` on ``date``.

    ``place`` is where it happens (for travel: where the leg starts). Travel events carry
    ``from_place``, ``to_place``, ``driving_minutes``, ``rest_minutes`` and ``km``.
    """

    class_id: str
    date: dt.date
    start: int
    end: int
    kind: str
    place: str
    site: str | None = None
    lecturer: str | None = None
    professor: str | None = None
    topic: str | None = None
    from_place: str | None = None
    to_place: str | None = None
    driving_minutes: int | None = None
    rest_minutes: int | None = None
    km: float | None = None
    label: str | None = None

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Night:
    """Where a class sleeps after ``date``."""

    class_id: str
    date: dt.date
    place: str


@dataclass(frozen=True)
class Plan:
    """A whole itinerary: every class's events and nights."""

    events: tuple[Event, ...]
    nights: tuple[Night, ...]

    def events_of(self, class_id: str, date: dt.date | None = None) -> list[Event]:
        """The class's events (on one date if given), in time order."""
        chosen = [e for e in self.events if e.class_id == class_id and (date is None or e.date == date)]
        return sorted(chosen, key=lambda e: (e.date, e.start, e.end))

    def night_of(self, class_id: str, date: dt.date) -> str | None:
        for night in self.nights:
            if night.class_id == class_id and night.date == date:
                return night.place
        return None


class SolveStatus(StrEnum):
    """Every way a solve can end, each mapped explicitly from CP-SAT's statuses."""

    OPTIMAL = "optimal"  # a plan, proven best
    FEASIBLE = "feasible"  # a plan, not proven best (time limit or interruption)
    INFEASIBLE = "infeasible"  # proven: no plan meets the hard rules
    NO_PLAN_IN_TIME = "no_plan_in_time"  # the time limit ran out before any plan was found
    MODEL_INVALID = "model_invalid"  # a bug: the model handed to CP-SAT is malformed

    @property
    def has_plan(self) -> bool:
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


@dataclass(frozen=True)
class SolverStats:
    status: SolveStatus
    objective: float | None
    best_bound: float | None
    seconds: float
    first_plan_seconds: float | None = None
    plans_found: int = 0
    workers: int = 0
    seed: int = 0
    time_limit: float | None = None
    interrupted: bool = False
    focused: bool = False
    """Solved one class at a time on candidates cut down around its plan (a programme of
    several classes past the size ``scheduler/solver/data/focus.py`` sets). The search proves
    nothing then; the bound, if any, is the week bound
    (``scheduler/solver/bound/week_bound.py``), computed beside it."""
    reproducible: bool = False
    """The run was deterministic: the same scenario, seed and time limit give the same plan on
    any number of workers (``SolveOptions.reproducible``)."""
    cut_by_clock: bool = False
    """The run was to be reproducible, but the clock ended a stage of it before its work was
    done (a machine much slower than ``[cpsat] deterministic_per_second`` assumes): another run
    may differ."""
    scale: float | None = None
    """What the gap is measured against: the sum of the absolute values of the plan's objective
    terms (coach minutes, rewards collected, penalties), set by ``Result``. Unlike the objective
    (coach minutes less rewards) it never crosses zero, and unlike the rewards on offer it counts
    only what the plan collects. None without terms: the objective's own size is used."""

    @property
    def gap(self) -> float | None:
        """How far the best bound may still be from the plan, as a share of the plan's size
        (``scale``): (objective - best bound) / scale; 0 when proven best."""
        if self.objective is None or self.best_bound is None:
            return None
        if self.status is SolveStatus.OPTIMAL:
            return 0.0
        size = abs(self.objective) if self.scale is None else self.scale
        return max(0.0, self.objective - self.best_bound) / max(1.0, size)


@dataclass(frozen=True)
class Result:
    """What a solve returns: the solver's figures, and the plan when there is one."""

    stats: SolverStats
    plan: Plan | None
    objective_terms: dict[str, int] = field(default_factory=dict)
    """Penalty and reward terms by name, e.g. ``coach_minutes(class=rural,day=3)``."""

    def __post_init__(self) -> None:
        # the gap is measured against the plan's terms (``SolverStats.scale``)
        if self.objective_terms and self.stats.scale is None:
            scale = float(sum(abs(value) for value in self.objective_terms.values()))
            object.__setattr__(self, "stats", replace(self.stats, scale=scale))

    @property
    def status(self) -> SolveStatus:
        return self.stats.status


@dataclass(frozen=True)
class Freeze:
    """Everything that starts before ``minute`` on ``date`` is kept as it was."""

    date: dt.date
    minute: int = 0

    @classmethod
    def parse(cls, text: str) -> Freeze:
        """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM`` (a clock time of the day: 00:00 to 23:59);
        raises ValueError for anything else."""
        day, _, clock = text.partition("T")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) or (clock and not re.fullmatch(r"\d{2}:\d{2}", clock)):
            raise ValueError(f"not a date or a date and time: {text!r}")
        date = dt.date.fromisoformat(day)
        if not clock:
            return cls(date)
        hours, minutes = map(int, clock.split(":"))
        if hours > 23 or minutes > 59:
            raise ValueError(f"not a clock time: {clock!r}")
        return cls(date, hours * 60 + minutes)

    def keeps(self, event: Event) -> bool:
        return (event.date, event.start) < (self.date, self.minute)
