"""The route search (``scheduler/solver/route_search.py``): it improves the constructive routes
without breaking any rule the construction kept, repeats itself for a seed, starts a walk from
every lodging sequence, and its day swap moves whole groups of visits."""

from __future__ import annotations

import math
import random

import pytest
from helpers import DATA, ROOT

from scheduler.instances.ophs import import_ophs
from scheduler.plan.day import DaySimulator
from scheduler.scenario.loading import load_scenario
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.skeleton import Skeleton
from scheduler.solver.heuristics.construct import construct, session_frame
from scheduler.solver.heuristics.route_search import ClassSearch, WorkBudget, improve_routes
from scheduler.solver.params import RouteSearchParams

REPO = ROOT
TWO_DAYS = DATA / "ophs" / "two-days.ophs"
"""Hand-made OPHS instance whose optimum, 23, ``test_ophs.py`` finds by enumeration."""
THREE_TRIPS = ROOT.parent / "shared" / "benchmarks" / "ophs" / "SET_2-3" / "T1-85-2-3.ophs"


@pytest.fixture(scope="module")
def dalian() -> tuple[Candidates, Skeleton]:
    cand = Candidates(load_scenario(REPO / "scenarios" / "dalian-2019.yaml"))
    return cand, construct(cand)


def _worth(cand: Candidates, skeleton: Skeleton) -> float:
    """The search's own measure: site worth less weighted coach minutes."""
    scenario, weights = cand.scenario, cand.scenario.weights
    simulator = DaySimulator(scenario, cand.travel)
    total = 0.0
    for class_id, choices in skeleton.days.items():
        klass = next(k for k in scenario.classes if k.id == class_id)
        req = cand.requirements(klass)
        for day, choice in enumerate(choices):
            sites = tuple(scenario.site(s) for s in choice.sites)
            start = klass.first_place if day == 0 else choices[day - 1].end_place
            leave_after, afternoon = session_frame(cand, req, day, choice)
            driven = simulator.run(start, choice.end_place, sites, day, leave_after=leave_after, afternoon=afternoon)
            assert driven is not None, f"{class_id} day {day}: the route cannot be kept"
            total += sum(weights.site_value * s.value + weights.theme_fit * (klass.theme in s.themes) for s in sites)
            total -= weights.coach_minute * driven / 100
    return total


def test_search_keeps_every_rule_the_construction_kept(dalian):
    cand, skeleton = dalian
    better = improve_routes(cand, skeleton, seconds=1.0, seed=3)
    scenario = cand.scenario
    assert better != skeleton, "a second of search found nothing on the Dalian week"
    assert _worth(cand, better) > _worth(cand, skeleton)
    site_classes: dict[tuple[int, str], int] = {}
    lodging_classes: dict[tuple[int, str], int] = {}
    for klass in scenario.classes:
        req = cand.requirements(klass)
        before, after = skeleton.days[klass.id], better.days[klass.id]
        visited = [s for choice in after for s in choice.sites]
        assert len(visited) == len(set(visited)), f"{klass.id} visits a site twice"
        assert set(req.must_visit) <= set(visited)
        red = sum(scenario.site(s).is_red_education for s in visited)
        assert red >= req.min_red_education_visits
        field = sum(scenario.site(s).visit_minutes for s in visited)
        assert field >= sum(scenario.site(s).visit_minutes for choice in before for s in choice.sites)
        for day, (old, new) in enumerate(zip(before, after, strict=True)):
            # lectures stay on the days and halves the construction gave them
            assert (new.morning_lectures, new.afternoon_lectures) == (old.morning_lectures, old.afternoon_lectures)
            assert len(new.sites) <= req.max_visits_per_day
            assert set(new.sites) <= set(cand.visit_options[(klass.id, day)])
            for site_id in new.sites:
                site_classes[(day, site_id)] = site_classes.get((day, site_id), 0) + 1
            if day < scenario.programme.days - 1:
                lodging_classes[(day, new.end_place)] = lodging_classes.get((day, new.end_place), 0) + 1
    assert all(n <= scenario.site(s).capacity_classes for (_, s), n in site_classes.items())
    assert all(n <= scenario.lodging_capacity(p) for (_, p), n in lodging_classes.items())


def test_same_seed_same_routes(dalian):
    cand, skeleton = dalian
    first = improve_routes(cand, skeleton, seconds=0.3, seed=7)
    again = improve_routes(cand, skeleton, seconds=0.3, seed=7)
    assert first == again


