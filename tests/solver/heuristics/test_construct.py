"""The constructive plan leaves the classes still to come the sites they must visit."""

from __future__ import annotations

import yaml
from helpers import ROOT

from scheduler.scenario.loading import load_scenario
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.heuristics.construct import planned_in_turn


def test_a_site_the_last_class_must_visit_is_left_to_it(tmp_path):
    """Dalian with Guanmenshan open on Thursday only, to one class at a time, and a must-visit
    of the rural class, planned last: the classes before it, who would visit it that Thursday,
    leave it to the rural class."""
    raw = yaml.safe_load((ROOT / "scenarios" / "dalian-2019.yaml").read_text(encoding="utf-8"))
    site = next(s for s in raw["sites"] if s["id"] == "guanmenshan")
    site["open_weekdays"], site["capacity_classes"] = ["thu"], 1
    raw["requirements"]["by_class"]["rural"]["must_visit"].append("guanmenshan")
    path = tmp_path / "dalian-guanmenshan.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.classes[-1].id == "rural"
    planned = dict(planned_in_turn(Candidates(scenario)))
    assert planned["rural"] is not None
    visits = {class_id: [s for choice in days for s in choice.sites] for class_id, days in planned.items()}
    assert "guanmenshan" in visits["rural"]
    assert all("guanmenshan" not in sites for class_id, sites in visits.items() if class_id != "rural")


def test_a_class_never_sleeps_out_of_reach_of_its_last_place():
    """A week whose evenings wander farther from the class's last place than the days left can
    drive could never end there: the construction keeps its evenings within reach. (In this
    generated programme, the class's most rewarding evenings lie farther from its last place
    than a last day can drive.)"""
    from scheduler.plan.day import DaySimulator
    from scheduler.solver.heuristics.construct import session_frame

    scenario = load_scenario(ROOT / "bench" / "scenarios" / "gen-40x14.yaml")
    cand = Candidates(scenario)
    klass = scenario.training_class("urban_4")
    [(class_id, days)] = list(planned_in_turn(cand, [klass]))
    assert class_id == "urban_4" and days is not None
    last = scenario.programme.days - 1
    req = cand.requirements(klass)
    leave_after, afternoon = session_frame(cand, req, last, days[last])
    simulator = DaySimulator(scenario, cand.travel)
    assert (
        simulator.run(
            days[last - 1].end_place, klass.last_place, (), last, leave_after=leave_after, afternoon=afternoon
        )
        is not None
    )
