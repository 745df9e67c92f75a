"""The maps' roads: built from OpenStreetMap's network (scgraph_data's ``world_highways.py``, the
roads the file ships) or Natural Earth's road file (``scripts/build_basemap.py``), read back by
``basemap``, drawn by ``maps`` under the routes, thin and pale, and credited.

Most drawing tests use the shipped base layer with made-up roads (``helpers.MADE_UP_ROADS``), so
that they do not depend on the roads the file ships.
"""

from __future__ import annotations

import colorsys
import copy
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import DATA, MADE_UP_ROADS, basemap_with_roads, build_basemap_script, using_basemap
from matplotlib.figure import Figure

from scheduler.render import basemap, maps
from scheduler.render.document import Document
from scheduler.render.labels import Labels

PLAN = DATA / "dalian-plan.json"
SCRIPT = build_basemap_script()
SHIPPED = basemap.DATA


@pytest.fixture(scope="module")
def plan_data() -> dict[str, Any]:
    return json.loads(PLAN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def with_roads(tmp_path_factory: pytest.TempPathFactory) -> Iterator[basemap.BaseMap]:
    """The shipped base layer plus the made-up roads, drawn on while the module's tests run."""
    path = basemap_with_roads(tmp_path_factory.mktemp("basemap") / "basemap.npz")
    with using_basemap(path) as world:
        yield world


def _week_map(data: dict[str, Any], class_id: str = "economy") -> Figure:
    doc = Document.from_json(data)
    labels = Labels(doc.programme.language)
    return maps.draw_map(doc, maps.week_content(doc, class_id, labels), labels, maps.WEEK_MAP)


def _collection(fig: Figure, gid: str):
    (found,) = [a for a in fig.axes[0].get_children() if a.get_gid() == gid]
    return found


def _pieces(lines) -> list[np.ndarray]:
    """The polylines of a base-layer line kind, drawn as one path of many pieces."""
    path = lines.get_path()
    return [piece for piece in np.split(path.vertices, np.flatnonzero(path.codes == path.MOVETO)[1:]) if len(piece)]


# ---------------------------------------------------------------------------
# Building the layers


def test_only_major_roads_are_kept_by_kind():
    layers = SCRIPT.road_layers(MADE_UP_ROADS)
    assert set(layers) == {"highway", "road"}
    every = np.concatenate([np.concatenate(parts) for parts in layers.values()])
    lons = every[:, 0] / SCRIPT.SCALE
    # the minor road to Lüshun and the ferry to Yantai are left out; the beltway is a highway
    assert not ((lons < 121.5) & (lons > 121.0)).any(), "the minor road or the ferry was kept"
    assert (every[:, 1] / SCRIPT.SCALE >= 38.9).all(), "the ferry route was kept"
    highway = np.concatenate(layers["highway"]) / SCRIPT.SCALE
    assert ((highway[:, 0] >= 123.3) & (highway[:, 1] >= 41.9)).any(), "the beltway is not a highway"
    road = np.concatenate(layers["road"]) / SCRIPT.SCALE
    assert road[:, 0].max() == pytest.approx(124.35), "the secondary highway to Dandong is not a road"


def test_roads_are_cut_into_short_pieces_in_stored_units():
    dalian_shenyang = SCRIPT.road_layers(MADE_UP_ROADS[:1])["highway"]
    assert len(dalian_shenyang) >= 2, "a long road is not cut"
    assert all(2 <= len(piece) <= SCRIPT.PIECE for piece in dalian_shenyang)
    for a, b in zip(dalian_shenyang[:-1], dalian_shenyang[1:], strict=True):
        assert tuple(a[-1]) == tuple(b[0]), "pieces of one road do not join"
    first = MADE_UP_ROADS[0]["geometry"]["coordinates"][0]
    assert tuple(dalian_shenyang[0][0]) == (round(first[0] * 10_000), round(first[1] * 10_000))


def test_a_scalerank_cut_leaves_out_the_smaller_roads():
    ranked = SCRIPT.road_layers(MADE_UP_ROADS, max_scalerank=8)
    unranked = SCRIPT.road_layers(MADE_UP_ROADS)
    assert len(ranked["road"]) == len(unranked["road"]) - 1
    assert len(ranked["highway"]) == len(unranked["highway"])


def test_simplifying_keeps_the_shape_within_the_tolerance():
    x = np.arange(0, 1000)
    line = np.stack([x, np.where(x % 2 == 0, 0, 3)], axis=1)  # a zigzag 3 units high
    line[500, 1] = 200  # and one peak far off the line
    kept = SCRIPT.simplified(line, 10.0)
    assert tuple(kept[0]) == (0, 0) and tuple(kept[-1]) == tuple(line[-1])
    assert (500, 200) in {tuple(p) for p in kept}
    assert len(kept) <= 6
    for tolerance in (10.0, 1.0):
        kept = SCRIPT.simplified(line, tolerance)
        assert _farthest(line, kept) <= tolerance
    assert len(kept) > 900  # the zigzag itself is kept when it is larger than the tolerance


def _farthest(points: np.ndarray, line: np.ndarray) -> float:
    """How far the farthest of ``points`` lies from the polyline ``line``."""
    a, b = line[:-1].astype(float), line[1:].astype(float)
    ab = b - a
    p = points.astype(float)[:, None, :]
    t = np.clip(((p - a) * ab).sum(axis=2) / np.maximum((ab**2).sum(axis=1), 1e-12), 0.0, 1.0)
    return float(np.sqrt(((a + ab * t[..., None] - p) ** 2).sum(axis=2)).min(axis=1).max())


def _graph_file(path: Path, nodes: list[tuple[float, float]], edges: list[tuple[int, int]]) -> Path:
    """A file laid out as scgraph_data's ``world_highways.py``: ``nodes`` (lon, lat) written lat
    first, ``edges`` both ways with made-up km. Its first line fails if the file is run."""
    graph: list[dict[int, float]] = [{} for _ in nodes]
    for a, b in edges:
        graph[a][b] = graph[b][a] = 1.5
    lines = [
        "from scgraph.core import GeoGraph  # not installed: running the file fails",
        f"graph={graph!r}",
        f"nodes={[[lat, lon] for lon, lat in nodes]!r}",
        "world_highways_geograph = GeoGraph(graph=graph, nodes=nodes)",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_openstreetmap_roads_are_joined_through_junctions_as_one_kind(tmp_path: Path):
    nodes = [(121.0 + 0.1 * k, 39.0) for k in range(6)]  # 0-5: a road east, 0.1° between nodes
    nodes += [(121.2, 39.1), (121.2, 39.2)]  # 6-7: a branch north from node 2
    nodes += [(121.5005, 39.0005)]  # 8: a knot by node 5 (less than 0.003° off): merged into it
    nodes += [(122.0, 40.0), (122.2, 40.0), (122.2, 40.2), (122.0, 40.2)]  # 9-12: a loop, no junction
    nodes += [(123.0, 41.0), (123.005, 41.0)]  # 13-14: an isolated stub, 0.4 km
    edges = [(k, k + 1) for k in range(5)] + [(2, 6), (6, 7), (5, 8), (9, 10), (10, 11), (11, 12), (12, 9)]
    edges += [(13, 14), (4, 4)]  # and a node joined to itself
    path = _graph_file(tmp_path / "world_highways.py", nodes, edges)

    points, read = SCRIPT.read_osm_graph(path)
    assert tuple(points[6]) == (121.2, 39.1), "not read lon first"
    assert len(read) == len(edges) - 1 and (read[:, 0] < read[:, 1]).all(), "edges not once each, or a loop kept"

    layers = SCRIPT.osm_road_layers(path)
    assert list(layers) == ["highway"]
    lines = [piece / SCRIPT.SCALE for piece in layers["highway"]]
    assert not any((line[:, 0] > 122.9).any() for line in lines), "the stub was kept"
    (loop,) = [line for line in lines if (line[:, 1] >= 40.0).all()]
    assert tuple(loop[0]) == tuple(loop[-1]) and len(loop) == 5, "the loop is not one closed line"
    # the road east runs on through the branch's junction: one line from 121.0 to 121.5
    assert any(line[:, 0].min() == 121.0 and line[:, 0].max() >= 121.5 and np.ptp(line[:, 1]) < 0.01 for line in lines)
    # the knot merged into node 5: every stored point within the tolerance of a node
    for line in lines:
        for lon, lat in line:
            assert min(np.hypot(lon - x, lat - y) for x, y in nodes) <= SCRIPT.OSM_ROAD_TOLERANCE, (lon, lat)
    for a, b in edges[:-2]:  # and every edge drawn (the straight runs simplified to their ends)
        middle = np.array([[(nodes[a][0] + nodes[b][0]) / 2, (nodes[a][1] + nodes[b][1]) / 2]])
        assert min(_farthest(middle, line) for line in lines) <= SCRIPT.OSM_ROAD_TOLERANCE, (a, b)
    assert len(lines) == 3, "not one line east, one north and the loop"


def test_roads_come_from_one_source_only(tmp_path: Path):
    with pytest.raises(ValueError, match="not both"):
        SCRIPT.build(
            tmp_path / "x.gpkg", tmp_path / "x.json", tmp_path / "out.npz", tmp_path / "a", osm_roads=tmp_path / "b"
        )


# ---------------------------------------------------------------------------
# Reading them back


def test_the_roads_are_read_back_first_and_only_near_the_map(with_roads: basemap.BaseMap):
    assert list(with_roads.lines)[:2] == ["road", "highway"]  # drawn first: under the coast and the borders
    extract = with_roads.inside((121.0, 38.5, 124.0, 42.0))  # Liaoning, not Beijing
    highways = np.concatenate(extract.lines["highway"])
    assert highways[:, 0].min() > 121.0 - 1.0, "Beijing's highway is read for a map of Liaoning"
    assert len(extract.lines["road"]) >= 2


# ---------------------------------------------------------------------------
# Drawing them


def test_the_dalian_map_draws_the_roads_under_the_routes(with_roads: basemap.BaseMap, plan_data: dict[str, Any]):
    fig = _week_map(plan_data)
    ax = fig.axes[0]
    highway, road = _collection(fig, "basemap-highway"), _collection(fig, "basemap-road")
    (land,) = [a for a in ax.get_children() if a.get_gid() == "basemap-land"]
    province = _collection(fig, "basemap-province")
    assert land.get_zorder() < road.get_zorder() < highway.get_zorder() < province.get_zorder()
    cities = [a.get_zorder() for a in ax.get_children() if (a.get_gid() or "").startswith("city-")]
    assert cities and highway.get_zorder() < min(cities), "a road over a city's name"
    assert highway.get_linewidth() > road.get_linewidth(), "a major highway no wider than a road"
    # only the pieces that reach the map's frame are drawn: none of Beijing's
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    pad = 0.1 * max(x1 - x0, y1 - y0)  # the made-up roads have a point every few km
    for piece in _pieces(highway) + _pieces(road):
        x, y = piece[:, 0], piece[:, 1]
        assert ((x >= x0 - pad) & (x <= x1 + pad) & (y >= y0 - pad) & (y <= y1 + pad)).any(), piece[0]


def test_the_dalian_map_svg_has_the_road_paths(with_roads: basemap.BaseMap, plan_data: dict[str, Any]):
    fig = _week_map(plan_data)
    out = io.BytesIO()
    fig.savefig(out, format="svg")
    svg = out.getvalue().decode("utf-8")
    for kind in ("highway", "road"):
        start = svg.index(f'<g id="basemap-{kind}">')
        group = svg[start : svg.index("</g>", start)]
        assert group.count("<path") >= 1, kind


def test_the_roads_colours_are_far_from_the_legs():
    """Pale and little saturated, where the coach legs are strong colours."""
    for kind in ("road", "highway"):
        colour = maps.BASE_LINES[kind][0]
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        _, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
        assert lightness > 0.6 and saturation < 0.6, kind
        for leg in maps.DAY_COLOURS:
            lr, lg, lb = (int(leg[i : i + 2], 16) / 255 for i in (1, 3, 5))
            assert abs(r - lr) + abs(g - lg) + abs(b - lb) > 0.45, (kind, leg)


def test_abstract_coordinates_get_no_roads(with_roads: basemap.BaseMap, plan_data: dict[str, Any]):
    """The OPHS instances' points near 0° 0°: no base layer at all, roads included."""
    data = copy.deepcopy(plan_data)
    for place in data["places"]:
        place["lon"], place["lat"] = (place["lon"] - 121.0) / 10, (place["lat"] - 38.0) / 10
    fig = _week_map(data)
    gids = {a.get_gid() or "" for a in fig.axes[0].get_children()}
    assert not any(g.startswith("basemap") for g in gids), gids


def test_a_base_layer_without_roads_draws_none(plan_data: dict[str, Any], tmp_path: Path):
    """A file built without ``--roads`` (or an older one) still draws the rest."""
    with np.load(SHIPPED) as shipped:
        arrays = {k: shipped[k] for k in shipped.files if not k.startswith(basemap.ROAD_KINDS)}
    np.savez_compressed(tmp_path / "basemap.npz", **arrays)
    with using_basemap(tmp_path / "basemap.npz") as world:
        assert list(world.lines) == list(basemap.LINE_KINDS)
        gids = {a.get_gid() or "" for a in _week_map(plan_data).axes[0].get_children()}
    assert "basemap-coast" in gids and not {"basemap-road", "basemap-highway"} & gids


# ---------------------------------------------------------------------------
# The roads the file ships

G15_NEAR = [(122.02, 39.63), (122.38, 40.42), (122.98, 41.1)]
"""Points on the G15 (Shenhai expressway) between Dalian and Shenyang: by Wafangdian, Gaizhou
and Anshan."""


def test_the_shipped_base_layer_has_the_g15_between_dalian_and_shenyang():
    """OpenStreetMap's highways, as scgraph_data simplified them and the build script merged
    and simplified them again (0.003°)."""
    with using_basemap(SHIPPED) as world:  # not the made-up roads, whichever test ran before
        assert world is not None and "highway" in world.lines
    highways = world.lines["highway"]
    for lon, lat in G15_NEAR:
        near = [highways.part(i) for i in highways.touching((lon - 0.1, lat - 0.1, lon + 0.1, lat + 0.1))]
        # some stored point of a highway within 0.1° (about 10 km)
        assert any(np.hypot(*(piece - (lon, lat)).T).min() < 0.1 for piece in near), (lon, lat)


def test_a_map_credits_openstreetmap_when_it_draws_its_roads(plan_data: dict[str, Any], tmp_path: Path):
    """OpenStreetMap's licence (ODbL) asks for its credit where its data are shown: the shipped
    roads are OpenStreetMap's; Natural Earth's roads, or none, leave Natural Earth and GeoNames."""
    with using_basemap(SHIPPED) as world:
        assert world is not None and world.roads_credit == "© OpenStreetMap contributors"
        fig = _week_map(plan_data)
        assert _pieces(_collection(fig, "basemap-highway"))
        assert _collection(fig, "basemap-credit").get_text() == f"{maps.BASE_CREDIT} · © OpenStreetMap contributors"
    with np.load(SHIPPED) as shipped:
        arrays = {k: shipped[k] for k in shipped.files if not k.startswith(basemap.ROAD_KINDS)}
    np.savez_compressed(tmp_path / "basemap.npz", **arrays)
    with using_basemap(tmp_path / "basemap.npz"):
        assert _collection(_week_map(plan_data), "basemap-credit").get_text() == maps.BASE_CREDIT
    with using_basemap(basemap_with_roads(tmp_path / "natural-earth.npz")):
        fig = _week_map(plan_data)
        assert _pieces(_collection(fig, "basemap-highway"))
        assert _collection(fig, "basemap-credit").get_text() == maps.BASE_CREDIT


def test_a_map_without_roads_in_view_does_not_credit_openstreetmap():
    """The credit follows the roads drawn, not the file: an extent with no road in it."""
    with using_basemap(SHIPPED) as world:
        assert world is not None
        sea = world.inside((-30.0, -30.0, -29.0, -29.0))  # the South Atlantic
        dalian = world.inside((121.0, 38.6, 122.2, 39.6))  # the Dalian peninsula
        district = world.inside((121.5, 38.8, 121.8, 39.0))  # within Dalian: too close for these roads
    assert not sea.roads_credit and not any(sea.lines.get(kind) for kind in basemap.ROAD_KINDS)
    assert dalian.roads_credit == "© OpenStreetMap contributors" and dalian.lines["highway"]
    assert not district.roads_credit and not any(district.lines.get(kind) for kind in basemap.ROAD_KINDS)
    assert district.lines["coast"] and district.land, "the rest of the base layer is drawn"
