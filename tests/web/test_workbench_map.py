"""The workbench's map: the places on the offline base layer where they lie on Earth, so that a
coordinate typed wrong shows in the sea or in another province."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml
from helpers import ROOT, basemap_with_roads, using_basemap

from scheduler.scenario.loading import load_scenario
from scheduler.web import editing, views


def _numbers(d: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]


def test_the_places_of_a_real_programme_are_drawn_on_land_sea_borders_and_cities():
    scenario = load_scenario(ROOT / "scenarios" / "dalian-2019.yaml")
    drawn = views.scenario_map(scenario, None, "zh")
    assert drawn.land and drawn.cities
    assert {kind for kind, _ in drawn.lines} >= {"coast", "province"}
    # everything drawn lies on the map, and the base layer's points are its own frame's
    for d in drawn.land + [line for _, line in drawn.lines]:
        xs, ys = _numbers(d)[0::2], _numbers(d)[1::2]
        assert min(xs) > -drawn.width and max(xs) < 2 * drawn.width
        assert min(ys) > -drawn.height and max(ys) < 2 * drawn.height
    assert len(drawn.cities) <= views.MAP_CITIES
    names = [name for name, _, _ in drawn.cities]
    assert any(re.search(r"[\u4e00-\u9fff]", name) for name in names)  # named in the page's language
    for name, x, y in drawn.cities:  # never on top of a place
        assert all(abs(x - p.x) >= 60 or abs(y - p.y) >= 18 for p in drawn.points), name


def test_a_place_typed_in_the_sea_lies_off_the_land_drawn():
    """Dalian's party school moved 0.8 degrees south and 1 east (into the Yellow Sea) is drawn where no land is."""
    from matplotlib.path import Path as MplPath

    scenario = load_scenario(ROOT / "scenarios" / "dalian-2019.yaml")
    places = [(p.id, p.name_en or p.id, p.lat, p.lon, "place") for p in scenario.places]
    moved = [
        (i, n, lat - 0.8, lon + 1.0, k) if i == "dalian_party_school" else (i, n, lat, lon, k)
        for i, n, lat, lon, k in places
    ]
    for placed, on_land in ((places, True), (moved, False)):
        drawn = views.place_map(placed)
        point = next(p for p in drawn.points if p.ident == "dalian_party_school")
        rings = [MplPath(list(zip(_numbers(d)[0::2], _numbers(d)[1::2], strict=True))) for d in drawn.land]
        assert any(ring.contains_point((point.x, point.y)) for ring in rings) is on_land


def test_abstract_coordinates_get_no_base_layer():
    places = [("a", "A", 0.1, 0.2, "site"), ("b", "B", 0.4, -0.3, "site"), ("c", "C", -0.2, 0.1, "lodging")]
    drawn = views.place_map(places)
    assert len(drawn.points) == 3
    assert not drawn.land and not drawn.lines and not drawn.cities


@pytest.fixture
def with_roads(tmp_path) -> Iterator[None]:
    """The shipped base layer plus made-up roads (``helpers.MADE_UP_ROADS``), Dalian to Shenyang among them."""
    with using_basemap(basemap_with_roads(tmp_path / "basemap.npz")):
        yield


def test_the_workbench_map_draws_the_major_roads_under_the_coast_and_borders(with_roads):
    scenario = load_scenario(ROOT / "scenarios" / "dalian-2019.yaml")
    drawn = views.scenario_map(scenario, None, "zh")
    kinds = [kind for kind, _ in drawn.lines]
    assert {"highway", "road"} <= set(kinds)
    last_road = max(i for i, kind in enumerate(kinds) if kind in ("highway", "road"))
    assert last_road < kinds.index("coast"), "a road drawn over the coast"
    # the made-up Dalian-Shenyang highway crosses the map: its points lie in the frame
    highways = [_numbers(d) for kind, d in drawn.lines if kind == "highway"]
    xs = [x for numbers in highways for x in numbers[0::2]]
    ys = [y for numbers in highways for y in numbers[1::2]]
    assert any(0 <= x <= drawn.width and 0 <= y <= drawn.height for x, y in zip(xs, ys, strict=True))


def test_the_editors_coordinate_map_has_the_roads_too(with_roads):
    data = yaml.safe_load((ROOT / "scenarios" / "dalian-2019.yaml").read_text(encoding="utf-8"))
    base = editing.coordinate_map(data, "en").base
    assert {"highway", "road"} <= {kind for kind, _ in base.lines}


def test_abstract_coordinates_get_no_roads(with_roads):
    places = [("a", "A", 0.1, 0.2, "site"), ("b", "B", 0.4, -0.3, "site"), ("c", "C", -0.2, 0.1, "lodging")]
    assert not views.place_map(places).lines


def test_the_workbench_styles_the_roads_as_thin_unfilled_lines():
    """A polyline the style sheet does not know is filled black: every base kind has its stroke."""
    css = (ROOT / "scheduler" / "web" / "static" / "workbench.css").read_text(encoding="utf-8")
    assert re.search(r"\.map \.base polyline \{[^}]*fill: none", css)
    widths = {}
    for kind in ("road", "highway", "coast", "border", "province"):
        rule = re.search(r"\.map \." + kind + r" \{([^}]*)\}", css)
        assert rule and "stroke:" in rule.group(1), kind
        widths[kind] = float(re.search(r"stroke-width: ([\d.]+)", rule.group(1)).group(1))
    assert widths["road"] < widths["highway"] < 3  # the routes are 3 wide


def _drawn_map_svg(drawn: views.Map) -> str:
    """The workbench's map template (``_map.html``) as a page includes it."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("scheduler.web", "templates"), autoescape=select_autoescape(default=True))
    return env.get_template("_map.html").render(map=drawn, t=lambda key: key)


def test_the_workbench_map_credits_openstreetmap_for_the_shipped_roads():
    """The shipped roads are OpenStreetMap's (ODbL): the map that draws them says so."""
    drawn = views.scenario_map(load_scenario(ROOT / "scenarios" / "dalian-2019.yaml"), None, "zh")
    assert "highway" in {kind for kind, _ in drawn.lines}
    assert drawn.roads_credit == "© OpenStreetMap contributors"
    assert "Natural Earth · GeoNames (CC BY 4.0) · © OpenStreetMap contributors</text>" in _drawn_map_svg(drawn)


def test_the_workbench_map_credits_no_openstreetmap_for_natural_earths_roads(with_roads):
    drawn = views.scenario_map(load_scenario(ROOT / "scenarios" / "dalian-2019.yaml"), None, "zh")
    assert "highway" in {kind for kind, _ in drawn.lines} and not drawn.roads_credit
    assert "Natural Earth · GeoNames (CC BY 4.0)</text>" in _drawn_map_svg(drawn)
