"""Route maps and the figures chart, drawn with matplotlib from the plan's coordinates.

No map tiles: a drawing on a local flat projection (km east and north of the map's centre),
over an offline base layer (land and sea, coast, country and province borders, major roads,
city names: ``basemap``) when the places are geographic, credited in the lower right corner
(``credit``: OpenStreetMap's too where its roads are drawn), the class's places labelled, its
base and night places marked, coach legs as coloured arrows (straight lines, not along the
roads, which lie under them thin and pale), a scale bar and a north arrow.
Each map is written as SVG, which both booklets embed (sharp in print). Reads a ``Document``
only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import math
import signal
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np

matplotlib.use("Agg")  # no screen; must precede the imports below

from matplotlib import font_manager  # noqa: E402
from matplotlib import patheffects as pe  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backend_bases import RendererBase  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import FancyArrowPatch, PathPatch  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from scheduler.atomic import atomic_path  # noqa: E402
from scheduler.render import basemap  # noqa: E402
from scheduler.render.document import Document, Place  # noqa: E402
from scheduler.render.files import file_name, file_names, inside  # noqa: E402
from scheduler.render.fonts import CJK_FAMILY, cjk_font_files  # noqa: E402
from scheduler.render.labels import Labels  # noqa: E402
from scheduler.render.processes import pool, process_count  # noqa: E402

KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_AT_EQUATOR = 111.320
DAY_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
BASE_COLOUR, NIGHT_COLOUR, SITE_COLOUR, SITE_EDGE = "#b8860b", "#34495e", "#2c7a3f", "#ffffff"
OTHER_COLOUR = "#7f8c8d"
PLAIN_BACKGROUND, SEA_COLOUR, LAND_COLOUR = "#f7f9fb", "#d9e8f3", "#f6f3ec"
CITY_COLOUR = "#5d6d7e"
LINE_SIMPLIFY = 0.5
"""How far (in points) the base layer's drawn lines may stray from their data as they are
simplified while drawn: half a point, far below what the lines' width shows."""
BASE_LINES = {  # kind: (colour, width in points, dashes or None, zorder); drawn under the routes
    # pale warm lines, thin, far from the legs' saturated colours: a dense network (OpenStreetMap's
    # major roads on a map of a province) stays a background to the routes
    "road": ("#e8d8b0", 0.4, None, 0.2),
    "highway": ("#e2c89a", 0.55, None, 0.25),
    "province": ("#a89d8a", 0.6, (3.0, 2.0), 0.3),
    "coast": ("#8fb1c9", 0.6, None, 0.35),
    "border": ("#8d8272", 0.9, (5.0, 1.5, 1.0, 1.5), 0.4),
}
BASE_CREDIT = "Natural Earth · GeoNames"
LEGEND_COLUMNS = 4
NICE_KM = (0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
MIN_SPAN_KM = 8.0
MAX_NAME_SHOWN = 60
"""The most characters of a name on a map or chart (place labels, class names); longer ones end in "…"."""


def day_colour(day_number: int) -> str:
    return DAY_COLOURS[(day_number - 1) % len(DAY_COLOURS)]


@functools.cache
def _register_fonts() -> None:
    for path in cjk_font_files():
        font_manager.fontManager.addfont(str(path))


def _style() -> dict[str, object]:
    _register_fonts()
    return {
        "font.family": [CJK_FAMILY, "DejaVu Sans"],
        "font.size": 8,
        "axes.unicode_minus": False,
        "svg.fonttype": "path",  # glyphs as outlines: the SVG needs no font where it is shown
        "svg.hashsalt": "training-itinerary",  # the same map gives the same file
        "path.simplify": True,
    }


# ---------------------------------------------------------------------------
# Projection


@dataclass(frozen=True)
class Projection:
    """Degrees to km east and north of a centre: accurate enough for a region of a few hundred km."""

    lat0: float
    lon0: float

    @classmethod
    def around(cls, places: Iterable[Place]) -> Projection:
        points = list(places)
        lats, lons = [p.lat for p in points], [p.lon for p in points]
        return cls((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2)

    def xy(self, place: Place) -> tuple[float, float]:
        x = (place.lon - self.lon0) * KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(self.lat0))
        y = (place.lat - self.lat0) * KM_PER_DEGREE_LAT
        return x, y

    def project(self, lonlat: np.ndarray) -> np.ndarray:
        """An (n, 2) array of (lon, lat) as km east and north of the centre."""
        out = lonlat - (self.lon0, self.lat0)
        return out * (KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(self.lat0)), KM_PER_DEGREE_LAT)

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        """The inverse of ``xy``: degrees at (x, y) km from the centre."""
        km_per_lon = KM_PER_DEGREE_LON_AT_EQUATOR * max(math.cos(math.radians(self.lat0)), 1e-6)
        return self.lon0 + x / km_per_lon, self.lat0 + y / KM_PER_DEGREE_LAT


# ---------------------------------------------------------------------------
# What a map shows


@dataclass(frozen=True)
class Leg:
    from_place: str
    to_place: str
    day_number: int
    order: int  # 1, 2, ... within what the map shows


@dataclass(frozen=True)
class MapContent:
    title: str
    legs: tuple[Leg, ...]
    places: tuple[str, ...]  # every place to mark, in the order of first use
    base: str
    nights: tuple[str, ...]
    sites: tuple[str, ...]  # places of sites visited
    number_legs: bool  # day maps number their legs; the week map colours them by day
    day_labels: tuple[tuple[int, str], ...]  # (day number, label) for the legend


