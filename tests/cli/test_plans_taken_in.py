"""Plans are not taken on trust: ``render`` and ``replan`` read a plan file's shape strictly,
check that it belongs to the scenario, and run the checker on it; ``--unchecked`` renders a
plan all the same, marked so on every page.

The decisions are tested in-process (``scheduler.cli.main``, with the writing of outputs
replaced by a recorder where only the decision matters); one case per command runs as a user
would, in a subprocess, for the exit status and the absence of a traceback.
"""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, run_solve_py

from scheduler.cli import main
from scheduler.cli import render as render_command

WEEKEND = ROOT / "scenarios" / "weekend-two-classes.yaml"
DALIAN = ROOT / "scenarios" / "dalian-2019.yaml"


def first(data: dict, kind: str, index: int = 0) -> dict:
    return [e for e in data["events"] if e["kind"] == kind][index]


def overlap(data: dict) -> None:
    visits = [e for e in data["events"] if e["kind"] == "field_visit"]
    visits[1]["start"], visits[1]["end"] = visits[0]["start"], visits[0]["end"]
    visits[1]["date"], visits[1]["class"] = visits[0]["date"], visits[0]["class"]


def at_night(data: dict) -> None:
    visit = first(data, "field_visit")
    visit["start"], visit["end"] = "02:00", "04:00"


def teleport(data: dict) -> None:
    """A visit moved to another site, with no coach leg to take the class there."""
    visit = first(data, "field_visit")
    other = next(s for s in data["sites"] if s["id"] != visit["site"] and s["place"] != visit["place"])
    visit["site"], visit["place"] = other["id"], other["place"]


def unknown_site(data: dict) -> None:
    first(data, "field_visit")["site"] = "atlantis"


def set_field(path: tuple, value: Any):
    def change(data: dict) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def delete_field(path: tuple):
    def change(data: dict) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


BROKEN_RULES = {
    "two visits at once": (overlap, "at the same time"),
    "a visit at night": (at_night, "the site opens at"),
    "a visit reached without a coach": (teleport, "but the class is at"),
    "an unknown site": (unknown_site, "unknown site 'atlantis'"),
}

BAD_SHAPES = {
    "events null": (set_field(("events",), None), "events: expected a list"),
    "events text": (set_field(("events",), "x"), "events: expected a list"),
    "an event a list": (set_field(("events", 0), [1, 2]), "events[0]: expected an object"),
    "a start missing": (delete_field(("events", 3, "start")), "events[3].start: missing"),
    "a clock past midnight": (set_field(("events", 2, "end"), "25:99"), "events[2].end: '25:99' has 99 minutes"),
    "a clock as a number": (set_field(("events", 2, "start"), 480), "events[2].start: 480 is not a clock time"),
    "a date in words": (set_field(("events", 1, "date"), "Sept 7"), "events[1].date: 'Sept 7' is not a date"),
    "a class as a number": (set_field(("events", 0, "class"), 7), "events[0].class: Input should be a valid string"),
    "km as text": (set_field(("events", 0, "km"), "12"), "events[0].km"),
    "nights an object": (set_field(("nights",), {}), "nights: expected a list"),
    "a night without a place": (delete_field(("nights", 0, "place")), "nights[0].place: missing"),
}


@pytest.fixture()
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """The calls ``render`` makes to write the outputs, instead of writing them."""
    calls: list[dict] = []

    def record(data, out_dir, **keywords):
        calls.append({"data": data, "out_dir": out_dir, **keywords})
        return 0

    monkeypatch.setattr(render_command, "write_outputs", record)
    return calls


