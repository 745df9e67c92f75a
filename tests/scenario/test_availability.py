"""Lecturers' availability as people say it: ranges of dates, weekdays, half-days, and the times
they are free (``available``), expanded over the programme by ``Scenario.lecturer_away``; in
the scenario file as in variants; kept by the solver and the checker."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import with_changes
from pydantic import ValidationError

from scheduler.analysis.check import check
from scheduler.scenario.model import Scenario, Unavailability
from scheduler.solver import SolveOptions, solve

MONDAY, TUESDAY, WEDNESDAY = dt.date(2025, 5, 12), dt.date(2025, 5, 13), dt.date(2025, 5, 14)


def scenario_with(rules_base, **lecturer_fields) -> Scenario:
    lee = {"id": "lee", "name_en": "Lee", "topics": ["policy"], "home": "base", **lecturer_fields}
    changes = {
        "programme": {"days": 3},
        "requirements": {"default": {"lectures": {"policy": 1}}},
        "lecturers": [lee],
    }
    return Scenario.model_validate(with_changes(rules_base, changes))


def windows(scenario: Scenario) -> list[tuple[dt.date, tuple[int, int]]]:
    return [(a.date, a.window()) for a in scenario.lecturer_away("lee")]


def test_ranges_weekdays_and_half_days_are_expanded_over_the_programme(rules_base):
    scenario = scenario_with(
        rules_base,
        unavailable=[
            {"from": "2025-05-13", "until": "2025-05-20"},  # Tuesday on: two days of the programme
            {"weekdays": ["mon"], "part": "pm"},  # Monday afternoons
        ],
    )
    assert windows(scenario) == [
        (MONDAY, (12 * 60, 24 * 60)),
        (TUESDAY, (0, 24 * 60)),
        (WEDNESDAY, (0, 24 * 60)),
    ]


def test_available_means_away_at_every_other_time(rules_base):
    scenario = scenario_with(rules_base, available=[{"weekdays": ["tue"], "part": "am"}])
    assert windows(scenario) == [
        (MONDAY, (0, 24 * 60)),
        (TUESDAY, (12 * 60, 24 * 60)),
        (WEDNESDAY, (0, 24 * 60)),
    ]


def test_the_lecture_falls_when_the_lecturer_is_free_and_the_checker_holds_to_it(rules_base):
    scenario = scenario_with(rules_base, available=[{"weekdays": ["tue"], "part": "am"}])
    plan = solve(scenario, SolveOptions(time_limit=10, workers=1, seed=0)).plan
    assert plan is not None and check(scenario, plan) == []
    (lecture,) = [e for e in plan.events if e.kind == "lecture"]
    assert lecture.date == TUESDAY and lecture.end <= 12 * 60
    moved = type(plan)(
        tuple(e if e is not lecture else type(e)(**{**e.__dict__, "date": WEDNESDAY}) for e in plan.events),
        plan.nights,
    )
    assert any(v.rule == "lecturer available" and "lee" in str(v) for v in check(scenario, moved))


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ({"from": "2025-05-13"}, "only one of from and until"),
        ({"from": "2025-05-14", "until": "2025-05-13"}, "is before from"),
        ({"date": "2025-05-13", "weekdays": ["tue"]}, "a date with a range or weekdays"),
        ({"part": "am"}, "no date, range or weekdays"),
        ({"date": "2025-05-13", "part": "am", "start": "08:00", "end": "09:00"}, "both part and start/end"),
        ({"date": "2025-05-13", "part": "noon"}, "String should match pattern"),
    ],
)
def test_an_entry_that_says_no_time_or_two_is_refused(entry, words):
    with pytest.raises(ValidationError, match=words):
        Unavailability.model_validate(entry)


def test_a_variant_says_it_the_same_way(tmp_path):
    from helpers import ROOT

    from scheduler.scenario.loading import load_scenario

    variant = tmp_path / "sunday-mornings.yaml"
    variant.write_text(
        f"extends: {ROOT / 'scenarios' / 'weekend-two-classes.yaml'}\n"
        "changes:\n"
        "  - lecturer_unavailable:\n"
        "      {lecturer: lect_org, from: 2019-09-07, until: 2019-09-08, weekdays: [sun], part: am}\n",
        encoding="utf-8",
    )
    scenario = load_scenario(variant)
    assert [(a.date, a.window()) for a in scenario.lecturer_away("lect_org")] == [(dt.date(2019, 9, 8), (0, 12 * 60))]
