"""The itinerary in the terminal: a table per class and day, the figures, the solver line,
``--explain`` and why no plan; and the comparison of scenarios side by side.

Everything is said in one language, ``lang`` (the scenario's by default): the words from
``scheduler.render.labels``, the names of places, classes and people as the scenario gives them in
that language, else in the other (``Names.label``). Tables fit the console's width without cutting
a word (``scheduler.cli.cells``). Reads only the scenario and the ``Result``; never the solver.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scheduler.analysis.compare import Cell, Changes, Comparison, describe_changes
from scheduler.analysis.diff import PlanDiff
from scheduler.analysis.explain import Binding, Limit, binding, breakdown
from scheduler.analysis.risk import Ending, RiskTable
from scheduler.cli.cells import Paragraph, fit, wrapped
from scheduler.plan.export import plan_realism
from scheduler.plan.figures import class_figures, lecturer_loads
from scheduler.plan.model import Event, Result, SolverStats, SolveStatus
from scheduler.plan.realism import Realism
from scheduler.render.labels import Labels
from scheduler.scenario.goals import GOALS, goal_named
from scheduler.scenario.model import Scenario, format_clock

_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Scenario or plan text with its control characters shown as escapes (ESC as ``\\x1b``, CR as
    ``\\r``): a name never moves the cursor, rings the bell or restyles the terminal. New lines stay."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def plain(text: str) -> Text:
    """``visible(text)`` as a rich ``Text``: shown as it is, never read as rich markup (``[bold]``)."""
    return Text(visible(text))


class Words:
    """The labels of one language and the scenario's names in it, made safe to print."""

    def __init__(self, scenario: Scenario, lang: str | None = None):
        self.scenario = scenario
        self.lang = lang or scenario.programme.language
        self.labels = Labels(self.lang)

    def __call__(self, key: str, **fields: object) -> str:
        return self.labels(key, **fields)

    def count(self, noun: str, n: int) -> str:
        return self.labels.count(noun, n)

    def join(self, items: Sequence[str]) -> str:
        return self("list_sep").join(items)

    def programme(self) -> str:
        return visible(self.scenario.programme.label(self.lang))

    def place(self, place_id: str) -> str:
        return visible(self.scenario.place(place_id).label(self.lang))

    def site(self, site_id: str) -> str:
        return visible(self.scenario.site_name(site_id, self.lang))

    def klass(self, class_id: str) -> str:
        return visible(self.scenario.training_class(class_id).label(self.lang))

    def lecturer(self, lecturer_id: str) -> str:
        return visible(self.scenario.lecturer(lecturer_id).label(self.lang))

    def topic(self, topic_id: str) -> str:
        return visible(self.scenario.topic(topic_id).label(self.lang))

    def professor(self, professor_id: str) -> str:
        klass = next(k for k in self.scenario.classes if k.professor.id == professor_id)
        return visible(klass.professor.label(self.lang))


def _print(console: Console, text: str | Text, style: str = "") -> None:
    """A line or paragraph, wrapped at spaces and between Chinese characters, never as markup."""
    console.print(Paragraph(text, style))


def _print_table(console: Console, table: Table) -> None:
    console.print(fit(table, console.width))


def _new_table(title: str, caption: str | None = None) -> Table:
    return Table(
        title=wrapped(title),
        caption=wrapped(caption) if caption else None,
        title_justify="left",
        caption_justify="left",
        expand=False,
    )


def _who(words: Words, event: Event) -> str:
    if event.lecturer:
        return words.lecturer(event.lecturer)
    if event.professor:
        return words.professor(event.professor)
    return ""


def _what(words: Words, event: Event) -> str:
    if event.kind == "travel" and event.from_place and event.to_place:
        return f"{words.place(event.from_place)} → {words.place(event.to_place)}"
    if event.kind == "lecture" and event.topic:
        return words("lecture_at", topic=words.topic(event.topic), place=words.place(event.place))
    if event.site:
        return words.site(event.site)
    return words.place(event.place)


def _coach(words: Words, event: Event) -> str:
    if event.kind != "travel":
        return ""
    minutes, km = words.labels.minutes(event.driving_minutes or 0), words.labels.km(event.km or 0.0)
    if event.rest_minutes:
        return words("coach_leg_rest", minutes=minutes, rest=words("rest_n", n=event.rest_minutes), km=km)
    return words("coach_leg", minutes=minutes, km=km)


