#!/usr/bin/env python3
"""Trial (issue 23, item 4): the project's route search against PyVRP on the OPHS instances.

    python bench/pyvrp_trial.py [FILE_OR_DIR ...] [--time-limit 10] [--seed 0] [--json OUT]
                                [--split halving|equal] [--complete N] [--note TEXT]
    python bench/pyvrp_trial.py --scenario YAML [YAML ...] [--time-limit 10] [--seed 0]

With ``--scenario``, each programme's constructive plan is improved by ``improve_routes`` with
``pyvrp_share`` 0 (the route search), 1 (PyVRP's weeks, read back through the day simulation)
and the default (adopted), and each is measured by the route search's own score: what the sites
are worth less the weighted coach minutes, summed over the classes (higher is better).

Once a class's nights are fixed, planning its routes is a prize-collecting vehicle routing
problem; PyVRP is a maintained solver for that family. For each OPHS instance (default: every
``.ophs`` under ``../shared/benchmarks/ophs/``) this runs, one after the other and each
single-threaded:

1. **route_search**: the constructive skeleton (``construct``) improved by
   ``improve_routes`` with a budget of ``--time-limit`` seconds, converted to work units as the
   solver does (``RouteSearchParams.work_per_second``); it moves nights as it normally does
   (one walk per hotel sequence, successive halving). Its score is the sum of the values of
   the sites in the skeleton (what ``score_of`` gives for the plan CP-SAT completes from it;
   ``--complete N`` checks that on the first N instances, outside the timed part).
2. **PyVRP**: one problem per hotel sequence (the start and end hotels fixed, every night any
   of the H + 2 hotels; a sequence with a hotel-to-hotel leg longer than its trip is left
   out): each trip a vehicle type (one vehicle) from the hotel before it to the hotel after,
   ``max_distance`` = floor(100 T), the distance matrix floor(100 d), every point an optional
   client whose prize is its score times (sum of the trip limits + 1), unit distance cost 1.
   A feasible solution's driving is at most the sum of the limits, so one point of score
   outweighs any driving: the prize decides and driving only breaks ties, as in route_search.
   PyVRP treats the distance limit as a penalised soft constraint during its search (its best
   solution is feasible); its ``max_penalty`` is raised to 10 x the prize scale x the total
   score so that the penalty can outgrow any prize (on six hard instances at 3 s this found as
   much or more than the default, never less). The sequences
   share ``--time-limit`` seconds of wall clock by successive halving (``--split halving``,
   the default, as route_search shares its budget among its walks): each round every sequence
   still in runs for an equal share of the time left divided by the rounds left, warm-started
   from its best solution so far, and the better half by score goes on; or equally
   (``--split equal``).

3. **adopted**: what the solver does (``improve_routes`` with the default parameters): PyVRP
   on the walks' lodging sequences for ``RouteSearchParams.pyvrp_share`` of the budget, then
   the route search's walks, each started from PyVRP's week on its nights where that is better.
   Method 1 is the same search with ``pyvrp_share = 0``.

Every tour of every method is checked against the instance's own coordinates: each trip runs
from the hotel the previous one ended at (the first from the start hotel, the last to the end
hotel) within floor(100 T) hundredths, each point at most once. A score counts only from a
tour that passes. The optima (``optima.csv``) are read only to compare.

Prints a table per instance and totals per set; ``--json`` (default
``bench/pyvrp-trial-<date>.json``) is rewritten atomically after every instance. It holds
``{"runs": {"<time limit>s split=<split> seed=<seed>": {meta, instances, totals}}}``: a run
replaces only the run with its own key, so runs at several time limits share one file. A
method that fails on an instance is recorded with its error (its score counts as 0) and the run
goes on. Not a test: figures only.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import itertools
import json
import math
import sys
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ophs import DEFAULT_DIR, Instance, find_instances, machine, ratio, read_optima  # noqa: E402

from scheduler.atomic import write_text  # noqa: E402
from scheduler.instances.ophs import (  # noqa: E402
    OphsInstance,
    distance_hundredths,
    hundredths,
    read_ophs,
    scenario_data,
)
from scheduler.scenario.model import Scenario  # noqa: E402
from scheduler.solver.data.candidates import Candidates  # noqa: E402
from scheduler.solver.data.skeleton import Skeleton  # noqa: E402
from scheduler.solver.heuristics.construct import construct  # noqa: E402
from scheduler.solver.heuristics.route_search import improve_routes  # noqa: E402
from scheduler.solver.params import RouteSearchParams, SolverParams  # noqa: E402

METHODS = ("route_search", "pyvrp", "adopted")
"""The hand-written search alone (``pyvrp_share = 0``), PyVRP alone (this trial's own loop over
the hotel sequences), and what the solver now does: the route search's walks started from
PyVRP's weeks (``improve_routes`` with the default parameters)."""
SHARES = {
    "route_search": RouteSearchParams(pyvrp_share=0.0, searches=1),
    "pyvrp": RouteSearchParams(pyvrp_share=1.0, pyvrp_probe_share=0.0, searches=1),
    "adopted": RouteSearchParams(searches=1),
}
"""The scenarios' methods as route search parameters (PyVRP alone: its weeks, read back
through the day simulation, and no work for the walks), each one search with the same budget."""


