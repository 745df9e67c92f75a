"""The plan as the workbench's pages show it: the programme overview (classes x days), a class's
days as timelines, a lecturer's and a site's schedule, and a map of the places with each class's
route. Everything is read from the checked plan and its scenario; nothing here solves."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from scheduler.plan.labels import KIND_LABELS, MEAL_LABELS, SHORT_WEEKDAYS
from scheduler.plan.model import Event, Plan
from scheduler.scenario.model import Scenario, format_clock

TIMELINE_FROM, TIMELINE_TO = 6 * 60, 23 * 60
"""The hours a day's timeline spans, in minutes after midnight (widened to fit a plan's events)."""
SHOWN_KINDS = ("opening", "lecture", "field_visit", "seminar", "report_writing", "presentation", "closing")
"""The events the overview lists (coach legs and meals are on the timelines)."""


def _side(lang: str) -> int:
    return 0 if lang == "zh" else 1


def day_label(date: dt.date, lang: str) -> str:
    return f"{date:%m-%d} {SHORT_WEEKDAYS[date.weekday()][_side(lang)]}"


class Namer:
    """Names of a scenario's ids in one language (the id itself where it is unknown)."""

    def __init__(self, scenario: Scenario, lang: str):
        self.scenario, self.lang = scenario, lang

    def _try(self, look, ident: str | None) -> str:
        if ident is None:
            return ""
        try:
            return look(ident)
        except KeyError:
            return ident

    def site(self, ident: str | None) -> str:
        return self._try(lambda i: self.scenario.site_name(i, self.lang), ident)

    def place(self, ident: str | None) -> str:
        return self._try(lambda i: self.scenario.place(i).label(self.lang), ident)

    def klass(self, ident: str | None) -> str:
        return self._try(lambda i: self.scenario.training_class(i).label(self.lang), ident)

    def lecturer(self, ident: str | None) -> str:
        return self._try(lambda i: self.scenario.lecturer(i).label(self.lang), ident)

    def topic(self, ident: str | None) -> str:
        return self._try(lambda i: self.scenario.topic(i).label(self.lang), ident)

    def kind(self, kind: str) -> str:
        return KIND_LABELS.get(kind, (kind, kind))[_side(self.lang)]

    def event(self, event: Event) -> str:
        """What the event is, in a few words: the site, the lecture's topic, the coach's leg."""
        if event.kind == "field_visit":
            return self.site(event.site)
        if event.kind == "lecture":
            return (
                f"{self.topic(event.topic)} ({self.lecturer(event.lecturer)})"
                if event.lecturer
                else self.topic(event.topic)
            )
        if event.kind == "travel":
            return f"{self.place(event.from_place)} → {self.place(event.to_place)}"
        if event.kind == "meal" and event.label in MEAL_LABELS:
            return MEAL_LABELS[event.label][_side(self.lang)]
        return self.kind(event.kind)


@dataclass
class Item:
    """One event on a page."""

    event: Event
    kind: str
    kind_name: str
    title: str
    time: str
    left: float = 0.0
    width: float = 0.0


def _item(event: Event, name: Namer) -> Item:
    return Item(
        event,
        event.kind,
        name.kind(event.kind),
        name.event(event),
        f"{format_clock(event.start)}–{format_clock(event.end)}",
    )


@dataclass
class Overview:
    """The programme at a glance: a row per class, a column per day."""

    days: list[tuple[dt.date, str]]
    rows: list[tuple[str, str, list[tuple[list[Item], str]]]]
    """(class id, class name, [(the day's events, the night's place)])."""


def overview(scenario: Scenario, plan: Plan, lang: str) -> Overview:
    name = Namer(scenario, lang)
    dates = [scenario.programme.date_of(day) for day in range(scenario.programme.days)]
    rows = []
    for klass in scenario.classes:
        cells = []
        for date in dates:
            items = [_item(e, name) for e in plan.events_of(klass.id, date) if e.kind in SHOWN_KINDS]
            night = plan.night_of(klass.id, date)
            cells.append((items, name.place(night) if night else ""))
        rows.append((klass.id, klass.label(lang), cells))
    return Overview([(date, day_label(date, lang)) for date in dates], rows)


@dataclass
class Timeline:
    """A class's days, each a row of blocks placed by the clock."""

    hours: list[tuple[str, float]]
    days: list[tuple[str, list[Item], str]]


