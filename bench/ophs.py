#!/usr/bin/env python3
"""Benchmark: OPHS instances (orienteering with hotel selection) against their proven optima.

    python bench/ophs.py [FILE_OR_DIR ...] [--time-limit 60] [--optima CSV] [--json OUT] [--csv OUT]
                         [--workers 2] [--seed 0] [--note TEXT]
    python bench/ophs.py SET_1-2/T1-65-1-2.ophs --time-limit 10     # one instance, quickly

Each instance (default: every ``.ophs`` file under ``../shared/benchmarks/ophs/``; a folder
means every ``.ophs`` file under it) is imported as a scenario
(``scheduler/instances/ophs.py``) and solved once by the same solver that plans a programme,
with a progress callback that records every improvement. Per instance and in total it prints:
our score (computed from the plan), the proven optimum, the ratio, the seconds to our best plan
(the last improvement), whether our checker accepted the plan, and whether the tour keeps the
OPHS rules when read back from the instance's own coordinates (each trip within
``floor(100 T)`` hundredths, each point once); then the number of instances at the optimum,
the mean ratio (an instance without a plan counts as 0) and the worst.

The optima (``optima.csv``: ``set,instance,optimal_score``, matched by the instance's folder
and file name) are read only for that comparison: nothing in the solve depends on them or on
an instance's name. A score above the optimum, a solver bound below it, a plan the checker
rejects or a tour that breaks the OPHS rules is printed loudly, with the tour, and the command
then exits 1 (0 otherwise; 2 when no instance or the optima cannot be read).

``--json`` and ``--csv`` are rewritten (atomically) after every instance, so a run cut short
keeps what it measured; Ctrl-C stops the current solve with its best plan and ends the run.
Not a test: figures only.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from report import cell, wide_console  # noqa: E402

from scheduler.analysis.check import check  # noqa: E402
from scheduler.atomic import write_text  # noqa: E402
from scheduler.instances.ophs import (  # noqa: E402
    OphsFormatError,
    OphsInstance,
    distance_hundredths,
    hundredths,
    read_ophs,
    scenario_data,
    score_of,
)
from scheduler.scenario.model import Scenario  # noqa: E402
from scheduler.solver import Progress, SolveOptions, solve  # noqa: E402
from scheduler.solver.params import SolverParams  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "benchmarks" / "ophs"
CSV_COLUMNS = (
    "set", "instance", "points", "days", "hotels", "score", "optimum", "ratio", "at_optimum", "status",
    "seconds_to_best", "first_plan_seconds", "seconds", "plans_found", "score_bound", "checker_violations",
    "ophs_tour_ok", "flags",
)  # fmt: skip


@dataclass(frozen=True)
class Instance:
    path: Path
    set_name: str  # the folder it is in, as optima.csv names it
    name: str  # the file name without .ophs

    @property
    def label(self) -> str:
        return f"{self.set_name}/{self.name}"


def find_instances(paths: list[Path]) -> list[Instance]:
    """The ``.ophs`` files named or under the folders named, each once, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(path.rglob("*.ophs"))
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    seen: dict[Path, Instance] = {}
    for file in files:
        resolved = file.resolve()
        seen.setdefault(resolved, Instance(resolved, resolved.parent.name, resolved.stem))
    return list(seen.values())


