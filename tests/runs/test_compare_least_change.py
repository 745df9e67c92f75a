"""``solve.py compare`` re-plans a variant from the base plan with the least change: the Dalian
week with the Liaoshen memorial (which only Wednesday's plan visits) closed on Wednesday changes
nothing before Wednesday and tells only the people whose events change."""

from __future__ import annotations

import datetime as dt
import json
import signal
import subprocess
import sys
from pathlib import Path

from helpers import DATA, ROOT, as_from_a_shell

DALIAN = ROOT / "scenarios" / "dalian-2019.yaml"
WEDNESDAY = dt.date(2019, 8, 28)


def test_closing_wednesdays_memorial_changes_nothing_before_wednesday(tmp_path: Path):
    plan = json.loads((DATA / "dalian-plan.json").read_text(encoding="utf-8"))
    visits = [e for e in plan["events"] if e["kind"] == "field_visit" and e["site"] == "liaoshen"]
    assert [e["date"] for e in visits] == [WEDNESDAY.isoformat()]  # the case the test is about
    variant = tmp_path / "liaoshen-wednesday.yaml"
    variant.write_text(
        f"extends: {DALIAN}\nname_en: Liaoshen closed on Wednesday\n"
        "changes:\n  - site_closed: {site: liaoshen, date: 2019-08-28}\n",
        encoding="utf-8",
    )
    out = tmp_path / "compare.json"
    done = subprocess.run(
        [sys.executable, "solve.py", "compare", str(DALIAN), str(variant),
         "--base-plan", str(DATA / "dalian-plan.json"), "--time-limit", "20", "--json", str(out), "--lang", "en"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["mode"] == "least_change"
    changes = data["changes"][0]
    diff = changes["diff"]
    dates = {dt.date.fromisoformat(e["before"]["date"] if e["before"] else e["after"]["date"]) for e in diff["events"]}
    dates |= {dt.date.fromisoformat(n["date"]) for n in diff["nights"]}
    assert dates and min(dates) >= WEDNESDAY, sorted(dates)
    dropped = [e for e in diff["events"] if e["kind"] == "field_visit" and "dropped" in e["changes"]]
    assert [e["subject"] for e in dropped] == ["liaoshen"]
    told = diff["who_must_be_told"]
    assert told["classes"] == ["rural"]  # only the class that visited it
    visited = {e["subject"] for e in diff["events"] if e["kind"] == "field_visit"}
    assert set(told["sites"]) == visited  # only the hosts whose visits change
    lecturers = {
        side["lecturer"] for e in diff["events"] for side in (e["before"], e["after"]) if side and "lecturer" in side
    }
    assert set(told["lecturers"]) == lecturers  # only lecturers whose lectures change
    verdict = data["verdicts"][0]["text"]
    assert verdict.startswith("feasible") and "tell 1 class" in verdict
    assert "Verdicts" in done.stdout and "Liaoshen" in done.stdout


def test_a_stopped_sweep_keeps_and_writes_what_it_has(tmp_path: Path):
    out = tmp_path / "risk.json"
    sweep = subprocess.Popen(
        [sys.executable, "solve.py", "sweep", str(DATA / "dalian-plan.json"), str(DALIAN), "--kinds", "site-closed",
         "--workers", "1", "--time-limit", "5", "--json", str(out)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        preexec_fn=as_from_a_shell,
    )  # fmt: skip
    assert sweep.stderr is not None
    for line in sweep.stderr:
        if line.startswith("[1/"):
            break
    sweep.send_signal(signal.SIGINT)
    _, rest = sweep.communicate(timeout=120)
    assert sweep.returncode == 130, rest
    assert "Traceback" not in rest and "stopped" in rest
    data = json.loads(out.read_text(encoding="utf-8"))
    endings = [row["ending"] for row in data["rows"]]
    assert not data["complete"] and "not_run" in endings
    assert 1 <= len([e for e in endings if e != "not_run"]) < len(endings)
