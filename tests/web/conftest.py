"""Fixtures of the workbench's tests: a copy of the weekend scenario in a folder of its own, the
workbench serving it on 127.0.0.1 (started and stopped inside the tests; nothing listens
after), and headless Chromium driven by Selenium (Debian's chromium and chromedriver, installed
by scripts/install-system-deps.sh; nothing is downloaded)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from workbench_helpers import SCENARIO, WEEKEND, Running, listening

from scheduler.web.server import Server

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def _serve(folder: Path) -> Iterator[Running]:
    server = Server(folder)
    assert server.host == "127.0.0.1"
    server.start()
    try:
        yield Running(server, folder)
    finally:
        server.stop()
        assert not listening(server.port), "the workbench still listens after it was stopped"


@pytest.fixture(scope="module")
def workbench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The workbench serving a folder holding a copy of the weekend scenario."""
    folder = tmp_path_factory.mktemp("workbench")
    shutil.copy(WEEKEND, folder / SCENARIO)
    yield from _serve(folder)


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
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        "--window-size=1280,1000",
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
