"""What the organisers run the programme from: the overview of every class and day, the lodging
list of each night and the duty sheet of each day, as plain views that the booklet and the
spreadsheet lay out alike.

Everything is read from the ``Document``; text is as the scenario gives it (the templates
escape it, the spreadsheet writes it as text), in the language of the ``Labels``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from scheduler.plan.model import Event
from scheduler.render.document import Contact, Document, Hotel, TrainingClass
from scheduler.render.labels import Labels

OVERVIEW_KINDS = ("opening", "lecture", "field_visit", "presentation", "closing")
"""The events an overview cell lists by time; the evening's seminar is one line after them."""


@dataclass(frozen=True)
class Line:
    """One line of an overview cell: a clock time (or none) and what happens."""

    time: str
    text: str
    kind: str
    detail: str = ""


@dataclass(frozen=True)
class Cell:
    """One class on one day: where it goes, what it does, where it sleeps."""

    route: str
    lines: tuple[Line, ...]
    night: str
    night_detail: str
    ends: bool


@dataclass(frozen=True)
class OverviewPage:
    """Days as rows, classes as columns (as a training office lays out its table); a programme
    too wide or too long for one page is cut into pages of ``OverviewPage`` each."""

    anchor: str
    classes: tuple[tuple[str, str], ...]  # (name, other language's name or "")
    days: tuple[tuple[str, str], ...]  # (day number, date)
    cells: tuple[tuple[Cell, ...], ...]  # [day][class]
    part: str = ""


def overview_cell(doc: Document, labels: Labels, klass: TrainingClass, date: dt.date) -> Cell:
    lang = labels.lang
    events = doc.events_of(klass.id, date)
    morning = doc.start_place_on(klass.id, date)
    evening = doc.end_place_on(klass.id, date)
    stops = [morning]
    for e in events:
        if e.kind == "travel" and e.to_place and e.to_place != stops[-1]:
            stops.append(e.to_place)
    route = " → ".join(doc.places[p].name(lang) for p in stops)
    lines = []
    for e in events:
        if e.kind in OVERVIEW_KINDS:
            who = doc.lecturer(e.lecturer).name(lang) if e.lecturer else ""
            lines.append(Line(_clock(e.start), _what(doc, labels, e), e.kind, who))
    evening_sessions = [e for e in events if e.kind in ("seminar", "report_writing")]
    if evening_sessions:
        kinds = dict.fromkeys(labels.kind(e) for e in evening_sessions)
        lines.append(Line(_clock(evening_sessions[0].start), " · ".join(kinds), evening_sessions[0].kind))
    hotel = doc.hotel_of(klass.id, date)
    night = doc.night_of(klass.id, date)
    if hotel is not None:
        night_text = doc.hotel_name(hotel, lang)
        detail = doc.places[hotel.place].name(lang) if hotel.name_zh or hotel.name_en else ""
    else:
        night_text = doc.places[evening].name(lang)
        detail = ""
    return Cell(route=route, lines=tuple(lines), night=night_text, night_detail=detail, ends=night is None)


def overview_pages(
    doc: Document, labels: Labels, *, classes_per_page: int = 5, days_per_page: int = 7
) -> list[OverviewPage]:
    """The overview, cut into pages of at most ``classes_per_page`` classes and
    ``days_per_page`` days (the Dalian week is one page)."""
    lang = labels.lang
    dates = doc.dates
    pages = []
    class_chunks = [doc.classes[i : i + classes_per_page] for i in range(0, len(doc.classes), classes_per_page)]
    date_chunks = [dates[i : i + days_per_page] for i in range(0, len(dates), days_per_page)]
    many = len(class_chunks) * len(date_chunks) > 1
    for ci, chunk in enumerate(class_chunks):
        for di, days in enumerate(date_chunks):
            part = ""
            if many:
                first, last = doc.day_number(days[0]), doc.day_number(days[-1])
                part = labels(
                    "overview_part",
                    first=first,
                    last=last,
                    a=ci * classes_per_page + 1,
                    b=ci * classes_per_page + len(chunk),
                )
            pages.append(
                OverviewPage(
                    anchor=f"overview-{ci + 1}-{di + 1}" if many else "overview",
                    classes=tuple((k.name(lang), k.other_name(lang) or "") for k in chunk),
                    days=tuple((labels("day_n", n=doc.day_number(d)), labels.short_date(d)) for d in days),
                    cells=tuple(tuple(overview_cell(doc, labels, k, d) for k in chunk) for d in days),
                    part=part,
                )
            )
    return pages


# ---------------------------------------------------------------------------
# Lodging


@dataclass(frozen=True)
class LodgingRow:
    """One hotel one night: the classes it takes, the people and the rooms they need."""

    hotel: str
    place: str
    address: str
    contacts: tuple[str, ...]
    classes: tuple[str, ...]
    trainees: int
    headcount: int
    rooms: int | None  # None: no class says how many rooms it needs
    rooms_held: int | None
    short: bool  # needs more rooms than the hotel holds for the programme
    note: str


