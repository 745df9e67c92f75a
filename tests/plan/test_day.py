"""The day simulation (``scheduler/plan/day.py``) alone, on tiny days around the base of
``data/rules/base.yaml``: legs of 30 minutes between the base and sites x, y and z (and between
the sites), visits of 60 minutes, lunch 11:30-13:30 for 60 minutes, dinner at 18:00. Each case
turns on one rule of the day: without that rule its answer would differ."""

from __future__ import annotations

from typing import Any

from helpers import read_data, with_changes

from scheduler.plan.day import DaySimulator, Drive, LunchBreak, SimulatedDay, Visit
from scheduler.scenario.model import Scenario, parse_clock
from scheduler.scenario.travel import TravelTable


def simulator(changes: dict[str, Any] | None = None, data: dict[str, Any] | None = None) -> DaySimulator:
    scenario = Scenario.model_validate(with_changes(data or read_data("rules/base.yaml"), changes or {}))
    return DaySimulator(scenario, TravelTable(scenario))


def day(
    sim: DaySimulator, route: tuple[str, ...], leave: str = "07:30", *, end: str = "base", afternoon: int = 0
) -> SimulatedDay | None:
    """Day 1 from the base to ``end`` through ``route``, leaving at ``leave``; ``run`` agrees."""
    sites = tuple(sim.scenario.site(s) for s in route)
    found = sim.simulate("base", end, sites, 0, leave_after=parse_clock(leave), afternoon=afternoon)
    driving = sim.run("base", end, sites, 0, leave_after=parse_clock(leave), afternoon=afternoon)
    assert driving == (None if found is None else found.driving_hundredths)
    return found


def at(clock: str) -> int:
    return parse_clock(clock)


def test_a_day_out_at_its_earliest_times():
    found = day(simulator(), ("x", "y"))
    assert found is not None
    assert found.steps == (
        Drive(at("08:00"), at("08:30"), "base", "x", found.steps[0].leg),  # leaves when needed, not at 07:30
        Visit(at("08:30"), at("09:30"), simulator().scenario.site("x")),  # x opens at 08:30
        Drive(at("09:30"), at("10:00"), "x", "y", found.steps[2].leg),
        Visit(at("10:00"), at("11:00"), simulator().scenario.site("y")),
        Drive(at("11:00"), at("11:30"), "y", "base", found.steps[4].leg),
        LunchBreak(at("11:30"), at("12:30"), "base"),  # on arrival at the evening place
    )
    assert found.driving_hundredths == 90 * 100
    assert found.afternoon_from == at("12:30")


def test_a_day_at_home_has_no_leg():
    found = day(simulator(), (), "09:00")
    assert found is not None
    assert found.steps == (LunchBreak(at("11:30"), at("12:30"), "base"),)
    assert found.driving_hundredths == 0


# -- lunch ----------------------------------------------------------------------


def test_lunch_comes_before_a_leg_after_which_it_would_end_too_late():
    # leaving at 12:15 for x (30 min), lunch on arrival would end at 13:45, after 13:30
    found = day(simulator(), ("x",), "12:15")
    assert found is not None
    assert found.steps[0] == LunchBreak(at("12:15"), at("13:15"), "base")
    assert isinstance(found.steps[1], Drive) and found.steps[1].start == at("13:15")


def test_lunch_comes_before_a_visit_after_which_it_would_end_too_late():
    # at x from 12:00: after the visit, lunch would end at 14:00
    found = day(simulator(), ("x",), "11:30")
    assert found is not None
    assert found.steps[1:3] == (
        LunchBreak(at("12:00"), at("13:00"), "x"),
        Visit(at("13:00"), at("14:00"), simulator().scenario.site("x")),
    )


def test_a_day_fails_when_the_lunch_window_has_closed():
    sim = simulator()
    assert day(sim, (), "12:30") is not None  # lunch 12:30-13:30 just fits
    assert day(sim, (), "12:31") is None
    assert day(sim, ("x",), "12:31") is None


# -- sites, return, dinner, driving ---------------------------------------------------


def test_a_visit_must_be_over_when_the_site_closes():
    sim = simulator({"sites": [{"id": "x", "hours": {"open": "08:00", "close": "09:00"}}]})
    assert day(sim, ("x",), "07:30") is not None  # at x 08:00-09:00
    assert day(sim, ("x",), "07:31") is None  # the visit would end at 09:01


def test_the_class_is_back_by_the_latest_return():
    # base - x - y - base is back at 11:30
    assert day(simulator({"limits": {"latest_return": "11:30"}}), ("x", "y")) is not None
    assert day(simulator({"limits": {"latest_return": "11:29"}}), ("x", "y")) is None
    day_override = {"programme": {"day_overrides": [{"day": 1, "latest_return": "11:29"}]}}
    assert day(simulator(day_override), ("x", "y")) is None


def test_a_day_without_a_leg_has_its_morning_over_by_the_latest_return():
    sim = simulator({"limits": {"latest_return": "11:00"}})
    assert day(sim, (), "11:00") is not None
    assert day(sim, (), "11:01") is None


def test_the_afternoon_sessions_fit_before_dinner():
    # back and lunched by 12:30; dinner at 18:00 leaves 330 minutes
    assert day(simulator(), ("x", "y"), afternoon=330) is not None
    assert day(simulator(), ("x", "y"), afternoon=331) is None


def test_the_driving_limit():
    # base - x - y - z - base drives 120 minutes
    assert day(simulator({"limits": {"max_coach_minutes_per_day": 120}}), ("x", "y", "z")) is not None
    assert day(simulator({"limits": {"max_coach_minutes_per_day": 119}}), ("x", "y", "z")) is None
    day_override = {"programme": {"day_overrides": [{"day": 1, "max_coach_minutes": 119}]}}
    assert day(simulator(day_override), ("x", "y", "z")) is None


def test_driving_is_counted_exactly_and_without_rest_stops():
    data = read_data("rules/base.yaml")
    legs = data["travel"]["overrides"]
    assert legs[0]["from"] == "base" and legs[0]["to"] == "x"
    legs[0]["minutes"] = 29.5  # base - x - base drives 59 minutes; 60 if each leg were rounded up
    sim = simulator({"limits": {"max_coach_minutes_per_day": 59}}, data)
    found = day(sim, ("x",))
    assert found is not None and found.driving_hundredths == 5900
    assert day(simulator({"limits": {"max_coach_minutes_per_day": 58.99}}, data), ("x",)) is None
    # a 90-minute leg with a rest stop: 110 minutes door to door, 90 of driving
    sim = simulator({"limits": {"max_coach_minutes_per_day": 90, "max_continuous_drive_minutes": 60}})
    found = day(sim, (), end="town")
    assert found is not None and found.driving_hundredths == 9000
    assert found.steps[0] == Drive(at("07:30"), at("09:20"), "base", "town", found.steps[0].leg)
