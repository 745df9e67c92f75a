"""What the rest of the programme holds fixed while one class is modelled alone (``by_class``).

The lodging its classes sleep in, the site visits they make and the lectures their lecturers
give, on the model's minute axis (minute ``day * 1440 + m``). The capacity, lecturer and travel
rules count these beside the modelled class's own choices, so the joined plan keeps them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.plan.model import Plan
from scheduler.scenario.model import Scenario
from scheduler.solver.data.units import DAY


@dataclass(frozen=True)
class Booked:
    """A fixed stretch of the programme: from ``start`` to ``end`` at ``place``."""

    start: int
    end: int
    place: str
    trainees: int = 0


@dataclass(frozen=True)
class Outside:
    nights: dict[tuple[int, str], int] = field(default_factory=dict)
    """(night, lodging place) -> classes sleeping there."""
    visits: dict[str, list[Booked]] = field(default_factory=dict)
    """site id -> the visits to it, with the visiting class's trainees."""
    lectures: dict[str, list[Booked]] = field(default_factory=dict)
    """lecturer id -> the lectures they give."""
    reserved: dict[str, int] = field(default_factory=dict)
    """lecturer id -> lectures of their ``min_sessions`` that classes not planned yet are
    counted on to give (``search.lecture_quotas``)."""
    held: dict[str, int] = field(default_factory=dict)
    """lecturer id -> lectures the classes not planned yet are counted on to hold with them
    (``search.lecture_quotas.held``): room the classes modelled now must leave."""

    @classmethod
    def of(
        cls,
        scenario: Scenario,
        plan: Plan,
        reserved: dict[str, int] | None = None,
        held: dict[str, int] | None = None,
    ) -> Outside:
        """The lodging, visits and lectures of ``plan`` (the classes not being modelled), and
        the lectures ``reserved`` from and ``held`` for the classes not planned yet."""
        programme = scenario.programme
        nights: dict[tuple[int, str], int] = {}
        for night in plan.nights:
            key = (programme.day_of(night.date), night.place)
            nights[key] = nights.get(key, 0) + 1
        visits: dict[str, list[Booked]] = {}
        lectures: dict[str, list[Booked]] = {}
        for event in plan.events:
            base = programme.day_of(event.date) * DAY
            if event.kind == "field_visit" and event.site:
                trainees = scenario.training_class(event.class_id).trainees
                booked = Booked(base + event.start, base + event.end, event.place, trainees)
                visits.setdefault(event.site, []).append(booked)
            elif event.kind == "lecture" and event.lecturer:
                booked = Booked(base + event.start, base + event.end, event.place)
                lectures.setdefault(event.lecturer, []).append(booked)
        return cls(nights, visits, lectures, dict(reserved or {}), dict(held or {}))

    def lectures_on(self, lecturer_id: str, day: int) -> int:
        return sum(1 for b in self.lectures.get(lecturer_id, ()) if b.start // DAY == day)


NOTHING = Outside()
