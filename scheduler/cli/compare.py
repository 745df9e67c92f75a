"""``solve.py compare BASE VARIANT...``: a scenario and its variants (``docs/variants.md``) side by
side. By default the base is planned (or ``--base-plan`` read) and each variant re-planned from
it with the least change (as ``replan`` does, everything before ``--freeze-until`` kept), so the
comparison shows only what each variant forces; ``--from-scratch`` plans every variant anew.
The variants run in a local process pool or on a Dask cluster (``--cluster``). Prints a verdict
per variant, the figures with their deltas, and what each variant's plan changes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from scheduler.analysis.compare import Outcome, build_comparison
from scheduler.analysis.impact import MINOR_MINUTES
from scheduler.analysis.risk import Ending, Reason, Replanned
from scheduler.cli import options as cli
from scheduler.cli.engines import add_engine_options, engine_words, open_engine
from scheduler.cli.parsing import Helps
from scheduler.cli.terminal import print_comparison
from scheduler.plan.export import saved_objective, write_json
from scheduler.plan.model import Freeze, Result, SolveStatus
from scheduler.render.compare import write_comparison_html
from scheduler.render.labels import Labels
from scheduler.runs.engine import EngineError, Task, TaskFailed, share_workers
from scheduler.scenario.loading import ScenarioError, load_scenario, locator
from scheduler.scenario.reading import system_reason
from scheduler.scenario.variants import variant_name
from scheduler.solver.options import SolveOptions

DIAGNOSIS_SECONDS = 20.0
"""How long each variant without a plan is searched for the requirements that conflict."""


def add_parser(commands: argparse._SubParsersAction, helps: Helps) -> None:
    parser = commands.add_parser("compare", help=helps("compare"), description=helps("compare_description"))
    parser.add_argument("base", type=Path, help=helps("compare_base"), metavar="BASE")
    parser.add_argument("variants", nargs="+", type=Path, metavar="VARIANT", help=helps("compare_variants"))
    cli.add_search_options(parser, helps, time_limit=60.0, workers_help=helps("workers_shared"))
    parser.add_argument("--from-scratch", action="store_true", help=helps("from_scratch"))
    parser.add_argument("--base-plan", type=Path, default=None, metavar="PLAN.json", help=helps("base_plan"))
    parser.add_argument("--freeze-until", default=None, metavar="DATE[THH:MM]", help=helps("compare_freeze"))
    parser.add_argument(
        "--minor-minutes",
        type=int,
        default=MINOR_MINUTES,
        metavar="M",
        help=helps("compare_minor", default=MINOR_MINUTES),
    )
    parser.add_argument("--all-rows", action="store_true", help=helps("all_rows"))
    parser.add_argument("--lang", choices=cli.LANGUAGES, default=None, help=helps("lang_printed_base"))
    add_engine_options(parser, helps)
    parser.add_argument("--html", type=Path, default=None, metavar="FILE", help=helps("compare_html"))
    parser.add_argument("--json", type=str, default=None, metavar="FILE", help=helps("compare_json"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    out = cli.console(sys.stderr if args.json == "-" else sys.stdout)
    err = cli.console(sys.stderr)
    prog = "solve.py compare"
    options = cli.search_options(args, prog, err, handle_signals=True)
    if isinstance(options, int):
        return options
    if args.minor_minutes < 0:
        said = Labels(args.lang or "en")("below_zero", option="--minor-minutes", value=args.minor_minutes)
        err.print(f"{prog}: {said}", markup=False)
        return cli.Exit.BAD_INPUT
    paths: list[Path] = [args.base, *args.variants]
    scenarios, problems = [], []
    for path in paths:
        try:
            scenarios.append(load_scenario(path))
        except ScenarioError as error:
            problems += error.problems
    if problems:
        for problem in problems:  # in --lang, else English: a file that does not load has no language
            print(problem.in_language(args.lang or "en"), file=sys.stderr)
        return cli.Exit.BAD_INPUT
    labels = Labels(cli.language(args, scenarios[0]))
    freeze = None
    if args.freeze_until:
        try:
            freeze = Freeze.parse(args.freeze_until)
        except ValueError:
            err.print(f"{prog}: {labels('bad_freeze', value=repr(args.freeze_until))}", markup=False)
            return cli.Exit.BAD_INPUT
    if args.from_scratch and (freeze is not None or args.base_plan is not None):
        err.print(f"{prog}: {labels('from_scratch_alone')}", markup=False)
        return cli.Exit.BAD_INPUT

    if args.from_scratch:
        results = _from_scratch(args, scenarios, options, err, labels)
    else:
        results = _least_change(args, scenarios, options, freeze, err, labels)
    if isinstance(results, int):
        return results
    for path, scenario, outcome in zip(paths, scenarios, results, strict=True):
        result = outcome.result
        what = labels("the_plan_for", path=path)
        if result.plan is not None and cli.plan_breaks_a_rule(err, scenario, result.plan, what, labels.lang):
            return cli.Exit.INTERNAL

    names = _column_names(paths)
    entries = []
    for path, name, scenario, outcome in zip(paths, names, scenarios, results, strict=True):
        title = variant_name(path, scenario.programme.language)
        entries.append(outcome.entry(str(path), name, scenario, locate=locator(path), title=title, lang=labels.lang))
    comparison = build_comparison(
        entries,
        mode="from_scratch" if args.from_scratch else "least_change",
        minor_minutes=args.minor_minutes,
        all_rows=args.all_rows,
        lang=labels.lang,
    )
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
            err.print(f"{prog}: {labels('cannot_write', target=target, reason=system_reason(error))}", markup=False)
            status = cli.Exit.OUTPUT
        else:
            if target != "-":
                err.print(labels("wrote", target=target), markup=False, soft_wrap=True)
    return status


def _least_change(
    args, scenarios, options: SolveOptions, freeze: Freeze | None, err, labels: Labels
) -> list[Outcome] | int:
    """The base planned (or read), then every variant re-planned from it with the least change."""
    from scheduler.runs.tasks import compared, replan_changed
    from scheduler.solver import solve

    prog = "solve.py compare"
    base = scenarios[0]
    if args.base_plan is not None:
        read = _read_base_plan(args, base, err, labels.lang)
        if isinstance(read, int):
            return read
        base_result = read
    else:
        seconds = labels("seconds_n", n=f"{args.time_limit:g}")
        err.print(labels("planning_base", file=args.base, seconds=seconds), markup=False, soft_wrap=True)
        base_result = solve(base, options)
        if base_result.plan is None:
            in_time = labels("base_in_time") if base_result.status is SolveStatus.NO_PLAN_IN_TIME else ""
            err.print(f"{prog}: {labels('base_has_no_plan', base=args.base, in_time=in_time)}", markup=False)
            return cli.Exit.NO_PLAN
    variants = scenarios[1:]
    engine_options, at_once = _task_options(args, options, len(variants))
    tasks = [
        Task(f"variant-{n}", replan_changed, (scenario, base_result.plan, engine_options, freeze, DIAGNOSIS_SECONDS))
        for n, scenario in enumerate(variants, 1)
    ]
    ran = _run(args, tasks, at_once, engine_options, err, labels)
    if isinstance(ran, int):
        return ran
    outcomes: list[Outcome] = [Outcome(base_result)]
    for replanned in ran:
        outcomes.append(compared(replanned, engine_options, base_result))
    return outcomes


def _from_scratch(args, scenarios, options: SolveOptions, err, labels: Labels) -> list[Outcome] | int:
    from scheduler.runs.tasks import compared, solve_changed

    engine_options, at_once = _task_options(args, options, len(scenarios))
    tasks = [
        Task(f"scenario-{n}", solve_changed, (scenario, engine_options, DIAGNOSIS_SECONDS))
        for n, scenario in enumerate(scenarios)
    ]
    ran = _run(args, tasks, at_once, engine_options, err, labels)
    if isinstance(ran, int):
        return ran
    return [compared(replanned, engine_options) for replanned in ran]


def _task_options(args, options: SolveOptions, solves: int) -> tuple[SolveOptions, int]:
    """Each solve's options (its share of the workers) and how many run at a time locally."""
    if args.cluster is not None:
        return replace(options, workers=1, handle_signals=False), solves
    at_once, per_solve = share_workers(solves, options.workers)
    return replace(options, workers=per_solve, handle_signals=False), at_once


