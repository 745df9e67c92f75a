"""Hostile text in a plan file: ids with ``/`` and ``..``, names with new lines, control
characters, formulas and thousands of characters. Every file stays in the output folder, every
writer escapes for its format, and the render still finishes in seconds.
"""

from __future__ import annotations

import copy
import html
import io
import time
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from rich.console import Console

from scheduler.cli.terminal import print_no_plan, visible
from scheduler.plan.model import SolveStatus
from scheduler.render import render_all
from scheduler.render.files import UnsafePathError, clean_text, file_name, file_names, inside
from scheduler.render.templating import MAX_SHOWN

LONG = "长" * 1000 + "Long class name " * 125  # 3,000 characters
CLASS_IDS = {"urban": "../../x", "rural": "a/b"}
LECTURER_IDS = {"lect_org": "..\\..\\y\nz", "lect_agri": '=HYPERLINK("http://x")'}
URBAN_NAME = "Urban\nclass\rwith\x00nul\x1b[31mred\x07bel"
FORMULA = '=HYPERLINK("http://x")'
CONTROL = ("\x00", "\x1b", "\x07")


def hostile_plan(plan: dict[str, Any]) -> dict[str, Any]:
    """The weekend plan with its class and lecturer ids and names replaced, consistently."""
    data = copy.deepcopy(plan)
    for c in data["classes"]:
        c["id"] = CLASS_IDS[c["id"]]
    urban, rural = data["classes"]
    urban["name_en"], urban["name_zh"] = URBAN_NAME, FORMULA
    rural["name_en"] = rural["name_zh"] = LONG
    for lec in data["lecturers"]:
        lec["id"] = LECTURER_IDS.get(lec["id"], lec["id"])
    data["lecturers"][0]["name_en"] = "Org\nlecturer\r\x1b]0;title\x07"
    data["lecturers"][0]["name_zh"] = "+cmd|' /C calc'!A0"
    for e in data["events"]:
        e["class"] = CLASS_IDS[e["class"]]
        if e.get("lecturer"):
            e["lecturer"] = LECTURER_IDS.get(e["lecturer"], e["lecturer"])
    for n in data["nights"]:
        n["class"] = CLASS_IDS[n["class"]]
    for t in data["lecturer_trips"]:
        t["class"] = CLASS_IDS[t["class"]]
        t["lecturer"] = LECTURER_IDS.get(t["lecturer"], t["lecturer"])
    for key in ("kpis", "requirements"):
        data[key] = {CLASS_IDS.get(k, k): v for k, v in data[key].items()}
    for v in data["kpis"].values():
        if "class_id" in v:
            v["class_id"] = CLASS_IDS.get(v["class_id"], v["class_id"])
    data["lecturer_loads"] = {LECTURER_IDS.get(k, k): v for k, v in data["lecturer_loads"].items()}
    data["places"][0]["name_en"] = "@SUM(1+1)\x0b\x0c"
    data["topics"][0]["name_en"] = "-2+3\ttopic\x1b"
    return data


