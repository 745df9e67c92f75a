"""A comparison of solved scenarios: a base and its variants, side by side.

``build_comparison(entries)`` takes each scenario with its ``Result`` (solved elsewhere, see
``scheduler.runs``) and lays out what the terminal table, the HTML page and the JSON
export all show: the solver's figures; per class and in total the field-teaching share, seminar
class hours, coach hours and km, sites visited and (in total) the busiest and lightest
lecturer's load, each with its delta against the base and whether that is better or worse; and,
per variant, what differs from the base plan, class by class and day by day
(``scheduler.analysis.diff``), with coach legs and meals moved by a few minutes counted apart
as minor changes; and, first, a one-line verdict per variant (``scheduler.analysis.impact``).
Rows where no variant differs from the base are left out unless all rows are asked for.
Reads scenarios and plans only; never the solver.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from scheduler.analysis.diff import ChangeKind, EventChange, NightChange, PlanDiff, diff_plans
from scheduler.analysis.impact import MINOR_MINUTES, Planned, impact
from scheduler.analysis.risk import Ending, Reason, Replanned
from scheduler.plan.figures import ClassFigures, class_figures, lecturer_loads
from scheduler.plan.labels import KIND_LABELS, MEAL_LABELS, SHORT_WEEKDAYS, say
from scheduler.plan.model import Event, Result, SolverStats, SolveStatus
from scheduler.scenario.model import Scenario, format_clock

__all__ = [
    "SCHEMA",
    "Cell",
    "ChangeRow",
    "Changes",
    "Comparison",
    "Entry",
    "Row",
    "Section",
    "Verdict",
    "build_comparison",
    "describe_changes",
]

SCHEMA = "training-itinerary-comparison/1"
SAME = 1e-9
"""Deltas smaller than this are no change."""
SHOWN_PRECISION = {"share": 0.001, "class_hours": 0.01, "hours": 0.1, "seconds": 0.1}
"""Deltas are judged as shown: rounded to this (to whole units for the other forms), so that a
delta shown as +0.0 is never coloured as worse."""

# The words of the comparison, (Chinese, English), as ``scheduler.render.labels`` holds the
# outputs' words; ``say(pair, lang)`` picks one side. Names come from the scenarios as they are.
STATUS_TEXT = {
    SolveStatus.OPTIMAL: ("最优", "optimal"),
    SolveStatus.FEASIBLE: ("可行", "feasible"),
    SolveStatus.INFEASIBLE: ("无解", "infeasible"),
    SolveStatus.NO_PLAN_IN_TIME: ("时限内无解", "no plan in time"),
    SolveStatus.MODEL_INVALID: ("模型错误", "model invalid"),
}
CHANGE_TEXT = {
    ChangeKind.MOVED: ("调整", "moved"),
    ChangeKind.ADDED: ("新增", "added"),
    ChangeKind.DROPPED: ("取消", "dropped"),
    ChangeKind.LECTURER_CHANGED: ("换讲师", "lecturer changed"),
    ChangeKind.DETAILS_CHANGED: ("细节变动", "details changed"),
}
NIGHT_TEXT = ("住宿", "night")
NIGHT_WHAT = ("住宿", "Night")
INTERRUPTED = ("（已中断）", " (interrupted)")
SECTION_TITLES = {
    "solver": ("求解", "Solver"),
    "all": ("全部班次", "All classes"),
    "class": ("班次：{name}", "Class: {name}"),
}
WHY_NO_PLAN = {
    "skipped": ("未求解：对比已先行停止", "not solved: the comparison was stopped first"),
    "no_plan_in_time": (
        "时限内未找到方案（请延长 --time-limit）",
        "no plan found within the time limit (try a longer --time-limit)",
    ),
    "infeasible": (
        "没有方案能满足要求（solve.py {file} 会指出相互冲突的要求）",
        "no plan meets the requirements (solve.py {file} names those that conflict)",
    ),
    "model_invalid": (
        "求解器拒绝了模型（内部错误，请报告）",
        "the solver rejected the model (an internal error; please report it)",
    ),
}
NOTES = {
    "no_plan": ("无可行方案", "no plan"),
    "base_no_plan": ("基准方案无解，无法比较", "the base has no plan to compare with"),
    "nothing_base": ("基准方案无解：无从比较", "no plan for the base: nothing to compare"),
    "nothing_variant": ("此方案无解：无从比较", "no plan for this variant: nothing to compare"),
    "same_plan": ("与基准方案相同", "the same plan as the base"),
    "differ": (
        "{events}项活动不同（{counts}）；{nights}晚住宿不同",
        "{events} events differ ({counts}); {nights} nights differ",
    ),
    "count": ("{kind}{n}项", "{n} {kind}"),
    "minor": (
        "{note}；另有{n}项小调整未列出（乘车和用餐移动不超过{minutes}分钟）",
        "{note}; {n} minor changes not listed (coach legs and meals moved by {minutes} min or less)",
    ),
}
LABEL_VALUE = ("{label}：{value}", "{label}: {value}")
LIST_SEP = ("、", ", ")
UNITS = {"seconds": ("{n}秒", "{n} s"), "pp": ("{n}个百分点", "{n} pp")}


@dataclass(frozen=True)
class Entry:
    """One scenario of a comparison, solved: the first entry is the base."""

    file: str
    name: str
    """How the scenario is headed: the file's name without ``.yaml``."""
    scenario: Scenario
    result: Result
    reasons: tuple[str, ...] = ()
    """Why there is no plan, when known: located sentences (``FILE:LINE: path: ...``)."""
    title: str | None = None
    """The variant's own name, if it gives one."""
    skipped: bool = False
    """Never solved: the comparison was stopped (Ctrl-C) before its turn."""
    unchanged: bool = False
    """Re-planned with least change and found to need none: the base plan keeps its rules."""

    def why_no_plan(self, lang: str = "en") -> tuple[str, ...]:
        """Why the scenario has no plan, in lines in ``lang`` (empty when it has one). The located
        reasons name the scenario file's paths, which are not translated."""
        if self.result.plan is not None:
            return ()
        if self.skipped:
            return (say(WHY_NO_PLAN["skipped"], lang),)
        if self.reasons:
            return self.reasons
        status = self.result.status
        if status is SolveStatus.NO_PLAN_IN_TIME:
            return (say(WHY_NO_PLAN["no_plan_in_time"], lang),)
        if status is SolveStatus.INFEASIBLE:
            return (say(WHY_NO_PLAN["infeasible"], lang, file=self.file),)
        return (say(WHY_NO_PLAN["model_invalid"], lang),)


