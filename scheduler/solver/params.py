"""The solver's tuning parameters: one frozen object, passed down explicitly.

`SolverParams` gathers a part per component (the stages of a whole-model solve, class by class,
the focus that cuts large programmes down, the construction, the route search, large-neighbourhood
search, the week bound, re-planning, diagnosis, CP-SAT itself). Every field has the default the
solver is tuned with; none changes what a plan must satisfy, only how hard and where the search
looks. A TOML file (``solve.py --params FILE``) sets any of them, one table per part::

    [stages]
    lns_share = 0.9

    [construction]
    beam_width = 16

``solve.py --show-params`` prints them all in that form. What is wrong with such a file is said
in `ParamsMessage` sentences, in English or Chinese (``WORDS``).
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scheduler.scenario.reading import system_reason
from scheduler.scenario.wording import Message

WORDS: dict[str, tuple[str, str]] = {
    # key -> (Chinese, English): what is wrong with a parameters file, each sentence after the
    # file and the parameter's path (``stages.lns_share``), as the scenario's messages are said
    "cannot_read": ("{file}: 无法读取：{reason}", "{file}: cannot read: {reason}"),
    "not_utf8": (
        "{file}: 不是 UTF-8 文本（应为 TOML 格式的参数文件）",
        "{file}: not UTF-8 text (expected a TOML file of parameters)",
    ),
    "not_toml_at": ("{file}: 不是有效的 TOML（第 {line} 行第 {column} 列有误）", "{file}: not TOML: {reason}"),
    "not_toml": ("{file}: 不是有效的 TOML", "{file}: not TOML: {reason}"),
    "unknown_part": (
        "{file}: [{name}]：未知的部分（应为以下之一：{allowed}）",
        "{file}: [{name}]: unknown part (expected one of {allowed})",
    ),
    "not_a_table": ("{file}: {name}：应为参数表 [{name}]", "{file}: {name}: expected a table [{name}] of parameters"),
    "unknown_parameter": (
        "{where}.{key}：未知的参数（应为以下之一：{allowed}）",
        "{where}.{key}: unknown parameter (expected one of {allowed})",
    ),
    "bad_value": ("{where}.{key}：{problem}", "{where}.{key}: {problem}"),
    "not_a_number": (
        "{value} 不是数字（应为数字，例如 {default}）",
        "{value} is not a number (expected a number like {default})",
    ),
    "not_whole": (
        "{value} 不是整数（应为整数，例如 {default}）",
        "{value} is not a whole number (expected a whole number like {default})",
    ),
    "not_above": ("{value} 太小（应大于 {low}）", "{value} is too small (expected above {low})"),
    "below": ("{value} 太小（应不小于 {low}）", "{value} is too small (expected at least {low})"),
    "above": ("{value} 太大（应至多 {high}）", "{value} is too large (expected at most {high})"),
}


class ParamsMessage(Message):
    """A sentence about a parameters file: its English wording (a ``str``), which
    ``in_language("zh")`` words in Chinese; the file, the parameters' names and the values stay
    as written."""

    words = WORDS


_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _share(default: float, doc: str) -> Any:
    return field(default=default, metadata={"low": 0.0, "high": 1.0, "doc": doc})


def _positive(default: float | int, doc: str) -> Any:
    return field(default=default, metadata={"low": 0, "above_low": True, "doc": doc})


def _at_least(low: float | int, default: float | int, doc: str) -> Any:
    return field(default=default, metadata={"low": low, "doc": doc})


@dataclass(frozen=True)
class StageParams:
    """The stages of a whole-model solve, as shares of the time limit."""

    first_plan_share: float = _share(0.15, "for setting the clock times of the first plan's choices")
    coarse_share: float = _share(0.25, "for the untimed model, when the constructive plan cannot be completed")
    route_share: float = _share(0.1, "for the route search on the constructive routes (counted in work, not seconds)")
    route_share_when_slack: float = _share(
        0.25,
        "the same where no clock time can bind: the routes are then the whole plan, and the route search, which "
        "times each route exactly, improves them faster than CP-SAT",
    )
    coarse_polish_until: float = _share(
        0.5, "the untimed search runs until this share (until lns_share where no clock time can bind)"
    )
    coarse_slice: float = _share(0.1, "each slice of the untimed search (at least 3 s)")
    lns_share: float = _share(0.85, "large-neighbourhood search runs until this share; the full model gets the rest")


@dataclass(frozen=True)
class ClassByClassParams:
    """Programmes planned one class at a time."""

    stall_seconds: float = _positive(
        1.0,
        "a class's re-plan stops once this long passes without a better plan (wall clock: never in a reproducible run)",
    )
    slice_seconds: float = _positive(5.0, "at most this long for one class's re-plan")
    balance_seconds: float = _at_least(0, 10.0, "at most this long kept for the whole model's last pass")
    balance_share: float = _share(0.1, "and at most this share of the time limit")
    class_seconds_floor: float = _at_least(0, 3.0, "least seconds a class's completion may take in the first plan")
    failed_class_share: float = _share(
        0.5,
        "share of the time left a class may take in the next attempt at a first plan after it could not be planned",
    )
    first_class_retries: int = _at_least(
        0, 1, "attempts more for a class that cannot be planned even first, while time is left"
    )
    quick_completion_seconds: float = _at_least(
        0,
        1.0,
        "seconds a class's kept nights and visits are first completed without presolve on one worker "
        "(0: never); past them the completion runs with presolve",
    )
    full_completion_after: float = _at_least(
        0,
        0.25,
        "seconds after which, the quick completion having found nothing yet, the completion with presolve "
        "starts beside it, the first plan found winning (free-running runs; a reproducible run waits "
        "for the quick one to end)",
    )
    week_class_seconds: float = _positive(5.0, "seconds per class when the programme is planned from the bound's weeks")
    relaxed_week_seconds: float = _at_least(
        0,
        2.0,
        "past the week bound's size, in free-running runs: seconds of a class's relaxed weeks' master, alone around "
        "the others, whose favourite week its first re-plan starts from (0: re-plans start from the current week)",
    )


@dataclass(frozen=True)
class FocusParams:
    """When a programme is too large to model whole, and how its candidates are cut down."""

    full_model_legs: int = _at_least(
        0, 150_000, "coach legs over all class-days above which the whole model is never built"
    )
    by_class_legs: int = _at_least(
        0,
        1_000,
        "coach legs above which several classes are planned one at a time (and get the week bound, up to "
        "week_bound_legs): past a few hundred legs the whole model's own bound stays far below its plans",
    )
    week_bound_legs: int = _at_least(
        0, 60_000, "coach legs up to which a programme planned one class at a time also gets the week bound"
    )
    sites_per_day: int = _at_least(0, 12, "sites kept per class-day besides the plan's own and the must-visit sites")
    lodging_per_night: int = _at_least(1, 3, "lodging kept per class-night: the plan's and the nearest others")


@dataclass(frozen=True)
class ConstructionParams:
    """The constructive plan's beam search."""

    beam_width: int = _at_least(1, 12, "states kept per day of a class")
    min_beam_width: int = _at_least(1, 6, "the least width, however large the programme")
    beam_budget: int = _at_least(1, 2_000, "states over all class-days: the width shrinks past it")
    pool_limit: int = _at_least(
        1, 30, "sites tried for insertion into a day's route: those with the least detour (must-visits always)"
    )
    end_choices: int = _at_least(1, 6, "evening places tried per state: staying put and the most promising others")
    wider_retries: int = _at_least(
        0, 2, "a class the beam cannot plan is tried again this many times, each with a beam 4 times wider"
    )


