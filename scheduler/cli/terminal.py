"""The itinerary in the terminal: a table per class and day, the figures, the solver line; and
the comparison of scenarios side by side.

Reads only the scenario (for names) and the ``Result``; never the solver.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scheduler.analysis.compare import Cell, Changes, Comparison
from scheduler.analysis.explain import binding, breakdown
from scheduler.plan.export import plan_realism
from scheduler.plan.figures import class_figures, lecturer_loads
from scheduler.plan.labels import KIND_LABELS, MEAL_LABELS, SHORT_WEEKDAYS
from scheduler.plan.model import Event, Result, SolverStats, SolveStatus
from scheduler.scenario.goals import GOALS
from scheduler.scenario.model import Scenario, format_clock

STATUS_LABELS = {
    SolveStatus.OPTIMAL: "optimal (proven best)",
    SolveStatus.FEASIBLE: "feasible (not proven best)",
    SolveStatus.INFEASIBLE: "infeasible (no plan meets the requirements)",
    SolveStatus.NO_PLAN_IN_TIME: "no plan found within the time limit",
    SolveStatus.MODEL_INVALID: "model invalid (internal error)",
}


_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Scenario or plan text with its control characters shown as escapes (ESC as ``\\x1b``, CR as
    ``\\r``): a name never moves the cursor, rings the bell or restyles the terminal. New lines stay."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def plain(text: str) -> Text:
    """``visible(text)`` as a rich ``Text``: shown as it is, never read as rich markup (``[bold]``)."""
    return Text(visible(text))


def bilingual(pair: tuple[str, str]) -> str:
    return f"{pair[0]} {pair[1]}"


def activity_label(event: Event) -> str:
    if event.kind == "meal" and event.label in MEAL_LABELS:
        return bilingual(MEAL_LABELS[event.label])
    return bilingual(KIND_LABELS[event.kind])


def place_name(scenario: Scenario, place_id: str) -> str:
    return visible(scenario.place(place_id).both())


def _who(scenario: Scenario, event: Event) -> str:
    if event.lecturer:
        return visible(scenario.lecturer(event.lecturer).label(scenario.programme.language))
    if event.professor:
        klass = next(k for k in scenario.classes if k.professor.id == event.professor)
        return visible(klass.professor.label(scenario.programme.language))
    return ""


def _what(scenario: Scenario, event: Event) -> str:
    if event.kind == "travel" and event.from_place and event.to_place:
        return f"{place_name(scenario, event.from_place)} → {place_name(scenario, event.to_place)}"
    if event.kind == "lecture" and event.topic:
        return f"{visible(scenario.topic(event.topic).both())} @ {place_name(scenario, event.place)}"
    if event.site:
        return place_name(scenario, scenario.site(event.site).place)
    return place_name(scenario, event.place)


def _coach(event: Event) -> str:
    if event.kind != "travel":
        return ""
    rest = f" +{event.rest_minutes} rest" if event.rest_minutes else ""
    return f"{event.driving_minutes} min{rest}, {event.km:.0f} km"


def day_table(scenario: Scenario, result: Result, class_id: str, day: int) -> Table:
    """One class's day: clock times, activity, place, lecturer or professor, coach leg."""
    assert result.plan is not None
    date = scenario.programme.date_of(day)
    weekday = SHORT_WEEKDAYS[date.weekday()]
    night = result.plan.night_of(class_id, date)
    sleep = place_name(scenario, night) if night else place_name(scenario, scenario.training_class(class_id).last_place)
    table = Table(
        title=f"Day {day + 1} 第{day + 1}天 · {date} {weekday[0]} {weekday[1]}",
        caption=Text(f"住宿 Night: {sleep}" if night else f"结业 Ends at: {sleep}"),
        title_justify="left",
        caption_justify="left",
        expand=False,
    )
    for header in ("时间 Time", "活动 Activity", "地点 Place", "授课 Lecturer/Professor", "乘车 Coach"):
        table.add_column(header)
    for event in result.plan.events_of(class_id, date):
        style = "dim" if event.kind in ("meal", "travel") else None
        table.add_row(
            f"{format_clock(event.start)}–{format_clock(event.end)}",
            activity_label(event),
            Text(_what(scenario, event)),
            Text(_who(scenario, event)),
            _coach(event),
            style=style,
        )
    return table


