"""Fixtures shared by the tests. Plain helpers and data live in ``helpers.py``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import read_data

from scheduler.solver.options import SolveOptions


@pytest.fixture(scope="session")
def quick() -> SolveOptions:
    """Solver options for the tiny test scenarios: at most 5 seconds, two workers, a fixed seed."""
    return SolveOptions(time_limit=5.0, workers=2, seed=0)


@pytest.fixture(scope="session")
def rules_base() -> dict[str, Any]:
    """``data/rules/base.yaml`` as plain data; change it with ``helpers.with_changes`` (which copies)."""
    return read_data("rules/base.yaml")


# ---------------------------------------------------------------------------
# The outputs (tests/test_render*.py): a small plan solved once, rendered once


@pytest.fixture(scope="session")
def weekend_plan(quick: SolveOptions) -> dict[str, Any]:
    """``scenarios/weekend-two-classes.yaml`` solved and checked once, as plan JSON data."""
    from scheduler.analysis.check import assert_valid
    from scheduler.plan.export import result_to_json
    from scheduler.scenario.loading import load_scenario
    from scheduler.solver import solve

    path = Path(__file__).resolve().parent.parent / "scenarios" / "weekend-two-classes.yaml"
    scenario = load_scenario(path)
    result = solve(scenario, quick)
    assert result.plan is not None, result.status
    assert_valid(scenario, result.plan)
    return result_to_json(scenario, result, path)


@pytest.fixture(scope="session")
def weekend_outputs(weekend_plan: dict[str, Any], tmp_path_factory: pytest.TempPathFactory):
    """Every output of the weekend plan, rendered once into a folder (labels in the plan's language)."""
    from scheduler.render import render_all

    out = tmp_path_factory.mktemp("weekend-outputs")
    report = render_all(weekend_plan, out)
    assert report.ok, [str(f) for f in report.failures]
    return out
