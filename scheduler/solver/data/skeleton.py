"""The skeleton of a plan: per class and day, where it sleeps and which sites it visits, in
order, with the lectures it holds in the morning and the afternoon. The construction makes it;
the CP-SAT model completes it with clock times and lecturers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DayChoice:
    """One class's day in the skeleton: the sites in order, and where it ends."""

    sites: tuple[str, ...]
    end_place: str
    morning_lectures: int = 0
    afternoon_lectures: int = 0
    morning_wait: int = 0
    """Minutes after the earliest departure before the morning lectures can begin (the lecturer's drive)."""


@dataclass
class Skeleton:
    """Per class, per day, the constructive choices; ``None`` for a class the heuristic failed."""

    days: dict[str, list[DayChoice] | None]

    @property
    def complete(self) -> bool:
        return all(days is not None for days in self.days.values())