def figures_table(scenario: Scenario, result: Result) -> Table:
    """Per class: field-teaching share, seminar class hours, coach hours and km, sites, lectures."""
    assert result.plan is not None
    figures = class_figures(scenario, result.plan)
    table = Table(title="Figures 指标", title_justify="left")
    for header in (
        "班次 Class",
        "现场教学 Field share",
        "研讨 Seminar h",
        "报告 Report h",
        "车程 Coach h",
        "里程 km",
        "现场点 Sites",
        "讲座 Lectures",
    ):
        table.add_column(header, justify="right" if header != "班次 Class" else "left")
    for klass in scenario.classes:
        f = figures[klass.id]
        req = scenario.requirements_for(klass.id)
        share_ok = f.field_share + 1e-9 >= req.min_field_share
        table.add_row(
            plain(klass.label(scenario.programme.language)),
            Text(f"{f.field_share:.1%}", style="green" if share_ok else "red"),
            f"{f.seminar_class_hours:g}",
            f"{f.report_writing_class_hours:g}",
            f"{f.coach_driving_minutes / 60:.1f}",
            f"{f.coach_km:.0f}",
            str(len(f.sites_visited)),
            str(f.lectures),
        )
    return table


def lecturer_table(scenario: Scenario, result: Result) -> Table:
    assert result.plan is not None
    loads = lecturer_loads(scenario, result.plan)
    table = Table(title="Lecturers 授课教师", title_justify="left")
    table.add_column("教师 Lecturer")
    table.add_column("讲座 Lectures", justify="right")
    for lecturer in scenario.lecturers:
        table.add_row(plain(lecturer.both()), str(loads.get(lecturer.id, 0)))
    return table


def print_plan(console: Console, scenario: Scenario, result: Result) -> None:
    """The whole itinerary, class by class and day by day, then the figures."""
    assert result.plan is not None
    lang = scenario.programme.language
    console.rule(Text(visible(scenario.programme.both()), style="bold"))
    for klass in scenario.classes:
        console.print()
        title = Text(visible(klass.both()), style="bold")
        title.append(
            f" · 基地 base {place_name(scenario, klass.base)} · 教授 professor {visible(klass.professor.label(lang))}"
        )
        console.rule(title)
        for day in range(scenario.programme.days):
            console.print(day_table(scenario, result, klass.id, day))
    console.print()
    console.print(figures_table(scenario, result))
    if scenario.lecturers:
        console.print(lecturer_table(scenario, result))


def print_solver_line(console: Console, stats: SolverStats) -> None:
    """status, objective, best bound, gap, seconds: one line."""
    parts = [f"solver: {STATUS_LABELS[stats.status]}"]
    if stats.objective is not None:
        parts.append(f"objective {stats.objective:.0f}")
    if stats.best_bound is not None:
        parts.append(f"best bound {stats.best_bound:.0f}")
    if stats.gap is not None:
        parts.append(f"gap {stats.gap:.2%}")
    parts.append(f"{stats.seconds:.1f} s")
    if stats.first_plan_seconds is not None:
        parts.append(f"first plan {stats.first_plan_seconds:.1f} s")
    workers = "reproducible, one worker a search" if stats.reproducible else f"{stats.workers} free-running workers"
    parts.append(f"{stats.plans_found} plans, {workers}, seed {stats.seed}")
    if stats.cut_by_clock:
        parts.append("ended by the clock before its reproducible work was done: another run may differ")
    if stats.interrupted:
        parts.append("interrupted: best plan so far")
    if stats.focused:
        source = "bound from whole weeks of day routes" if stats.best_bound is not None else "no bound"
        parts.append(f"solved class by class around the first plan: {source}")
    console.print(" · ".join(parts), markup=False, soft_wrap=True)


