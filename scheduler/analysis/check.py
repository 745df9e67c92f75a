"""The independent checker: does a finished plan keep every hard rule of ``docs/rules.md``?

One small function per rule, named after it; its docstring states the rule as an organiser
would say it, and it yields a sentence naming the ids for every breach. ``RULES`` lists them
in the order of ``docs/rules.md``; ``check()`` runs them all. The checker reads the scenario,
the travel table and the plan, never the solver, so a bug in the model cannot hide here.

Conventions shared by every rule: times are minutes after midnight of the event's date;
intervals are half-open, so events that touch do not overlap; a coach leg's door-to-door
minutes are its driving plus its rest stops. A class's day ``d`` starts at S (day 0: the
class's ``start_place``, later days: where it slept) and ends at E (the last day: its
``end_place``, other days: where it sleeps). Meals that start before ``frame.dinner.start``
are lunches; the others are dinners.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, NamedTuple

from scheduler.analysis.wording import Sentence
from scheduler.plan.figures import ClassFigures, class_figures
from scheduler.plan.labels import KIND_LABELS, SHORT_WEEKDAYS
from scheduler.plan.model import EVENT_KINDS, Event, Plan
from scheduler.plan.realism import PROGRAMME_KINDS, arrivals
from scheduler.scenario.model import Requirements, Scenario, TrainingClass, format_clock
from scheduler.scenario.travel import TravelTable, rest_stops_needed

MINUTES_PER_DAY = 24 * 60
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SESSION_KINDS = ("opening", "seminar", "report_writing", "presentation", "closing")
"""The class's own sessions: its professor is named on them, and they are held at S before the
coach leaves or at E after it arrives (lectures have their own rule)."""


# ---------------------------------------------------------------------------
# Violations


@dataclass(frozen=True)
class Violation:
    """One breach of a hard rule, as a sentence naming the ids involved: ``message`` is the
    English sentence, and a `Sentence` (as every rule writes it) can be worded in Chinese too."""

    rule: str
    message: str
    class_id: str | None = None
    date: dt.date | None = None
    ids: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.message

    def in_language(self, lang: str) -> str:
        """The sentence in ``lang`` (``"zh"`` or ``"en"``; English for any other)."""
        return self.message.in_language(lang) if isinstance(self.message, Sentence) else str(self.message)


class PlanViolationError(Exception):
    """A plan breaks hard rules: a bug in whatever produced it."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        lines = "\n".join(f"- [{v.rule}] {v}" for v in violations)
        count = len(violations)
        super().__init__(f"The plan breaks {count} hard rule{'s' if count != 1 else ''}:\n{lines}")


class Finding(NamedTuple):
    """What a rule function yields; ``check()`` adds the rule's name."""

    message: Sentence
    class_id: str | None = None
    date: dt.date | None = None
    ids: tuple[str, ...] = ()


# ---------------------------------------------------------------------------
# Wording


def say_date(date: dt.date) -> Sentence:
    """``2019-08-26 (Monday)``; in Chinese ``8月26日（周一）``, as the outputs write a date."""
    weekday = date.weekday()
    return Sentence(
        "date",
        iso=date.isoformat(),
        month=date.month,
        day=date.day,
        weekday_en=WEEKDAY_NAMES[weekday],
        weekday_zh=SHORT_WEEKDAYS[weekday][0],
    )


def say_span(event: Event) -> str:
    return f"{format_clock(event.start)}-{format_clock(event.end)}"


def describe(event: Event) -> Sentence:
    """An event in words with its ids and times, e.g. ``lecture on policy by lecturer li at jinpu (08:30-10:00)``."""
    span = say_span(event)
    if event.kind == "travel":
        return Sentence("event_travel", from_place=event.from_place, to_place=event.to_place, span=span)
    if event.kind == "field_visit":
        return Sentence("event_visit", site=event.site, span=span)
    if event.kind == "lecture":
        return Sentence("event_lecture", topic=event.topic, lecturer=event.lecturer, place=event.place, span=span)
    return Sentence(
        "event_at", kind_en=event.kind.replace("_", " "), kind_zh=_kind_zh(event.kind), place=event.place, span=span
    )


def _kind_zh(kind: str) -> str:
    """An event's kind in Chinese, or as the plan writes it when it is no kind the plan has."""
    return KIND_LABELS[kind][0] if kind in KIND_LABELS else f"{kind!r} 活动"


def _counted(count: int, one: str, many: str, **fields: object) -> Sentence:
    """``count`` things in words: the sentence ``one`` for one of them, ``many`` for others."""
    return Sentence(one if count == 1 else many, count=count, **fields)


# ---------------------------------------------------------------------------
# The plan, indexed the ways the rules read it


@dataclass(frozen=True)
class ClassDay:
    """One class's events on one day, with where the day starts (S) and ends (E).

    ``start_place`` or ``end_place`` is None when the night that defines it is missing
    (the ``nights`` rule reports that).
    """

    klass: TrainingClass
    day: int
    date: dt.date
    events: tuple[Event, ...]
    start_place: str | None
    end_place: str | None

    def of_kind(self, *kinds: str) -> list[Event]:
        return [e for e in self.events if e.kind in kinds]

    @property
    def legs(self) -> list[Event]:
        return self.of_kind("travel")

    @property
    def field_trip(self) -> tuple[int, int] | None:
        """From the first departure to the last arrival, or None without coach legs."""
        legs = self.legs
        return (legs[0].start, legs[-1].end) if legs else None


def _time_order(event: Event) -> tuple[dt.date, int, int]:
    return (event.date, event.start, event.end)


class PlanView:
    """The scenario, its travel table and the plan, indexed by class and day."""

    def __init__(self, scenario: Scenario, plan: Plan, travel: TravelTable | None = None):
        self.scenario = scenario
        self.plan = plan
        self.travel = travel or TravelTable(scenario)
        self.frame = scenario.programme.frame
        self.per_hour = scenario.programme.minutes_per_class_hour
        self.days = range(scenario.programme.days)
        by_day: dict[tuple[str, dt.date], list[Event]] = defaultdict(list)
        for event in plan.events:
            by_day[(event.class_id, event.date)].append(event)
        self._by_day = {key: tuple(sorted(events, key=_time_order)) for key, events in by_day.items()}
        self._requirements = {c.id: scenario.requirements_for(c.id) for c in scenario.classes}
        self._figures: dict[str, ClassFigures] | None = None
        self._class_days: tuple[ClassDay, ...] | None = None

    def requirements(self, class_id: str) -> Requirements:
        return self._requirements[class_id]

    def figures(self, class_id: str) -> ClassFigures:
        if self._figures is None:
            self._figures = class_figures(self.scenario, self.plan)
        return self._figures[class_id]

    def day_of(self, date: dt.date) -> int:
        day = self.scenario.programme.day_of(date)
        assert day is not None, f"{date} is outside the programme (checked by 'well formed')"
        return day

    def start_place(self, klass: TrainingClass, day: int) -> str | None:
        """S: day 0 the class's start place; later days where it slept."""
        if day == 0:
            return klass.first_place
        return self.plan.night_of(klass.id, self.scenario.programme.date_of(day - 1))

    def end_place(self, klass: TrainingClass, day: int) -> str | None:
        """E: the last day the class's end place; other days where it sleeps."""
        if day == self.days[-1]:
            return klass.last_place
        return self.plan.night_of(klass.id, self.scenario.programme.date_of(day))

    def class_days(self) -> tuple[ClassDay, ...]:
        """Every class on every day of the programme, days without events included."""
        if self._class_days is None:
            programme = self.scenario.programme
            self._class_days = tuple(
                ClassDay(
                    klass=klass,
                    day=day,
                    date=programme.date_of(day),
                    events=self._by_day.get((klass.id, programme.date_of(day)), ()),
                    start_place=self.start_place(klass, day),
                    end_place=self.end_place(klass, day),
                )
                for klass in self.scenario.classes
                for day in self.days
            )
        return self._class_days

    def events(self, *kinds: str) -> list[Event]:
        """The plan's events of these kinds, by class, date and time."""
        return sorted((e for e in self.plan.events if e.kind in kinds), key=lambda e: (e.class_id, *_time_order(e)))


