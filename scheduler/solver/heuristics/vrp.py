"""A class's week with its nights fixed, solved as a prize-collecting vehicle routing problem by
PyVRP (a maintained solver for that family, with a compiled core).

Once a class's evening places are chosen, its field days are a vehicle routing problem: each day
is a vehicle that leaves the morning place and ends at the evening place, within the day's
driving limit and its hours; every site the class may visit is an optional client whose prize
is its worth to the class, open in its opening hours for the length of its visit; driving
costs what the objective charges for coach minutes. PyVRP does not know the rest of a day (the
lunch break, rest stops on long drives, lectures at the evening place), so what it returns is
read back through the same day simulation as every other route (``scheduler.plan.day``), and a
day it got wrong loses its least worthy visits until the simulation keeps it: the caller
decides whether the week is better than the one it has.

Work is counted in PyVRP's iterations, not seconds, so a run with a given seed and budget is
reproducible; a wall-clock safety net at 1.5 times the budget (plus a second) cuts in only on a
machine much slower than the iteration rate (``RouteSearchParams.pyvrp_iterations_per_second``)
assumes.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from scheduler.scenario.model import Site

Week = tuple[tuple[str, ...], ...]
"""The sites of each day of a week, in the order visited."""


@dataclass(frozen=True)
class WeekRouting:
    """What PyVRP needs of one class's week, the nights aside (``ends`` picks those)."""

    first_place: str
    """Where the class wakes on the first day."""
    sites: dict[str, Site]
    """Every site the class may visit on some day, by id."""
    allowed: Sequence[frozenset[str]]
    """Per day, the sites the class may visit that day (open, not full)."""
    worth: dict[str, float]
    """What a visit is worth to the class, in the objective's units."""
    must: frozenset[str]
    """Sites the class must visit in the week."""
    cost_per_hundredth: float
    """What a hundredth of a minute of driving costs, in the objective's units (above zero)."""
    driving_limit: Sequence[int]
    """Per day, the most driving in hundredths of a minute."""
    window: Sequence[tuple[int, int]]
    """Per day, when the coach may leave the morning place and must be back at the evening
    place (minutes of the day)."""
    max_visits: Sequence[int]
    """Per day, the most visits."""
    legs: dict[tuple[str, str], int]
    """Driving between two places in hundredths of a minute."""


