"""A file for each person the organisers send something to, in folders under the output folder:

- ``classes/<class>``: for the trainees: the class's days, its hotels, its coach, its class
  teacher, the notes;
- ``lecturers/<lecturer>``: a letter: each lecture's date, time, place and address, who receives
  the lecturer, when to leave and the drive there and back;
- ``sites/<site>``: the host's notice: each visit's arrival, headcount, lunch, who to call;
- ``coaches/<class>``: the driver's day sheets: every leg with the addresses, where to park.

Each is written as a PDF to print and as one self-contained HTML file (its style inside, no
pictures, nothing fetched) that reads on a phone. The PDFs are typeset by Typst
(``templates/handout.typ``) from the same views, as data (``typeset``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from scheduler.atomic import atomic_path, write_text
from scheduler.plan.lodging import staff as travelling_staff
from scheduler.plan.model import Event
from scheduler.render.document import Document, Place, TrainingClass
from scheduler.render.files import file_names, inside
from scheduler.render.labels import Labels
from scheduler.render.logistics import coach_text, contact_text, together_text
from scheduler.render.templating import environment
from scheduler.render.typeset import Typesetter, as_data

FOLDERS = ("classes", "lecturers", "sites", "coaches")
"""The hand-outs' folders under the output folder, in the order they are written."""


