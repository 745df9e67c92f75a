"""The JSON export of a result: everything a later output needs, without the scenario file.

``result_to_json()`` turns a ``Result`` into plain data in the ``training-itinerary/1`` format
(described field by field in ``docs/plan-json.md``); ``write_json()`` writes it atomically;
``plan_from_json()`` reads the plan back, so a saved plan can be re-rendered without solving.
Clock times are ``"HH:MM"``, dates ``"YYYY-MM-DD"``; text is UTF-8 with Chinese kept as is.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scheduler.atomic import write_text
from scheduler.plan.figures import class_figures, lecturer_loads
from scheduler.plan.model import Event, Night, Plan, Result, SolverStats, SolveStatus
from scheduler.scenario.model import Names, Scenario, format_clock, parse_clock
from scheduler.scenario.travel import TravelTable

SCHEMA = "training-itinerary/1"

# Event attribute -> JSON key, for the optional fields written only when set.
_OPTIONAL_FIELDS = (
    ("site", "site"),
    ("lecturer", "lecturer"),
    ("professor", "professor"),
    ("topic", "topic"),
    ("label", "label"),
    ("from_place", "from"),
    ("to_place", "to"),
    ("driving_minutes", "driving_minutes"),
    ("rest_minutes", "rest_minutes"),
    ("km", "km"),
)


def _names(thing: Names) -> dict[str, str | None]:
    return {"name_zh": thing.name_zh, "name_en": thing.name_en}


def event_to_json(event: Event, first_date: dt.date) -> dict[str, Any]:
    """One event as JSON data; ``first_date`` gives its day number."""
    data: dict[str, Any] = {
        "class": event.class_id,
        "date": event.date.isoformat(),
        "day": (event.date - first_date).days + 1,
        "start": format_clock(event.start),
        "end": format_clock(event.end),
        "kind": event.kind,
        "place": event.place,
    }
    for attr, key in _OPTIONAL_FIELDS:
        value = getattr(event, attr)
        if value is not None:
            data[key] = value
    if event.kind == "travel":
        data["minutes"] = event.minutes
    return data


def event_from_json(data: Mapping[str, Any]) -> Event:
    """An event back from its JSON data (``day`` and ``minutes`` are derived, so ignored)."""
    optional = {attr: data[key] for attr, key in _OPTIONAL_FIELDS if data.get(key) is not None}
    return Event(
        class_id=data["class"],
        date=dt.date.fromisoformat(data["date"]),
        start=parse_clock(data["start"]),
        end=parse_clock(data["end"]),
        kind=data["kind"],
        place=data["place"],
        **optional,
    )


def stats_to_json(stats: SolverStats) -> dict[str, Any]:
    """The solver's figures as JSON-ready data (the ``solver`` section)."""
    return {
        "status": stats.status.value,
        "objective": stats.objective,
        "best_bound": stats.best_bound,
        "gap": stats.gap,
        "seconds": stats.seconds,
        "first_plan_seconds": stats.first_plan_seconds,
        "plans_found": stats.plans_found,
        "workers": stats.workers,
        "seed": stats.seed,
        "time_limit": stats.time_limit,
        "interrupted": stats.interrupted,
        "focused": stats.focused,
    }


def result_to_json(scenario: Scenario, result: Result) -> dict[str, Any]:
    """The result as JSON-ready data in the ``training-itinerary/1`` format.

    Parameters
    ----------
    scenario
        The scenario that was solved: names, places, definitions.
    result
        The solve's result; without a plan, ``events`` and ``nights`` are empty and
        ``kpis`` is empty.
    """
    programme = scenario.programme
    plan = result.plan
    stats = result.stats
    return {
        "schema": SCHEMA,
        "programme": {
            **_names(programme),
            "first_date": programme.first_date.isoformat(),
            "last_date": programme.date_of(programme.days - 1).isoformat(),
            "days": programme.days,
            "timezone": programme.timezone,
            "language": programme.language,
            "organiser": programme.organiser,
        },
        "solver": stats_to_json(stats),
        "objective_terms": dict(result.objective_terms),
        "definitions": {
            "teaching_kinds": list(scenario.definitions.teaching_kinds),
            "field_kinds": list(scenario.definitions.field_kinds),
            "workload_kinds": list(scenario.definitions.workload_kinds),
            "minutes_per_class_hour": programme.minutes_per_class_hour,
        },
        "places": [{"id": p.id, **_names(p), "lat": p.lat, "lon": p.lon, "city": p.city} for p in scenario.places],
        "themes": [{"id": t.id, **_names(t)} for t in scenario.themes],
        "topics": [{"id": t.id, **_names(t)} for t in scenario.topics],
        "classes": [
            {
                "id": c.id,
                **_names(c),
                "theme": c.theme,
                "trainees": c.trainees,
                "base": c.base,
                "start_place": c.first_place,
                "end_place": c.last_place,
                "professor": {"id": c.professor.id, **_names(c.professor), "affiliation": c.professor.affiliation},
            }
            for c in scenario.classes
        ],
        "lecturers": [
            {"id": lec.id, **_names(lec), "affiliation": lec.affiliation, "topics": list(lec.topics), "home": lec.home}
            for lec in scenario.lecturers
        ],
        "sites": [
            {
                "id": s.id,
                "place": s.place,
                "kind": s.kind.value,
                "themes": list(s.themes),
                "red_education": s.is_red_education,
                "visit_minutes": s.visit_minutes,
            }
            for s in scenario.sites
        ],
        "events": [event_to_json(e, programme.first_date) for e in plan.events] if plan else [],
        "nights": [{"class": n.class_id, "date": n.date.isoformat(), "place": n.place} for n in plan.nights]
        if plan
        else [],
        "kpis": {cid: f.to_dict() for cid, f in class_figures(scenario, plan).items()} if plan else {},
        "lecturer_loads": lecturer_loads(scenario, plan) if plan else {},
        "requirements": {c.id: _requirements(scenario, c.id) for c in scenario.classes},
        "lecturer_trips": lecturer_trips(scenario, plan) if plan else [],
    }


