"""The hard rules, one function per family, each stating its rule in plain words.

``add_all()`` lists them in order. The same rules are re-verified on the finished plan by
``scheduler.analysis.check``, independently of this module; ``docs/rules.md`` is the contract.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.plan.model import FINAL_KINDS
from scheduler.solver.cpsat.nodes import Node
from scheduler.solver.cpsat.switches import RequirementKey
from scheduler.solver.cpsat.variables import ClassDay, SessionVars, Variables
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.units import DAY, SHARE_SCALE

DEPOT = 0


def add_all(model: cp_model.CpModel, cand: Candidates, v: Variables, timed: bool = True) -> None:
    """Add every hard rule (the order does not matter to CP-SAT; it follows docs/rules.md).

    With ``timed=False`` the clock-time rules are left out: the first, coarse stage of a
    solve chooses nights, visits, routes and lecturers with only the day budget for time.
    """
    for rule in RULES:
        if timed or rule not in TIMED_RULES:
            rule(model, cand, v)


def add_one_night_place(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """Each night but the last, a class sleeps at exactly one lodging place."""
    for places in v.nights.values():
        model.add_exactly_one(places.values())


def add_day_routes(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """Each day a class leaves its morning place, visits some sites in some order, and ends at
    its evening place: one coach circuit per class and day through a virtual depot."""
    for day_vars in v.class_days.values():
        nodes: dict[Node, int] = {}
        for node in (
            [Node.start(p) for p in day_vars.start_place]
            + [Node.site(s) for s in day_vars.visits]
            + [Node.end(p) for p in day_vars.end_place]
        ):
            nodes[node] = len(nodes) + 1
        arcs: list[tuple[int, int, cp_model.IntVar]] = []
        for place, here in day_vars.start_place.items():
            arcs.append((DEPOT, nodes[Node.start(place)], here))
            arcs.append((nodes[Node.start(place)], nodes[Node.start(place)], ~here))
        for place, here in day_vars.end_place.items():
            arcs.append((nodes[Node.end(place)], DEPOT, here))
            arcs.append((nodes[Node.end(place)], nodes[Node.end(place)], ~here))
        for site_id, visit in day_vars.visits.items():
            arcs.append((nodes[Node.site(site_id)], nodes[Node.site(site_id)], ~visit.present))
        for arc in day_vars.arcs:
            arcs.append((nodes[arc.tail], nodes[arc.head], arc.used))
        model.add_circuit(arcs)


def add_coach_leg_timing(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """A coach leg takes the travel table's door-to-door minutes (driving plus rest stops): the
    class reaches the next site, or its evening place, no earlier than departure plus the leg."""
    for day_vars in v.class_days.values():
        out_terms: dict[Node, list] = defaultdict(list)
        for arc in day_vars.arcs:
            leg = cand.travel.leg(arc.from_place, arc.to_place)
            leave = _departure(day_vars, arc.tail)
            if arc.head.is_site:
                reach = day_vars.visits[arc.head.id].start
            else:
                reach = day_vars.arrive
            model.add(reach >= leave + leg.minutes).only_enforce_if(arc.used)
            out_terms[arc.tail].append(leg.minutes * arc.used)
        model.add(
            day_vars.travel_out_start_minutes
            == sum(term for tail, terms in out_terms.items() if tail.is_start for term in terms)
        )
        for site_id, visit in day_vars.visits.items():
            model.add(visit.travel_out_minutes == sum(out_terms[Node.site(site_id)]))


def add_arrival_buffer(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """The coach leaves when needed, not at the earliest minute: a class reaches a site at most
    ``frame.arrival_buffer_minutes`` before its visit starts, lunch there on arrival aside (any
    longer wait is spent where the class was, not at the gate)."""
    frame = cand.frame
    buffer, lunch_minutes = frame.arrival_buffer_minutes, frame.lunch.minutes
    for day_vars in v.class_days.values():
        lunch_end = day_vars.lunch_start + lunch_minutes
        for visit in day_vars.visits.values():
            # lunch on arrival: it ends just before the visit, within the buffer of its start
            model.add(lunch_end <= visit.start).only_enforce_if(visit.lunch_first)
            model.add(lunch_end >= visit.start - buffer).only_enforce_if(visit.lunch_first)
            model.add_implication(visit.lunch_first, visit.present)
        for arc in day_vars.arcs:
            if not arc.head.is_site:
                continue
            leg = cand.travel.leg(arc.from_place, arc.to_place)
            visit = day_vars.visits[arc.head.id]
            allowed = leg.minutes + buffer + lunch_minutes * visit.lunch_first
            model.add(visit.start <= _departure(day_vars, arc.tail) + allowed).only_enforce_if(arc.used)


def _departure(day_vars: ClassDay, node: Node):
    return day_vars.depart if node.is_start else day_vars.visits[node.id].depart


def add_visit_timing(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """A class leaves a site only after its visit there is over (the visit lies within the
    site's hours through the variables' domains)."""
    for day_vars in v.class_days.values():
        for visit in day_vars.visits.values():
            model.add(visit.depart >= visit.end).only_enforce_if(visit.present)


def add_one_thing_at_a_time(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """A class does one thing at a time: coach legs, visits, sessions, lunch and dinner never overlap."""
    # One no-overlap per class and day: nothing crosses midnight, and small ones propagate fast.
    intervals: dict[tuple[str, int], list[cp_model.IntervalVar]] = defaultdict(list)
    for key, day_vars in v.class_days.items():
        intervals[key] += [day_vars.travel_out_start, day_vars.lunch, day_vars.dinner]
        for visit in day_vars.visits.values():
            intervals[key] += [visit.interval, visit.travel_out]
    for session in v.sessions:
        for day, interval in session.interval_on.items():
            intervals[(session.session.class_id, day)].append(interval)
    for day_intervals in intervals.values():
        model.add_no_overlap(day_intervals)


def add_coach_driving_limit(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """A class's coach drives at most the day's limit. In whole minutes the variable's domain holds
    the limit; legs or limits given to the hundredth are summed exactly in hundredths."""
    exact = cand.scenario.has_fractional_driving()
    for (_, day), day_vars in v.class_days.items():
        model.add(
            day_vars.driving_minutes
            == sum(cand.travel.driving_minutes(a.from_place, a.to_place) * a.used for a in day_vars.arcs)
        )
        if exact:
            model.add(
                sum(cand.travel.driving_hundredths(a.from_place, a.to_place) * a.used for a in day_vars.arcs)
                <= cand.scenario.max_coach_hundredths_on(day)
            )


def add_lodging_capacity(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """No lodging place holds more classes in a night than it has room for."""
    by_night: dict[tuple[int, str], list] = defaultdict(list)
    for (_, night), places in v.nights.items():
        for place, here in places.items():
            by_night[(night, place)].append(here)
    for (night, place), sleepers in by_night.items():
        capacity = cand.scenario.lodging_capacity(place)
        room = max(0, capacity - cand.outside.nights.get((night, place), 0))  # left by classes not modelled
        if len(sleepers) > room:
            model.add(sum(sleepers) <= room).only_enforce_if(
                v.switches(
                    RequirementKey("lodging_capacity", place=place),
                    f"lodging[{place}].classes_per_night",
                    f"lodging at {place} takes {capacity} class(es) a night",
                )
            )


def add_site_capacity(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """At any moment a site receives at most its capacity in classes and in trainees (counting
    the visits of classes not modelled here)."""
    visits_at: dict[str, list[tuple[cp_model.IntervalVar, int]]] = defaultdict(list)
    for (class_id, _), day_vars in v.class_days.items():
        trainees = cand.scenario.training_class(class_id).trainees
        for site_id, visit in day_vars.visits.items():
            visits_at[site_id].append((visit.interval, trainees))
    for site_id in visits_at:
        for booked in cand.outside.visits.get(site_id, ()):
            fixed = model.new_fixed_size_interval_var(booked.start, booked.end - booked.start, f"booked[{site_id}]")
            visits_at[site_id].append((fixed, booked.trainees))
    for site_id, visits in visits_at.items():
        site = cand.scenario.site(site_id)
        intervals = [interval for interval, _ in visits]
        if site.capacity_classes == 1:
            model.add_no_overlap(intervals)
        elif len(visits) > site.capacity_classes:
            model.add_cumulative(intervals, [1] * len(intervals), site.capacity_classes)
        if site.capacity_trainees is not None and sum(t for _, t in visits) > site.capacity_trainees:
            model.add_cumulative(intervals, [t for _, t in visits], site.capacity_trainees)


def add_site_visits(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """A class visits a site at most once, every must-visit site exactly once, at most
    max_visits_per_day sites a day, and at least min_red_education_visits red-education sites."""
    scenario = cand.scenario
    for klass in scenario.classes:
        req = cand.requirements(klass)
        by_site: dict[str, list] = defaultdict(list)
        per_day = v.switches(
            RequirementKey("max_visits_per_day", class_id=klass.id),
            scenario.requirement_path(klass.id, "max_visits_per_day"),
            f"class {klass.id} visits at most {req.max_visits_per_day} sites a day",
        )
        for day in cand.days:
            day_vars = v.class_days[(klass.id, day)]
            for site_id, visit in day_vars.visits.items():
                by_site[site_id].append(visit.present)
            if len(day_vars.visits) > req.max_visits_per_day:
                model.add(sum(x.present for x in day_vars.visits.values()) <= req.max_visits_per_day).only_enforce_if(
                    per_day
                )
        for presents in by_site.values():
            if len(presents) > 1:
                model.add_at_most_one(presents)
        for site_id in req.must_visit:
            must = v.switches(
                RequirementKey("must_visit", class_id=klass.id, site=site_id),
                scenario.requirement_path(klass.id, "must_visit"),
                f"class {klass.id} must visit site {site_id}",
            )
            # with no day able to take the site, this is an empty clause: the pre-checks name it
            model.add_bool_or(by_site.get(site_id, [])).only_enforce_if(must)
        red = [p for site_id, presents in by_site.items() if scenario.site(site_id).is_red_education for p in presents]
        if req.min_red_education_visits:
            model.add(sum(red) >= req.min_red_education_visits).only_enforce_if(
                v.switches(
                    RequirementKey("min_red_education_visits", class_id=klass.id),
                    scenario.requirement_path(klass.id, "min_red_education_visits"),
                    f"class {klass.id} makes at least {req.min_red_education_visits} red-education visits",
                )
            )


def add_stay_place_index(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """Ties each day's morning and evening place to an index used by lecturers' travel."""
    for day_vars in v.class_days.values():
        for places, index in (
            (day_vars.start_place, day_vars.start_place_index),
            (day_vars.end_place, day_vars.end_place_index),
        ):
            model.add(index == sum(v.place_index[p] * here for p, here in places.items()))


def add_sessions_held_once(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """Every opening, lecture, presentation and closing is held exactly once, on one day, in the
    morning at the place where the class woke up or in the afternoon at its evening place (the
    opening in the morning; the presentations and the closing in the afternoon)."""
    for session in v.sessions:
        model.add(sum(session.slot.values()) <= 1)
        model.add(sum(session.slot.values()) == 1).only_enforce_if(_session_switch(cand, v, session))
        if session.session.kind in FINAL_KINDS:
            model.add(sum(lit for (_, part), lit in session.slot.items() if part == "morning") == 0)
        if session.session.kind == "opening":
            model.add(sum(lit for (_, part), lit in session.slot.items() if part == "afternoon") == 0)
        model.add(session.day == sum(day * lit for (day, _), lit in session.slot.items()))
        for (day, part), lit in session.slot.items():
            day_vars = v.class_days[(session.session.class_id, day)]
            index = day_vars.start_place_index if part == "morning" else day_vars.end_place_index
            model.add(session.place_index == index).only_enforce_if(lit)


def _session_switch(cand: Candidates, v: Variables, session: SessionVars) -> list:
    s = session.session
    field = {
        "opening": "opening_minutes",
        "presentation": "presentation_minutes",
        "closing": "closing_minutes",
        "lecture": "lectures",
    }[s.kind]
    path = cand.scenario.requirement_path(s.class_id, field)
    if s.kind == "lecture":
        return v.switches(
            RequirementKey("lectures", class_id=s.class_id, topic=s.topic),
            f"{path}.{s.topic}",
            f"class {s.class_id} gets its lectures on {s.topic}",
        )
    return v.switches(RequirementKey(s.kind, class_id=s.class_id), path, f"class {s.class_id} has its {s.kind}")


def add_session_timing(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """No session starts before the day's start (``frame.day_start``); a morning session ends
    before the coach leaves; an afternoon session starts after the class arrives at its
    evening place and ends before dinner."""
    frame = cand.frame
    for session in v.sessions:
        end = session.start + session.session.minutes
        for (day, part), lit in session.slot.items():
            day_vars = v.class_days[(session.session.class_id, day)]
            model.add(session.start >= day * DAY + cand.scenario.day_start_on(day)).only_enforce_if(lit)
            if part == "morning":
                model.add(end <= day_vars.depart).only_enforce_if(lit)
            else:
                model.add(session.start >= day_vars.arrive).only_enforce_if(lit)
                model.add(end <= day * DAY + frame.dinner.start).only_enforce_if(lit)


def add_day_budget(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """Redundant, implied by the timed rules: a day's coach legs and visits fit between the
    earliest departure and the latest return, and with lunch and sessions before dinner.
    It carries the timing into the untimed first stage and tightens the full model."""
    frame = cand.frame
    for class_id, day in v.class_days:
        minutes = minutes_by_kind(cand, v, class_id, day)
        on_road = minutes.get("field_visit", 0) + minutes.get("travel", 0)
        sessions = sum(minutes.get(kind, 0) for kind in ("opening", "lecture", *FINAL_KINDS))
        earliest = cand.scenario.earliest_departure_on(day)
        model.add(on_road <= cand.scenario.latest_return_on(day) - earliest)
        model.add(on_road + sessions + frame.lunch.minutes <= frame.dinner.start - earliest)


def add_opening_first(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """The opening is the first thing a class does on day 1, before any other session or the
    coach's departure."""
    by_class: dict[str, list[SessionVars]] = defaultdict(list)
    for session in v.sessions:
        by_class[session.session.class_id].append(session)
    for class_id, sessions in by_class.items():
        for session in sessions:
            if session.session.kind != "opening":
                continue
            opening_end = session.start + session.session.minutes
            model.add(v.class_days[(class_id, 0)].depart >= opening_end)
            for other in sessions:
                for lit in other.on_day(0) if other is not session else ():
                    model.add(other.start >= opening_end).only_enforce_if(lit)