@dataclass(frozen=True)
class Measure:
    """A figure of the comparison: its key, its label (Chinese, English), which way is better and
    its form."""

    key: str
    label: tuple[str, str]
    better: str | None  # "higher", "lower" or None
    form: str  # "share", "class_hours", "hours", "km", "count", "number" or "seconds"


STATUS_LABEL = ("状态", "Status")
SOLVER_MEASURES = (
    Measure("objective", ("目标值", "Objective"), "lower", "number"),
    Measure("gap", ("差距", "Gap"), "lower", "share"),
    Measure("seconds", ("用时", "Seconds"), None, "seconds"),
)
CLASS_MEASURES = (
    Measure("field_share", ("现场教学占比", "Field share"), "higher", "share"),
    Measure("seminar_class_hours", ("研讨课时", "Seminar class hours"), "higher", "class_hours"),
    Measure("coach_hours", ("乘车小时", "Coach hours"), "lower", "hours"),
    Measure("coach_km", ("乘车公里", "Coach km"), "lower", "km"),
    Measure("sites_visited", ("现场教学点", "Sites visited"), "higher", "count"),
)
DISTINCT_SITES = ("现场教学点（不重复）", "Sites visited (distinct)")
LECTURER_MEASURES = (
    Measure("busiest_lecturer", ("最多授课", "Busiest lecturer"), "lower", "count"),
    Measure("lightest_lecturer", ("最少授课", "Lightest lecturer"), "higher", "count"),
)