def save(tmp_path: Path, data: dict, name: str = "plan.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def changed(weekend_plan: dict, change) -> dict:
    data = copy.deepcopy(weekend_plan)
    change(data)
    return data


def test_a_plan_that_keeps_the_rules_is_rendered(weekend_plan, recorded, tmp_path, capsys):
    assert main(["render", str(save(tmp_path, weekend_plan)), "--out", str(tmp_path / "out")]) == 0
    (call,) = recorded
    assert call["unchecked"] is False
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("case", BROKEN_RULES)
def test_a_plan_that_breaks_a_rule_is_refused_with_the_checkers_sentences(
    weekend_plan, recorded, tmp_path, capsys, case
):
    change, words = BROKEN_RULES[case]
    plan = save(tmp_path, changed(weekend_plan, change))
    assert main(["render", str(plan), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"solve.py render: {plan} breaks " in err
    assert words in err
    assert "add --unchecked" in err
    assert recorded == []


@pytest.mark.parametrize("case", BAD_SHAPES)
def test_a_plan_of_the_wrong_shape_is_refused_naming_the_field(weekend_plan, recorded, tmp_path, capsys, case):
    change, words = BAD_SHAPES[case]
    plan = save(tmp_path, changed(weekend_plan, change))
    assert main(["render", str(plan), "--out", str(tmp_path / "out"), "--unchecked"]) == 2
    err = capsys.readouterr().err
    assert f"solve.py render: {plan}: {words}" in err, err
    assert recorded == []


@pytest.mark.parametrize("case", ["events null", "an event a list", "a clock past midnight", "a date in words"])
def test_replan_refuses_a_plan_of_the_wrong_shape_naming_the_field(weekend_plan, tmp_path, capsys, case):
    change, words = BAD_SHAPES[case]
    plan = save(tmp_path, changed(weekend_plan, change))
    assert main(["replan", str(plan), str(WEEKEND), "--quiet"]) == 2
    assert f"solve.py replan: {plan}: not a readable plan file: {words}" in capsys.readouterr().err


def test_a_plan_of_another_programme_is_refused_in_one_sentence(weekend_plan, recorded, tmp_path, capsys):
    plan = save(tmp_path, weekend_plan)
    assert main(["render", str(plan), str(DALIAN), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{plan} does not belong to {DALIAN}: it is a plan of another programme (classes rural, urban;" in err
    assert len(err.strip().splitlines()) == 1
    assert main(["replan", str(plan), str(DALIAN), "--quiet"]) == 2
    assert f"{plan} 不是 {DALIAN} 所述培训的方案：" in capsys.readouterr().err  # in the programme's language
    assert main(["replan", str(plan), str(DALIAN), "--quiet", "--lang", "en"]) == 2
    assert f"{plan} is not a plan of {DALIAN}'s programme: " in capsys.readouterr().err
    assert recorded == []


def test_a_plan_whose_dates_are_not_the_scenarios_is_refused(weekend_plan, recorded, tmp_path, capsys):
    plan = save(tmp_path, changed(weekend_plan, set_field(("programme", "days"), 3)))
    assert main(["render", str(plan), "--out", str(tmp_path / "out")]) == 2
    assert "its programme starts on 2019-09-07 and lasts 3 days, the scenario's on 2019-09-07 for 2" in (
        capsys.readouterr().err
    )
    assert recorded == []


def test_the_scenario_is_found_where_the_plan_says_or_must_be_given(weekend_plan, recorded, tmp_path, capsys):
    moved = copy.deepcopy(weekend_plan)
    moved["scenario"]["file"] = str(tmp_path / "gone" / "weekend.yaml")
    plan = save(tmp_path, moved)
    assert main(["render", str(plan), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"the scenario {plan} was made from ({tmp_path / 'gone' / 'weekend.yaml'}) is not there" in err
    assert "--unchecked" in err

    anonymous = copy.deepcopy(weekend_plan)
    del anonymous["scenario"]
    plan = save(tmp_path, anonymous, "anonymous.json")
    assert main(["render", str(plan), "--out", str(tmp_path / "out")]) == 2
    assert "does not say which scenario it was made from" in capsys.readouterr().err
    assert recorded == []
    assert main(["render", str(plan), str(WEEKEND), "--out", str(tmp_path / "out")]) == 0  # given: checked
    assert len(recorded) == 1


def test_a_scenario_changed_since_the_plan_was_made_is_said(weekend_plan, recorded, tmp_path, capsys):
    text = WEEKEND.read_text(encoding="utf-8")
    assert "name_en: Weekend" in text or "name_en:" in text
    edited = tmp_path / "weekend-renamed.yaml"
    edited.write_text(text.replace("name_en:", "name_en: Renamed ·", 1), encoding="utf-8")
    plan = save(tmp_path, weekend_plan)
    assert main(["render", str(plan), str(edited), "--out", str(tmp_path / "out")]) == 0
    assert f"note: {edited} has changed since the plan was made" in capsys.readouterr().err
    assert len(recorded) == 1


def test_unchecked_is_written_only_when_asked_and_then_marks_the_outputs(weekend_plan, recorded, tmp_path):
    plan = save(tmp_path, changed(weekend_plan, at_night))
    assert main(["render", str(plan), "--out", str(tmp_path / "out"), "--unchecked"]) == 0
    (call,) = recorded
    assert call["unchecked"] is True


def test_an_unchecked_render_is_marked_on_every_page(weekend_plan, tmp_path):
    """As a user runs it: a plan that breaks a rule, rendered with --unchecked; every PDF page,
    the HTML, every sheet's printed header and every calendar entry say it is unchecked."""
    plan = save(tmp_path, changed(weekend_plan, at_night))
    out = tmp_path / "out"
    refused = run_solve_py("render", str(plan), "--out", str(out))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert not out.exists()

    done = run_solve_py("render", str(plan), "--out", str(out), "--unchecked", "--lang", "en")
    assert done.returncode == 0, done.stderr
    mark = "UNCHECKED PLAN"
    pages = (
        subprocess.run(["pdfinfo", str(out / "booklet.pdf")], capture_output=True, text=True, check=True)
        .stdout.split("Pages:")[1]
        .split()[0]
    )
    for page in range(1, int(pages) + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(out / "booklet.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert mark in text, f"page {page} is not marked"
    assert mark in (out / "booklet.html").read_text(encoding="utf-8")

    from openpyxl import load_workbook

    workbook = load_workbook(out / "itinerary.xlsx")
    assert all(mark in sheet.oddHeader.center.text for sheet in workbook.worksheets)

    from icalendar import Calendar

    for path in (out / "calendars").glob("*.ics"):
        calendar = Calendar.from_ical(path.read_bytes())
        assert str(calendar["X-WR-CALNAME"]).startswith("[unchecked]")
        events = calendar.walk("VEVENT")
        assert events and all(str(e["DESCRIPTION"]).startswith(mark) for e in events), path


def test_replan_refuses_a_broken_plan_without_a_traceback(weekend_plan, tmp_path):
    plan = save(tmp_path, changed(weekend_plan, set_field(("events",), [[1]])))
    done = run_solve_py("replan", str(plan), str(WEEKEND), "--quiet")
    assert done.returncode == 2
    assert "events[0]: expected an object" in done.stderr
    assert "Traceback" not in done.stderr
