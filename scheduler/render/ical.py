"""iCalendar files: one per class (every event of its week) and one per lecturer (their lectures).

Each event carries its place (LOCATION and GEO), a description (lecturer or professor, topic,
site, coach leg) and a UID that names what the event *is* rather than where it sits in a list,
so that a re-issued file updates the events people already have instead of adding copies:

- a visit is ``class C visits site S`` and a lecture ``class C's lecture on topic T`` (the n-th
  one when there are several), without the date, so a visit moved to another day moves in the
  calendar too;
- things that happen every day (meals, coach legs, seminars, report writing) are keyed by date;
- the opening, the presentations and the closing are once per class.

Times are local times in the programme's time zone (``TZID``, with its ``VTIMEZONE``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from scheduler.atomic import write_bytes
from scheduler.plan.model import Event
from scheduler.render.document import Document
from scheduler.render.files import clean_text, file_names, inside
from scheduler.render.labels import Labels

PRODID = "-//training-itinerary//itinerary//EN"


def event_keys(events: list[Event]) -> list[str]:
    """The identity of each event of one class (same order as given): stable when other events move."""
    keys = [""] * len(events)
    seen: Counter[str] = Counter()
    for i in sorted(range(len(events)), key=lambda i: (events[i].date, events[i].start, events[i].end)):
        e = events[i]
        day = e.date.isoformat()
        if e.kind == "field_visit":
            base = f"visit.{e.site}"
        elif e.kind == "lecture":
            base = f"lecture.{e.topic}"
        elif e.kind in ("opening", "presentation", "closing"):
            base = e.kind
        elif e.kind == "travel":
            base = f"{day}.coach.{e.from_place}-{e.to_place}"
        elif e.kind == "meal":
            base = f"{day}.{e.label or 'meal'}"
        else:
            base = f"{day}.{e.kind}"
        seen[base] += 1
        keys[i] = f"class.{e.class_id}.{base}.{seen[base]}"
    return keys


def _domain(doc: Document) -> str:
    """The programme's part of every UID: its first date and a digest of its names."""
    names = f"{doc.programme.name_zh or ''}|{doc.programme.name_en or ''}".encode()
    return f"{doc.programme.first_date.isoformat()}.{hashlib.sha256(names).hexdigest()[:10]}.training-itinerary"


def class_calendar(doc: Document, labels: Labels, class_id: str, stamp: dt.datetime) -> Calendar:
    """Every event of the class, one VEVENT each."""
    klass = doc.training_class(class_id)
    calendar = _calendar(doc, labels, labels("calendar_class", name=klass.name(labels.lang)))
    events = doc.events_of(class_id)
    for event, key in zip(events, event_keys(events), strict=True):
        calendar.add_component(_vevent(doc, labels, event, f"{key}@{_domain(doc)}", stamp=stamp, for_lecturer=False))
    calendar.add_missing_timezones()
    return calendar


def lecturer_calendar(doc: Document, labels: Labels, lecturer_id: str, stamp: dt.datetime) -> Calendar:
    """The lecturer's lectures, each with how to get there."""
    lecturer = doc.lecturer(lecturer_id)
    calendar = _calendar(doc, labels, labels("calendar_lecturer", name=lecturer.name(labels.lang)))
    keys: dict[Event, str] = {}
    for klass in doc.classes:
        events = doc.events_of(klass.id)
        keys.update(zip(events, event_keys(events), strict=True))
    for event in doc.lectures_of(lecturer_id):
        uid = f"lecturer.{lecturer_id}.{keys[event]}@{_domain(doc)}"
        calendar.add_component(_vevent(doc, labels, event, uid, stamp=stamp, for_lecturer=True))
    calendar.add_missing_timezones()
    return calendar


