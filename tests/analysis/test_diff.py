"""The plan diff: a hand-made plan (``helpers.VALID``) changed by hand lists exactly those changes.

Each row of ``MODIFICATIONS`` changes the plan in one way; the diff must name exactly the event
(or night) changed, with the right kind of change, and ``who_must_be_told`` exactly the classes,
lecturers, sites and lodging places it concerns.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable

import pytest
from helpers import VALID, date_of

from scheduler.analysis.diff import ChangeKind, EventId, PlanDiff, diff_plans, identify
from scheduler.plan.model import Event, Night, Plan
from scheduler.scenario.model import parse_clock

Mutation = Callable[[Plan], Plan]


def find(plan: Plan, class_id: str, day: int, kind: str, at: str | None = None) -> Event:
    hits = [
        e
        for e in plan.events
        if (e.class_id, e.date, e.kind) == (class_id, date_of(day), kind) and (at is None or e.start == parse_clock(at))
    ]
    assert len(hits) == 1, hits
    return hits[0]


def replace_event(class_id: str, day: int, kind: str, at: str | None = None, **changes) -> Mutation:
    def mutate(plan: Plan) -> Plan:
        old = find(plan, class_id, day, kind, at)
        new = dataclasses.replace(old, **changes)
        return dataclasses.replace(plan, events=tuple(new if e is old else e for e in plan.events))

    return mutate


def drop_event(class_id: str, day: int, kind: str, at: str | None = None) -> Mutation:
    def mutate(plan: Plan) -> Plan:
        old = find(plan, class_id, day, kind, at)
        return dataclasses.replace(plan, events=tuple(e for e in plan.events if e is not old))

    return mutate


def add_event(event: Event) -> Mutation:
    return lambda plan: dataclasses.replace(plan, events=(*plan.events, event))


def move_night(class_id: str, place: str) -> Mutation:
    def mutate(plan: Plan) -> Plan:
        nights = tuple(Night(n.class_id, n.date, place) if n.class_id == class_id else n for n in plan.nights)
        return dataclasses.replace(plan, nights=nights)

    return mutate


def summary(diff: PlanDiff) -> set[tuple[str, tuple[str, ...]]]:
    return {(str(change.identity), tuple(map(str, change.changes))) for change in diff.events}


EXTRA_VISIT = Event(
    "urban", date_of(1), parse_clock("16:30"), parse_clock("17:30"), "field_visit", "pulandian", site="x"
)

# fmt: off
MODIFICATIONS = [
    # a lecture later the same morning: moved
    ("lecture later", replace_event("economy", 0, "lecture", start=parse_clock("08:45"), end=parse_clock("10:15")),
     {("economy/lecture/policy#1", ("moved",))}, ("economy",), ("li",), (), ()),
    # the same lecture by another lecturer: lecturer changed, both lecturers told
    ("other lecturer", replace_event("urban", 1, "lecture", lecturer="zhao"),
     {("urban/lecture/policy#1", ("lecturer_changed",))}, ("urban",), ("wu", "zhao"), (), ()),
    # moved and given by another lecturer: one changed event with both changes
    ("moved and other lecturer", replace_event("economy", 0, "lecture", lecturer="zhao", date=date_of(1)),
     {("economy/lecture/policy#1", ("moved", "lecturer_changed"))}, ("economy",), ("li", "zhao"), (), ()),
    # a visit on the other day: moved, the site told
    ("visit on another day", replace_event("urban", 0, "field_visit", date=date_of(1)),
     {("urban/field_visit/zhanjia_village#1", ("moved",))}, ("urban",), (), ("zhanjia_village",), ()),
    # a visit dropped
    ("visit dropped", drop_event("economy", 1, "field_visit"),
     {("economy/field_visit/lushun_prison#1", ("dropped",))}, ("economy",), (), ("lushun_prison",), ()),
    # a visit added
    ("visit added", add_event(EXTRA_VISIT),
     {("urban/field_visit/x#1", ("added",))}, ("urban",), (), ("x",), ()),
    # one of two seminars of a class dropped: the one that is gone, not the other renumbered
    ("first seminar dropped", drop_event("economy", 0, "seminar"),
     {("economy/seminar#1", ("dropped",))}, ("economy",), (), (), ()),
    # a night elsewhere: a night change, both lodging places told
    ("night elsewhere", move_night("urban", "bangchuidao"),
     set(), ("urban",), (), (), ("furama", "bangchuidao")),
]
# fmt: on


@pytest.mark.parametrize(
    ("mutate", "expected", "classes", "lecturers", "sites", "lodging"),
    [row[1:] for row in MODIFICATIONS],
    ids=[row[0] for row in MODIFICATIONS],
)
def test_a_modification_is_listed_exactly(mutate, expected, classes, lecturers, sites, lodging):
    diff = diff_plans(VALID, mutate(VALID))
    assert summary(diff) == expected
    assert diff.changed_events == len(expected)
    assert len(diff.nights) == (1 if lodging else 0)
    told = diff.who_must_be_told()
    assert (told.classes, told.lecturers, told.sites, told.lodging) == (classes, lecturers, sites, lodging)


def test_an_unchanged_plan_gives_an_empty_diff():
    diff = diff_plans(VALID, dataclasses.replace(VALID, events=tuple(reversed(VALID.events))))
    assert diff.is_empty
    assert diff.changed_events == 0
    assert diff.who_must_be_told().is_empty
    assert all(count == 0 for count in diff.to_json()["counts"].values())


def test_several_modifications_are_listed_each_once_by_class_and_date():
    changed = VALID
    for mutate in (row[1] for row in MODIFICATIONS if row[0] in ("lecture later", "visit dropped", "night elsewhere")):
        changed = mutate(changed)
    diff = diff_plans(VALID, changed)
    assert summary(diff) == {
        ("economy/lecture/policy#1", ("moved",)),
        ("economy/field_visit/lushun_prison#1", ("dropped",)),
    }
    grouped = diff.by_class_and_date()
    assert list(grouped) == ["economy", "urban"]  # the base plan's order of classes
    assert [len(changes) for changes in grouped["economy"].values()] == [1, 1]  # one change on each day
    assert diff.count(ChangeKind.MOVED) == 1 and diff.count(ChangeKind.DROPPED) == 1


def test_a_seminar_moved_to_another_day_is_one_move():
    """The class's two seminars, one moved from day 1 to day 2: one change, not two renumbered."""
    seminar = find(VALID, "urban", 0, "seminar")
    later = dataclasses.replace(seminar, date=date_of(1), start=parse_clock("20:00"), end=parse_clock("21:30"))
    changed = dataclasses.replace(VALID, events=tuple(later if e is seminar else e for e in VALID.events))
    diff = diff_plans(VALID, changed)
    assert summary(diff) == {("urban/seminar#1", ("moved",))}
    (change,) = diff.events
    assert (change.before, change.after) == (seminar, later)
    assert change.date == date_of(0)  # listed under its day in the base plan


def test_identities_are_unique_stable_and_readable():
    ids = identify(VALID)
    assert len(ids) == len(VALID.events)
    assert identify(dataclasses.replace(VALID, events=tuple(reversed(VALID.events)))) == ids
    assert EventId("rural", "seminar", "", 3).__str__() == "rural/seminar#3"
    assert str(EventId("rural", "field_visit", "wanyi", 1)) == "rural/field_visit/wanyi#1"
    assert {str(i) for i in ids if i.kind == "travel"} >= {"economy/travel/jinpu>guangyang#1"}


def test_diff_reads_as_sentences_and_json():
    diff = diff_plans(VALID, MODIFICATIONS[2][1](VALID))
    (change,) = diff.events
    assert str(change).startswith(
        "economy: lecture policy moved from 2019-08-26 08:30-10:00 at jinpu (li) to 2019-08-27"
    )
    assert "lecturer li -> zhao" in str(change)
    data = json.loads(json.dumps(diff.to_json()))
    assert data["changed_events"] == 1
    assert data["events"][0]["changes"] == ["moved", "lecturer_changed"]
    assert data["who_must_be_told"]["lecturers"] == ["li", "zhao"]