def print_no_plan(
    console: Console,
    scenario: Scenario,
    status: SolveStatus,
    reasons: Sequence[str],
    *,
    minimal: bool = True,
    relaxations: Sequence[str] = (),
    conflict_known: bool | None = False,
    together: bool = True,
) -> None:
    """A plain statement that no plan exists (or none was found in time), and why if known.

    ``reasons`` are located lines (``FILE:LINE: path: sentence``): requirements that cannot
    be met on their own, or a set that cannot be met together.
    """
    if status is SolveStatus.NO_PLAN_IN_TIME and not reasons:
        console.print("No plan was found within the time limit.", markup=False)
        if conflict_known:
            console.print(
                "The requirements do not conflict (a diagnosis found them satisfiable together): "
                "try a longer --time-limit.",
                markup=False,
            )
        else:
            console.print("It is not known whether one exists: try a longer --time-limit.", markup=False)
        return
    console.print(f"No plan meets the requirements of {visible(scenario.programme.both())}.", markup=False)
    if reasons and not together:
        console.print("Each of these requirements cannot be met, whatever else the plan does:", markup=False)
    elif reasons:
        console.print(
            "These requirements cannot all be met together"
            + (" (dropping any one of them would allow a plan):" if minimal else ":"),
            markup=False,
        )
    for reason in reasons:
        console.print(f"  {visible(reason)}", markup=False)
    if relaxations:
        console.print("Smallest single changes that give a plan:", markup=False)
        for relaxation in relaxations:
            console.print(f"  - {visible(relaxation)}", markup=False)


GOAL_LABELS = {goal.name: bilingual(goal.label) for goal in GOALS}


def print_explanation(console: Console, scenario: Scenario, result: Result, trade_offs: Sequence = ()) -> None:
    """``--explain``: the objective by goal and class, and what the plan sits at."""
    assert result.plan is not None
    parts = breakdown(result)
    owners = [k.id for k in scenario.classes] + (["all"] if "all" in parts.by_class else [])
    table = Table(title="Objective 目标分解 (lower is better; rewards are negative)", title_justify="left")
    table.add_column("目标 Goal")
    for owner in owners:
        table.add_column(plain(owner) if owner != "all" else "全局 All", justify="right")
    table.add_column("合计 Total", justify="right")
    for goal, total in parts.by_goal.items():
        row = [str(parts.by_goal_and_class.get((goal, owner), 0)) for owner in owners]
        table.add_row(GOAL_LABELS.get(goal, goal), *row, str(total))
    table.add_row("合计 Total", *[str(parts.by_class.get(o, 0)) for o in owners], str(parts.total), style="bold")
    console.print(table)
    limits = binding(scenario, result.plan)
    console.print("Binding requirements and limits 紧约束 (the plan sits at them):", markup=False)
    for sentence in limits or ["none: every requirement has room to spare"]:
        console.print(f"  - {visible(sentence)}", markup=False)
    console.print("Ready to print? 实用性 (what an organiser would otherwise fix by hand):", markup=False)
    for sentence in plan_realism(scenario, result.plan).sentences():
        console.print(f"  - {visible(sentence)}", markup=False)
    if not trade_offs:
        console.print(
            "Trade-offs are priced only for a plan proven best (re-solve with a longer --time-limit).",
            markup=False,
        )
        return
    console.print("Trade-offs 取舍 (one step better on a goal, and what the others pay):", markup=False)
    for trade in trade_offs:
        label = GOAL_LABELS.get(trade.goal, trade.goal)
        if trade.outcome == "impossible":
            console.print(f"  - {label}: cannot improve by {trade.step}", markup=False)
        elif trade.outcome == "undecided":
            console.print(f"  - {label}: not priced within the time given", markup=False)
        else:
            costs = ", ".join(f"{GOAL_LABELS.get(g, g)} {d:+d}" for g, d in trade.changes.items()) or "nothing"
            bound = " (at most)" if trade.outcome == "at most" else ""
            console.print(f"  - {label} better by {trade.step}: costs {costs}{bound}", markup=False)


