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
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from scheduler.atomic import write_text
from scheduler.scenario.documents import ScenarioLoader, path_of
from scheduler.scenario.loading import Problem, ScenarioError, read_source, validate_source
from scheduler.web.views import BaseLayer, base_layer
from scheduler.web.words import WordedError

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
    """text, textarea, phone, email, int, number, time, date, day, list, mapping, bool or choice
    (one of ``choices``)."""
    choices: tuple[str, ...] = ()
    hint: str = ""
    default: str = ""
    """What the scenario takes when the field is left out, written with a field of the same
    mapping when the file leaves the whole mapping out (a site's ``hours``)."""
    ref: str = ""
    """The list whose ids the field names (``places``): offered as suggestions while typing."""

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en


def _c(
    key: str,
    en: str,
    zh: str,
    kind: str = "text",
    *choices: str,
    hint: str = "",
    default: str = "",
    ref: str = "",
) -> Column:
    return Column(tuple(key.split(".")), en, zh, kind, choices, hint or default, default, ref)


@dataclass(frozen=True)
class Part:
    """Fields of a row shown together below it (a group), or a list inside a row (or a form)
    edited as a small table (a sub-table): its ``key`` is then the list's key."""

    key: str
    title_en: str
    title_zh: str
    columns: tuple[Column, ...]

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


NAMES = (_c("id", "id", "编号"), _c("name_zh", "Chinese name", "中文名称"), _c("name_en", "English name", "英文名称"))
WEEKDAYS_HINT = "mon, tue, wed, thu, fri, sat, sun"
PHONE_HINT = "+86 411 8765 4321"
CONTACT = (
    _c("name", "Name", "姓名"),
    _c("role", "Role", "职务", hint="host, front desk, 班主任"),
    _c("phone", "Phone", "电话", "phone", hint=PHONE_HINT),
    _c("email", "E-mail", "电子邮箱", "email", hint="name@example.org"),
)


def _contact(prefix: str) -> tuple[Column, ...]:
    """The contact fields of a single contact at ``prefix`` (a class teacher, a lecturer's
    assistant)."""
    return tuple(
        Column((prefix, *column.key), column.label_en, column.label_zh, column.kind, hint=column.hint)
        for column in CONTACT
    )


