"""Read a solved model back into a plain ``Plan`` of events and nights."""

from __future__ import annotations

from collections.abc import Callable

from scheduler.plan.free_time import with_free_time
from scheduler.plan.model import Event, Night, Plan
from scheduler.solver.cpsat.nodes import Node
from scheduler.solver.cpsat.variables import ClassDay, Variables
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.units import DAY

Value = Callable[[object], int]


def extract_plan(cand: Candidates, v: Variables, value: Value) -> Plan:
    """Turn the solver's values into a plan (ids and clock times only), its long daytime gaps
    shown as free time."""
    events: list[Event] = []
    nights: list[Night] = []
    programme = cand.scenario.programme
    for (class_id, day), day_vars in v.class_days.items():
        events += _day_events(cand, v, day_vars, value)
        if day < programme.days - 1:
            nights.append(Night(class_id, programme.date_of(day), _chosen(day_vars.end_place, value)))
    return with_free_time(cand.scenario, Plan(tuple(events), tuple(nights)))


def _chosen(options: dict[str, object], value: Value) -> str:
    return next(place for place, lit in options.items() if value(lit))


def _route(day_vars: ClassDay, value: Value) -> list[Node]:
    """The day's nodes in driving order, from its start to its end."""
    successor = {arc.tail: arc.head for arc in day_vars.arcs if value(arc.used)}
    node = Node.start(_chosen(day_vars.start_place, value))
    route = [node]
    while not node.is_end:
        node = successor[node]
        route.append(node)
    return route


def _day_events(cand: Candidates, v: Variables, day_vars: ClassDay, value: Value) -> list[Event]:
    scenario = cand.scenario
    frame = cand.frame
    mpch = scenario.programme.minutes_per_class_hour
    klass = scenario.training_class(day_vars.class_id)
    professor = klass.professor.id
    day = day_vars.day
    date = scenario.programme.date_of(day)
    base = day * DAY
    events: list[Event] = []

    def add(kind: str, start: int, end: int, place: str, **extra) -> None:
        events.append(Event(klass.id, date, start - base, end - base, kind, place, **extra))

    route = _route(day_vars, value)
    start_place, end_place = route[0].id, route[-1].id
    places = {node: _node_place(cand, node) for node in route}
    lunch = value(day_vars.lunch_start)
    # where the class is from each moment on: (time, place)
    whereabouts = [(base, start_place)]
    for tail, head in zip(route, route[1:], strict=False):
        leave = value(day_vars.depart) if tail.is_start else value(day_vars.visits[tail.id].depart)
        leg = cand.travel.leg(places[tail], places[head])
        if head.is_site:
            latest = _when_needed(leave, leg.minutes, day_vars.visits[head.id], lunch, frame.time_step_minutes, value)
            if tail.is_site:  # a class stays at a site after its visit only while the site is open
                latest = min(latest, base + scenario.site(tail.id).hours.close)
            leave = max(leave, latest)
        if places[tail] != places[head]:
            add(
                "travel",
                leave,
                leave + leg.minutes,
                places[tail],
                from_place=places[tail],
                to_place=places[head],
                driving_minutes=leg.driving_minutes,
                rest_minutes=leg.rest_minutes,
                km=leg.km,
            )
        whereabouts.append((leave + leg.minutes, places[head]))
        if head.is_site:
            visit = day_vars.visits[head.id]
            add("field_visit", value(visit.start), value(visit.end), places[head], site=visit.site)

    for session in v.sessions:
        if session.session.class_id != klass.id:
            continue
        for (slot_day, part), lit in session.slot.items():
            if slot_day != day or not value(lit):
                continue
            start = value(session.start)
            lecturer = next((l for l, given in session.lecturer.items() if value(given)), None)
            add(
                session.session.kind,
                start,
                start + session.session.minutes,
                start_place if part == "morning" else end_place,
                lecturer=lecturer,
                topic=session.session.topic,
                professor=None if lecturer else professor,
            )

    lunch_place = [place for moment, place in whereabouts if moment <= lunch][-1]
    add("meal", lunch, lunch + frame.lunch.minutes, lunch_place, label="lunch")
    add("meal", base + frame.dinner.start, base + frame.dinner.end, end_place, label="dinner")
    evening = base + frame.evening.start
    seminar = value(day_vars.seminar_hours) * mpch
    writing = value(day_vars.writing_hours) * mpch
    if seminar:
        add("seminar", evening, evening + seminar, end_place, professor=professor)
    if writing:
        add("report_writing", evening + seminar, evening + seminar + writing, end_place, professor=professor)
    return events


def _when_needed(leave: int, minutes: int, visit, lunch: int, step: int, value: Value) -> int:
    """A departure to a site as late as the clock's steps allow for the class to arrive just
    before what it does there (lunch on arrival, or the visit): a wait the model leaves before
    the visit (within ``arrival_buffer_minutes``) is spent where the class was, not at the gate,
    as the construction's days do (``DaySimulator``)."""
    start = value(visit.start)
    target = lunch if leave + minutes <= lunch < start else start  # lunch there first, or the visit
    return max(leave, (target - minutes) // step * step)


def _node_place(cand: Candidates, node: Node) -> str:
    return cand.scenario.site(node.id).place if node.is_site else node.id
