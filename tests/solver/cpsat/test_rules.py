"""The solver's hard rules, each tested alone on the smallest scenario where it decides the answer.

Every scenario is ``data/rules/base.yaml`` (one class, one Monday at its base, sites worth
nothing) with a few changes that make the objective pull towards breaking one rule: a valuable
site that the rule puts out of reach, a lecturer who is convenient but away, two classes that
both want the one hotel room. Each case in ``CASES`` is solved twice:

1. with every rule: the plan passes ``check()`` and the rule's property holds;
2. with that one ``add_<rule>()`` taken out of ``constraints.RULES``: the property fails, and
   ``check()`` reports the breach under the matching rule of ``docs/rules.md``.

The second half shows that the first could fail: without the rule the answer changes. Rules
that live in the candidates or the variables' domains (opening days and hours, latest return,
never-visit, seminar hours per evening, qualified lecturers) cannot be taken out; for them
(``DATA_CASES``) the second half drops the data instead, and the answer changes the same way.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from helpers import with_changes
from ortools.sat.python import cp_model

from scheduler.analysis import check as checker
from scheduler.analysis.check import check
from scheduler.plan.model import Event, Plan, SolveStatus
from scheduler.scenario.model import Scenario, parse_clock
from scheduler.solver.cpsat import constraints
from scheduler.solver.cpsat.extract import extract_plan
from scheduler.solver.cpsat.model import build_model
from scheduler.solver.diagnosis.prechecks import find_obstacles
from scheduler.solver.options import SolveOptions
from scheduler.solver.run import solve

Rule = Callable[..., None]

# ---------------------------------------------------------------------------
# Building blocks for the changes to base.yaml

MONDAY, TUESDAY = "2025-05-12", "2025-05-13"


def require(**fields: Any) -> dict[str, Any]:
    """Changes to ``requirements.default``."""
    return {"requirements": {"default": fields}}


def lecturer(lecturer_id: str, home: str = "base", topics: tuple[str, ...] = ("policy",), **fields: Any) -> dict:
    return {"id": lecturer_id, "name_en": lecturer_id.title(), "topics": list(topics), "home": home, **fields}


def site(site_id: str, value: int = 100, **fields: Any) -> dict[str, Any]:
    """A change to one of base.yaml's sites (x, y, z or w), by default making it worth a visit."""
    return {"id": site_id, "value": value, **fields}


def hours(open_: str, close: str) -> dict[str, str]:
    return {"open": open_, "close": close}


def second_class(base: str = "base") -> dict[str, Any]:
    return {
        "id": "c2",
        "name_en": "Class 2",
        "theme": "t",
        "trainees": 30,
        "base": base,
        "professor": {"id": "p2", "name_en": "Prof. Two"},
    }


def afternoon_trip(site_id: str = "y") -> dict[str, Any]:
    """A valuable site open only 13:00-17:30 for a 270-minute visit, 30 minutes out: the class
    leaves at 12:30 and is back at 18:00, so its sessions must fit into the morning (07:30 to
    11:30, before lunch at the base)."""
    return site(site_id, value=200, visit_minutes=270, hours=hours("13:00", "17:30"))


def fills_one_day(site_id: str, weekday: str, minutes: int = 120) -> dict[str, Any]:
    """A valuable site open on one weekday only; with ``max_teaching_minutes_per_day`` at
    ``minutes`` the class can do nothing else that day that counts as teaching."""
    return site(site_id, visit_minutes=minutes, open_weekdays=[weekday])


def teaching_limit(minutes: int) -> dict[str, Any]:
    return {"limits": {"max_teaching_minutes_per_day": minutes}}


def two_days() -> dict[str, Any]:
    return {"programme": {"days": 2}}


