"""Fixtures of the bound's tests: the Dalian week's candidates and route relaxation, built once
for every module that prices it (building them takes seconds; no test changes them)."""

from __future__ import annotations

import pytest
from helpers import ROOT

from scheduler.scenario.loading import load_scenario
from scheduler.solver.bound.route_relaxation import relaxation
from scheduler.solver.data.candidates import Candidates


@pytest.fixture(scope="session")
def dalian():
    """The Dalian 2019 scenario, its candidates and the relaxation over every listed day route."""
    scenario = load_scenario(ROOT / "scenarios" / "dalian-2019.yaml")
    cand = Candidates(scenario)
    return scenario, cand, relaxation(cand)