def week_content(doc: Document, class_id: str, labels: Labels) -> MapContent:
    klass = doc.training_class(class_id)
    legs = tuple(
        Leg(e.from_place or "", e.to_place or "", doc.day_number(e.date), i)
        for i, e in enumerate(doc.route_of(class_id), start=1)
    )
    nights = tuple(dict.fromkeys(n.place for n in doc.plan.nights if n.class_id == class_id))
    visits = [e for e in doc.events_of(class_id) if e.kind == "field_visit" and e.site]
    sites = tuple(dict.fromkeys(doc.sites[e.site or ""].place for e in visits))
    days = sorted({leg.day_number for leg in legs})
    return MapContent(
        title=_marked(doc, labels, f"{klass.name(labels.lang)} · {labels('route_of_week')}"),
        legs=legs,
        places=_places_in_order(klass.start_place, legs, (klass.base, klass.end_place, *nights)),
        base=klass.base,
        nights=nights,
        sites=sites,
        number_legs=False,
        day_labels=tuple((d, f"{labels('day_n', n=d)} {labels.short_date(doc.dates[d - 1])}") for d in days),
    )


def _marked(doc: Document, labels: Labels, title: str) -> str:
    """The title, led by the unchecked mark when the plan was not checked (first, so that a
    title cut short keeps it)."""
    return f"[{labels('unchecked_short')}] {title}" if doc.unchecked else title


def day_content(doc: Document, class_id: str, date: dt.date, labels: Labels) -> MapContent:
    klass = doc.training_class(class_id)
    number = doc.day_number(date)
    legs = tuple(
        Leg(e.from_place or "", e.to_place or "", number, i)
        for i, e in enumerate(doc.route_of(class_id, date), start=1)
    )
    start, end = doc.start_place_on(class_id, date), doc.end_place_on(class_id, date)
    night = doc.night_of(class_id, date)
    visits = [e for e in doc.events_of(class_id, date) if e.kind == "field_visit" and e.site]
    return MapContent(
        title=_marked(
            doc, labels, f"{klass.name(labels.lang)} · {labels('day_n', n=number)} {labels.short_date(date)}"
        ),
        legs=legs,
        places=_places_in_order(start, legs, (end,)),
        base=klass.base,
        nights=(night,) if night else (),
        sites=tuple(dict.fromkeys(doc.sites[e.site or ""].place for e in visits)),
        number_legs=True,
        day_labels=(),
    )


def _places_in_order(start: str, legs: Sequence[Leg], extra: Iterable[str]) -> tuple[str, ...]:
    order = [start]
    for leg in legs:
        order += [leg.from_place, leg.to_place]
    order += list(extra)
    return tuple(dict.fromkeys(order))


# ---------------------------------------------------------------------------
# Drawing


@dataclass(frozen=True)
class MapSize:
    """A map's width, the range its height may take to follow the shape of the route, and the
    most city names its base layer shows."""

    width_cm: float
    min_height_cm: float
    max_height_cm: float
    cities: int


WEEK_MAP = MapSize(17.0, 8.0, 12.5, cities=14)
DAY_MAP = MapSize(8.2, 5.5, 8.5, cities=6)


def draw_map(doc: Document, content: MapContent, labels: Labels, size: MapSize) -> Figure:
    """One route map as a matplotlib figure (not yet saved): as tall as the route needs, within ``size``."""
    places = [doc.places[p] for p in content.places]
    projection = Projection.around(places)
    xy = {p.id: projection.xy(p) for p in places}
    handles = _legend_handles(content, labels)
    columns = max(1, min(len(handles), LEGEND_COLUMNS))
    legend_cm = 0.25 + 0.42 * math.ceil(len(handles) / columns)
    title_cm = 0.75 if content.title else 0.1
    _, _, half_x, half_y = _extent(list(xy.values()))
    wanted = size.width_cm * 0.98 * half_y / half_x + legend_cm + title_cm
    height_cm = min(size.max_height_cm, max(size.min_height_cm, wanted))
    with matplotlib.rc_context(_style()):
        fig = Figure(figsize=(size.width_cm / 2.54, height_cm / 2.54), layout=None)
        FigureCanvasAgg(fig)  # a canvas to measure text on
        bottom = legend_cm / height_cm
        rect = (0.01, bottom, 0.98, 1 - bottom - title_cm / height_cm)
        ax = fig.add_axes(rect)
        _frame(ax, list(xy.values()), (size.width_cm * rect[2]) / (height_cm * rect[3]))
        numbers = [
            _arrow(
                ax,
                xy[leg.from_place],
                xy[leg.to_place],
                day_colour(leg.day_number),
                number=leg.order if content.number_legs else None,
            )
            for leg in content.legs
        ]
        _markers(ax, content, xy)
        furniture = [*_scale_bar(ax), _north_arrow(ax)]
        ax.apply_aspect()  # fixes the axes' box (1 km is 1 km both ways), so that labels can be measured and placed
        base = _base_layer(ax, projection, doc)  # for the limits set by _frame
        if base is not None:
            furniture.append(_credit(ax, base.extract))
        _place_leg_numbers(ax, content, xy, numbers)
        renderer = fig.canvas.get_renderer()
        obstacles = [a.get_window_extent(renderer) for a in [*numbers, *furniture] if a is not None]
        lines = []  # keep labels off the lines, as far as they can be
        for leg in content.legs:
            (ax_, ay_), (bx_, by_) = ax.transData.transform([xy[leg.from_place], xy[leg.to_place]])
            for k in range(1, 12):
                t = k / 12
                px, py = ax_ + (bx_ - ax_) * t, ay_ + (by_ - ay_) * t
                lines.append(Bbox.from_extents(px - 1.5, py - 1.5, px + 1.5, py + 1.5))
        taken = _place_labels(fig, ax, doc, content, xy=xy, labels=labels, obstacles=obstacles, lines=lines)
        if base is not None:
            names = {_bare(doc.places[p].name(lang)) for p in content.places for lang in ("zh", "en")}
            _place_cities(
                fig, ax, base, projection, lang=labels.lang, limit=size.cities, taken=taken, lines=lines, names=names
            )
        fig.legend(
            handles=handles,
            loc="lower center",
            ncols=columns,
            fontsize=6.5,
            frameon=False,
            handlelength=1.6,
            columnspacing=1.2,
            borderaxespad=0.15,
            bbox_to_anchor=(0.5, 0.0),
        )
        if content.title:
            _title(fig, content.title, 1 - 0.12 / height_cm)
        return fig


