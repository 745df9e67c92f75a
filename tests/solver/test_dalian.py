"""The Dalian 2019 scenario end to end: it loads, nothing in it is impossible on its face, and
the full model admits the real week (the report's routes, tests/data/dalian-week.yaml) with a
plan that passes the checker and meets the report's figures.

Two ways: with the report's week fixed (the solver only sets clock times and lecturers), and
the whole solver on its own with a short time limit.
"""

from __future__ import annotations

import pytest
import yaml
from helpers import ROOT
from ortools.sat.python import cp_model

from scheduler.analysis.check import check
from scheduler.plan.figures import class_figures
from scheduler.scenario.loading import load_scenario
from scheduler.solver.cpsat.extract import extract_plan
from scheduler.solver.cpsat.model import build_model
from scheduler.solver.diagnosis.prechecks import find_obstacles

WEEK = yaml.safe_load((ROOT / "tests" / "data" / "dalian-week.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dalian():
    return load_scenario(ROOT / "scenarios" / "dalian-2019.yaml")


@pytest.fixture(scope="module")
def real_week_plan(dalian):
    built = build_model(dalian)
    for class_id, days in WEEK.items():
        for day, chosen in enumerate(days):
            if day < dalian.programme.days - 1:
                for place, lit in built.variables.nights[(class_id, day)].items():
                    built.model.add(lit == int(place == chosen["night"]))
            for site_id, visit in built.variables.class_days[(class_id, day)].visits.items():
                built.model.add(visit.present == int(site_id in chosen["visits"]))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 60
    solver.parameters.num_workers = 2
    solver.parameters.cp_model_probing_level = 1
    status = solver.solve(built.model)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE), solver.status_name(status)
    return extract_plan(built.candidates, built.variables, solver.value)


def test_shape_of_the_real_case(dalian):
    assert dalian.programme.days == 7
    assert str(dalian.programme.first_date) == "2019-08-25"
    assert {k.id: k.base for k in dalian.classes} == {
        "economy": "jinpu",
        "urban": "pulandian",
        "private": "wafangdian",
        "rural": "zhuanghe",
    }
    assert len(dalian.lecturers) == 11
    assert len({k.professor.id for k in dalian.classes}) == 4


def test_no_requirement_is_impossible_on_its_face(dalian):
    assert find_obstacles(dalian) == []


def test_every_site_the_week_visits_is_a_candidate(dalian):
    from scheduler.solver.data.candidates import Candidates

    cand = Candidates(dalian)
    for class_id, days in WEEK.items():
        for day, chosen in enumerate(days):
            assert set(chosen["visits"]) <= set(cand.visit_options[(class_id, day)]), (class_id, day)


def test_real_week_passes_the_checker(dalian, real_week_plan):
    assert [str(v) for v in check(dalian, real_week_plan)] == []


def test_real_week_meets_the_report_figures(dalian, real_week_plan):
    figures = class_figures(dalian, real_week_plan)
    for klass in dalian.classes:
        f = figures[klass.id]
        assert f.field_share >= 0.76, klass.id
        assert f.seminar_class_hours > 20, klass.id
        assert set(dalian.requirements_for(klass.id).must_visit) <= set(f.sites_visited), klass.id


def test_solver_plans_the_dalian_week_by_itself(dalian):
    """The whole pipeline on the real case, with a short limit: a checked plan that meets the
    report's figures (76% field teaching, more than 20 seminar class hours, the named sites)."""
    from scheduler.solver import SolveOptions, solve

    result = solve(dalian, SolveOptions(time_limit=20, workers=2, seed=0))
    assert result.plan is not None, result.status
    assert [str(v) for v in check(dalian, result.plan)] == []
    figures = class_figures(dalian, result.plan)
    for klass in dalian.classes:
        f = figures[klass.id]
        assert f.field_share >= 0.76, klass.id
        assert f.seminar_class_hours > 20, klass.id
        assert set(dalian.requirements_for(klass.id).must_visit) <= set(f.sites_visited), klass.id
        assert f.coach_driving_minutes <= 7 * dalian.limits.max_coach_minutes_per_day
