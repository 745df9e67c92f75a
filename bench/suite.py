#!/usr/bin/env python3
"""Benchmark suite: Dalian 2019 and three generated programmes, figures in one table.

    python bench/suite.py [--only NAME ...] [--time-limit 120] [--workers 2] [--seed 0] [--json OUT]
    python bench/suite.py --compare A.json B.json

For each case, in a fresh subprocess each (so that memory is measured per case):

1. **solve**: one solve of ``--time-limit`` seconds with a progress callback that records every
   improvement, from which come the seconds to the first plan, the gap at 10 s, 60 s and the
   end, the seconds to a proven optimum (if reached), and the checker's verdict on the plan;
   peak memory is the subprocess's maximum resident set size (``wait4``), also sampled from
   ``/proc`` while it runs.
2. **reference plans**: the solver's constructive heuristic
   (``scheduler/solver/heuristics/construct.py``: nights and visits chosen class by class)
   completed by the full model with those choices fixed, and, for generated scenarios, the
   generator's witness plan (every class at its base, day trips to the nearest fitting sites,
   the first free lecturer) completed the same way. Their objectives against the solver's, as
   ratios (reference / solver; above 1: the solver does better).

Every subprocess has a wall-clock cap (SIGINT at the cap, which makes a solve stop and keep its
best plan; SIGKILL 20 s later) and a memory cap (SIGKILL); a case that yields no plan says so.
Generated scenarios are written to ``bench/scenarios/`` (same seed, same file). Not a test:
figures only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from report import cell, wide_console  # noqa: E402

from scheduler.instances.generate import GeneratorOptions, generate  # noqa: E402

SCENARIOS = ROOT / "bench" / "scenarios"
SEEDED = SCENARIOS / "seeds"
"""Where ``--seeds`` writes the generated programmes of other seeds (made again on each run)."""
BEST_KNOWN = ROOT / "bench" / "best-known.json"
"""The best plan known of each generated programme (case and seed): objective, size, how found."""
CHECKPOINTS = (10.0, 60.0)
"""Seconds at which the gap is read (and at the time limit)."""


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    generator: GeneratorOptions | None = None
    family: str | None = None
    """The benchmark case this one is another seed of (``--seeds``); None for the case itself."""

    def size(self) -> str:
        """classes × days × sites × lecturers"""
        from scheduler.scenario.loading import load_scenario

        s = load_scenario(self.path)
        return f"{len(s.classes)}×{s.programme.days}×{len(s.sites)}×{len(s.lecturers)}"


CASES = (
    Case("dalian", ROOT / "scenarios" / "dalian-2019.yaml"),
    Case("gen-8x7", SCENARIOS / "gen-8x7.yaml", GeneratorOptions(8, 7, 40, 16, seed=1)),
    Case("gen-16x10", SCENARIOS / "gen-16x10.yaml", GeneratorOptions(16, 10, 80, 30, seed=1)),
    Case("gen-40x14", SCENARIOS / "gen-40x14.yaml", GeneratorOptions(40, 14, 150, 60, seed=1)),
)


# ---------------------------------------------------------------------------
# The workers (run in subprocesses)


def _emit(stream, record: dict[str, Any]) -> None:
    stream.write(json.dumps(record) + "\n")
    stream.flush()


def worker_solve(args: argparse.Namespace) -> int:
    """One solve; every improvement and the result as JSON lines on ``args.events``."""
    from scheduler.analysis.check import check
    from scheduler.plan.export import stats_to_json
    from scheduler.scenario.loading import load_scenario
    from scheduler.solver import SolveOptions, solve

    with open(args.events, "a", encoding="utf-8") as out:
        started = time.monotonic()
        scenario = load_scenario(args.scenario)
        _emit(out, {"event": "loaded", "seconds": time.monotonic() - started})

        def on_progress(progress) -> None:
            bound = getattr(progress, "best_bound", None)
            _emit(
                out,
                {
                    "event": "progress",
                    "seconds": progress.seconds,
                    "plans_found": getattr(progress, "plans_found", None),
                    "objective": progress.objective,
                    "best_bound": bound if bound is not None and math.isfinite(bound) else None,
                },
            )

        options = SolveOptions(args.time_limit, args.workers, args.seed, handle_signals=True)
        result = solve(scenario, options, on_progress)
        stats = result.stats
        violations = check(scenario, result.plan) if result.plan is not None else None
        _emit(
            out,
            {
                "event": "result",
                **stats_to_json(stats),
                "checker_violations": None if violations is None else len(violations),
                "first_violations": [str(v) for v in (violations or [])[:3]],
            },
        )
    return 0


def worker_reference(args: argparse.Namespace) -> int:
    """The constructive plan (and the generator's witness) completed by the model: objectives."""
    from scheduler.analysis.check import check
    from scheduler.scenario.loading import load_scenario
    from scheduler.solver import SolveOptions
    from scheduler.solver.cpsat.engine import Stopper, solve_fixed
    from scheduler.solver.cpsat.extract import extract_plan
    from scheduler.solver.cpsat.model import build_model, skeleton_fixes
    from scheduler.solver.data.candidates import Candidates
    from scheduler.solver.data.focus import too_large_to_model_whole
    from scheduler.solver.heuristics.construct import construct
    from scheduler.solver.search import by_class
    from scheduler.solver.search.class_by_class import class_solver

    case = next(c for c in CASES if c.name == args.case)
    if case.generator is not None and args.generator_seed is not None:
        case = seeded([case], [args.generator_seed])[0] if args.generator_seed != case.generator.seed else case
    with open(args.events, "a", encoding="utf-8") as out:
        scenario = load_scenario(case.path)
        started = time.monotonic()
        cand = Candidates(scenario)
        # a programme too large to model whole is completed class by class, as the solver does
        built = None if too_large_to_model_whole(cand) else build_model(scenario, cand=cand)
        _emit(out, {"event": "built", "seconds": time.monotonic() - started})
        options = SolveOptions(args.time_limit, args.workers, args.seed)

        def completed(skeleton) -> tuple[Any, float] | None:
            if built is None:
                deadline = time.monotonic() + args.time_limit
                parts = by_class.first_plan(
                    scenario,
                    cand,
                    skeleton.days.items(),
                    class_solver(options, Stopper()),
                    seconds_left=lambda: deadline - time.monotonic(),
                    should_stop=lambda: False,
                )
                if parts is None:
                    return None
                plan, terms = by_class.joined(scenario, cand, parts)
                return plan, sum(terms.values())
            found = solve_fixed(built, skeleton_fixes(built, skeleton), options, Stopper(), time_limit=args.time_limit)
            if found is None:
                return None
            return extract_plan(built.candidates, built.variables, found.value), found.objective

        def complete(label: str, skeleton) -> None:
            started = time.monotonic()
            found = completed(skeleton)
            record: dict[str, Any] = {"event": label, "seconds": time.monotonic() - started}
            if found is None:
                record["status"] = "completion found no plan (infeasible or out of time)"
            else:
                plan, objective = found
                record |= {"status": "plan", "objective": objective, "checker_violations": len(check(scenario, plan))}
            _emit(out, record)

        started = time.monotonic()
        skeleton = construct(cand)
        failed = [class_id for class_id, days in skeleton.days.items() if days is None]
        _emit(out, {"event": "construct", "seconds": time.monotonic() - started, "failed_classes": failed})
        if skeleton.complete:
            complete("construct_completion", skeleton)
        if case.generator is not None:
            witness = generate(case.generator).witness
            complete("witness_completion", witness_skeleton(scenario, witness))
    return 0


def witness_skeleton(scenario, plan):
    """A plan's nights, visits and morning lectures as a constructive skeleton (to fix in the model)."""
    from scheduler.solver.data.skeleton import DayChoice, Skeleton

    days = {}
    for klass in scenario.classes:
        choices = []
        for day in range(scenario.programme.days):
            date = scenario.programme.date_of(day)
            events = plan.events_of(klass.id, date)
            sites = tuple(e.site for e in events if e.kind == "field_visit")
            end = plan.night_of(klass.id, date) or klass.last_place
            choices.append(DayChoice(sites, end, sum(e.kind == "lecture" for e in events), 0))
        days[klass.id] = choices
    return Skeleton(days)


# ---------------------------------------------------------------------------
# Running a worker under caps


@dataclass
class Run:
    records: list[dict[str, Any]]
    wall_seconds: float
    peak_mb: float
    exit: str  # "ok", "exit N", "stopped at the wall-clock cap", "killed at the memory cap", ...


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_worker(argv: list[str], cap_seconds: float, memory_cap_mb: float) -> Run:
    with tempfile.NamedTemporaryFile("w+", suffix=".jsonl", delete=False) as handle:
        events = Path(handle.name)
    command = [sys.executable, str(Path(__file__).resolve()), *argv, "--events", str(events)]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT)
    sampled, exit_note, interrupted_at = 0.0, None, None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        elapsed = time.monotonic() - started
        rss = _rss_mb(process.pid)
        sampled = max(sampled, rss)
        if rss > memory_cap_mb and exit_note is None:
            exit_note = f"killed at the memory cap ({memory_cap_mb:.0f} MB)"
            process.kill()
        elif elapsed > cap_seconds and interrupted_at is None:
            exit_note = f"stopped at the wall-clock cap ({cap_seconds:.0f} s)"
            interrupted_at = elapsed
            process.send_signal(signal.SIGINT)
        elif interrupted_at is not None and elapsed > interrupted_at + 20:
            exit_note = f"killed 20 s after the wall-clock cap ({cap_seconds:.0f} s)"
            process.kill()
        time.sleep(0.25)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    if exit_note is None:
        exit_note = "ok" if process.returncode == 0 else f"exit {process.returncode}"
    records = [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines() if line.strip()]
    events.unlink()
    peak = max(sampled, usage.ru_maxrss / 1024)  # ru_maxrss is in KB on Linux
    return Run(records, wall, peak, exit_note)


