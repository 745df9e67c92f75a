"""The plan JSON as typed, read-only objects for the outputs.

Every output (booklet, maps, calendars, spreadsheet) reads a ``Document`` and nothing else: it
is built from the ``training-itinerary/1`` data alone (``scheduler.plan.export.result_to_json()``),
so a saved plan renders without the scenario file or the solver. A file that lacks something
the outputs need raises ``PlanFileError`` naming the missing key, never a ``KeyError``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from scheduler.plan.export import SCHEMA, plan_from_json
from scheduler.plan.model import Event, Plan, SolveStatus
from scheduler.render.files import clean_text
from scheduler.scenario.model import MAX_DAYS

_SECTIONS = {
    "programme": dict,
    "places": list,
    "classes": list,
    "themes": list,
    "topics": list,
    "lecturers": list,
    "sites": list,
    "lodging": list,
    "lecturer_trips": list,
    "kpis": dict,
    "requirements": dict,
    "definitions": dict,
    "solver": dict,
}
_OPTIONAL_SECTIONS = {
    "themes",
    "topics",
    "lecturers",
    "sites",
    "lodging",
    "lecturer_trips",
    "kpis",
    "requirements",
    "definitions",
    "solver",
}


class PlanFileError(ValueError):
    """The plan data cannot be rendered: another format, no plan, or a key missing."""


class NoPlanError(PlanFileError):
    """The file records a solve that found no plan (nothing to render)."""


@dataclass(frozen=True)
class Named:
    """Something with an id and a Chinese and/or English name."""

    id: str
    name_zh: str | None
    name_en: str | None

    def name(self, lang: str) -> str:
        """The name in ``lang``, else the other one, else the id."""
        first, second = (self.name_zh, self.name_en) if lang == "zh" else (self.name_en, self.name_zh)
        return first or second or self.id

    def other_name(self, lang: str) -> str | None:
        """The name in the other language, when it exists and differs from ``name(lang)``."""
        other = self.name_en if lang == "zh" else self.name_zh
        return other if other and other != self.name(lang) else None

    def both(self, lang: str) -> str:
        """``name (other name)``, or just the name."""
        other = self.other_name(lang)
        return f"{self.name(lang)} ({other})" if other else self.name(lang)


@dataclass(frozen=True)
class Contact:
    """A person to call; every field is text as the scenario gives it."""

    name: str
    role: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Coach:
    plate: str | None = None
    company: str | None = None
    driver: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Place(Named):
    lat: float
    lon: float
    city: str | None = None
    address: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Person(Named):
    affiliation: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class TrainingClass(Named):
    theme: str
    trainees: int
    base: str
    start_place: str
    end_place: str
    professor: Person
    class_teacher: Contact | None = None
    coach: Coach | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Lecturer(Named):
    affiliation: str | None
    topics: tuple[str, ...]
    home: str
    phone: str | None = None
    email: str | None = None
    contact: Contact | None = None


@dataclass(frozen=True)
class Site:
    """A field-teaching site; without a name of its own it takes its place's
    (``Document.site_name``)."""

    id: str
    place: str
    kind: str
    themes: tuple[str, ...]
    red_education: bool
    visit_minutes: int
    name_zh: str | None = None
    name_en: str | None = None
    address: str | None = None
    contacts: tuple[Contact, ...] = ()
    note: str | None = None
    hours: tuple[str, str] | None = None


@dataclass(frozen=True)
class Hotel(Named):
    """Where classes sleep; without a name of its own it takes its place's
    (``Document.hotel_name``)."""

    place: str = ""
    address: str | None = None
    contacts: tuple[Contact, ...] = ()
    classes_per_night: int = 1
    rooms: int | None = None
    people_per_room: int = 2
    note: str | None = None


@dataclass(frozen=True)
class Stay:
    """A class's night: its hotel, the people it brings and the rooms they need."""

    class_id: str
    date: dt.date
    place: str
    hotel: str | None
    headcount: int | None
    rooms: int | None


@dataclass(frozen=True)
class Trip:
    """How a lecturer reaches one lecture (from home or from their previous lecture that day)."""

    lecturer: str
    class_id: str
    date: dt.date
    lecture_start: str
    from_place: str
    from_home: bool
    to_place: str
    leave_by: str
    driving_minutes: int
    rest_minutes: int
    km: float
    back: Onward | None = None
    """Where the lecturer goes after the lecture (home, or on to their next lecture that day)."""


