"""Pre-checks: requirements that the data alone shows to be impossible, each named with the
scenario path it comes from (the command adds the file and line)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from helpers import LECTURER, ROOT, SECOND_CLASS, read_data, require, with_changes

from scheduler.analysis.check import check
from scheduler.scenario.loading import load_scenario, locator
from scheduler.scenario.model import Scenario
from scheduler.solver import SolveOptions, solve
from scheduler.solver.diagnosis.prechecks import find_obstacles, find_warnings

BASE = read_data("rules/base.yaml")
QUICK = SolveOptions(time_limit=5, workers=2, seed=0)


CASES = [
    # site x is open on Sundays only; the programme is one Monday
    (
        with_changes(require(must_visit=["x"]), {"sites": [{"id": "x", "open_weekdays": ["sun"]}]}),
        "requirements.default.must_visit",
        "x, but it is closed on every day of the programme (open sun)",
    ),
    # a lecture on economy, which nobody teaches
    (
        with_changes(require(lectures={"economy": 1}), {"lecturers": [LECTURER]}),
        "requirements.default.lectures",
        "economy",
    ),
    # the only lecturer on policy is away all week
    (
        with_changes(
            require(lectures={"policy": 1}), {"lecturers": [{**LECTURER, "unavailable": [{"date": "2025-05-12"}]}]}
        ),
        "requirements.default.lectures",
        "away",
    ),
    # four seminar class hours, one evening of at most three
    (require(min_seminar_class_hours=4), "requirements.default.min_seminar_class_hours", "3"),
    # seminars and report writing beyond the evening and the late hours together
    (
        require(min_seminar_class_hours=3, min_report_writing_class_hours=2),
        "requirements.default.min_report_writing_class_hours",
        "report writing",
    ),
    # 80% field teaching against a 90-minute lecture needs 6 hours of visits; 3 are in reach
    (
        with_changes(require(min_field_share=0.8, lectures={"policy": 1}), {"lecturers": [LECTURER]}),
        "requirements.default.min_field_share",
        "80%",
    ),
    # a lecture and two seminar class hours against 120 minutes of teaching a day
    (
        with_changes(
            require(min_seminar_class_hours=2, lectures={"policy": 1}),
            {"lecturers": [LECTURER], "limits": {"max_teaching_minutes_per_day": 120}},
        ),
        "limits.max_teaching_minutes_per_day",
        "180",
    ),
    # two classes, one night, room for one
    (with_changes({"programme": {"days": 2}, "classes": [SECOND_CLASS]}, {}), "lodging", "2 classes"),
    # the only lodging is 155 minutes away (by town: 90 + 65) and the coach drives at most 100
    (
        with_changes(
            {"programme": {"days": 2}, "lodging": [{"place": "far"}], "limits": {"max_coach_minutes_per_day": 100}}, {}
        ),
        "lodging",
        "the nearest, far, is 155 minutes' drive from base",
    ),
    # the only lodging is reachable on day 1 (155 of 200 minutes) but day 2 allows only 100 back to base
    (
        {
            "programme": {"days": 2, "day_overrides": [{"day": 2, "max_coach_minutes": 100}]},
            "lodging": [{"place": "far"}],
            "limits": {"max_coach_minutes_per_day": 200},
        },
        "lodging",
        "on to base the next day is 155 minutes (far to base), against 100 (programme.day_overrides[day 2]",
    ),
    # two classes, room for one at the base and one at far, but far is 155 minutes away and the coach drives 100
    (
        {
            "programme": {"days": 2},
            "classes": [SECOND_CLASS],
            "lodging": [{"place": "base"}, {"place": "far"}],
            "limits": {"max_coach_minutes_per_day": 100},
        },
        "lodging",
        "within a day's drive (base) for only 1",
    ),
    # must-visit w: the least driving by it is base-base2-w and back, 300 minutes, against 200
    (
        with_changes(require(must_visit=["w"]), {"limits": {"max_coach_minutes_per_day": 200}}),
        "requirements.default.must_visit",
        "beyond a day's drive: on the days it is open the least driving of a day by it is 300 minutes "
        "(base to w to base on 2025-05-12), against 200 (limits.max_coach_minutes_per_day)",
    ),
    # the same through the first day's override: the limit named is the override's
    (
        with_changes(
            require(must_visit=["w"]), {"programme": {"day_overrides": [{"day": 1, "max_coach_minutes": 200}]}}
        ),
        "requirements.default.must_visit",
        "against 200 (programme.day_overrides[day 1].max_coach_minutes)",
    ),
    # x is within a drive but opens at 08:30, 30 minutes away, and the class must be back by 09:00
    (
        with_changes(require(must_visit=["x"]), {"limits": {"latest_return": "09:00"}}),
        "requirements.default.must_visit",
        "its opening hours (08:30-17:30) and the latest return leave no time",
    ),
]


@pytest.mark.parametrize(("changes", "path", "words"), CASES, ids=[c[1] + ":" + c[2] for c in CASES])
def test_obstacle_is_named_with_its_path(changes, path, words):
    obstacles = find_obstacles(Scenario.model_validate(with_changes(BASE, changes)))
    assert [o.path for o in obstacles] == [path], [str(o) for o in obstacles]
    assert words in obstacles[0].message


def test_a_satisfiable_scenario_has_no_obstacle():
    assert find_obstacles(Scenario.model_validate(with_changes(BASE, require(must_visit=["x"])))) == []


WARNINGS = [
    # optional site w: the least driving by it is 300 minutes, against 200 (the class visits x, y, z instead)
    (
        {"limits": {"max_coach_minutes_per_day": 200}},
        "sites[w]",
        "site w can never be visited: it is beyond a day's drive: on the days it is open the least driving of a "
        "day by it is 300 minutes",
    ),
    # optional site x is closed on the programme's only day
    ({"sites": [{"id": "x", "closed_dates": ["2025-05-12"]}]}, "sites[x]", "closed on 1 of its dates"),
    # lodging at far is 155 minutes away (by town); the coach drives at most 100 (the class sleeps at the base)
    (
        {
            "programme": {"days": 2},
            "lodging": [{"place": "base"}, {"place": "far"}],
            "limits": {"max_coach_minutes_per_day": 100},
            **require(never_visit=["w"]),  # w, out of reach too, is not this row's point
        },
        "lodging[far]",
        "lodging at far can never be used: on the night of 2025-05-12 class c1 would drive at least 155 minutes "
        "to it from base, against 100 (limits.max_coach_minutes_per_day)",
    ),
    # far can be reached on day 1 (200 allowed) but not left on day 2 (100 allowed)
    (
        {
            "programme": {"days": 2, "day_overrides": [{"day": 2, "max_coach_minutes": 100}]},
            "lodging": [{"place": "base"}, {"place": "far"}],
            "limits": {"max_coach_minutes_per_day": 200},
            **require(never_visit=["w"]),
        },
        "lodging[far]",
        "class c1 could reach it, but the next day it would drive at least 155 minutes from it to base, "
        "against 100 (programme.day_overrides[day 2].max_coach_minutes)",
    ),
]


@pytest.fixture(scope="module", params=WARNINGS, ids=[w[1] + ":" + w[2][:30] for w in WARNINGS])
def warned(request):
    changes, path, words = request.param
    return with_changes(BASE, changes), path, words


def test_an_unusable_site_or_lodging_is_a_warning_with_its_path(warned):
    data, path, words = warned
    scenario = Scenario.model_validate(data)
    warnings = find_warnings(scenario)
    assert [(w.path, w.severity) for w in warnings] == [(path, "warning")], [str(w) for w in warnings]
    assert words in warnings[0].message
    assert find_obstacles(scenario) == []


def test_a_scenario_with_only_warnings_still_has_a_checked_plan(warned):
    data, *_ = warned
    scenario = Scenario.model_validate(data)
    result = solve(scenario, QUICK)
    assert result.plan is not None
    assert check(scenario, result.plan) == []


def test_a_warning_is_located_at_the_line_of_its_site(tmp_path):
    path = tmp_path / "far-site.yaml"
    path.write_text(
        yaml.safe_dump(with_changes(BASE, WARNINGS[0][0]), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    (warning,) = find_warnings(load_scenario(path))
    lines = path.read_text().splitlines()
    sites = lines.index("sites:")
    line = next(n for n, text in enumerate(lines[sites:], sites + 1) if text.strip() == "- id: w")  # not place w
    assert locator(path)(warning.path, warning.message).startswith(f"{path}:{line}: sites[w]: site w can never")


def test_an_error_names_the_day_override_it_breaks_at_its_line(tmp_path):
    changes = CASES[-2][0]
    path = tmp_path / "override.yaml"
    path.write_text(yaml.safe_dump(with_changes(BASE, changes), sort_keys=False), encoding="utf-8")
    (obstacle,) = find_obstacles(load_scenario(path))
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.strip() == "must_visit:")
    assert locator(path)(obstacle.path, obstacle.message).startswith(f"{path}:{line}: requirements.default.must_visit:")
    assert obstacle.severity == "error"


def test_no_warning_for_a_site_every_class_excludes():
    changes = with_changes(require(never_visit=["w"]), {"limits": {"max_coach_minutes_per_day": 200}})
    assert find_warnings(Scenario.model_validate(with_changes(BASE, changes))) == []


def test_no_warning_when_everything_is_within_reach():
    assert find_warnings(Scenario.model_validate(with_changes(BASE, {"programme": {"days": 2}}))) == []


def test_the_command_prints_a_warning_with_its_line_and_still_plans(tmp_path):
    path = tmp_path / "far-site.yaml"
    path.write_text(
        yaml.safe_dump(with_changes(BASE, WARNINGS[0][0]), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "solve.py", str(path), "--time-limit", "5", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert f"warning: {path}:" in done.stderr and "sites[w]: site w can never" in done.stderr
