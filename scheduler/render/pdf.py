"""The booklet as PDF: the booklet's HTML laid out by WeasyPrint, with the CJK font embedded.

Every sheet of the booklet (a class's day, a lecturer, a site...) must print on one page: a
person never turns over to find the rest of a day. CSS alone cannot promise that for any
plan, so ``write_booklet_pdf()`` lays the whole booklet out once, finds the sheets that ran
onto a second page, shrinks just those (``fit-1``, then ``fit-2``: smaller text and map) and
lays them out again alone, and writes the booklet's pages with those sheets' new pages in
their place. A sheet prints the same laid out alone as in the whole booklet: each starts a
page of its own, and its footer (page numbers, the programme's name) comes from the sheet
itself (``Booklet.folios``), not from counting pages. Only when a sheet needs more than one
page even at the smallest fit do the page numbers after it move, and the booklet is laid out
once more with them.

WeasyPrint finds Noto Sans CJK through fontconfig and embeds the glyphs it uses, so the PDF
shows Chinese on any machine. Before laying out, the font is looked for
(``fonts.cjk_font_files()``), so that a missing font stops the render with a plain message
instead of a PDF full of empty boxes. Only local files (the maps) are read: nothing is
fetched from the network.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from scheduler.atomic import atomic_path
from scheduler.render.fonts import cjk_font_files
from scheduler.render.html import Booklet

MAX_FIT = 2
"""The most a sheet is shrunk (``fit-2`` in the CSS)."""


def write_booklet_pdf(booklet: Booklet, base_dir: Path, target: Path) -> dict[str, int]:
    """Lay out the booklet (images relative to ``base_dir``), write the PDF atomically.

    Returns the fit each sheet needed, so that the HTML file can be written alike.
    """
    cjk_font_files()
    from weasyprint import HTML  # imported here: slow to import, and only this output needs it

    _quiet()
    base_url = base_dir.resolve().as_uri() + "/"
    fetcher = _fetcher()
    order = booklet.sheet_ids()
    fit = dict(booklet.initial_fit)
    document = HTML(string=booklet.html(fit), base_url=base_url, url_fetcher=fetcher).render()
    pages = sheet_pages(document, order)
    over = [sheet for sheet in order if len(pages[sheet]) > 1 and fit.get(sheet, 0) < MAX_FIT]
    while over:
        for sheet in over:
            fit[sheet] = fit.get(sheet, 0) + 1
        alone = HTML(string=sheets_only(booklet.html(fit), set(over)), base_url=base_url, url_fetcher=fetcher).render()
        again = sheet_pages(alone, over)
        pages.update(again)
        over = [sheet for sheet in over if len(again[sheet]) > 1 and fit[sheet] < MAX_FIT]
    longer = {sheet: len(pages[sheet]) for sheet in order if len(pages[sheet]) > 1}
    if longer:
        document = HTML(string=booklet.html(fit, longer), base_url=base_url, url_fetcher=fetcher).render()
        printed = document.pages
    else:
        printed = [page for sheet in order for page in pages[sheet]]
    with atomic_path(target) as temp:
        document.copy(printed).write_pdf(temp)
    return fit


def sheet_pages(document, order: list[str]) -> dict[str, list]:
    """The pages of a laid-out WeasyPrint document that each sheet (by id, in ``order``) prints
    on: a page belongs to the sheet whose id it holds, or else to the sheet before it."""
    sheets = set(order)
    found: dict[str, list] = {}
    current: str | None = None
    for page in document.pages:
        here = [anchor for anchor in page.anchors if anchor in sheets and anchor not in found]
        if here:
            current = here[0]
            found[current] = []
        if current is None:  # nothing before the first sheet prints on a page of its own
            continue
        found[current].append(page)
    return found


def _fetcher():
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)


def _quiet() -> None:
    # WeasyPrint logs every CSS property it ignores; the booklet's screen rules are meant for browsers.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


_SHEET = re.compile(r'<section class="page[^"]*" id="([^"]+)"[^>]*>.*?</section>\s*', re.S)


def sheets_only(html: str, keep: set[str]) -> str:
    """The booklet's HTML with only the sheets (top-level sections, by id) in ``keep``: the same
    head and style, so that each lays out as it does in the whole booklet."""
    return _SHEET.sub(lambda m: m.group(0) if m.group(1) in keep else "", html)
