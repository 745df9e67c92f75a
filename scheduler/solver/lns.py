"""Large-neighbourhood search over classes and days.

From a complete plan, repeatedly free one part of it (one class's week, or a few days of every
class), fix everything else to its current value, and let CP-SAT improve the freed part with
the current plan as a hint. Classes interact only through lodging, site capacity and
lecturers, so such parts are small problems that CP-SAT solves well, where the whole
programme is too large to improve quickly.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .variables import Variables

Key = tuple[str, int]
"""(class id, day)"""

WINDOW_DAYS = 3


@dataclass
class Ownership:
    """Which (class, day) each decision variable belongs to, for fixing parts of a plan."""

    by_key: dict[Key, list[int]]
    nights: dict[Key, list[int]]  # (class, night) -> its literals; freed only with both days around it
    sessions: list[tuple[str, dict[int, int], list[int]]]  # class, day -> held_on index, the session's indices


def ownership(v: Variables) -> Ownership:
    """Group the indices of the model's variables by the class and day they describe."""
    by_key: dict[Key, list[int]] = {}
    for key, day_vars in v.class_days.items():
        indices = [
            day_vars.depart.index,
            day_vars.arrive.index,
            day_vars.driving_minutes.index,
            day_vars.lunch_start.index,
            day_vars.seminar_hours.index,
            day_vars.writing_hours.index,
            day_vars.evening_end.index,
            day_vars.late_evening.index,
            day_vars.start_place_index.index,
            day_vars.end_place_index.index,
            day_vars.travel_out_start_minutes.index,
        ]
        for visit in day_vars.visits.values():
            indices += [
                visit.present.index,
                visit.start.index,
                visit.end.index,
                visit.depart.index,
                visit.travel_out_minutes.index,
            ]
        indices += [arc.used.index for arc in day_vars.arcs]
        by_key[key] = indices
    nights = {key: [lit.index for lit in places.values()] for key, places in v.nights.items()}
    sessions = []
    for session in v.sessions:
        indices = [session.start.index, session.day.index, session.place_index.index]
        indices += [lit.index for lit in session.slot.values()]
        indices += [lit.index for lit in session.lecturer.values()]
        indices += [lit.index for lit in session.held_on.values()]
        sessions.append((session.session.class_id, {d: lit.index for d, lit in session.held_on.items()}, indices))
    return Ownership(by_key, nights, sessions)


def _windows(days: int, length: int) -> list[range]:
    step = max(1, length - 1)
    return [range(start, min(days, start + length)) for start in range(0, max(1, days - length + step), step)]


def neighbourhood_levels(class_ids: list[str], days: int) -> list[list[tuple[str, set[Key]]]]:
    """Parts to free, from small to large. Level 0: a few days of one class, one class's week,
    a few days of every class (these let classes trade lodging, sites and lecturers); level 1:
    two classes' weeks, and longer windows of every class."""
    small = _windows(days, WINDOW_DAYS)
    long = _windows(days, 2 * WINDOW_DAYS - 1)
    level0 = [(f"class {c}, days {w.start + 1}-{w.stop}", {(c, d) for d in w}) for c in class_ids for w in small]
    level1: list[tuple[str, set[Key]]] = []
    if len(class_ids) > 1:
        level0 += [(f"class {c}", {(c, d) for d in range(days)}) for c in class_ids]
        level0 += [(f"days {w.start + 1}-{w.stop}", {(c, d) for c in class_ids for d in w}) for w in small]
        level1 += [
            (f"classes {a}+{b}", {(k, d) for k in (a, b) for d in range(days)})
            for a, b in itertools.combinations(class_ids, 2)
        ]
        level1 += [(f"days {w.start + 1}-{w.stop}", {(c, d) for c in class_ids for d in w}) for w in long]
    else:
        level1 += [(f"days {w.start + 1}-{w.stop}", {(c, d) for c in class_ids for d in w}) for w in long]
    return [level for level in (level0, level1) if level]


def fixed_indices(owned: Ownership, free: set[Key], values: list[int]) -> list[int]:
    """Indices of the variables to keep at their current values when ``free`` is freed."""
    fixed = [i for key, indices in owned.by_key.items() if key not in free for i in indices]
    for (class_id, night), indices in owned.nights.items():
        if not ((class_id, night) in free and (class_id, night + 1) in free):
            fixed += indices
    for class_id, held_index, indices in owned.sessions:
        day = next((d for d, i in held_index.items() if values[i]), None)
        if (class_id, day) not in free:
            fixed += indices
    return fixed


def improve(
    model: cp_model.CpModel,
    v: Variables,
    class_ids: list[str],
    days: int,
    values: list[int],
    objective: float,
    time_left: Callable[[], float],
    configure: Callable[[cp_model.CpSolver, float], None],
    on_better: Callable[[list[int], float], None],
    should_stop: Callable[[], bool],
    run: Callable[[cp_model.CpSolver, cp_model.CpModel], int],
) -> tuple[list[int], float]:
    """Improve ``values`` part by part while ``time_left()`` is positive; returns the best values
    and objective."""
    owned = ownership(v)
    levels = neighbourhood_levels(class_ids, days)
    slice_seconds = max(1.0, min(5.0, time_left() / 20))
    level, position, without_gain = 0, 0, 0
    while time_left() > 0.5 and not should_stop():
        parts = levels[level]
        _name, free = parts[position % len(parts)]
        position += 1
        sub = model.clone()
        for index in fixed_indices(owned, free, values):
            sub.add(sub.get_int_var_from_proto_index(index) == values[index])
        for index, value in enumerate(values):
            sub.add_hint(sub.get_int_var_from_proto_index(index), value)
        solver = cp_model.CpSolver()
        configure(solver, min(slice_seconds * (level + 1), time_left()))
        code = run(solver, sub)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and solver.objective_value < objective - 0.5:
            values = [solver.value(sub.get_int_var_from_proto_index(i)) for i in range(len(values))]
            objective = solver.objective_value
            on_better(values, objective)
            without_gain = 0
            continue
        without_gain += 1
        if without_gain >= len(parts):
            # a whole round at this level found nothing: try larger parts, or stop
            if level + 1 == len(levels):
                break
            level, position, without_gain = level + 1, 0, 0
    return values, objective
