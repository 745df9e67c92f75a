"""The editor's logistics: contacts, class teachers and coaches, notes, and the days and coach
legs that differ. A phone typed as a formula shows the loader's message at its field (in
headless Chromium, inside the row's "More" panel); a coach added to a class is saved with the
file's comments and layout and read back by the command line's loader; a day override and a
measured leg edited and saved come back as they were typed; a field or a list emptied leaves its
key out of the file. No solve: each test reads the file and the page only."""

from __future__ import annotations

import difflib
import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import _serve
from helpers import ROOT
from workbench_helpers import SCENARIO, WEEKEND, Running

from scheduler.scenario.loading import load_scenario
from scheduler.web import editing

COUNTY = ROOT / "scenarios" / "county-course-en.yaml"


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The workbench serving a folder holding a copy of the county course (contacts, coaches,
    notes) and of the weekend scenario (none of them)."""
    folder = tmp_path_factory.mktemp("logistics")
    shutil.copy(COUNTY, folder / COUNTY.name)
    shutil.copy(WEEKEND, folder / SCENARIO)
    yield from _serve(folder)


def _save(running: Running, name: str, section: str, fields: dict[str, str]) -> str:
    """The page after the section's form is sent with ``fields`` (as a browser sends it: with the
    page's token and the digest of the file it showed)."""
    _, page = running.get(f"edit?f={name}&section={section}")
    digest = page.decode().split('name="digest" value="', 1)[1].split('"', 1)[0]
    status, body = running.post(f"edit?f={name}&section={section}", {"csrf": running.token, "digest": digest, **fields})
    assert status == 200, body[:400]
    return body.decode()


def _value(page: str, path: str) -> str:
    """The value the page shows in the field of YAML path ``path``."""
    field = re.search(r"<(input|textarea|select)[^>]*data-path=\"" + re.escape(path) + r"\"[^>]*>", page)
    assert field, f"no field {path}"
    if field.group(1) == "input":
        return html.unescape(re.search(r'value="([^"]*)"', field.group(0)).group(1))
    rest = page[field.end() :]
    if field.group(1) == "textarea":
        return html.unescape(rest.split("</textarea>", 1)[0])
    selected = re.search(r'<option value="([^"]*)"\s*selected', rest.split("</select>", 1)[0])
    return html.unescape(selected.group(1)) if selected else ""


