"""``solve.py replan PLAN.json VARIANT.yaml [--freeze-until DATE[THH:MM]]``: a new plan for a
changed programme that keeps everything before the freeze point and changes as little as it
can after it; prints what changed and who must be told, and writes the new plan."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console

from .check import PlanViolationError, assert_valid
from .cli import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_NO_PLAN, EXIT_PLAN, PIPED_WIDTH, write_outputs
from .diff import diff_plans
from .export import plan_from_json, result_to_json, write_json
from .loading import ScenarioError, load_scenario
from .solver import SolveOptions
from .solver.replan import Freeze, replan
from .terminal import print_plan, print_solver_line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="solve.py replan",
        description="Re-plan a saved plan for a changed scenario, changing as little as possible.",
    )
    parser.add_argument("plan", type=Path, help="the saved plan (solve.py --json)")
    parser.add_argument("scenario", type=Path, help="the changed scenario or variant file")
    parser.add_argument(
        "--freeze-until",
        type=str,
        default=None,
        metavar="DATE[THH:MM]",
        help="keep everything that starts before this moment exactly as it was",
    )
    parser.add_argument("--time-limit", type=float, default=30.0, metavar="S", help="seconds (default 30)")
    parser.add_argument("--workers", type=int, default=2, metavar="N")
    parser.add_argument("--seed", type=int, default=0, metavar="N")
    parser.add_argument("--json", type=str, default=None, metavar="FILE", help="write the new plan as JSON")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help="write the printable outputs too")
    parser.add_argument("--lang", choices=("zh", "en"), default=None)
    parser.add_argument("--quiet", action="store_true", help="only the changes and the solver line")
    return parser


def replan_main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    out = Console(highlight=False, width=None if sys.stdout.isatty() else PIPED_WIDTH)
    err = Console(file=sys.stderr, highlight=False, width=None if sys.stderr.isatty() else PIPED_WIDTH)
    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        old = plan_from_json(json.loads(args.plan.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        err.print(f"solve.py replan: {args.plan}: not a readable plan file ({error})", markup=False)
        return EXIT_BAD_INPUT
    try:
        freeze = Freeze.parse(args.freeze_until) if args.freeze_until else None
    except ValueError:
        err.print(
            f"solve.py replan: --freeze-until {args.freeze_until!r} is not a date or date and time "
            "(expected YYYY-MM-DD or YYYY-MM-DDTHH:MM)",
            markup=False,
        )
        return EXIT_BAD_INPUT

    options = SolveOptions(args.time_limit, args.workers, args.seed, handle_signals=True)
    result, weighted = replan(scenario, old, freeze, options)
    if result.plan is None:
        print_solver_line(err, result.stats)
        kept = f" while keeping everything before {args.freeze_until}" if freeze else ""
        err.print(
            f"No plan meets the changed requirements{kept}"
            + (" (none found within the time limit)." if result.status.value == "no_plan_in_time" else "."),
            markup=False,
        )
        return EXIT_NO_PLAN
    try:
        assert_valid(scenario, result.plan)
    except PlanViolationError as error:
        err.print("INTERNAL ERROR: the re-plan breaks a rule (a bug; please report it):", markup=False)
        for violation in error.violations:
            err.print(f"  - {violation}", markup=False)
        return EXIT_INTERNAL

    diff = diff_plans(old, result.plan)
    if not args.quiet:
        print_plan(out, scenario, result)
    out.print(
        f"Changes 变动: {diff.changed_events} events, {len(diff.nights)} nights (weighted {weighted})", markup=False
    )
    for class_id, by_date in diff.by_class_and_date().items():
        for date, changes in by_date.items():
            for change in changes:
                out.print(f"  {class_id} {date}: {change}", markup=False)
    audience = diff.who_must_be_told()
    out.print("Who must be told 需通知:", markup=False)
    for label, names in (
        ("classes 班次", audience.classes),
        ("lecturers 教师", audience.lecturers),
        ("sites 现场点", audience.sites),
        ("lodging 住宿", audience.lodging),
    ):
        out.print(f"  {label}: {', '.join(names) if names else '-'}", markup=False)
    print_solver_line(out, result.stats)

    data = result_to_json(scenario, result)
    data["changes"] = diff.to_json()
    if args.json:
        try:
            write_json(args.json, data)
        except OSError as error:
            err.print(f"solve.py replan: cannot write {args.json}: {error.strerror or error}", markup=False)
            return EXIT_BAD_INPUT
    if args.out is not None:
        return write_outputs(data, args.out, args.lang, out, err, with_plan=True)
    return EXIT_PLAN
