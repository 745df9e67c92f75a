"""The soft goals: the one list of what the objective pursues, and the names of its terms.

Each `Goal` says what one unit of it is, which field of ``weights`` prices that unit, whether
it is a cost or a reward (rewards count negative), and, for a goal that a visit earns, how many
units a class's visit to a site earns. What a visit earns (`visit_rewards`) is computed here
once: the CP-SAT objective, the construction's and the route search's scores, and the week
bound's route costs all read it. A reward added to `GOALS` therefore reaches every one of them;
were the bound to miss a reward the objective counts, it would exceed the optimum and a plan
could be reported proven optimal when it is not.

The objective's terms are named by `Term`, which writes and reads names such as
``theme_fit(class=rural,site=xinglong)``; those names are the keys of ``objective_terms`` in
the plan JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from scheduler.scenario.model import Site, TrainingClass, Weights


@dataclass(frozen=True)
class Goal:
    """One soft goal of the objective."""

    name: str
    """The goal's name: the first part of its terms' names."""
    weight: str
    """The field of ``weights`` that prices one unit."""
    reward: bool
    """A reward (its terms count negative) rather than a cost."""
    label: tuple[str, str]
    """The goal in Chinese and English, as outputs print it."""
    trade_step: int = 1
    """Units by which ``--explain``'s trade-offs force the goal better."""
    per_visit: Callable[[TrainingClass, Site], int] | None = None
    """Units a class's visit to a site earns, for a goal that visits earn."""

    def price(self, weights: Weights) -> int:
        """What one unit of the goal costs (or earns) under ``weights``."""
        return getattr(weights, self.weight)


COACH_MINUTES = Goal("coach_minutes", "coach_minute", reward=False, label=("车程", "Coach minutes"), trade_step=30)
THEME_FIT = Goal(
    "theme_fit",
    "theme_fit",
    reward=True,
    label=("主题契合", "Theme fit"),
    per_visit=lambda klass, site: int(klass.theme in site.themes),
)
SITE_VALUE = Goal(
    "site_value",
    "site_value",
    reward=True,
    label=("现场点价值", "Site value"),
    per_visit=lambda klass, site: site.value,
)
LECTURER_IMBALANCE = Goal(
    "lecturer_imbalance", "lecturer_imbalance", reward=False, label=("师资均衡", "Lecturer balance")
)
LATE_EVENING = Goal("late_evening", "late_evening", reward=False, label=("晚间过晚", "Late evenings"))
IDLE_TIME = Goal("idle_time", "idle_hour", reward=False, label=("空闲时间", "Idle daytime"))

GOALS: tuple[Goal, ...] = (COACH_MINUTES, THEME_FIT, SITE_VALUE, LECTURER_IMBALANCE, LATE_EVENING, IDLE_TIME)
"""Every soft goal, in the order the objective lists its terms."""


def goal_named(name: str) -> Goal | None:
    """The goal called ``name``, or None."""
    return next((goal for goal in GOALS if goal.name == name), None)


def route_goals() -> tuple[str, ...]:
    """The goals a day route's cost counts: its coach minutes and what its visits earn. The week
    bound prices routes by these; the others (the lecturers' balance, late evenings, idle daytime) only add to
    a plan's cost."""
    return (COACH_MINUTES.name, *(goal.name for goal in GOALS if goal.per_visit is not None))


def visit_rewards(weights: Weights, klass: TrainingClass, site: Site) -> dict[str, int]:
    """What a visit of ``klass`` to ``site`` earns, by goal (only the goals where it earns
    something), in the objective's units."""
    rewards: dict[str, int] = {}
    for goal in GOALS:
        if goal.per_visit is not None:
            amount = goal.price(weights) * goal.per_visit(klass, site)
            if amount:
                rewards[goal.name] = amount
    return rewards


def visit_reward(weights: Weights, klass: TrainingClass, site: Site) -> int:
    """What a visit of ``klass`` to ``site`` earns, all goals together."""
    return sum(visit_rewards(weights, klass, site).values())


_NAME = re.compile(r"^(?P<goal>[a-z_]+)(?:\((?P<args>[^)]*)\))?$")


@dataclass(frozen=True)
class Term:
    """The name of one term of the objective: its goal, and the class, day (1-based) and site
    it is about, where it is about one."""

    goal: str
    class_id: str | None = None
    day: int | None = None
    site: str | None = None

    def __str__(self) -> str:
        parts = [
            f"{key}={value}"
            for key, value in (("class", self.class_id), ("day", self.day), ("site", self.site))
            if value is not None
        ]
        return f"{self.goal}({','.join(parts)})" if parts else self.goal

    @classmethod
    def parse(cls, name: str) -> Term:
        """The term a name stands for; a name of another form is a goal of its own."""
        match = _NAME.match(name)
        if match is None:
            return cls(name)
        args = dict(part.split("=", 1) for part in (match.group("args") or "").split(",") if "=" in part)
        day = args.get("day")
        return cls(match.group("goal"), args.get("class"), int(day) if day is not None else None, args.get("site"))
