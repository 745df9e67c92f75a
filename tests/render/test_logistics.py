"""The logistics an organiser hands out, read back with the real readers: the county course
(``scenarios/county-course-en.yaml``, English names only, every kind of contact, two sites and a
hotel at one place) is solved, checked and rendered once; every address, contact, hotel name and
note it gives must appear where a person looks for it.
"""

from __future__ import annotations

import copy
import math
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from test_render import pdf_pages, squeeze

from scheduler.plan.lodging import bookings, hotels_of
from scheduler.plan.model import Night, Plan
from scheduler.render import render_all
from scheduler.render.document import Document
from scheduler.render.html import Booklet
from scheduler.render.labels import Labels
from scheduler.render.logistics import lodging_nights
from scheduler.render.maps import MapFiles
from scheduler.scenario.loading import load_scenario
from scheduler.scenario.model import Scenario

ROOT = Path(__file__).resolve().parents[2]
COUNTY = ROOT / "scenarios" / "county-course-en.yaml"


@pytest.fixture(scope="module")
def county() -> Scenario:
    return load_scenario(COUNTY)


@pytest.fixture(scope="module")
def county_plan(county: Scenario, quick) -> dict[str, Any]:
    from scheduler.analysis.check import assert_valid
    from scheduler.plan.export import result_to_json
    from scheduler.solver import solve

    result = solve(county, quick)
    assert result.plan is not None, result.status
    assert_valid(county, result.plan)
    return result_to_json(county, result, COUNTY)