CONTACTS = Part("contacts", "Contacts", "联系人", CONTACT)
REQUIREMENTS = (
    _c("lectures", "Lectures (topic: number)", "讲座(专题: 次数)", "mapping", hint="party_spirit: 1, land: 2"),
    _c("lecture_class_hours", "Class hours per lecture", "每次讲座课时", "int", hint="2"),
    _c("min_field_share", "Least field share", "现场教学最低占比", "number", hint="0.5 = 50%"),
    _c("min_seminar_class_hours", "Least seminar class hours", "研讨最少课时", "int", hint="0"),
    _c("max_seminar_class_hours_per_evening", "Most seminar hours an evening", "每晚研讨最多课时", "int", hint="3"),
    _c("min_report_writing_class_hours", "Least report-writing hours", "报告撰写最少课时", "int", hint="0"),
    _c("must_visit", "Must visit (sites)", "必去现场", "list"),
    _c("never_visit", "Never visit (sites)", "不去现场", "list"),
    _c("min_red_education_visits", "Least red-education visits", "红色教育最少次数", "int", hint="0"),
    _c("max_visits_per_day", "Most visits a day", "每天最多现场", "int", hint="3"),
    _c("opening_minutes", "Opening (minutes)", "开班式(分钟)", "int", hint="0"),
    _c("presentation_minutes", "Presentations (minutes)", "汇报(分钟)", "int", hint="0"),
    _c("closing_minutes", "Closing (minutes)", "结业式(分钟)", "int", hint="0"),
    _c("programme_every_day", "Programme every day", "每天有安排", "bool", hint="true"),
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
    """A part of the scenario edited on one page: a form (``table=False``) or a table of entries.

    A row's ``columns`` are its table's columns; its ``groups`` are more of its fields, shown
    below it (in a form: under headings); its ``sub_tables`` are lists inside it (in a form:
    lists inside the section's mapping), each edited as a small table."""

    name: str
    title_en: str
    title_zh: str
    path: tuple[str, ...]
    columns: tuple[Column, ...]
    table: bool = True
    sub_tables: tuple[Part, ...] = ()
    groups: tuple[Part, ...] = ()
    help_en: str = ""
    help_zh: str = ""

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def help(self, lang: str) -> str:
        return self.help_zh if lang == "zh" else self.help_en

    @property
    def all_columns(self) -> tuple[Column, ...]:
        """The row's table columns, then its groups' fields."""
        return (*self.columns, *(column for group in self.groups for column in group.columns))


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
            _c("first_date", "First day", "第一天", "date", hint="2019-08-25"),
            _c("days", "Days", "天数", "int"),
            _c("language", "Language of the outputs", "输出语言", "choice", "zh", "en"),
            _c("timezone", "Time zone", "时区", hint="Asia/Shanghai"),
            _c("minutes_per_class_hour", "Minutes per class hour", "每课时分钟", "int", hint="45"),
        ),
        table=False,
        groups=(
            Part(
                "frame",
                "The hours of an ordinary day (a day that differs: see Days that differ)",
                "每天的作息(个别日期不同:见“特殊日期”)",
                (
                    _c("frame.earliest_departure", "Earliest departure", "最早出发", "time", hint="07:30"),
                    _c("frame.day_start", "Sessions start from", "课程最早开始", "time", hint="08:00"),
                    _c("frame.lunch.earliest", "Lunch, earliest", "午餐最早", "time", hint="11:30"),
                    _c("frame.lunch.latest", "Lunch, latest", "午餐最晚", "time", hint="13:30"),
                    _c("frame.lunch.minutes", "Lunch (minutes)", "午餐(分钟)", "int", hint="60"),
                    _c("frame.dinner.start", "Dinner from", "晚餐开始", "time", default="18:00"),
                    _c("frame.dinner.end", "Dinner until", "晚餐结束", "time", default="19:00"),
                    _c("frame.evening.start", "Evening from", "晚间开始", "time", default="19:00"),
                    _c("frame.evening.end", "Evening until", "晚间结束", "time", default="21:30"),
                    _c("frame.quiet_hours_from", "Quiet from", "休息时间", "time", hint="22:30"),
                    _c("frame.late_evening_after", "Late evening after", "晚归时间", "time", hint="21:30"),
                    _c(
                        "frame.time_step_minutes",
                        "Clock times in steps of (minutes)",
                        "时间取整(分钟)",
                        "int",
                        hint="5",
                    ),
                    _c(
                        "frame.arrival_buffer_minutes",
                        "Arrive before a visit at most (minutes)",
                        "最多提前到达(分钟)",
                        "int",
                        hint="15",
                    ),
                ),
            ),
            Part(
                "notes",
                "Notes for every trainee (what to bring, dress, rules)",
                "给全体学员的须知(携带物品、着装、纪律)",
                (_c("notes", "Notes", "须知", "textarea"),),
            ),
        ),
        sub_tables=(
            Part(
                "contacts", "The organisers' contacts (office, person on duty)", "主办方联系人(办公室、值班)", CONTACT
            ),
        ),
        help_en="The programme as a whole: its name, dates and the hours of an ordinary day; the notes "
        "and contacts are printed on every trainee's hand-out.",
        help_zh="项目总体信息:名称、日期和每天的作息;须知和联系人印在每位学员的通知上。",
    ),
    Section(
        "days",
        "Days that differ",
        "特殊日期",
        ("programme", "day_overrides"),
        (
            _c("day", "Day", "第几天", "day"),
            _c("rest_day", "Rest day", "休息日", "bool", hint="false"),
            _c("earliest_departure", "Earliest departure", "最早出发", "time"),
            _c("day_start", "Sessions start from", "课程最早开始", "time"),
            _c("latest_return", "Latest return", "最晚返回", "time"),
            _c("max_coach_minutes", "Most coach minutes", "最长乘车(分钟)", "number"),
        ),
        help_en="A day whose limits differ from the other days (home early on the last day, a long "
        "drive, a rest day). An empty field keeps the programme's value for that day.",
        help_zh="与其他日期不同的某一天(最后一天提前返回、长途、休息日)。留空的项沿用整个项目的设置。",
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
            _c("note", "Note", "备注"),
        ),
        help_en="Every place the classes and lecturers go: districts, sites, hotels, the lecturers' "
        "homes. Check the coordinates on the map below the table.",
        help_zh="班级和教师到达的所有地点:驻地、现场、酒店、教师出发地。在表格下方的地图上核对坐标。",
    ),
    Section(
        "travel",
        "Coach travel times",
        "车程",
        ("travel",),
        (
            _c("road_factor", "Road km per straight-line km", "道路系数(道路/直线距离)", "number", hint="1.3"),
            _c("coach_speed_kmh", "Coach speed (km/h)", "车速(公里/小时)", "number", hint="80"),
            _c("symmetric", "A measured leg holds both ways", "实测车程双向通用", "bool", hint="true"),
        ),
        table=False,
        sub_tables=(
            Part(
                "overrides",
                "Measured legs (replace the estimate)",
                "实测车程(代替估算)",
                (
                    _c("from", "From (place)", "起点", ref="places"),
                    _c("to", "To (place)", "终点", ref="places"),
                    _c("minutes", "Minutes", "分钟", "number"),
                    _c("km", "km", "公里", "number"),
                ),
            ),
        ),
        help_en="A coach leg takes the straight-line distance × the road factor, at the coach speed, "
        "unless it is measured below. An empty field takes the default shown greyed.",
        help_zh="车程按直线距离×道路系数、按车速估算;下表中实测的车程代替估算。留空的项取灰色显示的默认值。",
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
            _c("place", "Place", "地点", ref="places"),
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
            _c("hours.open", "Opens", "开放", "time", default="08:30"),
            _c("hours.close", "Closes", "关闭", "time", default="17:30"),
        ),
        groups=(
            Part(
                "when",
                "Days open, capacity and priority",
                "开放日、接待能力与优先级",
                (
                    _c("capacity_classes", "Classes at once", "同时接待班数", "int", hint="1"),
                    _c("open_weekdays", "Open weekdays", "开放日", "list", hint=WEEKDAYS_HINT),
                    _c("closed_dates", "Closed on", "闭馆日期", "list", hint="2019-09-08, 2019-09-09"),
                    _c("value", "Priority (higher is better)", "优先级(越高越好)", "int", hint="0"),
                    _c("capacity_trainees", "Trainees at once", "同时接待人数", "int"),
                    _c("red_education", "Red education", "红色教育", "bool", hint="kind"),
                ),
            ),
            Part(
                "where",
                "Address and note",
                "地址与备注",
                (
                    _c("address", "Address (where the coach stops)", "地址(停车处)", "textarea"),
                    _c("note", "Note for the classes", "备注", "textarea"),
                ),
            ),
        ),
        sub_tables=(Part("contacts", "Hosts to call", "接待联系人", CONTACT),),
        help_en="Field-teaching sites. Under each site, “More” holds its days open, capacity, priority, address, "
        "note and the hosts to call. A name left empty takes its place's name.",
        help_zh="现场教学点。每个现场下的“更多”里有开放日、接待能力、优先级、地址、备注和接待联系人。名称留空则用其地点的名称。",
    ),
    Section(
        "lodging",
        "Lodging",
        "住宿",
        ("lodging",),
        (
            _c("id", "id", "编号", hint="= place"),
            _c("place", "Place", "地点", ref="places"),
            _c("name_zh", "Chinese name", "中文名称"),
            _c("name_en", "English name", "英文名称"),
            _c("classes_per_night", "Classes a night", "每晚班数", "int", hint="1"),
            _c("rooms", "Rooms", "房间数", "int"),
            _c("people_per_room", "People per room", "每间人数", "int", hint="2"),
        ),
        groups=(
            Part(
                "where",
                "Address and note",
                "地址与备注",
                (
                    _c("address", "Address", "地址", "textarea"),
                    _c("note", "Note for the classes", "备注", "textarea"),
                ),
            ),
        ),
        sub_tables=(Part("contacts", "Contacts (front desk, sales)", "联系人(前台、销售)", CONTACT),),
        help_en="Hotels and training centres where classes sleep. Under each, “More” holds its "
        "address, note and contacts.",
        help_zh="班级住宿的酒店或培训中心。每行下的“更多”里有地址、备注和联系人。",
    ),
    Section(
        "classes",
        "Classes",
        "班级",
        ("classes",),
        (
            *NAMES,
            _c("theme", "Theme", "主题", ref="themes"),
            _c("trainees", "Trainees", "学员数", "int"),
            _c("base", "Base (place)", "驻地", ref="places"),
            _c("professor.id", "Professor id", "教授编号"),
            _c("professor.name_zh", "Professor (Chinese)", "带班教授"),
            _c("professor.name_en", "Professor (English)", "教授(英文)"),
        ),
        groups=(
            Part(
                "route",
                "Where it starts and ends, professor",
                "起止地点、带班教授",
                (
                    _c("start_place", "Starts at (place)", "起点", hint="= base", ref="places"),
                    _c("end_place", "Ends at (place)", "终点", hint="= base", ref="places"),
                    _c("professor.affiliation", "Professor's affiliation", "教授单位"),
                    _c("professor.phone", "Professor's phone", "教授电话", "phone", hint=PHONE_HINT),
                ),
            ),
            Part("class_teacher", "Class teacher (班主任)", "班主任", _contact("class_teacher")),
            Part(
                "coach",
                "Coach",
                "车辆",
                (
                    _c("coach.plate", "Number plate", "车牌", hint="辽B·12345"),
                    _c("coach.company", "Coach company", "客运公司"),
                    _c("coach.driver", "Driver", "司机"),
                    _c("coach.phone", "Driver's phone", "司机电话", "phone", hint=PHONE_HINT),
                ),
            ),
            Part("notes", "Notes for the class", "给本班学员的须知", (_c("notes", "Notes", "须知", "textarea"),)),
        ),
        help_en="The classes and their professors. Under each class, “More” holds where it starts and "
        "ends, the class teacher, the coach and notes for its trainees.",
        help_zh="各班级及带班教授。每个班级下的“更多”里有起止地点、班主任、车辆和给学员的须知。",
    ),
    Section(
        "lecturers",
        "Lecturers",
        "授课教师",
        ("lecturers",),
        (
            *NAMES,
            _c("topics", "Topics", "专题", "list"),
            _c("home", "Home (place)", "出发地", ref="places"),
            _c("max_sessions_per_day", "Most lectures a day", "每天最多讲座", "int", hint="2"),
        ),
        groups=(
            Part(
                "reach",
                "Affiliation, phone, lectures",
                "单位、电话、讲座次数",
                (
                    _c("affiliation", "Affiliation", "单位"),
                    _c("phone", "Phone", "电话", "phone", hint=PHONE_HINT),
                    _c("email", "E-mail", "电子邮箱", "email", hint="name@example.org"),
                    _c("max_sessions", "Most lectures in all", "最多讲座次数", "int"),
                    _c("min_sessions", "Fewest lectures in all", "最少讲座次数", "int", hint="0"),
                ),
            ),
            Part(
                "contact",
                "Who arranges the visits (an assistant, an office)",
                "联系人(助理、办公室)",
                _contact("contact"),
            ),
        ),
        sub_tables=(
            Part("unavailable", "Away (not available)", "不能授课", AVAILABILITY),
            Part("available", "Only available", "仅可授课", AVAILABILITY),
        ),
        help_en="The lecturers. Under each, “More” holds their phone, the person who arranges their "
        "visits, and the dates they are away (or the only ones they can come).",
        help_zh="授课教师。每位教师下的“更多”里有电话、联系人,以及不能来(或只能来)的日期。",
    ),
    Section(
        "requirements",
        "Requirements for every class",
        "各班要求",
        ("requirements", "default"),
        REQUIREMENTS,
        table=False,
        help_en="What every class must get; below, what one class gets differently (an empty field takes "
        "every class's value, shown greyed).",
        help_zh="每个班级都要达到的要求;下方为某个班级的不同要求(留空则沿用全体的要求,灰色显示)。",
    ),
    Section(
        "limits",
        "Limits",
        "限制",
        ("limits",),
        (
            _c("max_coach_minutes_per_day", "Most coach minutes a day", "每天最长乘车(分钟)", "number", hint="360"),
            _c("max_continuous_drive_minutes", "Longest drive without a rest", "连续驾驶最长(分钟)", "int", hint="240"),
            _c("rest_stop_minutes", "Rest stop (minutes)", "休息站(分钟)", "int", hint="20"),
            _c("latest_return", "Latest return", "最晚返回", "time", hint="18:00"),
            _c(
                "max_teaching_minutes_per_day", "Most teaching a day (minutes)", "每天最长教学(分钟)", "int", hint="600"
            ),
            _c("lecturer_max_travel_minutes", "Lecturer's longest drive", "教师最长路程(分钟)", "int"),
            _c("max_idle_minutes", "Free time shown from (minutes)", "自由活动起算(分钟)", "int", hint="90"),
            _c("lecturer_arrival_margin_minutes", "Lecturer arrives early by", "教师提前到达(分钟)", "int", hint="20"),
        ),
        table=False,
        help_en="Hard limits every plan keeps. An empty field takes the default shown greyed.",
        help_zh="每个行程都必须遵守的限制。留空的项取灰色显示的默认值。",
    ),
    Section(
        "weights",
        "Weights of the goals",
        "目标权重",
        ("weights",),
        (
            _c("coach_minute", "Per coach minute", "每分钟乘车", "int", hint="1"),
            _c("theme_fit", "Per visit on theme", "主题相符的现场", "int", hint="30"),
            _c("site_value", "Per point of site priority", "现场优先级每分", "int", hint="1"),
            _c("lecturer_imbalance", "Per lecture of imbalance", "教师负担不均", "int", hint="20"),
            _c("late_evening", "Per late evening", "每个晚归", "int", hint="20"),
            _c("idle_hour", "Per idle hour", "每小时空闲", "int", hint="0"),
        ),
        table=False,
        help_en="How much each goal counts when plans are compared: a higher weight makes the plan try "
        "harder on that goal. An empty field takes the default shown greyed.",
        help_zh="比较行程时各目标的分量:权重越高,越优先照顾该目标。留空的项取灰色显示的默认值。",
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

TEXT_KINDS = ("text", "textarea", "phone", "email", "choice")
"""Kinds whose value is text as typed, never a number, a date or a boolean."""


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


def _typed(text: str) -> str:
    """A field's text as the file would hold it: lines ended by a line feed (a browser sends a
    text area's lines ended by CR LF), no blank space around it."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _as_text(text: str, kind: str) -> Any:
    """``text`` written so that the loader reads it back as this very text: several lines as a
    literal block (``|``), a phone number in quotes as the shipped files write them, and text
    that YAML would read as something else (``yes``, ``12``, ``2019-09-07``, ``~``) in quotes."""
    if "\n" in text:
        return LiteralScalarString(text + "\n")
    if kind == "phone":
        return DoubleQuotedScalarString(text)
    try:
        read = yaml.load(text, ScenarioLoader)  # noqa: S506 - a SafeLoader, as the command line reads the file
    except yaml.YAMLError:
        return DoubleQuotedScalarString(text)
    return text if read == text and isinstance(read, str) else DoubleQuotedScalarString(text)


def _scalar(text: str, kind: str) -> Any:
    """One value from its text, as a scenario file would hold it."""
    text = text.strip()
    if kind in TEXT_KINDS:
        return _as_text(text, kind)
    if kind == "time" and re.fullmatch(r"\d{1,2}:\d{2}", text):
        return DoubleQuotedScalarString(text)
    if kind == "date" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    try:
        value = yaml.load(text, ScenarioLoader)  # noqa: S506 - a SafeLoader; numbers and booleans as the loader reads them
    except yaml.YAMLError:
        return text
    return value if isinstance(value, (int, float, bool, str)) else text


def parse_value(text: str, column: Column, flow: bool) -> Any:
    """The value a field's text stands for (lists and mappings in the flow style ``[a, b]``)."""
    text = _typed(text)
    if column.kind == "list":
        items = CommentedSeq(_scalar(part, "list") for part in re.split(r"[,，\s]+", text.strip("[]")) if part)
        items.fa.set_flow_style()
        return items
    if column.kind == "mapping":
        mapping = CommentedMap()
        for part in re.split(r"[,，]", text.strip("{}")):
            if not part.strip():
                continue
            key, _, value = part.partition(":")
            mapping[key.strip()] = _scalar(value, "int")
        mapping.fa.set_flow_style()
        return mapping
    if column.kind == "bool":
        lowered = text.lower()
        return {"true": True, "false": False, "yes": True, "no": False}.get(lowered, text)
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
    options: list[tuple[str, str]] = field(default_factory=list)
    """(value, label) of each choice of a day field: the programme's days with their dates."""


@dataclass
class Row:
    """One entry of a table (``index`` NEW for the blank row that adds one), or a form."""

    index: int | str
    path: str
    fields: list[Field]
    delete_name: str
    problems: list[str] = field(default_factory=list)
    sub_tables: list[tuple[Part, list[Row]]] = field(default_factory=list)
    groups: list[tuple[Part, list[Field]]] = field(default_factory=list)
    label: str = ""

    @property
    def all_fields(self) -> list[Field]:
        return [*self.fields, *(f for _, fields in self.groups for f in fields)]

    @property
    def has_problems(self) -> bool:
        """Whether a problem is shown in the row's groups or sub-tables (their panel opens)."""
        return any(f.problems or f.invalid for _, fields in self.groups for f in fields) or any(
            sub.problems or any(f.problems or f.invalid for f in sub.fields)
            for _, subs in self.sub_tables
            for sub in subs
        )


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


WEEKDAY_NAMES = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}


