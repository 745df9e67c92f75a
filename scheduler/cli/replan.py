"""``solve.py replan PLAN.json VARIANT.yaml [--freeze-until DATE[THH:MM]]``: a new plan for a
changed programme that keeps everything before the freeze point and changes as little as it
can after it; prints what changed and who must be told, and writes the new plan."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scheduler.analysis.check import foreign
from scheduler.analysis.diff import diff_plans
from scheduler.analysis.freeze import cannot_keep, not_kept
from scheduler.cli import options as cli
from scheduler.cli.outputs import add_output_options, write_plan
from scheduler.cli.parsing import Helps
from scheduler.cli.terminal import print_plan, print_replan_changes, print_solver_line
from scheduler.plan.export import PlanFormatError, plan_from_json, result_to_json
from scheduler.plan.model import Freeze, SolveStatus
from scheduler.render.labels import Labels
from scheduler.scenario.reading import FileRefused, read_json


def add_parser(commands: argparse._SubParsersAction, helps: Helps) -> None:
    parser = commands.add_parser("replan", help=helps("replan"), description=helps("replan_description"))
    parser.add_argument("plan", type=Path, help=helps("saved_plan"), metavar="PLAN")
    parser.add_argument("scenario", type=Path, help=helps("replan_scenario"), metavar="SCENARIO")
    parser.add_argument("--freeze-until", type=str, default=None, metavar="DATE[THH:MM]", help=helps("replan_freeze"))
    cli.add_search_options(parser, helps, time_limit=30.0, workers_help=helps("workers_parallel"))
    add_output_options(parser, helps, json_help=helps("replan_json"), out_help=helps("replan_out"))
    parser.add_argument("--quiet", action="store_true", help=helps("replan_quiet"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from scheduler.solver.replan import replan  # the solver is loaded when a command plans

    out = cli.console()
    err = cli.console(sys.stderr)
    options = cli.search_options(args, "solve.py replan", err, handle_signals=True)
    if isinstance(options, int):
        return options
    scenario = cli.load_or_report(args.scenario, args.lang)
    if scenario is None:
        return cli.Exit.BAD_INPUT
    lang = cli.language(args, scenario)
    labels = Labels(lang)

    def say(text: str) -> None:
        err.print(f"solve.py replan: {text}", markup=False, soft_wrap=True)

    try:
        old = plan_from_json(read_json(args.plan))
    except FileRefused as refused:
        say(cli.refused_words(refused, args.plan, labels))
        return cli.Exit.BAD_INPUT
    except PlanFormatError as error:
        say(labels("not_a_plan_file", path=args.plan, reason=error))
        return cli.Exit.BAD_INPUT
    try:
        freeze = Freeze.parse(args.freeze_until) if args.freeze_until else None
    except ValueError:
        say(labels("bad_freeze", value=repr(args.freeze_until)))
        return cli.Exit.BAD_INPUT
    stranger = foreign(scenario, old)
    if stranger is not None:
        say(labels("plan_of_another", path=args.plan, scenario=args.scenario, reason=stranger.in_language(lang)))
        return cli.Exit.BAD_INPUT
    if freeze is not None:
        reasons = cannot_keep(scenario, old, freeze)
        if reasons:
            say(labels("freeze_not_kept", plan=args.plan, moment=args.freeze_until, scenario=args.scenario))
            for reason in reasons:
                say(f"  - {reason.in_language(lang)}")
            say(labels("freeze_earlier"))
            return cli.Exit.NO_PLAN

    result, weighted = replan(scenario, old, freeze, options)
    if result.plan is None:
        print_solver_line(err, result.stats, lang)
        kept = labels("replan_kept", moment=args.freeze_until) if freeze else ""
        in_time = labels("replan_in_time") if result.status is SolveStatus.NO_PLAN_IN_TIME else ""
        err.print(labels("replan_no_plan", kept=kept, in_time=in_time), markup=False, soft_wrap=True)
        return cli.Exit.NO_PLAN
    if cli.plan_breaks_a_rule(err, scenario, result.plan, labels("the_replan"), lang):
        return cli.Exit.INTERNAL
    moved = not_kept(old, result.plan, freeze) if freeze is not None else None
    if moved:
        err.print(labels("internal_freeze", moment=args.freeze_until), markup=False)
        for sentence in moved.sentences():
            err.print(f"  - {sentence.in_language(lang)}", markup=False, soft_wrap=True)
        return cli.Exit.INTERNAL

    diff = diff_plans(old, result.plan)
    if not args.quiet:
        print_plan(out, scenario, result, lang)
    print_replan_changes(out, scenario, diff, weighted, lang)
    print_solver_line(out, result.stats, lang)

    data = result_to_json(scenario, result, args.scenario)
    data["changes"] = diff.to_json()
    return write_plan(data, args, prog="solve.py replan", out=out, err=err)
