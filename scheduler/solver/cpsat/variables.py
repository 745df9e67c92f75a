"""The CP-SAT variables, in small typed containers, built in one place.

Time is one axis for the whole programme: minute ``day * 1440 + m`` is minute ``m`` after
midnight of day ``day``. Every variable's domain comes from the data (the day's frame, the
site's hours), never from a literal bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.scenario.model import on_step
from scheduler.solver.cpsat.nodes import Node
from scheduler.solver.cpsat.switches import DISABLED, Switches
from scheduler.solver.data.candidates import Candidates, Session
from scheduler.solver.data.units import DAY

IntVar = cp_model.IntVar
BoolVar = cp_model.IntVar
LinearExpr = cp_model.LinearExprT


@dataclass
class Visit:
    """A possible field visit of a class to a site on a day."""

    site: str
    present: BoolVar
    start: IntVar
    end: IntVar
    depart: IntVar
    interval: cp_model.IntervalVar
    travel_out: cp_model.IntervalVar
    travel_out_minutes: IntVar
    lunch_first: BoolVar
    """The class has lunch here on arrival, just before the visit (``add_arrival_buffer``)."""


@dataclass
class Arc:
    """A possible coach leg of a class's day, between two nodes of the day's circuit."""

    tail: Node
    head: Node
    used: BoolVar
    from_place: str
    to_place: str


@dataclass
class ClassDay:
    """Everything decided about one class on one day."""

    class_id: str
    day: int
    start_place: dict[str, BoolVar]  # place -> the class wakes up there
    end_place: dict[str, BoolVar]  # place -> the class ends the day there
    depart: IntVar  # when the coach leaves the morning place
    arrive: IntVar  # earliest start of afternoon sessions at the evening place
    travel_out_start: cp_model.IntervalVar
    travel_out_start_minutes: IntVar
    visits: dict[str, Visit]
    arcs: list[Arc]
    driving_minutes: IntVar
    lunch_start: IntVar
    lunch: cp_model.IntervalVar
    dinner: cp_model.IntervalVar
    seminar_hours: IntVar
    writing_hours: IntVar
    evening_end: IntVar
    late_evening: BoolVar
    start_place_index: IntVar
    end_place_index: IntVar


@dataclass
class SessionVars:
    """When, where and by whom one opening, lecture or presentation is held."""

    session: Session
    start: IntVar
    slot: dict[tuple[int, str], BoolVar]  # (day, "morning"|"afternoon") -> held then
    day: IntVar
    place_index: IntVar
    held_on: dict[int, BoolVar] = field(default_factory=dict)  # day -> held that day
    interval_on: dict[int, cp_model.IntervalVar] = field(default_factory=dict)  # day -> the session, if held then
    lecturer: dict[str, BoolVar] = field(default_factory=dict)  # lecturer id -> gives it
    lecturer_interval: dict[str, cp_model.IntervalVar] = field(default_factory=dict)

    def on_day(self, day: int) -> list[BoolVar]:
        """The slot literals of ``day`` (empty if the session cannot be held that day)."""
        return [lit for (d, _), lit in self.slot.items() if d == day]


@dataclass
class Variables:
    class_days: dict[tuple[str, int], ClassDay]
    nights: dict[tuple[str, int], dict[str, BoolVar]]  # (class, night) -> place -> sleeps there
    sessions: list[SessionVars]
    place_index: dict[str, int]  # stay place -> index into travel tables
    switches: Switches = DISABLED


def build_variables(model: cp_model.CpModel, cand: Candidates, switches: Switches = DISABLED) -> Variables:
    """Create every variable of the model (constraints are added elsewhere)."""
    scenario = cand.scenario
    place_index = {place: i for i, place in enumerate(cand.stay_places)}
    nights: dict[tuple[str, int], dict[str, BoolVar]] = {}
    for klass in scenario.classes:
        for night in range(scenario.programme.days - 1):
            nights[(klass.id, night)] = {
                place: model.new_bool_var(f"night[{klass.id},{night},{place}]")
                for place in cand.night_places(klass, night)
            }
    class_days = {
        (klass.id, day): _class_day(model, cand, klass.id, day, nights=nights, place_index=place_index)
        for klass in scenario.classes
        for day in cand.days
    }
    sessions = [_session_vars(model, cand, session, place_index) for session in cand.sessions]
    return Variables(class_days, nights, sessions, place_index, switches)


def clock_var(model: cp_model.CpModel, low: int, high: int, step: int, name: str) -> IntVar:
    """A clock time a person reads (a start, a departure): a multiple of ``step`` minutes within
    [``low``, ``high``]. The programme's time axis counts whole days of 1,440 minutes, which
    ``step`` divides, so a multiple of ``step`` is on the clock's steps on every day. An empty
    range (no step fits) gives the single value ``low``, which the rules then refuse where it is
    used (an optional visit is left out)."""
    if step == 1:
        return model.new_int_var(low, high, name)
    first = on_step(low, step)
    if first > high:
        return model.new_int_var(low, low, name)
    return model.new_int_var_from_domain(cp_model.Domain.from_values(range(first, high + 1, step)), name)


def _fixed_true(model: cp_model.CpModel, name: str) -> BoolVar:
    var = model.new_bool_var(name)
    model.add(var == 1)
    return var


def _class_day(model, cand: Candidates, class_id: str, day: int, *, nights, place_index) -> ClassDay:
    scenario = cand.scenario
    frame = cand.frame
    klass = scenario.training_class(class_id)
    req = cand.requirements(klass)
    mpch = scenario.programme.minutes_per_class_hour
    base = day * DAY
    tag = f"{class_id},{day}"
    last_day = scenario.programme.days - 1

    start_place = {klass.first_place: _fixed_true(model, f"start[{tag}]")} if day == 0 else nights[(class_id, day - 1)]
    end_place = {klass.last_place: _fixed_true(model, f"end[{tag}]")} if day == last_day else nights[(class_id, day)]

    earliest, quiet = base + scenario.earliest_departure_on(day), base + frame.quiet_hours_from
    latest_return = base + scenario.latest_return_on(day)
    step = frame.time_step_minutes
    depart = clock_var(model, earliest, latest_return, step, f"depart[{tag}]")
    arrive = model.new_int_var(earliest, latest_return, f"arrive[{tag}]")
    day_span = latest_return - earliest
    out_start_minutes = model.new_int_var(0, day_span, f"travel_out_minutes[{tag},start]")
    out_start_end = model.new_int_var(earliest, latest_return, f"travel_out_end[{tag},start]")
    out_start = model.new_interval_var(depart, out_start_minutes, out_start_end, f"travel_out[{tag},start]")

    visits: dict[str, Visit] = {}
    for site_id in cand.visit_options[(class_id, day)]:
        site = scenario.site(site_id)
        vtag = f"{tag},{site_id}"
        present = model.new_bool_var(f"visit[{vtag}]")
        start = clock_var(
            model, base + site.hours.open, base + site.hours.close - site.visit_minutes, step, f"visit_start[{vtag}]"
        )
        end = model.new_int_var(
            base + site.hours.open + site.visit_minutes, base + site.hours.close, f"visit_end[{vtag}]"
        )
        depart_site = clock_var(model, earliest, latest_return, step, f"depart[{vtag}]")
        interval = model.new_optional_interval_var(start, site.visit_minutes, end, present, f"visit_interval[{vtag}]")
        out_minutes = model.new_int_var(0, day_span, f"travel_out_minutes[{vtag}]")
        out_end = model.new_int_var(earliest, latest_return, f"travel_out_end[{vtag}]")
        out = model.new_optional_interval_var(depart_site, out_minutes, out_end, present, f"travel_out[{vtag}]")
        lunch_first = model.new_bool_var(f"lunch_first[{vtag}]")
        visits[site_id] = Visit(site_id, present, start, end, depart_site, interval, out, out_minutes, lunch_first)

    arcs = _arcs(model, cand, tag, start_place=start_place, end_place=end_place, visits=visits, day=day)

    lunch_start = clock_var(
        model, base + frame.lunch.earliest, base + frame.lunch.latest - frame.lunch.minutes, step, f"lunch_start[{tag}]"
    )
    lunch = model.new_fixed_size_interval_var(lunch_start, frame.lunch.minutes, f"lunch[{tag}]")
    dinner = model.new_fixed_size_interval_var(base + frame.dinner.start, frame.dinner.minutes, f"dinner[{tag}]")
    evening_hours = frame.evening.minutes // mpch
    seminar_hours = model.new_int_var(
        0, min(evening_hours, req.max_seminar_class_hours_per_evening), f"seminar_hours[{tag}]"
    )
    writing_hours = model.new_int_var(
        0, (frame.quiet_hours_from - frame.evening.start) // mpch, f"writing_hours[{tag}]"
    )
    evening_end = model.new_int_var(base + frame.evening.start, quiet, f"evening_end[{tag}]")
    late = model.new_bool_var(f"late_evening[{tag}]")
    stay_count = len(place_index) - 1
    start_index = model.new_int_var(0, stay_count, f"start_place_index[{tag}]")
    end_index = model.new_int_var(0, stay_count, f"end_place_index[{tag}]")
    driving = model.new_int_var(0, _clock_driving_bound(scenario, day, len(visits) + 1), f"driving_minutes[{tag}]")
    return ClassDay(
        class_id,
        day,
        start_place,
        end_place,
        depart,
        arrive,
        out_start,
        out_start_minutes,
        visits,
        arcs,
        driving,
        lunch_start,
        lunch,
        dinner,
        seminar_hours,
        writing_hours,
        evening_end,
        late,
        start_index,
        end_index,
    )


def _clock_driving_bound(scenario, day: int, most_legs: int) -> int:
    """Most whole clock minutes of driving in a day: the limit itself when every leg and limit is in
    whole minutes; with hundredths each leg's rounding up may add under a minute, and the exact
    limit is then a constraint of its own (``add_coach_driving_limit``)."""
    limit = scenario.max_coach_minutes_on(day)
    if not scenario.has_fractional_driving():
        return limit
    return math.ceil(limit) + most_legs


def _arcs(model, cand: Candidates, tag: str, *, start_place, end_place, visits, day: int) -> list[Arc]:
    """Coach legs worth considering: those that fit in the day's driving limit."""
    travel = cand.travel
    limit = cand.scenario.max_coach_hundredths_on(day)
    site_place = {site_id: cand.scenario.site(site_id).place for site_id in visits}
    tails = [(Node.start(p), p) for p in start_place] + [(Node.site(s), site_place[s]) for s in visits]
    heads = [(Node.site(s), site_place[s]) for s in visits] + [(Node.end(p), p) for p in end_place]
    min_in = {s: min(travel.shortest_driving_hundredths(p, site_place[s]) for p in start_place) for s in visits}
    min_out = {s: min(travel.shortest_driving_hundredths(site_place[s], p) for p in end_place) for s in visits}
    arcs = []
    for tail, from_place in tails:
        for head, to_place in heads:
            if tail == head:
                continue
            drive = travel.driving_hundredths(from_place, to_place)
            before = min_in[tail.id] if tail.is_site else 0
            after = min_out[head.id] if head.is_site else 0
            if before + drive + after > limit:
                continue
            used = model.new_bool_var(f"leg[{tag},{tail}->{head}]")
            arcs.append(Arc(tail, head, used, from_place, to_place))
    return arcs


