"""Editing a scenario file in tables and forms, keeping the file as it was written.

The file is read with ruamel.yaml's round-trip loader, which keeps comments, key order, flow
or block style and quoting. A form sends every field of a section; only the fields whose text
differs from what the page showed are written into the document (a cleared field removes its
key; a filled-in blank row adds an entry; a ticked "remove" removes one). The changed text is
then checked by the same loader as the command line (``scheduler.scenario.loading``), and saved
atomically only when it loads. Each problem comes back with its YAML path, which the page puts
next to the field of that path.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from scheduler.atomic import write_text
from scheduler.scenario.documents import ScenarioLoader, path_of
from scheduler.scenario.loading import Problem, ScenarioError, read_source, validate_source

NEW = "+"
"""The index of the blank row at the end of a table, in a field's location."""
DELETE = "__delete__"
"""The last part of a row's "remove" tick box."""


@dataclass(frozen=True)
class Column:
    """One field of a form or one column of a table."""

    key: tuple[str, ...]
    """Where, below the row (or the section): ``("hours", "close")``."""
    label_en: str
    label_zh: str
    kind: str = "text"
    """text, int, number, time, date, list, mapping, bool or one of ``choices``."""
    choices: tuple[str, ...] = ()
    hint: str = ""
    default: str = ""
    """What the scenario takes when the field is left out, written with a field of the same
    mapping when the file leaves the whole mapping out (a site's ``hours``)."""

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en


def _c(key: str, en: str, zh: str, kind: str = "text", *choices: str, hint: str = "", default: str = "") -> Column:
    return Column(tuple(key.split(".")), en, zh, kind, choices, hint or default, default)


NAMES = (_c("id", "id", "编号"), _c("name_zh", "Chinese name", "中文名称"), _c("name_en", "English name", "英文名称"))
WEEKDAYS_HINT = "mon, tue, wed, thu, fri, sat, sun"
REQUIREMENTS = (
    _c("lectures", "Lectures (topic: number)", "讲座(专题: 次数)", "mapping", hint="party_spirit: 1, land: 2"),
    _c("lecture_class_hours", "Class hours per lecture", "每次讲座课时", "int"),
    _c("min_field_share", "Least field share", "现场教学最低占比", "number", hint="0.5 = 50%"),
    _c("min_seminar_class_hours", "Least seminar class hours", "研讨最少课时", "int"),
    _c("max_seminar_class_hours_per_evening", "Most seminar hours an evening", "每晚研讨最多课时", "int"),
    _c("min_report_writing_class_hours", "Least report-writing hours", "报告撰写最少课时", "int"),
    _c("must_visit", "Must visit (sites)", "必去现场", "list"),
    _c("never_visit", "Never visit (sites)", "不去现场", "list"),
    _c("min_red_education_visits", "Least red-education visits", "红色教育最少次数", "int"),
    _c("max_visits_per_day", "Most visits a day", "每天最多现场", "int"),
    _c("opening_minutes", "Opening (minutes)", "开班式(分钟)", "int"),
    _c("presentation_minutes", "Presentations (minutes)", "汇报(分钟)", "int"),
    _c("closing_minutes", "Closing (minutes)", "结业式(分钟)", "int"),
    _c("programme_every_day", "Programme every day", "每天有安排", "bool"),
)
AVAILABILITY = (
    _c("date", "Date", "日期", "date"),
    _c("from", "From", "起", "date"),
    _c("until", "Until", "止", "date"),
    _c("weekdays", "Weekdays", "星期", "list", hint=WEEKDAYS_HINT),
    _c("part", "Half-day", "半天", "choice", "", "am", "pm"),
    _c("start", "From (time)", "开始时间", "time"),
    _c("end", "Until (time)", "结束时间", "time"),
)


@dataclass(frozen=True)
class Section:
    """A part of the scenario edited on one page: a form (``table=False``) or a table of entries."""

    name: str
    title_en: str
    title_zh: str
    path: tuple[str, ...]
    columns: tuple[Column, ...]
    table: bool = True
    sub_tables: tuple[tuple[str, str, str, tuple[Column, ...]], ...] = ()
    """Lists inside each row, edited as small tables: (key, English title, Chinese title, columns)."""

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


