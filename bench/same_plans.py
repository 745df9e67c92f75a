"""Record reproducible plans and compare two recordings: a restructuring must change no plan.

``python bench/same_plans.py record DIR`` plans every scenario in ``scenarios/`` (variants
included), the small test scenarios and the smallest generated benchmark with ``--workers 1
--seed 0`` (so each run is reproducible: its time limit is counted in CP-SAT's deterministic
time) and writes each plan's JSON into DIR. ``python bench/same_plans.py compare OLD NEW``
compares two such folders with the timings left out, prints one line per scenario and exits 1
when any plan differs.

The scenarios are run through ``solve.py`` as a user would, so the script needs nothing from
the package's inner layout and works on both sides of a move.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = [
    *sorted((ROOT / "scenarios").glob("*.yaml")),
    *sorted((ROOT / "scenarios" / "variants").glob("*.yaml")),
    ROOT / "tests" / "data" / "good-minimal.yaml",
    ROOT / "tests" / "data" / "check-tiny.yaml",
    ROOT / "tests" / "data" / "rules" / "base.yaml",
    ROOT / "bench" / "scenarios" / "gen-8x7.yaml",
]
TIME_LIMIT = "10"

# Fields that measure the run rather than describe the plan.
TIMING_KEYS = {"runtime_seconds", "wall_seconds", "first_plan_seconds", "proven_at_seconds", "seconds", "timeline"}


def name_of(path: Path) -> str:
    return path.relative_to(ROOT).as_posix().replace("/", "__").removesuffix(".yaml")


def record_one(path: Path, folder: Path) -> str:
    target = folder / f"{name_of(path)}.json"
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "solve.py"),
            str(path),
            "--workers",
            "1",
            "--seed",
            "0",
            "--time-limit",
            TIME_LIMIT,
            "--quiet",
            "--json",
            str(target),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if not target.exists():
        target.write_text(json.dumps({"exit": done.returncode, "stderr": done.stderr[-2000:]}), encoding="utf-8")
    return f"{name_of(path)}: exit {done.returncode}, {time.monotonic() - started:.1f} s"


def without_timings(value: object) -> object:
    if isinstance(value, dict):
        return {k: without_timings(v) for k, v in value.items() if k not in TIMING_KEYS}
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    return value


def compare(old: Path, new: Path) -> int:
    differing = 0
    for before in sorted(old.glob("*.json")):
        after = new / before.name
        if not after.exists():
            print(f"{before.stem}: missing in {new}")
            differing += 1
            continue
        a = without_timings(json.loads(before.read_text(encoding="utf-8")))
        b = without_timings(json.loads(after.read_text(encoding="utf-8")))
        same = a == b
        differing += not same
        print(f"{before.stem}: {'same' if same else 'DIFFERENT'}")
    print(f"{differing} of {len(list(old.glob('*.json')))} differ")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("folder", type=Path)
    rec.add_argument("--jobs", type=int, default=2)
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("old", type=Path)
    cmp_.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "compare":
        return compare(args.old, args.new)
    args.folder.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(args.jobs) as pool:
        for line in pool.map(lambda p: record_one(p, args.folder), SCENARIOS):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