def day_options(data: Any, lang: str) -> list[tuple[str, str]]:
    """Each day of the programme as a day field offers it: ``("3", "3 · 2019-08-27 Tue")``."""
    programme = _get(data, ("programme",))
    first, days = _get(programme, ("first_date",)), _get(programme, ("days",))
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 366:
        return []
    names = WEEKDAY_NAMES["zh" if lang == "zh" else "en"]
    options = []
    for day in range(1, days + 1):
        if isinstance(first, dt.date):
            date = first + dt.timedelta(days=day - 1)
            options.append((str(day), f"{day} · {date.isoformat()} {names[date.weekday()]}"))
        else:
            options.append((str(day), str(day)))
    return options


def references(data: Any, lang: str) -> dict[str, list[tuple[str, str]]]:
    """The ids a field may name, by list (``places``: each place's id and name), offered as
    suggestions while typing."""
    out: dict[str, list[tuple[str, str]]] = {}
    for key in ("places", "themes", "topics", "sites", "classes"):
        items = _get(data, (key,))
        pairs = []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                name = item.get("name_zh" if lang == "zh" else "name_en") or item.get("name_en") or item.get("name_zh")
                pairs.append((item["id"], str(name or "")))
        out[key] = pairs
    return out


def _fields(
    data: Any, base: tuple[Any, ...], columns: tuple[Column, ...], row: Any, days: list[tuple[str, str]]
) -> list[Field]:
    out = []
    for column in columns:
        loc = (*base, *column.key)
        path = path_of(data, loc) if NEW not in base else ""
        value = "" if row is None else shown(_get(row, column.key))
        out.append(Field(_name(loc), path, column, value, options=days if column.kind == "day" else []))
    return out


