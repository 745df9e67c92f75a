"""A class's completion run two ways side by side (``engine.Race``): the quick one alone while it
is quick, both once it is not, the first plan found kept and the other search stopped; and a
Ctrl-C stops every search that runs at once."""

from __future__ import annotations

import random
import threading
import time

from ortools.sat.python import cp_model

from scheduler.solver.cpsat.engine import Race, Stopper


class FakeSolver:
    def __init__(self) -> None:
        self.stopped = 0

    def stop_search(self) -> None:
        self.stopped += 1


def test_a_quick_plan_within_the_head_start_runs_nothing_else():
    race = Race()
    called: list[str] = []
    found = race.first_of(lambda: "quick", lambda: called.append("full") or "full", head_start=1.0)
    assert found == "quick" and called == []


def test_past_the_head_start_the_first_plan_found_wins_and_the_other_is_stopped():
    race = Race()
    solver = FakeSolver()

    def slow_quick():
        race.enter(solver)
        race.over.wait(10)  # a search that runs until it is stopped
        return None

    def full():
        time.sleep(0.1)
        return "full"

    started = time.monotonic()
    assert race.first_of(slow_quick, full, head_start=0.05) == "full"
    assert time.monotonic() - started < 5  # the quick one was stopped, not waited for
    assert solver.stopped >= 1


def test_a_quick_search_that_ends_without_a_plan_leaves_the_full_one_alone():
    race = Race()
    order: list[str] = []
    found = race.first_of(lambda: order.append("quick"), lambda: order.append("full") or "full", head_start=1.0)
    assert found == "full" and order == ["quick", "full"]


def test_neither_finding_a_plan_gives_none():
    assert Race().first_of(lambda: time.sleep(0.1), lambda: None, head_start=0.01) is None


def hard_model(seed: int) -> cp_model.CpModel:
    """A knapsack of many dimensions: CP-SAT takes far longer than a test to prove its optimum."""
    rng = random.Random(seed)
    model = cp_model.CpModel()
    items = [model.new_bool_var(f"x{i}") for i in range(400)]
    for _ in range(20):
        model.add(sum(rng.randint(1, 60) * x for x in items) <= 3000)
    model.maximize(sum(rng.randint(1, 100) * x for x in items))
    return model


def test_a_signal_stops_every_search_running_at_once():
    stopper = Stopper()
    codes: list[int] = []

    def search(seed: int) -> None:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 60
        codes.append(stopper.run(solver, hard_model(seed)))

    threads = [threading.Thread(target=search, args=(seed,)) for seed in (1, 2)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    stopper(2, None)  # as a Ctrl-C would
    for thread in threads:
        thread.join(30)
    assert stopper.interrupted
    assert time.monotonic() - started < 15  # both stopped, far before their 60 s
    assert len(codes) == 2 and all(code == cp_model.FEASIBLE for code in codes)