def _calendar(doc: Document, labels: Labels, name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if doc.unchecked:
        name = f"[{labels('unchecked_short')}] {name}"
    calendar.add("x-wr-calname", _one_line(name))  # an X- property: icalendar does not escape its new lines
    calendar.add("x-wr-timezone", doc.programme.timezone)
    return calendar


def _vevent(
    doc: Document, labels: Labels, e: Event, uid: str, *, stamp: dt.datetime, for_lecturer: bool
) -> CalendarEvent:
    lang = labels.lang
    zone = ZoneInfo(doc.programme.timezone)
    midnight = dt.datetime.combine(e.date, dt.time(0), tzinfo=zone)
    vevent = CalendarEvent()
    vevent.add("uid", _one_line(uid))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", midnight + dt.timedelta(minutes=e.start))
    vevent.add("dtend", midnight + dt.timedelta(minutes=e.end))
    vevent.add("summary", clean_text(_summary(doc, labels, e, for_lecturer)))
    place = doc.site_place(e.site) if e.site else doc.places[e.place]
    vevent.add("location", clean_text(place.both(lang)))
    vevent.add("geo", (place.lat, place.lon))
    vevent.add("description", clean_text("\n".join(_description(doc, labels, e, for_lecturer))))
    vevent.add("categories", [_one_line(labels.kind_name(e.kind))])
    vevent.add("transp", "TRANSPARENT" if e.kind in ("meal", "travel", "free_time") else "OPAQUE")
    return vevent


def _summary(doc: Document, labels: Labels, e: Event, for_lecturer: bool) -> str:
    lang = labels.lang
    what = labels.kind(e)
    if e.kind == "field_visit" and e.site:
        what = f"{what} · {doc.site_place(e.site).name(lang)}"
    elif e.kind == "lecture" and e.topic:
        what = f"{what} · {doc.topics[e.topic].name(lang) if e.topic in doc.topics else e.topic}"
    elif e.kind == "travel" and e.to_place:
        what = f"{what} → {doc.places[e.to_place].name(lang)}"
    if for_lecturer:
        what = f"{what} · {doc.training_class(e.class_id).name(lang)}"
    return what


def _description(doc: Document, labels: Labels, e: Event, for_lecturer: bool) -> list[str]:
    lang = labels.lang
    klass = doc.training_class(e.class_id)
    lines = [labels("unchecked")] if doc.unchecked else []
    lines.append(f"{labels('desc_class')}: {klass.both(lang)}")
    if e.topic:
        topic = doc.topics.get(e.topic)
        lines.append(f"{labels('desc_topic')}: {topic.both(lang) if topic else e.topic}")
    if e.lecturer:
        lecturer = doc.lecturer(e.lecturer)
        affiliation = f" · {lecturer.affiliation}" if lecturer.affiliation else ""
        lines.append(f"{labels('desc_lecturer')}: {lecturer.both(lang)}{affiliation}")
    if e.professor:
        professor = doc.professor_named(e.professor)
        lines.append(f"{labels('desc_professor')}: {professor.both(lang) if professor else e.professor}")
    if e.site:
        site = doc.sites[e.site]
        lines.append(f"{labels('desc_site')}: {doc.site_place(e.site).both(lang)} ({labels.site_kind(site.kind)})")
    if e.kind == "travel" and e.from_place and e.to_place:
        rest = f", {labels('rest_n', n=e.rest_minutes)}" if e.rest_minutes else ""
        lines.append(
            f"{labels('desc_coach')}: {doc.places[e.from_place].both(lang)} → {doc.places[e.to_place].both(lang)}, "
            f"{labels.minutes(e.minutes)}{rest}, {labels.km(e.km or 0.0)}"
        )
    if for_lecturer:
        lines.append(f"{labels('trainees')}: {klass.trainees}")
        trip = doc.trip_to(e)
        if trip is not None and trip.from_place == trip.to_place:
            lines.append(
                f"{labels('getting_there')}: {labels('trip_none', place=doc.places[trip.to_place].name(lang))}"
            )
        elif trip is not None:
            key = "trip_home" if trip.from_home else "trip_between"
            lines.append(
                f"{labels('getting_there')}: "
                + labels(
                    key,
                    place=doc.places[trip.from_place].name(lang),
                    minutes=trip.driving_minutes + trip.rest_minutes,
                    km=f"{trip.km:.0f}",
                    time=trip.leave_by,
                )
            )
    return lines


def _one_line(text: str) -> str:
    """Text without control characters or line breaks (for properties that must stay on one line)."""
    return " ".join(clean_text(text).split("\n"))


def write_calendars(doc: Document, labels: Labels, out_dir: Path, stamp: dt.datetime | None = None) -> list[Path]:
    """``calendars/class-<id>.ics`` for each class, ``calendars/lecturer-<id>.ics`` for each lecturer who teaches.

    Each id is made a safe file name (``files.file_names``); every file is checked to lie in ``out_dir``.
    """
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    written = []
    class_names = file_names(klass.id for klass in doc.classes)
    lecturer_names = file_names(lecturer.id for lecturer in doc.teaching_lecturers())
    for klass in doc.classes:
        target = inside(out_dir, f"calendars/class-{class_names[klass.id]}.ics")
        write_bytes(target, class_calendar(doc, labels, klass.id, stamp).to_ical())
        written.append(target)
    for lecturer in doc.teaching_lecturers():
        target = inside(out_dir, f"calendars/lecturer-{lecturer_names[lecturer.id]}.ics")
        write_bytes(target, lecturer_calendar(doc, labels, lecturer.id, stamp).to_ical())
        written.append(target)
    return written
