"""The week grid's print style: plain lengths from ``GridMetrics``, no flex and no var().

WeasyPrint lays out a flex row of day columns several times over and resolves each var() again
on every element: the Dalian week sheets took 1.3 s each that way, about 0.45 s without.
"""

from __future__ import annotations

import json
import re

from helpers import DATA
from test_week_grid import no_maps

from scheduler.render.document import Document
from scheduler.render.html import GRID, Booklet
from scheduler.render.labels import Labels

GRID_SELECTORS = (
    ".week-grid",
    ".week-head",
    ".week-body",
    ".week-foot",
    ".hours",
    ".hour",
    ".day-col",
    ".col-",
    ".block",
)


def grid_rules() -> dict[str, str]:
    """The booklet's style rules for the week grid outside any @media rule: selector -> declarations."""
    doc = Document.from_json(json.loads((DATA / "dalian-plan.json").read_text(encoding="utf-8")))
    markup = Booklet(doc, Labels("zh"), no_maps(doc)).html({})
    css = re.sub(r"/\*.*?\*/", "", markup[markup.index("<style>") : markup.index("</style>")], flags=re.S)
    css = css[: css.index("@media screen and (max-width")]
    return {
        selector.strip(): body
        for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)
        if selector.strip().startswith(GRID_SELECTORS)
    }


def test_the_printed_week_grid_uses_no_flex_and_no_var():
    rules = grid_rules()
    assert ".block" in rules and ".day-col" in rules
    for selector, body in rules.items():
        assert "var(" not in body and "flex" not in body, selector


def test_the_printed_blocks_take_their_measures_from_the_grid_metrics():
    block = grid_rules()[".block"]
    assert f"font-size: {GRID.font_pt}pt" in block
    assert f"left: {GRID.inset_mm}mm" in block and f"border-left: {GRID.border_mm}mm solid" in block