def read_optima(path: Path) -> dict[tuple[str, str], int]:
    """``optima.csv`` as {(set, instance): optimal score}."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"set", "instance", "optimal_score"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: no column {', '.join(sorted(missing))} (expected set,instance,optimal_score)")
        return {(row["set"], row["instance"]): int(row["optimal_score"]) for row in reader}


# ---------------------------------------------------------------------------
# One instance


def tour_of(scenario: Scenario, plan) -> list[dict[str, Any]]:
    """The plan as an OPHS tour: per day, the places in driving order and the sites visited."""
    klass = scenario.classes[0]
    where = klass.start_place or klass.base
    days = []
    for day in range(scenario.programme.days):
        date = scenario.programme.date_of(day)
        events = plan.events_of(klass.id, date)
        route = [where]
        for leg in (e for e in events if e.kind == "travel"):
            if leg.from_place != route[-1]:
                route.append(f"?{leg.from_place}")  # a leg that does not start where the last one ended
            route.append(leg.to_place)
        visits = [e.site for e in events if e.kind == "field_visit"]
        days.append({"day": day + 1, "route": route, "visits": visits})
        where = route[-1]
    return days


def ophs_verdict(
    instance: OphsInstance, scenario: Scenario, tour: list[dict[str, Any]]
) -> tuple[bool, list[str], list[int]]:
    """Whether the tour keeps the OPHS rules, read from the instance's own coordinates (not from
    the scenario's travel table): joined-up trips between hotels, from the start hotel to the
    end hotel, each within its truncated limit, each point scored once. Returns the verdict,
    what is wrong, and each day's driving in hundredths."""
    locations = {lodging.place: instance.hotels[i] for i, lodging in enumerate(scenario.lodging)}
    locations |= {site.place: instance.points[i] for i, site in enumerate(scenario.sites)}
    site_place = {site.id: site.place for site in scenario.sites}
    hotels = [lodging.place for lodging in scenario.lodging]
    problems, driving = [], []
    seen: set[str] = set()
    for day, limit in zip(tour, instance.trip_limits, strict=True):
        route = day["route"]
        if any(place not in locations for place in route):
            problems.append(f"day {day['day']}: a route that does not join up or leaves the instance: {route}")
            driving.append(0)
            continue
        length = sum(distance_hundredths(locations[a], locations[b]) for a, b in zip(route, route[1:], strict=False))
        driving.append(length)
        if length > hundredths(limit):
            problems.append(f"day {day['day']}: {length / 100:.2f} driven, limit {hundredths(limit) / 100:.2f}")
        if route[-1] not in hotels or any(place in hotels for place in route[1:-1]):
            problems.append(f"day {day['day']}: does not run from hotel to hotel: {route}")
        points = list(route[1:-1])
        if sorted(points) != sorted(site_place[s] for s in day["visits"]):
            problems.append(f"day {day['day']}: drives through {points} but visits {day['visits']}")
        again = seen & set(points)
        if again or len(set(points)) != len(points):
            problems.append(f"day {day['day']}: points visited twice: {sorted(again) or points}")
        seen |= set(points)
    if tour and (tour[0]["route"][0], tour[-1]["route"][-1]) != (hotels[0], hotels[1]):
        problems.append(f"the tour runs from {tour[0]['route'][0]} to {tour[-1]['route'][-1]}")
    return not problems, problems, driving


def run_instance(instance: Instance, optimum: int | None, options: SolveOptions) -> dict[str, Any]:
    """Import, solve, check and compare one instance; the figures as a JSON-ready record."""
    record: dict[str, Any] = {"set": instance.set_name, "instance": instance.name, "path": str(instance.path)}
    record["optimum"] = optimum
    try:
        parsed = read_ophs(instance.path)
        scenario = Scenario.model_validate(scenario_data(parsed))
    except (OSError, OphsFormatError, ValueError) as error:
        record |= {"error": f"import failed: {error}", "flags": ["import failed"], "score": None, "ratio": None}
        return record
    record |= {"points": len(parsed.points), "days": parsed.days, "hotels": len(parsed.hotels)}

    progress: list[Progress] = []
    started = time.monotonic()
    result = solve(scenario, options, on_progress=progress.append)
    stats = result.stats
    plan = result.plan
    score = score_of(scenario, plan) if plan is not None else None
    record |= {
        "status": stats.status.value,
        "interrupted": stats.interrupted,
        "seconds": stats.seconds,
        "wall_seconds": time.monotonic() - started,
        "first_plan_seconds": stats.first_plan_seconds,
        "seconds_to_best": progress[-1].seconds if progress else stats.first_plan_seconds,
        "plans_found": stats.plans_found,
        "objective": stats.objective,
        "best_bound": stats.best_bound,
        "score_bound": None if stats.best_bound is None else -stats.best_bound,
        "score": score,
        "progress": [{"seconds": p.seconds, "score": -p.objective} for p in progress],
    }
    flags: list[str] = []
    if plan is None:
        record |= {"checker_violations": None, "ophs_tour_ok": None, "tour": None}
    else:
        violations = check(scenario, plan)
        tour = tour_of(scenario, plan)
        tour_ok, tour_problems, driving = ophs_verdict(parsed, scenario, tour)
        for day, hundredths_driven, limit in zip(tour, driving, parsed.trip_limits, strict=True):
            day |= {"driving_hundredths": hundredths_driven, "limit_hundredths": hundredths(limit)}
        record |= {
            "checker_violations": len(violations),
            "first_violations": [str(v) for v in violations[:5]],
            "ophs_tour_ok": tour_ok,
            "ophs_tour_problems": tour_problems,
            "tour": tour,
        }
        if violations:
            flags.append("checker rejected the plan")
        if not tour_ok:
            flags.append("tour breaks the OPHS rules")
        if stats.objective is not None and round(stats.objective) != -score:
            flags.append(f"objective {stats.objective:g} is not minus the score {score}")
    if optimum is not None:
        record["ratio"] = ratio(score or 0, optimum)
        record["at_optimum"] = (score or 0) >= optimum
        if score is not None and score > optimum:
            flags.append(f"SCORE {score} ABOVE THE PROVEN OPTIMUM {optimum}")
        bound = record.get("score_bound")
        if bound is not None and bound < optimum - 1e-6:
            flags.append(f"solver bound {bound:g} below the proven optimum {optimum} (the model cuts it off)")
    else:
        record |= {"ratio": None, "at_optimum": None}
    record["flags"] = flags
    return record


