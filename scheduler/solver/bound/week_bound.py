"""A lower bound on every plan's objective, from whole weeks of day routes (column generation).

The route relaxation (``route_relaxation``) is solved by Dantzig-Wolfe decomposition: a master
linear programme mixes whole weeks of day routes under the relaxation's rows; a class's cheapest
week at the master's prices comes from a shortest path over the days (``week_pricing``), whose
state is the place the class sleeps and which of its *tracked* sites it has visited (its
must-visit sites, then each site a cheapest week visits twice, up to
``BoundParams.max_tracked``). At any prices of the right signs, the prices times the rows'
right-hand sides plus the cheapest weeks bound the relaxation from below (Lagrangian duality),
so every round gives a valid bound, whatever the LP solver's tolerances.

1. **Each class alone** (``class_bound``): a master per class under its own rows. Dropping the
   rows between classes only loosens the relaxation, so the classes' bounds add up.
2. **Together**, only where those rows bind (the classes' masters together break a lodging or a
   site's row): one master for all classes, under every row, from the weeks found alone.
3. **Branch and price**, the class with the widest gap first, until each class's bound meets
   the cheapest real week of the relaxation, or time is up.

The lecturers' balance and the late evenings, which no route pays, are bounded apart
(``balance_bound``) and added.

Past ``FocusParams.week_bound_legs`` the day routes are not listed: each class's pricing builds
the ones it needs from the prices (``route_generation``), its master starts from the
constructive plan's week, and the rows between classes are left out (step 2 needs every route
listed).

The masters of the classes alone settle far sooner than one master of all classes would, and
the branching then closes the gap to each class's real week; where the best plan takes those
weeks, the bound proves it optimal, which CP-SAT's own bound on the whole model is far too weak
to do (figures in ``bench/README.md``).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from scheduler.solver.bound.balance_bound import least_imbalance, least_late_evening_cost
from scheduler.solver.bound.class_bound import ClassAlone, Phase
from scheduler.solver.bound.day_routes import TooManyRoutes
from scheduler.solver.bound.route_relaxation import Relaxation, Rows, relaxation
from scheduler.solver.bound.week_pricing import ClassWeeks, Master, Prices, Week, Weeks
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.focus import bounded_by_weeks
from scheduler.solver.heuristics.construct import construct
from scheduler.solver.params import BoundParams, SolverParams


@dataclass(frozen=True)
class WeekBound:
    """The bound and what it took; ``bound`` is None when it could not be computed (``reason``).
    ``weeks`` holds, for each class, its best real week of the relaxation if the branching has
    found one, else the week its master leans on most that visits no site twice: a good place
    for the search to look."""

    bound: int | None
    iterations: int
    day_routes: int
    seconds: float
    reason: str = ""
    weeks: Weeks = field(default_factory=dict)


def week_bound(
    cand: Candidates,
    seconds: float,
    *,
    params: SolverParams = SolverParams(),
    should_stop: Callable[[], bool] = lambda: False,
    on_bound: Callable[[int, Weeks], None] = lambda bound, weeks: None,
    max_sides: int | None = None,
) -> WeekBound:
    """The best lower bound found within about ``seconds`` or until ``should_stop()``.

    ``on_bound`` hears each better one, with the classes' best weeks then (as
    ``WeekBound.weeks``), and the weeks once more when every class's first master has settled;
    then the slower work begins: the branching, of at most ``max_sides`` sides in all if given
    (a limit of work, not of time, for runs that must be reproducible), then the rows between
    classes priced together if the classes' weeks break one. The route enumeration stops early only when
    told to stop or past the bound's ``route_budget`` partial routes."""
    bound_params = params.bound
    started = time.monotonic()

    def stopped() -> bool:
        return time.monotonic() - started > seconds or should_stop()

    relaxed = None
    if bounded_by_weeks(cand, params.focus):
        try:
            relaxed = relaxation(cand, bound_params, stopped)
        except TooManyRoutes as error:
            return WeekBound(None, 0, 0, time.monotonic() - started, str(error))
        if relaxed is None:
            return WeekBound(None, 0, 0, time.monotonic() - started, "stopped while listing the day routes")
        without = [k.id for k in cand.scenario.classes if not any(c.class_id == k.id for c in relaxed.columns)]
        if without:
            return WeekBound(None, 0, 0, time.monotonic() - started, f"class {without[0]} has no day route")
        alone = {k.id: ClassAlone(cand, relaxed, k.id, params=bound_params) for k in cand.scenario.classes}
    else:
        alone = _generated(cand, params)
    # the goals the routes leave out: the bounds add up
    balance = least_imbalance(cand, bound_params.balance_seconds) + least_late_evening_cost(cand)
    best = -math.inf
    joint = -math.inf
    steps = 0

    def weeks() -> Weeks:
        return {class_id: week for class_id, a in alone.items() if (week := a.week()) is not None}

    def announce(again: bool = False) -> None:
        nonlocal best
        total = max(joint, sum(a.bound for a in alone.values()))
        if not math.isfinite(total):
            return  # a class not priced yet
        value = math.ceil(total - 1e-6)
        if value > best or again:
            on_bound(value + balance, weeks())
        best = max(best, value)

    def result(reason: str = "") -> WeekBound:
        bound = None if reason or best == -math.inf else int(best) + balance
        routes = sum(a.routes for a in alone.values())
        return WeekBound(bound, steps, routes, time.monotonic() - started, reason, weeks())

    no_week = "a class has no week of day routes that keeps its must-visit sites"
    # a first pricing each gives a bound at once; then each class's master settles in turn
    for first in (True, False):
        for class_alone in alone.values():
            while class_alone.phase is Phase.ROOT and not stopped():
                try:
                    class_alone.advance(stopped)
                except TooManyRoutes as error:
                    return result(str(error))
                steps += 1
                if class_alone.phase is Phase.NO_WEEK:
                    return result(no_week)
                announce()
                if first:
                    break
    if stopped():
        return result()
    announce(again=True)
    # the branching, the class with the widest gap first
    while not stopped() and (max_sides is None or sum(a.sides_searched for a in alone.values()) < max_sides):
        branching = [a for a in alone.values() if a.phase is Phase.BRANCHING]
        if not branching:
            break
        try:
            max(branching, key=lambda a: a.gap).advance(stopped)
        except TooManyRoutes:
            break  # what the bound is stays valid
        steps += 1
        announce()
    if relaxed is not None and not stopped() and rows_between_classes_bind(relaxed, alone):
        joint = priced_together(cand, relaxed, alone, stopped, max_tracked=bound_params.max_tracked)
        announce()
    return result()


