"""Variants side by side and sweeps in the workbench, in headless Chromium: a saved variant (a
site the plan visits closed on that day) compared with the base shows its verdict, its figures
and the visit it moves; a sweep of one kind fills the ranked risk table, whose spreadsheet
downloads with the same rows; a sweep shows how far it is and Stop keeps its results so far; a
variant named ``<script>`` shows the name as text.

The steps share one server (the weekend scenario, planned once) and one browser."""

from __future__ import annotations

import io
import json
import re
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from test_workbench_browser import wait_for, wait_stale
from workbench_helpers import SCENARIO, Running, open_request

from scheduler.analysis.disruptions import disruptions
from scheduler.plan.export import plan_from_json
from scheduler.scenario.loading import load_scenario
from scheduler.web.app import SWEEP_KINDS

SCRIPT_NAME = "<script>document.title='owned'</script> closed"


@pytest.fixture(scope="module")
def planned(workbench: Running) -> Running:
    """The workbench with a plan of the base scenario."""
    status, _ = workbench.post(f"solve?f={SCENARIO}", {"csrf": workbench.token, "time_limit": "5"})
    assert status == 200
    assert workbench.wait_job(timeout=90.0)["result"]["plan"]
    return workbench


def _base_plan(workbench: Running):
    state = json.loads(next(workbench.folder.glob(".workbench/*/state.json")).read_text(encoding="utf-8"))
    return plan_from_json(json.loads(Path(state["history"][-1]["plan"]).read_text(encoding="utf-8")))


CLOSED: dict[str, str] = {}


@pytest.fixture(scope="module")
def variant(planned: Running) -> str:
    """A variant file closing a site on the day the rural class visits it, named with a script."""
    plan = _base_plan(planned)
    visit = next(e for e in plan.events if e.kind == "field_visit" and e.class_id == "rural")
    name = "closed-variant.yaml"
    CLOSED["site"] = visit.site
    (planned.folder / name).write_text(
        f"extends: {SCENARIO}\n"
        f'name_en: "{SCRIPT_NAME}"\n'
        f"changes:\n  - site_closed: {{site: {visit.site}, date: {visit.date.isoformat()}}}\n",
        encoding="utf-8",
    )
    return name


def test_a_variant_compared_with_the_base_shows_its_verdict_and_the_moved_visit(
    planned: Running, variant: str, browser: Any
):
    from selenium.webdriver.common.by import By

    closed = load_scenario(planned.folder / SCENARIO).site_name(CLOSED["site"], "en")
    browser.get(planned.url + f"compare?f={variant}&lang=en")
    assert "compared with weekend-two-classes.yaml" in browser.find_element(By.TAG_NAME, "h1").text
    button = browser.find_element(By.ID, "compare")
    button.click()
    # the page reloads when the comparison ends: read it once the finished page is shown
    wait_stale(browser, button)
    wait_for(browser, '#job[data-running="no"]', timeout=120)
    verdict = wait_for(browser, "#verdict")
    assert verdict.text.startswith("closed-variant: feasible"), verdict.text
    figures = wait_for(browser, "#figures").text
    assert "Objective" in figures and "(base)" in figures
    changed = browser.find_element(By.ID, "diff").text
    assert f"Field visit: {closed}" in changed, changed
    assert "Rural class" in browser.find_element(By.ID, "who").text
    # rows no variant changes are hidden (the solver's rows stay)
    assert "figures that do not change are not shown" in browser.page_source


def test_a_script_in_the_variant_name_shows_as_text(planned: Running, variant: str, browser: Any):
    from selenium.webdriver.common.by import By

    browser.get(planned.url + f"compare?f={variant}&lang=en")
    header = browser.find_element(By.ID, "figures").find_element(By.TAG_NAME, "thead").text
    assert SCRIPT_NAME in header
    assert browser.title != "owned"
    status, body = planned.get(f"compare?f={variant}")
    assert status == 200 and b"<script>document.title" not in body and b"&lt;script&gt;document.title" in body


def test_the_base_lists_its_variants_to_compare(planned: Running, variant: str):
    status, body = planned.get(f"compare?f={SCENARIO}&lang=en")
    assert status == 200
    assert f'href="/compare?f={variant}"'.encode() in body
    status, body = planned.get("")  # the folder's list: a link to compare the variant, none for the base
    assert f'href="/compare?f={variant}"'.encode() in body and f'href="/compare?f={SCENARIO}"'.encode() not in body