# ---------------------------------------------------------------------------
# Figures


def _gap(objective: float | None, bound: float | None, scale: float | None) -> float | None:
    """(objective − bound) / the plan's size (``SolverStats.scale``: coach minutes plus the rewards
    collected plus penalties), as the solver reports its gap (docs/model.md, "What the gap
    measures"); |objective| only where a run reported no size."""
    if objective is None or bound is None:
        return None
    return max(0.0, objective - bound) / max(1.0, scale if scale else abs(objective))


def solve_figures(run: Run, time_limit: float) -> dict[str, Any]:
    """The solve's figures from its records (a run cut short keeps what it reported)."""
    progress = [r for r in run.records if r["event"] == "progress"]
    result = next((r for r in run.records if r["event"] == "result"), None)
    status = result["status"] if result else "no result"
    optimal = status == "optimal"
    end = result["seconds"] if result else run.wall_seconds
    # the final plan's size measures the gaps read along the way too (progress has no terms)
    scale = (result or {}).get("scale")

    def at(seconds: float) -> dict[str, Any]:
        if optimal and end <= seconds:
            return {"objective": result["objective"], "gap": 0.0}
        seen = [p for p in progress if p["seconds"] <= seconds]
        if not seen:
            return {"objective": None, "gap": None}
        last = seen[-1]
        return {"objective": last["objective"], "gap": _gap(last["objective"], last["best_bound"], scale)}

    def reported(key: str, fallback: Any) -> Any:
        value = (result or {}).get(key)
        return fallback if value is None else value

    figures: dict[str, Any] = {
        "status": status,
        "exit": run.exit,
        "wall_seconds": run.wall_seconds,
        "peak_mb": run.peak_mb,
        "first_plan_seconds": reported("first_plan_seconds", progress[0]["seconds"] if progress else None),
        "objective": reported("objective", progress[-1]["objective"] if progress else None),
        "best_bound": (result or {}).get("best_bound"),
        "scale": scale,
        "plans_found": (result or {}).get("plans_found"),
        "optimal_seconds": end if optimal else None,
        "checker_violations": (result or {}).get("checker_violations"),
        "first_violations": (result or {}).get("first_violations", []),
        "progress": progress,
    }
    for checkpoint in CHECKPOINTS:
        if checkpoint < time_limit:
            figures[f"gap_{checkpoint:g}s"] = at(checkpoint)["gap"]
    figures["gap_end"] = (result or {}).get("gap") if result else at(end)["gap"]
    return figures


