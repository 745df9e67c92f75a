#!/usr/bin/env python3
"""Benchmark: the week bound alone (``scheduler.solver.bound.week_bound``), on one core.

Prints each better bound as it is found (seconds, value), then the final bound, the pricing
steps, the day routes the pricing had, the seconds, the reason it stopped early if it did, and
peak memory. Programmes small enough list every day route (``FocusParams.week_bound_legs``); larger
ones build their routes from the prices (``route_generation``); ``--generated`` builds them so
for any programme, to compare the two.

    python bench/week_bound.py [SCENARIO] [--seconds 120] [--generated] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.atomic import write_text  # noqa: E402
from scheduler.scenario.loading import load_scenario  # noqa: E402
from scheduler.solver.bound import week_bound as week_bound_module  # noqa: E402
from scheduler.solver.data.candidates import Candidates  # noqa: E402
from scheduler.solver.data.focus import bounded_by_weeks, leg_count  # noqa: E402
from scheduler.solver.params import FocusParams, SolverParams  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios" / "dalian-2019.yaml"))
    parser.add_argument("--seconds", type=float, default=120.0, help="time limit (default 120)")
    parser.add_argument("--generated", action="store_true", help="build the day routes from the prices")
    parser.add_argument("--json", help="also write the figures to this file")
    options = parser.parse_args()
    cand = Candidates(load_scenario(options.scenario))
    # routes built from the prices: as if the programme were too large to list them
    params = SolverParams(focus=FocusParams(week_bound_legs=0)) if options.generated else SolverParams()
    timeline: list[tuple[float, int]] = []
    started = time.monotonic()

    def heard(bound: int, weeks) -> None:
        timeline.append((round(time.monotonic() - started, 1), bound))
        print(f"{timeline[-1][0]:8.1f} s  bound {bound}", flush=True)

    print(f"{Path(options.scenario).name}: {leg_count(cand):,} coach legs", flush=True)
    result = week_bound_module.week_bound(cand, options.seconds, params=params, on_bound=heard)
    figures = {
        "scenario": Path(options.scenario).name,
        "routes": "generated" if not bounded_by_weeks(cand, params.focus) else "listed",
        "bound": result.bound,
        "steps": result.iterations,
        "day_routes": result.day_routes,
        "seconds": round(result.seconds, 1),
        "reason": result.reason,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "timeline": timeline,
    }
    print(
        f"bound {result.bound}  steps {result.iterations}  day routes {result.day_routes:,}  "
        f"{result.seconds:.1f} s  {figures['routes']}  peak {figures['peak_mb']} MB"
        + (f"  ({result.reason})" if result.reason else "")
    )
    if options.json:
        write_text(Path(options.json), json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