class PyvrpWeek:
    """The week's PyVRP data: every place a class may wake or sleep at is a depot, every site
    worth a visit an optional client (a must-visit site a required one); each day gets its
    vehicle type, from its morning place to its evening place, once the nights are chosen.

    Prizes and costs are integers: a hundredth of a minute of driving costs 1, a site's prize is
    its worth over the cost of a hundredth. Where driving is worth next to nothing (it only
    breaks ties), the scale is capped so that the least worthy site still outweighs any week's
    driving, which keeps the prizes well inside 64-bit arithmetic."""

    def __init__(self, week: WeekRouting, places: Sequence[str]):
        from pyvrp import Model

        self.week = week
        days = len(week.allowed)
        worthy = sorted(s for s in week.sites if week.worth[s] > 0 or s in week.must)
        self.places = sorted(set(places))
        all_driving = sum(week.driving_limit) + 1
        least = min((week.worth[s] for s in worthy if week.worth[s] > 0), default=1.0)
        self.scale = min(1.0 / week.cost_per_hundredth, all_driving / least)
        """Prize per unit of worth: what a unit of worth is in hundredths of driving."""
        model = Model()
        locations = {p: model.add_location(0, 0, name=p) for p in self.places}
        depots = {p: model.add_depot(locations[p], name=p) for p in self.places}
        self.depot_index = {p: i for i, p in enumerate(self.places)}
        self.client_site: list[str] = []
        site_locations = []
        many = min(week.max_visits) < len(worthy)  # a day that may take fewer than all
        for site_id in worthy:
            site = week.sites[site_id]
            location = model.add_location(0, 0, name=site_id)
            site_locations.append((location, site.place))
            model.add_client(
                location,
                delivery=[1] if many else [],
                service_duration=100 * site.visit_minutes,
                tw_early=100 * site.hours.open,
                tw_late=100 * (site.hours.close - site.visit_minutes),
                prize=round(max(0.0, week.worth[site_id]) * self.scale),
                required=site_id in week.must,
                name=site_id,
            )
            self.client_site.append(site_id)
        # one profile per distinct set of sites a day allows: elsewhere a site is out of reach
        self.profile_of_day: list[int] = []
        distinct: dict[frozenset[str], int] = {}
        profiles = []
        unreachable = 10 * all_driving
        where = [(locations[p], p, None) for p in self.places] + [
            (loc, place, s) for (loc, place), s in zip(site_locations, worthy, strict=True)
        ]
        for day in range(days):
            allowed = week.allowed[day]
            if allowed not in distinct:
                distinct[allowed] = len(profiles)
                profile = model.add_profile(name=f"profile{len(profiles)}")
                profiles.append(profile)
                for frm, a_place, a_site in where:
                    for to, b_place, b_site in where:
                        if frm is to:
                            model.add_edge(frm, to, 0, 0, profile=profile)
                            continue
                        closed = (a_site is not None and a_site not in allowed) or (
                            b_site is not None and b_site not in allowed
                        )
                        leg = unreachable if closed else 0 if a_place == b_place else week.legs[a_place, b_place]
                        model.add_edge(frm, to, leg, leg, profile=profile)
            self.profile_of_day.append(distinct[allowed])
        self.capacity = [[m] if many else [] for m in week.max_visits]
        first = depots[self.places[0]]  # a placeholder: ``data`` gives each day its own
        model.add_vehicle_type(1, capacity=self.capacity[0], start_depot=first, end_depot=first)
        self.base = model.data()
        self.total_prize = sum(self.base.client(c).prize for c in range(self.base.num_clients))

    def data(self, ends: Sequence[str]) -> Any:
        """The problem with the nights ``ends`` (the evening place of each day)."""
        from pyvrp import VehicleType

        week, vehicles = self.week, []
        for day, end in enumerate(ends):
            start = week.first_place if day == 0 else ends[day - 1]
            early, late = week.window[day]
            late = max(early, late)
            vehicles.append(
                VehicleType(
                    1,
                    capacity=self.capacity[day],
                    start_depot=self.depot_index[start],
                    end_depot=self.depot_index[end],
                    tw_early=100 * early,
                    tw_late=100 * late,
                    max_distance=week.driving_limit[day],
                    unit_distance_cost=1,
                    profile=self.profile_of_day[day],
                    name=f"day{day + 1}",
                )
            )
        return self.base.replace(vehicle_types=vehicles)

    def week_of(self, solution: Any, days: int) -> Week:
        """The solution's sites per day, in the order visited."""
        from pyvrp import ActivityType

        routes: list[tuple[str, ...]] = [()] * days
        for route in solution.routes():
            routes[route.vehicle_type()] = tuple(
                self.client_site[a.idx] for a in route if a.type == ActivityType.CLIENT
            )
        return tuple(routes)


def solve_weeks(
    week: WeekRouting,
    sequences: Sequence[Sequence[str]],
    iterations: int,
    *,
    seed: int,
    should_stop: Callable[[], bool] = lambda: False,
    iterations_per_second: float,
) -> dict[int, Week]:
    """For each sequence of nights (by its index in ``sequences``), the best week PyVRP found
    with ``iterations`` in all, shared by successive halving as the route search shares its work:
    each round every sequence still in runs for an equal share of what is left, warm-started
    from its best so far, and the better half by PyVRP's cost goes on. A sequence with no
    feasible week is left out."""
    from pyvrp import PenaltyParams, SolveParams, solve
    from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria

    if not sequences or iterations <= 0:
        return {}
    problem = PyvrpWeek(week, [week.first_place, *(p for ends in sequences for p in ends)])
    data = {i: problem.data(ends) for i, ends in enumerate(sequences)}
    params = SolveParams(penalty=PenaltyParams(max_penalty=max(100_000.0, 10.0 * problem.total_prize)))
    deadline = time.monotonic() + 1.5 * iterations / iterations_per_second + 1
    best: dict[int, Any] = {}
    cost: dict[int, float] = {i: math.inf for i in data}
    left = iterations
    alive = list(data)
    rounds = math.ceil(math.log2(max(1, len(alive)))) + 1
    while alive and left > 0 and not should_stop() and time.monotonic() < deadline:
        share = max(1, left // rounds // len(alive))
        for index in alive:
            seconds = max(0.0, deadline - time.monotonic())
            stop = MultipleCriteria([MaxIterations(share), MaxRuntime(seconds)])
            result = solve(data[index], stop, seed=seed, params=params, initial_solution=best.get(index), display=False)
            left -= share
            if result.is_feasible() and result.cost() < cost[index]:
                best[index], cost[index] = result.best, result.cost()
            if should_stop() or time.monotonic() >= deadline:
                break
        alive.sort(key=lambda i: cost[i])  # stable: the order of the sequences breaks ties
        alive = alive[: max(1, len(alive) // 2)]
        rounds = max(1, rounds - 1)
    days = len(week.allowed)
    return {i: problem.week_of(solution, days) for i, solution in best.items()}
