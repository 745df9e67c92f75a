"""The soft goals (``scenario.goals.GOALS``), as named penalty terms; the objective is their sum.

Each function returns ``(name, expression)`` pairs already multiplied by the goal's weight,
so that the objective breakdown can be read back term by term after the solve. Rewards are
negative penalties; what a visit earns comes from ``goals.visit_rewards``, which the
heuristics and the week bound read too.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.plan.model import FINAL_KINDS
from scheduler.scenario.goals import COACH_MINUTES, IDLE_TIME, LATE_EVENING, LECTURER_IMBALANCE, Term, visit_rewards
from scheduler.solver.cpsat.constraints import minutes_by_kind
from scheduler.solver.cpsat.variables import Variables
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.units import DAY

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


DAYTIME_KINDS = ("field_visit", "travel", "opening", "lecture", *FINAL_KINDS)
"""What fills a class's daytime, lunch aside."""


def idle_daytime(model: cp_model.CpModel, cand: Candidates, v: Variables) -> Terms:
    """Less idle daytime: ``idle_hour`` per started hour of a class-day's free daytime beyond
    ``limits.max_idle_minutes``. The daytime runs from ``day_start`` to dinner (on the last
    day, to the end of the presentations and closing); what is not spent on the coach, at
    visits, at lunch or in sessions is free. (Coach minutes before ``day_start`` count as
    spent, so the term never counts more free time than there is.) Rest days are free by
    design and cost nothing."""
    weight = IDLE_TIME.price(cand.scenario.weights)
    if not weight:
        return []
    frame = cand.frame
    limit = cand.scenario.limits.max_idle_minutes
    last_day = cand.scenario.programme.days - 1
    finals: dict[str, list] = {}
    for session in v.sessions:
        if session.session.kind in FINAL_KINDS:
            finals.setdefault(session.session.class_id, []).append(session)
    terms: Terms = []
    for class_id, day in v.class_days:
        if day in cand.rest_days:
            continue
        minutes = minutes_by_kind(cand, v, class_id, day)
        busy = sum(minutes.get(kind, 0) for kind in DAYTIME_KINDS) + frame.lunch.minutes
        end = day * DAY + frame.dinner.start
        if day == last_day and class_id in finals:
            last = max(finals[class_id], key=lambda s: FINAL_KINDS.index(s.session.kind))
            end = last.start + last.session.minutes
        day_start = cand.scenario.day_start_on(day)
        free = end - (day * DAY + day_start) - busy
        span = frame.dinner.start - day_start
        hours = model.new_int_var(0, max(0, -(-(span - limit) // 60)), f"idle_hours[{class_id},{day}]")
        model.add(60 * hours >= free - limit)
        terms.append((str(Term(IDLE_TIME.name, class_id, day + 1)), weight * hours))
    return terms


GOAL_TERMS = (coach_time, visit_rewards_earned, lecturer_balance, late_evenings, idle_daytime)
"""The term builders, one per family of goals; together they cover every goal of ``GOALS``."""


def build_objective(model: cp_model.CpModel, cand: Candidates, v: Variables) -> Terms:
    """Collect every goal's terms and minimise their sum."""
    terms = [term for goal_terms in GOAL_TERMS for term in goal_terms(model, cand, v)]
    model.minimize(sum(expr for _, expr in terms))
    return terms