def day_table(scenario: Scenario, result: Result, class_id: str, day: int, lang: str | None = None) -> Table:
    """One class's day: clock times, activity, place, lecturer or professor, coach leg."""
    assert result.plan is not None
    words = Words(scenario, lang)
    date = scenario.programme.date_of(day)
    night = result.plan.night_of(class_id, date)
    sleep = words.place(night or scenario.training_class(class_id).last_place)
    table = _new_table(
        f"{words('day_n', n=day + 1)} · {words.labels.short_date(date)}",
        words("label_value", label=words("night_at" if night else "ends_at"), value=sleep),
    )
    table.add_column(wrapped(words("time")), no_wrap=True)
    for header in ("activity", "place", "who", "coach"):
        table.add_column(wrapped(words(header)))
    for event in result.plan.events_of(class_id, date):
        table.add_row(
            wrapped(f"{format_clock(event.start)}–{format_clock(event.end)}"),
            wrapped(words.labels.kind(event)),
            wrapped(_what(words, event)),
            wrapped(_who(words, event)),
            wrapped(_coach(words, event)),
            style="dim" if event.kind in ("meal", "travel") else None,
        )
    return table


def figures_table(scenario: Scenario, result: Result, lang: str | None = None) -> Table:
    """The figures, one row each, one column per class: field-teaching share (green when it meets
    the class's minimum, red when not), seminar and report class hours, coach hours and km, sites,
    lectures."""
    assert result.plan is not None
    words = Words(scenario, lang)
    figures = class_figures(scenario, result.plan)
    table = _new_table(words("section_figures"))
    table.add_column(wrapped(words("figure")))
    for klass in scenario.classes:
        table.add_column(wrapped(words.klass(klass.id)), justify="right")
    shares = []
    for klass in scenario.classes:
        share = figures[klass.id].field_share
        enough = share + 1e-9 >= scenario.requirements_for(klass.id).min_field_share
        shares.append(wrapped(f"{share:.1%}", "green" if enough else "red"))
    table.add_row(wrapped(words("field_share")), *shares)
    rows = (
        ("seminar_hours", lambda f: f"{f.seminar_class_hours:g}"),
        ("report_hours", lambda f: f"{f.report_writing_class_hours:g}"),
        ("coach_hours", lambda f: f"{f.coach_driving_minutes / 60:.1f}"),
        ("coach_km", lambda f: f"{f.coach_km:.0f}"),
        ("sites_visited", lambda f: str(len(f.sites_visited))),
        ("lectures", lambda f: str(f.lectures)),
    )
    for key, value in rows:
        table.add_row(wrapped(words(key)), *(wrapped(value(figures[k.id])) for k in scenario.classes))
    return table


def lecturer_table(scenario: Scenario, result: Result, lang: str | None = None) -> Table:
    """Each lecturer and the number of lectures they give."""
    assert result.plan is not None
    words = Words(scenario, lang)
    loads = lecturer_loads(scenario, result.plan)
    table = _new_table(words("lecturers"))
    table.add_column(wrapped(words("lecturer")))
    table.add_column(wrapped(words("lectures")), justify="right")
    for lecturer in scenario.lecturers:
        table.add_row(wrapped(words.lecturer(lecturer.id)), wrapped(str(loads.get(lecturer.id, 0))))
    return table


def print_plan(console: Console, scenario: Scenario, result: Result, lang: str | None = None) -> None:
    """The whole itinerary, class by class and day by day, then the figures."""
    assert result.plan is not None
    words = Words(scenario, lang)
    console.rule()
    _print(console, words.programme(), "bold")
    for klass in scenario.classes:
        console.print()
        console.rule()
        title = wrapped(words.klass(klass.id), "bold")
        for label, value in (("base", words.place(klass.base)), ("professor", words.professor(klass.professor.id))):
            title.append(f" · {words('label_value', label=words(label), value=value)}")
        _print(console, title)
        for day in range(scenario.programme.days):
            _print_table(console, day_table(scenario, result, klass.id, day, words.lang))
    console.print()
    _print_table(console, figures_table(scenario, result, words.lang))
    if scenario.lecturers:
        _print_table(console, lecturer_table(scenario, result, words.lang))


STATUS_KEYS = {
    SolveStatus.OPTIMAL: "solver_optimal",
    SolveStatus.FEASIBLE: "solver_feasible",
    SolveStatus.INFEASIBLE: "solver_infeasible",
    SolveStatus.NO_PLAN_IN_TIME: "solver_no_plan_in_time",
    SolveStatus.MODEL_INVALID: "solver_model_invalid",
}


