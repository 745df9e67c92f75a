"""The relaxed weeks' bound (``relaxed_weeks``): its day chains never cost more than any route the
listing would give the class (for each set of tracked sites, or one with fewer of them), and its
bound never exceeds a proven optimum."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from helpers import ROOT

from scheduler.scenario.goals import COACH_MINUTES, Term, route_goals
from scheduler.scenario.loading import load_scenario
from scheduler.solver.bound.day_routes import DayRouteEnumerator
from scheduler.solver.bound.relaxed_weeks import (
    ClassDays,
    JointMaster,
    KnownWeek,
    cheapest_weeks,
    day_chains,
    relaxed_week_bound,
)
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.params import BoundParams

INF = 1e18
SAVED_PLAN = ROOT / "tests" / "data" / "dalian-plan.json"
"""A checked Dalian plan."""


@pytest.fixture(scope="module")
def dalian_bound(dalian):
    """The relaxed weeks' bound of Dalian, by default, with each better bound heard."""
    _, cand, _ = dalian
    heard: list[int] = []
    return relaxed_week_bound(cand, 60, on_bound=heard.append), heard


@pytest.mark.parametrize("class_id", ["rural", "economy"])
@pytest.mark.parametrize(("seed", "tracking"), [(0, 0), (1, 0), (2, 4)])
def test_the_cheapest_chains_cost_no_more_than_any_listed_route(dalian, class_id, seed, tracking):
    """At random site costs, for each evening place and each route the listing has for the class
    from that morning place to it, some chain found costs no more (coach minutes and site costs)
    and visits no more of the tracked sites, the same must-visit ones among them: the chains are
    a superset of the routes. A chain's room for sessions is its own order's, so never more than
    the listing's for its sites (the most of any order); priced, the room only lowers a chain's
    cost."""
    scenario, cand, _ = dalian
    klass = scenario.training_class(class_id)
    req = cand.requirements(klass)
    data = ClassDays(cand, class_id)
    rng = np.random.default_rng(seed)
    must = [int(s) for s in np.flatnonzero(data.must)]
    others = [s for s in range(len(data.site_ids)) if s not in must]
    data.tracked = must[:4] + [int(s) for s in rng.choice(others, tracking, replace=False)]
    bits = {data.site_ids[s]: 1 << k for k, s in enumerate(data.tracked)}
    must_bits = data.must_bits
    enumerator = DayRouteEnumerator(cand)
    places = cand.travel.place_numbers
    coach = COACH_MINUTES.price(scenario.weights)
    last = scenario.programme.days - 1
    compared = 0
    for d in (0, 2, last):
        day = data.days[d]
        costs = rng.uniform(-120, 40, len(day.sites))
        by_site = {data.site_ids[s]: costs[k] for k, s in enumerate(day.sites)}
        sites = [scenario.site(data.site_ids[s]) for s in day.sites]
        ends = cand.end_places(klass, d)
        for start in cand.start_places(klass, d):
            best, chains, rooms = day_chains(data, d, places[start], costs, 0.0)
            priced, _, _ = day_chains(data, d, places[start], costs, float(rng.uniform(0.05, 0.3)))
            assert (priced <= best + 1e-9).all()
            routes = enumerator.routes_from(d, start, sites, ends, max_visits=req.max_visits_per_day)
            for e, end in enumerate(ends):
                for r in routes:
                    if r.end != end or (d == 0 and r.morning_room < req.opening_minutes):
                        continue
                    if d == last and r.afternoon_room < req.presentation_minutes + req.closing_minutes:
                        continue
                    cost = coach * r.driving_minutes + sum(by_site[s] for s in r.sites)
                    visited = sum(bits.get(s, 0) for s in r.sites)
                    same_must = visited & must_bits
                    fewer = [t for t in range(best.shape[1]) if t & visited == t and t & must_bits == same_must]
                    assert min(best[e, t] for t in fewer) <= cost + 1e-6
                    compared += 1
                for t in range(best.shape[1]):
                    if best[e, t] < INF:
                        # the chain found is a real chain of the day's sites, with those tracked sites
                        chain = [data.site_ids[day.sites[k]] for k in chains[e, t] if k >= 0]
                        assert len(chain) == len(set(chain)) <= req.max_visits_per_day
                        assert sum(bits.get(s, 0) for s in chain) == t
                        listed = [r.session_room for r in routes if r.end == end and r.sites == frozenset(chain)]
                        assert 0 <= rooms[e, t] <= max(listed, default=rooms[e, t])
    assert compared > 100


