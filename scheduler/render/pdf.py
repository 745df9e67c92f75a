"""The booklet as PDF, typeset by Typst from the booklet's views (``templates/booklet.typ``).

Every sheet of the booklet (a class's day, a lecturer, a site...) must print on one page: a
person never turns over to find the rest of a day. The template typesets each sheet at its
starting fit level (``Booklet.initial_fit``: a day that looks dense starts smaller), measures
it, and takes the next level (``fit-1``, then ``fit-2``: smaller text and map) while it is
taller than the page; a sheet still too tall at the smallest level runs onto a second page,
and the page numbers after it follow. The level each sheet took is read back from the PDF's
metadata (``<fit>``), so that the HTML booklet shrinks the same sheets.

Names reach the PDF as data, never as markup (``typeset``); the maps as their SVG text. Typst
embeds the subset of Noto Sans CJK the pages use, so the PDF shows Chinese on any machine.
Nothing is fetched from the network: the template reads only the files beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scheduler.atomic import atomic_path
from scheduler.render.html import GRID, Booklet
from scheduler.render.labels import TEXT
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
    side = 0 if context["lang"] == "zh" else 1
    data = as_data({key: value for key, value in context.items() if key not in OMITTED})
    data["labels"] = {key: texts[side] for key, texts in TEXT.items()}
    data["grid"] = as_data(GRID)
    data["unchecked"] = context["unchecked_css"] is not None
    data["initial_fit"] = dict(booklet.initial_fit)
    if only is not None:
        data["only"] = list(only)
    if fit is not None:
        data["forced_fit"] = fit
    wanted = [context["figures_chart"]]
    for section in context["classes"]:
        wanted += [section.week_map, *(day.map for day in section.days)]
    data["svgs"] = {path: _svg(base_dir / path) for path in dict.fromkeys(wanted)}
    return data


def write_booklet_pdf(
    booklet: Booklet, base_dir: Path, target: Path, typesetter: Typesetter | None = None
) -> dict[str, int]:
    """Typeset the booklet (maps read from ``base_dir``), write the PDF atomically.

    Returns the fit each sheet took, so that the HTML file can be written alike.
    """
    typesetter = typesetter or Typesetter()
    pdf = typesetter.pdf("booklet.typ", booklet_data(booklet, base_dir))
    fit = {entry["sheet"]: int(entry["fit"]) for entry in typesetter.query("fit")}
    with atomic_path(target) as temp:
        temp.write_bytes(pdf)
    return fit


def _svg(path: Path) -> str | None:
    """A map's SVG text, or None where there is none (a map that could not be drawn)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
