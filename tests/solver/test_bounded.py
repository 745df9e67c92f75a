"""Bounded work: a child process that is given a time and a memory budget and always answers
within them (``scheduler.solver.bounded``); and the diagnosis after a failed solve kept to it."""

from __future__ import annotations

import time

import bounded_work
import yaml
from helpers import ROOT, run_solve_py, with_changes

from scheduler.solver.bounded import Ending, run_bounded

MB = 2**20


def test_work_that_finishes_gives_its_value():
    found = run_bounded(bounded_work.add, 2, 3, seconds=60, memory_bytes=512 * MB)
    assert (found.ending, found.value) == (Ending.DONE, 5)


def test_work_past_its_time_is_ended_at_the_deadline():
    started = time.monotonic()
    found = run_bounded(bounded_work.sleep, 60, seconds=3, memory_bytes=512 * MB)
    assert found.ending is Ending.OUT_OF_TIME and found.value is None
    assert "stopped after 3 s" in found.reason
    assert time.monotonic() - started < 20  # not the 60 s it asked for


def test_work_past_its_memory_is_stopped_and_said():
    found = run_bounded(bounded_work.allocate, 4096, seconds=60, memory_bytes=256 * MB)
    assert found.ending is Ending.OUT_OF_MEMORY, found
    assert run_bounded(bounded_work.allocate, 64, seconds=60, memory_bytes=256 * MB).value == 64 * MB


def test_work_that_fails_says_why_in_words():
    found = run_bounded(bounded_work.fail, seconds=60, memory_bytes=256 * MB)
    assert (found.ending, found.reason) == (Ending.FAILED, "ValueError: a reason in words")


def test_the_diagnosis_after_a_failed_solve_keeps_to_its_budget(tmp_path):
    """A programme without a plan, and a diagnosis given almost no time: the command says the
    search for conflicting requirements ran out of time, and ends."""
    variant = tmp_path / "impossible.yaml"
    # the Dalian week with one visit a day: too few for its field share, which only a search finds
    dalian = yaml.safe_load((ROOT / "scenarios" / "dalian-2019.yaml").read_text(encoding="utf-8"))
    impossible = with_changes(dalian, {"requirements": {"default": {"max_visits_per_day": 1}}})
    variant.write_text(yaml.safe_dump(impossible, allow_unicode=True), encoding="utf-8")
    params = tmp_path / "params.toml"
    params.write_text("[diagnosis]\nseconds = 0.5\ngrace_seconds = 0.5\n", encoding="utf-8")
    started = time.monotonic()
    done = run_solve_py(str(variant), "--quiet", "--time-limit", "5", "--params", str(params), "--lang", "en")
    assert done.returncode == 1, done.stderr
    assert "Looking for the requirements that conflict (up to 1 s)..." in done.stderr
    assert (
        "The search for conflicting requirements ran out of time (stopped after 1 s) before it found them."
        in done.stderr
    )
    assert "Traceback" not in done.stderr
    assert time.monotonic() - started < 60