@dataclass(frozen=True)
class Item:
    """One line of a hand-out's table: a time, what, where (with an address) and who."""

    time: str
    what: str
    where: str = ""
    address: str = ""
    who: str = ""
    kind: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """A part of a hand-out: a day, a lecture or a visit, with its heading and lines."""

    heading: str
    lines: tuple[Item, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    foot: str = ""


@dataclass(frozen=True)
class Handout:
    """One recipient's file: ``folder``/``stem`` + ``.pdf`` and ``.html``."""

    folder: str
    stem: str
    anchor: str
    kicker: str
    title: str
    subtitle: str
    intro: str = ""
    facts: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = ()
    contacts: tuple[str, ...] = ()
    unchecked: bool = False


def handouts(doc: Document, labels: Labels) -> list[Handout]:
    """Every hand-out of the plan, folder by folder."""
    made: list[Handout] = []
    class_stems = file_names([k.id for k in doc.classes])
    made += [_class_handout(doc, labels, k, class_stems[k.id]) for k in doc.classes]
    lecturer_stems = file_names([lec.id for lec in doc.teaching_lecturers()])
    made += [_lecturer_handout(doc, labels, lec.id, lecturer_stems[lec.id]) for lec in doc.teaching_lecturers()]
    site_stems = file_names([site.id for site in doc.visited_sites()])
    made += [_site_handout(doc, labels, site.id, site_stems[site.id]) for site in doc.visited_sites()]
    made += [_coach_handout(doc, labels, k, class_stems[k.id]) for k in doc.classes]
    return made


def write_handouts(
    doc: Document,
    labels: Labels,
    out_dir: Path,
    *,
    written: list[Path] | None = None,
    typesetter: Typesetter | None = None,
) -> list[Path]:
    """Write every hand-out as PDF and HTML under ``out_dir``; each file replaced in one step.

    ``written``, when given, receives each file once it is whole (so that a caller interrupted
    halfway knows what is there); the list of every file is returned.
    """
    items = handouts(doc, labels)
    template, context = _template(labels)
    written = [] if written is None else written
    for item in items:
        target = inside(out_dir, Path(item.folder) / f"{item.stem}.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        write_text(target, template.render(**context, handouts=[item], title=item.title))
        written.append(target)
    if not items:
        return written
    typesetter = typesetter or Typesetter()
    words = labels.table()
    for item in items:
        target = inside(out_dir, Path(item.folder) / f"{item.stem}.pdf")
        pdf = typesetter.pdf("handout.typ", {"lang": labels.lang, "labels": words, "handout": as_data(item)})
        with atomic_path(target) as temp:
            temp.write_bytes(pdf)
        written.append(target)
    return written


def _template(labels: Labels) -> tuple[Any, dict[str, Any]]:
    template = environment().get_template("handout.html.j2")
    # the project's own style sheet, not text from the plan: shown as it is, inside <style>
    css = Markup(environment().get_template("handout.css").render())
    return template, {"t": labels, "html_lang": "zh-Hans" if labels.lang == "zh" else "en", "css": css}


# ---------------------------------------------------------------------------
# For the trainees


def _class_handout(doc: Document, labels: Labels, klass: TrainingClass, stem: str) -> Handout:
    lang = labels.lang
    facts = [(labels("professor"), _person(klass.professor.name(lang), klass.professor.phone))]
    if klass.class_teacher:
        facts.append((labels("class_teacher"), contact_text(klass.class_teacher)))
    if klass.coach:
        facts.append((labels("coach_vehicle"), coach_text(klass, labels)))
    facts.append((labels("trainees"), labels("trainees_n", n=klass.trainees)))
    blocks = []
    for date in doc.dates:
        lines = tuple(item for e in doc.events_of(klass.id, date) if (item := _trainee_item(doc, labels, e)))
        blocks.append(
            Block(heading=_day_heading(doc, labels, date), lines=lines, foot=_night_line(doc, labels, klass, date))
        )
    return Handout(
        folder="classes",
        stem=stem,
        anchor=f"class-{stem}",
        kicker=labels("handout_class"),
        title=klass.name(lang),
        subtitle=labels("class_intro", programme=doc.programme.name(lang), dates=_dates(doc, labels)),
        facts=tuple(facts),
        notes=tuple(note for note in (doc.programme.notes, klass.notes) if note),
        blocks=tuple(blocks),
        contacts=_office(doc),
        unchecked=doc.unchecked,
    )


def _trainee_item(doc: Document, labels: Labels, e: Event) -> Item | None:
    lang = labels.lang
    time = f"{_clock(e.start)}–{_clock(e.end)}"
    if e.kind == "travel":
        if not e.to_place or e.to_place == e.from_place:
            return None
        return Item(time, labels("coach_to", place=doc.places[e.to_place].name(lang)), kind=e.kind)
    if e.kind == "field_visit" and e.site:
        return Item(time, labels.kind(e), doc.site_name(e.site, lang), doc.site_address(e.site) or "", kind=e.kind)
    place = doc.places[e.place]
    what = labels.kind(e)
    if e.kind == "lecture" and e.topic:
        topic = doc.topics.get(e.topic)
        what = f"{what}: {topic.name(lang) if topic else e.topic}"
    who = doc.lecturer(e.lecturer).name(lang) if e.lecturer else ""
    return Item(time, what, place.name(lang), "", who, e.kind)


# ---------------------------------------------------------------------------
# For the lecturers


def _lecturer_handout(doc: Document, labels: Labels, lecturer_id: str, stem: str) -> Handout:
    lang = labels.lang
    lecturer = doc.lecturer(lecturer_id)
    blocks = []
    for e in doc.lectures_of(lecturer_id):
        klass = doc.training_class(e.class_id)
        topic = doc.topics.get(e.topic or "")
        place = doc.places[e.place]
        facts = [
            (labels("time"), f"{_clock(e.start)}–{_clock(e.end)}"),
            (labels("topic"), topic.name(lang) if topic else (e.topic or "")),
            (labels("class"), f"{klass.name(lang)} · {labels('trainees_n', n=klass.trainees)}"),
            (labels("place"), place.name(lang)),
        ]
        if place.address:
            facts.append((labels("address"), place.address))
        received = [contact_text(klass.class_teacher)] if klass.class_teacher else []
        received.append(_person(klass.professor.name(lang), klass.professor.phone, labels("professor")))
        facts.append((labels("received_by"), "; ".join(received)))
        trip = doc.trip_to(e)
        if trip is not None:
            minutes = trip.driving_minutes + trip.rest_minutes
            if minutes and trip.from_place != trip.to_place:
                there = labels(
                    "leave_by_from",
                    time=trip.leave_by,
                    place=doc.places[trip.from_place].name(lang),
                    minutes=minutes,
                    km=f"{trip.km:.0f}",
                )
            else:
                there = labels("already_there", place=place.name(lang))
            facts.append((labels("getting_there"), there))
            back = trip.back
            if back is not None and back.to_place != e.place:
                key = "drive_back_home" if back.home else "drive_on"
                facts.append(
                    (
                        labels("leaving_for"),
                        labels(
                            key,
                            leaves=back.leaves,
                            place=doc.places[back.to_place].name(lang),
                            minutes=back.driving_minutes + back.rest_minutes,
                            arrives=back.arrives,
                        ),
                    )
                )
        blocks.append(Block(heading=_day_heading(doc, labels, e.date), facts=tuple(facts)))
    name = lecturer.name(lang)
    facts = [(labels("letter_to"), name + (f" · {lecturer.affiliation}" if lecturer.affiliation else ""))]
    if doc.programme.organiser:
        facts.append((labels("letter_from"), doc.programme.organiser))
    if lecturer.contact:
        facts.append((labels("arranged_by"), contact_text(lecturer.contact)))
    return Handout(
        folder="lecturers",
        stem=stem,
        anchor=f"lecturer-{stem}",
        kicker=labels("handout_lecturer"),
        title=name,
        subtitle=doc.programme.name(lang),
        intro=labels("lecturer_intro", programme=doc.programme.name(lang), dates=_dates(doc, labels)),
        facts=tuple(facts),
        blocks=tuple(blocks),
        contacts=_office(doc),
        unchecked=doc.unchecked,
    )


# ---------------------------------------------------------------------------
# For the hosts


def _site_handout(doc: Document, labels: Labels, site_id: str, stem: str) -> Handout:
    lang = labels.lang
    site = doc.sites[site_id]
    visits = doc.visits_to(site_id)
    blocks = []
    for e in visits:
        klass = doc.training_class(e.class_id)
        day = doc.events_of(e.class_id, e.date)
        before = [x for x in day if x.kind == "travel" and x.end <= e.start and x.from_place != x.to_place]
        after = [x for x in day if x.kind == "travel" and x.start >= e.end and x.from_place != x.to_place]
        staff = travelling_staff(klass)
        detail = labels("headcount_detail", trainees=klass.trainees, staff=staff)
        facts = [
            (labels("visit"), f"{_clock(e.start)}–{_clock(e.end)}"),
            (labels("class"), klass.name(lang)),
            (
                labels("headcount"),
                labels("people_with", people=labels("people_n", n=klass.trainees + staff), detail=detail),
            ),
        ]
        if before:
            leg = before[-1]
            facts.insert(
                0,
                (
                    labels("arrival"),
                    labels("coach_arrives", time=_clock(leg.end), place=doc.places[leg.from_place or ""].name(lang)),
                ),
            )
        lunch = doc.lunch_at_visit(e)
        if lunch is not None:
            facts.append(
                (labels("meal_lunch"), labels("lunch_here", time=f"{_clock(lunch.start)}–{_clock(lunch.end)}"))
            )
        together = together_text(doc, labels, e)
        if together:
            facts.append((labels("headcount"), together))
        if after:
            facts.append(
                (labels("departure"), labels("coach_leaves", place=doc.places[after[0].to_place or ""].name(lang)))
            )
        people = [contact_text(klass.class_teacher)] if klass.class_teacher else []
        people.append(_person(klass.professor.name(lang), klass.professor.phone, labels("professor")))
        if klass.coach and (klass.coach.driver or klass.coach.phone):
            people.append(coach_text(klass, labels))
        facts.append((labels("contacts"), "; ".join(people)))
        blocks.append(Block(heading=_day_heading(doc, labels, e.date), facts=tuple(facts)))
    facts = [(labels("letter_to"), doc.site_name(site_id, lang))]
    facts += [(labels("contact"), contact_text(c)) for c in site.contacts]
    address = doc.site_address(site_id)
    if address:
        facts.append((labels("address"), address))
    if doc.programme.organiser:
        facts.append((labels("letter_from"), doc.programme.organiser))
    return Handout(
        folder="sites",
        stem=stem,
        anchor=f"site-{stem}",
        kicker=labels("handout_site"),
        title=doc.site_name(site_id, lang),
        subtitle=doc.programme.name(lang),
        intro=labels("site_intro", programme=doc.programme.name(lang), dates=_dates(doc, labels)),
        facts=tuple(facts),
        notes=(site.note,) if site.note else (),
        blocks=tuple(blocks),
        contacts=_office(doc),
        unchecked=doc.unchecked,
    )


# ---------------------------------------------------------------------------
# For the drivers


def _coach_handout(doc: Document, labels: Labels, klass: TrainingClass, stem: str) -> Handout:
    lang = labels.lang
    blocks = []
    for date in doc.dates:
        events = doc.events_of(klass.id, date)
        lines = []
        for i, e in enumerate(events):
            if e.kind != "travel" or not e.from_place or not e.to_place or e.from_place == e.to_place:
                continue
            notes = [labels.minutes(e.minutes), labels.km(e.km or 0.0)]
            if e.rest_minutes:
                notes.append(labels("with_rest", n=e.rest_minutes))
            lines.append(
                Item(
                    time=f"{_clock(e.start)}–{_clock(e.end)}",
                    what=f"{doc.places[e.from_place].name(lang)} → {doc.places[e.to_place].name(lang)}",
                    where=_stop_name(doc, lang, events[i + 1 :], e.to_place),
                    address=_stop_address(doc, events[i + 1 :], e.to_place, klass, date),
                    kind="leg",
                    notes=tuple(notes),
                )
            )
        night = doc.night_of(klass.id, date)
        hotel = doc.hotel_of(klass.id, date)
        foot = ""
        if night:
            where = doc.hotel_name(hotel, lang) if hotel else doc.places[night].name(lang)
            address = (doc.hotel_address(hotel) if hotel else doc.places[night].address) or ""
            foot = f"{labels('park_at')}: {where}" + (f" · {address}" if address else "")
        blocks.append(
            Block(
                heading=_day_heading(doc, labels, date),
                lines=tuple(lines),
                foot=foot or ("" if lines else labels("no_legs")),
            )
        )
    coach = klass.coach
    people = klass.trainees + travelling_staff(klass)
    facts = [(labels("class"), f"{klass.name(lang)} · {labels('people_n', n=people)}")]
    if coach:
        facts.append((labels("coach_vehicle"), coach_text(klass, labels)))
    if klass.class_teacher:
        facts.append((labels("class_teacher"), _person(klass.class_teacher.name, klass.class_teacher.phone)))
    return Handout(
        folder="coaches",
        stem=stem,
        anchor=f"coach-{stem}",
        kicker=labels("handout_coach"),
        title=(coach.plate if coach and coach.plate else labels("coach_of", klass=klass.name(lang))),
        subtitle=labels(
            "coach_intro", programme=doc.programme.name(lang), dates=_dates(doc, labels), klass=klass.name(lang)
        ),
        facts=tuple(facts),
        blocks=tuple(blocks),
        contacts=_office(doc),
        unchecked=doc.unchecked,
    )


def _stop_name(doc: Document, lang: str, rest: list[Event], place_id: str) -> str:
    """Where the coach stops, when it is not the place's name: the site of the visit that follows."""
    following = next((e for e in rest if e.kind != "meal"), None)
    if following is not None and following.kind == "field_visit" and following.site and following.place == place_id:
        name = doc.site_name(following.site, lang)
        return name if name != doc.places[place_id].name(lang) else ""
    return ""


def _stop_address(doc: Document, rest: list[Event], place_id: str, klass: TrainingClass, date: dt.date) -> str:
    """The address to drive to: the site's of the visit that follows, the hotel's when the class
    arrives at its night's place with nothing else that day, else the place's."""
    following = next((e for e in rest if e.kind != "meal"), None)
    if following is not None and following.kind == "field_visit" and following.site and following.place == place_id:
        return doc.site_address(following.site) or ""
    moves_on = any(e.kind == "travel" and e.from_place != e.to_place for e in rest)
    hotel = doc.hotel_of(klass.id, date)
    if not moves_on and hotel is not None and hotel.place == place_id:
        return doc.hotel_address(hotel) or ""
    return doc.places[place_id].address or ""


# ---------------------------------------------------------------------------
# Shared


def _day_heading(doc: Document, labels: Labels, date: dt.date) -> str:
    return f"{labels('day_n', n=doc.day_number(date))} · {labels.date(date)}"


def _night_line(doc: Document, labels: Labels, klass: TrainingClass, date: dt.date) -> str:
    lang = labels.lang
    night = doc.night_of(klass.id, date)
    if night is None:
        return f"{labels('ends_at')}: {doc.places[klass.end_place].name(lang)}"
    hotel = doc.hotel_of(klass.id, date)
    if hotel is None:
        place: Place = doc.places[night]
        return f"{labels('night_at')}: {place.name(lang)}" + (f" · {place.address}" if place.address else "")
    text = f"{labels('night_at')}: {doc.hotel_name(hotel, lang)}"
    address = doc.hotel_address(hotel)
    if address:
        text += f" · {address}"
    desk = [c.phone for c in hotel.contacts if c.phone]
    return text + (f" · {desk[0]}" if desk else "")


def _dates(doc: Document, labels: Labels) -> str:
    return labels.date_range(doc.programme.first_date, doc.programme.last_date)


def _office(doc: Document) -> tuple[str, ...]:
    return tuple(contact_text(c) for c in doc.programme.contacts)


def _person(name: str, phone: str | None, role: str = "") -> str:
    text = f"{role}: {name}" if role else name
    return f"{text} · {phone}" if phone else text


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