def timeline(scenario: Scenario, plan: Plan, class_id: str, lang: str) -> Timeline:
    name = Namer(scenario, lang)
    events = plan.events_of(class_id)
    begin = min([TIMELINE_FROM, *(e.start for e in events)]) // 60 * 60
    end = math.ceil(max([TIMELINE_TO, *(e.end for e in events)]) / 60) * 60
    span = end - begin
    days = []
    for day in range(scenario.programme.days):
        date = scenario.programme.date_of(day)
        items = []
        for event in plan.events_of(class_id, date):
            item = _item(event, name)
            item.left = 100 * (event.start - begin) / span
            item.width = max(0.4, 100 * (event.end - event.start) / span)
            items.append(item)
        night = plan.night_of(class_id, date)
        days.append((day_label(date, lang), items, name.place(night) if night else ""))
    hours = [(f"{minute // 60:02d}", 100 * (minute - begin) / span) for minute in range(begin, end + 1, 60)]
    return Timeline(hours, days)


@dataclass
class Schedule:
    """Everything one lecturer or one site has in the plan, in time order."""

    title: str
    rows: list[tuple[str, Item, str]] = field(default_factory=list)
    """(the day, the event, the class's name)."""


def lecturer_schedule(scenario: Scenario, plan: Plan, lecturer_id: str, lang: str) -> Schedule:
    name = Namer(scenario, lang)
    events = sorted((e for e in plan.events if e.lecturer == lecturer_id), key=lambda e: (e.date, e.start))
    return Schedule(
        name.lecturer(lecturer_id),
        [(day_label(e.date, lang), _item(e, name), name.klass(e.class_id)) for e in events],
    )


def site_schedule(scenario: Scenario, plan: Plan, site_id: str, lang: str) -> Schedule:
    name = Namer(scenario, lang)
    events = sorted(
        (e for e in plan.events if e.site == site_id and e.kind == "field_visit"), key=lambda e: (e.date, e.start)
    )
    return Schedule(
        name.site(site_id),
        [(day_label(e.date, lang), _item(e, name), name.klass(e.class_id)) for e in events],
    )


@dataclass
class MapPoint:
    ident: str
    name: str
    x: float
    y: float
    kind: str


@dataclass
class Map:
    """Places drawn on a plane (longitude by the cosine of the latitude), with routes."""

    width: int
    height: int
    points: list[MapPoint]
    routes: list[tuple[str, str, str]]
    """(class name, colour, SVG points of its route)."""
    land: list[str] = field(default_factory=list)
    """SVG path data of the land (the base layer; empty where the places are not on Earth)."""
    lines: list[tuple[str, str]] = field(default_factory=list)
    """(kind: road, highway, coast, border or province; SVG points) of the base layer's lines,
    the roads first (drawn under the others)."""
    cities: list[tuple[str, float, float]] = field(default_factory=list)
    """(name, x, y) of the larger cities on the map, clear of the places and of each other."""
    roads_credit: str = ""
    """The credit the roads drawn ask for besides Natural Earth's and GeoNames' ("© OpenStreetMap
    contributors"), or ''."""


COLOURS = ("#c0392b", "#2471a3", "#1e8449", "#b9770e", "#7d3c98", "#117a65", "#a93226", "#2e4053")


def place_map(
    places: list[tuple[str, str, float, float, str]],
    routes: list[tuple[str, list[str]]] = (),
    width: int = 720,
    height: int = 480,
    lang: str = "en",
) -> Map:
    """A map of ``places`` (id, name, lat, lon, kind) and ``routes`` (class name, place ids in
    order), on the offline base layer (land, roads, coast, borders, cities named in ``lang``) where the
    places lie on Earth, so that a coordinate typed wrong shows in the sea or another province."""
    located = [p for p in places if isinstance(p[2], (int, float)) and isinstance(p[3], (int, float))]
    if not located:
        return Map(width, height, [], [])
    lats = [p[2] for p in located]
    lons = [p[3] for p in located]
    scale_x = math.cos(math.radians(sum(lats) / len(lats)))
    min_x, max_x = min(lons) * scale_x, max(lons) * scale_x
    min_y, max_y = min(lats), max(lats)
    extent = max(max_x - min_x, (max_y - min_y) * width / height, 1e-6)
    margin = 40
    factor = (width - 2 * margin) / extent
    top = height - margin  # the y of the southernmost place

    def xy(lat: float, lon: float) -> tuple[float, float]:
        x = margin + (lon * scale_x - min_x) * factor
        y = top - (lat - min_y) * factor
        return round(x, 1), round(y, 1)

    points = [MapPoint(ident, name, *xy(lat, lon), kind) for ident, name, lat, lon, kind in located]
    at = {p.ident: p for p in points}
    lines = []
    for index, (label, stops) in enumerate(routes):
        coords = " ".join(f"{at[s].x},{at[s].y}" for s in stops if s in at)
        lines.append((label, COLOURS[index % len(COLOURS)], coords))
    height = int(max([height - margin, *(p.y for p in points)]) + margin)
    drawn = Map(width, height, points, lines)
    if math.isfinite(scale_x) and scale_x > 1e-6:
        frame = (
            (min_x - margin / factor) / scale_x,
            min_y + (top - drawn.height) / factor,
            (min_x + (width - margin) / factor) / scale_x,
            min_y + top / factor,
        )
        layer = base_layer(
            [(lon, lat) for _, _, lat, lon, _ in located],
            xy,
            frame,
            (width, drawn.height),
            [(p.x, p.y) for p in points],
            lang,
            margin,
        )
        drawn.land, drawn.lines, drawn.cities = layer.land, layer.lines, layer.cities
        drawn.roads_credit = layer.roads_credit
    return drawn