def _row_label(item: Any) -> str:
    """How a row is named above its panel: its id, its place, its day, its leg or its name."""
    if not isinstance(item, dict):
        return ""
    for key in ("id", "place", "name"):
        if item.get(key) is not None:
            return str(item[key])
    if item.get("day") is not None:
        return f"{item['day']}"
    if item.get("from") is not None:
        return f"{item['from']} → {item.get('to', '')}"
    return ""


def _sub_tables(data: Any, base: tuple[Any, ...], node: Any, parts: tuple[Part, ...], days: Any) -> list:
    tables = []
    for part in parts:
        entries = node.get(part.key) if isinstance(node, dict) else None
        entries = entries if isinstance(entries, list) else []
        sub_rows = []
        for sub_index, entry in enumerate([*entries, None]):
            sub_base = (*base, part.key, sub_index if entry is not None else NEW)
            sub_rows.append(
                Row(
                    sub_index if entry is not None else NEW,
                    path_of(data, sub_base) if entry is not None else "",
                    _fields(data, sub_base, part.columns, entry, days),
                    _name((*sub_base, DELETE)),
                    label=_row_label(entry),
                )
            )
        tables.append((part, sub_rows))
    return tables


def build_page(data: Any, section: Section, problems: list[Problem], lang: str = "en") -> Page:
    """The section's fields filled from ``data``, each problem at its field (or its row, or the
    section)."""
    node = _get(data, section.path)
    days = day_options(data, lang)
    rows: list[Row] = []
    if section.table:
        items = node if isinstance(node, list) else []
        for index, item in enumerate([*items, None]):
            key: int | str = index if item is not None else NEW
            base = (*section.path, key)
            row = Row(
                key,
                path_of(data, base) if item is not None else "",
                _fields(data, base, section.columns, item, days),
                _name((*base, DELETE)),
                label=_row_label(item),
            )
            if item is not None:
                row.groups = [(g, _fields(data, base, g.columns, item, days)) for g in section.groups]
                row.sub_tables = _sub_tables(data, base, item, section.sub_tables, days)
            rows.append(row)
    else:
        form = Row(0, path_of(data, section.path), _fields(data, section.path, section.columns, node, days), "")
        form.groups = [(g, _fields(data, section.path, g.columns, node, days)) for g in section.groups]
        form.sub_tables = _sub_tables(data, section.path, node, section.sub_tables, days)
        rows.append(form)
        if section.name == "requirements":
            by_class = _get(data, ("requirements", "by_class"))
            for klass in _get(data, ("classes",)) or []:
                class_id = klass.get("id") if isinstance(klass, dict) else None
                if not isinstance(class_id, str):
                    continue
                base = ("requirements", "by_class", class_id)
                entry = by_class.get(class_id) if isinstance(by_class, dict) else None
                row = Row(class_id, path_of(data, base), _fields(data, base, section.columns, entry or {}, days), "")
                row.label = class_id
                for own, every in zip(row.fields, rows[0].fields, strict=True):
                    # every class's value, or the format's default where every class has none
                    default = own.column.hint if own.column.kind == "int" else ""
                    own.placeholder = f"= {every.value or default}" if every.value or default else ""
                rows.append(row)
    page = Page(section, rows)
    _place_problems(page, problems, lang)
    return page


