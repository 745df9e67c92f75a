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
from scheduler.render.labels import LANGUAGES, Labels
from scheduler.render.templating import environment

__all__ = ["comparison_html", "write_comparison_html"]

AUDIENCE_LABELS = {"classes": "classes", "lecturers": "lecturers", "sites": "sheet_sites", "lodging": "lodging"}
"""The audience's keys and the labels they are shown with (``scheduler.render.labels``)."""


def comparison_html(data: Mapping[str, Any]) -> str:
    """The comparison ``data`` (``training-itinerary-comparison/1``) as one HTML document, in the
    comparison's language (``data["lang"]``; the base programme's where it is not given). The
    programme's name is the one in that language, the other as a subtitle."""
    programme = data["programme"]
    lang = data.get("lang") or ("zh" if programme.get("name_zh") else "en")
    labels = Labels(lang if lang in LANGUAGES else "en")
    names = [programme.get(f"name_{lang}"), *(programme.get(f"name_{other}") for other in LANGUAGES if other != lang)]
    shown = [name for name in names if name]
    return (
        environment()
        .get_template("compare.html.j2")
        .render(
            lang=labels.lang,
            t=labels,
            title=shown[0] if shown else "",
            subtitle=shown[1] if len(shown) > 1 else None,
            scenarios=data["scenarios"],
            table=data["table"],
            changes=data["changes"],
            audience_labels={key: labels(label) for key, label in AUDIENCE_LABELS.items()},
            verdicts=data.get("verdicts", []),
            mode=data.get("mode", "from_scratch"),
            hidden_rows=data.get("hidden_rows", 0),
        )
    )


def write_comparison_html(data: Mapping[str, Any], target: Path) -> None:
    """Write the page to ``target`` atomically (whole or not at all)."""
    write_text(target, comparison_html(data))