def merged(*changes: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for change in changes:
        result = with_changes(result, change)
    return result


# ---------------------------------------------------------------------------
# Reading a plan


def clock(text: str) -> int:
    return parse_clock(text)


def events(plan: Plan, kind: str, class_id: str | None = None) -> list[Event]:
    """The plan's events of one kind (of one class, if given), in time order."""
    chosen = [e for e in plan.events if e.kind == kind and class_id in (None, e.class_id)]
    return sorted(chosen, key=lambda e: (e.date, e.start))


def visits(plan: Plan, class_id: str | None = "c1") -> list[str]:
    """The sites a class visits (every class's, with ``None``), in time order."""
    return [e.site or "" for e in events(plan, "field_visit", class_id)]


def same_day(plan: Plan, event: Event, *kinds: str) -> list[Event]:
    return [e for e in plan.events if e.class_id == event.class_id and e.date == event.date and e.kind in kinds]


def outside_field_trip(plan: Plan) -> bool:
    """Every lecture is over before the coach leaves, or starts after it is back."""
    for lecture in events(plan, "lecture"):
        legs = same_day(plan, lecture, "travel")
        if legs and not (lecture.end <= min(e.start for e in legs) or lecture.start >= max(e.end for e in legs)):
            return False
    return True


def opening_first(plan: Plan) -> bool:
    """The opening ends before any other session or coach leg of day 1 starts."""
    return all(
        opening.end <= other.start
        for opening in events(plan, "opening")
        for other in same_day(plan, opening, "lecture", "presentation", "travel")
    )


def presentation_last(plan: Plan) -> bool:
    """The presentation starts after every other session and coach leg of the last day is over."""
    return all(
        other.end <= presentation.start
        for presentation in events(plan, "presentation")
        for other in same_day(plan, presentation, "lecture", "opening", "travel")
    )


def closing_last(plan: Plan) -> bool:
    """The closing starts after every other session, visit and coach leg of the last day is over."""
    return all(
        other.end <= closing.start
        for closing in events(plan, "closing")
        for other in same_day(plan, closing, "lecture", "opening", "presentation", "travel", "field_visit")
    )


def minutes(plan: Plan, kind: str) -> int:
    return sum(e.minutes for e in events(plan, kind))


def lecturers(plan: Plan) -> list[str | None]:
    return [e.lecturer for e in events(plan, "lecture", None)]


def lecture_gap(plan: Plan) -> int:
    """Minutes between the end of the first lecture and the start of the second (same day)."""
    first, second = sorted(events(plan, "lecture", None), key=lambda e: e.start)
    return second.start - first.end


# ---------------------------------------------------------------------------
# One rule, one scenario


@dataclass(frozen=True)
class Case:
    rule: Rule
    """The ``add_<rule>()`` under test."""
    changes: dict[str, Any]
    """What differs from base.yaml."""
    holds: Callable[[Plan], bool]
    """The answer the rule forces, read off the plan."""
    reported_as: str
    """The checker's name (docs/rules.md) for the breach once the rule is taken out."""


C = constraints
CASES: dict[str, Case] = {
    # x then y back to back (08:30-10:30, 10:30-12:30) with 30 minutes' drive between: one of them
    "coach-leg-timing": Case(
        C.add_coach_leg_timing,
        {
            "sites": [
                site("x", visit_minutes=120, hours=hours("08:30", "10:30")),
                site("y", visit_minutes=120, hours=hours("10:30", "12:30")),
            ]
        },
        lambda plan: len(visits(plan)) == 1,
        "one thing at a time",
    ),
    # the same two visits: without the rule the coach "leaves" x for y before the visit to x
    # (a long arrival buffer, so that the coach may leave x as early as it likes)
    "visit-timing": Case(
        C.add_visit_timing,
        {
            "programme": {"frame": {"arrival_buffer_minutes": 600}},
            "sites": [
                site("x", visit_minutes=120, hours=hours("08:30", "10:30")),
                site("y", visit_minutes=120, hours=hours("10:30", "12:30")),
            ],
        },
        lambda plan: len(visits(plan)) == 1,
        "continuity",
    ),
    # x's only visit (11:00-14:00) covers the whole lunch window: lunch or x, not both
    "one-thing-at-a-time": Case(
        C.add_one_thing_at_a_time,
        {"sites": [site("x", visit_minutes=180, hours=hours("11:00", "14:00"))]},
        lambda plan: visits(plan) == [],
        "one thing at a time",
    ),
    # three sites round the base, 30 minutes apart: all three drive 120 minutes, two drive 90
    "coach-driving-limit": Case(
        C.add_coach_driving_limit,
        {"sites": [site("x"), site("y"), site("z")], "limits": {"max_coach_minutes_per_day": 100}},
        lambda plan: len(visits(plan)) == 2,
        "coach driving per day",
    ),
    # the same, with the limit of 100 set for day 1 only (the programme's limit is the default 360)
    "coach-driving-limit-day-override": Case(
        C.add_coach_driving_limit,
        {
            "sites": [site("x"), site("y"), site("z")],
            "programme": {"day_overrides": [{"day": 1, "max_coach_minutes": 100}]},
        },
        lambda plan: len(visits(plan)) == 2,
        "coach driving per day",
    ),
    # two classes based at the base, one room there: one of them sleeps at the hotel, 60 minutes away
    "lodging-capacity": Case(
        C.add_lodging_capacity,
        merged(
            two_days(),
            {
                "classes": [second_class()],
                "lodging": [{"place": "base", "classes_per_night": 1}, {"place": "hotel", "classes_per_night": 1}],
            },
        ),
        lambda plan: sorted(night.place for night in plan.nights) == ["base", "hotel"],
        "lodging capacity",
    ),
    # two classes want x, open 09:00-11:00 for one two-hour visit, one class at a time
    "site-capacity-classes": Case(
        C.add_site_capacity,
        {"classes": [second_class()], "sites": [site("x", visit_minutes=120, hours=hours("09:00", "11:00"))]},
        lambda plan: len(visits(plan, None)) == 1,
        "site capacity",
    ),
    # the same with room for two classes but 50 trainees: two classes of 30 are too many
    "site-capacity-trainees": Case(
        C.add_site_capacity,
        {
            "classes": [second_class()],
            "sites": [
                site("x", visit_minutes=120, hours=hours("09:00", "11:00"), capacity_classes=2, capacity_trainees=50)
            ],
        },
        lambda plan: len(visits(plan, None)) == 1,
        "site capacity",
    ),
    # x is worth seeing on both days: once only
    "site-visits-at-most-once": Case(
        C.add_site_visits,
        merged(two_days(), {"sites": [site("x")]}),
        lambda plan: visits(plan) == ["x"],
        "one visit per site",
    ),
    # x is worth nothing and costs an hour's driving, but is a must
    "site-visits-must-visit": Case(
        C.add_site_visits,
        require(must_visit=["x"]),
        lambda plan: visits(plan) == ["x"],
        "must / never visit",
    ),
    # three valuable sites, one visit a day
    "site-visits-max-per-day": Case(
        C.add_site_visits,
        merged(require(max_visits_per_day=1), {"sites": [site("x"), site("y"), site("z")]}),
        lambda plan: len(visits(plan)) == 1,
        "visits per day",
    ),
    # x is a museum (red education) worth nothing; one red-education visit is required
    "site-visits-red-education": Case(
        C.add_site_visits,
        merged(require(min_red_education_visits=1), {"sites": [site("x", value=0, kind="museum")]}),
        lambda plan: visits(plan) == ["x"],
        "red education",
    ),
    # a lecture (90 min) and x (120 min) do not both fit in 120 minutes of teaching
    "sessions-held-once": Case(
        C.add_sessions_held_once,
        merged(
            require(lectures={"policy": 1}),
            teaching_limit(120),
            {"lecturers": [lecturer("lee")], "sites": [site("x", visit_minutes=120)]},
        ),
        lambda plan: len(events(plan, "lecture")) == 1,
        "lectures",
    ),
    # x at 08:00 (the coach leaves at 07:30) and the afternoon trip to y: the only room for the
    # lecture is the wait at x between the two visits, during the field trip
    "session-timing": Case(
        C.add_session_timing,
        merged(
            require(lectures={"policy": 1}),
            {
                "lecturers": [lecturer("lee")],
                "sites": [site("x", visit_minutes=90, hours=hours("08:00", "09:30")), afternoon_trip()],
            },
        ),
        outside_field_trip,
        "lectures",
    ),
    # lee is away from 09:45 on day 1, so the lecture fits on day 1 only before the opening;
    # day 2 holds either the lecture or a visit to y
    "opening-first": Case(
        C.add_opening_first,
        merged(
            two_days(),
            require(opening_minutes=30, lectures={"policy": 1}),
            teaching_limit(120),
            {
                "lecturers": [lecturer("lee", unavailable=[{"date": MONDAY, "start": "09:45", "end": "24:00"}])],
                "sites": [fills_one_day("y", "tue")],
            },
        ),
        opening_first,
        "opening",
    ),
    # lee is away until 16:30 on day 2, so the lecture fits on day 2 only after the presentations;
    # day 1 holds either the lecture or a visit to x
    "presentation-last": Case(
        C.add_closing_day,
        merged(
            two_days(),
            require(presentation_minutes=30, lectures={"policy": 1}),
            teaching_limit(120),
            {
                "lecturers": [lecturer("lee", unavailable=[{"date": TUESDAY, "start": "00:00", "end": "16:30"}])],
                "sites": [fills_one_day("x", "mon")],
            },
        ),
        presentation_last,
        "presentations",
    ),
    # the same with a closing session: the lecture fits on day 2 only after the closing
    "closing-last": Case(
        C.add_closing_day,
        merged(
            two_days(),
            require(closing_minutes=30, lectures={"policy": 1}),
            teaching_limit(120),
            {
                "lecturers": [lecturer("lee", unavailable=[{"date": TUESDAY, "start": "00:00", "end": "16:30"}])],
                "sites": [fills_one_day("x", "mon")],
            },
        ),
        closing_last,
        "closing",
    ),
    # two class hours of seminar, and an evening past 19:45 is a late one: one hour each evening
    # costs nothing, but the programme ends with the closing on day 2, so both fall on day 1
    "last-evening-free": Case(
        C.add_closing_day,
        merged(
            two_days(),
            require(closing_minutes=30, min_seminar_class_hours=2),
            {"programme": {"frame": {"late_evening_after": "19:45"}}},
        ),
        lambda plan: all(str(e.date) == MONDAY for e in events(plan, "seminar")),
        "closing",
    ),
    # two days and sites worth nothing: without the rule the class would stay at its base
    "programme-every-day": Case(
        C.add_programme_every_day,
        merged(two_days(), require(programme_every_day=True)),
        lambda plan: {str(e.date) for e in events(plan, "field_visit")} == {MONDAY, TUESDAY},
        "programme every day",
    ),
    # two qualified lecturers and one lecture: the balance goal prefers nobody giving it
    "lecturer-assignment": Case(
        C.add_lecturer_assignment,
        merged(
            require(lectures={"policy": 1}),
            {"lecturers": [lecturer("lee"), lecturer("lin"), lecturer("ma", topics=("economy",))]},
        ),
        lambda plan: lecturers(plan) in (["lee"], ["lin"]),
        "well formed",
    ),
    # lee is away all of day 1; day 2 holds either the lecture or a visit to y
    "lecturer-away-day": Case(
        C.add_lecturer_away_days,
        merged(
            two_days(),
            require(lectures={"policy": 1}),
            teaching_limit(120),
            {"lecturers": [lecturer("lee", unavailable=[{"date": MONDAY}])], "sites": [fills_one_day("y", "tue")]},
        ),
        lambda plan: [str(e.date) for e in events(plan, "lecture")] == [TUESDAY],
        "lecturer available",
    ),
    # lin (90 minutes from home) may travel at most 60: lee gives both lectures, against the balance goal
    "lecturer-max-travel": Case(
        C.add_lecturer_away_days,
        merged(
            require(lectures={"policy": 2}),
            {
                "lecturers": [lecturer("lee"), lecturer("lin", home="town")],
                "limits": {"lecturer_max_travel_minutes": 60},
            },
        ),
        lambda plan: lecturers(plan) == ["lee", "lee"],
        "lecturer from home",
    ),
    # lee is away 07:30-11:00, and the afternoon trip leaves the morning as the only time to lecture
    "lecturer-away-window": Case(
        C.add_lecturer_one_at_a_time,
        merged(
            require(lectures={"policy": 1}),
            {
                "lecturers": [lecturer("lee", unavailable=[{"date": MONDAY, "start": "07:30", "end": "11:00"}])],
                "sites": [afternoon_trip()],
            },
        ),
        lambda plan: all(e.start >= clock("11:00") for e in events(plan, "lecture")),
        "lecturer available",
    ),
    # lee lectures both classes, 120 minutes apart, and both classes take an afternoon trip:
    # two lectures in one morning leave no time to drive between them
    "lecturer-travel-between-classes": Case(
        C.add_lecturer_travel,
        merged(
            require(lectures={"policy": 1}),
            {
                "classes": [second_class(base="base2")],
                "lecturers": [lecturer("lee")],
                "sites": [afternoon_trip("y"), afternoon_trip("w")],
            },
        ),
        lambda plan: lecture_gap(plan) >= 120,
        "lecturer one at a time",
    ),
    # lee lives 180 minutes away (earliest start 10:30): too late for a morning before an afternoon trip
    "lecturer-travel-from-home": Case(
        C.add_lecturer_travel,
        merged(
            require(lectures={"policy": 1}), {"lecturers": [lecturer("lee", home="far")], "sites": [afternoon_trip()]}
        ),
        lambda plan: all(e.start >= clock("10:30") for e in events(plan, "lecture")),
        "lecturer from home",
    ),
    # the same, with lee's home a lodging place: without the rule tying the lecture's place to
    # where the class is, the model may believe the lecture is held at lee's home
    "stay-place-index": Case(
        C.add_stay_place_index,
        merged(
            require(lectures={"policy": 1}),
            {
                "lecturers": [lecturer("lee", home="far")],
                "sites": [afternoon_trip()],
                "lodging": [{"place": "base"}, {"place": "far"}],
            },
        ),
        lambda plan: all(e.start >= clock("10:30") for e in events(plan, "lecture")),
        "lecturer from home",
    ),
    # lee gives one lecture a day; day 2 holds either a lecture or a visit to y
    "lecturer-workload-per-day": Case(
        C.add_lecturer_workload,
        merged(
            two_days(),
            require(lectures={"policy": 2}),
            teaching_limit(180),
            {"lecturers": [lecturer("lee", max_sessions_per_day=1)], "sites": [fills_one_day("y", "tue")]},
        ),
        lambda plan: len({e.date for e in events(plan, "lecture")}) == 2,
        "lecturer workload",
    ),
    # lee gives one lecture in all; lin lives 180 minutes away and cannot lecture before an afternoon trip
    "lecturer-workload-in-all": Case(
        C.add_lecturer_workload,
        merged(
            require(lectures={"policy": 2}),
            {"lecturers": [lecturer("lee", max_sessions=1), lecturer("lin", home="far")], "sites": [afternoon_trip()]},
        ),
        lambda plan: lecturers(plan).count("lee") <= 1,
        "lecturer workload",
    ),
    # 5 class hours of seminar and report writing (225 min) need two evenings (19:00-22:30 holds
    # 210); report writing counts as teaching here, so the day of a 240-minute visit to x has no evening
    "evening-quiet-hours": Case(
        C.add_evening,
        merged(
            two_days(),
            teaching_limit(240),
            require(min_seminar_class_hours=3, min_report_writing_class_hours=2),
            {
                "definitions": {"workload_kinds": ["field_visit", "seminar", "report_writing"]},
                "sites": [fills_one_day("x", "mon", minutes=240)],
            },
        ),
        lambda plan: all(e.end <= clock("22:30") for e in events(plan, "seminar") + events(plan, "report_writing")),
        "days and frame",
    ),
    # two valuable 150-minute visits, 240 minutes of teaching a day
    "teaching-per-day": Case(
        C.add_teaching_per_day,
        merged(teaching_limit(240), {"sites": [site("x", visit_minutes=150), site("y", visit_minutes=150)]}),
        lambda plan: len(visits(plan)) == 1,
        "teaching per day",
    ),
    # a 90-minute lecture needs 90 minutes in the field for a 50% share: x, worth nothing
    "field-share": Case(
        C.add_programme_figures,
        merged(
            require(lectures={"policy": 1}, min_field_share=0.5),
            {"lecturers": [lecturer("lee")], "sites": [site("x", value=0, visit_minutes=90)]},
        ),
        lambda plan: visits(plan) == ["x"],
        "field share",
    ),
    # 2 class hours of seminar, though every evening past 19:00 counts as a late one
    "seminar-hours": Case(
        C.add_programme_figures,
        merged(require(min_seminar_class_hours=2), {"programme": {"frame": {"late_evening_after": "19:00"}}}),
        lambda plan: minutes(plan, "seminar") == 90,
        "seminar hours",
    ),
    # 1 class hour of report writing, on the same terms
    "report-writing": Case(
        C.add_programme_figures,
        merged(require(min_report_writing_class_hours=1), {"programme": {"frame": {"late_evening_after": "19:00"}}}),
        lambda plan: minutes(plan, "report_writing") == 45,
        "report writing",
    ),
}

REDUNDANT = {
    C.add_day_budget: "implied by the timed rules; it carries day lengths into the coarse first stage",
    C.add_limits_as_written: "adds nothing outside a diagnosis (tests/test_diagnose.py covers it)",
}
"""Rules that no scenario can show alone, and why."""


@contextmanager
def without(rule: Rule) -> Iterator[None]:
    """``constraints.RULES`` (and ``TIMED_RULES``) without ``rule``, for the duration of a block."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(constraints, "RULES", tuple(r for r in constraints.RULES if r is not rule))
        patch.setattr(constraints, "TIMED_RULES", constraints.TIMED_RULES - {rule})
        yield


@pytest.fixture(scope="module")
def solved(rules_base, quick) -> Callable[..., tuple[Scenario, Plan]]:
    """Solve a scenario (with one rule taken out, if given) once per module; fail if there is no plan."""
    cache: dict[tuple[str, str], tuple[Scenario, Plan]] = {}

    def solve_once(name: str, changes: dict[str, Any], rule: Rule | None = None) -> tuple[Scenario, Plan]:
        key = (name, rule.__name__ if rule else "")
        if key not in cache:
            scenario = Scenario.model_validate(with_changes(rules_base, changes))
            if rule is None:
                result = solve(scenario, quick)
            else:
                with without(rule):
                    result = solve(scenario, quick)
            assert result.plan is not None, f"{name}: no plan ({result.status.value})"
            cache[key] = (scenario, result.plan)
        return cache[key]

    return solve_once


def described(violations: list[checker.Violation]) -> str:
    return "\n".join(f"[{v.rule}] {v}" for v in violations)


# ---------------------------------------------------------------------------
# The tests


@pytest.mark.parametrize("name", CASES)
def test_with_every_rule_the_plan_keeps_it(name: str, solved):
    case = CASES[name]
    scenario, plan = solved(name, case.changes)
    assert check(scenario, plan) == [], described(check(scenario, plan))
    assert case.holds(plan)


@pytest.mark.parametrize("name", CASES)
def test_without_the_rule_the_plan_breaks_it(name: str, solved):
    case = CASES[name]
    _, plan = solved(name, case.changes, case.rule)
    assert not case.holds(plan), f"leaving out {case.rule.__name__} changed nothing"


@pytest.mark.parametrize(
    "name",
    list(CASES),
)
def test_the_checker_reports_the_breach(name: str, solved):
    case = CASES[name]
    scenario, plan = solved(name, case.changes, case.rule)
    assert case.reported_as in {v.rule for v in check(scenario, plan)}, described(check(scenario, plan))


def test_every_rule_has_a_case():
    covered = {case.rule for case in CASES.values()} | {
        C.add_day_routes,
        C.add_one_night_place,
        C.add_arrival_buffer,
    }  # tested below
    assert set(constraints.RULES) - set(REDUNDANT) == covered
    assert {case.reported_as for case in CASES.values()} <= {name for name, _ in checker.RULES} | {checker.WELL_FORMED}


# ---------------------------------------------------------------------------
# Rules without a case of their own


def test_day_routes_take_the_coach_to_every_site(solved, rules_base):
    # x is worth a visit: with the day circuits the coach drives there and back
    changes = {"sites": [site("x")]}
    scenario, plan = solved("day-routes", changes)
    assert check(scenario, plan) == [], described(check(scenario, plan))
    assert [(e.from_place, e.to_place) for e in events(plan, "travel")] == [("base", "x"), ("x", "base")]
    # without them, x is "visited" with no coach leg at all (the plan cannot even be read back)
    with without(C.add_day_routes):
        built = build_model(Scenario.model_validate(with_changes(rules_base, changes)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 5
    assert solver.solve(built.model) == cp_model.OPTIMAL
    day = built.variables.class_days[("c1", 0)]
    assert solver.value(day.visits["x"].present) == 1
    assert [arc for arc in day.arcs if solver.value(arc.used)] == []


def model_status(scenario: Scenario, fix: Callable[[Any], None], left_out: Rule | None = None) -> int:
    """CP-SAT's status on the scenario's whole model with ``fix`` applied to it (a function of
    the built model), with every rule or without ``left_out``."""
    with without(left_out) if left_out else contextlib.nullcontext():
        built = build_model(scenario)
    fix(built)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 10
    return solver.solve(built.model)


def test_arrival_buffer_makes_the_coach_leave_when_needed(rules_base):
    """x opens at 10:30, 30 minutes from the base. With the coach made to leave at 07:30, the
    class would wait two hours at the gate: the rule refuses that plan, and without the rule the
    same model takes it."""
    changes = {"sites": [site("x", hours=hours("10:30", "17:00"))]}
    scenario = Scenario.model_validate(with_changes(rules_base, changes))

    def early_to_x_alone(built) -> None:
        day = built.variables.class_days[("c1", 0)]
        built.model.add(day.depart == scenario.programme.frame.earliest_departure)
        for site_id, visit in day.visits.items():  # x alone, straight from the base
            built.model.add(visit.present == int(site_id == "x"))

    assert model_status(scenario, early_to_x_alone) == cp_model.INFEASIBLE
    assert model_status(scenario, early_to_x_alone, C.add_arrival_buffer) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    # and a plan solved as usual leaves when needed: at most 15 minutes at the gate
    plan = solve(scenario, SolveOptions(time_limit=5, workers=1, seed=0)).plan
    assert plan is not None and check(scenario, plan) == []
    leg = next(e for e in plan.events if e.kind == "travel" and e.to_place == "x")
    assert next(e for e in plan.events if e.kind == "field_visit").start - leg.end <= 15


def test_the_morning_coach_leaves_as_late_as_the_clock_allows(rules_base):
    """The buffer lets the model's coach reach x up to 15 minutes before the visit; the plan read
    back from it leaves the base late enough to arrive less than one clock step early (the wait
    is spent at the hotel, not at the gate), and still keeps every rule."""
    changes = {"sites": [site("x", hours=hours("10:30", "17:00"))]}
    scenario = Scenario.model_validate(with_changes(rules_base, changes))
    built = build_model(scenario)
    day = built.variables.class_days[("c1", 0)]
    for site_id, visit in day.visits.items():  # x alone, straight from the base, at 10:30
        built.model.add(visit.present == int(site_id == "x"))
    built.model.add(day.visits["x"].start == parse_clock("10:30"))
    built.model.add(day.visits["x"].lunch_first == 0)
    leg = built.candidates.travel.leg("base", scenario.site("x").place)
    built.model.add(day.depart + leg.minutes <= parse_clock("10:30") - 10)  # the model arrives 10+ minutes early
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    assert solver.solve(built.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    plan = extract_plan(built.candidates, built.variables, solver.value)
    assert check(scenario, plan) == []
    travel = next(e for e in plan.events if e.kind == "travel" and e.to_place == scenario.site("x").place)
    step = scenario.programme.frame.time_step_minutes
    assert travel.start % step == 0
    assert 0 <= parse_clock("10:30") - travel.end < step
    assert travel.start > solver.value(day.depart)  # later than the model's departure


def test_an_invited_lecturer_takes_the_podium(rules_base):
    """One lecture, two who can give it, and lin must give at least one (``min_sessions``):
    the lecture is lin's. Giving it to lee instead is refused with the rule, and taken without
    it; the checker says so in words."""
    changes = merged(
        require(lectures={"policy": 1}),
        {"lecturers": [lecturer("lee"), lecturer("lin", min_sessions=1)]},
    )
    scenario = Scenario.model_validate(with_changes(rules_base, changes))

    def given_by_lee(built) -> None:
        (session,) = [s for s in built.variables.sessions if s.lecturer]
        built.model.add(session.lecturer["lee"] == 1)

    assert model_status(scenario, given_by_lee) == cp_model.INFEASIBLE
    assert model_status(scenario, given_by_lee, C.add_lecturer_workload) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    plan = solve(scenario, SolveOptions(time_limit=5, workers=1, seed=0)).plan
    assert plan is not None and check(scenario, plan) == []
    assert lecturers(plan) == ["lin"]
    given_to_lee = Plan(
        tuple(dataclasses.replace(e, lecturer="lee") if e.kind == "lecture" else e for e in plan.events), plan.nights
    )
    assert [v.message for v in check(scenario, given_to_lee) if v.rule == "lecturer workload"] == [
        "Lecturer lin gives 0 lectures; at least 1 are required."
    ]


def test_one_night_place(solved):
    # three days with two lodgings: each night one place, where the next day starts (check())
    changes = merged(
        {"programme": {"days": 3}, "lodging": [{"place": "base"}, {"place": "hotel"}]}, {"sites": [site("x")]}
    )
    scenario, plan = solved("one-night-place", changes)
    assert check(scenario, plan) == [], described(check(scenario, plan))
    assert [str(n.date) for n in plan.nights] == [MONDAY, TUESDAY]
    # Taking the rule out changes nothing: each day's circuit leaves exactly one evening place,
    # which is that night's place. The rule states it outright; the circuits already imply it.
    scenario, plan = solved("one-night-place", changes, C.add_one_night_place)
    assert check(scenario, plan) == []


# ---------------------------------------------------------------------------
# Rules kept by the candidates and the variables' domains: drop the data instead


@dataclass(frozen=True)
class DataCase:
    changes: dict[str, Any]
    """What differs from base.yaml."""
    dropped: dict[str, Any]
    """The same without the data that keeps the rule."""
    holds: Callable[[Plan], bool]


DATA_CASES: dict[str, DataCase] = {
    # x is worth a visit but shut on Mondays
    "open-weekdays": DataCase(
        {"sites": [site("x", open_weekdays=["tue", "wed", "thu", "fri", "sat", "sun"])]},
        {"sites": [site("x")]},
        lambda plan: visits(plan) == [],
    ),
    # x is worth a visit but closed on the programme's one day
    "closed-dates": DataCase(
        {"sites": [site("x", closed_dates=[MONDAY])]},
        {"sites": [site("x")]},
        lambda plan: visits(plan) == [],
    ),
    # x and y are open only 14:00-16:00 for a two-hour visit: one of them
    "opening-hours": DataCase(
        {"sites": [site(s, visit_minutes=120, hours=hours("14:00", "16:00")) for s in "xy"]},
        {"sites": [site(s, visit_minutes=120) for s in "xy"]},
        lambda plan: (
            len(visits(plan)) == 1
            and all(clock("14:00") <= e.start and e.end <= clock("16:00") for e in events(plan, "field_visit"))
        ),
    ),
    # day 1 must end by 10:00 (a day override): x (08:30-09:30, 30 minutes out) is back at 10:00 at
    # the earliest, y only opens at 10:00
    "latest-return-day-override": DataCase(
        {
            "sites": [site("x"), site("y", hours=hours("10:00", "17:30"))],
            "programme": {"day_overrides": [{"day": 1, "latest_return": "10:00"}]},
        },
        {"sites": [site("x"), site("y", hours=hours("10:00", "17:30"))]},
        lambda plan: visits(plan) == ["x"],
    ),
    # x is worth a visit but on the never-visit list
    "never-visit": DataCase(
        merged(require(never_visit=["x"]), {"sites": [site("x")]}),
        {"sites": [site("x")]},
        lambda plan: visits(plan) == [],
    ),
    # 2 seminar class hours, 1 an evening; day 1's visit to x leaves no teaching time for a seminar
    "seminar-hours-per-evening": DataCase(
        merged(
            two_days(),
            teaching_limit(240),
            require(min_seminar_class_hours=2, max_seminar_class_hours_per_evening=1),
            {"sites": [fills_one_day("x", "mon", minutes=240)]},
        ),
        merged(
            two_days(),
            teaching_limit(240),
            require(min_seminar_class_hours=2, max_seminar_class_hours_per_evening=2),
            {"sites": [fills_one_day("x", "mon", minutes=240)]},
        ),
        lambda plan: all(e.minutes <= 45 for e in events(plan, "seminar")),
    ),
    # ma lives at the base but teaches economy; lee (policy) lives too far for a morning lecture
    "lecturer-qualified": DataCase(
        merged(
            require(lectures={"policy": 1}),
            {
                "lecturers": [lecturer("lee", home="far"), lecturer("ma", topics=("economy",))],
                "sites": [afternoon_trip()],
            },
        ),
        merged(
            require(lectures={"policy": 1}),
            {
                "lecturers": [lecturer("lee", home="far"), lecturer("ma", topics=("economy", "policy"))],
                "sites": [afternoon_trip()],
            },
        ),
        lambda plan: lecturers(plan) == ["lee"],
    ),
}


@pytest.mark.parametrize("name", DATA_CASES)
def test_rules_kept_by_the_data(name: str, solved):
    case = DATA_CASES[name]
    scenario, plan = solved(name, case.changes)
    assert check(scenario, plan) == [], described(check(scenario, plan))
    assert case.holds(plan)
    scenario, plan = solved(f"{name} (dropped)", case.dropped)
    assert check(scenario, plan) == [], described(check(scenario, plan))
    assert not case.holds(plan), "dropping the data changed nothing"


# ---------------------------------------------------------------------------
# No plan at all


def test_a_must_visit_site_closed_every_day_means_no_plan(rules_base, quick):
    scenario = Scenario.model_validate(
        with_changes(rules_base, merged(require(must_visit=["x"]), {"sites": [site("x", open_weekdays=["tue"])]}))
    )
    result = solve(scenario, quick)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.plan is None
    (obstacle,) = find_obstacles(scenario)
    assert obstacle.path == "requirements.default.must_visit"
    assert "must visit x" in obstacle.message


def test_a_rest_day_has_nothing_but_meals_and_free_time(solved):
    """Three days, a valuable site open every day and the rule that every day has a programme:
    the middle day, marked a rest day, has no visit and no evening work, and its daytime is
    shown as free time; the other two days each have a visit."""
    changes = merged(
        {"programme": {"days": 3, "day_overrides": [{"day": 2, "rest_day": True}]}},
        require(programme_every_day=True, min_seminar_class_hours=2),
        {"sites": [site("x"), site("y"), site("z")]},
    )
    scenario, plan = solved("rest-day", changes)
    assert check(scenario, plan) == [], described(check(scenario, plan))
    rest = scenario.programme.date_of(1)
    assert [e.kind for e in plan.events if e.date == rest and e.kind not in ("meal", "free_time")] == []
    assert any(e.kind == "free_time" and e.date == rest for e in plan.events)
    days = {e.date for e in events(plan, "field_visit")}
    assert days == {scenario.programme.date_of(0), scenario.programme.date_of(2)}


def test_the_first_and_last_days_cannot_be_rest_days(rules_base):
    for day in (1, 3):
        changes = {"programme": {"days": 3, "day_overrides": [{"day": day, "rest_day": True}]}}
        with pytest.raises(ValueError, match=f"makes day {day} a rest day"):
            Scenario.model_validate(with_changes(rules_base, changes))


def test_a_days_own_start_is_kept(solved):
    """A day's ``day_start`` override at 11:15 leaves no room for the lecture before the afternoon
    trip leaves at 12:30 (with the frame's 08:00 there is): the class gives up the trip."""
    base = merged(require(lectures={"policy": 1}), {"lecturers": [lecturer("lee")], "sites": [afternoon_trip()]})
    scenario, plan = solved("frame-start", base)
    assert visits(plan) == ["y"] and all(e.start < clock("11:15") for e in events(plan, "lecture"))
    late = merged(base, {"programme": {"day_overrides": [{"day": 1, "day_start": "11:15"}]}})
    scenario, plan = solved("day-start-override", late)
    assert check(scenario, plan) == [], described(check(scenario, plan))
    assert visits(plan) == [] and all(e.start >= clock("11:15") for e in events(plan, "lecture"))