def _place_problems(page: Page, problems: list[Problem], lang: str) -> None:
    """Each problem at the field of its path; else at its row (a problem of a whole site, say);
    else at the last field below it (``hours`` at ``hours.close``); else at the section or among
    the others. Said in ``lang``, the page's language."""
    all_rows = [row for row in page.rows] + [sub for row in page.rows for _, subs in row.sub_tables for sub in subs]
    fields = [(f, row) for row in all_rows for f in row.all_fields if f.path]
    prefix = path_of({}, page.section.path)
    for problem in problems:
        text = problem.message_in(lang)
        at_path = f"{problem.path}：{text}" if lang == "zh" else f"{problem.path}: {text}"
        exact = [f for f, _ in fields if f.path == problem.path]
        # a problem of the section's own mapping, or of one holding it, is about the section as a
        # whole (no name given, a day override past the last day): never put at its last field
        outer = prefix == problem.path or prefix.startswith(problem.path + ".")
        below = [] if outer else [f for f, _ in fields if f.path.startswith(problem.path + ".")]
        rows = [row for row in all_rows if row.path and problem.path == row.path]
        if exact:
            exact[0].problems.append(text)
            exact[0].invalid = True
            page.at_fields.append((exact[0], text))
        elif rows:
            rows[-1].problems.append(text)
        elif below and problem.path:
            for f in below:
                f.invalid = True
            below[-1].problems.append(text)
            page.at_fields.append((below[-1], text))
        else:
            owners = [row for row in all_rows if row.path and problem.path.startswith(row.path + ".")]
            if owners:
                owners[-1].problems.append(at_path)
            elif (
                problem.path == prefix
                or problem.path.startswith(prefix + ".")
                or problem.path.startswith(prefix + "[")
                or (problem.path and prefix.startswith(problem.path + "."))
            ):
                # a problem of the mapping that holds the section (``programme`` for its day
                # overrides) is shown with the section too: it may be what the change brought
                page.problems.append(at_path if problem.path else text)
            else:
                page.other_problems.append(problem)


