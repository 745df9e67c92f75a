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
