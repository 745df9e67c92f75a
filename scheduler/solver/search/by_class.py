"""Large programmes solved one class at a time.

On large programmes the whole model is too large for CP-SAT to presolve in the time an
organiser waits, even cut down around the plan. So each class is modelled alone, on candidates
cut down around its current plan (``focus``), with the rest of the programme fixed
(``outside``): the lodging the other classes sleep in, their site visits and their lecturers'
lectures count in the capacity, lecturer and travel rules exactly as if they were modelled, so
the joined plan keeps every rule.

The first plan gives each class's constructive nights and visits clock times and lecturers, one
class after another; the search then re-plans one class at a time, freely within its cut-down
candidates, around everyone else, and keeps what lowers the whole objective. The balance of
lecturers' loads is the one goal that spans classes: it is left out of each class's model and
counted on the joined plan.
"""

from __future__ import annotations

import concurrent.futures
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from scheduler.plan.figures import lecturer_spread
from scheduler.plan.model import Plan
from scheduler.scenario.goals import LECTURER_IMBALANCE, Term, route_goals
from scheduler.scenario.model import Scenario
from scheduler.solver.bound.relaxed_weeks import KnownWeek, relaxed_week_bound
from scheduler.solver.cpsat.objective import balance_lecturers
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.focus import FocusedCandidates
from scheduler.solver.data.outside import Outside
from scheduler.solver.data.skeleton import DayChoice, Skeleton
from scheduler.solver.params import FocusParams, SolverParams
from scheduler.solver.search.lecture_quotas import held, lecture_shares, reserved


def wider_focus(focus: FocusParams) -> tuple[tuple[int, int], ...]:
    """Sites per day and lodging per night each class re-plan keeps, widening round after round
    without gain: the focus, then twice its sites and two more lodging places."""
    return (
        (focus.sites_per_day, focus.lodging_per_night),
        (2 * focus.sites_per_day, focus.lodging_per_night + 2),
    )


@dataclass
class ClassPlan:
    """One class's part of the joined plan: its events and nights, its skeleton (nights and
    visits per day, to focus and hint the next re-plan) and its objective terms."""

    plan: Plan
    skeleton: list[DayChoice]
    terms: dict[str, int]


def _together(parts: dict[str, ClassPlan]) -> Plan:
    """The classes' plans as one plan."""
    events = (e for part in parts.values() for e in part.plan.events)
    nights = tuple(n for part in parts.values() for n in part.plan.nights)
    return Plan(tuple(sorted(events, key=lambda e: (e.class_id, e.date, e.start, e.end))), nights)


def joined(scenario: Scenario, cand: Candidates, parts: dict[str, ClassPlan]) -> tuple[Plan, dict[str, int]]:
    """The classes' plans as one, and its objective terms (the lecturers' balance counted on it)."""
    plan = _together(parts)
    terms = {name: value for part in parts.values() for name, value in part.terms.items()}
    imbalance = lecturer_imbalance(scenario, cand, plan)
    if imbalance is not None:
        terms[str(Term(LECTURER_IMBALANCE.name))] = imbalance  # as the objective names it
    return plan, terms


def lecturer_imbalance(scenario: Scenario, cand: Candidates, plan: Plan) -> int | None:
    """The balance goal's term (``objective.lecturer_balance``) on a plan: its weight times the
    lectures between the busiest and the lightest of ``objective.balance_lecturers``; None
    where the objective has no such term."""
    weight = LECTURER_IMBALANCE.price(scenario.weights)
    lecturers = balance_lecturers(cand)
    if not weight or len(lecturers) < 2:
        return None
    return weight * lecturer_spread(scenario, plan, lecturers)


def class_scenario(scenario: Scenario, class_id: str) -> Scenario:
    """The scenario with only this class, and without the lecturers' balance goal."""
    sub = scenario.model_copy(
        update={
            "classes": (scenario.training_class(class_id),),
            "weights": scenario.weights.model_copy(update={"lecturer_imbalance": 0}),
        }
    )
    sub.__dict__.pop("_indices", None)  # the copy must not share the original's id lookups
    return sub


