"""The calendars people subscribe to, read back with the real icalendar reader: nights at the
hotel, lecturers' drives there and home, reminders before departures, a calendar per site and
one for the programme, stable UIDs and hostile text. The weekend plan (``conftest.py``) and the
county course (``scenarios/county-course-en.yaml``: hotels, addresses and contacts of their own)
are each solved once; the calendars are built in memory or written into a temporary folder.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from scheduler.plan.model import Event
from scheduler.render.document import Document
from scheduler.render.ical import (
    COACH_REMINDER,
    LEAVE_REMINDER,
    PROGRAMME_LEAVES_OUT,
    class_calendar,
    lecturer_calendar,
    programme_calendar,
    site_calendar,
    write_calendars,
)
from scheduler.render.labels import Labels

ROOT = Path(__file__).resolve().parents[2]
COUNTY = ROOT / "scenarios" / "county-course-en.yaml"
STAMP = dt.datetime(2019, 9, 1, tzinfo=dt.UTC)
EN = Labels("en")


@pytest.fixture(scope="module")
def county_plan(quick) -> dict[str, Any]:
    from scheduler.analysis.check import assert_valid
    from scheduler.plan.export import result_to_json
    from scheduler.scenario.loading import load_scenario
    from scheduler.solver import solve

    scenario = load_scenario(COUNTY)
    result = solve(scenario, quick)
    assert result.plan is not None, result.status
    assert_valid(scenario, result.plan)
    return result_to_json(scenario, result, COUNTY)


@pytest.fixture(scope="module")
def county(county_plan: dict[str, Any]) -> Document:
    return Document.from_json(county_plan)


@pytest.fixture(scope="module")
def weekend(weekend_plan: dict[str, Any]) -> Document:
    return Document.from_json(weekend_plan)


def read_back(calendar: Calendar) -> list[CalendarEvent]:
    """The calendar's entries as a subscriber's program reads them: serialised, then parsed."""
    return list(Calendar.from_ical(calendar.to_ical()).walk("VEVENT"))


def local(doc: Document, date: dt.date, minutes: int) -> dt.datetime:
    zone = ZoneInfo(doc.programme.timezone)
    return dt.datetime.combine(date, dt.time(0), tzinfo=zone) + dt.timedelta(minutes=minutes)


def clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def with_uid(events: list[CalendarEvent], part: str) -> list[CalendarEvent]:
    return [e for e in events if part in str(e["UID"])]


def alarms(event: CalendarEvent) -> list[tuple[str, dt.timedelta]]:
    return [(str(a["ACTION"]), a.decoded("TRIGGER")) for a in event.walk("VALARM")]


# ---------------------------------------------------------------------------
# Nights


@pytest.mark.parametrize("which", ["county", "weekend"])
def test_each_night_is_an_entry_at_the_hotel(which: str, request: pytest.FixtureRequest):
    """From the end of the class's day to its first event the next morning, at the hotel's name
    and address, with the hotel's contacts and the class teacher to call."""
    doc: Document = request.getfixturevalue(which)
    nights = 0
    for klass in doc.classes:
        entries = with_uid(read_back(class_calendar(doc, EN, klass.id, STAMP)), ".night.")
        own = sorted((n for n in doc.plan.nights if n.class_id == klass.id), key=lambda n: n.date)
        assert [e.decoded("DTSTART").date() for e in entries] == [n.date for n in own]
        for entry, night in zip(entries, own, strict=True):
            hotel = doc.hotel_of(klass.id, night.date)
            assert hotel is not None
            name, address = doc.hotel_name(hotel, "en"), doc.hotel_address(hotel)
            assert name in str(entry["SUMMARY"]) and name in str(entry["LOCATION"])
            if address:
                assert address in str(entry["LOCATION"])
            assert entry.decoded("GEO") == pytest.approx((doc.places[hotel.place].lat, doc.places[hotel.place].lon))
            description = str(entry["DESCRIPTION"])
            for contact in hotel.contacts:
                assert contact.name in description and (contact.phone or contact.email or "") in description
            if klass.class_teacher is not None:
                assert klass.class_teacher.phone in description
            last = max(e.end for e in doc.events_of(klass.id, night.date))
            first = min(e.start for e in doc.events_of(klass.id, night.date + dt.timedelta(days=1)))
            assert entry.decoded("DTSTART") == local(doc, night.date, last)
            assert entry.decoded("DTEND") == local(doc, night.date + dt.timedelta(days=1), first)
            assert str(entry["TRANSP"]) == "TRANSPARENT"
            nights += 1
    assert nights == len(doc.plan.nights) > 0


