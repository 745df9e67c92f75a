"""The maps' base layer: land, coast, country and province borders, major roads and city names, offline.

The data ship with the package (``data/basemap.npz``, built by ``scripts/build_basemap.py``
from Natural Earth as generalised by QGIS, OpenStreetMap's roads (as the package
``scgraph_data`` simplifies them) and GeoNames; ``data/README.md`` says which versions and under
which licences): nothing is fetched at run time. The road layers (``ROAD_KINDS``) are optional:
a file built without them gives maps without roads; a file built with Natural Earth's roads
instead has both kinds. The roads' source may ask for a credit, which the file records
(``BaseMap.roads_credit``) and a map that draws roads prints. The file is read once per
process; a map asks for what lies inside its extent (``BaseMap.inside``), in degrees, and
projects it itself.

Coordinates that are not geographic (the OPHS benchmark instances put their abstract points
near 0° 0°, in the sea) get no base layer: ``is_geographic`` asks that most places be on land.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.path import Path as MplPath

DATA = Path(__file__).with_name("data") / "basemap.npz"
LINE_KINDS = ("coast", "border", "province")
ROAD_KINDS = ("road", "highway")
"""The road layers, minor first: ``road`` (Natural Earth's secondary highways; not in the shipped
file) and ``highway`` (the major roads: OpenStreetMap's network, or Natural Earth's major
highways, beltways and bypasses). ``BaseMap.lines`` lists those in the file before
``LINE_KINDS``, so that a map drawing the lines in order puts the roads under the coast and the
borders."""
ROADS_FROM_DEGREES = 0.8
"""The smallest map, in degrees across (about 80 km), that draws the roads: the road layers are
generalised for maps of a province or a region (straight between junctions tens of km apart in
places), and on a map of a city or a district they would show roads where there are none."""
NEAR_LAND_DEGREES = 0.05
"""How far (about 5 km) off the drawn land a place may lie and still count as on land: the coast
is generalised, so harbours and beaches may fall just outside it."""


@dataclass(frozen=True)
class Parts:
    """Polylines or rings in degrees: ``points[starts[i]:starts[i + 1]]`` is part ``i``;
    ``boxes[i]`` is its (west, south, east, north)."""

    points: np.ndarray
    starts: np.ndarray
    boxes: np.ndarray

    @classmethod
    def unpacked(cls, first: np.ndarray, steps: np.ndarray, counts: np.ndarray, scale: float) -> Parts:
        starts = np.concatenate([[0], np.cumsum(counts)])
        whole = np.empty((int(starts[-1]), 2), dtype=np.int64)
        step_at = np.ones(len(whole), dtype=bool)
        step_at[starts[:-1]] = False
        whole[step_at] = steps
        whole[starts[:-1]] = 0
        whole = np.cumsum(whole, axis=0)
        # each part's running sum restarts from its own first point
        whole += np.repeat(first.astype(np.int64) - whole[starts[:-1]], counts, axis=0)
        points = whole / scale
        lo = np.minimum.reduceat(points, starts[:-1], axis=0)
        hi = np.maximum.reduceat(points, starts[:-1], axis=0)
        return cls(points, starts, np.hstack([lo, hi]))

    def touching(self, box: tuple[float, float, float, float]) -> np.ndarray:
        """The indices of the parts whose boxes meet ``box`` (west, south, east, north)."""
        west, south, east, north = box
        b = self.boxes
        return np.flatnonzero((b[:, 0] <= east) & (b[:, 2] >= west) & (b[:, 1] <= north) & (b[:, 3] >= south))

    def part(self, i: int) -> np.ndarray:
        return self.points[self.starts[i] : self.starts[i + 1]]


@dataclass(frozen=True)
class Cities:
    """Places of 15,000 people or more, largest first."""

    lonlat: np.ndarray
    population: np.ndarray
    names_en: tuple[str, ...]
    names_zh: tuple[str, ...]  # "" where GeoNames has no Simplified Chinese name

    def name(self, i: int, lang: str) -> str:
        return (self.names_zh[i] or self.names_en[i]) if lang == "zh" else self.names_en[i]


@dataclass(frozen=True)
class Extract:
    """What lies inside one map's extent, in degrees (rings clipped to it, lines whole)."""

    land: list[np.ndarray]
    lines: dict[str, list[np.ndarray]]
    cities: list[int]  # indices into ``BaseMap.cities``, largest first
    roads_credit: str = ""
    """The credit the roads' source asks for (``BaseMap.roads_credit``) when any road is in
    ``lines``, else ''."""


