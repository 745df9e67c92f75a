"""Why no plan: a minimal set of requirements that conflict, and the smallest single change
of a number that restores a plan.

Every named requirement is switchable (``switches.py``); the switch literals are CP-SAT
assumptions. An infeasible solve returns a sufficient subset of them, which a deletion filter
shrinks until removing any one requirement leaves a feasible rest (a minimal conflict). Then,
for each number in the conflict, a search over its values finds the smallest change that
gives a plan.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from ..scenario import Scenario, format_clock
from .candidates import Candidates
from .constraints import add_all
from .objective import build_objective
from .switches import Requirement, Switches
from .variables import build_variables

CHECK_SECONDS = 10.0
"""Time for one feasibility check of a set of requirements."""


@dataclass(frozen=True)
class Relaxation:
    """The smallest change of one number that gives a plan (or why there is none)."""

    path: str
    old: Any
    new: Any | None

    def __str__(self) -> str:
        if self.new is None:
            return f"changing {self.path} alone (from {self.old}) does not give a plan"
        return f"change {self.path} from {self.old} to {self.new}"


@dataclass(frozen=True)
class Diagnosis:
    feasible: bool | None
    """True: the requirements can all hold; False: they conflict; None: not decided in time."""
    conflict: tuple[Requirement, ...] = ()
    minimal: bool = True
    """Proven minimal: removing any one requirement of the conflict leaves a feasible rest."""
    relaxations: tuple[Relaxation, ...] = ()
    seconds: float = 0.0


def relax_limits(scenario: Scenario) -> Scenario:
    """The scenario with the limits that live in variable domains opened up to the day's frame
    (a diagnosis holds the limits as written as switchable constraints instead)."""
    frame = scenario.programme.frame
    limits = scenario.limits.model_copy(
        update={
            "max_coach_minutes_per_day": frame.quiet_hours_from - frame.earliest_departure,
            "latest_return": frame.dinner.start,
            "max_teaching_minutes_per_day": 24 * 60,
            "lecturer_max_travel_minutes": None,
        }
    )
    programme = scenario.programme.model_copy(update={"day_overrides": ()})
    return scenario.model_copy(update={"limits": limits, "programme": programme})


class _Checker:
    """The diagnosis model, solved under chosen requirements."""

    def __init__(self, scenario: Scenario, workers: int, seed: int, timed: bool = True):
        self.model = cp_model.CpModel()
        self.switches = Switches(self.model, scenario)
        cand = Candidates(relax_limits(scenario))
        variables = build_variables(self.model, cand, self.switches)
        add_all(self.model, cand, variables, timed=timed)
        build_objective(self.model, cand, variables)
        self.model.clear_objective()  # feasibility only
        self.workers, self.seed = workers, seed

    @property
    def requirements(self) -> dict[str, tuple[Requirement, cp_model.IntVar]]:
        return self.switches.literals

    def solve(self, keys: list[str], seconds: float) -> tuple[bool | None, list[str]]:
        """Feasible (True), infeasible (False) or unknown (None) with ``keys`` enforced; and,
        when infeasible, the keys of a sufficient subset."""
        self.model.clear_assumptions()
        self.model.add_assumptions([self.requirements[k][1] for k in keys])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, seconds)
        solver.parameters.num_workers = self.workers
        solver.parameters.random_seed = self.seed
        solver.parameters.cp_model_probing_level = 1
        code = solver.solve(self.model)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return True, []
        if code == cp_model.INFEASIBLE:
            by_index = {lit.index: k for k, (_, lit) in self.requirements.items()}
            core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
            return False, core or list(keys)
        return None, []


def find_conflict(scenario: Scenario, time_limit: float = 60.0, workers: int = 2, seed: int = 0) -> Diagnosis:
    """A minimal set of the scenario's requirements that cannot hold together.

    The model without clock times is tried first: it is smaller and a relaxation, so a
    conflict it finds is a conflict of the full model too. Only if it has a plan is the full
    model asked.
    """
    started = time.monotonic()

    def left() -> float:
        return time_limit - (time.monotonic() - started)

    feasible: bool | None = None
    for timed in (False, True):
        checker = _Checker(scenario, workers, seed, timed=timed)
        keys = list(checker.requirements)
        feasible, core = checker.solve(keys, min(CHECK_SECONDS * 3, left() / (1 if timed else 2)))
        if feasible is False:
            break
        if feasible is None or left() <= 0:
            return Diagnosis(None, seconds=time.monotonic() - started)
    if feasible is not False:
        return Diagnosis(feasible, seconds=time.monotonic() - started)
    # deletion filter: drop each requirement whose removal keeps the rest infeasible
    minimal = True
    position = 0
    while position < len(core):
        if left() <= 0:
            minimal = False
            break
        trial = core[:position] + core[position + 1 :]
        feasible, smaller = checker.solve(trial, min(CHECK_SECONDS, left()))
        if feasible is False:
            core = [k for k in trial if k in set(smaller)] or trial
            position = min(position, len(core))
            continue
        if feasible is None:
            minimal = False
        position += 1
    conflict = tuple(checker.requirements[k][0] for k in core)
    return Diagnosis(False, conflict, minimal, seconds=time.monotonic() - started)


# ---------------------------------------------------------------------------
# Relaxation of one number


@dataclass(frozen=True)
class _Knob:
    """A number in the scenario that a relaxation may change, and which way is looser."""

    path: tuple[str, ...]
    looser: int  # +1: raising it relaxes; -1: lowering it relaxes
    bound: Callable[[Scenario], int]
    scale: int = 1  # shares are searched in thousandths
    clock: bool = False


def _knob(scenario: Scenario, requirement: Requirement) -> _Knob | None:
    frame = scenario.programme.frame
    span = frame.quiet_hours_from - frame.earliest_departure
    key, path = requirement.key, tuple(re.findall(r"[^.\[\]]+", requirement.path))
    if key.startswith("coach(") and path == ("limits", "max_coach_minutes_per_day"):
        return _Knob(path, +1, lambda s: span)
    if key.startswith("latest_return(") and path == ("limits", "latest_return"):
        return _Knob(path, +1, lambda s: s.programme.frame.dinner.start, clock=True)
    if key == "max_teaching_minutes_per_day":
        return _Knob(path, +1, lambda s: 24 * 60)
    if key == "lecturer_max_travel_minutes":
        return _Knob(path, +1, lambda s: span)
    if key.startswith("min_field_share("):
        return _Knob(path, -1, lambda s: 0, scale=1000)
    if key.startswith(("min_seminar_class_hours(", "min_report_writing_class_hours(", "min_red_education_visits(")):
        return _Knob(path, -1, lambda s: 0)
    if key.startswith("max_visits_per_day("):
        return _Knob(path, +1, lambda s: 8)
    if key.startswith("lodging_capacity("):
        return _Knob(path, +1, lambda s: len(s.classes))
    if key.startswith("max_sessions("):
        return _Knob(path, +1, lambda s: sum(sum(s.requirements_for(k.id).lectures.values()) for k in s.classes))
    return None


def _step(node: Any, part: str) -> Any:
    """One step down a path: a key of a mapping, or the list item with that id or place."""
    if isinstance(node, (list, tuple)):
        return next(item for item in node if part in (item.get("id"), item.get("place")))
    return node.setdefault(part, {})


def _with_value(scenario: Scenario, knob: _Knob, value: int) -> Scenario:
    data = scenario.model_dump(by_alias=True, exclude_none=True)
    node: Any = data
    for part in knob.path[:-1]:
        node = _step(node, part)
    shown: Any = value / knob.scale if knob.scale != 1 else value
    node[knob.path[-1]] = format_clock(value) if knob.clock else shown
    return Scenario.model_validate(data)


def _current(scenario: Scenario, knob: _Knob) -> int:
    if knob.path[:2] == ("requirements", "by_class"):
        value = getattr(scenario.requirements_for(knob.path[2]), knob.path[-1])
    elif knob.path[:2] == ("requirements", "default"):
        value = getattr(scenario.requirements.default, knob.path[-1])
    elif knob.path[0] == "lodging":
        value = scenario.lodging_capacity(knob.path[1])
    elif knob.path[0] == "lecturers":
        value = scenario.lecturer(knob.path[1]).max_sessions
    else:
        value = getattr(scenario.limits, knob.path[-1])
    return round(value * knob.scale)


def suggest_relaxations(
    scenario: Scenario,
    conflict: tuple[Requirement, ...],
    is_feasible: Callable[[Scenario], bool],
    time_limit: float,
) -> tuple[Relaxation, ...]:
    """For each number in the conflict, the smallest single change that gives a plan."""
    started = time.monotonic()
    found: list[Relaxation] = []
    seen: set[tuple[str, ...]] = set()
    for requirement in conflict:
        knob = _knob(scenario, requirement)
        if knob is None or knob.path in seen or time.monotonic() - started > time_limit:
            continue
        seen.add(knob.path)
        old = _current(scenario, knob)
        extreme = knob.bound(scenario) * (knob.scale if knob.scale != 1 and knob.looser < 0 else 1)
        if (extreme - old) * knob.looser <= 0 or not is_feasible(_with_value(scenario, knob, extreme)):
            found.append(Relaxation(requirement.path, _shown(knob, old), None))
            continue
        tight, loose = old, extreme  # tight: no plan; loose: a plan
        while abs(loose - tight) > 1 and time.monotonic() - started < time_limit:
            middle = (tight + loose) // 2
            if is_feasible(_with_value(scenario, knob, middle)):
                loose = middle
            else:
                tight = middle
        found.append(Relaxation(requirement.path, _shown(knob, old), _shown(knob, loose)))
    return tuple(found)


def with_relaxation(scenario: Scenario, relaxation: Relaxation) -> Scenario:
    """The scenario with the relaxation's number changed (to check or to save it)."""
    data = scenario.model_dump(by_alias=True, exclude_none=True)
    *parents, last = re.findall(r"[^.\[\]]+", relaxation.path)
    node: Any = data
    for part in parents:
        node = _step(node, part)
    node[last] = relaxation.new
    return Scenario.model_validate(data)


def _shown(knob: _Knob, value: int) -> Any:
    if knob.clock:
        return format_clock(value)
    return value / knob.scale if knob.scale != 1 else value
