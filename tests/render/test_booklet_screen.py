"""The HTML booklet on a screen: a phone (390 px) and a desktop (1280 px), in headless Chromium.

On a phone the sheets take the screen's width and tables turn into stacked cards: nothing is
off screen and nothing scrolls sideways. On a desktop the sheets keep their A4 width, as
printed. A navigation of classes and days (plain anchors) opens the page, and each day sheet
keeps a strip of its class's days at the top of the screen while it is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from helpers import DATA
from test_render_browser import browser, console_errors  # noqa: F401 (browser is a fixture)

from scheduler.render import render_all
from scheduler.render.document import Document
from scheduler.render.files import file_name

PHONE, DESKTOP = 390, 1280
A4_PX = 210 / 25.4 * 96


@pytest.fixture(scope="module")
def dalian_html(tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, Path]:
    data = json.loads((DATA / "dalian-plan.json").read_text(encoding="utf-8"))
    out = tmp_path_factory.mktemp("dalian-html")
    report = render_all(data, out, outputs=("booklet.html",))
    assert report.ok, [str(f) for f in report.failures]
    return Document.from_json(data), out / "booklet.html"


@pytest.fixture(params=["weekend", "dalian"])
def booklet(request: pytest.FixtureRequest, weekend_plan: dict[str, Any]) -> tuple[Document, Path]:
    if request.param == "dalian":
        return request.getfixturevalue("dalian_html")
    return Document.from_json(weekend_plan), request.getfixturevalue("weekend_outputs") / "booklet.html"


@contextmanager
def emulated(driver: Any, width: int) -> Iterator[Any]:
    """The browser as a screen ``width`` CSS px wide: a phone below 800 px, else a desktop."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": width < 800},
    )
    try:
        yield driver
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def screen(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[Any, int]]:  # noqa: F811
    with emulated(browser, request.param) as driver:
        yield driver, request.param


OFF_SCREEN = """
const width = window.innerWidth;
const bad = [];
for (const cell of document.querySelectorAll(arguments[0])) {
  if (!cell.textContent.trim()) continue;  // an empty cell may be left out of a card
  const box = cell.getBoundingClientRect();
  const style = getComputedStyle(cell);
  const hidden = box.width === 0 || box.height === 0 || style.visibility !== "visible" || style.display === "none";
  if (hidden || box.left < -0.5 || box.right > width + 0.5) {
    bad.push([cell.closest("section").id, cell.className, cell.textContent.trim().slice(0, 40), box.left, box.right]);
  }
}
return bad;
"""


def test_nothing_scrolls_sideways_and_every_cell_is_on_screen(booklet, screen):
    _, html = booklet
    driver, width = screen
    driver.get(html.as_uri())
    assert driver.execute_script("return window.innerWidth") == width
    assert driver.execute_script("return document.documentElement.scrollWidth") <= width
    assert driver.execute_script(OFF_SCREEN, "table.timeline td") == []
    assert driver.execute_script(OFF_SCREEN, "table td, table tbody th") == []
    assert console_errors(driver) == []


def test_the_desktop_keeps_the_a4_sheet(booklet, browser):  # noqa: F811
    _, html = booklet
    with emulated(browser, DESKTOP) as driver:
        driver.get(html.as_uri())
        widths = driver.execute_script(
            "return [...document.querySelectorAll('section.page:not(.landscape)')]"
            ".map(s => s.getBoundingClientRect().width)"
        )
    assert widths and all(abs(w - A4_PX) < 1 for w in widths)


def test_the_phone_shows_every_column_of_a_day(booklet, browser):  # noqa: F811
    """On a phone each timeline row is a card holding every non-empty cell, each named."""
    doc, html = booklet
    with emulated(browser, PHONE) as driver:
        driver.get(html.as_uri())
        cards = driver.execute_script(
            """return [...document.querySelectorAll('table.timeline tbody tr')].map(tr => {
                 const box = tr.getBoundingClientRect();
                 return [box.left, box.right, getComputedStyle(tr).display];
               })"""
        )
        labels = driver.execute_script(
            """return [...document.querySelectorAll('table.timeline td.c-who')].filter(td => td.textContent.trim())
                 .map(td => getComputedStyle(td, '::before').content)"""
        )
    assert len(cards) >= sum(len(doc.events_of(c.id)) for c in doc.classes)
    assert all(left >= 0 and right <= PHONE and display == "block" for left, right, display in cards)
    assert labels and all(label not in ("none", "normal", '""') for label in labels)


def test_days_are_reached_from_the_navigation(booklet, screen):
    doc, html = booklet
    driver, _ = screen
    driver.get(html.as_uri())
    klass, date = doc.classes[-1], doc.dates[-1]
    anchor = f"class-{file_name(klass.id)}-day{doc.day_number(date)}"
    link = driver.find_element("css selector", f'nav#nav a[href="#{anchor}"]')
    assert link.is_displayed()
    link.click()
    assert driver.execute_script("return location.hash") == f"#{anchor}"
    top = driver.execute_script(f"return document.getElementById('{anchor}').getBoundingClientRect().top")
    assert abs(top) < 60
    # further down the day sheet, its strip of the class's days stays at the top of the screen
    driver.execute_script("window.scrollBy(0, 700)")
    strip = driver.execute_script(
        f"const nav = document.querySelector('#{anchor} nav.sheet-nav'); const box = nav.getBoundingClientRect();"
        "return [box.top, nav.querySelectorAll('a').length, nav.querySelector('a[aria-current]').getAttribute('href')]"
    )
    assert abs(strip[0]) < 1
    assert strip[1] == doc.programme.days + 2  # contents, the week, each day
    assert strip[2] == f"#{anchor}"


def test_print_shows_no_navigation(booklet, browser):  # noqa: F811
    _, html = booklet
    browser.get(html.as_uri())
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = browser.execute_script(
            "return [...document.querySelectorAll('nav, .b-screen, .col-title, .col-night')]"
            ".filter(e => getComputedStyle(e).display !== 'none').length"
        )
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert shown == 0