@dataclass(frozen=True)
class RouteSearchParams:
    """The iterated local search on the constructive routes."""

    work_per_second: int = _positive(2_000_000, "work units per second of budget (a unit is one leg looked up)")
    stale_shakes_per_site: int = _at_least(1, 60, "a walk ends after this many shakes per usable site without gain")
    tie_break_per_minute: float = _at_least(
        0, 1e-6, "worth of a minute less driving where coach minutes have no weight: far below any site's worth"
    )
    swap_days_share: float = _share(0.1, "share of the shakes that swap two days' visits")
    max_lodging_sequences: int = _at_least(
        1, 32, "walks per class: every sequence of its movable nights up to this many, else a sample"
    )
    pyvrp_share: float = _share(
        0.5,
        "share of a class's budget for PyVRP on its lodging sequences before the walks, which start from "
        "PyVRP's weeks where those are better (0: the route search alone)",
    )
    pyvrp_probe_share: float = _share(
        0.1,
        "share of PyVRP's part for a first try on the constructive lodging sequence alone; where its week is not "
        "kept, the rest goes back to the walks",
    )
    pyvrp_iterations_per_second: float = _positive(
        2_000.0, "PyVRP iterations per second of budget (its work is counted in iterations, not seconds)"
    )
    searches: int = _at_least(
        1,
        2,
        "independent searches (other random numbers, the whole budget each), the best kept: side by side where "
        "the solve has as many workers, else one after another",
    )


