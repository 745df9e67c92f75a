"""iCalendar files: one per class, per lecturer who teaches, per site visited, and one for the
whole programme.

- ``class-<id>.ics``: every event of the class and, for each night, an entry from the end of the
  day to the next morning's first event saying the hotel (name, address, front desk); a
  reminder before every coach departure.
- ``lecturer-<id>.ics``: the lecturer's lectures and the drives that frame them (there, and home
  when the last lecture of the day ends), busy time like the lectures; a reminder before the
  lecturer must leave (before the lecture when there is no drive).
- ``site-<id>.ics``: each class's visit, with the class, its trainees, whom to call and the
  lunch when the class eats at the site's place right before or after.
- ``programme.ics``: what an organiser follows: every class's sessions, visits, coach legs and
  nights, each prefixed by the class's name; no meals, no free time, no reminders.

Each entry's location is where people go: a visit's site and its address, a lecture's or a
night's place (a hotel when the file names one) and its address, with its coordinates in
``GEO``; whom to call (site hosts, hotel desk, class teacher, coach driver) is in the
description, as plain text. Each entry has a UID that names what it *is* rather than where it
sits in a list, so that a re-issued file updates the entries people already have instead of
adding copies:

- a visit is ``class C visits site S`` and a lecture ``class C's lecture on topic T`` (the n-th
  one when there are several), without the date, so a visit moved to another day moves in the
  calendar too; a lecturer's drives are keyed by the lecture they lead to or from;
- things that happen every day (meals, coach legs, seminars, report writing, nights) are keyed
  by date;
- the opening, the presentations and the closing are once per class;
- each calendar has UIDs of its own (``lecturer.``, ``site.``, ``programme.`` before the class's
  key), so that one person subscribing to several never has two entries collide.

Times are local times in the programme's time zone (``TZID``, with its ``VTIMEZONE``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Timezone
from icalendar import Event as CalendarEvent

from scheduler.atomic import write_bytes
from scheduler.plan.model import Event, Night
from scheduler.render.document import Document, Place, TrainingClass, Trip
from scheduler.render.files import clean_text, file_names, inside
from scheduler.render.labels import Labels
from scheduler.render.logistics import coach_text, contact_text

PRODID = "-//training-itinerary//itinerary//EN"

COACH_REMINDER = dt.timedelta(minutes=15)
"""Trainees are reminded a quarter of an hour before their coach leaves: time to get to it."""

LEAVE_REMINDER = dt.timedelta(minutes=30)
"""A lecturer is reminded half an hour before they must set off (or before the lecture, when
they need not travel): time to pack up and leave."""

FREE_KINDS = ("meal", "travel", "free_time")
"""Events of a class that do not make its members busy (``TRANSP:TRANSPARENT``)."""

PROGRAMME_LEAVES_OUT = ("meal", "free_time")
"""What the programme calendar leaves out: every class has them every day, and an organiser
follows the sessions, visits, coaches and nights."""


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


def night_key(night: Night) -> str:
    """The identity of a class's night: the class and the date (a class sleeps once a night)."""
    return f"class.{night.class_id}.{night.date.isoformat()}.night.1"


def _all_keys(doc: Document) -> dict[Event, str]:
    keys: dict[Event, str] = {}
    for klass in doc.classes:
        events = doc.events_of(klass.id)
        keys.update(zip(events, event_keys(events), strict=True))
    return keys


def _domain(doc: Document) -> str:
    """The programme's part of every UID: its first date and a digest of its names."""
    names = f"{doc.programme.name_zh or ''}|{doc.programme.name_en or ''}".encode()
    return f"{doc.programme.first_date.isoformat()}.{hashlib.sha256(names).hexdigest()[:10]}.training-itinerary"


# ---------------------------------------------------------------------------
# The calendars