@pytest.mark.parametrize(
    ("name", "optimum"),
    [("dalian-2019.yaml", 909), ("weekend-two-classes.yaml", 165), ("day-trip-one-class.yaml", 40)],
)
def test_the_bound_never_exceeds_a_proven_optimum(request, name, optimum):
    """The scenarios' optima are proven by the week bound (bench/README.md); the relaxation
    settles below them, with every class priced."""
    if name == "dalian-2019.yaml":
        result, heard = request.getfixturevalue("dalian_bound")
        cand = request.getfixturevalue("dalian")[1]
    else:
        cand = Candidates(load_scenario(ROOT / "scenarios" / name))
        heard = []
        result = relaxed_week_bound(cand, 60, on_bound=heard.append)
    assert result.settled
    assert result.bound is not None and result.bound <= optimum
    assert heard == sorted(heard) and heard[-1] == result.bound  # each better bound, in order
    assert result.pricings >= len(cand.scenario.classes)


def test_remembering_sites_raises_the_bound(dalian, dalian_bound):
    """A week that may not return to a tracked site prices higher: the bound with sites tracked
    is above the bound without (on Dalian, by hundreds: the untracked master mixes weeks that
    visit the best sites twice)."""
    _, cand, _ = dalian
    without = relaxed_week_bound(cand, 60, params=BoundParams(max_tracked=0))
    tracked = dalian_bound[0]
    assert without.settled and tracked.settled
    assert tracked.bound > without.bound + 100


def test_the_rows_between_classes_only_raise_the_bound(dalian, dalian_bound):
    """With the lodging and each site's visits a day as rows too, the settled bound is at least
    the classes' own: more rows, a tighter relaxation."""
    _, cand, _ = dalian
    alone = relaxed_week_bound(cand, 60, shared=False)
    together = dalian_bound[0]
    assert alone.settled and together.settled
    assert together.bound >= alone.bound


def test_a_stop_before_any_pricing_gives_no_bound(dalian):
    """Told to stop at once, it claims nothing."""
    _, cand, _ = dalian
    result = relaxed_week_bound(cand, 60, should_stop=lambda: True)
    assert result.bound is None and result.pricings == 0 and not result.settled
    assert math.isfinite(result.seconds)


def test_the_weeks_it_suggests_are_weeks_a_plan_could_follow(dalian, dalian_bound):
    """Each class's suggested week (the master's favourite, its repeated visits left to their
    first day) has a route a day: sites the class may visit that day, none twice in the week,
    every must-visit site, each night at a place the class may stay, the last day ending where
    the class ends."""
    scenario, cand, _ = dalian
    weeks = dalian_bound[0].weeks
    assert set(weeks) == {k.id for k in scenario.classes}
    for klass in scenario.classes:
        week = weeks[klass.id]
        assert len(week) == scenario.programme.days
        visited = [site for sites, _ in week for site in sites]
        assert len(visited) == len(set(visited))
        assert set(cand.requirements(klass).must_visit) <= set(visited)
        for d, (sites, end) in enumerate(week):
            assert set(sites) <= set(cand.visit_options[(klass.id, d)])
            assert end in cand.end_places(klass, d)
        assert week[-1][1] == klass.last_place