@dataclass(frozen=True)
class Onward:
    """A lecturer's way on after a lecture: home, or to their next lecture that day."""

    to_place: str
    home: bool
    leaves: str
    arrives: str
    driving_minutes: int
    rest_minutes: int
    km: float


@dataclass(frozen=True)
class Programme(Named):
    first_date: dt.date
    last_date: dt.date
    days: int
    timezone: str
    language: str
    organiser: str | None
    contacts: tuple[Contact, ...] = ()
    notes: str | None = None


@dataclass(frozen=True)
class Document:
    """Everything the outputs show, looked up by id."""

    programme: Programme
    places: dict[str, Place]
    themes: dict[str, Named]
    topics: dict[str, Named]
    classes: tuple[TrainingClass, ...]
    lecturers: tuple[Lecturer, ...]
    sites: dict[str, Site]
    plan: Plan
    kpis: dict[str, dict[str, Any]]
    requirements: dict[str, dict[str, Any]]
    definitions: dict[str, Any]
    solver: dict[str, Any]
    trips: tuple[Trip, ...] = ()
    hotels: dict[str, Hotel] = field(default_factory=dict)
    stays: dict[tuple[str, dt.date], Stay] = field(default_factory=dict)
    unchecked: bool = False
    """True when the plan was not checked against its scenario: every output says so."""
    _lecturers_by_id: dict[str, Lecturer] = field(default_factory=dict, repr=False)

    # -- reading ------------------------------------------------------------------
    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Document:
        """Read ``training-itinerary/1`` data (as ``json.load`` gives it).

        Raises
        ------
        PlanFileError
            If the data is in another format, records no plan, or lacks a key the outputs need.
        """
        if not isinstance(data, Mapping):
            raise PlanFileError("the file holds no JSON object (expected a plan written by solve.py --json)")
        if data.get("schema") != SCHEMA:
            raise PlanFileError(f"the file's schema is {data.get('schema')!r} (expected {SCHEMA!r})")
        solver = data.get("solver")
        status = solver.get("status") if isinstance(solver, Mapping) else None
        if status is not None:
            try:
                has_plan = SolveStatus(status).has_plan
            except ValueError:
                raise PlanFileError(f"unknown solver status {status!r}") from None
            if not has_plan:
                raise NoPlanError(f"the file records a solve without a plan (status {status!r}): nothing to render")
        for key, shape in _SECTIONS.items():
            value = data.get(key)
            if value is None and key in _OPTIONAL_SECTIONS:
                continue
            if shape is list and not (isinstance(value, list) and all(isinstance(v, Mapping) for v in value)):
                raise PlanFileError(f"{key}: expected a list of objects ([{{...}}, ...])")
            if shape is dict and not isinstance(value, Mapping):
                raise PlanFileError(f"{key}: expected an object ({{...}})")
        try:
            plan = plan_from_json(data)
            return cls._build(data, plan)
        except PlanFileError:
            raise
        except KeyError as error:
            raise PlanFileError(f"the plan lacks the key {error.args[0]!r} (expected a complete plan file)") from None
        except (TypeError, ValueError, AttributeError) as error:
            raise PlanFileError(f"the plan is malformed: {error}") from None

    @classmethod
    def _build(cls, data: Mapping[str, Any], plan: Plan) -> Document:
        prog = data["programme"]
        programme = Programme(
            id="programme",
            name_zh=_text(prog.get("name_zh")),
            name_en=_text(prog.get("name_en")),
            first_date=dt.date.fromisoformat(prog["first_date"]),
            last_date=dt.date.fromisoformat(prog["last_date"]),
            days=int(prog["days"]),
            timezone=prog.get("timezone") or "Asia/Shanghai",
            language=prog.get("language") or "zh",
            organiser=_text(prog.get("organiser")),
            contacts=_contacts(prog.get("contacts")),
            notes=_text(prog.get("notes")),
        )
        places = {
            p["id"]: Place(
                p["id"],
                _text(p.get("name_zh")),
                _text(p.get("name_en")),
                float(p["lat"]),
                float(p["lon"]),
                _text(p.get("city")),
                _text(p.get("address")),
                _text(p.get("note")),
            )
            for p in data["places"]
        }
        classes = tuple(
            TrainingClass(
                id=c["id"],
                name_zh=_text(c.get("name_zh")),
                name_en=_text(c.get("name_en")),
                theme=c["theme"],
                trainees=int(c["trainees"]),
                base=c["base"],
                start_place=c.get("start_place") or c["base"],
                end_place=c.get("end_place") or c["base"],
                professor=Person(
                    c["professor"]["id"],
                    _text(c["professor"].get("name_zh")),
                    _text(c["professor"].get("name_en")),
                    _text(c["professor"].get("affiliation")),
                    _text(c["professor"].get("phone")),
                ),
                class_teacher=_contact(c.get("class_teacher")),
                coach=_coach(c.get("coach")),
                notes=_text(c.get("notes")),
            )
            for c in data["classes"]
        )
        lecturers = tuple(
            Lecturer(
                id=lec["id"],
                name_zh=_text(lec.get("name_zh")),
                name_en=_text(lec.get("name_en")),
                affiliation=_text(lec.get("affiliation")),
                topics=tuple(lec.get("topics", ())),
                home=lec["home"],
                phone=_text(lec.get("phone")),
                email=_text(lec.get("email")),
                contact=_contact(lec.get("contact")),
            )
            for lec in data.get("lecturers", ())
        )
        sites = {
            s["id"]: Site(
                id=s["id"],
                place=s["place"],
                kind=s.get("kind", "other"),
                themes=tuple(s.get("themes", ())),
                red_education=bool(s.get("red_education", False)),
                visit_minutes=int(s.get("visit_minutes", 0)),
                name_zh=_text(s.get("name_zh")),
                name_en=_text(s.get("name_en")),
                address=_text(s.get("address")),
                contacts=_contacts(s.get("contacts")),
                note=_text(s.get("note")),
                hours=(s["hours"]["open"], s["hours"]["close"]) if isinstance(s.get("hours"), Mapping) else None,
            )
            for s in data.get("sites", ())
        }
        hotels = {
            h["id"]: Hotel(
                id=h["id"],
                name_zh=_text(h.get("name_zh")),
                name_en=_text(h.get("name_en")),
                place=h["place"],
                address=_text(h.get("address")),
                contacts=_contacts(h.get("contacts")),
                classes_per_night=int(h.get("classes_per_night", 1)),
                rooms=int(h["rooms"]) if h.get("rooms") is not None else None,
                people_per_room=int(h.get("people_per_room", 2)),
                note=_text(h.get("note")),
            )
            for h in data.get("lodging", ())
        }
        stays = {}
        for n in data["nights"]:
            date = dt.date.fromisoformat(n["date"])
            stays[(n["class"], date)] = Stay(
                class_id=n["class"],
                date=date,
                place=n["place"],
                hotel=n.get("hotel"),
                headcount=int(n["headcount"]) if n.get("headcount") is not None else None,
                rooms=int(n["rooms"]) if n.get("rooms") is not None else None,
            )
        trips = tuple(
            Trip(
                lecturer=t["lecturer"],
                class_id=t["class"],
                date=dt.date.fromisoformat(t["date"]),
                lecture_start=t["lecture_start"],
                from_place=t["from"],
                from_home=bool(t["from_home"]),
                to_place=t["to"],
                leave_by=t["leave_by"],
                driving_minutes=int(t["driving_minutes"]),
                rest_minutes=int(t.get("rest_minutes", 0)),
                km=float(t["km"]),
                back=_onward(t.get("after")),
            )
            for t in data.get("lecturer_trips", ())
        )
        document = cls(
            programme=programme,
            places=places,
            themes={
                t["id"]: Named(t["id"], _text(t.get("name_zh")), _text(t.get("name_en")))
                for t in data.get("themes", ())
            },
            topics={
                t["id"]: Named(t["id"], _text(t.get("name_zh")), _text(t.get("name_en")))
                for t in data.get("topics", ())
            },
            classes=classes,
            lecturers=lecturers,
            sites=sites,
            plan=plan,
            kpis=dict(data.get("kpis", {})),
            requirements=dict(data.get("requirements", {})),
            definitions=dict(data.get("definitions", {})),
            solver=dict(data.get("solver", {})),
            trips=trips,
            hotels=hotels,
            stays=stays,
            _lecturers_by_id={lec.id: lec for lec in lecturers},
        )
        document._check_references()
        document._check_dates()
        return document

    def _check_dates(self) -> None:
        """The programme's days are as many as a scenario may have and agree with its dates, and
        every event and night falls on one of them (a hand-edited file could ask for a map of
        each of 100,000 days)."""
        programme = self.programme
        if not 1 <= programme.days <= MAX_DAYS:
            raise PlanFileError(f"programme.days: {programme.days} (expected 1 to {MAX_DAYS})")
        if programme.last_date != programme.first_date + dt.timedelta(days=programme.days - 1):
            raise PlanFileError(
                f"programme.last_date: {programme.last_date} is not {programme.days} days from first_date "
                f"{programme.first_date}"
            )
        for item in (*self.plan.events, *self.plan.nights):
            if not programme.first_date <= item.date <= programme.last_date:
                raise PlanFileError(
                    f"the plan has an event or night of class {item.class_id} on {item.date}, outside the programme "
                    f"({programme.first_date} to {programme.last_date})"
                )

    def _check_references(self) -> None:
        """Every id the plan uses is described, so that no output meets an unknown id halfway."""
        class_ids = {c.id for c in self.classes}
        for c in self.classes:
            for place in (c.base, c.start_place, c.end_place):
                self._known("place", place, self.places)
        for lec in self.lecturers:
            self._known("place", lec.home, self.places)
        for site in self.sites.values():
            self._known("place", site.place, self.places)
        for e in self.plan.events:
            self._known("class", e.class_id, class_ids)
            self._known("place", e.place, self.places)
            for place in (e.from_place, e.to_place):
                if place is not None:
                    self._known("place", place, self.places)
            if e.site is not None:
                self._known("site", e.site, self.sites)
            if e.lecturer is not None:
                self._known("lecturer", e.lecturer, self._lecturers_by_id)
            if e.topic is not None:
                self._known("topic", e.topic, self.topics)
        for n in self.plan.nights:
            self._known("class", n.class_id, class_ids)
            self._known("place", n.place, self.places)
        for trip in self.trips:
            if trip.back is not None:
                self._known("place", trip.back.to_place, self.places)
        for hotel in self.hotels.values():
            self._known("place", hotel.place, self.places)
        for stay in self.stays.values():
            if stay.hotel is not None:
                self._known("hotel", stay.hotel, self.hotels)

    @staticmethod
    def _known(kind: str, value: str, known: Mapping[str, Any] | set[str]) -> None:
        if value not in known:
            raise PlanFileError(f"the plan names the {kind} {value!r}, which the file does not describe")

    # -- looking up -----------------------------------------------------------------
    def lecturer(self, lecturer_id: str) -> Lecturer:
        return self._lecturers_by_id[lecturer_id]

    def training_class(self, class_id: str) -> TrainingClass:
        return next(c for c in self.classes if c.id == class_id)

    def site_place(self, site_id: str) -> Place:
        return self.places[self.sites[site_id].place]

    def site_named(self, site_id: str) -> Named:
        """The site's names: its own, else its place's."""
        site = self.sites[site_id]
        return (
            Named(site.id, site.name_zh, site.name_en) if (site.name_zh or site.name_en) else self.site_place(site_id)
        )

    def site_name(self, site_id: str, lang: str) -> str:
        """The site's name in ``lang``: its own, else its place's."""
        return self.site_named(site_id).name(lang)

    def site_address(self, site_id: str) -> str | None:
        """Where the coach stops: the site's address, else its place's."""
        return self.sites[site_id].address or self.site_place(site_id).address

    def hotel_of(self, class_id: str, date: dt.date) -> Hotel | None:
        """The hotel the class sleeps in after ``date``, when the file names one."""
        stay = self.stays.get((class_id, date))
        return self.hotels.get(stay.hotel) if stay is not None and stay.hotel is not None else None

    def hotel_named(self, hotel: Hotel) -> Named:
        """The hotel's names: its own, else its place's."""
        return hotel if (hotel.name_zh or hotel.name_en) else self.places[hotel.place]

    def hotel_name(self, hotel: Hotel, lang: str) -> str:
        """The hotel's name in ``lang``: its own, else its place's."""
        return self.hotel_named(hotel).name(lang)

    def hotel_address(self, hotel: Hotel) -> str | None:
        return hotel.address or self.places[hotel.place].address

    def professor_named(self, professor_id: str) -> Person | None:
        return next((c.professor for c in self.classes if c.professor.id == professor_id), None)

    @property
    def dates(self) -> list[dt.date]:
        return [self.programme.first_date + dt.timedelta(days=d) for d in range(self.programme.days)]

    def day_number(self, date: dt.date) -> int:
        """1 for the first day."""
        return (date - self.programme.first_date).days + 1

    def events_of(self, class_id: str, date: dt.date | None = None) -> list[Event]:
        return self.plan.events_of(class_id, date)

    def night_of(self, class_id: str, date: dt.date) -> str | None:
        return self.plan.night_of(class_id, date)

    def start_place_on(self, class_id: str, date: dt.date) -> str:
        """Where the class wakes up on ``date``: its start place on day 1, else last night's place."""
        if date == self.programme.first_date:
            return self.training_class(class_id).start_place
        return self.night_of(class_id, date - dt.timedelta(days=1)) or self.training_class(class_id).base

    def end_place_on(self, class_id: str, date: dt.date) -> str:
        """Where the class ends the day: that night's place, or its end place on the last day."""
        return self.night_of(class_id, date) or self.training_class(class_id).end_place

    def lectures_of(self, lecturer_id: str) -> list[Event]:
        """The lecturer's lectures, by date and time."""
        chosen = [e for e in self.plan.events if e.kind == "lecture" and e.lecturer == lecturer_id]
        return sorted(chosen, key=lambda e: (e.date, e.start, e.class_id))

    def trip_to(self, event: Event) -> Trip | None:
        """How the lecturer of ``event`` reaches it, if the file records it."""
        for trip in self.trips:
            if (
                trip.lecturer == event.lecturer
                and trip.class_id == event.class_id
                and trip.date == event.date
                and trip.to_place == event.place
                and trip.lecture_start == _clock(event.start)
            ):
                return trip
        return None

    def visits_to(self, site_id: str) -> list[Event]:
        """Every class's visits to the site, by date and time."""
        chosen = [e for e in self.plan.events if e.kind == "field_visit" and e.site == site_id]
        return sorted(chosen, key=lambda e: (e.date, e.start, e.class_id))

    def lunch_at_visit(self, visit: Event) -> Event | None:
        """The class's lunch at the site of ``visit``: at its place, right before or after it."""
        for e in self.events_of(visit.class_id, visit.date):
            if (
                e.kind == "meal"
                and e.label == "lunch"
                and e.place == visit.place
                and (e.end == visit.start or e.start == visit.end)
            ):
                return e
        return None

    def visits_alongside(self, visit: Event) -> list[Event]:
        """Other classes' visits to the same site that overlap ``visit`` in time."""
        return [
            e
            for e in self.visits_to(visit.site or "")
            if e is not visit and e.date == visit.date and e.start < visit.end and visit.start < e.end
        ]

    def visited_sites(self) -> list[Site]:
        """The sites some class visits, in the order of their first visit."""
        seen: dict[str, Site] = {}
        for e in sorted(self.plan.events, key=lambda e: (e.date, e.start)):
            if e.kind == "field_visit" and e.site and e.site not in seen:
                seen[e.site] = self.sites[e.site]
        return list(seen.values())

    def teaching_lecturers(self) -> list[Lecturer]:
        """Lecturers who give at least one lecture, in the file's order."""
        busy = {e.lecturer for e in self.plan.events if e.kind == "lecture"}
        return [lec for lec in self.lecturers if lec.id in busy]

    def route_of(self, class_id: str, date: dt.date | None = None) -> Iterator[Event]:
        """The class's coach legs (on one date if given), in order."""
        return (e for e in self.events_of(class_id, date) if e.kind == "travel" and e.from_place and e.to_place)


def _text(value: Any) -> Any:
    """A name or other text of the file without control characters (``files.clean_text``)."""
    return clean_text(value) if isinstance(value, str) else value


def _contact(value: Any) -> Contact | None:
    if not isinstance(value, Mapping) or not isinstance(value.get("name"), str):
        return None
    return Contact(
        name=_text(value["name"]),
        role=_text(value.get("role")),
        phone=_text(value.get("phone")),
        email=_text(value.get("email")),
    )


def _contacts(values: Any) -> tuple[Contact, ...]:
    if not isinstance(values, list):
        return ()
    return tuple(c for c in map(_contact, values) if c is not None)


def _coach(value: Any) -> Coach | None:
    if not isinstance(value, Mapping):
        return None
    return Coach(*(_text(value.get(key)) for key in ("plate", "company", "driver", "phone")))


def _onward(value: Any) -> Onward | None:
    if not isinstance(value, Mapping):
        return None
    return Onward(
        to_place=value["to"],
        home=bool(value.get("home", True)),
        leaves=value["leaves"],
        arrives=value["arrives"],
        driving_minutes=int(value.get("driving_minutes", 0)),
        rest_minutes=int(value.get("rest_minutes", 0)),
        km=float(value.get("km", 0.0)),
    )


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
