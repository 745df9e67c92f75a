"""The OPHS importer (``scheduler/ophs.py``) and the solver on OPHS instances.

OPHS is the Orienteering Problem with Hotel Selection (``../shared/benchmarks/ophs/README.md``):
a tour over D days, each day a trip of limited length between hotels, collecting each point's
score at most once. The benchmark's convention: a distance counts as ``floor(100 d)``
hundredths, a trip limit as ``floor(100 T)``.

Everything this file knows about an instance it reads itself, in plain Python with exact
arithmetic (``Fraction``), independently of the importer: the optimum of the hand-written
instance ``data/ophs/two-days.ophs`` comes from enumerating every trip, not from a solver.
"""

from __future__ import annotations

import csv
import itertools
import math
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest
from helpers import DATA, ROOT

from scheduler.analysis.check import assert_valid
from scheduler.instances.ophs import OphsFormatError, import_ophs, read_ophs, score_of
from scheduler.plan.model import Plan
from scheduler.scenario.loading import load_scenario
from scheduler.scenario.model import Scenario
from scheduler.scenario.travel import TravelTable, to_hundredths
from scheduler.solver import SolveOptions, solve

REPO = ROOT
TWO_DAYS = DATA / "ophs" / "two-days.ophs"
BENCHMARK = ROOT.parent / "shared" / "benchmarks" / "ophs"
"""The benchmark beside the repository (CI clones ``shared`` next to it)."""
REAL_SET, REAL_NAME = "SET_1-2", "T1-65-1-2"
"""A small real instance: 30 points, 2 trips, 1 extra hotel."""


# ---------------------------------------------------------------------------
# An instance read independently of the importer, with exact arithmetic


@dataclass(frozen=True)
class Raw:
    hotels: list[tuple[Fraction, Fraction]]  # start, end, then the extra hotels
    points: list[tuple[Fraction, Fraction, int]]  # x, y, score
    limits: list[Fraction]  # per trip


def read_raw(path: Path) -> Raw:
    rows = [line.split() for line in path.read_text().splitlines()]
    rows = [row for row in rows if row and not set("".join(row)) <= {"-"}]
    vertices, extra_hotels, days = (int(field) for field in rows[0])
    limits = [Fraction(field) for field in rows[2]]
    assert len(limits) == days
    locations = [(Fraction(x), Fraction(y), int(Fraction(s))) for x, y, s in rows[3 : 3 + vertices + extra_hotels]]
    hotels = [(x, y) for x, y, _ in locations[: 2 + extra_hotels]]
    return Raw(hotels, locations[2 + extra_hotels :], limits)


def floor_hundredths(a: tuple[Fraction, ...], b: tuple[Fraction, ...]) -> int:
    """``floor(100 d)`` exactly: floor(sqrt(q)) == isqrt(floor(q)) for a rational q >= 0."""
    return math.isqrt(math.floor(10000 * ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2)))


def exact_length(a: tuple[Fraction, ...], b: tuple[Fraction, ...]) -> float:
    return math.hypot(float(a[0] - b[0]), float(a[1] - b[1]))


