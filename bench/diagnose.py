#!/usr/bin/env python3
"""Benchmark: diagnose Dalian-sized scenarios that have no plan, and print the figures.

Each case is the Dalian 2019 scenario with one change that makes a plan impossible in a way the
pre-checks cannot see. Prints, per case: seconds to the
verdict, the conflict's size, whether it is proven minimal, the checks it took (how many with the
switches fixed rather than assumed), the requirements named, and (with --relax) the suggested
relaxations. To see what the fallback costs (the path taken when the first checks, with the
switches assumed, decide nothing): --fallback skips those first checks; --fixed-only never
assumes the switches at all (``find_conflict(assume=False)``: no check names a smaller conflict).

    python bench/diagnose.py [--time-limit 60] [--workers 2] [--only NAME] [--relax] [--fallback | --fixed-only]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.scenario.model import Scenario  # noqa: E402
from scheduler.solver import SolveOptions, solve  # noqa: E402
from scheduler.solver.diagnosis import diagnose  # noqa: E402
from scheduler.solver.diagnosis.diagnose import find_conflict, quick_plan, suggest_relaxations  # noqa: E402
from scheduler.solver.diagnosis.prechecks import find_obstacles  # noqa: E402


def _one_party_spirit_lecture(raw: dict) -> None:
    """The two lecturers who teach Party spirit may give one lecture each; economy and urban each
    need a Party-spirit lecture, and urban also needs grassroots governance from one of them."""
    for lecturer in raw["lecturers"]:
        if "party_spirit" in lecturer["topics"]:
            lecturer["max_sessions"] = 1


def _memorials_full(raw: dict) -> None:
    """Nine red-education visits per class: more than the memorials and museums within reach."""
    raw["requirements"]["default"]["min_red_education_visits"] = 9


def _yuanda_one_morning(raw: dict) -> None:
    """Yuanda (a must-visit of economy and private) receives one class on one Wednesday morning:
    a conflict only clock times show (the site takes one class at a time)."""
    site = next(s for s in raw["sites"] if s["id"] == "yuanda")
    site.update(open_weekdays=["wed"], hours={"open": "09:00", "close": "11:00"})


def _rural_one_visit_a_day(raw: dict) -> None:
    """The rural class visits at most one site a day: no plan (the ordinary solve's coarse model
    proves it), but the conflict is one that only presolve shows."""
    raw["requirements"]["by_class"]["rural"]["max_visits_per_day"] = 1


CASES = {
    "one Party-spirit lecture each for two lecturers": _one_party_spirit_lecture,
    "nine red-education visits per class": _memorials_full,
    "Yuanda takes one class, one Wednesday morning": _yuanda_one_morning,
    "rural class at most one visit a day": _rural_one_visit_a_day,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", action="append", help="run only the cases whose name contains this")
    parser.add_argument("--relax", action="store_true", help="also search the smallest single relaxation")
    parser.add_argument("--fallback", action="store_true", help="skip the first checks: the fallback as it runs")
    parser.add_argument("--fixed-only", action="store_true", help="never assume the switches: fixed checks alone")
    args = parser.parse_args()
    if args.fallback:
        # as if each of the first checks had come back undecided
        order_of = diagnose.CheckOrder.of
        diagnose.CheckOrder.of = classmethod(lambda cls, params: dataclasses.replace(order_of(params), first=()))
    base = yaml.safe_load((ROOT / "scenarios" / "dalian-2019.yaml").read_text(encoding="utf-8"))
    for name, change in CASES.items():
        if args.only and not any(part in name for part in args.only):
            continue
        raw = yaml.safe_load(yaml.safe_dump(base))
        change(raw)
        scenario = Scenario.model_validate(raw)
        obstacles = find_obstacles(scenario)
        started = time.monotonic()
        diagnosis = find_conflict(scenario, args.time_limit, args.workers, assume=not args.fixed_only)
        seconds = time.monotonic() - started
        conflict = f"conflict of {len(diagnosis.conflict)}, minimal={diagnosis.minimal}; " if diagnosis.conflict else ""
        print(
            f"{name}: pre-check obstacles {len(obstacles)}; diagnosis {seconds:.1f} s, feasible={diagnosis.feasible}; "
            f"{conflict}{diagnosis.checks} model checks ({diagnosis.fixed_checks} with the switches fixed), "
            f"{diagnosis.plans} quick plans"
        )
        for requirement in diagnosis.conflict:
            print(f"    {requirement.path}: {requirement.sentence}")
        if args.relax and diagnosis.conflict:
            started = time.monotonic()
            found = suggest_relaxations(
                scenario,
                diagnosis.conflict,
                lambda s: quick_plan(s, 10) or solve(s, SolveOptions(time_limit=10)).plan is not None,
                args.time_limit,
            )
            print(f"    relaxations in {time.monotonic() - started:.1f} s: " + "; ".join(map(str, found)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
