"""The JSON export of a result: everything a later output needs, without the scenario file.

``result_to_json()`` turns a ``Result`` into plain data in the ``training-itinerary/1`` format
(described field by field in ``docs/plan-json.md``); ``write_json()`` writes it atomically;
``plan_from_json()`` reads the plan back, so a saved plan can be re-rendered without solving.
Clock times are ``"HH:MM"``, dates ``"YYYY-MM-DD"``; text is UTF-8 with Chinese kept as is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from scheduler.atomic import write_text
from scheduler.plan.figures import class_figures, lecturer_loads
from scheduler.plan.lodging import bookings
from scheduler.plan.model import Event, Night, Plan, Result, SolverStats, SolveStatus
from scheduler.plan.realism import Realism, realism
from scheduler.scenario.model import Coach, Contact, Names, Scenario, format_clock, parse_clock
from scheduler.scenario.travel import TravelTable

SCHEMA = "training-itinerary/1"
_Model = TypeVar("_Model", bound="_Data")

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


def _contact(contact: Contact | None) -> dict[str, str | None] | None:
    if contact is None:
        return None
    return {"name": contact.name, "role": contact.role, "phone": contact.phone, "email": contact.email}


def _contacts(contacts: tuple[Contact, ...]) -> list[dict[str, str | None]]:
    return [_contact(c) for c in contacts]  # type: ignore[misc]


def _coach(coach: Coach | None) -> dict[str, str | None] | None:
    if coach is None:
        return None
    return {"plate": coach.plate, "company": coach.company, "driver": coach.driver, "phone": coach.phone}


def _nights(scenario: Scenario, plan: Plan) -> list[dict[str, Any]]:
    """Each class's night with its hotel, headcount and rooms (``scheduler.plan.lodging``)."""
    stays = {(b.class_id, b.date): b for b in bookings(scenario, plan)}
    nights = []
    for n in plan.nights:
        data: dict[str, Any] = {"class": n.class_id, "date": n.date.isoformat(), "place": n.place}
        stay = stays.get((n.class_id, n.date))
        if stay is not None:
            data.update(hotel=stay.hotel, headcount=stay.headcount, rooms=stay.rooms)
        nights.append(data)
    return nights


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
    """An event back from its JSON data (``day`` and ``minutes`` are derived, so ignored).

    Raises
    ------
    PlanFormatError
        If a field is missing or of the wrong type.
    """
    return _event(_read(_EventData, data, "event"))


def _event(data: _EventData) -> Event:
    optional = {attr: getattr(data, attr) for attr, _ in _OPTIONAL_FIELDS if getattr(data, attr) is not None}
    return Event(
        class_id=data.class_id,
        date=data.date,
        start=data.start,
        end=data.end,
        kind=data.kind,
        place=data.place,
        **optional,
    )


def stats_to_json(stats: SolverStats) -> dict[str, Any]:
    """The solver's figures as JSON-ready data (the ``solver`` section)."""
    return {
        "status": stats.status.value,
        "objective": stats.objective,
        "best_bound": stats.best_bound,
        "gap": stats.gap,
        "scale": stats.scale,
        "seconds": stats.seconds,
        "first_plan_seconds": stats.first_plan_seconds,
        "plans_found": stats.plans_found,
        "workers": stats.workers,
        "seed": stats.seed,
        "time_limit": stats.time_limit,
        "interrupted": stats.interrupted,
        "focused": stats.focused,
        "reproducible": stats.reproducible,
        "cut_by_clock": stats.cut_by_clock,
    }