def skeleton_of(plan: Plan, scenario: Scenario, class_id: str) -> list[DayChoice]:
    """A class's nights and visits in a plan, in the construction's terms."""
    programme = scenario.programme
    klass = scenario.training_class(class_id)
    days = []
    for day in range(programme.days):
        date = programme.date_of(day)
        sites = tuple(e.site for e in plan.events_of(class_id, date) if e.kind == "field_visit" and e.site)
        end = klass.last_place if day == programme.days - 1 else plan.night_of(class_id, date)
        days.append(DayChoice(sites, end))
    return days


class Solver(Protocol):
    """How one class is solved: its scenario, candidates and skeleton; ``keep`` its skeleton's
    nights and visits fixed; at most ``seconds``; ``first_only``: the first plan found will do.
    The class's plan and objective terms, or None."""

    def __call__(
        self,
        sub: Scenario,
        sub_cand: FocusedCandidates,
        sub_skeleton: Skeleton,
        *,
        keep: bool,
        seconds: float,
        first_only: bool,
    ) -> tuple[Plan, dict[str, int]] | None: ...


def first_plan(
    scenario: Scenario,
    cand: Candidates,
    planned: Iterable[tuple[str, list[DayChoice] | None]],
    solve_class: Solver,
    *,
    seconds_left: Callable[[], float],
    should_stop: Callable[[], bool],
    class_seconds: float | None = None,
    params: SolverParams = SolverParams(),
    on_failure: Callable[[str], None] = lambda class_id: None,
    generous: frozenset[str] = frozenset(),
) -> dict[str, ClassPlan] | None:
    """Each class's constructive nights and visits (``planned``: class id and days, as the
    construction gives them, or a skeleton's items) given clock times and lecturers, one class
    after another around the classes before it (a class without days, which the construction
    could not plan, or whose days cannot be completed even with its nights and visits free, is
    searched for freely around a ``staying_week``); None if a class cannot be completed
    (``on_failure`` hears which). Each class takes the first plan found, or with
    ``class_seconds`` the best found in that time. The lecturers' required lectures are shared
    out first (``lecture_quotas``): the classes not planned yet are counted on for their shares.
    A class in ``generous`` (one that could not be planned before) may take
    ``failed_class_share`` of the time left rather than its even share."""
    parts: dict[str, ClassPlan] = {}
    classes = [k.id for k in scenario.classes]
    quotas, assigned = lecture_shares(cand)
    for position, (class_id, days) in enumerate(planned):
        if should_stop():
            return None
        width = (params.focus.sites_per_day, params.focus.lodging_per_night)
        # if the construction's choices do not fit, the class may change them; failing that (or
        # where the construction could not plan the class around the classes before it), CP-SAT
        # looks for its week freely, on the widest candidates around a week at its start place
        tries = [(days, True, width), (days, False, width)] if days is not None else []
        tries.append((staying_week(scenario, class_id), False, wider_focus(params.focus)[-1]))
        # the first plan found stops each solve, so a floor costs nothing on easy classes and
        # keeps a slow one (the construction thread shares the cores) from failing the plan
        share = max(params.class_by_class.class_seconds_floor, seconds_left() / (len(classes) - position))
        if class_id in generous:
            share = max(share, params.class_by_class.failed_class_share * seconds_left())
        seconds = min(seconds_left(), share if class_seconds is None else class_seconds)
        first_only = class_seconds is None
        waiting = [c for c in classes if c != class_id and c not in parts]
        for centre, keep, around in tries:
            part = plan_class(
                scenario,
                cand,
                class_id,
                centre,
                others=parts,
                solve_class=solve_class,
                keep=keep,
                seconds=seconds,
                first_only=first_only,
                width=around,
                reserved=reserved(quotas, waiting),
                held=held(assigned, waiting),
            )
            if part is not None or should_stop():
                break
        if part is None:
            on_failure(class_id)
            return None
        parts[class_id] = part
    return parts


def staying_week(scenario: Scenario, class_id: str) -> list[DayChoice]:
    """A week with no visits, every night at the class's start place and the last day ending
    at its end place: where to look for a week the construction could not make."""
    klass = scenario.training_class(class_id)
    last = scenario.programme.days - 1
    return [DayChoice((), klass.last_place if day == last else klass.first_place) for day in range(last + 1)]