def _title(fig: Figure, text: str, top: float) -> None:
    """The map's title at the top left, smaller (down to 6.5 pt) or cut short if it is too long."""
    title = fig.text(0.015, top, text, fontsize=8.5, fontweight="bold", va="top", ha="left")
    renderer = fig.canvas.get_renderer()
    room = fig.bbox.width * 0.97

    def fits(shown: str | None = None) -> bool:
        if shown is not None:
            title.set_text(shown)
        return title.get_window_extent(renderer).width <= room

    while not fits() and title.get_fontsize() > 6.5:
        title.set_fontsize(title.get_fontsize() - 0.5)
    if fits() or len(text) <= 4:
        return
    # The longest start of the text that fits with "…", found by bisection: a few measurements
    # however long the text is (measuring once per character removed took minutes for a long name).
    shortest, longest = 4, len(text) - 1
    while shortest < longest:
        middle = (shortest + longest + 1) // 2
        if fits(text[:middle].rstrip(" ·") + "…"):
            shortest = middle
        else:
            longest = middle - 1
    title.set_text(text[:shortest].rstrip(" ·") + "…")


def _clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, the last one "…" when cut (a label never takes a whole map)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _extent(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """Centre and half-widths (km) of the area to show: the points, padded, at least ``MIN_SPAN_KM`` across."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys), MIN_SPAN_KM)
    pad = span * 0.14
    half_x = max((max(xs) - min(xs)) / 2 + pad, MIN_SPAN_KM / 2)
    half_y = max((max(ys) - min(ys)) / 2 + pad, MIN_SPAN_KM / 2) * 1.08  # room below for the scale bar
    return (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2, half_x, half_y


def _frame(ax: Axes, points: list[tuple[float, float]], box_ratio: float) -> None:
    """Limits around the points, padded, with the axes' own width-to-height ratio (so 1 km is 1 km both ways)."""
    cx, cy, half_x, half_y = _extent(points)
    if half_x / half_y < box_ratio:
        half_x = half_y * box_ratio
    else:
        half_y = half_x / box_ratio
    cy -= half_y * 0.04
    ax.set_xlim(cx - half_x, cx + half_x)
    ax.set_ylim(cy - half_y, cy + half_y)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(PLAIN_BACKGROUND)
    for spine in ax.spines.values():
        spine.set_color("#b0b8c0")
        spine.set_linewidth(0.6)


def _arrow(ax: Axes, a: tuple[float, float], b: tuple[float, float], colour: str, *, number: int | None):
    """A leg as a curved arrow; with ``number``, its number in a disc halfway (returned, to keep labels off it)."""
    if a == b:
        return None
    arrow = FancyArrowPatch(
        a,
        b,
        arrowstyle="-|>",
        mutation_scale=9,
        linewidth=1.6,
        color=colour,
        alpha=0.9,
        shrinkA=5,
        shrinkB=6,
        connectionstyle="arc3,rad=0.08",
        zorder=2,
    )
    ax.add_artist(arrow)  # not add_patch: the limits are set, and its data limits cost a path in display space
    if number is not None:
        mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
        return ax.annotate(
            str(number),
            (mx, my),
            xytext=(0, 0),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=6.5,
            color="white",
            fontweight="bold",
            zorder=4,
            bbox={"boxstyle": "circle,pad=0.18", "facecolor": colour, "edgecolor": "white", "linewidth": 0.6},
        )
    return None


def _place_leg_numbers(ax: Axes, content: MapContent, xy: dict[str, tuple[float, float]], numbers) -> None:
    """Each leg's number a little before its middle, to the right of the way it goes (so a leg out
    and the leg back show both numbers); a leg too short for that gets its number just above."""
    for leg, number in zip(content.legs, numbers, strict=True):
        if number is None:
            continue
        (ax_, ay_), (bx_, by_) = ax.transData.transform([xy[leg.from_place], xy[leg.to_place]])
        length = math.hypot(bx_ - ax_, by_ - ay_)
        if length < 24:
            number.xyann = (0, 10 + 9 * _earlier_short_legs(content, leg, xy, ax))
            number.set_zorder(7)
            continue
        (x0, y0), (x1, y1) = xy[leg.from_place], xy[leg.to_place]
        number.xy = (x0 + (x1 - x0) * 0.42, y0 + (y1 - y0) * 0.42)
        number.xyann = (5 * (by_ - ay_) / length, -5 * (bx_ - ax_) / length)


def _earlier_short_legs(content: MapContent, leg: Leg, xy: dict[str, tuple[float, float]], ax: Axes) -> int:
    """How many short legs before ``leg`` start or end near it (so that their numbers stack)."""
    here = ax.transData.transform(xy[leg.from_place])
    count = 0
    for other in content.legs:
        if other.order >= leg.order:
            break
        a, b = ax.transData.transform([xy[other.from_place], xy[other.to_place]])
        if math.hypot(*(b - a)) < 24 and min(math.hypot(*(a - here)), math.hypot(*(b - here))) < 24:
            count += 1
    return count


def _markers(ax: Axes, content: MapContent, xy: dict[str, tuple[float, float]]) -> None:
    for place in content.places:
        x, y = xy[place]
        if place == content.base:
            ax.plot(
                x,
                y,
                marker="*",
                markersize=13,
                color=BASE_COLOUR,
                markeredgecolor="white",
                markeredgewidth=0.7,
                zorder=6,
            )
        elif place in content.nights:
            ax.plot(
                x,
                y,
                marker="s",
                markersize=7,
                color=NIGHT_COLOUR,
                markeredgecolor="white",
                markeredgewidth=0.7,
                zorder=5,
            )
        elif place in content.sites:
            ax.plot(
                x,
                y,
                marker="o",
                markersize=6.5,
                color=SITE_COLOUR,
                markeredgecolor=SITE_EDGE,
                markeredgewidth=0.7,
                zorder=5,
            )
        else:
            ax.plot(
                x,
                y,
                marker="o",
                markersize=5,
                color=OTHER_COLOUR,
                markeredgecolor="white",
                markeredgewidth=0.6,
                zorder=5,
            )
        if place in content.nights and place == content.base:  # a night at the base: the star on the night's square
            ax.plot(
                x,
                y,
                marker="s",
                markersize=12,
                color=NIGHT_COLOUR,
                markeredgecolor="white",
                markeredgewidth=0.7,
                zorder=5.5,
            )


# Label positions next to a point, in points: right, left, above, below, then the diagonals.
_NEAR = (
    (6, 0, "left", "center"),
    (-6, 0, "right", "center"),
    (0, 6, "center", "bottom"),
    (0, -6, "center", "top"),
    (5, 5, "left", "bottom"),
    (-5, 5, "right", "bottom"),
    (5, -5, "left", "top"),
    (-5, -5, "right", "top"),
)


# Candidate label positions around a point, in points: right, left, above, below, the diagonals;
# then the same farther out, with a thin leader line, for crowded places.
_CANDIDATES = [(False, c) for c in _NEAR] + [
    (True, (dx * k, dy * k, ha, va)) for k in (2.6, 4.5, 7.0) for dx, dy, ha, va in _NEAR if dx
]


def _leader(ax: Axes, point: tuple[float, float], box: Bbox) -> None:
    """A thin line from a place to its label placed farther out (to the label's nearest edge point)."""
    px, py = ax.transData.transform(point)
    ex, ey = min(max(px, box.x0), box.x1), min(max(py, box.y0), box.y1)
    (x0, y0), (x1, y1) = ax.transData.inverted().transform([(px, py), (ex, ey)])
    ax.plot([x0, x1], [y0, y1], color="#8a96a3", linewidth=0.5, zorder=5.8)


def _place_labels(
    fig: Figure,
    ax: Axes,
    doc: Document,
    content: MapContent,
    *,
    xy: dict[str, tuple[float, float]],
    labels: Labels,
    obstacles: list[Bbox],
    lines: list[Bbox],
) -> list[Bbox]:
    """Label each place next to it where the label overlaps no marker, other label or line and
    stays inside the map; in a crowd, farther out with a thin leader line. Returns what is now
    taken: ``obstacles``, the markers and the labels (a city name keeps off them).

    The cost of a position is the area it overlaps, weighted (over a marker or a label: four
    times; over a line: a third, since a label over a line stays readable), plus a price for
    going farther out.
    """
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    taken: list[Bbox] = list(obstacles)
    markers = {}
    for place in content.places:
        px, py = ax.transData.transform(xy[place])
        markers[place] = Bbox.from_extents(px - 5, py - 5, px + 5, py + 5)
    ranked = sorted(content.places, key=lambda p: (p != content.base, p not in content.nights))
    line_boxes = _boxes(lines)
    for number, place in enumerate(ranked, start=1):
        others = _boxes([*taken, *(box for other, box in markers.items() if other != place)])
        text = _clip(doc.places[place].name(labels.lang), MAX_NAME_SHOWN)
        bold = place == content.base or place in content.nights
        label = ax.annotate(
            text,
            xy[place],
            xytext=(0, 0),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=7,
            fontweight="bold" if bold else "normal",
            color="#1b2631",
            zorder=6,
            path_effects=[pe.withStroke(linewidth=2.2, foreground="white")],
        )
        width, height = _text_size(label, fig, renderer)  # measured once; each position's box is computed
        px, py = ax.transData.transform(xy[place])
        best, best_cost = None, math.inf
        for far, (dx, dy, ha, va) in _CANDIDATES:
            box = _text_box(px, py, (dx, dy, ha, va), width, height, fig.dpi).expanded(1.04, 1.1)
            cost = (
                4 * _overlaps(box, others)
                + _overlaps(box, line_boxes) / 3
                + 8 * _outside(box, frame)
                + (40 + 4 * abs(dx) if far else 0)
            )
            if cost < best_cost:
                best, best_cost = ((dx, dy, ha, va), box, far), cost
            if cost == 0:  # a near place that overlaps nothing: take it
                break
        if best is None:
            label.remove()
        else:
            (dx, dy, ha, va), box, far = best
            label.xyann = (dx, dy)
            label.set_horizontalalignment(ha)
            label.set_verticalalignment(va)
            label.set_gid(f"place-label-{number}")  # ids unique within the SVG
            taken.append(box)
            if far:
                _leader(ax, xy[place], box)
    return taken + list(markers.values())


# ---------------------------------------------------------------------------
# The base layer


@dataclass(frozen=True)
class _Base:
    extract: basemap.Extract
    cities: basemap.Cities


def _base_layer(ax: Axes, projection: Projection, doc: Document) -> _Base | None:
    """Sea, land, roads, borders and coast under the routes, for the axes' extent (limits already set);
    ``None``, and the plain background, when the plan's places are not geographic."""
    world = basemap.load()
    if world is None or not basemap.is_geographic(tuple((p.lon, p.lat) for p in doc.places.values())):
        return None
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    pad_x, pad_y = (x1 - x0) * 0.03, (y1 - y0) * 0.03
    corners = [projection.lonlat(x, y) for x in (x0 - pad_x, x1 + pad_x) for y in (y0 - pad_y, y1 + pad_y)]
    lons, lats = [c[0] for c in corners], [c[1] for c in corners]
    extract = world.inside((min(lons), max(-90.0, min(lats)), max(lons), min(90.0, max(lats))))
    if not extract.land:
        return None
    ax.set_facecolor(SEA_COLOUR)
    vertices, codes = [], []
    for ring in extract.land:
        vertices.append(projection.project(ring))
        ring_codes = [MplPath.LINETO] * len(ring)
        ring_codes[0] = MplPath.MOVETO
        vertices.append(vertices[-1][:1])
        codes += [*ring_codes, MplPath.CLOSEPOLY]
    path = MplPath(np.concatenate(vertices), codes)
    land = PathPatch(path, facecolor=LAND_COLOUR, edgecolor="none", zorder=0.1, gid="basemap-land")
    ax.add_artist(land)  # the limits are set: no data limits to widen
    for kind, (colour, width, dashes, zorder) in BASE_LINES.items():
        found = extract.lines.get(kind, [])  # a base layer built without roads has no road kinds
        if not found:
            continue
        # one projection and one path for all the kind's parts (a map may show a few thousand
        # road pieces): one element in the SVG, simplified and clipped to the map as it is drawn
        codes = np.full(sum(len(part) for part in found), MplPath.LINETO, dtype=MplPath.code_type)
        codes[np.cumsum([0, *(len(part) for part in found[:-1])])] = MplPath.MOVETO
        path = MplPath(projection.project(np.concatenate(found)), codes)
        path.simplify_threshold = LINE_SIMPLIFY
        lines = PathPatch(path, fill=False, edgecolor=colour, linewidth=width, zorder=zorder, gid=f"basemap-{kind}")
        if dashes is not None:
            lines.set_linestyle((0, dashes))
        ax.add_artist(lines)
    return _Base(extract, world.cities)


def credit(extract: basemap.Extract) -> str:
    """The base layer's sources, as a map drawing ``extract`` names them: ``BASE_CREDIT`` and,
    when the map draws roads whose source asks for it, that credit too (OpenStreetMap's)."""
    return f"{BASE_CREDIT} · {extract.roads_credit}" if extract.roads_credit else BASE_CREDIT


def _credit(ax: Axes, extract: basemap.Extract):
    """The sources of the base layer (``credit``), small, in the lower right corner (GeoNames'
    and OpenStreetMap's licences ask for it)."""
    return ax.text(
        0.995,
        0.006,
        credit(extract),
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=4.5,
        color="#7b8794",
        zorder=7,
        gid="basemap-credit",
        # legible over the roads; a box, not a halo, which the SVG would write as outlines
        bbox={"boxstyle": "square,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.75},
    )


_CITY_SUFFIXES = ("市", "县", "区", " City", " County", " District")


def _bare(name: str) -> str:
    """A place name without the suffix that says what kind of town it is (沈阳市 and 沈阳 match)."""
    name = name.strip()
    for suffix in _CITY_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)].strip().casefold()
    return name.casefold()