def _session_vars(model, cand: Candidates, session: Session, place_index) -> SessionVars:
    frame = cand.frame
    first, last = session.days[0], session.days[-1]
    start = clock_var(
        model,
        first * DAY + cand.scenario.day_start_on(first),
        last * DAY + frame.dinner.start - session.minutes,
        frame.time_step_minutes,
        f"start[{session.id}]",
    )
    slot = {
        (day, part): model.new_bool_var(f"slot[{session.id},{day},{part}]")
        for day in session.days
        for part in ("morning", "afternoon")
    }
    day = model.new_int_var(first, last, f"day[{session.id}]")
    place = model.new_int_var(0, len(place_index) - 1, f"place[{session.id}]")
    result = SessionVars(session, start, slot, day, place)
    for held_day in session.days:
        held = model.new_bool_var(f"held_on[{session.id},{held_day}]")
        model.add(held == sum(result.on_day(held_day)))
        result.held_on[held_day] = held
        result.interval_on[held_day] = model.new_optional_fixed_size_interval_var(
            start, session.minutes, held, f"session[{session.id},{held_day}]"
        )
    for lecturer_id in cand.qualified_lecturers(session):
        given = model.new_bool_var(f"gives[{lecturer_id},{session.id}]")
        result.lecturer[lecturer_id] = given
        result.lecturer_interval[lecturer_id] = model.new_optional_fixed_size_interval_var(
            start, session.minutes, given, f"lecture[{lecturer_id},{session.id}]"
        )
    return result
