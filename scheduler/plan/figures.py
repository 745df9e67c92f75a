"""The figures of a plan: what each class got, and how busy each lecturer was.

Counting follows the scenario's ``definitions`` (which kinds are teaching, field teaching,
workload) and ``programme.minutes_per_class_hour``. Reads the scenario and the plan only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from scheduler.plan.model import Event, Plan
from scheduler.scenario.model import Scenario

EVENING_KINDS = ("seminar", "report_writing")


@dataclass(frozen=True)
class ClassFigures:
    """One class's figures over the whole programme.

    Minutes are whole minutes; class hours are minutes divided by
    ``programme.minutes_per_class_hour``; ``field_share`` is field minutes over teaching
    minutes (0 when there is no teaching).
    """

    class_id: str
    teaching_minutes: int
    field_minutes: int
    field_share: float
    seminar_minutes: int
    seminar_class_hours: float
    report_writing_minutes: int
    report_writing_class_hours: float
    coach_driving_minutes: int
    coach_hours: float
    coach_km: float
    sites_visited: tuple[str, ...]
    red_education_visits: int
    lectures: int
    lectures_by_topic: dict[str, int]
    late_evenings: int

    def to_dict(self) -> dict[str, Any]:
        """The figures as plain JSON-ready data (tuples become lists)."""
        data = asdict(self)
        data["sites_visited"] = list(self.sites_visited)
        return data


def minutes_of(events: list[Event], kinds: tuple[str, ...] | frozenset[str]) -> int:
    """Total minutes of the events whose kind is among ``kinds``."""
    return sum(e.minutes for e in events if e.kind in kinds)


def class_figures(scenario: Scenario, plan: Plan) -> dict[str, ClassFigures]:
    """Each class's figures, keyed by class id, in the scenario's order.

    Parameters
    ----------
    scenario
        The scenario the plan was made for.
    plan
        The plan; its events must name ids the scenario knows.
    """
    return {klass.id: _figures(scenario, plan, klass.id) for klass in scenario.classes}


def lecturer_loads(scenario: Scenario, plan: Plan) -> dict[str, int]:
    """Lectures given by each lecturer of the scenario (0 for those who give none)."""
    loads = Counter(e.lecturer for e in plan.events if e.kind == "lecture" and e.lecturer)
    return {lecturer.id: loads[lecturer.id] for lecturer in scenario.lecturers}


def lecturer_spread(scenario: Scenario, plan: Plan, lecturers: Iterable[str]) -> int:
    """Lectures the busiest of ``lecturers`` gives beyond the lightest of them, loads counted as
    ``lecturer_loads`` counts them (0 for fewer than two lecturers). The lecturers' balance goal
    weighs this among the lecturers who could give a lecture."""
    loads = lecturer_loads(scenario, plan)
    counted = [loads[lecturer] for lecturer in lecturers]
    return max(counted) - min(counted) if len(counted) >= 2 else 0


def _figures(scenario: Scenario, plan: Plan, class_id: str) -> ClassFigures:
    definitions = scenario.definitions
    per_hour = scenario.programme.minutes_per_class_hour
    events = plan.events_of(class_id)
    teaching = minutes_of(events, definitions.teaching_kinds)
    field = minutes_of(events, definitions.field_kinds)
    seminar = minutes_of(events, ("seminar",))
    report = minutes_of(events, ("report_writing",))
    legs = [e for e in events if e.kind == "travel"]
    driving = sum(e.driving_minutes or 0 for e in legs)
    sites = tuple(e.site for e in events if e.kind == "field_visit" and e.site)
    lectures = Counter(e.topic or "" for e in events if e.kind == "lecture")
    return ClassFigures(
        class_id=class_id,
        teaching_minutes=teaching,
        field_minutes=field,
        field_share=round(field / teaching, 4) if teaching else 0.0,
        seminar_minutes=seminar,
        seminar_class_hours=round(seminar / per_hour, 2),
        report_writing_minutes=report,
        report_writing_class_hours=round(report / per_hour, 2),
        coach_driving_minutes=driving,
        coach_hours=round(driving / 60, 2),
        coach_km=round(sum(e.km or 0.0 for e in legs), 1),
        sites_visited=sites,
        red_education_visits=sum(scenario.site(site).is_red_education for site in sites),
        lectures=sum(lectures.values()),
        lectures_by_topic=dict(sorted(lectures.items())),
        late_evenings=_late_evenings(scenario, events),
    )


def _late_evenings(scenario: Scenario, events: list[Event]) -> int:
    """Evenings (seminar and report writing) that end after ``frame.late_evening_after``."""
    ends: dict[Any, int] = {}
    for e in events:
        if e.kind in EVENING_KINDS:
            ends[e.date] = max(ends.get(e.date, 0), e.end)
    after = scenario.programme.frame.late_evening_after
    return sum(end > after for end in ends.values())