SECTIONS = (
    Section(
        "programme",
        "Programme and daily frame",
        "项目与作息",
        ("programme",),
        (
            _c("name_zh", "Chinese name", "中文名称"),
            _c("name_en", "English name", "英文名称"),
            _c("organiser", "Organiser", "主办单位"),
            _c("first_date", "First day", "第一天", "date"),
            _c("days", "Days", "天数", "int"),
            _c("language", "Language of the outputs", "输出语言", "choice", "zh", "en"),
            _c("minutes_per_class_hour", "Minutes per class hour", "每课时分钟", "int"),
            _c("frame.earliest_departure", "Earliest departure", "最早出发", "time"),
            _c("frame.day_start", "Sessions start from", "课程最早开始", "time"),
            _c("frame.lunch.earliest", "Lunch, earliest", "午餐最早", "time"),
            _c("frame.lunch.latest", "Lunch, latest", "午餐最晚", "time"),
            _c("frame.lunch.minutes", "Lunch (minutes)", "午餐(分钟)", "int"),
            _c("frame.dinner.start", "Dinner from", "晚餐开始", "time"),
            _c("frame.dinner.end", "Dinner until", "晚餐结束", "time"),
            _c("frame.evening.start", "Evening from", "晚间开始", "time"),
            _c("frame.evening.end", "Evening until", "晚间结束", "time"),
            _c("frame.quiet_hours_from", "Quiet from", "休息时间", "time"),
            _c("frame.late_evening_after", "Late evening after", "晚归时间", "time"),
        ),
        table=False,
    ),
    Section(
        "places",
        "Places",
        "地点",
        ("places",),
        (
            *NAMES,
            _c("lat", "Latitude", "纬度", "number"),
            _c("lon", "Longitude", "经度", "number"),
            _c("city", "City", "城市"),
            _c("address", "Address", "地址"),
        ),
    ),
    Section("themes", "Themes", "主题", ("themes",), NAMES),
    Section("topics", "Lecture topics", "讲座专题", ("topics",), NAMES),
    Section(
        "sites",
        "Sites",
        "现场教学点",
        ("sites",),
        (
            *NAMES,
            _c("place", "Place", "地点"),
            _c(
                "kind",
                "Kind",
                "类型",
                "choice",
                "enterprise",
                "village",
                "community",
                "museum",
                "memorial",
                "school",
                "government",
                "park",
                "other",
            ),
            _c("themes", "Themes", "主题", "list"),
            _c("visit_minutes", "Visit (minutes)", "参观(分钟)", "int"),
            _c("capacity_classes", "Classes at once", "同时接待班数", "int"),
            _c("hours.open", "Opens", "开放", "time", default="08:30"),
            _c("hours.close", "Closes", "关闭", "time", default="17:30"),
            _c("open_weekdays", "Open weekdays", "开放日", "list", hint=WEEKDAYS_HINT),
            _c("closed_dates", "Closed on", "闭馆日期", "list", hint="2019-09-08"),
            _c("value", "Priority", "优先级", "int"),
        ),
    ),
    Section(
        "lodging",
        "Lodging",
        "住宿",
        ("lodging",),
        (
            _c("id", "id", "编号"),
            _c("place", "Place", "地点"),
            _c("name_zh", "Chinese name", "中文名称"),
            _c("name_en", "English name", "英文名称"),
            _c("classes_per_night", "Classes a night", "每晚班数", "int"),
            _c("rooms", "Rooms", "房间数", "int"),
            _c("people_per_room", "People per room", "每间人数", "int"),
        ),
    ),
    Section(
        "classes",
        "Classes",
        "班级",
        ("classes",),
        (
            *NAMES,
            _c("theme", "Theme", "主题"),
            _c("trainees", "Trainees", "学员数", "int"),
            _c("base", "Base (place)", "驻地", "text"),
            _c("start_place", "Starts at", "起点"),
            _c("end_place", "Ends at", "终点"),
            _c("professor.id", "Professor id", "教授编号"),
            _c("professor.name_zh", "Professor (Chinese)", "带班教授"),
            _c("professor.name_en", "Professor (English)", "教授(英文)"),
        ),
    ),
    Section(
        "lecturers",
        "Lecturers",
        "授课教师",
        ("lecturers",),
        (
            *NAMES,
            _c("topics", "Topics", "专题", "list"),
            _c("home", "Home (place)", "出发地"),
            _c("max_sessions_per_day", "Most lectures a day", "每天最多讲座", "int"),
        ),
        sub_tables=(
            ("unavailable", "Away (not available)", "不能授课", AVAILABILITY),
            ("available", "Only available", "仅可授课", AVAILABILITY),
        ),
    ),
    Section(
        "requirements",
        "Requirements for every class",
        "各班要求",
        ("requirements", "default"),
        REQUIREMENTS,
        table=False,
    ),
    Section(
        "limits",
        "Limits",
        "限制",
        ("limits",),
        (
            _c("max_coach_minutes_per_day", "Most coach minutes a day", "每天最长乘车(分钟)", "number"),
            _c("max_continuous_drive_minutes", "Longest drive without a rest", "连续驾驶最长(分钟)", "int"),
            _c("rest_stop_minutes", "Rest stop (minutes)", "休息站(分钟)", "int"),
            _c("latest_return", "Latest return", "最晚返回", "time"),
            _c("max_teaching_minutes_per_day", "Most teaching a day (minutes)", "每天最长教学(分钟)", "int"),
            _c("lecturer_max_travel_minutes", "Lecturer's longest drive", "教师最长路程(分钟)", "int"),
            _c("max_idle_minutes", "Free time shown from (minutes)", "自由活动起算(分钟)", "int"),
            _c("lecturer_arrival_margin_minutes", "Lecturer arrives early by", "教师提前到达(分钟)", "int"),
        ),
        table=False,
    ),
    Section(
        "weights",
        "Weights of the goals",
        "目标权重",
        ("weights",),
        (
            _c("coach_minute", "Per coach minute", "每分钟乘车", "int"),
            _c("theme_fit", "Per visit on theme", "主题相符的现场", "int"),
            _c("site_value", "Per point of site priority", "现场优先级每分", "int"),
            _c("lecturer_imbalance", "Per lecture of imbalance", "教师负担不均", "int"),
            _c("late_evening", "Per late evening", "每个晚归", "int"),
            _c("idle_hour", "Per idle hour", "每小时空闲", "int"),
        ),
        table=False,
    ),
)
SECTION_BY_NAME = {section.name: section for section in SECTIONS}