# ---------------------------------------------------------------------------
# Applying a form


class FormError(WordedError, ValueError):
    """A form that cannot be applied (a field that is not one of the page's, or too long): a key
    of ``words.WORDS`` and its fields, shown on the page in its language."""


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
    else:
        row = path
    for part in section.sub_tables:
        if len(rest) >= 2 and rest[0] == part.key:
            sub_row = (*row, part.key, rest[1])
            for column in part.columns:
                if tuple(rest[2:]) == column.key:
                    return sub_row, column
    for column in section.all_columns:
        if tuple(rest) == column.key:
            return row, column
    return None


def _is_flow(node: Any) -> bool:
    return bool(getattr(getattr(node, "fa", None), "flow_style", lambda: False)())


def _last_line(node: Any) -> tuple[Any, Any] | None:
    """(the block mapping or list, its key or index) whose comment follows the last line of the
    block ``node``: the blank lines and comments after a section are held there."""
    if not isinstance(node, (dict, list)) or not node or _is_flow(node):
        return None
    last = list(node)[-1] if isinstance(node, dict) else len(node) - 1
    return _last_line(node[last]) or (node, last)


def _put(mapping: Any, key: Any, value: Any) -> None:
    """``mapping[key] = value``; a key added after the last of a block mapping takes over the
    blank lines and comments that followed it, so that they still end the mapping instead of
    coming before the new key."""
    found = None if key in mapping or _is_flow(mapping) else _last_line(mapping)
    mapping[key] = value
    if found is None:
        return
    holder, last = found
    entry = holder.ca.items.get(last)
    slot = 2 if isinstance(holder, dict) else 0
    token = entry[slot] if entry and len(entry) > slot else None
    if not isinstance(token, CommentToken):
        return
    head, newline, tail = token.value.partition("\n")
    if not tail:
        return
    token.value = head + newline
    # a literal block ends its own line; any other value needs its line ended first
    after = tail if isinstance(value, LiteralScalarString) else "\n" + tail
    mapping.ca.items[key] = [None, None, CommentToken(after, CommentMark(0), None), None]


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
            _put(node, part, child)
        node = child
    return node