@pytest.fixture(scope="module")
def county_out(county_plan: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("county")
    report = render_all(county_plan, out, lang="en")  # every output, once for the tests of this and other modules
    assert report.ok, [str(f) for f in report.failures]
    return out


@pytest.fixture(scope="module")
def doc(county_plan: dict[str, Any]) -> Document:
    return Document.from_json(county_plan)


def sheet_of(pages: list[str], title: str) -> list[str]:
    return [p for p in pages if squeeze(title) in squeeze(p)]


def test_the_overview_has_every_class_and_day(county_out: Path, doc: Document):
    labels = Labels("en")
    pages = pdf_pages(county_out / "booklet.pdf")
    assert squeeze(labels("section_overview")) in squeeze(pages[1])  # the page after the cover
    overview = squeeze(pages[1])
    for klass in doc.classes:
        assert squeeze(klass.name("en")) in overview
    for date in doc.dates:
        assert squeeze(labels("day_n", n=doc.day_number(date))) in overview
        assert squeeze(labels.short_date(date)) in overview
    for (class_id, date), stay in doc.stays.items():
        assert stay.hotel is not None
        assert squeeze(doc.hotel_name(doc.hotels[stay.hotel], "en")) in overview, (class_id, date)


def test_sites_and_hotels_print_under_their_own_names(county_out: Path, doc: Document, county: Scenario):
    """Two sites and a hotel share the place Utica: each prints under its own name, and a
    night at the hotel says the hotel, not the place or a school there."""
    text = squeeze("".join(pdf_pages(county_out / "booklet.pdf")))
    for site in doc.visited_sites():
        assert squeeze(county.site_name(site.id, "en")) in text
    labels = Labels("en")
    pages = pdf_pages(county_out / "booklet.pdf")
    for klass in doc.classes:
        for date in doc.dates[:-1]:
            heading = squeeze(f"{labels('day_n', n=doc.day_number(date))}{labels.date(date)}")
            day = [squeeze(p) for p in pages if heading in squeeze(p) and squeeze(klass.name("en")) in squeeze(p)]
            day = [p for p in day if squeeze(labels("section_duty")) not in p]
            assert len(day) == 1
            hotel = doc.hotel_of(klass.id, date)
            assert hotel is not None
            assert squeeze(f"{labels('night_at')}{doc.hotel_name(hotel, 'en')}") in day[0]
            assert squeeze(doc.hotel_address(hotel) or "") in day[0]


def test_every_contact_address_and_note_given_appears(county_out: Path, doc: Document, county: Scenario):
    pages = pdf_pages(county_out / "booklet.pdf")
    text = squeeze("".join(pages))
    labels = Labels("en")
    cover = squeeze(pages[0])
    for contact in county.programme.contacts:
        assert squeeze(contact.name) in cover and squeeze(contact.phone or "") in cover
    assert squeeze(county.programme.notes or "") in cover
    visited = {site.id for site in doc.visited_sites()}
    for site in county.sites:
        if site.id not in visited:
            continue
        page = sheet_of(pages, f"{labels('section_sites')}{county.site_name(site.id, 'en')}")
        assert len(page) == 1, site.id
        assert squeeze(site.address or "") in squeeze(page[0])
        for contact in site.contacts:
            assert squeeze(f"{contact.name}·{contact.phone}") in squeeze(page[0])
        assert squeeze(site.note or "") in squeeze(page[0])
    for klass in county.classes:
        page = [
            p
            for p in pages
            if squeeze(klass.label("en")) in squeeze(p) and squeeze(labels("class_teacher")) in squeeze(p)
        ]
        assert page, klass.id
        overview = squeeze(page[0])
        assert squeeze(klass.class_teacher.name) in overview and squeeze(klass.class_teacher.phone) in overview
        assert squeeze(klass.coach.plate) in overview and squeeze(klass.coach.driver) in overview
        assert squeeze(klass.notes or "") in overview
    lodging = squeeze("".join(sheet_of(pages, labels("section_lodging"))))
    used = {stay.hotel for stay in doc.stays.values()}
    for key, hotel in zip(county.hotel_keys(), county.lodging, strict=True):
        if key not in used:
            continue
        assert squeeze(hotel.name_en) in lodging
        assert squeeze(hotel.address) in lodging
        for contact in hotel.contacts:
            assert squeeze(contact.name) in lodging
        if hotel.note:
            assert squeeze(hotel.note) in lodging
    for lecturer in county.lecturers:
        if any(e.lecturer == lecturer.id for e in doc.plan.events):
            page = sheet_of(pages, f"{labels('section_lecturers')}{lecturer.label('en')}")
            assert len(page) == 1
            for value in (lecturer.phone, lecturer.email, lecturer.contact and lecturer.contact.name):
                if value:
                    assert squeeze(value) in squeeze(page[0])
    # the duty sheets name every class's driver's phone and the office
    duty = squeeze("".join(sheet_of(pages, labels("section_duty"))))
    for klass in county.classes:
        assert squeeze(klass.coach.phone) in duty
    assert squeeze(county.programme.contacts[1].phone) in duty
    assert "Night:" in "".join(pages) and text


def test_lodging_counts_people_and_rooms(county: Scenario, doc: Document, county_out: Path):
    plan = doc.plan
    for booking in bookings(county, plan):
        klass = county.training_class(booking.class_id)
        hotel = county.hotel(booking.hotel)
        assert booking.headcount == klass.trainees + 3  # professor, class teacher, driver
        assert booking.rooms == math.ceil(klass.trainees / hotel.people_per_room) + 3
    book = load_workbook(county_out / "itinerary.xlsx")
    labels = Labels("en")
    assert book.sheetnames[0] == labels("section_overview")
    rows = list(book[labels("section_lodging")].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len({(b.date, b.hotel) for b in bookings(county, plan)})
    for row in rows:
        hotel = next(h for h in county.lodging if h.name_en == row[3])
        assert row[5] == hotel.address
        assert row[10] == hotel.rooms
    overview = list(book[labels("section_overview")].iter_rows(values_only=True))
    assert overview[0][3:] == tuple(k.label("en") for k in county.classes)
    assert len(overview) == 1 + county.programme.days


def test_hotels_at_one_place_keep_their_classes(county: Scenario):
    """Two hotels at one place, one class each a night: a class that slept in one stays in it."""
    data = county.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["lodging"] = [
        {"id": "a", "name_en": "Hotel A", "place": "utica", "classes_per_night": 1},
        {"place": "utica", "name_en": "Hotel B", "classes_per_night": 1},
        {"place": "utica", "name_en": "Hotel C", "classes_per_night": 1},
    ]
    scenario = Scenario.model_validate(data)
    assert scenario.hotel_keys() == ("a", "utica", "utica.2")
    first, second = county.programme.first_date, county.programme.date_of(1)
    plan = Plan(
        events=(),
        nights=(
            Night("economy", first, "utica"),
            Night("civic", second, "utica"),
            Night("economy", second, "utica"),
        ),
    )
    chosen = hotels_of(scenario, plan)
    assert chosen[("economy", first)] == "a"
    assert chosen[("economy", second)] == "a"  # kept, although civic comes first in the list
    assert chosen[("civic", second)] == "utica"


def test_scenario_text_reaches_no_output_as_markup_or_formula(county_plan: dict[str, Any], tmp_path: Path):
    data = copy.deepcopy(county_plan)
    data["lodging"][0]["name_en"] = "<script>alert(1)</script>"
    data["lodging"][0]["contacts"][0]["name"] = "=1+1"
    data["sites"][0]["address"] = "line one\nline two <b>bold</b>"
    data["programme"]["notes"] = '=HYPERLINK("http://example.invalid")\n<img src=x onerror=alert(1)>'
    report = render_all(data, tmp_path, outputs=("booklet.html", "itinerary.xlsx"))
    assert report.ok, [str(f) for f in report.failures]
    html = (tmp_path / "booklet.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<b>bold" not in html
    book = load_workbook(tmp_path / "itinerary.xlsx")
    formulas = [
        cell.coordinate
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=") and cell.data_type != "s"
    ]
    assert formulas == []
    texts = [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert any(isinstance(v, str) and "=1+1" in v for v in texts)


CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def test_english_labels_leave_no_chinese_in_any_output(county_out: Path):
    """The county course has English names only: with English labels, no output holds a Chinese
    character (or a full-width sign) anywhere: booklet, spreadsheet, calendars, hand-outs."""
    texts = {p: p.read_text(encoding="utf-8") for p in county_out.rglob("*") if p.suffix in (".html", ".ics", ".svg")}
    texts |= {p: "".join(pdf_pages(p)) for p in county_out.rglob("*.pdf")}
    book = load_workbook(county_out / "itinerary.xlsx")
    texts[county_out / "itinerary.xlsx"] = " ".join(
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value
    ) + " ".join(book.sheetnames)
    found = {str(p.relative_to(county_out)): CJK.findall(text)[:5] for p, text in texts.items() if CJK.search(text)}
    assert found == {}
    assert len([p for p in texts if p.suffix == ".pdf"]) > 4  # the booklet and the hand-outs were read


def test_a_night_whose_rooms_nobody_gave_prints_no_room_count(county_plan: dict[str, Any]):
    """Without people per room, the rooms a night needs are unknown: the lodging list says how
    many people sleep where, never "0 rooms"."""
    data = copy.deepcopy(county_plan)
    for night in data["nights"]:
        night.pop("rooms", None)
    for hotel in data.get("lodging", []):
        hotel.pop("rooms", None)
    unknown = Document.from_json(data)
    labels = Labels("en")
    nights = lodging_nights(unknown, labels)
    assert nights and all(night.rooms is None and all(r.rooms is None for r in night.rows) for night in nights)
    known = lodging_nights(Document.from_json(county_plan), labels)
    assert all(night.rooms and night.rooms > 0 for night in known)
    no_maps = MapFiles(week=defaultdict(str), day=defaultdict(str), figures="")
    html = Booklet(unknown, labels, no_maps).html()
    assert "Night total: " in html and " rooms" not in html.split("Night total: ")[1].split("<")[0]
    assert "—" in html


def test_a_coach_whose_driver_is_left_empty_brings_no_driver(county: Scenario, county_plan: dict[str, Any]):
    """The lodging list and the hand-outs count the same people (one rule, for the scenario's
    classes and the plan file's): an empty driver's name is no driver."""
    from scheduler.plan.lodging import staff

    klass = next(k for k in county.classes if k.coach is not None and k.coach.driver)
    emptied = klass.model_copy(update={"coach": klass.coach.model_copy(update={"driver": ""})})
    assert staff(emptied) == staff(klass) - 1
    data = copy.deepcopy(county_plan)
    entry = next(k for k in data["classes"] if k["id"] == klass.id)
    entry["coach"]["driver"] = ""
    rendered = next(k for k in Document.from_json(data).classes if k.id == klass.id)
    assert staff(rendered) == staff(emptied)
