#!/usr/bin/env python3
"""Benchmark: solve a scenario (default: Dalian 2019) and print the figures.

Prints seconds to the first plan and to the final one, the objective, the best bound, the gap,
and the peak memory of this process; writes them as JSON with --json. Not a test: figures only.

    python bench/dalian.py [SCENARIO] [--time-limit 60] [--workers 2] [--seed 0] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.analysis.check import check  # noqa: E402
from scheduler.scenario.loading import load_scenario  # noqa: E402
from scheduler.solver import SolveOptions, solve  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", type=Path, default=ROOT / "scenarios" / "dalian-2019.yaml")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    scenario = load_scenario(args.scenario)
    result = solve(scenario, SolveOptions(args.time_limit, args.workers, args.seed))
    stats = result.stats
    violations = check(scenario, result.plan) if result.plan is not None else None
    figures = {
        "scenario": str(args.scenario.relative_to(ROOT) if args.scenario.is_relative_to(ROOT) else args.scenario),
        "machine": f"{platform.machine()} {platform.processor() or ''} python {platform.python_version()}".strip(),
        "time_limit_s": args.time_limit,
        "workers": args.workers,
        "seed": args.seed,
        "status": stats.status.value,
        "first_plan_s": stats.first_plan_seconds,
        "final_s": stats.seconds,
        "objective": stats.objective,
        "best_bound": stats.best_bound,
        "gap": stats.gap,
        "plans_found": stats.plans_found,
        "checker_violations": None if violations is None else len(violations),
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    width = max(map(len, figures))
    for key, value in figures.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{key:<{width}}  {shown}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
