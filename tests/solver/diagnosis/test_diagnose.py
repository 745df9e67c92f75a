"""Why no plan: each infeasible scenario's diagnosis names exactly the requirements that
conflict (a minimal set), and each suggested relaxation, applied, gives a checked plan.

Every case is the one-class, one-day base of tests/data/rules/base.yaml with a few changes.
Each is diagnosed twice: as the command does (assumptions first), and with the switches only
ever fixed (``assume=False``: the group filter and the fixed checks decide alone).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml
from helpers import LECTURER, ROOT, SECOND_CLASS, read_data, require, with_changes

from scheduler.analysis.check import check
from scheduler.scenario.model import Scenario
from scheduler.solver import SolveOptions, solve
from scheduler.solver.cpsat.switches import RequirementKey
from scheduler.solver.diagnosis.diagnose import (
    Checker,
    Deadline,
    Prover,
    find_conflict,
    fixed_conflict,
    proves_no_plan,
    quick_plan,
    quickxplain,
    requirement_groups,
    shrink_core,
    suggest_relaxations,
    with_relaxation,
    without,
)

BASE = read_data("rules/base.yaml")
QUICK = SolveOptions(time_limit=5, workers=2, seed=0)


def keys(names) -> list[RequirementKey]:
    """Requirement keys from their printed names, as the tests write them."""
    return [RequirementKey.parse(name) for name in names]


def scenario(changes: dict) -> Scenario:
    return Scenario.model_validate(with_changes(BASE, changes))


CASES = {
    # two must-visit sites, but one visit a day on the only day
    "visits-per-day": (
        require(must_visit=["x", "y"], max_visits_per_day=1),
        {"must_visit(class=c1,site=x)", "must_visit(class=c1,site=y)", "max_visits_per_day(class=c1)"},
        ("requirements.default.max_visits_per_day", 2),
    ),
    # site w is 151 min away each way (estimated from coordinates); the coach may drive 200 min a day
    "coach-limit": (
        with_changes(require(must_visit=["w"]), {"limits": {"max_coach_minutes_per_day": 200}}),
        {"must_visit(class=c1,site=w)", "coach(limits.max_coach_minutes_per_day)"},
        ("limits.max_coach_minutes_per_day", 302, 301),
    ),
    # a 90-minute lecture and at most 3 hours of visits: at most 67% field teaching
    "field-share": (
        with_changes(require(min_field_share=0.9, lectures={"policy": 1}), {"lecturers": [LECTURER]}),
        {"min_field_share(class=c1)", "lectures(class=c1,topic=policy)"},
        ("requirements.default.min_field_share", 0.666, 0.667),
    ),
    # four seminar class hours in the one evening, which holds three
    "seminar-hours": (
        require(min_seminar_class_hours=4),
        {"min_seminar_class_hours(class=c1)"},
        ("requirements.default.min_seminar_class_hours", 3),
    ),
    # the only lecturer on the topic is away on the only day
    "lecturer-away": (
        with_changes(
            require(lectures={"policy": 1}),
            {"lecturers": [{**LECTURER, "unavailable": [{"date": "2025-05-12"}]}]},
        ),
        {"lectures(class=c1,topic=policy)", "unavailable(lecturer=li)"},
        None,
    ),
    # site x opens at 08:30 and is 30 min away: back by 10:00 at the earliest
    "latest-return": (
        with_changes(require(must_visit=["x"]), {"limits": {"latest_return": "09:00"}}),
        {"must_visit(class=c1,site=x)", "latest_return(limits.latest_return)"},
        ("limits.latest_return", "10:00", "09:59"),
    ),
    # 45 + 90 + 60 + 60 minutes of teaching against a limit of 220: each of the five counts
    "teaching-per-day": (
        with_changes(
            require(must_visit=["x", "y"], lectures={"policy": 1}, opening_minutes=45),
            {"lecturers": [LECTURER], "limits": {"max_teaching_minutes_per_day": 220}},
        ),
        {
            "must_visit(class=c1,site=x)",
            "must_visit(class=c1,site=y)",
            "lectures(class=c1,topic=policy)",
            "opening(class=c1)",
            "max_teaching_minutes_per_day",
        },
        ("limits.max_teaching_minutes_per_day", 255, 254),
    ),
    # the only lecturer lives 180 min away and may drive at most 100
    "lecturer-travel": (
        with_changes(
            require(lectures={"policy": 1}),
            {"lecturers": [{**LECTURER, "home": "far"}], "limits": {"lecturer_max_travel_minutes": 100}},
        ),
        {"lectures(class=c1,topic=policy)", "lecturer_max_travel_minutes"},
        ("limits.lecturer_max_travel_minutes", 180, 179),
    ),
    # site x takes one class at a time and is open for one visit's length; both classes must visit it
    "site-capacity": (
        with_changes(
            require(must_visit=["x"]),
            {"classes": [SECOND_CLASS], "sites": [{"id": "x", "hours": {"open": "09:00", "close": "10:00"}}]},
        ),
        {"must_visit(class=c1,site=x)", "must_visit(class=c2,site=x)"},
        None,
    ),
    # site x is the only memorial (red education), and a site is visited at most once
    "red-education": (
        with_changes(require(min_red_education_visits=2), {"sites": [{"id": "x", "kind": "memorial"}]}),
        {"min_red_education_visits(class=c1)"},
        ("requirements.default.min_red_education_visits", 1),
    ),
    # two lectures on policy; its only lecturer gives at most one
    "lecturer-sessions": (
        with_changes(require(lectures={"policy": 2}), {"lecturers": [{**LECTURER, "max_sessions": 1}]}),
        {"lectures(class=c1,topic=policy)", "max_sessions(lecturer=li)"},
        ("lecturers[li].max_sessions", 2),
    ),
    # two classes at one base for one night, with room for one
    "lodging": (
        {
            "programme": {"days": 2},
            "classes": [SECOND_CLASS],
        },
        {"lodging_capacity(place=base)"},
        ("lodging[base].classes_per_night", 2),
    ),
}


@pytest.fixture(scope="module", params=list(CASES))
def diagnosed(request):
    changes, expected, relaxation = CASES[request.param]
    case = scenario(changes)
    return case, find_conflict(case, time_limit=30), expected, relaxation


def test_the_scenario_really_has_no_plan(diagnosed):
    case, *_ = diagnosed
    assert solve(case, QUICK).plan is None


def test_diagnosis_names_exactly_the_conflicting_requirements(diagnosed):
    _, diagnosis, expected, _ = diagnosed
    assert diagnosis.feasible is False
    assert {str(r.key) for r in diagnosis.conflict} == expected
    assert diagnosis.minimal


def test_each_requirement_of_the_conflict_has_a_path_and_a_sentence(diagnosed):
    case, diagnosis, *_ = diagnosed
    for requirement in diagnosis.conflict:
        assert re.split(r"[.\[]", requirement.path)[0] in {"requirements", "limits", "lodging", "lecturers"}
        assert requirement.sentence


def test_suggested_relaxation_is_the_smallest_and_gives_a_checked_plan(diagnosed):
    """The change found is the smallest; where the old value is not next to it, the value next to
    it is proven to give no plan (with two values side by side the conflict itself proves it)."""
    case, diagnosis, _, relaxation = diagnosed
    found = suggest_relaxations(
        case,
        diagnosis.conflict,
        lambda s: solve(s, QUICK).plan is not None,
        60,
        is_impossible=lambda s: proves_no_plan(s, 10),
    )
    if relaxation is None:
        assert all(r.new is None for r in found)
        return
    path, value, *tighter = relaxation
    chosen = next(r for r in found if r.path == path)
    assert chosen.new == value
    assert chosen.tighter == (tighter[0] if tighter else None)
    if chosen.tighter is not None:
        assert f"with {chosen.tighter} there is no plan" in str(chosen)
    relaxed = with_relaxation(case, chosen)
    result = solve(relaxed, QUICK)
    assert result.plan is not None
    assert check(relaxed, result.plan) == []


def test_a_relaxation_not_proven_smallest_claims_nothing_more():
    case = scenario(CASES["coach-limit"][0])
    conflict = find_conflict(case, time_limit=30).conflict
    found = suggest_relaxations(
        case, conflict, lambda s: solve(s, QUICK).plan is not None, 60, is_impossible=lambda s: False
    )
    chosen = next(r for r in found if r.path == "limits.max_coach_minutes_per_day")
    assert chosen.new == 302 and chosen.tighter is None
    assert str(chosen) == "change limits.max_coach_minutes_per_day from 200 to 302"


def test_the_number_of_different_causes_is_at_least_eight():
    assert len(CASES) >= 8


def test_dropping_any_one_requirement_of_the_conflict_gives_a_checked_plan(diagnosed):
    """Minimality, checked on the scenario itself: each requirement of the conflict dropped
    (``without``), the rest of the scenario as written has a plan that the checker passes."""
    case, diagnosis, *_ = diagnosed
    assert_each_requirement_is_needed(case, diagnosis.conflict)


def assert_each_requirement_is_needed(case: Scenario, conflict) -> None:
    for requirement in conflict:
        dropped = without(case, {requirement.key})
        result = solve(dropped, QUICK)
        assert result.plan is not None, requirement.key
        assert check(dropped, result.plan) == []
        assert check(case, result.plan) != [], f"{requirement.key}: the plan should break the dropped requirement"


@pytest.fixture(scope="module", params=list(CASES))
def diagnosed_fixed(request):
    """The same cases with the switches only ever fixed: no assumption, so no check names a
    smaller conflict; the whole set is proven to conflict, the groups it does not need are
    dropped (QuickXplain), then single requirements (the deletion filter)."""
    changes, expected, _ = CASES[request.param]
    case = scenario(changes)
    return case, find_conflict(case, time_limit=30, assume=False), expected


def test_with_fixed_switches_alone_the_diagnosis_names_exactly_the_conflict(diagnosed_fixed):
    case, diagnosis, expected = diagnosed_fixed
    assert diagnosis.feasible is False
    assert {str(r.key) for r in diagnosis.conflict} == expected
    assert diagnosis.minimal
    assert diagnosis.checks == diagnosis.fixed_checks > 0  # no check assumed the switches
    assert_each_requirement_is_needed(case, diagnosis.conflict)


@pytest.mark.parametrize("assume", [True, False])
def test_the_fallback_keeps_the_groups_needed_then_assumes_within_them(assume):
    """The fallback for a scenario whose first checks stay undecided, called directly: proven
    to conflict with the switches fixed, the lecturers' and the limits' groups dropped; then,
    where assumptions are allowed, a check assuming only the class's switches names the core."""
    changes, expected, _ = CASES["visits-per-day"]
    prover = Prover(scenario(changes), 2, 0, Deadline(30), assume=assume)
    verdict = fixed_conflict(list(prover.checker(timed=True).requirements), prover)
    assert verdict.feasible is False
    class_group = {str(key) for key in prover.checker(timed=True).requirements if key.class_id == "c1"}
    assert set(map(str, verdict.core)) == (expected if assume else class_group)