# ---------------------------------------------------------------------------
# Rule 0: the plan must be readable at all


def well_formed(view: PlanView) -> Iterator[Finding]:
    """Every event and night names ids the scenario knows, lies on a day of the programme
    within 00:00-24:00 and does not end before it starts, and carries what its kind needs
    (a visit its site, a lecture its lecturer and topic, a coach leg its places and figures).

    Not a rule of the contract but its precondition: when this fails, ``check()`` reports
    nothing else, because the other rules could not read the plan.
    """
    scenario = view.scenario
    known = {
        "class_id": {c.id for c in scenario.classes},
        "place": {p.id for p in scenario.places},
        "site": {s.id for s in scenario.sites},
        "lecturer": {lecturer.id for lecturer in scenario.lecturers},
        "topic": {t.id for t in scenario.topics},
        "from_place": {p.id for p in scenario.places},
        "to_place": {p.id for p in scenario.places},
    }
    needs = {
        "field_visit": ("site",),
        "lecture": ("lecturer", "topic"),
        "travel": ("from_place", "to_place", "driving_minutes", "rest_minutes", "km"),
    }
    for event in view.plan.events:
        where = Sentence(
            "plan_event",
            kind_en=event.kind,
            kind_zh=_kind_zh(event.kind),
            class_id=event.class_id,
            date=event.date,
            span=say_span(event),
        )
        if event.kind not in EVENT_KINDS:
            yield Finding(Sentence("unknown_kind", where=where, kind=repr(event.kind)), event.class_id, event.date)
        for attr, ids in known.items():
            value = getattr(event, attr)
            if value is not None and value not in ids:
                yield Finding(
                    Sentence("event_unknown_id", where=where, attr=attr, value=repr(value)),
                    event.class_id,
                    event.date,
                    (value,),
                )
        for attr in needs.get(event.kind, ()):
            if getattr(event, attr) is None:
                yield Finding(Sentence("event_without", where=where, attr=attr), event.class_id, event.date)
        if scenario.programme.day_of(event.date) is None:
            yield Finding(Sentence("event_outside_programme", where=where), event.class_id, event.date)
        if not 0 <= event.start <= event.end <= MINUTES_PER_DAY:
            yield Finding(Sentence("event_not_in_a_day", where=where), event.class_id, event.date)
    for night in view.plan.nights:
        for attr, value in (("class_id", night.class_id), ("place", night.place)):
            if value not in known[attr]:
                yield Finding(
                    Sentence(
                        "night_unknown_id", class_id=night.class_id, date=night.date, attr=attr, value=repr(value)
                    ),
                    night.class_id,
                    night.date,
                    (value,),
                )


# ---------------------------------------------------------------------------
# The shape of a class's day


def one_thing_at_a_time(view: PlanView) -> Iterator[Finding]:
    """A class's events never overlap; events that touch (one ends as the next starts) are fine."""
    for cd in view.class_days():
        busy: Event | None = None
        for event in cd.events:
            if busy is not None and event.start < busy.end:
                yield Finding(
                    Sentence(
                        "at_the_same_time",
                        class_id=cd.klass.id,
                        first=describe(busy),
                        second=describe(event),
                        date=say_date(cd.date),
                    ),
                    cd.klass.id,
                    cd.date,
                )
            if busy is None or event.end > busy.end:
                busy = event


# what is measured, the comparison that breaks the bound, the sentence, the bound (of a scenario and a day)
_FRAME_BOUNDS: tuple[tuple[str, Callable[[int, int], bool], str, Callable[[Scenario, int], int]], ...] = (
    ("start", operator.lt, "before_earliest_departure", lambda s, day: s.earliest_departure_on(day)),
    ("end", operator.gt, "after_quiet_hours", lambda s, day: s.programme.frame.quiet_hours_from),
)


def days_and_frame(view: PlanView) -> Iterator[Finding]:
    """Every event lies within its day: nothing starts before the day's earliest departure
    (``frame.earliest_departure``, or the day's override) and nothing ends after
    ``frame.quiet_hours_from``."""
    for event in view.plan.events:
        for attr, breaks, key, bound_of in _FRAME_BOUNDS:
            bound = bound_of(view.scenario, view.day_of(event.date))
            if breaks(getattr(event, attr), bound):
                yield Finding(
                    Sentence(
                        key,
                        class_id=event.class_id,
                        event=describe(event),
                        date=say_date(event.date),
                        bound=format_clock(bound),
                    ),
                    event.class_id,
                    event.date,
                )


DAYTIME_SESSIONS = ("opening", "lecture", "presentation", "closing")
"""Sessions of the day, held at the class's morning or evening place."""
STEPPED_KINDS = (*DAYTIME_SESSIONS, "field_visit", "seminar", "report_writing", "meal", "travel")
"""Events whose start a person reads: a coach leg's start is its departure (its arrival is
what the drive gives, and is not on the steps)."""


def session_start(view: PlanView) -> Iterator[Finding]:
    """No session (opening, lecture, presentation, closing) starts before the day's start
    (``frame.day_start``, or the day's override), however early the coach may leave."""
    for event in view.events(*DAYTIME_SESSIONS):
        bound = view.scenario.day_start_on(view.day_of(event.date))
        if event.start < bound:
            yield Finding(
                Sentence(
                    "before_day_start",
                    class_id=event.class_id,
                    event=describe(event),
                    date=say_date(event.date),
                    bound=format_clock(bound),
                ),
                event.class_id,
                event.date,
            )