def solver_line(stats: SolverStats, lang: str) -> str:
    """status, objective, best bound, gap, seconds, plans found, workers, seed: one sentence."""
    labels = Labels(lang)
    parts = [labels("label_value", label=labels("solver"), value=labels(STATUS_KEYS[stats.status]))]
    if stats.objective is not None:
        parts.append(labels("solver_objective", n=f"{stats.objective:.0f}"))
    if stats.best_bound is not None:
        parts.append(labels("solver_bound", n=f"{stats.best_bound:.0f}"))
    if stats.gap is not None:
        parts.append(labels("solver_gap", gap=f"{stats.gap:.2%}"))
    parts.append(labels("seconds_n", n=f"{stats.seconds:.1f}"))
    if stats.first_plan_seconds is not None:
        parts.append(labels("solver_first_plan", seconds=labels("seconds_n", n=f"{stats.first_plan_seconds:.1f}")))
    workers = labels("solver_reproducible") if stats.reproducible else labels.count("free_worker", stats.workers)
    parts.append(
        labels("list_sep").join((labels.count("plan", stats.plans_found), workers, labels("solver_seed", n=stats.seed)))
    )
    if stats.cut_by_clock:
        parts.append(labels("solver_cut_by_clock"))
    if stats.interrupted:
        parts.append(labels("solver_interrupted"))
    if stats.focused:
        bound = labels("solver_week_bound" if stats.best_bound is not None else "solver_no_bound")
        parts.append(labels("solver_focused", bound=bound))
    return " · ".join(parts)


def print_solver_line(console: Console, stats: SolverStats, lang: str) -> None:
    """The solver's line (``solver_line``), wrapped at the console's width."""
    _print(console, solver_line(stats, lang))


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
    lang: str | None = None,
) -> None:
    """A plain statement that no plan exists (or none was found in time), and why if known.

    ``reasons`` are located lines (``FILE:LINE: path: sentence``): requirements that cannot
    be met on their own, or a set that cannot be met together. They, and the ``relaxations``,
    are printed as given: they name the scenario file's paths, which are not translated.
    """
    words = Words(scenario, lang)
    if status is SolveStatus.NO_PLAN_IN_TIME and not reasons:
        _print(console, words("no_plan_in_time"))
        _print(console, words("no_conflict" if conflict_known else "plan_unknown"))
        return
    _print(console, words("no_plan_meets", name=words.programme()))
    if reasons and not together:
        _print(console, words("each_cannot"))
    elif reasons:
        _print(console, words("together_cannot_minimal" if minimal else "together_cannot"))
    for reason in reasons:
        _print(console, f"  {visible(reason)}")
    if relaxations:
        _print(console, words("relaxations"))
        for relaxation in relaxations:
            _print(console, f"  - {visible(relaxation)}")


# ---------------------------------------------------------------------------
# ``--explain``


def print_explanation(
    console: Console, scenario: Scenario, result: Result, trade_offs: Sequence = (), lang: str | None = None
) -> None:
    """``--explain``: the objective by goal and class with what a unit of each goal is worth, the
    requirements and limits the plan sits at, what an organiser would fix by hand, and the price
    of one step better on each goal (for a plan proven best)."""
    assert result.plan is not None
    words = Words(scenario, lang)
    _print_table(console, objective_table(scenario, result, words.lang))
    prices = [
        words("per_unit", points=f"{-price if goal.reward else price:d}", noun=_unit(words, goal.name, 1))
        for goal in GOALS
        if (price := goal.price(scenario.weights))
    ]
    _print(console, words("points_per_unit", prices=words.join(prices)))
    _print(console, words("binding_title"))
    sentences = [binding_sentence(words, found) for found in binding(scenario, result.plan)]
    for sentence in sentences or [words("binding_none")]:
        _print(console, f"  - {sentence}")
    _print(console, words("realism_title"))
    for sentence in realism_sentences(words, plan_realism(scenario, result.plan)):
        _print(console, f"  - {sentence}")
    if not trade_offs:
        _print(console, words("tradeoffs_unpriced"))
        return
    _print(console, words("tradeoffs_title"))
    for trade in trade_offs:
        _print(console, f"  - {trade_sentence(words, trade)}")


