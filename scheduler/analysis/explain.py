"""Why this plan: the objective broken down by goal and by class, and the requirements and
limits the plan sits at (binding), read from the ``Result`` and the scenario alone.

Both are typed values with ids, not sentences: the outputs word them in their language and name
the classes and places the ids stand for."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from scheduler.plan.figures import class_figures
from scheduler.plan.model import Plan, Result
from scheduler.scenario.goals import Term
from scheduler.scenario.model import Scenario


@dataclass(frozen=True)
class Breakdown:
    """The objective by goal, by class, and by goal and class."""

    by_goal: dict[str, int]
    by_class: dict[str, int]
    by_goal_and_class: dict[tuple[str, str], int]
    total: int


def breakdown(result: Result) -> Breakdown:
    """Sum the named objective terms by goal and by class ("all" for programme-wide terms)."""
    by_goal: dict[str, int] = defaultdict(int)
    by_class: dict[str, int] = defaultdict(int)
    both: dict[tuple[str, str], int] = defaultdict(int)
    for name, value in result.objective_terms.items():
        term = Term.parse(name)
        owner = term.class_id or "all"
        by_goal[term.goal] += value
        by_class[owner] += value
        both[(term.goal, owner)] += value
    return Breakdown(dict(by_goal), dict(by_class), dict(both), sum(result.objective_terms.values()))


class Limit(StrEnum):
    """What a binding requirement or limit is."""

    MIN_FIELD_SHARE = "min_field_share"
    """A class's field-teaching share, at its minimum."""
    MIN_RED_EDUCATION_VISITS = "min_red_education_visits"
    """A class's red-education visits, exactly its minimum."""
    MAX_COACH_MINUTES = "max_coach_minutes"
    """A class's coach driving on a day, at the day's limit."""
    LATEST_RETURN = "latest_return"
    """A class back from its last coach leg of a day at the latest return allowed."""
    LODGING_FULL = "lodging_full"
    """A lodging place full on a night."""


@dataclass(frozen=True)
class Binding:
    """A requirement or limit the plan meets with no room to spare: ``value`` against ``bound``
    (a share, visits, driving minutes, a clock time in minutes, classes lodged), for the class,
    date and place it is about. Outputs word it in their language, naming what the ids name."""

    limit: Limit
    value: float
    bound: float
    class_id: str | None = None
    date: dt.date | None = None
    place: str | None = None
    path: str | None = None
    """Where the scenario sets the requirement (``requirements.default.min_field_share``)."""
    own: bool = False
    """The requirement is the class's own (``requirements.by_class``), not the default."""


def binding(scenario: Scenario, plan: Plan) -> list[Binding]:
    """Requirements and limits the plan meets with no room to spare, class by class, then day by
    day, then night by night."""
    found: list[Binding] = []
    figures = class_figures(scenario, plan)
    for klass in scenario.classes:
        req = scenario.requirements_for(klass.id)
        f = figures[klass.id]
        if req.min_field_share and f.field_share < req.min_field_share + 0.01:
            found.append(
                Binding(
                    Limit.MIN_FIELD_SHARE,
                    f.field_share,
                    req.min_field_share,
                    class_id=klass.id,
                    path=scenario.requirement_path(klass.id, "min_field_share"),
                    own=_own(scenario, klass.id, "min_field_share"),
                )
            )
        if req.min_red_education_visits and f.red_education_visits == req.min_red_education_visits:
            found.append(
                Binding(
                    Limit.MIN_RED_EDUCATION_VISITS,
                    f.red_education_visits,
                    req.min_red_education_visits,
                    class_id=klass.id,
                    path=scenario.requirement_path(klass.id, "min_red_education_visits"),
                    own=_own(scenario, klass.id, "min_red_education_visits"),
                )
            )
    for (class_id, date), minutes in _driving_by_day(plan).items():
        day = scenario.programme.day_of(date)
        limit = scenario.max_coach_minutes_on(day) if day is not None else None
        if limit and minutes >= limit - 5:
            found.append(Binding(Limit.MAX_COACH_MINUTES, minutes, limit, class_id=class_id, date=date))
    for (class_id, date), arrival in _arrivals(plan).items():
        day = scenario.programme.day_of(date)
        latest = scenario.latest_return_on(day) if day is not None else None
        if latest is not None and arrival >= latest - 5:
            found.append(Binding(Limit.LATEST_RETURN, arrival, latest, class_id=class_id, date=date))
    for (date, place), count in _lodging_use(plan).items():
        capacity = scenario.lodging_capacity(place)
        if count >= capacity:
            found.append(Binding(Limit.LODGING_FULL, count, capacity, date=date, place=place))
    return found


def _own(scenario: Scenario, class_id: str, field: str) -> bool:
    overrides = scenario.requirements.by_class.get(class_id)
    return overrides is not None and getattr(overrides, field) is not None


def _driving_by_day(plan: Plan) -> dict[tuple[str, dt.date], int]:
    totals: dict[tuple[str, dt.date], int] = defaultdict(int)
    for event in plan.events:
        if event.kind == "travel":
            totals[(event.class_id, event.date)] += event.driving_minutes or 0
    return totals


def _arrivals(plan: Plan) -> dict[tuple[str, dt.date], int]:
    last: dict[tuple[str, dt.date], int] = {}
    for event in plan.events:
        if event.kind == "travel":
            key = (event.class_id, event.date)
            last[key] = max(last.get(key, 0), event.end)
    return last


def _lodging_use(plan: Plan) -> dict[tuple[dt.date, str], int]:
    use: dict[tuple[dt.date, str], int] = defaultdict(int)
    for night in plan.nights:
        use[(night.date, night.place)] += 1
    return use
