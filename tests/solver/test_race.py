"""A class's completion run two ways side by side (``engine.Race``): the quick one alone while it
is quick, both once it is not, the first plan found kept and the other search stopped; and a
Ctrl-C stops every search that runs at once."""

from __future__ import annotations

import time

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


def test_a_signal_stops_every_search_running_at_once():
    stopper = Stopper()
    solvers = [FakeSolver(), FakeSolver()]
    stopper._running.update(solvers)
    stopper(2, None)
    assert stopper.interrupted and all(s.stopped == 1 for s in solvers)