@dataclass(frozen=True)
class LnsParams:
    """Large-neighbourhood search."""

    window_days: int = _at_least(1, 3, "days freed together in a class-and-days part")
    min_sites: int = _at_least(1, 8, "site parts free at least this many sites, for classes with more candidates")


@dataclass(frozen=True)
class BoundParams:
    """The lower bound from whole weeks of day routes."""

    route_budget: int = _positive(300_000, "most partial day routes listed before the listing gives up")
    generation_budget: int = _positive(
        3_000_000, "most partial day routes one search from a morning place may explore when routes are generated"
    )
    max_tracked: int = _at_least(0, 11, "most sites a class's week remembers (each doubles the pricing's states)")
    weeks_per_pricing: int = _at_least(
        1, 1, "weeks each pricing of the relaxed weeks' bound adds to its master: the cheapest of as many sets of sites"
    )
    marked_sites: int = _at_least(0, 5, "most must-visit sites the bounds on a week's ends follow")
    max_topic_groups: int = _at_least(1, 8, "most lecture topics of a class whose every group gets a row")
    first_margin: float = _positive(
        1.0, "how far above the least a week could cost a generated pricing's first target lies"
    )
    balance_seconds: float = _positive(10.0, "time for the lecturers' balance bound")
    reproducible_sides: int = _at_least(
        1, 200, "most sides of each class's branching where the run must be reproducible"
    )
    reproducible_sides_per_second: float = _positive(
        5.0,
        "where the run must be reproducible, sides of the branching per second of the time limit (a measure of "
        "work, not of time: the bound is computed before the search)",
    )
    reproducible_legs_per_second: float = _positive(
        1_000.0,
        "a reproducible run gets the week bound only where the programme has at most this many coach legs per "
        "second of its time limit: computed before the search, the bound's route listing grows with them, and "
        "on a short run it would take the whole time on the clock",
    )
    reproducible_routes_per_second: float = _positive(
        16_000.0,
        "where the run must be reproducible, the day routes the week bound lists and prices per second of the "
        "time limit it is charged (a measure of work, not of time: the bound is computed before the search, "
        "and the search gets the rest of the limit)",
    )
    finish_seconds: float = _at_least(0, 1.0, "how long the end of a solve waits for the bound's process to stop")
    relaxed_share: float = _share(
        0.4,
        "past the week bound's size, up to relaxed_legs, where the search's workers leave no core free: the share "
        "of the time limit, from the first plan, for which the relaxed weeks' bound takes one of their cores, its "
        "weeks planned from when its master settles or at the share's end (free-running runs only; where a core "
        "is free it works there for the time left, its weeks after this share at the latest)",
    )
    relaxed_min_seconds: float = _at_least(
        0,
        20.0,
        "the least time the relaxed weeks' bound is given on one of the search's cores: with less, its master does "
        "not settle and the core costs more plan than the bound tells",
    )
    bound_only_share: float = _share(
        0.0,
        "past relaxed_legs, where the search's workers leave no core free: the share of the time limit, from the "
        "first plan, for which the relaxed weeks' bound takes one of their cores for its bound alone, its weeks not "
        "planned from (0: none, so such a run reports no bound; there the bound is weak and its core costs the plan "
        "more than the bound tells, so set it only to learn how far a plan could be from the best)",
    )
    relaxed_legs: int = _at_least(
        0,
        120_000,
        "coach legs over all class-days above which the search neither plans from the relaxed weeks' bound nor "
        "gives it a core of its own (it still works on a free core): past it its master is far from settled "
        "when its weeks are wanted, and taking a core and planning from those weeks costs more than they give",
    )


