"""The least the goals no route pays can cost in any plan: the lecturers' balance, late evenings.

The balance goal (``objective.lecturer_balance``) weighs the lectures between the busiest and
the lightest of the lecturers who could give any. Whatever the routes, every lecture goes to
one lecturer of its topic, and nobody gives more than their ``max_sessions``: the fairest such
sharing, found here with days, places and clock times left aside, costs no more than any plan's.
The week bound (``week_bound``) leaves the goal out of its routes, so the two add up. Late
evenings are counted the same way: each class has at least ``Candidates.least_late_evenings``
of them, whatever its routes.
"""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

from scheduler.scenario.goals import LATE_EVENING, LECTURER_IMBALANCE
from scheduler.solver.cpsat.engine import configure
from scheduler.solver.cpsat.objective import balance_lecturers
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.options import SolveOptions
from scheduler.solver.params import BoundParams


def least_imbalance(cand: Candidates, seconds: float = BoundParams().balance_seconds) -> int:
    """A lower bound on the balance goal's term in every plan (0 when the goal has no weight,
    or when fewer than two lecturers could give a lecture, as in the model)."""
    weight = LECTURER_IMBALANCE.price(cand.scenario.weights)
    lectures = [s for s in cand.sessions if s.needs_lecturer]
    able = balance_lecturers(cand)
    if not weight or len(able) < 2 or cand.outside.lectures:
        return 0  # (lectures held fixed outside would count in the loads too: left aside)
    model = cp_model.CpModel()
    gives = {
        (s.id, lect): model.new_bool_var(f"gives[{lect},{s.id}]")
        for s in lectures
        for lect in cand.qualified_lecturers(s)
    }
    for s in lectures:
        model.add_exactly_one(gives[(s.id, lect)] for lect in cand.qualified_lecturers(s))
    most = model.new_int_var(0, len(lectures), "busiest")
    least = model.new_int_var(0, len(lectures), "lightest")
    for lect in able:
        load = sum(var for (_, who), var in gives.items() if who == lect)
        limit = cand.scenario.lecturer(lect).max_sessions
        if limit is not None:
            model.add(load <= limit)
        model.add(most >= load)
        model.add(least <= load)
    model.minimize(most - least)
    solver = cp_model.CpSolver()
    configure(solver, SolveOptions(workers=1), seconds, wall_clock=True)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return 0  # infeasible: no plan exists at all, which the week bound or the model says
    return weight * max(0, math.ceil(solver.best_objective_bound - 1e-6))


def least_late_evening_cost(cand: Candidates) -> int:
    """A lower bound on the late-evening goal's terms in every plan."""
    weight = LATE_EVENING.price(cand.scenario.weights)
    return weight * sum(cand.least_late_evenings(klass) for klass in cand.scenario.classes)