def clock_steps(view: PlanView) -> Iterator[Finding]:
    """Every clock time a person reads is on the frame's steps (``time_step_minutes``): the
    start of every session, visit, meal and seminar, and every coach departure. Ends follow,
    since each such event lasts a whole number of steps where the scenario's lengths do."""
    step = view.frame.time_step_minutes
    for event in view.events(*STEPPED_KINDS):
        if event.start % step:
            yield Finding(
                Sentence(
                    "departs_off_step" if event.kind == "travel" else "starts_off_step",
                    class_id=event.class_id,
                    event=describe(event),
                    date=say_date(event.date),
                    time=format_clock(event.start),
                    step=step,
                ),
                event.class_id,
                event.date,
            )


def arrival_buffer(view: PlanView) -> Iterator[Finding]:
    """A class reaches a site at most ``frame.arrival_buffer_minutes`` before its visit starts,
    lunch there on arrival aside: the coach leaves when needed, and a longer wait is spent where
    the class was."""
    buffer = view.frame.arrival_buffer_minutes
    for cd in view.class_days():
        for before, after, lunch in arrivals(cd.events):
            if after.place == before.to_place:
                wait = after.start - before.end - (lunch.minutes if lunch else 0)
                if wait > buffer:
                    yield Finding(
                        Sentence(
                            "waits_too_long",
                            class_id=cd.klass.id,
                            site=after.site,
                            arrival=format_clock(before.end),
                            date=say_date(cd.date),
                            wait=wait,
                            start=format_clock(after.start),
                            buffer=buffer,
                        ),
                        cd.klass.id,
                        cd.date,
                        (after.site or "",),
                    )


def coach_legs(view: PlanView) -> Iterator[Finding]:
    """Each coach leg starts at its ``from_place``, drives the travel table's driving minutes
    and km from ``from_place`` to ``to_place``, and lasts its driving plus its rest minutes
    (door to door). Whether the rest minutes are right is ``continuous driving``."""
    for event in view.events("travel"):
        assert event.from_place and event.to_place and event.driving_minutes is not None
        leg = view.travel.leg(event.from_place, event.to_place)
        # the sentence, the plan's figure, the figure it must have
        figures = (
            ("leg_recorded_elsewhere", event.place, event.from_place),
            ("leg_driving", event.driving_minutes, leg.driving_minutes),
            ("leg_km", event.km, leg.km),
            ("leg_length", event.minutes, event.driving_minutes + (event.rest_minutes or 0)),
        )
        for key, have, want in figures:
            same = math.isclose(have, want, abs_tol=1e-6) if isinstance(want, float) else have == want
            if not same:
                yield Finding(
                    Sentence(
                        key,
                        class_id=event.class_id,
                        event=describe(event),
                        date=say_date(event.date),
                        have=have,
                        want=want,
                    ),
                    event.class_id,
                    event.date,
                    (event.from_place, event.to_place),
                )


def continuity(view: PlanView) -> Iterator[Finding]:
    """A class's day starts at S; each event happens where the class is (a visit at its site's
    place); a coach leg leaves from where the class is and puts it at ``to_place`` from its
    end; and the day ends at E."""
    for cd in view.class_days():
        cid, when = cd.klass.id, say_date(cd.date)
        here = cd.start_place  # None when the night before is missing: take the first event's word
        for event in cd.events:
            travel = event.kind == "travel"
            leaving, key = (event.from_place, "leaves_from_elsewhere") if travel else (event.place, "is_elsewhere")
            if here is not None and leaving != here:
                yield Finding(
                    Sentence(key, class_id=cid, event=describe(event), date=when, leaving=leaving, here=here),
                    cid,
                    cd.date,
                    (leaving or "", here),
                )
            if event.kind == "field_visit" and event.site is not None:
                site_place = view.scenario.site(event.site).place
                if event.place != site_place:
                    yield Finding(
                        Sentence(
                            "visit_recorded_elsewhere",
                            class_id=cid,
                            event=describe(event),
                            date=when,
                            place=event.place,
                            site=event.site,
                            site_place=site_place,
                        ),
                        cid,
                        cd.date,
                        (event.site, event.place),
                    )
            here = event.to_place if travel else (here or event.place)
        if cd.end_place is not None and here is not None and here != cd.end_place:
            key = "ends_not_at_end_place" if cd.day == view.days[-1] else "ends_not_where_it_sleeps"
            yield Finding(
                Sentence(key, class_id=cid, date=when, here=here, end=cd.end_place),
                cid,
                cd.date,
                (here, cd.end_place),
            )


def day_shape(view: PlanView) -> Iterator[Finding]:
    """The field trip runs S → site → site → … → E: every stop between two coach legs is at a
    site the class visits during that stop, and the opening, seminars, report writing and
    presentations are held at S before the coach leaves or at E after it arrives. (Lectures:
    see ``lectures``; lunch may be taken on the way.)"""
    for cd in view.class_days():
        cid, when = cd.klass.id, say_date(cd.date)
        legs = cd.legs
        for arrive, leave in pairwise(legs):
            visits = [v for v in cd.of_kind("field_visit") if v.start >= arrive.end and v.end <= leave.start]
            if not visits:
                yield Finding(
                    Sentence(
                        "stop_without_visit",
                        class_id=cid,
                        place=arrive.to_place,
                        start=format_clock(arrive.end),
                        end=format_clock(leave.start),
                        date=when,
                    ),
                    cid,
                    cd.date,
                    (arrive.to_place or "",),
                )
        trip = cd.field_trip
        if trip is None:
            continue
        for event in cd.of_kind(*SESSION_KINDS):
            if event.start < trip[1] and event.end > trip[0]:
                yield Finding(
                    Sentence(
                        "session_during_trip",
                        class_id=cid,
                        event=describe(event),
                        date=when,
                        start=format_clock(trip[0]),
                        end=format_clock(trip[1]),
                    ),
                    cid,
                    cd.date,
                )


def nights(view: PlanView) -> Iterator[Finding]:
    """Each class has exactly one night after every day but the last, none after the last
    day, and every night is at a lodging place. (That day d+1 starts where night d was is
    ``continuity``.)"""
    programme = view.scenario.programme
    lodging = set(view.scenario.lodging_places())
    count = Counter((n.class_id, n.date) for n in view.plan.nights)
    for klass in view.scenario.classes:
        for day in view.days[:-1]:
            date = programme.date_of(day)
            if count[(klass.id, date)] != 1:
                held = count[(klass.id, date)]
                sentence = Sentence(
                    "nights" if held else "no_night", class_id=klass.id, count=held, date=say_date(date)
                )
                yield Finding(sentence, klass.id, date)
    for night in view.plan.nights:
        day = programme.day_of(night.date)
        if day is None or day == view.days[-1]:
            key = "night_outside_programme" if day is None else "night_after_last_day"
            yield Finding(
                Sentence(key, class_id=night.class_id, place=night.place, date=say_date(night.date)),
                night.class_id,
                night.date,
                (night.place,),
            )
        if night.place not in lodging:
            yield Finding(
                Sentence("not_a_lodging_place", class_id=night.class_id, place=night.place, date=say_date(night.date)),
                night.class_id,
                night.date,
                (night.place,),
            )


