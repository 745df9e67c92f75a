"""Lecturers who must take the podium (``min_sessions``) in a programme planned one class at a
time: their lectures are shared out among the classes before the first plan, and every class
planned before the last leaves the later ones their share."""

from __future__ import annotations

import pytest
from helpers import ROOT

from scheduler.analysis.check import check
from scheduler.scenario.loading import load_scenario
from scheduler.solver.cpsat.engine import Stopper
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.heuristics.construct import construct
from scheduler.solver.options import SolveOptions
from scheduler.solver.search import by_class
from scheduler.solver.search.class_by_class import class_solver
from scheduler.solver.search.lecture_quotas import held, lecture_quotas, lecture_shares, reserved


@pytest.fixture(scope="module")
def dalian():
    scenario = load_scenario(ROOT / "scenarios" / "dalian-2019.yaml")
    return scenario, Candidates(scenario)


def test_every_required_lecture_is_given_to_a_class_of_the_lecturers_topics(dalian):
    scenario, cand = dalian
    quotas = lecture_quotas(cand)
    required = {lecturer.id: lecturer.min_sessions for lecturer in scenario.lecturers if lecturer.min_sessions}
    assert len(required) == 11  # the report: all 11 officials took the podium
    shared = reserved(quotas, [k.id for k in scenario.classes])
    assert shared == required
    for class_id, shares in quotas.items():
        topics = {t for t, n in cand.requirements(scenario.training_class(class_id)).lectures.items() if n}
        for lecturer_id in shares:
            assert topics & set(scenario.lecturer(lecturer_id).topics), (class_id, lecturer_id)
    # the classes still to come are counted on only for their own shares
    assert reserved(quotas, []) == {}
    assert sum(reserved(quotas, ["economy"]).values()) == sum(quotas.get("economy", {}).values())


def test_the_first_plan_class_by_class_has_every_invited_lecturer_lecturing(dalian):
    scenario, cand = dalian
    solve_class = class_solver(SolveOptions(time_limit=30, workers=2, seed=0), Stopper())
    parts = by_class.first_plan(
        scenario, cand, construct(cand).days.items(), solve_class, seconds_left=lambda: 30.0, should_stop=lambda: False
    )
    assert parts is not None  # each class alone cannot give every lecturer a lecture
    plan, _ = by_class.joined(scenario, cand, parts)
    lecturing = {e.lecturer for e in plan.events if e.kind == "lecture"}
    assert lecturing == {lecturer.id for lecturer in scenario.lecturers}
    assert check(scenario, plan) == []


def test_no_lecturer_required_no_quotas():
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    assert not any(lecturer.min_sessions for lecturer in scenario.lecturers)
    assert lecture_quotas(Candidates(scenario)) == {}


def test_a_class_planned_early_leaves_a_lecturer_the_room_later_classes_need():
    """The only party-spirit lecturer may give two lectures and also teaches grassroots
    governance: the assignment gives the urban class the governance lecturer and keeps one of
    the party-spirit lecturer's two lectures for the rural class (``held``); the urban class,
    planned first, may then use them once, and not at all if the classes to come held both."""
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    lecturers = tuple(
        lecturer.model_copy(update={"topics": ("party_spirit", "grassroots_governance"), "max_sessions": 2})
        if lecturer.id == "lect_org"
        else lecturer
        for lecturer in scenario.lecturers
    )
    scenario = scenario.model_copy(update={"lecturers": lecturers})
    scenario.__dict__.pop("_indices", None)
    cand = Candidates(scenario)
    _, assigned = lecture_shares(cand)
    assert assigned["urban"] == {"lect_org": 1, "lect_governance": 1}
    assert held(assigned, ["rural"]) == {"lect_org": 1, "lect_agri": 1}
    solve_class = class_solver(SolveOptions(time_limit=20, workers=2, seed=0), Stopper())
    days = construct(cand).days["urban"]

    def urban(room_held: dict[str, int] | None):
        return by_class.plan_class(
            scenario, cand, "urban", days, others={}, solve_class=solve_class, keep=False,
            seconds=20.0, first_only=True, width=(12, 3), held=room_held,
        )  # fmt: skip

    part = urban(held(assigned, ["rural"]))
    assert part is not None
    assert sum(1 for e in part.plan.events if e.kind == "lecture" and e.lecturer == "lect_org") <= 1
    assert urban(None) is not None
    assert urban({"lect_org": 2}) is None  # no room left for its party-spirit lecture
