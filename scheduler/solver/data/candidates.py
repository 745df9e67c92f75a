"""Domains cut from the data before any variable exists.

Which places can start or end each class's day, which sites a class could visit on a day
(open, wanted, reachable within the day's driving and hours), which coach legs are worth an
arc, and which lecturers can give which lecture. Nothing here imports OR-Tools: it is plain
arithmetic on the scenario, shared by the model builder and the no-plan pre-checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from scheduler.scenario.goals import visit_reward
from scheduler.scenario.model import Requirements, Scenario, Site, TrainingClass, on_step
from scheduler.scenario.travel import TravelTable
from scheduler.solver.data.outside import NOTHING, Outside
from scheduler.solver.data.units import DAY

__all__ = ["Candidates", "Session", "session_id"]


@dataclass(frozen=True)
class Session:
    """A teaching session held at the class's morning or evening place (not a site).

    ``kind`` is opening, lecture, presentation or closing; lectures carry a topic and need a
    lecturer.
    """

    class_id: str
    kind: str
    minutes: int
    days: tuple[int, ...]
    topic: str | None = None
    number: int = 1
    """Which of the class's lectures on the topic this is, from 1 (1 for an opening or a presentation)."""

    @property
    def needs_lecturer(self) -> bool:
        return self.kind == "lecture"

    @cached_property
    def id(self) -> str:
        """The session's name in the model: ``class:opening``, ``class:lecture:topic:number``,
        ``class:presentation``."""
        return session_id(self.class_id, self.kind, self.topic, self.number)


def session_id(class_id: str, kind: str, topic: str | None = None, number: int = 1) -> str:
    """The model's name of a class's opening, presentation, closing, or ``number``-th lecture on ``topic``."""
    if kind == "lecture":
        return f"{class_id}:lecture:{topic}:{number}"
    return f"{class_id}:{kind}"


