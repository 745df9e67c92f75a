"""What it would cost the other goals to improve one soft goal by one step.

For a plan proven optimal, each goal in turn is forced one step better (one less late evening,
one more theme-fitting visit, one lecture less between the busiest and lightest lecturer, half
an hour less of coach driving) and the model is solved again for the best plan under that
force; the change of every other goal is the price. Only computed where it is cheap: each
re-solve has a few seconds, and a goal whose re-solve is undecided is reported as such.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.plan.model import Result, SolveStatus
from scheduler.scenario.goals import GOALS, Term
from scheduler.scenario.model import Scenario
from scheduler.solver.cpsat.engine import configure
from scheduler.solver.cpsat.model import BuiltModel, build_model
from scheduler.solver.options import SolveOptions


@dataclass(frozen=True)
class TradeOff:
    """Forcing ``goal`` one step better: the other goals' changes, or why none is given."""

    goal: str
    step: int
    changes: dict[str, int] = field(default_factory=dict)
    outcome: str = "priced"  # priced | at most (not proven best) | impossible | undecided


def _goal_terms(built: BuiltModel) -> dict[str, list]:
    goals: dict[str, list] = defaultdict(list)
    for name, expr in built.terms:
        goals[Term.parse(name).goal].append(expr)
    return goals


def _steps(scenario: Scenario) -> dict[str, int]:
    """Each goal's step in the objective's units: its ``trade_step`` units at its price."""
    return {goal.name: goal.price(scenario.weights) * goal.trade_step for goal in GOALS}


def _is_cost(goal: str) -> bool:
    """A cost cannot go below zero; rewards count negative."""
    return any(g.name == goal and not g.reward for g in GOALS)


def trade_offs(scenario: Scenario, result: Result, options: SolveOptions = SolveOptions()) -> list[TradeOff]:
    """For a proven-optimal plan, the price of improving each goal by one step (each re-solve
    has the diagnosis's ``trade_off_seconds``)."""
    if result.status is not SolveStatus.OPTIMAL:
        return []
    current: dict[str, int] = defaultdict(int)
    for name, value in result.objective_terms.items():
        current[Term.parse(name).goal] += value
    steps = _steps(scenario)
    found = []
    for goal, value in current.items():
        step = steps.get(goal, 0)
        if step <= 0 or (_is_cost(goal) and value <= 0):
            continue  # nothing to gain: a penalty already at zero
        built = build_model(scenario)
        goals = _goal_terms(built)
        built.model.add(sum(goals[goal]) <= value - step)
        solver = cp_model.CpSolver()
        configure(solver, options, options.params.diagnosis.trade_off_seconds, wall_clock=True)
        code = solver.solve(built.model)
        if code == cp_model.INFEASIBLE:
            found.append(TradeOff(goal, step, outcome="impossible"))
        elif code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            changes = {
                other: int(sum(solver.value(e) for e in exprs)) - current.get(other, 0)
                for other, exprs in goals.items()
            }
            outcome = "priced" if code == cp_model.OPTIMAL else "at most"
            found.append(TradeOff(goal, step, {k: v for k, v in changes.items() if v and k != goal}, outcome))
        else:
            found.append(TradeOff(goal, step, outcome="undecided"))
    return found
