"""The realism figures of the solver's plans: what an organiser would fix by hand.

For each scenario and seed: one solve as a user runs it (``solve.py --json``, in a subprocess,
so that the week bound's process starts as it does there), then the plan's realism figures
(``scheduler.plan.realism``, written into the plan JSON) beside its objective and status.
``--plan FILE`` reads figures from saved plans instead (a plan of an earlier version, to
compare). The worst seed of each scenario is what the table reports.

    .venv/bin/python bench/realism.py [SCENARIO ...] --time-limit 60 --seeds 0 1 2 --json out.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.plan.export import plan_from_json  # noqa: E402
from scheduler.plan.realism import realism  # noqa: E402
from scheduler.scenario.loading import load_scenario  # noqa: E402

DEFAULT_SCENARIOS = (
    "scenarios/dalian-2019.yaml",
    "scenarios/weekend-two-classes.yaml",
    "scenarios/day-trip-one-class.yaml",
    "bench/scenarios/gen-8x7.yaml",
)
COLUMNS = (
    "gate_waits",
    "gate_wait_minutes",
    "idle_blocks",
    "idle_minutes",
    "free_time_blocks",
    "free_time_minutes",
    "off_grid_share",
    "after_closing",
    "trips_without_margin",
    "returns_shown",
    "idle_lecturers",
    "empty_days",
)


def solve_once(scenario: str, seed: int, time_limit: float) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "plan.json"
        done = subprocess.run(
            [
                sys.executable,
                "solve.py",
                scenario,
                "--quiet",
                "--time-limit",
                str(time_limit),
                "--seed",
                str(seed),
                "--json",
                str(out),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=time_limit + 300,
        )
        if not out.exists():
            return {"scenario": scenario, "seed": seed, "status": f"exit {done.returncode}"}
        data = json.loads(out.read_text(encoding="utf-8"))
    return {
        "scenario": scenario,
        "seed": seed,
        "status": data["solver"]["status"],
        "objective": data["solver"]["objective"],
        "best_bound": data["solver"]["best_bound"],
        "seconds": data["solver"]["seconds"],
        "coach_minutes": sum(v for k, v in data["objective_terms"].items() if k.startswith("coach_minutes")),
        "realism": data["realism"]["summary"],
    }


def from_plan(scenario: str, plan_file: Path) -> dict:
    data = json.loads(plan_file.read_text(encoding="utf-8"))
    loaded = load_scenario(ROOT / scenario)
    figures = realism(loaded, plan_from_json(data)).summary()
    return {
        "scenario": scenario,
        "seed": None,
        "status": data["solver"]["status"],
        "objective": data["solver"]["objective"],
        "plan": str(plan_file),
        "realism": figures,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", default=list(DEFAULT_SCENARIOS))
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--plan", type=Path, default=None, help="figures of this saved plan of the one scenario")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--note", default="")
    args = parser.parse_args()

    if args.plan is not None:
        rows = [from_plan(args.scenarios[0], args.plan)]
    else:
        rows = [solve_once(s, seed, args.time_limit) for s in args.scenarios for seed in args.seeds]
    print("scenario | seed | status | objective | coach minutes | " + " | ".join(COLUMNS))
    for row in rows:
        figures = row.get("realism", {})
        print(
            f"{row['scenario']} | {row['seed']} | {row['status']} | {row.get('objective')} | "
            f"{row.get('coach_minutes', '-')} | " + " | ".join(str(figures.get(c, "-")) for c in COLUMNS)
        )
    if args.json:
        args.json.write_text(
            json.dumps({"note": args.note, "time_limit": args.time_limit, "rows": rows}, ensure_ascii=False, indent=2)
            + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
