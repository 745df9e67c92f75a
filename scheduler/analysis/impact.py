"""What a change to the programme costs and whom it concerns, against a base plan: the figures an
organiser weighs a what-if by (``solve.py compare``) and a sweep ranks disruptions by
(``solve.py sweep``).

``impact(base, changed)`` takes the base scenario and plan and the changed scenario with its new
plan (or none) and gives an ``Impact``: whether there is a plan, the objective's delta and the
deltas in the organiser's units (coach minutes and km, field visits, field-teaching share,
seminar class hours), how many events and nights change (minor changes, ``PlanDiff.without_minor``,
counted apart) and who must be told. ``Impact.verdict(lang)`` is the one-line summary. Reads
scenarios and plans only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scheduler.analysis.diff import Audience, PlanDiff, diff_plans
from scheduler.plan.figures import class_figures
from scheduler.plan.labels import say
from scheduler.plan.model import Plan
from scheduler.scenario.goals import Term, goal_named
from scheduler.scenario.model import Scenario

__all__ = ["MINOR_MINUTES", "Impact", "Planned", "impact"]

MINOR_MINUTES = 15
"""A coach leg or meal moved by at most this many minutes on its day is a minor change, by default."""


@dataclass(frozen=True)
class Planned:
    """A scenario with its plan (None: no plan was found) and the plan's objective."""

    scenario: Scenario
    plan: Plan | None
    objective: float | None = None
    terms: Mapping[str, int] | None = None
    """The objective's terms by name (``Result.objective_terms``), when known."""


@dataclass(frozen=True)
class Totals:
    """A plan's figures over all classes, in the organiser's units."""

    coach_minutes: int
    coach_km: float
    field_visits: int
    field_share: float
    seminar_class_hours: float

    @classmethod
    def of(cls, scenario: Scenario, plan: Plan) -> Totals:
        figures = class_figures(scenario, plan).values()
        teaching = sum(f.teaching_minutes for f in figures)
        return cls(
            coach_minutes=sum(f.coach_driving_minutes for f in figures),
            coach_km=round(sum(f.coach_km for f in figures), 1),
            field_visits=sum(1 for e in plan.events if e.kind == "field_visit"),
            field_share=sum(f.field_minutes for f in figures) / teaching if teaching else 0.0,
            seminar_class_hours=sum(f.seminar_class_hours for f in figures),
        )