def result_to_json(scenario: Scenario, result: Result, source: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The result as JSON-ready data in the ``training-itinerary/1`` format.

    Parameters
    ----------
    scenario
        The scenario that was solved: names, places, definitions.
    result
        The solve's result; without a plan, ``events`` and ``nights`` are empty and
        ``kpis`` is empty.
    source
        The scenario's file, recorded (as an absolute path) with the scenario's digest so that
        ``solve.py render`` can find the scenario to check the plan against.
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
            "contacts": _contacts(programme.contacts),
            "notes": programme.notes,
        },
        "scenario": {
            "file": str(Path(source).resolve()) if source is not None else None,
            "digest": scenario_digest(scenario),
        },
        "solver": stats_to_json(stats),
        "objective_terms": dict(result.objective_terms),
        "definitions": {
            "teaching_kinds": list(scenario.definitions.teaching_kinds),
            "field_kinds": list(scenario.definitions.field_kinds),
            "workload_kinds": list(scenario.definitions.workload_kinds),
            "minutes_per_class_hour": programme.minutes_per_class_hour,
        },
        "places": [
            {
                "id": p.id,
                **_names(p),
                "lat": p.lat,
                "lon": p.lon,
                "city": p.city,
                "address": p.address,
                "note": p.note,
            }
            for p in scenario.places
        ],
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
                "professor": {
                    "id": c.professor.id,
                    **_names(c.professor),
                    "affiliation": c.professor.affiliation,
                    "phone": c.professor.phone,
                },
                "class_teacher": _contact(c.class_teacher),
                "coach": _coach(c.coach),
                "notes": c.notes,
            }
            for c in scenario.classes
        ],
        "lecturers": [
            {
                "id": lec.id,
                **_names(lec),
                "affiliation": lec.affiliation,
                "topics": list(lec.topics),
                "home": lec.home,
                "phone": lec.phone,
                "email": lec.email,
                "contact": _contact(lec.contact),
            }
            for lec in scenario.lecturers
        ],
        "sites": [
            {
                "id": s.id,
                "name_zh": s.name_zh,
                "name_en": s.name_en,
                "place": s.place,
                "address": s.address,
                "contacts": _contacts(s.contacts),
                "note": s.note,
                "kind": s.kind.value,
                "themes": list(s.themes),
                "red_education": s.is_red_education,
                "visit_minutes": s.visit_minutes,
                "hours": {"open": format_clock(s.hours.open), "close": format_clock(s.hours.close)},
            }
            for s in scenario.sites
        ],
        "lodging": [
            {
                "id": key,
                "name_zh": h.name_zh,
                "name_en": h.name_en,
                "place": h.place,
                "address": h.address,
                "contacts": _contacts(h.contacts),
                "classes_per_night": h.classes_per_night,
                "rooms": h.rooms,
                "people_per_room": h.people_per_room,
                "note": h.note,
            }
            for key, h in zip(scenario.hotel_keys(), scenario.lodging, strict=True)
        ],
        "events": [event_to_json(e, programme.first_date) for e in plan.events] if plan else [],
        "nights": _nights(scenario, plan) if plan else [],
        "kpis": {cid: f.to_dict() for cid, f in class_figures(scenario, plan).items()} if plan else {},
        "lecturer_loads": lecturer_loads(scenario, plan) if plan else {},
        "requirements": {c.id: _requirements(scenario, c.id) for c in scenario.classes},
        **_trips_and_realism(scenario, plan),
    }


def _trips_and_realism(scenario: Scenario, plan: Plan | None) -> dict[str, Any]:
    """``lecturer_trips`` and ``realism``, on one travel table."""
    if plan is None:
        return {"lecturer_trips": [], "realism": {}}
    travel = TravelTable(scenario)
    trips = lecturer_trips(scenario, plan, travel)
    return {"lecturer_trips": trips, "realism": plan_realism(scenario, plan, travel, trips).to_dict()}


def plan_realism(
    scenario: Scenario, plan: Plan, travel: TravelTable | None = None, trips: list[dict[str, Any]] | None = None
) -> Realism:
    """The plan's realism figures as every output states them: with the trips home that the
    plan JSON's ``lecturer_trips`` (given, or worked out) shows."""
    travel = travel or TravelTable(scenario)
    trips = lecturer_trips(scenario, plan, travel) if trips is None else trips
    returns = sum(1 for trip in trips if trip["after"]["home"])
    return realism(scenario, plan, travel=travel, returns_shown=returns)


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


