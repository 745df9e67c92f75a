"""The realism figures (``scheduler.plan.realism``): what an organiser would fix by hand, each
counted on the checker's hand-made plan (``helpers.VALID``) and on small changes to it."""

from __future__ import annotations

import dataclasses

from helpers import SCENARIO, VALID, build_day, date_of

from scheduler.plan.free_time import with_free_time
from scheduler.plan.model import FREE_TIME, Plan
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
    assert figures.after_closing == ()
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


def test_a_seminar_after_the_presentations_counts():
    late = Plan(VALID.events + tuple(build_day("urban", 1, "pulandian", [("seminar", "19:00", 1)])), VALID.nights)
    assert [(c["class"], c["kind"]) for c in realism(SCENARIO, late).after_closing] == [("urban", "seminar")]


def test_free_time_is_said_on_the_steps_and_is_no_longer_idle():
    shown = with_free_time(SCENARIO, VALID)
    free = [e for e in shown.events if e.kind == FREE_TIME]
    # economy is at its hotel from 13:40 (the coach's arrival) to dinner on day 1: free from 13:40
    assert ("economy", date_of(0), "13:40", "18:00", "bangchuidao") in {
        (e.class_id, e.date, f"{e.start // 60:02d}:{e.start % 60:02d}", f"{e.end // 60:02d}:{e.end % 60:02d}", e.place)
        for e in free
    }
    assert all(e.start % 5 == 0 and e.end % 5 == 0 and e.minutes >= 85 for e in free)
    figures = realism(SCENARIO, shown)
    assert figures.idle_blocks == () and figures.free_time_blocks == len(free) > 0
    # nothing after the presentations on the last day counts as free time: the programme is over
    last = date_of(1)
    ends = {e.class_id: e.end for e in shown.events if e.kind == "presentation"}
    assert all(e.end <= ends[e.class_id] for e in free if e.date == last)
    # found again, not added twice
    assert with_free_time(SCENARIO, shown) == shown