def reference_figures(run: Run, solver_objective: float | None) -> dict[str, Any]:
    by_event = {r["event"]: r for r in run.records}
    figures: dict[str, Any] = {"exit": run.exit, "wall_seconds": run.wall_seconds, "peak_mb": run.peak_mb}
    built = by_event.get("built")
    figures["build_seconds"] = built["seconds"] if built else None
    construct = by_event.get("construct")
    figures["construct_failed_classes"] = construct["failed_classes"] if construct else None
    for label in ("construct", "witness"):
        record = by_event.get(f"{label}_completion")
        if record is None:
            status = (
                "not run"
                if label == "witness"
                else ("heuristic failed for " + ", ".join(construct["failed_classes"]) if construct else "not reached")
            )
            figures[label] = {"status": status, "objective": None, "ratio": None}
            continue
        objective = record.get("objective")
        figures[label] = {
            "status": record["status"],
            "objective": objective,
            "seconds": record["seconds"],
            "checker_violations": record.get("checker_violations"),
            "ratio": _ratio(objective, solver_objective),
        }
    return figures


def _ratio(reference: float | None, solver: float | None) -> float | None:
    if reference is None or solver is None or reference <= 0 or solver <= 0:
        return None
    return reference / solver


# ---------------------------------------------------------------------------
# Tables


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def print_table(results: dict[str, Any]) -> None:
    from rich.table import Table

    time_limit = results["meta"]["time_limit"]
    table = Table(title=f"Benchmark suite ({time_limit:g} s, {results['meta']['workers']} workers)")
    for column in (
        "case", "size", "first plan s", "gap@10s", "gap@60s", f"gap@{time_limit:g}s", "optimum s",
        "peak MB", "objective", "constructive", "ratio", "witness", "ratio", "status",
    ):  # fmt: skip
        table.add_column(column, justify="left" if column in ("case", "size", "status") else "right")
    for name, case in results["cases"].items():
        solve = case["solve"]
        reference = case.get("reference", {})
        construct, witness = reference.get("construct", {}), reference.get("witness", {})
        notes = [solve["status"]] + ([solve["exit"]] if solve["exit"] != "ok" else [])
        if solve.get("checker_violations"):
            notes.append(f"{solve['checker_violations']} violations!")
        table.add_row(
            name,
            case["size"],
            cell(solve["first_plan_seconds"]),
            _pct(solve.get("gap_10s")),
            _pct(solve.get("gap_60s")),
            _pct(solve.get("gap_end")),
            cell(solve["optimal_seconds"]),
            cell(solve["peak_mb"], 0),
            cell(solve["objective"], 0) if solve["objective"] is not None else "no plan",
            cell(construct.get("objective"), 0) if construct.get("objective") is not None else "—",
            cell(construct.get("ratio"), 2),
            cell(witness.get("objective"), 0) if witness.get("objective") is not None else "—",
            cell(witness.get("ratio"), 2),
            "; ".join(notes),
        )
    console = wide_console(200)
    console.print(table)
    for name, case in results["cases"].items():
        reference = case.get("reference", {})
        for label in ("construct", "witness"):
            status = reference.get(label, {}).get("status")
            if status and status not in ("plan", "not run"):
                console.print(f"  {name}: {label} plan: {status}")
    console.print(
        "  gap: (objective − best bound) / the plan's size (coach minutes + rewards collected + penalties), "
        "'—' where no plan or no bound was known yet; "
        "ratio: reference objective / solver objective."
    )


