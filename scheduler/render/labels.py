"""The words of the outputs in Chinese and English: headings, activity kinds, dates.

Names of places, classes and people come from the plan file as the scenario gives them; this
module holds only the labels around them. ``Labels("zh")`` or ``Labels("en")`` picks one side.
"""

from __future__ import annotations

import datetime as dt

from scheduler.plan.labels import KIND_LABELS, MEAL_LABELS, SHORT_WEEKDAYS
from scheduler.plan.model import Event

LANGUAGES = ("zh", "en")

# key -> (Chinese, English); ``{name}`` fields are filled by ``Labels.__call__``.
TEXT: dict[str, tuple[str, str]] = {
    "booklet": ("日程手册", "Programme booklet"),
    "unchecked": ("未经检查的方案：未按情景文件的规则核对", "UNCHECKED PLAN: not checked against the scenario's rules"),
    "unchecked_short": ("未经检查", "unchecked"),
    "dates": ("日期", "Dates"),
    "days_count": ("共{n}天", "{n} days"),
    "organiser": ("主办单位", "Organiser"),
    "classes": ("培训班次", "Classes"),
    "class": ("班次", "Class"),
    "theme": ("主题", "Theme"),
    "trainees": ("学员", "Trainees"),
    "trainees_n": ("{n}人", "{n}"),
    "base": ("基地", "Base"),
    "professor": ("带班教授", "Professor"),
    "lecturers": ("授课教师", "Lecturers"),
    "lectures_n": ("{n}次讲座", "{n} lectures"),
    "lecture_1": ("1次讲座", "1 lecture"),
    "contents": ("目录", "Contents"),
    "section_days": ("各班每日日程", "Daily schedules, class by class"),
    "section_week": ("一周总览", "Week at a glance"),
    "section_lecturers": ("授课教师日程", "Lecturers' timetables"),
    "section_sites": ("现场教学点接待安排", "Field-teaching sites: who comes when"),
    "section_figures": ("各班指标", "Figures per class"),
    "page": ("页", "page"),
    "day_n": ("第{n}天", "Day {n}"),
    "time": ("时间", "Time"),
    "activity": ("活动", "Activity"),
    "details": ("内容", "Details"),
    "place": ("地点", "Place"),
    "who": ("授课/带班", "Lecturer / professor"),
    "coach": ("乘车", "Coach"),
    "departs": ("发车", "dep."),
    "arrives": ("到达", "arr."),
    "minutes_n": ("{n}分钟", "{n} min"),
    "km_n": ("{n}公里", "{n} km"),
    "rest_n": ("含休息{n}分钟", "incl. {n} min rest"),
    "night_at": ("当晚住宿", "Night at"),
    "ends_at": ("结业返回", "Programme ends at"),
    "wakes_at": ("早晨出发地", "Morning at"),
    "route_of_day": ("当日路线", "Route of the day"),
    "route_of_week": ("全周路线", "Route of the week"),
    "map_note": ("直线示意，非实际道路", "straight lines between places, not roads"),
    "no_travel": ("当日不乘车", "no coach travel today"),
    "day_totals": ("当日乘车{minutes}分钟，{km}公里", "Coach today: {minutes} min, {km} km"),
    "legend": ("图例", "Legend"),
    "map_base": ("基地", "base"),
    "map_night": ("住宿", "night"),
    "map_visit": ("现场教学点", "site visited"),
    "map_other": ("其他地点", "other place"),
    "affiliation": ("单位", "Affiliation"),
    "sets_out_from": ("出发地", "Sets out from"),
    "topics": ("讲授专题", "Topics"),
    "topic": ("专题", "Topic"),
    "getting_there": ("前往方式", "Getting there"),
    "trip_home": (
        "从{place}出发，车程{minutes}分钟，{km}公里；最晚{time}出发",
        "from {place}: {minutes} min, {km} km; leave by {time}",
    ),
    "trip_between": (
        "上一讲结束后从{place}前往，车程{minutes}分钟，{km}公里；最晚{time}出发",
        "after the previous lecture, from {place}: {minutes} min, {km} km; leave by {time}",
    ),
    "trip_unknown": ("从{place}出发", "from {place}"),
    "trip_none": ("就在{place}，无需乘车", "at {place}: no travel"),
    "no_sessions": ("本次培训无授课安排", "No lectures in this programme"),
    "kind": ("类型", "Kind"),
    "red_education": ("红色教育", "Red education"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "visit_length": ("参观时长", "Visit length"),
    "location": ("位置", "Location"),
    "arriving_from": ("来自", "Arriving from"),
    "leaving_for": ("下一站", "Next"),
    "visits": ("接待安排", "Visits"),
    "themes_served": ("对应主题", "Themes"),
    "figure": ("指标", "Figure"),
    "required": ("要求", "required"),
    "at_least": ("不少于{n}", "at least {n}"),
    "field_share": ("现场教学占比", "Field-teaching share"),
    "teaching_hours": ("教学时长（小时）", "Teaching (hours)"),
    "field_hours": ("现场教学时长（小时）", "Field teaching (hours)"),
    "seminar_hours": ("研讨（课时）", "Seminar (class hours)"),
    "report_hours": ("撰写调研报告（课时）", "Report writing (class hours)"),
    "coach_hours": ("乘车时间（小时）", "Coach driving (hours)"),
    "coach_km": ("乘车里程（公里）", "Coach distance (km)"),
    "sites_visited": ("现场教学点", "Sites visited"),
    "red_visits": ("红色教育点", "Red-education visits"),
    "lectures": ("专题讲座", "Lectures"),
    "late_evenings": ("晚间超时", "Late evenings"),
    "class_hour_note": ("1课时 = {n}分钟", "1 class hour = {n} minutes"),
    "plan_status": ("计划", "Plan"),
    "status_optimal": ("已证明最优", "proven best"),
    "status_feasible": ("可行（未证明最优）", "feasible, not proven best"),
    "generated": ("由 training-itinerary 生成", "Made with training-itinerary"),
    "date": ("日期", "Date"),
    "weekday": ("星期", "Weekday"),
    "day": ("天次", "Day"),
    "start": ("开始", "Start"),
    "end": ("结束", "End"),
    "minutes": ("分钟", "Minutes"),
    "from": ("出发地", "From"),
    "to": ("目的地", "To"),
    "km": ("公里", "km"),
    "lecturer": ("授课教师", "Lecturer"),
    "site": ("现场教学点", "Site"),
    "sheet_lecturers": ("授课教师", "Lecturers"),
    "sheet_sites": ("现场教学点", "Sites"),
    "sheet_figures": ("指标", "Figures"),
    "leave_by": ("最晚出发", "Leave by"),
    "calendar_class": ("{name} 日程", "{name}: itinerary"),
    "calendar_lecturer": ("{name} 授课安排", "{name}: lectures"),
    "desc_lecturer": ("授课教师", "Lecturer"),
    "desc_professor": ("带班教授", "Professor"),
    "desc_topic": ("专题", "Topic"),
    "desc_site": ("现场教学点", "Site"),
    "desc_class": ("班次", "Class"),
    "desc_coach": ("乘车", "Coach"),
}

SITE_KINDS: dict[str, tuple[str, str]] = {
    "enterprise": ("企业", "enterprise"),
    "village": ("村", "village"),
    "community": ("社区", "community"),
    "museum": ("博物馆", "museum"),
    "memorial": ("纪念馆", "memorial"),
    "school": ("学校", "school"),
    "government": ("政府机关", "government"),
    "park": ("园区", "park"),
    "other": ("其他", "other"),
}

WEEKDAYS = (
    ("星期一", "Monday"),
    ("星期二", "Tuesday"),
    ("星期三", "Wednesday"),
    ("星期四", "Thursday"),
    ("星期五", "Friday"),
    ("星期六", "Saturday"),
    ("星期日", "Sunday"),
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class Labels:
    """The labels of one language: ``labels("time")``, ``labels.kind(event)``, ``labels.date(d)``."""

    def __init__(self, lang: str):
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r} (expected one of: {', '.join(LANGUAGES)})")
        self.lang = lang
        self._side = 0 if lang == "zh" else 1

    def __call__(self, key: str, **fields: object) -> str:
        text = TEXT[key][self._side]
        return text.format(**fields) if fields else text

    def kind(self, event: Event) -> str:
        """The activity's name: ``现场教学``, ``Lunch``..."""
        if event.kind == "meal" and event.label in MEAL_LABELS:
            return MEAL_LABELS[event.label][self._side]
        return KIND_LABELS[event.kind][self._side]

    def kind_name(self, kind: str) -> str:
        return KIND_LABELS[kind][self._side]

    def site_kind(self, kind: str) -> str:
        return SITE_KINDS.get(kind, SITE_KINDS["other"])[self._side]

    def date(self, date: dt.date) -> str:
        """``2019年8月25日 星期日`` or ``Sunday 25 August 2019``."""
        weekday = WEEKDAYS[date.weekday()][self._side]
        if self.lang == "zh":
            return f"{date.year}年{date.month}月{date.day}日 {weekday}"
        return f"{weekday} {date.day} {MONTHS[date.month - 1]} {date.year}"

    def short_date(self, date: dt.date) -> str:
        """``8月25日 周日`` or ``Sun 25 Aug``."""
        weekday = SHORT_WEEKDAYS[date.weekday()][self._side]
        if self.lang == "zh":
            return f"{date.month}月{date.day}日 {weekday}"
        return f"{weekday} {date.day} {MONTHS[date.month - 1][:3]}"

    def weekday(self, date: dt.date) -> str:
        return WEEKDAYS[date.weekday()][self._side]

    def date_range(self, first: dt.date, last: dt.date) -> str:
        if self.lang == "zh":
            end = (
                f"{last.month}月{last.day}日" if last.year == first.year else f"{last.year}年{last.month}月{last.day}日"
            )
            return f"{first.year}年{first.month}月{first.day}日至{end}"
        return f"{first.day} {MONTHS[first.month - 1]} – {last.day} {MONTHS[last.month - 1]} {last.year}"

    def minutes(self, n: int) -> str:
        return self("minutes_n", n=n)

    def km(self, km: float) -> str:
        return self("km_n", n=f"{km:.0f}" if km >= 10 else f"{km:.1f}")
