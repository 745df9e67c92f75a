"""The week bound with every class worked out apart (``bound/apart.py``): the same bound and
weeks on one process as on several, never past a proven optimum, as strong as the sequential
bound where the classes do not compete, and told to stop, it stops; each class's columns made
apart are those of the whole relaxation."""

from __future__ import annotations

import time

import pytest
import yaml
from helpers import ROOT

from scheduler.scenario.loading import load_scenario
from scheduler.solver.bound.apart import week_bound_apart
from scheduler.solver.bound.class_bound import own_relaxation
from scheduler.solver.bound.route_relaxation import (
    class_relaxation,
    listed_routes,
    relaxation,
    shared_rows,
    shared_use,
)
from scheduler.solver.bound.week_bound import week_bound
from scheduler.solver.data.candidates import Candidates

WEEKEND = ROOT / "scenarios" / "weekend-two-classes.yaml"
WEEKEND_OPTIMUM = 165
"""The whole model's proven optimum (``test_week_bound.py`` proves it again)."""


@pytest.fixture(scope="module")
def weekend() -> Candidates:
    return Candidates(load_scenario(WEEKEND))


def test_one_process_and_two_give_the_same_bound_and_weeks(weekend):
    heard = {1: [], 2: []}
    found = {
        workers: week_bound_apart(
            weekend, 60, max_sides=50, workers=workers, on_bound=lambda b, w, k=workers: heard[k].append((b, w))
        )
        for workers in (1, 2)
    }
    assert found[1].bound is not None, found[1].reason
    assert (found[1].bound, found[1].weeks) == (found[2].bound, found[2].weeks)
    assert heard[1] == heard[2] and len(heard[1]) == 2
    assert found[1].bound <= WEEKEND_OPTIMUM
    # as strong as the sequential bound, which prices the classes together where they compete
    assert found[1].bound >= week_bound(weekend, 60, max_sides=50).bound


def _bound_in(weekend, results) -> None:
    try:
        results.put(week_bound_apart(weekend, 60, max_sides=50, workers=2).bound)
    except BaseException as error:  # said in the test, not left to its timeout
        results.put(repr(error))


def test_a_daemonic_process_works_the_classes_out_itself(weekend):
    """A daemonic process (the workbench runs its solves in one) may start no process of its own:
    there the classes are worked out one after another, with the same bound."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    results = context.Queue()
    daemon = context.Process(target=_bound_in, args=(weekend, results), daemon=True)
    daemon.start()
    try:
        bound = results.get(timeout=120)
    finally:
        daemon.join(timeout=10)
    assert isinstance(bound, int), bound
    assert bound == week_bound_apart(weekend, 60, max_sides=50, workers=2).bound


def test_each_class_has_a_week_of_its_own_routes(weekend):
    found = week_bound_apart(weekend, 60, max_sides=50, workers=2)
    assert set(found.weeks) == {k.id for k in weekend.scenario.classes}
    for class_id, week in found.weeks.items():
        assert len(week) == weekend.scenario.programme.days
        klass = weekend.scenario.training_class(class_id)
        assert week[-1][1] == klass.last_place


def test_told_to_stop_it_stops_without_a_bound(weekend):
    started = time.monotonic()
    found = week_bound_apart(weekend, 60, max_sides=50, workers=2, should_stop=lambda: True)
    assert found.bound is None
    assert time.monotonic() - started < 10


def test_a_class_without_any_week_gives_no_bound(tmp_path):
    data = yaml.safe_load(WEEKEND.read_text(encoding="utf-8"))
    # a must-visit site the class cannot reach in a day's driving
    data["limits"]["max_coach_minutes_per_day"] = 1
    path = tmp_path / "unreachable.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    found = week_bound_apart(Candidates(load_scenario(path)), 60, max_sides=50, workers=2)
    assert found.bound is None and found.reason


def _same_as_the_whole(cand: Candidates, whole) -> set[str]:
    """Check each class's relaxation made apart against the whole; the shared rows it has alone."""
    routes = listed_routes(cand)
    use = shared_use(cand, routes)
    shared = shared_rows(cand, use)
    between = [name for name in whole.rows.sense if name.startswith(("lodging[", "site_classes[", "site_trainees["))]
    assert list(shared.sense) == between and shared.rhs == {name: whole.rows.rhs[name] for name in between}
    alone = set()
    for klass in cand.scenario.classes:
        expected, _ = own_relaxation(whole, klass.id)
        made = class_relaxation(cand, klass, routes, use)
        assert list(made.rows.sense.items()) == list(expected.rows.sense.items())
        assert made.rows.rhs == expected.rows.rhs
        assert len(made.columns) == len(expected.columns)
        for mine, theirs in zip(made.columns, expected.columns, strict=True):
            assert (mine.day, mine.route, mine.cost, mine.rows) == (theirs.day, theirs.route, theirs.cost, theirs.rows)
        alone |= set(made.rows.sense) & set(between)
    return alone


def test_a_class_relaxation_made_apart_is_the_one_the_whole_relaxation_gives(dalian, tmp_path):
    """Each process makes its classes' columns from the listing alone: the same rows, in the same
    order, and the same columns as the class's own part of the whole relaxation; the rows the
    classes may share are the whole relaxation's. Dalian's classes share every such row; a
    class alone has them all to itself."""
    _, cand, whole = dalian
    assert not _same_as_the_whole(cand, whole)
    data = yaml.safe_load(WEEKEND.read_text(encoding="utf-8"))
    data["classes"] = data["classes"][:1]
    data["requirements"]["by_class"] = {
        k: v for k, v in data["requirements"].get("by_class", {}).items() if k == data["classes"][0]["id"]
    }
    path = tmp_path / "one-class.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    single = Candidates(load_scenario(path))
    assert _same_as_the_whole(single, relaxation(single))