COMPARED = (
    ("first plan s", ("solve", "first_plan_seconds")),
    ("gap@10s", ("solve", "gap_10s")),
    ("gap@60s", ("solve", "gap_60s")),
    ("gap at end", ("solve", "gap_end")),
    ("optimum s", ("solve", "optimal_seconds")),
    ("peak MB", ("solve", "peak_mb")),
    ("objective", ("solve", "objective")),
    ("constructive ratio", ("reference", "construct", "ratio")),
    ("witness ratio", ("reference", "witness", "ratio")),
)


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def compare(first: Path, second: Path) -> int:
    from rich.table import Table

    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (first, second))
    table = Table(title=f"{first.name} → {second.name}")
    for column in ("case", "figure", first.name, second.name, "change"):
        table.add_column(column, justify="left" if column in ("case", "figure") else "right")
    for name in [n for n in a["cases"] if n in b["cases"]]:
        for label, path in COMPARED:
            old, new = _get(a["cases"][name], path), _get(b["cases"][name], path)
            if old is None and new is None:
                continue
            percent = label.startswith("gap")
            show = _pct if percent else (lambda v: cell(v, 2))
            change = "—" if old is None or new is None else (f"{new - old:+.1%}" if percent else f"{new - old:+,.2f}")
            table.add_row(name, label, show(old), show(new), change)
        status_a, status_b = _get(a["cases"][name], ("solve", "status")), _get(b["cases"][name], ("solve", "status"))
        if status_a != status_b:
            table.add_row(name, "status", str(status_a), str(status_b), "changed")
    for name in [n for n in a["cases"] if n not in b["cases"]] + [n for n in b["cases"] if n not in a["cases"]]:
        table.add_row(name, "(only in one run)", "", "", "")
    wide_console(200).print(table)
    for label, data in ((first.name, a), (second.name, b)):
        meta = data["meta"]
        print(f"{label}: {meta.get('when')} {meta.get('machine')} time limit {meta.get('time_limit')} s")
    return 0