@dataclass(frozen=True)
class LodgingNight:
    on: dt.date
    date: str
    day: str
    rows: tuple[LodgingRow, ...]
    headcount: int
    rooms: int | None  # None: no class says how many rooms it needs


def lodging_nights(doc: Document, labels: Labels) -> list[LodgingNight]:
    """Each night's hotels, in the scenario's order, with the classes staying there."""
    lang = labels.lang
    nights = []
    for date in doc.dates:
        stays = [doc.stays[(k.id, date)] for k in doc.classes if (k.id, date) in doc.stays]
        if not stays:
            continue
        rows = []
        order = list(doc.hotels)
        keyed = sorted(
            {s.hotel or f"@{s.place}" for s in stays},
            key=lambda key: (order.index(key), "") if key in order else (len(order), key),
        )
        for key in keyed:
            here = [s for s in stays if (s.hotel or f"@{s.place}") == key]
            hotel = doc.hotels.get(key)
            place = doc.places[here[0].place]
            trainees = sum(doc.training_class(s.class_id).trainees for s in here)
            headcount = sum(s.headcount if s.headcount is not None else trainees for s in here)
            rooms = _total(s.rooms for s in here)
            rows.append(
                LodgingRow(
                    hotel=doc.hotel_name(hotel, lang) if hotel else place.name(lang),
                    place=place.name(lang)
                    + (f" · {place.city}" if place.city and place.city != place.name(lang) else ""),
                    address=(doc.hotel_address(hotel) if hotel else place.address) or "",
                    contacts=tuple(contact_text(c) for c in (hotel.contacts if hotel else ())),
                    classes=tuple(doc.training_class(s.class_id).name(lang) for s in here),
                    trainees=trainees,
                    headcount=headcount,
                    rooms=rooms,
                    rooms_held=hotel.rooms if hotel else None,
                    short=bool(hotel and hotel.rooms is not None and rooms is not None and rooms > hotel.rooms),
                    note=(hotel.note if hotel else None) or "",
                )
            )
        nights.append(
            LodgingNight(
                on=date,
                date=labels.short_date(date),
                day=labels("day_n", n=doc.day_number(date)),
                rows=tuple(rows),
                headcount=sum(r.headcount for r in rows),
                rooms=_total(r.rooms for r in rows),
            )
        )
    return nights


def _total(counts: Iterable[int | None]) -> int | None:
    """The sum of the counts that are known; None when none is."""
    known = [count for count in counts if count is not None]
    return sum(known) if known else None


# ---------------------------------------------------------------------------
# The duty sheet


@dataclass(frozen=True)
class DutyStep:
    time: str
    text: str
    contact: str = ""


@dataclass(frozen=True)
class DutyClass:
    """One class's day as the person on duty follows it."""

    name: str
    trainees: int
    people: tuple[str, ...]  # class teacher, professor, driver: name and phone
    coach: str
    steps: tuple[DutyStep, ...]
    night: str
    night_contact: str


@dataclass(frozen=True)
class DutyPage:
    anchor: str
    day: str
    date: str
    classes: tuple[DutyClass, ...]
    office: tuple[str, ...] = field(default_factory=tuple)
    part: str = ""


def duty_pages(doc: Document, labels: Labels, *, classes_per_page: int = 4) -> list[DutyPage]:
    """One sheet a day (more where many classes run), every class's departures, visits, meals,
    arrivals and the people to call."""
    pages = []
    office = tuple(contact_text(c) for c in doc.programme.contacts)
    chunks = [doc.classes[i : i + classes_per_page] for i in range(0, len(doc.classes), classes_per_page)]
    for date in doc.dates:
        number = doc.day_number(date)
        for ci, chunk in enumerate(chunks):
            part = ""
            if len(chunks) > 1:
                part = labels("classes_part", a=ci * classes_per_page + 1, b=ci * classes_per_page + len(chunk))
            pages.append(
                DutyPage(
                    anchor=f"duty-{number}" + (f"-{ci + 1}" if len(chunks) > 1 else ""),
                    day=labels("day_n", n=number),
                    date=labels.date(date),
                    classes=tuple(_duty_class(doc, labels, k, date) for k in chunk),
                    office=office,
                    part=part,
                )
            )
    return pages