def class_calendar(doc: Document, labels: Labels, class_id: str, stamp: dt.datetime) -> Calendar:
    """Every event of the class, one VEVENT each, and its nights; a reminder before each coach leaves."""
    klass = doc.training_class(class_id)
    calendar = _calendar(doc, labels, labels("calendar_class", name=klass.name(labels.lang)))
    events = doc.events_of(class_id)
    for event, key in zip(events, event_keys(events), strict=True):
        vevent = _vevent(doc, labels, event, f"{key}@{_domain(doc)}", stamp=stamp, for_lecturer=False)
        if event.kind == "travel":
            _remind(vevent, COACH_REMINDER, str(vevent["SUMMARY"]))
        calendar.add_component(vevent)
    for night in _nights_of(doc, class_id):
        calendar.add_component(_night(doc, labels, night, f"{night_key(night)}@{_domain(doc)}", stamp=stamp))
    _add_time_zone(calendar, doc)
    return calendar


def lecturer_calendar(doc: Document, labels: Labels, lecturer_id: str, stamp: dt.datetime) -> Calendar:
    """The lecturer's lectures, each with how to get there, and the drives there and home.

    A drive there is shown when the lecturer comes from another place (home or their previous
    lecture); a drive home after the day's last lecture away from home. A drive on to the next
    lecture of the day is that lecture's drive there, shown once.
    """
    lecturer = doc.lecturer(lecturer_id)
    calendar = _calendar(doc, labels, labels("calendar_lecturer", name=lecturer.name(labels.lang)))
    keys = _all_keys(doc)
    for event in doc.lectures_of(lecturer_id):
        uid = f"lecturer.{lecturer_id}.{keys[event]}"
        lecture = _vevent(doc, labels, event, f"{uid}@{_domain(doc)}", stamp=stamp, for_lecturer=True)
        trip = doc.trip_to(event)
        there = _drive_there(doc, labels, event, trip, f"{uid}.drive-to@{_domain(doc)}", stamp) if trip else None
        home = _drive_home(doc, labels, event, trip, f"{uid}.drive-home@{_domain(doc)}", stamp) if trip else None
        first = there if there is not None else lecture
        _remind(first, LEAVE_REMINDER, str(first["SUMMARY"]))
        for vevent in (there, lecture, home):
            if vevent is not None:
                calendar.add_component(vevent)
    _add_time_zone(calendar, doc)
    return calendar


def site_calendar(doc: Document, labels: Labels, site_id: str, stamp: dt.datetime) -> Calendar:
    """Each class's visit to the site: the class, its trainees, whom to call, lunch at the site."""
    calendar = _calendar(doc, labels, labels("calendar_site", name=doc.site_name(site_id, labels.lang)))
    keys = _all_keys(doc)
    for visit in doc.visits_to(site_id):
        uid = f"site.{site_id}.{keys[visit]}@{_domain(doc)}"
        calendar.add_component(_site_visit(doc, labels, visit, uid, stamp))
    _add_time_zone(calendar, doc)
    return calendar


def programme_calendar(doc: Document, labels: Labels, stamp: dt.datetime) -> Calendar:
    """Every class's sessions, visits, coach legs and nights, each prefixed by the class's name."""
    lang = labels.lang
    calendar = _calendar(doc, labels, labels("calendar_programme", name=doc.programme.name(lang)))
    for klass in doc.classes:
        prefix = f"{klass.name(lang)} · "
        events = doc.events_of(klass.id)
        for event, key in zip(events, event_keys(events), strict=True):
            if event.kind in PROGRAMME_LEAVES_OUT:
                continue
            uid = f"programme.{key}@{_domain(doc)}"
            summary = prefix + _summary(doc, labels, event, for_lecturer=False)
            calendar.add_component(_vevent(doc, labels, event, uid, stamp=stamp, for_lecturer=False, summary=summary))
        for night in _nights_of(doc, klass.id):
            uid = f"programme.{night_key(night)}@{_domain(doc)}"
            calendar.add_component(_night(doc, labels, night, uid, stamp=stamp, prefix=prefix))
    _add_time_zone(calendar, doc)
    return calendar


def _add_time_zone(calendar: Calendar, doc: Document) -> None:
    """The ``VTIMEZONE`` of the programme's zone, with its rules from a year before the programme
    to a year after it: what a calendar program needs to place its times, without the decades
    of past rules that icalendar would otherwise work out for every file."""
    margin = dt.timedelta(days=366)
    zone = _time_zone(doc.programme.timezone, doc.programme.first_date - margin, doc.programme.last_date + margin)
    calendar.subcomponents.insert(0, zone)  # before the events that name it, as calendar programs expect


