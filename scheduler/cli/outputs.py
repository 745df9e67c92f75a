"""Writing a plan's outputs into a folder: ``--out DIR`` after a solve or a re-plan, and
``solve.py render``."""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path
from typing import Any

from rich.console import Console

from scheduler.cli.options import LANGUAGES, Exit
from scheduler.cli.parsing import Helps
from scheduler.plan.export import write_json
from scheduler.render.labels import Labels
from scheduler.scenario.reading import system_reason


class _NoteInterrupts:
    """Ctrl-C and SIGTERM raise ``KeyboardInterrupt`` as before, and are also noted: a library
    may turn that exception, raised inside its code, into an error of its own (the maps' C code
    does), and the render must still know the user asked to stop."""

    def __enter__(self) -> _NoteInterrupts:
        self.seen = False
        self.previous: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                if signal.getsignal(sig) is not signal.SIG_IGN:  # a signal the process ignores stays so
                    self.previous[sig] = signal.signal(sig, self._note)
        return self

    def _note(self, signum: int, frame: Any) -> None:
        self.seen = True
        raise KeyboardInterrupt

    def __exit__(self, *exc: object) -> None:
        for sig, previous in self.previous.items():
            signal.signal(sig, previous)


def add_output_options(parser: argparse.ArgumentParser, helps: Helps, *, json_help: str, out_help: str) -> None:
    """``--json FILE``, ``--out DIR`` and ``--lang``: where a new plan is written, and in which
    language its printable outputs are labelled."""
    parser.add_argument("--json", type=str, default=None, metavar="FILE", help=json_help)
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help=out_help)
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=helps("lang_outputs_scenario"))


def write_plan(data: dict, args: argparse.Namespace, *, prog: str, out: Console, err: Console) -> Exit:
    """Write the plan ``data`` where ``--json`` and ``--out`` say; the exit status.

    After a search stopped by Ctrl-C, only the plan itself is written (``--json``, and
    ``plan.json`` in ``--out``): the printable outputs take long to make and the user asked to
    stop; the message says how to make them later. A Ctrl-C (or SIGTERM) while writing stops
    cleanly: the files written are whole, the rest are not started, and the message says which.
    """
    interrupted_search = bool(data.get("solver", {}).get("interrupted"))
    labels = Labels(said_in(data, args.lang))
    try:
        if args.json:
            try:
                write_json(args.json, data)
            except OSError as error:
                cannot = labels("cannot_write", target=args.json, reason=system_reason(error))
                err.print(f"{prog}: {cannot}", markup=False, soft_wrap=True)
                return Exit.OUTPUT
        if args.out is not None:
            return write_outputs(
                data, args.out, lang=args.lang, out=out, err=err, with_plan=True, printable=not interrupted_search
            )
    except KeyboardInterrupt:
        written = [Path(args.json)] if args.json and args.json != "-" else []
        _say_interrupted(err, prog, labels, args.out, written, None, [])
        return Exit.ABORTED
    return Exit.PLAN


