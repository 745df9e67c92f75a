"""The maps' base layer (``scheduler/render/basemap.py``) and where the maps put city names.

Drawn from the saved Dalian plan (tests/data/dalian-plan.json): land, sea and borders under
the routes, city names that overlap neither each other nor the places' labels; and no base
layer for coordinates that are not geographic (the OPHS instances' points near 0° 0°). And how
the maps are written: SVG only, each once, whether one process draws them or several share them.
"""

from __future__ import annotations

import copy
import itertools
import json
import signal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import DATA
from matplotlib.figure import Figure

from scheduler.render import basemap, maps, processes
from scheduler.render.document import Document
from scheduler.render.labels import Labels

PLAN = DATA / "dalian-plan.json"


@pytest.fixture(scope="module")
def plan_data() -> dict[str, Any]:
    return json.loads(PLAN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dalian(plan_data: dict[str, Any]) -> Document:
    return Document.from_json(plan_data)


@pytest.fixture(scope="module")
def week_maps(dalian: Document) -> dict[str, Figure]:
    """Each class's week map, drawn (not saved)."""
    labels = Labels(dalian.programme.language)
    figures = {}
    for klass in dalian.classes:
        figures[klass.id] = maps.draw_map(dalian, maps.week_content(dalian, klass.id, labels), labels, maps.WEEK_MAP)
        figures[klass.id].canvas.draw()
    return figures


def _by_gid(fig: Figure, gid: str) -> list:
    """The artists whose id is ``gid`` or ``gid-<n>``."""
    return [a for a in fig.axes[0].get_children() if a.get_gid() == gid or (a.get_gid() or "").startswith(gid + "-")]


def _pixel(fig: Figure, dalian: Document, class_id: str, lon: float, lat: float) -> tuple[int, int, int]:
    """The colour drawn at (lon, lat) on the class's week map (projected as ``draw_map`` does)."""
    labels = Labels(dalian.programme.language)
    places = [dalian.places[p] for p in maps.week_content(dalian, class_id, labels).places]
    x, y = maps.Projection.around(places).project(np.array([lon, lat]))
    px, py = fig.axes[0].transData.transform((x, y))
    image = np.asarray(fig.canvas.buffer_rgba())
    row, column = image.shape[0] - int(round(py)), int(round(px))
    return tuple(int(v) for v in image[row, column, :3])


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def test_a_dalian_map_has_land_coast_and_borders(week_maps: dict[str, Figure]):
    fig = week_maps["economy"]
    assert _by_gid(fig, "basemap-land"), "no land drawn"
    for kind in ("coast", "border", "province"):
        (lines,) = _by_gid(fig, f"basemap-{kind}")
        assert len(lines.get_path().vertices) > 10, f"no {kind} lines"
    assert _by_gid(fig, "basemap-credit")[0].get_text().startswith(maps.BASE_CREDIT)


@pytest.mark.parametrize(
    ("lon", "lat", "colour"),
    [
        (120.6, 39.9, maps.SEA_COLOUR),  # the Bohai Sea, west of the Liaodong peninsula
        (123.0, 38.6, maps.SEA_COLOUR),  # the Yellow Sea, south-east of Dalian
        (124.6, 41.3, maps.LAND_COLOUR),  # inland, between Benxi and the border
        (121.3, 41.0, maps.LAND_COLOUR),  # inland, north of Jinzhou bay
    ],
)
def test_the_sea_and_the_land_have_their_colours(
    week_maps: dict[str, Figure], dalian: Document, lon: float, lat: float, colour: str
):
    assert _pixel(week_maps["economy"], dalian, "economy", lon, lat) == _hex(colour)


def test_city_names_overlap_neither_each_other_nor_the_places_labels(week_maps: dict[str, Figure]):
    shown = 0
    for class_id, fig in week_maps.items():
        renderer = fig.canvas.get_renderer()
        cities = [t.get_window_extent(renderer) for t in _by_gid(fig, "city-label")]
        places = [t.get_window_extent(renderer) for t in _by_gid(fig, "place-label")]
        frame = fig.axes[0].get_window_extent(renderer)
        assert places, class_id
        for a, b in itertools.combinations(cities, 2):
            assert not a.overlaps(b), f"{class_id}: two city names overlap"
        for a, b in itertools.product(cities, places):
            assert not a.overlaps(b), f"{class_id}: a city name overlaps a place's label"
        for box in cities:
            assert frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1), f"{class_id}: outside the map"
        shown += len(cities)
    assert shown >= 4 * 3, "too few city names to judge"


def test_a_chinese_map_names_cities_in_chinese(week_maps: dict[str, Figure]):
    names = [t.get_text() for fig in week_maps.values() for t in _by_gid(fig, "city-label")]
    assert names and all(any("\u4e00" <= ch <= "\u9fff" for ch in name) for name in names), names


