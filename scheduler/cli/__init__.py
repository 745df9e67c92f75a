"""The ``solve.py`` command: one parser with the subcommands ``solve`` (the default),
``render``, ``compare`` and ``replan``; their shared options, exit codes and terminal tables.

Exit status: 0 a plan (proven best or not), 1 no plan (proven impossible, or none found in
the time limit), 2 bad input, 3 an internal error (a plan that breaks a rule is a bug), 4 an
output could not be written (each one named, with the reason), 130 aborted by a second Ctrl-C.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from scheduler.cli import compare, render, replan, serve, solve, sweep
from scheduler.cli.options import Exit
from scheduler.cli.parsing import Helps, Parser, language_asked
from scheduler.render.labels import Labels

COMMANDS = {"solve": solve, "render": render, "compare": compare, "replan": replan, "sweep": sweep, "serve": serve}
DEFAULT_COMMAND = "solve"


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """The command's parser, its help and errors in ``lang``: a subparser per subcommand, each
    with its ``run`` function."""
    helps = Helps(lang)
    parser = Parser(prog="solve.py", description=helps("main"), lang=lang)
    commands = parser.add_subparsers(metavar="{" + ",".join(COMMANDS) + "}")
    for command in COMMANDS.values():
        command.add_parser(commands, helps)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command on ``argv`` (the process's arguments by default); the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv = [DEFAULT_COMMAND, *argv]
    args = build_parser(language_asked(argv)).parse_args(argv)
    with _terminate_as_interrupt():
        try:
            return args.run(args)
        except KeyboardInterrupt:
            # Ctrl-C or SIGTERM outside the search and the writing of outputs (which say what
            # they kept): while reading or printing, before anything is written. In the
            # command's language once it is known (``options.language``), else English.
            said = Labels(getattr(args, "lang", None) or "en")("interrupted_nothing_written")
            print(f"solve.py: {said}", file=sys.stderr)
            return Exit.ABORTED


class _terminate_as_interrupt:
    """SIGTERM (``kill``) does what Ctrl-C does: a search keeps its best plan, a write in
    progress is abandoned cleanly (no temporary file left), and the command says what it
    wrote. Without this, SIGTERM would end the process at once, mid-write."""

    def __enter__(self) -> None:
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGTERM, signal.default_int_handler)

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)
