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


@dataclass(frozen=True)
class Requirement:
    """One switchable requirement, in the organiser's words."""

    key: str
    path: str
    sentence: str


class Switches:
    """Hands out enforcement literals, one per requirement; none when disabled."""

    def __init__(self, model: cp_model.CpModel | None = None, scenario: Scenario | None = None):
        self.model = model
        self.scenario = scenario
        """The scenario as written (the model itself is built from one with its limits relaxed)."""
        self.literals: dict[str, tuple[Requirement, cp_model.IntVar]] = {}

    @property
    def enabled(self) -> bool:
        return self.model is not None

    def __call__(self, key: str, path: str, sentence: str) -> list[cp_model.IntVar]:
        """The enforcement literals for a requirement: ``[]`` (always enforced) when disabled."""
        if self.model is None:
            return []
        if key not in self.literals:
            self.literals[key] = (Requirement(key, path, sentence), self.model.new_bool_var(f"switch[{key}]"))
        return [self.literals[key][1]]


DISABLED = Switches()
