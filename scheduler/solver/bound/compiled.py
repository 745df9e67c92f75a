"""The week pricing's inner loop, compiled (numba): joining each state a class's week has reached
with each group of day routes leaving its place. A cheapest week joins millions of such pairs
for every pricing, one at a time in order, which array operations can only do through arrays of
every pair.

Compiled once per machine into numba's cache (next to this file, or the user's cache folder
where that cannot be written); where no such folder can be written, compiled again in each
process that prices a week."""

from __future__ import annotations

import numpy as np
from numba import njit


def _compiled(function):
    """``function`` compiled, its machine code kept in numba's cache, or kept by this process
    alone where numba finds no folder it may write the cache in (it refuses caching then)."""
    try:
        return njit(cache=True, nogil=True)(function)
    except RuntimeError:
        return njit(nogil=True)(function)


def _cheapest_joins(
    groups: np.ndarray,
    group_start: np.ndarray,
    group_end: np.ndarray,
    group_mask: np.ndarray,
    group_cost: np.ndarray,
    by_place: np.ndarray,
    sorted_place: np.ndarray,
    mask: np.ndarray,
    value: np.ndarray,
    states_per_place: int,
    size: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each new state (``end place * states_per_place + sites visited``, ``size`` of them),
    its least value over every (group, state) pair where the state is at the group's start
    place and has visited none of the group's sites, and the state and group of the last pair
    in order reaching it: groups in the order given, each with the states at its start place in
    the order of ``by_place`` (the states sorted by place, stably; ``sorted_place`` their
    places). Values: -1 state and group, +inf value, for a state no pair reaches."""
    least = np.full(size, np.inf)
    win_state = np.full(size, -1, np.int64)
    win_group = np.full(size, -1, np.int64)
    for i in range(groups.shape[0]):
        g = groups[i]
        start = group_start[g]
        low = np.searchsorted(sorted_place, start, side="left")
        high = np.searchsorted(sorted_place, start, side="right")
        taken = group_mask[g]
        base = group_end[g] * states_per_place
        cost = group_cost[g]
        for t in range(low, high):
            state = by_place[t]
            visited = mask[state]
            if visited & taken:
                continue
            key = base + (visited | taken)
            total = value[state] + cost
            if total <= least[key]:
                least[key] = total
                win_state[key] = state
                win_group[key] = g
    return least, win_state, win_group


cheapest_joins = _compiled(_cheapest_joins)