def test_a_city_named_like_a_place_on_the_map_is_left_out(dalian: Document):
    """The economy class's second day is in Shenyang: its night place 沈阳市 is labelled, and
    GeoNames' 沈阳, a few km away, is not named a second time."""
    labels = Labels(dalian.programme.language)
    content = maps.day_content(dalian, "economy", dalian.dates[1], labels)
    fig = maps.draw_map(dalian, content, labels, maps.DAY_MAP)
    places = {t.get_text() for t in _by_gid(fig, "place-label")}
    cities = {t.get_text() for t in _by_gid(fig, "city-label")}
    assert "沈阳市" in places and "沈阳" not in cities


@pytest.mark.parametrize(
    "moved",
    [
        # abstract coordinates read as degrees, as the OPHS instances' are: the Gulf of Guinea
        lambda lon, lat: ((lon - 121.0) / 10, (lat - 38.0) / 10),
        # every place in the Yellow Sea, the map's corner over Shandong: land in view, none under the places
        lambda lon, lat: (lon, lat - 3.0),
    ],
    ids=["near-zero-degrees", "all-at-sea"],
)
def test_places_not_on_land_get_no_base_layer(plan_data: dict[str, Any], moved):
    """No coast, no city, the plain background."""
    data = copy.deepcopy(plan_data)
    for place in data["places"]:
        place["lon"], place["lat"] = moved(place["lon"], place["lat"])
    doc = Document.from_json(data)
    labels = Labels(doc.programme.language)
    fig = maps.draw_map(doc, maps.week_content(doc, doc.classes[0].id, labels), labels, maps.WEEK_MAP)
    gids = {a.get_gid() for a in fig.axes[0].get_children()}
    assert not any(g and (g.startswith("basemap") or g.startswith("city")) for g in gids), gids
    assert fig.axes[0].get_facecolor()[:3] == pytest.approx(tuple(c / 255 for c in _hex(maps.PLAIN_BACKGROUND)))


@pytest.mark.parametrize(
    ("lon", "lat", "geographic"),
    [
        (121.60, 38.91, True),  # Dalian
        (121.60, 38.82, True),  # Dalian's south shore: in the sea by the generalised coast, but near it
        (122.50, 38.00, False),  # the Yellow Sea
        (0.30, 0.40, False),  # where an OPHS instance's points fall
    ],
)
def test_on_land(lon: float, lat: float, geographic: bool):
    world = basemap.load()
    assert world is not None
    assert world.on_land(lon, lat) is geographic


def test_is_geographic_asks_that_half_the_places_be_on_land():
    dalian, sea = (121.60, 38.91), (122.5, 38.0)
    assert basemap.is_geographic((dalian, dalian, sea))
    assert not basemap.is_geographic((dalian, sea, sea))
    assert not basemap.is_geographic(())


def test_land_across_the_antimeridian_comes_back_east_of_180():
    """Fiji straddles 180°: asked for 179°E to 182°E (178°W), its eastern islands come back past 180."""
    world = basemap.load()
    assert world is not None
    land = world.inside((179.0, -19.5, 182.0, -16.0)).land
    assert land
    assert any(ring[:, 0].max() > 180.0 for ring in land)
    assert all(ring[:, 0].min() >= 179.0 and ring[:, 0].max() <= 182.0 for ring in land)


def test_clip_ring_keeps_the_part_inside_the_box():
    square = np.array([(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0)])
    clipped = basemap.clip_ring(square, (1.0, -1.0, 3.0, 2.0))
    x, y = clipped[:, 0], clipped[:, 1]
    area = abs(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) / 2
    assert area == pytest.approx(2.0 * 2.0)
    assert len(basemap.clip_ring(square, (5.0, 5.0, 6.0, 6.0))) == 0


# ---------------------------------------------------------------------------
# Writing


@pytest.mark.parametrize("count", [1, 2], ids=["one-process", "shared"])
def test_every_map_is_written_once_as_svg_and_nothing_else(dalian: Document, tmp_path: Path, count: int):
    """Each class's week and day maps and the chart: one SVG each, listed once in ``written``
    (shared among processes, no map is drawn twice nor left out), whole, and no other file."""
    labels = Labels(dalian.programme.language)
    files, written = maps.write_maps(dalian, labels, tmp_path, processes=count)
    expected = sorted({*files.week.values(), *files.day.values(), files.figures})
    assert len(expected) == len(dalian.classes) * (1 + len(dalian.dates)) + 1
    assert sorted(path.relative_to(tmp_path).as_posix() for path in written) == expected
    on_disk = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*") if path.is_file())
    assert on_disk == expected
    for name in expected:
        assert (tmp_path / name).read_text(encoding="utf-8").rstrip().endswith("</svg>"), name


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="no signal masks on this system")
def test_a_process_started_to_help_draw_never_gets_ctrl_c():
    """Started with SIGINT blocked (Ctrl-C reaches the render's own process alone, which stops
    handing out maps): a helper interrupted while it starts would print a traceback. The
    starting thread's own mask is as before afterwards."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    with processes.pool(1) as workers:
        with maps.sigint_blocked():
            helper_mask = workers.submit(signal.pthread_sigmask, signal.SIG_BLOCK, [])
        assert signal.SIGINT in helper_mask.result()
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before