def test_a_fixed_check_proves_only_the_set_fixed_and_frees_the_switches_after():
    changes, expected, _ = CASES["visits-per-day"]
    checker = Checker(scenario(changes), 2, 0)
    verdict = checker.solve(keys(sorted(expected)), 5, fixed=True)
    assert (verdict.feasible, set(map(str, verdict.core))) == (False, expected)  # the whole set: no core
    # the limit's switch was on for that check; were it still fixed, this would conflict
    assert checker.solve(keys(["must_visit(class=c1,site=x)", "must_visit(class=c1,site=y)"]), 5, fixed=True).feasible
    assert all(
        list(checker.model.proto.variables[lit.index].domain) == [0, 1] for _, lit in checker.requirements.values()
    )


def test_requirements_are_grouped_by_class_lecturers_lodging_and_limits():
    names = [
        "lodging_capacity(place=base)",
        "must_visit(class=c1,site=x)",
        "max_sessions(lecturer=li)",
        "must_visit(class=c2,site=x)",
        "max_visits_per_day(class=c1)",
        "lecturer_max_travel_minutes",
        "coach(limits.max_coach_minutes_per_day)",
        "max_teaching_minutes_per_day",
    ]
    assert [tuple(map(str, group)) for group in requirement_groups(keys(names))] == [
        ("lodging_capacity(place=base)",),
        ("must_visit(class=c1,site=x)", "max_visits_per_day(class=c1)"),
        ("max_sessions(lecturer=li)", "lecturer_max_travel_minutes"),
        ("must_visit(class=c2,site=x)",),
        ("coach(limits.max_coach_minutes_per_day)", "max_teaching_minutes_per_day"),
    ]


