"""The booklet as HTML: Jinja2 templates (autoescaped) with print CSS for A4.

``booklet_html()`` turns a ``Document`` into one HTML page that a browser shows as A4 sheets and
prints page by page: a cover, then for each class an overview (week map, key facts), a
week-at-a-glance grid and one sheet per day, then one sheet per lecturer and per site, and the
figures. The PDF is typeset from the same views by Typst (``pdf.py``), with the fit each sheet
took there. Every name from the plan goes through Jinja's autoescaping, so a name such as
``<script>`` prints as text.

The templates get plain view objects built here, so that they only lay things out. The week
grid is laid out here too: its text is set in points (``GridMetrics``), and each block gets the
lines that fit it (``_lay_out_day``), so that no name is cut and no text prints below 7 pt.
On a narrow screen the same HTML reflows (booklet.css): the grid's days become lists, tables
become cards, and a navigation of classes and days leads through the sheets.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from markupsafe import Markup

from scheduler.plan.model import EVENT_KINDS, FINAL_KINDS, Event
from scheduler.render.document import Document, Named, TrainingClass
from scheduler.render.files import file_name
from scheduler.render.labels import Labels
from scheduler.render.logistics import (
    coach_text,
    contact_text,
    duty_pages,
    lodging_nights,
    overview_pages,
    together_text,
)
from scheduler.render.maps import MapFiles
from scheduler.render.templating import environment

MM_PER_PT = 25.4 / 72

WAIT_SHOWN_FROM = 10
"""A gap of this many minutes or more between two events of a day is shown as a wait (after the
coach arrives) or a break: long enough for a person reading the day to ask what happens then."""

TIME_ALWAYS_FROM = 45
"""A week-grid block this many minutes long or longer always shows its clock times."""

NOTE_REACH = 15
"""A block too short for any text hands its label to a neighbour at most this many minutes away."""


@dataclass(frozen=True)
class GridMetrics:
    """The week grid's measures, shared by the layout here and booklet.css (as ``grid``).

    The grid's text is set in points, not in the sheet's em, so that no fit level shrinks it
    below ``font_pt``: the size that stays readable on a printed A4 page. The layout chooses
    each block's lines from these measures, so that the text it prints fits its block.
    """

    height_mm: float = 212.0  # the hours shown share it
    width_mm: float = 184.0  # A4's 210 mm less the sheet's side margins (13 mm each: booklet.css @page)
    hours_mm: float = 11.0  # the hours' column
    gap_mm: float = 0.8  # between day columns
    inset_mm: float = 0.4  # between a block and its column's sides
    border_mm: float = 1.2  # the block's coloured left edge
    pad_x_mm: float = 0.7
    pad_y_mm: float = 0.2
    font_pt: float = 7.0
    line_height: float = 1.15

    @property
    def line_mm(self) -> float:
        return self.font_pt * self.line_height * MM_PER_PT

    def text_em(self, columns: int) -> float:
        """The width of a block's text in a grid of ``columns`` days, in em of the grid's font."""
        column = (self.width_mm - self.hours_mm) / max(columns, 1) - self.gap_mm
        text = column - 2 * self.inset_mm - self.border_mm - 2 * self.pad_x_mm
        return max(text, 0.0) / (self.font_pt * MM_PER_PT)

    def lines_in(self, height_mm: float) -> int:
        """How many lines of text a block of ``height_mm`` holds."""
        return max(0, math.floor((height_mm - 2 * self.pad_y_mm) / self.line_mm + 1e-6))

    def column_style(self, index: int, columns: int, hour_mm: float) -> str:
        """Where day ``index`` of ``columns`` sits in the grid, and its hour lines' spacing.

        Plain lengths in the column's style attribute, the hour lines drawn as the column's
        background (booklet.css) rather than as one element per hour and day.
        """
        outer = (self.width_mm - self.hours_mm) / max(columns, 1)
        left = self.hours_mm + index * outer + self.gap_mm
        right = (columns - index - 1) * outer
        return f"left: {left:.3f}mm; right: {right:.3f}mm; background-size: 100% {hour_mm:.4f}mm"


GRID = GridMetrics()


@dataclass(frozen=True)
class Name:
    """A name as shown: the main one, and the other language's underneath when it differs."""

    main: str
    other: str | None = None

    @classmethod
    def of(cls, thing: Named, lang: str) -> Name:
        return cls(thing.name(lang), thing.other_name(lang))

    def __str__(self) -> str:
        return f"{self.main} ({self.other})" if self.other else self.main


@dataclass(frozen=True)
class Row:
    """One line of a day's timeline."""

    kind: str
    time: str
    activity: str
    details: list[Name]
    place: Name | None
    who: Name | None
    coach: list[str] = field(default_factory=list)
    leg: int | None = None  # the coach leg's number, as on the day's map


@dataclass(frozen=True)
class DayPage:
    anchor: str
    klass: Name
    class_id: str
    day_number: int
    heading: str
    date: str
    morning: Name
    night: Name
    night_label: str
    night_address: str
    rows: list[Row]
    map: str
    map_alt: str
    coach_summary: str
    dense: bool


