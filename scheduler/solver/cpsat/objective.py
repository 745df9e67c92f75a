"""The soft goals, as named penalty terms; the objective is their sum.

Each function returns ``(name, expression)`` pairs already multiplied by the goal's weight,
so that the objective breakdown can be read back term by term after the solve. Rewards are
negative penalties.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.solver.cpsat.variables import Variables
from scheduler.solver.data.candidates import Candidates

Terms = list[tuple[str, cp_model.LinearExprT]]


def coach_time(model: cp_model.CpModel, cand: Candidates, v: Variables) -> Terms:
    """Less coach driving is better: ``coach_minute`` per minute driven."""
    weight = cand.scenario.weights.coach_minute
    return [
        (f"coach_minutes(class={c},day={d + 1})", weight * day_vars.driving_minutes)
        for (c, d), day_vars in v.class_days.items()
        if weight
    ]


def theme_fit_and_value(model: cp_model.CpModel, cand: Candidates, v: Variables) -> Terms:
    """Visits to sites that serve the class's theme, and to valuable sites, are rewarded."""
    weights = cand.scenario.weights
    terms: Terms = []
    for (class_id, _), day_vars in v.class_days.items():
        theme = cand.scenario.training_class(class_id).theme
        for site_id, visit in day_vars.visits.items():
            site = cand.scenario.site(site_id)
            if weights.theme_fit and theme in site.themes:
                terms.append((f"theme_fit(class={class_id},site={site_id})", -weights.theme_fit * visit.present))
            if weights.site_value and site.value:
                terms.append(
                    (f"site_value(class={class_id},site={site_id})", -weights.site_value * site.value * visit.present)
                )
    return terms


def lecturer_balance(model: cp_model.CpModel, cand: Candidates, v: Variables) -> Terms:
    """Lectures are spread fairly: ``lecturer_imbalance`` per lecture between the busiest
    and the lightest of the lecturers who could give any."""
    weight = cand.scenario.weights.lecturer_imbalance
    loads = {}
    for lecturer in cand.scenario.lecturers:
        theirs = [s.lecturer[lecturer.id] for s in v.sessions if lecturer.id in s.lecturer]
        if theirs:
            loads[lecturer.id] = sum(theirs)
    if not weight or len(loads) < 2:
        return []
    most = model.new_int_var(0, len(v.sessions), "busiest_lecturer_load")
    least = model.new_int_var(0, len(v.sessions), "lightest_lecturer_load")
    for load in loads.values():
        model.add(most >= load)
        model.add(least <= load)
    return [("lecturer_imbalance", weight * (most - least))]


def late_evenings(model: cp_model.CpModel, cand: Candidates, v: Variables) -> Terms:
    """Fewer late evenings: ``late_evening`` per evening ending after late_evening_after."""
    weight = cand.scenario.weights.late_evening
    return [
        (f"late_evening(class={c},day={d + 1})", weight * day_vars.late_evening)
        for (c, d), day_vars in v.class_days.items()
        if weight
    ]


GOALS = (coach_time, theme_fit_and_value, lecturer_balance, late_evenings)


def build_objective(model: cp_model.CpModel, cand: Candidates, v: Variables) -> Terms:
    """Collect every goal's terms and minimise their sum."""
    terms = [term for goal in GOALS for term in goal(model, cand, v)]
    model.minimize(sum(expr for _, expr in terms))
    return terms
