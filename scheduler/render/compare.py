"""The comparison of scenarios as one HTML page (``solve.py compare --html FILE``).

Reads the comparison's JSON data (``scheduler.analysis.compare.Comparison.to_json()``, the
same as ``--json FILE`` writes) and nothing else; the template only lays it out, and every value goes
through Jinja's autoescaping, so a name such as ``<script>`` prints as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scheduler.atomic import write_text
from scheduler.render.templating import environment

__all__ = ["comparison_html", "write_comparison_html"]

AUDIENCE_LABELS = {
    "classes": "班次 Classes",
    "lecturers": "讲师 Lecturers",
    "sites": "现场点 Sites",
    "lodging": "住宿 Lodging",
}


def comparison_html(data: Mapping[str, Any]) -> str:
    """The comparison ``data`` (``training-itinerary-comparison/1``) as one HTML document."""
    programme = data["programme"]
    title = programme.get("name_zh") or programme.get("name_en") or ""
    other = programme.get("name_en") if programme.get("name_zh") else None
    return (
        environment()
        .get_template("compare.html.j2")
        .render(
            title=title,
            subtitle=other,
            scenarios=data["scenarios"],
            table=data["table"],
            changes=data["changes"],
            audience_labels=AUDIENCE_LABELS,
            verdicts=data.get("verdicts", []),
            mode=data.get("mode", "from_scratch"),
            hidden_rows=data.get("hidden_rows", 0),
        )
    )


def write_comparison_html(data: Mapping[str, Any], target: Path) -> None:
    """Write the page to ``target`` atomically (whole or not at all)."""
    write_text(target, comparison_html(data))
