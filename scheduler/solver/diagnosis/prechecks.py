"""Requirements that the data alone shows cannot be met, in the organiser's words.

These run before solving and again to explain a "no plan" answer. Each finding names the
requirement or limit involved and its scenario path (the command adds the file and line).
A finding is an error when it alone rules out every plan (a must-visit site out of reach), and
a warning when it only means part of the scenario can never be used (an optional site or a
lodging out of every day's reach): the scenario still has plans, they just never use it.
A full diagnosis of conflicts that only the solver can see is ``diagnose.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from scheduler.scenario.model import Scenario, Site, TrainingClass, format_clock
from scheduler.solver.data.candidates import Candidates

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Obstacle:
    """A requirement that cannot be met (an error), or a part of the scenario that can never be
    used (a warning), with the scenario path it comes from."""

    path: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def find_obstacles(scenario: Scenario, cand: Candidates | None = None) -> list[Obstacle]:
    """Every requirement the data alone shows to be impossible (errors only: any one of them
    means no plan)."""
    cand = cand or Candidates(scenario)
    found: list[Obstacle] = []
    for check in (
        _unreachable_nights,
        _must_visit_sites,
        _lecture_topics,
        _evening_hours,
        _field_share,
        _teaching_room,
        _lodging_room,
    ):
        found += check(scenario, cand)
    return found


def find_warnings(scenario: Scenario, cand: Candidates | None = None) -> list[Obstacle]:
    """Parts of the scenario that no plan can ever use (warnings: plans may still exist)."""
    cand = cand or Candidates(scenario)
    return _unusable_sites(scenario, cand) + _unusable_lodging(scenario, cand)


def _req_path(scenario: Scenario, class_id: str, field: str) -> str:
    overrides = scenario.requirements.by_class.get(class_id)
    if overrides is not None and getattr(overrides, field) is not None:
        return f"requirements.by_class.{class_id}.{field}"
    return f"requirements.default.{field}"


def _limit_path(scenario: Scenario, day: int) -> str:
    """Where the coach limit of 0-based ``day`` is written: its day override, else the programme's."""
    for override in scenario.programme.day_overrides:
        if override.day == day + 1 and override.max_coach_minutes is not None:
            return f"programme.day_overrides[day {day + 1}].max_coach_minutes"
    return "limits.max_coach_minutes_per_day"


def _limit_words(scenario: Scenario, day: int) -> str:
    return f"{scenario.max_coach_minutes_on(day)} ({_limit_path(scenario, day)})"


def _listed(places: set[str] | tuple[str, ...], most: int = 3) -> str:
    ordered = sorted(places)
    return ", ".join(ordered[:most]) + (f" and {len(ordered) - most} more" if len(ordered) > most else "")


# ---------------------------------------------------------------------------
# Reach: nights, sites and lodging within a day's driving


def _unreachable_nights(scenario: Scenario, cand: Candidates) -> list[Obstacle]:
    """A class must sleep somewhere every night: some lodging must be reachable within each
    day's coach limit from where it slept before, and lead on to where the programme ends."""
    found = []
    for klass in scenario.classes:
        if not all(cand.night_places(klass, n) for n in range(scenario.programme.days - 1)):
            found.append(Obstacle("lodging", f"class {klass.id} has no lodging for {_broken_night(cand, klass)}"))
    return found


def _broken_night(cand: Candidates, klass: TrainingClass) -> str:
    """The first night the class cannot get to, or the night it cannot get on from, with the
    least driving that would do and the limit it breaks."""
    scenario, travel = cand.scenario, cand.travel
    last = scenario.programme.days - 1
    forward: list[set[str]] = []
    here = {klass.first_place}
    for night in range(last):
        limit = scenario.max_coach_minutes_on(night)
        reached = {l for l in cand.lodging if any(travel.shortest_driving(p, l) <= limit for p in here)}
        if not reached:
            minutes, origin, lodging = min((travel.shortest_driving(p, l), p, l) for p in here for l in cand.lodging)
            return (
                f"the night of {scenario.programme.date_of(night)}: it can reach none from {_listed(here)} "
                f"within {_limit_words(scenario, night)}; the nearest, {lodging}, is {minutes} minutes' drive "
                f"from {origin} (expected lodging within {limit} minutes' drive, or a limit of at least {minutes})"
            )
        forward.append(reached)
        here = reached
    after = {klass.last_place}
    for night in reversed(range(last)):
        limit = scenario.max_coach_minutes_on(night + 1)
        onward = {l for l in forward[night] if any(travel.shortest_driving(l, p) <= limit for p in after)}
        if not onward:
            minutes, lodging, goal = min((travel.shortest_driving(l, p), l, p) for l in forward[night] for p in after)
            return (
                f"the night of {scenario.programme.date_of(night)} from which it can go on: from the lodging it can "
                f"reach ({_listed(forward[night])}) the least driving on to {_listed(after)} the next day is "
                f"{minutes} minutes ({lodging} to {goal}), against {_limit_words(scenario, night + 1)} "
                f"(expected a limit of at least {minutes}, or lodging nearer the route)"
            )
        after = onward
    return "some night (a day's coach limit rules out every lodging)"  # not reached: the sets above agree