def test_the_county_hotels_have_names_and_addresses_of_their_own(county: Document):
    """The county's hotels are not named after their place: the entry says the hotel."""
    entry = with_uid(read_back(class_calendar(county, EN, "civic", STAMP)), ".night.")[0]
    assert str(entry["SUMMARY"]) == "Night at Hotel Utica"
    assert str(entry["LOCATION"]) == "Hotel Utica, 102 Lafayette St, Utica, NY 13502"
    assert "+1 315 555 0170" in str(entry["DESCRIPTION"])  # the front desk


def test_a_plan_without_hotels_sleeps_at_the_place(weekend_plan: dict[str, Any]):
    """Files written before hotels were recorded name only the night's place."""
    data = copy.deepcopy(weekend_plan)
    del data["lodging"]
    for night in data["nights"]:
        for key in ("hotel", "headcount", "rooms"):
            night.pop(key, None)
    doc = Document.from_json(data)
    assert not doc.hotels
    for klass in doc.classes:
        entries = with_uid(read_back(class_calendar(doc, EN, klass.id, STAMP)), ".night.")
        places = [doc.places[n.place] for n in doc.plan.nights if n.class_id == klass.id]
        assert len(entries) == len(places) == 1
        assert str(entries[0]["SUMMARY"]) == f"Night at {places[0].name('en')}"
        assert places[0].name_zh in str(entries[0]["LOCATION"]) and places[0].name_en in str(entries[0]["LOCATION"])


# ---------------------------------------------------------------------------
# Lecturers' drives


def test_lecturers_block_the_drive_there_and_home(weekend: Document):
    """A drive there from leave-by to arrival, a drive home from the end of the day's last
    lecture; busy time, with a reminder before leaving; a drive on to the next lecture is shown
    once, as that lecture's drive there."""
    there = home = 0
    for lecturer in weekend.teaching_lecturers():
        entries = read_back(lecturer_calendar(weekend, EN, lecturer.id, STAMP))
        for lecture in weekend.lectures_of(lecturer.id):
            trip = weekend.trip_to(lecture)
            assert trip is not None and trip.back is not None
            lecture_entry = next(
                e
                for e in entries
                if ".drive-" not in str(e["UID"])
                and e.decoded("DTSTART") == local(weekend, lecture.date, lecture.start)
            )
            uid = str(lecture_entry["UID"]).split("@")[0]
            drives = {str(e["UID"]).split("@")[0].removeprefix(uid): e for e in with_uid(entries, uid + ".drive-")}
            if trip.from_place != trip.to_place:
                drive = drives.pop(".drive-to")
                leave = clock(trip.leave_by)
                assert drive.decoded("DTSTART") == local(weekend, lecture.date, leave)
                assert drive.decoded("DTEND") == local(
                    weekend, lecture.date, leave + trip.driving_minutes + trip.rest_minutes
                )
                assert drive.decoded("DTEND") <= lecture_entry.decoded("DTSTART")
                assert str(drive["SUMMARY"]) == f"Drive to {weekend.places[trip.to_place].name('en')}"
                assert str(drive["TRANSP"]) == "OPAQUE"
                assert alarms(drive) == [("DISPLAY", -LEAVE_REMINDER)] and not alarms(lecture_entry)
                there += 1
            else:
                assert alarms(lecture_entry) == [("DISPLAY", -LEAVE_REMINDER)]
            if trip.back.home and trip.back.to_place != lecture.place:
                drive = drives.pop(".drive-home")
                assert drive.decoded("DTSTART") == lecture_entry.decoded("DTEND")
                assert drive.decoded("DTEND") == local(weekend, lecture.date, clock(trip.back.arrives))
                assert str(drive["SUMMARY"]) == "Drive home" and str(drive["TRANSP"]) == "OPAQUE"
                assert not alarms(drive)
                home += 1
            assert not drives, f"unexpected drives {list(drives)} for {lecturer.id}"
    assert there > 0 and home > 0  # the weekend's lecturers live in Dalian, away from the classes


