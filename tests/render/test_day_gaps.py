"""Gaps the booklet labels (wait, break): none once the programme has ended."""

from __future__ import annotations

import datetime as dt

from scheduler.plan.model import Event
from scheduler.render.html import day_gaps

DAY = dt.date(2025, 10, 10)


def event(kind: str, start: str, end: str, label: str | None = None) -> Event:
    def minutes(clock: str) -> int:
        return int(clock[:2]) * 60 + int(clock[3:])

    return Event("c", DAY, minutes(start), minutes(end), kind, "p", label=label)


def test_a_gap_before_the_closing_is_a_break_and_none_after_it():
    events = [
        event("lecture", "08:00", "09:30"),
        event("presentation", "11:00", "11:30"),
        event("meal", "11:30", "12:30", "lunch"),
        event("meal", "18:00", "19:00", "dinner"),
    ]
    assert [(g.kind, g.start, g.end) for g in day_gaps(events)] == [("break", 9 * 60 + 30, 11 * 60)]


def test_a_day_without_the_closing_shows_its_afternoon_gap():
    events = [event("lecture", "08:00", "09:30"), event("meal", "11:30", "12:30", "lunch")]
    events.append(event("meal", "18:00", "19:00", "dinner"))
    assert [(g.start, g.end) for g in day_gaps(events)] == [(9 * 60 + 30, 11 * 60 + 30), (12 * 60 + 30, 18 * 60)]


def test_a_coach_arriving_early_waits_at_a_gate_and_rests_at_the_hotel():
    events = [
        event("travel", "08:00", "08:20"),
        event("field_visit", "08:40", "10:40"),
        event("travel", "16:00", "16:40"),
        event("meal", "18:00", "19:00", "dinner"),
    ]
    kinds = [(g.kind, g.start) for g in day_gaps(events)]
    assert kinds == [("wait", 8 * 60 + 20), ("break", 10 * 60 + 40), ("break", 16 * 60 + 40)]
