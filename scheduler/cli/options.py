"""What every subcommand shares: exit codes, the search options, the consoles, and how a bad
scenario file or a plan that breaks a rule is reported."""

from __future__ import annotations

import argparse
import math
import sys
from enum import IntEnum
from pathlib import Path

from rich.console import Console

from scheduler.analysis.check import PlanViolationError, assert_valid, check, foreign
from scheduler.cli.parsing import Helps
from scheduler.plan.export import PlanFormatError, plan_from_json
from scheduler.plan.model import Plan
from scheduler.render.labels import Labels
from scheduler.scenario.loading import ScenarioError, load_scenario
from scheduler.scenario.model import Scenario
from scheduler.scenario.reading import FileRefused, read_json
from scheduler.solver.options import SolveOptions
from scheduler.solver.params import ParamsError, SolverParams


class Exit(IntEnum):
    """The command's exit status."""

    PLAN = 0
    """A plan: proven best, or the best found within the time limit."""
    NO_PLAN = 1
    """No plan: proven impossible, or none found within the time limit (said distinctly)."""
    BAD_INPUT = 2
    """Bad input: every problem of the file, one per line, with its line and path."""
    INTERNAL = 3
    """An internal error: a plan that breaks a rule is a bug."""
    OUTPUT = 4
    """An output could not be written (the others are still written)."""
    ABORTED = 130
    """Interrupted: a second Ctrl-C during the search (nothing written), or Ctrl-C or SIGTERM
    while writing (the files written are whole, and named)."""


PIPED_WIDTH = 180
"""Columns of the tables when the output is not a terminal: piped output is read by people too
(and by tests), so it is wide enough for the tables."""
LANGUAGES = ("zh", "en")
DEFAULT_SCENARIO = Path(__file__).resolve().parent.parent.parent / "scenarios" / "dalian-2019.yaml"


MAX_TIME_LIMIT = 7 * 24 * 3600.0
"""The longest ``--time-limit``, in seconds: a week."""
MAX_WORKERS = 64
"""The most ``--workers``."""
MAX_SEED = 2**31 - 1
"""The largest ``--seed`` (CP-SAT's random seed is a 32-bit signed integer)."""


def _number_or_text(convert):
    """An argparse ``type`` that converts the text, or keeps it as text when it cannot, so that
    `search_options_problem` reports it in one line with what was expected (argparse would print
    its usage first)."""

    def parse(text: str):
        try:
            return convert(text)
        except ValueError:
            return text

    parse.__name__ = convert.__name__
    return parse


def add_search_options(parser: argparse.ArgumentParser, helps: Helps, *, time_limit: float, workers_help: str) -> None:
    """``--time-limit``, ``--workers``, ``--seed``, ``--params`` and ``--show-params``, as every
    subcommand that solves reads them; their help in the words of ``helps``."""
    parser.add_argument(
        "--time-limit",
        type=_number_or_text(float),
        default=time_limit,
        metavar="S",
        help=helps("time_limit", most=f"{MAX_TIME_LIMIT:g}", default=f"{time_limit:g}"),
    )
    parser.add_argument(
        "--workers",
        type=_number_or_text(int),
        default=2,
        metavar="N",
        help=helps("workers_range", what=workers_help, most=MAX_WORKERS),
    )
    parser.add_argument("--seed", type=_number_or_text(int), default=0, metavar="N", help=helps("seed", most=MAX_SEED))
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--reproducible",
        dest="reproducible",
        action="store_const",
        const=True,
        default=None,
        help=helps("reproducible"),
    )
    mode.add_argument("--free", dest="reproducible", action="store_const", const=False, help=helps("free"))
    parser.add_argument("--params", type=Path, default=None, metavar="FILE", help=helps("params"))
    parser.add_argument("--show-params", action="store_true", help=helps("show_params"))


def solver_params(args: argparse.Namespace) -> SolverParams:
    """The tuning parameters the options name: the defaults, or ``--params FILE`` applied to
    them. Raises ParamsError for a file that cannot be used."""
    return SolverParams() if args.params is None else SolverParams.from_toml(args.params)


def search_options(args: argparse.Namespace, prog: str, err: Console, **extra) -> SolveOptions | int:
    """The solve options the command line gives, or the exit status when they are wrong (said in
    ``--lang``, else English: no scenario is read yet; a bad ``--params`` file too) or when
    ``--show-params`` asked only to see the parameters (printed on standard output)."""
    lang = getattr(args, "lang", None) or "en"
    problem = search_options_problem(args, prog, Labels(lang))
    if problem:
        err.print(problem, markup=False, soft_wrap=True)
        return Exit.BAD_INPUT
    try:
        params = solver_params(args)
    except ParamsError as error:
        for line in error.problems:
            err.print(f"{prog}: {line.in_language(lang)}", markup=False, soft_wrap=True)
        return Exit.BAD_INPUT
    if args.show_params:
        print(params.to_toml(), end="")
        return Exit.PLAN
    return SolveOptions(
        args.time_limit,
        args.workers,
        args.seed,
        params=params,
        deterministic=getattr(args, "reproducible", None),
        **extra,
    )