def test_lecturers_at_home_get_no_drive(county: Document):
    """The county's lecturers lecture where they live: their lectures only, each with the reminder."""
    for lecturer in county.teaching_lecturers():
        entries = read_back(lecturer_calendar(county, EN, lecturer.id, STAMP))
        assert len(entries) == len(county.lectures_of(lecturer.id)) > 0
        assert not with_uid(entries, ".drive-")
        assert all(alarms(e) == [("DISPLAY", -LEAVE_REMINDER)] for e in entries)
        assert all(str(e["LOCATION"]).endswith(county.places[lecturer.home].address or "") for e in entries)


# ---------------------------------------------------------------------------
# Reminders and locations in the class calendars


@pytest.mark.parametrize("which", ["county", "weekend"])
def test_a_reminder_before_every_coach_departure_and_nothing_else(which: str, request: pytest.FixtureRequest):
    doc: Document = request.getfixturevalue(which)
    reminded = 0
    for klass in doc.classes:
        entries = read_back(class_calendar(doc, EN, klass.id, STAMP))
        by_start = {(e.decoded("DTSTART"), str(e["UID"])): e for e in entries}
        departures = {local(doc, e.date, e.start) for e in doc.events_of(klass.id) if e.kind == "travel"}
        for (start, uid), entry in by_start.items():
            if ".coach." in uid:
                assert start in departures
                assert alarms(entry) == [("DISPLAY", -COACH_REMINDER)]
                assert str(entry.walk("VALARM")[0]["DESCRIPTION"]) == str(entry["SUMMARY"])
                reminded += 1
            else:
                assert not alarms(entry), uid
    assert reminded == sum(1 for e in doc.plan.events if e.kind == "travel") > 0


def test_locations_are_the_venue_and_its_address(county: Document):
    """A visit is at the site (its own name and address, not its place's), a lecture at its
    place and its address; contacts and the class teacher are in the description."""
    for klass in county.classes:
        entries = read_back(class_calendar(county, EN, klass.id, STAMP))
        for event in county.events_of(klass.id):
            entry = next(
                e
                for e in entries
                if e.decoded("DTSTART") == local(county, event.date, event.start) and ".night." not in str(e["UID"])
            )
            location, description = str(entry["LOCATION"]), str(entry["DESCRIPTION"])
            if event.kind == "field_visit" and event.site:
                site = county.sites[event.site]
                assert location == f"{county.site_name(event.site, 'en')}, {county.site_address(event.site)}"
                for contact in site.contacts:
                    assert f"{contact.name} · {contact.phone}" in description
            elif event.kind == "lecture":
                place = county.places[event.place]
                assert location == f"{place.name('en')}, {place.address}"
            assert f"Class teacher: {klass.class_teacher.name} · {klass.class_teacher.phone}" in description


# ---------------------------------------------------------------------------
# Site and programme calendars