def objective_table(scenario: Scenario, result: Result, lang: str | None = None) -> Table:
    """The objective's points by class (rows, the programme-wide terms under "all", then the
    totals) and goal (columns): a row per class, so that the table keeps its width however many
    classes there are."""
    words = Words(scenario, lang)
    parts = breakdown(result)
    owners = [k.id for k in scenario.classes] + (["all"] if "all" in parts.by_class else [])
    goals = list(parts.by_goal)
    table = _new_table(words("objective_title"))
    table.add_column(wrapped(words("class")))
    for goal in goals:
        table.add_column(wrapped(_goal_label(words, goal)), justify="right")
    table.add_column(wrapped(words("total")), justify="right")
    for owner in owners:
        row = [wrapped(str(parts.by_goal_and_class.get((goal, owner), 0))) for goal in goals]
        name = words.klass(owner) if owner != "all" else words("all_classes")
        table.add_row(wrapped(name), *row, wrapped(str(parts.by_class.get(owner, 0))))
    totals = [wrapped(str(parts.by_goal[goal])) for goal in goals]
    table.add_row(wrapped(words("total")), *totals, wrapped(str(parts.total)), style="bold")
    return table


def _goal_label(words: Words, name: str) -> str:
    goal = goal_named(name)
    return goal.label[0 if words.lang == "zh" else 1] if goal else visible(name)


def _unit(words: Words, goal: str, n: float) -> str:
    """The goal's unit, singular for one: ``coach minute``, ``visits that fit the class's theme``."""
    return words(f"unit_{goal}" if n == 1 else f"units_{goal}")


def _units(words: Words, goal_name: str, points: float) -> str:
    """``points`` of the objective on a goal in the goal's own units, as a change: ``37 more coach
    minutes``, ``1 fewer visit that fits the class's theme`` (a reward's points count negative)."""
    goal = goal_named(goal_name)
    price = goal.price(words.scenario.weights) if goal else 0
    if goal is None or not price:
        return f"{_goal_label(words, goal_name)} {points:+g}"
    units = points / price * (-1 if goal.reward else 1)
    n = abs(units)
    return words("more" if units > 0 else "fewer", n=f"{n:g}", noun=_unit(words, goal.name, n))


def _better(words: Words, goal_name: str, step: int) -> str:
    """One step better on a goal (``step`` points less), in its units: ``30 fewer coach minutes``."""
    return _units(words, goal_name, -step)


def trade_sentence(words: Words, trade) -> str:
    """One trade-off (``scheduler.solver.diagnosis.tradeoffs.TradeOff``) in words and units."""
    goal, better = _goal_label(words, trade.goal), _better(words, trade.goal, trade.step)
    if trade.outcome == "impossible":
        return words("trade_impossible", goal=goal, better=better)
    if trade.outcome == "undecided":
        return words("trade_undecided", goal=goal, better=better)
    if not trade.changes:
        return words("trade_free", goal=goal, better=better)
    changes = words.join([_units(words, other, delta) for other, delta in trade.changes.items()])
    key = "trade_at_most" if trade.outcome == "at most" else "trade_priced"
    return words(key, goal=goal, better=better, changes=changes)


def binding_sentence(words: Words, found: Binding) -> str:
    """A binding requirement or limit (``explain.binding``) in words, naming the class or place."""
    klass = words.klass(found.class_id) if found.class_id else ""
    date = words.labels.short_date(found.date) if found.date else ""
    where = words("requirement_own" if found.own else "requirement_default")
    if found.limit is Limit.MIN_FIELD_SHARE:
        return words(
            "binding_field_share", klass=klass, share=f"{found.value:.1%}", minimum=f"{found.bound:.0%}", where=where
        )
    if found.limit is Limit.MIN_RED_EDUCATION_VISITS:
        return words("binding_red_visits", klass=klass, visits=words.count("red_visit", int(found.value)), where=where)
    if found.limit is Limit.MAX_COACH_MINUTES:
        return words(
            "binding_coach",
            klass=klass,
            date=date,
            minutes=words.labels.minutes(f"{found.value:g}"),
            limit=words.labels.minutes(f"{found.bound:g}"),
        )
    if found.limit is Limit.LATEST_RETURN:
        return words(
            "binding_return",
            klass=klass,
            date=date,
            time=format_clock(int(found.value)),
            latest=format_clock(int(found.bound)),
        )
    return words(
        "binding_lodging",
        date=date,
        place=words.place(found.place or ""),
        used=f"{found.value:g}",
        classes=words.count("class", int(found.bound)),
    )


