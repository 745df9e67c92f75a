"""``solve.py compare``: the weekend scenario against three variants, solved once in parallel.

A variant that changes nothing gives the same figures and an empty diff; a variant that closes a
site shows the site gone from its plan and its deltas; a variant with no plan is shown as such,
with the reason, not a crash; the JSON and HTML outputs hold the same, escaped.
"""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT

from scheduler.analysis.compare import Entry, build_comparison
from scheduler.plan.model import Result, SolverStats, SolveStatus
from scheduler.runs.engine import share_workers
from scheduler.scenario.loading import load_scenario

WEEKEND = ROOT / "scenarios" / "weekend-two-classes.yaml"
VARIANTS = {
    "same": "name_en: Nothing changes\nchanges: []\n",
    "closed": "name_en: <script>alert(1)</script> Lidian closed\nchanges:\n"
    "  - site_closed: {site: lidian, from: 2019-09-07, until: 2019-09-08}\n",
    "impossible": "changes:\n  - set: {path: requirements.default.min_seminar_class_hours, value: 40}\n",
}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "solve.py", *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300
    )


def write_variants(folder: Path) -> list[Path]:
    paths = []
    for name, body in VARIANTS.items():
        path = folder / f"{name}.yaml"
        path.write_text(f"extends: {WEEKEND}\n{body}", encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The comparison run once: two solves at a time with one worker each (reproducible)."""
    folder = tmp_path_factory.mktemp("compare")
    paths = write_variants(folder)
    html, data = folder / "out" / "compare.html", folder / "compare.json"
    done = run(
        "compare", str(WEEKEND), *map(str, paths), "--time-limit", "10", "--workers", "2", "--seed", "3",
        "--html", str(html), "--json", str(data),
    )  # fmt: skip
    return {"done": done, "html": html, "json": json.loads(data.read_text(encoding="utf-8")) if data.exists() else None}


def test_compare_prints_the_table_the_changes_and_why_no_plan(compared):
    done = compared["done"]
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    out = done.stdout
    assert "Comparison (" in out  # the programme's language: English
    for heading in ("weekend-two-classes", "same", "closed", "impossible", "Field share", "Class: Urban class"):
        assert heading in out
    assert "infeasible" in out
    assert "impossible: " in out and "min_seminar_class_hours" in out  # the reason line, with the variant's line
    assert "the same plan as the base" in out
    assert "dropped" in out and "Lidian Community" in out


def test_a_variant_that_changes_nothing_gives_the_same_figures_and_no_changes(compared):
    base, same = compared["json"]["scenarios"][:2]
    assert base["role"] == "base" and same["role"] == "variant"
    assert same["status"] == base["status"] == "optimal"
    assert same["figures"] == base["figures"]
    assert same["lecturer_loads"] == base["lecturer_loads"]
    assert same["objective"] == base["objective"]
    changes = compared["json"]["changes"][0]
    assert changes["diff"]["changed_events"] == 0 and changes["diff"]["changed_nights"] == 0
    assert changes["rows"] == []
    for section in compared["json"]["table"][1:]:
        for row in section["rows"]:
            assert row["cells"][1]["verdict"] in ("same", None), row


def test_a_closed_site_is_gone_and_its_deltas_are_judged(compared):
    scenarios = {s["name"]: s for s in compared["json"]["scenarios"]}
    visited = {site for figures in scenarios["closed"]["figures"].values() for site in figures["sites_visited"]}
    assert "lidian" not in visited
    assert "lidian" in {
        site for f in scenarios["weekend-two-classes"]["figures"].values() for site in f["sites_visited"]
    }
    table = {(section["key"], row["key"]): row for section in compared["json"]["table"] for row in section["rows"]}
    sites = table[("urban", "sites_visited")]["cells"][2]
    assert sites["delta"] < 0 and sites["verdict"] == "worse"
    changes = compared["json"]["changes"][1]
    assert "lidian" in changes["diff"]["who_must_be_told"]["sites"]
    dropped = [e for e in changes["diff"]["events"] if e["kind"] == "field_visit" and "dropped" in e["changes"]]
    assert [e["subject"] for e in dropped] == ["lidian"]


def test_a_variant_without_a_plan_is_shown_as_such(compared):
    impossible = compared["json"]["scenarios"][3]
    assert impossible["status"] == "infeasible" and impossible["figures"] is None
    assert any(line.startswith(f"{impossible['file']}:3: requirements.default.min_seminar_class_hours") for line in
               impossible["why_no_plan"])  # fmt: skip
    assert compared["json"]["changes"][2]["diff"] is None
    status = compared["json"]["table"][0]["rows"][0]["cells"][3]
    assert status["verdict"] == "worse"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_html_page_holds_the_same_escaped(compared):
    page = compared["html"].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    parser = _Collector()
    parser.feed(page)
    text = " ".join(parser.text)
    assert parser.tags.count("table") >= 2  # the comparison and the closed variant's changes
    for cell in ("Field share", "infeasible", "dropped", "the same plan as the base"):
        assert cell in text
    assert not list(compared["html"].parent.glob(".*.tmp"))  # written atomically


def test_bad_files_are_all_reported_with_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {WEEKEND}\nchanges:\n  - set: {{path: limits.nothing, value: 1}}\n", encoding="utf-8")
    cyclic = tmp_path / "cyclic.yaml"
    cyclic.write_text("extends: cyclic.yaml\n", encoding="utf-8")
    done = run("compare", str(WEEKEND), str(bad), str(cyclic))
    assert done.returncode == 2
    assert f"{bad}:3: changes[1].set.path: no key 'nothing' in limits" in done.stderr
    assert f"{cyclic}:1: extends: 'cyclic.yaml' makes a cycle" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_output_that_cannot_be_written_exits_4_and_the_other_is_written(tmp_path):
    same = write_variants(tmp_path)[0]
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    done = run(
        "compare", str(WEEKEND), str(same), "--time-limit", "10", "--html", str(blocker / "x.html"),
        "--json", str(tmp_path / "c.json"),
    )  # fmt: skip
    assert done.returncode == 4, done.stderr
    assert f"cannot write {blocker / 'x.html'}" in done.stderr
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["schema"] == "training-itinerary-comparison/1"


@pytest.mark.parametrize(
    ("solves", "workers", "expected"),
    [(2, 2, (2, 1)), (5, 2, (2, 1)), (3, 8, (3, 2)), (4, 1, (1, 1)), (1, 4, (1, 4))],
)
def test_workers_are_shared_out(solves, workers, expected):
    assert share_workers(solves, workers) == expected


def test_comparison_of_results_without_plans_needs_no_solver():
    scenario = load_scenario(WEEKEND)
    stats = SolverStats(SolveStatus.NO_PLAN_IN_TIME, None, None, 1.0)
    entries = [Entry("a.yaml", "a", scenario, Result(stats, None)), Entry("b.yaml", "b", scenario, Result(stats, None))]
    comparison = build_comparison(entries, all_rows=True)
    assert comparison.entries[1].why_no_plan() == ("no plan found within the time limit (try a longer --time-limit)",)
    assert comparison.changes[0].diff is None
    assert all(cell.text == "—" for row in comparison.sections[1].rows for cell in row.cells)
    assert comparison.verdicts[0].text.startswith("no plan") or comparison.verdicts[0].text.startswith("无可行方案")
    assert len(build_comparison(entries).sections) == 1  # without all_rows: only the solver's rows, none differs
    json.dumps(comparison.to_json())