def improve(
    scenario: Scenario,
    cand: Candidates,
    parts: dict[str, ClassPlan],
    solve_class: Solver,
    *,
    seconds_left: Callable[[], float],
    on_better: Callable[[float, dict[str, ClassPlan]], None],
    slice_seconds: float,
    should_stop: Callable[[], bool],
    suggested: Callable[[], list[dict[str, list[DayChoice]]]] = list,
    solve_weeks: Solver | None = None,
    weeks_pending: Callable[[], bool] = lambda: False,
    relaxed_seconds: float = 0.0,
    params: SolverParams = SolverParams(),
) -> dict[str, ClassPlan]:
    """Re-plan one class at a time (in rounds, the costliest classes first, ``costliest_first``;
    freely within candidates cut down around its current plan) while time is left, keeping each
    change that lowers the whole objective (and telling ``on_better`` the new one and the classes'
    plans). After a
    round without gain the candidates widen (``wider_focus``); the search stops after a round
    without gain at the widest.

    Each set of weeks ``suggested()`` lists (the week bound's, as they come) plans the whole
    programme again, once (``from_weeks``), the newest first: the bound's later weeks are
    closer to real ones (its branching ends on real weeks), and a short run may have time for
    one set only. The search goes on from that plan if it is better; its classes are solved by
    ``solve_weeks`` (``solve_class`` if None). While ``weeks_pending()`` the search waits for
    them rather than stop.

    With ``relaxed_seconds`` (free-running runs past the week bound's size), each class's first
    re-plan starts from the week its relaxed master favours (``relaxed_week``, its master
    given that long, a class ahead: ``RelaxedWeeks``) rather than from its current week; where
    the search would stop, each class's relaxed week is asked for again while that gains."""
    classes = [k.id for k in scenario.classes]
    from_master: set[str] = set()
    best = sum(joined(scenario, cand, parts)[1].values())
    without_gain = 0
    position = 0
    widths = iter(wider_focus(params.focus))
    width = next(widths)
    tried: set[int] = set()
    relaxed = None
    if relaxed_seconds > 0:
        relaxed = RelaxedWeeks(
            scenario, cand, relaxed_seconds, params, should_stop=lambda: should_stop() or seconds_left() <= 0.5
        )
    gained = False
    """Whether a re-plan gained since the classes' relaxed weeks were last asked for."""
    try:
        while seconds_left() > 0.5 and not should_stop():
            listed = suggested()
            if untried := [i for i in range(len(listed)) if i not in tried]:
                weeks = listed[untried[-1]]
                tried.add(untried[-1])
                rebuilt = from_weeks(
                    scenario,
                    cand,
                    parts,
                    weeks,
                    solve_class=solve_weeks or solve_class,
                    seconds_left=seconds_left,
                    should_stop=should_stop,
                    params=params,
                )
                objective = None if rebuilt is None else sum(joined(scenario, cand, rebuilt)[1].values())
                if objective is not None and objective < best - 0.5:
                    parts, best, without_gain = rebuilt, objective, 0
                    widths = iter(wider_focus(params.focus))
                    width = next(widths)
                    on_better(objective, parts)
                    continue
            if without_gain >= len(classes):
                wider = next(widths, None)
                if wider is None:
                    if weeks_pending():
                        time.sleep(0.1)
                        continue
                    if relaxed is not None and gained:
                        # the classes' relaxed weeks again, around the others as they are now
                        from_master.clear()
                        relaxed.forget()
                        widths = iter(wider_focus(params.focus))
                        width, without_gain, gained = next(widths), 0, False
                        continue
                    break
                width, without_gain = wider, 0
            if position % len(classes) == 0:
                order = costliest_first(parts, classes)
            class_id = order[position % len(classes)]
            position += 1
            others = {c: p for c, p in parts.items() if c != class_id}
            # the class's current week; before it, its relaxed week if asked for, with the
            # current week left for where no plan fits the relaxed one (a lecture no lecturer
            # can reach there)
            centres = [parts[class_id].skeleton]
            if relaxed is not None and class_id not in from_master:
                from_master.add(class_id)
                week = relaxed.week(class_id, parts)
                if following := [c for c in order if c not in from_master]:
                    relaxed.ask(following[0], parts)  # while CP-SAT plans this class
                if week is not None:
                    centres.insert(0, week)
            part = None
            for tried_before, centre in enumerate(centres):
                if part is not None or (tried_before and seconds_left() <= 0.5):
                    break
                part = plan_class(
                    scenario,
                    cand,
                    class_id,
                    centre,
                    others=others,
                    solve_class=solve_class,
                    keep=False,
                    seconds=min(slice_seconds, seconds_left()),
                    first_only=False,
                    width=width,
                )
            if part is not None:
                trial = {**parts, class_id: part}
                objective = sum(joined(scenario, cand, trial)[1].values())
                if objective < best - 0.5:
                    parts, best, without_gain, gained = trial, objective, 0, True
                    on_better(objective, parts)
                    continue
            without_gain += 1
    finally:
        if relaxed is not None:
            relaxed.stop()
    return parts


