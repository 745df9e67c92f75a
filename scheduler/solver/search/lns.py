"""Large-neighbourhood search over classes and days.

From a complete plan, repeatedly free one part of it (one class's week, or a few days of every
class), fix everything else to its current value, and let CP-SAT improve the freed part with
the current plan as a hint. Classes interact only through lodging, site capacity and
lecturers, so such parts are small problems that CP-SAT solves well, where the whole
programme is too large to improve quickly.
"""

from __future__ import annotations

import itertools
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.solver.cpsat.model import Incumbent
from scheduler.solver.cpsat.variables import Variables
from scheduler.solver.params import LnsParams

log = logging.getLogger(__name__)

Key = tuple[str, int]
"""(class id, day)"""


@dataclass
class Ownership:
    """Which (class, day) each decision variable belongs to, for fixing parts of a plan."""

    by_key: dict[Key, list[int]]
    nights: dict[Key, list[int]]  # (class, night) -> its literals; freed only with both days around it
    sessions: list[tuple[str, dict[int, int], list[int]]]  # class, day -> held_on index, the session's indices
    presence: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # class -> site -> its visit literals


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
    presence: dict[str, dict[str, list[int]]] = {}
    for (class_id, _), day_vars in v.class_days.items():
        for site_id, visit in day_vars.visits.items():
            presence.setdefault(class_id, {}).setdefault(site_id, []).append(visit.present.index)
    sessions = []
    for session in v.sessions:
        indices = [session.start.index, session.day.index, session.place_index.index]
        indices += [lit.index for lit in session.slot.values()]
        indices += [lit.index for lit in session.lecturer.values()]
        indices += [lit.index for lit in session.held_on.values()]
        sessions.append((session.session.class_id, {d: lit.index for d, lit in session.held_on.items()}, indices))
    return Ownership(by_key, nights, sessions, presence)


def _windows(days: int, length: int) -> list[range]:
    step = max(1, length - 1)
    return [range(start, min(days, start + length)) for start in range(0, max(1, days - length + step), step)]


def neighbourhood_levels(class_ids: list[str], days: int, window_days: int) -> list[list[tuple[str, set[Key]]]]:
    """Parts to free, from small to large. Level 0: a few days of one class, one class's week,
    a few days of every class (these let classes trade lodging, sites and lecturers); level 1:
    two classes' weeks, and longer windows of every class."""
    small = _windows(days, window_days)
    long = _windows(days, 2 * window_days - 1)
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


@dataclass(frozen=True)
class SitePart:
    """One class's whole week with only some sites' visits open to change: every other site stays
    visited on the same day, or unvisited; routes, times, nights and sessions may all change."""

    class_id: str
    sites: frozenset[str]

    @property
    def name(self) -> str:
        return f"class {self.class_id}, {len(self.sites)} sites"


class SiteParts:
    """Site neighbourhoods: a random seed site and the sites nearest to it, for one class at a time.

    Routing problems improve by exchanging nearby stops (a visit dropped here pays for two
    there), which a class-and-day part cannot do once a class has a single long route; the size
    grows after a run of parts without gain and shrinks back after a gain."""

    def __init__(self, owned: Ownership, nearest: dict[str, list[str]], seed: int, min_sites: int):
        # a part as large as the class's sites is the class's week, which the other parts free already
        self.min_sites = min_sites
        """Site parts free at least this many sites, and only for classes with more candidate sites."""
        self.sites = {class_id: sorted(sites) for class_id, sites in owned.presence.items() if len(sites) > min_sites}
        self.nearest = nearest
        self.rng = random.Random(seed)
        self.size = {class_id: min(len(sites) - 1, 12) for class_id, sites in self.sites.items()}
        self.patience = 10 * len(self.sites)
        """Site parts in a row without gain after which the search ends (once the class-and-day
        parts are exhausted)."""

    def __bool__(self) -> bool:
        return bool(self.sites)

    def next(self) -> SitePart:
        class_id = self.rng.choice(sorted(self.sites))
        candidates = set(self.sites[class_id])
        seed = self.rng.choice(self.sites[class_id])
        near = [seed] + [s for s in self.nearest.get(seed, ()) if s in candidates and s != seed]
        return SitePart(class_id, frozenset(near[: self.size[class_id]]))

    def record(self, part: SitePart, gained: bool) -> None:
        most = len(self.sites[part.class_id]) - 1
        if gained:
            self.size[part.class_id] = max(self.min_sites, min(most, int(self.size[part.class_id] * 0.9)))
        else:
            self.size[part.class_id] = min(most, self.size[part.class_id] + 1)


