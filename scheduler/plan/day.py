"""One class's day along a route, at its earliest times: whether the day can be kept.

The solver's construction and route search, and the generator's witness plan, decide with this
one simulation whether a day's route can be kept. The day runs as follows:

- Clock times a person reads are on the frame's steps (``time_step_minutes``): each departure,
  visit start and lunch is at the first step at or after the moment it could begin; an
  arrival is what the drive gives.
- The coach leaves the morning place once the morning sessions are over (``leave_after``), and
  never before the frame's earliest departure.
- It drives to each site of the route in turn, then to the evening place. A leg lasts its
  driving plus its rest stops (``Leg.minutes``). A day that stays where it woke, without
  visits, has no leg at all.
- A visit starts when the class arrives or when the site opens, whichever is later, and must
  be over by the site's closing time.
- Lunch lasts ``lunch.minutes``, starts no earlier than ``lunch.earliest`` and is over by
  ``lunch.latest``. It is taken at the last moment it can still be: before a leg after which it
  would end too late (and if it cannot be taken there, the day fails); at a site, before the
  visit, when after the visit it would end too late; otherwise at the evening place, on arrival.
  That is earliest times, not a search: where lunch at the site would make the visit miss the
  closing time, the day fails.
- The class is at the evening place by the day's latest return. On a day without a leg the
  morning's sessions must be over by then too: stricter than the rule (which concerns the
  arrival of a day's last coach leg), never looser.
- After lunch, the afternoon sessions (``afternoon`` minutes, one after another) fit before
  dinner.
- The day's driving, rest stops left out, is counted exactly, in hundredths of a minute, as
  the driving limit is (``Scenario.max_coach_hundredths_on``), and stays within it.

Site opening days, capacities and teaching loads are the callers' to check: this module knows
one class's day and nothing of the other classes. Plain arithmetic, no solver.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.scenario.model import Scenario, Site, on_step
from scheduler.scenario.travel import Leg, TravelTable


@dataclass(frozen=True)
class Drive:
    """A coach leg from ``origin`` to ``destination``, door to door (driving and rest stops)."""

    start: int
    end: int
    origin: str
    destination: str
    leg: Leg


@dataclass(frozen=True)
class Visit:
    """A field visit to ``site``."""

    start: int
    end: int
    site: Site


@dataclass(frozen=True)
class LunchBreak:
    """Lunch at ``place``."""

    start: int
    end: int
    place: str


Step = Drive | Visit | LunchBreak


@dataclass(frozen=True)
class SimulatedDay:
    """A day that can be kept: its steps in order, its driving, and when the afternoon sessions
    begin at the evening place (after lunch)."""

    steps: tuple[Step, ...]
    driving_hundredths: int
    afternoon_from: int


class DaySimulator:
    """The day of one class along a given route, at its earliest times (see the module)."""

    def __init__(self, scenario: Scenario, travel: TravelTable):
        self.scenario = scenario
        self.travel = travel
        self.frame = scenario.programme.frame
        self._limits: dict[int, tuple[int, int, int]] = {}

    def run(
        self, start: str, end: str, sites: Sequence[Site], day: int, *, leave_after: int, afternoon: int
    ) -> int | None:
        """The day's driving in hundredths of a minute, or None if the route cannot be kept.

        ``start`` is the morning place, ``end`` the evening place, ``sites`` the visits in
        order, ``day`` the programme's day (0 first); ``leave_after`` is when the morning
        sessions end, ``afternoon`` the session minutes to hold at the evening place before
        dinner.
        """
        found = self._simulate(start, end, sites, day, leave_after=leave_after, afternoon=afternoon, steps=None)
        return None if found is None else found[0]

    def simulate(
        self, start: str, end: str, sites: Sequence[Site], day: int, *, leave_after: int, afternoon: int
    ) -> SimulatedDay | None:
        """The day with its steps and their times (as ``run``), or None if the route cannot be kept."""
        steps: list[Step] = []
        found = self._simulate(start, end, sites, day, leave_after=leave_after, afternoon=afternoon, steps=steps)
        if found is None:
            return None
        driving, afternoon_from = found
        return SimulatedDay(tuple(self._leave_when_needed(steps)), driving, afternoon_from)

    def _leave_when_needed(self, steps: list[Step]) -> list[Step]:
        """The same day with each coach leg to a site leaving as late as the clock's steps allow
        for the class to arrive just before what it does there (lunch on arrival, or the visit):
        the wait is spent where the class was, not at the gate."""
        step_minutes = self.frame.time_step_minutes
        timed = list(steps)
        for i, step in enumerate(timed):
            if not isinstance(step, Drive) or i + 1 >= len(timed):
                continue
            following = timed[i + 1]
            if isinstance(following, LunchBreak) and i + 2 < len(timed) and isinstance(timed[i + 2], Visit):
                target = following.start
            elif isinstance(following, Visit):
                target = following.start
            else:
                continue
            latest = (target - step.leg.minutes) // step_minutes * step_minutes
            if latest > step.start:
                timed[i] = Drive(latest, latest + step.leg.minutes, step.origin, step.destination, step.leg)
        return timed

    def _simulate(
        self,
        start: str,
        end: str,
        sites: Sequence[Site],
        day: int,
        *,
        leave_after: int,
        afternoon: int,
        steps: list[Step] | None,
    ) -> tuple[int, int] | None:
        """(driving hundredths, start of the afternoon sessions), or None; the steps go to
        ``steps`` unless it is None (the route searches only need the answer)."""
        lunch = self.frame.lunch
        travel = self.travel
        step = self.frame.time_step_minutes
        earliest, latest_return, max_driving = self._day_limits(day)
        time = on_step(max(leave_after, earliest), step)
        here = start
        driving = 0
        lunched = False

        # each stop in turn, the evening place last (None: no visit there)
        stops: list[tuple[str, Site | None]] = [(site.place, site) for site in sites]
        if stops or start != end:
            stops.append((end, None))
        for place, site in stops:
            leg = travel.leg(here, place)
            time = on_step(time, step)
            if not lunched and time + leg.minutes + lunch.minutes > lunch.latest:
                # last chance to eat before the window closes is here, before leaving
                begin = on_step(max(time, lunch.earliest), step)
                if begin + lunch.minutes > lunch.latest:
                    return None
                if steps is not None:
                    steps.append(LunchBreak(begin, begin + lunch.minutes, here))
                time, lunched = begin + lunch.minutes, True
            if steps is not None:
                steps.append(Drive(time, time + leg.minutes, here, place, leg))
            time += leg.minutes
            driving += leg.driving_hundredths
            here = place
            if site is None:
                break
            begin = on_step(max(time, site.hours.open), step)
            if not lunched and begin + site.visit_minutes + lunch.minutes > lunch.latest:
                # lunch after the visit would end too late: at the site first, if it still can
                eat = on_step(max(time, lunch.earliest), step)
                if eat + lunch.minutes <= lunch.latest:
                    if steps is not None:
                        steps.append(LunchBreak(eat, eat + lunch.minutes, here))
                    time, lunched = eat + lunch.minutes, True
                    begin = on_step(max(time, site.hours.open), step)
            if begin + site.visit_minutes > site.hours.close:
                return None
            if steps is not None:
                steps.append(Visit(begin, begin + site.visit_minutes, site))
            time = begin + site.visit_minutes
        if time > latest_return:
            return None
        if not lunched:
            begin = on_step(max(time, lunch.earliest), step)
            if begin + lunch.minutes > lunch.latest:
                return None
            if steps is not None:
                steps.append(LunchBreak(begin, begin + lunch.minutes, here))
            time = begin + lunch.minutes
        time = on_step(time, step)
        if time + afternoon > self.frame.dinner.start:
            return None
        if driving > max_driving:
            return None
        return driving, time

    def _day_limits(self, day: int) -> tuple[int, int, int]:
        """The day's earliest departure, latest return and driving limit (hundredths), looked up
        once (the route searches simulate a day many thousand times)."""
        limits = self._limits.get(day)
        if limits is None:
            scenario = self.scenario
            limits = (
                scenario.earliest_departure_on(day),
                scenario.latest_return_on(day),
                scenario.max_coach_hundredths_on(day),
            )
            self._limits[day] = limits
        return limits
