"""A sweep's risk table as a page and as a spreadsheet (``solve.py sweep --html/--xlsx``).

Both read the table's JSON data (``scheduler.analysis.risk.RiskTable.to_json()``, what ``--json``
writes) and nothing else. The page goes through Jinja's autoescaping, so a name such as
``<script>`` prints as text; the spreadsheet stores every text as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scheduler.atomic import atomic_path, write_text
from scheduler.render.labels import TEXT, Labels
from scheduler.render.templating import environment
from scheduler.render.xlsx import table_workbook

__all__ = ["risk_html", "risk_rows", "write_risk_html", "write_risk_xlsx"]

HEADERS = {
    "en": (
        "Rank", "Kind", "Disruption", "Outcome", "Δ objective", "Δ coach min", "Δ field visits", "Events changed",
        "Minor changes", "Nights changed", "Classes told", "Trainees told", "Lecturers told", "Sites told",
        "Hotels told", "Why no plan", "Seconds",
    ),
    "zh": (
        "排序", "类别", "扰动", "结果", "目标值变化", "车程变化(分钟)", "现场教学变化(次)", "变动活动",
        "小调整", "变动住宿", "需通知班次", "需通知学员", "需通知讲师", "需通知现场点",
        "需通知住宿", "无解原因", "用时(秒)",
    ),
}  # fmt: skip
KIND_NAMES = {
    "en": {"lecturer-away": "lecturer away", "site-closed": "site closed", "coach-limit": "coach limit lower"},
    "zh": {"lecturer-away": "讲师缺席", "site-closed": "现场点闭馆", "coach-limit": "车程上限降低"},
}


def risk_rows(data: Mapping[str, Any], lang: str) -> list[list[Any]]:
    """The table's rows as cells: numbers as numbers, empty where there is no plan to compare."""
    rows = []
    kinds = KIND_NAMES.get(lang, KIND_NAMES["en"])
    for n, row in enumerate(data["rows"], 1):
        found = row.get("impact") or {}
        told = found.get("who_must_be_told") or {}
        rows.append(
            [
                n,
                kinds.get(row["disruption"]["kind"], row["disruption"]["kind"]),
                row["what"],
                row["verdict"],
                found.get("objective_delta"),
                found.get("coach_minutes_delta"),
                found.get("field_visits_delta"),
                found.get("events_changed"),
                found.get("minor_changes"),
                found.get("nights_changed"),
                len(told.get("classes", ())) if found else None,
                found.get("trainees_told"),
                len(told.get("lecturers", ())) if found else None,
                len(told.get("sites", ())) if found else None,
                len(told.get("lodging", ())) if found else None,
                "\n".join(row.get("reasons") or ()) or None,
                row.get("seconds"),
            ]
        )
    return rows


def _settings(settings: Mapping[str, Any], labels: Labels) -> list[tuple[str, Any]]:
    """How the sweep ran, each setting named in the page's language (an unknown one by its key)."""
    shown = []
    for key, value in settings.items():
        name = labels(f"setting_{key}") if f"setting_{key}" in TEXT else key
        if key == "engine" and f"engine_{value}" in TEXT:
            value = labels(f"engine_{value}")
        shown.append((name, value))
    return shown


def _lang(data: Mapping[str, Any]) -> str:
    return "zh" if data.get("lang") == "zh" else "en"


def risk_html(data: Mapping[str, Any], title: str = "") -> str:
    """The risk table ``data`` (``training-itinerary-risk/1``) as one HTML document."""
    lang = _lang(data)
    labels = Labels(lang)
    return (
        environment()
        .get_template("risk.html.j2")
        .render(
            lang=lang,
            t=labels,
            title=title,
            summary=data["summary"],
            complete=data.get("complete", True),
            settings=_settings(data.get("settings", {}), labels),
            headers=HEADERS[lang],
            rows=risk_rows(data, lang),
            endings=[row["ending"] for row in data["rows"]],
        )
    )


def write_risk_html(data: Mapping[str, Any], target: Path, title: str = "") -> None:
    """Write the page to ``target`` atomically (whole or not at all)."""
    write_text(target, risk_html(data, title))


def write_risk_xlsx(data: Mapping[str, Any], target: Path, title: str = "") -> None:
    """Write the spreadsheet to ``target`` atomically: one sheet, one row per disruption."""
    lang = _lang(data)
    workbook = table_workbook(title or data["summary"], [(Labels(lang)("risk_title"), HEADERS[lang],
                                                           risk_rows(data, lang))])  # fmt: skip
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as temp:
        workbook.save(temp)