def costliest_first(parts: dict[str, ClassPlan], classes: list[str]) -> list[str]:
    """The classes (ids in the scenario's order) by their own objective terms, the costliest
    first, ties in the scenario's order (``parts`` may hold them in another: the construction
    retries failed classes first). A class's re-plan gains most where its plan costs most."""
    return sorted(classes, key=lambda c: -sum(parts[c].terms.values()))


def from_weeks(
    scenario: Scenario,
    cand: Candidates,
    parts: dict[str, ClassPlan],
    weeks: dict[str, list[DayChoice]],
    *,
    solve_class: Solver,
    seconds_left: Callable[[], float],
    should_stop: Callable[[], bool],
    params: SolverParams = SolverParams(),
) -> dict[str, ClassPlan] | None:
    """The programme planned again, class after class, each in its week of ``weeks`` (the week
    bound's or the relaxed weeks' bound's: the relaxation's cheapest weeks, which the classes'
    current plans, found one class at a time, seldom come near) or, for a class without one, in
    its current nights and visits; a class whose week does not fit around the classes before it
    (a lecture no lecturer can reach, a site another class holds) is solved freely around them.
    None if a class cannot be planned in the time. Each class gets ``week_class_seconds``: a
    week that fits is solved to its exact cost quickly, and one that does not is better solved
    freely for a while than taken at the first plan found."""
    planned = [(c, weeks.get(c, part.skeleton)) for c, part in parts.items()]
    return first_plan(
        scenario,
        cand,
        planned,
        solve_class,
        seconds_left=seconds_left,
        should_stop=should_stop,
        class_seconds=params.class_by_class.week_class_seconds,
        params=params,
    )


def plan_class(
    scenario: Scenario,
    cand: Candidates,
    class_id: str,
    days: list[DayChoice],
    *,
    others: dict[str, ClassPlan],
    solve_class: Solver,
    keep: bool,
    seconds: float,
    first_only: bool,
    width: tuple[int, int],
    reserved: dict[str, int] | None = None,
    held: dict[str, int] | None = None,
) -> ClassPlan | None:
    """One class planned around ``others``, on candidates cut down around ``days`` (``width``:
    sites per day and lodging per night kept; ``keep``: its nights and visits fixed;
    ``reserved``: lecturer id -> required lectures the classes not planned yet are counted on for;
    ``held``: lecturer id -> lectures those classes are counted on to hold with them)."""
    sub = class_scenario(scenario, class_id)
    sub_skeleton = Skeleton({class_id: days})
    whole = Candidates(sub, cand.travel, Outside.of(scenario, _together(others), reserved, held))
    # kept choices need no alternatives beside them: the smallest model is the quickest to solve
    sub_cand = FocusedCandidates(whole, sub_skeleton, *((0, 1) if keep else width))
    solved = solve_class(sub, sub_cand, sub_skeleton, keep=keep, seconds=seconds, first_only=first_only)
    if solved is None:
        return None
    plan, terms = solved
    return ClassPlan(plan, skeleton_of(plan, scenario, class_id), terms)


def known_weeks(scenario: Scenario, parts: dict[str, ClassPlan]) -> dict[str, KnownWeek]:
    """Each class's week in the plan ``parts`` make, as the relaxed weeks' master takes it: its
    routes' cost (the objective's terms of the goals a day route's cost counts), visits and
    nights."""
    goals = set(route_goals())
    last = scenario.programme.days - 1
    weeks = {}
    for class_id, part in parts.items():
        cost = sum(value for name, value in part.terms.items() if Term.parse(name).goal in goals)
        visits = tuple((d, site) for d, day in enumerate(part.skeleton) for site in day.sites)
        nights = tuple((d, day.end_place) for d, day in enumerate(part.skeleton) if d < last)
        weeks[class_id] = KnownWeek(float(cost), visits, nights)
    return weeks


