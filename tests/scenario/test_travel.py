"""The travel table: every leg as the scalar formulas give it (the table computes them as whole
arrays), overrides in their place, and chains of legs never longer than the shortest figures."""

from __future__ import annotations

import math

from helpers import ROOT

from scheduler.scenario.loading import load_scenario
from scheduler.scenario.travel import TravelTable, great_circle_km, rest_stops_needed, to_hundredths


def expected_leg(scenario, a: str, b: str) -> tuple[int, float, int]:
    """(driving hundredths, km, rest stops) from the scalar formulas, one leg at a time."""
    if a == b:
        return 0, 0.0, 0
    minutes, km = None, None
    for override in scenario.travel.overrides:
        pairs = {(override.from_, override.to)}
        if scenario.travel.symmetric:
            pairs.add((override.to, override.from_))
        if (a, b) in pairs and ((override.from_, override.to) == (a, b) or (minutes, km) == (None, None)):
            minutes, km = override.minutes, override.km
    if km is None:
        pa, pb = scenario.place(a), scenario.place(b)
        km = great_circle_km(pa.lat, pa.lon, pb.lat, pb.lon) * scenario.travel.road_factor
    if minutes is None:
        minutes = math.ceil(km / scenario.travel.coach_speed_kmh * 60 - 1e-9)
    hundredths = to_hundredths(minutes)
    stops = rest_stops_needed(-(-hundredths // 100), scenario.limits.max_continuous_drive_minutes)
    return hundredths, round(km, 1), stops


def test_every_leg_is_what_the_formulas_give():
    scenario = load_scenario(ROOT / "scenarios" / "dalian-2019.yaml")
    assert scenario.travel.overrides, "the case has measured legs"
    table = TravelTable(scenario)
    for a in table.place_ids:
        for b in table.place_ids:
            leg = table.leg(a, b)
            assert (leg.driving_hundredths, leg.km, leg.rest_stops) == expected_leg(scenario, a, b), (a, b)
            assert leg.rest_minutes == leg.rest_stops * scenario.limits.rest_stop_minutes
            assert table.hundredths[(a, b)] == leg.driving_hundredths


def test_the_shortest_figures_are_never_beaten_by_a_chain():
    scenario = load_scenario(ROOT / "scenarios" / "dalian-2019.yaml")
    table = TravelTable(scenario)
    ids = table.place_ids
    for a in ids:
        for b in ids:
            assert table.shortest_driving_hundredths(a, b) <= table.leg(a, b).driving_hundredths
            assert table.shortest_minutes(a, b) <= table.leg(a, b).minutes
            for k in ids[::5]:
                assert table.shortest_driving_hundredths(a, b) <= (
                    table.shortest_driving_hundredths(a, k) + table.shortest_driving_hundredths(k, b)
                )
                assert table.shortest_minutes(a, b) <= table.shortest_minutes(a, k) + table.shortest_minutes(k, b)
