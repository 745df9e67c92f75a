"""``solve.py [solve] [SCENARIO]``: read a scenario, plan it, check the plan, print and write it.

With ``--out DIR`` the plan, the booklet, maps, calendars and spreadsheet are written into DIR.
When no plan exists, the requirements that conflict are named, with the smallest single change
of a number that gives a plan.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.text import Text

from scheduler.cli import options as cli
from scheduler.cli.outputs import add_output_options, write_plan
from scheduler.cli.parsing import Helps
from scheduler.cli.phases import Phases
from scheduler.cli.terminal import print_explanation, print_no_plan, print_plan, print_solver_line
from scheduler.plan.export import result_to_json
from scheduler.plan.model import SolveStatus
from scheduler.render.labels import Labels
from scheduler.scenario.loading import locator
from scheduler.scenario.schema import scenario_json_schema
from scheduler.solver import Progress, SolveOptions


def add_parser(commands: argparse._SubParsersAction, helps: Helps) -> None:
    parser = commands.add_parser("solve", help=helps("solve"), description=helps("solve_description"))
    parser.add_argument(
        "scenario", nargs="?", type=Path, default=None, help=helps("solve_scenario"), metavar="SCENARIO"
    )
    cli.add_search_options(parser, helps, time_limit=60.0, workers_help=helps("workers_parallel"))
    add_output_options(parser, helps, json_help=helps("solve_json"), out_help=helps("solve_out"))
    parser.add_argument("--quiet", action="store_true", help=helps("solve_quiet"))
    parser.add_argument("--log-search", action="store_true", help=helps("log_search"))
    parser.add_argument("--schema", action="store_true", help=helps("schema"))
    parser.add_argument("--explain", action="store_true", help=helps("explain"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # the solver is imported when a command plans, not whenever the command line is read
    from scheduler.solver import solve
    from scheduler.solver.diagnosis.prechecks import find_obstacles, find_warnings
    from scheduler.solver.diagnosis.tradeoffs import trade_offs

    json_to_stdout = args.json == "-"
    out = cli.console(sys.stderr if json_to_stdout else sys.stdout)
    err = cli.console(sys.stderr)
    if args.schema:
        print(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))
        return cli.Exit.PLAN
    options = cli.search_options(args, "solve.py", err, log_search=args.log_search, handle_signals=True)
    if isinstance(options, int):
        return options

    path = args.scenario or cli.DEFAULT_SCENARIO
    # until the scenario is read, in --lang or English; after, in the command's language
    labels = Labels(args.lang or "en")
    phases = Phases("solve.py", enabled=not args.quiet, lang=labels.lang)
    with phases.phase(labels("phase_reading", file=path, size=_size(path, labels))):
        scenario = cli.load_or_report(path, args.lang)
    if scenario is None:
        return cli.Exit.BAD_INPUT

    located = locator(path)
    lang = cli.language(args, scenario)
    labels = Labels(lang)
    phases = Phases("solve.py", enabled=not args.quiet, lang=lang)
    counts = {"places": len(scenario.places), "classes": len(scenario.classes), "days": scenario.programme.days}
    with phases.phase(labels("phase_obstacles", **counts)):
        obstacles = find_obstacles(scenario)
    if obstacles:
        print_no_plan(
            err,
            scenario,
            SolveStatus.INFEASIBLE,
            [located(o.path, o.message) for o in obstacles],
            together=False,
            lang=lang,
        )
        return cli.Exit.NO_PLAN
    for warning in find_warnings(scenario):
        err.print(f"warning: {located(warning.path, warning.message)}", markup=False, soft_wrap=True)

    progress = None if args.quiet or not err.is_terminal else _progress_printer(err, lang)
    try:
        result = solve(scenario, options, on_progress=progress)
    except KeyboardInterrupt:
        err.print(f"solve.py: {labels('aborted_nothing_written')}", markup=False)
        return cli.Exit.ABORTED

    if result.plan is None:
        print_solver_line(err, result.stats, lang)
        _explain_no_plan(err, scenario, result.status, options, located=located, lang=lang)
        return cli.Exit.NO_PLAN
    if cli.plan_breaks_a_rule(err, scenario, result.plan, labels("the_solvers_plan"), lang):
        return cli.Exit.INTERNAL

    if not args.quiet:
        print_plan(out, scenario, result, lang)
    if args.explain:
        print_explanation(out, scenario, result, trade_offs(scenario, result, options), lang)
    print_solver_line(out, result.stats, lang)
    return write_plan(result_to_json(scenario, result, path), args, prog="solve.py", out=out, err=err)


def _size(path, labels: Labels) -> str:
    """`` (12.4 MB)``: a file's size, to say while it is read; empty if it cannot be known."""
    try:
        return labels("file_size", mb=f"{Path(path).stat().st_size / 2**20:.1f}")
    except OSError:
        return ""


