"""Large programmes: candidates cut down around the constructive plan (``focus``), each class
solved alone with the rest of the programme fixed (``by_class``, ``outside``). The plans keep
every rule; the only bound such a solve claims is the week bound (``week_bound``)."""

from __future__ import annotations

import pytest
from helpers import ROOT

from scheduler.analysis.check import check
from scheduler.plan.model import SolveStatus
from scheduler.scenario.loading import load_scenario
from scheduler.solver.bound.week_bound import week_bound
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.focus import FocusedCandidates, leg_count, solve_by_class, too_large_to_model_whole
from scheduler.solver.data.outside import Booked, Outside
from scheduler.solver.data.skeleton import Skeleton
from scheduler.solver.heuristics.construct import beam_width, construct
from scheduler.solver.options import SolveOptions
from scheduler.solver.params import BoundParams, FocusParams, SolverParams
from scheduler.solver.run import solve
from scheduler.solver.search import by_class
from scheduler.solver.search.by_class import lecturer_imbalance

BY_CLASS = SolverParams(focus=FocusParams(by_class_legs=0))
"""Every programme of two classes or more planned one class at a time."""


@pytest.fixture(scope="module")
def dalian() -> tuple[Candidates, Skeleton, FocusedCandidates]:
    cand = Candidates(load_scenario(ROOT / "scenarios" / "dalian-2019.yaml"))
    skeleton = construct(cand)
    return cand, skeleton, FocusedCandidates(cand, skeleton)


def test_the_focused_candidates_keep_the_plan_and_cut_the_rest(dalian):
    cand, skeleton, focused = dalian
    assert skeleton.complete
    for klass in cand.scenario.classes:
        for day, choice in enumerate(skeleton.days[klass.id]):
            kept = set(focused.visit_options[(klass.id, day)])
            assert set(choice.sites) <= kept
            assert kept <= set(cand.visit_options[(klass.id, day)])
            assert len(kept) <= FocusParams().sites_per_day + len(choice.sites) + len(
                cand.requirements(klass).must_visit
            )
            if day < cand.scenario.programme.days - 1:
                nights = focused.night_places(klass, day)
                assert choice.end_place in nights
                assert set(nights) <= set(cand.night_places(klass, day))
                assert len(nights) <= FocusParams().lodging_per_night
    assert leg_count(focused) < leg_count(cand) / 2


