"""The booklet as PDF, typeset by Typst from the booklet's views (``templates/booklet.typ``).

Every sheet of the booklet (a class's day, a lecturer, a site...) must print on one page: a
person never turns over to find the rest of a day. The template typesets each sheet at its
starting fit level (``Booklet.initial_fit``: a day that looks dense starts smaller), measures
it, and takes the next level (``fit-1``, then ``fit-2``: smaller text and map) while it is
taller than the page; a sheet still too tall at the smallest level runs onto more pages. The
level and the pages each sheet took are read back from the document's metadata (``<fit>``):
the HTML booklet shrinks the same sheets, and the page numbers, which are counted here and
handed to the template (so that a booklet typeset in parts is numbered as one), move after a
sheet that took more than one page.

Names reach the PDF as data, never as markup (``typeset``); the maps as their SVG text. Typst
embeds the subset of Noto Sans CJK the pages use, so the PDF shows Chinese on any machine.
Nothing is fetched from the network: the template reads only the files beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scheduler.atomic import atomic_path
from scheduler.render.html import GRID, Booklet
from scheduler.render.typeset import Typesetter, as_data

OMITTED = ("t", "grid", "unchecked_css", "html_lang")
"""Context entries of the HTML booklet that the PDF's data leaves out: the label function (the
data has the table), the grid's measures (given as numbers) and the HTML's own style."""


def booklet_data(
    booklet: Booklet, base_dir: Path, *, only: list[str] | None = None, fit: int | None = None
) -> dict[str, Any]:
    """The booklet's views as the template's JSON data, with the SVG text of every map they show
    (paths relative to ``base_dir``).

    ``only``: the ids of the sheets to typeset (default: all); ``fit``: one fit level for every
    sheet instead of each sheet's own (to look at the sheets at a given level).
    """
    context = booklet.context
    data = as_data({key: value for key, value in context.items() if key not in OMITTED})
    data["labels"] = context["t"].table()
    data["grid"] = as_data(GRID)
    data["unchecked"] = context["unchecked_css"] is not None
    data["initial_fit"] = dict(booklet.initial_fit)
    data["folios"] = booklet.folios({})
    data["first_pages"] = booklet.first_pages({})
    if only is not None:
        data["only"] = list(only)
    if fit is not None:
        data["forced_fit"] = fit
    data["svgs"] = {path: _svg(base_dir / path) for path in _maps_shown(data)}
    return data


def write_booklet_pdf(
    booklet: Booklet, base_dir: Path, target: Path, typesetter: Typesetter | None = None
) -> dict[str, int]:
    """Typeset the booklet (maps read from ``base_dir``), write the PDF atomically.

    The page numbers (each sheet's footer, the contents) are counted here, one page a sheet; a
    sheet that needs more even at the smallest fit is typeset again with the numbers after it
    moved. A booklet of more than ``PARTS_FROM`` sheets is typeset in parts of ``SHEETS_PER_PART``
    sheets, each in a process of its own (``_typeset_part``), and the parts joined: Typst keeps
    the layout of a whole document in memory, so a part's size bounds the memory a booklet
    takes whatever the programme's size. Returns the fit each sheet took, so that the HTML file
    can be written alike.
    """
    data = booklet_data(booklet, base_dir)
    order = booklet.sheet_ids()
    size = SHEETS_PER_PART if len(order) > PARTS_FROM else len(order)
    parts = [order[i : i + size] for i in range(0, len(order), size)]
    pages: dict[str, int] = {}
    for _ in range(MAX_PASSES):
        data["folios"] = booklet.folios(pages)
        data["first_pages"] = booklet.first_pages(pages)
        if len(parts) == 1:
            typesetter = typesetter or Typesetter()
            pdfs = [typesetter.pdf("booklet.typ", data)]
            took = typesetter.query("fit")
        else:
            pdfs, took = _typeset_parts(data, parts)
        longer = {entry["sheet"]: int(entry["pages"]) for entry in took if int(entry["pages"]) > 1}
        if longer == pages:
            break
        pages = longer
    with atomic_path(target) as temp:
        if len(pdfs) == 1:
            temp.write_bytes(pdfs[0])
        else:
            _join(pdfs, temp)
    return {entry["sheet"]: int(entry["fit"]) for entry in took}


MAX_PASSES = 3
"""Typesettings of the booklet at most: a second moves the page numbers after a sheet that
needed more than one page (a sheet's length does not depend on its numbers, so a second pass
settles them; a third is a margin)."""

PARTS_FROM = 150
"""A booklet of more sheets than this is typeset in parts: below it, one document is typeset
faster than parts in processes of their own (the Dalian booklet has 83 sheets)."""

SHEETS_PER_PART = 60
"""The sheets of a part. Typst's memory grows faster than the sheets it holds (each sheet is
laid out twice: measured, then placed), so parts of this size keep each process within a few
hundred MB."""

PART_LINK = "booklet-sheet:"
"""The address a part gives a link to a sheet in another part, followed by the sheet's id;
``_join`` makes each such link go to the sheet's named destination."""