@dataclass(frozen=True)
class Impact:
    """What a changed plan costs against the base plan, and whom it concerns."""

    has_plan: bool
    objective_delta: float | None = None
    coach_minutes_delta: int = 0
    coach_km_delta: float = 0.0
    field_visits_delta: int = 0
    field_share_delta: float = 0.0
    """In shares (0.01 is one percentage point)."""
    seminar_hours_delta: float = 0.0
    events_changed: int = 0
    """Events that change, minor changes left out."""
    minor_changes: int = 0
    nights_changed: int = 0
    told: Audience = Audience((), (), (), ())
    trainees_told: int = 0
    diff: PlanDiff | None = None
    """The changes that count (minor ones left out)."""
    goal_deltas: Mapping[str, int] | None = None
    """The objective's delta by goal (``scheduler.scenario.goals``), non-zero ones only, when
    both plans' terms are known."""

    def objective_reasons(self, lang: str = "en") -> str:
        """The goals the objective's delta comes from, largest first: ``Lecturer balance +480``."""
        if not self.goal_deltas:
            return ""
        index = 0 if lang == "zh" else 1
        parts = sorted(self.goal_deltas.items(), key=lambda item: -abs(item[1]))
        named = [(goal_named(name).label[index] if goal_named(name) else name, delta) for name, delta in parts]
        return say(("、", ", "), lang).join(f"{label} {delta:+d}" for label, delta in named)

    @property
    def unchanged(self) -> bool:
        return self.has_plan and self.events_changed == 0 and self.nights_changed == 0

    @property
    def people_told(self) -> int:
        """Trainees of the classes told, their lecturers, one host per site and one desk per hotel."""
        told = self.told
        return self.trainees_told + len(told.lecturers) + len(told.sites) + len(told.lodging)

    def costs(self, lang: str = "en") -> list[str]:
        """The non-zero deltas in words, worst first as an organiser reads them."""
        zh = lang == "zh"
        parts = []
        if self.coach_minutes_delta:
            parts.append(f"车程{self.coach_minutes_delta:+d}分钟" if zh else f"{self.coach_minutes_delta:+d} coach min")
        if self.field_visits_delta:
            parts.append(
                f"现场教学{self.field_visits_delta:+d}次" if zh else f"{self.field_visits_delta:+d} field visits"
            )
        if round(self.field_share_delta * 1000):
            pp = self.field_share_delta * 100
            parts.append(f"现场教学占比{pp:+.1f}个百分点" if zh else f"field share {pp:+.1f} pp")
        if abs(self.seminar_hours_delta) >= 0.5:
            hours = self.seminar_hours_delta
            parts.append(f"研讨{hours:+g}学时" if zh else f"{hours:+g} seminar class hours")
        return parts

    def verdict(self, lang: str = "en") -> str:
        """One line: whether there is a plan, what it costs, how many changes and people to tell."""
        zh = lang == "zh"
        if not self.has_plan:
            return "无可行方案" if zh else "no plan"
        if self.unchanged:
            return "原方案不变" if zh else "the base plan stands unchanged"
        head = "可行" if zh else "feasible"
        objective = self.objective_delta
        costs = self.costs(lang)
        if objective is not None:
            shown = f"目标值{objective:+.0f}" if zh else f"objective {objective:+.0f}"
            why = self.objective_reasons(lang)
            if why:
                shown += f"（{why}）" if zh else f" ({why})"
            costs.insert(0, shown)
        changed = (
            f"{self.events_changed}项活动、{self.nights_changed}晚住宿变动"
            if zh
            else f"{self.events_changed} events and {self.nights_changed} nights change"
        )
        if self.minor_changes:
            changed += f"（另有{self.minor_changes}项小调整）" if zh else f" (+{self.minor_changes} minor)"
        told = self.told
        counts = (len(told.lecturers), len(told.sites), len(told.lodging))
        if zh:
            parts = [f"{len(told.classes)}个班（{self.trainees_told}名学员）"]
            parts += [f"{n}{unit}" for n, unit in zip(counts, ("位讲师", "个现场点", "处住宿"), strict=True) if n]
            who = "需通知" + "、".join(parts)
        else:
            parts = [f"{_count(len(told.classes), 'class', 'classes')} ({self.trainees_told} trainees)"]
            parts += [_count(n, unit) for n, unit in zip(counts, ("lecturer", "site", "hotel"), strict=True) if n]
            who = "tell " + ", ".join(parts)
        if costs:
            head += ("，" + "、".join(costs)) if zh else (": " + ", ".join(costs))
        return ("；" if zh else "; ").join([head, changed, who])

    def to_json(self) -> dict[str, Any]:
        return {
            "has_plan": self.has_plan,
            "unchanged": self.unchanged,
            "objective_delta": self.objective_delta,
            "objective_by_goal": dict(self.goal_deltas) if self.goal_deltas else {},
            "coach_minutes_delta": self.coach_minutes_delta,
            "coach_km_delta": self.coach_km_delta,
            "field_visits_delta": self.field_visits_delta,
            "field_share_delta": round(self.field_share_delta, 6),
            "seminar_class_hours_delta": self.seminar_hours_delta,
            "events_changed": self.events_changed,
            "minor_changes": self.minor_changes,
            "nights_changed": self.nights_changed,
            "who_must_be_told": self.told.to_json(),
            "trainees_told": self.trainees_told,
            "people_told": self.people_told,
        }


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def impact(base: Planned, changed: Planned, minor_minutes: int = MINOR_MINUTES) -> Impact:
    """What ``changed`` costs against ``base`` and whom it concerns (``base`` must have a plan).

    Parameters
    ----------
    base
        The base scenario with its plan.
    changed
        The changed scenario with its plan, or without one (then only ``has_plan`` is False).
    minor_minutes
        Coach legs and meals moved by at most this much on their day are minor changes.
    """
    if base.plan is None:
        raise ValueError("the base has no plan to compare with")
    if changed.plan is None:
        return Impact(has_plan=False)
    before, after = Totals.of(base.scenario, base.plan), Totals.of(changed.scenario, changed.plan)
    full = diff_plans(base.plan, changed.plan)
    kept, minor = full.without_minor(minor_minutes)
    told = kept.who_must_be_told()
    trainees = 0
    for class_id in told.classes:
        for scenario in (changed.scenario, base.scenario):
            try:
                trainees += scenario.training_class(class_id).trainees
                break
            except KeyError:
                continue
    objective = (
        changed.objective - base.objective if changed.objective is not None and base.objective is not None else None
    )
    goals = None
    if base.terms is not None and changed.terms is not None:
        old, new = _by_goal(base.terms), _by_goal(changed.terms)
        goals = {goal: new.get(goal, 0) - old.get(goal, 0) for goal in {*old, *new}}
        goals = {goal: delta for goal, delta in goals.items() if delta}
    return Impact(
        has_plan=True,
        objective_delta=objective,
        coach_minutes_delta=after.coach_minutes - before.coach_minutes,
        coach_km_delta=round(after.coach_km - before.coach_km, 1),
        field_visits_delta=after.field_visits - before.field_visits,
        field_share_delta=after.field_share - before.field_share,
        seminar_hours_delta=after.seminar_class_hours - before.seminar_class_hours,
        events_changed=kept.changed_events,
        minor_changes=minor,
        nights_changed=len(kept.nights),
        told=told,
        trainees_told=trainees,
        diff=kept,
        goal_deltas=goals,
    )


def _by_goal(terms: Mapping[str, int]) -> dict[str, int]:
    sums: dict[str, int] = defaultdict(int)
    for name, value in terms.items():
        sums[Term.parse(name).goal] += value
    return sums
