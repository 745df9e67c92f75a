"""The week at a glance as printed: readable text, names whole, every stretch of the day labelled.

The week sheets alone are typeset by the booklet's own template (``pdf.booklet_data`` with
``only`` the week sheets), at the normal size and at the most shrunk fit level (``fit-2``, which
the PDF uses for a sheet that ran over), and read back with poppler's ``pdftotext -bbox``:
every word's height gives its font size (the ratio of height to size is measured on a reference
line of known size). The Dalian week is
the real, crowded one: 4 classes, 7 days, long Chinese names, coach legs of 2 minutes.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import DATA
from test_render import need, squeeze

from scheduler.render.document import Document
from scheduler.render.fonts import cjk_font_files
from scheduler.render.html import GRID, MM_PER_PT, TIME_ALWAYS_FROM, WAIT_SHOWN_FROM, Booklet, day_gaps, label_lines
from scheduler.render.labels import Labels
from scheduler.render.maps import MapFiles
from scheduler.render.pdf import booklet_data
from scheduler.render.typeset import Typesetter

MIN_PT = 7.0
"""The smallest text the week sheet may print."""


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def words_of(pdf: Path) -> list[list[Word]]:
    """Each page's words with their boxes (pt), as poppler reads them."""
    out = subprocess.run([need("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True)
    pages = []
    for page in re.findall(r"<page .*?</page>", out.stdout, flags=re.S):
        pages.append(
            [
                Word(html.unescape(m[4]), float(m[0]), float(m[1]), float(m[2]), float(m[3]))
                for m in re.findall(
                    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page
                )
            ]
        )
    return pages


@pytest.fixture(scope="module")
def height_per_pt(tmp_path_factory: pytest.TempPathFactory) -> float:
    """A word's box height in pdftotext per pt of font size, for the booklet's font."""
    import typst

    target = tmp_path_factory.mktemp("reference") / "reference.pdf"
    source = '#set text(font: "Noto Sans CJK SC", size: 20pt)\n参考 Ref 12:00\n'
    fonts = sorted({str(path.parent) for path in cjk_font_files()})
    typst.compile(source.encode(), output=str(target), font_paths=fonts, ignore_system_fonts=True)
    (words,) = words_of(target)
    heights = {round(w.y1 - w.y0, 2) for w in words}
    assert len(heights) == 1, heights
    return heights.pop() / 20


def no_maps(doc: Document) -> MapFiles:
    """Map paths for a booklet whose week sheets alone are laid out (they show no map)."""
    return MapFiles(
        week={c.id: "maps/none.svg" for c in doc.classes},
        day={(c.id, d): "maps/none.svg" for c in doc.classes for d in doc.dates},
        figures="maps/none.svg",
    )


def week_sheets(data: dict[str, Any], fit: int, lang: str | None, target: Path) -> tuple[Document, Labels]:
    """The booklet's week sheets alone, each at fit level ``fit`` (no maps needed), as a PDF."""
    doc = Document.from_json(data)
    labels = Labels(lang or doc.programme.language)
    booklet = Booklet(doc, labels, no_maps(doc))
    weeks = [f"{section.anchor}-week" for section in booklet.context["classes"]]
    target.write_bytes(Typesetter().pdf("booklet.typ", booklet_data(booklet, target.parent, only=weeks, fit=fit)))
    return doc, labels


@pytest.fixture(
    scope="module",
    params=[("dalian", "zh", 0), ("dalian", "zh", 2), ("dalian", "en", 2), ("weekend", None, 2)],
    ids=["dalian-fit0", "dalian-fit2", "dalian-en-fit2", "weekend-fit2"],
)
def weeks(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The week sheets of a plan at a fit level: (document, labels, PDF).
    The English names of the Dalian week are longer: some print as marks with a legend."""
    plan, lang, fit = request.param
    if plan == "dalian":
        data = json.loads((DATA / "dalian-plan.json").read_text(encoding="utf-8"))
    else:
        data = request.getfixturevalue("weekend_plan")
    target = tmp_path_factory.mktemp(f"{plan}-weeks") / "weeks.pdf"
    doc, labels = week_sheets(data, fit, lang, target)
    return doc, labels, target


def test_no_text_on_a_week_sheet_is_under_7pt(weeks, height_per_pt: float):
    doc, _, pdf = weeks
    pages = words_of(pdf)
    assert len(pages) == len(doc.classes)  # each week sheet on one page
    for page in pages:
        sizes = {w.text: (w.y1 - w.y0) / height_per_pt for w in page}
        small = {text: round(size, 2) for text, size in sizes.items() if size < MIN_PT - 0.05}
        assert not small, small


def test_every_site_of_the_week_is_named_whole_on_its_sheet(weeks):
    doc, labels, pdf = weeks
    pages = [squeeze(" ".join(w.text for w in page)) for page in words_of(pdf)]
    for klass, page in zip(doc.classes, pages, strict=True):
        assert "…" not in page
        for e in doc.events_of(klass.id):
            if e.kind == "field_visit" and e.site:
                assert squeeze(doc.site_name(e.site, labels.lang)) in page, (klass.id, e.site)


def test_every_word_of_the_grid_is_inside_its_block(weeks):
    """Nothing runs out of its block (the blocks clip nothing, so text that did not fit would
    show below or beside it): each word in the grid lies within a block of its day's column.

    The grid's place on the page is read off the PDF: the hour labels (centred on their hour
    lines) give its vertical scale and origin, and the hours' column its left edge.
    """
    doc, labels, pdf = weeks
    sections = Booklet(doc, labels, no_maps(doc)).context["classes"]
    pt = 1 / MM_PER_PT
    checked = 0
    for section, page in zip(sections, words_of(pdf), strict=True):
        hours = {w.text: w for w in page if re.fullmatch(r"\d\d:00", w.text) and w.x0 < 40 * pt}
        (a_label, a_mm), (b_label, b_mm) = section.hours[0], section.hours[-1]
        a, b = hours[a_label], hours[b_label]
        scale = ((b.y0 + b.y1) / 2 - (a.y0 + a.y1) / 2) / (b_mm - a_mm)
        assert scale == pytest.approx(pt, rel=0.01)
        top = (a.y0 + a.y1) / 2 - a_mm * scale
        left = max(w.x1 for w in hours.values()) + 1.5 * pt  # .hour sits 1.5 mm left of the columns
        column = (GRID.width_mm - GRID.hours_mm) / len(section.columns) * pt
        half_line = GRID.font_pt * GRID.line_height / 2
        for w in page:
            middle = (w.y0 + w.y1) / 2
            if not (left < w.x0 and top < middle < top + GRID.height_mm * pt):
                continue
            day = section.columns[int((w.x0 - left) // column)]
            right = left + (section.columns.index(day) + 1) * column
            inside = [
                block
                for block in day.blocks
                if top + block.top * pt - 0.5 <= middle - half_line
                and middle + half_line <= top + (block.top + block.height) * pt + 0.5
            ]
            assert inside, (section.id, day.heading, w.text)
            assert w.x1 <= right - (GRID.inset_mm + GRID.pad_x_mm) * pt + 0.5, (section.id, day.heading, w.text)
            checked += 1
    assert checked > 100


def test_a_block_of_45_minutes_shows_its_time(weeks):
    doc, _, pdf = weeks
    pages = [squeeze(" ".join(w.text for w in page)) for page in words_of(pdf)]
    for klass, page in zip(doc.classes, pages, strict=True):
        for e in doc.events_of(klass.id):
            if e.minutes >= TIME_ALWAYS_FROM:
                assert f"{e.start // 60:02d}:{e.start % 60:02d}–{e.end // 60:02d}:{e.end % 60:02d}" in page


def test_short_coach_legs_and_waits_are_labelled(weeks):
    """Each coach leg, wait and break prints a label: in its own block or, where the block is
    too short for a line of text, as a note in the block next to it."""
    doc, labels, pdf = weeks
    pages = [squeeze(" ".join(w.text for w in page)) for page in words_of(pdf)]
    booklet = Booklet(doc, labels, no_maps(doc))
    for section, page in zip(booklet.context["classes"], pages, strict=True):
        for column in section.columns:
            for i, block in enumerate(column.blocks):
                if block.kind not in ("travel", "wait", "break"):
                    continue
                if block.lines:
                    shown = block.lines
                else:  # carried by the next block with text, or the one before
                    after = next((b for b in column.blocks[i + 1 :] if b.lines), None)
                    before = next((b for b in reversed(column.blocks[:i]) if b.lines), None)
                    shown = [line for b in (after, before) if b for line in b.lines if line.role == "note"]
                    assert shown, (section.id, column.heading, block.time)
                for line in shown:
                    assert squeeze(line.text) in page


# ---------------------------------------------------------------------------
# The pieces


def test_gaps_are_the_stretches_between_events_worth_asking_about():
    from scheduler.plan.model import Event

    day = dt.date(2019, 8, 26)
    events = [
        Event("c", day, 480, 496, "travel", "site", from_place="hotel", to_place="site"),
        Event("c", day, 510, 630, "field_visit", "site", site="s"),  # 14 min after the coach: a wait
        Event("c", day, 630 + WAIT_SHOWN_FROM - 1, 700, "meal", "site"),  # too short to tell
        Event("c", day, 735, 800, "lecture", "site"),  # 35 min after lunch: a break
    ]
    assert [(g.kind, g.start, g.end, g.place) for g in day_gaps(events)] == [
        ("wait", 496, 510, "site"),
        ("break", 700, 735, "site"),
    ]


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("辽阳弓长岭雷锋纪念馆", 8.3, 2),  # ten characters, eight to a line
        ("辽阳弓长岭雷锋纪念馆", 10.5, 1),
        ("→ 大连光洋科技集团", 8.3, 2),  # the arrow and space, then eight characters
        ("07:30–08:36", 8.3, 1),
        ("07:30–08:36", 4.0, 2),  # breaks after the dash
        ("Liaoyang Gongchangling Lei Feng Memorial", 8.3, 4),  # a word to a line
        ("“九·一八”历史博物馆", 8.3, 2),
    ],
)
def test_line_count_of_a_label(text: str, width: float, lines: int):
    assert label_lines(text, width, bold=True) == lines


def test_the_grid_text_is_set_at_least_at_7pt():
    assert GRID.font_pt >= MIN_PT
