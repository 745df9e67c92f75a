"""The booklet as HTML: Jinja2 templates (autoescaped) with print CSS for A4.

``booklet_html()`` turns a ``Document`` into one HTML page that a browser shows as A4 sheets and
prints page by page: a cover, then for each class an overview (week map, key facts), a
week-at-a-glance grid and one sheet per day, then one sheet per lecturer and per site, and the
figures. The same HTML is handed to WeasyPrint for the PDF (``pdf.py``). Every name from the
plan goes through Jinja's autoescaping, so a name such as ``<script>`` prints as text.

The templates get plain view objects built here, so that they only lay things out.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from scheduler.plan.model import EVENT_KINDS, Event
from scheduler.render.document import Document, Named, TrainingClass
from scheduler.render.files import file_name
from scheduler.render.labels import Labels
from scheduler.render.logistics import coach_text, contact_text, duty_pages, lodging_nights, overview_pages
from scheduler.render.maps import MapFiles
from scheduler.render.templating import environment

GRID_HEIGHT_MM = 212.0
"""Height of the week-at-a-glance grid; the hours shown share it."""


@dataclass(frozen=True)
class Name:
    """A name as shown: the main one, and the other language's underneath when it differs."""

    main: str
    other: str | None = None

    @classmethod
    def of(cls, thing: Named, lang: str) -> Name:
        return cls(thing.name(lang), thing.other_name(lang))

    def __str__(self) -> str:
        return f"{self.main} ({self.other})" if self.other else self.main


@dataclass(frozen=True)
class Row:
    """One line of a day's timeline."""

    kind: str
    time: str
    activity: str
    details: list[Name]
    place: Name | None
    who: Name | None
    coach: list[str] = field(default_factory=list)
    leg: int | None = None  # the coach leg's number, as on the day's map


@dataclass(frozen=True)
class DayPage:
    anchor: str
    klass: Name
    class_id: str
    day_number: int
    heading: str
    date: str
    morning: Name
    night: Name
    night_label: str
    night_address: str
    rows: list[Row]
    map: str
    map_alt: str
    coach_summary: str
    dense: bool


@dataclass(frozen=True)
class Block:
    """An event in the week-at-a-glance grid, placed in mm from the grid's top."""

    kind: str
    top: float
    height: float
    title: str
    subtitle: str
    time: str


@dataclass(frozen=True)
class WeekColumn:
    heading: str
    date: str
    blocks: list[Block]
    night: str
    ends: bool  # the last day: where the programme ends, not a night


@dataclass(frozen=True)
class ClassSection:
    anchor: str
    id: str
    name: Name
    theme: Name | None
    trainees: int
    base: Name
    professor: Name
    professor_affiliation: str | None
    class_teacher: str
    coach: str
    notes: str
    week_map: str
    week_map_alt: str
    facts: list[tuple[str, str]]
    hours: list[tuple[str, float]]  # (label, mm from the top) for the grid's hour lines
    columns: list[WeekColumn]
    days: list[DayPage]


@dataclass(frozen=True)
class LecturerPage:
    anchor: str
    name: Name
    affiliation: str | None
    contacts: list[str]
    home: Name
    topics: list[Name]
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class SitePage:
    anchor: str
    name: Name
    address: str
    contacts: list[str]
    hours: str
    note: str
    kind: str
    red_education: str
    visit_minutes: str
    themes: list[Name]
    location: str
    rows: list[dict[str, Any]]


class Booklet:
    """The booklet's content, laid out as HTML on demand with a given fit per sheet.

    ``fit`` maps a sheet's id (``cover``, ``class-rural-day3``, ...) to 0, 1 or 2: how much its
    text and pictures shrink so that it fits on one A4 page (see ``pdf.write_booklet_pdf``).
    """

    def __init__(self, doc: Document, labels: Labels, maps: MapFiles):
        self.context = _context(doc, labels, maps)
        self.template = environment().get_template("booklet.html.j2")
        self.initial_fit = {day.anchor: 1 for section in self.context["classes"] for day in section.days if day.dense}

    def html(self, fit: Mapping[str, int] | None = None) -> str:
        """The booklet as one HTML document (text)."""
        return self.template.render(**self.context, fit=dict(self.initial_fit if fit is None else fit))

    def sheet_ids(self) -> list[str]:
        """Every sheet's id, in order: each must fit on one page."""
        ids = ["cover", *(page.anchor for page in self.context["overview"])]
        for section in self.context["classes"]:
            ids += [section.anchor, f"{section.anchor}-week", *(day.anchor for day in section.days)]
        ids += [page.anchor for page in self.context["lecturers"]]
        ids += [page.anchor for page in self.context["sites"]]
        ids += [sheet["anchor"] for sheet in self.context["lodging"]]
        ids += [page.anchor for page in self.context["duty"]]
        return [*ids, "figures"]


