"""``solve.py compare BASE VARIANT...``: a scenario and its variants (``docs/variants.md``)
solved side by side, their figures with the deltas against the base, and what each variant's
plan changes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from scheduler.analysis.compare import Entry, build_comparison
from scheduler.cli import options as cli
from scheduler.cli.terminal import print_comparison
from scheduler.plan.export import write_json
from scheduler.render.compare import write_comparison_html
from scheduler.scenario.loading import ScenarioError, load_scenario, locator
from scheduler.scenario.variants import variant_name
from scheduler.solver.parallel import share_workers, solve_all


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "compare",
        help="solve a scenario and its variants side by side",
        description="Solve a base scenario and its variants side by side (in parallel processes); show their "
        "figures with the deltas against the base, and what each variant's plan changes.",
    )
    parser.add_argument("base", type=Path, help="the base scenario file (or a variant)")
    parser.add_argument("variants", nargs="+", type=Path, metavar="VARIANT", help="variant (or scenario) files")
    cli.add_search_options(
        parser,
        time_limit=60.0,
        workers_help="search workers in all, shared out: at most N solves at a time (default 2)",
    )
    parser.add_argument("--html", type=Path, default=None, metavar="FILE", help="also write the comparison as a page")
    parser.add_argument(
        "--json", type=str, default=None, metavar="FILE", help="also write the comparison as JSON ('-' for stdout)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    out = cli.console(sys.stderr if args.json == "-" else sys.stdout)
    err = cli.console(sys.stderr)
    options = cli.search_options(args, "solve.py compare", err, handle_signals=True)
    if isinstance(options, int):
        return options
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
        return cli.Exit.BAD_INPUT

    at_once, per_solve = share_workers(len(paths), args.workers)
    clock = " of the solver's reproducible (deterministic) time" if per_solve == 1 else ""
    err.print(
        f"Solving {len(paths)} scenarios, {at_once} at a time with {per_solve} worker{'s' * (per_solve > 1)} each, "
        f"up to {args.time_limit:g} s{clock} each...",
        markup=False,
    )
    try:
        solved = solve_all(scenarios, options)
    except KeyboardInterrupt:
        err.print("solve.py compare: aborted (second Ctrl-C); nothing written.", markup=False)
        return cli.Exit.ABORTED
    for path, scenario, outcome in zip(paths, scenarios, solved, strict=True):
        if outcome.result.plan is not None and cli.plan_breaks_a_rule(
            err, scenario, outcome.result.plan, f"the plan for {path}"
        ):
            return cli.Exit.INTERNAL

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

    status = cli.Exit.PLAN
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
            status = cli.Exit.OUTPUT
        else:
            if target != "-":
                err.print(f"wrote {target}", markup=False)
    return status


def _column_names(paths: list[Path]) -> list[str]:
    """Each file's name without ``.yaml``; the whole path where two names would be the same."""
    stems = [path.stem for path in paths]
    return [stem if stems.count(stem) == 1 else str(path) for stem, path in zip(stems, paths, strict=True)]