def ratio(score: int, optimum: int) -> float:
    return score / optimum if optimum > 0 else (1.0 if score == 0 else float("inf"))


# ---------------------------------------------------------------------------
# Totals, tables, files


def totals(records: list[dict[str, Any]]) -> dict[str, Any]:
    compared = [r for r in records if r.get("ratio") is not None]
    ratios = [r["ratio"] for r in compared]
    worst = min(compared, key=lambda r: r["ratio"], default=None)
    solved = [r for r in records if r.get("score") is not None]
    return {
        "instances": len(records),
        "with_optimum": len(compared),
        "at_optimum": sum(bool(r["at_optimum"]) for r in compared),
        "mean_ratio": sum(ratios) / len(ratios) if ratios else None,
        "worst_ratio": worst["ratio"] if worst else None,
        "worst_instance": f"{worst['set']}/{worst['instance']}" if worst else None,
        "with_plan": len(solved),
        "checker_accepted": sum(r.get("checker_violations") == 0 for r in records),
        "ophs_tour_ok": sum(r.get("ophs_tour_ok") is True for r in records),
        "total_score": sum(r["score"] or 0 for r in compared),  # over the instances with an optimum
        "total_optimum": sum(r["optimum"] for r in compared),
        "mean_seconds_to_best": (sum(r["seconds_to_best"] or 0 for r in solved) / len(solved) if solved else None),
        "flagged": [f"{r['set']}/{r['instance']}" for r in records if r.get("flags")],
    }


def _checker(record: dict[str, Any]) -> str:
    if record.get("error"):
        return "import failed"
    violations = record.get("checker_violations")
    if violations is None:
        return "no plan"
    return "ok" if violations == 0 else f"{violations} violations"


def print_table(results: dict[str, Any]) -> None:
    from rich.table import Table

    meta = results["meta"]
    table = Table(title=f"OPHS benchmark ({meta['time_limit']:g} s per instance, {meta['workers']} workers)")
    for column in ("instance", "points", "days", "score", "optimum", "ratio", "best at s", "bound", "checker",
                   "status"):  # fmt: skip
        table.add_column(column, justify="left" if column in ("instance", "checker", "status") else "right")
    for r in results["instances"]:
        style = "bold red" if r.get("flags") else ("green" if r.get("at_optimum") else None)
        table.add_row(
            f"{r['set']}/{r['instance']}",
            cell(r.get("points")),
            cell(r.get("days")),
            cell(r.get("score")),
            cell(r.get("optimum")),
            cell(r.get("ratio"), 3),
            cell(r.get("seconds_to_best")),
            cell(r.get("score_bound"), 0),
            _checker(r) + ("" if r.get("ophs_tour_ok") in (True, None) else ", OPHS rules broken"),
            r.get("status") or "—",
            style=style,
        )
    t = results["totals"]
    table.add_section()
    table.add_row(
        f"total ({t['instances']})",
        "",
        "",
        cell(t["total_score"]),
        cell(t["total_optimum"]),
        cell(t["mean_ratio"], 3),
        cell(t["mean_seconds_to_best"]),
        "",
        f"{t['checker_accepted']}/{t['instances']} ok",
        "",
        style="bold",
    )
    console = wide_console(160)
    console.print(table)
    console.print(
        f"at the optimum: {t['at_optimum']}/{t['with_optimum']}; mean ratio {cell(t['mean_ratio'], 4)}; "
        f"worst ratio {cell(t['worst_ratio'], 4)} ({t['worst_instance'] or '—'}); "
        f"plans accepted by the checker: {t['checker_accepted']}/{t['instances']}; "
        f"tours keeping the OPHS rules: {t['ophs_tour_ok']}/{t['instances']}",
        markup=False,
    )
    without = t["instances"] - t["with_optimum"]
    if without:
        console.print(f"{without} instance(s) have no proven optimum in {meta['optima']}: no ratio.", markup=False)
    console.print(
        "  ratio: our score / proven optimum (no plan: 0); best at s: seconds to our last improvement; "
        "bound: the solver's upper bound on the score.",
        markup=False,
    )
    for r in results["instances"]:
        if r.get("flags"):
            print_flagged(r)