MAP_CITIES = 12
"""At most this many cities are named on a map, the largest first."""


@dataclass
class BaseLayer:
    """What a map draws under its places: the land (SVG path data), the major roads, the coast and
    borders (kind, SVG points) and the larger cities (name, x, y), all in the map's own pixels;
    and the credit the roads drawn ask for (``basemap.Extract.roads_credit``)."""

    land: list[str] = field(default_factory=list)
    lines: list[tuple[str, str]] = field(default_factory=list)
    cities: list[tuple[str, float, float]] = field(default_factory=list)
    roads_credit: str = ""


def base_layer(
    lonlat: list[tuple[float, float]],
    xy: Callable[[float, float], tuple[float, float]],
    frame: tuple[float, float, float, float],
    size: tuple[int, int],
    taken: list[tuple[float, float]],
    lang: str,
    margin: int = 40,
) -> BaseLayer:
    """The base layer of a map of ``size`` (width, height) pixels showing ``frame`` (west, south,
    east, north in degrees), ``xy`` placing a (lat, lon) on it; empty where the places
    (``lonlat``) do not lie on Earth. Cities are named clear of the ``taken`` points."""
    from scheduler.render.basemap import ROAD_KINDS, is_geographic, load

    base = load()
    layer = BaseLayer()
    if base is None or not is_geographic(tuple(lonlat)):
        return layer
    inside = base.inside(frame)
    width, height = size

    def path(part, closed: bool) -> str:
        shown: list[tuple[float, float]] = []
        for lon, lat in part:
            x, y = xy(lat, lon)
            if not shown or abs(x - shown[-1][0]) + abs(y - shown[-1][1]) >= 1.5:
                shown.append((x, y))
        if len(shown) < 2:
            return ""
        text = " ".join(f"{x:g},{y:g}" for x, y in shown)
        return f"M{text}Z" if closed else text

    layer.land = [d for d in (path(ring, True) for ring in inside.land) if d]
    layer.lines = [(kind, d) for kind, parts in inside.lines.items() for d in (path(p, False) for p in parts) if d]
    if any(kind in ROAD_KINDS for kind, _ in layer.lines):
        layer.roads_credit = inside.roads_credit
    taken = list(taken)
    for i in sorted(inside.cities, key=lambda i: -int(base.cities.population[i])):
        lon, lat = base.cities.lonlat[i]
        x, y = xy(float(lat), float(lon))
        if not (margin / 2 <= x <= width - margin and margin / 2 <= y <= height - margin / 2):
            continue
        if any(abs(x - a) < 60 and abs(y - b) < 18 for a, b in taken):
            continue
        layer.cities.append((base.cities.name(i, lang), x, y))
        taken.append((x, y))
        if len(layer.cities) >= MAP_CITIES:
            break
    return layer


def scenario_map(scenario: Scenario, plan: Plan | None, lang: str) -> Map:
    name = Namer(scenario, lang)
    site_places = {site.place for site in scenario.sites}
    lodging = set(scenario.lodging_places())
    places = [
        (
            p.id,
            p.label(lang),
            p.lat,
            p.lon,
            "site" if p.id in site_places else "lodging" if p.id in lodging else "place",
        )
        for p in scenario.places
    ]
    routes = []
    if plan is not None:
        for klass in scenario.classes:
            stops: list[str] = []
            for event in sorted(plan.events_of(klass.id), key=lambda e: (e.date, e.start)):
                if not stops or stops[-1] != event.place:
                    stops.append(event.place)
            routes.append((name.klass(klass.id), stops))
    return place_map(places, routes, lang=lang)
