"""Printable outputs of a plan: booklet (HTML and PDF), route maps, calendars, spreadsheet, hand-outs.

Everything here reads the plan's JSON data (``training-itinerary/1``, see
``docs/plan-json.md``) and nothing else: not the scenario file, not the solver. One job per
module: ``document`` (the JSON as typed objects), ``labels`` (words in Chinese and English),
``maps`` (matplotlib), ``html`` (Jinja2), ``pdf`` (WeasyPrint), ``ical`` (icalendar),
``xlsx`` (openpyxl), ``logistics`` (the overview, lodging list and duty sheets as views),
``handouts`` (a file for each trainee class, lecturer, site host and coach driver), ``basemap``
(the maps' offline base layer), ``processes`` (how outputs share the cores), ``templating``
(the Jinja2 environment), ``files`` (safe file names, paths kept inside the output folder, text
without control characters), ``compare`` (the comparison of scenarios as a page, from its own
JSON). ``render_all()`` runs them in order, the hand-outs in a process of their own beside the
booklet's PDF, and reports each output that failed, and why, without stopping the others that
do not need it.

The layout of the output folder is described in ``docs/outputs.md``.
"""

from __future__ import annotations

import errno
import os
import signal
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scheduler.render.document import Document, PlanFileError
from scheduler.render.files import UnsafePathError, inside
from scheduler.render.fonts import MissingFontError
from scheduler.render.labels import LANGUAGES, Labels

__all__ = ["LANGUAGES", "OUTPUTS", "PlanFileError", "RenderFailure", "RenderReport", "render_all"]

OUTPUTS = ("maps", "booklet.pdf", "booklet.html", "calendars", "itinerary.xlsx", "handouts")
"""Every output, in the order they are made. The booklet needs the maps; the HTML booklet takes
the PDF's fit of each sheet (how much it shrinks to stay on one page) when the PDF was made."""


@dataclass(frozen=True)
class RenderFailure:
    """One output that could not be written, and why, in plain words."""

    output: str
    reason: str

    def __str__(self) -> str:
        return f"{self.output}: {self.reason}"


@dataclass
class RenderReport:
    """What a render wrote, and what failed."""

    out_dir: Path
    written: list[Path] = field(default_factory=list)
    failures: list[RenderFailure] = field(default_factory=list)
    interrupted: str | None = None
    """The output being made when Ctrl-C (or SIGTERM) stopped the render, if it did."""
    not_made: list[str] = field(default_factory=list)
    """The outputs not made because of the interruption (the interrupted one included)."""

    @property
    def ok(self) -> bool:
        return not self.failures and self.interrupted is None


