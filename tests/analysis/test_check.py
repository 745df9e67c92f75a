"""The checker, rule by rule: a hand-made valid plan, then each rule broken alone.

``VALID`` (in ``helpers.py``) is a plan for ``data/check-tiny.yaml`` written out step by step
(coach legs come from the travel table). Each row of ``BROKEN`` changes it in the smallest way
that breaks one rule, and the test asserts that exactly that rule reports it, naming the ids
involved.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from helpers import ROOT, SCENARIO, VALID, VALID_DAYS, Step, build_day, date_of, read_data, with_changes

from scheduler.analysis.check import RULES, WELL_FORMED, PlanViolationError, Violation, assert_valid, check
from scheduler.plan.model import Event, Night, Plan
from scheduler.scenario.model import Scenario, parse_clock

# ---------------------------------------------------------------------------
# Small changes to a plan

Mutation = Callable[[Plan], Plan]


def _matches(event: Event, class_id: str, day: int, kind: str, at: str | None) -> bool:
    return (event.class_id, event.date, event.kind) == (class_id, date_of(day), kind) and (
        at is None or event.start == parse_clock(at)
    )


def edit(class_id: str, day: int, kind: str, at: str | None = None, **changes: Any) -> Mutation:
    """Change the one matching event; ``start``/``end`` may be given as ``"HH:MM"``; a new
    ``start`` alone keeps the event's length."""

    def mutate(plan: Plan) -> Plan:
        hits = [e for e in plan.events if _matches(e, class_id, day, kind, at)]
        assert len(hits) == 1, f"expected one {kind} of {class_id} on day {day} at {at}, found {len(hits)}"
        old = hits[0]
        clocks = {k: parse_clock(v) for k, v in changes.items() if k in ("start", "end")}
        if "start" in clocks and "end" not in clocks:
            clocks["end"] = clocks["start"] + old.minutes
        new = dataclasses.replace(old, **{**changes, **clocks})
        return dataclasses.replace(plan, events=tuple(new if e is old else e for e in plan.events))

    return mutate


def drop(class_id: str, day: int, kind: str, at: str | None = None) -> Mutation:
    def mutate(plan: Plan) -> Plan:
        kept = tuple(e for e in plan.events if not _matches(e, class_id, day, kind, at))
        assert len(kept) == len(plan.events) - 1
        return dataclasses.replace(plan, events=kept)

    return mutate


def add(class_id: str, day: int, place: str, step: Step) -> Mutation:
    return lambda plan: dataclasses.replace(plan, events=plan.events + tuple(build_day(class_id, day, place, [step])))


def redo(class_id: str, day: int, start_place: str, steps: list[Step]) -> Mutation:
    """Replace a class's whole day."""

    def mutate(plan: Plan) -> Plan:
        others = tuple(e for e in plan.events if not (e.class_id == class_id and e.date == date_of(day)))
        return dataclasses.replace(plan, events=others + tuple(build_day(class_id, day, start_place, steps)))

    return mutate


def renamed(class_id: str, day: int, old: str, new: str) -> tuple[str, list[Step]]:
    """A valid day with place ``old`` read as ``new`` everywhere."""
    start, steps = VALID_DAYS[class_id][day]
    swap = lambda value: new if value == old else value  # noqa: E731
    return swap(start), [tuple(swap(part) for part in step) for step in steps]


def replace_step(steps: list[Step], old: Step, new: Step) -> list[Step]:
    assert old in steps
    return [new if step == old else step for step in steps]


def set_nights(*nights: Night) -> Mutation:
    return lambda plan: dataclasses.replace(plan, nights=nights)


def chain(*mutations: Mutation) -> Mutation:
    def mutate(plan: Plan) -> Plan:
        for mutation in mutations:
            plan = mutation(plan)
        return plan

    return mutate


ECONOMY_D1 = VALID_DAYS["economy"][1][1]
URBAN_D1 = VALID_DAYS["urban"][1][1]
NIGHT_ECONOMY = Night("economy", date_of(0), "bangchuidao")

# ---------------------------------------------------------------------------
# The valid plan and its edges


def test_the_valid_plan_keeps_every_rule():
    assert check(SCENARIO, VALID) == []
    assert_valid(SCENARIO, VALID)