@dataclass(frozen=True)
class BlockLine:
    """A line of a week-grid block (it may wrap): ``role`` is title, sub, time or note."""

    role: str
    text: str
    after: str = ""  # a subtitle set on the title's line


@dataclass(frozen=True)
class Block:
    """An event (or a wait) in the week-at-a-glance grid, placed in mm from the grid's top.

    ``lines`` is what the printed grid shows, chosen to fit the block (``_lay_out_day``); a
    block too short for a line has none, its label carried by a neighbour as a ``note``. The
    whole label (``time``, ``title``, ``sub``) is what a narrow screen lists instead.
    """

    kind: str
    top: float
    height: float
    lines: list[BlockLine]
    time: str
    title: str
    sub: str


@dataclass(frozen=True)
class WeekColumn:
    heading: str
    date: str
    blocks: list[Block]
    night: str
    ends: bool  # the last day: where the programme ends, not a night


@dataclass(frozen=True)
class ClassSection:
    anchor: str
    id: str
    name: Name
    theme: Name | None
    trainees: int
    base: Name
    professor: Name
    professor_affiliation: str | None
    class_teacher: str
    coach: str
    notes: str
    week_map: str
    week_map_alt: str
    facts: list[tuple[str, str]]
    hours: list[tuple[str, float]]  # (label, mm from the top) for the grid's hour lines
    columns: list[WeekColumn]
    marks: list[tuple[str, str]]  # (mark, name): the names the grid shows as a numbered mark
    column_style: list[str]  # each day column's place in the grid (GridMetrics.column_style)
    days: list[DayPage]


@dataclass(frozen=True)
class LecturerPage:
    anchor: str
    name: Name
    affiliation: str | None
    contacts: list[str]
    home: Name
    topics: list[Name]
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class SitePage:
    anchor: str
    name: Name
    address: str
    contacts: list[str]
    hours: str
    note: str
    kind: str
    red_education: str
    visit_minutes: str
    themes: list[Name]
    location: str
    rows: list[dict[str, Any]]


class Booklet:
    """The booklet's content, laid out as HTML on demand with a given fit per sheet.

    ``fit`` maps a sheet's id (``cover``, ``class-rural-day3``, ...) to 0, 1 or 2: how much its
    text and pictures shrink so that it fits on one A4 page (see ``pdf.write_booklet_pdf``).
    """

    def __init__(self, doc: Document, labels: Labels, maps: MapFiles):
        self.context = _context(doc, labels, maps)
        self.template = environment().get_template("booklet.html.j2")
        self.initial_fit = {day.anchor: 1 for section in self.context["classes"] for day in section.days if day.dense}

    def html(self, fit: Mapping[str, int] | None = None, pages: Mapping[str, int] | None = None) -> str:
        """The booklet as one HTML document (text).

        ``pages``: how many pages a sheet prints on where that is not one; each sheet's page
        numbers follow from it, so that a sheet laid out alone prints the numbers it has in the
        whole booklet.
        """
        return self.template.render(
            **self.context,
            fit=dict(self.initial_fit if fit is None else fit),
            folios=self.folios(pages or {}),
        )

    def folios(self, pages: Mapping[str, int]) -> dict[str, str]:
        """Each sheet's page numbers as its footer prints them ("12 / 83", or "12–13 / 84" for a
        sheet of two pages), the sheets counted in ``sheet_ids()`` order."""
        firsts = self.first_pages(pages)
        total = sum(pages.get(sheet, 1) for sheet in firsts)
        folios: dict[str, str] = {}
        for sheet, first in firsts.items():
            last = first + pages.get(sheet, 1) - 1
            folios[sheet] = f"{first} / {total}" if last == first else f"{first}–{last} / {total}"
        return folios

    def first_pages(self, pages: Mapping[str, int]) -> dict[str, int]:
        """The page each sheet starts on, in ``sheet_ids()`` order, given how many pages the
        sheets that take more than one need (``pages``)."""
        first, found = 1, {}
        for sheet in self.sheet_ids():
            found[sheet] = first
            first += pages.get(sheet, 1)
        return found

    def sheet_ids(self) -> list[str]:
        """Every sheet's id, in order: each must fit on one page."""
        ids = ["cover", *(page.anchor for page in self.context["overview"])]
        for section in self.context["classes"]:
            ids += [section.anchor, f"{section.anchor}-week", *(day.anchor for day in section.days)]
        ids += [page.anchor for page in self.context["lecturers"]]
        ids += [page.anchor for page in self.context["sites"]]
        ids += [sheet["anchor"] for sheet in self.context["lodging"]]
        ids += [page.anchor for page in self.context["duty"]]
        return [*ids, "figures"]


def booklet_html(doc: Document, labels: Labels, maps: MapFiles, fit: Mapping[str, int] | None = None) -> str:
    """The whole booklet as one HTML document (text)."""
    return Booklet(doc, labels, maps).html(fit)


