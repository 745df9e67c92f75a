"""Daytime left free, said on the page: free time (自由活动).

A plan's days have gaps: a class back at its hotel by three with dinner at six, a morning
before a lecturer can arrive. A gap an organiser would have to explain is shown as an event of
kind ``free_time``, so that no output has a blank stretch of the day. The *daytime* runs from
the frame's ``day_start`` to dinner; on the last day of a class whose programme ends with its
presentations or closing, it ends there (the programme is over). A gap counts from
``limits.max_idle_minutes`` on. Free time starts and ends on the clock's steps: after a coach
arrives at 10:07 it begins at 10:10.

``daytime_gaps`` is the one definition of a gap; the realism figures count the gaps left
unlabelled with it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from scheduler.plan.model import FINAL_KINDS, FREE_TIME, Event, Plan
from scheduler.scenario.model import Scenario

__all__ = ["daytime", "daytime_gaps", "with_free_time"]


def daytime(scenario: Scenario, class_id: str, date: dt.date, events: Sequence[Event]) -> tuple[int, int]:
    """The daytime of a class's day (``events``: that day's): from ``day_start`` to dinner, or to
    the end of the presentations and closing on the last day."""
    frame = scenario.programme.frame
    end = frame.dinner.start
    if scenario.programme.day_of(date) == scenario.programme.days - 1:
        finals = [e.end for e in events if e.kind in FINAL_KINDS]
        if finals:
            end = min(end, max(finals))
    return scenario.day_start_on(scenario.programme.day_of(date) or 0), end


def daytime_gaps(
    scenario: Scenario, class_id: str, date: dt.date, events: Sequence[Event], woke_at: str | None = None
) -> list[tuple[int, int, str | None]]:
    """The stretches of a class's daytime that no event covers (``events``: that day's), with
    where the class is then: the place of the event before, or ``woke_at`` (where the class
    woke up) before the first."""
    begin, end = daytime(scenario, class_id, date, events)
    gaps: list[tuple[int, int, str | None]] = []
    at, where = begin, woke_at
    for event in sorted(events, key=lambda e: (e.start, e.end)):
        if event.start >= end:
            break
        if event.start > at:
            gaps.append((at, event.start, where))
        at = max(at, event.end)
        where = event.to_place if event.kind == "travel" else event.place
    if at < end:
        gaps.append((at, end, where))
    return gaps


def with_free_time(scenario: Scenario, plan: Plan) -> Plan:
    """The plan with each daytime gap of at least ``limits.max_idle_minutes`` shown as free time
    (its ends brought in to the clock's steps). Free time the plan has already is found again."""
    least = scenario.limits.max_idle_minutes
    step = scenario.programme.frame.time_step_minutes
    kept = tuple(e for e in plan.events if e.kind != FREE_TIME)
    by_day: dict[tuple[str, dt.date], list[Event]] = defaultdict(list)
    for event in kept:
        by_day[(event.class_id, event.date)].append(event)
    woke_at = {(n.class_id, n.date + dt.timedelta(days=1)): n.place for n in plan.nights}
    free: list[Event] = []
    for klass in scenario.classes:
        for day in range(scenario.programme.days):
            date = scenario.programme.date_of(day)
            where = klass.first_place if day == 0 else woke_at.get((klass.id, date))
            for start, end, place in daytime_gaps(scenario, klass.id, date, by_day.get((klass.id, date), []), where):
                if end - start >= least and place is not None:
                    start, end = -(-start // step) * step, end // step * step
                    free.append(Event(klass.id, date, start, end, FREE_TIME, place))
    events = sorted((*kept, *free), key=lambda e: (e.class_id, e.date, e.start, e.end))
    return Plan(tuple(events), plan.nights)
