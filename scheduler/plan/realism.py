"""What an organiser would have to fix by hand before printing a plan: the realism figures.

A plan can keep every hard rule and still need work on every page: a class that arrives at a
site long before its visit and waits at the gate, hours of daytime with nothing planned and
nothing said, clock times no person would write, sessions after the closing, lecturers who
arrive with no margin, invited lecturers who never lecture, days with nothing but meals.
``realism()`` counts each of these on a plan, from the scenario alone (like the checker, it
reads no solver). The figures go into the plan JSON (``realism``), ``--explain`` and the
benchmarks.

Definitions (the organiser's words):

- **gate wait**: the minutes between a coach's arrival at a site and the start of the visit
  there, lunch there aside; counted when longer than ``gate_wait_minutes``.
- **idle block**: a stretch of the daytime (``free_time.daytime``: the frame's ``day_start`` to
  dinner, or to the end of the closing on the last day) in which a class has nothing planned
  and nothing said (free time is said), counted when at least ``idle_minutes`` long.
- **free time**: the daytime a plan shows as free time (自由活动), in blocks and minutes.
- **off the grid**: an event start that a person reads (sessions, visits, meals, coach
  departures) not on the frame's ``time_step_minutes``; a coach's arrival is what the drive gives.
- **after the closing**: on the last day, a session, visit or lecture that starts after the
  class's last presentation or closing ends.
- **lecturer margin**: the minutes between a lecturer's arrival (leaving home, or the previous
  lecture, at the latest moment the rules allow) and the lecture; counted when under
  ``lecturer_margin_minutes``.
- **idle lecturer**: a lecturer of the scenario who gives no lecture.
- **empty day**: a class-day without a visit, lecture, opening, presentation or closing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from scheduler.plan.free_time import daytime_gaps
from scheduler.plan.model import FINAL_KINDS, FREE_TIME, Event, Plan
from scheduler.scenario.model import Scenario, format_clock
from scheduler.scenario.travel import TravelTable

__all__ = ["Realism", "RealismThresholds", "arrivals", "realism"]

PROGRAMME_KINDS = ("field_visit", "lecture", "opening", "presentation", "closing")
"""What makes a day a day of the programme (meals, coach legs, seminars and free time do not)."""
READ_KINDS = ("field_visit", "lecture", "opening", "presentation", "closing", "seminar", "report_writing", "meal")
"""Events whose start and end a person reads from the page (coach legs: their departure)."""
TEACHING_AFTER_CLOSING = ("field_visit", "lecture", "opening", "seminar", "report_writing")


@dataclass(frozen=True)
class RealismThresholds:
    """From what length a wait or an idle block counts, and the lecturer margin wanted."""

    gate_wait_minutes: int = 30
    idle_minutes: int = 90
    lecturer_margin_minutes: int = 20


@dataclass(frozen=True)
class Realism:
    """The realism figures of one plan (see the module for each definition)."""

    gate_waits: tuple[dict[str, Any], ...] = ()
    idle_blocks: tuple[dict[str, Any], ...] = ()
    free_time_blocks: int = 0
    free_time_minutes: int = 0
    starts_read: int = 0
    starts_off_grid: int = 0
    after_closing: tuple[dict[str, Any], ...] = ()
    lecturer_trips: int = 0
    trips_without_margin: int = 0
    returns_shown: int = 0
    idle_lecturers: tuple[str, ...] = ()
    empty_days: tuple[dict[str, Any], ...] = ()
    thresholds: RealismThresholds = field(default_factory=RealismThresholds)

    @property
    def gate_wait_minutes(self) -> int:
        return sum(w["minutes"] for w in self.gate_waits)

    @property
    def idle_minutes(self) -> int:
        return sum(b["minutes"] for b in self.idle_blocks)

    @property
    def off_grid_share(self) -> float:
        return self.starts_off_grid / self.starts_read if self.starts_read else 0.0

    def summary(self) -> dict[str, Any]:
        """The headline figures, one number each (the benchmark's and ``--explain``'s)."""
        return {
            "gate_waits": len(self.gate_waits),
            "gate_wait_minutes": self.gate_wait_minutes,
            "idle_blocks": len(self.idle_blocks),
            "idle_minutes": self.idle_minutes,
            "free_time_blocks": self.free_time_blocks,
            "free_time_minutes": self.free_time_minutes,
            "off_grid_share": round(self.off_grid_share, 4),
            "after_closing": len(self.after_closing),
            "trips_without_margin": self.trips_without_margin,
            "lecturer_trips": self.lecturer_trips,
            "returns_shown": self.returns_shown,
            "idle_lecturers": len(self.idle_lecturers),
            "empty_days": len(self.empty_days),
        }

    def sentences(self) -> list[str]:
        """The figures in the organiser's words, one line each (``--explain``)."""
        t = self.thresholds
        idle_lecturers = f" ({', '.join(self.idle_lecturers)})" if self.idle_lecturers else ""
        return [
            f"waits at a site's gate over {t.gate_wait_minutes} min: {len(self.gate_waits)} "
            f"({self.gate_wait_minutes} min in all)",
            f"daytime gaps of {t.idle_minutes} min or more with nothing planned or said: {len(self.idle_blocks)} "
            f"({self.idle_minutes} min in all)",
            f"free time shown (自由活动): {self.free_time_blocks} blocks, {self.free_time_minutes} min in all",
            f"clock times off the grid: {self.starts_off_grid} of {self.starts_read} ({self.off_grid_share:.0%})",
            f"sessions, visits or lectures after the closing: {len(self.after_closing)}",
            f"lecturer trips arriving with less than {t.lecturer_margin_minutes} min to spare: "
            f"{self.trips_without_margin} of {self.lecturer_trips}; trips home shown: {self.returns_shown}",
            f"lecturers who give no lecture: {len(self.idle_lecturers)}{idle_lecturers}",
            f"class-days without a programme: {len(self.empty_days)}",
        ]

    def to_dict(self) -> dict[str, Any]:
        """Everything, as JSON-ready data: the summary and each case found."""
        return {
            "summary": self.summary(),
            "thresholds": asdict(self.thresholds),
            "gate_waits": list(self.gate_waits),
            "idle_blocks": list(self.idle_blocks),
            "after_closing": list(self.after_closing),
            "idle_lecturers": list(self.idle_lecturers),
            "empty_days": list(self.empty_days),
        }


