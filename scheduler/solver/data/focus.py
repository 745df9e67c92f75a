"""Which programmes are solved one class at a time, and the candidates cut down around a
constructive plan that each class is then modelled on.

Where every site is within a day's drive of most lodging, each class-day of a large programme
has nearly every site as a candidate visit and a coach leg for nearly every pair of them:
16 classes x 10 days already make a million legs. Around a plan, most of that is idle: a class
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

FULL_MODEL_LEGS = 150_000
"""Coach legs (arcs) over all class-days above which the whole model is never built."""
BY_CLASS_LEGS = 20_000
"""Coach legs above which a programme of two classes or more is solved one class at a time."""
SITES_PER_DAY = 12
"""Sites kept per class-day besides the plan's own and the class's must-visit sites."""
LODGING_PER_NIGHT = 3
"""Lodging kept per class-night: the plan's and the nearest others to it."""
WEEK_BOUND_LEGS = 60_000
"""Coach legs up to which a programme solved one class at a time also gets a lower bound from
whole weeks of day routes (``week_bound``): Dalian (30 k legs) lists 58 k day routes and
converges in about 25 s; the 8 x 7 programme (97 k legs) took 300 s to list 5 M of them. Past
it, ``week_bound`` builds the routes from the prices (``route_generation``), exactly but far
too slowly to help a solve (8 x 7: -2,390 after 300 s against plans near -255), so the solve
starts the bound only up to here."""


def leg_count(cand: Candidates) -> int:
    """Coach legs the full model would hold: (morning places + visits) x (visits + evening
    places), summed over class-days."""
    total = 0
    for klass in cand.scenario.classes:
        for day in cand.days:
            visits = len(cand.visit_options[(klass.id, day)])
            total += (len(cand.start_places(klass, day)) + visits) * (visits + len(cand.end_places(klass, day)))
    return total


def too_large_to_model_whole(cand: Candidates) -> bool:
    return leg_count(cand) > FULL_MODEL_LEGS


def solve_by_class(cand: Candidates) -> bool:
    """Whether to solve one class at a time: always past FULL_MODEL_LEGS, and past BY_CLASS_LEGS
    with two classes or more (each class's model alone is then small enough to solve well, and
    re-planning one class at a time beat the whole model's search from the 4-class Dalian
    week up). Small programmes are modelled whole, where CP-SAT can prove a plan optimal."""
    legs = leg_count(cand)
    return legs > FULL_MODEL_LEGS or (len(cand.scenario.classes) > 1 and legs > BY_CLASS_LEGS)


def bounded_by_weeks(cand: Candidates) -> bool:
    """Whether a programme solved one class at a time is small enough for ``week_bound``."""
    return leg_count(cand) <= WEEK_BOUND_LEGS


class FocusedCandidates(Candidates):
    """The scenario's candidates cut down around a skeleton with every class planned (see the
    module's text)."""

    def __init__(
        self,
        full: Candidates,
        skeleton: Skeleton,
        sites_per_day: int = SITES_PER_DAY,
        lodging_per_night: int = LODGING_PER_NIGHT,
    ):
        super().__init__(full.scenario, full.travel, full.outside)
        self.full = full
        self.skeleton = skeleton
        self.sites_per_day = sites_per_day
        self.lodging_per_night = lodging_per_night

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
            open_days = self._open_days[klass.id]
            morning = klass.first_place
            for day in self.days:
                evening = planned[day].end_place
                reachable = [s for s in self.scenario.sites if day in open_days[s.id]]
                nearest = sorted(reachable, key=lambda s: (legs[morning, s.place] + legs[s.place, evening], s.id))
                kept[(klass.id, day)] = {s.id for s in nearest[: self.sites_per_day]} | must | set(planned[day].sites)
                morning = evening
        return kept

    @cached_property
    def _open_days(self) -> dict[str, dict[str, tuple[int, ...]]]:
        """class id -> site id -> the days the class could visit it with the kept lodging."""
        return {
            klass.id: {site.id: Candidates.site_days(self, klass, site) for site in self.scenario.sites}
            for klass in self.scenario.classes
        }

    def site_days(self, klass: TrainingClass, site: Site) -> tuple[int, ...]:
        kept = self._kept_sites
        return tuple(day for day in self._open_days[klass.id][site.id] if site.id in kept[(klass.id, day)])