def _typeset_parts(data: dict[str, Any], parts: list[list[str]]) -> tuple[list[bytes], list[dict[str, Any]]]:
    """Each part's PDF and what its sheets took, each typeset in a process of its own (as many
    at once as ``processes.process_count`` gives; Typst keeps what it typeset for the process's
    next documents, so no process typesets two parts), given only its own sheets' views and
    maps.

    The processes start with SIGINT blocked (``maps.sigint_blocked``): Ctrl-C reaches this
    process alone, which lets the parts being typeset end, starts no other, and stops.
    """
    from scheduler.render.maps import sigint_blocked
    from scheduler.render.processes import pool, process_count

    svgs = data["svgs"]
    workers = pool(process_count(len(parts), 1), tasks_each=1)
    try:
        with sigint_blocked():  # the processes, and the thread that starts them, begin at the submits
            futures = [workers.submit(_typeset_part, _part_data(data, part, svgs)) for part in parts]
        done = [future.result() for future in futures]
    finally:
        workers.shutdown(wait=True, cancel_futures=True)
    return [pdf for pdf, _ in done], [entry for _, took in done for entry in took]


def _part_data(data: dict[str, Any], part: list[str], svgs: Mapping[str, str | None]) -> dict[str, Any]:
    """The data of the part of the booklet that prints the sheets ``part``: the views of those
    sheets and their maps (the cover's part keeps every view: its contents list them all)."""
    shown = set(part)
    own: dict[str, Any] = {
        **data,
        "only": part,
        "part_link": PART_LINK,
        "svgs": {path: svgs.get(path) for path in _maps_shown(data, shown)},
    }
    if "cover" in shown:
        return own
    for key in ("overview", "lecturers", "sites", "lodging", "duty"):
        own[key] = [view for view in data[key] if view["anchor"] in shown]
    classes = []
    for section in data["classes"]:
        days = [day for day in section["days"] if day["anchor"] in shown]
        if days or section["anchor"] in shown or f"{section['anchor']}-week" in shown:
            classes.append({**section, "days": days})
    own["classes"] = classes
    return own


def _maps_shown(data: Mapping[str, Any], shown: set[str] | None = None) -> list[str]:
    """The maps (paths) the sheets in ``shown`` (default: every sheet) print, each once: a
    class's week map on its overview sheet, a day's map on the day's sheet, the figures chart
    on the figures sheet."""
    wanted: list[str] = []
    if shown is None or "figures" in shown:
        wanted.append(data["figures_chart"])
    for section in data["classes"]:
        if shown is None or section["anchor"] in shown:
            wanted.append(section["week_map"])
        wanted += [day["map"] for day in section["days"] if shown is None or day["anchor"] in shown]
    return list(dict.fromkeys(wanted))


def _typeset_part(data: dict[str, Any]) -> tuple[bytes, list[dict[str, Any]]]:
    """One part of the booklet, in a process of its own: its PDF and what its sheets took."""
    typesetter = Typesetter()
    pdf = typesetter.pdf("booklet.typ", data)
    return pdf, typesetter.query("fit")


def _join(pdfs: list[bytes], target: Path) -> None:
    """The parts as one PDF: their pages, outlines and named destinations in order, and every
    link a part gave to a sheet in another (``PART_LINK``) made a link to that sheet."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if uri is not None and str(uri).startswith(PART_LINK):
                del annotation["/A"]
                annotation[NameObject("/Dest")] = TextStringObject(str(uri)[len(PART_LINK) :])
    writer.write(target)


def _svg(path: Path) -> str | None:
    """A map's SVG text, or None where there is none (a map that could not be drawn)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