def realism(
    scenario: Scenario,
    plan: Plan,
    thresholds: RealismThresholds | None = None,
    travel: TravelTable | None = None,
    *,
    returns_shown: int = 0,
) -> Realism:
    """The realism figures of ``plan`` (see the module). ``returns_shown`` is how many lecturer
    trips home the plan's outputs show (the plan JSON's ``lecturer_trips`` knows it)."""
    thresholds = thresholds or RealismThresholds()
    travel = travel or TravelTable(scenario)
    frame = scenario.programme.frame
    step = frame.time_step_minutes
    by_day: dict[tuple[str, dt.date], list[Event]] = defaultdict(list)
    for event in plan.events:
        by_day[(event.class_id, event.date)].append(event)
    for events in by_day.values():
        events.sort(key=lambda e: (e.start, e.end))

    gate_waits, idle_blocks, after_closing, empty_days = [], [], [], []
    starts_read = off_grid = 0
    last_date = scenario.programme.date_of(scenario.programme.days - 1)
    for klass in scenario.classes:
        for day in range(scenario.programme.days):
            date = scenario.programme.date_of(day)
            events = by_day.get((klass.id, date), [])
            where = {"class": klass.id, "date": date.isoformat()}
            for before, after, lunch in arrivals(tuple(events)):
                if before.to_place == after.place:
                    wait = after.start - before.end - (lunch.minutes if lunch else 0)
                    if wait > thresholds.gate_wait_minutes:
                        gate_waits.append(
                            {
                                **where,
                                "site": after.site,
                                "arrival": format_clock(before.end),
                                "visit": format_clock(after.start),
                                "minutes": wait,
                            }
                        )
            for event in events:
                if event.kind in READ_KINDS or event.kind == "travel":
                    starts_read += 1
                    off_grid += event.start % step != 0
            for begin, end, _ in daytime_gaps(scenario, klass.id, date, events):
                if end - begin >= thresholds.idle_minutes:
                    idle_blocks.append(
                        {**where, "from": format_clock(begin), "to": format_clock(end), "minutes": end - begin}
                    )
            if not any(e.kind in PROGRAMME_KINDS for e in events):
                empty_days.append(where)
            if date == last_date:
                closing = [e for e in events if e.kind in FINAL_KINDS]
                if closing:
                    ends = max(e.end for e in closing)
                    after_closing += [
                        {**where, "kind": e.kind, "start": format_clock(e.start)}
                        for e in events
                        if e.kind in TEACHING_AFTER_CLOSING and e.start >= ends
                    ]

    lectures = sorted(
        (e for e in plan.events if e.kind == "lecture" and e.lecturer), key=lambda e: (e.lecturer, e.date, e.start)
    )
    trips = without_margin = 0
    previous: Event | None = None
    for lecture in lectures:
        same_day = previous is not None and previous.lecturer == lecture.lecturer and previous.date == lecture.date
        trips += 1
        if same_day and previous is not None:
            # from the lecture before: what is left once the drive between them is done
            if previous.place == lecture.place:
                previous = lecture
                continue
            margin = lecture.start - previous.end - travel.leg(previous.place, lecture.place).minutes
        else:
            # from home, leaving no earlier than the frame's earliest departure
            home = scenario.lecturer(lecture.lecturer or "").home
            leave = scenario.earliest_departure_on(scenario.programme.day_of(lecture.date) or 0)
            margin = lecture.start - leave - travel.driving_minutes(home, lecture.place)
        if margin < thresholds.lecturer_margin_minutes:
            without_margin += 1
        previous = lecture
    given = {e.lecturer for e in lectures}
    idle_lecturers = tuple(lec.id for lec in scenario.lecturers if lec.id not in given)
    return Realism(
        gate_waits=tuple(gate_waits),
        idle_blocks=tuple(idle_blocks),
        free_time_blocks=sum(e.kind == FREE_TIME for e in plan.events),
        free_time_minutes=sum(e.minutes for e in plan.events if e.kind == FREE_TIME),
        starts_read=starts_read,
        starts_off_grid=off_grid,
        after_closing=tuple(after_closing),
        lecturer_trips=trips,
        trips_without_margin=without_margin,
        returns_shown=returns_shown,
        idle_lecturers=idle_lecturers,
        empty_days=tuple(empty_days),
        thresholds=thresholds,
    )


def arrivals(events: tuple[Event, ...]) -> Iterator[tuple[Event, Event, Event | None]]:
    """Each coach leg followed by a visit in a class's day (events in time order), with the
    lunch taken between the two, if any."""
    for i, event in enumerate(events):
        if event.kind != "travel":
            continue
        rest = events[i + 1 : i + 3]
        if rest and rest[0].kind == "field_visit":
            yield event, rest[0], None
        elif len(rest) == 2 and rest[0].kind == "meal" and rest[1].kind == "field_visit":
            yield event, rest[1], rest[0]