def site_part_fixed(owned: Ownership, part: SitePart) -> list[int]:
    """Indices to keep when ``part`` is freed: every other class whole, and this class's other
    sites' visit literals."""
    free = {key for key in owned.by_key if key[0] == part.class_id}
    fixed = [i for key, indices in owned.by_key.items() if key not in free for i in indices]
    for (class_id, _), indices in owned.nights.items():
        if class_id != part.class_id:
            fixed += indices
    for class_id, _, indices in owned.sessions:
        if class_id != part.class_id:
            fixed += indices
    for site_id, literals in owned.presence.get(part.class_id, {}).items():
        if site_id not in part.sites:
            fixed += literals
    return fixed


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
    best: Incumbent,
    *,
    class_ids: list[str],
    days: int,
    time_left: Callable[[], float],
    configure: Callable[[cp_model.CpSolver, float], None],
    on_better: Callable[[Incumbent], None],
    should_stop: Callable[[], bool],
    run: Callable[[cp_model.CpSolver, cp_model.CpModel], int],
    nearest: dict[str, list[str]] | None = None,
    seed: int = 0,
    params: LnsParams = LnsParams(),
) -> Incumbent:
    """Improve the plan ``best`` part by part while ``time_left()`` is positive; the best plan found.

    Class-and-day parts and site parts take turns. The class-and-day parts go from small to
    large (a whole round without gain moves to the next level; after the last level only site
    parts remain)."""
    values, objective = best.values, best.objective
    owned = ownership(v)
    levels = neighbourhood_levels(class_ids, days, params.window_days)
    site_parts = SiteParts(owned, nearest or {}, seed, params.min_sites)
    slice_seconds = max(2.0, min(5.0, time_left() / 20))
    level, position, without_gain = 0, 0, 0
    turn, sites_without_gain = 0, 0
    while time_left() > 0.5 and not should_stop():
        turn += 1
        use_sites = site_parts and (level >= len(levels) or turn % 2 == 0)
        if use_sites:
            part = site_parts.next()
            fixed = site_part_fixed(owned, part)
            seconds = min(slice_seconds, time_left())
        elif level < len(levels):
            parts = levels[level]
            _name, free = parts[position % len(parts)]
            position += 1
            fixed = fixed_indices(owned, free, values)
            seconds = min(slice_seconds * (level + 1), time_left())
        else:
            break
        sub = model.clone()
        for index in fixed:
            sub.add(sub.get_int_var_from_proto_index(index) == values[index])
        for index, value in enumerate(values):
            sub.add_hint(sub.get_int_var_from_proto_index(index), value)
        solver = cp_model.CpSolver()
        configure(solver, seconds)
        began = time.monotonic()
        code = run(solver, sub)
        gained = code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and solver.objective_value < objective - 0.5
        log.debug(
            "%s: %s in %.1f s, %s",
            part.name if use_sites else _name,
            solver.status_name(code),
            time.monotonic() - began,
            f"{objective} -> {solver.objective_value}" if gained else "no gain",
        )
        if use_sites:
            site_parts.record(part, gained)
        if gained:
            sites_without_gain = 0
            values = [solver.value(sub.get_int_var_from_proto_index(i)) for i in range(len(values))]
            objective = solver.objective_value
            on_better(Incumbent(values, objective))
            without_gain = 0
            continue
        if use_sites:
            sites_without_gain += 1
            if level >= len(levels) and sites_without_gain >= site_parts.patience:
                break
            continue
        without_gain += 1
        if without_gain >= len(parts):
            # a whole round at this level found nothing: try larger parts (or only site parts)
            level, position, without_gain = level + 1, 0, 0
    return Incumbent(values, objective)