@pytest.mark.parametrize(
    "mutation",
    [
        # economy reaches the prison exactly the buffer's 15 minutes before its visit
        pytest.param(edit("economy", 1, "travel", "08:45", start="08:30", end="09:15"), id="arrival-at-the-buffer"),
        # li lectures on both days (his limit is two a day): the night gives him time to travel
        pytest.param(edit("urban", 1, "lecture", lecturer="li"), id="lecturer-across-days"),
        # lunch at the prison on arrival, before the visit: eating is not waiting at the gate
        pytest.param(
            redo(
                "urban",
                1,
                "furama",
                [
                    URBAN_D1[0],
                    ("travel", "10:45", "lushun"),
                    ("lunch", "11:30"),
                    ("field_visit", "12:30", "lushun_prison"),
                    ("travel", "13:30", "pulandian"),
                    *URBAN_D1[5:],
                ],
            ),
            id="lunch-on-arrival",
        ),
    ],
)
def test_edges_that_stay_valid(mutation: Mutation):
    assert check(SCENARIO, mutation(VALID)) == []


# ---------------------------------------------------------------------------
# Each rule broken alone: rule, mutation, ids the message must name

BROKEN = [
    # an event names a site the scenario does not know: nothing else is checked
    ("well formed", edit("economy", 0, "field_visit", site="nowhere"), ("economy", "nowhere")),
    # a lecture without its lecturer
    ("well formed", edit("urban", 1, "lecture", lecturer=None), ("urban", "lecture", "lecturer")),
    # economy's lunch starts while it is still at the factory
    (
        "one thing at a time",
        edit("economy", 0, "meal", "12:00", start="11:30"),
        ("economy", "guangyang_cnc", "guangyang"),
    ),
    # the opening starts at 07:00, before the earliest departure at 07:30 (and so before the day's start)
    (
        ("days and frame", "session start"),
        edit("economy", 0, "opening", start="07:00"),
        ("economy", "opening", "07:00"),
    ),
    # the opening starts at 07:40: the coach may leave by then, but the day starts at 07:45
    ("session start", edit("economy", 0, "opening", start="07:40", end="08:25"), ("economy", "opening", "07:45")),
    # the presentations start at 15:02, off the clock's 5-minute steps
    ("clock steps", edit("economy", 1, "presentation", start="15:02", end="15:47"), ("economy", "15:02", "5-minute")),
    # economy's coach leaves half an hour early: the class waits 30 minutes at the prison's gate
    (
        "arrival buffer",
        edit("economy", 1, "travel", "08:45", start="08:15", end="09:00"),
        ("economy", "lushun_prison", "30", "15"),
    ),
    # a coach leg's km differ from the travel table's
    ("coach legs", edit("economy", 0, "travel", "10:15", km=9.5), ("economy", "jinpu", "guangyang", "9.5")),
    # a coach leg drives 45 minutes where the table says 40 (its duration agrees with itself)
    (
        "coach legs",
        edit("economy", 0, "travel", "13:00", driving_minutes=45, end="13:45"),
        ("economy", "guangyang", "bangchuidao", "45", "40"),
    ),
    # economy's lunch is recorded at jinpu while the class is at guangyang
    ("continuity", edit("economy", 0, "meal", "12:00", place="jinpu"), ("economy", "jinpu", "guangyang")),
    # urban's last day ends at jinpu, not at its base pulandian
    (
        "continuity",
        redo(
            "urban", 1, "furama", replace_step(URBAN_D1, ("travel", "12:30", "pulandian"), ("travel", "12:30", "jinpu"))
        ),
        ("urban", "jinpu", "pulandian"),
    ),
    # urban's presentations are held at the prison after lunch, before it drives on (so not last either)
    (
        ("day shape", "presentations"),
        redo(
            "urban",
            1,
            "furama",
            [*URBAN_D1[:4], ("presentation", "12:30"), ("travel", "13:15", "pulandian"), *URBAN_D1[6:]],
        ),
        ("urban", "presentation", "lushun"),
    ),
    # urban's coach calls at the other hotel on the way without a visit there
    (
        "day shape",
        redo(
            "urban",
            1,
            "furama",
            [URBAN_D1[0], ("travel", "09:40", "bangchuidao"), ("travel", "09:45", "lushun"), *URBAN_D1[2:]],
        ),
        ("urban", "bangchuidao"),
    ),
    # economy has no night after day 1
    ("nights", set_nights(Night("urban", date_of(0), "furama")), ("economy", "2019-08-26")),
    # a night after the last day
    ("nights", set_nights(*VALID.nights, Night("economy", date_of(1), "bangchuidao")), ("economy", "bangchuidao")),
    # both classes sleep at bangchuidao, which takes one class a night
    (
        "lodging capacity",
        chain(
            redo("urban", 0, *renamed("urban", 0, "furama", "bangchuidao")),
            redo("urban", 1, *renamed("urban", 1, "furama", "bangchuidao")),
            set_nights(NIGHT_ECONOMY, Night("urban", date_of(0), "bangchuidao")),
        ),
        ("bangchuidao", "economy", "urban"),
    ),
    # the gallery is shut on Mondays
    (
        "opening hours",
        edit("economy", 0, "field_visit", site="guangyang_gallery"),
        ("economy", "guangyang_gallery", "2019-08-26 (Monday)"),
    ),
    # economy reaches the prison at 08:30 and goes in at 08:45, before it opens at 09:00
    (
        "opening hours",
        redo(
            "economy",
            1,
            "bangchuidao",
            [("travel", "07:45", "lushun"), ("field_visit", "08:45", "lushun_prison"), *ECONOMY_D1[2:]],
        ),
        ("economy", "lushun_prison", "09:00"),
    ),
    # the factory visit is cut to 75 minutes
    ("opening hours", edit("economy", 0, "field_visit", end="11:45"), ("economy", "guangyang_cnc", "75", "90")),
    # economy goes into the prison at 10:00 and is still there when urban comes (one class, 60 trainees at once)
    (
        "site capacity",
        redo(
            "economy",
            1,
            "bangchuidao",
            [("travel", "09:15", "lushun"), ("field_visit", "10:00", "lushun_prison"), *ECONOMY_D1[2:]],
        ),
        ("lushun_prison", "economy", "urban"),
    ),
    # economy goes round the prison twice, before and after urban
    (
        "one visit per site",
        redo(
            "economy",
            1,
            "bangchuidao",
            [
                ("travel", "08:15", "lushun"),
                ("field_visit", "09:00", "lushun_prison"),
                ("field_visit", "11:30", "lushun_prison"),
                ("lunch", "12:30"),
                ("travel", "13:30", "jinpu"),
                ("presentation", "15:15"),
                *ECONOMY_D1[5:],
            ],
        ),
        ("economy", "lushun_prison"),
    ),
    # urban sees the co-operative instead of the village it must visit
    ("must / never visit", edit("urban", 0, "field_visit", site="zhanjia_coop"), ("urban", "zhanjia_village")),
    # economy visits the port, which it must never visit
    ("must / never visit", edit("economy", 1, "field_visit", site="lushun_port"), ("economy", "lushun_port")),
    # urban (one visit a day) also sees the port after lunch
    (
        "visits per day",
        redo(
            "urban",
            1,
            "furama",
            [*URBAN_D1[:4], ("field_visit", "12:30", "lushun_port"), ("travel", "13:30", "pulandian"), *URBAN_D1[5:]],
        ),
        ("urban", "lushun_port", "lushun_prison"),
    ),
    # urban sees the port instead of the prison: no red education left
    ("red education", edit("urban", 1, "field_visit", site="lushun_port"), ("urban",)),
    # economy's last day via the co-operative: 150 minutes' driving, day 2 allows 140
    (
        "coach driving per day",
        redo(
            "economy",
            1,
            "bangchuidao",
            [
                ("travel", "07:45", "zhanjia"),
                ("field_visit", "09:30", "zhanjia_coop"),
                ("lunch", "11:30"),
                ("travel", "12:30", "jinpu"),
                *ECONOMY_D1[4:],
            ],
        ),
        ("economy", "150", "140"),
    ),
    # the 80-minute drive home without its rest stop
    (
        "continuous driving",
        edit("economy", 1, "travel", "13:00", rest_minutes=0, end="14:20"),
        ("economy", "lushun", "jinpu", "80"),
    ),
    # economy reaches its hotel at 17:10; day 1 wants everyone in by 17:00
    ("latest return", edit("economy", 0, "travel", "13:00", start="16:30"), ("economy", "bangchuidao", "17:10")),
    # lunch at 11:00, before the window opens at 11:30
    ("lunch", edit("economy", 1, "meal", "12:00", start="11:00"), ("economy", "11:00", "11:30")),
    # no lunch at all
    ("lunch", drop("economy", 0, "meal", "12:00"), ("economy", "2019-08-26")),
    # the seminar starts at 19:15
    (
        "dinner and evening",
        chain(edit("economy", 0, "seminar", start="19:15"), edit("economy", 0, "report_writing", start="20:45")),
        ("economy", "seminar", "19:15"),
    ),
    # no dinner on the last day
    ("dinner and evening", drop("economy", 1, "meal", "18:00"), ("economy", "dinner", "2019-08-27")),
    # report writing of 50 minutes: not whole class hours
    ("dinner and evening", edit("economy", 0, "report_writing", end="21:20"), ("economy", "report writing", "50")),
    # a three-class-hour seminar makes day 1 360 minutes of teaching, more than 330
    (
        "teaching per day",
        chain(edit("economy", 0, "seminar", end="21:15"), edit("economy", 0, "report_writing", start="21:15")),
        ("economy", "360", "330"),
    ),
    # urban never gets its governance lecture
    ("lectures", drop("urban", 0, "lecture"), ("urban", "governance")),
    # a lecture of one class hour instead of two
    ("lectures", edit("economy", 0, "lecture", end="09:15"), ("economy", "policy", "li", "45", "90")),
    # urban's lecture is held at the prison, mid-trip
    (
        "lectures",
        redo(
            "urban", 1, "furama", [("travel", "07:45", "lushun"), ("lecture", "08:30", "policy", "wu"), *URBAN_D1[2:]]
        ),
        ("urban", "policy", "wu", "lushun"),
    ),
    # sun, who teaches governance only, gives urban's policy lecture
    ("lecturer qualified", edit("urban", 1, "lecture", lecturer="sun"), ("sun", "urban", "policy")),
    # li lectures economy and urban at the same time
    ("lecturer one at a time", edit("urban", 0, "lecture", lecturer="li"), ("li", "economy", "urban")),
    # li's lecture runs into the morning he is away
    ("lecturer available", edit("economy", 0, "lecture", start="08:40"), ("li", "economy", "10:00")),
    # zhao lives in Shenyang: too far, and he could not be there by 07:45
    (
        "lecturer from home",
        edit("urban", 1, "lecture", lecturer="zhao"),
        ("zhao", "urban", "shenyang_school", "furama"),
    ),
    # wu cannot reach the hotel from home by 07:40 (nor may the day start so early)
    (
        ("lecturer from home", "session start"),
        edit("urban", 1, "lecture", start="07:40"),
        ("wu", "urban", "07:45"),
    ),
    # wu, who gives one lecture in all, also gives economy's
    ("lecturer workload", edit("economy", 0, "lecture", lecturer="wu"), ("wu",)),
    # a 30-minute opening instead of 45
    ("opening", edit("economy", 0, "opening", end="08:15"), ("economy", "opening", "30", "45")),
    # urban has no opening
    ("opening", drop("urban", 0, "opening"), ("urban", "opening", "2019-08-26")),
    # economy has no presentations
    ("presentations", drop("economy", 1, "presentation"), ("economy", "presentation", "2019-08-27")),
    # economy drives straight home on day 2: 90 field minutes of 270, under 35%
    (
        "field share",
        redo("economy", 1, "bangchuidao", [("travel", "07:45", "jinpu"), *ECONOMY_D1[2:3], *ECONOMY_D1[4:]]),
        ("economy", "90", "270"),
    ),
    # urban skips its last seminar: 2 class hours of 3
    ("seminar hours", edit("urban", 0, "seminar", end="19:45"), ("urban", "45", "90")),
    # economy writes no report
    ("report writing", drop("economy", 0, "report_writing"), ("economy", "report writing")),
    # a seminar after the presentations, on the last evening
    ("presentations", add("economy", 1, "jinpu", ("seminar", "19:00", 1)), ("economy", "seminar", "presentation")),
    # a closing session, though closing_minutes is 0
    ("closing", add("urban", 1, "pulandian", ("closing", "17:00")), ("urban", "closing", "closing_minutes")),
    # urban's day 1 without its lecture, visit and presentations: nothing but meals and the coach
    (
        ("programme every day", "presentations", "lectures", "day shape", "red education"),
        chain(
            drop("urban", 1, "lecture"),
            drop("urban", 1, "field_visit"),
            drop("urban", 1, "presentation"),
        ),
        ("urban",),
    ),
    # the seminar does not name the class's professor
    ("professor named", edit("economy", 0, "seminar", professor=None), ("economy", "wang")),
]