def test_a_sweep_of_one_kind_ranks_its_disruptions_and_downloads_as_xlsx(planned: Running, browser: Any):
    from selenium.webdriver.common.by import By

    scenario = load_scenario(planned.folder / SCENARIO)
    expected = disruptions(scenario, _base_plan(planned), ("site-closed",))
    browser.get(planned.url + f"sweep?f={SCENARIO}&lang=en")
    label = " ".join(browser.find_element(By.ID, "kind-site-closed").find_element(By.XPATH, "..").text.split())
    assert label == f"A site closed for a day ({len(expected)})", label  # how many it will try
    for kind in ("lecturer-away", "coach-limit"):
        box = browser.find_element(By.ID, f"kind-{kind}")
        if box.is_selected():
            box.click()
    assert browser.find_element(By.ID, "kind-site-closed").is_selected()
    browser.find_element(By.CSS_SELECTOR, "select[name=time_limit] option[value='2']").click()
    browser.find_element(By.ID, "sweep").click()
    planned.wait_job(timeout=90.0)
    rows = wait_for(browser, "#risk-table tbody tr").find_elements(By.XPATH, "../tr")
    assert len(rows) == len(expected) > 1
    cells = [[td.text for td in row.find_elements(By.TAG_NAME, "td")] for row in rows]
    assert {c[1] for c in cells} == {"site closed"}
    assert [c[0] for c in cells] == [str(n) for n in range(1, len(rows) + 1)]
    costs = [float(c[4]) for c in cells if c[4]]
    assert costs == sorted(costs, reverse=True), costs  # no plan first (none here), then by cost
    assert browser.find_element(By.ID, "risk-summary").text.startswith(f"{len(expected)} disruptions")

    link = browser.find_element(By.ID, "download-xlsx").get_attribute("href")
    status, content = planned.get(link.removeprefix(planned.url))
    assert status == 200
    sheet = load_workbook(io.BytesIO(content)).active
    table = [row for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert [row[2] for row in table] == [c[2] for c in cells]
    status, data = planned.get(
        browser.find_element(By.ID, "download-json").get_attribute("href").removeprefix(planned.url)
    )
    assert status == 200 and json.loads(data)["kinds"] == ["site-closed"]


def test_a_sweep_needs_a_kind(planned: Running):
    status, body = planned.post(f"sweep?f={SCENARIO}", {"csrf": planned.token, "time_limit": "2"})
    assert status == 400 and b"choose at least one kind" in body


def test_a_sweep_shows_its_progress_and_stop_keeps_the_results_so_far(planned: Running):
    fields = [("csrf", planned.token), ("time_limit", "5")] + [("kinds", kind) for kind in SWEEP_KINDS]
    request = urllib.request.Request(
        planned.url + f"sweep?f={SCENARIO}", data=urllib.parse.urlencode(fields).encode(), method="POST"
    )
    assert open_request(request)[0] == 200
    jobs = planned.server.app.state.bench.jobs
    deadline = time.monotonic() + 60
    while not ((job := jobs.get(SCENARIO).snapshot())["progress"] or {}).get("done"):
        assert job["running"] and time.monotonic() < deadline, job
        time.sleep(0.1)
    progress = job["progress"]
    assert 0 < progress["done"] < progress["total"] and progress["left"] > 0
    status, body = planned.get(f"sweep?f={SCENARIO}&lang=en")
    after = jobs.get(SCENARIO).snapshot()["progress"]["done"]  # the sweep runs on while the page is drawn
    shown = re.search(rb"(\d+) / %d\b" % progress["total"], body)
    assert shown and progress["done"] <= int(shown[1]) <= after, (shown, progress, after)
    assert b"Stop (keep the results so far)" in body
    status, body = planned.post(f"stop?f={SCENARIO}", {"csrf": planned.token})
    assert status == 200 and b"How fragile is this plan?" in body  # back on the sweep's page
    result = planned.wait_job(timeout=90.0)["result"]
    assert result["interrupted"]
    table = json.loads(Path(result["table"]).read_text(encoding="utf-8"))
    endings = [row["ending"] for row in table["rows"]]
    assert not table["complete"] and "not_run" in endings and len(endings) == progress["total"]
    status, body = planned.get(f"sweep?f={SCENARIO}&lang=en")
    assert b"(not all were tried)" in body
