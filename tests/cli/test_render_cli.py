"""The outputs from the command line: ``solve.py SCENARIO --out DIR`` and ``solve.py render
PLAN.json --out DIR``, their messages and exit status; and the rule that outputs never import
the solver. Each case runs the real command in a subprocess.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from helpers import ROOT, run_solve_py


def files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_solve_with_out_writes_everything_and_render_repeats_it(tmp_path: Path):
    first = tmp_path / "solved"
    done = run_solve_py("scenarios/weekend-two-classes.yaml", "--time-limit", "10", "--quiet", "--out", str(first))
    assert done.returncode == 0, done.stderr
    plan = json.loads((first / "plan.json").read_text(encoding="utf-8"))
    sites = {e["site"] for e in plan["events"] if e["kind"] == "field_visit"}
    calendars = 2 + 3 + len(sites) + 1  # classes, lecturers who teach, sites visited, the programme
    assert (
        f"wrote {first}: plan.json, maps/ (7 files), booklet.pdf, booklet.html, calendars/ ({calendars} files), "
        "itinerary.xlsx" in done.stdout
    )
    written = files_in(first)
    assert {"plan.json", "booklet.pdf", "booklet.html", "itinerary.xlsx", "calendars/class-urban.ics"} <= written

    again = tmp_path / "rendered"
    done = run_solve_py("render", str(first / "plan.json"), "--out", str(again), "--lang", "zh")
    assert done.returncode == 0, done.stderr
    assert files_in(again) == written - {"plan.json"}
    assert "一周总览" in (again / "booklet.html").read_text(encoding="utf-8")  # the scenario's language is en
    assert (  # and so is what the command says about them
        f"已写入 {again}：maps/（7个文件）、booklet.pdf、booklet.html、calendars/（{calendars}个文件）、"
        "itinerary.xlsx、" in done.stdout
    )
    assert not re.search(r"\b(wrote|files)\b", done.stdout), done.stdout


def test_render_names_the_output_that_failed(weekend_plan: dict[str, Any], tmp_path: Path):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(weekend_plan, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    (out / "booklet.pdf").mkdir(parents=True)  # a folder where the PDF should go
    done = run_solve_py("render", str(plan), "--out", str(out))
    assert done.returncode == 4
    assert "could not write booklet.pdf: Is a directory" in done.stderr
    assert "Traceback" not in done.stderr
    assert {"booklet.html", "itinerary.xlsx", "calendars/class-rural.ics"} <= files_in(out)
    assert not [name for name in files_in(out) if name.endswith(".tmp")]


def test_render_of_a_file_that_is_no_plan(weekend_plan: dict[str, Any], tmp_path: Path):
    cases = {
        "missing.json": (None, 2, "cannot read"),
        "broken.json": ('{"schema": ', 2, "broken.json:1: not JSON"),
        "other.json": (json.dumps({"schema": "something-else/2"}), 2, "expected 'training-itinerary/1'"),
        "no-plan.json": (json.dumps({**weekend_plan, "solver": {"status": "infeasible"}}), 1, "without a plan"),
    }
    for name, (content, status, words) in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_text(content, encoding="utf-8")
        done = run_solve_py("render", str(path), "--out", str(tmp_path / "out"))
        assert done.returncode == status, (name, done.stderr)
        assert words in done.stderr, (name, done.stderr)
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_outputs_do_not_import_the_solver(weekend_plan: dict[str, Any], tmp_path: Path):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(weekend_plan, ensure_ascii=False), encoding="utf-8")
    code = (
        "import json, sys; from pathlib import Path; "
        "import scheduler.render, scheduler.render.maps, scheduler.render.html, scheduler.render.pdf, "
        "scheduler.render.ical, scheduler.render.xlsx; "
        f"report = scheduler.render.render_all(json.loads(Path({str(plan)!r}).read_text('utf-8')), "
        f"Path({str(tmp_path / 'out')!r}), outputs=('booklet.html', 'calendars', 'itinerary.xlsx')); "
        "assert report.ok, report.failures; "
        "bad = [m for m in sys.modules if m.startswith(('ortools', 'scheduler.solver'))]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