def test_every_rule_is_broken_by_some_row():
    assert {name for rule, _, _ in BROKEN for name in _names(rule)} == {name for name, _ in RULES} | {WELL_FORMED}


def _names(rule: str | tuple[str, ...]) -> set[str]:
    return {rule} if isinstance(rule, str) else set(rule)


@pytest.mark.parametrize(
    ("rule", "mutation", "ids"),
    [pytest.param(*row, id=f"{'+'.join(sorted(_names(row[0])))}-{i}") for i, row in enumerate(BROKEN)],
)
def test_each_rule_broken_alone(rule: str | tuple[str, ...], mutation: Mutation, ids: tuple[str, ...]):
    violations = check(SCENARIO, mutation(VALID))
    assert violations, "the mutation broke nothing"
    assert {v.rule for v in violations} == _names(rule), "\n".join(f"[{v.rule}] {v}" for v in violations)
    for violation in violations:
        for name in ids:
            assert name in str(violation), f"{name!r} missing from: {violation}"


# ---------------------------------------------------------------------------
# The interface


def test_a_violation_reads_as_a_sentence():
    (violation,) = check(SCENARIO, edit("economy", 0, "field_visit", site="guangyang_gallery")(VALID))
    assert str(violation) == "Class economy visits site guangyang_gallery on 2019-08-26 (Monday), when it is closed."
    assert violation == Violation(
        rule="opening hours",
        message=str(violation),
        class_id="economy",
        date=dt.date(2019, 8, 26),
        ids=("guangyang_gallery",),
    )