def test_the_best_of_several_searches_is_the_same_on_one_process_and_on_two(dalian):
    """Independent searches (seeds 7 and 8) keep the worthier week, the first on a tie, and the
    result is the same whether they run one after another or side by side."""
    import dataclasses

    cand, skeleton = dalian
    one = RouteSearchParams(searches=1)
    singles = [improve_routes(cand, skeleton, seconds=0.3, seed=seed, params=one) for seed in (7, 8)]
    assert singles[0] != singles[1], "two seeds found the same week: nothing to choose between"
    worths = [_worth(cand, week) for week in singles]
    best = singles[0] if worths[0] >= worths[1] else singles[1]
    both = dataclasses.replace(one, searches=2)
    after = improve_routes(cand, skeleton, seconds=0.3, seed=7, params=both, processes=1)
    beside = improve_routes(cand, skeleton, seconds=0.3, seed=7, params=both, processes=2)
    assert after == beside == best


def test_search_reaches_the_enumerated_optimum_of_a_small_instance():
    scenario = import_ophs(TWO_DAYS)
    cand = Candidates(scenario)
    skeleton = construct(cand)
    better = improve_routes(cand, skeleton, seconds=0.5, seed=0)
    scores = {s.id: s.value for s in scenario.sites}
    assert sum(scores[s] for choices in better.days.values() for c in choices for s in c.sites) == 23


def _search(
    cand: Candidates, skeleton: Skeleton, seed: int = 0, params: RouteSearchParams = RouteSearchParams()
) -> ClassSearch:
    klass = cand.scenario.classes[0]
    budget = WorkBudget(10**7, lambda: False, math.inf)
    choices = list(skeleton.days[klass.id])
    return ClassSearch(cand, klass, choices, others={}, rng=random.Random(seed), budget=budget, params=params)


@pytest.mark.skipif(not THREE_TRIPS.exists(), reason="the OPHS benchmark is not beside the repository")
def test_a_walk_starts_from_every_lodging_sequence():
    cand = Candidates(import_ophs(THREE_TRIPS))
    skeleton = construct(cand)
    search = _search(cand, skeleton)
    constructive = [c.end_place for c in skeleton.days[cand.scenario.classes[0].id]]
    options = [search.night_options(n) for n in search.movable_nights()]
    sequences = search.lodging_sequences()
    assert sequences[0] == constructive
    assert len(sequences) == math.prod(len(o) for o in options) == 16
    assert len({tuple(s) for s in sequences}) == len(sequences)
    assert all(s[-1] == constructive[-1] for s in sequences), "the last evening is the end hotel"
    # more sequences than allowed: the constructive one and a sample, the same for a seed
    few = RouteSearchParams(max_lodging_sequences=5)
    sampled = _search(cand, skeleton, seed=1, params=few).lodging_sequences()
    assert sampled[0] == constructive and len(sampled) <= 5
    assert len({tuple(s) for s in sampled}) == len(sampled)
    assert sampled == _search(cand, skeleton, seed=1, params=few).lodging_sequences()


def test_day_swap_gives_each_day_the_others_visits():
    scenario = import_ophs(TWO_DAYS)
    cand = Candidates(scenario)
    search = _search(cand, construct(cand))
    ends = ["hotel_1", "hotel_end"]
    routes = [["p6"], ["p3", "p7", "p5"]]
    search.swap_days(routes, ends)
    # what each day can take of the other's visits, within its driving limit
    assert set(routes[0]) <= {"p3", "p7", "p5"} and routes[0]
    assert set(routes[1]) <= {"p6"}
    for day in (0, 1):
        assert search.driving(day, routes[day], ends) is not None


def test_the_search_leaves_out_a_site_whose_trainee_room_the_other_classes_took():
    """A site holds at most ``capacity_trainees`` at once, and the search, which sets no clock
    times, counts a day's visits as if they all came at once (as the construction does): a
    museum for 120 trainees that two other classes visit that day has no room for a third."""
    import dataclasses

    scenario = load_scenario(REPO / "bench" / "scenarios" / "gen-8x7.yaml")
    cand = Candidates(scenario)
    site = scenario.site("xishi_museum")
    klass, day = next((k, d) for k in scenario.classes for d in cand.days if site.id in cand.visit_options[(k.id, d)])
    others = [k for k in scenario.classes if k.id != klass.id]
    staying = [dataclasses.replace(choice, sites=()) for choice in construct(cand).days[klass.id]]

    def allowed(visitors):
        days = {k.id: list(staying) for k in others}
        for k in visitors:
            days[k.id][day] = dataclasses.replace(days[k.id][day], sites=(site.id,))
        budget = WorkBudget(0, lambda: False, math.inf)
        search = ClassSearch(cand, klass, staying, others=days, rng=random.Random(0), budget=budget)
        return site.id in search.allowed[day]

    one, two = others[:1], others[:2]
    assert sum(k.trainees for k in one) + klass.trainees <= site.capacity_trainees
    assert sum(k.trainees for k in two) + klass.trainees > site.capacity_trainees
    assert len(two) < site.capacity_classes
    assert allowed(one)
    assert not allowed(two)
