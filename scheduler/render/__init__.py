"""Printable outputs of a plan: booklet (HTML and PDF), route maps, calendars, spreadsheet, hand-outs.

Everything here reads the plan's JSON data (``training-itinerary/1``, see
``docs/plan-json.md``) and nothing else: not the scenario file, not the solver. One job per
module: ``document`` (the JSON as typed objects), ``labels`` (words in Chinese and English),
``maps`` (matplotlib), ``html`` (Jinja2), ``pdf`` (the booklet by Typst), ``typeset`` (Typst
with the CJK font, templates fed their views as data), ``ical`` (icalendar),
``xlsx`` (openpyxl), ``logistics`` (the overview, lodging list and duty sheets as views),
``handouts`` (a file for each trainee class, lecturer, site host and coach driver), ``basemap``
(the maps' offline base layer), ``processes`` (how outputs share the cores), ``templating``
(the Jinja2 environment), ``files`` (safe file names, paths kept inside the output folder, text
without control characters), ``compare`` (the comparison of scenarios as a page, from its own
JSON). ``render_all()`` runs them in order, and reports each output that failed, and why,
without stopping the others that do not need it.

The layout of the output folder is described in ``docs/outputs.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scheduler.render.document import Document, PlanFileError
from scheduler.render.files import UnsafePathError, inside
from scheduler.render.fonts import CJK_FAMILY, MissingFontError
from scheduler.render.labels import LANGUAGES, Labels, Said
from scheduler.scenario.reading import system_reason
from scheduler.scenario.wording import Message

__all__ = ["LANGUAGES", "OUTPUTS", "PlanFileError", "RenderFailure", "RenderReport", "render_all"]

OUTPUTS = ("maps", "booklet.pdf", "booklet.html", "calendars", "itinerary.xlsx", "handouts")
"""Every output. The booklet needs the maps; the HTML booklet takes the PDF's fit of each sheet
(how much it shrinks to stay on one page) when the PDF was made."""

MADE_IN_ORDER = ("calendars", "itinerary.xlsx", "handouts", "maps", "booklet.pdf", "booklet.html")
"""The order the outputs are made in: those that need no map first, while helper processes
already draw the maps (``maps.MapDrawing``), which this process then joins."""


@dataclass(frozen=True)
class RenderFailure:
    """One output that could not be written, and why, in plain words."""

    output: str
    reason: Message
    """Why, in English as a ``str``; ``reason.in_language("zh")`` says it in Chinese."""

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
    lang: str = "en"
    """The language of the outputs, in which to say the failures' reasons."""

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
    report = RenderReport(out_dir, lang=labels.lang)
    made: dict[str, Any] = {}

    def maps() -> list[Path]:
        made["maps_written"] = []
        made["maps"], written = made["drawing"].finish(made["maps_written"])
        return written

    def booklet() -> Any:
        from scheduler.render.html import Booklet

        if "booklet" not in made:
            made["booklet"] = Booklet(document, labels, _needs(made, "maps"))
        return made["booklet"]

    def typesetter() -> Any:
        from scheduler.render.typeset import Typesetter

        if "typesetter" not in made:
            made["typesetter"] = Typesetter()
        return made["typesetter"]

    def booklet_pdf() -> list[Path]:
        from scheduler.render.pdf import write_booklet_pdf

        target = inside(out_dir, "booklet.pdf")
        made["fit"] = write_booklet_pdf(booklet(), out_dir, target, typesetter())
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
        from scheduler.render.handouts import write_handouts

        made["handouts_written"] = []
        return write_handouts(document, labels, out_dir, written=made["handouts_written"], typesetter=typesetter())

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
        report.failures.append(RenderFailure(str(out_dir), Said("cannot_create_folder", reason=_reason(error))))
        return report
    todo = [name for name in MADE_IN_ORDER if name in outputs]
    if "maps" in todo:
        from scheduler.render.maps import MapDrawing

        made["drawing"] = MapDrawing(document, labels, out_dir)  # helper processes start on the maps now
    try:
        for index, name in enumerate(todo):
            try:
                report.written += jobs[name]()
            except KeyboardInterrupt:
                _stopped(report, made, todo, index)
                break
            except Exception as error:  # noqa: BLE001 - each output's failure is reported, the others still made
                if interrupted():
                    _stopped(report, made, todo, index)
                    break
                report.failures.append(RenderFailure(name, _reason(error)))
            else:
                if interrupted():  # the exception was lost on its way (below)
                    _stopped_after(report, todo, index)
                    break
    finally:
        if "drawing" in made:
            made["drawing"].close()
    return report


def _stopped(report: RenderReport, made: dict[str, Any], todo: list[str], index: int) -> None:
    """Ctrl-C or SIGTERM while making ``todo[index]``: what is written is whole (each file is
    replaced in one step, the temporary one deleted), the files of the interrupted output that
    were finished included; the rest is not started."""
    name = todo[index]
    report.interrupted = name
    report.not_made = todo[index:]
    report.written += made.get(f"{name}_written", [])
    if "drawing" in made and name != "maps" and "maps" in report.not_made:
        # the helpers had begun the maps: they end the ones they have, which are whole
        made["drawing"].close()
        report.written += made["drawing"].finished()


def _stopped_after(report: RenderReport, todo: list[str], index: int) -> None:
    """Ctrl-C or SIGTERM noted while making ``todo[index]``, whose ``KeyboardInterrupt`` never
    reached the render: Python drops an exception raised in a callback it runs for a library
    (a weak reference's, a finalizer), and the output then finished. It is whole; the rest is
    not started, as after any interruption."""
    report.interrupted = todo[index]
    report.not_made = todo[index + 1 :]


class _Skipped(Exception):
    pass


def _needs(made: dict[str, Any], what: str) -> Any:
    if what not in made:
        raise _Skipped(what)
    return made[what]


def _reason(error: BaseException) -> Message:
    """An exception in plain words, without a traceback, in either language (a `Message`)."""
    if isinstance(error, _Skipped):
        return Said("not_made_without_maps")
    if isinstance(error, MissingFontError):
        return Said("missing_cjk_font", family=CJK_FAMILY)
    if isinstance(error, UnsafePathError):
        return Said("unsafe_output_path", target=error.target, out_dir=error.out_dir)
    if isinstance(error, PlanFileError):
        return Said("plan_file_refused", error=str(error))
    if isinstance(error, OSError):
        names = [str(n) for n in (error.filename2, error.filename) if n and not str(n).endswith(".tmp")]
        return Said("system_on_file", reason=system_reason(error), name=names[0]) if names else system_reason(error)
    return Said("output_bug", error=f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)