def realism_sentences(words: Words, realism: Realism) -> list[str]:
    """What an organiser would otherwise fix by hand (``scheduler.plan.realism``), one line each."""
    t, minutes = realism.thresholds, words.labels.minutes
    idle = [words.lecturer(lecturer) for lecturer in realism.idle_lecturers]
    return [
        words(
            "realism_gate_waits",
            threshold=minutes(t.gate_wait_minutes),
            n=len(realism.gate_waits),
            total=minutes(realism.gate_wait_minutes),
        ),
        words(
            "realism_idle",
            threshold=minutes(t.idle_minutes),
            n=len(realism.idle_blocks),
            total=minutes(realism.idle_minutes),
        ),
        words(
            "realism_free_time",
            blocks=words.count("block", realism.free_time_blocks),
            total=minutes(realism.free_time_minutes),
        ),
        words(
            "realism_off_grid",
            n=realism.starts_off_grid,
            read=realism.starts_read,
            share=f"{realism.off_grid_share:.0%}",
        ),
        words("realism_after_closing", n=len(realism.after_closing)),
        words(
            "realism_trips",
            threshold=minutes(t.lecturer_margin_minutes),
            n=realism.trips_without_margin,
            trips=realism.lecturer_trips,
            returns=realism.returns_shown,
        ),
        words(
            "realism_idle_lecturers",
            n=len(idle),
            names=words("names_in_brackets", names=words.join(idle)) if idle else "",
        ),
        words("realism_empty_days", n=len(realism.empty_days)),
    ]


# ---------------------------------------------------------------------------
# ``replan``: what changed and who must be told


def print_replan_changes(console: Console, scenario: Scenario, diff: PlanDiff, weighted: int, lang: str) -> None:
    """The changes of a re-plan: how many, each class's by date in names (as the comparison
    states them, ``compare.describe_changes``), and who must be told, by name."""
    words = Words(scenario, lang)
    summary = words(
        "changes_summary",
        events=words.count("event", diff.changed_events),
        nights=words.count("night", len(diff.nights)),
        weighted=weighted,
    )
    _print(console, summary)
    for row in describe_changes("", "", diff, scenario, lang=words.lang).rows:
        fields = {key: visible(getattr(row, key)) for key in ("date", "change", "what", "before", "after")}
        _print(console, "  " + words("replan_change", klass=visible(row.class_name), **fields))
    audience = diff.who_must_be_told()
    _print(console, words("who_must_be_told"))
    for label, names in (
        ("classes", [words.klass(c) for c in audience.classes]),
        ("lecturers", [words.lecturer(lecturer) for lecturer in audience.lecturers]),
        ("sheet_sites", [words.site(site) for site in audience.sites]),
        ("lodging", [words.place(place) for place in audience.lodging]),
    ):
        _print(console, f"  {words('label_value', label=words(label), value=words.join(names) or words('nobody'))}")


# ---------------------------------------------------------------------------
# Comparing scenarios (``solve.py compare``)

VERDICT_STYLES = {"better": "green", "worse": "red", "same": "dim"}
CHANGE_STYLES = {"added": "green", "dropped": "red", "moved": "yellow", "lecturer_changed": "magenta", "night": "cyan"}


def comparison_table(comparison: Comparison) -> Table:
    """The scenarios side by side: solver figures, then all classes, then each class; each variant's
    value with its delta against the base (green better, red worse). In the comparison's language."""
    labels = Labels(comparison.lang)
    table = _new_table(labels("comparison_title"))
    table.add_column(wrapped(labels("measure")))
    for n, entry in enumerate(comparison.entries):
        name = visible(entry.name) + (labels("base_marker") if n == 0 else "")
        table.add_column(wrapped(name), justify="right")
    for section in comparison.sections:
        table.add_section()
        table.add_row(wrapped(visible(section.title), "bold"), *([""] * len(comparison.entries)))
        for row in section.rows:
            table.add_row(wrapped(f"  {visible(row.label)}"), *(_comparison_cell(cell) for cell in row.cells))
    return table


def _comparison_cell(cell: Cell) -> Text:
    text = Text(visible(cell.text), style=VERDICT_STYLES.get(cell.verdict or "", "") if not cell.delta_text else "")
    if cell.delta_text:
        text.append(f" {visible(cell.delta_text)}", style=VERDICT_STYLES.get(cell.verdict or "", ""))
    if cell.note:
        text.append(f"\n{visible(cell.note)}", style="dim")
    return wrapped(text)


