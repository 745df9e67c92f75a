"""Day routes built from the prices (``route_generation``), for programmes too large to list
every route: at any prices, and on any side of the branching, the pricing finds the same
cheapest week as it would over every route listed, while building only a part of them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scheduler.instances.generate import GeneratorOptions, generate
from scheduler.solver.bound import week_bound as week_bound_module
from scheduler.solver.bound.class_bound import Branch, ClassAlone, narrowing_of
from scheduler.solver.bound.route_relaxation import Relaxation
from scheduler.solver.bound.week_pricing import ClassWeeks
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.params import FocusParams, SolverParams


def never() -> bool:
    return False


def _listed_cheapest(cand, relaxed, class_id, names, tracked, banned) -> float:
    """The cheapest week over every listed route of the class, at the prices ``names`` (row
    name -> signed dual), with the same sites tracked and the routes ``banned`` ruled out."""
    own = [c for c in relaxed.columns if c.class_id == class_id]
    weeks = ClassWeeks(cand, Relaxation(relaxed.rows, own), None, class_id, max_tracked=len(tracked))
    assert weeks.tracked == list(tracked)  # the must-visit sites: both price the same weeks
    reduced = np.array([c.cost - sum(names.get(n, 0.0) * v for n, v in c.rows.items()) for c in own])
    reduced[banned] = np.inf
    week = weeks.cheapest(reduced)
    return math.inf if week is None else week.reduced


@pytest.mark.parametrize("class_id", ["private", "rural"])
def test_the_generated_pricing_finds_the_cheapest_week_of_all_routes(dalian, class_id):
    """At the prices a listed master goes through (with the must-visit sites' rows at the
    slack's price at first, then settling), the pricing's week costs exactly what the cheapest
    week over every listed route costs: with no branch, and on a side that fixes a night's
    place and rules a site out of a day."""
    scenario, cand, relaxed = dalian
    listed = ClassAlone(cand, relaxed, class_id)
    generated = ClassAlone.generated(cand, class_id)
    columns = listed.relaxed.columns
    place = next(c.route.end for c in columns if c.day == 1)
    site = next(s for c in columns if c.day == 3 for s in sorted(c.route.sites))
    sides = [(), (Branch("place", 1, place, taken=True), Branch("site", 3, site, taken=False))]
    checked = 0
    for step in range(8):
        if step in (0, 7):
            names = dict(zip(listed.prices.names, listed.prices.signed(listed.duals), strict=True))
            duals = np.array([names.get(n, 0.0) for n in generated.prices.names])
            for branches in sides:
                week, exact = generated.cheapest_week(duals, branches, never, None)
                assert exact
                signed = dict(zip(generated.prices.names, generated.prices.signed(duals), strict=True))
                banned = listed.banned(branches) if branches else np.zeros(len(columns), dtype=bool)
                expected = _listed_cheapest(cand, relaxed, class_id, signed, generated.weeks.tracked, banned)
                assert week is not None and week.reduced == pytest.approx(expected, abs=1e-6), (step, branches)
                # step 3 alone, from the first pool: a target half a unit above the cheapest
                # week is enough to build every route of it
                fresh = ClassAlone.generated(cand, class_id)
                pool = (fresh.relaxed.columns, fresh.prices.reduced_costs(duals))
                priced = fresh.generator.price(signed, frozenset(fresh.weeks.tracked), narrowing_of(branches), pool)
                assert priced.least <= expected + 1e-6
                found, _ = priced.routes_below(expected + 0.5, never)
                fresh.grow(found)
                again = fresh.cheapest_in_pool(duals, branches)
                assert again is not None and again.reduced == pytest.approx(expected, abs=1e-6), (step, branches)
                if branches:  # the week keeps the side's branches
                    days = {generated.relaxed.columns[j].day: generated.relaxed.columns[j] for j in week.columns}
                    assert days[1].route.end == place and site not in days[3].route.sites
                checked += 1
        listed.advance(never)
    assert checked == 4
    # only a part of the class's routes was built
    assert generated.routes < len(columns) / 2


@pytest.mark.parametrize(("sites", "seed"), [(8, 1), (10, 2)])
def test_a_programme_priced_from_generated_routes_gets_the_listed_bound(sites, seed):
    """On small generated programmes (2 classes, 3 days), where the branching ends either way,
    the week bound from routes built from the prices is the bound from every route listed,
    from a fraction of the routes."""
    scenario = generate(GeneratorOptions(classes=2, days=3, sites=sites, lecturers=3, seed=seed)).scenario
    cand = Candidates(scenario)
    listed = week_bound_module.week_bound(cand, 120)
    never_listed = SolverParams(focus=FocusParams(week_bound_legs=0))
    generated = week_bound_module.week_bound(cand, 120, params=never_listed)
    assert listed.reason == generated.reason == ""
    assert generated.bound == listed.bound
    assert generated.day_routes < listed.day_routes / 4
