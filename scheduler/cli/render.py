"""``solve.py render PLAN.json --out DIR [--lang zh|en]``: the booklet (HTML, PDF), maps,
calendars and spreadsheet of a saved plan, without solving."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from scheduler.cli.options import LANGUAGES, Exit, console
from scheduler.cli.outputs import write_outputs
from scheduler.scenario.reading import FileRefused, read_json


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "render",
        help="write the outputs of a saved plan",
        description="Write the booklet (HTML, PDF), maps, calendars and spreadsheet of a saved plan, without solving.",
    )
    parser.add_argument("plan", type=Path, help="a plan written by solve.py --json FILE or --out DIR (DIR/plan.json)")
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder to write into (created if missing)"
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=None, help="labels of the outputs (default: the plan's language)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    out = console()
    err = Console(file=sys.stderr, highlight=False)
    try:
        data = read_json(args.plan)
    except FileRefused as refused:
        where = str(args.plan) if refused.line is None else f"{args.plan}:{refused.line}"
        cannot = "cannot read " if refused.unread else ""
        err.print(f"solve.py render: {cannot}{where}: {refused.reason}", markup=False, soft_wrap=True)
        return Exit.BAD_INPUT
    return write_outputs(data, args.out, lang=args.lang, out=out, err=err, with_plan=False, source=str(args.plan))
