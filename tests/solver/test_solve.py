"""The solve as a library call: reproducible runs, and the stages' figures."""

from __future__ import annotations

import pytest
from helpers import ROOT

from scheduler.analysis.check import check
from scheduler.plan.model import SolveStatus
from scheduler.scenario.loading import load_scenario
from scheduler.solver import SolveOptions, solve
from scheduler.solver.data.candidates import Candidates


def test_one_worker_and_a_seed_give_the_same_plan_every_time():
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    options = SolveOptions(time_limit=3, workers=1, seed=7)
    first, second = solve(scenario, options), solve(scenario, options)
    assert first.plan is not None
    assert first.plan == second.plan
    assert first.stats.objective == second.stats.objective


def test_a_reproducible_run_searches_with_one_worker_on_deterministic_time():
    """With ``deterministic`` (``--reproducible``) each search runs on one worker, its time
    CP-SAT's deterministic time at the budget's rate; without it two workers run free on the
    clock. (CP-SAT's interleaved parallel search is slower on these small searches, and OR-Tools
    9.15 aborts on some models searched interleaved for a first solution.)"""
    from ortools.sat.python import cp_model

    from scheduler.solver.cpsat.engine import configure

    for deterministic in (True, False):
        for first_only in (True, False):
            solver = cp_model.CpSolver()
            options = SolveOptions(time_limit=5, workers=2, deterministic=deterministic)
            configure(solver, options, 5, first_only=first_only)
            assert solver.parameters.num_workers == (1 if deterministic else 2)
            assert not solver.parameters.interleave_search
            rate = options.params.cpsat.deterministic_per_second
            assert (solver.parameters.max_deterministic_time == pytest.approx(5 * rate)) is deterministic
    scenario = load_scenario(ROOT / "scenarios" / "day-trip-one-class.yaml")
    options = SolveOptions(time_limit=2, workers=2, seed=3, deterministic=True)
    first, second = solve(scenario, options), solve(scenario, options)
    assert first.plan is not None and first.plan == second.plan


def test_the_default_run_is_reproducible_up_to_the_week_bounds_size_and_free_past_it():
    """``deterministic=None`` is decided by the programme's size: a programme small enough for
    the week bound is planned reproducibly (two workers, the same plan twice); past that size
    (here made so by ``week_bound_legs = 0``) the workers run free on the clock."""
    from dataclasses import replace

    from scheduler.solver.params import SolverParams

    scenario = load_scenario(ROOT / "scenarios" / "day-trip-one-class.yaml")
    options = SolveOptions(time_limit=2, workers=2, seed=5)
    assert options.deterministic is None and not options.reproducible
    first, second = solve(scenario, options), solve(scenario, options)
    assert first.stats.reproducible and first.plan is not None and first.plan == second.plan
    params = SolverParams()
    large = replace(params, focus=replace(params.focus, week_bound_legs=0))
    assert not solve(scenario, replace(options, params=large)).stats.reproducible
    assert solve(scenario, replace(options, params=large, deterministic=True)).stats.reproducible
    assert SolveOptions(workers=1).for_programme(False).reproducible


def _past_the_week_bound(share: float):
    """Solver parameters that put the weekend past the week bound's size (solved class by class,
    with the relaxed weeks' bound), its bound given ``share`` of the time however short."""
    from dataclasses import replace

    from scheduler.solver.params import SolverParams

    params = SolverParams()
    return replace(
        params,
        focus=replace(params.focus, week_bound_legs=0, by_class_legs=0),
        bound=replace(params.bound, relaxed_share=share, relaxed_min_seconds=0.0),
    )