def booklet_html(doc: Document, labels: Labels, maps: MapFiles, fit: Mapping[str, int] | None = None) -> str:
    """The whole booklet as one HTML document (text)."""
    return Booklet(doc, labels, maps).html(fit)


def _unchecked_css(mark: str) -> Markup:
    """The unchecked mark at the top of every printed page and of every sheet on screen.

    ``mark`` is a label of this project, never text from a plan; it is quoted as a CSS string
    (backslashes and quotes escaped, no angle brackets), so it cannot end the style element.
    """
    text = json.dumps(mark.replace("<", " ").replace(">", " "), ensure_ascii=False)
    return Markup(
        "@page { @top-center { content: " + text + "; color: #c00000; font-size: 9pt; font-weight: bold; } }\n"
        "@media screen { section.page::before { content: " + text + "; display: block; color: #c00000; "
        "font-weight: bold; border: 2px solid #c00000; padding: 0.3em 0.6em; margin-bottom: 0.8em; } }"
    )


def _context(doc: Document, labels: Labels, maps: MapFiles) -> dict[str, Any]:
    lang = labels.lang
    classes = [_class_section(doc, labels, klass, maps) for klass in doc.classes]
    return {
        "lang": lang,
        "html_lang": "zh-Hans" if lang == "zh" else "en",
        "t": labels,
        "unchecked_css": _unchecked_css(labels("unchecked")) if doc.unchecked else None,
        "programme": Name.of(doc.programme, lang),
        "date_range": labels.date_range(doc.programme.first_date, doc.programme.last_date),
        "days_count": labels("days_count", n=doc.programme.days),
        "organiser": doc.programme.organiser,
        "office": [contact_text(c) for c in doc.programme.contacts],
        "programme_notes": doc.programme.notes or "",
        "overview": overview_pages(doc, labels),
        "lodging": _lodging_sheets(doc, labels),
        "lodging_note": _lodging_note(doc, labels),
        "duty": duty_pages(doc, labels),
        "cover_classes": [
            {
                "anchor": section.anchor,
                "name": section.name,
                "theme": section.theme,
                "trainees": section.trainees,
                "base": section.base,
                "professor": section.professor,
                "affiliation": section.professor_affiliation,
            }
            for section in classes
        ],
        "classes": classes,
        "lecturers": [_lecturer_page(doc, labels, lec.id) for lec in doc.teaching_lecturers()],
        "all_lecturers": [{"name": Name.of(lec, lang), "count": len(doc.lectures_of(lec.id))} for lec in doc.lecturers],
        "sites": [_site_page(doc, labels, site.id) for site in doc.visited_sites()],
        "figures": _figures(doc, labels),
        "figures_chart": maps.figures,
        "status": _status(doc, labels),
        "class_hour_note": labels("class_hour_note", n=doc.definitions.get("minutes_per_class_hour", 45)),
        "kinds": [(kind, labels.kind_name(kind)) for kind in KIND_ORDER],
    }


KIND_ORDER = EVENT_KINDS
"""The legend's order: the plan's kinds of event."""


# ---------------------------------------------------------------------------
# A class: overview, week grid, days