def _unchecked_css(mark: str) -> Markup:
    """The unchecked mark at the top of every printed page and of every sheet on screen.

    ``mark`` is a label of this project, never text from a plan; it is quoted as a CSS string
    (backslashes and quotes escaped, no angle brackets), so it cannot end the style element.
    """
    text = json.dumps(mark.replace("<", " ").replace(">", " "), ensure_ascii=False)
    return Markup(
        "@page { @top-center { content: " + text + "; color: #c00000; font-size: 9pt; font-weight: bold; } }\n"
        "@media screen { section.page::before { content: " + text + "; display: block; color: #c00000; "
        "font-weight: bold; border: 2px solid #c00000; padding: 0.3em 0.6em; margin-bottom: 0.8em; } }"
    )


def _context(doc: Document, labels: Labels, maps: MapFiles) -> dict[str, Any]:
    lang = labels.lang
    classes = [_class_section(doc, labels, klass, maps) for klass in doc.classes]
    return {
        "lang": lang,
        "html_lang": "zh-Hans" if lang == "zh" else "en",
        "t": labels,
        "grid": GRID,
        "unchecked_css": _unchecked_css(labels("unchecked")) if doc.unchecked else None,
        "programme": Name.of(doc.programme, lang),
        "date_range": labels.date_range(doc.programme.first_date, doc.programme.last_date),
        "days_count": labels("days_count", n=doc.programme.days),
        "organiser": doc.programme.organiser,
        "office": [contact_text(c) for c in doc.programme.contacts],
        "programme_notes": doc.programme.notes or "",
        "overview": overview_pages(doc, labels),
        "lodging": _lodging_sheets(doc, labels),
        "lodging_note": _lodging_note(doc, labels),
        "duty": duty_pages(doc, labels),
        "cover_classes": [
            {
                "anchor": section.anchor,
                "name": section.name,
                "theme": section.theme,
                "trainees": section.trainees,
                "base": section.base,
                "professor": section.professor,
                "affiliation": section.professor_affiliation,
            }
            for section in classes
        ],
        "classes": classes,
        "lecturers": [_lecturer_page(doc, labels, lec.id) for lec in doc.teaching_lecturers()],
        "all_lecturers": [{"name": Name.of(lec, lang), "count": len(doc.lectures_of(lec.id))} for lec in doc.lecturers],
        "sites": [_site_page(doc, labels, site.id) for site in doc.visited_sites()],
        "figures": _figures(doc, labels),
        "figures_chart": maps.figures,
        "status": _status(doc, labels),
        "class_hour_note": labels("class_hour_note", n=doc.definitions.get("minutes_per_class_hour", 45)),
        "kinds": [(kind, labels.kind_name(kind)) for kind in KIND_ORDER] + [("wait", labels("gap_legend"))],
    }


KIND_ORDER = EVENT_KINDS
"""The legend's order: the plan's kinds of event."""


# ---------------------------------------------------------------------------
# A class: overview, week grid, days


