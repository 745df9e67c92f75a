"""Text that wraps as its language does, and tables that fit the terminal without cutting a word.

rich wraps only at spaces: a Chinese name, which has none, is one "word" to it, so a narrow
column cuts it with an ellipsis or folds the English beside it mid-word. ``Wrapped`` breaks
English at spaces and Chinese between characters (never before a closing mark such as ``，`` or
``）``, never after an opening one), and keeps a phrase (a run of Chinese characters between
spaces and marks: a name, ``现场教学``, ``周日``) on one line where it fits; ``fit`` gives every
column of a table at least its longest word, then keeps the short phrases of a column whole
(a class's name, a date), before sharing out the rest of the width.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, JustifyMethod, OverflowMethod, RenderResult
from rich.containers import Lines
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

NO_LINE_START = frozenset("，。、；：？！）》」』】〉”’,.;:?!)]}%·…")
"""Marks a line never starts with (they close or end what comes before)."""
NO_LINE_END = frozenset("（《「『【〈“‘([{")
"""Marks a line never ends with (they open what comes after)."""


SHORT_PHRASE_SHARE = 1 / 3
"""The phrases that take at most this share of a table's width (its room for text) are kept
whole where the width allows: a name or a label stays on one line, beside longer texts."""


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


UNIT = re.compile(r"(?<=\d) (?=(?:s|min|h|km)\b)")
"""A space between a number and its unit (``4.2 s``, ``30 min``), where a line never breaks."""


def breaks(text: str) -> Iterator[int]:
    """The offsets in ``text`` (one line) where a line may break: after a run of spaces (but not
    between a number and its unit), after the hyphen of a hyphenated word (not of an option such
    as ``--show-params``), and on either side of a wide (Chinese) character, except next to the
    marks above."""
    tied = {match.end() for match in UNIT.finditer(text)}
    word_start = 0
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        if after.isspace():
            continue
        if before.isspace():
            word_start = i
            if i not in tied:
                yield i
        elif before == "-" and i > 1 and text[i - 2].isalpha() and after.isalpha() and text[word_start] != "-":
            yield i  # Field-|teaching, but not --show-|params
        elif (
            (_wide(before) or _wide(after))
            and after not in NO_LINE_START
            and before not in NO_LINE_END
            and not (before.isdigit() and _wide(after))  # 3.4公里, 4秒: a number keeps its unit
        ):
            yield i


def _within_a_phrase(text: str, at: int) -> bool:
    """Whether the break at ``at`` falls between two letters or figures of a Chinese run
    (``城镇建|设``, ``周|日``, ``多|1次``), not at a space or a mark."""
    before, after = text[at - 1], text[at]
    return before.isalnum() and after.isalnum() and (_wide(before) or _wide(after))


def phrase_breaks(text: str) -> Iterator[int]:
    """The break opportunities of ``text`` (one line) that end a phrase: at spaces and next to
    marks, not between the characters of a Chinese run."""
    return (at for at in breaks(text) if not _within_a_phrase(text, at))


def _pieces(text: str, cut: Callable[[str], Iterator[int]]) -> Iterator[str]:
    for line in text.splitlines() or [""]:
        start = 0
        for end in (*cut(line), len(line)):
            yield line[start:end].rstrip()
            start = end


def words(text: str) -> Iterator[str]:
    """The pieces of ``text`` between its break opportunities, trailing spaces dropped."""
    return _pieces(text, breaks)


def phrases(text: str) -> Iterator[str]:
    """The pieces of ``text`` between its phrase breaks, trailing spaces dropped."""
    return _pieces(text, phrase_breaks)


def _line_breaks(text: str, width: int) -> list[int]:
    """Where to break one line so that it fills lines of ``width`` cells, greedily, phrase by
    phrase. A phrase that does not fit on the rest of the line starts the next one; one wider
    than a line is broken between its characters, from the next line if this one is half full.
    A piece wider than ``width`` gets a line of its own (and is folded by rich, the last resort)."""
    offsets: list[int] = []
    used = 0
    start = 0
    for end in (*phrase_breaks(text), len(text)):
        phrase = text[start:end]
        long = cell_len(phrase.rstrip()) > width
        if used and used + cell_len(phrase.rstrip()) > width and (not long or 2 * used >= width):
            offsets.append(start)
            used = 0
        if not long:
            used += cell_len(phrase)
            start = end
            continue
        for at in (*(start + at for at in breaks(phrase)), end):
            piece = text[start:at]
            if used and used + cell_len(piece.rstrip()) > width:
                offsets.append(start)
                used = 0
            used += cell_len(piece)
            start = at
    return offsets


def lines(text: str, width: int) -> list[str]:
    """``text`` (one paragraph) broken into lines of at most ``width`` cells, as ``Wrapped``
    breaks it (a piece wider than ``width`` keeps a line of its own), trailing spaces dropped."""
    ends = [*_line_breaks(text, width), len(text)]
    return [text[start:end].rstrip() for start, end in zip([0, *ends[:-1]], ends, strict=True)]


class Wrapped(Text):
    """A ``Text`` that breaks lines at spaces and between Chinese characters, and says so when a
    table measures it (its narrowest width is its longest unbreakable piece)."""

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        lines = self.plain.splitlines()
        widest = max((cell_len(line) for line in lines), default=0)
        return Measurement(max((cell_len(word) for word in words(self.plain)), default=widest), widest)

    def wrap(
        self,
        console: Console,
        width: int,
        *,
        justify: JustifyMethod | None = None,
        overflow: OverflowMethod | None = None,
        tab_size: int = 8,
        no_wrap: bool | None = None,
    ) -> Lines:
        if no_wrap or (no_wrap is None and self.no_wrap) or overflow == "ignore":
            return super().wrap(console, width, justify=justify, overflow=overflow, tab_size=tab_size, no_wrap=no_wrap)
        justify, overflow = justify or self.justify, overflow or self.overflow
        lines = Lines()
        for line in self.split(allow_blank=True):
            for piece in line.divide(_line_breaks(line.plain, width)):
                # rich trims a line's trailing spaces by characters, not cells: wide text keeps them
                piece.rstrip()
                lines.extend(Text.wrap(piece, console, width, justify=justify, overflow=overflow))
        return lines


def wrapped(text: str | Text, style: str = "") -> Wrapped:
    """``text`` as a ``Wrapped`` (its spans kept), never read as rich markup. Where a word is wider
    than the whole line it folds (the last resort, on a terminal too narrow for it): no text is
    ever cut off with an ellipsis."""
    if isinstance(text, Text):
        result = Wrapped(text.plain, style=text.style, justify=text.justify, overflow="fold")
        result.spans[:] = text.spans
        if style:
            result.stylize(style)
        return result
    return Wrapped(text, style=style, overflow="fold")


class Paragraph:
    """``Wrapped`` text to print on its own. ``Console.print`` joins the ``Text`` objects it is
    given into a new plain ``Text``, which would wrap as rich does; this keeps the wrapping."""

    def __init__(self, text: str | Text, style: str = ""):
        self.text = wrapped(text, style)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        return self.text.__rich_console__(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return self.text.__rich_measure__(console, options)


def fit(table: Table, width: int) -> Table:
    """``table`` with column widths that keep it within ``width`` cells where it can: every column
    at least as wide as its longest word (a Chinese character is one); then, shortest first, each
    column as wide as its longest phrase of at most ``SHORT_PHRASE_SHARE`` of the width, so that
    such phrases stay whole (a class's name, a site's, a date beside the longer texts of a
    change); then the columns that want little more (a time, an activity) are given all they
    want, and the room left goes to the columns that would be the tallest. A table that fits as it
    is, or that cannot fit without cutting a word, is left to rich (whose cells then fold, as
    ``wrapped`` makes them: a word cut, none lost)."""
    columns = table.columns
    if not columns:
        return table
    padding = table.padding[1] + table.padding[3]
    rules = (len(columns) - 1 + (2 if table.show_edge else 0)) if table.box else 0
    room = width - rules - padding * len(columns)
    short = room * SHORT_PHRASE_SHARE
    narrowest, phrased, widest = [], [], []
    for column in columns:
        texts = [_plain(column.header), *(_plain(cell) for cell in column.cells)]
        narrowest.append(max((cell_len(word) for text in texts for word in words(text)), default=1))
        lengths = (cell_len(phrase) for text in texts for phrase in phrases(text))
        phrased.append(max((n for n in lengths if n <= short), default=0))
        widest.append(max((cell_len(line) for text in texts for line in text.splitlines() or [""]), default=1))
    if sum(widest) <= room or sum(narrowest) > room:
        return table
    widths = list(narrowest)
    spare = room - sum(widths)
    for i in sorted(range(len(columns)), key=lambda i: phrased[i]):
        if 0 < phrased[i] - widths[i] <= spare:
            spare -= phrased[i] - widths[i]
            widths[i] = phrased[i]
    wanting = {i for i in range(len(columns)) if widest[i] > widths[i]}
    while wanting:
        fair = spare // len(wanting)
        content = {i for i in wanting if widest[i] - widths[i] <= fair}
        if not content:
            break
        for i in content:
            spare -= widest[i] - widths[i]
            widths[i] = widest[i]
        wanting -= content
    # the others all want more than a fair share: each cell left goes to the column whose longest
    # line would take the most lines (the narrowest of them on a tie), a column's height being
    # what makes a table hard to read
    while wanting and spare > 0:
        i = max(wanting, key=lambda i: (-(-widest[i] // widths[i]), -widths[i], -i))
        widths[i] += 1
        spare -= 1
        if widths[i] == widest[i]:
            wanting.discard(i)
    for column, column_width in zip(columns, widths, strict=True):
        column.width = column_width
    return table


def _plain(renderable: object) -> str:
    return renderable.plain if isinstance(renderable, Text) else str(renderable)