# ---------------------------------------------------------------------------
# The OPHS check, shared by both methods


def check_tour(instance: OphsInstance, trips: list[tuple[int, list[int], int]]) -> tuple[int, list[str], list[int]]:
    """Score, problems and each trip's driving (hundredths) of a tour given as, per trip, (index
    of the hotel it starts at, point indices in order, index of the hotel it ends at), read from
    the instance's coordinates: joined-up trips from the start hotel (0) to the end hotel (1),
    each within floor(100 T), each point at most once."""
    problems: list[str] = []
    driving: list[int] = []
    seen: set[int] = set()
    if len(trips) != instance.days:
        problems.append(f"{len(trips)} trips for {instance.days} days")
    for day, ((start, points, end), limit) in enumerate(zip(trips, instance.trip_limits, strict=False)):
        expected = 0 if day == 0 else trips[day - 1][2]
        if start != expected:
            problems.append(f"trip {day + 1} starts at hotel {start}, not where the last one ended ({expected})")
        stops = [instance.hotels[start]] + [instance.points[p] for p in points] + [instance.hotels[end]]
        length = sum(distance_hundredths(a, b) for a, b in itertools.pairwise(stops))
        driving.append(length)
        if length > hundredths(limit):
            problems.append(f"trip {day + 1}: {length} hundredths driven, limit {hundredths(limit)}")
        again = seen & set(points) if len(set(points)) == len(points) else set(points)
        if again:
            problems.append(f"trip {day + 1}: points visited twice: {sorted(again)}")
        seen |= set(points)
    if trips and trips[-1][2] != 1:
        problems.append(f"the tour ends at hotel {trips[-1][2]}, not the end hotel")
    score = sum(instance.points[p].score for p in seen)
    return score, problems, driving


def tour_json(trips: list[tuple[int, list[int], int]], driving: list[int]) -> list[dict[str, Any]]:
    """Per trip: its hotels (0 start, 1 end, 2... the extra ones), points (1-based, in file
    order, as ``p<i>`` in the scenario) and driving in hundredths."""
    return [
        {"hotels": [start, end], "points": [p + 1 for p in points], "driving": length}
        for (start, points, end), length in zip(trips, driving, strict=True)
    ]


# ---------------------------------------------------------------------------
# Method 1: the project's route search


def _hotel_index(place: str) -> int:
    if place in ("hotel_start", "hotel_end"):
        return ("hotel_start", "hotel_end").index(place)
    return 1 + int(place.removeprefix("hotel_"))


def skeleton_trips(scenario: Scenario, skeleton: Skeleton) -> list[tuple[int, list[int], int]]:
    """The skeleton of the one class as OPHS trips (site ``p<i>`` is point ``i - 1``)."""
    place = {site.id: site.place for site in scenario.sites}
    trips, start = [], 0
    for choice in skeleton.days["tour"] or []:
        points = [int(place[s].removeprefix("p")) - 1 for s in choice.sites]
        end = _hotel_index(choice.end_place)
        trips.append((start, points, end))
        start = end
    return trips


