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


def test_every_constructive_week_makes_its_red_education_visits(tmp_path):
    """Dalian with four red-education visits asked of every class: the construction's weeks make
    them (the completion keeps a week's visits, so a week short of them cannot be completed);
    the economy class's most rewarding week has only three."""
    raw = yaml.safe_load((ROOT / "scenarios" / "dalian-2019.yaml").read_text(encoding="utf-8"))
    raw["requirements"]["default"]["min_red_education_visits"] = 4
    path = tmp_path / "dalian-red.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    scenario = load_scenario(path)
    planned = dict(planned_in_turn(Candidates(scenario)))
    for class_id, days in planned.items():
        assert days is not None, class_id
        red = sum(scenario.site(site).is_red_education for choice in days for site in choice.sites)
        assert red >= 4, (class_id, red)


def test_no_site_gets_more_trainees_on_a_day_than_it_holds_at_once():
    """The construction sets no clock times, so it gives a site no more trainees on a day than
    it holds at once: only that room is sure to be room once the completion times the visits
    around each class's route. (In this generated programme, classes with 151 trainees in all
    would otherwise come to a museum that holds 120, on the same day.)"""
    scenario = load_scenario(ROOT / "bench" / "scenarios" / "gen-8x7.yaml")
    trainees: dict[tuple[int, str], int] = {}
    for class_id, days in planned_in_turn(Candidates(scenario)):
        assert days is not None, class_id
        for day, choice in enumerate(days):
            for site in choice.sites:
                trainees[(day, site)] = trainees.get((day, site), 0) + scenario.training_class(class_id).trainees
    assert trainees
    for (day, site_id), count in trainees.items():
        room = scenario.site(site_id).capacity_trainees
        assert room is None or count <= room, (day, site_id, count, room)