# ---------------------------------------------------------------------------
# Reading and writing the YAML


def _yaml() -> YAML:
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096  # never fold a long line the file did not fold
    rt.indent(mapping=2, sequence=4, offset=2)
    return rt


def load_text(text: str) -> Any:
    """The file's text as round-trip data (comments and style kept)."""
    return _yaml().load(text)


def dump_text(data: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


def _detect_indent(text: str) -> tuple[int, int]:
    """(sequence indent, offset of the dash) as the file writes block lists, so that a list the
    workbench writes looks like the file's (``- id: x`` under its key, or indented by two)."""
    for before, dash in re.findall(r"^( *)\S[^\n]*:\s*\n( *)- ", text, re.M):
        offset = len(dash) - len(before)
        return offset + 2, offset
    return 2, 0


def round_trip(text: str, data: Any) -> str:
    """``data`` written back with the file's own list indentation."""
    sequence, offset = _detect_indent(text)
    rt = _yaml()
    rt.indent(mapping=2, sequence=sequence, offset=offset)
    stream = io.StringIO()
    rt.dump(data, stream)
    return stream.getvalue()


# ---------------------------------------------------------------------------
# Values: shown as text in a field, read back from it


def shown(value: Any) -> str:
    """A value as its field shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {shown(item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(shown(item) for item in value)
    return str(value)


def _scalar(text: str, kind: str) -> Any:
    """One value from its text, as a scenario file would hold it."""
    text = text.strip()
    if kind == "time" and re.fullmatch(r"\d{1,2}:\d{2}", text):
        return DoubleQuotedScalarString(text)
    if kind == "date" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    if kind in ("text", "choice") and kind != "bool":
        return text
    try:
        value = yaml.load(text, ScenarioLoader)  # noqa: S506 - a SafeLoader; numbers and booleans as the loader reads them
    except yaml.YAMLError:
        return text
    return value if isinstance(value, (int, float, bool, str)) else text


def parse_value(text: str, column: Column, flow: bool) -> Any:
    """The value a field's text stands for (lists and mappings in the flow style ``[a, b]``)."""
    if column.kind == "list":
        items = CommentedSeq(_scalar(part, "list") for part in re.split(r"[,，\s]+", text.strip().strip("[]")) if part)
        items.fa.set_flow_style()
        return items
    if column.kind == "mapping":
        mapping = CommentedMap()
        for part in re.split(r"[,，]", text.strip().strip("{}")):
            if not part.strip():
                continue
            key, _, value = part.partition(":")
            mapping[key.strip()] = _scalar(value, "int")
        mapping.fa.set_flow_style()
        return mapping
    if column.kind == "bool":
        lowered = text.strip().lower()
        return {"true": True, "false": False, "yes": True, "no": False}.get(lowered, text.strip())
    return _scalar(text, column.kind)


# ---------------------------------------------------------------------------
# Fields of a page


@dataclass
class Field:
    """One input of a page."""

    name: str
    """The input's name: its location as JSON."""
    path: str
    """Its YAML path as messages write it: ``sites[huershan].hours.close``."""
    column: Column
    value: str
    problems: list[str] = field(default_factory=list)
    invalid: bool = False
    placeholder: str = ""
    """What the field stands for when left empty (a class's requirement: every class's)."""


@dataclass
class Row:
    """One entry of a table (``index`` NEW for the blank row that adds one)."""

    index: int | str
    path: str
    fields: list[Field]
    delete_name: str
    problems: list[str] = field(default_factory=list)
    sub_tables: list[tuple[str, list[Row]]] = field(default_factory=list)
    label: str = ""


@dataclass
class Page:
    """A section as a form or a table, with each problem of the file next to its field."""

    section: Section
    rows: list[Row]
    problems: list[str] = field(default_factory=list)
    """Problems of this section that have no field of their own."""
    other_problems: list[Problem] = field(default_factory=list)
    """Problems elsewhere in the file."""
    at_fields: list[tuple[Field, str]] = field(default_factory=list)
    """Each problem put at a field, with the field: listed above the table, to find it."""


def _get(node: Any, key: tuple[Any, ...]) -> Any:
    for part in key:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def _name(loc: tuple[Any, ...]) -> str:
    return json.dumps(list(loc), ensure_ascii=False)


def _fields(data: Any, base: tuple[Any, ...], columns: tuple[Column, ...], row: Any) -> list[Field]:
    out = []
    for column in columns:
        loc = (*base, *column.key)
        path = path_of(data, loc) if NEW not in base else ""
        out.append(Field(_name(loc), path, column, "" if row is None else shown(_get(row, column.key))))
    return out


def build_page(data: Any, section: Section, problems: list[Problem]) -> Page:
    """The section's fields filled from ``data``, each problem at its field (or its row, or the
    section)."""
    node = _get(data, section.path)
    rows: list[Row] = []
    if section.table:
        items = node if isinstance(node, list) else []
        for index, item in enumerate([*items, None]):
            key: int | str = index if item is not None else NEW
            base = (*section.path, key)
            row = Row(
                key,
                path_of(data, base) if item is not None else "",
                _fields(data, base, section.columns, item),
                _name((*base, DELETE)),
                label=str(item.get("id", item.get("place", ""))) if isinstance(item, dict) else "",
            )
            if item is not None:
                for sub_key, _en, _zh, columns in section.sub_tables:
                    entries = item.get(sub_key) if isinstance(item, dict) else None
                    entries = entries if isinstance(entries, list) else []
                    sub_rows = []
                    for sub_index, entry in enumerate([*entries, None]):
                        sub_base = (*base, sub_key, sub_index if entry is not None else NEW)
                        sub_rows.append(
                            Row(
                                sub_index if entry is not None else NEW,
                                path_of(data, sub_base) if entry is not None else "",
                                _fields(data, sub_base, columns, entry),
                                _name((*sub_base, DELETE)),
                            )
                        )
                    row.sub_tables.append((sub_key, sub_rows))
            rows.append(row)
    else:
        rows.append(Row(0, path_of(data, section.path), _fields(data, section.path, section.columns, node), ""))
        if section.name == "requirements":
            by_class = _get(data, ("requirements", "by_class"))
            for klass in _get(data, ("classes",)) or []:
                class_id = klass.get("id") if isinstance(klass, dict) else None
                if not isinstance(class_id, str):
                    continue
                base = ("requirements", "by_class", class_id)
                entry = by_class.get(class_id) if isinstance(by_class, dict) else None
                row = Row(class_id, path_of(data, base), _fields(data, base, section.columns, entry or {}), "")
                row.label = class_id
                for own, every in zip(row.fields, rows[0].fields, strict=True):
                    own.placeholder = f"= {every.value}" if every.value else ""
                rows.append(row)
    page = Page(section, rows)
    _place_problems(page, problems)
    return page


def _place_problems(page: Page, problems: list[Problem]) -> None:
    """Each problem at the field of its path; else at the last field below it (``hours`` at
    ``hours.close``); else at its row; else at the section or among the others."""
    all_rows = [row for row in page.rows] + [sub for row in page.rows for _, subs in row.sub_tables for sub in subs]
    fields = [(f, row) for row in all_rows for f in row.fields if f.path]
    prefix = path_of({}, page.section.path)
    for problem in problems:
        text = problem.message
        exact = [f for f, _ in fields if f.path == problem.path]
        below = [f for f, _ in fields if f.path.startswith(problem.path + ".")]
        rows = [row for row in all_rows if row.path and problem.path == row.path]
        if exact:
            exact[0].problems.append(text)
            exact[0].invalid = True
            page.at_fields.append((exact[0], text))
        elif below and problem.path:
            for f in below:
                f.invalid = True
            below[-1].problems.append(text)
            page.at_fields.append((below[-1], text))
        elif rows:
            rows[-1].problems.append(text)
        else:
            owners = [row for row in all_rows if row.path and problem.path.startswith(row.path + ".")]
            if owners:
                owners[-1].problems.append(f"{problem.path}: {text}")
            elif (
                problem.path == prefix or problem.path.startswith(prefix + ".") or problem.path.startswith(prefix + "[")
            ):
                page.problems.append(f"{problem.path}: {text}" if problem.path else text)
            else:
                page.other_problems.append(problem)


# ---------------------------------------------------------------------------
# Applying a form


class FormError(ValueError):
    """A form that cannot be applied (a field that is not one of the page's)."""


def _columns_at(section: Section, loc: list[Any], data: Any) -> tuple[tuple[Any, ...], Column] | None:
    """The row location and column a field's location names, if it is one of the section's."""
    path = section.path
    if section.name == "requirements" and loc[:2] == ["requirements", "by_class"] and len(loc) > 3:
        classes = {k.get("id") for k in _get(data, ("classes",)) or [] if isinstance(k, dict)}
        if loc[2] in classes:
            for column in section.columns:
                if tuple(loc[3:]) == column.key:
                    return tuple(loc[:3]), column
        return None
    if tuple(loc[: len(path)]) != path:
        return None
    rest = loc[len(path) :]
    if section.table:
        if not rest:
            return None
        row, rest = (*path, rest[0]), rest[1:]
        for sub_key, _, _, columns in section.sub_tables:
            if len(rest) >= 2 and rest[0] == sub_key:
                sub_row = (*row, sub_key, rest[1])
                for column in columns:
                    if tuple(rest[2:]) == column.key:
                        return sub_row, column
        for column in section.columns:
            if tuple(rest) == column.key:
                return row, column
        return None
    for column in section.columns:
        if tuple(rest) == column.key:
            return path, column
    return None


def _is_flow(node: Any) -> bool:
    return bool(getattr(getattr(node, "fa", None), "flow_style", lambda: False)())


def _ensure(data: Any, loc: tuple[Any, ...], flow: bool) -> Any:
    """The mapping at ``loc``, made (in ``flow`` style) where it is missing."""
    node = data
    for part in loc:
        if isinstance(node, list):
            node = node[part]
            continue
        child = node.get(part)
        if isinstance(child, list):
            node = child
            continue
        if not isinstance(child, dict):
            child = CommentedMap()
            if flow or _is_flow(node):
                child.fa.set_flow_style()
            node[part] = child
        node = child
    return node


def apply_form(data: Any, section: Section, form: dict[str, str]) -> bool:
    """Write the form's changed fields into ``data``; whether anything changed. Raises FormError
    for a field that is not the section's."""
    changed = False
    deletes: list[tuple[Any, ...]] = []
    new_rows: dict[tuple[Any, ...], dict[Column, str]] = {}
    edits: list[tuple[tuple[Any, ...], Column, str]] = []
    for name, text in form.items():
        if not name.startswith("["):
            continue
        try:
            loc = json.loads(name)
        except ValueError:
            raise FormError("a field of the form is not one of the page's") from None
        if not isinstance(loc, list) or not all(isinstance(part, (str, int)) for part in loc):
            raise FormError("a field of the form is not one of the page's")
        if loc and loc[-1] == DELETE:
            if text:
                deletes.append(tuple(loc[:-1]))
            continue
        found = _columns_at(section, loc, data)
        if found is None:
            raise FormError("a field of the form is not one of the page's")
        row, column = found
        if len(text) > 2000:
            raise FormError(f"the field {column.label_en} is too long (at most 2000 characters)")
        if NEW in row:
            if row[-1] != NEW or not isinstance(_get(data, row[:-2]), dict):
                raise FormError("a field of the form is not one of the page's (no such row)")
            if text.strip():
                new_rows.setdefault(row, {})[column] = text
            continue
        if section.table and not isinstance(_get(data, row), dict):
            raise FormError("a field of the form is not one of the page's (no such row)")
        edits.append((row, column, text))
    for row, column, text in edits:
        owner = _get(data, row) if NEW not in row else None
        old = _get(owner, column.key) if owner is not None else None
        if shown(old) == text.strip() or (owner is None and not text.strip()):
            continue
        changed = True
        if owner is None:
            owner = _ensure(data, row, flow=False)
        if len(column.key) > 1 and _get(owner, column.key[:-1]) is None:
            # a mapping the file leaves out (a site's hours): its other fields take their defaults
            parent = _ensure(owner, column.key[:-1], flow=_is_flow(owner))
            for sibling in section.columns:
                if sibling.key[:-1] == column.key[:-1] and sibling.default:
                    parent[sibling.key[-1]] = parse_value(sibling.default, sibling, True)
        parent = _ensure(owner, column.key[:-1], flow=_is_flow(owner)) if len(column.key) > 1 else owner
        if not text.strip():
            parent.pop(column.key[-1], None)
        else:
            parent[column.key[-1]] = parse_value(text, column, _is_flow(parent))
    for row, values in new_rows.items():
        container_loc = row[:-1]
        container = _get(data, container_loc)
        if not isinstance(container, list):
            owner = _ensure(data, container_loc[:-1], flow=False)
            container = CommentedSeq()
            owner[container_loc[-1]] = container
        item = CommentedMap()
        if not container or all(_is_flow(existing) for existing in container):
            item.fa.set_flow_style()
        for column, text in values.items():
            parent = _ensure(item, column.key[:-1], flow=_is_flow(item)) if len(column.key) > 1 else item
            parent[column.key[-1]] = parse_value(text, column, _is_flow(item))
        container.append(item)
        changed = True
    for loc in sorted(deletes, key=lambda loc: [str(part).zfill(8) for part in loc], reverse=True):
        container = _get(data, loc[:-1])
        if isinstance(container, list) and isinstance(loc[-1], int) and 0 <= loc[-1] < len(container):
            del container[loc[-1]]
            changed = True
    return changed


# ---------------------------------------------------------------------------
# Checking and saving


def check_text(text: str, scenario: Path, scratch: Path) -> list[Problem]:
    """Every problem the command line would report for the scenario file ``scenario`` if it held
    ``text`` (checked from a copy in ``scratch``, named as the file is)."""
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / scenario.name
    write_text(copy, text)
    try:
        validate_source(read_source(copy))
    except ScenarioError as error:
        return [Problem(scenario.name, p.line, p.path, p.message) for p in error.problems]
    finally:
        copy.unlink(missing_ok=True)
    return []


def problems_of_file(path: Path) -> list[Problem]:
    """Every problem of the scenario file as it is on disk."""
    try:
        validate_source(read_source(path))
    except ScenarioError as error:
        return [Problem(path.name, p.line, p.path, p.message) for p in error.problems]
    return []


def edit(text: str, section: Section, form: dict[str, str]) -> tuple[Any, str, bool]:
    """The file's data with the form applied, its new text, and whether anything changed.
    Raises FormError (a field that is not the page's) or YAMLError (a file ruamel cannot read)."""
    data = load_text(text)
    changed = apply_form(data, section, form)
    return data, (round_trip(text, data) if changed else text), changed


__all__ = [
    "SECTIONS",
    "SECTION_BY_NAME",
    "FormError",
    "Page",
    "YAMLError",
    "build_page",
    "check_text",
    "edit",
    "load_text",
    "problems_of_file",
    "write_text",
]