def lodging_capacity(view: PlanView) -> Iterator[Finding]:
    """On each night, no lodging place holds more classes than the sum of its ``classes_per_night``."""
    guests: dict[tuple[dt.date, str], set[str]] = defaultdict(set)
    for night in view.plan.nights:
        guests[(night.date, night.place)].add(night.class_id)
    for (date, place), classes in sorted(guests.items()):
        capacity = view.scenario.lodging_capacity(place)
        if place in view.scenario.lodging_places() and len(classes) > capacity:
            yield Finding(
                Sentence(
                    "lodging_full",
                    place=place,
                    classes=tuple(sorted(classes)),
                    date=say_date(date),
                    capacity=_counted(capacity, "one_class", "classes"),
                ),
                None,
                date,
                (place, *sorted(classes)),
            )


# ---------------------------------------------------------------------------
# Field visits


# the sentence, the test that breaks (visit, site)
_VISIT_TIMES: tuple[tuple[str, Callable[[Event, Any], bool]], ...] = (
    ("before_site_opens", lambda e, s: e.start < s.hours.open),
    ("after_site_closes", lambda e, s: e.end > s.hours.close),
    ("visit_length", lambda e, s: e.minutes != s.visit_minutes),
)


def opening_hours(view: PlanView) -> Iterator[Finding]:
    """A field visit happens only on a date the site is open (one of its ``open_weekdays``,
    not one of its ``closed_dates``), within its ``hours`` (start ≥ open, end ≤ close), and
    lasts exactly its ``visit_minutes``."""
    for event in view.events("field_visit"):
        assert event.site is not None
        site = view.scenario.site(event.site)
        cid, when = event.class_id, say_date(event.date)
        if not site.is_open_on(event.date):
            yield Finding(Sentence("site_closed", class_id=cid, site=site.id, date=when), cid, event.date, (site.id,))
        for key, breaks in _VISIT_TIMES:
            if breaks(event, site):
                sentence = Sentence(
                    key,
                    class_id=cid,
                    event=describe(event),
                    date=when,
                    open=format_clock(site.hours.open),
                    close=format_clock(site.hours.close),
                    minutes=event.minutes,
                    visit=site.visit_minutes,
                )
                yield Finding(sentence, cid, event.date, (site.id,))


# the sentence, what is counted (one, many), how many the classes present make, the site's limit
_SITE_LIMITS: tuple[
    tuple[str, str, str, Callable[[PlanView, frozenset[str]], int], Callable[[Any], int | None]], ...
] = (
    ("site_full_classes", "one_class", "classes", lambda view, ids: len(ids), lambda site: site.capacity_classes),
    (
        "site_full_trainees",
        "one_trainee",
        "trainees",
        lambda view, ids: sum(view.scenario.training_class(c).trainees for c in ids),
        lambda site: site.capacity_trainees,
    ),
)


def site_capacity(view: PlanView) -> Iterator[Finding]:
    """At no moment are more than ``capacity_classes`` classes, or more than
    ``capacity_trainees`` trainees, at a site."""
    by_site: dict[tuple[str, dt.date], list[Event]] = defaultdict(list)
    for event in view.events("field_visit"):
        by_site[(event.site or "", event.date)].append(event)
    for (site_id, date), visits in sorted(by_site.items()):
        site = view.scenario.site(site_id)
        reported: set[tuple[str, frozenset[str]]] = set()
        for visit in sorted(visits, key=lambda e: e.start):
            present = frozenset(v.class_id for v in visits if v.start <= visit.start < v.end)
            for key, one, many, count_of, limit_of in _SITE_LIMITS:
                count, limit = count_of(view, present), limit_of(site)
                if limit is None or count <= limit or (one, present) in reported:
                    continue
                reported.add((one, present))
                yield Finding(
                    Sentence(
                        key,
                        site=site_id,
                        classes=tuple(sorted(present)),
                        count=_counted(count, one, many),
                        time=format_clock(visit.start),
                        date=say_date(date),
                        limit=_counted(limit, one, many),
                    ),
                    None,
                    date,
                    (site_id, *sorted(present)),
                )


def one_visit_per_site(view: PlanView) -> Iterator[Finding]:
    """A class visits a site at most once in the programme."""
    visits = Counter((e.class_id, e.site) for e in view.events("field_visit"))
    for (cid, site), count in visits.items():
        if count > 1:
            yield Finding(Sentence("visited_twice", class_id=cid, site=site, count=count), cid, None, (site or "",))


# the requirement, whether visiting a site on it breaks the rule, the sentence
_VISIT_LISTS: tuple[tuple[str, bool, str], ...] = (
    ("must_visit", False, "must_visit_missed"),
    ("never_visit", True, "never_visit_visited"),
)


def must_never_visit(view: PlanView) -> Iterator[Finding]:
    """Each class visits every site in its ``must_visit`` and none in its ``never_visit``."""
    for klass in view.scenario.classes:
        req = view.requirements(klass.id)
        visited = set(view.figures(klass.id).sites_visited)
        for attr, visiting_breaks, key in _VISIT_LISTS:
            for site in getattr(req, attr):
                if (site in visited) == visiting_breaks:
                    yield Finding(Sentence(key, class_id=klass.id, site=site), klass.id, None, (site,))


def visits_per_day(view: PlanView) -> Iterator[Finding]:
    """A class makes at most ``max_visits_per_day`` field visits a day."""
    for cd in view.class_days():
        most, made = view.requirements(cd.klass.id).max_visits_per_day, len(cd.of_kind("field_visit"))
        if made > most:
            sites = tuple(e.site or "" for e in cd.of_kind("field_visit"))
            yield Finding(
                Sentence(
                    "too_many_visits", class_id=cd.klass.id, made=made, date=say_date(cd.date), sites=sites, most=most
                ),
                cd.klass.id,
                cd.date,
            )


def red_education(view: PlanView) -> Iterator[Finding]:
    """A class makes at least ``min_red_education_visits`` visits to red-education sites."""
    for klass in view.scenario.classes:
        least, made = view.requirements(klass.id).min_red_education_visits, view.figures(klass.id).red_education_visits
        if made < least:
            yield Finding(
                Sentence(
                    "too_few_red_visits",
                    class_id=klass.id,
                    made=_counted(made, "one_red_visit", "red_visits"),
                    least=least,
                ),
                klass.id,
            )


# ---------------------------------------------------------------------------
# The coach


def coach_driving_per_day(view: PlanView) -> Iterator[Finding]:
    """A class's coach drives at most ``max_coach_minutes_per_day`` minutes a day (or the
    day's ``max_coach_minutes`` override); rest stops do not count."""
    for cd in view.class_days():
        driven = sum(view.travel.driving_hundredths(e.from_place, e.to_place) for e in cd.legs)
        most = view.scenario.max_coach_minutes_on(cd.day)
        if driven > view.scenario.max_coach_hundredths_on(cd.day):
            yield Finding(
                Sentence(
                    "too_much_driving",
                    class_id=cd.klass.id,
                    driven=f"{driven / 100:g}",
                    date=say_date(cd.date),
                    most=most,
                ),
                cd.klass.id,
                cd.date,
            )