def run_route_search(
    instance: OphsInstance, seconds: float, seed: int, complete: bool, share: float = 0.0
) -> dict[str, Any]:
    """Construct, then ``improve_routes`` for ``seconds`` of its work budget, ``share`` of it
    PyVRP's; the tour checked."""
    params = SolverParams()
    route_search = dataclasses.replace(params.route_search, pyvrp_share=share, searches=1)  # one search: same time
    params = dataclasses.replace(params, route_search=route_search)
    scenario = Scenario.model_validate(scenario_data(instance))
    started = time.monotonic()
    cand = Candidates(scenario)
    skeleton = construct(cand, params.construction)
    built_at = time.monotonic()
    if not skeleton.complete:
        return {"error": "the construction found no skeleton", "seconds": built_at - started}
    start_score, _, _ = check_tour(instance, skeleton_trips(scenario, skeleton))
    better = improve_routes(cand, skeleton, seconds, seed=seed, params=params.route_search)
    ended = time.monotonic()
    trips = skeleton_trips(scenario, better)
    score, problems, driving = check_tour(instance, trips)
    record = {
        "score": score if not problems else None,
        "raw_score": score,
        "checks_ok": not problems,
        "problems": problems,
        "construct_score": start_score,
        "construct_seconds": built_at - started,
        "search_seconds": ended - built_at,
        "seconds": ended - started,
        "work_units": int(seconds * params.route_search.work_per_second),
        "threads": 1,
        "tour": tour_json(trips, driving),
    }
    if complete:
        record["solver_score"] = completed_score(cand, better, seed)
    return record


def completed_score(cand: Candidates, skeleton: Skeleton, seed: int) -> int | None:
    """``score_of`` the plan CP-SAT completes from the skeleton (as the solver's stage 1b does)."""
    from scheduler.instances.ophs import score_of
    from scheduler.solver.cpsat.engine import Stopper, solve_fixed
    from scheduler.solver.cpsat.extract import extract_plan
    from scheduler.solver.cpsat.model import build_model, route_hints, skeleton_fixes
    from scheduler.solver.options import SolveOptions

    built = build_model(cand.scenario, cand=cand)
    options = SolveOptions(time_limit=30.0, workers=1, seed=seed)
    found = solve_fixed(
        built,
        skeleton_fixes(built, skeleton),
        options,
        Stopper(),
        time_limit=30.0,
        hints=route_hints(built, skeleton),
    )
    if found is None:
        return None
    return score_of(cand.scenario, extract_plan(built.candidates, built.variables, found.value))


# ---------------------------------------------------------------------------
# Method 2: PyVRP, one problem per hotel sequence


def hotel_sequences(instance: OphsInstance) -> list[tuple[int, ...]]:
    """Every hotel sequence (start hotel, one hotel per night, end hotel) whose every trip can at
    least drive from its hotel to the next within its limit."""
    hotels = range(len(instance.hotels))
    sequences = []
    for nights in itertools.product(hotels, repeat=instance.days - 1):
        sequence = (0, *nights, 1)
        if all(
            distance_hundredths(instance.hotels[a], instance.hotels[b]) <= hundredths(limit)
            for (a, b), limit in zip(itertools.pairwise(sequence), instance.trip_limits, strict=True)
        ):
            sequences.append(sequence)
    return sequences


