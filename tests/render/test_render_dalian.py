"""The real week's booklet: a saved plan of the Dalian 2019 scenario (tests/data/dalian-plan.json,
written by ``solve.py scenarios/dalian-2019.yaml --json``), rendered once, the only Dalian
render of the test suite: 4 classes, 7 days, Chinese names throughout.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import DATA
from pypdf import PdfReader
from test_render import expected_pages, lodging_sheets, pdf_pages, squeeze

from scheduler.render import pdf, render_all
from scheduler.render.document import Document

PLAN = DATA / "dalian-plan.json"


@pytest.fixture(scope="module", params=[None, 30], ids=["whole", "in-parts"])
def dalian(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, Path]:
    """The booklet typeset whole, and typeset in parts of 30 sheets (as a programme of many
    more sheets is) and joined: each test holds for both."""
    data = json.loads(PLAN.read_text(encoding="utf-8"))
    out = tmp_path_factory.mktemp("dalian")
    with pytest.MonkeyPatch.context() as patch:
        if request.param is not None:
            patch.setattr(pdf, "PARTS_FROM", 0)
            patch.setattr(pdf, "SHEETS_PER_PART", request.param)
        report = render_all(data, out, outputs=("booklet.pdf",))
    assert report.ok, [str(f) for f in report.failures]
    return Document.from_json(data), out


def test_the_dalian_booklet_has_a_page_per_sheet(dalian: tuple[Document, Path]):
    doc, out = dalian
    pages = pdf_pages(out / "booklet.pdf")
    assert len(pages) == expected_pages(doc)
    assert (
        expected_pages(doc)
        == 1 + 1 + 4 * 9 + len(doc.teaching_lecturers()) + len(doc.visited_sites()) + lodging_sheets(doc) + 7 + 1
    )
    text = squeeze("".join(pages))
    for klass in doc.classes:
        assert squeeze(klass.name_zh or "") in text
        assert squeeze(klass.professor.name_zh or "") in text
    for site in doc.visited_sites():
        assert squeeze(doc.places[site.place].name_zh or "") in text, site.id
    for lecturer in doc.teaching_lecturers():
        assert squeeze(lecturer.name_zh or "") in text, lecturer.id


def test_every_page_of_the_dalian_booklet_prints_its_number_and_the_programme(dalian: tuple[Document, Path]):
    """The sheets shrunk to fit (laid out again alone) keep their place: the footer of every page
    after the cover says which page of how many it is, and the programme's name."""
    doc, out = dalian
    pages = pdf_pages(out / "booklet.pdf")
    total = len(pages)
    programme = squeeze(doc.programme.name_zh or doc.programme.name_en or "")
    assert programme
    for number, text in enumerate(pages[1:], start=2):
        assert re.search(rf"(?m)^{number} / {total}$", text), (number, text[-200:])
        assert programme in squeeze(text), number
    assert not re.search(rf"(?m)^1 / {total}$", pages[0])  # the cover has no footer


def test_the_dalian_booklet_keeps_its_outline_and_every_link_lands_on_a_sheet(dalian: tuple[Document, Path]):
    """Bookmarks for every class's days, and every link inside the booklet (contents, the days'
    strip) points to a destination the PDF has, on the page of the sheet it names."""
    doc, out = dalian
    reader = PdfReader(out / "booklet.pdf")
    titles: list[str] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    for klass in doc.classes:
        assert klass.name_zh in titles
    assert sum(title.startswith("第1天") for title in titles) >= len(doc.classes)
    destinations = reader.named_destinations
    links = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                links += 1
                assert str(annotation["/Dest"]) in destinations, annotation["/Dest"]
            action = annotation.get("/A")
            assert action is None or "/URI" not in action.get_object(), action  # no link leaves the booklet
    assert links > 10
    pages = pdf_pages(out / "booklet.pdf")
    for klass in doc.classes:
        page = reader.get_destination_page_number(destinations[f"class-{klass.id}-day1"])
        assert squeeze(klass.name_zh) in squeeze(pages[page]) and "第1天" in pages[page]
