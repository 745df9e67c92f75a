#!/usr/bin/env python3
"""Benchmark: a robustness sweep of the Dalian plan, every lecturer away on every day.

Reads a saved plan (default: tests/data/dalian-plan.json, the Dalian week's proven optimum) and
sweeps it with ``scheduler.runs.sweep.run_sweep`` (the engine behind ``solve.py sweep``) over the
kinds asked (default ``lecturer-away``: 11 lecturers x 7 days = 77 variants), twice: in a local
pool of ``--processes`` processes, and on a Dask.distributed cluster of ``--processes`` worker
processes (one thread each) started on 127.0.0.1 for the run. Prints, for each engine, the wall
time, how the variants ended, the share re-planned within 10 s each and the slowest; and whether
the two risk tables are the same (they must be: every re-plan is reproducible).

    python bench/sweep.py [--plan PLAN.json] [--scenario SCENARIO] [--kinds lecturer-away]
                          [--time-limit 20] [--processes 2] [--json bench/sweep-DATE.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.analysis.impact import Planned  # noqa: E402
from scheduler.analysis.risk import Ending, risk_table  # noqa: E402
from scheduler.atomic import write_text  # noqa: E402
from scheduler.plan.export import plan_from_json  # noqa: E402
from scheduler.runs.engine import DaskCluster, LocalPool  # noqa: E402
from scheduler.runs.sweep import run_sweep  # noqa: E402
from scheduler.scenario.loading import load_scenario  # noqa: E402
from scheduler.solver.options import SolveOptions  # noqa: E402

QUICK_SECONDS = 10.0


def measure(name: str, engine, base: Planned, kinds: tuple[str, ...], options: SolveOptions, diagnosis: float):
    started = time.monotonic()
    run = run_sweep(base, kinds, engine, options, diagnosis_seconds=diagnosis)
    wall = time.monotonic() - started
    outcomes = [outcome for _, _, outcome in run.outcomes]
    seconds = sorted(outcome.seconds for outcome in outcomes)
    endings = {str(ending): sum(o.ending is ending for o in outcomes) for ending in Ending}
    searched = [o.seconds for o in outcomes if o.ending is not Ending.UNCHANGED]
    figures = {
        "engine": engine.description,
        "variants": len(outcomes),
        "wall_seconds": round(wall, 1),
        "endings": {k: v for k, v in endings.items() if v},
        "within_10s_share": round(sum(s <= QUICK_SECONDS for s in seconds) / len(seconds), 3),
        "searched_within_10s": f"{sum(s <= QUICK_SECONDS for s in searched)}/{len(searched)}",
        "slowest_seconds": round(seconds[-1], 1),
        "median_searched_seconds": round(sorted(searched)[len(searched) // 2], 1) if searched else None,
        "interrupted": run.interrupted,
        "engine_error": run.engine_error,
    }
    table = risk_table(base, run.outcomes, kinds=kinds).table_json()
    print(
        f"{name:8} {figures['variants']:3d} variants in {wall:6.1f} s · {figures['endings']} · "
        f"within {QUICK_SECONDS:g} s each: {figures['within_10s_share']:.0%} "
        f"(re-planned ones {figures['searched_within_10s']}) · slowest {figures['slowest_seconds']} s"
    )
    return figures, table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", type=Path, default=ROOT / "tests" / "data" / "dalian-plan.json")
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "dalian-2019.yaml")
    parser.add_argument("--kinds", default="lecturer-away")
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--diagnosis-seconds", type=float, default=20.0)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    data = json.loads(args.plan.read_text(encoding="utf-8"))
    base = Planned(
        load_scenario(args.scenario), plan_from_json(data), data["solver"]["objective"], data.get("objective_terms")
    )
    kinds = tuple(args.kinds.split(","))
    options = SolveOptions(args.time_limit)

    with LocalPool(args.processes) as engine:
        local, local_table = measure("local", engine, base, kinds, options, args.diagnosis_seconds)

    import dask
    from distributed import LocalCluster

    # worker processes that may start the diagnosis's own bounded process, as `dask worker` does
    with dask.config.set({"distributed.worker.daemon": False}):
        with LocalCluster(
            n_workers=args.processes,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster:
            with DaskCluster(cluster.scheduler_address, connect_seconds=60) as engine:
                remote, remote_table = measure("cluster", engine, base, kinds, options, args.diagnosis_seconds)
    same = local_table == remote_table
    print(f"the same risk table on both engines: {same}")
    remote_rows = {row["disruption"]["key"]: row for row in remote_table}
    differing = [
        {"local": row, "cluster": remote_rows.get(row["disruption"]["key"])}
        for row in local_table
        if row != remote_rows.get(row["disruption"]["key"])
    ]
    for pair in differing:
        local_row, cluster_row = pair["local"], pair["cluster"] or {}
        print(f"  differs: {local_row['disruption']['key']}: {local_row['verdict']} | {cluster_row.get('verdict')}")

    if args.json:
        result = {
            "date": dt.date.today().isoformat(),
            "machine": {"python": platform.python_version(), "cores": args.processes},
            "plan": str(args.plan.relative_to(ROOT)) if args.plan.is_relative_to(ROOT) else str(args.plan),
            "scenario": str(args.scenario.relative_to(ROOT)) if args.scenario.is_relative_to(ROOT) else args.scenario,
            "kinds": list(kinds),
            "time_limit": args.time_limit,
            "local": local,
            "cluster": remote,
            "same_table": same,
            "differing_rows": differing,
        }
        write_text(args.json, json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {args.json}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
