"""Changing a plan through the running workbench, without a browser: a lecturer away and a site
closed are re-planned with the fewest changes, each kept plan is checked and keeps the change,
and changes that an edit of the scenario no longer fits are said so, with undo."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from workbench_helpers import SCENARIO, Running

from scheduler.analysis.check import check
from scheduler.plan.export import plan_from_json
from scheduler.scenario.loading import load_scenario


def _state(workbench: Running) -> dict[str, Any]:
    return json.loads(next(workbench.folder.glob(".workbench/*/state.json")).read_text(encoding="utf-8"))


def _plan(path: str):
    return plan_from_json(json.loads(Path(path).read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def planned(workbench: Running) -> Running:
    status, _ = workbench.post(f"solve?f={SCENARIO}", {"csrf": workbench.token, "time_limit": "5"})
    assert status == 200
    assert workbench.wait_job()["result"]["plan"]
    return workbench


def test_a_lecturer_away_is_replanned_and_kept(planned: Running):
    fields = {"csrf": planned.token, "kind": "away", "lecturer": "lect_org", "date": "2019-09-07", "part": "am"}
    status, _ = planned.post(f"change?f={SCENARIO}", fields)
    assert status == 200
    job = planned.wait_job()
    assert job["kind"] == "replan" and job["result"]["plan"], job
    current = _state(planned)["history"][-1]
    assert current["changes"] == [{"kind": "away", "lecturer": "lect_org", "date": "2019-09-07", "part": "am"}]
    plan_file = Path(current["plan"])
    scenario = load_scenario(plan_file.with_name(f"{plan_file.stem}-what-if.yaml"))  # what the re-plan read
    assert [a.date for a in scenario.lecturer_away("lect_org")] == [dt.date(2019, 9, 7)]
    plan = _plan(current["plan"])
    assert check(scenario, plan) == []
    assert not [
        e for e in plan.events if e.lecturer == "lect_org" and str(e.date) == "2019-09-07" and e.start < 12 * 60
    ]
    status, body = planned.get(f"plan?f={SCENARIO}&lang=en")
    assert b"is away on 09-07 Sat (morning)" in body and b'id="who"' in body


def test_a_site_closed_on_top_of_it_is_replanned(planned: Running):
    before = _plan(_state(planned)["history"][-1]["plan"])
    day = next(str(e.date) for e in before.events if e.site == "wanyi")
    status, _ = planned.post(
        f"change?f={SCENARIO}", {"csrf": planned.token, "kind": "close", "site": "wanyi", "date": day}
    )
    assert status == 200
    assert planned.wait_job()["result"]["plan"]
    history = _state(planned)["history"]
    assert len(history) == 3 and len(history[-1]["changes"]) == 2
    plan = _plan(history[-1]["plan"])
    assert not [e for e in plan.events if e.site == "wanyi" and str(e.date) == day]
    assert "wanyi" in " ".join(history[-1]["diff"]["audience"]["sites"]).lower() or history[-1]["diff"]["rows"]


def test_changes_an_edit_no_longer_fits_are_said_and_undone(planned: Running):
    path = planned.folder / SCENARIO
    original = path.read_text(encoding="utf-8")
    path.write_text(
        original.replace("{id: wanyi, place: wanyi", "{id: wanyi2, place: wanyi").replace(
            "[huershan, wanyi]", "[huershan, wanyi2]"
        ),
        encoding="utf-8",
    )
    try:
        status, body = planned.get(f"plan?f={SCENARIO}&lang=en")
        assert status == 200
        assert b"no longer fit the scenario" in body and b"no site &#39;wanyi&#39;" in body
        assert b'id="overview"' not in body and b'id="undo"' in body
        status, _ = planned.post(f"undo?f={SCENARIO}", {"csrf": planned.token})
        assert status == 200
        assert len(_state(planned)["history"]) == 2
    finally:
        path.write_text(original, encoding="utf-8")
    status, body = planned.get(f"plan?f={SCENARIO}&lang=en")
    assert b'id="overview"' in body and b"is away on 09-07 Sat (morning)" in body
