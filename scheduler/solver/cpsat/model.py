"""The CP-SAT model of a scenario (variables, hard rules, soft goals) and the ways a stage hands
choices to it: fixes, hints, and the values of its objective terms in a plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model
from ortools.sat.python.cp_model_helper import FlatIntExpr

from scheduler.plan.model import Plan
from scheduler.scenario.model import Scenario
from scheduler.solver.cpsat.constraints import add_all
from scheduler.solver.cpsat.extract import extract_plan
from scheduler.solver.cpsat.nodes import Node
from scheduler.solver.cpsat.objective import build_objective
from scheduler.solver.cpsat.variables import Variables, build_variables
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.skeleton import Skeleton


@dataclass
class BuiltModel:
    model: cp_model.CpModel
    candidates: Candidates
    variables: Variables
    terms: list[tuple[str, cp_model.LinearExprT]]


def build_model(scenario: Scenario, timed: bool = True, cand: Candidates | None = None) -> BuiltModel:
    """The CP-SAT model of a scenario: variables, hard rules and soft goals.

    ``timed=False`` builds the coarse model (no clock times, only day budgets).
    """
    model = cp_model.CpModel()
    cand = cand or Candidates(scenario)
    variables = build_variables(model, cand)
    add_all(model, cand, variables, timed=timed)
    terms = build_objective(model, cand, variables)
    return BuiltModel(model, cand, variables, terms)


Fixes = list[tuple[cp_model.IntVar, int]]


Values = list[int]


@dataclass(frozen=True)
class Incumbent:
    """A plan as the values of every model variable (by proto index), and its objective."""

    values: Values
    objective: float

    def value(self, var) -> int:
        """The plan's value of the model variable ``var``."""
        return self.values[var.index]


def skeleton_fixes(built: BuiltModel, skeleton: Skeleton) -> Fixes:
    """The constructive plan's nights and visits, as (variable, value) pairs."""
    fixes: Fixes = []
    last = built.candidates.scenario.programme.days - 1
    for class_id, days in skeleton.days.items():
        for day, choice in enumerate(days or ()):
            if day < last:
                fixes += [
                    (lit, int(p == choice.end_place)) for p, lit in built.variables.nights[(class_id, day)].items()
                ]
            visits = built.variables.class_days[(class_id, day)].visits
            fixes += [(visit.present, int(site in choice.sites)) for site, visit in visits.items()]
    return fixes


def route_hints(built: BuiltModel, skeleton: Skeleton) -> Fixes:
    """The skeleton's routes as coach legs (start, each site in order, end), for hints."""
    hints: Fixes = []
    scenario = built.candidates.scenario
    for class_id, days in skeleton.days.items():
        start = scenario.training_class(class_id).first_place
        for day, choice in enumerate(days or ()):
            day_vars = built.variables.class_days[(class_id, day)]
            stops = [Node.start(start)] + [Node.site(s) for s in choice.sites] + [Node.end(choice.end_place)]
            legs = set(zip(stops, stops[1:], strict=False))
            hints += [(a.used, int((a.tail, a.head) in legs)) for a in day_vars.arcs]
            start = choice.end_place
    return hints


def coarse_fixes(built: BuiltModel, coarse: BuiltModel, value: Callable[[object], int]) -> Fixes:
    """The coarse model's nights, visits, legs and lecturers, as (variable, value) pairs."""
    pairs: Fixes = []
    for key, places in built.variables.nights.items():
        pairs += [(lit, value(coarse.variables.nights[key][p])) for p, lit in places.items()]
    for key, day_vars in built.variables.class_days.items():
        other = coarse.variables.class_days[key]
        pairs += [(visit.present, value(other.visits[s].present)) for s, visit in day_vars.visits.items()]
        pairs += [(a.used, value(b.used)) for a, b in zip(day_vars.arcs, other.arcs, strict=True)]
    for session, other in zip(built.variables.sessions, coarse.variables.sessions, strict=True):
        pairs += [(lit, value(other.slot[key])) for key, lit in session.slot.items()]
        pairs += [(lit, value(other.lecturer[l])) for l, lit in session.lecturer.items()]
    return pairs


def coarse_hints(built: BuiltModel, coarse: BuiltModel, values: Values) -> Fixes:
    """The plan's nights, visits, legs and lecturers as hints for the coarse model."""
    pairs: Fixes = []
    for key, places in coarse.variables.nights.items():
        pairs += [(lit, values[built.variables.nights[key][p].index]) for p, lit in places.items()]
    for key, day_vars in coarse.variables.class_days.items():
        full = built.variables.class_days[key]
        pairs += [(visit.present, values[full.visits[s].present.index]) for s, visit in day_vars.visits.items()]
        pairs += [(a.used, values[b.used.index]) for a, b in zip(day_vars.arcs, full.arcs, strict=True)]
    for session, full in zip(coarse.variables.sessions, built.variables.sessions, strict=True):
        pairs += [(lit, values[full.slot[key].index]) for key, lit in session.slot.items()]
        pairs += [(lit, values[full.lecturer[l].index]) for l, lit in session.lecturer.items()]
    return pairs


def hint_all(model: cp_model.CpModel, values: Values) -> None:
    model.clear_hints()
    for index, value in enumerate(values):
        model.add_hint(model.get_int_var_from_proto_index(index), value)


def expression_value(expr: cp_model.LinearExprT, value: Callable[[object], int]) -> int:
    """The value of a linear expression (or a plain number) in a plan."""
    if isinstance(expr, int):
        return expr
    flat = FlatIntExpr(expr)
    return sum(c * value(v) for c, v in zip(flat.coeffs, flat.vars, strict=True)) + flat.offset


def term_values(built: BuiltModel, value: Callable[[object], int]) -> dict[str, int]:
    """Each named objective term's value in the plan (a name may cover several days' variables,
    e.g. a class's visit to a site, whichever day it falls on)."""
    result: dict[str, int] = {}
    for name, expr in built.terms:
        result[name] = result.get(name, 0) + expression_value(expr, value)
    return result


def incumbent_plan(built: BuiltModel, found: Incumbent) -> Callable[[], Plan]:
    """The plan of ``found``, made when called (for ``Tracker.plan``)."""
    return lambda: extract_plan(built.candidates, built.variables, found.value)


def plan_and_terms(built: BuiltModel, values: Values) -> tuple[Plan, dict[str, int]]:
    """The plan and the objective terms that a solve's variable values give."""

    def value(var):
        return values[var.index]

    return extract_plan(built.candidates, built.variables, value), term_values(built, value)
