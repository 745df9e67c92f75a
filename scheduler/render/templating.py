"""The Jinja2 environment every HTML output shares: the package's templates, autoescaped.

Every value a template shows passes ``shown()`` first: control characters are dropped (NUL,
ESC...; ``files.clean_text``) and a text longer than ``MAX_SHOWN`` characters is cut short
with "…", so that a hand-edited plan with a name of thousands of characters still lays out
in seconds. Autoescaping stays on: names are data, never markup.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from scheduler.render.files import clean_text

MAX_SHOWN = 300
"""The most characters of one text shown in a page (longer ones end in "…")."""


def shown(value: Any) -> Any:
    """A value as a template shows it: text cleaned of control characters and cut to ``MAX_SHOWN``."""
    if isinstance(value, Markup):
        return Markup(clean_text(str(value)))  # dropping characters cannot make markup
    if isinstance(value, str):
        value = clean_text(value)
        return value if len(value) <= MAX_SHOWN else value[: MAX_SHOWN - 1].rstrip() + "…"
    return value


def environment() -> Environment:
    """Templates from ``scheduler/render/templates``; every value is escaped (names are data, never markup)."""
    return Environment(
        loader=PackageLoader("scheduler.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=shown,
    )