class PyvrpOphs:
    """The instance's PyVRP data: every hotel a depot, every point an optional client; the
    vehicle types change with the hotel sequence."""

    def __init__(self, instance: OphsInstance):
        from pyvrp import Model

        self.instance = instance
        self.limits = [hundredths(limit) for limit in instance.trip_limits]
        self.scale = sum(self.limits) + 1
        """Prize per point of score: more than any feasible tour drives."""
        model = Model()
        everything = list(instance.hotels) + list(instance.points)
        locations = [model.add_location(loc.x, loc.y) for loc in everything]
        hotels = len(instance.hotels)
        for location in locations[:hotels]:
            model.add_depot(location)
        for location, point in zip(locations[hotels:], instance.points, strict=True):
            model.add_client(location, prize=point.score * self.scale, required=False)
        for (a, loc_a), (b, loc_b) in itertools.product(enumerate(everything), repeat=2):
            model.add_edge(locations[a], locations[b], distance_hundredths(loc_a, loc_b))
        model.add_vehicle_type(1)  # replaced per hotel sequence
        self.base = model.data()
        self.client_point = [self.base.client(c).location - hotels for c in range(self.base.num_clients)]

    def data(self, sequence: tuple[int, ...]):
        from pyvrp import VehicleType

        vehicles = [
            VehicleType(1, start_depot=a, end_depot=b, max_distance=limit, unit_distance_cost=1, name=f"trip{d + 1}")
            for d, ((a, b), limit) in enumerate(zip(itertools.pairwise(sequence), self.limits, strict=True))
        ]
        return self.base.replace(vehicle_types=vehicles)

    def trips(self, sequence: tuple[int, ...], solution) -> list[tuple[int, list[int], int]]:
        """The solution as OPHS trips, read from its routes (a trip without a route drives
        straight from hotel to hotel)."""
        from pyvrp import ActivityType

        points: list[list[int]] = [[] for _ in range(self.instance.days)]
        ends = {d: (a, b) for d, (a, b) in enumerate(itertools.pairwise(sequence))}
        for route in solution.routes():
            day = route.vehicle_type()
            ends[day] = (route.start_depot(), route.end_depot())
            points[day] = [self.client_point[a.idx] for a in route if a.type == ActivityType.CLIENT]
        return [(ends[d][0], points[d], ends[d][1]) for d in range(self.instance.days)]