def _class_section(doc: Document, labels: Labels, klass: TrainingClass, maps: MapFiles) -> ClassSection:
    lang = labels.lang
    theme = doc.themes.get(klass.theme)
    figures = doc.kpis.get(klass.id, {})
    first, last = _grid_hours(doc, klass.id)
    marks = _Marks()
    return ClassSection(
        anchor=f"class-{file_name(klass.id)}",
        id=klass.id,
        name=Name.of(klass, lang),
        theme=Name.of(theme, lang) if theme else None,
        trainees=klass.trainees,
        base=Name.of(doc.places[klass.base], lang),
        professor=Name.of(klass.professor, lang),
        professor_affiliation=klass.professor.affiliation,
        class_teacher=contact_text(klass.class_teacher) if klass.class_teacher else "",
        coach=coach_text(klass, labels),
        notes=klass.notes or "",
        week_map=maps.week[klass.id],
        week_map_alt=f"{klass.name(lang)}: {labels('route_of_week')}",
        facts=_class_facts(doc, labels, klass.id, figures),
        hours=[
            (f"{h:02d}:00", (h * 60 - first) / (last - first) * GRID.height_mm)
            for h in range(math.ceil(first / 60), last // 60 + 1)
        ],
        columns=[_week_column(doc, labels, klass.id, date, first=first, last=last, marks=marks) for date in doc.dates],
        marks=marks.legend(),
        column_style=[
            GRID.column_style(i, len(doc.dates), GRID.height_mm * 60 / (last - first)) for i in range(len(doc.dates))
        ],
        days=[_day_page(doc, labels, klass, date, maps=maps) for date in doc.dates],
    )


def _class_facts(doc: Document, labels: Labels, class_id: str, figures: dict[str, Any]) -> list[tuple[str, str]]:
    if not figures:
        return []
    req = doc.requirements.get(class_id, {})
    share = f"{figures['field_share']:.1%}"
    if req.get("min_field_share"):
        share += (
            f"（{labels('required')} ≥ {req['min_field_share']:.0%}）"
            if labels.lang == "zh"
            else (f" ({labels('required')} ≥ {req['min_field_share']:.0%})")
        )
    return [
        (labels("field_share"), share),
        (labels("seminar_hours"), f"{figures['seminar_class_hours']:g}"),
        (labels("report_hours"), f"{figures['report_writing_class_hours']:g}"),
        (labels("coach_hours"), f"{figures['coach_hours']:.1f}"),
        (labels("coach_km"), f"{figures['coach_km']:.0f}"),
        (labels("sites_visited"), str(len(figures["sites_visited"]))),
        (labels("lectures"), str(figures["lectures"])),
    ]


def _grid_hours(doc: Document, class_id: str) -> tuple[int, int]:
    """The grid's first and last minute: whole hours around all of the class's events."""
    events = doc.events_of(class_id)
    if not events:
        return 8 * 60, 18 * 60
    first = min(e.start for e in events) // 60 * 60
    last = math.ceil(max(e.end for e in events) / 60) * 60
    return first, max(last, first + 60)


def _week_column(
    doc: Document, labels: Labels, class_id: str, date: dt.date, *, first: int, last: int, marks: _Marks
) -> WeekColumn:
    scale = GRID.height_mm / (last - first)
    items = _grid_items(doc, labels, doc.events_of(class_id, date))
    width = GRID.text_em(len(doc.dates))
    lines = _lay_out_day(items, [max(item.minutes * scale, 0.6) for item in items], width, marks)
    blocks = [
        Block(
            kind=item.kind,
            top=round((item.start - first) * scale, 2),
            height=round(max(item.minutes * scale, 0.6), 2),
            lines=shown,
            time=item.time,
            title=item.lead + item.name if item.name else item.title,
            sub=item.sub,
        )
        for item, shown in zip(items, lines, strict=True)
    ]
    night = doc.night_of(class_id, date)
    end_place = night or doc.training_class(class_id).end_place
    hotel = doc.hotel_of(class_id, date)
    return WeekColumn(
        heading=labels("day_n", n=doc.day_number(date)),
        date=labels.short_date(date),
        blocks=blocks,
        night=doc.hotel_name(hotel, labels.lang) if hotel else doc.places[end_place].name(labels.lang),
        ends=night is None,
    )


@dataclass(frozen=True)
class Gap:
    """A stretch between two events of a day that the plan leaves unnamed: a ``wait`` after the
    coach arrives, else a ``break``; ``place`` is where the class is."""

    kind: str
    start: int
    end: int
    place: str

    @property
    def minutes(self) -> int:
        return self.end - self.start


def day_gaps(events: list[Event]) -> list[Gap]:
    """The gaps of a day's events (in time order) of ``WAIT_SHOWN_FROM`` minutes or more; none
    after the presentations or closing that end the programme (the class has gone home). A gap
    between a coach's arrival and a field visit is a wait (at the gate); any other, at a hotel
    before dinner say, is a break."""
    ended = max((e.end for e in events if e.kind in FINAL_KINDS), default=None)
    gaps, before = [], None
    for e in events:
        over = ended is not None and before is not None and before.end >= ended
        if before is not None and e.start - before.end >= WAIT_SHOWN_FROM and not over:
            travel = before.kind == "travel"
            where = (before.to_place if travel else None) or before.place
            gaps.append(Gap("wait" if travel and e.kind == "field_visit" else "break", before.end, e.start, where))
        if before is None or e.end >= before.end:
            before = e
    return gaps


@dataclass(frozen=True)
class _Item:
    """A block's texts before layout: ``lead + name`` is its title when it names a place or
    site (which must print whole, else as a numbered mark), else ``title``."""

    kind: str
    start: int
    end: int
    title: str
    lead: str = ""
    name: str = ""
    sub: str = ""
    short: str = ""  # a title without the name, where the next block shows it: used before a mark
    note: str = ""  # the one line a neighbour carries when the block has no room for text

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def time(self) -> str:
        return f"{_clock(self.start)}–{_clock(self.end)}"


def _grid_items(doc: Document, labels: Labels, events: list[Event]) -> list[_Item]:
    """The day's events and its gaps, in time order, with the texts a block may show."""
    lang = labels.lang
    items = []
    for i, e in enumerate(events):
        if e.kind == "field_visit" and e.site:
            items.append(
                _Item(e.kind, e.start, e.end, labels.kind(e), name=doc.site_name(e.site, lang), sub=labels.kind(e))
            )
        elif e.kind == "lecture" and e.topic:
            topic = doc.topics.get(e.topic)
            items.append(_Item(e.kind, e.start, e.end, labels.kind(e), sub=topic.name(lang) if topic else e.topic))
        elif e.kind == "travel" and e.to_place:
            minutes = labels.minutes(e.minutes)
            then = next((x for x in events[i + 1 :] if x.kind != "meal"), None)
            into_visit = then is not None and then.kind == "field_visit" and then.place == e.to_place
            items.append(
                _Item(
                    e.kind,
                    e.start,
                    e.end,
                    labels.kind(e),
                    lead="→ ",
                    name=doc.places[e.to_place].name(lang),
                    sub=minutes,
                    short=f"{labels.kind(e)} {minutes}" if into_visit else "",
                    note=f"{labels.kind(e)} {minutes}",
                )
            )
        else:
            items.append(_Item(e.kind, e.start, e.end, labels.kind(e)))
    for gap in day_gaps(events):
        text = labels(f"gap_{gap.kind}_n", n=gap.minutes)
        items.append(_Item(gap.kind, gap.start, gap.end, text, note=text))
    return sorted(items, key=lambda item: (item.start, item.end))


class _Marks:
    """Numbered marks (①, ②...) for the names the week grid has no room to print whole, listed
    under the grid; one numbering per class, in the order the marks are first used."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def peek(self, name: str) -> str:
        return _mark(self._numbers.get(name, len(self._numbers) + 1))

    def use(self, name: str) -> str:
        self._numbers.setdefault(name, len(self._numbers) + 1)
        return _mark(self._numbers[name])

    def legend(self) -> list[tuple[str, str]]:
        return [(_mark(n), name) for name, n in self._numbers.items()]


def _mark(n: int) -> str:
    """①–⑳, ㉑–㊿ (one em wide, in the CJK font), then (51)."""
    if n <= 20:
        return chr(0x2460 + n - 1)
    if n <= 35:
        return chr(0x3251 + n - 21)
    if n <= 50:
        return chr(0x32B1 + n - 36)
    return f"({n})"


def _lay_out_day(items: list[_Item], heights: list[float], width: float, marks: _Marks) -> list[list[BlockLine]]:
    """Each block's printed lines, chosen to fit its height (``heights``, mm) and the grid's
    text width (``width``, em).

    A block prints, as room allows: its title whole, a subtitle, its times (always from
    ``TIME_ALWAYS_FROM`` minutes); where the title's name does not fit, a numbered mark stands
    for it and the name is listed under the grid. A block with no room for a line (a short
    coach leg, a short wait) hands its label to the block right after it, else to the one
    right before, as a note.
    """
    capacity = [GRID.lines_in(h) for h in heights]
    fits = [_choose(item, c, width, marks, use=False) is not None for item, c in zip(items, capacity, strict=True)]
    note_lines = [label_lines(item.note, width) for item in items]
    notes_before: dict[int, list[int]] = {}
    notes_after: dict[int, list[int]] = {}
    for i, item in enumerate(items):
        if fits[i] or not item.note:
            continue
        after = next((j for j in range(i + 1, len(items)) if fits[j]), None)
        before = next((j for j in range(i - 1, -1, -1) if fits[j]), None)
        # a neighbour that still prints its own name whole, else one that falls back to its mark
        for marked in (False, True):
            receiver = None
            for j, notes in ((after, notes_before), (before, notes_after)):
                if j is None or min(abs(items[j].start - item.end), abs(item.start - items[j].end)) > NOTE_REACH:
                    continue
                taken = sum(note_lines[k] for k in [*notes_before.get(j, []), *notes_after.get(j, []), i])
                if _choose(items[j], capacity[j] - taken, width, marks, use=False, marked=marked) is not None:
                    receiver = notes.setdefault(j, [])
                    break
            if receiver is not None:
                receiver.append(i)
                break
    laid_out = []
    for j, item in enumerate(items):
        if not fits[j]:
            laid_out.append([])
            continue
        before, after = notes_before.get(j, []), notes_after.get(j, [])
        own = _choose(item, capacity[j] - sum(note_lines[k] for k in before + after), width, marks, use=True) or []
        laid_out.append(
            [
                *(BlockLine("note", items[i].note) for i in before),
                *own,
                *(BlockLine("note", items[i].note) for i in after),
            ]
        )
    return laid_out


def _choose(
    item: _Item, capacity: int, width: float, marks: _Marks, *, use: bool, marked: bool = True
) -> list[BlockLine] | None:
    """The fullest label of ``item`` that fits ``capacity`` lines, or None: the title whole
    before anything else, then its times, then its subtitle (on a line of its own or after the
    title); the times never left out of a block of ``TIME_ALWAYS_FROM`` minutes or more. A name
    that does not fit is shown as its mark (numbered in ``marks`` when ``use``), unless not
    ``marked``."""
    timed = item.minutes >= TIME_ALWAYS_FROM
    titles: list[tuple[str, str]] = [(item.lead + item.name if item.name else item.title, item.sub)]
    if item.name and item.short:  # the short title says what the subtitle says
        titles.append((item.short, ""))
    elif item.name and marked:
        titles.append(("", item.sub))  # the mark, numbered only when used
    for title, sub in titles:
        shown = title or item.lead + marks.peek(item.name)
        options = [
            [BlockLine("title", shown), BlockLine("sub", sub), BlockLine("time", item.time)],
            [BlockLine("title", shown, after=sub), BlockLine("time", item.time)],
            [BlockLine("title", shown), BlockLine("time", item.time)],
        ]
        if not timed:
            options += [
                [BlockLine("title", shown), BlockLine("sub", sub)],
                [BlockLine("title", shown, after=sub)],
                [BlockLine("title", shown)],
            ]
        for option in options:
            lines = [line for line in option if line.text]
            if sum(_line_count(line, width) for line in lines) <= capacity:
                if not title and use:
                    marked = item.lead + marks.use(item.name)
                    lines = [replace(line, text=marked) if line.role == "title" else line for line in lines]
                return lines
    return None


def _line_count(line: BlockLine, width: float) -> int:
    if line.after:
        return label_lines(f"{line.text} {line.after}", width, bold=True)
    return label_lines(line.text, width, bold=line.role == "title")


# Break rules enough for the grid's labels: a line may break at a space, around a Chinese
# character, after a dash or slash; closing punctuation never starts a line, opening never ends one.
_CLOSING = set("，。、；：！？）》」』】”’,.;:!?)")
_OPENING = set("（《「『【“‘(")


def _is_wide(ch: str) -> bool:
    code = ord(ch)
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF


def _em(ch: str) -> float:
    """A character's advance in em, at least that of Noto Sans CJK SC Bold (the grid's font)."""
    if ord(ch) > 0x7E:
        return 0.56 if ch in "–‐-" else 1.0
    if ch == " ":
        return 0.23
    if ch.isdigit():
        return 0.59
    if ch in "il.,:;'!|":
        return 0.33
    if ch in "()[]{}/-":
        return 0.4
    if ch in "mwMW@%":
        return 0.97
    return 0.72 if ch.isupper() else 0.62


def _units(text: str) -> list[tuple[str, bool]]:
    """``text`` cut where a line may break: (piece, is a space)."""
    units: list[tuple[str, bool]] = []
    current = ""
    for ch in text:
        if ch == " ":
            if current:
                units.append((current, False))
            units.append((ch, True))
            current = ""
        elif ch in _CLOSING:
            current += ch
        elif _is_wide(ch):
            if current and current[-1] not in _OPENING:
                units.append((current, False))
                current = ""
            current += ch
        else:
            if current and _is_wide(current[-1]) and current[-1] not in _OPENING:
                units.append((current, False))
                current = ""
            current += ch
            if ch in "-–/":
                units.append((current, False))
                current = ""
    if current:
        units.append((current, False))
    return units


SAFETY = 1.04
"""Widths are estimated this much wider than measured, for the kerning and rounding of the real layout."""


def label_lines(text: str, width: float, *, bold: bool = False) -> int:
    """How many lines ``text`` takes in a box ``width`` em wide (greedy, as browsers break)."""
    if not text:
        return 0
    if width <= 0:
        return 10**6
    lines, used, space = 1, 0.0, 0.0
    for piece, is_space in _units(text):
        size = sum(_em(ch) for ch in piece) * SAFETY * (1.0 if bold else 0.98)
        if is_space:
            space += size
            continue
        if used and used + space + size <= width:
            used += space + size
        else:
            lines += 1 if used else 0
            spans = max(1, math.ceil(size / width - 1e-9))
            lines += spans - 1
            used = size - (spans - 1) * width
        space = 0.0
    return lines


def _day_page(doc: Document, labels: Labels, klass: TrainingClass, date: dt.date, *, maps: MapFiles) -> DayPage:
    lang = labels.lang
    number = doc.day_number(date)
    events = doc.events_of(klass.id, date)
    night = doc.night_of(klass.id, date)
    end_place = night or klass.end_place
    legs = [e for e in events if e.kind == "travel"]
    hotel = doc.hotel_of(klass.id, date)
    driving = sum(e.driving_minutes or 0 for e in legs)
    km = sum(e.km or 0.0 for e in legs)
    return DayPage(
        anchor=f"class-{file_name(klass.id)}-day{number}",
        klass=Name.of(klass, lang),
        class_id=klass.id,
        day_number=number,
        heading=labels("day_n", n=number),
        date=labels.date(date),
        morning=Name.of(doc.places[doc.start_place_on(klass.id, date)], lang),
        night=Name.of(doc.hotel_named(hotel) if hotel else doc.places[end_place], lang),
        night_label=labels("night_at") if night else labels("ends_at"),
        night_address=(doc.hotel_address(hotel) if hotel else doc.places[end_place].address) or "",
        rows=_rows(doc, labels, events),
        map=maps.day[(klass.id, date)],
        map_alt=f"{klass.name(lang)}: {labels('day_n', n=number)} {labels('route_of_day')}",
        coach_summary=labels("day_totals", minutes=driving, km=f"{km:.0f}") if legs else labels("no_travel"),
        dense=_looks_dense(events),
    )


def _rows(doc: Document, labels: Labels, events: list[Event]) -> list[Row]:
    """The day's timeline: its events, and its gaps as waits and breaks (``day_gaps``)."""
    rows, legs = [], 0
    gaps = day_gaps(events)
    for e in events:
        while gaps and gaps[0].start < e.start:
            rows.append(_gap_row(doc, labels, gaps.pop(0)))
        if e.kind == "travel" and e.from_place and e.to_place:
            legs += 1
        rows.append(_row(doc, labels, e, legs if e.kind == "travel" else None))
    return rows


