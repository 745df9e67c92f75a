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

    @cached_property
    def driving_minutes(self) -> int:
        """Whole minutes of the clock the driving takes (rounded up)."""
        return -(-self.driving_hundredths // 100)

    @cached_property
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
        ids = self.place_ids
        pairs = ((a, b) for a in ids for b in ids)
        return dict(zip(pairs, self.hundredths_matrix.ravel().tolist(), strict=True))

    @cached_property
    def place_numbers(self) -> dict[str, int]:
        """Place id -> its row and column in ``hundredths_matrix``."""
        return {place: i for i, place in enumerate(self.place_ids)}

    @property
    def hundredths_matrix(self) -> np.ndarray:
        """``hundredths`` as a square array indexed by ``place_numbers``, for whole rows at once."""
        return self._matrices[0]

    @property
    def rest_minutes_matrix(self) -> np.ndarray:
        """Each leg's rest-stop minutes, indexed as ``hundredths_matrix``."""
        return self._matrices[3]

    @cached_property
    def shortest_driving_matrix(self) -> np.ndarray:
        """``shortest_driving`` of every pair at once, indexed as ``hundredths_matrix``."""
        return np.asarray(self._shortest[0], dtype=np.int64)

    def leg(self, a: str, b: str) -> Leg:
        leg = self._leg_cache.get((a, b))
        if leg is None:
            numbers = self.place_numbers
            i, j = numbers[a], numbers[b]
            hundredths, km, stops, rest = self._matrices
            leg = Leg(int(hundredths[i, j]), round(float(km[i, j]), 1), int(stops[i, j]), int(rest[i, j]))
            self._leg_cache[(a, b)] = leg
        return leg

    @cached_property
    def _leg_cache(self) -> dict[tuple[str, str], Leg]:
        return {}

    def shortest_driving(self, a: str, b: str) -> int:
        """Least driving minutes from ``a`` to ``b`` over any chain of legs.

        Measured overrides need not keep the triangle inequality, so a bound that must never
        cut a real route (the solver's domain reductions) uses this, not the direct leg.
        """
        numbers = self.place_numbers
        return self._shortest[0][numbers[a]][numbers[b]]

    def shortest_driving_hundredths(self, a: str, b: str) -> int:
        """Least exact driving (hundredths of a minute) from ``a`` to ``b`` over any chain of legs."""
        numbers = self.place_numbers
        return self._shortest[2][numbers[a]][numbers[b]]

    def shortest_minutes(self, a: str, b: str) -> int:
        """Least door-to-door minutes from ``a`` to ``b`` over any chain of legs."""
        numbers = self.place_numbers
        return self._shortest[1][numbers[a]][numbers[b]]

    @cached_property
    def _shortest(self) -> tuple[list[list[int]], list[list[int]], list[list[int]]]:
        """Least (driving minutes, door-to-door minutes, driving hundredths) from each place to
        each over any chain of legs, each on its own (Floyd-Warshall, one array per measure),
        indexed by ``place_numbers``."""
        hundredths, _, _, rest = self._matrices
        driving = -(-hundredths // 100)
        measures = [driving, driving + rest, hundredths]
        # a chain's sum must not overflow: 32 bits (half the memory traffic) when that is sure
        small = int(hundredths.max(initial=0)) < 2**30 // 2 and int(measures[1].max(initial=0)) < 2**30 // 2
        kind = np.int32 if small else np.int64
        best = [m.astype(kind) for m in measures]
        via = np.empty_like(best[0])
        for k in range(len(self.place_ids)):
            for m in best:
                np.add(m[:, k : k + 1], m[k : k + 1, :], out=via)
                np.minimum(m, via, out=m)
        driving_min, minutes, exact = (m.tolist() for m in best)
        return driving_min, minutes, exact

    @cached_property
    def _matrices(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every leg at once, indexed by ``place_numbers``: driving hundredths, km (not yet
        rounded), rest stops and rest minutes. The same arithmetic as ``great_circle_km`` and
        ``rest_stops_needed``, on whole arrays; overrides then replace their pairs."""
        scenario = self.scenario
        places = [scenario.place(p) for p in self.place_ids]
        lat = np.array([p.lat for p in places], dtype=np.float64)
        lon = np.array([p.lon for p in places], dtype=np.float64)
        phi = np.radians(lat)
        dphi = phi[None, :] - phi[:, None]
        dlambda = np.radians(lon[None, :] - lon[:, None])
        a = np.sin(dphi / 2) ** 2 + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.sin(dlambda / 2) ** 2
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a))) * scenario.travel.road_factor
        minutes = np.ceil(km / scenario.travel.coach_speed_kmh * 60 - 1e-9)
        hundredths = (minutes * 100).astype(np.int64)
        numbers = self.place_numbers
        for (origin, destination), (given_minutes, given_km) in self._overrides.items():
            i, j = numbers[origin], numbers[destination]
            if given_km is not None:
                km[i, j] = given_km
            if given_minutes is None:
                given_minutes = math.ceil(km[i, j] / scenario.travel.coach_speed_kmh * 60 - 1e-9)
            hundredths[i, j] = to_hundredths(given_minutes)
        np.fill_diagonal(hundredths, 0)
        np.fill_diagonal(km, 0.0)
        limit = scenario.limits.max_continuous_drive_minutes
        driving = -(-hundredths // 100)
        stops = np.where(driving <= limit, 0, np.ceil(driving / limit) - 1).astype(np.int64)
        return hundredths, km, stops, stops * scenario.limits.rest_stop_minutes


def rest_stops_needed(driving_minutes: int, max_continuous: int) -> int:
    """Rest stops a leg needs so that no stretch exceeds ``max_continuous`` minutes."""
    if driving_minutes <= max_continuous:
        return 0
    return math.ceil(driving_minutes / max_continuous) - 1