def _explain_no_plan(err: Console, scenario, status: SolveStatus, options: SolveOptions, *, located, lang: str) -> None:
    """Which requirements conflict (a minimal set, with their lines) and the smallest single
    change of a number that gives a plan; in a process of its own that keeps to the diagnosis's
    budget of time and memory (``DiagnosisParams``), whatever the size of the programme."""
    from scheduler.solver.bounded import Ending, run_bounded

    params = options.params.diagnosis
    budget = min(params.seconds, options.time_limit)
    cap = budget + max(params.grace_seconds, params.grace_share * budget)
    labels = Labels(lang)
    err.print(labels("looking_for_conflict", seconds=labels("seconds_n", n=f"{cap:.0f}")), markup=False)
    found = run_bounded(diagnose_no_plan, scenario, options, budget, seconds=cap, memory_bytes=params.memory_mb * 2**20)
    if found.ending is not Ending.DONE:
        err.print(_how_it_ended(labels, found, params.memory_mb), markup=False)
        print_no_plan(err, scenario, status, [], conflict_known=None, lang=lang)
        return
    diagnosis, relaxations = found.value
    if diagnosis.feasible is not False:
        print_no_plan(err, scenario, status, [], conflict_known=diagnosis.feasible, lang=lang)
        return
    print_no_plan(
        err,
        scenario,
        SolveStatus.INFEASIBLE,
        [located(r.path, r.sentence) for r in diagnosis.conflict],
        minimal=diagnosis.minimal,
        relaxations=[str(r) for r in relaxations],
        lang=lang,
    )


def _how_it_ended(labels: Labels, found, memory_mb: int) -> str:
    from scheduler.solver.bounded import Ending

    if found.ending is Ending.OUT_OF_TIME:
        return labels("conflict_out_of_time", reason=found.reason)
    if found.ending is Ending.OUT_OF_MEMORY:
        return labels("conflict_out_of_memory", gb=f"{memory_mb / 1024:.1f}", reason=found.reason)
    return labels("conflict_failed", reason=found.reason)


def diagnose_no_plan(scenario, options: SolveOptions, budget: float):
    """The conflicting requirements and the smallest relaxations, within ``budget`` seconds in
    all (run by ``run_bounded`` in a process of its own: a module-level function)."""
    from scheduler.solver import solve
    from scheduler.solver.diagnosis.diagnose import find_conflict, proves_no_plan, quick_plan, suggest_relaxations

    params, workers, seed = options.params, options.workers, options.seed
    started = time.monotonic()
    diagnosis = find_conflict(scenario, budget, workers, seed, params=params)
    if diagnosis.feasible is not False:
        return diagnosis, ()

    def has_plan(variant) -> bool:
        # the quick constructive way first: a short full solve often misses plans that exist
        seconds = params.diagnosis.relaxation_seconds
        if quick_plan(variant, seconds, workers, seed, params=params):
            return True
        return solve(variant, SolveOptions(seconds, workers, seed, params=params)).plan is not None

    def has_no_plan(variant) -> bool:
        return proves_no_plan(variant, params.diagnosis.relaxation_seconds, workers, seed, params=params)

    left = max(0.0, budget - (time.monotonic() - started))
    return diagnosis, suggest_relaxations(scenario, diagnosis.conflict, has_plan, left, is_impossible=has_no_plan)


def _progress_printer(console: Console, lang: str):
    """Print one line each time the search finds a better plan."""
    labels = Labels(lang)

    def show(progress: Progress) -> None:
        if math.isfinite(progress.best_bound):
            # the plan's terms, which the final gap is measured against, are not known here
            left = max(0.0, progress.objective - progress.best_bound)
            bound = labels("progress_bound", bound=f"{progress.best_bound:.0f}", left=f"{left:.0f}")
        else:
            bound = labels("progress_no_bound")
        seconds = labels("seconds_n", n=f"{progress.seconds:7.1f}")
        found = labels("progress_plan", seconds=seconds, n=progress.plans_found, objective=f"{progress.objective:.0f}")
        console.print(Text(f"{found} · {bound}", style="dim"))

    return show