def enumerate_optimum(raw: Raw, length: Callable, limits: list) -> tuple[int, list[tuple[int, tuple[int, ...]]]]:
    """The best score over every tour, by enumeration: for every pair of hotels, every ordered
    sequence of points between them (the shortest order of each set kept), then every choice of
    nights and of disjoint point sets day by day. Returns the score and one best tour as
    ``(night hotel, points in order)`` per day (hotels and points numbered as in the file)."""
    hotels, points = raw.hotels, raw.points
    places = [*hotels, *points]  # hotel h is place h, point p is place len(hotels) + p
    dist = [[length(a, b) for b in places] for a in places]
    trips: dict[tuple[int, int], dict[frozenset[int], tuple[float, tuple[int, ...]]]] = {}

    def extend(start: int, order: tuple[int, ...], driven: float) -> None:
        """Every ordered sequence of points from ``start``, grown depth first."""
        here = len(hotels) + order[-1] if order else start
        for end in range(len(hotels)):
            total, chosen = driven + dist[here][end], frozenset(order)
            best = trips.setdefault((start, end), {})
            if chosen not in best or total < best[chosen][0]:
                best[chosen] = (total, order)
        for p in range(len(points)):
            if p not in order:
                extend(start, (*order, p), driven + dist[here][len(hotels) + p])

    for start in range(len(hotels)):
        extend(start, (), 0)
    # states after each day: (hotel, points used) -> (score, tour so far)
    states: dict[tuple[int, frozenset[int]], tuple[int, list]] = {(0, frozenset()): (0, [])}
    for day, limit in enumerate(limits):
        last = day == len(limits) - 1
        following: dict[tuple[int, frozenset[int]], tuple[int, list]] = {}
        for (a, used), (score, tour) in states.items():
            for b in [1] if last else range(len(hotels)):
                for chosen, (total, order) in trips[(a, b)].items():
                    if total > limit or chosen & used:
                        continue
                    key = (b, used | chosen)
                    gained = score + sum(points[p][2] for p in chosen)
                    if key not in following or gained > following[key][0]:
                        following[key] = (gained, tour + [(b, order)])
        states = following
    return max(states.values(), key=lambda state: state[0])


def truncated_limits(raw: Raw) -> list[int]:
    return [math.floor(100 * limit) for limit in raw.limits]


# ---------------------------------------------------------------------------
# A plan read back as an OPHS tour


def days_of(scenario: Scenario, plan: Plan) -> list[tuple[list[str], list[str]]]:
    """Per day: the places driven through (from the morning's place to the night's) and the
    sites visited; asserts that the legs join up and that the day ends where the class sleeps."""
    klass = scenario.classes[0]
    where = klass.start_place
    out = []
    for day in range(scenario.programme.days):
        date = scenario.programme.date_of(day)
        events = plan.events_of(klass.id, date)
        route = [where]
        for leg in (e for e in events if e.kind == "travel"):
            assert leg.from_place == route[-1], f"day {day + 1}: a leg from {leg.from_place} after {route[-1]}"
            route.append(leg.to_place)
        night = plan.night_of(klass.id, date) if day < scenario.programme.days - 1 else klass.end_place
        assert route[-1] == night, f"day {day + 1} ends at {route[-1]}, the night is at {night}"
        out.append((route, [e.site for e in events if e.kind == "field_visit"]))
        where = night
    return out


def driving_of_day(table: TravelTable, route: list[str]) -> int:
    return sum(table.driving_hundredths(a, b) for a, b in itertools.pairwise(route))


# ---------------------------------------------------------------------------
# (a) the hand-written instance: the solver reaches the enumerated optimum


@pytest.fixture(scope="module")
def two_days() -> Scenario:
    return import_ophs(TWO_DAYS)


@pytest.fixture(scope="module")
def two_days_solved(two_days: Scenario):
    result = solve(two_days, SolveOptions(time_limit=5.0, workers=2, seed=0))
    assert result.plan is not None, result.status
    return result


def test_enumerated_optimum_of_the_hand_written_instance_depends_on_truncation():
    """The instance is made so that truncating to hundredths matters: its best tour is longer
    than the limits in exact distances (and 23 was also found by a Held-Karp search when the
    instance was written)."""
    raw = read_raw(TWO_DAYS)
    truncated, _ = enumerate_optimum(raw, floor_hundredths, truncated_limits(raw))
    exact, _ = enumerate_optimum(raw, exact_length, [float(limit) for limit in raw.limits])
    assert truncated == 23
    assert exact < truncated


def test_solver_reaches_the_enumerated_optimum(two_days: Scenario, two_days_solved):
    raw = read_raw(TWO_DAYS)
    optimum, best_tour = enumerate_optimum(raw, floor_hundredths, truncated_limits(raw))
    plan = two_days_solved.plan
    assert_valid(two_days, plan)
    score = score_of(two_days, plan)
    assert score == optimum, f"solver {score}, enumeration {optimum} with {best_tour}"
    assert two_days_solved.stats.objective == -score  # only the score counts in the objective


