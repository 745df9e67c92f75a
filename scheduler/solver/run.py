"""Plan a scenario: the staged solve that ``docs/model.md`` describes, returning a ``Result``.

Programmes of several classes past ``FocusParams.by_class_legs`` coach legs, and any past
``FocusParams.full_model_legs`` (``data.focus.solve_by_class``), are planned one class at a time
(``search.class_by_class``), with the week bound beside the search where they are small enough;
if that finds no plan and the programme is small enough to model whole, the whole model gets the
time left. The whole model is solved in stages (``search.stages``):

1. A first plan: the constructive heuristic chooses nights and visits, the route search improves
   its routes, and the full model with those choices fixed sets clock times and lecturers. If
   that fails, the untimed model chooses instead.
2. The untimed model searches routes, nights and visits from the current plan, and the full
   model times what it finds.
3. Large-neighbourhood search improves the plan one class or a few days at a time.
4. The full model, hinted with the best plan, searches and proves what it can in the time left.

Progress (objective and bound as they improve) goes to an optional callback; SIGINT and
SIGTERM stop the search cleanly and keep the best plan found so far.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.plan.model import Plan, Result, SolveStatus
from scheduler.scenario.model import Scenario
from scheduler.solver.cpsat.engine import (
    STATUS,
    Budget,
    ModelInvalidError,
    ProgressCallback,
    Tracker,
    configure,
    solver_stats,
    stop_on_signals,
)
from scheduler.solver.cpsat.extract import extract_plan
from scheduler.solver.cpsat.model import Incumbent, build_model, hint_all, term_values
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.focus import bounded_by_weeks, solve_by_class, too_large_to_model_whole
from scheduler.solver.heuristics.construct import construct
from scheduler.solver.options import Progress, SolveOptions
from scheduler.solver.search.class_by_class import solve_class_by_class
from scheduler.solver.search.stages import (
    Search,
    coarse_polish,
    first_plan,
    improve_by_lns,
    time_is_slack,
)


def solve(
    scenario: Scenario,
    options: SolveOptions = SolveOptions(),
    on_progress: Callable[[Progress], None] | None = None,
    on_plan: Callable[[Plan], None] | None = None,
) -> Result:
    """Plan the scenario; the result holds the plan when one was found. ``on_progress`` hears
    each better objective and bound; ``on_plan`` the better plans themselves, at most one a
    second (``Tracker``), on the searching thread: it must return quickly."""
    started = time.monotonic()
    cand = Candidates(scenario)
    options = options.for_programme(bounded_by_weeks(cand, options.params.focus))
    if solve_by_class(cand, options.params.focus):
        result = solve_class_by_class(scenario, cand, options, Tracker(on_progress, started, on_plan))
        if result.plan is not None or result.stats.interrupted or too_large_to_model_whole(cand, options.params.focus):
            return result
        # one class at a time found no plan (say, lodging too tight for the construction): the
        # whole model, with its untimed fallback, gets the time left
    return _solve_whole(scenario, cand, options, Tracker(on_progress, started, on_plan))


def _solve_whole(scenario: Scenario, cand: Candidates, options: SolveOptions, tracker: Tracker) -> Result:
    """The whole model, in stages; the plan, when one was found, with its objective terms."""
    stages = options.params.stages
    skeleton = construct(cand, options.params.construction)
    built = build_model(scenario, cand=cand)
    best: Incumbent | None = None
    code = cp_model.UNKNOWN
    final: cp_model.CpSolver | None = None

    budget = Budget(options, tracker.started)

    with stop_on_signals(options.handle_signals) as stopper:
        stopper.budget = budget
        search = Search(built, options, stopper, tracker)
        first = first_plan(search, skeleton)
        if first is False:
            code = cp_model.INFEASIBLE
        else:
            best = first
            if best is not None and not stopper.interrupted:
                until = stages.lns_share if time_is_slack(built.candidates) else stages.coarse_polish_until
                best = coarse_polish(search, best, budget.left_until(until))
            if best is not None and not stopper.interrupted:
                best = improve_by_lns(search, best, lambda: budget.left_until(stages.lns_share))
            if best is not None:
                hint_all(built.model, best.values)
            if not stopper.interrupted and budget.left() > 0.1:
                final = cp_model.CpSolver()
                configure(final, options, budget.left())
                code = stopper.run(final, built.model, ProgressCallback(tracker, built))
    if code == cp_model.MODEL_INVALID:
        raise ModelInvalidError(built.model.validate() or "CP-SAT reported MODEL_INVALID")

    status = STATUS[code]
    if final is not None and code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # only a search that got going has a bound worth the name (an unknown one reports 0)
        tracker.new_bound(final.best_objective_bound)
    value: Callable[[object], int] | None = None
    objective = None
    if final is not None and status.has_plan and (best is None or final.objective_value <= best.objective):
        value, objective = final.value, final.objective_value
        tracker.new_bound(final.best_objective_bound)
    elif best is not None:
        value, objective = best.value, best.objective
        status = SolveStatus.FEASIBLE
    elif final is not None and status.has_plan:
        value, objective = final.value, final.objective_value

    plan = None
    terms: dict[str, int] = {}
    bound = tracker.bound if tracker.bound > -math.inf else None
    if value is not None and objective is not None:
        plan = extract_plan(built.candidates, built.variables, value)
        terms = term_values(built, value)
        if bound is not None and objective - bound < 0.5:
            status = SolveStatus.OPTIMAL
    stats = solver_stats(status, objective, bound, tracker=tracker, options=options, stopper=stopper)
    return Result(stats, plan, terms)