# ---------------------------------------------------------------------------
# Comparing scenarios (``solve.py compare``)

VERDICT_STYLES = {"better": "green", "worse": "red", "same": "dim"}
CHANGE_STYLES = {"added": "green", "dropped": "red", "moved": "yellow", "lecturer_changed": "magenta", "night": "cyan"}


def comparison_table(comparison: Comparison) -> Table:
    """The scenarios side by side: solver figures, then all classes, then each class; each variant's
    value with its delta against the base (green better, red worse)."""
    table = Table(
        title="Comparison 方案对比 (Δ against the base: green better, red worse)",
        title_justify="left",
        show_lines=False,
    )
    table.add_column("指标 Measure")
    for n, entry in enumerate(comparison.entries):
        table.add_column(plain(f"{entry.name}\n(base 基准)" if n == 0 else entry.name), justify="right")
    for section in comparison.sections:
        table.add_section()
        table.add_row(Text(section.title, style="bold"), *([""] * len(comparison.entries)))
        for row in section.rows:
            table.add_row(plain(f"  {row.label}"), *(_comparison_cell(cell) for cell in row.cells))
    return table


def _comparison_cell(cell: Cell) -> Text:
    text = Text(visible(cell.text), style=VERDICT_STYLES.get(cell.verdict or "", "") if not cell.delta_text else "")
    if cell.delta_text:
        text.append(f" {visible(cell.delta_text)}", style=VERDICT_STYLES.get(cell.verdict or "", ""))
    if cell.note:
        text.append(f"\n{visible(cell.note)}", style="dim")
    return text


def changes_table(changes: Changes) -> Table:
    """One variant's differences from the base plan, class by class and day by day."""
    table = Table(
        title=Text(f"{visible(changes.name)}: changes from the base plan 与基准方案的差异"), title_justify="left"
    )
    for header in ("班次 Class", "日期 Date", "变化 Change", "内容 What", "原 Before", "新 After"):
        table.add_column(header, overflow="fold")  # long Chinese names have no spaces to wrap at
    for row in changes.rows:
        table.add_row(
            plain(row.class_name),
            plain(row.date),
            Text(visible(row.change), style=CHANGE_STYLES.get(row.style, "")),
            plain(row.what),
            plain(row.before),
            plain(row.after),
        )
    return table


def print_comparison(console: Console, comparison: Comparison) -> None:
    """The side-by-side table, why a scenario has no plan, then what each variant's plan changes."""
    console.print(comparison_table(comparison))
    for entry in comparison.entries:
        for line in entry.why_no_plan():
            console.print(visible(f"{entry.name}: {line}"), markup=False, soft_wrap=True)
    for changes in comparison.changes:
        console.print()
        console.rule(Text(visible(changes.name), style="bold") + Text(f" vs {visible(comparison.base.name)}"))
        print_changes(console, changes)


def print_changes(console: Console, changes: Changes) -> None:
    """A plan's changes from a base plan (``compare.describe_changes``): a summary line, the changes
    class by class and day by day, and who must be told."""
    console.print(visible(changes.note), markup=False)
    if changes.rows:
        console.print(changes_table(changes))
    told = [(label, changes.audience.get(key, ())) for key, label in AUDIENCE_LABELS]
    if any(names for _, names in told):
        console.print("Who must be told 需通知:", markup=False)
        for label, names in told:
            if names:
                console.print(visible(f"  {label}: {', '.join(names)}"), markup=False, soft_wrap=True)


AUDIENCE_LABELS = (
    ("classes", "班次 Classes"),
    ("lecturers", "讲师 Lecturers"),
    ("sites", "现场点 Sites"),
    ("lodging", "住宿 Lodging"),
)
