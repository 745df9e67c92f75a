"""Why no plan: a minimal set of requirements that conflict, and the smallest single change
of a number that restores a plan.

Every named requirement is switchable (``switches.py``); the switch literals are CP-SAT
assumptions. An infeasible solve returns a sufficient subset of them, which a deletion filter
shrinks until removing any one requirement leaves a feasible rest (a minimal conflict). Then,
for each number in the conflict, a search over its values finds the smallest change that
gives a plan.

Assumptions are invisible to presolve and to the LP relaxation's cuts, so a conflict that only
they show can stay undecided. Three remedies: the switches of the requirements not under test
are fixed off, not left free; the model without clock times is solved with the enforced linear
constraints in its LP (``linearization_level`` 2: a field share that needs more visits than the
visits-per-day limit allows is then a bound of the LP, found at the root); and when the whole
set is still undecided, the switches under test are *fixed* on instead of assumed, which gives
presolve and the LP everything but names no smaller conflict, so a QuickXplain over groups of
requirements (a class's, the lecturers', the lodging, the limits) narrows it before the
deletion filter (``fixed_conflict``).

Proving a set of requirements feasible is what costs: the full model solved from scratch often
finds no solution within a check's time on a scenario of realistic size. So a set is first
compared with the sets already proven (a solution meets each subset of what it meets), then
given a quick plan (the solver's constructive first plan, on the scenario cut down to that set:
``without``), and only then checked with the model; infeasibility is tried without presolve
first (propagation alone settles many conflicts almost at once, where presolving a realistic
model takes far longer).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from scheduler.analysis.check import check
from scheduler.scenario.model import Scenario, format_clock
from scheduler.solver.cpsat.constraints import add_all
from scheduler.solver.cpsat.engine import configure
from scheduler.solver.cpsat.extract import extract_plan
from scheduler.solver.cpsat.model import build_model, skeleton_fixes
from scheduler.solver.cpsat.objective import build_objective
from scheduler.solver.cpsat.switches import Requirement, RequirementKey, Switches
from scheduler.solver.cpsat.variables import build_variables
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.heuristics.construct import construct
from scheduler.solver.options import SolveOptions
from scheduler.solver.params import DiagnosisParams, SolverParams


@dataclass(frozen=True)
class _Check:
    """One way to check a set of requirements: the model with clock times or without, with
    presolve or without, the switches assumed (a conflict then comes with a sufficient subset)
    or fixed (presolve and the LP can use them; a conflict is then the whole set)."""

    timed: bool
    presolve: bool
    seconds: float
    fixed: bool = False


@dataclass(frozen=True)
class CheckOrder:
    """The ways sets of requirements are checked, each list cheapest first, from the diagnosis's
    parameters (``quick_seconds`` for checks without presolve, ``check_seconds`` with it)."""

    core: tuple[_Check, ...]
    """The checks without presolve, the switches assumed: they name a smaller conflict quickly."""
    first: tuple[_Check, ...]
    """How the whole scenario is checked, the switches assumed (the LP of the model without
    clock times shows a share beyond reach at the root; presolve with assumptions finds little
    more, and the full model with it is left to the fixed checks)."""
    fixed: tuple[_Check, ...]
    """How a set is checked with its switches fixed: the model without clock times first (its
    conflicts are real ones), then the full one (its solutions are too)."""
    trial: tuple[_Check, ...]
    """How a conflict less one requirement is checked, after a quick plan for it failed: assumed
    first (a conflict then names a smaller one), then fixed with presolve (the strongest check
    of one set; without presolve, fixing adds little to assuming with the other switches off)."""

    @classmethod
    def of(cls, params: DiagnosisParams) -> CheckOrder:
        quick, full = params.quick_seconds, params.check_seconds
        core = (
            _Check(timed=False, presolve=False, seconds=2 * quick),
            _Check(timed=True, presolve=False, seconds=quick),
        )
        return cls(
            core=core,
            first=(*core, _Check(timed=False, presolve=True, seconds=full)),
            fixed=(
                _Check(timed=False, presolve=False, seconds=full, fixed=True),
                _Check(timed=False, presolve=True, seconds=full, fixed=True),
                _Check(timed=True, presolve=True, seconds=2 * full, fixed=True),
            ),
            trial=(
                _Check(timed=False, presolve=False, seconds=quick),
                _Check(timed=True, presolve=False, seconds=quick),
                _Check(timed=False, presolve=True, seconds=full, fixed=True),
                _Check(timed=True, presolve=True, seconds=full, fixed=True),
            ),
        )


@dataclass(frozen=True)
class Relaxation:
    """The smallest change of one number that gives a plan (or why there is none)."""

    path: str
    old: Any
    new: Any | None
    tighter: Any | None = None
    """The value next to ``new`` on the side of ``old``, when it was proven to give no plan (so
    ``new`` is the smallest change); None when that was not proven, or is ``old`` itself."""

    def __str__(self) -> str:
        if self.new is None:
            return f"changing {self.path} alone (from {self.old}) does not give a plan"
        if self.tighter is not None:
            return f"change {self.path} from {self.old} to {self.new} (with {self.tighter} there is no plan)"
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
    checks: int = 0
    """Feasibility checks of the diagnosis model made."""
    plans: int = 0
    """Quick plans tried for the scenario with one requirement dropped."""
    fixed_checks: int = 0
    """Of the checks, those made with the switches fixed rather than assumed."""


def _day_span(scenario: Scenario) -> int:
    """The longest any day can be: from the earliest departure of any day to quiet hours."""
    earliest = min(scenario.earliest_departure_on(day) for day in range(scenario.programme.days))
    return scenario.programme.frame.quiet_hours_from - earliest


def relax_limits(scenario: Scenario) -> Scenario:
    """The scenario with the limits that live in variable domains opened up to the day's frame
    (a diagnosis holds the limits as written as switchable constraints instead)."""
    frame = scenario.programme.frame
    limits = scenario.limits.model_copy(
        update={
            "max_coach_minutes_per_day": _day_span(scenario),
            "latest_return": frame.dinner.start,
            "max_teaching_minutes_per_day": 24 * 60,
            "lecturer_max_travel_minutes": None,
        }
    )
    programme = scenario.programme.model_copy(update={"day_overrides": ()})
    return scenario.model_copy(update={"limits": limits, "programme": programme})


@dataclass(frozen=True)
class _Verdict:
    """One feasibility check: True (a solution), False (proven none) or None (undecided); when
    False, a sufficient subset of the requirements; when True, every requirement the solution
    happens to meet (each subset of those is feasible too)."""

    feasible: bool | None
    core: tuple[str, ...] = ()
    met: frozenset[str] = frozenset()


class Checker:
    """The diagnosis model, solved under chosen requirements."""

    def __init__(
        self, scenario: Scenario, workers: int, seed: int, timed: bool = True, *, params: SolverParams = SolverParams()
    ):
        self.model = cp_model.CpModel()
        self.switches = Switches(self.model, scenario)
        cand = Candidates(relax_limits(scenario))
        variables = build_variables(self.model, cand, self.switches)
        add_all(self.model, cand, variables, timed=timed)
        build_objective(self.model, cand, variables)
        self.model.clear_objective()  # feasibility only
        self.workers, self.seed, self.timed, self.params = workers, seed, timed, params

    @property
    def requirements(self) -> dict[RequirementKey, tuple[Requirement, cp_model.IntVar]]:
        return self.switches.literals

    def solve(
        self, keys: list[RequirementKey], seconds: float, *, presolve: bool = True, fixed: bool = False
    ) -> _Verdict:
        """Whether the model has a solution with ``keys`` enforced: their switches assumed, or
        (``fixed``) fixed on. The other switches are fixed off: a switch only enforces its
        requirement, so off allows the same plans as free, and presolve can drop what it guards.

        Without presolve, a conflict that propagation alone shows (a site that takes one class
        at a time, a lecturer's session limit) is proven almost at once, where presolving a model
        of realistic size takes far longer. Presolve and the LP's cuts at the root cannot use
        assumptions: fixed switches let them, at the price of naming no smaller conflict.

        The model without clock times is solved with every enforced linear constraint in its LP
        (``linearization_level`` 2): its solutions prove nothing, its conflicts are what it is
        for, and a count over many sites against a share (one visit a day against a field
        share) is then an LP bound, proven at the root where level 1 can leave it undecided for
        the whole check. The full model keeps level 1: its job is also to find solutions, which the
        bigger LP slows down. For the same reason the untimed model gets one worker when there
        are two: CP-SAT's second worker would run a first-solution heuristic (feasibility jump)
        whose solutions prove nothing here, and halve the search that can prove a conflict;
        from three workers on, the portfolio adds more complete searches. (With assumptions
        CP-SAT searches on one worker anyway.)"""
        self.model.clear_assumptions()
        self._fix(set(keys), on=fixed)
        if not fixed:
            self.model.add_assumptions([self.requirements[k][1] for k in keys])
        solver = _conflict_solver(self.timed, seconds, self.workers, self.seed, params=self.params, presolve=presolve)
        try:
            code = solver.solve(self.model)
        finally:
            self._fix(None)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return _Verdict(
                feasible=True, met=frozenset(k for k, (_, lit) in self.requirements.items() if solver.value(lit))
            )
        if code == cp_model.INFEASIBLE:
            if fixed:
                return _Verdict(feasible=False, core=tuple(keys))
            by_index = {lit.index: k for k, (_, lit) in self.requirements.items()}
            core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
            return _Verdict(feasible=False, core=tuple(core or keys))
        return _Verdict(None)

    def _fix(self, keys: set[RequirementKey] | None, on: bool = False) -> None:
        """Set the switches' domains: off for every requirement not in ``keys``, and for those
        in it on (``on``) or free (to be assumed); ``keys=None`` frees them all again."""
        for key, (_, lit) in self.requirements.items():
            if keys is None or (key in keys and not on):
                low, high = 0, 1
            else:
                low = high = int(key in keys)
            domain = self.model.proto.variables[lit.index].domain
            domain[0], domain[1] = low, high


class Deadline:
    """The diagnosis's time: how much is left."""

    def __init__(self, seconds: float):
        self.started = time.monotonic()
        self.seconds = seconds

    def spent(self) -> float:
        return time.monotonic() - self.started

    def left(self) -> float:
        return self.seconds - self.spent()


class Prover:
    """Decides whether sets of requirements can hold together, the cheapest way first, and
    remembers every set proven feasible (a plan meeting a set meets each of its subsets).

    Only a solution of the full (timed) model, or a plan, proves a set feasible; the model
    without clock times is a relaxation, so it can only prove a set infeasible.
    """

    def __init__(
        self,
        scenario: Scenario,
        workers: int,
        seed: int,
        deadline: Deadline,
        *,
        assume: bool = True,
        params: SolverParams = SolverParams(),
    ):
        self.scenario, self.workers, self.seed, self.deadline = scenario, workers, seed, deadline
        self.params = params
        self.order = CheckOrder.of(params.diagnosis)
        self.assume = assume
        """False: the switches are only ever fixed, never assumed (to compare, and to test the
        fixed-switch path on scenarios where assumptions would settle everything)."""
        self._checkers: dict[bool, Checker] = {}
        self.feasible_sets: list[frozenset[str]] = []
        self.checks = 0
        self.fixed_checks = 0
        self.plans = 0

    def checker(self, *, timed: bool) -> Checker:
        if timed not in self._checkers:
            self._checkers[timed] = Checker(self.scenario, self.workers, self.seed, timed=timed, params=self.params)
        return self._checkers[timed]

    def check(self, keys: list[RequirementKey], how: _Check) -> _Verdict:
        self.checks += 1
        self.fixed_checks += how.fixed
        verdict = self.checker(timed=how.timed).solve(
            keys, min(how.seconds, self.deadline.left()), presolve=how.presolve, fixed=how.fixed
        )
        if verdict.feasible and how.timed:
            self.feasible_sets.append(verdict.met)
        return verdict

    def known_feasible(self, keys: list[RequirementKey]) -> bool:
        return any(set(keys) <= met for met in self.feasible_sets)

    def plan_for(self, keys: list[RequirementKey]) -> bool:
        """A quick plan for the scenario with every requirement but ``keys`` dropped: it meets
        ``keys``, so they can hold together."""
        if self.deadline.left() <= 0:
            return False
        self.plans += 1
        variant = without(self.scenario, set(self.checker(timed=False).requirements) - set(keys))
        seconds = min(self.params.diagnosis.witness_seconds, self.deadline.left())
        if not quick_plan(variant, seconds, self.workers, self.seed, params=self.params):
            return False
        self.feasible_sets.append(frozenset(keys))
        return True

    def trial(self, keys: list[RequirementKey], attempts: tuple[_Check, ...] | None = None) -> _Verdict:
        """Can ``keys`` (a conflict less one requirement) hold together? Sets known to hold first,
        then a quick plan of the scenario cut down to ``keys``, then the model ``attempts``:
        the untimed model (which proves conflicts cheaply) before the full one."""
        if self.known_feasible(keys) or self.plan_for(keys):
            return _Verdict(feasible=True)
        return self.first_decided(keys, self.order.trial if attempts is None else attempts)

    def conflicts(self, keys: list[RequirementKey]) -> bool:
        """Whether ``keys`` are proven to conflict, checked with their switches fixed (False
        also when undecided)."""
        return self.trial(keys, self.order.fixed).feasible is False

    def first_decided(self, keys: list[RequirementKey], attempts: tuple[_Check, ...]) -> _Verdict:
        """The first verdict that decides ``keys`` among ``attempts``; only a timed model's
        solution counts as feasible (the untimed one is a relaxation). Without ``assume``, the
        attempts with assumed switches are skipped."""
        coarse_may_conflict = set(keys) <= set(self.checker(timed=False).requirements)  # some limits need clock times
        for how in attempts:
            if self.deadline.left() <= 0:
                break
            if (not how.timed and not coarse_may_conflict) or not (how.fixed or self.assume):
                continue
            verdict = self.check(keys, how)
            if verdict.feasible is False or (verdict.feasible and how.timed):
                return verdict
            if verdict.feasible:  # the untimed model has a solution: it cannot show a conflict
                coarse_may_conflict = False
        return _Verdict(None)


def _conflict_solver(
    timed: bool, seconds: float, workers: int, seed: int, *, params: SolverParams, presolve: bool = True
) -> cp_model.CpSolver:
    """A solver set up to prove a conflict in the model with or without clock times, as
    ``Checker.solve`` explains: the untimed model with its enforced constraints in the LP, on
    one worker of two. Its time is the wall clock's: a conflict is reproducible by its answer."""
    solver = cp_model.CpSolver()
    configure(
        solver,
        SolveOptions(workers=workers, seed=seed, params=params),
        max(0.1, seconds),
        workers=workers if timed or workers > 2 else 1,
        wall_clock=True,
        presolve=presolve,
        linearization_level=1 if timed else 2,
    )
    return solver


def quick_plan(
    scenario: Scenario, seconds: float, workers: int = 2, seed: int = 0, *, params: SolverParams = SolverParams()
) -> bool:
    """Whether the solver's quick way to a first plan finds one for ``scenario``: the
    constructive heuristic chooses nights and visits, the full model (stopping at its first
    solution) sets clock times and lecturers, and the checker re-verifies the plan. False
    proves nothing (the heuristic may miss a plan that exists)."""
    cand = Candidates(scenario)
    skeleton = construct(cand, params.construction)
    if not skeleton.complete:  # before the model is built: most plans tried for a conflict stop here
        return False
    built = build_model(scenario, cand=cand)
    for var, value in skeleton_fixes(built, skeleton):
        built.model.add(var == value)
    built.model.clear_objective()
    solver = cp_model.CpSolver()
    options = SolveOptions(workers=workers, seed=seed, params=params)
    configure(solver, options, max(0.1, seconds), wall_clock=True, first_only=True)
    if solver.solve(built.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    return check(scenario, extract_plan(built.candidates, built.variables, solver.value)) == []


def find_conflict(
    scenario: Scenario,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    *,
    assume: bool = True,
    params: SolverParams = SolverParams(),
) -> Diagnosis:
    """A minimal set of the scenario's requirements that cannot hold together.

    A quick plan for the scenario as written settles that nothing conflicts. Otherwise the
    first checks (``CheckOrder.first``) run in turn, cheapest first: without presolve (propagation
    alone) and then with it; the model without clock times before the full one (it is smaller
    and a relaxation, so a conflict it finds is a conflict of the full model too). When they
    leave the whole set undecided, the switches are fixed instead (``fixed_conflict``); with
    ``assume=False`` they are only ever fixed. The conflict found is then shrunk by a deletion
    filter (``shrink_core``).
    """
    deadline = Deadline(time_limit)
    prover = Prover(scenario, workers, seed, deadline, assume=assume, params=params)

    def done(feasible: bool | None, conflict: tuple[Requirement, ...] = (), minimal: bool = True) -> Diagnosis:
        return Diagnosis(
            feasible,
            conflict,
            minimal,
            seconds=deadline.spent(),
            checks=prover.checks,
            plans=prover.plans,
            fixed_checks=prover.fixed_checks,
        )

    if quick_plan(scenario, min(params.diagnosis.witness_seconds, time_limit / 4), workers, seed, params=params):
        return done(feasible=True)
    keys = list(prover.checker(timed=True).requirements)
    verdict = prover.first_decided(keys, prover.order.first)
    if verdict.feasible is None:
        verdict = fixed_conflict(keys, prover)
    if verdict.feasible is not False:
        return done(verdict.feasible)
    core, minimal = shrink_core(list(verdict.core), prover)
    requirements = prover.checker(timed=True).requirements
    return done(feasible=False, conflict=tuple(requirements[k][0] for k in core), minimal=minimal)


def fixed_conflict(keys: list[RequirementKey], prover: Prover) -> _Verdict:
    """The requirements ``keys`` checked with their switches fixed and, when that proves a
    conflict, the conflict narrowed to the groups of requirements it needs (``requirement_groups``, by
    ``quickxplain``), then within them by a check that assumes only their switches (the
    others now off, so presolve drops the rest): a conflict, not yet proven minimal."""
    verdict = prover.first_decided(keys, prover.order.fixed)
    if verdict.feasible is not False:
        return verdict
    kept = [key for group in quickxplain(requirement_groups(keys), prover.conflicts) for key in group]
    within = prover.first_decided(kept, prover.order.core)
    return within if within.feasible is False else _Verdict(feasible=False, core=tuple(kept))


def requirement_groups(keys: list[RequirementKey]) -> list[tuple[RequirementKey, ...]]:
    """The requirements grouped by what they bind, in the model's order: each class's, the
    lecturers' (absences, session limits, travel), the lodging places', and the day limits
    (coach driving, latest return, teaching per day)."""
    groups: dict[str, list[RequirementKey]] = {}
    for key in keys:
        if key.class_id is not None:
            group = f"class {key.class_id}"
        elif key.lecturer is not None or key.name.startswith("lecturer_"):
            group = "lecturers"
        elif key.place is not None:
            group = "lodging"
        else:
            group = "limits"
        groups.setdefault(group, []).append(key)
    return [tuple(group) for group in groups.values()]


def quickxplain(items: list[tuple[str, ...]], conflicts: Callable[[list[str]], bool]) -> list[tuple[str, ...]]:
    """QuickXplain (Junker, 2004): a minimal subset of ``items`` (groups of requirements) whose
    requirements conflict, given that all of them together do.

    Divide and conquer: what the second half of the candidates needs is found with the first
    half as background, then what the first half needs with that as background; a background
    that conflicts on its own needs nothing more. About 2k log2(n/k) + k checks for k groups
    needed among n, where a deletion filter makes n. ``conflicts`` answers True only when it is
    proven: an undecided check keeps groups, so the result still conflicts (each step rests
    on proven conflicts only) but may not be minimal.
    """

    def needed(
        background: list[tuple[str, ...]], added: list[tuple[str, ...]], candidates: list[tuple[str, ...]]
    ) -> list[tuple[str, ...]]:
        if added and conflicts([key for group in background for key in group]):
            return []
        if len(candidates) == 1:
            return candidates
        half = len(candidates) // 2
        first, second = candidates[:half], candidates[half:]
        second_needs = needed(background + first, first, second)
        first_needs = needed(background + second_needs, second_needs, first)
        return first_needs + second_needs

    return needed([], [], items) if items else []


def shrink_core(core: list[str], prover: Prover) -> tuple[list[str], bool]:
    """Deletion filter: drop each requirement whose removal leaves the rest still in conflict;
    keep it when the rest is proven feasible. Minimal when every kept one was proven needed.

    A requirement proven needed stays needed as the conflict shrinks (every conflicting subset
    of the conflict contains it), so one pass suffices.
    """
    minimal = True
    position = 0
    while position < len(core):
        if prover.deadline.left() <= 0:
            return core, False
        trial = core[:position] + core[position + 1 :]
        verdict = prover.trial(trial)
        if verdict.feasible is False:
            core = [k for k in trial if k in set(verdict.core)] or trial
            position = min(position, len(core))
            continue
        if verdict.feasible is None:
            minimal = False
        position += 1
    return core, minimal


def without(scenario: Scenario, keys: set[RequirementKey] | frozenset[RequirementKey]) -> Scenario:
    """The scenario with the requirements ``keys`` dropped (a number set to its loosest value),
    every other requirement as written. A requirement with no such edit is kept (a plan of the
    result then meets it too, which proves no less)."""
    data = scenario.model_dump(by_alias=True, exclude_none=True)
    for key in sorted(keys, key=str):
        _drop(scenario, data, key)
    return Scenario.model_validate(data)


def _drop(scenario: Scenario, data: dict[str, Any], key: RequirementKey) -> None:
    """Drop one requirement from the scenario's data, in place."""
    name = key.name
    frame = scenario.programme.frame
    if key.class_id is not None:
        override = data.setdefault("requirements", {}).setdefault("by_class", {}).setdefault(key.class_id, {})
        req = scenario.requirements_for(key.class_id)
        if name == "must_visit":
            override["must_visit"] = [s for s in override.get("must_visit", req.must_visit) if s != key.site]
        elif name == "lectures":
            lectures = override.get("lectures", req.lectures)
            override["lectures"] = {t: n for t, n in lectures.items() if t != key.topic}
        elif name in ("opening", "presentation", "closing"):
            override[f"{name}_minutes"] = 0
        elif name == "programme_every_day":
            override[name] = False
        elif name == "max_visits_per_day":
            override[name] = max(1, len(scenario.sites))
        elif name.startswith("min_"):
            override[name] = 0
    elif name == "lodging_capacity":
        entry = next(item for item in data["lodging"] if item["place"] == key.place)
        entry["classes_per_night"] = len(scenario.classes)
    elif name in ("unavailable", "max_sessions", "min_sessions"):
        entry = _step(data["lecturers"], key.lecturer)
        entry.pop(name, None)
        if name == "unavailable":  # away outside the times given as available, too
            entry.pop("available", None)
    elif name == "lecturer_max_travel_minutes":
        data.get("limits", {}).pop(name, None)
    elif name == "max_teaching_minutes_per_day":
        data.setdefault("limits", {})[name] = 24 * 60
    elif name in ("coach", "latest_return"):  # as relax_limits opens them up
        *parents, last = re.findall(r"[^.\[\]]+", key.limit)
        node: Any = data
        for part in parents:
            node = _step(node, part)
        node[last] = _day_span(scenario) if name == "coach" else format_clock(frame.dinner.start)


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
    span = _day_span(scenario)
    key, path = requirement.key, tuple(re.findall(r"[^.\[\]]+", requirement.path))
    if key.name == "coach" and path == ("limits", "max_coach_minutes_per_day"):
        return _Knob(path, +1, lambda s: span)
    if key.name == "latest_return" and path == ("limits", "latest_return"):
        return _Knob(path, +1, lambda s: s.programme.frame.dinner.start, clock=True)
    if key.name == "max_teaching_minutes_per_day":
        return _Knob(path, +1, lambda s: 24 * 60)
    if key.name == "lecturer_max_travel_minutes":
        return _Knob(path, +1, lambda s: span)
    if key.name == "min_field_share":
        return _Knob(path, -1, lambda s: 0, scale=1000)
    if key.name in ("min_seminar_class_hours", "min_report_writing_class_hours", "min_red_education_visits"):
        return _Knob(path, -1, lambda s: 0)
    if key.name == "max_visits_per_day":
        return _Knob(path, +1, lambda s: 8)
    if key.name == "lodging_capacity":
        return _Knob(path, +1, lambda s: len(s.classes))
    if key.name == "max_sessions":
        return _Knob(path, +1, lambda s: sum(sum(s.requirements_for(k.id).lectures.values()) for k in s.classes))
    if key.name == "min_sessions":
        return _Knob(path, -1, lambda s: 0)
    return None


def _step(node: Any, part: str) -> Any:
    """One step down a path: a key of a mapping, or the list item with that id or place."""
    if isinstance(node, (list, tuple)):
        return next(item for item in node if part in (item.get("id"), item.get("place"), f"day {item.get('day')}"))
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
        value = getattr(scenario.lecturer(knob.path[1]), knob.path[-1])
    else:
        value = getattr(scenario.limits, knob.path[-1])
    return round(value * knob.scale)


def proves_no_plan(
    scenario: Scenario, seconds: float, workers: int = 2, seed: int = 0, *, params: SolverParams = SolverParams()
) -> bool:
    """Whether the solver proves within ``seconds`` that ``scenario`` has no plan: the model
    without clock times first (a relaxation, so its conflicts are real; with its enforced
    constraints in the LP, which shows a count beyond reach at the root), then the full model.
    False proves nothing."""
    for timed in (False, True):
        built = build_model(scenario, timed=timed)
        built.model.clear_objective()
        code = _conflict_solver(timed, seconds / 2, workers, seed, params=params).solve(built.model)
        if code == cp_model.INFEASIBLE:
            return True
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and timed:
            return False
    return False


def suggest_relaxations(
    scenario: Scenario,
    conflict: tuple[Requirement, ...],
    is_feasible: Callable[[Scenario], bool],
    time_limit: float,
    *,
    is_impossible: Callable[[Scenario], bool] | None = None,
) -> tuple[Relaxation, ...]:
    """For each number in the conflict, the smallest single change that gives a plan.

    ``is_feasible`` proves a value gives a plan; a value it does not prove counts as giving
    none, so the answer is proven the smallest only when ``is_impossible`` (e.g.
    ``proves_no_plan``) shows that the next value towards the old one gives none (a looser
    number allows every plan a tighter one does, so every value beyond gives none too)."""
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
        proven = tight != old and is_impossible is not None and is_impossible(_with_value(scenario, knob, tight))
        tighter = _shown(knob, tight) if proven else None
        found.append(Relaxation(requirement.path, _shown(knob, old), _shown(knob, loose), tighter))
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
