"""One source of truth for what a soft goal costs (``scenario.goals``).

A reward added to ``GOALS`` must reach the CP-SAT objective, the route search's and the week
bound's valuation of a visit; were the bound to miss it, it would pass the optimum and a plan
could be reported proven optimal when it is not. Each test adds a reward that every visit earns
and checks one reader against the objective."""

from __future__ import annotations

import random
import re

import pytest
from helpers import ROOT
from ortools.sat.python.cp_model_helper import FlatIntExpr

from scheduler.scenario import goals
from scheduler.scenario.goals import Goal, Term
from scheduler.scenario.loading import load_scenario
from scheduler.solver.bound.route_relaxation import relaxation
from scheduler.solver.bound.week_bound import week_bound
from scheduler.solver.cpsat.model import build_model
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.heuristics.construct import construct
from scheduler.solver.heuristics.route_search import ClassSearch, WorkBudget
from scheduler.solver.options import SolveOptions
from scheduler.solver.run import solve

BONUS = Goal("test_bonus", "theme_fit", reward=True, label=("测试", "Test bonus"), per_visit=lambda klass, site: 3)
"""Every visit earns three theme-fit weights more: a reward no reader knows by name."""


@pytest.fixture
def bonus(monkeypatch):
    monkeypatch.setattr(goals, "GOALS", (*goals.GOALS, BONUS))


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")


def _objective_reward(built, class_id: str, site_id: str) -> int:
    """What the objective gives for one visit of the class to the site, read from its terms."""
    present = {
        visit.present.index
        for (c, _), day_vars in built.variables.class_days.items()
        if c == class_id
        for s, visit in day_vars.visits.items()
        if s == site_id
    }
    rewards = set()
    for index in present:
        total = 0
        for _, expr in built.terms:
            flat = FlatIntExpr(expr)
            total -= sum(c for c, v in zip(flat.coeffs, flat.vars, strict=True) if v.index == index)
        rewards.add(total)
    assert len(rewards) == 1, "a visit earns the same whichever day it falls on"
    return rewards.pop()


def test_the_objective_names_and_prices_an_added_reward(bonus, scenario):
    built = build_model(scenario)
    assert any(Term.parse(name).goal == "test_bonus" for name, _ in built.terms)
    cand = built.candidates
    klass = scenario.classes[0]
    site = scenario.site(next(iter(cand.visit_options[(klass.id, 0)])))
    expected = goals.visit_reward(scenario.weights, klass, site)
    assert expected == cand.visit_reward(klass.id, site.id)
    assert _objective_reward(built, klass.id, site.id) == expected
    # and the bonus is in it: three theme-fit weights above the goals without it
    without = sum(goals.visit_rewards(scenario.weights, klass, site).get(g.name, 0) for g in goals.GOALS[:-1])
    assert expected - without == 3 * scenario.weights.theme_fit


def test_the_route_search_values_a_visit_as_the_objective_does(bonus, scenario):
    built = build_model(scenario)
    cand = built.candidates
    skeleton = construct(cand)
    for klass in scenario.classes:
        others = {k: v for k, v in skeleton.days.items() if k != klass.id}
        idle = WorkBudget(0, lambda: True, 0.0)
        search = ClassSearch(cand, klass, skeleton.days[klass.id], others=others, rng=random.Random(0), budget=idle)
        site = next(iter(cand.visit_options[(klass.id, 0)]))
        assert search.worth[site] == _objective_reward(built, klass.id, site)


def test_the_week_bound_prices_routes_with_the_added_reward(bonus, scenario):
    cand = Candidates(scenario)
    for column in relaxation(cand).columns[:200]:
        klass = scenario.training_class(column.class_id)
        rewards = sum(goals.visit_reward(scenario.weights, klass, scenario.site(s)) for s in column.route.sites)
        coach = goals.COACH_MINUTES.price(scenario.weights) * column.route.driving_minutes
        assert column.cost == coach - rewards


def test_with_an_added_reward_the_bound_still_never_passes_the_optimum(bonus, scenario):
    # any plan will do: the bound may never pass the optimum, so neither any plan's objective
    # (a bound that missed the reward would stand far above both)
    result = solve(scenario, SolveOptions(time_limit=5, workers=1, seed=0))
    assert result.plan is not None
    assert any(name.startswith("test_bonus(") for name in result.objective_terms)
    found = week_bound(Candidates(scenario), seconds=10)
    assert found.bound is not None, found.reason
    assert found.bound <= result.stats.objective


def test_no_module_prices_a_goal_by_reading_its_weight():
    """Every reader goes through ``goals`` (``Goal.price``, ``visit_reward``), so that a goal
    added there reaches them all."""
    fields = "|".join(goal.weight for goal in goals.GOALS)
    pattern = re.compile(rf"weights\.({fields})\b")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "scheduler").rglob("*.py"))
        if path.name != "goals.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