def _place_cities(
    fig: Figure,
    ax: Axes,
    base: _Base,
    projection: Projection,
    *,
    lang: str,
    limit: int,
    taken: list[Bbox],
    lines: list[Bbox],
    names: set[str],
) -> None:
    """The largest cities of the map (at most ``limit``), each a dot and its name, placed where
    neither overlaps a place's marker or label, another city, the scale bar or the north arrow,
    and the name stays inside the map (a city that fits nowhere is left out). A city that bears
    the name of a place on the map is left out too (the place's label names it already)."""
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    taken_boxes, line_boxes = _boxes(taken), _boxes(lines)
    cities = base.cities
    shown = 0
    sizer = ax.text(0, 0, "", fontsize=6)  # measures each name once; its place is computed
    try:
        for i in base.extract.cities[: limit * 6]:
            if shown >= limit:
                break
            if lang == "zh" and not cities.names_zh[i]:
                continue  # a Chinese map names no town in Latin letters
            text = _clip(cities.name(i, lang), MAX_NAME_SHOWN)
            if not text or _bare(text) in names or _bare(cities.names_en[i]) in names:
                continue
            x, y = projection.project(cities.lonlat[i])
            px, py = ax.transData.transform((x, y))
            dot = Bbox.from_extents(px - 2.5, py - 2.5, px + 2.5, py + 2.5)
            if _outside(dot, frame) > 0 or _overlaps(dot.expanded(3.0, 3.0), taken_boxes):
                continue
            sizer.set_text(text)
            width, height = _text_size(sizer, fig, renderer)
            box = _city_label_box(fig, px, py, width, height, taken_boxes, line_boxes, frame)
            if box is None:
                continue
            (dx, dy, ha, va), label_box = box
            dot_style = {"marker": "o", "markersize": 2.6, "color": CITY_COLOUR, "markeredgewidth": 0}
            ax.plot(x, y, **dot_style, zorder=1.5, gid=f"city-dot-{shown + 1}")
            ax.annotate(
                text,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=6,
                color=CITY_COLOUR,
                zorder=1.6,
                gid=f"city-label-{shown + 1}",  # no white halo: it would double the SVG's glyph outlines
            )
            taken_boxes = np.vstack([taken_boxes, _boxes([dot, label_box])])
            shown += 1
    finally:
        sizer.remove()