def _added_and_removed(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


def test_a_formula_as_a_hosts_phone_shows_the_loaders_message_at_that_field(county: Running, browser: Any):
    from selenium.webdriver.common.by import By

    path = county.folder / COUNTY.name
    before = path.read_bytes()
    browser.get(county.url + f"edit?f={COUNTY.name}&section=sites&lang=en")
    phone = browser.find_element(By.CSS_SELECTOR, '[data-path="sites[city_hall].contacts[1].phone"]')
    assert not phone.is_displayed()  # in the row's "More" panel, closed
    phone.find_element(By.XPATH, "ancestor::details/summary").click()
    phone.clear()
    phone.send_keys("=1+1")
    browser.find_element(By.ID, "save").click()
    phone = browser.find_element(By.CSS_SELECTOR, '[data-path="sites[city_hall].contacts[1].phone"]')
    assert phone.is_displayed(), "the panel of a field with a problem is open"
    assert "invalid" in phone.get_attribute("class")
    assert phone.get_attribute("value") == "=1+1"  # what was typed is kept
    message = phone.find_element(By.XPATH, "following-sibling::div[@class='field-problem']").text
    assert message.startswith("'=1+1' is not a phone number")
    listed = browser.find_element(By.ID, "field-problems").text
    assert "sites[city_hall].contacts[1].phone (Phone): '=1+1' is not a phone number" in listed
    assert "Not saved" in browser.find_element(By.ID, "message").text
    assert path.read_bytes() == before


def test_a_coach_added_to_a_class_is_saved_with_the_files_comments_and_read_by_the_loader(county: Running):
    path = county.folder / SCENARIO
    before = path.read_text(encoding="utf-8")
    coach = '["classes", 1, "coach", "{}"]'
    page = _save(
        county,
        SCENARIO,
        "classes",
        {
            coach.format("plate"): "辽B·12345",
            coach.format("driver"): "王师傅",
            coach.format("phone"): "139 0411 0000",
            '["classes", 1, "class_teacher", "name"]': "李老师",
            '["classes", 1, "notes"]': "Bring rain gear.\r\nBreakfast at 06:45.",
        },
    )
    assert "Saved." in page
    after = path.read_text(encoding="utf-8")
    # only the new lines: every comment and blank line where it was (the class is the last one,
    # so the blank line before `lecturers:` still ends the classes)
    assert _added_and_removed(before, after) == [
        '+     coach: {plate: 辽B·12345, driver: 王师傅, phone: "139 0411 0000"}',
        "+     class_teacher: {name: 李老师}",
        "+     notes: |",
        "+       Bring rain gear.",
        "+       Breakfast at 06:45.",
    ]
    rural = load_scenario(path).training_class("rural")
    assert (rural.coach.plate, rural.coach.driver, rural.coach.phone) == ("辽B·12345", "王师傅", "139 0411 0000")
    assert rural.class_teacher.name == "李老师"
    assert rural.notes == "Bring rain gear.\nBreakfast at 06:45.\n"
    assert _value(page, "classes[rural].coach.driver") == "王师傅"
    # cleared, every field of the coach and the class teacher: their keys go, not `coach: {}`
    cleared = {coach.format(key): "" for key in ("plate", "driver", "phone")}
    _save(county, SCENARIO, "classes", {**cleared, '["classes", 1, "class_teacher", "name"]': ""})
    assert [line for line in _added_and_removed(before, path.read_text(encoding="utf-8")) if "notes" not in line] == [
        "+       Bring rain gear.",
        "+       Breakfast at 06:45.",
    ]
    assert load_scenario(path).training_class("rural").coach is None


def test_a_day_override_and_a_measured_leg_round_trip(county: Running):
    path = county.folder / SCENARIO
    page = _save(
        county,
        SCENARIO,
        "days",
        {
            '["programme", "day_overrides", "+", "day"]': "2",
            '["programme", "day_overrides", "+", "latest_return"]': "16:00",
            '["programme", "day_overrides", "+", "max_coach_minutes"]': "300.5",
            '["programme", "day_overrides", "+", "rest_day"]': "",
        },
    )
    assert "Saved." in page
    assert _value(page, "programme.day_overrides[1].day") == "2"
    assert _value(page, "programme.day_overrides[1].latest_return") == "16:00"
    override = load_scenario(path).programme.day_overrides[0]
    assert (override.day, override.latest_return, override.max_coach_minutes) == (2, 16 * 60, 300.5)
    assert "rest_day" not in path.read_text(encoding="utf-8")  # left empty: not written
    page = _save(
        county,
        SCENARIO,
        "travel",
        {
            '["travel", "overrides", 1, "minutes"]': "40.25",
            '["travel", "overrides", "+", "from"]': "wafangdian",
            '["travel", "overrides", "+", "to"]': "jinpu",
            '["travel", "overrides", "+", "minutes"]': "66",
        },
    )
    assert "Saved." in page
    assert _value(page, "travel.overrides[2].minutes") == "40.25"
    assert _value(page, "travel.overrides[5].from") == "wafangdian"
    text = path.read_text(encoding="utf-8")
    assert "    - {from: pulandian, to: wafangdian, minutes: 40.25, km: 40}\n" in text
    assert "    - {from: wafangdian, to: jinpu, minutes: 66}\n" in text
    assert "travel:            # as in dalian-2019.yaml" in text  # its comment kept
    legs = {(leg.from_, leg.to): leg.minutes for leg in load_scenario(path).travel.overrides}
    assert legs[("pulandian", "wafangdian")] == 40.25 and legs[("wafangdian", "jinpu")] == 66
    # the only override removed: the list goes with it
    page = _save(county, SCENARIO, "days", {'["programme", "day_overrides", 0, "__delete__"]': "1"})
    assert "day_overrides" not in path.read_text(encoding="utf-8")
    assert load_scenario(path).programme.day_overrides == ()


def test_a_day_that_is_not_in_the_programme_is_refused_with_the_loaders_message(county: Running):
    page = _save(county, SCENARIO, "days", {'["programme", "day_overrides", "+", "day"]': "9"})
    assert "Not saved" in page
    # the loader names the programme for it (it compares two of its keys): shown above the table
    problem = re.search(r'<p class="problem section-problem">([^<]*)</p>', page)
    assert problem and "day_overrides names day 9, but the programme has 2 days" in html.unescape(problem.group(1))
    assert "day_overrides" not in (county.folder / SCENARIO).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Front desk", "Front desk"),  # plain text stays plain
        ("yes", '"yes"'),  # YAML would read a boolean
        ("2019", '"2019"'),  # ... a number
        ("+86 411 8765 4321", "+86 411 8765 4321"),  # text; the phone always quoted, as the shipped files write it
    ],
)
def test_text_is_written_so_that_the_loader_reads_it_back_as_typed(text: str, written: str):
    form = {'["lodging", 0, "contacts", "+", "name"]': text, '["lodging", 0, "contacts", "+", "phone"]': text}
    _, new, _ = editing.edit(WEEKEND.read_text(encoding="utf-8"), editing.SECTION_BY_NAME["lodging"], form)
    line = next(line for line in new.splitlines() if "contacts" in line)
    assert f'contacts: [{{name: {written}, phone: "{text}"}}]' in line


def test_the_places_page_draws_every_place_and_names_one_typed_far_off(county: Running):
    page = _save(county, COUNTY.name, "places", {'["places", 2, "lat"]': "34.23"})  # 43.23 mistyped
    assert "Saved." in page  # a latitude anywhere on earth loads: the map is what shows it
    svg = page.split('<svg viewBox="0 0 720 ', 1)[1].split("</svg>", 1)[0]
    assert [html.unescape(row) for row in re.findall(r'<g class="pt ?(?:far)?" data-row="([^"]+)"', svg)] == [
        "places[utica]",
        "places[rome]",
        "places[griffiss]",
        "places[herkimer]",
        "places[little_falls]",
    ]
    assert '<g class="pt far" data-row="places[griffiss]"' in svg
    far = re.search(r'<ul class="problems" id="far-places">\s*<li>([^<]*)</li>', page)
    assert far and far.group(1).startswith("Griffiss park lies about 98")
    assert "° N" in svg and "° W" in svg  # the grid's latitudes and longitudes, west of Greenwich


def test_a_place_far_from_the_others_is_marked_on_the_map(tmp_path: Path):
    data = editing.load_text(COUNTY.read_text(encoding="utf-8"))
    assert not [p for p in editing.coordinate_map(data, "en").places if p.far_km]
    data["places"][2]["lat"] = 34.23  # 43.23 with a digit mistyped
    far = [(p.ident, p.far_km) for p in editing.coordinate_map(data, "en").places if p.far_km]
    assert [ident for ident, _ in far] == ["griffiss"] and 950 < far[0][1] < 1050