# ---------------------------------------------------------------------------
# The command


def seeded(cases: list[Case], seeds: list[int]) -> list[Case]:
    """Each generated case made again from each of ``seeds`` (the generator's seed), in place of
    the case itself; Dalian stays as it is."""
    out: list[Case] = []
    for case in cases:
        if case.generator is None or not seeds:
            out.append(case)
            continue
        for seed in seeds:
            name = f"{case.name}-s{seed}"
            out.append(Case(name, SEEDED / f"{name}.yaml", replace(case.generator, seed=seed), case.name))
    return out


def write_scenarios(cases: list[Case]) -> None:
    SCENARIOS.mkdir(parents=True, exist_ok=True)
    for case in cases:
        if case.generator is None:
            continue
        case.path.parent.mkdir(parents=True, exist_ok=True)
        text = generate(case.generator).text
        if not case.path.exists() or case.path.read_text(encoding="utf-8") != text:
            case.path.write_text(text, encoding="utf-8")


def run_suite(args: argparse.Namespace) -> int:
    cases = [c for c in CASES if not args.only or c.name in args.only]
    unknown = sorted(set(args.only or ()) - {c.name for c in CASES})
    if unknown:
        print(f"unknown case(s) {', '.join(unknown)} (expected: {', '.join(c.name for c in CASES)})", file=sys.stderr)
        return 2
    limits = dict(args.limit or ())
    wrong = sorted(set(limits) - {c.name for c in CASES})
    if wrong:
        print(f"--limit for unknown case(s) {', '.join(wrong)}", file=sys.stderr)
        return 2
    cases = seeded(cases, args.seeds or [])
    write_scenarios(cases)
    best_known = _read_best_known()
    import ortools

    results: dict[str, Any] = {
        "meta": {
            "when": dt.datetime.now().isoformat(timespec="seconds"),
            "machine": f"{platform.machine()} {os.cpu_count()} cores, python {platform.python_version()}, "
            f"ortools {ortools.__version__}",
            "time_limit": args.time_limit,
            "time_limits": limits,
            "generator_seeds": args.seeds,
            "workers": args.workers,
            "seed": args.seed,
            "reference_time_limit": args.reference_limit,
            "note": args.note,
        },
        "cases": {},
    }
    common = ["--workers", str(args.workers), "--seed", str(args.seed)]
    for case in cases:
        limit = limits.get(case.family or case.name, args.time_limit)
        cap = args.cap if args.cap is not None else limit + max(60.0, 0.5 * limit)
        print(f"[{case.name}] solving {case.path.relative_to(ROOT)} for {limit:g} s ...", flush=True)
        run = run_worker(
            ["--worker", "solve", "--scenario", str(case.path), "--time-limit", str(limit), *common],
            cap,
            args.memory_cap_mb,
        )
        solve = solve_figures(run, limit)
        solve["time_limit"] = limit
        known = best_known.get(case.name)
        if known is not None:
            solve["best_known"] = known["objective"]
            solve["above_best_known"] = _above(solve["objective"], known["objective"], solve.get("scale"))
        if args.record_best and solve["objective"] is not None and solve.get("checker_violations") == 0:
            if known is None or solve["objective"] < known["objective"]:
                best_known[case.name] = {
                    "objective": solve["objective"],
                    "scale": solve.get("scale"),
                    "time_limit": limit,
                    "seed": args.seed,
                    "when": results["meta"]["when"],
                    "how": f"bench/suite.py, {limit:g} s, {args.workers} workers",
                }
                _write_best_known(best_known)
        print(
            f"[{case.name}] {solve['status']} ({solve['exit']}), objective {solve['objective']}, "
            f"{run.wall_seconds:.0f} s, {run.peak_mb:.0f} MB",
            flush=True,
        )
        entry: dict[str, Any] = {
            "size": case.size(),
            "scenario": str(case.path.relative_to(ROOT)),
            "family": case.family or case.name,
            "generator_seed": case.generator.seed if case.generator else None,
            "solve": solve,
        }
        if not args.no_reference:
            print(f"[{case.name}] reference plans ...", flush=True)
            reference_cap = 2 * args.reference_limit + max(60.0, cap - limit)
            seed = ["--generator-seed", str(case.generator.seed)] if case.generator else []
            ref_run = run_worker(
                [
                    "--worker",
                    "reference",
                    "--case",
                    case.family or case.name,
                    *seed,
                    "--time-limit",
                    str(args.reference_limit),
                    *common,
                ],  # fmt: skip
                reference_cap,
                args.memory_cap_mb,
            )
            entry["reference"] = reference_figures(ref_run, solve["objective"])
        results["cases"][case.name] = entry
        if args.json:  # after every case, so that a long run cut short keeps what it measured
            args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    print_spread(results)
    if args.json and "spread" in results:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def _above(objective: float | None, best: float | None, scale: float | None) -> float | None:
    """How far a plan is above the best known, as a share of its size (objectives cross zero, so a
    ratio of objectives would mean nothing)."""
    if objective is None or best is None:
        return None
    return (objective - best) / max(1.0, scale if scale else abs(objective))


