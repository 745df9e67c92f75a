"""A class's week as a PyVRP problem (``scheduler/solver/heuristics/vrp.py``): the weeks it
returns keep each day's sites, limits and must-visit sites, repeat themselves for a seed, and
the route search takes them where they are better."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from helpers import DATA, ROOT

from scheduler.instances.ophs import import_ophs
from scheduler.scenario.loading import load_scenario
from scheduler.scenario.model import Site
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.heuristics.construct import construct
from scheduler.solver.heuristics.route_search import ClassSearch, WorkBudget
from scheduler.solver.heuristics.vrp import WeekRouting, solve_weeks
from scheduler.solver.params import RouteSearchParams

TWO_DAYS = DATA / "ophs" / "two-days.ophs"
"""Hand-made OPHS instance whose optimum, 23, ``test_ophs.py`` finds by enumeration."""
RATE = RouteSearchParams().pyvrp_iterations_per_second


def _site(site_id: str, place: str, *, minutes: int = 30, hours: tuple[str, str] = ("08:00", "18:00")) -> Site:
    return Site.model_validate(
        {
            "id": site_id,
            "place": place,
            "kind": "other",
            "visit_minutes": minutes,
            "hours": {"open": hours[0], "close": hours[1]},
        }
    )


def _line(**overrides) -> WeekRouting:
    """Two days on a line of places a-b-c-d-e, 10 minutes apart, waking and sleeping at ``a``:
    one site at each of b..e, worth 1, 2, 3, 4."""
    places = "abcde"
    legs = {(x, y): 1000 * abs(places.index(x) - places.index(y)) for x, y in itertools.product(places, repeat=2)}
    sites = {f"s{p}": _site(f"s{p}", p) for p in places[1:]}
    week = {
        "first_place": "a",
        "sites": sites,
        "allowed": [frozenset(sites)] * 2,
        "worth": {f"s{p}": float(i) for i, p in enumerate(places) if i},
        "must": frozenset(),
        "cost_per_hundredth": 0.001 / 100,
        "driving_limit": [10_000, 10_000],
        "window": [(8 * 60, 18 * 60)] * 2,
        "max_visits": [4, 4],
        "legs": legs,
    }
    return WeekRouting(**(week | overrides))


def _driving(week: WeekRouting, ends: list[str], routes) -> list[int]:
    out = []
    for day, route in enumerate(routes):
        start = week.first_place if day == 0 else ends[day - 1]
        stops = [start] + [week.sites[s].place for s in route] + [ends[day]]
        out.append(sum(week.legs[a, b] for a, b in itertools.pairwise(stops)))
    return out


def test_a_week_takes_the_worthiest_sites_the_driving_limits_allow():
    week = _line()
    found = solve_weeks(week, [["a", "a"]], 2_000, seed=0, iterations_per_second=RATE)
    routes = found[0]
    # 100 minutes a day on a line out and back: e (40 min away) one day, the rest the other
    assert sorted(s for route in routes for s in route) == ["sb", "sc", "sd", "se"]
    assert all(d <= 10_000 for d in _driving(week, ["a", "a"], routes))


def test_a_day_visits_only_the_sites_it_allows_and_at_most_its_visits():
    sites = frozenset({"sb", "sc", "sd", "se"})
    week = _line(allowed=[frozenset({"sb", "sc"}), sites - {"sc"}], max_visits=[1, 4], driving_limit=[10_000] * 2)
    routes = solve_weeks(week, [["a", "a"]], 2_000, seed=0, iterations_per_second=RATE)[0]
    assert set(routes[0]) <= {"sb", "sc"} and len(routes[0]) <= 1
    assert set(routes[1]) <= sites - {"sc"}
    assert len({s for route in routes for s in route}) == sum(map(len, routes)), "a site visited twice"
    assert "sc" in routes[0], "the only day that allows the second worthiest site used it for the better one"


def test_a_must_visit_site_is_visited_even_when_worth_nothing():
    week = _line(worth={"sb": 1.0, "sc": 0.0, "sd": 3.0, "se": 4.0}, must=frozenset({"sc"}), driving_limit=[4_000] * 2)
    routes = solve_weeks(week, [["a", "a"]], 2_000, seed=0, iterations_per_second=RATE)[0]
    assert "sc" in {s for route in routes for s in route}


def test_each_day_ends_where_the_nights_say():
    # sleeping at e after day 1: the sites lie on the way out and the way back
    week = _line(driving_limit=[4_000, 4_000])
    routes = solve_weeks(week, [["e", "a"]], 2_000, seed=0, iterations_per_second=RATE)[0]
    assert sorted(s for route in routes for s in route) == ["sb", "sc", "sd", "se"]
    assert _driving(week, ["e", "a"], routes) == [4_000, 4_000]


def test_the_same_seed_gives_the_same_weeks():
    week = _line(driving_limit=[6_000, 6_000])
    sequences = [["a", "a"], ["c", "a"], ["e", "a"]]
    first = solve_weeks(week, sequences, 3_000, seed=5, iterations_per_second=RATE)
    assert first == solve_weeks(week, sequences, 3_000, seed=5, iterations_per_second=RATE)
    assert set(first) == {0, 1, 2}


def test_no_work_no_weeks():
    assert solve_weeks(_line(), [["a", "a"]], 0, seed=0, iterations_per_second=RATE) == {}
    assert solve_weeks(_line(), [], 1_000, seed=0, iterations_per_second=RATE) == {}


def _class_search(cand: Candidates, share: float, units: int, probe: float = 0.1) -> ClassSearch:
    skeleton = construct(cand)
    klass = cand.scenario.classes[0]
    budget = WorkBudget(units, lambda: False, math.inf)
    return ClassSearch(
        cand,
        klass,
        list(skeleton.days[klass.id]),
        others={k: v for k, v in skeleton.days.items() if k != klass.id},
        rng=random.Random(0),
        budget=budget,
        params=RouteSearchParams(pyvrp_share=share, pyvrp_probe_share=probe),
    )


def test_pyvrp_alone_reaches_the_enumerated_optimum_of_a_small_instance():
    """All the budget to PyVRP, no first try: the walks get no work, and the week found is
    PyVRP's."""
    cand = Candidates(import_ophs(TWO_DAYS))
    choices = _class_search(cand, share=1.0, units=200_000, probe=0.0).run()
    scores = {s.id: s.value for s in cand.scenario.sites}
    assert sum(scores[s] for c in choices for s in c.sites) == 23


def test_pyvrp_weeks_on_a_real_programme_are_kept_by_the_day_simulation():
    """On the Dalian week PyVRP does not know lunch, rest stops or lectures: whatever it returns
    is read back through the simulation, and the class's week keeps every requirement."""
    cand = Candidates(load_scenario(ROOT / "scenarios" / "dalian-2019.yaml"))
    search = _class_search(cand, share=1.0, units=400_000, probe=0.0)
    choices = search.run()
    ends = [c.end_place for c in choices]
    routes = [list(c.sites) for c in choices]
    assert search.score(routes, ends) is not None
    req = cand.requirements(search.klass)
    visited = [s for route in routes for s in route]
    assert len(visited) == len(set(visited)) and set(req.must_visit) <= set(visited)


@pytest.mark.parametrize("share", [0.0, 0.5])
def test_a_share_for_pyvrp_never_makes_the_week_worse_than_the_construction(share):
    cand = Candidates(import_ophs(TWO_DAYS))
    search = _class_search(cand, share=share, units=100_000)
    start = search.score(search.routes, search.ends)
    choices = search.run()
    assert search.score([list(c.sites) for c in choices], [c.end_place for c in choices]) >= start
