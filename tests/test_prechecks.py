"""Pre-checks: requirements that the data alone shows to be impossible, each named with the
scenario path it comes from (the command adds the file and line)."""

from __future__ import annotations

import pytest
from helpers import LECTURER, read_data, require, with_changes

from scheduler.scenario import Scenario
from scheduler.solver.prechecks import find_obstacles

BASE = read_data("rules/base.yaml")
SECOND_CLASS = {
    "id": "c2",
    "name_en": "Class 2",
    "theme": "t",
    "trainees": 30,
    "base": "base",
    "professor": {"id": "p2", "name_en": "Prof. Two"},
}


CASES = [
    # site x is open on Sundays only; the programme is one Monday
    (
        with_changes(require(must_visit=["x"]), {"sites": [{"id": "x", "open_weekdays": ["sun"]}]}),
        "requirements.default.must_visit",
        "x",
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
    # the only lodging is 180 minutes away and the coach drives at most 100
    (
        with_changes(
            {"programme": {"days": 2}, "lodging": [{"place": "far"}], "limits": {"max_coach_minutes_per_day": 100}}, {}
        ),
        "lodging",
        "no lodging",
    ),
]


@pytest.mark.parametrize(("changes", "path", "words"), CASES, ids=[c[1] + ":" + c[2] for c in CASES])
def test_obstacle_is_named_with_its_path(changes, path, words):
    obstacles = find_obstacles(Scenario.model_validate(with_changes(BASE, changes)))
    assert [o.path for o in obstacles] == [path], [str(o) for o in obstacles]
    assert words in obstacles[0].message


def test_a_satisfiable_scenario_has_no_obstacle():
    assert find_obstacles(Scenario.model_validate(with_changes(BASE, require(must_visit=["x"])))) == []