def test_solved_tour_is_an_ophs_tour(two_days: Scenario, two_days_solved):
    """Read back as OPHS: each day within its truncated limit, each point scored once."""
    raw = read_raw(TWO_DAYS)
    table = TravelTable(two_days)
    days = days_of(two_days, two_days_solved.plan)
    for (route, _), limit in zip(days, truncated_limits(raw), strict=True):
        assert driving_of_day(table, route) <= limit
    visited = [site for _, sites in days for site in sites]
    assert len(visited) == len(set(visited))


# ---------------------------------------------------------------------------
# (b) bad files: OphsFormatError naming the line; the command exits 2 without a traceback

GOOD_LINES = TWO_DAYS.read_text().splitlines()


def _with(changes: dict[int, str | None], extra: tuple[str, ...] = ()) -> str:
    """The hand-written instance with lines replaced (None: removed), numbered from 1."""
    lines = [changes.get(number, line) for number, line in enumerate(GOOD_LINES, start=1)]
    return "\n".join(line for line in lines if line is not None) + "\n" + "".join(f"{x}\n" for x in extra)


BAD = [
    # header with two fields instead of N H D
    pytest.param(_with({1: "9 1"}), 1, "2 fields (expected 3", id="short-header"),
    # N H D must be whole numbers
    pytest.param(_with({1: "9.5 1 2"}), 1, "whole numbers", id="fractional-header"),
    # one trip limit where the header says two days
    pytest.param(_with({3: "8.069"}), 3, "1 fields (expected 2", id="trip-limits-count"),
    # a location's coordinate is not a number
    pytest.param(_with({7: "4.461 north 6"}), 7, "is not numbers", id="not-a-number"),
    # a score must be a whole number
    pytest.param(_with({8: "-0.7 6.4 7.5"}), 8, "score 7.5", id="fractional-score"),
    # a blank line and a comment-free file: the line is the file's, not the row's
    pytest.param("\n" + _with({9: "5.01 4.419"}), 10, "2 fields (expected 3", id="line-counts-blank-lines"),
    # a location more than N + H
    pytest.param(_with({}, ("1 1 1",)), len(GOOD_LINES) + 1, "more lines than", id="extra-location"),
]


@pytest.mark.parametrize(("text", "line", "fragment"), BAD)
def test_bad_file_names_the_line(tmp_path: Path, text: str, line: int, fragment: str):
    path = tmp_path / "bad.ophs"
    path.write_text(text)
    with pytest.raises(OphsFormatError) as raised:
        read_ophs(path)
    assert f"{path}:{line}:" in str(raised.value)
    assert fragment in str(raised.value)


def test_file_that_ends_early_says_what_is_missing(tmp_path: Path):
    path = tmp_path / "short.ophs"
    path.write_text("\n".join(GOOD_LINES[:6]) + "\n")
    with pytest.raises(OphsFormatError, match="ends before x y score"):
        read_ophs(path)


def test_total_limit_below_the_trip_limits_is_refused(tmp_path: Path):
    path = tmp_path / "tmax.ophs"
    path.write_text(_with({2: "20"}))
    with pytest.raises(OphsFormatError, match="Tmax"):
        import_ophs(path)


def _command(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scheduler.instances.ophs", *map(str, args)], cwd=REPO, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_with({7: "4.461 north 6"}), ":7: "),  # a bad line: named
        (None, "No such file"),  # no file at all
    ],
)
def test_command_exits_2_with_a_clear_message(tmp_path: Path, text: str | None, expected: str):
    path = tmp_path / "bad.ophs"
    if text is not None:
        path.write_text(text)
    done = _command(path)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and expected in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_command_writes_a_scenario_that_loads_back(tmp_path: Path, two_days: Scenario):
    out = tmp_path / "two-days.yaml"
    done = _command(TWO_DAYS, "-o", out)
    assert done.returncode == 0, done.stderr
    assert load_scenario(out) == two_days