def lecturer_trips(scenario: Scenario, plan: Plan, travel: TravelTable | None = None) -> list[dict[str, Any]]:
    """How each lecturer reaches each lecture, and where they go after it.

    One entry per lecture, by lecturer, date and time. The way there is from home, or from the
    lecturer's previous lecture that day: ``arrive_by`` is the lecture's start less the arrival
    margin (``limits.lecturer_arrival_margin_minutes``), ``leave_by`` that less the leg's
    door-to-door minutes (the travel table's, as the rules use). ``after`` is the way on: to
    the lecturer's next lecture that day, or home (``home``: true), leaving when the lecture
    ends.
    """
    travel = travel or TravelTable(scenario)
    margin = scenario.limits.lecturer_arrival_margin_minutes
    lectures = sorted(
        (e for e in plan.events if e.kind == "lecture" and e.lecturer),
        key=lambda e: (e.lecturer or "", e.date, e.start),
    )
    trips: list[dict[str, Any]] = []
    for i, event in enumerate(lectures):
        lecturer = scenario.lecturer(event.lecturer or "")
        previous = lectures[i - 1] if i > 0 else None
        following = lectures[i + 1] if i + 1 < len(lectures) else None
        same_day = previous is not None and previous.lecturer == event.lecturer and previous.date == event.date
        origin = previous.place if same_day and previous is not None else lecturer.home
        leg = travel.leg(origin, event.place)
        arrive_by = event.start - (margin if origin != event.place else 0)
        goes_on = following is not None and following.lecturer == event.lecturer and following.date == event.date
        onward = following.place if goes_on and following is not None else lecturer.home
        back = travel.leg(event.place, onward)
        trips.append(
            {
                "lecturer": lecturer.id,
                "class": event.class_id,
                "date": event.date.isoformat(),
                "lecture_start": format_clock(event.start),
                "lecture_end": format_clock(event.end),
                "from": origin,
                "from_home": not same_day,
                "to": event.place,
                "arrive_by": format_clock(max(0, arrive_by)),
                "leave_by": format_clock(max(0, arrive_by - leg.minutes)),
                "driving_minutes": leg.driving_minutes,
                "rest_minutes": leg.rest_minutes,
                "km": leg.km,
                "after": {
                    "to": onward,
                    "home": not goes_on,
                    "leaves": format_clock(event.end),
                    "arrives": format_clock(min(24 * 60, event.end + back.minutes)),
                    "driving_minutes": back.driving_minutes,
                    "rest_minutes": back.rest_minutes,
                    "km": back.km,
                },
            }
        )
    return trips


def saved_objective(data: Any) -> tuple[float | None, dict[str, int] | None]:
    """A saved plan's objective and its terms by name, each None where the file does not give
    it as numbers (a plan file from another tool, or without its solver section)."""
    solver = data.get("solver") if isinstance(data, dict) else None
    objective = solver.get("objective") if isinstance(solver, dict) else None
    if not isinstance(objective, int | float) or isinstance(objective, bool):
        objective = None
    terms = data.get("objective_terms") if isinstance(data, dict) else None
    if not (isinstance(terms, dict) and all(isinstance(v, int) and not isinstance(v, bool) for v in terms.values())):
        terms = None
    return (float(objective) if objective is not None else None), terms


