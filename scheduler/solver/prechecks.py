"""Requirements that the data alone shows cannot be met, in the organiser's words.

These run before solving and again to explain a "no plan" answer. Each finding names the
requirement or limit involved and its scenario path. A full diagnosis of conflicts that only
the solver can see is a separate piece of work.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..scenario import Scenario
from .candidates import Candidates


@dataclass(frozen=True)
class Obstacle:
    """A requirement that cannot be met, with the scenario path it comes from."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def find_obstacles(scenario: Scenario, cand: Candidates | None = None) -> list[Obstacle]:
    """Every requirement the data alone shows to be impossible."""
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


def _req_path(scenario: Scenario, class_id: str, field: str) -> str:
    overrides = scenario.requirements.by_class.get(class_id)
    if overrides is not None and getattr(overrides, field) is not None:
        return f"requirements.by_class.{class_id}.{field}"
    return f"requirements.default.{field}"


def _unreachable_nights(scenario: Scenario, cand: Candidates) -> list[Obstacle]:
    found = []
    for klass in scenario.classes:
        for night in range(scenario.programme.days - 1):
            if not cand.night_places(klass, night):
                date = scenario.programme.date_of(night)
                found.append(
                    Obstacle(
                        "lodging",
                        f"class {klass.id} has no lodging for the night of {date} that it can reach from "
                        f"{klass.first_place} and still get to {klass.last_place} within "
                        "limits.max_coach_minutes_per_day",
                    )
                )
                break
    return found


def _must_visit_sites(scenario: Scenario, cand: Candidates) -> list[Obstacle]:
    found = []
    for klass in scenario.classes:
        for site_id in cand.requirements(klass).must_visit:
            if not cand.site_days(klass, scenario.site(site_id)):
                found.append(
                    Obstacle(
                        _req_path(scenario, klass.id, "must_visit"),
                        f"class {klass.id} must visit {site_id}, but on no day of the programme is the site "
                        "open and within reach (opening days and hours, closed dates, coach limits, latest return)",
                    )
                )
    return found


def _lecture_topics(scenario: Scenario, cand: Candidates) -> list[Obstacle]:
    found = []
    for session in cand.sessions:
        if session.needs_lecturer and session.id.endswith(":1"):
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
    room = sum(scenario.lodging_capacity(place) for place in cand.lodging)
    if scenario.programme.days > 1 and room < len(scenario.classes):
        return [Obstacle("lodging", f"{len(scenario.classes)} classes but lodging for only {room} a night")]
    return []
