"""Which programmes are solved one class at a time, and the candidates cut down around a
constructive plan that each class is then modelled on.

Where every site is within a day's drive of most lodging, each class-day of a large programme
has nearly every site as a candidate visit and a coach leg for nearly every pair of them, so
the legs (``leg_count``) grow with the square of the sites, times the classes and the days: far
more than CP-SAT can search well. Around a plan, most of that is idle: a class
keeps the lodging near where the plan sleeps it and the sites with the least detour from the
day's morning to its evening place. The model built on these candidates holds the plan and
the moves a local search would try, at a fraction of the size; what it proves (a bound, an
optimum) holds only for the cut-down candidates, not for the scenario.
"""

from __future__ import annotations

from functools import cached_property

from scheduler.scenario.model import Site, TrainingClass
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.skeleton import Skeleton
from scheduler.solver.params import FocusParams


def leg_count(cand: Candidates) -> int:
    """Coach legs the full model would hold, summed over the classes (``class_leg_count``)."""
    return sum(class_leg_count(cand, klass) for klass in cand.scenario.classes)


def class_leg_count(cand: Candidates, klass: TrainingClass) -> int:
    """A class's coach legs in the full model: (morning places + visits) x (visits + evening
    places), summed over its days."""
    total = 0
    for day in cand.days:
        visits = len(cand.visit_options[(klass.id, day)])
        total += (len(cand.start_places(klass, day)) + visits) * (visits + len(cand.end_places(klass, day)))
    return total


def too_large_to_model_whole(cand: Candidates, params: FocusParams = FocusParams()) -> bool:
    """Whether the whole model is never built: past ``full_model_legs``."""
    return leg_count(cand) > params.full_model_legs


def solve_by_class(cand: Candidates, params: FocusParams = FocusParams()) -> bool:
    """Whether to solve one class at a time: always past ``full_model_legs``, and past
    ``by_class_legs`` with two classes or more (each class's model alone is then small enough to
    solve well, and re-planning one class at a time finds better plans sooner than the whole
    model's search). Small programmes are modelled whole, where CP-SAT can prove a plan optimal."""
    legs = leg_count(cand)
    return legs > params.full_model_legs or (len(cand.scenario.classes) > 1 and legs > params.by_class_legs)


def bounded_by_weeks(cand: Candidates, params: FocusParams = FocusParams()) -> bool:
    """Whether a programme is small enough for ``week_bound`` to list every day route (up to
    ``week_bound_legs``); past it the routes are built from the prices, exactly but too slowly
    to help a solve, so a solve starts the bound only up to here."""
    return leg_count(cand) <= params.week_bound_legs


class FocusedCandidates(Candidates):
    """The scenario's candidates cut down around a skeleton with every class planned (see the
    module's text)."""

    def __init__(
        self,
        full: Candidates,
        skeleton: Skeleton,
        sites_per_day: int = FocusParams().sites_per_day,
        lodging_per_night: int = FocusParams().lodging_per_night,
    ):
        super().__init__(full.scenario, full.travel, full.outside)
        self.full = full
        self.skeleton = skeleton
        self.sites_per_day = sites_per_day
        self.lodging_per_night = lodging_per_night
        self._open: dict[tuple[str, str], tuple[int, ...]] = {}

    @cached_property
    def _night_places(self) -> dict[str, list[tuple[str, ...]]]:
        legs = self.travel.hundredths
        result = {}
        for klass in self.scenario.classes:
            planned = self.skeleton.days[klass.id]
            nights = []
            for night in range(self.scenario.programme.days - 1):
                options = self.full.night_places(klass, night)
                slept = planned[night].end_place
                nearest = sorted(options, key=lambda p: (legs[slept, p], p))[: self.lodging_per_night]
                nights.append(tuple(p for p in options if p in nearest))
            result[klass.id] = nights
        return result

    @cached_property
    def _kept_sites(self) -> dict[tuple[str, int], set[str]]:
        """(class, day) -> the sites kept: the plan's, the must-visits, the least detour."""
        legs = self.travel.hundredths
        kept = {}
        for klass in self.scenario.classes:
            planned = self.skeleton.days[klass.id]
            must = set(self.requirements(klass).must_visit)
            morning = klass.first_place
            for day in self.days:
                evening = planned[day].end_place
                nearest: list[Site] = []
                if self.sites_per_day > 0:
                    reachable = [s for s in self.scenario.sites if day in self._open_days(klass, s)]
                    nearest = sorted(reachable, key=lambda s: (legs[morning, s.place] + legs[s.place, evening], s.id))
                kept[(klass.id, day)] = {s.id for s in nearest[: self.sites_per_day]} | must | set(planned[day].sites)
                morning = evening
        return kept

    def _open_days(self, klass: TrainingClass, site: Site) -> tuple[int, ...]:
        """The days the class could visit the site with the kept lodging (worked out once, and
        only for the sites asked about: with no site kept beside the plan's, a few)."""
        key = (klass.id, site.id)
        if key not in self._open:
            self._open[key] = Candidates.site_days(self, klass, site)
        return self._open[key]

    def site_days(self, klass: TrainingClass, site: Site) -> tuple[int, ...]:
        kept = self._kept_sites
        if not any(site.id in kept[(klass.id, day)] for day in self.days):
            return ()
        return tuple(day for day in self._open_days(klass, site) if site.id in kept[(klass.id, day)])
