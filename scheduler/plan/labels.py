"""Bilingual words shared by every output: activity kinds, meals, weekdays (Chinese, English)."""

from __future__ import annotations

KIND_LABELS = {
    "opening": ("开班式", "Opening"),
    "lecture": ("专题讲座", "Lecture"),
    "field_visit": ("现场教学", "Field visit"),
    "seminar": ("研讨", "Seminar"),
    "report_writing": ("撰写调研报告", "Report writing"),
    "presentation": ("汇报交流", "Presentations"),
    "closing": ("结业式", "Closing"),
    "travel": ("乘车", "Coach"),
    "meal": ("用餐", "Meal"),
    "free_time": ("自由活动", "Free time"),
}
MEAL_LABELS = {"lunch": ("午餐", "Lunch"), "dinner": ("晚餐", "Dinner")}
SHORT_WEEKDAYS = (
    ("周一", "Mon"),
    ("周二", "Tue"),
    ("周三", "Wed"),
    ("周四", "Thu"),
    ("周五", "Fri"),
    ("周六", "Sat"),
    ("周日", "Sun"),
)


def say(pair: tuple[str, str], lang: str | None, **fields: object) -> str:
    """One side of a (Chinese, English) pair: the Chinese for ``lang`` "zh", else the English,
    its ``{fields}`` filled."""
    text = pair[0 if lang == "zh" else 1]
    return text.format(**fields) if fields else text