def test_past_the_week_bounds_size_a_class_by_class_solve_has_the_relaxed_bound():
    """Where the week bound does not reach (here made so by ``week_bound_legs = 0``), a
    free-running class-by-class solve gets its bound from the relaxed weeks beside the search:
    a bound no plan beats, and a gap, once the first plan is in; where every core is the
    search's and no share of the time is asked for, none."""
    import os

    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    large = _past_the_week_bound(1.0)  # the whole time: its first pricing compiles the chain search
    result = solve(scenario, SolveOptions(time_limit=20, params=large))
    assert result.stats.focused and not result.stats.reproducible
    assert result.stats.best_bound is not None and result.stats.best_bound <= result.stats.objective
    assert result.stats.gap is not None
    assert check(scenario, result.plan) == []
    # every core the search's: the bound only in the share asked for
    busy = min(64, len(os.sched_getaffinity(0)))
    none = _past_the_week_bound(0.0)
    assert solve(scenario, SolveOptions(time_limit=4, workers=busy, params=none)).stats.best_bound is None


def test_past_the_week_bounds_size_the_relaxed_bound_takes_a_free_core_unasked(monkeypatch):
    """Where the search's workers leave a core free, the relaxed weeks' bound works there for the
    time left, with no share of the search's time asked for (``[bound] relaxed_share`` = 0)."""
    from scheduler.solver.search import class_by_class

    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    monkeypatch.setattr(class_by_class, "free_cores", lambda options: 1)
    result = solve(scenario, SolveOptions(time_limit=20, params=_past_the_week_bound(0.0)))
    assert result.stats.best_bound is not None and result.stats.best_bound <= result.stats.objective


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_past_the_relaxed_weeks_size_the_bound_takes_a_core_only_where_a_run_asks(monkeypatch, share):
    """Past ``[bound] relaxed_legs``, with every core the search's, the relaxed weeks' bound takes
    one of them only for the share a run asks for (``[bound] bound_only_share``): then the run
    reports a bound no plan beats; by default it reports none."""
    from dataclasses import replace

    from scheduler.solver.search import class_by_class

    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    monkeypatch.setattr(class_by_class, "free_cores", lambda options: 0)
    large = _past_the_week_bound(1.0)  # a share the search would plan from, were it not too large
    large = replace(large, bound=replace(large.bound, relaxed_legs=0, bound_only_share=share))
    result = solve(scenario, SolveOptions(time_limit=20, params=large))
    assert result.plan is not None and check(scenario, result.plan) == []
    if share:
        assert result.stats.best_bound is not None and result.stats.best_bound <= result.stats.objective
    else:
        assert result.stats.best_bound is None


def test_past_the_week_bounds_size_the_search_plans_from_the_relaxed_weeks(monkeypatch):
    """The relaxed weeks' bound sends the weeks its master favours, and the search plans the
    whole programme from them (``by_class.from_weeks``): every class's week, each a route a day."""
    from dataclasses import replace

    from scheduler.solver.search import by_class

    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    large = _past_the_week_bound(1.0)
    # each class re-planned from its own relaxed week finds the optimum before the weeks come
    large = replace(large, class_by_class=replace(large.class_by_class, relaxed_week_seconds=0.0))
    planned_from = []
    from_weeks = by_class.from_weeks

    def recorded(scenario, cand, parts, weeks, **kwargs):
        planned_from.append(weeks)
        return from_weeks(scenario, cand, parts, weeks, **kwargs)

    monkeypatch.setattr(by_class, "from_weeks", recorded)
    result = solve(scenario, SolveOptions(time_limit=20, params=large))
    assert planned_from, "the search never planned from the relaxed weeks"
    for weeks in planned_from:
        assert set(weeks) == {k.id for k in scenario.classes}
        assert all(len(days) == scenario.programme.days for days in weeks.values())
    assert check(scenario, result.plan) == []


def test_small_scenario_is_proven_optimal_and_checked():
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    result = solve(scenario, SolveOptions(time_limit=20))
    assert result.status is SolveStatus.OPTIMAL
    assert result.stats.gap == 0.0
    assert result.stats.first_plan_seconds is not None
    assert check(scenario, result.plan) == []
    assert sum(result.objective_terms.values()) == result.stats.objective