@pytest.fixture(scope="module")
def rendered(weekend_plan: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    root = tmp_path_factory.mktemp("hostile")
    out = root / "deep" / "out"
    start = time.monotonic()
    report = render_all(hostile_plan(weekend_plan), out, lang="en")
    elapsed = time.monotonic() - start
    assert report.ok, [str(f) for f in report.failures]
    assert all(p.resolve().is_relative_to(out.resolve()) for p in report.written)
    return out, elapsed


def test_every_file_is_inside_the_output_folder(rendered: tuple[Path, float], weekend_plan: dict[str, Any]):
    out, _ = rendered
    root = out.parent.parent
    everything = [p for p in root.rglob("*") if p.is_file()]
    assert everything
    assert all(p.is_relative_to(out) for p in everything), [str(p) for p in everything]
    for folder in (out / "maps", out / "calendars"):
        assert all(p.parent == folder for p in folder.rglob("*")), "no sub-folders"
    names = {p.name for p in (out / "calendars").iterdir()}
    sites = {e["site"] for e in weekend_plan["events"] if e["kind"] == "field_visit"}
    # two classes, three lecturers who teach, the sites visited, the programme: no two ids share a file
    assert len(names) == 2 + 3 + len(sites) + 1


def test_a_very_long_name_is_shown_cut_short(rendered: tuple[Path, float]):
    """A name of thousands of characters is cut to ``templating.MAX_SHOWN`` wherever a page shows
    it (ending in "…"), so that it costs a layout no more than a long line: the booklet and
    every hand-out hold it cut, never whole."""
    out, _ = rendered
    pages = [out / "booklet.html", *sorted(out.glob("*/*.html"))]
    assert len(pages) > 5
    cut = LONG[: MAX_SHOWN - 1].rstrip() + "…"
    for page in pages:
        text = html.unescape(page.read_text(encoding="utf-8"))
        assert LONG not in text, page.name
        assert LONG[:MAX_SHOWN] not in text, page.name
    assert cut in html.unescape((out / "booklet.html").read_text(encoding="utf-8"))


def test_calendars_parse_back_with_the_texts(rendered: tuple[Path, float]):
    out, _ = rendered
    summaries = []
    for path in (out / "calendars").iterdir():
        raw = path.read_bytes()
        assert not any(c.encode() in raw for c in CONTROL)
        calendar = Calendar.from_ical(raw)
        events = list(calendar.walk("VEVENT"))
        assert events, path.name
        for event in events:
            assert str(event["summary"]) and str(event["description"]) and str(event["location"])
            summaries.append(str(event["description"]))
    # the class's name survives, its CR as a new line and the control characters dropped
    assert any("Urban\nclass\nwithnul[31mredbel" in text for text in summaries)
    # every line of the files is a proper content line: no bare CR or LF inside a line
    for path in (out / "calendars").iterdir():
        for line in path.read_bytes().split(b"\r\n"):
            assert b"\r" not in line and b"\n" not in line


def test_spreadsheet_has_no_formula_and_no_control_character(rendered: tuple[Path, float]):
    out, _ = rendered
    workbook = load_workbook(out / "itinerary.xlsx")
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert not any(c in cell.value for c in CONTROL)
    assert "@SUM(1+1)" in texts  # a formula-looking name kept as text, as written
    # the raw file stores no formula element at all
    import zipfile

    with zipfile.ZipFile(out / "itinerary.xlsx") as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_html_has_no_control_characters_and_stays_escaped(rendered: tuple[Path, float]):
    out, _ = rendered
    html = (out / "booklet.html").read_text(encoding="utf-8")
    assert not any(c in html for c in CONTROL)
    assert "Urban\nclass\nwithnul[31mredbel" in html
    assert "<script" not in html.lower()
    assert 'href="maps/../' not in html and 'src="maps/../' not in html


def test_terminal_shows_control_characters_as_escapes(weekend_plan: dict[str, Any]):
    from scheduler.scenario.loading import load_scenario

    scenario = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "weekend-two-classes.yaml")
    programme = scenario.programme.model_copy(update={"name_en": "Bad\x1b[2J\x07 [bold]name[/bold]"})
    scenario = scenario.model_copy(update={"programme": programme})
    buffer = io.StringIO()
    console = Console(file=buffer, width=200, force_terminal=False, color_system=None)
    print_no_plan(console, scenario, SolveStatus.INFEASIBLE, ["f.yaml:3: classes: \x1b]0;x\x07 cannot"])
    shown = buffer.getvalue()
    assert "\x1b" not in shown and "\x07" not in shown
    assert "\\x1b[2J\\x07" in shown and "[bold]name[/bold]" in shown
    assert visible("a\rb\x00") == "a\\rb\\x00"


def test_file_names_are_safe_and_distinct(tmp_path: Path):
    assert file_name("urban") == "urban" and file_name("长城") == "长城"
    reserved = ("CON", "nul", "Aux.txt", "com1", "LPT9.ics", "trailing.")
    for hostile in ("../../x", "a/b", "a\\b", ".hidden", "", "a\nb", "x" * 300, "ok-0123456789", *reserved):
        name = file_name(hostile)
        assert "/" not in name and "\\" not in name and not name.startswith(".")
        assert len(name) <= 80
        assert name != hostile
    assert file_name("a/b") != file_name("a_b") and file_name("a/b") != file_name("a:b")
    names = file_names(["A", "a", "b"])
    assert len({n.casefold() for n in names.values()}) == 3 and names["b"] == "b"
    assert inside(tmp_path, "maps/x.svg") == tmp_path / "maps/x.svg"
    for bad in ("../x", "/etc/passwd", "maps/../../x", "."):
        with pytest.raises(UnsafePathError):
            inside(tmp_path, bad)
    (tmp_path / "link").symlink_to(tmp_path.parent)
    with pytest.raises(UnsafePathError):
        inside(tmp_path, "link/x")
    assert clean_text("a\r\nb\rc\x00\x1b\td") == "a\nb\nc\td"