@functools.cache
def _time_zone(tzid: str, first: dt.date, last: dt.date) -> Timezone:
    """A zone's ``VTIMEZONE`` over a span of dates, worked out once for all the calendars that
    share it (each only reads it when written)."""
    return Timezone.from_tzid(tzid, first_date=first, last_date=last)


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


# ---------------------------------------------------------------------------
# The entries


def _entry(
    doc: Document,
    uid: str,
    *,
    stamp: dt.datetime,
    start: dt.datetime,
    end: dt.datetime,
    summary: str,
    location: str,
    place: Place,
    description: Iterable[str],
    category: str,
    busy: bool,
) -> CalendarEvent:
    """One VEVENT; every text goes through ``clean_text`` and icalendar escapes it."""
    vevent = CalendarEvent()
    vevent.add("uid", _one_line(uid))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", clean_text(summary))
    vevent.add("location", clean_text(location))
    vevent.add("geo", (place.lat, place.lon))
    vevent.add("description", clean_text("\n".join(description)))
    vevent.add("categories", [_one_line(category)])
    vevent.add("transp", "OPAQUE" if busy else "TRANSPARENT")
    return vevent


def _vevent(
    doc: Document,
    labels: Labels,
    e: Event,
    uid: str,
    *,
    stamp: dt.datetime,
    for_lecturer: bool,
    summary: str | None = None,
    more: Iterable[str] = (),
) -> CalendarEvent:
    """An event of the plan: ``summary`` replaces the usual one, ``more`` adds lines to the description."""
    lang = labels.lang
    if e.site:
        location = _where(doc.site_named(e.site).both(lang), doc.site_address(e.site))
        place = doc.site_place(e.site)
    else:
        place = doc.places[e.place]
        location = _where(place.both(lang), place.address)
    return _entry(
        doc,
        uid,
        stamp=stamp,
        start=_at(doc, e.date, e.start),
        end=_at(doc, e.date, e.end),
        summary=summary if summary is not None else _summary(doc, labels, e, for_lecturer),
        location=location,
        place=place,
        description=[*_description(doc, labels, e, for_lecturer), *more],
        category=labels.kind_name(e.kind),
        busy=e.kind not in FREE_KINDS,
    )


def _night(
    doc: Document, labels: Labels, night: Night, uid: str, *, stamp: dt.datetime, prefix: str = ""
) -> CalendarEvent:
    """The night from the end of the class's day to its first event the next morning, at its
    hotel (the night's place in a file that names no hotel); ``prefix`` goes before the summary."""
    lang = labels.lang
    klass = doc.training_class(night.class_id)
    hotel = doc.hotel_of(night.class_id, night.date)
    if hotel is not None:
        place = doc.places[hotel.place]
        name = doc.hotel_named(hotel).both(lang)
        address = doc.hotel_address(hotel)
    else:
        place = doc.places[night.place]
        name, address = place.both(lang), place.address
    evening, morning = _night_span(doc, night)
    lines = _unchecked(doc, labels)
    lines.append(f"{labels('desc_class')}: {klass.both(lang)}")
    lines.append(f"{labels('hotel')}: {name}")
    if address:
        lines.append(f"{labels('address')}: {address}")
    if hotel is not None:
        lines += [contact_text(c, labels("hotel")) for c in hotel.contacts]
        if hotel.note:
            lines.append(f"{labels('site_note')}: {hotel.note}")
    stay = doc.stays.get((night.class_id, night.date))
    if stay is not None and stay.headcount is not None:
        rooms = f", {labels('rooms')}: {stay.rooms}" if stay.rooms is not None else ""
        lines.append(f"{labels('headcount')}: {stay.headcount}{rooms}")
    lines += _class_teacher(klass, labels)
    return _entry(
        doc,
        uid,
        stamp=stamp,
        start=evening,
        end=morning,
        summary=prefix + labels("calendar_night", hotel=doc.hotel_name(hotel, lang) if hotel else place.name(lang)),
        location=_where(name, address),
        place=place,
        description=lines,
        category=labels("hotel"),
        busy=False,
    )


