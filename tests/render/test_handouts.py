"""A file for each recipient (``scheduler/render/handouts.py``), read back with the real readers:
the county course (English names only, every kind of contact) solved and rendered once; each
trainee's, lecturer's, host's and driver's file holds what that person needs, as PDF and as one
self-contained HTML file that reads on a 390 px phone without scrolling sideways.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_logistics import COUNTY, county, county_out, county_plan, doc  # noqa: F401 - fixtures
from test_render import pdf_pages, squeeze
from test_render_browser import browser  # noqa: F401 - fixture

from scheduler.render import render_all
from scheduler.render.document import Document
from scheduler.render.files import file_names
from scheduler.render.labels import Labels
from scheduler.scenario.model import Scenario


@pytest.fixture(scope="module")
def handouts_out(county_out: Path) -> Path:  # noqa: F811
    """Every output of the county course, rendered once in English (``test_logistics``)."""
    return county_out


def text_of(path: Path) -> str:
    return squeeze("".join(pdf_pages(path)))


def test_one_file_per_class_lecturer_site_and_coach(handouts_out: Path, doc: Document):  # noqa: F811
    expected = {
        "classes": [k.id for k in doc.classes],
        "lecturers": [lec.id for lec in doc.teaching_lecturers()],
        "sites": [s.id for s in doc.visited_sites()],
        "coaches": [k.id for k in doc.classes],
    }
    for folder, ids in expected.items():
        stems = sorted(file_names(ids).values())
        for suffix in (".pdf", ".html"):
            assert sorted(p.stem for p in (handouts_out / folder).glob(f"*{suffix}")) == stems, (folder, suffix)
        for stem in stems:
            assert len(pdf_pages(handouts_out / folder / f"{stem}.pdf")) >= 1


def test_the_trainees_file_has_their_days_hotels_coach_and_notes(
    handouts_out: Path,
    doc: Document,  # noqa: F811
    county: Scenario,  # noqa: F811
):
    labels = Labels("en")
    for klass in county.classes:
        text = text_of(handouts_out / "classes" / f"{klass.id}.pdf")
        for date in doc.dates:
            assert squeeze(labels.date(date)) in text
            hotel = doc.hotel_of(klass.id, date)
            if hotel is not None:
                assert squeeze(f"{doc.hotel_name(hotel, 'en')}·{doc.hotel_address(hotel)}") in text
        assert squeeze(klass.coach.plate) in text and squeeze(klass.coach.phone) in text
        assert squeeze(klass.class_teacher.phone) in text
        assert squeeze(klass.notes) in text and squeeze(county.programme.notes) in text
        for e in doc.events_of(klass.id):
            if e.kind == "field_visit":
                assert squeeze(county.site_name(e.site, "en")) in text
                assert squeeze(county.site(e.site).address) in text
        # nobody else's day
        other = next(k for k in county.classes if k.id != klass.id)
        assert squeeze(other.class_teacher.phone) not in text


def test_the_lecturers_letter_says_when_where_and_how_to_get_there_and_back(
    handouts_out: Path,
    doc: Document,  # noqa: F811
):
    labels = Labels("en")
    for lecturer in doc.teaching_lecturers():
        text = text_of(handouts_out / "lecturers" / f"{lecturer.id}.pdf")
        for e in doc.lectures_of(lecturer.id):
            start = f"{e.start // 60:02d}:{e.start % 60:02d}"
            assert squeeze(labels.date(e.date)) in text and start in text
            if doc.places[e.place].address:
                assert squeeze(doc.places[e.place].address) in text
            trip = doc.trip_to(e)
            assert trip is not None
            if trip.from_place != trip.to_place:
                assert squeeze(f"by{trip.leave_by}") in text
            if trip.back is not None and trip.back.to_place != e.place:
                assert squeeze(f"arrivingabout{trip.back.arrives}") in text
            klass = doc.training_class(e.class_id)
            assert squeeze(klass.class_teacher.phone) in text


def test_the_hosts_notice_has_arrival_headcount_and_whom_to_call(
    handouts_out: Path,
    doc: Document,  # noqa: F811
    county: Scenario,  # noqa: F811
):
    for site in doc.visited_sites():
        text = text_of(handouts_out / "sites" / f"{site.id}.pdf")
        for e in doc.visits_to(site.id):
            klass = county.training_class(e.class_id)
            assert squeeze(f"{klass.trainees + 3}people({klass.trainees}trainees,3staff)") in text
            assert squeeze(klass.class_teacher.phone) in text
            day = doc.events_of(e.class_id, e.date)
            legs = [x for x in day if x.kind == "travel" and x.end <= e.start and x.from_place != x.to_place]
            if legs:
                assert f"coacharrives{legs[-1].end // 60:02d}:{legs[-1].end % 60:02d}" in text
        for contact in county.site(site.id).contacts:
            assert squeeze(contact.phone) in text


def test_the_drivers_sheet_has_every_leg_with_its_address(
    handouts_out: Path,
    doc: Document,  # noqa: F811
    county: Scenario,  # noqa: F811
):
    for klass in county.classes:
        text = text_of(handouts_out / "coaches" / f"{klass.id}.pdf")
        assert squeeze(klass.coach.plate) in text and squeeze(klass.coach.driver) in text
        for e in doc.events_of(klass.id):
            if e.kind == "travel" and e.from_place != e.to_place:
                assert squeeze(f"{doc.places[e.from_place].name('en')}→{doc.places[e.to_place].name('en')}") in text
        for date in doc.dates[:-1]:
            hotel = doc.hotel_of(klass.id, date)
            assert squeeze(doc.hotel_address(hotel)) in text


def test_the_html_files_are_self_contained(handouts_out: Path):
    for path in handouts_out.glob("*/*.html"):
        html = path.read_text(encoding="utf-8")
        assert "<style>" in html and 'name="viewport"' in html
        assert not re.search(r"""(src|href)\s*=|@import|url\(""", html), path


@pytest.mark.parametrize("width", [390, 1280])
def test_the_html_reads_on_a_phone_and_a_desktop(browser: Any, handouts_out: Path, width: int):  # noqa: F811
    browser.set_window_size(width, 900)
    for path in sorted(handouts_out.glob("*/*.html")):
        browser.get(path.resolve().as_uri())
        inner, scroll = browser.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]")
        assert scroll <= inner, (path.name, scroll, inner)
        outside = browser.execute_script(
            "return [...document.querySelectorAll('dd, li, h1, h2, p')]"
            ".filter(e => { const r = e.getBoundingClientRect();"
            " return r.right > window.innerWidth + 1 || r.left < -1; })"
            ".map(e => e.textContent.slice(0, 40))"
        )
        assert outside == [], (path.name, outside)


def test_scenario_text_reaches_no_handout_as_markup(county_plan: dict[str, Any], tmp_path: Path):  # noqa: F811
    import copy

    data = copy.deepcopy(county_plan)
    data["classes"][0]["notes"] = "<script>alert(1)</script>\n=1+1"
    data["classes"][0]["class_teacher"]["name"] = "<img src=x onerror=alert(1)>"
    report = render_all(data, tmp_path, outputs=("handouts",))
    assert report.ok, [str(f) for f in report.failures]
    html = (tmp_path / "classes" / f"{data['classes'][0]['id']}.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = text_of(tmp_path / "classes" / f"{data['classes'][0]['id']}.pdf")
    assert squeeze("<script>alert(1)</script>") in text


__all__ = ["COUNTY"]
