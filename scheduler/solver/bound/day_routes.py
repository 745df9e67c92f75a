"""Every day route a class could drive, under rules relaxed so that no real route is lost.

A *day route* is a chain of coach legs from the morning place through some sites to the evening
place. This module lists, for each day and morning place, every chain the model could accept,
checked only against rules that hold whatever else the plan does:

* the sites are open that day, each visit lies within the site's hours (a class may wait);
* the coach leaves no earlier than the earliest departure (after the opening on day 1), each
  leg takes its door-to-door minutes, and the class is back by the latest return, with the
  closing presentations still to come before dinner on the last day;
* lunch fits, never on the coach, at one of the stops;
* the day's driving stays within its limit, the visits within max_visits_per_day and the
  daily teaching limit.

The model's other rules (lectures, site and lodging capacity, lecturers) only remove routes, so
the list is a superset of the routes of any plan: what ``week_bound`` proves over it holds for
every plan. For each set of sites between two places only the cheapest order is kept, with the
most room for sessions of any order (both are all a bound needs). With a ``ChainBound``, the
same search follows only the chains a pricing finds worth it (``route_generation``). Nothing
here imports OR-Tools.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from scheduler.scenario.model import Site, on_step
from scheduler.solver.data.candidates import Candidates


@dataclass(frozen=True)
class DayRoute:
    """The cheapest order of a set of sites between two places on a day."""

    day: int
    start: str
    end: str
    sites: frozenset[str]
    driving_minutes: int  # the objective's coach minutes (whole minutes per leg)
    session_room: int  # most session minutes a day on this route leaves (morning plus afternoon)
    morning_room: int  # most session minutes before departure (at ``start``)
    afternoon_room: int  # most session minutes after arrival and before dinner (at ``end``)


class ChainBound(Protocol):
    """What a pricing knows of the routes worth building (``route_generation``)."""

    def next_costs(self, chain: tuple[str, ...], cost: float, visits_left: int) -> np.ndarray:
        """For each of the sites searched, in order, the chain's cost once it goes on to it, or
        +inf if the chain, at ``cost`` so far, could then no longer become a route worth
        having with ``visits_left`` more visits."""
        ...

    def may_close(self, chain: tuple[str, ...], cost: float, end: str) -> bool:
        """Whether the chain (perhaps of no site) could close at ``end`` into one."""
        ...

    def closed(self, chain: tuple[str, ...], cost: float, end: str) -> None:
        """The chain did close at ``end`` into a route (what a search for the cheapest learns)."""
        ...


class TooManyRoutes(RuntimeError):
    """The enumeration passed its budget: the programme is too large for a route bound."""


@dataclass
class _Label:
    """Earliest clock time at the current stop: before lunch (``hungry``) and after it (``fed``)."""

    hungry: int | None
    fed: int | None


class DayRouteEnumerator:
    """Lists the relaxed day routes of a scenario, day by day and morning place by place."""

    def __init__(self, cand: Candidates, budget: int = 2_000_000):
        self.cand = cand
        self.scenario = cand.scenario
        self.frame = cand.frame
        self.budget = budget
        """Most partial routes explored in all; past it the enumeration gives up."""
        self.explored = 0
        self._sites = {site.id: site for site in self.scenario.sites}
        # the day's frame, looked up once: it is asked for every route
        days = range(self.scenario.programme.days)
        self._earliest = [self.scenario.earliest_departure_on(day) for day in days]
        self._latest = [self.scenario.latest_return_on(day) for day in days]
        self._afternoon_sessions = [self._fixed_afternoon(day) for day in days]

    # -- the day's fixed frame -------------------------------------------------
    def fixed_morning(self, day: int) -> int:
        """Session minutes every class holds before leaving on this day (the opening on day 1)."""
        if day != 0:
            return 0
        return min((self.cand.requirements(k).opening_minutes for k in self.scenario.classes), default=0)

    def leave_after_fixed_morning(self, day: int) -> int:
        """The earliest departure once the fixed morning sessions are over: they begin at the
        day's start (``Scenario.day_start_on``); departures are on the clock's steps."""
        frame = self.frame
        morning = self.fixed_morning(day)
        earliest = self.scenario.earliest_departure_on(day)
        leave = max(earliest, self.scenario.day_start_on(day) + morning) if morning else earliest
        return on_step(leave, frame.time_step_minutes)

    def _fixed_afternoon(self, day: int) -> int:
        """Session minutes every class holds after arriving on this day (the presentations and the
        closing, last day)."""
        if day != self.scenario.programme.days - 1:
            return 0
        return min(
            (
                self.cand.requirements(k).presentation_minutes + self.cand.requirements(k).closing_minutes
                for k in self.scenario.classes
            ),
            default=0,
        )

    def _eat(self, now: int | None) -> int | None:
        """When lunch started at ``now`` or later is over, or None if the window has passed."""
        if now is None:
            return None
        lunch = self.frame.lunch
        begin = on_step(max(now, lunch.earliest), self.frame.time_step_minutes)
        return begin + lunch.minutes if begin + lunch.minutes <= lunch.latest else None

    def _can_still_eat(self, now: int | None) -> int | None:
        return now if self._eat(now) is not None else None

    # -- walking the chains ------------------------------------------------------
    def routes_from(
        self,
        day: int,
        start: str,
        sites: list[Site],
        ends: tuple[str, ...],
        *,
        max_visits: int | None = None,
        bound: ChainBound | None = None,
    ) -> list[DayRoute]:
        """Every relaxed route of ``day`` from ``start`` through some of ``sites`` (at most
        ``max_visits``, by default as many as any class may make) to one of ``ends``; with a
        ``bound``, only the chains it finds hopeful are followed and closed."""
        scenario = self.scenario
        travel = self.cand.travel
        limit = scenario.max_coach_hundredths_on(day)
        if max_visits is None:
            max_visits = max(self.cand.requirements(k).max_visits_per_day for k in scenario.classes)
        teaching_limit = self.teaching_room(day)
        best: dict[tuple[str, frozenset[str]], DayRoute] = {}
        leave = self.leave_after_fixed_morning(day)
        # the shortest way on from each site to any evening place, looked up once
        onward = {site.place: min(travel.shortest_driving_hundredths(site.place, e) for e in ends) for site in sites}
        # a partial route: where it is, its sites, its clock, driving (hundredths and whole
        # minutes), minutes on the coach (rests too), minutes at the sites, and its cost so far
        stack = [(start, (), _Label(leave, self._eat(leave)), 0, 0, 0, 0, 0.0)]
        while stack:
            here, chain, label, hundredths, minutes, on_coach, field, cost = stack.pop()
            self.explored += 1
            if self.explored > self.budget:
                raise TooManyRoutes(f"more than {self.budget} partial day routes")
            for end in ends:
                if bound is not None and not bound.may_close(chain, cost, end):
                    continue
                closed = self._close(
                    best,
                    day,
                    start,
                    here,
                    end=end,
                    chain=chain,
                    label=label,
                    hundredths=hundredths,
                    minutes=minutes,
                    busy=on_coach + field,
                    limit=limit,
                )
                if closed and bound is not None:
                    bound.closed(chain, cost, end)
            if len(chain) >= max_visits:
                continue
            if bound is not None:
                hopes = bound.next_costs(chain, cost, max_visits - len(chain) - 1)
            for n, site in enumerate(sites):
                if site.id in chain:
                    continue
                if bound is not None:
                    extended = hopes[n]
                    if extended == math.inf:
                        continue
                else:
                    extended = 0.0
                if field + site.visit_minutes > teaching_limit:
                    continue
                leg = travel.leg(here, site.place)
                driven = hundredths + leg.driving_hundredths
                # the shortest way on to any evening place must still fit the day's driving
                if driven + onward[site.place] > limit:
                    continue
                after = self._visit(label, leg.minutes, site)
                if after is None:
                    continue
                stack.append(
                    (
                        site.place,
                        chain + (site.id,),
                        after,
                        driven,
                        minutes + leg.driving_minutes,
                        on_coach + leg.minutes,
                        field + site.visit_minutes,
                        extended,
                    )
                )
        return list(best.values())

    def _visit(self, label: _Label, leg_minutes: int, site: Site) -> _Label | None:
        """The labels after driving ``leg_minutes`` to the site and visiting it."""
        hours = site.hours

        def visit_from(arrival: int | None) -> int | None:
            if arrival is None:
                return None
            begin = on_step(max(arrival, hours.open), self.frame.time_step_minutes)
            return begin + site.visit_minutes if begin + site.visit_minutes <= hours.close else None

        hungry = None if label.hungry is None else visit_from(label.hungry + leg_minutes)
        fed_options = [
            visit_from(None if label.fed is None else label.fed + leg_minutes),
            # lunch before leaving the last stop
            visit_from(None if (eaten := self._eat(label.hungry)) is None else eaten + leg_minutes),
            # lunch on arrival, before the visit (the class may eat while it waits)
            visit_from(self._eat(None if label.hungry is None else label.hungry + leg_minutes)),
        ]
        fed = min((t for t in fed_options if t is not None), default=None)
        # after the visit, lunch may still be taken here before leaving
        hungry = self._can_still_eat(hungry)
        if hungry is not None:
            eaten = self._eat(hungry)
            fed = eaten if fed is None else min(fed, eaten)
        if hungry is None and fed is None:
            return None
        return _Label(hungry, fed)

    def _close(self, best, day, start, here, *, end, chain, label, hundredths, minutes, busy, limit) -> bool:
        """Record the route that ends the chain at ``end``, if the class gets there in time;
        ``busy``: the chain's minutes on the coach and at its sites."""
        travel = self.cand.travel
        leg = travel.leg(here, end)
        if hundredths + leg.driving_hundredths > limit:
            return False
        free = self._afternoon_from(day, label, leg.minutes)
        if free is None or self.frame.dinner.start - free < self._afternoon_sessions[day]:
            return False
        afternoon = self.frame.dinner.start - free
        earliest = self._earliest[day]
        morning = self._latest_departure(day, start, chain, end) - earliest
        sites = frozenset(chain)
        busy += leg.minutes + self.frame.lunch.minutes
        # sessions, lunch, legs and visits never overlap between the earliest departure and dinner
        room = min(morning + afternoon, self.frame.dinner.start - earliest - busy)
        route = DayRoute(day, start, end, sites, minutes + leg.driving_minutes, room, morning, afternoon)
        known = best.get((end, sites))
        if known is not None:
            route = DayRoute(
                day,
                start,
                end,
                sites,
                min(known.driving_minutes, route.driving_minutes),
                max(known.session_room, route.session_room),
                max(known.morning_room, route.morning_room),
                max(known.afternoon_room, route.afternoon_room),
            )
        best[(end, sites)] = route
        return True

    def _afternoon_from(self, day: int, label: _Label, leg_minutes: int) -> int | None:
        """From when the evening place is free for sessions (lunch had), or None if the class
        cannot be back by the latest return with lunch on the way or there."""
        latest = self._latest[day]
        options = []
        if label.fed is not None and label.fed + leg_minutes <= latest:
            options.append(label.fed + leg_minutes)
        if label.hungry is not None:
            eaten = self._eat(label.hungry)  # lunch before the last leg
            if eaten is not None and eaten + leg_minutes <= latest:
                options.append(eaten + leg_minutes)
            arrive = label.hungry + leg_minutes
            eaten = self._eat(arrive)  # lunch at the evening place
            if arrive <= latest and eaten is not None:
                # the afternoon loses the lunch's minutes, wherever they fall
                options.append(arrive + self.frame.lunch.minutes)
        # sessions start on the clock's steps
        return on_step(min(options), self.frame.time_step_minutes) if options else None

    def _latest_departure(self, day: int, start: str, chain: tuple[str, ...], end: str) -> int:
        """The latest departure that could keep the chain, lunch left aside (so never too early)."""
        travel = self.cand.travel
        stops = [start] + [self._sites[s].place for s in chain] + [end]
        latest = self._latest[day]  # latest arrival at the next stop
        for i in range(len(chain), 0, -1):
            site = self._sites[chain[i - 1]]
            leave_by = latest - travel.leg(stops[i], stops[i + 1]).minutes
            latest = min(site.hours.close, leave_by) - site.visit_minutes
        return latest - travel.leg(stops[0], stops[1]).minutes

    def teaching_room(self, day: int) -> int:
        """Most field-visit minutes a day's route may hold (the daily teaching limit, where
        field visits count towards it; else no limit)."""
        limit = self.scenario.limits.max_teaching_minutes_per_day
        if "field_visit" not in self.scenario.definitions.workload_kinds or limit is None:
            return 10**9
        return limit