@dataclass(frozen=True)
class _Trip:
    """The least driving of one day that passes by a place: from where a class wakes up, by the
    place, to where it ends the day."""

    class_id: str
    day: int
    start: str
    end: str
    minutes: int
    limit: int

    @property
    def excess(self) -> int:
        return self.minutes - self.limit


def _shortest_trip(cand: Candidates, klass: TrainingClass, place: str, day: int) -> _Trip | None:
    """The class's least driving on ``day`` by ``place`` (None: it has nowhere to start or end)."""
    travel = cand.travel
    trips = [
        (travel.shortest_driving(start, place) + travel.shortest_driving(place, end), start, end)
        for start in cand.start_places(klass, day)
        for end in cand.end_places(klass, day)
    ]
    if not trips:
        return None
    minutes, start, end = min(trips)
    return _Trip(klass.id, day, start, end, minutes, cand.scenario.max_coach_minutes_on(day))


def _may_visit(cand: Candidates, klass: TrainingClass, site: Site) -> bool:
    req = cand.requirements(klass)
    return site.id not in req.never_visit and req.max_visits_per_day > 0


def _why_out_of_reach(cand: Candidates, classes: list[TrainingClass], site: Site) -> str:
    """Why none of ``classes`` can visit ``site`` on any day: closed on every day, beyond every
    open day's driving, or no time for the visit within its hours and the latest return."""
    scenario = cand.scenario
    open_days = [d for d in cand.days if site.is_open_on(scenario.programme.date_of(d))]
    if not classes:
        return "the class may not visit it (never_visit, or max_visits_per_day of 0)"
    if not open_days:
        closed = [d for d in site.closed_dates if scenario.programme.day_of(d) is not None]
        return (
            f"it is closed on every day of the programme (open {', '.join(site.open_weekdays)}"
            + (f"; closed on {len(closed)} of its dates" if closed else "")
            + f") (expected sites[{site.id}].open_weekdays and closed_dates to leave a programme day open)"
        )
    trips = [t for k in classes for d in open_days if (t := _shortest_trip(cand, k, site.place, d)) is not None]
    if not trips:
        return "the class has no lodging it can reach (see the lodging finding)"
    if all(t.excess > 0 for t in trips):
        best = min(trips, key=lambda t: (t.excess, t.minutes))
        who = f"class {best.class_id}, " if len(classes) > 1 else ""
        return (
            f"it is beyond a day's drive: on the days it is open the least driving of a day by it is "
            f"{best.minutes} minutes ({who}{best.start} to {site.place} to {best.end} on "
            f"{scenario.programme.date_of(best.day)}), against {_limit_words(scenario, best.day)} "
            f"(expected a limit of at least {best.minutes}, or lodging nearer the site)"
        )
    dates = ", ".join(str(scenario.programme.date_of(d)) for d in sorted({t.day for t in trips if t.excess <= 0}))
    return (
        f"on the days it is open and within a day's drive ({dates}) "
        f"its opening hours ({format_clock(site.hours.open)}-{format_clock(site.hours.close)}) and the latest return "
        f"leave no time for the {site.visit_minutes}-minute visit and the drive back"
    )


