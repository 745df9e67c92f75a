"""The command as a user runs it: a small scenario planned, checked, printed and exported."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from helpers import ROOT, as_from_a_shell, run_solve_py, solve_py_on_a_terminal


def test_small_scenario_prints_itinerary_figures_and_solver_line(tmp_path):
    out = tmp_path / "plan.json"
    done = run_solve_py("scenarios/weekend-two-classes.yaml", "--time-limit", "20", "--json", str(out))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "Field visit" in done.stdout  # the programme's language: English
    assert "Figures per class" in done.stdout
    assert "solver: optimal" in done.stdout
    # the default at this size
    assert "reproducible, one worker a search, seed 0" in " ".join(done.stdout.split())
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
    """SIGINT mid-solve: exit 0, a checked plan printed and written, marked as interrupted. The
    programme is past the week bound's size, so nothing can prove its plan best and end the
    solve before the signal comes (Dalian is proven optimal within seconds)."""
    import signal
    import time

    out = tmp_path / "plan.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "solve.py",
            "bench/scenarios/gen-8x7.yaml",
            "--time-limit",
            "120",
            "--lang",
            "en",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        preexec_fn=as_from_a_shell,
    )
    time.sleep(12)  # the first plan comes within a few seconds
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert "interrupted: best plan so far" in " ".join(stdout.split())
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["solver"]["interrupted"] is True
    assert data["solver"]["status"] == "feasible"


def on_a_terminal(*args: str, columns: int = 80) -> str:
    """What a user sees of ``solve.py ARGS`` on a terminal ``columns`` wide (a pseudo-terminal):
    its standard output, without the terminal's colour codes."""
    return solve_py_on_a_terminal(*args, columns=columns)[0]


def solve_weekend(*args: str) -> str:
    """The weekend scenario planned by the command, on a terminal 80 columns wide."""
    return on_a_terminal("scenarios/weekend-two-classes.yaml", "--time-limit", "10", *args)


def weekend_names() -> list[str]:
    """Every name of the weekend scenario, in both languages, longest first."""
    from scheduler.scenario.loading import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    named = [
        scenario.programme,
        *scenario.places,
        *scenario.themes,
        *scenario.topics,
        *scenario.classes,
        *(k.professor for k in scenario.classes),
        *scenario.lecturers,
    ]
    return sorted({n for thing in named for n in (thing.name_zh, thing.name_en) if n}, key=len, reverse=True)


def test_explain_breaks_the_objective_down_by_goal_and_class_in_english(tmp_path):
    from rich.cells import cell_len

    plan = tmp_path / "plan.json"
    shown = solve_weekend("--lang", "en", "--explain", "--json", str(plan))
    assert "…" not in shown
    assert max(cell_len(line) for line in shown.splitlines()) <= 80
    text = re.sub(r"\s+", " ", shown)
    assert "Objective by goal and class" in text
    assert "Coach minutes" in text and "Binding requirements and limits" in text
    assert re.search(r"Theme fit: 1 more visit that fits the class's theme would mean \d+ more coach minutes", text)
    assert "Points per unit: 1 per coach minute" in text
    total = re.search(r"^│ Total\s*│.*│\s*(-?\d+)\s*│\s*$", shown, re.M)
    objective = re.search(r"objective (-?\d+)", text)
    assert total and objective and total.group(1) == objective.group(1)
    # what an organiser would otherwise fix by hand, in words, with the plan's own figures
    summary = json.loads(plan.read_text(encoding="utf-8"))["realism"]["summary"]
    assert "Ready to print?" in text
    assert f"free time shown: {summary['free_time_blocks']} blocks" in text
    assert f"class-days without a programme: {summary['empty_days']}" in text
    rest = shown
    for name in weekend_names():
        rest = rest.replace(name, " ")
    assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]", rest)
    # the sentences of --explain name the classes and places, never by id (their lines joined)
    explained = text[text.index("Points per unit") :]
    for name in weekend_names():
        explained = explained.replace(name, " ")
    for place_or_class in ("urban", "rural", "pulandian", "zhuanghe", "wafangdian"):
        assert not re.search(rf"\b{place_or_class}\b", explained), explained


def test_chinese_is_asked_for_with_lang_zh():
    from rich.cells import cell_len

    shown = solve_weekend("--lang", "zh", "--explain")
    assert "…" not in shown
    assert max(cell_len(line) for line in shown.splitlines()) <= 80
    squeezed = re.sub(r"\s+", "", shown)
    assert "目标分解" in squeezed and "求解：最优（已证明）" in squeezed
    assert re.search(r"主题契合：多1次主题契合的参观，意味着多\d+分钟车程", squeezed)
    rest = shown
    for name in weekend_names():
        rest = rest.replace(name, " ")
    assert not re.search(r"[A-Za-z]{2,}", rest), rest