def _requirements(scenario: Scenario, class_id: str) -> dict[str, Any]:
    """What the class must get, for outputs that print a figure beside its minimum."""
    req = scenario.requirements_for(class_id)
    return {
        "min_field_share": req.min_field_share,
        "min_seminar_class_hours": req.min_seminar_class_hours,
        "min_report_writing_class_hours": req.min_report_writing_class_hours,
        "min_red_education_visits": req.min_red_education_visits,
        "lectures": dict(req.lectures),
        "must_visit": list(req.must_visit),
    }


def lecturer_trips(scenario: Scenario, plan: Plan) -> list[dict[str, Any]]:
    """How each lecturer reaches each lecture: from home, or from their previous lecture that day.

    One entry per lecture, by lecturer, date and time; ``leave_by`` is the lecture's start less
    the leg's door-to-door minutes (the travel table's, as the rules use).
    """
    travel = TravelTable(scenario)
    lectures = sorted(
        (e for e in plan.events if e.kind == "lecture" and e.lecturer),
        key=lambda e: (e.lecturer or "", e.date, e.start),
    )
    trips: list[dict[str, Any]] = []
    previous: Event | None = None
    for event in lectures:
        lecturer = scenario.lecturer(event.lecturer or "")
        same_day = previous is not None and previous.lecturer == event.lecturer and previous.date == event.date
        origin = previous.place if same_day and previous is not None else lecturer.home
        leg = travel.leg(origin, event.place)
        trips.append(
            {
                "lecturer": lecturer.id,
                "class": event.class_id,
                "date": event.date.isoformat(),
                "lecture_start": format_clock(event.start),
                "from": origin,
                "from_home": not same_day,
                "to": event.place,
                "leave_by": format_clock(max(0, event.start - leg.minutes)),
                "driving_minutes": leg.driving_minutes,
                "rest_minutes": leg.rest_minutes,
                "km": leg.km,
            }
        )
        previous = event
    return trips


def plan_from_json(data: Mapping[str, Any]) -> Plan:
    """Read the plan back from ``training-itinerary/1`` data.

    Raises
    ------
    ValueError
        If the data is in another format, or records a solve that found no plan.
    """
    if data.get("schema") != SCHEMA:
        raise ValueError(f"expected schema {SCHEMA!r}, found {data.get('schema')!r}")
    status = data.get("solver", {}).get("status")
    if status is not None and not SolveStatus(status).has_plan:
        raise ValueError(f"the file records a solve without a plan (status {status!r})")
    events = tuple(event_from_json(e) for e in data["events"])
    nights = tuple(
        Night(class_id=n["class"], date=dt.date.fromisoformat(n["date"]), place=n["place"]) for n in data["nights"]
    )
    return Plan(events=events, nights=nights)


def write_json(path: str | os.PathLike[str], data: Mapping[str, Any]) -> None:
    """Write ``data`` as indented UTF-8 JSON, atomically; ``"-"`` writes to stdout.

    The text goes to a temporary file in the target's folder, which then replaces the
    target in one step: a reader sees the old file or the new one, never half of one, and
    a failed write leaves the old file as it was.
    """
    if str(path) == "-":
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2, allow_nan=False)
        sys.stdout.write("\n")
        return
    text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    write_text(Path(path), text)