class Candidates:
    """Everything the model may choose from, reduced by what the data rules out."""

    def __init__(self, scenario: Scenario, travel: TravelTable | None = None, outside: Outside = NOTHING):
        self.scenario = scenario
        self.travel = travel or TravelTable(scenario)
        self.outside = outside
        """What other classes, not modelled here, hold fixed (``by_class``); nothing by default."""
        self.days = range(scenario.programme.days)
        self.rest_days = scenario.programme.rest_days
        """Days off: no visit, session or evening work (``DayOverride.rest_day``)."""
        self.frame = scenario.programme.frame

    # -- places where a day starts and ends -------------------------------
    @cached_property
    def lodging(self) -> tuple[str, ...]:
        """Distinct lodging places, in scenario order."""
        return tuple(dict.fromkeys(self.scenario.lodging_places()))

    def start_places(self, klass: TrainingClass, day: int) -> tuple[str, ...]:
        """Places where the class can wake up on ``day``."""
        if day == 0:
            return (klass.first_place,)
        return self.night_places(klass, day - 1)

    def end_places(self, klass: TrainingClass, day: int) -> tuple[str, ...]:
        """Places where the class can end ``day``."""
        if day == self.scenario.programme.days - 1:
            return (klass.last_place,)
        return self.night_places(klass, day)

    def night_places(self, klass: TrainingClass, night: int) -> tuple[str, ...]:
        """Lodging the class can reach on night ``night`` (after day ``night``)."""
        return self._night_places[klass.id][night]

    @cached_property
    def _night_places(self) -> dict[str, list[tuple[str, ...]]]:
        """Lodging reachable from the start by driving forward and able to reach the end."""
        result: dict[str, list[tuple[str, ...]]] = {}
        last = self.scenario.programme.days - 1
        for klass in self.scenario.classes:
            # forward: places reachable night by night
            forward: list[set[str]] = []
            current = {klass.first_place}
            for night in range(last):
                limit = self.scenario.max_coach_hundredths_on(night)
                drive = self.travel.shortest_driving_hundredths
                current = {l for l in self.lodging if any(drive(p, l) <= limit for p in current)}
                forward.append(current)
            # backward: places from which the end can still be reached
            after = {klass.last_place}
            for night in reversed(range(last)):
                limit = self.scenario.max_coach_hundredths_on(night + 1)
                drive = self.travel.shortest_driving_hundredths
                usable = {l for l in forward[night] if any(drive(l, p) <= limit for p in after)}
                forward[night] = usable
                after = usable
            result[klass.id] = [tuple(l for l in self.lodging if l in forward[n]) for n in range(last)]
        return result

    @cached_property
    def stay_places(self) -> tuple[str, ...]:
        """Every place where a class can start or end a day (where sessions can be held)."""
        places = list(self.lodging)
        for klass in self.scenario.classes:
            places += [klass.first_place, klass.last_place]
        return tuple(dict.fromkeys(places))

    @cached_property
    def lecturer_reach(self) -> dict[str, frozenset[str]]:
        """Lecturer id -> the stay places the lecturer may drive to for a lecture (within
        ``lecturer_max_travel_minutes`` of home)."""
        limit = self.scenario.limits.lecturer_max_travel_minutes
        return {
            lecturer.id: frozenset(
                p for p in self.stay_places if limit is None or self.travel.driving_minutes(lecturer.home, p) <= limit
            )
            for lecturer in self.scenario.lecturers
        }

    # -- sites ---------------------------------------------------------------
    def visit_reward(self, class_id: str, site_id: str) -> int:
        """What a visit of the class to the site earns, all goals together (``goals.visit_reward``,
        which the objective's terms read too)."""
        return self._visit_rewards[class_id][site_id]

    @cached_property
    def _visit_rewards(self) -> dict[str, dict[str, int]]:
        scenario = self.scenario
        return {
            klass.id: {site.id: visit_reward(scenario.weights, klass, site) for site in scenario.sites}
            for klass in scenario.classes
        }

    def requirements(self, klass: TrainingClass) -> Requirements:
        return self.scenario.requirements_for(klass.id)

    def ends_with_closing(self, klass: TrainingClass) -> bool:
        """The class's programme ends with its presentations or its closing: its last evening is free."""
        req = self.requirements(klass)
        return bool(req.presentation_minutes or req.closing_minutes)

    def least_late_evenings(self, klass: TrainingClass) -> int:
        """The fewest late evenings any plan gives the class: its seminar and report-writing hours
        (held exactly) on its evenings (the last one free when the programme ends with a closing),
        an evening holding at most what ends by ``late_evening_after`` unless it is late, and at
        most what ends by quiet hours when it is."""
        frame = self.frame
        mpch = self.scenario.programme.minutes_per_class_hour
        req = self.requirements(klass)
        hours = req.min_seminar_class_hours + req.min_report_writing_class_hours
        evenings = self.scenario.programme.days - len(self.rest_days) - (1 if self.ends_with_closing(klass) else 0)
        early = max(0, frame.late_evening_after - frame.evening.start) // mpch
        late = max(0, frame.quiet_hours_from - frame.evening.start) // mpch
        beyond = hours - evenings * early
        if beyond <= 0 or late <= early:
            return 0
        return min(evenings, -(-beyond // (late - early)))

    def site_days(self, klass: TrainingClass, site: Site) -> tuple[int, ...]:
        """Days on which the class could visit the site at all."""
        req = self.requirements(klass)
        if site.id in req.never_visit or req.max_visits_per_day == 0:
            return ()
        return tuple(day for day in self.days if day not in self.rest_days and self._reachable(klass, site, day))

    def _reachable(self, klass: TrainingClass, site: Site, day: int) -> bool:
        date = self.scenario.programme.date_of(day)
        if not site.is_open_on(date):
            return False
        drive_limit = self.scenario.max_coach_hundredths_on(day)
        travel = self.travel
        earliest = self.scenario.earliest_departure_on(day)
        for start in self.start_places(klass, day):
            begin = on_step(
                max(earliest + travel.shortest_minutes(start, site.place), site.hours.open),
                self.frame.time_step_minutes,
            )
            finish = begin + site.visit_minutes
            if finish > site.hours.close:
                continue
            for end in self.end_places(klass, day):
                drive = travel.shortest_driving_hundredths(start, site.place) + travel.shortest_driving_hundredths(
                    site.place, end
                )
                if drive > drive_limit:
                    continue
                if finish + travel.shortest_minutes(site.place, end) <= self.scenario.latest_return_on(day):
                    return True
        return False

    @cached_property
    def visit_options(self) -> dict[tuple[str, int], tuple[str, ...]]:
        """(class id, day) -> ids of the sites the class could visit that day."""
        options: dict[tuple[str, int], list[str]] = {(k.id, d): [] for k in self.scenario.classes for d in self.days}
        for klass in self.scenario.classes:
            for site in self.scenario.sites:
                for day in self.site_days(klass, site):
                    options[(klass.id, day)].append(site.id)
        return {key: tuple(value) for key, value in options.items()}

    # -- sessions ------------------------------------------------------------
    @cached_property
    def sessions(self) -> tuple[Session, ...]:
        """Every opening, lecture, presentation and closing the plan must hold."""
        last = self.scenario.programme.days - 1
        all_days = tuple(day for day in self.days if day not in self.rest_days)
        mpch = self.scenario.programme.minutes_per_class_hour
        sessions: list[Session] = []
        for klass in self.scenario.classes:
            req = self.requirements(klass)
            if req.opening_minutes:
                sessions.append(Session(klass.id, "opening", req.opening_minutes, (0,)))
            for topic, count in req.lectures.items():
                for number in range(1, count + 1):
                    sessions.append(
                        Session(klass.id, "lecture", req.lecture_class_hours * mpch, all_days, topic, number)
                    )
            if req.presentation_minutes:
                sessions.append(Session(klass.id, "presentation", req.presentation_minutes, (last,)))
            if req.closing_minutes:
                sessions.append(Session(klass.id, "closing", req.closing_minutes, (last,)))
        return tuple(sessions)

    def qualified_lecturers(self, session: Session) -> tuple[str, ...]:
        """Lecturers who teach the session's topic and are not away every day it could be held."""
        if not session.needs_lecturer:
            return ()
        return tuple(
            lecturer.id
            for lecturer in self.scenario.lecturers
            if session.topic in lecturer.topics and (lecturer.max_sessions is None or lecturer.max_sessions > 0)
        )

    def lecturer_away_days(self, lecturer_id: str) -> frozenset[int]:
        """Days on which the lecturer is away all day."""
        return self._away_days[lecturer_id]

    @cached_property
    def _away_days(self) -> dict[str, frozenset[int]]:
        """``lecturer_away_days`` of every lecturer, worked out once (the construction asks for
        each lecturer on every day it plans)."""
        found: dict[str, frozenset[int]] = {}
        for lecturer in self.scenario.lecturers:
            days = set()
            for away in self.scenario.lecturer_away(lecturer.id):
                day = self.scenario.programme.day_of(away.date)
                if day is not None and away.window() == (0, DAY):
                    days.add(day)
            found[lecturer.id] = frozenset(days)
        return found