@dataclass(frozen=True)
class Cell:
    """One scenario's value of a measure, as shown, with its delta against the base."""

    value: float | str | None
    text: str
    delta: float | None = None
    delta_text: str = ""
    verdict: str | None = None  # "better", "worse", "same" or None (the base, or no comparison)
    note: str = ""
    """Whose value it is, where it is one person's (the busiest lecturer)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "text": self.text,
            "delta": self.delta,
            "delta_text": self.delta_text,
            "verdict": self.verdict,
            "note": self.note,
        }


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    better: str | None
    cells: tuple[Cell, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "better": self.better,
            "cells": [cell.to_json() for cell in self.cells],
        }


@dataclass(frozen=True)
class Section:
    """A group of rows: the solver, all classes together, or one class."""

    key: str
    title: str
    rows: tuple[Row, ...]

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "rows": [row.to_json() for row in self.rows]}


@dataclass(frozen=True)
class ChangeRow:
    """One difference from the base plan, in words: a class's event or night on a date."""

    class_id: str
    class_name: str
    date: str
    change: str
    style: str  # the first change kind ("moved", "added", ...) or "night", for colours
    what: str
    before: str
    after: str

    def to_json(self) -> dict[str, str]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Changes:
    """What differs between one variant's plan and the base plan."""

    file: str
    name: str
    diff: PlanDiff | None
    rows: tuple[ChangeRow, ...]
    audience: dict[str, tuple[str, ...]]
    """Who must be told, by names: classes, lecturers, sites, lodging."""
    note: str
    """A one-line summary: how many changes, or why there is nothing to compare."""
    minor: int = 0
    """Minor changes left out of ``rows`` and ``diff`` (coach legs and meals moved a little)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "name": self.name,
            "note": self.note,
            "minor_changes": self.minor,
            "diff": self.diff.to_json() if self.diff is not None else None,
            "rows": [row.to_json() for row in self.rows],
            "who_must_be_told": {key: list(names) for key, names in self.audience.items()},
        }


@dataclass(frozen=True)
class Verdict:
    """One variant in a line: whether it has a plan, what it costs, how many people to tell."""

    name: str
    text: str
    impact: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "text": self.text, "impact": self.impact}


@dataclass(frozen=True)
class Comparison:
    """Everything a comparison shows, in the order it is shown."""

    entries: tuple[Entry, ...]
    sections: tuple[Section, ...]
    changes: tuple[Changes, ...]
    verdicts: tuple[Verdict, ...] = ()
    mode: str = "least_change"
    """``least_change`` (each variant re-planned from the base plan) or ``from_scratch``."""
    hidden_rows: int = 0
    """Rows left out because no variant differs from the base there."""
    minor_minutes: int = MINOR_MINUTES
    lang: str = "en"
    """The language of every text of the comparison (the names stay as the scenarios give them)."""

    @property
    def base(self) -> Entry:
        return self.entries[0]

    def to_json(self) -> dict[str, Any]:
        """The comparison as JSON-ready data (``training-itinerary-comparison/1``)."""
        programme = self.base.scenario.programme
        return {
            "schema": SCHEMA,
            "lang": self.lang,
            "programme": {"name_zh": programme.name_zh, "name_en": programme.name_en},
            "mode": self.mode,
            "minor_minutes": self.minor_minutes,
            "hidden_rows": self.hidden_rows,
            "verdicts": [verdict.to_json() for verdict in self.verdicts],
            "scenarios": [_entry_json(entry, n == 0, self.lang) for n, entry in enumerate(self.entries)],
            "table": [section.to_json() for section in self.sections],
            "changes": [changes.to_json() for changes in self.changes],
        }


@dataclass(frozen=True)
class Outcome:
    """A compared file's result as its re-plan (or solve from scratch) left it (``outcome_of``)."""

    result: Result
    reasons: tuple[Reason, ...] = ()
    """Why there is no plan, with the scenario path each concerns."""
    skipped: bool = False
    unchanged: bool = False

    def entry(
        self,
        file: str,
        name: str,
        scenario: Scenario,
        *,
        locate: Callable[[str, str], str],
        title: str | None = None,
        lang: str = "en",
    ) -> Entry:
        """The file's entry in a comparison; ``locate(path, text)`` places a reason in its file
        (``scheduler.scenario.loading.locator``); the reasons with words of their own in ``lang``."""
        return Entry(
            file=file,
            name=name,
            scenario=scenario,
            result=self.result,
            reasons=tuple(locate(r.path, r.text) if r.path else r.say(lang) for r in self.reasons),
            title=title,
            skipped=self.skipped,
            unchanged=self.unchanged,
        )