@dataclass(frozen=True)
class ReplanParams:
    """Re-planning with least change."""

    first_share: float = _share(0.3, "for completing the saved plan's nights and visits (each attempt)")
    change_share: float = _share(0.6, "spent finding the fewest changes; the rest improves the goals")


@dataclass(frozen=True)
class DiagnosisParams:
    """The search for conflicting requirements and relaxations after a failed solve."""

    seconds: float = _positive(60.0, "at most this long (and never past the time limit) for the whole diagnosis")
    grace_seconds: float = _positive(
        5.0,
        "beyond its seconds, what the diagnosis's own process may take to start and build models before it is ended",
    )
    grace_share: float = _positive(0.1, "the same as a share of its seconds, when that is more")
    memory_mb: int = _at_least(
        256, 2048, "most memory (MB) the diagnosis's own process may use beyond a fresh interpreter"
    )
    check_seconds: float = _positive(10.0, "one feasibility check of a set of requirements")
    witness_seconds: float = _positive(5.0, "for the full model to time a constructive plan")
    quick_seconds: float = _positive(3.0, "a check without presolve, tried before the full checks")
    relaxation_seconds: float = _positive(5.0, "how long each suggested relaxation is tried")
    trade_off_seconds: float = _positive(
        5.0, "--explain: how long the best plan forcing one goal a step better is sought"
    )


@dataclass(frozen=True)
class CpSatParams:
    """CP-SAT's own parameters that the solver sets on every search (``cpsat.engine.configure``)."""

    probing_level: int = _at_least(
        1,
        1,
        "presolve probing: full probing costs seconds on the day circuits and finds little; level 0 reports some "
        "feasible re-planning models as infeasible in OR-Tools 9.15",
    )
    deterministic_per_second: float = _positive(
        0.3,
        "a reproducible run's CP-SAT deterministic time per second of its time limit: deterministic time runs "
        "slower than the clock in many small solves and the model building beside them, so that the run takes "
        "about its limit on the clock",
    )
    reproducible_clock_cap: float = _at_least(
        1,
        2.0,
        "a reproducible run ends at this multiple of its time limit on the clock whatever work it has left, "
        "and then says that another run may differ",
    )


