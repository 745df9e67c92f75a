"""The command as a user runs it: a small scenario planned, checked, printed and exported."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from helpers import ROOT, run_solve_py


def test_small_scenario_prints_itinerary_figures_and_solver_line(tmp_path):
    out = tmp_path / "plan.json"
    done = run_solve_py("scenarios/weekend-two-classes.yaml", "--time-limit", "20", "--json", str(out))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "现场教学 Field visit" in done.stdout  # bilingual activity labels
    assert "Figures 指标" in done.stdout
    assert "solver: optimal" in done.stdout
    assert "reproducible, one worker a search, seed 0" in done.stdout  # the default at this size
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"].startswith("training-itinerary/")
    assert {e["kind"] for e in data["events"]} >= {"field_visit", "travel", "meal", "lecture"}
    assert data["solver"]["status"] == "optimal"


def test_json_to_stdout_stays_valid_json():
    done = run_solve_py("scenarios/day-trip-one-class.yaml", "--time-limit", "10", "--json", "-")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["events"]
    # a programme this small is planned reproducibly unless asked otherwise
    assert data["solver"]["reproducible"] is True


def test_free_asks_for_free_running_workers_and_excludes_reproducible():
    done = run_solve_py("scenarios/day-trip-one-class.yaml", "--time-limit", "10", "--free", "--json", "-")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["solver"]["reproducible"] is False
    both = run_solve_py("scenarios/day-trip-one-class.yaml", "--free", "--reproducible")
    assert both.returncode == 2
    assert "not allowed with argument" in both.stderr and "Traceback" not in both.stderr


def test_impossible_scenario_exits_1_and_names_the_requirement(tmp_path):
    import yaml

    raw = yaml.safe_load((ROOT / "scenarios" / "day-trip-one-class.yaml").read_text(encoding="utf-8"))
    raw["requirements"]["default"]["min_seminar_class_hours"] = 40
    bad = tmp_path / "impossible.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    done = run_solve_py(str(bad), "--time-limit", "5")
    assert done.returncode == 1
    assert "min_seminar_class_hours" in done.stderr
    assert "Traceback" not in done.stderr


def test_schema_is_json():
    done = run_solve_py("--schema")
    assert done.returncode == 0
    assert json.loads(done.stdout)["title"]


def test_ctrl_c_stops_cleanly_with_the_best_plan_so_far(tmp_path):
    """SIGINT mid-solve: exit 0, a checked plan printed and written, marked as interrupted."""
    import signal
    import time

    out = tmp_path / "plan.json"
    process = subprocess.Popen(
        [sys.executable, "solve.py", "scenarios/dalian-2019.yaml", "--time-limit", "120", "--json", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    time.sleep(12)  # the first plan comes within a few seconds
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert "interrupted: best plan so far" in stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["solver"]["interrupted"] is True
    assert data["solver"]["status"] == "feasible"


def test_explain_breaks_the_objective_down_by_goal_and_class(tmp_path):
    plan = tmp_path / "plan.json"
    done = run_solve_py(
        "scenarios/weekend-two-classes.yaml", "--time-limit", "10", "--quiet", "--explain", "--json", str(plan)
    )
    assert done.returncode == 0, done.stderr
    assert "Objective 目标分解" in done.stdout
    assert "车程 Coach minutes" in done.stdout
    assert "Binding requirements and limits" in done.stdout
    assert re.search(r"主题契合 Theme fit better by 30: costs 车程 Coach minutes \+\d+", done.stdout)
    total = re.search(r"合计 Total\s*│.*│\s*(-?\d+)\s*│\s*$", done.stdout, re.M)
    objective = re.search(r"objective (-?\d+)", done.stdout)
    assert total and objective and total.group(1) == objective.group(1)
    # what an organiser would otherwise fix by hand, in words, with the plan's own figures
    summary = json.loads(plan.read_text(encoding="utf-8"))["realism"]["summary"]
    assert "Ready to print? 实用性" in done.stdout
    assert f"free time shown (自由活动): {summary['free_time_blocks']} blocks" in done.stdout
    assert f"class-days without a programme: {summary['empty_days']}" in done.stdout