def plan_from_json(data: Any) -> Plan:
    """Read the plan back from ``training-itinerary/1`` data.

    Only the shape is checked here (every field present, of its type, a date a date and a
    clock time ``"HH:MM"``); whether the plan keeps the rules of a scenario is the checker's
    question (``scheduler.analysis.check``).

    Raises
    ------
    PlanFormatError
        If the data is in another format, records a solve that found no plan, or a field is
        missing or of the wrong type (the error names the field, as ``events[3].start``).
    """
    if not isinstance(data, Mapping):
        raise PlanFormatError("the file holds no JSON object (expected a plan written by solve.py --json)")
    if data.get("schema") != SCHEMA:
        raise PlanFormatError(f"{data.get('schema')!r} is not a plan file's schema (expected {SCHEMA!r})", "schema")
    read = _read(_PlanData, data, "plan")
    if read.solver is not None and read.solver.status is not None and not read.solver.status.has_plan:
        raise PlanFormatError(f"the file records a solve without a plan (status {read.solver.status.value!r})")
    return Plan(events=tuple(_event(e) for e in read.events), nights=tuple(_night(n) for n in read.nights))


def _night(data: _NightData) -> Night:
    return Night(class_id=data.class_id, date=data.date, place=data.place)


def scenario_digest(scenario: Scenario) -> str:
    """A fingerprint of the validated scenario (its content, not its file's layout or comments):
    the same for a scenario file and a variant that resolves to the same programme."""
    text = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def made_from(data: Mapping[str, Any]) -> ScenarioRecord | None:
    """The scenario a plan file records it was made from, when it records one in a valid form."""
    record = data.get("scenario")
    if not isinstance(record, Mapping):
        return None
    file, digest = record.get("file"), record.get("digest")
    if not isinstance(digest, str) or (file is not None and not isinstance(file, str)):
        return None
    return ScenarioRecord(file, digest)


# -- the shape of a plan file -------------------------------------------------------


class PlanFormatError(ValueError):
    """A plan file that cannot be read as a plan; ``field`` names where (``events[3].start``)."""

    def __init__(self, reason: str, field: str | None = None):
        self.reason = reason
        self.field = field
        super().__init__(f"{field}: {reason}" if field else reason)


@dataclass(frozen=True)
class ScenarioRecord:
    """Which scenario a plan was made from: its file as given to the solver, and its digest."""

    file: str | None
    digest: str


def _clock(value: Any) -> int:
    return parse_clock(value)


def _iso_date(value: Any) -> dt.date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError(f'{value!r} is not a date (expected "YYYY-MM-DD" in quotes)')
    return dt.date.fromisoformat(value)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_Text = Annotated[str, Field(strict=True, max_length=10_000)]
_Clock = Annotated[int, BeforeValidator(_clock)]
_Date = Annotated[dt.date, BeforeValidator(_iso_date)]
_Minutes = Annotated[int, Field(strict=True, ge=0, le=10 * 24 * 60)]


class _Data(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class _EventData(_Data):
    class_id: _Text = Field(alias="class")
    date: _Date
    start: _Clock
    end: _Clock
    kind: _Text
    place: _Text
    site: _Text | None = None
    lecturer: _Text | None = None
    professor: _Text | None = None
    topic: _Text | None = None
    label: _Text | None = None
    from_place: _Text | None = Field(None, alias="from")
    to_place: _Text | None = Field(None, alias="to")
    driving_minutes: _Minutes | None = None
    rest_minutes: _Minutes | None = None
    km: Annotated[float, Field(strict=True, ge=0, le=100_000, allow_inf_nan=False)] | None = None


class _NightData(_Data):
    class_id: _Text = Field(alias="class")
    date: _Date
    place: _Text


class _SolverData(_Data):
    status: SolveStatus | None = None


class _PlanData(_Data):
    solver: _SolverData | None = None
    events: list[_EventData]
    nights: list[_NightData]


def _read(model: type[_Model], data: Any, what: str) -> _Model:
    """``data`` validated as ``model``; the first problem as a PlanFormatError naming its field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problem = error.errors(include_url=False)[0]
        field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in problem["loc"]).lstrip(".")
        reason = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "missing":
            reason = "missing (every plan file has it)"
        elif problem["type"] in ("model_type", "model_attributes_type", "dict_type"):
            reason = "expected an object ({...})"
        elif problem["type"] == "list_type":
            reason = "expected a list ([...])"
        count = error.error_count()
        more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
        raise PlanFormatError(reason + more, field or None) from None


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
