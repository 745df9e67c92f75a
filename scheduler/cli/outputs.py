"""Writing a plan's outputs into a folder: ``--out DIR`` after a solve or a re-plan, and
``solve.py render``."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from scheduler.cli.options import LANGUAGES, Exit
from scheduler.plan.export import write_json


def add_output_options(parser: argparse.ArgumentParser, *, json_help: str, out_help: str) -> None:
    """``--json FILE``, ``--out DIR`` and ``--lang``: where a new plan is written, and in which
    language its printable outputs are labelled."""
    parser.add_argument("--json", type=str, default=None, metavar="FILE", help=json_help)
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help=out_help)
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=None, help="labels of the outputs (default: the scenario's language)"
    )


def write_plan(data: dict, args: argparse.Namespace, *, prog: str, out: Console, err: Console) -> Exit:
    """Write the plan ``data`` where ``--json`` and ``--out`` say; the exit status (a JSON file
    that cannot be written is bad input: the user named it)."""
    if args.json:
        try:
            write_json(args.json, data)
        except OSError as error:
            err.print(f"{prog}: cannot write {args.json}: {error.strerror or error}", markup=False)
            return Exit.BAD_INPUT
    if args.out is not None:
        return write_outputs(data, args.out, lang=args.lang, out=out, err=err, with_plan=True)
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
) -> int:
    """Write every output of the plan ``data`` into ``out_dir`` (and ``plan.json`` if ``with_plan``).

    Prints one line per output written, and one per output that failed with its reason;
    returns the exit status.
    """
    from scheduler.render import PlanFileError, render_all
    from scheduler.render.document import NoPlanError

    prog = "solve.py" if with_plan else "solve.py render"
    written: list[Path] = []
    if with_plan:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            write_json(out_dir / "plan.json", data)
            written.append(out_dir / "plan.json")
        except OSError as error:
            err.print(
                f"{prog}: cannot write {out_dir / 'plan.json'}: {error.strerror or error}", markup=False, soft_wrap=True
            )
            return Exit.OUTPUT
    try:
        report = render_all(data, out_dir, lang, unchecked=unchecked)
    except NoPlanError as error:
        err.print(f"{prog}: {source}: {error}", markup=False, soft_wrap=True)
        return Exit.NO_PLAN
    except PlanFileError as error:
        err.print(f"{prog}: {source}: {error}", markup=False, soft_wrap=True)
        return Exit.BAD_INPUT
    written += report.written
    if written:
        out.print(f"wrote {out_dir}: {_summary(out_dir, written)}", markup=False, soft_wrap=True)
    for failure in report.failures:
        err.print(f"{prog}: could not write {failure.output}: {failure.reason}", markup=False, soft_wrap=True)
    return Exit.PLAN if report.ok else Exit.OUTPUT


def _summary(out_dir: Path, written: list[Path]) -> str:
    """``plan.json, booklet.html, booklet.pdf, maps/ (34 files), calendars/ (15 files), itinerary.xlsx``."""
    shown: dict[str, int] = {}
    for path in written:
        relative = path.relative_to(out_dir) if path.is_relative_to(out_dir) else path
        key = f"{relative.parts[0]}/" if len(relative.parts) > 1 else str(relative)
        shown[key] = shown.get(key, 0) + 1
    return ", ".join(f"{key} ({count} files)" if key.endswith("/") else key for key, count in shown.items())