def _read_best_known() -> dict[str, Any]:
    return json.loads(BEST_KNOWN.read_text(encoding="utf-8")) if BEST_KNOWN.exists() else {}


def _write_best_known(records: dict[str, Any]) -> None:
    temporary = BEST_KNOWN.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(dict(sorted(records.items())), indent=2) + "\n", encoding="utf-8")
    temporary.replace(BEST_KNOWN)


def spread(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per benchmark case run from several seeds: how many got a checked plan, and the worst,
    median and best of each figure (the worst first)."""
    import statistics

    families: dict[str, list[dict[str, Any]]] = {}
    for case in results["cases"].values():
        families.setdefault(case.get("family", ""), []).append(case["solve"])
    out = {}
    for family, solves in families.items():
        if len(solves) < 2:
            continue
        planned = [s for s in solves if s["objective"] is not None and s.get("checker_violations") == 0]
        objectives = sorted(s["objective"] for s in planned)
        firsts = sorted(s["first_plan_seconds"] for s in planned if s["first_plan_seconds"] is not None)
        gaps = [s["gap_end"] for s in planned if s.get("gap_end") is not None]
        above = [s["above_best_known"] for s in planned if s.get("above_best_known") is not None]
        out[family] = {
            "runs": len(solves),
            "planned": len(planned),
            "objective_worst": objectives[-1] if objectives else None,
            "objective_median": statistics.median(objectives) if objectives else None,
            "objective_best": objectives[0] if objectives else None,
            "first_plan_worst": firsts[-1] if firsts else None,
            "first_plan_median": statistics.median(firsts) if firsts else None,
            "gap_end_worst": max(gaps) if len(gaps) == len(planned) and gaps else None,
            "above_best_known_worst": max(above) if above else None,
            "peak_mb_worst": max(s["peak_mb"] for s in solves),
            "time_limit": solves[0].get("time_limit"),
        }
    return out


def print_spread(results: dict[str, Any]) -> None:
    from rich.table import Table

    rows = spread(results)
    if not rows:
        return
    results["spread"] = rows
    table = Table(title="Across seeds (worst first)")
    for column in (
        "case", "limit s", "planned", "first plan s worst / median", "objective worst / median / best",
        "gap at end, worst", "above best known, worst", "peak MB worst",
    ):  # fmt: skip
        table.add_column(column, justify="left" if column == "case" else "right")
    for family, row in rows.items():
        table.add_row(
            family,
            cell(row["time_limit"], 0),
            f"{row['planned']} / {row['runs']}",
            f"{cell(row['first_plan_worst'])} / {cell(row['first_plan_median'])}",
            " / ".join(cell(row[k], 0) for k in ("objective_worst", "objective_median", "objective_best")),
            _pct(row["gap_end_worst"]),
            _pct(row["above_best_known_worst"]),
            cell(row["peak_mb_worst"], 0),
        )
    wide_console(200).print(table)


def _named_limit(text: str) -> tuple[str, float]:
    name, _, seconds = text.partition("=")
    try:
        return name, float(seconds)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected CASE=SECONDS, got {text!r}") from None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", action="append", help="run only this case (repeatable): " + ", ".join(c.name for c in CASES)
    )
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per solve (default 120)")
    parser.add_argument(
        "--limit",
        type=_named_limit,
        action="append",
        metavar="CASE=SECONDS",
        help="another time limit for one case (and its other seeds), e.g. gen-40x14=120",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        nargs="+",
        metavar="SEED",
        help="run each generated case from these generator seeds instead of its own (e.g. 11 12 13 14 15)",
    )
    parser.add_argument(
        "--record-best",
        action="store_true",
        help=f"keep a better checked plan's objective in {BEST_KNOWN.relative_to(ROOT)}",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--cap", type=float, default=None, help="wall-clock cap per solve (default: limit + max(60, limit/2))"
    )
    parser.add_argument("--memory-cap-mb", type=float, default=8192.0, help="kill a case above this RSS (default 8192)")
    parser.add_argument("--reference-limit", type=float, default=30.0, help="seconds to complete each reference plan")
    parser.add_argument("--no-reference", action="store_true", help="skip the constructive and witness plans")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument("--note", default="", help="free text stored with the results (e.g. what else was running)")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"), help="compare two --json results")
    parser.add_argument("--write-scenarios", action="store_true", help="only write bench/scenarios/*.yaml")
    # internal: the subprocesses
    parser.add_argument("--worker", choices=("solve", "reference"), help=argparse.SUPPRESS)
    parser.add_argument("--scenario", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--generator-seed", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--events", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if args.worker == "solve":
        return worker_solve(args)
    if args.worker == "reference":
        return worker_reference(args)
    if args.write_scenarios:
        write_scenarios(list(CASES))
        return 0
    return run_suite(args)


if __name__ == "__main__":
    sys.exit(main())