def search_options_problem(args: argparse.Namespace, prog: str, labels: Labels) -> str | None:
    """What is wrong with the search options, in one line in the language of ``labels``, or None."""
    problems = []
    limit, workers, seed = args.time_limit, args.workers, args.seed
    seconds = labels("expected_seconds", most=f"{MAX_TIME_LIMIT:g}")
    if not _is_number(limit, float) or not math.isfinite(limit):
        problems.append(labels("bad_time_limit", value=_shown(limit), expected=seconds))
    elif not 0 < limit <= MAX_TIME_LIMIT:
        problems.append(labels("time_limit_range", value=f"{limit:g}", expected=seconds))
    if not _is_number(workers, int) or not 1 <= workers <= MAX_WORKERS:
        problems.append(labels("bad_workers", value=_shown(workers), most=MAX_WORKERS))
    if not _is_number(seed, int) or not 0 <= seed <= MAX_SEED:
        problems.append(labels("bad_seed", value=_shown(seed), most=MAX_SEED))
    return f"{prog}: {labels('clause_sep').join(problems)}" if problems else None


def _is_number(value: object, kind: type) -> bool:
    """``value`` parsed as ``kind`` (an int where a float is expected too), not left as text."""
    allowed = (int, float) if kind is float else (int,)
    return isinstance(value, allowed) and not isinstance(value, bool)


def _shown(value: object) -> str:
    """An option's value as given, short, on one line."""
    text = value if isinstance(value, str) else f"{value:g}" if isinstance(value, float) else str(value)
    text = text if len(text) <= 24 else text[:21] + "..."
    return repr(text) if isinstance(value, str) else text


def console(file=None) -> Console:
    """A console on ``file`` (standard output by default): as wide as the terminal, or
    ``PIPED_WIDTH`` when piped. ``COLUMNS`` is not read for piped output: a Python program that
    imports readline (pytest does) exports ``COLUMNS`` to every process it starts."""
    file = sys.stdout if file is None else file
    return Console(file=file, highlight=False, width=None if file.isatty() else PIPED_WIDTH)


def language(args: argparse.Namespace, scenario: Scenario) -> str:
    """The language of what the command prints and writes: ``--lang``, else the scenario's. Kept
    in ``args.lang``, so that what is said later (an interrupt ``main`` reports) is in it too."""
    args.lang = getattr(args, "lang", None) or scenario.programme.language
    return args.lang


def load_or_report(path: Path, lang: str | None) -> Scenario | None:
    """The scenario (or variant) file ``path``, or None once every problem of it has been
    printed on standard error, one per line, in ``lang`` (``--lang``, or the plan's language),
    else in English: a file that does not load has no language of its own."""
    try:
        return load_scenario(path)
    except ScenarioError as error:
        print_problems(error, lang or "en")
        return None


def print_problems(error: ScenarioError, lang: str) -> None:
    """Every problem of a bad scenario file, one per line, on standard error, in ``lang``; the
    file, the line and the path as the file writes them."""
    for problem in error.problems:
        print(problem.in_language(lang), file=sys.stderr)


def plan_breaks_a_rule(err: Console, scenario: Scenario, plan: Plan, what: str, lang: str) -> bool:
    """Check ``plan``; if it breaks a rule, say so as the internal error it is, the checker's
    sentences too, in ``lang``, and return True. ``what`` names the plan in ``lang``."""
    try:
        assert_valid(scenario, plan)
    except PlanViolationError as error:
        err.print(Labels(lang)("internal_error", what=what), markup=False)
        for violation in error.violations:
            err.print(f"  - {violation.in_language(lang)}", markup=False)
        return True
    return False


def read_valid_plan(
    path: Path, scenario: Scenario, scenario_path: Path, prog: str, err: Console, lang: str
) -> tuple[Plan, dict] | None:
    """The saved plan at ``path`` and its file's data, once it is known to be a plan of
    ``scenario``'s programme that keeps every rule; else None, once the reason is printed in one
    line in ``lang`` (a file that cannot be read, is no plan, is another programme's, or breaks a
    rule: the reader's and the checker's sentences in ``lang`` too)."""
    labels = Labels(lang)

    def say(text: str) -> None:
        err.print(f"{prog}: {text}", markup=False, soft_wrap=True)

    try:
        data = read_json(path)
        plan = plan_from_json(data)
    except FileRefused as refused:
        say(refused_words(refused, path, labels))
        return None
    except PlanFormatError as error:
        say(labels("not_a_plan_file", path=path, reason=error))
        return None
    stranger = foreign(scenario, plan)
    if stranger is not None:
        say(labels("plan_of_another", path=path, scenario=scenario_path, reason=stranger.in_language(lang)))
        return None
    broken = check(scenario, plan)
    if broken:
        say(labels("plan_breaks_a_rule", path=path, scenario=scenario_path, violation=broken[0].in_language(lang)))
        return None
    return plan, data


def refused_words(refused: FileRefused, path: Path, labels: Labels) -> str:
    """Why a file was refused (``cannot read plan.json: ...``, ``plan.json:3: not JSON``), the
    reader's reason in the language of ``labels``."""
    where = str(path) if refused.line is None else f"{path}:{refused.line}"
    reason = refused.reason.in_language(labels.lang)
    if refused.unread:
        return labels("cannot_read", where=where, reason=reason)
    return labels("label_value", label=where, value=reason)
