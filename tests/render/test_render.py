"""The printable outputs, read back with the real readers: poppler for the PDF, icalendar for
the calendars, openpyxl for the spreadsheet. The weekend plan is solved and rendered once per
session (``conftest.py``); the cases that need a changed plan render only what they test.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from PIL import Image

from scheduler.render import render_all
from scheduler.render.document import Document, NoPlanError, PlanFileError
from scheduler.render.ical import class_calendar
from scheduler.render.labels import Labels

STAMP = dt.datetime(2019, 9, 1, tzinfo=dt.UTC)


def need(tool: str) -> str:
    """The path of a Debian tool the test needs (installed by scripts/install-system-deps.sh)."""
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is missing: run scripts/install-system-deps.sh (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def pdf_pages(pdf: Path) -> list[str]:
    """The PDF's text, page by page, as pdftotext reads it."""
    text = subprocess.run(
        [need("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return text.split("\f")[:-1]


def squeeze(text: str) -> str:
    """Text without white space: a long Chinese name may be broken over two lines of a cell."""
    return re.sub(r"\s+", "", text)


def expected_pages(doc: Document) -> int:
    """Cover; the programme overview (up to 5 classes by 7 days a page); per class an overview,
    the week grid and a sheet per day; a sheet per lecturer who teaches and per site visited;
    the lodging list (one sheet for a short programme); a duty sheet per day (up to 4 classes
    each); the figures."""
    classes, days = len(doc.classes), doc.programme.days
    overview = math.ceil(classes / 5) * math.ceil(days / 7)
    duty = days * math.ceil(classes / 4)
    per_class = classes * (2 + days)
    return (
        1
        + overview
        + per_class
        + len(doc.teaching_lecturers())
        + len(doc.visited_sites())
        + lodging_sheets(doc)
        + duty
        + 1
    )


def lodging_sheets(doc: Document, rows_per_sheet: int = 14) -> int:
    """Sheets of the lodging list: whole nights, a sheet until the next night would take it past
    ``rows_per_sheet`` hotels."""
    sheets, rows = 0, 0
    for date in doc.dates:
        hotels = len({stay.hotel or stay.place for (_, on), stay in doc.stays.items() if on == date})
        if hotels == 0:
            continue
        if sheets == 0 or rows + hotels > rows_per_sheet:
            sheets, rows = sheets + 1, 0
        rows += hotels
    return sheets


@pytest.fixture(scope="module")
def doc(weekend_plan: dict[str, Any]) -> Document:
    return Document.from_json(weekend_plan)


# ---------------------------------------------------------------------------
# What is written


def test_every_output_is_written(weekend_outputs: Path, doc: Document):
    names = {p.relative_to(weekend_outputs).as_posix() for p in weekend_outputs.rglob("*") if p.is_file()}
    assert {"booklet.html", "booklet.pdf", "itinerary.xlsx"} <= names
    for klass in doc.classes:
        assert f"calendars/class-{klass.id}.ics" in names
        assert f"maps/{klass.id}-week.svg" in names
        for day in range(1, doc.programme.days + 1):
            assert f"maps/{klass.id}-day{day}.svg" in names
    for lecturer in doc.teaching_lecturers():
        assert f"calendars/lecturer-{lecturer.id}.ics" in names
    for site in doc.visited_sites():
        assert f"calendars/site-{site.id}.ics" in names
    assert "calendars/programme.ics" in names
    assert not [n for n in names if n.endswith(".tmp")]


def test_the_plan_file_carries_what_the_outputs_need(weekend_plan: dict[str, Any], doc: Document):
    lectures = [e for e in weekend_plan["events"] if e["kind"] == "lecture"]
    assert len(weekend_plan["lecturer_trips"]) == len(lectures)
    for trip in weekend_plan["lecturer_trips"]:
        lecture = next(
            e
            for e in lectures
            if (e["lecturer"], e["date"], e["start"]) == (trip["lecturer"], trip["date"], trip["lecture_start"])
        )
        assert trip["to"] == lecture["place"]
        leave = dt.datetime.strptime(trip["leave_by"], "%H:%M")
        arrive = dt.datetime.strptime(trip["arrive_by"], "%H:%M")
        start = dt.datetime.strptime(trip["lecture_start"], "%H:%M")
        assert (arrive - leave).seconds // 60 == trip["driving_minutes"] + trip["rest_minutes"]
        margin = 0 if trip["from"] == trip["to"] else 20  # limits.lecturer_arrival_margin_minutes by default
        assert (start - arrive).seconds // 60 == margin
        after = trip["after"]
        assert after["leaves"] == lecture["end"]
        if after["home"]:  # the last lecture of the day: the way home is shown
            assert after["to"] == next(l["home"] for l in weekend_plan["lecturers"] if l["id"] == trip["lecturer"])
    assert weekend_plan["requirements"]["urban"]["min_field_share"] == 0.5
    assert doc.trips and all(doc.trip_to(e) is not None for e in doc.plan.events if e.kind == "lecture")


# ---------------------------------------------------------------------------
# The PDF booklet


def test_pdf_has_a_page_per_sheet_and_every_chinese_name(weekend_outputs: Path, doc: Document):
    pages = pdf_pages(weekend_outputs / "booklet.pdf")
    assert len(pages) == expected_pages(doc)
    text = squeeze("".join(pages))
    for klass in doc.classes:
        assert klass.name_zh and squeeze(klass.name_zh) in text, klass.id
    for site in doc.visited_sites():
        name = doc.places[site.place].name_zh
        assert name and squeeze(name) in text, site.id
    assert "\ufffd" not in text


def test_each_day_is_on_one_page(weekend_outputs: Path, doc: Document):
    """The sheet of a class's day holds its heading, its last event and where the class sleeps."""
    labels = Labels(doc.programme.language)
    pages = [squeeze(p) for p in pdf_pages(weekend_outputs / "booklet.pdf")]
    for klass in doc.classes:
        for date in doc.dates:
            heading = squeeze(f"{labels('day_n', n=doc.day_number(date))}{labels.date(date)}")
            duty = squeeze(labels("section_duty"))
            holding = [p for p in pages if heading in p and squeeze(klass.name(labels.lang)) in p and duty not in p]
            assert len(holding) == 1, (klass.id, date)
            last = doc.events_of(klass.id, date)[-1]
            assert f"{last.start // 60:02d}:{last.start % 60:02d}–" in holding[0]
            assert squeeze(doc.places[doc.end_place_on(klass.id, date)].name(labels.lang)) in holding[0]


def test_pdf_embeds_the_cjk_font(weekend_outputs: Path):
    listed = subprocess.run(
        [need("pdffonts"), str(weekend_outputs / "booklet.pdf")], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert any(re.search(r"Noto-?Sans-?CJK-?SC", line, flags=re.I) for line in listed), listed
    embedded = [line.split()[-5] for line in listed]  # the "emb" column
    assert set(embedded) == {"yes"}, listed


def test_first_pages_are_not_blank(weekend_outputs: Path, tmp_path: Path):
    subprocess.run(
        [
            need("pdftoppm"),
            "-r",
            "40",
            "-png",
            "-f",
            "1",
            "-l",
            "4",
            str(weekend_outputs / "booklet.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == 4
    for image in images:
        grey = Image.open(image).convert("L")
        ink = sum(grey.histogram()[:200])  # pixels darker than light grey
        assert ink / (grey.width * grey.height) > 0.01, image.name


# ---------------------------------------------------------------------------
# The HTML booklet


def test_html_escapes_names(weekend_plan: dict[str, Any], tmp_path: Path):
    """A name holding markup is shown as text: it is never run or parsed as HTML."""
    data = copy.deepcopy(weekend_plan)
    data["programme"]["name_zh"] = "<script>window.__pwned = 1</script>周末班"
    data["classes"][0]["name_en"] = '<img src=x onerror="window.__pwned = 2">'
    report = render_all(data, tmp_path, outputs=("booklet.html",))
    assert report.ok, report.failures
    html = (tmp_path / "booklet.html").read_text(encoding="utf-8")
    assert "<script>window" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;周末班" in html
    assert "&lt;img src=x onerror=" in html


def test_html_links_only_pictures_it_wrote(weekend_outputs: Path):
    html = (weekend_outputs / "booklet.html").read_text(encoding="utf-8")
    sources = re.findall(r'<img src="([^"]+)"', html)
    assert sources
    assert all((weekend_outputs / source).is_file() for source in sources)
    assert "http" not in "".join(sources)


def test_labels_follow_the_chosen_language(weekend_plan: dict[str, Any], tmp_path: Path):
    report = render_all(weekend_plan, tmp_path, lang="zh", outputs=("booklet.html",))
    assert report.ok, report.failures
    html = (tmp_path / "booklet.html").read_text(encoding="utf-8")
    assert 'lang="zh-Hans"' in html and "一周总览" in html and "当晚住宿" in html
    assert "城镇建设与社会治理班" in html and "Urban class" in html  # names in both languages


# ---------------------------------------------------------------------------
# Calendars


def local(date: dt.date, minutes: int, zone: str) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(0), tzinfo=ZoneInfo(zone)) + dt.timedelta(minutes=minutes)


def test_class_calendars_hold_every_event(weekend_outputs: Path, doc: Document):
    zone = doc.programme.timezone
    for klass in doc.classes:
        calendar = Calendar.from_ical((weekend_outputs / "calendars" / f"class-{klass.id}.ics").read_bytes())
        assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == [zone]
        events = [e for e in calendar.walk("VEVENT") if ".night." not in str(e["UID"])]  # nights: test_calendars
        expected = doc.events_of(klass.id)
        assert len(events) == len(expected)
        assert len({str(e["UID"]) for e in events}) == len(events)
        got = sorted((e.decoded("DTSTART"), e.decoded("DTEND")) for e in events)
        assert got == sorted((local(e.date, e.start, zone), local(e.date, e.end, zone)) for e in expected)
        for event in events:
            assert event["DTSTART"].params["TZID"] == zone
            assert event["LOCATION"] and event["DESCRIPTION"] and event["SUMMARY"]
            lat, lon = event.decoded("GEO")
            assert 38 < lat < 41 and 121 < lon < 124  # Dalian
        by_start = {e.decoded("DTSTART"): e for e in events}
        for visit in (e for e in expected if e.kind == "field_visit"):
            vevent = by_start[local(visit.date, visit.start, zone)]
            place = doc.site_place(visit.site or "")
            assert f".visit.{visit.site}." in str(vevent["UID"])
            assert place.name_zh in str(vevent["LOCATION"]) and place.name_en in str(vevent["LOCATION"])
            assert vevent.decoded("GEO") == pytest.approx((place.lat, place.lon))


def test_lecturer_calendars_hold_their_lectures(weekend_outputs: Path, doc: Document):
    labels = Labels(doc.programme.language)
    for lecturer in doc.teaching_lecturers():
        calendar = Calendar.from_ical((weekend_outputs / "calendars" / f"lecturer-{lecturer.id}.ics").read_bytes())
        events = sorted(
            (e for e in calendar.walk("VEVENT") if ".drive-" not in str(e["UID"])),  # drives: test_calendars
            key=lambda e: e.decoded("DTSTART"),
        )
        lectures = doc.lectures_of(lecturer.id)
        assert len(events) == len(lectures)
        for event, lecture in zip(events, lectures, strict=True):
            assert event.decoded("DTSTART") == local(lecture.date, lecture.start, doc.programme.timezone)
            description = str(event["DESCRIPTION"])
            assert doc.topics[lecture.topic or ""].name(labels.lang) in description
            assert doc.training_class(lecture.class_id).name(labels.lang) in description
            assert labels("getting_there") in description


def test_calendar_uids_are_stable_when_other_events_move(doc: Document):
    """Re-issued after a change, a calendar updates the events people have instead of adding copies."""
    labels = Labels("en")
    before = class_calendar(doc, labels, "urban", STAMP)
    uids = {str(e["UID"]): e.decoded("DTSTART") for e in before.walk("VEVENT")}
    assert class_calendar(doc, labels, "urban", STAMP).to_ical() == before.to_ical()
    # the same plan with the class's first visit moved an hour later
    visit = next(e for e in doc.plan.events if e.class_id == "urban" and e.kind == "field_visit")
    moved = type(doc.plan)(
        tuple(
            e if e is not visit else type(e)(**{**e.__dict__, "start": e.start + 60, "end": e.end + 60})
            for e in doc.plan.events
        ),
        doc.plan.nights,
    )
    after = class_calendar(type(doc)(**{**doc.__dict__, "plan": moved}), labels, "urban", STAMP)
    changed = {str(e["UID"]): e.decoded("DTSTART") for e in after.walk("VEVENT")}
    assert changed.keys() == uids.keys()
    assert [uid for uid in uids if uids[uid] != changed[uid]] == [uid for uid in uids if f".visit.{visit.site}." in uid]


# ---------------------------------------------------------------------------
# The spreadsheet


def test_spreadsheet_matches_the_plan(weekend_outputs: Path, doc: Document):
    labels = Labels(doc.programme.language)
    book = load_workbook(weekend_outputs / "itinerary.xlsx")
    class_names = [k.name(labels.lang) for k in doc.classes]
    assert book.sheetnames == [
        labels("section_overview"),
        *class_names,
        labels("sheet_lecturers"),
        labels("sheet_sites"),
        labels("section_lodging"),
        labels("sheet_figures"),
    ]
    for klass in doc.classes:
        sheet = book[klass.name(labels.lang)]
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        events = doc.events_of(klass.id)
        assert len(rows) == len(events)
        for row, e in zip(rows, events, strict=True):
            assert row[0].date() == e.date
            assert (row[3].hour * 60 + row[3].minute, row[4].hour * 60 + row[4].minute) == (e.start, e.end)
            assert row[5] == e.minutes
            assert row[6] == labels.kind(e)
            place = doc.site_named(e.site) if e.site else doc.places[e.place]
            assert row[8] == place.name(labels.lang)
            if e.kind == "travel":
                assert row[12] == e.km
    lecturers = list(book[labels("sheet_lecturers")].iter_rows(min_row=2, values_only=True))
    assert len(lecturers) == sum(e.kind == "lecture" for e in doc.plan.events)
    sites = list(book[labels("sheet_sites")].iter_rows(min_row=2, values_only=True))
    assert len(sites) == sum(e.kind == "field_visit" for e in doc.plan.events)
    figures = {row[0]: row for row in book[labels("sheet_figures")].iter_rows(min_row=2, values_only=True)}
    for klass in doc.classes:
        assert figures[klass.name(labels.lang)][1] == doc.kpis[klass.id]["field_share"]
        assert figures[klass.name(labels.lang)][8] == doc.kpis[klass.id]["coach_km"]


def test_spreadsheet_prints_on_a4_with_its_header_repeated(weekend_outputs: Path):
    book = load_workbook(weekend_outputs / "itinerary.xlsx")
    for sheet in book.worksheets:
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.print_title_rows in ("1:1", "$1:$1")
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.freeze_panes in ("A2", "D2")  # the header row; the overview also keeps its dates
        widths = [sheet.column_dimensions[c].width for c in "ABC"]
        assert all(w and w >= 6 for w in widths)


def test_spreadsheet_keeps_a_formula_looking_name_as_text(weekend_plan: dict[str, Any], tmp_path: Path):
    data = copy.deepcopy(weekend_plan)
    data["programme"]["language"] = "en"
    data["classes"][0]["name_en"] = '=HYPERLINK("http://example.invalid","x")'
    report = render_all(data, tmp_path, outputs=("itinerary.xlsx",))
    assert report.ok, report.failures
    book = load_workbook(tmp_path / "itinerary.xlsx")
    cell = book.worksheets[-1]["A2"]  # the figures sheet, first class
    assert cell.value == '=HYPERLINK("http://example.invalid","x")' and cell.data_type == "s"


# ---------------------------------------------------------------------------
# Failures


def test_a_failed_output_leaves_no_partial_file_and_says_why(
    weekend_plan: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write_bytes = Path.write_bytes

    def half_then_fail(self: Path, data: bytes) -> int:
        if "booklet.pdf" not in self.name:
            return write_bytes(self, data)
        write_bytes(self, data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    (tmp_path / "booklet.pdf").write_bytes(b"the old booklet")
    monkeypatch.setattr(Path, "write_bytes", half_then_fail)
    report = render_all(weekend_plan, tmp_path, outputs=("booklet.pdf", "calendars"))
    assert [(f.output, f.reason) for f in report.failures] == [("booklet.pdf", "No space left on device")]
    assert report.failures[0].reason.in_language("zh") == "磁盘空间不足"
    assert (tmp_path / "booklet.pdf").read_bytes() == b"the old booklet"
    assert not list(tmp_path.rglob("*.tmp"))
    assert (tmp_path / "calendars" / "class-urban.ics").is_file()  # the others are still made


def test_maps_are_drawn_beside_the_outputs_that_need_none_and_an_interrupt_keeps_them_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The maps' helper process starts before the calendars: a map is drawn while the calendars
    are written. Ctrl-C then stops the render there; the maps the helper finished count as
    written, each whole, and no temporary file is left."""
    import json

    from helpers import DATA

    import scheduler.render.ical as ical
    import scheduler.render.maps as maps

    data = json.loads((DATA / "dalian-plan.json").read_text(encoding="utf-8"))
    monkeypatch.setattr(maps, "process_count", lambda jobs, per_process, wanted=None: 2)
    seen: list[str] = []

    def calendars_until_a_map_is_drawn(*args, **kwargs):
        deadline = time.monotonic() + 60
        while not list((tmp_path / "maps").glob("*.svg")):
            assert time.monotonic() < deadline, "no map was drawn beside the calendars"
            time.sleep(0.02)
        seen.append("map")
        raise KeyboardInterrupt

    monkeypatch.setattr(ical, "write_calendars", calendars_until_a_map_is_drawn)
    report = render_all(data, tmp_path)
    assert seen == ["map"]
    assert report.interrupted == "calendars"
    assert report.not_made == ["calendars", "itinerary.xlsx", "handouts", "maps", "booklet.pdf", "booklet.html"]
    svgs = [path for path in report.written if path.suffix == ".svg"]
    assert svgs and sorted(svgs) == sorted(tmp_path.glob("maps/*.svg"))
    for svg in svgs:
        assert svg.read_text(encoding="utf-8").rstrip().endswith("</svg>"), svg
    assert not list(tmp_path.rglob("*.tmp"))


def test_an_interrupt_among_the_handouts_keeps_those_finished_and_leaves_no_partial_file(
    weekend_plan: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Ctrl-C while the third hand-out's PDF is typeset: the render stops there, the two PDFs
    before it (and every hand-out's HTML, written first) count as written, whole."""
    from scheduler.render.typeset import Typesetter

    typeset = Typesetter.pdf
    calls = []

    def third_interrupted(self, template: str, data):
        calls.append(template)
        if template == "handout.typ" and calls.count("handout.typ") == 3:
            raise KeyboardInterrupt
        return typeset(self, template, data)

    monkeypatch.setattr(Typesetter, "pdf", third_interrupted)
    report = render_all(weekend_plan, tmp_path, outputs=("calendars", "handouts"))
    assert report.interrupted == "handouts"
    assert report.not_made == ["handouts"]
    pdfs = [path for path in report.written if path.suffix == ".pdf"]
    assert len(pdfs) == 2
    for pdf in pdfs:
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF"), pdf
    assert sorted(tmp_path.rglob("*.pdf")) == sorted(pdfs)
    assert len([path for path in report.written if path.suffix == ".html"]) == len(list(tmp_path.rglob("*.html")))
    assert not list(tmp_path.rglob("*.tmp"))


@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        # another format
        ({"schema": "something-else/2"}, PlanFileError, "expected 'training-itinerary/1'"),
        # a solve without a plan: nothing to render
        ({"solver": {"status": "infeasible"}}, NoPlanError, "without a plan"),
        # a section missing
        ({"places": None}, PlanFileError, "places: expected a list of objects"),
        # a programme of more days than a scenario may have (a map for each would never end)
        (
            {"programme": {"first_date": "2019-09-07", "last_date": "2293-06-22", "days": 100_000}},
            PlanFileError,
            "programme.days: 100000 (expected 1 to 366)",
        ),
        # a last date that disagrees with the days
        (
            {"programme": {"first_date": "2019-09-07", "last_date": "2019-12-31", "days": 2}},
            PlanFileError,
            "programme.last_date: 2019-12-31 is not 2 days",
        ),
        # an event of the wrong shape
        ({"events": [{"class": "urban", "date": "2019-09-07"}]}, PlanFileError, "events[0].start: missing"),
        # an event at a place the file does not describe
        (
            {
                "events": [
                    {
                        "class": "urban",
                        "date": "2019-09-07",
                        "start": "08:00",
                        "end": "09:00",
                        "kind": "meal",
                        "place": "atlantis",
                    }
                ]
            },
            PlanFileError,
            "'atlantis'",
        ),
    ],
)
def test_a_plan_file_that_cannot_be_rendered(weekend_plan: dict[str, Any], change, error, words, tmp_path: Path):
    data = {**weekend_plan, **change}
    with pytest.raises(error, match=re.escape(words)):
        render_all(data, tmp_path)
    assert list(tmp_path.iterdir()) == []