def outcome_of(
    replanned: Replanned, base: Result | None, no_plan: Callable[[SolveStatus, float, bool], SolverStats]
) -> Outcome:
    """What a re-plan (``scheduler.runs.tasks.replan_changed``, or ``solve_changed`` with no
    ``base``) means for the comparison: the base plan where it stands unchanged, the new plan,
    or no plan with its reasons. ``no_plan(status, seconds, interrupted)`` gives the figures of
    a file left without a plan (``SolveOptions.stats``)."""
    if replanned.ending is Ending.UNCHANGED and base is not None:
        return Outcome(base, unchanged=True)
    if replanned.ending is Ending.REPLANNED and replanned.result is not None:
        return Outcome(replanned.result)
    skipped = replanned.ending is Ending.NOT_RUN
    status = SolveStatus.INFEASIBLE if replanned.proven else SolveStatus.NO_PLAN_IN_TIME
    return Outcome(Result(no_plan(status, replanned.seconds, skipped), None), replanned.reasons, skipped)


def build_comparison(
    entries: Sequence[Entry],
    *,
    mode: str = "least_change",
    minor_minutes: int = MINOR_MINUTES,
    all_rows: bool = False,
    lang: str | None = None,
) -> Comparison:
    """The comparison of ``entries[1:]`` with the base ``entries[0]``.

    Every plan must already have been checked (``scheduler.analysis.check.assert_valid``).

    Parameters
    ----------
    mode
        How the variants were planned: ``least_change`` or ``from_scratch`` (for the record).
    minor_minutes
        Coach legs and meals moved by at most this much on their day are minor changes.
    all_rows
        Keep the rows where no variant differs from the base.
    lang
        The language of every text: labels, statuses, notes and verdicts (default: the base
        programme's). Names stay as the scenarios give them, in this language where they can.
    """
    if not entries:
        raise ValueError("nothing to compare (expected a base scenario and at least one variant)")
    lang = lang or entries[0].scenario.programme.language
    figures = [_figures(entry, lang) for entry in entries]
    solver_rows = (_row(m, [_solver_value(e, m) for e in entries], lang) for m in SOLVER_MEASURES)
    total_rows = (
        _row(m, [f.get(("all", m.key)) if f else None for f in figures], lang) for m in _total_measures(entries)
    )
    sections = [
        Section("solver", say(SECTION_TITLES["solver"], lang), (_status_row(entries, lang), *solver_rows)),
        Section("all", say(SECTION_TITLES["all"], lang), tuple(total_rows)),
    ]
    for class_id, name in _classes(entries, lang):
        rows = tuple(_row(m, [f.get((class_id, m.key)) if f else None for f in figures], lang) for m in CLASS_MEASURES)
        sections.append(Section(class_id, say(SECTION_TITLES["class"], lang, name=name), rows))
    hidden = 0
    if not all_rows and len(entries) > 1:
        shown = [sections[0]]
        for section in sections[1:]:
            rows = tuple(row for row in section.rows if _differs(row))
            hidden += len(section.rows) - len(rows)
            if rows:
                shown.append(Section(section.key, section.title, rows))
        sections = shown
    changes = tuple(_changes(entries[0], entry, minor_minutes, lang) for entry in entries[1:])
    verdicts = tuple(_variant_verdict(entries[0], entry, minor_minutes, lang) for entry in entries[1:])
    return Comparison(tuple(entries), tuple(sections), changes, verdicts, mode, hidden, minor_minutes, lang)


def _differs(row: Row) -> bool:
    """Whether some variant's value differs from the base's as shown (a variant without a plan,
    which has no values, differs nowhere: its status says so)."""
    base = row.cells[0]
    for cell in row.cells[1:]:
        if cell.delta is not None:
            if abs(cell.delta) >= SAME:
                return True
        elif cell.value is not None and cell.text != base.text:
            return True
    return False