# City names next to their dot: right, left, above, below, in points.
_CITY_NEAR = (
    (3.5, 0, "left", "center"),
    (-3.5, 0, "right", "center"),
    (0, 3.5, "center", "bottom"),
    (0, -3.5, "center", "top"),
)


def _city_label_box(
    fig: Figure, px: float, py: float, width: float, height: float, taken: np.ndarray, lines: np.ndarray, frame: Bbox
):
    """The position (and its box, in pixels) of a city's name that overlaps nothing taken and
    stays inside the map, crossing the fewest route lines; ``None`` when there is none."""
    best, best_cost = None, math.inf
    for dx, dy, ha, va in _CITY_NEAR:
        box = _text_box(px, py, (dx, dy, ha, va), width, height, fig.dpi).expanded(1.06, 1.12)
        if _outside(box, frame) > 0 or _overlaps(box, taken):
            continue
        cost = _overlaps(box, lines)
        if cost < best_cost:
            best, best_cost = ((dx, dy, ha, va), box), cost
        if cost == 0:
            break
    return best


_TEXT_SIZES: dict[tuple[str, font_manager.FontProperties, float], tuple[float, float]] = {}
_TEXT_SIZES_KEPT = 4096


def _text_size(text: Text, fig: Figure, renderer: RendererBase) -> tuple[float, float]:
    """The width and height, in pixels, of ``text`` as ``get_window_extent`` measures it (without
    an arrow or a box), kept for this process by text, font and dpi: a place or a city is on many
    maps, and measuring its name (its glyphs loaded from a CJK font) costs more than placing it."""
    key = (text.get_text(), text.get_fontproperties().copy(), fig.dpi)
    size = _TEXT_SIZES.get(key)
    if size is None:
        if len(_TEXT_SIZES) >= _TEXT_SIZES_KEPT:
            _TEXT_SIZES.clear()
        extent = text.get_window_extent(renderer)
        size = _TEXT_SIZES[key] = (extent.width, extent.height)
    return size


