"""The HTML booklet in a real browser: Debian's Chromium, headless, driven by Selenium through
Debian's chromedriver (both installed by scripts/install-system-deps.sh; nothing is downloaded).

The booklet opens without a console error (no missing picture, no script error), prints to
PDF, and a name holding ``<script>`` shows as text and runs nothing.
"""

from __future__ import annotations

import base64
import copy
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scheduler.render import render_all

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    missing = [tool for tool in (CHROMIUM, CHROMEDRIVER) if not shutil.which(tool)]
    if missing:
        message = f"{', '.join(missing)} missing: run scripts/install-system-deps.sh (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        "--allow-file-access-from-files",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def console_errors(driver: Any) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]


def test_the_booklet_opens_and_prints_without_console_errors(browser: Any, weekend_outputs: Path):
    from selenium.webdriver.common.print_page_options import PrintOptions

    browser.get((weekend_outputs / "booklet.html").as_uri())
    assert console_errors(browser) == []
    broken = browser.execute_script(
        "return [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
    )
    assert broken == []
    sheets = browser.execute_script("return document.querySelectorAll('section.page').length")
    assert sheets > 10
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7  # A4, in cm
    options.background = True
    pdf = base64.b64decode(browser.print_page(options))
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type/Page") >= 1
    assert console_errors(browser) == []


def test_a_script_in_a_name_is_shown_not_run(browser: Any, weekend_plan: dict[str, Any], tmp_path: Path):
    data = copy.deepcopy(weekend_plan)
    data["programme"]["name_zh"] = "<script>window.__pwned = 1; console.error('ran')</script>"
    data["programme"]["name_en"] = "<script>window.__pwned = 2</script>Weekend"
    data["classes"][0]["name_en"] = '<img src=x onerror="window.__pwned = 3">'
    report = render_all(data, tmp_path, outputs=("booklet.html",))
    assert report.ok, report.failures
    browser.get((tmp_path / "booklet.html").as_uri())
    assert browser.execute_script("return window.__pwned === undefined")
    title = browser.execute_script("return document.querySelector('h1.title').textContent")
    assert title == "<script>window.__pwned = 2</script>Weekend"
    assert browser.execute_script("return document.querySelectorAll('script').length") == 0
    assert console_errors(browser) == []