def _known_weeks(scenario, plan_file) -> dict[str, KnownWeek]:
    """Each class's week in a saved plan, as the master takes it."""
    data = json.loads(plan_file.read_text(encoding="utf-8"))
    day_of = {scenario.programme.date_of(d).isoformat(): d for d in range(scenario.programme.days)}
    goals = set(route_goals())
    known = {}
    for klass in scenario.classes:
        cost = sum(
            value
            for name, value in data["objective_terms"].items()
            if Term.parse(name).class_id == klass.id and Term.parse(name).goal in goals
        )
        events = [e for e in data["events"] if e["class"] == klass.id and e["kind"] == "field_visit"]
        visits = tuple((day_of[e["date"]], e["place"]) for e in events)
        nights = tuple((day_of[n["date"]], n["place"]) for n in data["nights"] if n["class"] == klass.id)
        known[klass.id] = KnownWeek(float(cost), visits, nights)
    return known


def test_a_known_plan_is_in_the_master_from_its_first_solve(dalian):
    """The weeks of a plan already found keep every row of the master together: its first
    solve costs no more than they do, where without them it pays for broken rows; and the
    bound it settles at still lies below the proven optimum."""
    scenario, cand, _ = dalian
    known = _known_weeks(scenario, SAVED_PLAN)
    planned = sum(week.cost for week in known.values())

    def first_value(with_known: bool) -> float:
        master = JointMaster(cand)
        if with_known:
            for c, data in enumerate(master.classes):
                master.add_known(c, known[data.class_id])
        master.price_all(lambda: False)  # the first round prices and returns unsolved
        master.price_all(lambda: False)
        return master.value

    assert first_value(True) <= planned + 1e-6
    assert first_value(False) > planned + JointMaster.PENALTY / 2
    result = relaxed_week_bound(cand, 60, known=known)
    assert result.settled and result.bound is not None and result.bound <= 909


def test_a_pricing_may_give_the_cheapest_weeks_of_several_sets_of_sites(dalian):
    """Asked for several weeks, the pricing gives the cheapest first (the one it gives alone),
    then weeks of other sets of tracked sites, never cheaper, each visiting every must-visit
    site once."""
    scenario, cand, _ = dalian
    data = ClassDays(cand, "rural")
    data.tracked = [int(s) for s in np.flatnonzero(data.must)] + [0, 1, 2]
    rng = np.random.default_rng(3)
    site_price = rng.uniform(-60, 60, (scenario.programme.days, len(data.site_ids)))
    night_price = np.zeros((scenario.programme.days, len(cand.travel.place_ids)))
    alone = cheapest_weeks(data, site_price, night_price, 0.1)
    several = cheapest_weeks(data, site_price, night_price, 0.1, count=4)
    assert len(alone) == 1 and len(several) > 1
    assert several[0][0] == pytest.approx(alone[0][0])
    costs = [priced for priced, _ in several]
    assert costs == sorted(costs)
    must = {s for s in np.flatnonzero(data.must)}
    for _, week in several:
        visited = [s for _, s in week.visits]
        assert all(visited.count(s) == 1 for s in must)
    assert len({tuple(week.visits) for _, week in several}) == len(several)


def test_a_day_that_must_be_filled_pays_for_having_no_visit(dalian):
    """Where visits cost much, the cheapest week leaves days without one; priced for each day
    that must be filled (``ClassDays.fill_days``: a programme every day, no fixed session) and
    has none, it visits something on every such day, and pays the price in its priced cost only."""
    scenario, cand, _ = dalian
    data = ClassDays(cand, "rural")
    data.tracked = [int(s) for s in np.flatnonzero(data.must)]
    days = scenario.programme.days
    data.fill_days = np.array([0 < d < days - 1 for d in range(days)])
    site_price = np.full((days, len(data.site_ids)), 400.0)
    night_price = np.zeros((days, len(cand.travel.place_ids)))

    def empty_days(week) -> int:
        visited = {d for d, _ in week.visits}
        return sum(1 for d in np.flatnonzero(data.fill_days) if d not in visited)

    ((cheap, free),) = cheapest_weeks(data, site_price, night_price, 0.0)
    ((dear, filled),) = cheapest_weeks(data, site_price, night_price, 0.0, empty_price=10_000.0)
    assert empty_days(free) > 0
    assert empty_days(filled) == 0
    assert dear > cheap
    paid = sum(site_price[d, s] for d, s in filled.visits)
    assert filled.cost == pytest.approx(dear - paid)


