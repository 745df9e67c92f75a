"""What the benchmark scripts share when they print their tables."""

from __future__ import annotations

from typing import Any


def cell(value: Any, digits: int = 1) -> str:
    """A figure for a table cell: '—' when unknown, numbers with thousands separators."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def wide_console(width: int):
    """A rich console, ``width`` columns wide when the output is a file or a pipe (so the table
    is not squeezed), as wide as the terminal otherwise."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=width)
