"""The gap a run reports: measured against the plan's size, which never crosses zero."""

from __future__ import annotations

import pytest

from scheduler.plan.model import Result, SolverStats, SolveStatus


def test_the_gap_is_measured_against_the_plans_terms_not_an_objective_near_zero():
    """Coach minutes 300 less rewards 350 is an objective of -50: against it, a bound of -100
    would read as a gap of 100 %; against the plan's size (650) it is 50 / 650."""
    stats = SolverStats(SolveStatus.FEASIBLE, objective=-50.0, best_bound=-100.0, seconds=1.0)
    terms = {"coach_minutes(class=a,day=0)": 300, "site_value(class=a,site=s)": -350}
    result = Result(stats, None, terms)
    assert result.stats.scale == 650
    assert result.stats.gap == pytest.approx(50 / 650)
    # without terms the objective's own size is all there is
    assert stats.gap == pytest.approx(1.0)
    proven = Result(SolverStats(SolveStatus.OPTIMAL, -50.0, -50.0, 1.0), None, terms)
    assert proven.stats.gap == 0.0