def _gap_row(doc: Document, labels: Labels, gap: Gap) -> Row:
    return Row(
        kind=gap.kind,
        time=f"{_clock(gap.start)}–{_clock(gap.end)}",
        activity=labels(f"gap_{gap.kind}"),
        details=[Name(labels.minutes(gap.minutes))],
        place=Name.of(doc.places[gap.place], labels.lang),
        who=None,
    )


def _looks_dense(events: list[Event]) -> bool:
    """A first guess at a day too full for the normal sizes (the PDF's layout has the last word)."""
    return len(events) + sum(e.kind == "travel" for e in events) / 2 > 13


def _row(doc: Document, labels: Labels, e: Event, leg: int | None) -> Row:
    lang = labels.lang
    time = f"{_clock(e.start)}–{_clock(e.end)}"
    place = Name.of(doc.places[e.place], lang)
    details: list[Name] = []
    who: Name | None = None
    coach: list[str] = []
    if e.kind == "travel" and e.from_place and e.to_place:
        details = [Name.of(doc.places[e.from_place], lang), Name.of(doc.places[e.to_place], lang)]
        place = None
        coach = [
            f"{labels('departs')} {_clock(e.start)} · {labels('arrives')} {_clock(e.end)}",
            f"{labels.minutes(e.minutes)} · {labels.km(e.km or 0.0)}",
        ]
        if e.rest_minutes:
            coach.append(labels("rest_n", n=e.rest_minutes))
    elif e.kind == "field_visit" and e.site:
        place = Name.of(doc.site_named(e.site), lang)
        details = [Name(labels.site_kind(doc.sites[e.site].kind))]
        address = doc.site_address(e.site)
        if address:
            details.append(Name(address))
    elif e.kind == "lecture" and e.topic:
        topic = doc.topics.get(e.topic)
        details = [Name.of(topic, lang) if topic else Name(e.topic)]
    if e.lecturer:
        who = Name.of(doc.lecturer(e.lecturer), lang)
    elif e.professor:
        professor = doc.professor_named(e.professor)
        who = Name.of(professor, lang) if professor else Name(e.professor)
    return Row(
        kind=e.kind, time=time, activity=labels.kind(e), details=details, place=place, who=who, coach=coach, leg=leg
    )


