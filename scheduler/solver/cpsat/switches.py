"""Requirements that can be switched off, for explaining why no plan exists.

In a diagnosis, every named requirement of the scenario (a must-visit site, a class's field
share, a limit, a lecturer's absence...) is enforced only when its literal is true; the
literals are CP-SAT assumptions, so an infeasible solve names a set of requirements that
cannot hold together. In an ordinary solve the switches are disabled and every requirement
is simply enforced.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.scenario.model import Scenario

_ARGUMENTS = (("class", "class_id"), ("site", "site"), ("topic", "topic"), ("lecturer", "lecturer"), ("place", "place"))


@dataclass(frozen=True)
class RequirementKey:
    """Names one switchable requirement: what it is (``name``: ``must_visit``, ``coach``...) and
    what it is about. Its printed form (``must_visit(class=rural,site=x)``,
    ``coach(limits.max_coach_minutes_per_day)`` for a limit named by its scenario path) names it
    in the model; the diagnosis reads the fields, never the text."""

    name: str
    class_id: str | None = None
    site: str | None = None
    topic: str | None = None
    lecturer: str | None = None
    place: str | None = None
    limit: str | None = None
    """The scenario path of the limit a day-limit requirement comes from."""

    def __str__(self) -> str:
        if self.limit is not None:
            return f"{self.name}({self.limit})"
        parts = [f"{word}={getattr(self, field)}" for word, field in _ARGUMENTS if getattr(self, field) is not None]
        return f"{self.name}({','.join(parts)})" if parts else self.name

    @classmethod
    def parse(cls, text: str) -> RequirementKey:
        """The key a printed name stands for (as a user or a test writes it)."""
        name, _, rest = text.partition("(")
        inside = rest.removesuffix(")")
        if inside and "=" not in inside:
            return cls(name, limit=inside)
        words = dict(part.split("=", 1) for part in inside.split(",") if "=" in part)
        return cls(name, **{field: words[word] for word, field in _ARGUMENTS if word in words})


@dataclass(frozen=True)
class Requirement:
    """One switchable requirement, in the organiser's words."""

    key: RequirementKey
    path: str
    sentence: str


class Switches:
    """Hands out enforcement literals, one per requirement; none when disabled."""

    def __init__(self, model: cp_model.CpModel | None = None, scenario: Scenario | None = None):
        self.model = model
        self.scenario = scenario
        """The scenario as written (the model itself is built from one with its limits relaxed)."""
        self.literals: dict[RequirementKey, tuple[Requirement, cp_model.IntVar]] = {}

    @property
    def enabled(self) -> bool:
        return self.model is not None

    def __call__(self, key: RequirementKey, path: str, sentence: str) -> list[cp_model.IntVar]:
        """The enforcement literals for a requirement: ``[]`` (always enforced) when disabled."""
        if self.model is None:
            return []
        if key not in self.literals:
            self.literals[key] = (Requirement(key, path, sentence), self.model.new_bool_var(f"switch[{key}]"))
        return [self.literals[key][1]]


DISABLED = Switches()