GROUPS = [("a",), ("b", "c"), ("d",), ("e",), ("f",), ("g",), ("h",), ("i",)]


@pytest.mark.parametrize(
    ("needed", "kept", "most_checks"),
    [
        ({"c"}, [("b", "c")], 4),  # within one group (a class's): 2 log2(8) checks, not 8
        ({"c", "f"}, [("b", "c"), ("f",)], 7),
        ({"a", "b", "d", "e", "f", "g", "h", "i"}, GROUPS, 14),  # every group: dearer than a deletion filter
    ],
)
def test_quickxplain_keeps_exactly_the_groups_the_conflict_needs(needed, kept, most_checks):
    asked: list[list[str]] = []

    def conflicts(keys: list[str]) -> bool:  # a set conflicts when it holds every key needed
        asked.append(keys)
        return needed <= set(keys)

    assert sorted(quickxplain(GROUPS, conflicts)) == sorted(kept)
    assert len(asked) <= most_checks


def test_quickxplain_keeps_a_group_it_could_not_decide_and_still_names_a_conflict():
    def conflicts(keys: list[str]) -> bool:  # sets of four keys or fewer are left undecided
        return {"c", "f"} <= set(keys) and len(keys) > 4

    kept = {key for group in quickxplain(GROUPS, conflicts) for key in group}
    assert {"c", "f"} <= kept
    assert kept != {"b", "c", "f"}  # not minimal: an undecided check kept a group


