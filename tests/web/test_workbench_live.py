"""A solve's figures live on the page: the objective, bound and gap as the search improves,
and the realism figures of its latest plan before the search ends."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator

import pytest
from conftest import _serve
from helpers import ROOT
from workbench_helpers import Running

DALIAN = ROOT / "scenarios" / "dalian-2019.yaml"
FIGURES = ("gate_waits", "idle_blocks", "free_time_minutes", "trips_without_margin", "empty_days")


@pytest.fixture(scope="module")
def dalian(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    folder = tmp_path_factory.mktemp("live")
    shutil.copy(DALIAN, folder / DALIAN.name)
    yield from _serve(folder)


def test_the_realism_figures_of_the_latest_plan_show_while_the_solve_runs(dalian: Running):
    name = DALIAN.name
    status, _ = dalian.post(f"solve?f={name}", {"csrf": dalian.token, "time_limit": "8"})
    assert status == 200
    live: list[dict] = []
    page = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        _, body = dalian.get(f"state?f={name}")
        job = json.loads(body)["job"]
        if not job["running"]:
            break
        realism = (job["progress"] or {}).get("realism")
        if realism:
            live.append(job["progress"])
            if not page:
                _, page = dalian.get(f"plan?f={name}&lang=en")
        time.sleep(0.3)
    assert not job["running"] and job["result"]["plan"], job
    assert live, "no realism figures arrived while the solve ran"
    assert all(key in live[0]["realism"] for key in FIGURES)
    assert live[-1]["objective"] is not None  # each report carries the search's figures too
    # the page drawn during the solve shows them, each where the live script updates it
    for key in FIGURES:
        assert f'id="fig-r-{key}"'.encode() in page
    assert set(job["result"]["realism"]) >= set(FIGURES)
