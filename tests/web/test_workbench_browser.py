"""The workbench end to end in headless Chromium, as an organiser uses it: open the weekend
scenario, break a site's opening hours and see the error at that field, fix them and save (the
file's comments kept), make a plan and see the overview fill in, pin a visit to another day and
re-plan (what changed, who must be told, undo), and download the booklet PDF and read it back.

The steps share one server and one browser and run in order; each checks what the one before it
left."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from workbench_helpers import SCENARIO, WEEKEND, Running

from scheduler.scenario.loading import load_scenario

SOLVE_SECONDS = "10"
WAIT = 60.0


def wait_for(driver: Any, css: str, timeout: float = WAIT) -> Any:
    """The first element matching ``css`` once the page shows it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
    )


def wait_stale(driver: Any, element: Any, timeout: float = WAIT) -> None:
    """Until ``element``'s page has been replaced (after a click that loads another)."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout, poll_frequency=0.2).until(expected_conditions.staleness_of(element))


def field(driver: Any, path: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, f'[data-path="{path}"]')


def type_into(element: Any, text: str) -> None:
    element.clear()
    element.send_keys(text)


def current_plan(workbench: Running) -> dict[str, Any]:
    state = json.loads(next(workbench.folder.glob(".workbench/*/state.json")).read_text(encoding="utf-8"))
    return json.loads(Path(state["history"][-1]["plan"]).read_text(encoding="utf-8"))


def visit_day(plan: dict[str, Any], class_id: str, site: str) -> str:
    first = plan["programme"]["first_date"]
    for event in plan["events"]:
        if event["class"] == class_id and event.get("site") == site and event["kind"] == "field_visit":
            return (dt.date.fromisoformat(first) + dt.timedelta(days=event["day"] - 1)).isoformat()
    raise AssertionError(f"{class_id} does not visit {site}")


@pytest.fixture(scope="module")
def steps(workbench: Running, browser: Any) -> dict[str, Any]:
    return {"url": workbench.url, "driver": browser}


def test_the_folder_lists_the_scenario_and_opens_it(workbench: Running, browser: Any):
    from selenium.webdriver.common.by import By

    browser.get(workbench.url + "language?to=en&back=/")
    links = browser.find_elements(By.CSS_SELECTOR, "a.scenario-link")
    assert [link.text for link in links] == [SCENARIO]
    links[0].click()
    assert wait_for(browser, "h1").text == "Weekend themed course (example)"
    assert browser.find_element(By.ID, "solve").is_enabled()


def test_a_closing_hour_before_the_opening_hour_is_shown_at_its_field(workbench: Running, browser: Any):
    from selenium.webdriver.common.by import By

    before = (workbench.folder / SCENARIO).read_bytes()
    browser.get(workbench.url + f"edit?f={SCENARIO}&section=sites")
    type_into(field(browser, "sites[huershan].hours.close"), "07:00")
    browser.find_element(By.ID, "save").click()
    wait_for(browser, "#message")
    close = field(browser, "sites[huershan].hours.close")
    assert "invalid" in close.get_attribute("class")
    problem = close.find_element(By.XPATH, "following-sibling::div[@class='field-problem']")
    assert "close 07:00 is not after open 08:30" in problem.text
    assert close.get_attribute("value") == "07:00"  # what the user typed is kept to correct
    assert browser.switch_to.active_element == close  # the page takes the user to it
    listed = browser.find_element(By.CSS_SELECTOR, "#field-problems").text
    assert "sites[huershan].hours.close (Closes): close 07:00 is not after open 08:30" in listed
    assert (workbench.folder / SCENARIO).read_bytes() == before  # nothing saved


def test_the_corrected_hours_are_saved_with_the_files_comments(workbench: Running, browser: Any):
    from selenium.webdriver.common.by import By

    type_into(field(browser, "sites[huershan].hours.close"), "17:00")
    browser.find_element(By.ID, "save").click()
    assert wait_for(browser, "#message.ok").text == "Saved."
    text = (workbench.folder / SCENARIO).read_text(encoding="utf-8")
    assert text.startswith("# Weekend, two classes: a small scenario for tests and docs")
    assert "travel:            # as in dalian-2019.yaml (fitted on coach-times.csv)" in text
    assert 'hours: {open: "08:30", close: "17:00"}' in text
    original = WEEKEND.read_text(encoding="utf-8").splitlines()
    changed = text.splitlines()
    assert len(changed) == len(original)
    assert sum(a != b for a, b in zip(original, changed, strict=True)) == 1  # only the huershan line
    assert load_scenario(workbench.folder / SCENARIO).site("huershan").hours.close == 17 * 60


def test_an_edit_made_outside_is_noticed_and_not_overwritten(workbench: Running, browser: Any):
    from selenium.webdriver.common.by import By

    browser.get(workbench.url + f"edit?f={SCENARIO}&section=limits")
    notice = browser.find_element(By.ID, "disk-notice")
    assert not notice.is_displayed()
    path = workbench.folder / SCENARIO
    outside = path.read_text(encoding="utf-8") + "# edited in a text editor\n"
    path.write_text(outside, encoding="utf-8")
    deadline = time.monotonic() + 10
    while not notice.is_displayed() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert notice.is_displayed()
    type_into(field(browser, "limits.latest_return"), "17:30")
    browser.find_element(By.ID, "save").click()
    assert "changed outside the workbench" in wait_for(browser, "#refused").text
    assert path.read_text(encoding="utf-8") == outside
    browser.find_element(By.CSS_SELECTOR, "#refused a").click()  # reload: the file as it is now
    assert field(browser, "limits.latest_return").get_attribute("value") == "18:00"


def test_a_plan_is_made_with_live_progress_and_the_overview_fills_in(workbench: Running, browser: Any):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(workbench.url + f"plan?f={SCENARIO}")
    assert not browser.find_elements(By.ID, "overview")
    Select(browser.find_element(By.ID, "time-limit")).select_by_value(SOLVE_SECONDS)
    browser.find_element(By.ID, "solve").click()
    wait_for(browser, '#job[data-running="yes"]')  # the search shown under way (the page may reload meanwhile)
    grid = wait_for(browser, "#overview")
    rows = grid.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert [row.find_element(By.TAG_NAME, "th").text for row in rows] == ["Urban class", "Rural class"]
    for row in rows:
        assert len(row.find_elements(By.CSS_SELECTOR, "td.cell")) == 2
        assert row.find_elements(By.CSS_SELECTOR, ".ev.k-field_visit")
    assert browser.find_element(By.ID, "fig-objective").text not in ("", "–")
    assert "Plan found" in browser.find_element(By.ID, "job-state").text


def test_pinning_a_visit_to_another_day_replans_and_undo_restores(workbench: Running, browser: Any):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    plan = current_plan(workbench)
    day = visit_day(plan, "urban", "huershan")
    other = "2019-09-08" if day == "2019-09-07" else "2019-09-07"
    visit = browser.find_element(By.CSS_SELECTOR, 'button.pin-this[data-class="urban"][data-site="huershan"]')
    visit.click()  # the visit in the overview fills in the form, with another day
    form = browser.find_element(By.ID, "pin-form")
    assert Select(form.find_element(By.NAME, "class")).first_selected_option.get_attribute("value") == "urban"
    assert Select(form.find_element(By.NAME, "site")).first_selected_option.get_attribute("value") == "huershan"
    assert Select(form.find_element(By.NAME, "date")).first_selected_option.get_attribute("value") == other
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    heading = wait_for(browser, "#what-changed")
    assert heading.text.endswith(
        "Urban class visits Huershan Community on " + ("09-08 Sun" if other.endswith("08") else "09-07 Sat")
    )
    assert visit_day(current_plan(workbench), "urban", "huershan") == other
    diff = browser.find_element(By.ID, "diff").text
    assert "Huershan Community" in diff
    assert "Urban class" in browser.find_element(By.ID, "who").text
    assert (workbench.folder / SCENARIO).read_text(encoding="utf-8").count(
        "site_closed"
    ) == 0  # the file is not touched

    browser.find_element(By.ID, "save-variant").click()  # the change as a variant file beside the scenario
    assert "weekend-two-classes-what-if-1.yaml" in wait_for(browser, "p.ok").text
    variant = workbench.folder / "weekend-two-classes-what-if-1.yaml"
    assert "extends: weekend-two-classes.yaml" in variant.read_text(encoding="utf-8")
    pinned = load_scenario(variant)
    assert not pinned.site("huershan").is_open_on(dt.date.fromisoformat(day))
    assert "huershan" in pinned.requirements_for("urban").must_visit

    undo = browser.find_element(By.ID, "undo")
    undo.click()
    wait_stale(browser, undo)  # the page with the change shows an overview too
    wait_for(browser, "#overview")
    assert not browser.find_elements(By.ID, "what-changed")
    assert visit_day(current_plan(workbench), "urban", "huershan") == day


def test_the_labels_switch_to_chinese_and_back(workbench: Running, browser: Any):
    from selenium.webdriver.common.by import By

    browser.get(workbench.url + f"plan?f={SCENARIO}")
    browser.find_element(By.LINK_TEXT, "中文").click()
    grid = wait_for(browser, "#overview")
    assert "周六" in grid.find_element(By.TAG_NAME, "thead").text
    assert "城镇建设与社会治理班" in grid.text
    assert browser.find_element(By.CSS_SELECTOR, ".tabs a.on").text == "行程"
    browser.find_element(By.LINK_TEXT, "English").click()
    assert "Sat" in wait_for(browser, "#overview thead").text


def test_the_booklet_pdf_is_made_and_downloaded(workbench: Running, browser: Any, tmp_path: Path):
    from selenium.webdriver.common.by import By

    browser.get(workbench.url + f"downloads?f={SCENARIO}")
    browser.find_element(By.ID, "make-booklet-pdf").click()
    link = wait_for(browser, "#files a[href*='booklet.pdf']", timeout=90)
    status, body = workbench.get(link.get_attribute("href").removeprefix(workbench.url))
    assert status == 200
    assert body.startswith(b"%PDF")
    pdf = tmp_path / "booklet.pdf"
    pdf.write_bytes(body)
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext missing")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Weekend themed course" in text
    assert re.search(r"Huershan", text)


def test_the_pages_log_no_script_error(workbench: Running, browser: Any):
    for page in (f"plan?f={SCENARIO}", f"edit?f={SCENARIO}&section=lecturers", f"downloads?f={SCENARIO}"):
        browser.get(workbench.url + page)
        time.sleep(0.2)
        errors = [e["message"] for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
        assert errors == [], (page, errors)
