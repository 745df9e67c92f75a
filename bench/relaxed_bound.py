#!/usr/bin/env python3
"""Benchmark: the relaxed weeks' bound (``scheduler.solver.bound.relaxed_weeks``) alone, on one
core, against the best plans known (``bench/best-known.json``).

For each case: the first bound and when, the bound at 10 s, 30 s and the end, whether the
master settled, the pricings, peak memory, and the best known plan's gap to the bound as a
share of that plan's size (``SolverStats.scale``: coach minutes plus rewards collected plus
penalties). Generated cases are made as ``bench/suite.py`` makes them (its sizes, other seeds).

    python bench/relaxed_bound.py [--cases gen-16x10 ...] [--seeds 11 12] [--seconds 90]
        [--scenario FILE ...] [--apart] [--json out.json]
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
from scheduler.instances.generate import GeneratorOptions, generate  # noqa: E402
from scheduler.scenario.loading import load_scenario  # noqa: E402
from scheduler.solver.bound.relaxed_weeks import relaxed_week_bound  # noqa: E402
from scheduler.solver.data.candidates import Candidates  # noqa: E402

SIZES = {
    "gen-8x7": (8, 7, 40, 16),
    "gen-16x10": (16, 10, 80, 30),
    "gen-40x14": (40, 14, 150, 60),
}
"""The generated cases of ``bench/suite.py`` (classes, days, sites, lecturers)."""


def measure(name: str, cand: Candidates, seconds: float, shared: bool, best: dict | None) -> dict:
    timeline: list[tuple[float, int]] = []
    started = time.monotonic()

    def heard(bound: int) -> None:
        timeline.append((round(time.monotonic() - started, 1), bound))

    result = relaxed_week_bound(cand, seconds, on_bound=heard, shared=shared)

    def at(second: float) -> int | None:
        known = [bound for when, bound in timeline if when <= second]
        return known[-1] if known else None

    figures = {
        "case": name,
        "bound": result.bound,
        "first": timeline[0] if timeline else None,
        "at_10_s": at(10),
        "at_30_s": at(30),
        "settled": result.settled,
        "pricings": result.pricings,
        "seconds": round(result.seconds, 1),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }
    if best is not None and result.bound is not None:
        figures["best_known"] = best["objective"]
        figures["best_known_gap_percent"] = round(100 * (best["objective"] - result.bound) / best["scale"], 1)
    print(json.dumps(figures), flush=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="*", default=[], choices=sorted(SIZES), help="generated cases")
    parser.add_argument("--seeds", nargs="*", type=int, default=[11, 12, 13, 14, 15])
    parser.add_argument("--scenario", nargs="*", default=[], help="scenario files as well")
    parser.add_argument("--seconds", type=float, default=90.0, help="time limit per case (default 90)")
    parser.add_argument("--apart", action="store_true", help="without the rows between classes")
    parser.add_argument("--json", help="also write the figures to this file")
    options = parser.parse_args()
    known = json.loads((ROOT / "bench" / "best-known.json").read_text(encoding="utf-8"))
    runs = []
    for path in options.scenario:
        cand = Candidates(load_scenario(path))
        runs.append(measure(Path(path).name, cand, options.seconds, not options.apart, None))
    for case in options.cases:
        classes, days, sites, lecturers = SIZES[case]
        for seed in options.seeds:
            made = generate(GeneratorOptions(classes, days, sites, lecturers, seed=seed))
            name = f"{case}-s{seed}"
            runs.append(measure(name, Candidates(made.scenario), options.seconds, not options.apart, known.get(name)))
    if options.json:
        note = f"bench/relaxed_bound.py, {options.seconds:g} s per case, one core, " + (
            "classes apart" if options.apart else "with the rows between classes"
        )
        write_text(Path(options.json), json.dumps({"note": note, "runs": runs}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
