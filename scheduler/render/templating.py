"""The Jinja2 environment every HTML output shares: the package's templates, autoescaped."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined


def environment() -> Environment:
    """Templates from ``scheduler/render/templates``; every value is escaped (names are data, never markup)."""
    return Environment(
        loader=PackageLoader("scheduler.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