# ---------------------------------------------------------------------------
# (c) a real instance: a valid plan, never above the proven optimum


def proven_optimum(set_name: str, name: str) -> int:
    with open(BENCHMARK / "optima.csv", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if (row["set"], row["instance"]) == (set_name, name)]
    assert len(rows) == 1, f"{set_name}/{name} in optima.csv: {len(rows)} rows"
    return int(rows[0]["optimal_score"])


def test_real_instance_plan_is_valid_and_within_the_optimum():
    path = BENCHMARK / REAL_SET / f"{REAL_NAME}.ophs"
    assert path.exists(), f"{path} is missing: clone the shared benchmarks beside the repository"
    scenario = import_ophs(path)
    result = solve(scenario, SolveOptions(time_limit=8.0, workers=2, seed=0))
    assert result.plan is not None, result.status
    assert_valid(scenario, result.plan)
    score = score_of(scenario, result.plan)
    assert 0 < score <= proven_optimum(REAL_SET, REAL_NAME), score
    raw, table = read_raw(path), TravelTable(scenario)
    days = days_of(scenario, result.plan)
    for day, ((route, _), limit) in enumerate(zip(days, truncated_limits(raw), strict=True), start=1):
        assert driving_of_day(table, route) <= limit, f"day {day}: {route}"
    visited = [site for _, sites in days for site in sites]
    assert len(visited) == len(set(visited))


# ---------------------------------------------------------------------------
# (d) what the import says: sites, lodging, limits, distances


def test_points_become_sites_valued_at_their_score(two_days: Scenario):
    raw = read_raw(TWO_DAYS)
    assert [site.value for site in two_days.sites] == [score for _, _, score in raw.points]
    assert len({site.place for site in two_days.sites}) == len(raw.points)
    assert two_days.weights.site_value > 0
    assert (two_days.weights.coach_minute, two_days.weights.theme_fit) == (0, 0)


def test_hotels_become_lodging_and_the_tour_runs_between_the_first_two(two_days: Scenario):
    raw = read_raw(TWO_DAYS)
    hotels = [lodging.place for lodging in two_days.lodging]
    assert len(hotels) == len(raw.hotels) and all(lodging.classes_per_night == 1 for lodging in two_days.lodging)
    assert not set(hotels) & {site.place for site in two_days.sites}
    (klass,) = two_days.classes
    assert (klass.start_place, klass.end_place) == (hotels[0], hotels[1])
    assert two_days.programme.days == len(raw.limits)


def test_trip_limits_are_truncated_to_the_hundredth(two_days: Scenario):
    """8.069 and 14.104 in the file: 8.06 and 14.10 (rounding would give 8.07)."""
    limits = {o.day: o.max_coach_minutes for o in two_days.programme.day_overrides}
    assert {day: to_hundredths(minutes) for day, minutes in limits.items()} == {1: 806, 2: 1410}
    assert limits == {day + 1: limit / 100 for day, limit in enumerate(truncated_limits(read_raw(TWO_DAYS)))}


def test_distances_are_truncated_to_the_hundredth(two_days: Scenario):
    """Every leg, both ways, is floor(100 d) hundredths; the instance has legs where rounding differs."""
    raw = read_raw(TWO_DAYS)
    locations = {lodging.place: raw.hotels[i] for i, lodging in enumerate(two_days.lodging)}
    locations |= {site.place: raw.points[i] for i, site in enumerate(two_days.sites)}
    table = TravelTable(two_days)
    rounding_differs = 0
    for a, b in itertools.permutations(locations, 2):
        expected = floor_hundredths(locations[a], locations[b])
        assert table.driving_hundredths(a, b) == expected, (a, b)
        rounding_differs += round(100 * exact_length(locations[a], locations[b])) != expected
    assert rounding_differs > 0
    assert len(two_days.travel.overrides) == math.comb(len(locations), 2)
