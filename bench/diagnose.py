#!/usr/bin/env python3
"""Benchmark: diagnose Dalian-sized scenarios that have no plan, and print the figures.

Each case is the Dalian 2019 scenario with one or two changes that make a plan impossible
in a way the pre-checks cannot see. Prints, per case: seconds to the conflict, its size, whether
it is proven minimal, the requirements named, and (with --relax) the suggested relaxations.

    python bench/diagnose.py [--time-limit 60] [--relax]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.scenario import Scenario  # noqa: E402
from scheduler.solver import SolveOptions, solve  # noqa: E402
from scheduler.solver.diagnose import find_conflict, suggest_relaxations  # noqa: E402
from scheduler.solver.prechecks import find_obstacles  # noqa: E402


def _one_party_spirit_lecture(raw: dict) -> None:
    """The only lecturer on Party spirit gives at most one lecture; two classes need one each."""
    for lecturer in raw["lecturers"]:
        if "party_spirit" in lecturer["topics"]:
            lecturer["max_sessions"] = 1


def _memorials_full(raw: dict) -> None:
    """Every red-education site takes one class at a time and classes need five such visits."""
    raw["requirements"]["default"]["min_red_education_visits"] = 9


CASES = {
    "one Party-spirit lecture for two classes": _one_party_spirit_lecture,
    "nine red-education visits per class": _memorials_full,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--relax", action="store_true", help="also search the smallest single relaxation")
    args = parser.parse_args()
    base = yaml.safe_load((ROOT / "scenarios" / "dalian-2019.yaml").read_text(encoding="utf-8"))
    for name, change in CASES.items():
        raw = yaml.safe_load(yaml.safe_dump(base))
        change(raw)
        scenario = Scenario.model_validate(raw)
        obstacles = find_obstacles(scenario)
        started = time.monotonic()
        diagnosis = find_conflict(scenario, args.time_limit)
        seconds = time.monotonic() - started
        print(
            f"{name}: pre-check obstacles {len(obstacles)}; diagnosis {seconds:.1f} s, feasible={diagnosis.feasible}, "
            f"conflict of {len(diagnosis.conflict)}, minimal={diagnosis.minimal}"
        )
        for requirement in diagnosis.conflict:
            print(f"    {requirement.path}: {requirement.sentence}")
        if args.relax and diagnosis.conflict:
            started = time.monotonic()
            found = suggest_relaxations(
                scenario,
                diagnosis.conflict,
                lambda s: solve(s, SolveOptions(time_limit=10)).plan is not None,
                args.time_limit,
            )
            print(f"    relaxations in {time.monotonic() - started:.1f} s: " + "; ".join(map(str, found)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
