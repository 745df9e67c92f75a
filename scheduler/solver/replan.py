"""Re-planning with least change: a new plan for a changed scenario, from a saved plan.

Everything that starts before the freeze point is kept exactly. After it, the new plan keeps
every hard rule of the changed scenario and changes as few events as it can: a visit, session
or night that is not where and when it was counts as one change (one the day after the freeze
or earlier weighs ``SOON_WEIGHT``, later ones 1), and so does each visit or session that is new,
and each evening whose seminar or report-writing hours differ. Among those plans it then keeps
as many lunches and morning departures at their old times as it can (a minor change each, which
never outweighs a real one), and only then pursues the usual goals. The saved plan is also the
solver's first hint, so a re-plan is quick.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.analysis.check import check
from scheduler.plan.model import Event, Freeze, Plan, Result, SolveStatus
from scheduler.scenario.model import Scenario
from scheduler.solver.cpsat.engine import Budget, Stopper, configure, solve_fixed, stop_on_signals
from scheduler.solver.cpsat.extract import extract_plan
from scheduler.solver.cpsat.model import BuiltModel, Incumbent, build_model, expression_value, hint_all, term_values
from scheduler.solver.data.candidates import session_id
from scheduler.solver.data.units import DAY
from scheduler.solver.options import SolveOptions

SOON_WEIGHT = 3
"""A change on the freeze day or the day after weighs this many later changes (the rule the
re-plan's first objective states, not a tuning parameter)."""
MINOR_SCALE = 1000
"""Each weighted change counts this many minor ones (a lunch or a departure at another time), so
that no number of minor changes outweighs a real one."""


@dataclass
class _Changes:
    terms: list[tuple[int, cp_model.LinearExprT]]
    kept: list[tuple[str, cp_model.IntVar]]
    minor: list[cp_model.LinearExprT]


def _session_ids(old: Plan) -> dict[tuple[str, dt.date, int], str]:
    """The session id (as the model names them) of each old opening, lecture, presentation and closing."""
    ids: dict[tuple[str, dt.date, int], str] = {}
    counters: dict[tuple[str, str], int] = defaultdict(int)
    for event in sorted(old.events, key=lambda e: (e.class_id, e.date, e.start)):
        key = (event.class_id, event.date, event.start)
        if event.kind in ("opening", "presentation", "closing"):
            ids[key] = session_id(event.class_id, event.kind)
        elif event.kind == "lecture":
            counters[(event.class_id, event.topic)] += 1
            ids[key] = session_id(event.class_id, "lecture", event.topic, counters[(event.class_id, event.topic)])
    return ids


def _changes_and_freeze(built: BuiltModel, old: Plan, freeze: Freeze | None) -> _Changes:
    """Change indicators for every old and possible new event, and the frozen part as hard rules."""
    model, v = built.model, built.variables
    programme = built.candidates.scenario.programme
    freeze_day = programme.day_of(freeze.date) if freeze else None
    if freeze and freeze_day is None:
        freeze_day = 0 if freeze.date < programme.first_date else programme.days
    first_free = freeze_day if freeze_day is not None else 0
    changes = _Changes([], [], [])

    def weight(day: int) -> int:
        return SOON_WEIGHT if day <= first_free + 1 else 1

    def frozen(event: Event) -> bool:
        return freeze is not None and freeze.keeps(event)

    # visits
    old_visits = {}
    for event in old.events:
        if event.kind != "field_visit":
            continue
        day = programme.day_of(event.date)
        visit = v.class_days[(event.class_id, day)].visits.get(event.site) if day is not None else None
        old_visits[(event.class_id, day, event.site)] = event
        if visit is None:  # the changed scenario no longer allows it: a change in any plan
            if frozen(event):
                model.add_bool_or([])
            changes.terms.append((weight(day if day is not None else first_free), 1))
            continue
        kept = model.new_bool_var(f"kept[visit,{event.class_id},{day},{event.site}]")
        model.add(visit.present == 1).only_enforce_if(kept)
        model.add(visit.start == day * DAY + event.start).only_enforce_if(kept)
        if frozen(event):
            model.add(kept == 1)
        changes.terms.append((weight(day), 1 - kept))
        changes.kept.append((f"visit {event.class_id} {event.date} {event.site}", kept))
    for (class_id, day), day_vars in v.class_days.items():
        for site_id, visit in day_vars.visits.items():
            if (class_id, day, site_id) in old_visits:
                continue
            if freeze_day is not None and day < freeze_day:
                model.add(visit.present == 0)
            changes.terms.append((weight(day), visit.present))

    # sessions
    by_id = {s.session.id: s for s in v.sessions}
    seen = set()
    for key, old_id in _session_ids(old).items():
        class_id, date, start = key
        session = by_id.get(old_id)
        day = programme.day_of(date)
        event = next(e for e in old.events if (e.class_id, e.date, e.start) == key and e.kind != "meal")
        if session is None or day is None or day not in session.held_on:
            if frozen(event):
                model.add_bool_or([])
            changes.terms.append((weight(day if day is not None else first_free), 1))
            continue
        seen.add(old_id)
        # moving a session and changing its lecturer are separate changes (different people to tell)
        kept = model.new_bool_var(f"kept[{old_id}]")
        model.add(session.held_on[day] == 1).only_enforce_if(kept)
        model.add(session.start == day * DAY + start).only_enforce_if(kept)
        same_lecturer = model.new_bool_var(f"same_lecturer[{old_id}]")
        if event.lecturer is not None:
            given = session.lecturer.get(event.lecturer)
            if given is None:  # the lecturer no longer teaches it
                model.add(same_lecturer == 0)
            else:
                model.add(given == 1).only_enforce_if(same_lecturer)
            changes.terms.append((weight(day), 1 - same_lecturer))
        if frozen(event):
            model.add(kept == 1)
            model.add(same_lecturer == 1)
        changes.terms.append((weight(day), 1 - kept))
        changes.kept.append((f"{old_id} {date}", kept))
    for old_id, session in by_id.items():
        if old_id not in seen:
            for day, held in session.held_on.items():
                changes.terms.append((weight(day), held))

    # nights
    for night in old.nights:
        day = programme.day_of(night.date)
        places = v.nights.get((night.class_id, day)) if day is not None else None
        here = places.get(night.place) if places else None
        if here is None:
            if freeze_day is not None and day is not None and day < freeze_day:
                model.add_bool_or([])
            changes.terms.append((weight(day + 1 if day is not None else first_free), 1))
            continue
        if freeze_day is not None and day < freeze_day:
            model.add(here == 1)
        changes.terms.append((weight(day + 1), 1 - here))

    _evenings_and_times(built, old, changes, weight)
    # the rest of each frozen day: evenings, lunch and coach departures as they were
    if freeze_day is not None:
        _freeze_days(built, old, freeze, freeze_day)
    return changes


def _evenings_and_times(built: BuiltModel, old: Plan, changes: _Changes, weight) -> None:
    """An evening whose seminar or report-writing hours differ is a change for the class; a lunch
    or a morning departure at another time is a minor one."""
    model, v = built.model, built.variables
    programme = built.candidates.scenario.programme
    mpch = programme.minutes_per_class_hour
    by_day: dict[tuple[str, dt.date], list[Event]] = defaultdict(list)
    for event in old.events:
        by_day[(event.class_id, event.date)].append(event)
    for (class_id, day), day_vars in v.class_days.items():
        date = programme.date_of(day)
        events = by_day.get((class_id, date), [])
        for kind, hours in (("seminar", day_vars.seminar_hours), ("report_writing", day_vars.writing_hours)):
            old_hours = sum(e.minutes for e in events if e.kind == kind) // mpch
            same = model.new_bool_var(f"same_{kind}[{class_id},{day}]")
            model.add(hours == old_hours).only_enforce_if(same)
            changes.terms.append((weight(day), 1 - same))
        lunch = next((e for e in events if e.kind == "meal" and e.label == "lunch"), None)
        if lunch is not None:
            same = model.new_bool_var(f"same_lunch[{class_id},{day}]")
            model.add(day_vars.lunch_start == day * DAY + lunch.start).only_enforce_if(same)
            changes.minor.append(1 - same)
        first_leg = next((e for e in sorted(events, key=lambda e: e.start) if e.kind == "travel"), None)
        if first_leg is not None:
            same = model.new_bool_var(f"same_depart[{class_id},{day}]")
            model.add(day_vars.depart == day * DAY + first_leg.start).only_enforce_if(same)
            changes.minor.append(1 - same)


def _freeze_days(built: BuiltModel, old: Plan, freeze: Freeze, freeze_day: int) -> None:
    """Seminars, report writing, lunch and departures that start before the freeze point stay
    as they were: all of them on the days before it, those that have begun on its day."""
    model, v = built.model, built.variables
    programme = built.candidates.scenario.programme
    mpch = programme.minutes_per_class_hour
    evening = programme.frame.evening.start
    for (class_id, day), day_vars in v.class_days.items():
        if day > freeze_day:
            continue
        date = programme.date_of(day)
        events = [e for e in old.events if e.class_id == class_id and e.date == date]
        hours = {
            kind: sum(e.minutes for e in events if e.kind == kind) // mpch for kind in ("seminar", "report_writing")
        }
        whole_day = day < freeze_day
        if whole_day or evening < freeze.minute:
            model.add(day_vars.seminar_hours == hours["seminar"])
        if whole_day or evening + hours["seminar"] * mpch < freeze.minute:
            model.add(day_vars.writing_hours == hours["report_writing"])
        lunch = next((e for e in events if e.kind == "meal" and e.label == "lunch"), None)
        if lunch is not None and (whole_day or freeze.keeps(lunch)):
            model.add(day_vars.lunch_start == day * DAY + lunch.start)
        for leg in (e for e in events if e.kind == "travel" and freeze.keeps(e)):
            if leg.from_place == _morning_place(old, class_id, date, programme=programme, built=built):
                model.add(day_vars.depart == day * DAY + leg.start)
            else:
                for site_id, visit in day_vars.visits.items():
                    if built.candidates.scenario.site(site_id).place == leg.from_place:
                        model.add(visit.depart == day * DAY + leg.start).only_enforce_if(visit.present)


def _morning_place(old: Plan, class_id: str, date: dt.date, *, programme, built: BuiltModel) -> str:
    day = programme.day_of(date)
    if day == 0:
        return built.candidates.scenario.training_class(class_id).first_place
    return old.night_of(class_id, programme.date_of(day - 1)) or ""


def _old_choices(built: BuiltModel, old: Plan) -> list[list[tuple[cp_model.IntVar, int]]]:
    """As (variable, value) fixes, in turn: the saved plan's nights and visits; its nights, and the
    visits of the classes whose events keep every rule of the changed scenario (the others'
    visits free); its nights alone."""
    v = built.variables
    programme = built.candidates.scenario.programme
    nights = []
    for night in old.nights:
        day = programme.day_of(night.date)
        places = v.nights.get((night.class_id, day), {}) if day is not None else {}
        if night.place in places:
            nights += [(lit, int(place == night.place)) for place, lit in places.items()]
    visited = {(e.class_id, programme.day_of(e.date), e.site) for e in old.events if e.kind == "field_visit"}
    visits = [
        (class_id, visit.present, int((class_id, day, site_id) in visited))
        for (class_id, day), day_vars in v.class_days.items()
        for site_id, visit in day_vars.visits.items()
    ]
    choices = [nights + [(var, value) for _, var, value in visits]]
    broken = [violation.class_id for violation in check(built.candidates.scenario, old)]
    if broken and None not in broken:
        free = set(broken)
        choices.append(nights + [(var, value) for class_id, var, value in visits if class_id not in free])
    return [*choices, nights]


def _hint_old_plan(built: BuiltModel, old: Plan) -> None:
    """The saved plan's nights, visits and sessions as the solver's first guess."""
    model, v = built.model, built.variables
    programme = built.candidates.scenario.programme
    for night in old.nights:
        day = programme.day_of(night.date)
        for place, lit in (v.nights.get((night.class_id, day), {}) if day is not None else {}).items():
            model.add_hint(lit, int(place == night.place))
    visited = {(e.class_id, programme.day_of(e.date), e.site): e for e in old.events if e.kind == "field_visit"}
    for (class_id, day), day_vars in v.class_days.items():
        for site_id, visit in day_vars.visits.items():
            event = visited.get((class_id, day, site_id))
            model.add_hint(visit.present, int(event is not None))
            if event is not None:
                model.add_hint(visit.start, day * DAY + event.start)


def replan(
    scenario: Scenario,
    old: Plan,
    freeze: Freeze | None = None,
    options: SolveOptions | None = None,
) -> tuple[Result, int | None]:
    """A plan for ``scenario`` as close to ``old`` as its rules allow; and its weighted changes."""
    options = options or SolveOptions()
    started = time.monotonic()
    budget = Budget(options, started)
    built = build_model(scenario)
    changes = _changes_and_freeze(built, old, freeze)
    change_sum = MINOR_SCALE * sum(w * expr for w, expr in changes.terms) + sum(changes.minor)
    goals = sum(expr for _, expr in built.terms)
    _hint_old_plan(built, old)
    built.model.minimize(change_sum)
    shares = options.params.replan
    with stop_on_signals(options.handle_signals) as stopper:
        # First the saved plan's nights and visits kept as they are (clock times and lecturers
        # free), else its nights alone: small problems, and usually already the fewest changes.
        first = None
        for fixes in _old_choices(built, old):
            first = solve_fixed(
                built, fixes, options, stopper, time_limit=shares.first_share * options.time_limit, budget=budget
            )
            if first is not None or stopper.interrupted:
                break
        if first is not None:
            hint_all(built.model, first.values)
        left = budget.left_until(shares.change_share)
        code, fewest = _solve_stage(built.model, change_sum, options, stopper, budget, seconds=max(0.5, left))
        if fewest is None or (first is not None and first.objective < fewest.objective):
            fewest = Incumbent(first.values, round(first.objective)) if first is not None else None
        if fewest is None:
            return _no_plan(options, started, stopper, code, budget), None
        # keep the fewest changes found, then pursue the usual goals
        built.model.add(change_sum <= fewest.objective)
        hint_all(built.model, fewest.values)
        best = _solve_stage(built.model, goals, options, stopper, budget, seconds=max(0.5, budget.left()))[1] or fewest

    plan = extract_plan(built.candidates, built.variables, best.value)
    terms = term_values(built, best.value)
    objective = sum(terms.values())
    stats = options.stats(
        SolveStatus.FEASIBLE,
        objective,
        seconds=time.monotonic() - started,
        plans_found=1,
        interrupted=stopper.interrupted,
        cut_by_clock=budget.cut_by_clock,
    )
    weighted = sum(w * expression_value(expr, best.value) for w, expr in changes.terms)
    return Result(stats, plan, terms), weighted


def _solve_stage(
    model, objective, options, stopper: Stopper, budget: Budget, *, seconds: float
) -> tuple[int, Incumbent | None]:
    """Minimise ``objective``: CP-SAT's status, and the values and objective when there is a plan."""
    model.minimize(objective)
    solver = cp_model.CpSolver()
    configure(solver, options, seconds)
    code = stopper.run(solver, model)
    budget.charge(solver)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return code, None
    values = [solver.value(model.get_int_var_from_proto_index(i)) for i in range(len(model.proto.variables))]
    return code, Incumbent(values, round(solver.objective_value))


def _no_plan(options: SolveOptions, started: float, stopper: Stopper, code: int, budget: Budget) -> Result:
    status = SolveStatus.INFEASIBLE if code == cp_model.INFEASIBLE else SolveStatus.NO_PLAN_IN_TIME
    stats = options.stats(
        status, seconds=time.monotonic() - started, interrupted=stopper.interrupted, cut_by_clock=budget.cut_by_clock
    )
    return Result(stats, None)