def continuous_driving(view: PlanView) -> Iterator[Finding]:
    """A leg whose driving exceeds ``max_continuous_drive_minutes`` carries
    ``ceil(drive / max) - 1`` rest stops of ``rest_stop_minutes``, counted in its ``rest_minutes``
    (and so in its duration); a shorter leg has no rest minutes."""
    limits = view.scenario.limits
    for event in view.events("travel"):
        drive = event.driving_minutes or 0
        stops = rest_stops_needed(drive, limits.max_continuous_drive_minutes)
        want = stops * limits.rest_stop_minutes
        if event.rest_minutes != want:
            yield Finding(
                Sentence(
                    "rest_stops_wrong",
                    class_id=event.class_id,
                    event=describe(event),
                    date=say_date(event.date),
                    drive=drive,
                    rest=event.rest_minutes,
                    stops=_counted(stops, "one_rest_stop", "rest_stops"),
                    want=want,
                ),
                event.class_id,
                event.date,
                (event.from_place or "", event.to_place or ""),
            )


def latest_return(view: PlanView) -> Iterator[Finding]:
    """A class arrives at E (the end of its last coach leg of the day) no later than
    ``latest_return`` (or the day's override)."""
    for cd in view.class_days():
        latest = view.scenario.latest_return_on(cd.day)
        if cd.legs and cd.legs[-1].end > latest:
            arrival = cd.legs[-1]
            yield Finding(
                Sentence(
                    "late_return",
                    class_id=cd.klass.id,
                    place=arrival.to_place,
                    time=format_clock(arrival.end),
                    date=say_date(cd.date),
                    latest=format_clock(latest),
                ),
                cd.klass.id,
                cd.date,
                (arrival.to_place or "",),
            )


# ---------------------------------------------------------------------------
# Meals and evenings


def _is_lunch(event: Event, view: PlanView) -> bool:
    return event.kind == "meal" and event.start < view.frame.dinner.start


# a meal: the sentences for none of it and for more than one
_MEAL_COUNTS = {"lunch": ("no_lunch", "lunches"), "dinner": ("no_dinner", "dinners")}


def _count_finding(cd: ClassDay, what: str, count: int) -> Finding:
    none, many = _MEAL_COUNTS[what]
    sentence = Sentence(many if count else none, class_id=cd.klass.id, count=count, date=say_date(cd.date))
    return Finding(sentence, cd.klass.id, cd.date)


def lunch(view: PlanView) -> Iterator[Finding]:
    """Each day a class has exactly one lunch of ``frame.lunch.minutes``, starting no earlier
    than ``lunch.earliest`` and ending by ``lunch.latest``. (Not during a coach leg: that is
    ``one thing at a time``.)"""
    window = view.frame.lunch
    for cd in view.class_days():
        lunches = [e for e in cd.events if _is_lunch(e, view)]
        if len(lunches) != 1:
            yield _count_finding(cd, "lunch", len(lunches))
        for meal in lunches:
            if meal.start < window.earliest or meal.end > window.latest or meal.minutes != window.minutes:
                yield Finding(
                    Sentence(
                        "lunch_outside_window",
                        class_id=cd.klass.id,
                        place=meal.place,
                        date=say_date(cd.date),
                        span=say_span(meal),
                        minutes=window.minutes,
                        earliest=format_clock(window.earliest),
                        latest=format_clock(window.latest),
                    ),
                    cd.klass.id,
                    cd.date,
                )


def _class_hour_problems(minutes: int, per_hour: int) -> list[Sentence]:
    """Why ``minutes`` is not a whole, positive number of class hours (nothing if it is)."""
    if minutes <= 0 or minutes % per_hour:
        return [Sentence("not_whole_class_hours", minutes=minutes, per_hour=per_hour)]
    return []


def _evening_problems(cd: ClassDay, view: PlanView) -> Iterator[tuple[Event, Sentence]]:
    """Each seminar and report-writing session of the day, with what is wrong with it."""
    frame, per_hour = view.frame, view.per_hour
    seminars = cd.of_kind("seminar")
    for seminar in seminars:
        yield from ((seminar, problem) for problem in _class_hour_problems(seminar.minutes, per_hour))
        if seminar.start != frame.evening.start:
            start, want = format_clock(seminar.start), format_clock(frame.evening.start)
            yield seminar, Sentence("seminar_start", start=start, want=want)
        if seminar.end > frame.evening.end:
            yield seminar, Sentence("seminar_end", end=format_clock(frame.evening.end))
    most = view.requirements(cd.klass.id).max_seminar_class_hours_per_evening
    evening = sum(s.minutes for s in seminars)
    if evening > most * per_hour:
        hours = _counted(most, "one_class_hour", "class_hours")
        yield seminars[0], Sentence("seminar_too_long", minutes=evening, hours=hours)
    seminar_end = max((s.end for s in seminars), default=frame.evening.start)
    for report in cd.of_kind("report_writing"):
        yield from ((report, problem) for problem in _class_hour_problems(report.minutes, per_hour))
        if report.start < seminar_end:
            key = "report_before_seminar_ends" if seminars else "report_before_evening"
            yield report, Sentence(key, time=format_clock(seminar_end))


def dinner_and_evening(view: PlanView) -> Iterator[Finding]:
    """Each day a class has exactly one dinner, exactly in ``frame.dinner``. Seminars start at
    ``evening.start``, last whole class hours, at most ``max_seminar_class_hours_per_evening``
    in an evening, and end by ``evening.end``. Report writing lasts whole class hours and
    starts once the evening's seminar is over (or at ``evening.start`` or later when there is
    none). (Dinner at E follows from ``continuity`` and ``latest return``; ending by quiet
    hours is ``days and frame``.)"""
    dinner = view.frame.dinner
    for cd in view.class_days():
        cid, when = cd.klass.id, say_date(cd.date)
        dinners = [e for e in cd.events if e.kind == "meal" and not _is_lunch(e, view)]
        if len(dinners) != 1:
            yield _count_finding(cd, "dinner", len(dinners))
        for meal in dinners:
            if (meal.start, meal.end) != (dinner.start, dinner.end):
                yield Finding(
                    Sentence(
                        "dinner_not_in_frame",
                        class_id=cid,
                        date=when,
                        span=say_span(meal),
                        start=format_clock(dinner.start),
                        end=format_clock(dinner.end),
                    ),
                    cid,
                    cd.date,
                )
        for event, problem in _evening_problems(cd, view):
            sentence = Sentence("evening_problem", class_id=cid, event=describe(event), date=when, problem=problem)
            yield Finding(sentence, cid, cd.date)


# ---------------------------------------------------------------------------
# Teaching


