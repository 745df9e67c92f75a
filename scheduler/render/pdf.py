"""The booklet as PDF: the booklet's HTML laid out by WeasyPrint, with the CJK font embedded.

Every sheet of the booklet (a class's day, a lecturer, a site...) must print on one page: a
person never turns over to find the rest of a day. CSS alone cannot promise that for any
plan, so ``write_booklet_pdf()`` lays the booklet out, finds the sheets that ran onto a
second page, shrinks just those (``fit-1``, then ``fit-2``: smaller text and map), trying them
alone, and lays the whole booklet out once more; a plan whose sheets all fit is laid out once.

WeasyPrint finds Noto Sans CJK through fontconfig and embeds the glyphs it uses, so the PDF
shows Chinese on any machine. Before laying out, the font is looked for
(``fonts.cjk_font_files()``), so that a missing font stops the render with a plain message
instead of a PDF full of empty boxes. Only local files (the maps) are read: nothing is
fetched from the network.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

from scheduler.atomic import atomic_path
from scheduler.render.fonts import cjk_font_files
from scheduler.render.html import Booklet
from scheduler.render.processes import pool, process_count

MAX_FIT = 2
"""The most a sheet is shrunk (``fit-2`` in the CSS)."""


def write_booklet_pdf(
    booklet: Booklet, base_dir: Path, target: Path, *, processes: int | None = None
) -> dict[str, int]:
    """Lay out the booklet (images relative to ``base_dir``), write the PDF atomically.

    Returns the fit each sheet needed, so that the HTML file can be written alike. How much each
    sheet must shrink is found first, sheet by sheet, in ``processes`` processes (default:
    ``processes.process_count``) that each lay out a share of the sheets; then the whole booklet
    is laid out once with those fits and written.
    """
    cjk_font_files()
    from weasyprint import HTML  # imported here: slow to import, and only this output needs it

    _quiet()
    base_url = base_dir.resolve().as_uri() + "/"
    order = booklet.sheet_ids()
    sheets = set(order)
    fit = dict(booklet.initial_fit)
    count = process_count(len(order), SHEETS_PER_PROCESS, processes)
    html = booklet.html(fit)
    if count == 1:
        fit.update(fits(html, order, base_url))
    else:
        size = -(-len(order) // count)
        shares = [order[i : i + size] for i in range(0, len(order), size)]
        with pool(len(shares)) as workers:
            futures = [workers.submit(fits, sheets_only(html, set(share)), share, base_url) for share in shares]
            for future in futures:
                fit.update(future.result())
    fetcher = _fetcher()
    while True:
        document = HTML(string=booklet.html(fit), base_url=base_url, url_fetcher=fetcher).render()
        # a sheet lays out alone as in the whole booklet (each starts a page of its own); should
        # one still run over here, it is shrunk one more step and the booklet laid out again
        can_shrink = [sheet for sheet in overflowing_sheets(document, sheets) if fit.get(sheet, 0) < MAX_FIT]
        if not can_shrink:
            break
        for sheet in can_shrink:
            fit[sheet] = fit.get(sheet, 0) + 1
    with atomic_path(target) as temp:
        document.write_pdf(temp)
    return fit


SHEETS_PER_PROCESS = 20
"""Sheets a process takes at least: a shorter booklet is fitted in this process (starting one
costs about as much as laying out a few sheets)."""


def fits(html: str, sheet_ids: list[str], base_url: str) -> dict[str, int]:
    """How much each sheet of ``html`` must shrink to print on one page: lay them out, shrink
    those that ran over by a step and lay out just those again, until every sheet fits or is at
    ``MAX_FIT``. Only the sheets that must shrink are in the result."""
    from weasyprint import HTML

    _quiet()
    fetcher = _fetcher()
    fit: dict[str, int] = {}
    trying = set(sheet_ids)
    while trying:
        document = HTML(string=sheets_only(html, trying), base_url=base_url, url_fetcher=fetcher).render()
        over = [
            sheet for sheet in overflowing_sheets(document, trying) if fit.get(sheet, _fit_in(html, sheet)) < MAX_FIT
        ]
        for sheet in over:
            fit[sheet] = fit.get(sheet, _fit_in(html, sheet)) + 1
            html = _with_fit(html, sheet, fit[sheet])
        trying = set(over)
    return fit


def _fit_in(html: str, sheet: str) -> int:
    """The fit a sheet of ``html`` is laid out with (its ``fit-N`` class)."""
    match = re.search(r'<section class="page[^"]* fit-(\d)" id="' + re.escape(sheet) + '"', html)
    return int(match.group(1)) if match else 0


def _with_fit(html: str, sheet: str, level: int) -> str:
    """``html`` with the sheet's ``fit-N`` class set to ``level``."""
    pattern = re.compile(r'(<section class="page[^"]* )fit-\d(" id="' + re.escape(sheet) + '")')
    return pattern.sub(lambda m: f"{m.group(1)}fit-{level}{m.group(2)}", html, count=1)


def _fetcher():
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)


def _quiet() -> None:
    # WeasyPrint logs every CSS property it ignores; the booklet's screen rules are meant for browsers.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


_SHEET = re.compile(r'<section class="page[^"]*" id="([^"]+)">.*?</section>\s*', re.S)


def sheets_only(html: str, keep: set[str]) -> str:
    """The booklet's HTML with only the sheets (top-level sections, by id) in ``keep``: the same
    head and style, so that each lays out as it does in the whole booklet."""
    return _SHEET.sub(lambda m: m.group(0) if m.group(1) in keep else "", html)


def overflowing_sheets(document, sheets: set[str]) -> list[str]:
    """The sheets (by id) that a laid-out WeasyPrint document prints on more than one page."""
    pages = Counter(anchor for page in document.pages for anchor in page.anchors if anchor in sheets)
    return [sheet for sheet, count in pages.items() if count > 1]