def test_deletion_filter_drops_a_requirement_the_conflict_does_not_need():
    changes, expected, _ = CASES["visits-per-day"]
    case = scenario(changes)
    prover = Prover(case, 2, 0, Deadline(30))
    extra = "coach(limits.max_coach_minutes_per_day)"
    core, minimal = shrink_core(keys([extra, *sorted(expected)]), prover)
    assert set(map(str, core)) == expected
    assert minimal


def test_a_set_inside_one_known_to_hold_is_not_checked_again():
    changes, expected, _ = CASES["visits-per-day"]
    prover = Prover(scenario(changes), 2, 0, Deadline(30))
    prover.feasible_sets.append(frozenset(keys(expected - {"max_visits_per_day(class=c1)"})))
    assert prover.trial(keys(["must_visit(class=c1,site=x)"])).feasible is True
    assert (prover.checks, prover.plans) == (0, 0)
    assert prover.trial(keys(["must_visit(class=c1,site=y)", "max_visits_per_day(class=c1)"])).feasible is True
    assert (prover.checks, prover.plans) == (0, 1)  # proven by a quick plan, not a model check


def test_quick_plan_finds_a_plan_only_where_one_exists():
    assert quick_plan(scenario(require(must_visit=["x"])), 5)
    assert not quick_plan(scenario(CASES["visits-per-day"][0]), 5)


def test_feasible_scenario_is_diagnosed_feasible():
    assert find_conflict(scenario(require(must_visit=["x"])), time_limit=10).feasible is True


def test_command_prints_the_conflict_with_lines_and_a_relaxation(tmp_path):
    changes, *_ = CASES["visits-per-day"]
    path = tmp_path / "two-visits-one-day.yaml"
    path.write_text(yaml.safe_dump(with_changes(BASE, changes), allow_unicode=True), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "solve.py", str(path), "--time-limit", "10", "--lang", "en"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "cannot all be met together" in done.stderr
    assert re.search(rf"{re.escape(str(path))}:\d+: requirements.default.max_visits_per_day: ", done.stderr)
    assert re.search(rf"{re.escape(str(path))}:\d+: requirements.default.must_visit: ", done.stderr)
    assert "change requirements.default.max_visits_per_day from 1 to 2" in done.stderr