def _text_box(
    px: float, py: float, position: tuple[float, float, str, str], width: float, height: float, dpi: float
) -> Bbox:
    """Where a text of ``width`` x ``height`` pixels lies when anchored ``position`` (offset in
    points, then alignments) from the pixel (px, py): as matplotlib lays it out, without the
    cost of laying it out."""
    dx, dy, ha, va = position
    left = px + dx * dpi / 72 - {"left": 0.0, "center": 0.5, "right": 1.0}[ha] * width
    bottom = py + dy * dpi / 72 - {"bottom": 0.0, "center": 0.5, "top": 1.0}[va] * height
    return Bbox.from_bounds(left, bottom, width, height)


def _boxes(boxes: Iterable[Bbox]) -> np.ndarray:
    """Boxes as an (n, 4) array of x0, y0, x1, y1, for ``_overlaps``."""
    return np.array([(b.x0, b.y0, b.x1, b.y1) for b in boxes], dtype=float).reshape(-1, 4)


def _overlaps(box: Bbox, boxes: np.ndarray) -> float:
    """The area of ``box`` over each of ``boxes``, added up."""
    w = np.minimum(box.x1, boxes[:, 2]) - np.maximum(box.x0, boxes[:, 0])
    h = np.minimum(box.y1, boxes[:, 3]) - np.maximum(box.y0, boxes[:, 1])
    return float((np.clip(w, 0, None) * np.clip(h, 0, None)).sum())


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _outside(box: Bbox, frame: Bbox) -> float:
    inside = _overlap(box, frame)
    return box.width * box.height - inside


