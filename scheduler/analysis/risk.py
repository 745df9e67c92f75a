"""How fragile a plan is: the risk table of a robustness sweep (``solve.py sweep``).

Each single disruption (``scheduler.analysis.disruptions``) was re-planned with least change
elsewhere (``scheduler.runs``); ``risk_table(base, outcomes)`` ranks them as an organiser reads
the answer: first the disruptions that leave no plan (with the reason when one was found), then
those that cost most (objective, then coach minutes), then those that change events without
cost, and last those the plan absorbs unchanged. Every row carries its ``Impact`` (costs in the
organiser's units, events changed, people to tell). Reads scenarios and plans only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from scheduler.analysis.disruptions import Disruption
from scheduler.analysis.impact import MINOR_MINUTES, Impact, Planned, impact
from scheduler.plan.labels import say
from scheduler.plan.model import Result
from scheduler.scenario.wording import Message

__all__ = ["SCHEMA", "Ending", "Reason", "Replanned", "RiskRow", "RiskTable", "risk_table"]

SCHEMA = "training-itinerary-risk/1"


class Ending(StrEnum):
    """How the re-plan of one disruption ended."""

    UNCHANGED = "unchanged"
    """The plan already keeps every rule of the disrupted programme: nothing to re-plan."""
    REPLANNED = "replanned"
    NO_PLAN = "no_plan"
    """No plan meets the disrupted programme (or none was found in the time)."""
    FAILED = "failed"
    """The task failed (its message says why): a bug, or a worker lost more often than retried."""
    NOT_RUN = "not_run"
    """The sweep was stopped before this disruption's turn."""


REASONS: dict[str, tuple[str, str]] = {
    "stopped": ("找到方案前已停止", "stopped before a plan was found"),
    "no_diagnosis": ("时限内未找到方案；未要求诊断", "no plan found within the time limit; no diagnosis asked"),
    "diagnosis_out_of_time": (
        "未找到方案；查找相互冲突的要求时超时",
        "no plan found; the search for conflicting requirements out of time",
    ),
    "diagnosis_out_of_memory": (
        "未找到方案；查找相互冲突的要求时内存不足",
        "no plan found; the search for conflicting requirements out of memory",
    ),
    "diagnosis_failed": (
        "未找到方案；查找相互冲突的要求失败",
        "no plan found; the search for conflicting requirements failed",
    ),
    "one_exists": (
        "时限内未找到方案，但方案存在（延长时限可能找到）",
        "no plan found within the time limit, though one exists (a longer time limit may find it)",
    ),
    "no_conflict_named": (
        "未找到方案，{seconds}秒内也未找出相互冲突的要求",
        "no plan found, and no conflict named within {seconds} s",
    ),
    "internal_broken": (
        "内部错误：新方案违反了规则（程序缺陷，请报告）",
        "INTERNAL ERROR: the new plan breaks a rule (a bug; please report it)",
    ),
}
"""The reasons said in words of their own, (Chinese, English); the others (the scenario's
requirements, located in its file, the checker's findings, and errors) are sentences given as
they are, a `Message` among them (a finding) in the language asked."""


@dataclass(frozen=True)
class Reason:
    """Why there is no plan (or why a task failed): a sentence, and the scenario path it concerns.
    A reason made by ``Reason.of`` has a key into ``REASONS`` and can be said in either language."""

    text: str
    path: str | None = None
    key: str | None = None
    fields: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, key: str, **fields: object) -> Reason:
        """The reason ``REASONS[key]``, its fields filled (the text in English)."""
        shown = tuple((name, str(value)) for name, value in fields.items())
        return cls(REASONS[key][1].format(**dict(shown)), key=key, fields=shown)

    def say(self, lang: str) -> str:
        """The reason in ``lang`` where it has words of its own, with its path."""
        text = self.text.in_language(lang) if isinstance(self.text, Message) else self.text
        if self.key in REASONS:
            text = say(REASONS[self.key], lang, **dict(self.fields))
        return f"{self.path}: {text}" if self.path else text

    def __str__(self) -> str:
        return f"{self.path}: {self.text}" if self.path else self.text


@dataclass(frozen=True)
class Replanned:
    """What re-planning one changed programme gave: plain data, sent back from any worker."""

    ending: Ending
    result: Result | None = None
    """The new plan and its figures (REPLANNED only)."""
    weighted: int | None = None
    """The re-plan's weighted changes (``scheduler.solver.replan``)."""
    reasons: tuple[Reason, ...] = ()
    """Why there is no plan, or why the task failed."""
    proven: bool = False
    """For NO_PLAN: proven impossible, not only none found in the time."""
    seconds: float = 0.0
    where: str = ""
    """Which process or worker ran it."""