def test_programmes_of_several_classes_from_dalian_up_are_solved_class_by_class(dalian):
    cand, _, _ = dalian
    assert FocusParams().by_class_legs < leg_count(cand) < FocusParams().full_model_legs
    assert solve_by_class(cand) and not too_large_to_model_whole(cand)
    small = Candidates(load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml"))
    assert not solve_by_class(small)
    large = Candidates(load_scenario(ROOT / "bench" / "scenarios" / "gen-16x10.yaml"))
    assert solve_by_class(large) and too_large_to_model_whole(large)
    # one class alone gains nothing from being solved alone: it is modelled whole up to the limit
    one_class = Candidates(load_scenario(ROOT / "scenarios" / "day-trip-one-class.yaml"))
    assert not solve_by_class(one_class, FocusParams(by_class_legs=0))
    assert solve_by_class(one_class, FocusParams(by_class_legs=0, full_model_legs=0))


def test_large_programmes_get_a_narrower_beam(dalian):
    cand, _, _ = dalian
    assert beam_width(cand) == 12
    large = Candidates(load_scenario(ROOT / "bench" / "scenarios" / "gen-40x14.yaml"))
    assert beam_width(large) < 12


@pytest.mark.parametrize("workers", [1, 2])
def test_a_programme_solved_class_by_class_has_a_checked_plan_and_the_week_bound(workers):
    """The weekend scenario is proven optimal (165) when modelled whole (test_solve.py); solved
    one class at a time on cut-down candidates, the solve's bound is the week bound (165 with
    the lecturers' least imbalance, in a separate process with two workers, before the search
    with one), and the joined plan must keep every rule (the two classes share lecturers,
    lodging and sites). The plan made from the bound's weeks meets it: with one worker, where
    the weeks are known before the search, it is proven optimal."""
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    # Sessions from the coaches' earliest departure, as the weeks' proof here was made: with the
    # day's start half an hour later the one-worker path plans these weeks at 170, not 165 (a
    # weakness of planning a week class after class, left open; the whole model still finds 165).
    frame = scenario.programme.frame.model_copy(update={"day_start": scenario.programme.frame.earliest_departure})
    scenario = scenario.model_copy(update={"programme": scenario.programme.model_copy(update={"frame": frame})})
    result = solve(scenario, SolveOptions(time_limit=10, workers=workers, seed=0, params=BY_CLASS))
    assert result.stats.focused
    assert result.stats.best_bound == week_bound(Candidates(scenario), 20).bound
    assert result.stats.best_bound <= 165 <= result.stats.objective
    proven = result.stats.objective == result.stats.best_bound
    assert result.status is (SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE)
    if workers == 1:
        assert result.status is SolveStatus.OPTIMAL and result.stats.objective == 165
    assert check(scenario, result.plan) == []
    assert sum(result.objective_terms.values()) == result.stats.objective
    assert {e.class_id for e in result.plan.events} == {k.id for k in scenario.classes}


def test_a_reproducible_run_charges_the_bound_s_work_to_its_search_budget(monkeypatch):
    """Computed before the search, the week bound's work (its day routes, at
    ``reproducible_routes_per_second``) comes out of the search's budget, so that the run ends
    near its limit; counted in routes, not seconds, the run stays reproducible."""
    from dataclasses import replace

    from scheduler.solver.cpsat.engine import Budget

    charged: list[float] = []
    monkeypatch.setattr(Budget, "charge_work", lambda self, seconds: charged.append(seconds))
    params = replace(BY_CLASS, bound=replace(BY_CLASS.bound, reproducible_routes_per_second=250.0))
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    result = solve(scenario, SolveOptions(time_limit=10, workers=1, seed=0, params=params))
    assert result.stats.focused and result.stats.best_bound is not None
    assert charged == [pytest.approx(week_bound(Candidates(scenario), 20).day_routes / 250.0)]


def test_the_rest_of_the_programme_is_read_from_a_plan():
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    plan = solve(scenario, SolveOptions(time_limit=5, workers=2, seed=0)).plan
    outside = Outside.of(scenario, plan)
    assert sum(outside.nights.values()) == len(plan.nights)
    visits = [e for e in plan.events if e.kind == "field_visit"]
    assert sum(len(v) for v in outside.visits.values()) == len(visits)
    lectures = [e for e in plan.events if e.kind == "lecture"]
    assert sum(len(v) for v in outside.lectures.values()) == len(lectures)
    for event in lectures:
        day = scenario.programme.day_of(event.date)
        assert outside.lectures_on(event.lecturer, day) >= 1


def test_the_lecturer_balance_is_counted_on_the_joined_plan():
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    result = solve(scenario, SolveOptions(time_limit=5, workers=2, seed=0))
    cand = Candidates(scenario)
    expected = result.objective_terms.get("lecturer_imbalance")
    assert lecturer_imbalance(scenario, cand, result.plan) == expected


def test_class_by_class_stops_at_once_when_asked():
    """Ctrl-C during a class-by-class solve: no class is solved after the stop."""
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    cand = Candidates(scenario)
    skeleton = construct(cand)
    calls = []

    def solver(*args, **kwargs):
        calls.append(args)
        return None

    planned = skeleton.days.items()
    assert (
        by_class.first_plan(scenario, cand, planned, solver, seconds_left=lambda: 10.0, should_stop=lambda: True)
        is None
    )
    assert calls == []


def test_a_class_that_cannot_be_completed_leaves_no_plan():
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    cand = Candidates(scenario)
    skeleton = construct(cand)
    tried = []

    def solver(sub, sub_cand, sub_skeleton, *, keep, seconds, first_only):
        days = sub_skeleton.days[sub.classes[0].id]
        tried.append((sub.classes[0].id, keep, first_only, days == by_class.staying_week(scenario, sub.classes[0].id)))
        return None

    planned = skeleton.days.items()
    failed: list[str] = []
    assert (
        by_class.first_plan(
            scenario,
            cand,
            planned,
            solver,
            seconds_left=lambda: 10.0,
            should_stop=lambda: False,
            on_failure=failed.append,
        )
        is None
    )
    first = scenario.classes[0].id
    # the construction's choices kept, then free around them, then free around a week at the
    # class's start place, before the class is given up
    assert tried == [(first, True, True, False), (first, False, True, False), (first, False, True, True)]
    assert failed == [first]


def _urban_alone(outside: Outside) -> int:
    """CP-SAT's status for the weekend's urban class modelled alone beside ``outside``."""
    from ortools.sat.python import cp_model

    from scheduler.solver.cpsat.model import build_model

    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    sub = by_class.class_scenario(scenario, "urban")
    built = build_model(sub, cand=Candidates(sub, outside=outside))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 20
    solver.parameters.num_workers = 2
    return solver.solve(built.model)


WHOLE_WEEKEND = (0, 2 * 24 * 60)


@pytest.mark.parametrize(
    "outside",
    [
        # every bed of the one night taken by other classes
        Outside(nights={(0, "pulandian"): 1, (0, "zhuanghe"): 1, (0, "wafangdian"): 2}),
        # urban's must-visit wanyi (one class at a time) occupied all weekend
        Outside(visits={"wanyi": [Booked(*WHOLE_WEEKEND, "wanyi", 30)]}),
        # the only Party-spirit lecturer lecturing elsewhere all weekend
        Outside(lectures={"lect_org": [Booked(*WHOLE_WEEKEND, "zhuanghe")]}),
    ],
    ids=["lodging", "site", "lecturer"],
)
def test_what_other_classes_hold_is_counted_in_the_rules(outside):
    from ortools.sat.python import cp_model

    assert _urban_alone(Outside()) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assert _urban_alone(outside) == cp_model.INFEASIBLE


def test_a_programme_solved_class_by_class_too_large_for_either_bound_has_none():
    params = SolverParams(focus=FocusParams(by_class_legs=0, week_bound_legs=0), bound=BoundParams(relaxed_legs=0))
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    result = solve(scenario, SolveOptions(time_limit=5, workers=2, seed=0, params=params))
    assert result.stats.focused and result.plan is not None
    assert result.stats.best_bound is None and result.stats.gap is None


def test_class_by_class_with_one_worker_and_a_seed_gives_the_same_plan_every_time():
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    options = SolveOptions(time_limit=2, workers=1, seed=7, params=BY_CLASS)
    first, second = solve(scenario, options), solve(scenario, options)
    assert first.stats.focused and first.plan is not None
    assert first.plan == second.plan
    assert first.stats.objective == second.stats.objective


def test_when_class_by_class_finds_no_plan_the_whole_model_gets_the_time_left(monkeypatch):
    monkeypatch.setattr(by_class, "first_plan", lambda *args, **kwargs: None)
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    result = solve(scenario, SolveOptions(time_limit=10, workers=2, seed=0, params=BY_CLASS))
    assert not result.stats.focused
    assert result.plan is not None and check(scenario, result.plan) == []


def test_the_last_pass_over_the_whole_model_keeps_nights_and_visits_and_never_does_worse():
    from scheduler.solver.cpsat.engine import Stopper
    from scheduler.solver.search.class_by_class import class_solver, completed_whole

    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    cand = Candidates(scenario)
    options = SolveOptions(time_limit=10, workers=2, seed=0)
    solve_class = class_solver(options, Stopper())
    planned = construct(cand).days.items()
    parts = by_class.first_plan(
        scenario, cand, planned, solve_class, seconds_left=lambda: 10.0, should_stop=lambda: False
    )
    _, terms = by_class.joined(scenario, cand, parts)
    plan, new_terms, objective = completed_whole(
        scenario, cand, parts, options, stopper=Stopper(), seconds_left=lambda: 10.0
    )
    assert check(scenario, plan) == []
    assert objective == sum(new_terms.values()) <= sum(terms.values())

    def nights_and_visits(days):  # the order of a day's visits may change
        return [(day.end_place, set(day.sites)) for day in days]

    for klass in scenario.classes:
        after = by_class.skeleton_of(plan, scenario, klass.id)
        assert nights_and_visits(after) == nights_and_visits(parts[klass.id].skeleton)


def test_a_kept_class_is_first_completed_along_its_hints(monkeypatch):
    """A class whose nights and visits are kept is completed first by a search that follows the
    routes' hints without presolve or LP (most of its model is then clock times); a plan still
    comes out that keeps every rule."""
    from ortools.sat.python import cp_model

    from scheduler.solver.cpsat import engine
    from scheduler.solver.cpsat.engine import Stopper
    from scheduler.solver.search.class_by_class import class_solver

    searches = []
    configure = engine.configure

    def recorded(solver, *args, **kwargs):
        configure(solver, *args, **kwargs)
        searches.append(solver.parameters)

    monkeypatch.setattr(engine, "configure", recorded)
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    cand = Candidates(scenario)
    options = SolveOptions(time_limit=10, workers=2, seed=0, deterministic=True)
    parts = by_class.first_plan(
        scenario,
        cand,
        construct(cand).days.items(),
        class_solver(options, Stopper()),
        seconds_left=lambda: 10.0,
        should_stop=lambda: False,
    )
    assert parts is not None and check(scenario, by_class.joined(scenario, cand, parts)[0]) == []
    quick = [p for p in searches if not p.cp_model_presolve]
    assert len(quick) >= len(scenario.classes)
    assert all(p.search_branching == cp_model.HINT_SEARCH and p.linearization_level == 0 for p in quick)


_MODEL_FINGERPRINT = """
import hashlib, sys
from scheduler.scenario.loading import load_scenario
from scheduler.solver.cpsat.model import build_model
model = build_model(load_scenario(sys.argv[1])).model
print(hashlib.sha256(str(model.proto).encode()).hexdigest())
"""


def test_the_model_is_the_same_in_every_process():
    """Python salts string hashes per process: a model built by iterating a set of ids differs
    from run to run (it did, in the lecturers' travel rule), and then so does the plan of
    ``--workers 1 --seed K``."""
    import os
    import subprocess
    import sys

    fingerprints = []
    for hash_seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", _MODEL_FINGERPRINT, str(ROOT / "scenarios" / "dalian-2019.yaml")],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            cwd=ROOT,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        fingerprints.append(done.stdout)
    assert fingerprints[0] == fingerprints[1]


def test_each_set_of_weeks_plans_the_programme_again_and_the_better_plan_is_kept(monkeypatch):
    """The week bound's weeks (``run._WeekBoundAside.weeks``) reach ``by_class.improve`` as they
    become known: each set of weeks plans the whole programme again (``from_weeks``), once, the
    newest first; the search goes on from that plan when it is better, and from its own when
    it is not."""
    centres: list[tuple[str, object]] = []
    rebuilt_from: list[dict] = []

    def record(scenario, cand, class_id, days, *args, **kwargs):
        centres.append((class_id, days))
        return None  # no better plan: the search goes on to the next class

    def from_weeks(scenario, cand, parts, weeks, *args, **kwargs):
        rebuilt_from.append(weeks)
        return {c: by_class.ClassPlan(None, f"{weeks[c]}", {}) for c in parts}

    # a plan's objective: 10 as found, 5 from the first weeks, 20 from the second, 3 the third
    costs = {"plan of a": 10, "week 1 of a": 5, "week 2 of a": 20, "week 3 of a": 3}
    monkeypatch.setattr(by_class, "plan_class", record)
    monkeypatch.setattr(by_class, "from_weeks", from_weeks)
    monkeypatch.setattr(by_class, "joined", lambda s, c, parts: (None, {"all": costs[parts["a"].skeleton]}))
    parts = {c: by_class.ClassPlan(None, f"plan of {c}", {}) for c in ("a", "b")}
    scenario = type("Scenario", (), {"classes": [type("K", (), {"id": c}) for c in ("a", "b")]})()
    better: list[float] = []

    def weeks(n):
        return {c: f"week {n} of {c}" for c in ("a", "b")}

    def suggested():
        if len(centres) == 0:
            return []
        if len(centres) < 3:  # the first two sets, known together after the first re-plan
            return [weeks(1), weeks(2)]
        return [weeks(1), weeks(2), weeks(3)]

    kept = by_class.improve(
        scenario,
        None,
        parts,
        None,
        seconds_left=lambda: 10.0,
        on_better=lambda objective, parts: better.append(objective),
        slice_seconds=1.0,
        should_stop=lambda: False,
        suggested=suggested,
    )
    assert [w["a"] for w in rebuilt_from] == ["week 2 of a", "week 1 of a", "week 3 of a"]  # each once
    assert better == [5, 3]  # the first and third sets' plans are better; the second's is not
    assert centres[:3] == [("a", "plan of a"), ("b", "plan of b"), ("a", "week 1 of a")]
    assert kept["a"].skeleton == "week 3 of a"


def test_a_better_bound_is_reported_as_it_comes():
    """The progress line shows the bound as it improves, not only with the next better plan
    (the week bound comes from its own process while no plan may improve for a while); a
    bound that comes with a plan is reported once, with it."""
    from scheduler.solver.cpsat.engine import Tracker

    heard = []
    tracker = Tracker(heard.append, started=0.0)
    tracker.new_bound(100.0)  # before any plan: nothing to show
    tracker.plan(150.0)
    tracker.new_bound(120.0)
    tracker.new_bound(110.0)  # not better
    tracker.new_bound(130.0, report=False)
    tracker.plan(140.0)
    assert [(p.objective, p.best_bound) for p in heard] == [(150.0, 100.0), (150.0, 120.0), (140.0, 130.0)]


def test_each_round_of_re_plans_takes_the_costliest_classes_first(monkeypatch):
    """``improve`` re-plans the classes in rounds, each round in the order of their own
    objective terms at its start, the costliest first (ties in the scenario's order)."""
    order: list[str] = []

    def record(scenario, cand, class_id, *args, **kwargs):
        order.append(class_id)
        return None  # no better plan

    monkeypatch.setattr(by_class, "plan_class", record)
    monkeypatch.setattr(by_class, "joined", lambda s, c, parts: (None, {"all": 0}))
    costs = {"a": 5, "b": 50, "c": 20, "d": 5}
    # the parts in another order than the scenario's (the construction retries failed classes first)
    parts = {c: by_class.ClassPlan(None, [], {"coach": costs[c]}) for c in ("d", "c", "b", "a")}
    scenario = type("Scenario", (), {"classes": [type("K", (), {"id": c}) for c in costs]})()
    by_class.improve(
        scenario,
        None,
        parts,
        None,
        seconds_left=lambda: 10.0,
        on_better=lambda objective, parts: None,
        slice_seconds=1.0,
        should_stop=lambda: False,
    )
    assert order[:4] == ["b", "c", "a", "d"]
    assert len(order) == 4 * len(by_class.wider_focus(FocusParams()))  # a round without gain at each width


def test_a_class_re_plan_stops_once_no_better_plan_comes_for_a_while():
    """With a stall limit, a solve stops once it has a plan and none better has come for that
    long, instead of running to its time limit."""
    import threading
    import time

    from scheduler.solver.cpsat.engine import Stopper

    class SlowSolver:
        """Finds one plan at once, then searches for 10 s unless told to stop."""

        def __init__(self):
            self.parameters = type("Parameters", (), {})()
            self.stopped = threading.Event()

        def solve(self, model, callback):
            callback.on_solution_callback()
            self.stopped.wait(10.0)
            return 2  # FEASIBLE

        def stop_search(self):
            self.stopped.set()

    solver = SlowSolver()
    started = time.monotonic()
    assert Stopper().run(solver, None, stall_seconds=0.3) == 2
    assert solver.stopped.is_set()
    assert time.monotonic() - started < 5.0


def test_a_construction_that_fails_with_an_error_is_reported_not_waited_for():
    def planned():
        yield "a", None
        raise ValueError("construction broke")

    ahead = by_class.Ahead(planned())
    seen = []
    with pytest.raises(ValueError, match="construction broke"):
        for item in ahead:
            seen.append(item)
    assert seen == [("a", None)] and ahead.failed


def test_a_reproducible_bound_is_kept_to_the_clock_and_says_when_the_clock_decided():
    """Computed first in a reproducible run, the week bound still stops at its wall-clock
    safety net; then it says so (``cut_by_clock``), since its work then depends on the machine.
    Given time, it finishes on its own work and says nothing."""
    from scheduler.solver.bound.aside import WeekBoundAside
    from scheduler.solver.cpsat.engine import Tracker

    cand = Candidates(load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml"))
    options = SolveOptions(time_limit=10, deterministic=True)
    rushed = WeekBoundAside(cand, options, Tracker(None, 0.0), clock_seconds=0.0)
    assert rushed.cut_by_clock
    given_time = WeekBoundAside(cand, options, Tracker(None, 0.0), clock_seconds=60.0)
    assert not given_time.cut_by_clock and given_time.result.bound is not None