@pytest.mark.parametrize("which", ["county", "weekend"])
def test_each_site_has_its_visits(which: str, request: pytest.FixtureRequest, tmp_path: Path):
    doc: Document = request.getfixturevalue(which)
    written = {p.name for p in write_calendars(doc, EN, tmp_path, STAMP)}
    lunches = 0
    for site in doc.visited_sites():
        assert f"site-{site.id}.ics" in written
        calendar = Calendar.from_ical((tmp_path / "calendars" / f"site-{site.id}.ics").read_bytes())
        assert str(calendar["X-WR-CALNAME"]) == f"{doc.site_name(site.id, 'en')}: visits"
        entries = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))
        visits = doc.visits_to(site.id)
        assert [e.decoded("DTSTART") for e in entries] == [local(doc, v.date, v.start) for v in visits]
        for entry, visit in zip(entries, visits, strict=True):
            klass = doc.training_class(visit.class_id)
            assert str(entry["SUMMARY"]) == f"{klass.name('en')} · {klass.trainees} trainees"
            assert str(entry["UID"]).startswith(f"site.{site.id}.class.{klass.id}.visit.{site.id}.")
            assert doc.site_name(site.id, "en") in str(entry["LOCATION"])
            assert not entry.walk("VALARM")
            lunch = [
                e
                for e in doc.events_of(visit.class_id, visit.date)
                if e.kind == "meal" and e.label == "lunch" and e.place == visit.place
                if e.end == visit.start or e.start == visit.end
            ]
            assert ("lunch here" in str(entry["DESCRIPTION"])) == bool(lunch)
            lunches += bool(lunch)
    assert not [n for n in written if n.startswith("site-") and n[5:-4] not in {s.id for s in doc.visited_sites()}]
    if which == "weekend":
        assert lunches > 0  # the rural class eats at Wanyi before its visit


@pytest.mark.parametrize("which", ["county", "weekend"])
def test_the_programme_calendar_follows_every_class(which: str, request: pytest.FixtureRequest):
    """Every class's sessions, visits, coach legs and nights, prefixed by the class; no meals,
    no free time, no reminders; UIDs of its own."""
    doc: Document = request.getfixturevalue(which)
    entries = read_back(programme_calendar(doc, EN, STAMP))
    expected = [e for e in doc.plan.events if e.kind not in ("meal", "free_time")]
    assert set(PROGRAMME_LEAVES_OUT) == {"meal", "free_time"}  # as docs/outputs.md says
    assert len(entries) == len(expected) + len(doc.plan.nights)
    class_uids = {str(e["UID"]) for k in doc.classes for e in read_back(class_calendar(doc, EN, k.id, STAMP))}
    for klass in doc.classes:
        own = [e for e in entries if str(e["SUMMARY"]).startswith(f"{klass.name('en')} · ")]
        times = sorted(e.decoded("DTSTART") for e in own if ".night." not in str(e["UID"]))
        assert times == sorted(local(doc, e.date, e.start) for e in expected if e.class_id == klass.id)
        assert len(with_uid(own, ".night.")) == sum(1 for n in doc.plan.nights if n.class_id == klass.id)
    for entry in entries:
        assert str(entry["UID"]).startswith("programme.class.")
        assert str(entry["UID"]).removeprefix("programme.") in class_uids
        assert not entry.walk("VALARM")


# ---------------------------------------------------------------------------
# UIDs and hostile text


def moved(doc: Document, event: Event, minutes: int) -> Document:
    """The same document with one event ``minutes`` later."""
    events = tuple(
        e if e is not event else type(e)(**{**e.__dict__, "start": e.start + minutes, "end": e.end + minutes})
        for e in doc.plan.events
    )
    return type(doc)(**{**doc.__dict__, "plan": type(doc.plan)(events, doc.plan.nights)})


def starts(calendar: Calendar) -> dict[str, dt.datetime]:
    return {str(e["UID"]): e.decoded("DTSTART") for e in read_back(calendar)}