def render_all(
    data: Mapping[str, Any],
    out_dir: Path,
    lang: str | None = None,
    outputs: tuple[str, ...] = OUTPUTS,
    *,
    unchecked: bool = False,
    interrupted: Callable[[], bool] = lambda: False,
) -> RenderReport:
    """Write every output of the plan ``data`` into ``out_dir``.

    Parameters
    ----------
    data
        The plan as ``training-itinerary/1`` data (``json.load`` of a ``--json`` file).
    out_dir
        The folder to write into (created if missing). Files already there are replaced, each
        in one step; a failed output leaves no partial file.
    lang
        ``"zh"`` or ``"en"`` for the labels; default: the programme's language.
    outputs
        Which of ``OUTPUTS`` to make.
    unchecked
        The plan was not checked against its scenario: every page, sheet, map and calendar
        entry says so.
    interrupted
        Whether an interruption has come (the caller's signal handler knows): an output that
        fails after it counts as interrupted, not as failed, since a library may turn the
        ``KeyboardInterrupt`` raised inside its code into an error of its own.

    Raises
    ------
    PlanFileError
        If ``data`` is not a plan that can be rendered (nothing is written then).

    An interruption (``KeyboardInterrupt``: Ctrl-C, or SIGTERM where the command maps it so)
    while an output is made stops the render: the files written so far are whole, the rest
    are not started, and the report says which (``interrupted``, ``not_made``).
    """
    document = Document.from_json(data)
    if unchecked:
        document = replace(document, unchecked=True)
    labels = Labels(lang or document.programme.language)
    report = RenderReport(out_dir)
    made: dict[str, Any] = {}

    def maps() -> list[Path]:
        from scheduler.render.maps import write_maps

        made["maps_written"] = []
        made["maps"], written = write_maps(document, labels, out_dir, made["maps_written"])
        return written

    def booklet() -> Any:
        from scheduler.render.html import Booklet

        if "booklet" not in made:
            made["booklet"] = Booklet(document, labels, _needs(made, "maps"))
        return made["booklet"]

    def booklet_pdf() -> list[Path]:
        from scheduler.render.html import Booklet
        from scheduler.render.pdf import write_booklet_pdf

        target = inside(out_dir, "booklet.pdf")
        printed = Booklet(document, labels, _needs(made, "maps").as_png())  # raster maps print alike, faster
        made["fit"] = write_booklet_pdf(printed, out_dir, target)
        return [target]

    def booklet_html() -> list[Path]:
        from scheduler.atomic import write_text

        target = inside(out_dir, "booklet.html")
        write_text(target, booklet().html(made.get("fit")))
        return [target]

    def calendars() -> list[Path]:
        from scheduler.render.ical import write_calendars

        return write_calendars(document, labels, out_dir)

    def spreadsheet() -> list[Path]:
        from scheduler.render.xlsx import write_workbook

        target = inside(out_dir, "itinerary.xlsx")
        write_workbook(document, labels, target)
        return [target]

    def handout_files() -> list[Path]:
        if beside is not None:
            return beside.result()
        from scheduler.render.handouts import write_handouts

        return write_handouts(document, labels, out_dir)

    jobs: dict[str, Callable[[], list[Path]]] = {
        "maps": maps,
        "booklet.html": booklet_html,
        "booklet.pdf": booklet_pdf,
        "calendars": calendars,
        "itinerary.xlsx": spreadsheet,
        "handouts": handout_files,
    }
    unknown = [name for name in outputs if name not in jobs]
    if unknown:
        raise ValueError(f"unknown outputs {unknown} (expected some of: {', '.join(OUTPUTS)})")
    if any(name in outputs for name in ("booklet.html", "booklet.pdf")) and "maps" not in outputs:
        outputs = ("maps", *outputs)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        report.failures.append(RenderFailure(str(out_dir), f"cannot create the folder: {_reason(error)}"))
        return report
    todo = [name for name in OUTPUTS if name in outputs]
    # the hand-outs need nothing the others make: laid out in a process of their own while this
    # one lays out the booklet, the longest output, they cost no time of their own
    beside: _Beside | None = None
    try:
        for index, name in enumerate(todo):
            if name == "booklet.pdf" and "handouts" in todo:
                beside = _Beside(document, labels.lang, out_dir)
            try:
                report.written += jobs[name]()
            except KeyboardInterrupt:
                _stopped(report, made, todo, index, beside)
                break
            except Exception as error:  # noqa: BLE001 - each output's failure is reported, the others still made
                if interrupted():
                    _stopped(report, made, todo, index, beside)
                    break
                report.failures.append(RenderFailure(name, _reason(error)))
            else:
                if interrupted():  # the exception was lost on its way (below)
                    _stopped_after(report, todo, index, beside)
                    break
    finally:
        if beside is not None:
            beside.close()
    return report


class _Beside:
    """The hand-outs written in a process of their own (spawned, never forked: a render may
    follow a solve whose threads hold locks) while this one goes on. Each file is reported once
    it is whole; ``close()`` interrupts the process if its work is not done, as Ctrl-C would, so
    that it leaves no temporary file."""

    STOP_SECONDS = 10.0
    """How long an interrupted process may take to clean up before it is killed."""

    def __init__(self, document: Document, lang: str, out_dir: Path):
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        self._stop = context.Event()
        self._process = context.Process(
            target=_handouts_beside, args=(send, self._stop, document, lang, out_dir), daemon=True
        )
        # the process starts with Ctrl-C ignored (an ignored signal stays ignored in the new
        # program) until it can clean up after one: one that came while Python started would end
        # it with a traceback. It then looks at ``_stop`` for a stop it did not hear.
        main = threading.current_thread() is threading.main_thread()  # only it may set a handler
        handler = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
        try:
            self._process.start()
        finally:
            if main:
                signal.signal(signal.SIGINT, handler)
        send.close()
        self.written: list[Path] = []
        self._outcome: tuple[str, Any] | None = None

    def _read(self, until_done: bool) -> None:
        while self._outcome is None and (until_done or self._receive.poll()):
            try:
                kind, value = self._receive.recv()
            except EOFError:
                self._outcome = ("error", RuntimeError("the hand-outs' process ended without finishing"))
                break
            if kind == "file":
                self.written.append(value)
            else:
                self._outcome = (kind, value)

    def result(self) -> list[Path]:
        """Every hand-out file, once all are written; the process's error if it failed."""
        self._read(until_done=True)
        assert self._outcome is not None
        kind, value = self._outcome
        if kind == "error":
            raise value
        return list(self.written)

    def close(self) -> None:
        """Stop the process if it is still working, keeping the files it reported whole."""
        if self._process.is_alive() and self._outcome is None:
            self._stop.set()
            os.kill(self._process.pid, signal.SIGINT)
            self._process.join(self.STOP_SECONDS)
            if self._process.is_alive():
                self._process.kill()
        self._process.join()
        self._read(until_done=False)
        self._receive.close()