def _generated(cand: Candidates, params: SolverParams) -> dict[str, ClassAlone]:
    """Each class alone, its day routes built from the prices (``route_generation``), its
    master started from the constructive plan's week where that plan has one."""
    skeleton = construct(cand, params.construction)
    alone = {}
    for klass in cand.scenario.classes:
        alone[klass.id] = ClassAlone.generated(cand, klass.id, params.bound)
        days = skeleton.days.get(klass.id)
        if days is not None:
            alone[klass.id].seed([(frozenset(day.sites), day.end_place) for day in days])
    return alone


Mix = list[tuple[float, np.ndarray]]
"""A class's week as the bound has it: weights and weeks, each as columns of the whole
relaxation."""


def class_mix(alone: ClassAlone) -> Mix:
    """The class's best real week where its branching is done, else its master's mix, in
    column numbers of the whole relaxation."""
    assert alone.index is not None
    return [(weight, alone.index[columns]) for weight, columns in own_mix(alone)]


def own_mix(alone: ClassAlone) -> Mix:
    """As ``class_mix``, in the class's own column numbers."""
    if alone.phase is Phase.DONE and alone.best_week is not None:
        return [(1.0, alone.best_week.columns)]
    return [(w, columns) for w, (_, _, _, columns) in zip(alone.master.weights, alone.master.weeks, strict=False)]