def _duty_class(doc: Document, labels: Labels, klass: TrainingClass, date: dt.date) -> DutyClass:
    lang = labels.lang
    people = []
    if klass.class_teacher:
        people.append(contact_text(klass.class_teacher, default_role=labels("class_teacher")))
    professor = klass.professor.name(lang)
    people.append(
        f"{labels('professor')}: {professor}" + (f" · {klass.professor.phone}" if klass.professor.phone else "")
    )
    coach = coach_text(klass, labels)
    steps = []
    for e in doc.events_of(klass.id, date):
        step = _duty_step(doc, labels, e)
        if step is not None:
            steps.append(step)
    hotel = doc.hotel_of(klass.id, date)
    night = doc.night_of(klass.id, date)
    if hotel is not None:
        night_text = doc.hotel_name(hotel, lang)
        address = doc.hotel_address(hotel)
        if address:
            night_text += f" · {address}"
        night_contact = "; ".join(contact_text(c) for c in hotel.contacts)
    else:
        place = doc.places[doc.end_place_on(klass.id, date)]
        night_text = place.name(lang) if night else f"{labels('ends_at')}: {place.name(lang)}"
        night_contact = ""
    return DutyClass(
        name=klass.name(lang),
        trainees=klass.trainees,
        people=tuple(people),
        coach=coach,
        steps=tuple(steps),
        night=night_text,
        night_contact=night_contact,
    )


def _duty_step(doc: Document, labels: Labels, e: Event) -> DutyStep | None:
    lang = labels.lang
    if e.kind == "travel" and e.from_place and e.to_place:
        if e.from_place == e.to_place:
            return None
        text = labels(
            "duty_leg",
            end=_clock(e.end),
            a=doc.places[e.from_place].name(lang),
            b=doc.places[e.to_place].name(lang),
        )
        return DutyStep(_clock(e.start), text)
    if e.kind == "field_visit" and e.site:
        site = doc.sites[e.site]
        contacts = "; ".join(contact_text(c) for c in site.contacts)
        address = doc.site_address(e.site)
        text = f"{labels.kind(e)}: {doc.site_name(e.site, lang)}" + (f" · {address}" if address else "")
        return DutyStep(_clock(e.start), text, contacts)
    if e.kind == "meal":
        return DutyStep(_clock(e.start), f"{labels.kind(e)} · {doc.places[e.place].name(lang)}")
    if e.kind == "free_time":
        return None
    if e.kind in ("seminar", "report_writing"):
        return DutyStep(_clock(e.start), f"{labels.kind(e)} – {_clock(e.end)}")
    return DutyStep(
        _clock(e.start), f"{_what(doc, labels, e)} · {doc.places[e.place].name(lang)}", _who(doc, labels, e)
    )


# ---------------------------------------------------------------------------
# Shared words


def contact_text(contact: Contact, default_role: str = "") -> str:
    """``Role: Name · phone · e-mail`` as written in the scenario."""
    role = contact.role or default_role
    parts = [f"{role}: {contact.name}" if role else contact.name]
    parts += [value for value in (contact.phone, contact.email) if value]
    return " · ".join(parts)


def coach_text(klass: TrainingClass, labels: Labels) -> str:
    coach = klass.coach
    if coach is None:
        return ""
    parts = [value for value in (coach.plate, coach.company) if value]
    if coach.driver:
        parts.append(f"{labels('driver')}: {coach.driver}")
    if coach.phone:
        parts.append(coach.phone)
    return " · ".join(parts)


def together_text(doc: Document, labels: Labels, visit: Event) -> str:
    """Who else is at the site while ``visit`` lasts, and how many trainees in all ("" if none)."""
    others = [doc.training_class(e.class_id) for e in doc.visits_alongside(visit)]
    if not others:
        return ""
    names = ("、" if labels.lang == "zh" else ", ").join(k.name(labels.lang) for k in others)
    trainees = doc.training_class(visit.class_id).trainees + sum(k.trainees for k in others)
    return labels("together", others=names, n=trainees)


def hotel_line(doc: Document, hotel: Hotel, lang: str) -> str:
    """The hotel's name and address, on one line."""
    address = doc.hotel_address(hotel)
    return doc.hotel_name(hotel, lang) + (f" · {address}" if address else "")


def _what(doc: Document, labels: Labels, e: Event) -> str:
    lang = labels.lang
    if e.kind == "field_visit" and e.site:
        return doc.site_name(e.site, lang)
    if e.kind == "lecture" and e.topic:
        topic = doc.topics.get(e.topic)
        return f"{labels.kind(e)}: {topic.name(lang) if topic else e.topic}"
    return labels.kind(e)


def _who(doc: Document, labels: Labels, e: Event) -> str:
    """The lecturer of a lecture, with the phone to call where the scenario gives one."""
    if not e.lecturer:
        return ""
    lecturer = doc.lecturer(e.lecturer)
    return " · ".join(value for value in (lecturer.name(labels.lang), lecturer.phone) if value)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


__all__ = [
    "Cell",
    "DutyClass",
    "DutyPage",
    "LodgingNight",
    "LodgingRow",
    "OverviewPage",
    "contact_text",
    "coach_text",
    "duty_pages",
    "hotel_line",
    "lodging_nights",
    "overview_cell",
    "overview_pages",
]
