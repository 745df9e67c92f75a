"""``solve.py sweep`` and the engines under it: the weekend plan's every single disruption,
re-planned with least change in a local pool and on a real Dask cluster (a scheduler and two
workers on 127.0.0.1) give the same risk table; a worker killed mid-sweep still gives the whole
table; bad input (an unreachable cluster, a plan of another programme) is one line and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import DATA, ROOT

from scheduler.analysis.disruptions import KINDS, Disruption, disruptions
from scheduler.analysis.impact import Planned
from scheduler.analysis.risk import Ending, risk_table
from scheduler.plan.export import plan_from_json
from scheduler.runs.engine import DaskCluster, EngineError, LocalPool
from scheduler.runs.sweep import run_sweep
from scheduler.scenario.loading import load_scenario
from scheduler.solver.options import SolveOptions

WEEKEND = ROOT / "scenarios" / "weekend-two-classes.yaml"
OPTIONS = SolveOptions(time_limit=10.0)


def solve_py(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "solve.py", *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
        timeout=timeout,
    )  # fmt: skip


@pytest.fixture(scope="module")
def weekend_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The weekend's plan, solved once (reproducibly) and saved as JSON."""
    path = tmp_path_factory.mktemp("sweep") / "weekend.json"
    done = solve_py(str(WEEKEND), "--time-limit", "10", "--json", str(path))
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def base(weekend_plan: Path) -> Planned:
    data = json.loads(weekend_plan.read_text(encoding="utf-8"))
    return Planned(load_scenario(WEEKEND), plan_from_json(data), data["solver"]["objective"], data["objective_terms"])


@pytest.fixture(scope="module")
def local_table(base: Planned) -> list[dict]:
    with LocalPool(2) as engine:
        run = run_sweep(base, KINDS, engine, OPTIONS, diagnosis_seconds=5)
    assert not run.interrupted and run.engine_error is None
    return risk_table(base, run.outcomes, kinds=KINDS).table_json()


def test_every_single_disruption_is_listed_once_in_a_fixed_order(base: Planned):
    found = disruptions(base.scenario, base.plan, KINDS)
    lecturers, days = len(base.scenario.lecturers), base.scenario.programme.days
    visits = {(e.site, e.date) for e in base.plan.events if e.kind == "field_visit"}
    assert len(found) == lecturers * days + len(visits) + days + 1
    assert len({d.key for d in found}) == len(found)
    assert found == disruptions(base.scenario, base.plan, KINDS)
    assert disruptions(base.scenario, base.plan, ("site-closed",)) == [d for d in found if d.kind == "site-closed"]


def test_a_disruption_changes_exactly_what_it_says(base: Planned):
    scenario = base.scenario
    date = scenario.programme.first_date
    away = Disruption("lecturer-away", scenario.lecturers[0].id, date).apply(scenario)
    assert away.lecturer(scenario.lecturers[0].id).unavailable[-1].date == date
    assert away.sites == scenario.sites and away.limits == scenario.limits
    site = scenario.sites[0].id
    closed = Disruption("site-closed", site, date).apply(scenario)
    assert date in closed.site(site).closed_dates and closed.lecturers == scenario.lecturers
    lower = Disruption("coach-limit", None, None, 60).apply(scenario)
    for day in range(scenario.programme.days):
        assert lower.max_coach_minutes_on(day) == scenario.max_coach_minutes_on(day) - 60
    with pytest.raises(ValueError, match="no lecturer 'nobody'"):
        Disruption("lecturer-away", "nobody", date).apply(scenario)


def test_the_local_sweep_ranks_every_disruption(local_table: list[dict], base: Planned):
    assert len(local_table) == len(disruptions(base.scenario, base.plan, KINDS))
    endings = [row["ending"] for row in local_table]
    assert "not_run" not in endings and "failed" not in endings
    assert "unchanged" in endings and "replanned" in endings
    # ranked: re-planned disruptions by falling cost, those absorbed unchanged last
    replanned = [row["impact"]["objective_delta"] for row in local_table if row["ending"] == "replanned"]
    assert replanned == sorted(replanned, reverse=True)
    assert endings.index("unchanged") > max(i for i, e in enumerate(endings) if e == "replanned")
    for row in local_table:
        if row["ending"] == "unchanged":
            assert row["impact"]["events_changed"] == 0 and row["impact"]["people_told"] == 0
        if row["ending"] == "replanned":
            assert row["impact"]["events_changed"] + row["impact"]["nights_changed"] > 0
            assert row["impact"]["who_must_be_told"]["classes"]