def write_outputs(
    data: dict,
    out_dir: Path,
    *,
    lang: str | None,
    out: Console,
    err: Console,
    with_plan: bool,
    source: str = "plan",
    unchecked: bool = False,
    printable: bool = True,
) -> int:
    """Write every output of the plan ``data`` into ``out_dir`` (and ``plan.json`` if ``with_plan``;
    only that if not ``printable``).

    Prints one line per output written, and one per output that failed with its reason, in the
    outputs' language (``lang``, else the plan's); returns the exit status (``Exit.ABORTED`` when
    Ctrl-C or SIGTERM stopped the writing).
    """
    from scheduler.render import OUTPUTS, PlanFileError, render_all
    from scheduler.render.document import NoPlanError

    prog = "solve.py" if with_plan else "solve.py render"
    labels = Labels(said_in(data, lang))
    written: list[Path] = []
    try:
        if with_plan:
            try:
                out_dir.mkdir(parents=True, exist_ok=True)
                write_json(out_dir / "plan.json", data)
                written.append(out_dir / "plan.json")
            except OSError as error:
                cannot = labels("cannot_write", target=out_dir / "plan.json", reason=system_reason(error))
                err.print(f"{prog}: {cannot}", markup=False, soft_wrap=True)
                return Exit.OUTPUT
        if not printable:
            _say_written(out, labels, out_dir, written)
            command = f"solve.py render {out_dir / 'plan.json'} --out {out_dir}"
            out.print(labels("only_the_plan", command=command), markup=False, soft_wrap=True)
            return Exit.PLAN
        with _NoteInterrupts() as noted:
            report = render_all(data, out_dir, lang, unchecked=unchecked, interrupted=lambda: noted.seen)
    except KeyboardInterrupt:
        plan_missing = ["plan.json"] if with_plan and not written else []
        _say_interrupted(err, prog, labels, out_dir, written, None, plan_missing + (list(OUTPUTS) if printable else []))
        return Exit.ABORTED
    except NoPlanError as error:
        err.print(f"{prog}: {source}: {error}", markup=False, soft_wrap=True)
        return Exit.NO_PLAN
    except PlanFileError as error:
        err.print(f"{prog}: {source}: {error}", markup=False, soft_wrap=True)
        return Exit.BAD_INPUT
    written += report.written
    if report.interrupted is not None:
        _say_interrupted(err, prog, labels, out_dir, written, report.interrupted, report.not_made)
        return Exit.ABORTED
    if written:
        _say_written(out, labels, out_dir, written)
    for failure in report.failures:
        failed = labels("could_not_write", output=failure.output, reason=failure.reason)
        err.print(f"{prog}: {failed}", markup=False, soft_wrap=True)
    return Exit.PLAN if report.ok else Exit.OUTPUT


def said_in(data: dict, lang: str | None) -> str:
    """The language of the outputs of the plan ``data``, and of what is said about them: ``lang``,
    else the programme's (as ``render_all`` labels them)."""
    programme = data.get("programme")
    return lang or (programme.get("language") if isinstance(programme, dict) else None) or "zh"


def _say_written(out: Console, labels: Labels, out_dir: Path, written: list[Path]) -> None:
    """``wrote DIR: plan.json, maps/ (34 files), ...``."""
    out.print(
        labels("wrote_files", folder=out_dir, files=_summary(out_dir, written, labels)), markup=False, soft_wrap=True
    )


def _say_interrupted(
    err: Console,
    prog: str,
    labels: Labels,
    out_dir: Path | None,
    written: list[Path],
    during: str | None,
    not_made: list[str],
) -> None:
    """One line: interrupted while writing what, what is written (whole), what is not."""
    sep = labels("list_sep")
    done = _summary(out_dir, written, labels) if out_dir is not None else sep.join(str(p) for p in written)
    parts = [
        f"{prog}: " + (labels("interrupted_while", output=during) if during else labels("interrupted")),
        labels("written_whole", files=done or labels("nothing")),
    ]
    rest = [name for name in not_made if name != during]
    if rest:
        parts.append(labels("not_started", outputs=sep.join(rest)))
    err.print(labels("clause_sep").join(parts) + labels("full_stop"), markup=False, soft_wrap=True)


def _summary(out_dir: Path, written: list[Path], labels: Labels) -> str:
    """``plan.json, booklet.html, booklet.pdf, maps/ (34 files), calendars/ (15 files), itinerary.xlsx``."""
    shown: dict[str, int] = {}
    for path in written:
        relative = path.relative_to(out_dir) if path.is_relative_to(out_dir) else path
        key = f"{relative.parts[0]}/" if len(relative.parts) > 1 else str(relative)
        shown[key] = shown.get(key, 0) + 1
    ordered = sorted(shown, key=lambda key: SHOWN_ORDER.index(key) if key in SHOWN_ORDER else len(SHOWN_ORDER))
    return labels("list_sep").join(
        (labels("file_in_folder" if shown[key] == 1 else "files_in_folder", folder=key, n=shown[key]))
        if key.endswith("/")
        else key
        for key in ordered
    )


SHOWN_ORDER = (
    "plan.json",
    "maps/",
    "booklet.pdf",
    "booklet.html",
    "calendars/",
    "itinerary.xlsx",
    "classes/",
    "lecturers/",
    "sites/",
    "coaches/",
)
"""The order the written files are listed in, whatever order they were made in: the plan, the
booklet with its maps, then what is sent out; anything else after them."""