def _night_span(doc: Document, night: Night) -> tuple[dt.datetime, dt.datetime]:
    """From the end of the class's last event of the night's date to the start of its first
    event the next day; a day without events takes the class's latest end (earliest start) on
    any day, and a class without any events the night's midnight."""
    every = doc.events_of(night.class_id)
    ends = [e.end for e in doc.events_of(night.class_id, night.date)] or [e.end for e in every]
    next_day = night.date + dt.timedelta(days=1)
    starts = [e.start for e in doc.events_of(night.class_id, next_day)] or [e.start for e in every]
    evening = _at(doc, night.date, max(ends, default=24 * 60))
    morning = _at(doc, next_day, min(starts, default=0))
    return evening, max(morning, evening)


def _drive_there(
    doc: Document, labels: Labels, lecture: Event, trip: Trip, uid: str, stamp: dt.datetime
) -> CalendarEvent | None:
    """From leave-by to arrival (the lecture's start less the arrival margin), when the lecturer
    comes from another place."""
    minutes = trip.driving_minutes + trip.rest_minutes
    if trip.from_place == trip.to_place or minutes <= 0:
        return None
    leave = _minutes(trip.leave_by)
    return _drive(
        doc,
        labels,
        lecture,
        uid,
        stamp,
        summary=labels("drive_to", place=doc.places[trip.to_place].name(labels.lang)),
        from_place=trip.from_place,
        to_place=trip.to_place,
        start=leave,
        end=leave + minutes,
        km=trip.km,
    )


def _drive_home(
    doc: Document, labels: Labels, lecture: Event, trip: Trip, uid: str, stamp: dt.datetime
) -> CalendarEvent | None:
    """From the end of the day's last lecture to home, when home is elsewhere (a file without
    the way on has none)."""
    back = trip.back
    if back is None or not back.home or back.to_place == lecture.place:
        return None
    if back.driving_minutes + back.rest_minutes <= 0:
        return None
    return _drive(
        doc,
        labels,
        lecture,
        uid,
        stamp,
        summary=labels("drive_home"),
        from_place=lecture.place,
        to_place=back.to_place,
        start=_minutes(back.leaves),
        end=_minutes(back.arrives),
        km=back.km,
    )


def _drive(
    doc: Document,
    labels: Labels,
    lecture: Event,
    uid: str,
    stamp: dt.datetime,
    *,
    summary: str,
    from_place: str,
    to_place: str,
    start: int,
    end: int,
    km: float,
) -> CalendarEvent:
    lang = labels.lang
    origin, destination = doc.places[from_place], doc.places[to_place]
    topic = doc.topics.get(lecture.topic or "")
    lines = _unchecked(doc, labels)
    lines.append(
        labels(
            "drive_leg",
            a=origin.both(lang),
            b=destination.both(lang),
            minutes=end - start,
            km=f"{km:.0f}",
        )
    )
    lines.append(f"{labels('leave_by')}: {_clock(start)} · {labels('arrives')}: {_clock(end)}")
    lines.append(
        labels(
            "drive_for",
            topic=topic.name(lang) if topic else lecture.topic or labels.kind(lecture),
            klass=doc.training_class(lecture.class_id).name(lang),
            time=f"{_clock(lecture.start)}–{_clock(lecture.end)}",
        )
    )
    return _entry(
        doc,
        uid,
        stamp=stamp,
        start=_at(doc, lecture.date, start),
        end=_at(doc, lecture.date, end),
        summary=summary,
        location=_where(destination.both(lang), destination.address),
        place=destination,
        description=lines,
        category=labels("getting_there"),
        busy=True,
    )


def _site_visit(doc: Document, labels: Labels, visit: Event, uid: str, stamp: dt.datetime) -> CalendarEvent:
    """A visit as the site sees it: which class, how many, whom to call, whether it eats there."""
    klass = doc.training_class(visit.class_id)
    lines = [f"{labels('trainees')}: {klass.trainees}"]
    lunch = doc.lunch_at_visit(visit)
    if lunch is not None:
        lines.append(labels("lunch_here", time=f"{_clock(lunch.start)}–{_clock(lunch.end)}"))
    coach = coach_text(klass, labels)
    if coach:
        lines.append(f"{labels('coach_vehicle')}: {coach}")
    summary = labels("site_visit_summary", klass=klass.name(labels.lang), n=klass.trainees)
    return _vevent(doc, labels, visit, uid, stamp=stamp, for_lecturer=False, summary=summary, more=lines)


