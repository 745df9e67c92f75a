"""The plans a solve hands out while it searches (``solve(..., on_plan=...)``), for figures
worked out on the plan as it improves (the workbench's live realism figures)."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from helpers import ROOT

from scheduler.analysis.check import check
from scheduler.scenario.loading import load_scenario
from scheduler.solver import SolveOptions, solve
from scheduler.solver.cpsat.engine import Tracker
from scheduler.solver.params import FocusParams, SolverParams


def test_the_tracker_hands_out_the_latest_better_plan_at_its_pace():
    sent: list[str] = []
    tracker = Tracker(None, started=0.0, on_plan=sent.append, plan_seconds=1.0)
    tracker.plan(10, lambda: "first")
    tracker.plan(9, lambda: "second")  # too soon: held
    tracker.plan(12, lambda: "worse")  # not better: never handed out
    tracker.plan(8, lambda: "third")  # replaces the held one
    assert sent == ["first"]
    time.sleep(1.05)  # the pace allows another
    tracker.new_bound(5)  # any report sends the held plan
    assert sent == ["first", "third"]
    tracker.new_bound(6)
    assert sent == ["first", "third"]  # nothing held: nothing sent

    unpaced: list[str] = []
    every = Tracker(None, started=0.0, on_plan=unpaced.append, plan_seconds=0.0)
    for objective, name in ((5, "a"), (4, "b"), (4, "same"), (3, "c")):
        every.plan(objective, lambda name=name: name)
    assert unpaced == ["a", "b", "c"]
    assert not Tracker(None, 0.0).wants_plans and every.wants_plans


@pytest.mark.parametrize("by_class", [False, True], ids=["whole model", "class by class"])
def test_every_plan_handed_out_during_a_solve_keeps_every_rule(by_class):
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    options = SolveOptions(time_limit=4, workers=2, seed=3)
    if by_class:
        options = replace(options, params=SolverParams(focus=FocusParams(by_class_legs=0)))
    plans = []
    result = solve(scenario, options, on_plan=plans.append)
    assert result.plan is not None
    assert plans, "no plan was handed out"
    for plan in plans:
        assert check(scenario, plan) == []
    assert plans[0].events and plans[0].nights