def _class_section(doc: Document, labels: Labels, klass: TrainingClass, maps: MapFiles) -> ClassSection:
    lang = labels.lang
    theme = doc.themes.get(klass.theme)
    figures = doc.kpis.get(klass.id, {})
    first, last = _grid_hours(doc, klass.id)
    return ClassSection(
        anchor=f"class-{file_name(klass.id)}",
        id=klass.id,
        name=Name.of(klass, lang),
        theme=Name.of(theme, lang) if theme else None,
        trainees=klass.trainees,
        base=Name.of(doc.places[klass.base], lang),
        professor=Name.of(klass.professor, lang),
        professor_affiliation=klass.professor.affiliation,
        class_teacher=contact_text(klass.class_teacher) if klass.class_teacher else "",
        coach=coach_text(klass, labels),
        notes=klass.notes or "",
        week_map=maps.week[klass.id],
        week_map_alt=f"{klass.name(lang)}: {labels('route_of_week')}",
        facts=_class_facts(doc, labels, klass.id, figures),
        hours=[
            (f"{h:02d}:00", (h * 60 - first) / (last - first) * GRID_HEIGHT_MM)
            for h in range(math.ceil(first / 60), last // 60 + 1)
        ],
        columns=[_week_column(doc, labels, klass.id, date, first=first, last=last) for date in doc.dates],
        days=[_day_page(doc, labels, klass, date, maps=maps) for date in doc.dates],
    )


def _class_facts(doc: Document, labels: Labels, class_id: str, figures: dict[str, Any]) -> list[tuple[str, str]]:
    if not figures:
        return []
    req = doc.requirements.get(class_id, {})
    share = f"{figures['field_share']:.1%}"
    if req.get("min_field_share"):
        share += (
            f"（{labels('required')} ≥ {req['min_field_share']:.0%}）"
            if labels.lang == "zh"
            else (f" ({labels('required')} ≥ {req['min_field_share']:.0%})")
        )
    return [
        (labels("field_share"), share),
        (labels("seminar_hours"), f"{figures['seminar_class_hours']:g}"),
        (labels("report_hours"), f"{figures['report_writing_class_hours']:g}"),
        (labels("coach_hours"), f"{figures['coach_hours']:.1f}"),
        (labels("coach_km"), f"{figures['coach_km']:.0f}"),
        (labels("sites_visited"), str(len(figures["sites_visited"]))),
        (labels("lectures"), str(figures["lectures"])),
    ]


def _grid_hours(doc: Document, class_id: str) -> tuple[int, int]:
    """The grid's first and last minute: whole hours around all of the class's events."""
    events = doc.events_of(class_id)
    if not events:
        return 8 * 60, 18 * 60
    first = min(e.start for e in events) // 60 * 60
    last = math.ceil(max(e.end for e in events) / 60) * 60
    return first, max(last, first + 60)


def _week_column(doc: Document, labels: Labels, class_id: str, date: dt.date, *, first: int, last: int) -> WeekColumn:
    scale = GRID_HEIGHT_MM / (last - first)
    blocks = []
    for e in doc.events_of(class_id, date):
        title, subtitle = _block_text(doc, labels, e)
        blocks.append(
            Block(
                kind=e.kind,
                top=round((e.start - first) * scale, 2),
                height=round(max(e.minutes * scale, 0.6), 2),
                title=title,
                subtitle=subtitle,
                time=f"{_clock(e.start)}–{_clock(e.end)}",
            )
        )
    night = doc.night_of(class_id, date)
    end_place = night or doc.training_class(class_id).end_place
    hotel = doc.hotel_of(class_id, date)
    return WeekColumn(
        heading=labels("day_n", n=doc.day_number(date)),
        date=labels.short_date(date),
        blocks=blocks,
        night=doc.hotel_name(hotel, labels.lang) if hotel else doc.places[end_place].name(labels.lang),
        ends=night is None,
    )


def _block_text(doc: Document, labels: Labels, e: Event) -> tuple[str, str]:
    lang = labels.lang
    if e.kind == "field_visit" and e.site:
        return doc.site_name(e.site, lang), labels.kind(e)
    if e.kind == "lecture" and e.topic:
        topic = doc.topics.get(e.topic)
        return labels.kind(e), topic.name(lang) if topic else e.topic
    if e.kind == "travel" and e.to_place:
        return f"→ {doc.places[e.to_place].name(lang)}", labels.minutes(e.minutes)
    return labels.kind(e), ""


def _day_page(doc: Document, labels: Labels, klass: TrainingClass, date: dt.date, *, maps: MapFiles) -> DayPage:
    lang = labels.lang
    number = doc.day_number(date)
    events = doc.events_of(klass.id, date)
    night = doc.night_of(klass.id, date)
    end_place = night or klass.end_place
    legs = [e for e in events if e.kind == "travel"]
    hotel = doc.hotel_of(klass.id, date)
    driving = sum(e.driving_minutes or 0 for e in legs)
    km = sum(e.km or 0.0 for e in legs)
    return DayPage(
        anchor=f"class-{file_name(klass.id)}-day{number}",
        klass=Name.of(klass, lang),
        class_id=klass.id,
        day_number=number,
        heading=labels("day_n", n=number),
        date=labels.date(date),
        morning=Name.of(doc.places[doc.start_place_on(klass.id, date)], lang),
        night=Name.of(doc.hotel_named(hotel) if hotel else doc.places[end_place], lang),
        night_label=labels("night_at") if night else labels("ends_at"),
        night_address=(doc.hotel_address(hotel) if hotel else doc.places[end_place].address) or "",
        rows=_rows(doc, labels, events),
        map=maps.day[(klass.id, date)],
        map_alt=f"{klass.name(lang)}: {labels('day_n', n=number)} {labels('route_of_day')}",
        coach_summary=labels("day_totals", minutes=driving, km=f"{km:.0f}") if legs else labels("no_travel"),
        dense=_looks_dense(events),
    )


def _rows(doc: Document, labels: Labels, events: list[Event]) -> list[Row]:
    rows, legs = [], 0
    for e in events:
        if e.kind == "travel" and e.from_place and e.to_place:
            legs += 1
        rows.append(_row(doc, labels, e, legs if e.kind == "travel" else None))
    return rows


def _looks_dense(events: list[Event]) -> bool:
    """A first guess at a day too full for the normal sizes (the PDF's layout has the last word)."""
    return len(events) + sum(e.kind == "travel" for e in events) / 2 > 13


def _row(doc: Document, labels: Labels, e: Event, leg: int | None) -> Row:
    lang = labels.lang
    time = f"{_clock(e.start)}–{_clock(e.end)}"
    place = Name.of(doc.places[e.place], lang)
    details: list[Name] = []
    who: Name | None = None
    coach: list[str] = []
    if e.kind == "travel" and e.from_place and e.to_place:
        details = [Name.of(doc.places[e.from_place], lang), Name.of(doc.places[e.to_place], lang)]
        place = None
        coach = [
            f"{labels('departs')} {_clock(e.start)} · {labels('arrives')} {_clock(e.end)}",
            f"{labels.minutes(e.minutes)} · {labels.km(e.km or 0.0)}",
        ]
        if e.rest_minutes:
            coach.append(labels("rest_n", n=e.rest_minutes))
    elif e.kind == "field_visit" and e.site:
        place = Name.of(doc.site_named(e.site), lang)
        details = [Name(labels.site_kind(doc.sites[e.site].kind))]
        address = doc.site_address(e.site)
        if address:
            details.append(Name(address))
    elif e.kind == "lecture" and e.topic:
        topic = doc.topics.get(e.topic)
        details = [Name.of(topic, lang) if topic else Name(e.topic)]
    if e.lecturer:
        who = Name.of(doc.lecturer(e.lecturer), lang)
    elif e.professor:
        professor = doc.professor_named(e.professor)
        who = Name.of(professor, lang) if professor else Name(e.professor)
    return Row(
        kind=e.kind, time=time, activity=labels.kind(e), details=details, place=place, who=who, coach=coach, leg=leg
    )


# ---------------------------------------------------------------------------
# Lecturers and sites


def _lecturer_page(doc: Document, labels: Labels, lecturer_id: str) -> LecturerPage:
    lang = labels.lang
    lecturer = doc.lecturer(lecturer_id)
    rows = []
    for e in doc.lectures_of(lecturer_id):
        klass = doc.training_class(e.class_id)
        topic = doc.topics.get(e.topic or "")
        rows.append(
            {
                "date": labels.short_date(e.date),
                "day": labels("day_n", n=doc.day_number(e.date)),
                "time": f"{_clock(e.start)}–{_clock(e.end)}",
                "klass": Name.of(klass, lang),
                "trainees": labels("trainees_n", n=klass.trainees),
                "topic": Name.of(topic, lang) if topic else Name(e.topic or ""),
                "place": Name.of(doc.places[e.place], lang),
                "address": doc.places[e.place].address or "",
                "trip": _trip_text(doc, labels, e),
            }
        )
    return LecturerPage(
        anchor=f"lecturer-{file_name(lecturer.id)}",
        name=Name.of(lecturer, lang),
        affiliation=lecturer.affiliation,
        contacts=[
            *(
                f"{labels(key)}: {value}"
                for key, value in (("phone", lecturer.phone), ("email", lecturer.email))
                if value
            ),
            *([f"{labels('arranged_by')}: {contact_text(lecturer.contact)}"] if lecturer.contact else []),
        ],
        home=Name.of(doc.places[lecturer.home], lang),
        topics=[Name.of(doc.topics[t], lang) if t in doc.topics else Name(t) for t in lecturer.topics],
        rows=rows,
    )


def _trip_text(doc: Document, labels: Labels, e: Event) -> str:
    trip = doc.trip_to(e)
    lang = labels.lang
    if trip is None:
        return labels("trip_unknown", place=doc.places[doc.lecturer(e.lecturer or "").home].name(lang))
    minutes = trip.driving_minutes + trip.rest_minutes
    if trip.from_place == trip.to_place or minutes == 0:
        return labels("trip_none", place=doc.places[trip.to_place].name(lang))
    key = "trip_home" if trip.from_home else "trip_between"
    return labels(
        key, place=doc.places[trip.from_place].name(lang), minutes=minutes, km=f"{trip.km:.0f}", time=trip.leave_by
    )


def _site_page(doc: Document, labels: Labels, site_id: str) -> SitePage:
    lang = labels.lang
    site = doc.sites[site_id]
    place = doc.places[site.place]
    rows = []
    visits = doc.visits_to(site_id)
    for e in visits:
        klass = doc.training_class(e.class_id)
        day = doc.events_of(e.class_id, e.date)
        before = [x for x in day if x.kind == "travel" and x.end <= e.start]
        after = [x for x in day if x.kind == "travel" and x.start >= e.end]
        lunch = _lunch_at_site(day, e)
        together = [x for x in visits if x is not e and x.date == e.date and x.start < e.end and e.start < x.end]
        rows.append(
            {
                "date": labels.short_date(e.date),
                "day": labels("day_n", n=doc.day_number(e.date)),
                "time": f"{_clock(e.start)}–{_clock(e.end)}",
                "klass": Name.of(klass, lang),
                "trainees": labels("trainees_n", n=klass.trainees),
                "professor": Name.of(klass.professor, lang),
                "from": Name.of(doc.places[before[-1].from_place or ""], lang) if before else None,
                "arrive": _clock(before[-1].end) if before else None,
                "to": Name.of(doc.places[after[0].to_place or ""], lang) if after else None,
                "lunch": labels("lunch_here", time=f"{_clock(lunch.start)}–{_clock(lunch.end)}") if lunch else "",
                "together": labels(
                    "together",
                    others="、".join(doc.training_class(x.class_id).name(lang) for x in together)
                    if lang == "zh"
                    else ", ".join(doc.training_class(x.class_id).name(lang) for x in together),
                    n=klass.trainees + sum(doc.training_class(x.class_id).trainees for x in together),
                )
                if together
                else "",
            }
        )
    return SitePage(
        anchor=f"site-{file_name(site.id)}",
        name=Name.of(doc.site_named(site_id), lang),
        address=doc.site_address(site_id) or "",
        contacts=[contact_text(c) for c in site.contacts],
        hours=f"{site.hours[0]}–{site.hours[1]}" if site.hours else "",
        note=site.note or "",
        kind=labels.site_kind(site.kind),
        red_education=labels("yes") if site.red_education else labels("no"),
        visit_minutes=labels.minutes(site.visit_minutes),
        themes=[Name.of(doc.themes[t], lang) for t in site.themes if t in doc.themes],
        location=_location(place.lat, place.lon, place.city),
        rows=rows,
    )


def _lunch_at_site(day: list[Event], visit: Event) -> Event | None:
    """The class's lunch at the site: at its place, right before or after the visit."""
    for e in day:
        if (
            e.kind == "meal"
            and e.label == "lunch"
            and e.place == visit.place
            and (e.end == visit.start or e.start == visit.end)
        ):
            return e
    return None


def _lodging_sheets(doc: Document, labels: Labels, rows_per_sheet: int = 14) -> list[dict[str, Any]]:
    """The lodging list, a few nights a sheet: nights whole, at most ``rows_per_sheet`` hotel
    rows a sheet unless one night alone has more."""
    sheets: list[dict[str, Any]] = []
    current: list = []
    for night in lodging_nights(doc, labels):
        if current and sum(len(n.rows) for n in current) + len(night.rows) > rows_per_sheet:
            sheets.append({"anchor": f"lodging-{len(sheets) + 1}", "nights": current})
            current = []
        current.append(night)
    if current:
        sheets.append({"anchor": f"lodging-{len(sheets) + 1}", "nights": current})
    return sheets


def _lodging_note(doc: Document, labels: Labels) -> str:
    per_room = {hotel.people_per_room for hotel in doc.hotels.values()}
    if len(per_room) == 1:
        return labels("lodging_note", n=per_room.pop())
    return labels("lodging_note_mixed")


def _location(lat: float, lon: float, city: str | None) -> str:
    text = f"{abs(lat):.4f}°{'N' if lat >= 0 else 'S'}, {abs(lon):.4f}°{'E' if lon >= 0 else 'W'}"
    return f"{city} · {text}" if city else text


# ---------------------------------------------------------------------------
# Figures


def _figures(doc: Document, labels: Labels) -> dict[str, Any]:
    """A table: one column per class, one row per figure, with the minimum where one is set."""
    lang = labels.lang
    heads = [Name.of(c, lang) for c in doc.classes]
    specs = [
        ("field_share", lambda k: f"{k['field_share']:.1%}", "min_field_share", lambda m: f"{m:.0%}"),
        ("teaching_hours", lambda k: f"{k['teaching_minutes'] / 60:.1f}", None, None),
        ("field_hours", lambda k: f"{k['field_minutes'] / 60:.1f}", None, None),
        ("seminar_hours", lambda k: f"{k['seminar_class_hours']:g}", "min_seminar_class_hours", lambda m: f"{m:g}"),
        (
            "report_hours",
            lambda k: f"{k['report_writing_class_hours']:g}",
            "min_report_writing_class_hours",
            lambda m: f"{m:g}",
        ),
        ("coach_hours", lambda k: f"{k['coach_hours']:.1f}", None, None),
        ("coach_km", lambda k: f"{k['coach_km']:.0f}", None, None),
        ("sites_visited", lambda k: str(len(k["sites_visited"])), None, None),
        ("red_visits", lambda k: str(k["red_education_visits"]), "min_red_education_visits", lambda m: f"{m:g}"),
        ("lectures", lambda k: str(k["lectures"]), None, None),
        ("late_evenings", lambda k: str(k["late_evenings"]), None, None),
    ]
    rows = []
    for key, show, minimum_key, show_minimum in specs:
        cells = []
        for c in doc.classes:
            figures = doc.kpis.get(c.id)
            value = show(figures) if figures else "–"
            minimum = doc.requirements.get(c.id, {}).get(minimum_key) if minimum_key else None
            note = labels("at_least", n=show_minimum(minimum)) if minimum and show_minimum else ""
            cells.append({"value": value, "note": note})
        rows.append({"label": labels(key), "cells": cells})
    return {"heads": heads, "rows": rows}


def _status(doc: Document, labels: Labels) -> str:
    status = doc.solver.get("status")
    if status == "optimal":
        return f"{labels('plan_status')}: {labels('status_optimal')}"
    if status == "feasible":
        return f"{labels('plan_status')}: {labels('status_feasible')}"
    return ""


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