def _run(args, tasks: list[Task], at_once: int, options: SolveOptions, err, labels: Labels) -> list[Replanned] | int:
    prog = "solve.py compare"
    engine = open_engine(args, at_once, prog, err, labels)
    if engine is None:
        return cli.Exit.BAD_INPUT
    starting = labels(
        "solving_scenarios" if args.from_scratch else "replanning_scenarios",
        scenarios=labels.count("scenario", len(tasks)),
        engine=engine_words(engine, labels),
        workers=labels.count("worker", options.workers),
        seconds=labels("seconds_n", n=f"{args.time_limit:g}"),
        clock=labels("reproducible_clock") if options.reproducible else "",
    )
    err.print(starting, markup=False, soft_wrap=True)
    results: list[Replanned] = [Replanned(Ending.NOT_RUN)] * len(tasks)

    def collect(index: int, value: object) -> None:
        results[index] = (
            Replanned(Ending.FAILED, reasons=(Reason(value.reason),)) if isinstance(value, TaskFailed) else value
        )

    with engine:
        try:
            engine.run(tasks, collect)
        except KeyboardInterrupt:
            err.print(f"{prog}: {labels('compare_stopped')}", markup=False)
        except EngineError as error:  # one sentence, the results so far kept
            err.print(f"{prog}: {error.said.in_language(labels.lang)}", markup=False, soft_wrap=True)
    return results


def _read_base_plan(args, scenario, err, lang: str) -> Result | int:
    """The saved base plan, checked against the base scenario, as a result with its figures."""
    read = cli.read_valid_plan(args.base_plan, scenario, args.base, "solve.py compare", err, lang)
    if read is None:
        return cli.Exit.BAD_INPUT
    plan, data = read
    objective, terms = saved_objective(data)
    stats = SolveOptions(args.time_limit).stats(SolveStatus.FEASIBLE, objective)
    return Result(stats, plan, terms or {})


def _column_names(paths: list[Path]) -> list[str]:
    """Each file's name without ``.yaml``; the whole path where two names would be the same."""
    stems = [path.stem for path in paths]
    return [stem if stems.count(stem) == 1 else str(path) for stem, path in zip(stems, paths, strict=True)]
