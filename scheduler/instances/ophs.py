"""Import an OPHS instance (Orienteering Problem with Hotel Selection) as a scenario.

An OPHS instance is one class's week of field visits with nothing else: a tour over ``D`` days,
each day a trip of limited length from one hotel to another, visiting scored points at most
once, the first trip leaving the start hotel and the last reaching the end hotel; maximise the
total score. The import expresses it in the scenario format so that the model and solver that
plan a real programme solve it unchanged:

- one class, one trip a day; the start and end hotels are its ``start_place`` / ``end_place``;
- every hotel (the start and end hotels too) is lodging for one class a night;
- every point is a site whose ``value`` is its score, open all day, with a one-minute visit;
- one distance unit is one minute of coach driving, truncated to the hundredth as the
  benchmark's convention says (``floor(100 d) / 100``), given as a measured leg for every pair;
- each trip's length limit is the day's ``max_coach_minutes`` (truncated the same way);
- a trip may visit no point (``programme_every_day`` is off);
- only site value counts in the objective (every other weight is 0) and the clock never
  binds: the longest trip, with a minute per visit and lunch, fits well inside the day.

The file format: ``N H D`` (N = vertices + 2), the total length limit, the ``D`` trip
limits, then ``x y score`` per location: start hotel, end hotel, the ``H`` extra hotels, then
the ``N - 2`` points.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scheduler.plan.model import Plan
from scheduler.scenario.model import Scenario

FIRST_DATE = dt.date(2024, 1, 1)
"""Any date will do: every site is open every day."""


class OphsFormatError(ValueError):
    """The file is not a well-formed OPHS instance; the message names the line."""


@dataclass(frozen=True)
class Location:
    x: float
    y: float
    score: int


@dataclass(frozen=True)
class OphsInstance:
    name: str
    total_limit: float
    trip_limits: tuple[float, ...]
    hotels: tuple[Location, ...]  # start, end, then the extra hotels
    points: tuple[Location, ...]

    @property
    def days(self) -> int:
        return len(self.trip_limits)


def hundredths(value: float) -> int:
    """The benchmark's convention: truncate to two decimals (a tiny epsilon absorbs binary noise)."""
    return math.floor(value * 100 + 1e-9)


def distance_hundredths(a: Location, b: Location) -> int:
    return hundredths(math.hypot(a.x - b.x, a.y - b.y))


def read_ophs(path: str | Path) -> OphsInstance:
    """Parse an ``.ophs`` file; :class:`OphsFormatError` names the line that is wrong."""
    path = Path(path)
    rows = [(number, line.split()) for number, line in enumerate(path.read_text().splitlines(), start=1)]
    # blank lines, and the dashed rule some published files end with, carry nothing
    rows = [(number, fields) for number, fields in rows if fields and not set("".join(fields)) <= {"-"}]

    def numbers(index: int, count: int | None, what: str) -> list[float]:
        if index >= len(rows):
            raise OphsFormatError(f"{path}: ends before {what} (expected {what})")
        number, fields = rows[index]
        if count is not None and len(fields) != count:
            raise OphsFormatError(f"{path}:{number}: {len(fields)} fields (expected {count}: {what})")
        try:
            return [float(field) for field in fields]
        except ValueError:
            raise OphsFormatError(f"{path}:{number}: {' '.join(fields)!r} is not numbers (expected {what})") from None

    header = numbers(0, 3, "N H D")
    if not all(value.is_integer() and value >= 0 for value in header):
        raise OphsFormatError(f"{path}:{rows[0][0]}: N H D must be whole numbers")
    vertices, extra_hotels, days = (int(value) for value in header)
    if days < 1 or vertices < 2:
        raise OphsFormatError(f"{path}:{rows[0][0]}: N={vertices}, D={days} (expected N >= 2 and D >= 1)")
    (total,) = numbers(1, 1, "the total tour length Tmax")
    trips = numbers(2, days, f"{days} trip lengths")
    locations = []
    for index in range(3, 3 + vertices + extra_hotels):
        x, y, score = numbers(index, 3, "x y score")
        if not score.is_integer() or score < 0:
            raise OphsFormatError(f"{path}:{rows[index][0]}: score {score} (expected a whole number >= 0)")
        locations.append(Location(x, y, int(score)))
    if len(rows) > 3 + vertices + extra_hotels:
        raise OphsFormatError(f"{path}:{rows[3 + vertices + extra_hotels][0]}: more lines than N + H locations")
    hotel_count = 2 + extra_hotels
    return OphsInstance(path.stem, total, tuple(trips), tuple(locations[:hotel_count]), tuple(locations[hotel_count:]))


