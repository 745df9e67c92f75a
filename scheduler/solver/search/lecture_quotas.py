"""Which class each invited lecturer's required lectures (``min_sessions``) are counted on from,
while a programme is planned one class at a time.

A lecturer's fewest lectures is a rule over the whole programme, but the first plan of
``by_class`` models one class after another: a class planned early cannot see the classes still
to come. Left to each class, the lecturers who must take the podium are skipped by every class
that has someone nearer, and the last class cannot make up for all of them. So before the first
plan, a small assignment spreads each such lecturer's lectures over the classes whose topics
they teach (each topic's lectures given once, each lecturer within their limits, the nearest
lecturer preferred); a class then owes what it was given, less what the classes already planned
gave, and the classes not yet planned are counted on for the rest (``Outside.reserved``). Once
every class has a plan the rule is exact again: a class re-planned around the others owes what
they leave.

The same assignment keeps room the other way: a lecturer many classes need (the only one of a
topic, or one with few free days) would otherwise be taken by the first classes planned, and a
later class could find no one left to give its required lecture. So a class planned early may
use of each lecturer only the room the assignment leaves after the classes still to come
(``Outside.held``).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.solver.cpsat.engine import configure
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.options import SolveOptions

Quotas = dict[str, dict[str, int]]
"""class id -> lecturer id -> lectures of the lecturer's ``min_sessions`` the class is counted on for."""


def lecture_quotas(cand: Candidates, seconds: float = 2.0) -> Quotas:
    """The classes' shares of the lecturers' required lectures; empty where no lecturer has a
    ``min_sessions``, or where no assignment meets them all (the solve then finds no plan, and
    its diagnosis names the lecturers)."""
    return lecture_shares(cand, seconds)[0]


def lecture_shares(cand: Candidates, seconds: float = 2.0) -> tuple[Quotas, Quotas]:
    """The classes' shares of the lecturers' required lectures (``lecture_quotas``), and the
    assignment they come from: class id -> lecturer id -> lectures the class is counted on to
    hold with that lecturer, every class's required lectures within each lecturer's limits (a
    lecturer of a topic many classes need is kept for the classes still to come, ``held``);
    both empty where no assignment exists."""
    scenario = cand.scenario
    owed = {lecturer.id: lecturer.min_sessions for lecturer in scenario.lecturers if lecturer.min_sessions > 0}
    if not any(count > 0 for klass in scenario.classes for count in cand.requirements(klass).lectures.values()):
        return {}, {}
    days = len(cand.days)
    model = cp_model.CpModel()
    given: dict[tuple[str, str], list[cp_model.IntVar]] = {}
    cost = []
    for klass in scenario.classes:
        homes_of_class = {klass.first_place, klass.last_place, klass.base}
        for topic, count in cand.requirements(klass).lectures.items():
            if count <= 0:
                continue
            takers = []
            for lecturer in scenario.lecturers:
                if topic not in lecturer.topics or not cand.lecturer_reach[lecturer.id]:
                    continue
                drive = min(cand.travel.driving_minutes(lecturer.home, p) for p in homes_of_class if p)
                x = model.new_int_var(0, count, f"x[{klass.id},{topic},{lecturer.id}]")
                takers.append(x)
                given.setdefault((klass.id, lecturer.id), []).append(x)
                cost.append(drive * x)
            model.add(sum(takers) == count)
    for lecturer in scenario.lecturers:
        theirs = [x for (_, lecturer_id), xs in given.items() if lecturer_id == lecturer.id for x in xs]
        free_days = days - len(cand.lecturer_away_days(lecturer.id))
        most = free_days * lecturer.max_sessions_per_day
        if lecturer.max_sessions is not None:
            most = min(most, lecturer.max_sessions)
        if theirs:
            model.add(sum(theirs) <= most)
        if lecturer.id in owed:
            model.add(sum(theirs) >= owed[lecturer.id])
    model.minimize(sum(cost))
    solver = cp_model.CpSolver()
    configure(solver, SolveOptions(workers=1), seconds, wall_clock=True)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}, {}
    assigned: Quotas = {}
    for (class_id, lecturer_id), xs in given.items():
        if count := sum(solver.value(x) for x in xs):
            assigned.setdefault(class_id, {})[lecturer_id] = count
    quotas: Quotas = {}
    for klass in scenario.classes:
        for lecturer_id, left in owed.items():
            share = min(left, sum(solver.value(x) for x in given.get((klass.id, lecturer_id), ())))
            if share:
                quotas.setdefault(klass.id, {})[lecturer_id] = share
                owed[lecturer_id] -= share
    return quotas, assigned


def held(assigned: Quotas, waiting: list[str]) -> dict[str, int]:
    """Lecturer id -> lectures the classes ``waiting`` are counted on to hold with them in the
    assignment (``lecture_shares``): what a class planned now leaves of each lecturer's room."""
    return reserved(assigned, waiting)


def reserved(quotas: Quotas, waiting: list[str]) -> dict[str, int]:
    """Lecturer id -> lectures the classes ``waiting`` (neither modelled nor planned yet) are
    counted on to give."""
    total: dict[str, int] = {}
    for class_id in waiting:
        for lecturer_id, share in quotas.get(class_id, {}).items():
            total[lecturer_id] = total.get(lecturer_id, 0) + share
    return total
