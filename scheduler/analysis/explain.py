"""Why this plan: the objective broken down by goal and by class, and the requirements and
limits the plan sits at (binding), read from the ``Result`` and the scenario alone."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from scheduler.plan.figures import class_figures
from scheduler.plan.model import Plan, Result
from scheduler.scenario.goals import Term
from scheduler.scenario.model import Scenario, format_clock


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


def binding(scenario: Scenario, plan: Plan) -> list[str]:
    """Requirements and limits the plan meets with no room to spare, in plain sentences."""
    found: list[str] = []
    figures = class_figures(scenario, plan)
    for klass in scenario.classes:
        req = scenario.requirements_for(klass.id)
        f = figures[klass.id]
        if req.min_field_share and f.field_share < req.min_field_share + 0.01:
            found.append(
                f"class {klass.id}: field teaching {f.field_share:.1%}, at its minimum of {req.min_field_share:.0%} "
                f"({scenario.requirement_path(klass.id, 'min_field_share')})"
            )
        if req.min_red_education_visits and f.red_education_visits == req.min_red_education_visits:
            found.append(
                f"class {klass.id}: {f.red_education_visits} red-education visits, exactly the minimum "
                f"({scenario.requirement_path(klass.id, 'min_red_education_visits')})"
            )
    for (class_id, date), minutes in _driving_by_day(plan).items():
        day = scenario.programme.day_of(date)
        limit = scenario.max_coach_minutes_on(day) if day is not None else None
        if limit and minutes >= limit - 5:
            found.append(f"class {class_id} on {date}: {minutes} minutes of driving, at the limit of {limit}")
    for (class_id, date), arrival in _arrivals(plan).items():
        day = scenario.programme.day_of(date)
        latest = scenario.latest_return_on(day) if day is not None else None
        if latest is not None and arrival >= latest - 5:
            found.append(
                f"class {class_id} on {date}: back at {format_clock(arrival)}, "
                f"at the latest return of {format_clock(latest)}"
            )
    for night, count in _lodging_use(plan).items():
        date, place = night
        capacity = scenario.lodging_capacity(place)
        if count >= capacity:
            found.append(f"night of {date}: lodging at {place} full ({count} of {capacity} classes)")
    return found


def _driving_by_day(plan: Plan) -> dict[tuple[str, object], int]:
    totals: dict[tuple[str, object], int] = defaultdict(int)
    for event in plan.events:
        if event.kind == "travel":
            totals[(event.class_id, event.date)] += event.driving_minutes or 0
    return totals


def _arrivals(plan: Plan) -> dict[tuple[str, object], int]:
    last: dict[tuple[str, object], int] = {}
    for event in plan.events:
        if event.kind == "travel":
            key = (event.class_id, event.date)
            last[key] = max(last.get(key, 0), event.end)
    return last


def _lodging_use(plan: Plan) -> dict[tuple[object, str], int]:
    use: dict[tuple[object, str], int] = defaultdict(int)
    for night in plan.nights:
        use[(night.date, night.place)] += 1
    return use
