"""Route maps and the figures chart, drawn with matplotlib from the plan's coordinates.

No map tiles: a plain drawing on a local flat projection (km east and north of the map's
centre), the class's places labelled, its base and night places marked, coach legs as arrows
(straight lines, not roads), a scale bar and a north arrow. Each map is written as SVG (for
the booklet: sharp in print) and PNG (to share). Reads a ``Document`` only.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no screen; must precede the imports below

from matplotlib import font_manager  # noqa: E402
from matplotlib import patheffects as pe  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import FancyArrowPatch  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from scheduler.atomic import atomic_path  # noqa: E402
from scheduler.render.document import Document, Place  # noqa: E402
from scheduler.render.files import file_name, file_names, inside  # noqa: E402
from scheduler.render.fonts import CJK_FAMILY, cjk_font_files  # noqa: E402
from scheduler.render.labels import Labels  # noqa: E402

KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_AT_EQUATOR = 111.320
DAY_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
BASE_COLOUR, NIGHT_COLOUR, SITE_COLOUR, SITE_EDGE = "#b8860b", "#34495e", "#2c7a3f", "#ffffff"
OTHER_COLOUR = "#7f8c8d"
LEGEND_COLUMNS = 4
NICE_KM = (0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
PNG_DPI = 160
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
    """A map's width, and the range its height may take to follow the shape of the route."""

    width_cm: float
    min_height_cm: float
    max_height_cm: float


WEEK_MAP = MapSize(17.0, 8.0, 12.5)
DAY_MAP = MapSize(8.2, 5.5, 8.5)


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
        fig.canvas.draw()  # fixes the limits, so that labels can be measured and placed
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
        _place_labels(fig, ax, doc, content, xy=xy, labels=labels, obstacles=obstacles, lines=lines)
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
    ax.set_facecolor("#f7f9fb")
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
    ax.add_patch(arrow)
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
) -> None:
    """Label each place next to it where the label overlaps no marker, other label or line and
    stays inside the map; in a crowd, farther out with a thin leader line.

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
    for place in ranked:
        others = [box for other, box in markers.items() if other != place]
        text = _clip(doc.places[place].name(labels.lang), MAX_NAME_SHOWN)
        bold = place == content.base or place in content.nights
        best, best_cost = None, math.inf
        for far, (dx, dy, ha, va) in _CANDIDATES:
            label = ax.annotate(
                text,
                xy[place],
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=7,
                fontweight="bold" if bold else "normal",
                color="#1b2631",
                zorder=6,
                path_effects=[pe.withStroke(linewidth=2.2, foreground="white")],
            )
            box = label.get_window_extent(renderer).expanded(1.04, 1.1)
            cost = (
                4 * sum(_overlap(box, other) for other in [*taken, *others])
                + sum(_overlap(box, line) for line in lines) / 3
                + 8 * _outside(box, frame)
                + (40 + 4 * abs(dx) if far else 0)
            )
            if cost < best_cost:
                if best is not None:
                    best[0].remove()
                best, best_cost = (label, box, far), cost
            else:
                label.remove()
            if cost == 0:  # a near place that overlaps nothing: take it
                break
        if best is not None:
            taken.append(best[1])
            if best[2]:
                _leader(ax, xy[place], best[1])


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
    """Write ``stem.svg`` and ``stem.png`` atomically; append each path to ``written`` as soon as
    it is written, and return that list."""
    written = [] if written is None else written
    for fmt in ("svg", "png"):
        target = target_stem.with_name(f"{target_stem.name}.{fmt}")  # not with_suffix: a stem may hold a dot
        with atomic_path(target) as temp:
            fig.savefig(temp, format=fmt, dpi=PNG_DPI, metadata={"Date": None} if fmt == "svg" else None)
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
    doc: Document, labels: Labels, out_dir: Path, written: list[Path] | None = None
) -> tuple[MapFiles, list[Path]]:
    """Every class's week map, every day map and the figures chart, as SVG and PNG.

    ``written``, when given, receives each file as soon as it is written (so that a caller
    interrupted halfway knows what is there); the same list is returned.
    """
    written = [] if written is None else written
    week, day = {}, {}
    names = file_names(c.id for c in doc.classes)
    for klass in doc.classes:
        stem = map_stem(klass.id, None, doc, names)
        target = inside(out_dir, stem)
        _save_and_close(draw_map(doc, week_content(doc, klass.id, labels), labels, WEEK_MAP), target, written)
        week[klass.id] = f"{stem}.svg"
        for date in doc.dates:
            stem = map_stem(klass.id, date, doc, names)
            content = day_content(doc, klass.id, date, labels)
            _save_and_close(draw_map(doc, content, labels, DAY_MAP), inside(out_dir, stem), written)
            day[(klass.id, date)] = f"{stem}.svg"
    _save_and_close(draw_figures_chart(doc, labels), inside(out_dir, "maps/figures"), written)
    return MapFiles(week=week, day=day, figures="maps/figures.svg"), written


def _save_and_close(fig: Figure, stem: Path, written: list[Path]) -> None:
    try:
        with matplotlib.rc_context(_style()):  # rcParams such as svg.fonttype are read when saving
            save(fig, stem, written)
    finally:
        fig.clf()