def teaching_per_day(view: PlanView) -> Iterator[Finding]:
    """A class's minutes of ``definitions.workload_kinds`` in a day are at most
    ``max_teaching_minutes_per_day``."""
    kinds, most = view.scenario.definitions.workload_kinds, view.scenario.limits.max_teaching_minutes_per_day
    for cd in view.class_days():
        load = sum(e.minutes for e in cd.of_kind(*kinds))
        if load > most:
            yield Finding(
                Sentence("too_much_teaching", class_id=cd.klass.id, load=load, date=say_date(cd.date), most=most),
                cd.klass.id,
                cd.date,
            )


def lectures(view: PlanView) -> Iterator[Finding]:
    """For each topic a class gets exactly ``lectures[topic]`` lectures, each
    ``lecture_class_hours`` class hours long, held at S before the coach leaves or at E
    after it arrives (where the class is: ``continuity``)."""
    for klass in view.scenario.classes:
        req = view.requirements(klass.id)
        given = Counter(e.topic for e in view.plan.events if e.kind == "lecture" and e.class_id == klass.id)
        for topic in sorted(set(req.lectures) | set(given), key=str):
            if given[topic] != req.lectures.get(topic, 0):
                yield Finding(
                    Sentence(
                        "lecture_count",
                        class_id=klass.id,
                        given=_counted(given[topic], "one_lecture", "lectures"),
                        topic=topic,
                        need=req.lectures.get(topic, 0),
                    ),
                    klass.id,
                    None,
                    (str(topic),),
                )
    for cd in view.class_days():
        length = view.requirements(cd.klass.id).lecture_class_hours * view.per_hour
        trip = cd.field_trip
        for event in cd.of_kind("lecture"):
            ids = (event.topic or "", event.lecturer or "")
            if event.minutes != length:
                yield Finding(
                    Sentence(
                        "lecture_length",
                        class_id=cd.klass.id,
                        event=describe(event),
                        date=say_date(cd.date),
                        minutes=event.minutes,
                        length=length,
                    ),
                    cd.klass.id,
                    cd.date,
                    ids,
                )
            if trip is not None and event.start < trip[1] and event.end > trip[0]:
                yield Finding(
                    Sentence(
                        "lecture_during_trip",
                        class_id=cd.klass.id,
                        event=describe(event),
                        date=say_date(cd.date),
                        start=format_clock(trip[0]),
                        end=format_clock(trip[1]),
                    ),
                    cd.klass.id,
                    cd.date,
                    ids,
                )


def _lectures_by_lecturer(view: PlanView) -> dict[str, list[Event]]:
    grouped: dict[str, list[Event]] = defaultdict(list)
    for event in view.events("lecture"):
        grouped[event.lecturer or ""].append(event)
    return grouped


def lecturer_qualified(view: PlanView) -> Iterator[Finding]:
    """Each lecture's lecturer teaches its topic."""
    for event in view.events("lecture"):
        lecturer = view.scenario.lecturer(event.lecturer or "")
        if event.topic not in lecturer.topics:
            yield Finding(
                Sentence(
                    "lecturer_not_qualified",
                    lecturer=lecturer.id,
                    class_id=event.class_id,
                    topic=event.topic,
                    date=say_date(event.date),
                    topics=tuple(lecturer.topics),
                ),
                event.class_id,
                event.date,
                (lecturer.id, event.topic or ""),
            )


def lecturer_one_at_a_time(view: PlanView) -> Iterator[Finding]:
    """A lecturer's lectures never overlap, and between any two of them at different places
    there are at least the door-to-door minutes from the first one's place to the second one's
    plus the arrival margin (``limits.lecturer_arrival_margin_minutes``). Time runs on across
    days (day * 1440 + minute)."""

    def clock(event: Event, minute: int) -> int:
        return view.day_of(event.date) * MINUTES_PER_DAY + minute

    margin = view.scenario.limits.lecturer_arrival_margin_minutes
    for lecturer, given in _lectures_by_lecturer(view).items():
        given = sorted(given, key=lambda e: (clock(e, e.start), clock(e, e.end)))
        for i, first in enumerate(given):
            for second in given[i + 1 :]:
                gap = clock(second, second.start) - clock(first, first.end)
                need = 0
                if first.place != second.place:
                    need = view.travel.leg(first.place, second.place).minutes + margin
                if gap >= need:
                    continue
                yield Finding(
                    Sentence(
                        "lecturer_overlap" if gap < 0 else "lecturer_too_close",
                        lecturer=lecturer,
                        first_class=first.class_id,
                        first_place=first.place,
                        first_date=say_date(first.date),
                        first_span=say_span(first),
                        second_class=second.class_id,
                        second_place=second.place,
                        second_date=say_date(second.date),
                        second_span=say_span(second),
                        gap=gap,
                        need=need,
                    ),
                    second.class_id,
                    second.date,
                    (lecturer, first.place, second.place),
                )


def lecturer_available(view: PlanView) -> Iterator[Finding]:
    """No lecture overlaps one of its lecturer's ``unavailable`` dates or windows (touching is fine)."""
    for event in view.events("lecture"):
        lecturer = view.scenario.lecturer(event.lecturer or "")
        for away in view.scenario.lecturer_away(lecturer.id):
            start, end = away.window()
            if away.date == event.date and event.start < end and start < event.end:
                yield Finding(
                    Sentence(
                        "lecturer_away",
                        lecturer=lecturer.id,
                        class_id=event.class_id,
                        date=say_date(event.date),
                        span=say_span(event),
                        start=format_clock(start),
                        end=format_clock(end),
                    ),
                    event.class_id,
                    event.date,
                    (lecturer.id,),
                )


def lecturer_from_home(view: PlanView) -> Iterator[Finding]:
    """A lecture starts no earlier than the day's earliest departure plus the drive from the
    lecturer's ``home`` to its place plus the arrival margin
    (``limits.lecturer_arrival_margin_minutes``); and if ``lecturer_max_travel_minutes`` is
    set, that drive is at most that."""
    longest = view.scenario.limits.lecturer_max_travel_minutes
    margin = view.scenario.limits.lecturer_arrival_margin_minutes
    for event in view.events("lecture"):
        lecturer = view.scenario.lecturer(event.lecturer or "")
        drive = view.travel.driving_minutes(lecturer.home, event.place)
        earliest = view.scenario.earliest_departure_on(view.day_of(event.date)) + drive + margin
        head = Sentence(
            "lecture_of",
            lecturer=lecturer.id,
            class_id=event.class_id,
            place=event.place,
            date=say_date(event.date),
            span=say_span(event),
        )
        ids = (lecturer.id, lecturer.home, event.place)
        if event.start < earliest:
            yield Finding(
                Sentence(
                    "lecturer_too_early",
                    lecture=head,
                    earliest=format_clock(earliest),
                    home=lecturer.home,
                    drive=drive,
                    margin=margin,
                ),
                event.class_id,
                event.date,
                ids,
            )
        if longest is not None and drive > longest:
            yield Finding(
                Sentence("lecturer_too_far", lecture=head, drive=drive, home=lecturer.home, longest=longest),
                event.class_id,
                event.date,
                ids,
            )