@dataclass(frozen=True)
class SolverParams:
    """Every tuning parameter of the solver, a part per component."""

    stages: StageParams = field(default_factory=StageParams)
    class_by_class: ClassByClassParams = field(default_factory=ClassByClassParams)
    focus: FocusParams = field(default_factory=FocusParams)
    construction: ConstructionParams = field(default_factory=ConstructionParams)
    route_search: RouteSearchParams = field(default_factory=RouteSearchParams)
    lns: LnsParams = field(default_factory=LnsParams)
    bound: BoundParams = field(default_factory=BoundParams)
    replan: ReplanParams = field(default_factory=ReplanParams)
    diagnosis: DiagnosisParams = field(default_factory=DiagnosisParams)
    cpsat: CpSatParams = field(default_factory=CpSatParams)

    @classmethod
    def from_toml(cls, path: str | Path) -> SolverParams:
        """Read a TOML file of parameters (any subset); the rest keep their defaults.

        Raises
        ------
        ParamsError
            With every problem of the file, each naming the parameter and what was expected.
        """
        file = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise ParamsError([ParamsMessage("cannot_read", file=file, reason=system_reason(error))]) from None
        except UnicodeDecodeError:
            raise ParamsError([ParamsMessage("not_utf8", file=file)]) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            place = _TOML_PLACE.search(str(error))
            if place is None:
                raise ParamsError([ParamsMessage("not_toml", file=file, reason=error)]) from None
            line, column = place.groups()
            raise ParamsError(
                [ParamsMessage("not_toml_at", file=file, reason=error, line=line, column=column)]
            ) from None
        return cls.from_mapping(data, file)

    @classmethod
    def from_mapping(cls, data: dict[str, Any], file: str = "parameters") -> SolverParams:
        """Parameters from a mapping of parts to mappings of values (as the TOML file holds)."""
        problems: list[ParamsMessage] = []
        parts: dict[str, Any] = {}
        kinds = {f.name: f.default_factory for f in dataclasses.fields(cls)}
        for name, values in data.items():
            if name not in kinds:
                problems.append(ParamsMessage("unknown_part", file=file, name=name, allowed=tuple(kinds)))
            elif not isinstance(values, dict):
                problems.append(ParamsMessage("not_a_table", file=file, name=name))
            else:
                part, found = _part(kinds[name](), values, f"{file}: {name}")
                parts[name] = part
                problems += found
        if problems:
            raise ParamsError(problems)
        return cls(**parts)

    def to_toml(self) -> str:
        """Every parameter as TOML, a table per part with each field's meaning as a comment."""
        lines: list[str] = []
        for part_field in dataclasses.fields(self):
            part = getattr(self, part_field.name)
            lines.append(f"[{part_field.name}]  # {type(part).__doc__.splitlines()[0]}")
            for f in dataclasses.fields(part):
                lines.append(f"{f.name} = {_toml_value(getattr(part, f.name))}  # {f.metadata['doc']}")
            lines.append("")
        return "\n".join(lines)


class ParamsError(ValueError):
    """A parameters file that cannot be used, with every problem found in it: each a
    `ParamsMessage`, the file and the parameter's path first."""

    def __init__(self, problems: list[ParamsMessage]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _part(default: Any, values: dict[str, Any], where: str) -> tuple[Any, list[ParamsMessage]]:
    """The part with ``values`` set, and what is wrong with them."""
    fields = {f.name: f for f in dataclasses.fields(default)}
    problems: list[ParamsMessage] = []
    changes: dict[str, Any] = {}
    for key, value in values.items():
        spec = fields.get(key)
        if spec is None:
            problems.append(ParamsMessage("unknown_parameter", where=where, key=key, allowed=tuple(fields)))
            continue
        problem = _value_problem(getattr(default, key), value, spec.metadata)
        if problem:
            problems.append(ParamsMessage("bad_value", where=where, key=key, problem=problem))
        else:
            changes[key] = float(value) if isinstance(getattr(default, key), float) else value
    return dataclasses.replace(default, **changes), problems


def _value_problem(default: Any, value: Any, meta: Any) -> ParamsMessage | None:
    shown, example = repr(value), repr(default)
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return ParamsMessage("not_a_number", value=shown, default=example)
    elif isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            return ParamsMessage("not_whole", value=shown, default=example)
    low, high = meta.get("low"), meta.get("high")
    if low is not None and (value < low or (meta.get("above_low") and value <= low)):
        return ParamsMessage("not_above" if meta.get("above_low") else "below", value=shown, low=low)
    if high is not None and value > high:
        return ParamsMessage("above", value=shown, high=high)
    return None


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}" if abs(value) >= 10_000 else str(value)
    return repr(value)
