"""The week bound beside a class-by-class search: in its own process, each better bound and its
weeks heard as they come; or, where the run must be reproducible, computed first and to the end."""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Mapping

from scheduler.scenario.model import Scenario
from scheduler.solver.bound.apart import week_bound_apart
from scheduler.solver.bound.relaxed_weeks import KnownWeek, relaxed_week_bound
from scheduler.solver.bound.week_bound import WeekBound, Weeks, week_bound
from scheduler.solver.cpsat.engine import Tracker
from scheduler.solver.data.candidates import Candidates
from scheduler.solver.data.skeleton import DayChoice
from scheduler.solver.options import SolveOptions
from scheduler.solver.params import SolverParams


class WeekBoundAside:
    """The week bound (``week_bound``) of a programme solved one class at a time, computed in a
    separate process while the classes are searched (in a thread, its Python would hold the
    interpreter lock the search needs to build its models, and delay the first plan many times
    over). Each better bound reaches the tracker as it is found, with its weeks, which
    ``by_class.improve`` plans the programme from.

    Past the week bound's size, the same process computes the relaxed weeks' bound
    (``relaxed_weeks``) instead, and sends its weeks once, when its master settles or its time
    for weeks is up (``weeks_after``), if either comes before its end.

    Where the run must be reproducible (``SolveOptions.reproducible``), the bound is computed
    first and to the end, each class apart on as many processes as the search has workers
    (``week_bound_apart``, without pricing the classes together again), and its weeks are known
    from the start of the search (a race with the wall clock would decide otherwise)."""

    def __init__(
        self,
        cand: Candidates,
        options: SolveOptions,
        tracker: Tracker,
        *,
        clock_seconds: float = math.inf,
        should_stop: Callable[[], bool] = lambda: False,
        relaxed: bool = False,
        relaxed_seconds: float = 0.0,
        weeks_after: float = math.inf,
        takes_a_core: bool = True,
        known: Mapping[str, KnownWeek] | None = None,
    ):
        """``clock_seconds``, ``should_stop``: where the run must be reproducible, a wall-clock
        safety net for the bound computed first (``cut_by_clock`` says if it was reached: the
        bound's work then depends on the machine) and an interruption. ``relaxed``: the
        relaxed weeks' bound instead (``relaxed_weeks``, for programmes past the week bound's
        size; never where the run must be reproducible), for ``relaxed_seconds``, on a core of the
        search's (``takes_a_core``) or on one the search leaves free; its weeks come when its
        master settles or ``weeks_after`` seconds into its work, and not at all otherwise.
        ``known``: the classes' weeks in the plan found so far, which its master starts from."""
        self.result: WeekBound | None = None
        self.cut_by_clock = False
        self._relaxed = relaxed
        self._best: int | None = None
        self._weeks: list[Weeks] = []
        """Each distinct set of weeks heard, in order."""
        self._tracker = tracker
        self._finish_seconds = options.params.bound.finish_seconds
        self._takes_a_core = takes_a_core
        if options.reproducible and not relaxed:
            # every class worked out apart, on as many processes as the search has workers
            self.result = week_bound_apart(
                cand,
                clock_seconds,
                params=options.params,
                should_stop=should_stop,
                on_bound=self._heard,
                max_sides=reproducible_sides(options),
                workers=options.workers,
                # not priced again with the rows between classes: that is the sequential bound
                # over every class at once, which may take longer than all the rest, and its
                # clock time, spent before the search, is not in the reproducible budget
                together=False,
            )
            self.cut_by_clock = self.result.seconds > clock_seconds and not should_stop()
            self._process = None
            return
        context = multiprocessing.get_context("spawn")
        self._messages = context.Queue()
        self._stop = context.Event()
        self._process = context.Process(
            target=relaxed_bound_process if relaxed else week_bound_process,
            args=(cand.scenario, relaxed_seconds if relaxed else options.time_limit),
            kwargs={
                "params": options.params,
                "stop": self._stop,
                "messages": self._messages,
                **({"weeks_after": weeks_after, "known": dict(known or {})} if relaxed else {}),
            },
            daemon=True,
        )
        self._process.start()
        self._listener = threading.Thread(target=self._listen, daemon=True)
        self._listener.start()

    def _heard(self, bound: int, weeks: Weeks) -> None:
        self._best = bound
        self._keep(weeks)
        self._tracker.new_bound(bound)

    def _keep(self, weeks: Weeks) -> None:
        if weeks and weeks not in self._weeks:
            self._weeks = [*self._weeks, weeks]  # a new list: the search may be reading the old

    def _listen(self) -> None:
        while True:
            try:
                message = self._messages.get()
            except (EOFError, OSError, ValueError):  # the process was ended mid-message
                return
            if isinstance(message, WeekBound):
                self.result = message
                self._keep(message.weeks)
                return
            self._heard(*message)

    @property
    def needs_a_core(self) -> bool:
        """Whether the bound's process is still at work. It runs at the search's priority, and
        the search leaves it a core (one CP-SAT worker) until it is done: its weeks plan better
        than the search alone, and only it can prove a plan optimal. At a lower priority, or
        sharing its core with the search, it finishes far later, or not within the time limit on
        a busy machine, and the proof it alone can give comes too late to end the search early.
        The relaxed weeks' bound takes a core only where no core is free, for the first
        ``[bound] relaxed_share`` of the time at most, where its weeks plan better than the search
        alone (``[bound] relaxed_legs``)."""
        return self._takes_a_core and self._process is not None and self._listener.is_alive()

    @property
    def weeks_pending(self) -> bool:
        """Whether the relaxed weeks' bound is still at work on the weeks it will send once:
        the search waits for them rather than stop."""
        return self._relaxed and not self._weeks and self._process is not None and self._listener.is_alive()

    def weeks(self) -> list[dict[str, list[DayChoice]]]:
        """Each set of weeks heard so far, in order, each class's as construction days: with
        one worker, every set the bound went through is known at once (``by_class.improve``
        tries the newest first: once the branching is done, the last set holds every class's
        real week of the relaxation, the likeliest to plan at the bound)."""
        return [
            {
                class_id: [DayChoice(tuple(sorted(sites)), end) for sites, end in days]
                for class_id, days in weeks.items()
            }
            for weeks in self._weeks
        ]

    def finish(self, seconds: float, interrupted: Callable[[], bool]) -> int | None:
        """Let the bound run for at most ``seconds`` more (the search may end before the time
        limit) unless interrupted or it already meets the best plan, then stop it where it is;
        its best value, or None if it had none yet."""
        if self._process is not None:
            deadline = time.monotonic() + seconds

            def proven() -> bool:
                return self._best is not None and self._tracker.best <= self._best

            while self._listener.is_alive() and time.monotonic() < deadline and not interrupted() and not proven():
                self._listener.join(timeout=0.1)
            self._stop.set()
            # a bound that meets the plan needs nothing more from the process
            self._listener.join(timeout=0 if proven() else self._finish_seconds)
            if self._process.is_alive():
                self._process.terminate()
        return self.result.bound if self.result is not None else self._best


