"""The real week's booklet: a saved plan of the Dalian 2019 scenario (tests/data/dalian-plan.json,
written by ``solve.py scenarios/dalian-2019.yaml --json``), rendered once, the only Dalian
render of the test suite: 4 classes, 7 days, Chinese names throughout.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import DATA
from test_render import expected_pages, lodging_sheets, pdf_pages, squeeze

from scheduler.render import render_all
from scheduler.render.document import Document

PLAN = DATA / "dalian-plan.json"


@pytest.fixture(scope="module")
def dalian(tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, Path]:
    data = json.loads(PLAN.read_text(encoding="utf-8"))
    out = tmp_path_factory.mktemp("dalian")
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
