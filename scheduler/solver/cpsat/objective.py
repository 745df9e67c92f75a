"""The soft goals (``scenario.goals.GOALS``), as named penalty terms; the objective is their sum.

Each function returns ``(name, expression)`` pairs already multiplied by the goal's weight,
so that the objective breakdown can be read back term by term after the solve. Rewards are
negative penalties; what a visit earns comes from ``goals.visit_rewards``, which the
heuristics and the week bound read too.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.scenario.goals import COACH_MINUTES, LATE_EVENING, LECTURER_IMBALANCE, Term, visit_rewards
from scheduler.solver.cpsat.variables import Variables
from scheduler.solver.data.candidates import Candidates

Terms = list[tuple[str, cp_model.LinearExprT]]


def coach_time(model: cp_model.CpModel, cand: Candidates, v: Variables) -> Terms:
    """Less coach driving is better: ``coach_minute`` per minute driven."""
    weight = COACH_MINUTES.price(cand.scenario.weights)
    return [
        (str(Term(COACH_MINUTES.name, c, d + 1)), weight * day_vars.driving_minutes)
        for (c, d), day_vars in v.class_days.items()
        if weight
    ]


def visit_rewards_earned(model: cp_model.CpModel, cand: Candidates, v: Variables) -> Terms:
    """Visits earn what ``goals.visit_rewards`` says: to sites that serve the class's theme, and
    to valuable sites."""
    weights = cand.scenario.weights
    terms: Terms = []
    for (class_id, _), day_vars in v.class_days.items():
        klass = cand.scenario.training_class(class_id)
        for site_id, visit in day_vars.visits.items():
            for goal, reward in visit_rewards(weights, klass, cand.scenario.site(site_id)).items():
                terms.append((str(Term(goal, class_id, site=site_id)), -reward * visit.present))
    return terms


def balance_lecturers(cand: Candidates) -> tuple[str, ...]:
    """The lecturers the balance goal weighs, in the scenario's order: those qualified for some
    lecture of the candidates (``Candidates.qualified_lecturers``). The goal applies only when
    there are at least two."""
    able = {lecturer for session in cand.sessions for lecturer in cand.qualified_lecturers(session)}
    return tuple(lecturer.id for lecturer in cand.scenario.lecturers if lecturer.id in able)


def lecturer_balance(model: cp_model.CpModel, cand: Candidates, v: Variables) -> Terms:
    """Lectures are spread fairly: ``lecturer_imbalance`` per lecture between the busiest
    and the lightest of ``balance_lecturers``."""
    weight = LECTURER_IMBALANCE.price(cand.scenario.weights)
    lecturers = balance_lecturers(cand)
    if not weight or len(lecturers) < 2:
        return []
    loads = [sum(s.lecturer[lecturer] for s in v.sessions if lecturer in s.lecturer) for lecturer in lecturers]
    most = model.new_int_var(0, len(v.sessions), "busiest_lecturer_load")
    least = model.new_int_var(0, len(v.sessions), "lightest_lecturer_load")
    for load in loads:
        model.add(most >= load)
        model.add(least <= load)
    return [(str(Term(LECTURER_IMBALANCE.name)), weight * (most - least))]


def late_evenings(model: cp_model.CpModel, cand: Candidates, v: Variables) -> Terms:
    """Fewer late evenings: ``late_evening`` per evening ending after late_evening_after."""
    weight = LATE_EVENING.price(cand.scenario.weights)
    return [
        (str(Term(LATE_EVENING.name, c, d + 1)), weight * day_vars.late_evening)
        for (c, d), day_vars in v.class_days.items()
        if weight
    ]


GOAL_TERMS = (coach_time, visit_rewards_earned, lecturer_balance, late_evenings)
"""The term builders, one per family of goals; together they cover every goal of ``GOALS``."""


def build_objective(model: cp_model.CpModel, cand: Candidates, v: Variables) -> Terms:
    """Collect every goal's terms and minimise their sum."""
    terms = [term for goal_terms in GOAL_TERMS for term in goal_terms(model, cand, v)]
    model.minimize(sum(expr for _, expr in terms))
    return terms