def add_closing_day(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """The last day ends with the presentations, then the closing session (结业式): every other
    session, visit and coach leg of the day comes before them, and no seminar or report writing
    follows in the evening. (Without either, the last day is an ordinary day.)"""
    by_class: dict[str, list[SessionVars]] = defaultdict(list)
    for session in v.sessions:
        by_class[session.session.class_id].append(session)
    last_day = cand.scenario.programme.days - 1
    for class_id, sessions in by_class.items():
        finals = sorted(
            (s for s in sessions if s.session.kind in FINAL_KINDS), key=lambda s: FINAL_KINDS.index(s.session.kind)
        )
        if not finals:
            continue
        day_vars = v.class_days[(class_id, last_day)]
        for earlier, later in zip(finals, finals[1:], strict=False):
            both = [earlier.held_on[last_day], later.held_on[last_day]]
            model.add(later.start >= earlier.start + earlier.session.minutes).only_enforce_if(both)
        for final in finals:
            held = final.held_on[last_day]
            for other in sessions:
                if other.session.kind in FINAL_KINDS:
                    continue
                for lit in other.on_day(last_day):
                    model.add(other.start + other.session.minutes <= final.start).only_enforce_if([lit, held])
            for visit in day_vars.visits.values():
                model.add(visit.end <= final.start).only_enforce_if([visit.present, held])
            model.add(day_vars.seminar_hours == 0).only_enforce_if(held)
            model.add(day_vars.writing_hours == 0).only_enforce_if(held)


def add_programme_every_day(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """Every class has a programme every day (``programme_every_day``): at least one visit,
    lecture, opening, presentation or closing, except on rest days (``day_overrides``'
    ``rest_day``), which have none of them and no evening work."""
    held: dict[tuple[str, int], list] = defaultdict(list)
    for session in v.sessions:
        for (day, _), lit in session.slot.items():
            held[(session.session.class_id, day)].append(lit)
    for (class_id, day), day_vars in v.class_days.items():
        if day in cand.rest_days:
            model.add(day_vars.seminar_hours == 0)
            model.add(day_vars.writing_hours == 0)
            continue
        if not cand.requirements(cand.scenario.training_class(class_id)).programme_every_day:
            continue
        things = [visit.present for visit in day_vars.visits.values()] + held[(class_id, day)]
        switch = v.switches(
            RequirementKey("programme_every_day", class_id=class_id),
            cand.scenario.requirement_path(class_id, "programme_every_day"),
            f"class {class_id} has a visit or a session every day but rest days",
        )
        model.add_bool_or(things).only_enforce_if(switch)  # none possible that day: no plan


def add_lecturer_assignment(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """Each lecture held is given by exactly one lecturer who teaches its topic."""
    for session in v.sessions:
        if session.session.needs_lecturer:
            model.add(sum(session.lecturer.values()) == sum(session.slot.values()))


def add_lecturer_away_days(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """A lecturer gives no lecture on a day they are away all day, nor farther from home
    than lecturer_max_travel_minutes."""
    places = sorted(v.place_index, key=v.place_index.get)
    limits = v.switches.scenario.limits if v.switches.enabled else cand.scenario.limits
    limit = limits.lecturer_max_travel_minutes
    travel_switch = v.switches(
        RequirementKey("lecturer_max_travel_minutes"),
        "limits.lecturer_max_travel_minutes",
        f"lecturers drive at most {limit} minutes from home to a lecture",
    )
    for session in v.sessions:
        for lecturer_id, given in session.lecturer.items():
            away = v.switches(
                RequirementKey("unavailable", lecturer=lecturer_id),
                f"lecturers[{lecturer_id}].unavailable",
                f"lecturer {lecturer_id} is away on the dates given",
            )
            for day in cand.lecturer_away_days(lecturer_id):
                for lit in session.on_day(day):
                    model.add_bool_or([~given, ~lit]).only_enforce_if(away)
            if limit is None:
                continue
            home = cand.scenario.lecturer(lecturer_id).home
            too_far = [i for i, place in enumerate(places) if cand.travel.driving_minutes(home, place) > limit]
            for index in too_far:
                model.add(session.place_index != index).only_enforce_if([given, *travel_switch])


def add_lecturer_one_at_a_time(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """A lecturer gives one lecture at a time, and none during an away window."""
    programme = cand.scenario.programme
    for lecturer in cand.scenario.lecturers:
        intervals = [s.lecturer_interval[lecturer.id] for s in v.sessions if lecturer.id in s.lecturer]
        if not intervals:
            continue
        away_days = cand.lecturer_away_days(lecturer.id)
        for away in cand.scenario.lecturer_away(lecturer.id):
            day = programme.day_of(away.date)
            if day is None or day in away_days:
                continue
            begin, finish = away.window()
            intervals.append(
                model.new_fixed_size_interval_var(
                    day * DAY + begin, finish - begin, f"away[{lecturer.id},{away.date},{begin}]"
                )
            )
        for booked in cand.outside.lectures.get(lecturer.id, ()):
            intervals.append(
                model.new_fixed_size_interval_var(booked.start, booked.end - booked.start, f"booked[{lecturer.id}]")
            )
        model.add_no_overlap(intervals)


def add_lecturer_travel(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """A lecturer can get from one lecture to the next and arrives with a margin: between two
    lectures by the same lecturer (here or in a class not modelled here) lie at least the coach
    minutes between their places plus ``limits.lecturer_arrival_margin_minutes``; a lecture
    starts no earlier than the earliest departure plus the drive from the lecturer's home plus
    that margin."""
    places = sorted(v.place_index, key=v.place_index.get)
    size = len(places)
    margin = cand.scenario.limits.lecturer_arrival_margin_minutes
    table = [_lecturer_leg(cand, a, b) for a in places for b in places]
    lectures = [s for s in v.sessions if s.lecturer]
    for i, first in enumerate(lectures):
        for second in lectures[i + 1 :]:
            # in the lecturers' order, not a set's: the model must not depend on string hashing
            shared = [l for l in first.lecturer if l in second.lecturer]
            if not shared:
                continue
            pair = f"{first.session.id}|{second.session.id}"
            index = model.new_int_var(0, size * size - 1, f"pair_index[{pair}]")
            model.add(index == first.place_index * size + second.place_index)
            between = model.new_int_var(0, max(table), f"pair_travel[{pair}]")
            model.add_element(index, table, between)
            first_before = model.new_bool_var(f"first_before[{pair}]")
            for lecturer_id in shared:
                both = [first.lecturer[lecturer_id], second.lecturer[lecturer_id]]
                model.add(second.start >= first.start + first.session.minutes + between).only_enforce_if(
                    [first_before, *both]
                )
                model.add(first.start >= second.start + second.session.minutes + between).only_enforce_if(
                    [~first_before, *both]
                )
    for session in lectures:
        travel_to: dict[str, tuple] = {}  # a booked lecture's place -> minutes there and back
        for lecturer_id, given in session.lecturer.items():
            for n, booked in enumerate(cand.outside.lectures.get(lecturer_id, ())):
                day = booked.start // DAY
                if day not in session.held_on:
                    continue
                if booked.place not in travel_to:
                    travel_to[booked.place] = _minutes_to_and_from(model, cand, session, places, place=booked.place)
                there, back = travel_to[booked.place]
                # lectures are held between the earliest departure and dinner: only a lecture on
                # the same day can be too close to reach
                before = model.new_bool_var(f"before_booked[{session.session.id}|{lecturer_id}|{n}]")
                same_day = [given, session.held_on[day]]
                model.add(session.start + session.session.minutes + there <= booked.start).only_enforce_if(
                    [before, *same_day]
                )
                model.add(session.start >= booked.end + back).only_enforce_if([~before, *same_day])
    for session in lectures:
        homes = dict.fromkeys(cand.scenario.lecturer(l).home for l in session.lecturer)
        for home in homes:
            row = [cand.travel.driving_minutes(home, p) for p in places]
            from_home = model.new_int_var(0, max(row), f"from_home[{session.session.id},{home}]")
            model.add_element(session.place_index, row, from_home)
            for lecturer_id, given in session.lecturer.items():
                if cand.scenario.lecturer(lecturer_id).home != home:
                    continue
                for day, held in session.held_on.items():
                    earliest = day * DAY + cand.scenario.earliest_departure_on(day) + margin
                    model.add(session.start >= earliest + from_home).only_enforce_if([given, held])


def _lecturer_leg(cand: Candidates, origin: str, destination: str) -> int:
    """Minutes a lecturer needs between a lecture at ``origin`` and one at ``destination``: the
    drive and the arrival margin, or nothing at the same place."""
    if origin == destination:
        return 0
    return cand.travel.leg(origin, destination).minutes + cand.scenario.limits.lecturer_arrival_margin_minutes


def _minutes_to_and_from(model: cp_model.CpModel, cand: Candidates, session: SessionVars, places, *, place: str):
    """Coach minutes from the session's place to ``place`` and back, as variables."""
    tag = f"{session.session.id}|{place}"
    there = [_lecturer_leg(cand, p, place) for p in places]
    back = [_lecturer_leg(cand, place, p) for p in places]
    to_place = model.new_int_var(0, max(there), f"to_booked[{tag}]")
    from_place = model.new_int_var(0, max(back), f"from_booked[{tag}]")
    model.add_element(session.place_index, there, to_place)
    model.add_element(session.place_index, back, from_place)
    return to_place, from_place


def add_lecturer_workload(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """A lecturer gives at most max_sessions_per_day lectures a day, at most max_sessions in
    all, and at least min_sessions (an invited lecturer takes the podium)."""
    for lecturer in cand.scenario.lecturers:
        theirs = [s for s in v.sessions if lecturer.id in s.lecturer]
        # lectures given to classes not modelled here count against the limits; those the
        # classes not planned yet are counted on for count towards the fewest
        elsewhere = len(cand.outside.lectures.get(lecturer.id, ()))
        fewest = lecturer.min_sessions - elsewhere - cand.outside.reserved.get(lecturer.id, 0)
        if fewest > 0:
            model.add(sum(s.lecturer[lecturer.id] for s in theirs) >= fewest).only_enforce_if(
                v.switches(
                    RequirementKey("min_sessions", lecturer=lecturer.id),
                    f"lecturers[{lecturer.id}].min_sessions",
                    f"lecturer {lecturer.id} gives at least {lecturer.min_sessions} lectures",
                )
            )
        most = None if lecturer.max_sessions is None else max(0, lecturer.max_sessions - elsewhere)
        if most is not None and len(theirs) > most:
            model.add(sum(s.lecturer[lecturer.id] for s in theirs) <= most).only_enforce_if(
                v.switches(
                    RequirementKey("max_sessions", lecturer=lecturer.id),
                    f"lecturers[{lecturer.id}].max_sessions",
                    f"lecturer {lecturer.id} gives at most {lecturer.max_sessions} lectures",
                )
            )
        if held := cand.outside.held.get(lecturer.id, 0):
            # the room the classes still to come are counted on for, in a first plan made one
            # class at a time (``search.lecture_quotas``): not a rule of the scenario
            free_days = len(cand.days) - len(cand.lecturer_away_days(lecturer.id))
            room = free_days * lecturer.max_sessions_per_day
            if lecturer.max_sessions is not None:
                room = min(room, lecturer.max_sessions)
            left = max(0, room - elsewhere - held)
            if len(theirs) > left:
                model.add(sum(s.lecturer[lecturer.id] for s in theirs) <= left)
        for day in cand.days:
            on_day = [s for s in theirs if s.on_day(day)]
            most_on_day = max(0, lecturer.max_sessions_per_day - cand.outside.lectures_on(lecturer.id, day))
            if len(on_day) <= most_on_day:
                continue
            given_that_day = []
            for session in on_day:
                both = model.new_bool_var(f"gives_on[{lecturer.id},{session.session.id},{day}]")
                held = sum(session.on_day(day))
                model.add(both >= session.lecturer[lecturer.id] + held - 1)
                model.add(both <= session.lecturer[lecturer.id])
                model.add(both <= held)
                given_that_day.append(both)
            model.add(sum(given_that_day) <= most_on_day)


def add_evening(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """The evening seminar starts at the evening window's start and lasts whole class hours
    within the window; report writing follows and ends by the start of quiet hours. An evening
    ending after late_evening_after is a late evening. (Redundant, outside a diagnosis: a class
    has at least ``Candidates.least_late_evenings`` late evenings.)"""
    frame = cand.frame
    mpch = cand.scenario.programme.minutes_per_class_hour
    if not v.switches.enabled:
        for klass in cand.scenario.classes:
            least = cand.least_late_evenings(klass)
            if least:
                model.add(sum(v.class_days[(klass.id, d)].late_evening for d in cand.days) >= least)
    for (_, day), day_vars in v.class_days.items():
        base = day * DAY
        model.add(day_vars.seminar_hours * mpch <= frame.evening.minutes)
        model.add(
            day_vars.evening_end
            == base + frame.evening.start + (day_vars.seminar_hours + day_vars.writing_hours) * mpch
        )
        threshold = base + frame.late_evening_after
        model.add(day_vars.evening_end > threshold).only_enforce_if(day_vars.late_evening)
        model.add(day_vars.evening_end <= threshold).only_enforce_if(~day_vars.late_evening)


def minutes_by_kind(cand: Candidates, v: Variables, class_id: str, day: int) -> dict[str, cp_model.LinearExprT]:
    """A class's minutes of each activity kind on a day, as linear expressions."""
    mpch = cand.scenario.programme.minutes_per_class_hour
    frame = cand.frame
    day_vars = v.class_days[(class_id, day)]
    kinds: dict[str, list] = defaultdict(list)
    for site_id, visit in day_vars.visits.items():
        kinds["field_visit"].append(cand.scenario.site(site_id).visit_minutes * visit.present)
        kinds["travel"].append(visit.travel_out_minutes)
    kinds["travel"].append(day_vars.travel_out_start_minutes)
    kinds["seminar"].append(day_vars.seminar_hours * mpch)
    kinds["report_writing"].append(day_vars.writing_hours * mpch)
    kinds["meal"].append(frame.lunch.minutes + frame.dinner.minutes)
    for session in v.sessions:
        if session.session.class_id == class_id and session.on_day(day):
            kinds[session.session.kind].append(session.session.minutes * sum(session.on_day(day)))
    return {kind: sum(terms) for kind, terms in kinds.items()}


def add_teaching_per_day(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """A class's daily workload (the workload kinds) stays within max_teaching_minutes_per_day."""
    kinds = cand.scenario.definitions.workload_kinds
    limits = v.switches.scenario.limits if v.switches.enabled else cand.scenario.limits
    limit = limits.max_teaching_minutes_per_day
    switch = v.switches(
        RequirementKey("max_teaching_minutes_per_day"),
        "limits.max_teaching_minutes_per_day",
        f"a class teaches at most {limit} minutes a day",
    )
    for klass in cand.scenario.classes:
        for day in cand.days:
            minutes = minutes_by_kind(cand, v, klass.id, day)
            model.add(sum(minutes.get(kind, 0) for kind in kinds) <= limit).only_enforce_if(switch)


def add_programme_figures(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """Each class reaches its field-teaching share, its seminar class hours and its
    report-writing class hours over the programme."""
    definitions = cand.scenario.definitions
    mpch = cand.scenario.programme.minutes_per_class_hour
    for klass in cand.scenario.classes:
        req = cand.requirements(klass)
        per_day = [minutes_by_kind(cand, v, klass.id, day) for day in cand.days]

        def total(kinds: tuple[str, ...], per_day=per_day) -> cp_model.LinearExprT:
            return sum(day.get(kind, 0) for day in per_day for kind in kinds)

        paths = {
            f: cand.scenario.requirement_path(klass.id, f)
            for f in ("min_field_share", "min_seminar_class_hours", "min_report_writing_class_hours")
        }
        if req.min_field_share > 0:
            # Rounded up, so that the integer rule is never weaker than the share as written.
            scaled = math.ceil(req.min_field_share * SHARE_SCALE - 1e-9)
            model.add(
                SHARE_SCALE * total(definitions.field_kinds) >= scaled * total(definitions.teaching_kinds)
            ).only_enforce_if(
                v.switches(
                    RequirementKey("min_field_share", class_id=klass.id),
                    paths["min_field_share"],
                    f"class {klass.id} spends at least {req.min_field_share:.0%} of its teaching time in the field",
                )
            )
        # Exactly the hours asked for: more would only lengthen evenings for nothing.
        model.add(total(("seminar",)) == req.min_seminar_class_hours * mpch).only_enforce_if(
            v.switches(
                RequirementKey("min_seminar_class_hours", class_id=klass.id),
                paths["min_seminar_class_hours"],
                f"class {klass.id} has {req.min_seminar_class_hours} seminar class hours",
            )
        )
        model.add(total(("report_writing",)) == req.min_report_writing_class_hours * mpch).only_enforce_if(
            v.switches(
                RequirementKey("min_report_writing_class_hours", class_id=klass.id),
                paths["min_report_writing_class_hours"],
                f"class {klass.id} has {req.min_report_writing_class_hours} class hours of report writing",
            )
        )


def add_limits_as_written(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """In a diagnosis only: the coach-driving and latest-return limits as written, switchable.

    A diagnosis builds its model from the scenario with these limits relaxed (so that the
    variables' domains do not hold them), and holds them here instead."""
    if not v.switches.enabled:
        return
    written = v.switches.scenario
    for (_, day), day_vars in v.class_days.items():
        coach = written.max_coach_minutes_on(day)
        override = any(o.day == day + 1 and o.max_coach_minutes is not None for o in written.programme.day_overrides)
        path = (
            f"programme.day_overrides[day {day + 1}].max_coach_minutes"
            if override
            else "limits.max_coach_minutes_per_day"
        )
        driven = sum(cand.travel.driving_hundredths(a.from_place, a.to_place) * a.used for a in day_vars.arcs)
        model.add(driven <= written.max_coach_hundredths_on(day)).only_enforce_if(
            v.switches(
                RequirementKey("coach", limit=path),
                path,
                f"a coach drives at most {coach} minutes a day" + (f" on day {day + 1}" if override else ""),
            )
        )
        latest = written.latest_return_on(day)
        override = any(o.day == day + 1 and o.latest_return is not None for o in written.programme.day_overrides)
        path = f"programme.day_overrides[day {day + 1}].latest_return" if override else "limits.latest_return"
        model.add(day_vars.arrive <= day * DAY + latest).only_enforce_if(
            v.switches(
                RequirementKey("latest_return", limit=path),
                path,
                f"classes are back by {latest // 60:02d}:{latest % 60:02d}"
                + (f" on day {day + 1}" if override else ""),
            )
        )


RULES: tuple[Callable[[cp_model.CpModel, Candidates, Variables], None], ...] = (
    add_one_night_place,
    add_day_routes,
    add_coach_leg_timing,
    add_arrival_buffer,
    add_visit_timing,
    add_one_thing_at_a_time,
    add_coach_driving_limit,
    add_lodging_capacity,
    add_site_capacity,
    add_site_visits,
    add_stay_place_index,
    add_sessions_held_once,
    add_session_timing,
    add_opening_first,
    add_closing_day,
    add_programme_every_day,
    add_lecturer_assignment,
    add_lecturer_away_days,
    add_lecturer_one_at_a_time,
    add_lecturer_travel,
    add_lecturer_workload,
    add_evening,
    add_teaching_per_day,
    add_programme_figures,
    add_limits_as_written,
    add_day_budget,
)
"""Every hard-rule family, in the order of docs/rules.md, then redundant ones."""

TIMED_RULES = frozenset(
    {
        add_coach_leg_timing,
        add_arrival_buffer,
        add_visit_timing,
        add_one_thing_at_a_time,
        add_site_capacity,
        add_session_timing,
        add_opening_first,
        add_closing_day,
        add_lecturer_travel,
        add_lecturer_one_at_a_time,
    }
)
"""Rules about clock times, left out of the coarse first stage."""