def _prune(owner: Any, key: tuple[Any, ...]) -> None:
    """Remove the mappings along ``key`` below ``owner`` that were left empty (a coach whose
    every field was cleared): the format means "none" by a key left out, never by ``{}``."""
    for depth in range(len(key) - 1, 0, -1):
        node = _get(owner, key[:depth])
        parent = _get(owner, key[: depth - 1])
        if isinstance(node, dict) and not node and isinstance(parent, dict):
            parent.pop(key[depth - 1], None)


def _row_exists(section: Section, row: tuple[Any, ...], data: Any) -> bool:
    """Whether the blank row at ``row`` adds to a list that exists or can be made: a list of a
    row that exists, or of the form's own mapping."""
    owner = _get(data, row[:-2])
    return row[-1] == NEW and (isinstance(owner, dict) or (not section.table and row[:-2] == section.path))


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
            raise FormError("err_form_field") from None
        if not isinstance(loc, list) or not all(isinstance(part, (str, int)) for part in loc):
            raise FormError("err_form_field")
        if loc and loc[-1] == DELETE:
            if text:
                deletes.append(tuple(loc[:-1]))
            continue
        found = _columns_at(section, loc, data)
        if found is None:
            raise FormError("err_form_field")
        row, column = found
        if len(text) > 2000:
            raise FormError("err_form_too_long", label=(column.label_zh, column.label_en))
        if NEW in row:
            if not _row_exists(section, row, data):
                raise FormError("err_form_row")
            if _typed(text):
                new_rows.setdefault(row, {})[column] = text
            continue
        if section.table and not isinstance(_get(data, row), dict):
            raise FormError("err_form_row")
        edits.append((row, column, text))
    for row, column, text in edits:
        owner = _get(data, row) if NEW not in row else None
        old = _get(owner, column.key) if owner is not None else None
        if shown(old).strip() == _typed(text) or (owner is None and not _typed(text)):
            continue
        changed = True
        if owner is None:
            owner = _ensure(data, row, flow=False)
        if not _typed(text):
            parent = _get(owner, column.key[:-1])
            if isinstance(parent, dict):
                parent.pop(column.key[-1], None)
            _prune(owner, column.key)
            continue
        if len(column.key) > 1 and _get(owner, column.key[:-1]) is None:
            # a mapping the file leaves out (a site's hours): its other fields take their defaults
            parent = _ensure(owner, column.key[:-1], flow=True)
            for sibling in section.all_columns:
                if sibling.key[:-1] == column.key[:-1] and sibling.default:
                    parent[sibling.key[-1]] = parse_value(sibling.default, sibling, True)
        parent = _ensure(owner, column.key[:-1], flow=True) if len(column.key) > 1 else owner
        _put(parent, column.key[-1], parse_value(text, column, _is_flow(parent)))
    for row, values in new_rows.items():
        container_loc = row[:-1]
        container = _get(data, container_loc)
        if not isinstance(container, list):
            owner = _ensure(data, container_loc[:-1], flow=False)
            container = CommentedSeq()
            _put(owner, container_loc[-1], container)
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
            owner = _get(data, loc[:-2])
            if not container and len(loc) > 2 and isinstance(owner, dict):
                # no contacts, no day overrides: the key left out, as the format says "none"; a
                # section of the file's top level (sites: []) stays where the organiser sees it
                owner.pop(loc[-2], None)
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


# ---------------------------------------------------------------------------
# The places' map, to check their coordinates


@dataclass
class MapPlace:
    row: str
    """The place's YAML path (``places[utica]``), which its row in the table carries too."""
    ident: str
    name: str
    lat: float
    lon: float
    x: float
    y: float
    far_km: int | None = None
    """How far it lies from the others, when far enough to be a mistyped coordinate."""
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: str = "start"
    labelled: bool = True
    """Whether its name is written beside it: not where it would cover another's (its id and
    coordinates show when the pointer is on it)."""


LABEL_HEIGHT = 13


def _label_width(text: str) -> float:
    """About how wide ``text`` is at the map's 12 px: a Chinese character is about a square."""
    return sum(12.0 if ord(character) >= 0x2E80 else 6.8 for character in text)


def _place_labels(places: list[MapPlace], width: int) -> None:
    """Each name to the right of its point, else to its left, above or below it, wherever it
    covers no name written before it (the places far off first, then in the file's order); else
    none."""
    taken: list[tuple[float, float, float, float]] = []
    for place in sorted(places, key=lambda p: p.far_km is None):  # a place far off named first
        w = _label_width(place.name)
        tries = (
            (place.x + 7, place.y + 4, "start", place.x + 7),
            (place.x - 7, place.y + 4, "end", place.x - 7 - w),
            (place.x, place.y - 8, "middle", place.x - w / 2),
            (place.x, place.y + 17, "middle", place.x - w / 2),
        )
        place.labelled = False
        for x, y, anchor, left in tries:
            box = (left, y - LABEL_HEIGHT + 3, left + w, y + 3)
            inside = box[0] >= 0 and box[2] <= width
            if inside and not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
                place.label_x, place.label_y, place.anchor, place.labelled = x, y, anchor, True
                taken.append(box)
                break