def lecturer_workload(view: PlanView) -> Iterator[Finding]:
    """A lecturer gives at most ``max_sessions_per_day`` lectures a day, at most
    ``max_sessions`` in all and at least ``min_sessions``."""
    by_lecturer = _lectures_by_lecturer(view)
    for lecturer in view.scenario.lecturers:
        count = len(by_lecturer.get(lecturer.id, ()))
        if count < lecturer.min_sessions:
            yield Finding(
                Sentence("lecturer_too_few", lecturer=lecturer.id, count=count, least=lecturer.min_sessions),
                None,
                None,
                (lecturer.id,),
            )
    for lecturer_id, given in by_lecturer.items():
        lecturer = view.scenario.lecturer(lecturer_id)
        for date, count in sorted(Counter(e.date for e in given).items()):
            if count > lecturer.max_sessions_per_day:
                yield Finding(
                    Sentence(
                        "lecturer_too_many_a_day",
                        lecturer=lecturer_id,
                        count=count,
                        date=say_date(date),
                        most=lecturer.max_sessions_per_day,
                    ),
                    None,
                    date,
                    (lecturer_id,),
                )
        if lecturer.max_sessions is not None and len(given) > lecturer.max_sessions:
            yield Finding(
                Sentence("lecturer_too_many", lecturer=lecturer_id, count=len(given), most=lecturer.max_sessions),
                None,
                None,
                (lecturer_id,),
            )


# kind, its noun, the requirement that sets its length, which day (0-based, from the number of
# days), whether it is held at S (first thing of the day) rather than at E (after the last leg)
_ONE_OFF_SESSIONS: tuple[tuple[str, str, str, Callable[[int], int], bool], ...] = (
    ("opening", "noun_opening", "opening_minutes", lambda days: 0, True),
    ("presentation", "noun_presentation", "presentation_minutes", lambda days: days - 1, False),
    ("closing", "noun_closing", "closing_minutes", lambda days: days - 1, False),
)
# what the opening must precede and the presentations and the closing must follow on their day
# (seminars and report writing are evening events, after the opening: the closing day has none)
_ORDERED_KINDS = (
    "opening",
    "lecture",
    "presentation",
    "closing",
    "travel",
    "field_visit",
    "seminar",
    "report_writing",
)
_MAY_FOLLOW = {"presentation": ("closing",)}
"""What may come after a final session on the last day: the closing after the presentations."""


def _one_off(view: PlanView, kind: str) -> Iterator[Finding]:
    """Shared by ``opening`` and ``presentations``: if the requirement's minutes are > 0, one
    event of the kind on its day, of that length (the opening at S); else none."""
    _, noun_key, attr, day_of, at_start = next(row for row in _ONE_OFF_SESSIONS if row[0] == kind)
    noun = Sentence(noun_key)
    day = day_of(view.scenario.programme.days)
    date = view.scenario.programme.date_of(day)
    for klass in view.scenario.classes:
        minutes = getattr(view.requirements(klass.id), attr)
        held = [e for e in view.plan.events if e.kind == kind and e.class_id == klass.id]
        on_day = [e for e in held if e.date == date]
        if minutes and len(on_day) != 1:
            yield Finding(
                Sentence(
                    "session_count",
                    class_id=klass.id,
                    held=_counted(len(on_day), "one_session", "sessions", noun=noun),
                    date=say_date(date),
                ),
                klass.id,
                date,
            )
        for event in held:
            if not minutes:
                yield Finding(
                    Sentence(
                        "session_not_wanted",
                        class_id=klass.id,
                        event=describe(event),
                        date=say_date(event.date),
                        attr=attr,
                    ),
                    klass.id,
                    event.date,
                )
            elif event.date != date:
                yield Finding(
                    Sentence(
                        "session_on_other_day",
                        class_id=klass.id,
                        event=describe(event),
                        date=say_date(event.date),
                        want=say_date(date),
                    ),
                    klass.id,
                    event.date,
                )
            elif event.minutes != minutes:
                yield Finding(
                    Sentence(
                        "session_length",
                        class_id=klass.id,
                        event=describe(event),
                        date=say_date(date),
                        have=event.minutes,
                        want=minutes,
                    ),
                    klass.id,
                    date,
                )
            if minutes and event.date == date:
                others = [
                    e
                    for e in view.plan.events
                    if e.class_id == klass.id
                    and e.date == date
                    and e.kind in _ORDERED_KINDS
                    and e.kind not in _MAY_FOLLOW.get(kind, ())
                    and e is not event
                ]
                out_of_order = [e for e in others if (e.start < event.end if at_start else e.end > event.start)]
                for other in out_of_order:
                    yield Finding(
                        Sentence(
                            "before_first_session_ends" if at_start else "after_last_session_starts",
                            class_id=klass.id,
                            other=describe(other),
                            date=say_date(date),
                            event=describe(event),
                            noun=noun,
                        ),
                        klass.id,
                        date,
                    )
            start = view.start_place(klass, day)
            if minutes and at_start and event.date == date and start is not None and event.place != start:
                yield Finding(
                    Sentence(
                        "opening_elsewhere", class_id=klass.id, event=describe(event), date=say_date(date), start=start
                    ),
                    klass.id,
                    date,
                    (event.place, start),
                )


def opening(view: PlanView) -> Iterator[Finding]:
    """If ``opening_minutes`` > 0, a class has one opening on day 1, at S, of that length, before
    every other session, visit and coach leg of the day; else none."""
    return _one_off(view, "opening")


def presentations(view: PlanView) -> Iterator[Finding]:
    """If ``presentation_minutes`` > 0, a class has one presentation on the last day, of that
    length, after every other session, visit and coach leg of the day (the closing aside), with
    no seminar or report writing after it; else none."""
    return _one_off(view, "presentation")


def closing(view: PlanView) -> Iterator[Finding]:
    """If ``closing_minutes`` > 0, a class has one closing session on the last day, of that
    length, after every other session, visit and coach leg of the day, with no seminar or
    report writing after it: the programme ends with it; else none."""
    return _one_off(view, "closing")


_REST_DAY_FREE_OF = (*PROGRAMME_KINDS, "seminar", "report_writing")


def programme_every_day(view: PlanView) -> Iterator[Finding]:
    """If ``programme_every_day``, a class has a programme every day (at least one visit,
    lecture, opening, presentation or closing), except on rest days (``day_overrides``' ``rest_day``), which have
    none of them and no seminar or report writing."""
    rest_days = view.scenario.programme.rest_days
    for cd in view.class_days():
        cid, when = cd.klass.id, say_date(cd.date)
        if cd.day in rest_days:
            for event in cd.of_kind(*_REST_DAY_FREE_OF):
                yield Finding(Sentence("on_a_rest_day", class_id=cid, event=describe(event), date=when), cid, cd.date)
        elif view.requirements(cid).programme_every_day and not cd.of_kind(*PROGRAMME_KINDS):
            yield Finding(
                Sentence("day_without_programme", class_id=cid, date=when),
                cid,
                cd.date,
            )


