"""A class's share of the week bound under its own rows (``class_bound``): the sides of the
branching rule out exactly the routes they say, and branch and price ends on a real week of the
relaxation that no real plan's class beats."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import ROOT

from scheduler.scenario.goals import Term, route_goals
from scheduler.solver.bound.class_bound import Branch, ClassAlone, Phase

SAVED_PLAN = ROOT / "tests" / "data" / "dalian-plan.json"
OPTIMAL_TERMS = ROOT / "tests" / "data" / "dalian-optimal-terms.json"
"""The objective terms of a real Dalian plan, checked and proven optimal (929)."""


def _route_terms(terms: dict[str, int], class_id: str | None = None) -> int:
    """What the plan's objective terms say its day routes cost (of one class, or of all)."""
    return sum(
        value
        for name, value in terms.items()
        if (term := Term.parse(name)).goal in route_goals() and class_id in (None, term.class_id)
    )


def test_a_side_rules_out_exactly_the_routes_its_branches_forbid(dalian):
    scenario, cand, relaxed = dalian
    rural = ClassAlone(cand, relaxed, "rural")
    columns = rural.relaxed.columns
    place = columns[0].route.end
    site = next(s for c in columns if c.day == 2 for s in sorted(c.route.sites))
    cases = {
        Branch("place", 0, place, taken=True): lambda c: (
            (c.day == 0 and c.route.end != place) or (c.day == 1 and c.route.start != place)
        ),
        Branch("place", 0, place, taken=False): lambda c: c.day == 0 and c.route.end == place,
        # a site is visited at most once: taken on day 3, it is visited on no other day
        Branch("site", 2, site, taken=True): lambda c: (c.day == 2) != (site in c.route.sites),
        Branch("site", 2, site, taken=False): lambda c: c.day == 2 and site in c.route.sites,
    }
    for branch, ruled_out in cases.items():
        expected = np.array([ruled_out(c) for c in columns])
        assert expected.any() and not expected.all()
        assert (rural.banned((branch,)) == expected).all(), branch
    both = tuple(cases)[:1] + tuple(cases)[3:]
    assert (rural.banned(both) == (rural.banned(both[:1]) | rural.banned(both[1:]))).all()


def _rural_cost_of(plan_file: Path) -> float:
    """What a real plan pays for the rural class's routes: coach minutes less theme and value
    rewards."""
    terms = json.loads(plan_file.read_text(encoding="utf-8"))["objective_terms"]
    return _route_terms(terms, "rural")


def test_branching_ends_on_a_real_week_that_no_real_plan_beats(dalian):
    """Dalian's rural class: its master mixes weeks that no plan could take alone (342.5), so
    the branching must raise the bound and end where the cheapest real week of the relaxation
    is found. That week keeps every row alone, and a real plan's rural class costs no less."""
    scenario, cand, relaxed = dalian
    rural = ClassAlone(cand, relaxed, "rural")
    started = time.monotonic()

    def stopped() -> bool:
        return time.monotonic() - started > 240

    while rural.phase in (Phase.ROOT, Phase.BRANCHING) and not stopped():
        rural.advance(stopped)
    assert rural.phase is Phase.DONE and rural.sides_searched > 1
    assert rural.root_bound < rural.bound == rural.best_cost
    assert math.ceil(rural.root_bound) < rural.best_cost
    # the week is real: one route a day, each day from where the last ended, every row kept
    week = rural.best_week
    routes = [rural.relaxed.columns[j] for j in week.columns]
    klass = scenario.training_class("rural")
    assert [c.day for c in routes] == list(range(scenario.programme.days))
    places = [klass.first_place] + [c.route.end for c in routes]
    assert all(c.route.start == places[i] for i, c in enumerate(routes)) and places[-1] == klass.last_place
    visited = [s for c in routes for s in c.route.sites]
    assert len(visited) == len(set(visited))
    assert set(cand.requirements(klass).must_visit) <= set(visited)
    assert rural.master.keeps_every_row(rural.prices.activity(week.columns))
    assert rural.best_cost == pytest.approx(sum(c.cost for c in routes))
    assert rural.bound <= _rural_cost_of(SAVED_PLAN)
    # the optimal plan pays its rural class exactly that week's cost: a branching that cut a
    # real week off would end above it
    assert rural.bound == _rural_cost_of(OPTIMAL_TERMS)


def test_where_the_classes_mix_breaks_a_row_between_them_they_are_priced_together(dalian):
    """Dalian, each class's master settled alone: the rural class's mix sleeps more than two
    classes in Benxi one night with the two others there, which no plan can. Priced together
    under every row, the bound is at least the classes' bounds alone (the one master holds
    every row each class's master does) and never more than a real plan pays for its routes."""
    from scheduler.solver.bound.week_bound import priced_together, rows_between_classes_bind

    scenario, cand, relaxed = dalian
    alone = {k.id: ClassAlone(cand, relaxed, k.id) for k in scenario.classes}
    for a in alone.values():
        while a.phase is Phase.ROOT:
            a.advance(lambda: False)
    assert rows_between_classes_bind(relaxed, alone)
    together = priced_together(cand, relaxed, alone, lambda: False)
    # the one master's value is at least the classes' masters' together, and its bound ends
    # within half a unit of its value (each class's bound alone is rounded up: not comparable)
    assert together >= sum(a.root_bound for a in alone.values()) - 0.5
    terms = json.loads(SAVED_PLAN.read_text(encoding="utf-8"))["objective_terms"]
    assert together <= _route_terms(terms)