def changes_table(changes: Changes, lang: str) -> Table:
    """One variant's differences from the base plan, class by class and day by day."""
    labels = Labels(lang)
    table = _new_table(labels("changes_from_base", name=visible(changes.name)))
    for header in ("class", "date", "change", "what", "before", "after"):
        table.add_column(wrapped(labels(header)))
    for row in changes.rows:
        table.add_row(
            wrapped(visible(row.class_name)),
            wrapped(visible(row.date)),
            wrapped(visible(row.change), CHANGE_STYLES.get(row.style, "")),
            wrapped(visible(row.what)),
            wrapped(visible(row.before)),
            wrapped(visible(row.after)),
        )
    return table


ENDING_KEYS = {ending: f"ending_{ending.value}" for ending in Ending}


def print_risk_table(console: Console, table: RiskTable, top: int = 25) -> None:
    """The sweep's summary, then its ``top`` riskiest disruptions (those absorbed unchanged are
    counted, not listed), in the table's language."""
    labels = Labels(table.lang)
    _print(console, visible(table.summary()), "bold")
    shown = [row for row in table.rows if row.outcome.ending is not Ending.UNCHANGED][:top]
    if not shown:
        return
    grid = _new_table(labels("risk_title"))
    for n, header in enumerate(("disruption", "outcome", "objective", "coach", "changes", "people")):
        grid.add_column(wrapped(labels(f"risk_{header}")), justify="right" if n > 1 else "left")
    for row in shown:
        found = row.impact
        ending = row.outcome.ending
        outcome = wrapped(labels(ENDING_KEYS[ending]), "red" if ending in (Ending.NO_PLAN, Ending.FAILED) else "")
        if ending is Ending.NO_PLAN and not row.outcome.proven:
            outcome.append(labels("none_in_time"))
        # the costs not in a column of their own, and why there is no plan, under the outcome
        costs = found.costs(table.lang) if found else []
        also = costs[1:] if found and found.coach_minutes_delta else costs
        reasons = [r.say(table.lang) for r in row.outcome.reasons[:2]]
        for line in (labels("list_sep").join(also), *reasons):
            if line:
                outcome.append("\n" + visible(line), style="dim")
        grid.add_row(
            wrapped(visible(row.what)),
            outcome,
            wrapped(f"{found.objective_delta:+.0f}" if found and found.objective_delta is not None else "—"),
            wrapped(f"{found.coach_minutes_delta:+d}" if found else "—"),
            wrapped(f"{found.events_changed}+{found.nights_changed}" if found else "—"),
            wrapped(str(found.people_told) if found else "—"),
        )
    _print_table(console, grid)
    rest = len([r for r in table.rows if r.outcome.ending is not Ending.UNCHANGED]) - len(shown)
    if rest > 0:
        _print(console, labels("risk_more", n=rest), "dim")


def print_comparison(console: Console, comparison: Comparison) -> None:
    """A verdict per variant, the side-by-side table, why a scenario has no plan, then what each
    variant's plan changes; in the comparison's language."""
    labels = Labels(comparison.lang)
    _print(console, labels(f"verdicts_{comparison.mode}"), "bold")
    for verdict in comparison.verdicts:
        _print(console, "  " + labels("label_value", label=visible(verdict.name), value=visible(verdict.text)))
    console.print()
    _print_table(console, comparison_table(comparison))
    if comparison.hidden_rows:
        _print(console, labels("rows_hidden", n=comparison.hidden_rows), "dim")
    for entry in comparison.entries:
        for line in entry.why_no_plan(comparison.lang):
            _print(console, labels("label_value", label=visible(entry.name), value=visible(line)))
    for changes in comparison.changes:
        console.print()
        heading = labels("versus", variant=visible(changes.name), base=visible(comparison.base.name))
        console.rule(Text(heading, style="bold"))
        print_changes(console, changes, comparison.lang)


def print_changes(console: Console, changes: Changes, lang: str) -> None:
    """A plan's changes from a base plan (``compare.describe_changes``): a summary line, the changes
    class by class and day by day, and who must be told, in ``lang``."""
    labels = Labels(lang)
    _print(console, visible(changes.note))
    if changes.rows:
        _print_table(console, changes_table(changes, lang))
    told = [(label, changes.audience.get(key, ())) for key, label in AUDIENCE_LABELS]
    if any(names for _, names in told):
        _print(console, labels("who_must_be_told"))
        for label, names in told:
            if names:
                value = labels("list_sep").join(visible(name) for name in names)
                _print(console, "  " + labels("label_value", label=labels(label), value=value))


AUDIENCE_LABELS = (("classes", "classes"), ("lecturers", "lecturers"), ("sites", "sheet_sites"), ("lodging", "lodging"))
"""The comparison's audience keys, and the labels they are shown with."""
