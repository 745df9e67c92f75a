"""The spreadsheet: the programme overview first (days as rows, classes as columns, as training
offices lay it out), a sheet per class (one row per event), one for lecturers, one for sites, the
lodging list (one row per hotel and night), and the figures, each set up to print on A4 with its
header row repeated on every page.

Dates and clock times are real date and time cells, minutes and km are numbers, so the office
can sort, filter and add up. Text from the plan is always stored as text: a name that starts
with ``=`` is never taken for a formula.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.atomic import atomic_path
from scheduler.plan.model import Event
from scheduler.render.document import Document
from scheduler.render.files import clean_text
from scheduler.render.labels import Labels
from scheduler.render.logistics import contact_text, lodging_nights, overview_cell

HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
HEADER_FONT = Font(bold=True)
HEADER_BORDER = Border(bottom=Side(style="medium", color="1B2631"))
DATE_FORMAT, TIME_FORMAT = "yyyy-mm-dd", "hh:mm"
MAX_WIDTH = 48
OVERVIEW_WIDTH = 36
"""Width of a class's column on the overview sheet, in characters: its lines wrap within it."""
HEADER_MAX = 200
"""The most characters of the programme's name in the page header (Excel allows 255 in all)."""
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _clock_cell(minutes: int) -> dt.time | str:
    """A time cell; ``24:00`` (midnight at the end of the day) has no time value, so it stays text."""
    return dt.time(minutes // 60, minutes % 60) if minutes < 24 * 60 else "24:00"


def _minutes(clock: str) -> int:
    """``"HH:MM"`` as minutes after midnight."""
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def class_rows(doc: Document, labels: Labels, class_id: str) -> list[list[Any]]:
    """One row per event of the class, in time order."""
    lang = labels.lang
    rows = []
    for e in doc.events_of(class_id):
        night = doc.night_of(class_id, e.date)
        hotel = doc.hotel_of(class_id, e.date)
        place = doc.site_named(e.site) if e.site else doc.places[e.place]
        rows.append(
            [
                e.date,
                labels.weekday(e.date),
                doc.day_number(e.date),
                _clock_cell(e.start),
                _clock_cell(e.end),
                e.minutes,
                labels.kind(e),
                _details(doc, labels, e),
                place.name(lang),
                _who(doc, labels, e),
                doc.places[e.from_place].name(lang) if e.from_place else None,
                doc.places[e.to_place].name(lang) if e.to_place else None,
                e.km,
                (doc.hotel_name(hotel, lang) if hotel else doc.places[night].name(lang)) if night else None,
            ]
        )
    return rows


CLASS_HEADERS = (
    "date",
    "weekday",
    "day",
    "start",
    "end",
    "minutes",
    "activity",
    "details",
    "place",
    "who",
    "from",
    "to",
    "km",
    "night_at",
)


def _details(doc: Document, labels: Labels, e: Event) -> str | None:
    if e.kind == "lecture" and e.topic:
        topic = doc.topics.get(e.topic)
        return topic.name(labels.lang) if topic else e.topic
    if e.kind == "field_visit" and e.site:
        return labels.site_kind(doc.sites[e.site].kind)
    if e.kind == "travel" and e.rest_minutes:
        return labels("rest_n", n=e.rest_minutes)
    return None


def _who(doc: Document, labels: Labels, e: Event) -> str | None:
    if e.lecturer:
        return doc.lecturer(e.lecturer).name(labels.lang)
    if e.professor:
        professor = doc.professor_named(e.professor)
        return professor.name(labels.lang) if professor else e.professor
    return None


def lecturer_rows(doc: Document, labels: Labels) -> list[list[Any]]:
    """One row per lecture, lecturer by lecturer."""
    lang = labels.lang
    rows = []
    for lecturer in doc.teaching_lecturers():
        for e in doc.lectures_of(lecturer.id):
            trip = doc.trip_to(e)
            topic = doc.topics.get(e.topic or "")
            rows.append(
                [
                    lecturer.name(lang),
                    lecturer.affiliation,
                    "\n".join(value for value in (lecturer.phone, lecturer.email) if value) or None,
                    e.date,
                    labels.weekday(e.date),
                    _clock_cell(e.start),
                    _clock_cell(e.end),
                    doc.training_class(e.class_id).name(lang),
                    topic.name(lang) if topic else e.topic,
                    doc.places[e.place].name(lang),
                    doc.places[trip.from_place].name(lang) if trip else doc.places[lecturer.home].name(lang),
                    _clock_cell(_minutes(trip.leave_by)) if trip else None,
                    trip.driving_minutes + trip.rest_minutes if trip else None,
                    trip.km if trip else None,
                ]
            )
    return rows


LECTURER_HEADERS = (
    "lecturer",
    "affiliation",
    "contacts",
    "date",
    "weekday",
    "start",
    "end",
    "class",
    "topic",
    "place",
    "from",
    "leave_by",
    "minutes",
    "km",
)


def site_rows(doc: Document, labels: Labels) -> list[list[Any]]:
    """One row per visit, site by site (in the order of first visit)."""
    lang = labels.lang
    rows = []
    for site in doc.visited_sites():
        for e in doc.visits_to(site.id):
            klass = doc.training_class(e.class_id)
            rows.append(
                [
                    doc.site_name(site.id, lang),
                    doc.site_address(site.id),
                    "\n".join(contact_text(c) for c in site.contacts) or None,
                    labels.site_kind(site.kind),
                    e.date,
                    labels.weekday(e.date),
                    _clock_cell(e.start),
                    _clock_cell(e.end),
                    klass.name(lang),
                    klass.trainees,
                    klass.professor.name(lang),
                ]
            )
    return rows


SITE_HEADERS = (
    "site",
    "address",
    "contacts",
    "kind",
    "date",
    "weekday",
    "start",
    "end",
    "class",
    "trainees",
    "professor",
)


def overview_rows(doc: Document, labels: Labels) -> list[list[Any]]:
    """One row per day, one column per class: where it goes, what it does, where it sleeps
    (lines within the cell)."""
    rows = []
    for date in doc.dates:
        row: list[Any] = [doc.day_number(date), date, labels.weekday(date)]
        for klass in doc.classes:
            cell = overview_cell(doc, labels, klass, date)
            lines = [cell.route]
            lines += [f"{line.time} {line.text}" + (f" ({line.detail})" if line.detail else "") for line in cell.lines]
            night = labels("ends_at") if cell.ends else labels("night_short")
            lines.append(f"{night}: {cell.night}")
            row.append("\n".join(lines))
        rows.append(row)
    return rows


def lodging_rows(doc: Document, labels: Labels) -> list[list[Any]]:
    """One row per hotel and night: the booking list."""
    rows = []
    for night in lodging_nights(doc, labels):
        date = night.on
        for r in night.rows:
            rows.append(
                [
                    date,
                    labels.weekday(date),
                    doc.day_number(date),
                    r.hotel,
                    r.place,
                    r.address or None,
                    "\n".join(r.classes),
                    r.trainees,
                    r.headcount,
                    r.rooms,
                    r.rooms_held,
                    "\n".join(r.contacts) or None,
                    r.note or None,
                ]
            )
    return rows


LODGING_HEADERS = (
    "date",
    "weekday",
    "day",
    "hotel",
    "place",
    "address",
    "class",
    "trainees",
    "headcount",
    "rooms",
    "rooms_held",
    "contacts",
    "site_note",
)


def figure_rows(doc: Document, labels: Labels) -> list[list[Any]]:
    """One row per class: its figures, and the minimum field share."""
    rows = []
    for klass in doc.classes:
        k = doc.kpis.get(klass.id)
        if not k:
            continue
        req = doc.requirements.get(klass.id, {})
        rows.append(
            [
                klass.name(labels.lang),
                k["field_share"],
                req.get("min_field_share"),
                round(k["teaching_minutes"] / 60, 2),
                round(k["field_minutes"] / 60, 2),
                k["seminar_class_hours"],
                k["report_writing_class_hours"],
                k["coach_hours"],
                k["coach_km"],
                len(k["sites_visited"]),
                k["red_education_visits"],
                k["lectures"],
                k["late_evenings"],
            ]
        )
    return rows


FIGURE_HEADERS = (
    "class",
    "field_share",
    "required",
    "teaching_hours",
    "field_hours",
    "seminar_hours",
    "report_hours",
    "coach_hours",
    "coach_km",
    "sites_visited",
    "red_visits",
    "lectures",
    "late_evenings",
)
PERCENT_COLUMNS = {2, 3}  # 1-based columns of the figures sheet shown as percentages


def build_workbook(doc: Document, labels: Labels) -> Workbook:
    """The whole workbook, sheets in order: overview, classes, lecturers, sites, lodging, figures."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    names: set[str] = set()
    title = doc.programme.name(labels.lang)
    sheet = workbook.create_sheet(_sheet_name(labels("section_overview"), "overview", names))
    headers = [labels("day"), labels("date"), labels("weekday"), *(k.name(labels.lang) for k in doc.classes)]
    _fill(sheet, headers, overview_rows(doc, labels), title, landscape=True)
    for column in range(4, 4 + len(doc.classes)):
        sheet.column_dimensions[get_column_letter(column)].width = OVERVIEW_WIDTH
    sheet.freeze_panes = "D2"
    for klass in doc.classes:
        sheet = workbook.create_sheet(_sheet_name(klass.name(labels.lang), klass.id, names))
        _fill(sheet, [labels(h) for h in CLASS_HEADERS], class_rows(doc, labels, klass.id), title, landscape=True)
    sheet = workbook.create_sheet(_sheet_name(labels("sheet_lecturers"), "lecturers", names))
    _fill(sheet, [labels(h) for h in LECTURER_HEADERS], lecturer_rows(doc, labels), title, landscape=True)
    sheet = workbook.create_sheet(_sheet_name(labels("sheet_sites"), "sites", names))
    _fill(sheet, [labels(h) for h in SITE_HEADERS], site_rows(doc, labels), title, landscape=False)
    sheet = workbook.create_sheet(_sheet_name(labels("section_lodging"), "lodging", names))
    _fill(sheet, [labels(h) for h in LODGING_HEADERS], lodging_rows(doc, labels), title, landscape=True)
    sheet = workbook.create_sheet(_sheet_name(labels("sheet_figures"), "figures", names))
    _fill(sheet, [labels(h) for h in FIGURE_HEADERS], figure_rows(doc, labels), title, landscape=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.column in PERCENT_COLUMNS:
                cell.number_format = "0.0%"
    workbook.properties.title = _one_line(title)
    workbook.properties.creator = "training-itinerary"
    if doc.unchecked:
        mark = labels("unchecked")
        workbook.properties.subject = mark
        for sheet in workbook.worksheets:  # on every printed page, and a red tab on screen
            sheet.oddHeader.center.text = _header_text(mark)
            sheet.oddHeader.center.color = "C00000"
            sheet.sheet_properties.tabColor = "C00000"
    return workbook


def table_workbook(title: str, sheets: Sequence[tuple[str, Sequence[str], list[list[Any]]]]) -> Workbook:
    """A workbook of plain tables (name, headers, rows), set up as the plan's sheets are: text
    stays text, A4 landscape, header row repeated. For reports other than the plan (a sweep's risk
    table)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    names: set[str] = set()
    for name, headers, rows in sheets:
        sheet = workbook.create_sheet(_sheet_name(name, "sheet", names))
        _fill(sheet, headers, rows, title, landscape=True)
    workbook.properties.title = _one_line(title)
    workbook.properties.creator = "training-itinerary"
    return workbook


def _sheet_name(wanted: str, fallback: str, taken: set[str]) -> str:
    """A legal, unique sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    wanted, fallback = _one_line(wanted), _one_line(fallback)
    name = SHEET_NAME_FORBIDDEN.sub(" ", wanted).strip().strip("'")[:31] or fallback[:31]
    if name.lower() in taken:
        name = SHEET_NAME_FORBIDDEN.sub(" ", fallback).strip().strip("'")[:31] or "sheet"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def _fill(sheet: Worksheet, headers: Sequence[str], rows: list[list[Any]], title: str, *, landscape: bool) -> None:
    sheet.append([_text(h) for h in headers])
    for cell in sheet[1]:
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, HEADER_BORDER
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for values in rows:
        sheet.append([_text(v) for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # Text stays text, even "=HYPERLINK(...)": the cell is stored as a string, never as a
                # formula, so the text shows as written and nothing is computed (no apostrophe added).
                cell.data_type = "s"
            elif isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, dt.time):
                cell.number_format = TIME_FORMAT
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(cell.value, str))
    _fit_columns(sheet)
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.oddHeader.left.text = _header_text(title)
    sheet.oddHeader.right.text = "&A"
    sheet.oddFooter.right.text = "&P / &N"


def _header_text(text: str) -> str:
    return _one_line(text)[:HEADER_MAX].replace("&", "&&")  # "&" starts a header code


def _text(value: Any) -> Any:
    """A cell's value; text without the control characters a worksheet cannot hold (openpyxl
    refuses them with ``IllegalCharacterError``)."""
    return ILLEGAL_CHARACTERS_RE.sub("", clean_text(value)) if isinstance(value, str) else value


def _one_line(text: str) -> str:
    return " ".join(_text(text).split())


def _fit_columns(sheet: Worksheet) -> None:
    for column in sheet.columns:
        widest = max((_display_width(cell.value) for cell in column), default=6)
        sheet.column_dimensions[get_column_letter(column[0].column)].width = min(MAX_WIDTH, max(6, widest + 2))


def _display_width(value: Any) -> int:
    """Columns a value needs: wide (CJK) characters count twice."""
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, dt.time):
        return 5
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return max(
        (sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in str(value).split("\n")),
        default=0,
    )


def write_workbook(doc: Document, labels: Labels, target: Path) -> None:
    """Write the workbook atomically."""
    workbook = build_workbook(doc, labels)
    with atomic_path(target) as temp:
        workbook.save(temp)
