"""The bounds' inner loops, compiled (numba):

* the week pricing's (``week_pricing``): joining each state a class's week has reached with each
  group of day routes leaving its place. A cheapest week joins millions of such pairs for every
  pricing, one at a time in order, which array operations can only do through arrays of every
  pair;
* the relaxed weeks' (``relaxed_weeks``): the cheapest chain of sites from a morning place to
  each evening place, a depth-first search over hundreds of thousands of chains a pricing.

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

INF = 1e18
"""The cost of a chain not found."""


NO_TIME = -1
"""A label's time where the chain cannot be at that point (before or after lunch)."""


@_compiled
def _on_step(minute, step):
    return -(-minute // step) * step


@_compiled
def _done(now, opens, closes, minutes, step):
    """When something of ``minutes`` started at ``now`` or later, on the clock's steps and no
    earlier than ``opens``, is over, or NO_TIME if that is past ``closes`` (or ``now`` is):
    a visit within its site's hours, lunch within its window."""
    if now == NO_TIME:
        return NO_TIME
    begin = _on_step(max(now, opens), step)
    return begin + minutes if begin + minutes <= closes else NO_TIME


@_compiled
def _cheapest_sums(costs, most):
    """For k = 0 .. ``most``, the sum of the k cheapest of ``costs`` below 0 (fewer if fewer are)."""
    sums = np.zeros(most + 1)
    order = np.sort(costs)
    total = 0.0
    for k in range(1, most + 1):
        if k - 1 < costs.shape[0] and order[k - 1] < 0:
            total += order[k - 1]
        sums[k] = total
    return sums


@_compiled
def _earlier(a, b):
    if a == NO_TIME:
        return b
    if b == NO_TIME:
        return a
    return min(a, b)


def _cheapest_chains_py(
    start: int,
    ends: np.ndarray,
    site_place: np.ndarray,
    site_open: np.ndarray,
    site_close: np.ndarray,
    site_minutes: np.ndarray,
    site_cost: np.ndarray,
    site_bit: np.ndarray,
    must_bits: int,
    hundredths: np.ndarray,
    driving: np.ndarray,
    door: np.ndarray,
    least_driving: np.ndarray,
    frame: tuple,
    room_price: float,
    empty_cost: float,
    coach: float,
    best: np.ndarray,
    chains: np.ndarray,
    rooms: np.ndarray,
) -> None:
    """For each of ``ends`` and each set of *tracked* sites (``site_bit``: a site's bit, 0 for
    a site not tracked), the cheapest chain of at most ``max_visits`` sites from the place
    ``start`` to that end that visits exactly those tracked sites and that the clock and the
    limits allow: its cost in ``best[end, set]`` (+inf where none), its sites in ``chains[end,
    set]`` (-1 after the last) and its room in ``rooms[end, set]``. Only chains cheaper than
    every chain to the same end with fewer of the tracked sites (the same of ``must_bits``, the
    sites a week must visit) are sure to be found: a chain with more of them is of use to a
    week only when it costs less. A chain costs ``coach`` per
    whole minute of each leg's driving, plus its sites' ``site_cost``, less ``room_price`` per
    minute of room it leaves for sessions (``DayRouteEnumerator``'s room: before departure and
    after arrival, within the daytime its visits, legs and lunch leave), plus ``empty_cost`` for
    a chain of no sites.

    The clock is ``DayRouteEnumerator``'s: each stop's earliest time before lunch and after it,
    visits on the clock's steps within their sites' hours (the class may wait), lunch in its
    window at a stop, back by the latest return with the afternoon's fixed sessions still before
    dinner. ``frame`` (13 whole numbers): leave, latest return, latest arrival for the afternoon's fixed sessions,
    driving limit (hundredths), teaching limit, most visits, clock step, lunch earliest, lunch
    latest, lunch minutes, dinner start, earliest departure, least morning room.

    ``least_driving[a, b]``: the least driving minutes from a to b over any chain of legs, with
    which a chain is not followed once no way on to any end could beat that end's cheapest yet
    (whatever its sites still to come earn, at most the most any of them could, and its room
    at most the day's)."""
    (
        leave,
        latest,
        free_by,
        limit,
        teaching,
        max_visits,
        step,
        lunch_earliest,
        lunch_latest,
        lunch_minutes,
        dinner,
        earliest,
        least_morning,
    ) = frame
    n = site_place.shape[0]
    m = ends.shape[0]
    sets = best.shape[1]
    for e in range(m):
        for t in range(sets):
            best[e, t] = INF
            rooms[e, t] = 0
            for k in range(chains.shape[2]):
                chains[e, t, k] = -1
    # the most the sites still to come could earn
    gain = _cheapest_sums(site_cost, max_visits)
    # the same with each site's cost counting the least driving into it from any other stop:
    # a bound on what the rest of a chain costs, its last leg aside
    arriving = np.empty(n)
    for s in range(n):
        least = driving[start, site_place[s]]
        for t in range(n):
            if t != s and driving[site_place[t], site_place[s]] < least:
                least = driving[site_place[t], site_place[s]]
        arriving[s] = site_cost[s] + coach * least
    gain_driven = _cheapest_sums(arriving, max_visits)
    most_room = room_price * max(0, dinner - earliest - lunch_minutes)
    size = max_visits + 1
    at_site = np.empty(size, np.int64)
    at_place = np.empty(size, np.int64)
    next_site = np.empty(size, np.int64)
    hungry = np.empty(size, np.int64)
    fed = np.empty(size, np.int64)
    driven = np.empty(size, np.int64)
    on_coach = np.empty(size, np.int64)
    field = np.empty(size, np.int64)
    cost = np.empty(size)
    tracked = np.zeros(size, np.int64)
    # a chain every way on from which is beaten, save by visiting more must-visit sites: it
    # closes nowhere and goes on only to those (a week's must-visit sites are never left out)
    only_must = np.zeros(size, np.bool_)
    depth = 0
    at_site[0] = -1
    at_place[0] = start
    next_site[0] = 0
    hungry[0] = leave
    fed[0] = _done(leave, lunch_earliest, lunch_latest, lunch_minutes, step)
    driven[0] = 0
    on_coach[0] = 0
    field[0] = 0
    cost[0] = 0.0
    while depth >= 0:
        here = at_place[depth]
        if next_site[depth] == 0 and not only_must[depth]:
            for e in range(m):
                q = ends[e]
                if driven[depth] + hundredths[here, q] > limit:
                    continue
                leg = door[here, q]
                # from when the evening place is free for sessions, lunch had
                free = NO_TIME
                if fed[depth] != NO_TIME and fed[depth] + leg <= latest:
                    free = fed[depth] + leg
                if hungry[depth] != NO_TIME:
                    eaten = _done(hungry[depth], lunch_earliest, lunch_latest, lunch_minutes, step)
                    if eaten != NO_TIME and eaten + leg <= latest:
                        free = _earlier(free, eaten + leg)
                    arrive = hungry[depth] + leg
                    if arrive <= latest and _done(arrive, lunch_earliest, lunch_latest, lunch_minutes, step) != NO_TIME:
                        free = _earlier(free, arrive + lunch_minutes)
                if free == NO_TIME:
                    continue
                free = _on_step(free, step)
                if free > free_by:
                    continue
                # the latest departure that could keep the chain (lunch left aside)
                by = latest
                nxt = q
                for k in range(depth, 0, -1):
                    s = at_site[k]
                    by = min(site_close[s], by - door[site_place[s], nxt]) - site_minutes[s]
                    nxt = site_place[s]
                morning = by - door[start, nxt] - earliest
                if morning < least_morning:
                    continue
                afternoon = dinner - free
                busy = on_coach[depth] + leg + field[depth] + lunch_minutes
                room = min(morning + afternoon, dinner - earliest - busy)
                value = cost[depth] + coach * driving[here, q] - room_price * max(0, room)
                if depth == 0:
                    value += empty_cost
                t = tracked[depth]
                if value < best[e, t]:
                    best[e, t] = value
                    rooms[e, t] = max(0, room)
                    for k in range(chains.shape[2]):
                        chains[e, t, k] = at_site[k + 1] if k < depth else -1
        if depth == max_visits:
            depth -= 1
            continue
        moved = False
        while next_site[depth] < n:
            s = next_site[depth]
            next_site[depth] += 1
            used = False
            for k in range(1, depth + 1):
                if at_site[k] == s:
                    used = True
            if used:
                continue
            if only_must[depth] and not site_bit[s] & must_bits:
                continue
            minutes = site_minutes[s]
            if field[depth] + minutes > teaching:
                continue
            p = site_place[s]
            far = driven[depth] + hundredths[here, p]
            if far > limit:
                continue
            value = cost[depth] + coach * driving[here, p] + site_cost[s]
            mask = tracked[depth] | site_bit[s]
            # worth following while some end could still be reached more cheaply than by every
            # chain found there with some of these tracked sites and no others (whatever sites
            # the chain goes on to, it ends with these, and would cost more)
            hopeful = False
            for e in range(m):
                left = max_visits - depth - 1
                reach = value + max(coach * least_driving[p, ends[e]] + gain[left], gain_driven[left]) - most_room
                beaten = False
                free = mask & ~must_bits
                fewer = free
                while True:
                    if best[e, (mask & must_bits) | fewer] <= reach:
                        beaten = True
                        break
                    if fewer == 0:
                        break
                    fewer = (fewer - 1) & free
                if not beaten:
                    hopeful = True
                    break
            if not hopeful and (must_bits & ~mask == 0 or depth + 1 == max_visits):
                continue
            leg = door[here, p]
            opens = site_open[s]
            closes = site_close[s]
            h = hungry[depth]
            f = fed[depth]
            new_hungry = NO_TIME if h == NO_TIME else _done(h + leg, opens, closes, minutes, step)
            new_fed = NO_TIME if f == NO_TIME else _done(f + leg, opens, closes, minutes, step)
            eaten = _done(h, lunch_earliest, lunch_latest, lunch_minutes, step)
            if eaten != NO_TIME:
                new_fed = _earlier(new_fed, _done(eaten + leg, opens, closes, minutes, step))
            if h != NO_TIME:
                eaten = _done(h + leg, lunch_earliest, lunch_latest, lunch_minutes, step)
                new_fed = _earlier(new_fed, _done(eaten, opens, closes, minutes, step))
            if new_hungry != NO_TIME:
                eaten = _done(new_hungry, lunch_earliest, lunch_latest, lunch_minutes, step)
                if eaten == NO_TIME:
                    new_hungry = NO_TIME
                else:
                    new_fed = _earlier(new_fed, eaten)
            if new_hungry == NO_TIME and new_fed == NO_TIME:
                continue
            depth += 1
            at_site[depth] = s
            at_place[depth] = p
            next_site[depth] = 0
            hungry[depth] = new_hungry
            fed[depth] = new_fed
            driven[depth] = far
            on_coach[depth] = on_coach[depth - 1] + leg
            field[depth] = field[depth - 1] + minutes
            cost[depth] = value
            tracked[depth] = mask
            only_must[depth] = not hopeful
            moved = True
            break
        if not moved:
            depth -= 1


cheapest_chains = _compiled(_cheapest_chains_py)


def _undominated(best: np.ndarray, must_bits: int) -> np.ndarray:
    """For each end and set of tracked sites of ``cheapest_chains``'s ``best``, whether its
    chain exists and costs less than every chain to the same end with fewer of those sites and
    the same of ``must_bits`` (a week that can take it could take those instead)."""
    m, sets = best.shape
    keep = np.zeros((m, sets), np.bool_)
    for e in range(m):
        for t in range(sets):
            value = best[e, t]
            if value >= INF:
                continue
            kept = True
            free = t & ~must_bits
            fixed = t & must_bits
            fewer = (free - 1) & free
            while free != 0:
                if best[e, fixed | fewer] <= value:
                    kept = False
                    break
                if fewer == 0:
                    break
                fewer = (fewer - 1) & free
            keep[e, t] = kept
    return keep


def _advance_day(
    value: np.ndarray, option_start: np.ndarray, option_end: np.ndarray, option_set: np.ndarray, option_cost: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One day of a week's shortest path over (place, tracked sites visited): from ``value``
    (each state's least cost so far, +inf if unreached), each option (a chain from a place to
    a place with its tracked sites and cost) taken from every state at its start that has
    visited none of its tracked sites. Returns each new state's least cost, and the option and
    the state's set it came from (-1 where unreached)."""
    places, sets = value.shape
    new = np.full((places, sets), INF)
    came_option = np.full((places, sets), -1, np.int64)
    came_set = np.full((places, sets), -1, np.int64)
    for o in range(option_start.shape[0]):
        p = option_start[o]
        q = option_end[o]
        taken = option_set[o]
        cost = option_cost[o]
        for visited in range(sets):
            if visited & taken:
                continue
            here = value[p, visited]
            if here >= INF:
                continue
            total = here + cost
            key = visited | taken
            if total < new[q, key]:
                new[q, key] = total
                came_option[q, key] = o
                came_set[q, key] = visited
    return new, came_option, came_set


undominated = _compiled(_undominated)
advance_day = _compiled(_advance_day)