# ---------------------------------------------------------------------------
# Lecturers and sites


def _lecturer_page(doc: Document, labels: Labels, lecturer_id: str) -> LecturerPage:
    lang = labels.lang
    lecturer = doc.lecturer(lecturer_id)
    rows = []
    for e in doc.lectures_of(lecturer_id):
        klass = doc.training_class(e.class_id)
        topic = doc.topics.get(e.topic or "")
        rows.append(
            {
                "date": labels.short_date(e.date),
                "day": labels("day_n", n=doc.day_number(e.date)),
                "time": f"{_clock(e.start)}–{_clock(e.end)}",
                "klass": Name.of(klass, lang),
                "trainees": labels("trainees_n", n=klass.trainees),
                "topic": Name.of(topic, lang) if topic else Name(e.topic or ""),
                "place": Name.of(doc.places[e.place], lang),
                "address": doc.places[e.place].address or "",
                "trip": _trip_text(doc, labels, e),
            }
        )
    return LecturerPage(
        anchor=f"lecturer-{file_name(lecturer.id)}",
        name=Name.of(lecturer, lang),
        affiliation=lecturer.affiliation,
        contacts=[
            *(
                f"{labels(key)}: {value}"
                for key, value in (("phone", lecturer.phone), ("email", lecturer.email))
                if value
            ),
            *([f"{labels('arranged_by')}: {contact_text(lecturer.contact)}"] if lecturer.contact else []),
        ],
        home=Name.of(doc.places[lecturer.home], lang),
        topics=[Name.of(doc.topics[t], lang) if t in doc.topics else Name(t) for t in lecturer.topics],
        rows=rows,
    )


