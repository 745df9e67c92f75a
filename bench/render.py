"""How long writing the outputs of a saved plan takes, output by output and all together.

Each output is written alone into a fresh folder (the booklet's two with the maps they need,
which ``render_all`` draws first: their rows include the maps), then all of them together as
``solve.py render`` writes them, each run in a fresh subprocess so that imports count as a user
sees them. Several rounds; the table gives
the worst. Default plan: the Dalian week saved in ``tests/data/dalian-plan.json``.

    .venv/bin/python bench/render.py [PLAN.json] --rounds 3 --json out.json
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.render import OUTPUTS  # noqa: E402

ONE_OUTPUT = """
import json, sys, time
from pathlib import Path
from scheduler.render import render_all
data = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
out, outputs = Path(sys.argv[2]), tuple(sys.argv[3].split(","))
start = time.monotonic()
report = render_all(data, out, outputs=outputs)
print(json.dumps({"seconds": time.monotonic() - start, "ok": report.ok, "files": len(report.written)}))
"""


def run(plan: Path, outputs: tuple[str, ...]) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [sys.executable, "-c", ONE_OUTPUT, str(plan), folder, ",".join(outputs)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        return {"seconds": None, "ok": False, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def whole(plan: Path) -> dict:
    """``solve.py render`` as a user runs it: the process, imports and every output."""
    with tempfile.TemporaryDirectory() as folder:
        start = time.monotonic()
        done = subprocess.run(
            [sys.executable, "solve.py", "render", str(plan), "--out", folder],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        return {"seconds": time.monotonic() - start, "ok": done.returncode == 0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", nargs="?", default=str(ROOT / "tests/data/dalian-plan.json"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    plan = Path(args.plan).resolve()
    rows: dict[str, list] = {name: [] for name in (*OUTPUTS, "solve.py render")}
    for _ in range(args.rounds):
        for name in OUTPUTS:
            rows[name].append(run(plan, (name,)))
        rows["solve.py render"].append(whole(plan))
    print(f"{'output':<16} {'worst s':>8} {'best s':>8}  ok")
    results = {}
    for name, runs in rows.items():
        seconds = [r["seconds"] for r in runs if r.get("seconds") is not None]
        ok = all(r.get("ok") for r in runs)
        worst, best = (max(seconds), min(seconds)) if seconds else (None, None)
        results[name] = {"worst": worst, "best": best, "ok": ok, "runs": runs}
        shown = f"{worst:8.1f} {best:8.1f}" if seconds else f"{'-':>8} {'-':>8}"
        print(f"{name:<16} {shown}  {'yes' if ok else 'NO'}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "plan": str(plan.relative_to(ROOT)) if plan.is_relative_to(ROOT) else str(plan),
                    "machine": platform.platform(),
                    "rounds": args.rounds,
                    "results": results,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0 if all(r["ok"] for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
