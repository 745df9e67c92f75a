"""``solve.py render PLAN.json [SCENARIO] --out DIR [--lang zh|en] [--unchecked]``: the booklet
(HTML, PDF), maps, calendars and spreadsheet of a saved plan, without solving.

A plan file is not taken on trust: its shape is read strictly, and the plan is checked against
the scenario it was made from (given on the command line, else the file the plan records) by the
project's checker. A plan that breaks a rule is refused with the checker's sentences, unless
``--unchecked`` is given; then every page, sheet, map and calendar entry says it is unchecked.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from scheduler.analysis.check import check, foreign
from scheduler.cli.options import LANGUAGES, Exit, console, load_or_report, refused_words
from scheduler.cli.outputs import said_in, write_outputs
from scheduler.cli.parsing import Helps
from scheduler.plan.export import PlanFormatError, made_from, plan_from_json, scenario_digest
from scheduler.plan.model import Plan
from scheduler.render.labels import Labels
from scheduler.scenario.reading import FileRefused, read_json

SHOWN_VIOLATIONS = 20
"""At most this many of the checker's sentences are printed; the rest are counted."""


def add_parser(commands: argparse._SubParsersAction, helps: Helps) -> None:
    parser = commands.add_parser("render", help=helps("render"), description=helps("render_description"))
    parser.add_argument("plan", type=Path, help=helps("render_plan"), metavar="PLAN")
    parser.add_argument(
        "scenario", type=Path, nargs="?", default=None, help=helps("render_scenario"), metavar="SCENARIO"
    )
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help=helps("render_out"))
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=helps("render_lang"))
    parser.add_argument("--unchecked", action="store_true", help=helps("unchecked"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    out = console()
    err = Console(file=sys.stderr, highlight=False)

    def say(text: str) -> None:
        err.print(f"solve.py render: {text}", markup=False, soft_wrap=True)

    # what is said before the plan is read is in --lang, else English; after, in the plan's language
    labels = Labels(args.lang or "en")
    try:
        data = read_json(args.plan)
    except FileRefused as refused:
        say(refused_words(refused, args.plan, labels))
        return Exit.BAD_INPUT
    try:
        plan = plan_from_json(data)
    except PlanFormatError as error:
        say(labels("label_value", label=args.plan, value=error))
        return Exit.NO_PLAN if "without a plan" in error.reason else Exit.BAD_INPUT
    args.lang = said_in(data, args.lang)
    if not args.unchecked:
        status = _check(args, data, plan, say, Labels(args.lang))
        if status is not None:
            return status
    return write_outputs(
        data,
        args.out,
        lang=args.lang,
        out=out,
        err=err,
        with_plan=False,
        source=str(args.plan),
        unchecked=args.unchecked,
    )


def _other_dates(data: dict, scenario, labels: Labels) -> str | None:
    """Why the plan file's programme dates are not the scenario's, or None when they are."""
    programme = data.get("programme") if isinstance(data.get("programme"), dict) else {}
    first, days = programme.get("first_date"), programme.get("days")
    expected = (scenario.programme.first_date.isoformat(), scenario.programme.days)
    if (first, days) != expected:
        return labels("other_dates", first=first, days=days, expected_first=expected[0], expected_days=expected[1])
    return None


def _check(args: argparse.Namespace, data: dict, plan: Plan, say, labels: Labels) -> int | None:
    """Check ``plan`` against its scenario; None when it keeps every rule, else the exit status
    (after saying why, the checker's sentences too, in the language of ``labels``)."""
    record = made_from(data)
    path = args.scenario
    if path is None:
        if record is None or record.file is None:
            say(labels("no_scenario_recorded", plan=args.plan))
            return Exit.BAD_INPUT
        path = Path(record.file)
        if not path.is_file():
            say(labels("scenario_missing", plan=args.plan, path=path))
            return Exit.BAD_INPUT
    scenario = load_or_report(path, labels.lang)
    if scenario is None:
        return Exit.BAD_INPUT
    changed = record is not None and record.digest != scenario_digest(scenario)
    another = foreign(scenario, plan)
    stranger = another.in_language(labels.lang) if another is not None else _other_dates(data, scenario, labels)
    if stranger is not None:
        say(labels("plan_not_of", plan=args.plan, path=path, reason=stranger))
        return Exit.BAD_INPUT
    violations = check(scenario, plan)
    if violations:
        count = len(violations)
        rules = labels.count("rule", count)
        since = labels("scenario_changed_since") if changed else ""
        say(labels("breaks_rules", plan=args.plan, rules=rules, path=path, changed=since))
        for violation in violations[:SHOWN_VIOLATIONS]:
            say(f"  - {violation.in_language(labels.lang)}")
        if count > SHOWN_VIOLATIONS:
            say("  " + labels("and_more", n=count - SHOWN_VIOLATIONS))
        say(labels("add_unchecked"))
        return Exit.BAD_INPUT
    if changed:
        say(labels("scenario_changed_note", path=path))
    return None