def _must_visit_sites(scenario: Scenario, cand: Candidates) -> list[Obstacle]:
    """A must-visit site must be open, within a day's drive and visitable in its hours on some day."""
    found = []
    for klass in scenario.classes:
        for site_id in cand.requirements(klass).must_visit:
            site = scenario.site(site_id)
            if not cand.site_days(klass, site):
                found.append(
                    Obstacle(
                        _req_path(scenario, klass.id, "must_visit"),
                        f"class {klass.id} must visit {site_id}, but "
                        + _why_out_of_reach(cand, [klass] if _may_visit(cand, klass, site) else [], site),
                    )
                )
    return found


def _unusable_sites(scenario: Scenario, cand: Candidates) -> list[Obstacle]:
    """A site that no class may visit on any day is dead weight (a warning; a must-visit site out
    of reach is an error of its own, and a site every class excludes is meant to be unused)."""
    found = []
    must = {s for k in scenario.classes for s in cand.requirements(k).must_visit}
    for site in scenario.sites:
        classes = [k for k in scenario.classes if _may_visit(cand, k, site)]
        if site.id in must or not classes or any(cand.site_days(k, site) for k in classes):
            continue
        found.append(
            Obstacle(
                f"sites[{site.id}]",
                f"site {site.id} can never be visited: {_why_out_of_reach(cand, classes, site)}",
                "warning",
            )
        )
    return found


def _unusable_lodging(scenario: Scenario, cand: Candidates) -> list[Obstacle]:
    """A lodging no class can reach on any night within the day's coach limit (or go on from
    within the next day's) is never used (a warning: the classes sleep elsewhere)."""
    if scenario.programme.days < 2:
        return []
    used = {l for k in scenario.classes for n in range(scenario.programme.days - 1) for l in cand.night_places(k, n)}
    found = []
    for place in cand.lodging:
        if place in used:
            continue
        reason = _why_lodging_unreachable(cand, place)
        if reason is not None:
            found.append(Obstacle(f"lodging[{place}]", f"lodging at {place} can never be used: {reason}", "warning"))
    return found


def _why_lodging_unreachable(cand: Candidates, place: str) -> str | None:
    """The night that comes nearest to using the lodging, and the driving limit it breaks
    (None when no class has any night to spend: that is the lodging error)."""
    scenario, travel = cand.scenario, cand.travel
    options = []
    for klass in scenario.classes:
        for night in range(scenario.programme.days - 1):
            starts, ends = cand.start_places(klass, night), cand.end_places(klass, night + 1)
            if not starts or not ends:
                continue
            into, origin = min((travel.shortest_driving(p, place), p) for p in starts)
            out, goal = min((travel.shortest_driving(place, p), p) for p in ends)
            excess = max(into - scenario.max_coach_minutes_on(night), out - scenario.max_coach_minutes_on(night + 1))
            options.append((excess, night, klass.id, into, origin, out, goal))
    if not options:
        return None
    _, night, class_id, into, origin, out, goal = min(options)
    date = scenario.programme.date_of(night)
    if into > scenario.max_coach_minutes_on(night):
        return (
            f"on the night of {date} class {class_id} would drive at least {into} minutes to it from {origin}, "
            f"against {_limit_words(scenario, night)} (expected a limit of at least {into})"
        )
    return (
        f"on the night of {date} class {class_id} could reach it, but the next day it would drive at least {out} "
        f"minutes from it to {goal}, against {_limit_words(scenario, night + 1)} (expected a limit of at least {out})"
    )


def _lecture_topics(scenario: Scenario, cand: Candidates) -> list[Obstacle]:
    found = []
    for session in cand.sessions:
        if session.needs_lecturer and session.number == 1:
            lecturers = cand.qualified_lecturers(session)
            available = [l for l in lecturers if len(cand.lecturer_away_days(l)) < scenario.programme.days]
            if not available:
                found.append(
                    Obstacle(
                        _req_path(scenario, session.class_id, "lectures"),
                        f"class {session.class_id} needs a lecture on {session.topic}, "
                        "but no available lecturer teaches it"
                        + (
                            f" ({', '.join(lecturers)} {'is' if len(lecturers) == 1 else 'are'} away all week)"
                            if lecturers
                            else ""
                        ),
                    )
                )
    return found