def test_a_sweep_on_a_dask_cluster_gives_the_same_table_even_when_a_worker_dies(cluster, base, local_table):
    killed = []

    def kill_one(done: int, total: int, disruption: Disruption, outcome) -> None:
        if not killed:
            cluster.kill_worker(0)
            killed.append(done)

    with DaskCluster(cluster.address, connect_seconds=30) as engine:
        assert engine.workers() == 2
        run = run_sweep(base, KINDS, engine, OPTIONS, diagnosis_seconds=5, on_progress=kill_one)
        assert engine.workers() == 1
    assert killed == [1]
    assert not run.interrupted and run.engine_error is None
    table = risk_table(base, run.outcomes, kinds=KINDS).table_json()
    assert table == local_table


def test_an_unreachable_cluster_is_one_line_and_exit_2(weekend_plan: Path):
    with pytest.raises(EngineError, match="cannot reach a Dask scheduler at tcp://127.0.0.1:9"):
        DaskCluster("tcp://127.0.0.1:9", connect_seconds=1)
    done = solve_py(
        "sweep", str(weekend_plan), str(WEEKEND), "--cluster", "tcp://127.0.0.1:9", "--connect-timeout", "1"
    )
    assert done.returncode == 2, done.stderr
    assert "cannot reach a Dask scheduler at tcp://127.0.0.1:9" in done.stderr
    assert "Traceback" not in done.stderr
    done = solve_py(
        "sweep", str(weekend_plan), str(WEEKEND), "--cluster", "tcp://127.0.0.1:9", "--connect-timeout", "1",
        "--lang", "zh",
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        "solve.py sweep: 无法连接 tcp://127.0.0.1:9 上的 Dask 调度器（请检查地址，以及调度器是否在运行）"
    )


def test_a_plan_of_another_programme_is_refused(tmp_path: Path):
    done = solve_py("sweep", str(DATA / "dalian-plan.json"), str(WEEKEND))
    assert done.returncode == 2
    assert "is not a plan of" in done.stderr and "Traceback" not in done.stderr
    done = solve_py("sweep", str(DATA / "dalian-plan.json"), str(WEEKEND), "--kinds", "lecturer-gone")
    assert done.returncode == 2 and "--kinds 'lecturer-gone' is not a kind of disruption" in done.stderr


def test_the_command_writes_the_table_as_json_html_and_a_spreadsheet(weekend_plan: Path, tmp_path: Path):
    from openpyxl import load_workbook

    out = tmp_path / "risk"
    done = solve_py(
        "sweep", str(weekend_plan), str(WEEKEND), "--kinds", "site-closed", "--time-limit", "10", "--workers", "2",
        "--json", str(out / "risk.json"), "--html", str(out / "risk.html"), "--xlsx", str(out / "risk.xlsx"),
        "--lang", "en",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads((out / "risk.json").read_text(encoding="utf-8"))
    assert data["schema"] == "training-itinerary-risk/1" and data["complete"]
    assert {row["disruption"]["kind"] for row in data["rows"]} == {"site-closed"}
    assert "Risk table" in done.stdout and "re-planned" in done.stdout
    assert "[1/" in done.stderr and "left" in done.stderr  # progress with the time left
    page = (out / "risk.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and data["rows"][0]["what"] in page
    sheet = load_workbook(out / "risk.xlsx").active
    assert sheet.max_row == len(data["rows"]) + 1
    assert sheet.cell(2, 3).value == data["rows"][0]["what"]
    assert not list(out.glob(".*.tmp"))


def test_a_cluster_that_loses_every_worker_ends_the_sweep_with_what_it_has(cluster, base):
    def kill_all(done: int, total: int, disruption: Disruption, outcome) -> None:
        if done == 1:
            cluster.kill_worker(0)
            cluster.kill_worker(1)

    with DaskCluster(cluster.address, connect_seconds=30, worker_wait_seconds=2) as engine:
        run = run_sweep(base, KINDS, engine, OPTIONS, diagnosis_seconds=5, on_progress=kill_all)
    assert run.engine_error is not None and "has had no worker for 2 s" in run.engine_error
    assert "上的 Dask 集群已有2秒没有工作节点" in run.engine_error.in_language("zh")
    endings = [outcome.ending for _, _, outcome in run.outcomes]
    assert endings.count(Ending.NOT_RUN) >= 1 and len(endings) - endings.count(Ending.NOT_RUN) >= 1
