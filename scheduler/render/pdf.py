"""The booklet as PDF: the booklet's HTML laid out by WeasyPrint, with the CJK font embedded.

Every sheet of the booklet (a class's day, a lecturer, a site...) must print on one page: a
person never turns over to find the rest of a day. CSS alone cannot promise that for any
plan, so ``write_booklet_pdf()`` lays the booklet out, finds the sheets that ran onto a
second page, shrinks just those (``fit-1``, then ``fit-2``: smaller text and map) and lays it
out again; a plan whose sheets all fit is laid out once.

WeasyPrint finds Noto Sans CJK through fontconfig and embeds the glyphs it uses, so the PDF
shows Chinese on any machine. Before laying out, the font is looked for
(``fonts.cjk_font_files()``), so that a missing font stops the render with a plain message
instead of a PDF full of empty boxes. Only local files (the maps) are read: nothing is
fetched from the network.
"""

from __future__ import annotations

import logging
from collections import Counter
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
    from weasyprint.urls import URLFetcher

    # WeasyPrint logs every CSS property it ignores; the booklet's screen rules are meant for browsers.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fetcher = URLFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)
    base_url = base_dir.resolve().as_uri() + "/"
    sheets = set(booklet.sheet_ids())
    fit = dict(booklet.initial_fit)
    while True:
        document = HTML(string=booklet.html(fit), base_url=base_url, url_fetcher=fetcher).render()
        too_long = overflowing_sheets(document, sheets)
        can_shrink = [sheet for sheet in too_long if fit.get(sheet, 0) < MAX_FIT]
        if not can_shrink:
            break
        for sheet in can_shrink:
            fit[sheet] = fit.get(sheet, 0) + 1
    with atomic_path(target) as temp:
        document.write_pdf(temp)
    return fit


def overflowing_sheets(document, sheets: set[str]) -> list[str]:
    """The sheets (by id) that a laid-out WeasyPrint document prints on more than one page."""
    pages = Counter(anchor for page in document.pages for anchor in page.anchors if anchor in sheets)
    return [sheet for sheet, count in pages.items() if count > 1]