@dataclass
class CoordinateMap:
    """The places drawn at their coordinates (an equirectangular projection at their mean
    latitude), with lines of latitude and longitude to read them off."""

    width: int
    height: int
    places: list[MapPlace]
    lines: list[tuple[str, float, float, float, float, str]]
    """(lat or lon, x1, y1, x2, y2, label) of each line of the grid."""
    unplaced: list[str]
    """The places whose coordinates are missing or not numbers."""
    base: BaseLayer = field(default_factory=BaseLayer)
    """Land, coast, borders and cities under the places, where they lie on Earth: a place typed
    into the sea or the wrong province shows at a glance."""


MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 720, 440, 36
GRID_STEPS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 45, 90)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def coordinate_map(data: Any, lang: str) -> CoordinateMap:
    """The places of ``data`` as the editor shows them; a place far from all the others (more
    than 100 km and four times as far as the typical place from their middle) is marked, as a
    latitude or longitude typed wrong usually is."""
    items = _get(data, ("places",))
    located, unplaced = [], []
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        ident = str(item.get("id", index + 1))
        name = str(
            item.get("name_zh" if lang == "zh" else "name_en") or item.get("name_en") or item.get("name_zh") or ident
        )
        lat, lon = _number(item.get("lat")), _number(item.get("lon"))
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            unplaced.append(name)
            continue
        located.append((path_of(data, ("places", index)), ident, name, lat, lon))
    if not located:
        return CoordinateMap(MAP_WIDTH, MAP_HEIGHT, [], [], unplaced)
    mid_lat = sorted(p[3] for p in located)[len(located) // 2]
    mid_lon = sorted(p[4] for p in located)[len(located) // 2]
    distances = [_km(mid_lat, mid_lon, p[3], p[4]) for p in located]
    typical = sorted(distances)[len(distances) // 2]
    scale_x = math.cos(math.radians(sum(p[3] for p in located) / len(located)))
    xs, ys = [p[4] * scale_x for p in located], [p[3] for p in located]
    inner_w, inner_h = MAP_WIDTH - 2 * MAP_MARGIN, MAP_HEIGHT - 2 * MAP_MARGIN
    factor = min(inner_w / max(max(xs) - min(xs), 1e-6), inner_h / max(max(ys) - min(ys), 1e-6))
    left = MAP_MARGIN + (inner_w - (max(xs) - min(xs)) * factor) / 2
    top = MAP_MARGIN + (inner_h - (max(ys) - min(ys)) * factor) / 2

    def x_of(lon: float) -> float:
        return round(left + (lon * scale_x - min(xs)) * factor, 1)

    def y_of(lat: float) -> float:
        return round(top + (max(ys) - lat) * factor, 1)

    places = [
        MapPlace(
            row,
            ident,
            name,
            lat,
            lon,
            x_of(lon),
            y_of(lat),
            round(km) if len(located) >= 3 and km > max(100.0, 4 * typical) else None,
        )
        for (row, ident, name, lat, lon), km in zip(located, distances, strict=True)
    ]
    _place_labels(places, MAP_WIDTH)
    lines: list[tuple[str, float, float, float, float, str]] = []
    lat_span = MAP_HEIGHT / factor
    lon_span = MAP_WIDTH / factor / max(scale_x, 1e-6)
    for axis, span in (("lat", lat_span), ("lon", lon_span)):
        step = next((s for s in GRID_STEPS if span / s <= 8), 90)
        if axis == "lat":
            low, high = max(ys) - (MAP_HEIGHT - top) / factor, max(ys) + top / factor
        else:
            low = (min(xs) - left / factor) / max(scale_x, 1e-6)
            high = (min(xs) + (MAP_WIDTH - left) / factor) / max(scale_x, 1e-6)
        value = math.ceil(low / step) * step
        while value <= high:
            label = f"{value:.{max(0, -math.floor(math.log10(step)))}f}°"
            if axis == "lat":
                lines.append((axis, 0, y_of(value), MAP_WIDTH, y_of(value), label))
            else:
                lines.append((axis, x_of(value), 0, x_of(value), MAP_HEIGHT, label))
            value += step
    frame = (
        (min(xs) - left / factor) / max(scale_x, 1e-6),
        max(ys) - (MAP_HEIGHT - top) / factor,
        (min(xs) + (MAP_WIDTH - left) / factor) / max(scale_x, 1e-6),
        max(ys) + top / factor,
    )
    base = base_layer(
        [(p.lon, p.lat) for p in places],
        lambda lat, lon: (x_of(lon), y_of(lat)),
        frame,
        (MAP_WIDTH, MAP_HEIGHT),
        [(p.x, p.y) for p in places],
        lang,
        MAP_MARGIN,
    )
    return CoordinateMap(MAP_WIDTH, MAP_HEIGHT, places, lines, unplaced, base)