def class_activity(alone: ClassAlone) -> dict[str, float]:
    """The entries of the class's weeks (``own_mix``) in every row, added up."""
    return mix_activity(alone.relaxed, own_mix(alone))


def mix_activity(relaxed: Relaxation, mix: Mix) -> dict[str, float]:
    """The entries of ``mix``'s columns of ``relaxed`` in every row, by their weights, added up."""
    total: dict[str, float] = defaultdict(float)
    for weight, columns in mix:
        for j in columns:
            for name, value in relaxed.columns[j].rows.items():
                total[name] += weight * value
    return total


def rows_between_classes_bind(relaxed: Relaxation, alone: dict[str, ClassAlone]) -> bool:
    """Whether the classes' weeks (``class_mix``), taken together, break a row no class has
    alone (lodging, each site's visits a day). Only then can pricing the classes together raise
    the bound."""
    own = {name for a in alone.values() for name in a.relaxed.rows.sense}
    return mixes_break_rows(relaxed, [class_mix(a) for a in alone.values()], own)


def mixes_break_rows(relaxed: Relaxation, mixes: list[Mix], own: set[str]) -> bool:
    """Whether the classes' ``mixes`` together break a row of ``relaxed`` outside ``own`` (the
    rows the classes have alone) and the flow between days."""
    return activities_break_rows(relaxed.rows, [mix_activity(relaxed, mix) for mix in mixes], own)


def activities_break_rows(rows: Rows, activities: list[dict[str, float]], own: set[str]) -> bool:
    """Whether the classes' row ``activities`` (``class_activity``) together break one of
    ``rows`` outside ``own`` (the rows the classes have alone) and the flow between days."""
    total: dict[str, float] = defaultdict(float)
    for activity in activities:
        for name, value in activity.items():
            total[name] += value
    for name, sense in rows.sense.items():
        if name in own or name.startswith("flow["):
            continue
        over = sense != ">=" and total[name] > rows.rhs[name] + 1e-6
        under = sense != "<=" and total[name] < rows.rhs[name] - 1e-6
        if over or under:
            return True
    return False


def priced_together(
    cand: Candidates,
    relaxed: Relaxation,
    alone: dict[str, ClassAlone],
    stopped: Callable[[], bool],
    *,
    max_tracked: int = BoundParams().max_tracked,
) -> float:
    """The bound of one master for all classes, under every row, starting from the weeks and
    the sites the classes track alone."""
    prices = Prices(relaxed)
    weeks = {}
    for class_id, a in alone.items():
        weeks[class_id] = ClassWeeks(cand, relaxed, prices, class_id, max_tracked=max_tracked)
        weeks[class_id].track(a.weeks.tracked)
    master = Master(relaxed, prices, list(weeks))
    for class_id, a in alone.items():
        for week in a.pool:
            master.add(class_id, Week(a.full_columns(week), week.reduced, week.sites))
    value, duals = _forbid_and_solve(master, weeks)
    best = -math.inf
    while not stopped():
        found = {class_id: w.cheapest(prices.reduced_costs(duals)) for class_id, w in weeks.items()}
        if any(week is None for week in found.values()):
            break
        best = max(best, prices.constant(duals) + sum(week.reduced for week in found.values()))
        for class_id, week in found.items():
            master.add(class_id, week)
        if value - best < 0.5:
            break
        value, duals = _forbid_and_solve(master, weeks)
    return best


def _forbid_and_solve(master: Master, weeks: dict[str, ClassWeeks]) -> tuple[float, np.ndarray]:
    """The master solved again without the weeks each class now rules out."""
    for class_id, w in weeks.items():
        master.forbid(class_id, w.tracked)
    return master.solve()
