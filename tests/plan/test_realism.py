"""The realism figures (``scheduler.plan.realism``): what an organiser would fix by hand, each
counted on the checker's hand-made plan (``helpers.VALID``) and on small changes to it."""

from __future__ import annotations

import dataclasses

from helpers import SCENARIO, VALID

from scheduler.plan.model import Plan
from scheduler.plan.realism import RealismThresholds, realism


def changed(plan: Plan, class_id: str, kind: str, at: int, **fields) -> Plan:
    events = tuple(
        dataclasses.replace(e, **fields) if (e.class_id, e.kind, e.start) == (class_id, kind, at) else e
        for e in plan.events
    )
    assert events != plan.events, "nothing changed"
    return Plan(events, plan.nights)


def test_the_hand_made_plan_in_figures():
    figures = realism(SCENARIO, VALID)
    summary = figures.summary()
    assert summary["gate_waits"] == 0 and summary["off_grid_share"] == 0.0 and summary["empty_days"] == 0
    # afternoons at the hotel: each daytime stretch of 90 minutes or more with nothing planned
    assert {(b["class"], b["from"], b["to"]) for b in figures.idle_blocks} >= {
        ("economy", "13:40", "18:00"),
        ("urban", "14:15", "16:15"),
    }
    assert all(b["minutes"] >= 90 for b in figures.idle_blocks)
    # both classes hold a seminar in the evening after their presentations on the last day
    assert [(c["class"], c["kind"]) for c in figures.after_closing] == [("economy", "seminar"), ("urban", "seminar")]
    assert figures.idle_lecturers == ("zhao",)  # four lecturers, three of them lecture
    assert summary["lecturer_trips"] == 3


def test_a_wait_at_the_gate_counts_and_lunch_there_does_not():
    # economy's coach leaves 60 minutes early: it waits 60 minutes at the prison
    early = changed(VALID, "economy", "travel", 8 * 60 + 45, start=7 * 60 + 45, end=8 * 60 + 30)
    (wait,) = realism(SCENARIO, early).gate_waits
    assert (wait["class"], wait["site"], wait["minutes"]) == ("economy", "lushun_prison", 60)
    assert realism(SCENARIO, early, RealismThresholds(gate_wait_minutes=60)).gate_waits == ()


def test_an_off_grid_start_counts():
    odd = changed(VALID, "economy", "presentation", 15 * 60, start=15 * 60 + 2, end=15 * 60 + 47)
    figures = realism(SCENARIO, odd)
    assert figures.starts_off_grid == 1 and 0 < figures.off_grid_share < 0.1


def test_an_empty_day_counts():
    teaching = ("field_visit", "lecture", "opening", "presentation")
    emptied = Plan(
        tuple(e for e in VALID.events if not (e.class_id == "urban" and e.kind in teaching and e.date.day == 27)),
        VALID.nights,
    )
    assert realism(SCENARIO, emptied).empty_days == ({"class": "urban", "date": "2019-08-27"},)