def _variant_verdict(base: Entry, entry: Entry, minor_minutes: int, lang: str) -> Verdict:
    if entry.result.plan is None:
        why = entry.why_no_plan(lang)
        head = say(NOTES["no_plan"], lang)
        return Verdict(entry.name, say(LABEL_VALUE, lang, label=head, value=why[0]) if why else head, None)
    if base.result.plan is None:
        return Verdict(entry.name, say(NOTES["base_no_plan"], lang), None)
    found = impact(
        Planned(base.scenario, base.result.plan, base.result.stats.objective, base.result.objective_terms or None),
        Planned(entry.scenario, entry.result.plan, entry.result.stats.objective, entry.result.objective_terms or None),
        minor_minutes,
    )
    return Verdict(entry.name, found.verdict(lang), found.to_json())


# ---------------------------------------------------------------------------
# Figures and deltas


Value = float | str | tuple[float, str] | None
"""A measure's value: a number, a text, or (number, whose: a lecturer's name), or None."""


def _figures(entry: Entry, lang: str) -> dict[tuple[str, str], Value] | None:
    """Every measure of one scenario's plan, keyed by (class id or "all", measure key); the
    lecturers' names in ``lang``."""
    plan = entry.result.plan
    if plan is None:
        return None
    scenario = entry.scenario
    per_class = class_figures(scenario, plan)
    values: dict[tuple[str, str], Value] = {}
    for class_id, f in per_class.items():
        values |= {(class_id, key): value for key, value in _class_values(f).items()}
    teaching = sum(f.teaching_minutes for f in per_class.values())
    values |= {
        ("all", "field_share"): sum(f.field_minutes for f in per_class.values()) / teaching if teaching else 0.0,
        ("all", "seminar_class_hours"): sum(f.seminar_class_hours for f in per_class.values()),
        ("all", "coach_hours"): sum(f.coach_driving_minutes for f in per_class.values()) / 60,
        ("all", "coach_km"): sum(f.coach_km for f in per_class.values()),
        ("all", "sites_visited"): len({site for f in per_class.values() for site in f.sites_visited}),
    }
    loads = lecturer_loads(scenario, plan)
    if loads:
        busiest = max(loads, key=lambda lecturer: loads[lecturer])
        lightest = min(loads, key=lambda lecturer: loads[lecturer])
        values[("all", "busiest_lecturer")] = (loads[busiest], scenario.lecturer(busiest).label(lang))
        values[("all", "lightest_lecturer")] = (loads[lightest], scenario.lecturer(lightest).label(lang))
    return values


def _class_values(f: ClassFigures) -> dict[str, Value]:
    return {
        "field_share": f.field_share,
        "seminar_class_hours": f.seminar_class_hours,
        "coach_hours": f.coach_driving_minutes / 60,
        "coach_km": f.coach_km,
        "sites_visited": len(f.sites_visited),
    }


def _total_measures(entries: Sequence[Entry]) -> tuple[Measure, ...]:
    total = tuple(
        Measure(m.key, DISTINCT_SITES if m.key == "sites_visited" else m.label, m.better, m.form)
        for m in CLASS_MEASURES
    )
    if any(entry.scenario.lecturers for entry in entries):
        total += LECTURER_MEASURES
    return total


def _status_row(entries: Sequence[Entry], lang: str) -> Row:
    """Each scenario's status: worse if it has no plan where the base has one, better the other way round."""
    base_has_plan = entries[0].result.plan is not None
    cells = []
    for n, entry in enumerate(entries):
        stats = entry.result.stats
        has_plan = entry.result.plan is not None
        verdict = None if n == 0 or has_plan == base_has_plan else ("better" if has_plan else "worse")
        text = say(STATUS_TEXT[stats.status], lang) + (say(INTERRUPTED, lang) if stats.interrupted else "")
        cells.append(Cell(stats.status.value, text, verdict=verdict))
    return Row("status", say(STATUS_LABEL, lang), None, tuple(cells))


def _solver_value(entry: Entry, measure: Measure) -> Value:
    stats = entry.result.stats
    if measure.key == "objective":
        return stats.objective
    if measure.key == "gap":
        return stats.gap
    return stats.seconds


def _row(measure: Measure, values: list[Value], lang: str) -> Row:
    base = values[0]
    cells = [_cell(measure, base, None, lang)] + [_cell(measure, value, base, lang) for value in values[1:]]
    return Row(measure.key, say(measure.label, lang), measure.better, tuple(cells))


