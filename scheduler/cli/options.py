"""What every subcommand shares: exit codes, the search options, the consoles, and how a bad
scenario file or a plan that breaks a rule is reported."""

from __future__ import annotations

import argparse
import sys
from enum import IntEnum
from pathlib import Path

from rich.console import Console

from scheduler.analysis.check import PlanViolationError, assert_valid
from scheduler.plan.model import Plan
from scheduler.scenario.loading import ScenarioError, load_scenario
from scheduler.scenario.model import Scenario
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
    """A second Ctrl-C: nothing written."""


PIPED_WIDTH = 180
"""Columns of the tables when the output is not a terminal: piped output is read by people too
(and by tests), so it is wide enough for the tables."""
LANGUAGES = ("zh", "en")
DEFAULT_SCENARIO = Path(__file__).resolve().parent.parent.parent / "scenarios" / "dalian-2019.yaml"


def add_search_options(parser: argparse.ArgumentParser, *, time_limit: float, workers_help: str) -> None:
    """``--time-limit``, ``--workers``, ``--seed``, ``--params`` and ``--show-params``, as every
    subcommand that solves reads them."""
    parser.add_argument(
        "--time-limit",
        type=float,
        default=time_limit,
        metavar="S",
        help=f"stop searching after S seconds (default {time_limit:g})",
    )
    parser.add_argument("--workers", type=int, default=2, metavar="N", help=workers_help)
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="N",
        help="random seed (default 0); with --workers 1 a run is reproducible",
    )
    parser.add_argument(
        "--params",
        type=Path,
        default=None,
        metavar="FILE",
        help="the solver's tuning parameters from a TOML file (any subset; see --show-params)",
    )
    parser.add_argument(
        "--show-params",
        action="store_true",
        help="print every tuning parameter (with --params FILE applied) as TOML and exit",
    )


def solver_params(args: argparse.Namespace) -> SolverParams:
    """The tuning parameters the options name: the defaults, or ``--params FILE`` applied to
    them. Raises ParamsError for a file that cannot be used."""
    return SolverParams() if args.params is None else SolverParams.from_toml(args.params)


def search_options(args: argparse.Namespace, prog: str, err: Console, **extra) -> SolveOptions | int:
    """The solve options the command line gives, or the exit status when they are wrong or when
    ``--show-params`` asked only to see the parameters (printed on standard output)."""
    problem = search_options_problem(args, prog)
    if problem:
        err.print(problem, markup=False)
        return Exit.BAD_INPUT
    try:
        params = solver_params(args)
    except ParamsError as error:
        for line in error.problems:
            err.print(f"{prog}: {line}", markup=False, soft_wrap=True)
        return Exit.BAD_INPUT
    if args.show_params:
        print(params.to_toml(), end="")
        return Exit.PLAN
    return SolveOptions(args.time_limit, args.workers, args.seed, params=params, **extra)


def search_options_problem(args: argparse.Namespace, prog: str) -> str | None:
    """What is wrong with the search options, or None."""
    if args.time_limit <= 0 or args.workers < 1:
        return f"{prog}: --time-limit must be above 0 and --workers at least 1"
    return None


def console(file=None) -> Console:
    """A console on ``file`` (standard output by default): as wide as the terminal, or
    ``PIPED_WIDTH`` when piped."""
    file = sys.stdout if file is None else file
    return Console(file=file, highlight=False, width=None if file.isatty() else PIPED_WIDTH)


def load_or_report(path: Path) -> Scenario | None:
    """The scenario (or variant) file ``path``, or None once every problem of it has been
    printed on standard error, one per line."""
    try:
        return load_scenario(path)
    except ScenarioError as error:
        print_problems(error)
        return None


def print_problems(error: ScenarioError) -> None:
    """Every problem of a bad scenario file, one per line, on standard error."""
    for problem in error.problems:
        print(problem, file=sys.stderr)


def plan_breaks_a_rule(err: Console, scenario: Scenario, plan: Plan, what: str) -> bool:
    """Check ``plan``; if it breaks a rule, say so as the internal error it is and return True."""
    try:
        assert_valid(scenario, plan)
    except PlanViolationError as error:
        err.print(f"INTERNAL ERROR: {what} breaks a rule (a bug; please report it):", markup=False)
        for violation in error.violations:
            err.print(f"  - {violation}", markup=False)
        return True
    return False