def relaxed_week(
    scenario: Scenario,
    cand: Candidates,
    class_id: str,
    others: dict[str, ClassPlan],
    *,
    seconds: float,
    should_stop: Callable[[], bool] = lambda: False,
    params: SolverParams = SolverParams(),
) -> list[DayChoice] | None:
    """The week the relaxed weeks' master favours for one class (``relaxed_week_bound`` on the
    class alone, around the lodging and visits ``others`` hold), when it settles or after most
    of ``seconds``; None if it has none by then. A search from the class's current week moves a
    few visits at a time; the master weighs every site and night of the week at once, and its
    week is often far cheaper. It leaves out the lecturers and the clock: CP-SAT, planning the
    class around that week, has the last word."""
    sub = class_scenario(scenario, class_id)
    around = Candidates(sub, cand.travel, Outside.of(scenario, _together(others)))
    heard: dict[str, tuple] = {}
    relaxed_week_bound(
        around,
        seconds,
        params=params.bound,
        should_stop=lambda: bool(heard) or should_stop(),
        on_weeks=lambda bound, weeks: heard.update(weeks),
        weeks_after=0.8 * seconds,
        fitting_weeks=True,
    )
    if class_id not in heard:
        return None
    return [DayChoice(tuple(sorted(sites)), end) for sites, end in heard[class_id]]


class RelaxedWeeks:
    """Each class's relaxed week (``relaxed_week``), worked out in a background thread one class
    ahead of the search: the master runs while CP-SAT plans the class before (both leave Python
    free), around the other classes' plans as they were when it started. ``should_stop()`` cuts
    a master short (its week is then None); ``stop()`` ends it all."""

    def __init__(
        self,
        scenario: Scenario,
        cand: Candidates,
        seconds: float,
        params: SolverParams,
        should_stop: Callable[[], bool] = lambda: False,
    ):
        self._scenario, self._cand, self._seconds, self._params = scenario, cand, seconds, params
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="relaxed-week")
        self._asked: dict[str, concurrent.futures.Future] = {}
        self._stopped = threading.Event()
        self._should_stop = should_stop

    def _stop_now(self) -> bool:
        return self._stopped.is_set() or self._should_stop()

    def ask(self, class_id: str, parts: dict[str, ClassPlan]) -> None:
        """Start on ``class_id``'s week around ``parts`` (its own left out), if not yet asked."""
        if class_id in self._asked or self._stopped.is_set():
            return
        others = {c: p for c, p in parts.items() if c != class_id}
        self._asked[class_id] = self._pool.submit(
            relaxed_week, self._scenario, self._cand, class_id, others,
            seconds=self._seconds, should_stop=self._stop_now, params=self._params,
        )  # fmt: skip

    def week(self, class_id: str, parts: dict[str, ClassPlan]) -> list[DayChoice] | None:
        """``class_id``'s week, waited for (asked now if it was not); None if its master failed:
        the week only suggests where a re-plan starts, and a master that fails on a programme
        it was not made for must not cost the search its plan (the re-plan then starts from the
        class's current week)."""
        self.ask(class_id, parts)
        try:
            return self._asked[class_id].result()
        except Exception:  # any failure of the master leaves out only its suggestion
            return None

    def forget(self) -> None:
        """Ask again from now on: the weeks worked out so far were around plans since changed."""
        for future in self._asked.values():
            future.cancel()
        self._asked.clear()

    def stop(self) -> None:
        self._stopped.set()
        self._pool.shutdown(wait=True, cancel_futures=True)


class Ahead:
    """Runs an iterator in a background thread and hands out its items as they come, so that
    work on one item (a CP-SAT solve, which leaves Python free) overlaps making the next.
    ``stop()`` ends it after the item in hand; ``failed`` tells whether an item was None."""

    def __init__(self, items: Iterator):
        self._queue: queue.Queue = queue.Queue()
        self._stopped = threading.Event()
        self.failed = False
        self._thread = threading.Thread(target=self._fill, args=(items,), daemon=True)
        self._thread.start()

    def _fill(self, items: Iterator) -> None:
        try:
            for item in items:
                self._queue.put(item)
                if self._stopped.is_set():
                    break
        except Exception as error:  # handed to the consumer, which would otherwise wait forever
            self._queue.put(error)
        self._queue.put(None)

    def __iter__(self):
        while (item := self._queue.get()) is not None:
            if isinstance(item, Exception):
                raise item
            if item[1] is None:
                self.failed = True
            yield item

    def stop(self) -> None:
        self._stopped.set()