def test_a_reproducible_budget_counts_deterministic_time_to_the_second_and_stops_at_its_clock_cap():
    """Deterministic time counts at ``deterministic_per_second`` to the second of the limit; past
    ``reproducible_clock_cap`` times the limit on the clock nothing is left, and the run says it
    was cut by the clock (another run may differ); so does one whose search its wall-clock safety
    net ended before its deterministic limit."""
    import time
    from types import SimpleNamespace

    from scheduler.solver.cpsat.engine import Budget

    options = SolveOptions(time_limit=20, deterministic=True)
    rate, cap = options.params.cpsat.deterministic_per_second, options.params.cpsat.reproducible_clock_cap
    budget = Budget(options, time.monotonic())
    limits = SimpleNamespace(max_deterministic_time=8 * rate, max_time_in_seconds=cap * 8 + 1)
    budget.charge(SimpleNamespace(deterministic_time=8 * rate, wall_time=3.0, parameters=limits))
    assert budget.spent() == pytest.approx(8) and budget.left() == pytest.approx(12)
    assert not budget.cut_by_clock
    budget.charge_work(3.0)  # work done outside CP-SAT, counted in seconds of the limit
    assert budget.spent() == pytest.approx(11) and budget.left() == pytest.approx(9)
    budget.deterministic_spent -= 3.0 * rate
    budget.charge(SimpleNamespace(deterministic_time=rate, wall_time=cap * 8 + 1, parameters=limits))
    assert budget.cut_by_clock
    late = Budget(options, time.monotonic() - cap * 20 - 1)
    assert late.left() == 0.0 and late.cut_by_clock
    free = Budget(SolveOptions(time_limit=20, deterministic=False), time.monotonic() - cap * 20 - 1)
    assert free.left() < 0 and not free.cut_by_clock


@pytest.mark.parametrize("seconds", [0.0, 1.0])
def test_past_the_week_bounds_size_each_class_is_replanned_from_its_relaxed_week(monkeypatch, seconds):
    """Past the week bound's size, a free-running search re-plans each class first from the week
    its relaxed master favours around the others (``[class_by_class] relaxed_week_seconds``):
    each class's week asked for, a route a day on sites open to the class; the plan checks.
    With 0 seconds no week is asked for."""
    from dataclasses import replace

    from scheduler.solver.search import by_class, class_by_class

    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    cand = Candidates(scenario)
    params = _past_the_week_bound(0.0)
    params = replace(params, class_by_class=replace(params.class_by_class, relaxed_week_seconds=seconds))
    monkeypatch.setattr(class_by_class, "free_cores", lambda options: 0)  # no other relaxed master
    asked: list[tuple[str, list | None]] = []
    relaxed_week = by_class.relaxed_week

    def recorded(scenario, cand, class_id, others, **kwargs):
        week = relaxed_week(scenario, cand, class_id, others, **kwargs)
        asked.append((class_id, week))
        return week

    monkeypatch.setattr(by_class, "relaxed_week", recorded)
    result = solve(scenario, SolveOptions(time_limit=10, params=params))
    assert check(scenario, result.plan) == []
    if not seconds:
        assert asked == []
        return
    assert {c for c, _ in asked} == {k.id for k in scenario.classes}
    for class_id, week in asked:
        assert week is not None and len(week) == scenario.programme.days
        for day, choice in enumerate(week):
            assert set(choice.sites) <= set(cand.visit_options[(class_id, day)])


def test_a_relaxed_week_that_fails_costs_the_search_nothing(monkeypatch):
    """A class's relaxed master that fails (here every one raises) leaves its re-plan to start
    from the class's current week: the solve still ends with a checked plan."""
    from dataclasses import replace

    from scheduler.solver.search import by_class, class_by_class

    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    params = _past_the_week_bound(0.0)
    params = replace(params, class_by_class=replace(params.class_by_class, relaxed_week_seconds=1.0))
    monkeypatch.setattr(class_by_class, "free_cores", lambda options: 0)
    failed = []

    def broken(scenario, cand, class_id, others, **kwargs):
        failed.append(class_id)
        raise RuntimeError("a master made to fail")

    monkeypatch.setattr(by_class, "relaxed_week", broken)
    result = solve(scenario, SolveOptions(time_limit=10, params=params))
    assert failed and result.plan is not None and check(scenario, result.plan) == []