def _hotel_id(index: int) -> str:
    return ("hotel_start", "hotel_end")[index] if index < 2 else f"hotel_{index - 1}"


def scenario_data(instance: OphsInstance) -> dict[str, Any]:
    """The instance as scenario data (the mapping a scenario YAML file holds)."""
    limits = [hundredths(limit) for limit in instance.trip_limits]
    if sum(limits) > hundredths(instance.total_limit):
        # the published instances all have Tmax >= the sum of their trip limits: refused, not approximated
        raise OphsFormatError(
            f"{instance.name}: Tmax {instance.total_limit} is below the sum of the trip limits "
            "(a programme-wide driving budget is not expressible in a scenario)"
        )
    places: list[tuple[str, Location]] = [(_hotel_id(i), hotel) for i, hotel in enumerate(instance.hotels)]
    places += [(f"p{i + 1}", point) for i, point in enumerate(instance.points)]
    overrides = []
    for i, (a_id, a) in enumerate(places):
        for b_id, b in places[i + 1 :]:
            overrides.append({"from": a_id, "to": b_id, "minutes": _minutes(distance_hundredths(a, b))})
    longest = math.ceil(max(limits) / 100) + 1
    return {
        "schema": 1,
        "programme": {
            "name_en": f"OPHS instance {instance.name}",
            "first_date": FIRST_DATE.isoformat(),
            "days": instance.days,
            "language": "en",
            "day_overrides": [
                {"day": day + 1, "max_coach_minutes": _minutes(limit)} for day, limit in enumerate(limits)
            ],
        },
        "travel": {"symmetric": True, "overrides": overrides},
        "places": [
            {"id": place_id, "name_en": place_id, "lat": _coordinate(loc.y, 90), "lon": _coordinate(loc.x, 180)}
            for place_id, loc in places
        ],
        "themes": [{"id": "ophs", "name_en": "Scored points"}],
        "classes": [
            {
                "id": "tour",
                "name_en": "The tour",
                "theme": "ophs",
                "trainees": 1,
                "base": "hotel_start",
                "start_place": "hotel_start",
                "end_place": "hotel_end",
                "professor": {"id": "guide", "name_en": "Guide"},
            }
        ],
        "sites": [
            {
                "id": place_id,
                "place": place_id,
                "kind": "other",
                "visit_minutes": 1,
                "hours": {"open": "00:00", "close": "24:00"},
                "value": loc.score,
            }
            for place_id, loc in places[len(instance.hotels) :]
        ],
        "lodging": [{"place": place_id, "classes_per_night": 1} for place_id, _ in places[: len(instance.hotels)]],
        # a trip may visit nothing (only the hotels matter that day): no day needs a programme
        "requirements": {"default": {"max_visits_per_day": len(instance.points), "programme_every_day": False}},
        "limits": {
            "max_coach_minutes_per_day": _minutes(max(limits)),
            "max_continuous_drive_minutes": longest,
            "max_teaching_minutes_per_day": 24 * 60,
        },
        "weights": {"coach_minute": 0, "theme_fit": 0, "site_value": 1, "lecturer_imbalance": 0, "late_evening": 0},
    }


def _minutes(hundredths_value: int) -> int | float:
    return hundredths_value // 100 if hundredths_value % 100 == 0 else hundredths_value / 100


def _coordinate(value: float, bound: float) -> float:
    """Benchmark coordinates drawn as degrees (only maps read them; every leg is measured)."""
    return max(-bound, min(bound, value / 100))


def import_ophs(path: str | Path) -> Scenario:
    """Read an ``.ophs`` file into a validated scenario."""
    return Scenario.model_validate(scenario_data(read_ophs(path)))


def score_of(scenario: Scenario, plan: Plan) -> int:
    """The OPHS score of a plan: the sum of the values of the sites it visits (each once)."""
    visited = {event.site for event in plan.events if event.kind == "field_visit" and event.site}
    return sum(scenario.site(site_id).value for site_id in visited)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scheduler.instances.ophs",
        description="Write an OPHS benchmark instance as a scenario YAML file.",
    )
    parser.add_argument("instance", type=Path, help="an .ophs file")
    parser.add_argument("-o", "--out", type=Path, help="write here instead of standard output")
    args = parser.parse_args(argv)
    import yaml

    from scheduler.atomic import write_text

    try:
        data = scenario_data(read_ophs(args.instance))
    except (OSError, OphsFormatError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    text = f"# Imported from {args.instance.name} by python -m scheduler.instances.ophs\n" + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=120
    )
    if args.out:
        write_text(args.out, text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