@dataclass(frozen=True)
class RiskRow:
    disruption: Disruption
    what: str
    """The disruption in words."""
    outcome: Replanned
    impact: Impact | None
    """None when there is no plan to compare."""

    @property
    def severity(self) -> tuple:
        """Sort key: no plan first, then the largest cost, then the most changes; unchanged last."""
        ending = self.outcome.ending
        rank = {Ending.FAILED: 1, Ending.NO_PLAN: 0, Ending.REPLANNED: 2, Ending.NOT_RUN: 4, Ending.UNCHANGED: 3}[
            ending
        ]
        cost = -(self.impact.objective_delta or 0) if self.impact else 0
        coach = -self.impact.coach_minutes_delta if self.impact else 0
        changes = -self.impact.events_changed if self.impact else 0
        return (rank, cost, coach, changes, self.disruption.key)

    def verdict(self, lang: str) -> str:
        ending = self.outcome.ending
        zh = lang == "zh"
        if ending is Ending.NO_PLAN:
            return ("无可行方案" if zh else "no plan") + (
                "" if self.outcome.proven else ("(时限内未找到)" if zh else " (none found in the time)")
            )
        if ending is Ending.FAILED:
            return "任务失败" if zh else "failed"
        if ending is Ending.NOT_RUN:
            return "未运行" if zh else "not run"
        assert self.impact is not None
        return self.impact.verdict(lang)

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "disruption": self.disruption.to_json(),
            "what": self.what,
            "ending": str(self.outcome.ending),
            "verdict": self.verdict(lang),
            "proven": self.outcome.proven,
            "reasons": [reason.say(lang) for reason in self.outcome.reasons],
            "impact": self.impact.to_json() if self.impact else None,
            "weighted_changes": self.outcome.weighted,
            "seconds": round(self.outcome.seconds, 2),
            "where": self.outcome.where,
        }


@dataclass(frozen=True)
class RiskTable:
    rows: tuple[RiskRow, ...]
    lang: str
    base_objective: float | None
    kinds: tuple[str, ...]
    settings: dict[str, Any] = field(default_factory=dict)
    """How the sweep ran (time limit, engine, ...), for the record."""

    def count(self, ending: Ending) -> int:
        return sum(row.outcome.ending is ending for row in self.rows)

    @property
    def complete(self) -> bool:
        return not self.count(Ending.NOT_RUN)

    def summary(self) -> str:
        zh = self.lang == "zh"
        counts = [(e, self.count(e)) for e in Ending]
        words = {
            Ending.UNCHANGED: ("原方案不变", "absorbed unchanged"),
            Ending.REPLANNED: ("需调整", "re-planned"),
            Ending.NO_PLAN: ("无可行方案", "leave no plan"),
            Ending.FAILED: ("失败", "failed"),
            Ending.NOT_RUN: ("未运行", "not run"),
        }
        parts = [f"{words[e][0]}{n}项" if zh else f"{n} {words[e][1]}" for e, n in counts if n]
        head = f"共{len(self.rows)}种扰动：" if zh else f"{len(self.rows)} disruptions: "
        return head + ("、" if zh else ", ").join(parts)

    def table_json(self) -> list[dict[str, Any]]:
        """The rows, ranked, without timings or workers: what must be the same wherever it ran."""
        data = []
        for row in self.rows:
            item = row.to_json(self.lang)
            item.pop("seconds")
            item.pop("where")
            data.append(item)
        return data

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "lang": self.lang,
            "kinds": list(self.kinds),
            "base_objective": self.base_objective,
            "summary": self.summary(),
            "complete": self.complete,
            "settings": self.settings,
            "rows": [row.to_json(self.lang) for row in self.rows],
        }


def risk_table(
    base: Planned,
    outcomes: list[tuple[Disruption, Planned | None, Replanned]],
    *,
    lang: str = "en",
    kinds: tuple[str, ...] = (),
    minor_minutes: int = MINOR_MINUTES,
    settings: dict[str, Any] | None = None,
) -> RiskTable:
    """The ranked risk table of a sweep.

    Parameters
    ----------
    base
        The base scenario and its plan (with its objective).
    outcomes
        Each disruption, the disrupted scenario with its new plan (None where the disruption
        could not be applied), and how its re-plan ended.
    """
    rows = []
    for disruption, planned, outcome in outcomes:
        what = disruption.describe(base.scenario, lang)
        found = None
        if outcome.ending is Ending.UNCHANGED:
            found = Impact(has_plan=True, objective_delta=0.0)
        elif outcome.ending is Ending.REPLANNED and planned is not None and planned.plan is not None:
            found = impact(base, planned, minor_minutes)
        rows.append(RiskRow(disruption, what, outcome, found))
    rows.sort(key=lambda row: row.severity)
    return RiskTable(tuple(rows), lang, base.objective, tuple(kinds), dict(settings or {}))
