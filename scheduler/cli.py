"""The ``solve.py`` command: read a scenario, plan it, check the plan, print and write it.

``solve.py [SCENARIO] [--out DIR]`` plans (and with ``--out`` writes the plan, the booklet,
maps, calendars and spreadsheet into DIR); ``solve.py render PLAN.json --out DIR`` writes the
same outputs from a saved plan without solving; ``solve.py compare BASE VARIANT...`` solves a
scenario and its variants (``docs/variants.md``) side by side and shows what each changes.

Exit status: 0 a plan (proven best or not), 1 no plan (proven impossible, or none found in
the time limit), 2 bad input, 3 an internal error (a plan that breaks a rule is a bug), 4 an
output could not be written (each one named, with the reason).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from .check import PlanViolationError, assert_valid
from .export import result_to_json, write_json
from .loading import ScenarioError, load_scenario, locator
from .plan import SolveStatus
from .schema import scenario_json_schema
from .solver import Progress, SolveOptions, solve
from .solver.diagnose import find_conflict, proves_no_plan, quick_plan, suggest_relaxations
from .solver.prechecks import find_obstacles, find_warnings
from .solver.tradeoffs import trade_offs
from .terminal import print_explanation, print_no_plan, print_plan, print_solver_line

DEFAULT_SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "dalian-2019.yaml"

PIPED_WIDTH = 180
DIAGNOSIS_SECONDS = 60.0
RELAXATION_CHECK_SECONDS = 5.0
EXIT_PLAN, EXIT_NO_PLAN, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_ABORTED = 0, 1, 2, 3, 130
EXIT_OUTPUT = 4
LANGUAGES = ("zh", "en")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="solve.py",
        description="Plan a multi-day training programme described in a scenario YAML file.",
    )
    parser.add_argument(
        "scenario",
        nargs="?",
        type=Path,
        default=None,
        help="scenario YAML file (default: scenarios/dalian-2019.yaml)",
    )
    parser.add_argument(
        "--time-limit", type=float, default=60.0, metavar="S", help="stop searching after S seconds (default 60)"
    )
    parser.add_argument("--workers", type=int, default=2, metavar="N", help="parallel search workers (default 2)")
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="N",
        help="random seed (default 0); with --workers 1 a run is reproducible",
    )
    parser.add_argument(
        "--json", type=str, default=None, metavar="FILE", help="write the plan as JSON to FILE ('-' for stdout)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="write the plan (plan.json), booklet (HTML, PDF), maps, calendars and spreadsheet into DIR",
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=None, help="labels of the outputs (default: the scenario's language)"
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no progress line, no itinerary: only the solver line and errors"
    )
    parser.add_argument("--log-search", action="store_true", help="show CP-SAT's own search log")
    parser.add_argument("--schema", action="store_true", help="print the scenario JSON Schema and exit")
    parser.add_argument(
        "--explain", action="store_true", help="after the plan: the objective by goal and class, and binding limits"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["render"]:
        return render_main(argv[1:])
    if argv[:1] == ["compare"]:
        return compare_main(argv[1:])
    if argv[:1] == ["replan"]:
        from .replan_command import replan_main  # it imports this module's helpers

        return replan_main(argv[1:])
    args = build_parser().parse_args(argv)
    json_to_stdout = args.json == "-"
    out_file = sys.stderr if json_to_stdout else sys.stdout
    # Piped output is read by people too (and by tests): wide enough for the tables.
    out = Console(file=out_file, highlight=False, width=None if out_file.isatty() else PIPED_WIDTH)
    err = Console(file=sys.stderr, highlight=False, width=None if sys.stderr.isatty() else PIPED_WIDTH)
    if args.schema:
        print(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))
        return EXIT_PLAN
    if args.time_limit <= 0 or args.workers < 1:
        err.print("solve.py: --time-limit must be above 0 and --workers at least 1", markup=False)
        return EXIT_BAD_INPUT

    path = args.scenario or DEFAULT_SCENARIO
    try:
        scenario = load_scenario(path)
    except ScenarioError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT

    located = locator(path)

    obstacles = find_obstacles(scenario)
    if obstacles:
        print_no_plan(
            err, scenario, SolveStatus.INFEASIBLE, [located(o.path, o.message) for o in obstacles], together=False
        )
        return EXIT_NO_PLAN
    for warning in find_warnings(scenario):
        err.print(f"warning: {located(warning.path, warning.message)}", markup=False, soft_wrap=True)

    options = SolveOptions(args.time_limit, args.workers, args.seed, args.log_search, handle_signals=True)
    progress = None if args.quiet or not err.is_terminal else _progress_printer(err)
    try:
        result = solve(scenario, options, on_progress=progress)
    except KeyboardInterrupt:
        err.print("solve.py: aborted (second Ctrl-C); nothing written.", markup=False)
        return EXIT_ABORTED

    if result.plan is None:
        print_solver_line(err, result.stats)
        _explain_no_plan(err, scenario, result.status, args, located)
        return EXIT_NO_PLAN
    try:
        assert_valid(scenario, result.plan)
    except PlanViolationError as error:
        err.print("INTERNAL ERROR: the solver's plan breaks a rule (a bug; please report it):", markup=False)
        for violation in error.violations:
            err.print(f"  - {violation}", markup=False)
        return EXIT_INTERNAL

    if not args.quiet:
        print_plan(out, scenario, result)
    if args.explain:
        print_explanation(out, scenario, result, trade_offs(scenario, result, workers=args.workers))
    print_solver_line(out, result.stats)
    if args.json:
        try:
            write_json(args.json, result_to_json(scenario, result))
        except OSError as error:
            err.print(f"solve.py: cannot write {args.json}: {error.strerror or error}", markup=False)
            return EXIT_BAD_INPUT
    if args.out is not None:
        return write_outputs(result_to_json(scenario, result), args.out, args.lang, out, err, with_plan=True)
    return EXIT_PLAN


def _explain_no_plan(err: Console, scenario, status: SolveStatus, args, located) -> None:
    """Which requirements conflict (a minimal set, with their lines) and the smallest single
    change of a number that gives a plan."""
    budget = min(DIAGNOSIS_SECONDS, args.time_limit)
    err.print(f"Looking for the requirements that conflict (up to {budget:.0f} s)...", markup=False)
    diagnosis = find_conflict(scenario, budget, args.workers, args.seed)
    if diagnosis.feasible is not False:
        print_no_plan(err, scenario, status, [], conflict_known=diagnosis.feasible)
        return

    def has_plan(variant) -> bool:
        # the quick constructive way first: a short full solve often misses plans that exist
        if quick_plan(variant, RELAXATION_CHECK_SECONDS, args.workers, args.seed):
            return True
        return solve(variant, SolveOptions(RELAXATION_CHECK_SECONDS, args.workers, args.seed)).plan is not None

    def has_no_plan(variant) -> bool:
        return proves_no_plan(variant, RELAXATION_CHECK_SECONDS, args.workers, args.seed)

    relaxations = suggest_relaxations(scenario, diagnosis.conflict, has_plan, budget, has_no_plan)
    print_no_plan(
        err,
        scenario,
        SolveStatus.INFEASIBLE,
        [located(r.path, r.sentence) for r in diagnosis.conflict],
        minimal=diagnosis.minimal,
        relaxations=[str(r) for r in relaxations],
    )


def _progress_printer(console: Console):
    """Print one line each time the search finds a better plan."""

    def show(progress: Progress) -> None:
        if math.isfinite(progress.best_bound):
            gap = abs(progress.objective - progress.best_bound) / max(1.0, abs(progress.objective))
            bound = f"  bound {progress.best_bound:>10.0f}  gap {gap:6.2%}"
        else:
            bound = "  no bound yet"
        console.print(
            f"[dim]{progress.seconds:7.1f}s  plan #{progress.plans_found:<3} objective {progress.objective:>10.0f}"
            f"{bound}[/dim]"
        )

    return show


# ---------------------------------------------------------------------------
# Outputs: ``--out DIR`` after a solve, and ``solve.py render PLAN.json --out DIR``


def build_render_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="solve.py render",
        description="Write the booklet (HTML, PDF), maps, calendars and spreadsheet of a saved plan, without solving.",
    )
    parser.add_argument("plan", type=Path, help="a plan written by solve.py --json FILE or --out DIR (DIR/plan.json)")
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder to write into (created if missing)"
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=None, help="labels of the outputs (default: the plan's language)"
    )
    return parser


def render_main(argv: list[str]) -> int:
    """``solve.py render PLAN.json --out DIR [--lang zh|en]``."""
    args = build_render_parser().parse_args(argv)
    out = Console(file=sys.stdout, highlight=False, width=None if sys.stdout.isatty() else PIPED_WIDTH)
    err = Console(file=sys.stderr, highlight=False)
    try:
        data = json.loads(args.plan.read_text(encoding="utf-8"))
    except OSError as error:
        err.print(f"solve.py render: cannot read {args.plan}: {error.strerror or error}", markup=False, soft_wrap=True)
        return EXIT_BAD_INPUT
    except UnicodeDecodeError:
        err.print(
            f"solve.py render: {args.plan}: not UTF-8 text (expected a plan JSON file)", markup=False, soft_wrap=True
        )
        return EXIT_BAD_INPUT
    except json.JSONDecodeError as error:
        err.print(
            f"solve.py render: {args.plan}:{error.lineno}: not JSON: {error.msg} (expected a plan JSON file)",
            markup=False,
            soft_wrap=True,
        )
        return EXIT_BAD_INPUT
    return write_outputs(data, args.out, args.lang, out, err, with_plan=False, source=str(args.plan))


def write_outputs(
    data: dict, out_dir: Path, lang: str | None, out: Console, err: Console, *, with_plan: bool, source: str = "plan"
) -> int:
    """Write every output of the plan ``data`` into ``out_dir`` (and ``plan.json`` if ``with_plan``).

    Prints one line per output written, and one per output that failed with its reason;
    returns the exit status.
    """
    from .render import PlanFileError, render_all
    from .render.document import NoPlanError

    prog = "solve.py" if with_plan else "solve.py render"
    written: list[Path] = []
    if with_plan:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            write_json(out_dir / "plan.json", data)
            written.append(out_dir / "plan.json")
        except OSError as error:
            err.print(
                f"{prog}: cannot write {out_dir / 'plan.json'}: {error.strerror or error}", markup=False, soft_wrap=True
            )
            return EXIT_OUTPUT
    try:
        report = render_all(data, out_dir, lang)
    except NoPlanError as error:
        err.print(f"{prog}: {source}: {error}", markup=False, soft_wrap=True)
        return EXIT_NO_PLAN
    except PlanFileError as error:
        err.print(f"{prog}: {source}: {error}", markup=False, soft_wrap=True)
        return EXIT_BAD_INPUT
    written += report.written
    if written:
        out.print(f"wrote {out_dir}: {_summary(out_dir, written)}", markup=False, soft_wrap=True)
    for failure in report.failures:
        err.print(f"{prog}: could not write {failure.output}: {failure.reason}", markup=False, soft_wrap=True)
    return EXIT_PLAN if report.ok else EXIT_OUTPUT


def _summary(out_dir: Path, written: list[Path]) -> str:
    """``plan.json, booklet.html, booklet.pdf, maps/ (34 files), calendars/ (15 files), itinerary.xlsx``."""
    shown: dict[str, int] = {}
    for path in written:
        relative = path.relative_to(out_dir) if path.is_relative_to(out_dir) else path
        key = f"{relative.parts[0]}/" if len(relative.parts) > 1 else str(relative)
        shown[key] = shown.get(key, 0) + 1
    return ", ".join(f"{key} ({count} files)" if key.endswith("/") else key for key, count in shown.items())


# ---------------------------------------------------------------------------
# ``solve.py compare BASE VARIANT...``


def build_compare_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="solve.py compare",
        description="Solve a base scenario and its variants side by side (in parallel processes); show their "
        "figures with the deltas against the base, and what each variant's plan changes.",
    )
    parser.add_argument("base", type=Path, help="the base scenario file (or a variant)")
    parser.add_argument("variants", nargs="+", type=Path, metavar="VARIANT", help="variant (or scenario) files")
    parser.add_argument(
        "--time-limit", type=float, default=60.0, metavar="S", help="stop each search after S seconds (default 60)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="search workers in all, shared out: at most N solves at a time (default 2)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="N", help="random seed (default 0); with --workers 1 reproducible"
    )
    parser.add_argument("--html", type=Path, default=None, metavar="FILE", help="also write the comparison as a page")
    parser.add_argument(
        "--json", type=str, default=None, metavar="FILE", help="also write the comparison as JSON ('-' for stdout)"
    )
    return parser


def compare_main(argv: list[str]) -> int:
    """``solve.py compare BASE VARIANT... [--time-limit S] [--workers N] [--seed K] [--html FILE] [--json FILE]``."""
    from .compare import Entry, build_comparison
    from .render.compare import write_comparison_html
    from .solver.parallel import share_workers, solve_all
    from .terminal import print_comparison
    from .variants import variant_name

    args = build_compare_parser().parse_args(argv)
    out_file = sys.stderr if args.json == "-" else sys.stdout
    out = Console(file=out_file, highlight=False, width=None if out_file.isatty() else PIPED_WIDTH)
    err = Console(file=sys.stderr, highlight=False, width=None if sys.stderr.isatty() else PIPED_WIDTH)
    if args.time_limit <= 0 or args.workers < 1:
        err.print("solve.py compare: --time-limit must be above 0 and --workers at least 1", markup=False)
        return EXIT_BAD_INPUT
    paths: list[Path] = [args.base, *args.variants]
    scenarios, problems = [], []
    for path in paths:
        try:
            scenarios.append(load_scenario(path))
        except ScenarioError as error:
            problems += error.problems
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT

    at_once, per_solve = share_workers(len(paths), args.workers)
    clock = " of the solver's reproducible (deterministic) time" if per_solve == 1 else ""
    err.print(
        f"Solving {len(paths)} scenarios, {at_once} at a time with {per_solve} worker{'s' * (per_solve > 1)} each, "
        f"up to {args.time_limit:g} s{clock} each...",
        markup=False,
    )
    try:
        solved = solve_all(scenarios, SolveOptions(args.time_limit, args.workers, args.seed, handle_signals=True))
    except KeyboardInterrupt:
        err.print("solve.py compare: aborted (second Ctrl-C); nothing written.", markup=False)
        return EXIT_ABORTED
    for path, scenario, outcome in zip(paths, scenarios, solved, strict=True):
        if outcome.result.plan is None:
            continue
        try:
            assert_valid(scenario, outcome.result.plan)
        except PlanViolationError as error:
            err.print(f"INTERNAL ERROR: the plan for {path} breaks a rule (a bug; please report it):", markup=False)
            for violation in error.violations:
                err.print(f"  - {violation}", markup=False)
            return EXIT_INTERNAL

    names = _column_names(paths)
    entries = []
    for path, name, scenario, outcome in zip(paths, names, scenarios, solved, strict=True):
        located = locator(path)
        entries.append(
            Entry(
                file=str(path),
                name=name,
                scenario=scenario,
                result=outcome.result,
                reasons=tuple(located(o.path, o.message) for o in outcome.obstacles),
                title=variant_name(path, scenario.programme.language),
                skipped=outcome.skipped,
            )
        )
    comparison = build_comparison(entries)
    print_comparison(out, comparison)

    status = EXIT_PLAN
    data = comparison.to_json()
    writers: list[tuple[str, Callable[[], None]]] = []
    if args.json:
        writers.append((args.json, lambda: write_json(args.json, data)))
    if args.html is not None:
        writers.append((str(args.html), lambda: write_comparison_html(data, args.html)))
    for target, write in writers:
        try:
            write()
        except OSError as error:
            err.print(f"solve.py compare: cannot write {target}: {error.strerror or error}", markup=False)
            status = EXIT_OUTPUT
        else:
            if target != "-":
                err.print(f"wrote {target}", markup=False)
    return status


def _column_names(paths: list[Path]) -> list[str]:
    """Each file's name without ``.yaml``; the whole path where two names would be the same."""
    stems = [path.stem for path in paths]
    return [stem if stems.count(stem) == 1 else str(path) for stem, path in zip(stems, paths, strict=True)]