def print_flagged(record: dict[str, Any]) -> None:
    """A loud report of something wrong (or news), with the tour."""
    console = wide_console(160)
    console.rule(f"[bold red]{record['set']}/{record['instance']}: " + "; ".join(record["flags"]))
    if record.get("error"):
        console.print(record["error"], markup=False)
    for day in record.get("tour") or []:
        console.print(
            f"  day {day['day']}: {' → '.join(day['route'])}  "
            f"(driving {day['driving_hundredths'] / 100:.2f} of {day['limit_hundredths'] / 100:.2f})",
            markup=False,
        )
    for line in record.get("ophs_tour_problems", []) + record.get("first_violations", []):
        console.print(f"  {line}", markup=False)


def to_csv(records: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow({**r, "flags": "; ".join(r.get("flags", []))})
    return out.getvalue()


def write_outputs(results: dict[str, Any], args: argparse.Namespace) -> None:
    results["totals"] = totals(results["instances"])
    if args.json:
        write_text(args.json, json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    if args.csv:
        write_text(args.csv, to_csv(results["instances"]))


def machine() -> dict[str, Any]:
    import ortools

    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {
        "machine": f"{platform.machine()} {os.cpu_count()} cores ({cpu}), python {platform.python_version()}, "
        f"ortools {ortools.__version__}",
        "ortools": ortools.__version__,
        "commit": commit,
    }


# ---------------------------------------------------------------------------
# The command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="FILE_OR_DIR",
        help=f"instances (default: every .ophs under {DEFAULT_DIR})",
    )
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance (default 60)")
    parser.add_argument(
        "--optima",
        type=Path,
        default=None,
        help="proven optima, set,instance,optimal_score (default: optima.csv there)",
    )
    parser.add_argument("--json", type=Path, default=None, help="write the results here (JSON)")
    parser.add_argument("--csv", type=Path, default=None, help="write one row per instance here (CSV)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--note", default="", help="free text stored with the results (e.g. what else was running)")
    parser.add_argument(
        "--params", type=Path, default=None, help="the solver's tuning parameters from a TOML file (as solve.py)"
    )
    args = parser.parse_args(argv)

    try:
        instances = find_instances(args.paths or [DEFAULT_DIR])
        optima_path = args.optima or DEFAULT_DIR / "optima.csv"
        optima = read_optima(optima_path)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not instances:
        print(f"error: no .ophs file in {', '.join(map(str, args.paths or [DEFAULT_DIR]))}", file=sys.stderr)
        return 2

    results: dict[str, Any] = {
        "meta": {
            "when": dt.datetime.now().isoformat(timespec="seconds"),
            **machine(),
            "time_limit": args.time_limit,
            "workers": args.workers,
            "seed": args.seed,
            "optima": str(optima_path),
            "note": args.note,
        },
        "instances": [],
    }
    try:
        params = SolverParams.from_toml(args.params) if args.params else SolverParams()
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    results["meta"]["params"] = params.to_toml() if args.params else "defaults"
    options = SolveOptions(args.time_limit, args.workers, args.seed, handle_signals=True, params=params)
    for number, instance in enumerate(instances, start=1):
        optimum = optima.get((instance.set_name, instance.name))
        print(f"[{number}/{len(instances)}] {instance.label} ({args.time_limit:g} s) ...", end=" ", flush=True)
        record = run_instance(instance, optimum, options)
        results["instances"].append(record)
        print(
            f"score {cell(record.get('score'))} of {cell(optimum)}, {record.get('status', record.get('error'))}"
            + (f"  !! {'; '.join(record['flags'])}" if record.get("flags") else ""),
            flush=True,
        )
        write_outputs(results, args)  # after every instance: a run cut short keeps what it measured
        if record.get("interrupted"):
            print("interrupted: stopping after this instance", flush=True)
            break
    write_outputs(results, args)
    print_table(results)
    return 1 if results["totals"]["flagged"] else 0


if __name__ == "__main__":
    sys.exit(main())