class _Reporting(list):
    """A list of written files that also sends each one to the process that waits for them."""

    def __init__(self, send):
        super().__init__()
        self._send = send

    def append(self, path: Path) -> None:
        super().append(path)
        self._send.send(("file", path))


def _handouts_beside(send, stop, document: Document, lang: str, out_dir: Path) -> None:
    """The hand-outs' process: write them, reporting each file whole, then the outcome. The
    first Ctrl-C (ignored until here) stops the work; any later one is ignored, so that the
    outcome is still sent."""
    from scheduler.render.handouts import write_handouts

    signal.signal(signal.SIGINT, _interrupt_once)
    try:
        if stop.is_set():  # stopped while this process started
            raise KeyboardInterrupt
        write_handouts(document, Labels(lang), out_dir, processes=1, written=_Reporting(send))
        send.send(("done", None))
    except KeyboardInterrupt:
        send.send(("error", KeyboardInterrupt()))
    except Exception as error:  # noqa: BLE001 - sent back to be reported with the other outputs' failures
        send.send(("error", error))
    finally:
        send.close()


def _interrupt_once(signum: int, frame: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def _stopped(report: RenderReport, made: dict[str, Any], todo: list[str], index: int, beside: _Beside | None) -> None:
    """Ctrl-C or SIGTERM while making ``todo[index]``: what is written is whole (each file is
    replaced in one step, the temporary one deleted); the rest is not started. The hand-outs,
    when they were being written beside, are stopped: the files they finished count as written."""
    name = todo[index]
    report.interrupted = name
    report.not_made = todo[index:]
    report.written += made.get("maps_written", []) if name == "maps" else []
    _stop_beside(report, beside)


def _stopped_after(report: RenderReport, todo: list[str], index: int, beside: _Beside | None) -> None:
    """Ctrl-C or SIGTERM noted while making ``todo[index]``, whose ``KeyboardInterrupt`` never
    reached the render: Python drops an exception raised in a callback it runs for a library
    (a weak reference's, a finalizer), and the output then finished. It is whole; the rest is
    not started, as after any interruption."""
    report.interrupted = todo[index]
    report.not_made = todo[index + 1 :]
    _stop_beside(report, beside)


def _stop_beside(report: RenderReport, beside: _Beside | None) -> None:
    """The hand-outs, when they were being written beside, are stopped: the files they finished
    count as written."""
    if beside is not None:
        beside.close()
        report.written += beside.written
        report.not_made = [other for other in report.not_made if other != "handouts"]


class _Skipped(Exception):
    pass


def _needs(made: dict[str, Any], what: str) -> Any:
    if what not in made:
        raise _Skipped(f"not made, because the {what} could not be made")
    return made[what]


def _reason(error: BaseException) -> str:
    """An exception in plain words, without a traceback."""
    if isinstance(error, (_Skipped, MissingFontError, PlanFileError, UnsafePathError)):
        return str(error)
    if isinstance(error, OSError):
        what = error.strerror or errno.errorcode.get(error.errno or 0, "") or str(error)
        names = [str(n) for n in (error.filename2, error.filename) if n and not str(n).endswith(".tmp")]
        return f"{what} ({names[0]})" if names else what
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
