"""The solve as a library call: reproducible runs, and the stages' figures."""

from __future__ import annotations

from helpers import ROOT

from scheduler.analysis.check import check
from scheduler.plan.model import SolveStatus
from scheduler.scenario.loading import load_scenario
from scheduler.solver import SolveOptions, solve


def test_one_worker_and_a_seed_give_the_same_plan_every_time():
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    options = SolveOptions(time_limit=3, workers=1, seed=7)
    first, second = solve(scenario, options), solve(scenario, options)
    assert first.plan is not None
    assert first.plan == second.plan
    assert first.stats.objective == second.stats.objective


def test_a_reproducible_run_interleaves_its_workers_on_deterministic_time():
    """With ``deterministic`` (``--reproducible``) two workers search as one deterministic
    schedule, their time CP-SAT's deterministic time; without it they run free on the clock."""
    from ortools.sat.python import cp_model

    from scheduler.solver.cpsat.engine import configure

    for deterministic in (True, False):
        solver = cp_model.CpSolver()
        configure(solver, SolveOptions(time_limit=5, workers=2, deterministic=deterministic), 5)
        assert solver.parameters.interleave_search is deterministic
        assert (solver.parameters.max_deterministic_time == 5) is deterministic
    scenario = load_scenario(ROOT / "scenarios" / "day-trip-one-class.yaml")
    options = SolveOptions(time_limit=2, workers=2, seed=3, deterministic=True)
    first, second = solve(scenario, options), solve(scenario, options)
    assert first.plan is not None and first.plan == second.plan


def test_small_scenario_is_proven_optimal_and_checked():
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    result = solve(scenario, SolveOptions(time_limit=20))
    assert result.status is SolveStatus.OPTIMAL
    assert result.stats.gap == 0.0
    assert result.stats.first_plan_seconds is not None
    assert check(scenario, result.plan) == []
    assert sum(result.objective_terms.values()) == result.stats.objective
