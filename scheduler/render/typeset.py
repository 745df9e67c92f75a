"""PDF by Typst: the booklet's and the hand-outs' pages typeset from their views, as data.

A Typst template (``templates/*.typ``) reads the whole of what it shows from one JSON value
handed over as ``sys.inputs.data``; it never reads a file but the templates beside it. A
name from the plan therefore reaches the page only as a Typst string, which prints as text:
it cannot become markup, a link or a command. Pictures (the maps) are handed over the same
way, as SVG text.

The hand-outs and a booklet of up to a few hundred pages are typeset in the render's own
process (Typst lays out a page in milliseconds; a larger booklet is typeset in parts, each in a
process of its own: ``pdf.write_booklet_pdf``); the fonts are read once per ``Typesetter`` and
shared by its PDFs. The PDFs are written without
accessibility tags, which would make them several times larger: the HTML files are the
outputs a screen reader reads.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scheduler.render.fonts import cjk_font_files
from scheduler.render.templating import shown

TEMPLATES = Path(__file__).with_name("templates")


class TypesetError(RuntimeError):
    """Typst could not typeset a template (a fault of this project, never of a plan)."""


def as_data(value: Any) -> Any:
    """``value`` as JSON data for a template: dataclasses as objects, tuples as arrays, dates in
    ISO form, and every text as a page shows it (``templating.shown``: no control characters,
    no text of more than a few hundred characters)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, str):
        return shown(str(value))
    if isinstance(value, Mapping):
        return {str(key): as_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_data(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float):
        return value
    raise TypeError(f"no data form for {type(value).__name__}")


class Typesetter:
    """Typst with the CJK font and the project's templates; the fonts are read once and shared
    by every template typeset with it."""

    def __init__(self) -> None:
        import typst  # imported here: only the PDFs need it

        self._typst = typst
        folders = sorted({str(path.parent) for path in cjk_font_files()})
        self._fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=folders)
        self._compilers: dict[str, Any] = {}
        self._last: Any = None

    def pdf(self, template: str, data: Mapping[str, Any]) -> bytes:
        """The PDF of ``template`` (a file in ``templates/``) given ``data`` (JSON-ready)."""
        compiler = self._compilers.get(template)
        if compiler is None:
            compiler = self._typst.Compiler(
                input=str(TEMPLATES / template), root=str(TEMPLATES), font_paths=self._fonts, ignore_system_fonts=True
            )
            self._compilers[template] = compiler
        try:
            inputs = {"data": json.dumps(data, ensure_ascii=False)}
            result = compiler.compile(format="pdf", pdf_tags=False, sys_inputs=inputs)
        except self._typst.TypstError as error:
            raise TypesetError(f"{template}: {error.message}") from None
        self._last = compiler
        assert isinstance(result, bytes)
        return result

    def query(self, label: str) -> list[Any]:
        """The values of the ``metadata`` marked ``<label>`` in the last document typeset."""
        if self._last is None:
            return []
        try:
            found = self._last.query(f"<{label}>", field="value", format="json")
        except self._typst.TypstError as error:
            raise TypesetError(f"query <{label}>: {error.message}") from None
        return json.loads(found)