def week_bound_process(scenario: Scenario, seconds: float, *, params: SolverParams, stop, messages) -> None:
    """The week bound in its own process: each better bound, then the result, on ``messages``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the solve decides
    _put_result(
        messages,
        lambda: week_bound(
            Candidates(scenario),
            seconds,
            params=params,
            should_stop=stop.is_set,
            on_bound=lambda *news: messages.put(news),
        ),
    )


def relaxed_bound_process(
    scenario: Scenario,
    seconds: float,
    *,
    params: SolverParams,
    stop,
    messages,
    weeks_after: float = math.inf,
    known: Mapping[str, KnownWeek] | None = None,
) -> None:
    """The relaxed weeks' bound in its own process, for ``seconds``: each better bound (with no
    weeks), the weeks once (when the master settles or after ``weeks_after`` seconds), then the
    result (with those weeks, if they came), on ``messages``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the solve decides

    def computed() -> WeekBound:
        found = relaxed_week_bound(
            Candidates(scenario),
            seconds,
            params=params.bound,
            should_stop=stop.is_set,
            on_bound=lambda bound: messages.put((bound, {})),
            on_weeks=lambda bound, weeks: messages.put((bound, weeks)),
            weeks_after=weeks_after,
            known=known,
        )
        return WeekBound(found.bound, found.pricings, 0, found.seconds, weeks=found.weeks)

    _put_result(messages, computed)


def _put_result(messages, compute: Callable[[], WeekBound]) -> None:
    """``compute``'s result on ``messages``; a failure as a result without a bound: the bound is
    an extra, and its failure must not spoil the plan's output."""
    try:
        result = compute()
    except Exception as error:
        result = WeekBound(None, 0, 0, 0.0, f"internal error: {error!r}")
    messages.put(result)


def free_cores(options: SolveOptions) -> int:
    """The cores this process may use that the search's workers leave free."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    return max(0, usable - options.workers)


def reproducible_sides(options: SolveOptions) -> int:
    """The most sides of the branching a reproducible run gives the bound: in proportion to its
    time limit (``reproducible_sides_per_second``), at most ``reproducible_sides``."""
    bound = options.params.bound
    return max(1, min(bound.reproducible_sides, math.ceil(bound.reproducible_sides_per_second * options.time_limit)))