def _cell(measure: Measure, value: Value, base: Value, lang: str) -> Cell:
    number, whose = value if isinstance(value, tuple) else (value, None)
    if number is None:
        return Cell(None, "—")
    text, note = _format(measure.form, number, lang), whose or ""
    base_number = base[0] if isinstance(base, tuple) else base
    if isinstance(number, str) or base_number is None or isinstance(base_number, str):
        return Cell(number, text, note=note)
    step = SHOWN_PRECISION.get(measure.form, 1.0)
    delta = round((float(number) - float(base_number)) / step) * step
    return Cell(
        number, text, round(delta, 6), _format_delta(measure.form, delta, lang), _verdict(measure.better, delta), note
    )


def _verdict(better: str | None, delta: float) -> str | None:
    if better is None:
        return None
    if abs(delta) < SAME:
        return "same"
    return "better" if (delta > 0) == (better == "higher") else "worse"


def _format(form: str, value: float | str, lang: str) -> str:
    if isinstance(value, str):
        return value
    if form == "share":
        return f"{value:.1%}"
    if form == "class_hours":
        return f"{value:g}"
    if form == "hours":
        return f"{value:.1f}"
    if form == "seconds":
        return say(UNITS["seconds"], lang, n=f"{value:.1f}")
    return f"{value:.0f}"


def _format_delta(form: str, delta: float, lang: str) -> str:
    if abs(delta) < SAME:
        return "±0"
    if form == "share":
        return say(UNITS["pp"], lang, n=f"{delta * 100:+.1f}")
    if form == "class_hours":
        return f"{delta:+g}"
    if form in ("hours", "seconds"):
        return f"{delta:+.1f}"
    return f"{delta:+.0f}"


def _classes(entries: Sequence[Entry], lang: str) -> list[tuple[str, str]]:
    """Every class of any entry, the base's first, with its name."""
    seen: dict[str, str] = {}
    for entry in entries:
        for klass in entry.scenario.classes:
            seen.setdefault(klass.id, klass.label(lang))
    return list(seen.items())


# ---------------------------------------------------------------------------
# What differs from the base plan


def _changes(base: Entry, entry: Entry, minor_minutes: int, lang: str) -> Changes:
    if base.result.plan is None or entry.result.plan is None:
        note = NOTES["nothing_base" if base.result.plan is None else "nothing_variant"]
        return Changes(entry.file, entry.name, None, (), {}, say(note, lang))
    diff, minor = diff_plans(base.result.plan, entry.result.plan).without_minor(minor_minutes)
    changes = describe_changes(entry.name, entry.file, diff, entry.scenario, base.scenario, lang=lang)
    if not minor:
        return changes
    note = say(NOTES["minor"], lang, note=changes.note, n=minor, minutes=minor_minutes)
    return Changes(changes.file, changes.name, diff, changes.rows, changes.audience, note, minor)


def describe_changes(name: str, file: str, diff: PlanDiff, *scenarios: Scenario, lang: str | None = None) -> Changes:
    """A plan diff in words, as the terminal and the page show it: one row per change, by class and
    date, and who must be told, by name.

    Parameters
    ----------
    name, file
        How the changed plan is headed, and the file it comes from.
    diff
        The changes (``scheduler.analysis.diff.diff_plans``).
    scenarios
        Where names are looked up, first the changed plan's scenario, then the base's.
    lang
        The language of the words and names (default: the base programme's).
    """
    namer = _Namer(*scenarios, lang=lang)
    rows = tuple(
        _change_row(change, namer)
        for by_date in diff.by_class_and_date().values()
        for changes in by_date.values()
        for change in changes
    )
    audience = diff.who_must_be_told()
    names = {
        "classes": tuple(namer.klass(c) for c in audience.classes),
        "lecturers": tuple(namer.lecturer(lecturer) for lecturer in audience.lecturers),
        "sites": tuple(namer.site(s) for s in audience.sites),
        "lodging": tuple(namer.place(p) for p in audience.lodging),
    }
    if diff.is_empty:
        note = say(NOTES["same_plan"], namer.lang)
    else:
        counts = say(LIST_SEP, namer.lang).join(
            say(NOTES["count"], namer.lang, n=diff.count(kind), kind=say(CHANGE_TEXT[kind], namer.lang))
            for kind in ChangeKind
            if diff.count(kind)
        )
        note = say(NOTES["differ"], namer.lang, events=diff.changed_events, counts=counts, nights=len(diff.nights))
    return Changes(file, name, diff, rows, names, note)