def _trip_text(doc: Document, labels: Labels, e: Event) -> str:
    trip = doc.trip_to(e)
    lang = labels.lang
    if trip is None:
        return labels("trip_unknown", place=doc.places[doc.lecturer(e.lecturer or "").home].name(lang))
    minutes = trip.driving_minutes + trip.rest_minutes
    if trip.from_place == trip.to_place or minutes == 0:
        return labels("trip_none", place=doc.places[trip.to_place].name(lang))
    key = "trip_home" if trip.from_home else "trip_between"
    return labels(
        key, place=doc.places[trip.from_place].name(lang), minutes=minutes, km=f"{trip.km:.0f}", time=trip.leave_by
    )


def _site_page(doc: Document, labels: Labels, site_id: str) -> SitePage:
    lang = labels.lang
    site = doc.sites[site_id]
    place = doc.places[site.place]
    rows = []
    visits = doc.visits_to(site_id)
    for e in visits:
        klass = doc.training_class(e.class_id)
        day = doc.events_of(e.class_id, e.date)
        before = [x for x in day if x.kind == "travel" and x.end <= e.start]
        after = [x for x in day if x.kind == "travel" and x.start >= e.end]
        lunch = doc.lunch_at_visit(e)
        rows.append(
            {
                "date": labels.short_date(e.date),
                "day": labels("day_n", n=doc.day_number(e.date)),
                "time": f"{_clock(e.start)}–{_clock(e.end)}",
                "klass": Name.of(klass, lang),
                "trainees": labels("trainees_n", n=klass.trainees),
                "professor": Name.of(klass.professor, lang),
                "from": Name.of(doc.places[before[-1].from_place or ""], lang) if before else None,
                "arrive": _clock(before[-1].end) if before else None,
                "to": Name.of(doc.places[after[0].to_place or ""], lang) if after else None,
                "lunch": labels("lunch_here", time=f"{_clock(lunch.start)}–{_clock(lunch.end)}") if lunch else "",
                "together": together_text(doc, labels, e),
            }
        )
    return SitePage(
        anchor=f"site-{file_name(site.id)}",
        name=Name.of(doc.site_named(site_id), lang),
        address=doc.site_address(site_id) or "",
        contacts=[contact_text(c) for c in site.contacts],
        hours=f"{site.hours[0]}–{site.hours[1]}" if site.hours else "",
        note=site.note or "",
        kind=labels.site_kind(site.kind),
        red_education=labels("yes") if site.red_education else labels("no"),
        visit_minutes=labels.minutes(site.visit_minutes),
        themes=[Name.of(doc.themes[t], lang) for t in site.themes if t in doc.themes],
        location=_location(place.lat, place.lon, place.city),
        rows=rows,
    )