def run_pyvrp(instance: OphsInstance, seconds: float, seed: int, split: str) -> dict[str, Any]:
    """Every hotel sequence solved by PyVRP within ``seconds`` in all; the best checked tour."""
    from pyvrp import PenaltyParams, SolveParams, solve
    from pyvrp.stop import MaxRuntime

    started = time.monotonic()
    problem = PyvrpOphs(instance)
    sequences = hotel_sequences(instance)
    data = {s: problem.data(s) for s in sequences}
    max_score = sum(p.score for p in instance.points)
    params = SolveParams(penalty=PenaltyParams(max_penalty=max(100_000.0, 10.0 * problem.scale * max_score)))
    best: dict[tuple[int, ...], Any] = {}
    score: dict[tuple[int, ...], tuple[int, int]] = {s: (-1, 0) for s in sequences}
    runs = iterations = rejected = 0
    deadline = started + seconds

    def attempt(sequence: tuple[int, ...], share: float) -> None:
        nonlocal runs, iterations, rejected
        result = solve(
            data[sequence], MaxRuntime(max(0.0, share)), seed=seed, params=params, initial_solution=best.get(sequence)
        )
        runs += 1
        iterations += result.num_iterations
        if not result.is_feasible():
            return
        found, problems, _ = check_tour(instance, problem.trips(sequence, result.best))
        if problems:
            rejected += 1
            return
        key = (found, -result.best.distance())
        if key > score[sequence]:
            best[sequence], score[sequence] = result.best, key

    alive = list(sequences)
    if split == "equal":
        for index, sequence in enumerate(alive):
            attempt(sequence, (deadline - time.monotonic()) / (len(alive) - index))
    else:
        rounds = math.ceil(math.log2(max(1, len(alive)))) + 1
        while alive and deadline - time.monotonic() > 0.01:
            for index, sequence in enumerate(alive):
                left = deadline - time.monotonic()
                attempt(sequence, left / rounds / (len(alive) - index))
            alive.sort(key=lambda s: score[s], reverse=True)  # stable: the order of the sequences breaks ties
            alive = alive[: max(1, len(alive) // 2)]
            rounds = max(1, rounds - 1)
    ended = time.monotonic()
    record: dict[str, Any] = {
        "sequences": len(sequences),
        "runs": runs,
        "iterations": iterations,
        "rejected_by_checks": rejected,
        "seconds": ended - started,
        "threads": 1,
        "prize_scale": problem.scale,
    }
    if not best:
        return record | {"score": None, "checks_ok": None, "problems": ["no feasible solution"]}
    winner = max(best, key=lambda s: score[s])
    trips = problem.trips(winner, best[winner])
    found, problems, driving = check_tour(instance, trips)
    return record | {
        "score": found if not problems else None,
        "raw_score": found,
        "checks_ok": not problems,
        "problems": problems,
        "hotel_sequence": list(winner),
        "per_sequence": {"-".join(map(str, s)): score[s][0] for s in sequences},
        "tour": tour_json(trips, driving),
    }


# ---------------------------------------------------------------------------
# Programmes (``--scenario``): the three methods on a real programme's constructive plan


def week_worth(cand: Candidates, skeleton: Skeleton) -> float | None:
    """The route search's own measure of a skeleton, summed over the classes: what the sites
    are worth less the weighted coach minutes, every day read through the day simulation
    (None when a day cannot be kept)."""
    import random

    from scheduler.solver.heuristics.route_search import ClassSearch, WorkBudget

    total = 0.0
    for klass in cand.scenario.classes:
        choices = list(skeleton.days[klass.id] or [])
        others = {k: v for k, v in skeleton.days.items() if k != klass.id and v is not None}
        search = ClassSearch(
            cand,
            klass,
            choices,
            others=others,
            rng=random.Random(0),
            budget=WorkBudget(10**12, lambda: False, math.inf),
        )
        worth = search.score([list(c.sites) for c in choices], [c.end_place for c in choices])
        if worth is None:
            return None
        total += worth
    return total


def run_scenario(path: Path, seconds: float, seed: int) -> dict[str, Any]:
    """The constructive plan of the scenario at ``path``, then ``improve_routes`` for ``seconds``
    of work by each method (``SHARES``); each method's week worth and time."""
    from scheduler.scenario.loading import load_scenario

    cand = Candidates(load_scenario(path))
    skeleton = construct(cand, SolverParams().construction)
    record: dict[str, Any] = {"scenario": path.name, "classes": len(cand.scenario.classes)}
    if not skeleton.complete:
        return record | {"error": "the construction found no skeleton"}
    record["construct_worth"] = week_worth(cand, skeleton)
    for method, route_params in SHARES.items():
        started = time.monotonic()
        better = improve_routes(cand, skeleton, seconds, seed=seed, params=route_params)
        record[method] = {"worth": week_worth(cand, better), "seconds": time.monotonic() - started}
    return record


def run_scenarios(paths: list[Path], args: argparse.Namespace, out: Path) -> int:
    print(f"{'scenario':<24} {'construct':>10}" + "".join(f" {m:>14} {'s':>5}" for m in METHODS))
    records = []
    for path in paths:
        record = run_scenario(path, args.time_limit, args.seed)
        records.append(record)
        if "error" in record:
            print(f"{record['scenario']:<24} {record['error']}", flush=True)
            continue
        cells = "".join(f" {_cell(record[m]['worth'], 1):>14} {_cell(record[m]['seconds'], 1):>5}" for m in METHODS)
        print(f"{record['scenario']:<24} {_cell(record['construct_worth'], 1):>10}{cells}", flush=True)
    try:
        runs = json.loads(out.read_text(encoding="utf-8")).get("runs", {})
    except (OSError, ValueError, AttributeError):
        runs = {}
    runs[f"scenarios {args.time_limit:g}s seed={args.seed}"] = {
        "meta": {
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **machine(),
            "time_limit": args.time_limit,
            "seed": args.seed,
            "route_search_params": {m: dataclasses.asdict(p) for m, p in SHARES.items()},
            "measure": "week worth: site worth less weighted coach minutes (the route search's own score)",
            "note": args.note,
        },
        "scenarios": records,
    }
    write_json(out, {"runs": runs})
    print(f"\nwritten: {out}")
    return 0


# ---------------------------------------------------------------------------
# The run


def run_instance(instance: Instance, optimum: int | None, args: argparse.Namespace, complete: bool) -> dict[str, Any]:
    record: dict[str, Any] = {"set": instance.set_name, "instance": instance.name, "optimum": optimum}
    try:
        parsed = read_ophs(instance.path)
    except (OSError, ValueError) as error:
        return record | {"error": f"import failed: {error}"}
    record |= {"points": len(parsed.points), "days": parsed.days, "hotels": len(parsed.hotels)}
    for method in METHODS:
        try:
            if method != "pyvrp":
                result = run_route_search(parsed, args.time_limit, args.seed, complete, SHARES[method])
            else:
                result = run_pyvrp(parsed, args.time_limit, args.seed, args.split)
        except Exception as error:  # noqa: BLE001 - a crash is a finding: recorded, the run goes on
            result = {"error": f"{type(error).__name__}: {error}", "traceback": traceback.format_exc(limit=5)}
        score = result.get("score")
        if optimum is not None:
            result["ratio"] = ratio(score or 0, optimum)
            result["at_optimum"] = (score or 0) >= optimum
        record[method] = result
    return record


def totals(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Per set and overall, per method: at the optimum, mean and worst ratio, mean seconds."""
    groups = {"all": records} | {s: [r for r in records if r["set"] == s] for s in sorted({r["set"] for r in records})}
    out: dict[str, Any] = {}
    for name, group in groups.items():
        out[name] = {}
        for method in METHODS:
            rows = [r for r in group if r.get(method, {}).get("ratio") is not None]
            ratios = [r[method]["ratio"] for r in rows]
            worst = min(rows, key=lambda r: r[method]["ratio"], default=None)
            out[name][method] = {
                "instances": len(group),
                "compared": len(rows),
                "at_optimum": sum(r[method]["at_optimum"] for r in rows),
                "mean_ratio": sum(ratios) / len(ratios) if ratios else None,
                "worst_ratio": worst[method]["ratio"] if worst else None,
                "worst_instance": worst["instance"] if worst else None,
                "checks_failed": sum(r.get(method, {}).get("checks_ok") is False for r in group),
                "errors": sum("error" in r.get(method, {}) for r in group),
                "mean_seconds": sum(r[method].get("seconds", 0) for r in rows) / len(rows) if rows else None,
            }
        both = [r for r in group if all(r.get(m, {}).get("ratio") is not None for m in METHODS)]
        out[name]["route_search_better"] = sum(r["route_search"]["ratio"] > r["pyvrp"]["ratio"] for r in both)
        out[name]["pyvrp_better"] = sum(r["pyvrp"]["ratio"] > r["route_search"]["ratio"] for r in both)
        out[name]["adopted_better_than_route_search"] = sum(
            r["adopted"]["ratio"] > r["route_search"]["ratio"] for r in both
        )
        out[name]["route_search_better_than_adopted"] = sum(
            r["route_search"]["ratio"] > r["adopted"]["ratio"] for r in both
        )
    return out


def write_json(path: Path, results: dict[str, Any]) -> None:
    """Written whole or not at all (``scheduler.atomic.write_text``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, json.dumps(results, indent=1, ensure_ascii=False) + "\n")


def _cell(value: Any, digits: int = 0) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _method_cells(result: dict[str, Any]) -> str:
    if "error" in result:
        return f"{'ERROR':>6} {'':>6} {'':>5}"
    flag = "" if result.get("checks_ok") in (True, None) else "!"
    score, share = _cell(result.get("score")), _cell(result.get("ratio"), 4)
    return f"{score:>5}{flag:1} {share:>6} {_cell(result.get('seconds'), 1):>5}"


def print_row(record: dict[str, Any]) -> None:
    if "error" in record:
        print(f"{record['set']}/{record['instance']:<14} {record['error']}", flush=True)
        return
    print(
        f"{record['set']}/{record['instance']:<14} {_cell(record['optimum']):>5}   "
        + "   ".join(_method_cells(record[m]) for m in METHODS)
        + f"   {_cell(record['pyvrp'].get('sequences')):>4}",
        flush=True,
    )
    for method in METHODS:
        if "error" in record[method]:
            print(f"    {method}: {record[method]['error']}", flush=True)
        elif record[method].get("problems") and record[method].get("checks_ok") is False:
            print(f"    {method}: tour rejected: {'; '.join(record[method]['problems'][:3])}", flush=True)


def print_totals(summary: dict[str, Any], time_limit: float) -> None:
    print(f"\nTotals ({time_limit:g} s per instance and method, 1 thread each):")
    print(
        f"{'set':<9} {'method':<13} {'at opt':>8} {'mean ratio':>10} {'worst':>7}  {'worst instance':<15} {'mean s':>6}"
    )
    for name, group in summary.items():
        for method in METHODS:
            t = group[method]
            print(
                f"{name:<9} {method:<13} {t['at_optimum']:>3}/{t['compared']:<4} {_cell(t['mean_ratio'], 4):>10} "
                f"{_cell(t['worst_ratio'], 4):>7}  {t['worst_instance'] or '—':<15} {_cell(t['mean_seconds'], 1):>6}"
                + (f"  checks failed {t['checks_failed']}" if t["checks_failed"] else "")
                + (f"  errors {t['errors']}" if t["errors"] else "")
            )
        print(
            f"{'':<9} better: route_search {group['route_search_better']}, pyvrp {group['pyvrp_better']}; "
            f"adopted better than route_search {group['adopted_better_than_route_search']}, "
            f"worse {group['route_search_better_than_adopted']}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, metavar="FILE_OR_DIR", help=f"default: {DEFAULT_DIR}")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance and method (default 10)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--split", choices=("halving", "equal"), default="halving", help="PyVRP's time per sequence")
    parser.add_argument("--optima", type=Path, default=None, help="default: optima.csv beside the instances")
    parser.add_argument("--json", type=Path, default=None, help="default: bench/pyvrp-trial-<today>.json")
    parser.add_argument(
        "--complete", type=int, default=0, metavar="N", help="check route_search's score by CP-SAT on N"
    )
    parser.add_argument("--note", default="")
    parser.add_argument(
        "--scenario",
        type=Path,
        nargs="+",
        default=None,
        metavar="YAML",
        help="instead of OPHS: these programmes' constructive plans, improved by each method (worth, not ratio)",
    )
    args = parser.parse_args(argv)
    from importlib.metadata import version

    try:
        instances = find_instances(args.paths or [DEFAULT_DIR])
        optima = read_optima(args.optima or DEFAULT_DIR / "optima.csv")
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    out = args.json or ROOT / "bench" / f"pyvrp-trial-{dt.date.today().isoformat()}.json"
    if args.scenario:
        return run_scenarios(args.scenario, args, out)
    results: dict[str, Any] = {
        "meta": {
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **machine(),
            "pyvrp": version("pyvrp"),
            "time_limit": args.time_limit,
            "seed": args.seed,
            "split": args.split,
            "threads": {"route_search": 1, "pyvrp": 1, "adopted": 1},
            "note": args.note,
        },
        "instances": [],
    }
    print(f"{'instance':<22} {'opt':>5}   {'route_search':^19}   {'PyVRP':^19}   {'adopted':^19}   {'seqs':>4}")
    print(f"{'':<22} {'':>5}" + f"   {'score':>6} {'ratio':>6} {'s':>5}" * 3)
    # one file keeps a run per time limit, split and seed: this run replaces only its own
    try:
        runs = json.loads(out.read_text(encoding="utf-8")).get("runs", {})
    except (OSError, ValueError, AttributeError):
        runs = {}
    key = f"{args.time_limit:g}s split={args.split} seed={args.seed}"
    for number, instance in enumerate(instances):
        optimum = optima.get((instance.set_name, instance.name))
        record = run_instance(instance, optimum, args, complete=number < args.complete)
        results["instances"].append(record)
        print_row(record)
        if "solver_score" in record.get("route_search", {}):
            rs = record["route_search"]
            print(f"    route_search skeleton score {rs['raw_score']}, completed by CP-SAT: {rs['solver_score']}")
        results["totals"] = totals(results["instances"])
        runs[key] = results
        write_json(out, {"runs": runs})
    print_totals(results["totals"], args.time_limit)
    print(f"\nwritten: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