class _Namer:
    """Names of ids in the programme's language, from the variant's scenario or else the base's."""

    def __init__(self, *scenarios: Scenario, lang: str | None = None):
        self.scenarios = scenarios
        self.lang = lang or scenarios[-1].programme.language  # the base's, as the comparison table

    def _find(self, look: Callable[[Scenario], Any], ident: str) -> str:
        for scenario in self.scenarios:
            try:
                return look(scenario).label(self.lang)
            except KeyError:
                continue
        return ident

    def klass(self, ident: str) -> str:
        return self._find(lambda s: s.training_class(ident), ident)

    def lecturer(self, ident: str) -> str:
        return self._find(lambda s: s.lecturer(ident), ident)

    def place(self, ident: str) -> str:
        return self._find(lambda s: s.place(ident), ident)

    def topic(self, ident: str) -> str:
        return self._find(lambda s: s.topic(ident), ident)

    def site(self, ident: str) -> str:
        for scenario in self.scenarios:
            try:
                return self.place(scenario.site(ident).place)
            except KeyError:
                continue
        return ident


def _change_row(change: EventChange | NightChange, name: _Namer) -> ChangeRow:
    date = f"{change.date:%m-%d} {say(SHORT_WEEKDAYS[change.date.weekday()], name.lang)}"
    if isinstance(change, NightChange):
        return ChangeRow(
            change.class_id,
            name.klass(change.class_id),
            date,
            say(NIGHT_TEXT, name.lang),
            "night",
            say(NIGHT_WHAT, name.lang),
            name.place(change.before) if change.before else "—",
            name.place(change.after) if change.after else "—",
        )
    kinds = change.changes
    return ChangeRow(
        change.class_id,
        name.klass(change.class_id),
        date,
        say(LIST_SEP, name.lang).join(say(CHANGE_TEXT[kind], name.lang) for kind in kinds),
        kinds[0].value,
        _what(change.before or change.after, name),  # type: ignore[arg-type]
        _when(change.before, name),
        _when(change.after, name),
    )


def _what(event: Event, name: _Namer) -> str:
    meal = event.kind == "meal" and event.label in MEAL_LABELS
    kind = say(MEAL_LABELS[event.label] if meal else KIND_LABELS[event.kind], name.lang)
    if event.kind == "field_visit" and event.site:
        return say(LABEL_VALUE, name.lang, label=kind, value=name.site(event.site))
    if event.kind == "lecture" and event.topic:
        return say(LABEL_VALUE, name.lang, label=kind, value=name.topic(event.topic))
    if event.kind == "travel" and event.from_place and event.to_place:
        travel = f"{name.place(event.from_place)} → {name.place(event.to_place)}"
        return say(LABEL_VALUE, name.lang, label=kind, value=travel)
    return kind


def _when(event: Event | None, name: _Namer) -> str:
    if event is None:
        return "—"
    text = f"{event.date:%m-%d} {format_clock(event.start)}–{format_clock(event.end)} · {name.place(event.place)}"
    return text + (f" · {name.lecturer(event.lecturer)}" if event.lecturer else "")


def _entry_json(entry: Entry, is_base: bool, lang: str) -> dict[str, Any]:
    stats = entry.result.stats
    plan = entry.result.plan
    return {
        "file": entry.file,
        "name": entry.name,
        "title": entry.title,
        "role": "base" if is_base else "variant",
        "status": stats.status.value,
        "objective": stats.objective,
        "best_bound": stats.best_bound,
        "gap": stats.gap,
        "seconds": stats.seconds,
        "interrupted": stats.interrupted,
        "workers": stats.workers,
        "seed": stats.seed,
        "time_limit": stats.time_limit,
        "why_no_plan": list(entry.why_no_plan(lang)),
        "figures": (
            {k: f.to_dict() for k, f in class_figures(entry.scenario, plan).items()} if plan is not None else None
        ),
        "lecturer_loads": lecturer_loads(entry.scenario, plan) if plan is not None else None,
    }