def _scale_bar(ax: Axes) -> list:
    """A bar of a round number of km in the lower left corner; returns its parts (labels keep off them)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    target = (x1 - x0) * 0.22
    length = min(NICE_KM, key=lambda k: abs(k - target))
    left, bottom = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.05
    tick = (y1 - y0) * 0.012
    parts = ax.plot(
        [left, left + length], [bottom, bottom], color="#1b2631", linewidth=1.4, solid_capstyle="butt", zorder=7
    )
    for x in (left, left + length / 2, left + length):
        parts += ax.plot([x, x], [bottom - tick, bottom + tick], color="#1b2631", linewidth=0.9, zorder=7)
    parts.append(
        ax.text(
            left + length / 2,
            bottom + tick * 1.6,
            f"{length:g} km",
            ha="center",
            va="bottom",
            fontsize=6.5,
            zorder=7,
            path_effects=[pe.withStroke(linewidth=2, foreground="white")],
        )
    )
    return parts


def _north_arrow(ax: Axes):
    return ax.annotate(
        "N",
        xy=(0.965, 0.93),
        xytext=(0.965, 0.80),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=7,
        fontweight="bold",
        arrowprops={"arrowstyle": "-|>", "color": "#1b2631", "linewidth": 0.9},
        zorder=7,
    )


def _legend_handles(content: MapContent, labels: Labels) -> list[Line2D]:
    handles = []
    if content.base in content.places:
        handles.append(
            Line2D([], [], marker="*", linestyle="", markersize=9, color=BASE_COLOUR, label=labels("map_base"))
        )
    if content.nights:
        handles.append(
            Line2D([], [], marker="s", linestyle="", markersize=5.5, color=NIGHT_COLOUR, label=labels("map_night"))
        )
    if content.sites:
        handles.append(
            Line2D([], [], marker="o", linestyle="", markersize=5.5, color=SITE_COLOUR, label=labels("map_visit"))
        )
    if any(p != content.base and p not in content.nights and p not in content.sites for p in content.places):
        handles.append(
            Line2D([], [], marker="o", linestyle="", markersize=4.5, color=OTHER_COLOUR, label=labels("map_other"))
        )
    for number, text in content.day_labels:
        handles.append(Line2D([], [], color=day_colour(number), linewidth=2, label=text))
    return handles


# ---------------------------------------------------------------------------
# The figures chart


def draw_figures_chart(doc: Document, labels: Labels) -> Figure:
    """Per class: field-teaching share (with its minimum), seminar class hours, coach hours and km."""
    classes = doc.classes
    names = [_clip(c.name(labels.lang), MAX_NAME_SHOWN) for c in classes]
    panels = (
        ("field_share", labels("field_share"), lambda k: 100 * k["field_share"], "min_field_share", 100, "%"),
        (
            "seminar_hours",
            labels("seminar_hours"),
            lambda k: k["seminar_class_hours"],
            "min_seminar_class_hours",
            1,
            "",
        ),
        ("coach_hours", labels("coach_hours"), lambda k: k["coach_hours"], None, 1, ""),
        ("coach_km", labels("coach_km"), lambda k: k["coach_km"], None, 1, ""),
    )
    with matplotlib.rc_context(_style()):
        fig = Figure(figsize=(17 / 2.54, 10.5 / 2.54), layout="constrained")
        axes = fig.subplots(2, 2)
        for n, (ax, (_key, title, value, minimum_key, factor, unit)) in enumerate(zip(axes.flat, panels, strict=True)):
            values = [value(doc.kpis.get(c.id, {})) if doc.kpis.get(c.id) else 0 for c in classes]
            colours = [DAY_COLOURS[i % len(DAY_COLOURS)] for i in range(len(classes))]
            bars = ax.barh(range(len(classes)), values, color=colours, alpha=0.85, height=0.6)
            ax.set_yticks(range(len(classes)), names if n % 2 == 0 else [], fontsize=6.5)  # names once per row
            ax.invert_yaxis()
            ax.set_title(title, fontsize=8, loc="left")
            ax.tick_params(axis="x", labelsize=6.5)
            for spine in ("top", "right"):
                ax.spines[spine].set_visible(False)
            top = max(values + [1])
            for bar, v in zip(bars, values, strict=True):
                shown = f"{v:.1f}".rstrip("0").rstrip(".")
                ax.text(
                    bar.get_width() + top * 0.01,
                    bar.get_y() + bar.get_height() / 2,
                    f"{shown}{unit}",
                    va="center",
                    fontsize=6.5,
                )
            if minimum_key:
                for i, c in enumerate(classes):
                    minimum = doc.requirements.get(c.id, {}).get(minimum_key)
                    if minimum:
                        ax.plot(
                            [minimum * factor] * 2, [i - 0.4, i + 0.4], color="#1b2631", linewidth=1.2, linestyle="--"
                        )
                        top = max(top, minimum * factor)
            ax.set_xlim(0, top * 1.22)
        return fig


# ---------------------------------------------------------------------------
# Writing


def save(fig: Figure, target_stem: Path, written: list[Path] | None = None) -> list[Path]:
    """Write ``stem.svg`` atomically; append its path to ``written`` once it is written, and
    return that list."""
    written = [] if written is None else written
    target = target_stem.with_name(f"{target_stem.name}.svg")  # not with_suffix: a stem may hold a dot
    with atomic_path(target) as temp:
        fig.savefig(temp, format="svg", metadata={"Date": None})
    written.append(target)
    return written


@dataclass(frozen=True)
class MapFiles:
    """Where each map is, relative to the output folder (the booklet links these)."""

    week: dict[str, str]  # class id -> path of the week map's SVG
    day: dict[tuple[str, dt.date], str]  # (class id, date) -> path of the day map's SVG
    figures: str


def map_stem(class_id: str, date: dt.date | None, doc: Document, names: dict[str, str] | None = None) -> str:
    """``maps/<class>-week`` or ``maps/<class>-day<N>``, the class id made a safe file name (``files.file_names``)."""
    name = (names or file_names(c.id for c in doc.classes)).get(class_id) or file_name(class_id)
    if date is None:
        return f"maps/{name}-week"
    return f"maps/{name}-day{doc.day_number(date)}"


def write_maps(
    doc: Document,
    labels: Labels,
    out_dir: Path,
    written: list[Path] | None = None,
    *,
    processes: int | None = None,
) -> tuple[MapFiles, list[Path]]:
    """Every class's week map, every day map and the figures chart, as SVG.

    ``written``, when given, receives each file once it is whole (so that a caller interrupted
    halfway knows what is there); the same list is returned. A programme with many maps has
    them drawn in ``processes`` processes (default: ``processes.process_count``), this one
    included: ``MapDrawing``.
    """
    drawing = MapDrawing(doc, labels, out_dir, processes=processes)
    try:
        return drawing.finish(written)
    finally:
        drawing.close()


MAPS_PER_PROCESS = 8
"""Maps per process (``process_count``): fewer are all drawn in this process, since starting
another costs about as much as drawing several (a helper that starts late draws fewer:
``MapDrawing``)."""


class MapDrawing:
    """The maps of a plan, drawn by helper processes from the moment this is made, and by this
    process when it calls ``finish()``: so that the caller can make other outputs meanwhile.

    The helpers (``processes`` less one, as ``process_count`` gives; none for a programme with
    few maps) draw the maps from the last back, each map a task of its own. ``finish()`` draws
    here, from the first on, every map no helper has started yet (``Future.cancel``), then the
    figures chart, and waits for the helpers: so the work splits however long the helpers took
    to start (a fresh interpreter imports matplotlib and the plan's model first) and however
    long the caller kept this process busy, and no process waits on another's fixed share.

    The helpers start with SIGINT blocked, and keep it so: Ctrl-C reaches this process alone,
    which stops handing out maps (``close()``), lets the helpers end the ones they have (whole
    files), and raises ``KeyboardInterrupt``; a helper interrupted at start-up or between tasks
    would print a traceback instead.
    """

    def __init__(self, doc: Document, labels: Labels, out_dir: Path, *, processes: int | None = None):
        self._doc, self._labels, self._out_dir = doc, labels, out_dir
        self._names = file_names(c.id for c in doc.classes)
        self._jobs: list[tuple[str, dt.date | None]] = []
        for klass in doc.classes:
            self._jobs += [(klass.id, None), *((klass.id, date) for date in doc.dates)]
        self._stems = {job: map_stem(job[0], job[1], doc, self._names) for job in self._jobs}
        count = process_count(len(self._jobs), MAPS_PER_PROCESS, processes)
        self._workers = pool(count - 1) if count > 1 else None
        self._futures: list[Any] = []
        if self._workers is not None:
            with sigint_blocked():  # the helpers start at the first submits
                self._futures = [
                    self._workers.submit(draw_maps, doc, labels.lang, out_dir, [job]) for job in reversed(self._jobs)
                ][::-1]

    def finish(self, written: list[Path] | None = None) -> tuple[MapFiles, list[Path]]:
        """Draw the figures chart, then the maps no helper has taken (the chart first, so that the
        helpers' maps and this process's end together); wait for the helpers. ``written`` as for
        ``write_maps``."""
        written = [] if written is None else written
        try:
            with _old_objects_frozen():
                chart = draw_figures_chart(self._doc, self._labels)
                _save_styled(chart, inside(self._out_dir, "maps/figures"), written)
                if self._workers is None:
                    for job in self._jobs:
                        _draw_one(self._doc, self._labels, self._names, self._out_dir, job, written)
                else:
                    for job, future in zip(self._jobs, self._futures, strict=True):
                        if not future.cancel():
                            break  # a helper has this map, and so every later one
                        _draw_one(self._doc, self._labels, self._names, self._out_dir, job, written)
            for future in self._futures:
                if not future.cancelled():
                    written += future.result()
            if self._workers is not None:
                self._workers.shutdown(wait=False)  # the helpers end while the caller goes on
        except KeyboardInterrupt:
            self.close()
            written += [path for path in self.finished() if path not in set(written)]
            raise
        week = {job[0]: f"{stem}.svg" for job, stem in self._stems.items() if job[1] is None}
        day = {job: f"{stem}.svg" for job, stem in self._stems.items() if job[1] is not None}
        return MapFiles(week=week, day=day, figures="maps/figures.svg"), written

    def close(self) -> None:
        """Stop handing out maps; wait for the helpers to end the ones they have."""
        if self._workers is not None:
            self._workers.shutdown(wait=True, cancel_futures=True)

    def finished(self) -> list[Path]:
        """The map files there are now, each whole (written in one step): what an interruption
        leaves."""
        paths = [inside(self._out_dir, stem + ".svg") for stem in self._stems.values()]
        return [path for path in paths if path.is_file()]


@contextlib.contextmanager
def sigint_blocked() -> Iterator[None]:
    """SIGINT held pending in this thread (delivered on leaving, not lost); a process started
    meanwhile inherits the block."""
    if not hasattr(signal, "pthread_sigmask"):  # not POSIX: nothing to hold
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def draw_maps(
    doc: Document, lang: str, out_dir: Path, jobs: list[tuple[str, dt.date | None]], written: list[Path] | None = None
) -> list[Path]:
    """Draw and write the maps of ``jobs`` (class id, and the date of a day map or None for the
    week's); return (and append to ``written``) each file once it is whole."""
    written = [] if written is None else written
    labels = Labels(lang)
    names = file_names(c.id for c in doc.classes)
    with _old_objects_frozen():
        for job in jobs:
            _draw_one(doc, labels, names, out_dir, job, written)
    return written


@contextlib.contextmanager
def _old_objects_frozen() -> Iterator[None]:
    """The objects alive on entry kept out of the garbage collector's passes until the exit
    (``gc.freeze``), then handed back to it: a map leaves many short-lived reference cycles, and
    each full pass would otherwise also walk every module, class and font of the process.
    Nothing is done when something else has frozen objects (it unfreezes them itself)."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _draw_one(
    doc: Document,
    labels: Labels,
    names: dict[str, str],
    out_dir: Path,
    job: tuple[str, dt.date | None],
    written: list[Path],
) -> None:
    class_id, date = job
    stem = map_stem(class_id, date, doc, names)
    if date is None:
        figure = draw_map(doc, week_content(doc, class_id, labels), labels, WEEK_MAP)
    else:
        figure = draw_map(doc, day_content(doc, class_id, date, labels), labels, DAY_MAP)
    _save_styled(figure, inside(out_dir, stem), written)


def _save_styled(fig: Figure, stem: Path, written: list[Path]) -> None:
    """``save`` with the maps' style (rcParams such as ``svg.fonttype`` are read when saving).
    The figure is not cleared after: no pyplot holds it, so the garbage collector frees it."""
    with matplotlib.rc_context(_style()):
        save(fig, stem, written)
