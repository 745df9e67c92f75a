"""Fixtures shared by the tests. Plain helpers and data live in ``helpers.py``."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import read_data

from scheduler.solver.run import SolveOptions


@pytest.fixture(scope="session")
def quick() -> SolveOptions:
    """Solver options for the tiny test scenarios: at most 5 seconds, two workers, a fixed seed."""
    return SolveOptions(time_limit=5.0, workers=2, seed=0)


@pytest.fixture(scope="session")
def rules_base() -> dict[str, Any]:
    """``data/rules/base.yaml`` as plain data; change it with ``helpers.with_changes`` (which copies)."""
    return read_data("rules/base.yaml")