def _evening_hours(scenario: Scenario, cand: Candidates) -> list[Obstacle]:
    found = []
    frame = cand.frame
    mpch = scenario.programme.minutes_per_class_hour
    days = scenario.programme.days
    for klass in scenario.classes:
        req = cand.requirements(klass)
        per_evening = min(frame.evening.minutes // mpch, req.max_seminar_class_hours_per_evening)
        if req.min_seminar_class_hours > per_evening * days:
            found.append(
                Obstacle(
                    _req_path(scenario, klass.id, "min_seminar_class_hours"),
                    f"class {klass.id} needs {req.min_seminar_class_hours} seminar class hours, but {days} evenings "
                    f"hold at most {per_evening * days} ({per_evening} an evening)",
                )
            )
        evening_capacity = (frame.quiet_hours_from - frame.evening.start) // mpch * days
        needed = req.min_seminar_class_hours + req.min_report_writing_class_hours
        if needed > evening_capacity:
            found.append(
                Obstacle(
                    _req_path(scenario, klass.id, "min_report_writing_class_hours"),
                    f"class {klass.id} needs {needed} class hours of seminars and report writing, "
                    f"but its evenings hold at most {evening_capacity}",
                )
            )
    return found


def _field_share(scenario: Scenario, cand: Candidates) -> list[Obstacle]:
    """Even visiting every reachable site cannot reach the field share."""
    found = []
    for klass in scenario.classes:
        req = cand.requirements(klass)
        if req.min_field_share <= 0 or "field_visit" not in scenario.definitions.field_kinds:
            continue
        sites = {s for d in cand.days for s in cand.visit_options[(klass.id, d)]}
        best_field = sum(scenario.site(s).visit_minutes for s in sites)
        fixed = sum(
            s.minutes for s in cand.sessions if s.class_id == klass.id and s.kind in scenario.definitions.teaching_kinds
        )
        if best_field < req.min_field_share * (best_field + fixed) - 1e-9:
            found.append(
                Obstacle(
                    _req_path(scenario, klass.id, "min_field_share"),
                    f"class {klass.id} needs {req.min_field_share:.0%} field teaching, but even visiting every site it "
                    f"can reach ({best_field} minutes) against {fixed} minutes of sessions gives "
                    f"{best_field / max(1, best_field + fixed):.0%}",
                )
            )
    return found


def _teaching_room(scenario: Scenario, cand: Candidates) -> list[Obstacle]:
    """More teaching than the days' teaching limit holds: sessions, the field visits the share
    then needs at least, and the seminars."""
    found = []
    definitions = scenario.definitions
    mpch = scenario.programme.minutes_per_class_hour
    room = scenario.programme.days * scenario.limits.max_teaching_minutes_per_day
    for klass in scenario.classes:
        req = cand.requirements(klass)
        sessions = sum(
            s.minutes for s in cand.sessions if s.class_id == klass.id and s.kind in definitions.workload_kinds
        )
        share = req.min_field_share if "field_visit" in definitions.workload_kinds else 0.0
        field = sessions * share / (1 - share) if share < 1 else 0.0
        seminars = req.min_seminar_class_hours * mpch if "seminar" in definitions.workload_kinds else 0
        needed = sessions + field + seminars
        if needed > room + 1e-9:
            found.append(
                Obstacle(
                    "limits.max_teaching_minutes_per_day",
                    f"class {klass.id} needs at least {needed:.0f} minutes of teaching (sessions, the field visits "
                    f"its {req.min_field_share:.0%} share requires, seminars), but {scenario.programme.days} days "
                    f"of at most {scenario.limits.max_teaching_minutes_per_day} minutes hold {room}",
                )
            )
    return found


def _lodging_room(scenario: Scenario, cand: Candidates) -> list[Obstacle]:
    """Every night, the lodging the classes can reach must hold them all (a night some class
    cannot reach at all is the nights error instead)."""
    for night in range(scenario.programme.days - 1):
        reach = [set(cand.night_places(k, night)) for k in scenario.classes]
        if not all(reach):
            continue
        usable = set().union(*reach)
        room = sum(scenario.lodging_capacity(place) for place in usable)
        if room < len(scenario.classes):
            within = "" if usable == set(cand.lodging) else f" within a day's drive ({_listed(usable)})"
            return [
                Obstacle(
                    "lodging",
                    f"{len(scenario.classes)} classes but lodging{within} for only {room} on the night of "
                    f"{scenario.programme.date_of(night)} (expected classes_per_night adding up to at least "
                    f"{len(scenario.classes)})",
                )
            ]
    return []