def _lodging_sheets(doc: Document, labels: Labels, rows_per_sheet: int = 14) -> list[dict[str, Any]]:
    """The lodging list, a few nights a sheet: nights whole, at most ``rows_per_sheet`` hotel
    rows a sheet unless one night alone has more."""
    sheets: list[dict[str, Any]] = []
    current: list = []
    for night in lodging_nights(doc, labels):
        if current and sum(len(n.rows) for n in current) + len(night.rows) > rows_per_sheet:
            sheets.append({"anchor": f"lodging-{len(sheets) + 1}", "nights": current})
            current = []
        current.append(night)
    if current:
        sheets.append({"anchor": f"lodging-{len(sheets) + 1}", "nights": current})
    return sheets


def _lodging_note(doc: Document, labels: Labels) -> str:
    per_room = {hotel.people_per_room for hotel in doc.hotels.values()}
    if len(per_room) == 1:
        return labels("lodging_note", n=per_room.pop())
    return labels("lodging_note_mixed")


def _location(lat: float, lon: float, city: str | None) -> str:
    text = f"{abs(lat):.4f}°{'N' if lat >= 0 else 'S'}, {abs(lon):.4f}°{'E' if lon >= 0 else 'W'}"
    return f"{city} · {text}" if city else text


# ---------------------------------------------------------------------------
# Figures


def _figures(doc: Document, labels: Labels) -> dict[str, Any]:
    """A table: one column per class, one row per figure, with the minimum where one is set."""
    lang = labels.lang
    heads = [Name.of(c, lang) for c in doc.classes]
    specs = [
        ("field_share", lambda k: f"{k['field_share']:.1%}", "min_field_share", lambda m: f"{m:.0%}"),
        ("teaching_hours", lambda k: f"{k['teaching_minutes'] / 60:.1f}", None, None),
        ("field_hours", lambda k: f"{k['field_minutes'] / 60:.1f}", None, None),
        ("seminar_hours", lambda k: f"{k['seminar_class_hours']:g}", "min_seminar_class_hours", lambda m: f"{m:g}"),
        (
            "report_hours",
            lambda k: f"{k['report_writing_class_hours']:g}",
            "min_report_writing_class_hours",
            lambda m: f"{m:g}",
        ),
        ("coach_hours", lambda k: f"{k['coach_hours']:.1f}", None, None),
        ("coach_km", lambda k: f"{k['coach_km']:.0f}", None, None),
        ("sites_visited", lambda k: str(len(k["sites_visited"])), None, None),
        ("red_visits", lambda k: str(k["red_education_visits"]), "min_red_education_visits", lambda m: f"{m:g}"),
        ("lectures", lambda k: str(k["lectures"]), None, None),
        ("late_evenings", lambda k: str(k["late_evenings"]), None, None),
    ]
    rows = []
    for key, show, minimum_key, show_minimum in specs:
        cells = []
        for c in doc.classes:
            figures = doc.kpis.get(c.id)
            value = show(figures) if figures else "–"
            minimum = doc.requirements.get(c.id, {}).get(minimum_key) if minimum_key else None
            note = labels("at_least", n=show_minimum(minimum)) if minimum and show_minimum else ""
            cells.append({"value": value, "note": note})
        rows.append({"label": labels(key), "cells": cells})
    return {"heads": heads, "rows": rows}


def _status(doc: Document, labels: Labels) -> str:
    status = doc.solver.get("status")
    if status == "optimal":
        return f"{labels('plan_status')}: {labels('status_optimal')}"
    if status == "feasible":
        return f"{labels('plan_status')}: {labels('status_feasible')}"
    return ""


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
