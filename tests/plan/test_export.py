"""The JSON export: a faithful round trip, readable Chinese, and atomic writes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import SCENARIO, VALID  # the hand-made valid plan for data/check-tiny.yaml

from scheduler.plan.export import SCHEMA, plan_from_json, result_to_json, write_json
from scheduler.plan.figures import class_figures, lecturer_loads
from scheduler.plan.model import Result, SolverStats, SolveStatus

STATS = SolverStats(
    status=SolveStatus.FEASIBLE,
    objective=120.0,
    best_bound=100.0,
    seconds=3.5,
    first_plan_seconds=0.4,
    plans_found=7,
    workers=8,
    seed=1,
    time_limit=10.0,
)
RESULT = Result(stats=STATS, plan=VALID, objective_terms={"coach_minutes(class=economy,day=1)": 55})


@pytest.fixture(scope="module")
def data() -> dict:
    return result_to_json(SCENARIO, RESULT)


def test_round_trip_reproduces_the_plan(data: dict):
    through_text = json.loads(json.dumps(data, ensure_ascii=False))
    assert plan_from_json(through_text) == VALID


def test_the_format_has_its_sections(data: dict):
    assert data["schema"] == SCHEMA
    assert data["programme"]["first_date"] == "2019-08-26"
    assert data["programme"]["days"] == 2
    assert data["solver"]["status"] == "feasible"
    # measured against the plan's terms (here one, 55), not the objective
    assert data["solver"]["scale"] == 55
    assert data["solver"]["gap"] == pytest.approx(20 / 55)
    assert data["objective_terms"] == {"coach_minutes(class=economy,day=1)": 55}
    assert data["definitions"]["minutes_per_class_hour"] == 45
    assert [c["id"] for c in data["classes"]] == ["economy", "urban"]
    assert data["classes"][1]["start_place"] == "jinpu"
    assert data["kpis"]["economy"] == class_figures(SCENARIO, VALID)["economy"].to_dict()
    assert data["lecturer_loads"] == lecturer_loads(SCENARIO, VALID) == {"li": 1, "sun": 1, "wu": 1, "zhao": 0}


def test_a_travel_event_carries_its_leg(data: dict):
    leg = next(e for e in data["events"] if e["kind"] == "travel" and e["to"] == "jinpu")
    assert leg == {
        "class": "economy",
        "date": "2019-08-27",
        "day": 2,
        "start": "13:00",
        "end": "14:35",
        "kind": "travel",
        "place": "lushun",
        "from": "lushun",
        "to": "jinpu",
        "driving_minutes": 80,
        "rest_minutes": 15,
        "km": 90.0,
        "minutes": 95,
    }


def test_the_figures_of_a_class(data: dict):
    economy = data["kpis"]["economy"]
    assert economy["sites_visited"] == ["guangyang_cnc", "lushun_prison"]
    assert (economy["field_minutes"], economy["teaching_minutes"]) == (150, 330)
    assert economy["seminar_class_hours"] == 2.0
    assert economy["coach_driving_minutes"] == 15 + 40 + 45 + 80
    assert economy["lectures_by_topic"] == {"policy": 1}
    assert data["kpis"]["urban"]["late_evenings"] == 1  # report writing until 22:00


def test_chinese_names_survive(tmp_path: Path, data: dict):
    target = tmp_path / "plan.json"
    write_json(target, data)
    text = target.read_text(encoding="utf-8")
    assert "金普新区" in text and "王教授" in text and "\\u" not in text
    assert json.loads(text)["programme"]["name_zh"] == "大连市年轻干部实践锻炼培训班(测试)"


def test_an_atomic_write_leaves_no_temporary_file(tmp_path: Path, data: dict):
    target = tmp_path / "plan.json"
    target.write_text("old", encoding="utf-8")
    write_json(target, data)
    assert os.listdir(tmp_path) == ["plan.json"]
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(json.dumps(data))


@pytest.mark.parametrize(
    "breakage",
    [
        # the data cannot be written: fails halfway through the temporary file
        pytest.param("unserialisable", id="bad-data"),
        # the final rename fails
        pytest.param("replace", id="rename-fails"),
    ],
)
def test_a_failing_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: dict, breakage: str
):
    target = tmp_path / "plan.json"
    target.write_text("old", encoding="utf-8")
    if breakage == "replace":

        def fail(*_args: object) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(os, "replace", fail)
        payload = data
    else:
        payload = {**data, "extra": object()}
    with pytest.raises((OSError, TypeError)):
        write_json(target, payload)
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["plan.json"]


def test_dash_writes_to_stdout(capsys: pytest.CaptureFixture[str], data: dict):
    write_json("-", data)
    assert json.loads(capsys.readouterr().out)["schema"] == SCHEMA


def test_a_result_without_a_plan(data: dict):
    empty = result_to_json(SCENARIO, Result(stats=SolverStats(SolveStatus.INFEASIBLE, None, None, 1.0), plan=None))
    assert (empty["events"], empty["nights"], empty["kpis"]) == ([], [], {})
    assert empty["solver"]["gap"] is None
    with pytest.raises(ValueError, match="infeasible"):
        plan_from_json(empty)


def test_another_format_is_refused(data: dict):
    with pytest.raises(ValueError, match="schema"):
        plan_from_json({**data, "schema": "something-else/2"})