def test_days_without_visits_are_at_most_the_sessions_that_could_fill_them(dalian, monkeypatch):
    """With no session that could fill them (here made so for every class), the settled master
    puts no weight on a week that leaves a day to be filled without a visit."""
    _, cand, _ = dalian
    days = cand.scenario.programme.days
    made = ClassDays.__init__

    def strict(self, cand, class_id):
        made(self, cand, class_id)
        self.fill_days = np.array([0 < d < days - 1 for d in range(days)])
        self.movable_sessions = 0

    monkeypatch.setattr(ClassDays, "__init__", strict)
    master = JointMaster(cand)
    while master.price_all(lambda: False):
        pass
    assert master.value - master.bound < 0.5  # settled
    for c, data in enumerate(master.classes):
        for week, weight in zip(master.weeks[c], master.weights[c], strict=False):
            visited = {d for d, _ in week.visits}
            assert weight < 1e-6 or all(d in visited for d in np.flatnonzero(data.fill_days))


@pytest.mark.parametrize("asked", [False, True])
def test_weeks_come_from_a_settled_master_or_when_asked(dalian, asked):
    """Stopped long before its master settles, it suggests no weeks (a master far from settled
    favours weeks that plan badly), unless asked for them after some time (``weeks_after``):
    then once, with the best bound so far."""
    _, cand, _ = dalian
    bounds: list[int] = []
    heard: list[tuple[int, dict]] = []
    result = relaxed_week_bound(
        cand,
        60,
        should_stop=lambda: len(bounds) >= 2,
        on_bound=bounds.append,
        on_weeks=lambda bound, weeks: heard.append((bound, weeks)),
        weeks_after=0.0 if asked else math.inf,
    )
    assert not result.settled
    if asked:
        assert len(heard) == 1 and heard[0][0] == bounds[0]
        assert set(heard[0][1]) == {k.id for k in cand.scenario.classes}
        assert set(result.weeks) == set(heard[0][1])
    else:
        assert heard == [] and result.weeks == {}


def test_fitting_weeks_keep_their_classs_own_rows(dalian):
    """Asked for fitting weeks, the master suggests for each class the heaviest of its weeks that
    keep the class's own rows (no site twice, every must-visit site, the red-education visits,
    the field share, the room for sessions), where it has priced one; else its heaviest week. A
    fitting week loses its fit with a must-visit site dropped, a site visited twice, or no room
    for the sessions."""
    from dataclasses import replace

    scenario, cand, _ = dalian
    days = scenario.programme.days
    master = JointMaster(cand)

    def sites_by_day(c: int, week) -> tuple[frozenset, ...]:
        ids = master.classes[c].site_ids
        return tuple(frozenset(ids[s] for d, s in week.visits if d == day) for day in range(days))

    def heaviest_does_not_fit() -> bool:
        heaviest = master.suggested_weeks()
        return any(
            any(master.fits(c, week) for week in master.weeks[c])
            and tuple(sites for sites, _ in heaviest[data.class_id])
            not in [sites_by_day(c, week) for week in master.weeks[c] if master.fits(c, week)]
            for c, data in enumerate(master.classes)
        )

    while not heaviest_does_not_fit():  # a round where the choice matters
        assert master.price_all(lambda: False)
    fitting, heaviest = master.suggested_weeks(fitting=True), master.suggested_weeks()

    fitted = 0
    for c, data in enumerate(master.classes):
        suggested = tuple(sites for sites, _ in fitting[data.class_id])
        weeks = [week for week in master.weeks[c] if master.fits(c, week)]
        if not weeks:
            assert fitting[data.class_id] == heaviest[data.class_id]
            continue
        fitted += 1
        assert suggested in [sites_by_day(c, week) for week in weeks]
        week = weeks[0]
        must = next(s for s in np.flatnonzero(data.must))
        assert not master.fits(c, replace(week, visits=tuple(v for v in week.visits if v[1] != must)))
        assert not master.fits(c, replace(week, visits=(*week.visits, week.visits[0])))
        assert not master.fits(c, replace(week, room=data.session_minutes - 1))
    assert fitted >= 1