def test_uids_of_every_calendar_stay_when_another_event_moves(weekend: Document):
    """Moving one visit moves that visit's entries only; nights, drives, site and programme
    entries keep their UIDs, so a re-issued file updates instead of adding copies."""
    visit = next(e for e in weekend.plan.events if e.class_id == "urban" and e.kind == "field_visit")
    later = moved(weekend, visit, 60)
    builders = [lambda d, k=k.id: class_calendar(d, EN, k, STAMP) for k in weekend.classes]
    builders += [lambda d, x=x.id: lecturer_calendar(d, EN, x, STAMP) for x in weekend.teaching_lecturers()]
    builders += [lambda d, s=s.id: site_calendar(d, EN, s, STAMP) for s in weekend.visited_sites()]
    builders.append(lambda d: programme_calendar(d, EN, STAMP))
    changed: list[str] = []
    for build in builders:
        assert build(weekend).to_ical() == build(weekend).to_ical()
        before, after = starts(build(weekend)), starts(build(later))
        assert before.keys() == after.keys()
        changed += [uid for uid in before if before[uid] != after[uid]]
    assert changed and all(f".visit.{visit.site}." in uid for uid in changed)
    assert {uid.split(".", 1)[0] for uid in changed} == {"class", "site", "programme"}


def test_a_night_keeps_its_uid_when_the_evening_changes(weekend: Document):
    """The night is keyed by class and date: a later evening moves its start, not its identity."""
    night = next(n for n in weekend.plan.nights if n.class_id == "urban")
    last = weekend.events_of("urban", night.date)[-1]
    before = starts(class_calendar(weekend, EN, "urban", STAMP))
    after = starts(class_calendar(moved(weekend, last, 15), EN, "urban", STAMP))
    assert before.keys() == after.keys()
    changed = {uid: after[uid] - before[uid] for uid in before if before[uid] != after[uid]}
    assert len(changed) == 2  # the last event and the night
    (uid,) = (u for u in changed if ".night." in u)
    assert uid.startswith(f"class.urban.{night.date.isoformat()}.night.1@")
    assert changed[uid] == dt.timedelta(minutes=15)


def test_new_entries_have_distinct_uids(weekend: Document, tmp_path: Path):
    uids: list[str] = []
    for path in write_calendars(weekend, EN, tmp_path, STAMP):
        uids += [str(e["UID"]) for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert any(".night." in u for u in uids) and any(".drive-to@" in u for u in uids)


HOSTILE = "Hotel\nUtica <script>alert(1)</script>; a,b"
FORMULA = "=1+1"


def test_hostile_names_stay_inside_their_lines(county_plan: dict[str, Any], tmp_path: Path):
    """A hotel, site or contact named with a new line, ``<script>`` or ``=1+1`` comes back as
    written, and every line of every file is a proper, folded content line."""
    data = copy.deepcopy(county_plan)
    hotel = data["lodging"][0]
    hotel["name_en"], hotel["address"] = HOSTILE, FORMULA
    hotel["contacts"][0]["name"] = "Desk\r\n<b>night</b>"
    for site in data["sites"]:
        site["name_en"] = f"{FORMULA}\n{site['name_en']}"
    data["classes"][0]["class_teacher"]["name"] = "=cmd|' /C calc'!A0"
    doc = Document.from_json(data)
    paths = write_calendars(doc, EN, tmp_path, STAMP)
    texts: list[str] = []
    for path in paths:
        raw = path.read_bytes()
        for line in raw.split(b"\r\n"):
            assert b"\r" not in line and b"\n" not in line and b"\x00" not in line
            assert len(line) <= 75  # folded
        for entry in Calendar.from_ical(raw).walk("VEVENT"):
            texts += [str(entry[key]) for key in ("SUMMARY", "LOCATION", "DESCRIPTION")]
    hotel_id = hotel["id"]
    nights = [n for n in doc.stays.values() if n.hotel == hotel_id]
    assert nights
    assert f"Night at {HOSTILE}" in texts
    assert f"{HOSTILE}, {FORMULA}" in texts  # the night's LOCATION: new line, tags and commas intact
    assert any("Desk\n<b>night</b>" in t for t in texts)  # CR LF read as one new line
    assert any("Class teacher: =cmd|' /C calc'!A0" in t for t in texts)
    visited = doc.visited_sites()
    assert visited and all(any(t.startswith(f"{FORMULA}\n") and s.name_en in t for t in texts) for s in visited)