def field_share(view: PlanView) -> Iterator[Finding]:
    """A class's field minutes (``definitions.field_kinds``) are at least ``min_field_share``
    times its teaching minutes (``definitions.teaching_kinds``)."""
    for klass in view.scenario.classes:
        figures, share = view.figures(klass.id), view.requirements(klass.id).min_field_share
        if figures.field_minutes < share * figures.teaching_minutes - 1e-9:
            yield Finding(
                Sentence(
                    "field_share_low",
                    class_id=klass.id,
                    field=figures.field_minutes,
                    teaching=figures.teaching_minutes,
                    share=f"{figures.field_share:.1%}",
                    least=f"{share:.1%}",
                ),
                klass.id,
            )


# rule, the figure, the requirement in class hours, the sentence
_MINIMUM_HOURS: tuple[tuple[str, str, str, str], ...] = (
    ("seminar hours", "seminar_minutes", "min_seminar_class_hours", "seminar_hours_low"),
    ("report writing", "report_writing_minutes", "min_report_writing_class_hours", "report_writing_low"),
)


def _at_least_hours(view: PlanView, rule: str) -> Iterator[Finding]:
    """Shared by ``seminar hours`` and ``report writing``: enough minutes of the kind in all."""
    _, figure, requirement, key = next(row for row in _MINIMUM_HOURS if row[0] == rule)
    for klass in view.scenario.classes:
        hours = getattr(view.requirements(klass.id), requirement)
        have, need = getattr(view.figures(klass.id), figure), hours * view.per_hour
        if have < need:
            yield Finding(
                Sentence(
                    key,
                    class_id=klass.id,
                    have=have,
                    hours=_counted(hours, "one_class_hour", "class_hours"),
                    need=need,
                ),
                klass.id,
            )


def seminar_hours(view: PlanView) -> Iterator[Finding]:
    """A class's seminar minutes are at least ``min_seminar_class_hours`` class hours."""
    return _at_least_hours(view, "seminar hours")


def report_writing(view: PlanView) -> Iterator[Finding]:
    """A class's report-writing minutes are at least ``min_report_writing_class_hours`` class hours."""
    return _at_least_hours(view, "report writing")


def professor_named(view: PlanView) -> Iterator[Finding]:
    """The class's professor is named on its opening, seminars, report writing, presentations and
    closing."""
    for event in view.events(*SESSION_KINDS):
        professor = view.scenario.training_class(event.class_id).professor.id
        if event.professor != professor:
            yield Finding(
                Sentence(
                    "other_professor" if event.professor else "no_professor",
                    class_id=event.class_id,
                    event=describe(event),
                    date=say_date(event.date),
                    named=event.professor,
                    professor=professor,
                ),
                event.class_id,
                event.date,
                (professor,),
            )


# ---------------------------------------------------------------------------
# The table of rules, in the order of docs/rules.md

Rule = Callable[[PlanView], Iterable[Finding]]

RULES: tuple[tuple[str, Rule], ...] = (
    ("one thing at a time", one_thing_at_a_time),
    ("days and frame", days_and_frame),
    ("session start", session_start),
    ("clock steps", clock_steps),
    ("arrival buffer", arrival_buffer),
    ("coach legs", coach_legs),
    ("continuity", continuity),
    ("day shape", day_shape),
    ("nights", nights),
    ("lodging capacity", lodging_capacity),
    ("opening hours", opening_hours),
    ("site capacity", site_capacity),
    ("one visit per site", one_visit_per_site),
    ("must / never visit", must_never_visit),
    ("visits per day", visits_per_day),
    ("red education", red_education),
    ("coach driving per day", coach_driving_per_day),
    ("continuous driving", continuous_driving),
    ("latest return", latest_return),
    ("lunch", lunch),
    ("dinner and evening", dinner_and_evening),
    ("teaching per day", teaching_per_day),
    ("lectures", lectures),
    ("lecturer qualified", lecturer_qualified),
    ("lecturer one at a time", lecturer_one_at_a_time),
    ("lecturer available", lecturer_available),
    ("lecturer from home", lecturer_from_home),
    ("lecturer workload", lecturer_workload),
    ("opening", opening),
    ("presentations", presentations),
    ("closing", closing),
    ("programme every day", programme_every_day),
    ("field share", field_share),
    ("seminar hours", seminar_hours),
    ("report writing", report_writing),
    ("professor named", professor_named),
)
"""Every hard rule: its name (as in docs/rules.md) and the function that checks it."""

WELL_FORMED = "well formed"


def _run(name: str, rule: Rule, view: PlanView) -> list[Violation]:
    return [Violation(name, f.message, f.class_id, f.date, f.ids) for f in rule(view)]


def check(scenario: Scenario, plan: Plan, travel: TravelTable | None = None) -> list[Violation]:
    """Every breach of a hard rule in ``plan``, in the order of ``RULES``.

    Parameters
    ----------
    scenario
        The scenario the plan was made for.
    plan
        The plan to check.
    travel
        The scenario's travel table, if one is at hand (built otherwise).

    Returns
    -------
    list[Violation]
        Empty when the plan keeps every rule. When the plan names unknown ids or impossible
        dates and times, only those ``well formed`` violations.
    """
    view = PlanView(scenario, plan, travel)
    broken = _run(WELL_FORMED, well_formed, view)
    if broken:
        return broken
    return [violation for name, rule in RULES for violation in _run(name, rule, view)]


def assert_valid(scenario: Scenario, plan: Plan, travel: TravelTable | None = None) -> None:
    """Raise ``PlanViolationError`` listing every violation, if there is any."""
    violations = check(scenario, plan, travel)
    if violations:
        raise PlanViolationError(violations)


def foreign(scenario: Scenario, plan: Plan) -> Sentence | None:
    """Why ``plan`` is not a plan of ``scenario``'s programme at all, or None when it could be.

    A plan of the programme names only its classes and only its days. This is asked before the
    rules, so that a plan of another programme gets one sentence rather than one per event.
    """
    programme = scenario.programme
    known = {c.id for c in scenario.classes}
    named = {e.class_id for e in plan.events} | {n.class_id for n in plan.nights}
    dates = sorted({e.date for e in plan.events} | {n.date for n in plan.nights})
    last = programme.date_of(programme.days - 1)
    strangers = sorted(named - known)
    outside = [d for d in dates if programme.day_of(d) is None]
    if not named or (strangers and not named & known) or (dates and len(outside) == len(dates)):
        span = Sentence("dates_from_to", first=dates[0], last=dates[-1]) if dates else Sentence("no_dates")
        return Sentence(
            "another_programme",
            named=tuple(sorted(named)) or Sentence("none"),
            span=span,
            known=tuple(sorted(known)),
            first=programme.first_date,
            last=last,
        )
    return None
