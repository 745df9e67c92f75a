#!/usr/bin/env python3
"""Benchmark: re-plan the Dalian week when one lecturer is away for a day.

Solves the scenario, picks a lecturer who teaches on the second day or later in that plan and
marks them away on that day, then (a) re-plans from the saved plan with everything before that
day frozen and (b) solves the changed scenario from scratch. Prints seconds and how many events
(visits, sessions and nights) each differs from the saved plan by.

    python bench/replan.py [--time-limit 60] [--replan-limit 10]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.analysis.check import check  # noqa: E402
from scheduler.plan.model import Freeze  # noqa: E402
from scheduler.scenario.loading import load_scenario  # noqa: E402
from scheduler.scenario.model import Unavailability  # noqa: E402
from scheduler.solver import SolveOptions, solve  # noqa: E402
from scheduler.solver.replan import replan  # noqa: E402

TEACHING = ("field_visit", "lecture", "opening", "presentation")


def identities(plan) -> set[tuple]:
    events = {
        (e.class_id, e.date, e.kind, e.site, e.topic, e.start, e.lecturer) for e in plan.events if e.kind in TEACHING
    }
    return events | {("night", n.class_id, n.date, n.place) for n in plan.nights}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", type=Path, default=ROOT / "scenarios" / "dalian-2019.yaml")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--replan-limit", type=float, default=10.0)
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    saved = solve(scenario, SolveOptions(args.time_limit)).plan
    assert saved is not None, "no plan to start from"
    first = scenario.programme.first_date
    lecture = next(
        e for e in sorted(saved.events, key=lambda e: (e.date, e.start)) if e.kind == "lecture" and e.date > first
    )
    lecturer = scenario.lecturer(lecture.lecturer)
    away = lecturer.model_copy(update={"unavailable": (*lecturer.unavailable, Unavailability(date=lecture.date))})
    changed = scenario.model_copy(
        update={"lecturers": tuple(away if l.id == lecturer.id else l for l in scenario.lecturers)}
    )
    print(f"lecturer {lecturer.id} away on {lecture.date} (they taught {lecture.class_id} that day); frozen before it")

    started = time.monotonic()
    result, weighted = replan(changed, saved, Freeze(lecture.date), SolveOptions(args.replan_limit))
    replan_seconds = time.monotonic() - started
    started = time.monotonic()
    fresh = solve(changed, SolveOptions(args.time_limit))
    scratch_seconds = time.monotonic() - started

    base = identities(saved)
    for name, plan, seconds in (
        ("re-plan", result.plan, replan_seconds),
        ("from scratch", fresh.plan, scratch_seconds),
    ):
        if plan is None:
            print(f"{name:>13}: no plan in {seconds:.1f} s")
            continue
        differs = len(base ^ identities(plan)) // 2 + len(base ^ identities(plan)) % 2
        print(
            f"{name:>13}: {seconds:5.1f} s, differs from the saved plan by about {differs} events "
            f"({len(base - identities(plan))} old ones not kept), checker violations {len(check(changed, plan))}"
        )
    print(f"weighted changes counted by the re-plan: {weighted}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