def _summary(doc: Document, labels: Labels, e: Event, for_lecturer: bool) -> str:
    lang = labels.lang
    what = labels.kind(e)
    if e.kind == "field_visit" and e.site:
        what = f"{what} · {doc.site_name(e.site, lang)}"
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
    lines = _unchecked(doc, labels)
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
        lines.append(f"{labels('desc_site')}: {doc.site_named(e.site).both(lang)} ({labels.site_kind(site.kind)})")
        lines += [contact_text(c) for c in site.contacts]
        if site.note:
            lines.append(f"{labels('site_note')}: {site.note}")
    if e.kind == "travel" and e.from_place and e.to_place:
        rest = f", {labels('rest_n', n=e.rest_minutes)}" if e.rest_minutes else ""
        lines.append(
            f"{labels('desc_coach')}: {doc.places[e.from_place].both(lang)} → {doc.places[e.to_place].both(lang)}, "
            f"{labels.minutes(e.minutes)}{rest}, {labels.km(e.km or 0.0)}"
        )
        coach = coach_text(klass, labels)
        if coach:
            lines.append(f"{labels('coach_vehicle')}: {coach}")
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
    lines += _class_teacher(klass, labels)
    return lines


def _unchecked(doc: Document, labels: Labels) -> list[str]:
    """The first line of every description of an unchecked plan."""
    return [labels("unchecked")] if doc.unchecked else []


def _class_teacher(klass: TrainingClass, labels: Labels) -> list[str]:
    return [contact_text(klass.class_teacher, labels("class_teacher"))] if klass.class_teacher else []


def _where(name: str, address: str | None) -> str:
    """A LOCATION: the name, and the address a map application can find."""
    return f"{name}, {address}" if address else name


def _remind(vevent: CalendarEvent, before: dt.timedelta, text: str) -> None:
    """A display reminder ``before`` the entry starts."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -before)
    alarm.add("description", clean_text(text))
    vevent.add_component(alarm)


def _nights_of(doc: Document, class_id: str) -> list[Night]:
    return sorted((n for n in doc.plan.nights if n.class_id == class_id), key=lambda n: n.date)


def _at(doc: Document, date: dt.date, minutes: int) -> dt.datetime:
    """``minutes`` after the local midnight starting ``date`` (wall-clock time)."""
    return dt.datetime.combine(date, dt.time(0), tzinfo=ZoneInfo(doc.programme.timezone)) + dt.timedelta(
        minutes=minutes
    )


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _one_line(text: str) -> str:
    """Text without control characters or line breaks (for properties that must stay on one line)."""
    return " ".join(clean_text(text).split("\n"))


# ---------------------------------------------------------------------------
# The files


def write_calendars(doc: Document, labels: Labels, out_dir: Path, stamp: dt.datetime | None = None) -> list[Path]:
    """``calendars/class-<id>.ics`` for each class, ``calendars/lecturer-<id>.ics`` for each
    lecturer who teaches, ``calendars/site-<id>.ics`` for each site visited and
    ``calendars/programme.ics``.

    Each id is made a safe file name (``files.file_names``); every file is checked to lie in ``out_dir``.
    """
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    class_names = file_names(klass.id for klass in doc.classes)
    lecturers = doc.teaching_lecturers()
    lecturer_names = file_names(lecturer.id for lecturer in lecturers)
    sites = doc.visited_sites()
    site_names = file_names(site.id for site in sites)
    calendars: list[tuple[str, Calendar]] = [
        *((f"class-{class_names[k.id]}", class_calendar(doc, labels, k.id, stamp)) for k in doc.classes),
        *((f"lecturer-{lecturer_names[x.id]}", lecturer_calendar(doc, labels, x.id, stamp)) for x in lecturers),
        *((f"site-{site_names[s.id]}", site_calendar(doc, labels, s.id, stamp)) for s in sites),
        ("programme", programme_calendar(doc, labels, stamp)),
    ]
    written = []
    for name, calendar in calendars:
        target = inside(out_dir, f"calendars/{name}.ics")
        write_bytes(target, calendar.to_ical())
        written.append(target)
    return written