@dataclass(frozen=True)
class BaseMap:
    land: Parts
    lines: dict[str, Parts]
    cities: Cities
    roads_credit: str = ""
    """What a map that draws the road layers must credit besides Natural Earth and GeoNames
    ("© OpenStreetMap contributors" for OpenStreetMap's roads; '' for Natural Earth's, or none)."""

    def inside(self, box: tuple[float, float, float, float]) -> Extract:
        """The land (clipped to ``box``, so that a file holds no more than the map shows), the
        lines that cross ``box`` (the roads only on a box ``ROADS_FROM_DEGREES`` across or more)
        and the cities in it. ``box`` is (west, south, east, north) in
        degrees; west may be below -180 or east above 180 near the antimeridian."""
        land: list[np.ndarray] = []
        lines: dict[str, list[np.ndarray]] = {kind: [] for kind in self.lines}
        cities: list[int] = []
        west, south, east, north = box
        for shift in (-360.0, 0.0, 360.0):
            local = (west - shift, south, east - shift, north)
            if local[2] < -180 or local[0] > 180:
                continue
            offset = np.array([shift, 0.0])
            for i in self.land.touching(local):
                ring = clip_ring(self.land.part(i), local)
                if len(ring) >= 3:
                    land.append(ring + offset)
            for kind, parts in self.lines.items():
                if kind in ROAD_KINDS and max(east - west, north - south) < ROADS_FROM_DEGREES:
                    continue
                lines[kind] += [parts.part(i) + offset for i in parts.touching(local)]
            lon, lat = self.cities.lonlat[:, 0], self.cities.lonlat[:, 1]
            inside = (lon >= local[0]) & (lon <= local[2]) & (lat >= local[1]) & (lat <= local[3])
            cities += [int(i) for i in np.flatnonzero(inside)]
        drawn_roads = any(lines.get(kind) for kind in ROAD_KINDS)
        return Extract(land, lines, sorted(cities), self.roads_credit if drawn_roads else "")

    def on_land(self, lon: float, lat: float) -> bool:
        """Whether the point is on the drawn land or within ``NEAR_LAND_DEGREES`` of it."""
        lon = (lon + 180.0) % 360.0 - 180.0
        near = NEAR_LAND_DEGREES
        box = (lon - near, lat - near, lon + near, lat + near)
        crossings = 0
        for i in self.land.touching((lon, lat, lon, lat)):
            if MplPath(self.land.part(i)).contains_point((lon, lat)):
                crossings += 1  # an outer ring, or a hole in one: odd means land
        if crossings % 2:
            return True
        for i in self.lines["coast"].touching(box):
            if _distance(self.lines["coast"].part(i), lon, lat) <= near:
                return True
        return False


def _distance(line: np.ndarray, lon: float, lat: float) -> float:
    """The shortest distance, in degrees, from the point to the polyline."""
    a, b = line[:-1], line[1:]
    ab = b - a
    p = np.array([lon, lat])
    length2 = np.maximum((ab**2).sum(axis=1), 1e-18)
    t = np.clip(((p - a) * ab).sum(axis=1) / length2, 0.0, 1.0)
    nearest = a + ab * t[:, None]
    return float(np.sqrt(((nearest - p) ** 2).sum(axis=1)).min())


def clip_ring(ring: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """The ring clipped to the box (Sutherland-Hodgman: a filled ring stays a filled ring; any
    edges it gains lie on the box's sides, outside what the map shows when the box is larger)."""
    west, south, east, north = box
    points = ring
    for axis, bound, keep_above in ((0, west, True), (0, east, False), (1, south, True), (1, north, False)):
        if len(points) == 0:
            break
        v = points[:, axis]
        inside = v >= bound if keep_above else v <= bound
        if inside.all():
            continue
        if not inside.any():
            return points[:0]
        nxt = np.roll(points, -1, axis=0)
        nxt_inside = np.roll(inside, -1)
        crossing = inside != nxt_inside
        dv = nxt[:, axis] - v
        t = np.where(crossing, (bound - v) / np.where(dv == 0, 1.0, dv), 0.0)
        cut = points + (nxt - points) * t[:, None]
        cut[:, axis] = np.where(crossing, bound, cut[:, axis])
        # each edge gives its start point (when inside) then its crossing (when it crosses)
        both = np.stack([points, cut], axis=1).reshape(-1, 2)
        keep = np.stack([inside, crossing], axis=1).reshape(-1)
        points = both[keep]
    return points


@functools.cache
def load() -> BaseMap | None:
    """The base layer, read once per process; ``None`` (maps without it) if the file is missing."""
    if not DATA.is_file():
        return None
    with np.load(DATA) as z:
        scale = float(z["scale"][0])
        roads = tuple(kind for kind in ROAD_KINDS if f"{kind}_n" in z.files)
        parts = {
            kind: Parts.unpacked(z[f"{kind}_first"], z[f"{kind}_d"], z[f"{kind}_n"], scale)
            for kind in ("land", *roads, *LINE_KINDS)
        }
        cities = Cities(
            lonlat=z["city_xy"] / scale,
            population=z["city_population"].astype(np.int64),
            names_en=tuple(z["city_en"].tobytes().decode("utf-8").split("\n")),
            names_zh=tuple(z["city_zh"].tobytes().decode("utf-8").split("\n")),
        )
        roads_credit = z["roads_credit"].tobytes().decode("utf-8") if "roads_credit" in z.files else ""
    return BaseMap(parts.pop("land"), parts, cities, roads_credit)


@functools.lru_cache(maxsize=8)
def is_geographic(points: tuple[tuple[float, float], ...]) -> bool:
    """Whether (lon, lat) points look like places on Earth: at least half of them on land.

    Abstract coordinates read as degrees (the OPHS instances') fall in the sea near 0° 0°.
    """
    base = load()
    if base is None or not points:
        return False
    if any(not (-90.0 <= lat <= 90.0) for _, lat in points):
        return False
    return 2 * sum(base.on_land(lon, lat) for lon, lat in points) >= len(points)