def test_assert_valid_lists_every_violation():
    broken = chain(drop("economy", 0, "meal", "12:00"), edit("urban", 0, "seminar", end="19:45"))(VALID)
    with pytest.raises(PlanViolationError) as caught:
        assert_valid(SCENARIO, broken)
    assert [v.rule for v in caught.value.violations] == ["lunch", "seminar hours"]
    assert "breaks 2 hard rules" in str(caught.value)
    assert "Class economy has no lunch on 2019-08-26 (Monday)" in str(caught.value)


def test_an_empty_plan_is_reported_not_crashed_on():
    rules = {v.rule for v in check(SCENARIO, Plan((), ()))}
    assert {"nights", "lunch", "dinner and evening", "lectures", "opening", "seminar hours"} <= rules


def test_the_checker_does_not_import_the_solver():
    code = (
        "import sys, scheduler.analysis.check, scheduler.plan.figures, scheduler.plan.export; "
        "bad = [m for m in sys.modules if m.startswith(('ortools', 'scheduler.solver'))]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_a_lecturer_arrives_with_the_margin():
    """With a 20-minute arrival margin, wu (15 minutes from home) cannot give the 07:45 lecture
    when the coaches leave at 07:30 at the earliest: 07:30 + 15 + 20 = 08:05."""
    limits = SCENARIO.limits.model_copy(update={"lecturer_arrival_margin_minutes": 20})
    strict = SCENARIO.model_copy(update={"limits": limits})
    broken = [v for v in check(strict, VALID) if v.rule == "lecturer from home"]
    assert any("wu" in str(v) and "08:05" in str(v) and "20 minutes' margin" in str(v) for v in broken), broken


def test_a_days_own_start_and_departure_are_checked():
    """``day_overrides`` may move a day's earliest departure and its start of sessions: urban's
    07:45 lecture on day 2 is then too early, and so is a coach leg before the day's departure."""
    changes = {"programme": {"day_overrides": [{"day": 2, "earliest_departure": "08:30", "day_start": "08:30"}]}}
    later = Scenario.model_validate(with_changes(read_data("check-tiny.yaml"), changes))
    rules = {(v.rule, v.class_id) for v in check(later, VALID)}
    assert ("session start", "urban") in rules and ("days and frame", "urban") in rules
    assert any("08:30" in str(v) for v in check(later, VALID) if v.rule == "session start")
    # day 1 keeps the frame's times: nothing of it is flagged
    assert all(v.date != date_of(0) for v in check(later, VALID))
