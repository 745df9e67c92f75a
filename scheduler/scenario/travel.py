"""Coach legs between places: driving minutes and km, estimated or measured.

A leg's estimate is the great-circle distance times the scenario's road factor, driven at the
scenario's coach speed; an override replaces it for a given pair. Legs longer than the longest
allowed continuous drive get rest stops, which lengthen the leg but not the driving.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from scheduler.scenario.model import Scenario

EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Leg:
    """One coach leg: driving time, km, and the rest stops it needs.

    Driving is held exactly in hundredths of a minute (measured legs may carry decimals); the
    day's clock runs in whole minutes, so a leg occupies its driving time rounded up.
    """

    driving_hundredths: int
    km: float
    rest_stops: int
    rest_minutes: int

    @property
    def driving_minutes(self) -> int:
        """Whole minutes of the clock the driving takes (rounded up)."""
        return -(-self.driving_hundredths // 100)

    @property
    def minutes(self) -> int:
        """Door-to-door minutes: driving plus rest stops."""
        return self.driving_minutes + self.rest_minutes


def to_hundredths(minutes: float) -> int:
    """Minutes as whole hundredths of a minute (the scenario allows at most two decimals)."""
    return round(minutes * 100)


class TravelTable:
    """Every leg between the scenario's places, computed once."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.place_ids: tuple[str, ...] = tuple(p.id for p in scenario.places)

    @cached_property
    def _overrides(self) -> dict[tuple[str, str], tuple[float, float | None]]:
        table: dict[tuple[str, str], tuple[float, float | None]] = {}
        for override in self.scenario.travel.overrides:
            if self.scenario.travel.symmetric:
                table.setdefault((override.to, override.from_), (override.minutes, override.km))
            table[(override.from_, override.to)] = (override.minutes, override.km)
        return table

    def estimated_km(self, a: str, b: str) -> float:
        pa, pb = self.scenario.place(a), self.scenario.place(b)
        return great_circle_km(pa.lat, pa.lon, pb.lat, pb.lon) * self.scenario.travel.road_factor

    def driving_minutes(self, a: str, b: str) -> int:
        return self.leg(a, b).driving_minutes

    def driving_hundredths(self, a: str, b: str) -> int:
        """Exact driving from ``a`` to ``b`` in hundredths of a minute (what driving limits count)."""
        return self.leg(a, b).driving_hundredths

    def km(self, a: str, b: str) -> float:
        return self.leg(a, b).km

    @cached_property
    def hundredths(self) -> dict[tuple[str, str], int]:
        """Exact driving of every leg in hundredths of a minute, for loops that look up millions."""
        return {pair: leg.driving_hundredths for pair, leg in self._legs.items()}

    @cached_property
    def place_numbers(self) -> dict[str, int]:
        """Place id -> its row and column in ``hundredths_matrix``."""
        return {place: i for i, place in enumerate(self.place_ids)}

    @cached_property
    def hundredths_matrix(self) -> np.ndarray:
        """``hundredths`` as a square array indexed by ``place_numbers``, for whole rows at once."""
        matrix = np.zeros((len(self.place_ids), len(self.place_ids)), dtype=np.int64)
        numbers = self.place_numbers
        for (a, b), hundredths in self.hundredths.items():
            matrix[numbers[a], numbers[b]] = hundredths
        return matrix

    def leg(self, a: str, b: str) -> Leg:
        return self._legs[(a, b)]

    def shortest_driving(self, a: str, b: str) -> int:
        """Least driving minutes from ``a`` to ``b`` over any chain of legs.

        Measured overrides need not keep the triangle inequality, so a bound that must never
        cut a real route (the solver's domain reductions) uses this, not the direct leg.
        """
        return self._shortest[(a, b)][0]

    def shortest_driving_hundredths(self, a: str, b: str) -> int:
        """Least exact driving (hundredths of a minute) from ``a`` to ``b`` over any chain of legs."""
        return self._shortest[(a, b)][2]

    def shortest_minutes(self, a: str, b: str) -> int:
        """Least door-to-door minutes from ``a`` to ``b`` over any chain of legs."""
        return self._shortest[(a, b)][1]

    @cached_property
    def _shortest(self) -> dict[tuple[str, str], tuple[int, int, int]]:
        """(a, b) -> least (driving minutes, door-to-door minutes, driving hundredths) over any
        chain of legs, each on its own (Floyd-Warshall, one array per measure)."""
        ids = self.place_ids
        best = np.array(
            [
                [[getattr(self.leg(a, b), measure) for b in ids] for a in ids]
                for measure in ("driving_minutes", "minutes", "driving_hundredths")
            ],
            dtype=np.int64,
        )
        for k in range(len(ids)):
            np.minimum(best, best[:, :, k : k + 1] + best[:, k : k + 1, :], out=best)
        driving, minutes, hundredths = (m.tolist() for m in best)
        return {
            (a, b): (driving[i][j], minutes[i][j], hundredths[i][j])
            for i, a in enumerate(ids)
            for j, b in enumerate(ids)
        }

    @cached_property
    def _legs(self) -> dict[tuple[str, str], Leg]:
        legs: dict[tuple[str, str], Leg] = {}
        speed = self.scenario.travel.coach_speed_kmh
        limits = self.scenario.limits
        for a in self.place_ids:
            for b in self.place_ids:
                if a == b:
                    legs[(a, b)] = Leg(0, 0.0, 0, 0)
                    continue
                minutes, km = self._overrides.get((a, b), (None, None))
                if km is None:
                    km = self.estimated_km(a, b)
                if minutes is None:
                    minutes = math.ceil(km / speed * 60 - 1e-9)
                hundredths = to_hundredths(minutes)
                stops = rest_stops_needed(-(-hundredths // 100), limits.max_continuous_drive_minutes)
                legs[(a, b)] = Leg(hundredths, round(km, 1), stops, stops * limits.rest_stop_minutes)
        return legs


def rest_stops_needed(driving_minutes: int, max_continuous: int) -> int:
    """Rest stops a leg needs so that no stretch exceeds ``max_continuous`` minutes."""
    if driving_minutes <= max_continuous:
        return 0
    return math.ceil(driving_minutes / max_continuous) - 1
