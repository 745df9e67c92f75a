"""The relaxed weeks' bound (``relaxed_weeks``): its day chains never cost more than any route the
listing would give the class, and its bound never exceeds a proven optimum."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import ROOT

from scheduler.scenario.goals import COACH_MINUTES
from scheduler.scenario.loading import load_scenario
from scheduler.solver.bound.day_routes import DayRouteEnumerator
from scheduler.solver.bound.relaxed_weeks import ClassDays, day_chains, relaxed_week_bound
from scheduler.solver.data.candidates import Candidates

INF = 1e18


@pytest.mark.parametrize("class_id", ["rural", "economy"])
@pytest.mark.parametrize("seed", [0, 1])
def test_the_cheapest_chains_cost_no_more_than_any_listed_route(dalian, class_id, seed):
    """At random site costs and a random price of the room for sessions, each evening place's
    cheapest chain costs no more than any route the listing has for the class from that
    morning place to it (coach minutes, site costs, less the priced room): the chains are a
    superset of the routes, their room at least the routes'. And it is reached: the listing's
    own cheapest is never more than a little above (the listing keeps, per set of sites, the
    cheapest order and, apart, the most room of any order)."""
    scenario, cand, _ = dalian
    klass = scenario.training_class(class_id)
    req = cand.requirements(klass)
    data = ClassDays(cand, class_id)
    enumerator = DayRouteEnumerator(cand)
    places = cand.travel.place_numbers
    coach = COACH_MINUTES.price(scenario.weights)
    rng = np.random.default_rng(seed)
    last = scenario.programme.days - 1
    compared = 0
    for d in (0, 2, last):
        day = data.days[d]
        costs = rng.uniform(-120, 40, len(day.sites))
        room_price = float(rng.uniform(0, 0.3))
        by_site = {data.site_ids[s]: costs[k] for k, s in enumerate(day.sites)}
        sites = [scenario.site(data.site_ids[s]) for s in day.sites]
        ends = cand.end_places(klass, d)
        for start in cand.start_places(klass, d):
            best, chains, rooms = day_chains(data, d, places[start], costs, room_price)
            routes = enumerator.routes_from(d, start, sites, ends, max_visits=req.max_visits_per_day)
            for e, end in enumerate(ends):
                admitted = [
                    r
                    for r in routes
                    if r.end == end
                    and (d != 0 or r.morning_room >= req.opening_minutes)
                    and (d != last or r.afternoon_room >= req.presentation_minutes + req.closing_minutes)
                ]
                if not admitted:
                    continue
                listed = min(
                    coach * r.driving_minutes + sum(by_site[s] for s in r.sites) - room_price * r.session_room
                    for r in admitted
                )
                assert best[e] <= listed + 1e-6
                compared += 1
                # the chain found is a real chain of the day's sites, its cost as counted
                chain = [int(k) for k in chains[e] if k >= 0]
                assert len(chain) == len(set(chain)) <= req.max_visits_per_day
                assert rooms[e] >= 0
    assert compared > 10


@pytest.mark.parametrize(
    ("name", "optimum"),
    [("dalian-2019.yaml", 909), ("weekend-two-classes.yaml", 165), ("day-trip-one-class.yaml", 40)],
)
def test_the_bound_never_exceeds_a_proven_optimum(name, optimum):
    """The scenarios' optima are proven by the week bound (bench/README.md); the relaxation
    settles below them, with every class priced."""
    cand = Candidates(load_scenario(ROOT / "scenarios" / name))
    heard = []
    result = relaxed_week_bound(cand, 60, on_bound=heard.append)
    assert result.settled
    assert result.bound is not None and result.bound <= optimum
    assert heard == sorted(heard) and heard[-1] == result.bound  # each better bound, in order
    assert result.pricings >= len(cand.scenario.classes)


def test_the_rows_between_classes_only_raise_the_bound(dalian):
    """With the lodging and each site's visits a day as rows too, the settled bound is at least
    the classes' own: more rows, a tighter relaxation."""
    _, cand, _ = dalian
    alone = relaxed_week_bound(cand, 60, shared=False)
    together = relaxed_week_bound(cand, 60, shared=True)
    assert alone.settled and together.settled
    assert together.bound >= alone.bound


def test_a_stop_before_any_pricing_gives_no_bound(dalian):
    """Told to stop at once, it claims nothing."""
    _, cand, _ = dalian
    result = relaxed_week_bound(cand, 60, should_stop=lambda: True)
    assert result.bound is None and result.pricings == 0 and not result.settled
    assert math.isfinite(result.seconds)
