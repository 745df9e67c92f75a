"""Shared by the tests: the test data, scenarios made from a base with a few changes, and
the hand-made valid plan for ``data/check-tiny.yaml``.

Plain objects and functions, importable from any test module (pytest puts ``tests/`` on the
path); the fixtures built on them are in ``conftest.py``.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import importlib.util
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import yaml

from scheduler.plan.model import Event, Night, Plan
from scheduler.scenario.model import Scenario, parse_clock
from scheduler.scenario.travel import TravelTable

ROOT = Path(__file__).resolve().parent.parent
"""The repository's root."""
DATA = ROOT / "tests" / "data"
"""The tests' small data files."""


def scenario_ids(scenario: Scenario) -> set[str]:
    """Every id a sentence about ``scenario`` may name as the user wrote it: its classes, their
    professors, places, sites, lecturers and topics."""
    found = {c.id for c in scenario.classes} | {c.professor.id for c in scenario.classes}
    found |= {p.id for p in scenario.places} | {s.id for s in scenario.sites}
    found |= {lecturer.id for lecturer in scenario.lecturers} | {t.id for t in scenario.topics}
    return found


def read_data(name: str) -> dict[str, Any]:
    """The YAML file ``tests/data/<name>`` as plain data."""
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def data_scenario(name: str) -> Scenario:
    """The scenario in ``tests/data/<name>``."""
    return Scenario.model_validate(read_data(name))


def with_changes(base: Any, changes: Any) -> Any:
    """``base`` with ``changes`` laid over it, neither of them modified.

    Mappings merge key by key; lists of items with an ``id`` merge item by item (an item
    whose id is new is appended); anything else is replaced. So ``{"sites": [{"id": "x",
    "value": 100}]}`` changes one field of site x and leaves the other sites alone.
    """
    if isinstance(base, dict) and isinstance(changes, dict):
        merged = dict(base)
        for key, value in changes.items():
            merged[key] = with_changes(base[key], value) if key in base else copy.deepcopy(value)
        return merged
    if isinstance(base, list) and isinstance(changes, list) and _all_have_ids(base + changes):
        merged_items = list(base)
        positions = {item["id"]: i for i, item in enumerate(base)}
        for item in changes:
            if item["id"] in positions:
                position = positions[item["id"]]
                merged_items[position] = with_changes(merged_items[position], item)
            else:
                merged_items.append(copy.deepcopy(item))
        return merged_items
    return copy.deepcopy(changes)


def require(**fields: Any) -> dict[str, Any]:
    """Changes that set default requirements, for ``with_changes``."""
    return {"requirements": {"default": fields}}


LECTURER = {"id": "li", "name_en": "Li", "topics": ["policy"], "home": "base"}
"""A lecturer on policy who lives at the base of data/rules/base.yaml."""
SECOND_CLASS = {
    "id": "c2",
    "name_en": "Class 2",
    "theme": "t",
    "trainees": 30,
    "base": "base",
    "professor": {"id": "p2", "name_en": "Prof. Two"},
}
"""A second class based at the same base, to share its sites and lodging with the first."""


def _all_have_ids(items: list[Any]) -> bool:
    return all(isinstance(item, dict) and "id" in item for item in items)


# ---------------------------------------------------------------------------
# The hand-made valid plan for data/check-tiny.yaml (tests/test_check.py breaks it rule by rule)

SCENARIO = data_scenario("check-tiny.yaml")
TRAVEL = TravelTable(SCENARIO)

# ---------------------------------------------------------------------------
# Writing a plan step by step

Step = tuple[Any, ...]
"""``(kind, "HH:MM", *details)``: lunch, dinner, opening, presentation; ("travel", at, to);
("field_visit", at, site); ("lecture", at, topic, lecturer); ("seminar"|"report_writing", at, hours)."""


def date_of(day: int) -> dt.date:
    return SCENARIO.programme.date_of(day)


def build_day(class_id: str, day: int, start_place: str, steps: list[Step]) -> list[Event]:
    """A class's events for one day, starting at ``start_place``; places follow the coach legs."""
    klass, req = SCENARIO.training_class(class_id), SCENARIO.requirements_for(class_id)
    frame, per_hour = SCENARIO.programme.frame, SCENARIO.programme.minutes_per_class_hour
    here, events = start_place, []
    for kind, at, *details in steps:
        start = parse_clock(at)
        fields: dict[str, Any] = {}
        if kind == "travel":
            (to,) = details
            leg = TRAVEL.leg(here, to)
            minutes = leg.minutes
            fields = {
                "from_place": here,
                "to_place": to,
                "driving_minutes": leg.driving_minutes,
                "rest_minutes": leg.rest_minutes,
                "km": leg.km,
            }
        elif kind == "field_visit":
            site = SCENARIO.site(details[0])
            minutes, fields = site.visit_minutes, {"site": site.id}
        elif kind == "lecture":
            minutes = req.lecture_class_hours * per_hour
            fields = {"topic": details[0], "lecturer": details[1]}
        elif kind in ("seminar", "report_writing"):
            minutes, fields = details[0] * per_hour, {"professor": klass.professor.id}
        elif kind in ("opening", "presentation", "closing"):
            minutes, fields = getattr(req, f"{kind}_minutes"), {"professor": klass.professor.id}
        else:  # lunch or dinner
            minutes = frame.lunch.minutes if kind == "lunch" else frame.dinner.minutes
            kind, fields = "meal", {"label": kind}
        events.append(Event(class_id, date_of(day), start, start + minutes, kind, here, **fields))
        if kind == "travel":
            here = fields["to_place"]
    return events


# class -> day -> (start place, steps)
VALID_DAYS: dict[str, dict[int, tuple[str, list[Step]]]] = {
    "economy": {
        0: (
            "jinpu",
            [
                ("opening", "07:45"),
                ("lecture", "08:30", "policy", "li"),  # ends as li's unavailability starts
                ("travel", "10:15", "guangyang"),
                ("field_visit", "10:30", "guangyang_cnc"),  # touches the leg before and lunch after
                ("lunch", "12:00"),
                ("travel", "13:00", "bangchuidao"),
                ("dinner", "18:00"),
                ("seminar", "19:00", 2),
                ("report_writing", "20:30", 1),
            ],
        ),
        1: (
            "bangchuidao",
            [
                ("travel", "08:45", "lushun"),  # arrives as the visit starts
                ("field_visit", "09:30", "lushun_prison"),
                ("lunch", "12:00"),
                ("travel", "13:00", "jinpu"),  # 80 minutes' drive + one 15-minute rest stop
                ("presentation", "15:00"),
                ("dinner", "18:00"),  # the programme ends with the presentations: no evening
            ],
        ),
    },
    "urban": {
        0: (
            "jinpu",
            [  # starts at its start_place, not at its base
                ("opening", "07:45"),
                ("lecture", "08:30", "governance", "sun"),
                ("travel", "10:00", "zhanjia"),
                ("lunch", "11:30"),
                ("field_visit", "12:30", "zhanjia_village"),
                ("travel", "14:00", "furama"),
                ("dinner", "18:00"),
                ("seminar", "19:00", 2),
                ("report_writing", "20:30", 2),  # a late evening: allowed
            ],
        ),
        1: (
            "furama",
            [
                ("lecture", "07:45", "policy", "wu"),  # the earliest wu can be there from home
                ("travel", "09:45", "lushun"),
                ("field_visit", "10:30", "lushun_prison"),  # starts as economy's ends: touching is not sharing
                ("lunch", "11:30"),  # at a stop on the way, from the very start of the lunch window
                ("travel", "12:30", "pulandian"),  # ends at its base
                ("presentation", "16:15"),
                ("dinner", "18:00"),
            ],
        ),
    },
}


def build_plan(days: dict[str, dict[int, tuple[str, list[Step]]]], nights: dict[str, str]) -> Plan:
    events = [
        e
        for cid, by_day in days.items()
        for day, (start, steps) in by_day.items()
        for e in build_day(cid, day, start, steps)
    ]
    return Plan(tuple(events), tuple(Night(cid, date_of(0), place) for cid, place in nights.items()))


VALID = build_plan(VALID_DAYS, {"economy": "bangchuidao", "urban": "furama"})


def run_solve_py(
    *args: str,
    timeout: float = 300,
    env: dict[str, str] | None = None,
    memory_bytes: int | None = None,
    errors: str = "strict",
) -> subprocess.CompletedProcess:
    """``solve.py ARGS`` as a user runs it, from the repository's root: its exit status and
    output. ``memory_bytes`` caps the process's address space; ``env`` adds to the environment;
    ``errors="replace"`` reads output that may not be UTF-8."""

    def limit() -> None:
        if memory_bytes is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    return subprocess.run(
        [sys.executable, "solve.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors=errors,
        timeout=timeout,
        preexec_fn=limit,
        env={**os.environ, **(env or {})},
        check=False,
    )


def solve_py_on_a_terminal(*args: str, columns: int = 80) -> tuple[str, str]:
    """``solve.py ARGS`` as a user sees it on a terminal ``columns`` wide (a pseudo-terminal):
    its standard output without the terminal's colour codes, and its standard error (piped, so
    that progress comes as lines). The command must succeed."""
    import fcntl
    import re
    import struct
    import termios

    main, side = os.openpty()
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {**os.environ, "COLUMNS": str(columns), "TERM": "dumb"}
    process = subprocess.Popen(
        [sys.executable, "solve.py", *args], cwd=ROOT, stdout=side, stderr=subprocess.PIPE, env=env
    )
    os.close(side)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 1 << 16)
        except OSError:  # the process has ended and closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert process.stderr is not None
    err = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=300) == 0, err
    out = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07", "", out), err


# ---------------------------------------------------------------------------
# The maps' base layer with made-up roads (the shipped file may have none)


def build_basemap_script() -> ModuleType:
    """``scripts/build_basemap.py`` as a module (a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("build_basemap", ROOT / "scripts" / "build_basemap.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _road(kind: str, points: list[tuple[float, float]], wiggle: float = 0.0, rank: int = 4) -> dict[str, Any]:
    """A road feature as Natural Earth's ``ne_10m_roads`` has them, through ``points`` (lon, lat),
    each stretch split into 30 steps that wander ``wiggle`` degrees off the straight line (so
    that simplifying keeps most of them)."""
    coordinates = []
    for (x0, y0), (x1, y1) in zip(points[:-1], points[1:], strict=True):
        for k in range(30):
            t = k / 30
            side = wiggle * np.sin(k * np.pi / 3)
            coordinates.append([x0 + (x1 - x0) * t - side * (y1 - y0), y0 + (y1 - y0) * t + side * (x1 - x0)])
    coordinates.append(list(points[-1]))
    return {
        "type": "Feature",
        "properties": {"featurecla": "Road", "type": kind, "scalerank": rank},
        "geometry": {"type": "LineString", "coordinates": coordinates},
    }


MADE_UP_ROADS = [
    # Dalian to Shenyang by Wafangdian, Gaizhou and Anshan, roughly where the G15 runs
    _road("Major Highway", [(121.62, 38.92), (122.0, 39.62), (122.35, 40.4), (122.99, 41.1), (123.43, 41.8)], 0.05),
    _road("Secondary Highway", [(121.62, 38.92), (122.95, 39.7), (124.35, 40.0)], 0.05),  # to Dandong
    _road("Beltway", [(123.3, 41.7), (123.6, 41.7), (123.6, 41.9), (123.3, 41.9), (123.3, 41.7)]),  # around Shenyang
    _road("Road", [(121.62, 38.92), (121.26, 38.81)]),  # a minor road, to Lüshun: left out
    _road("Ferry Route", [(121.62, 38.92), (121.4, 37.5)]),  # Dalian to Yantai by sea: left out
    _road("Major Highway", [(116.4, 39.9), (117.2, 39.1)], 0.05),  # Beijing to Tianjin: off the Dalian maps
    _road("Secondary Highway", [(123.0, 40.5), (123.5, 40.6)], rank=9),  # left out with a scalerank cut of 8
]
"""Roads in Natural Earth's schema (made up: for the tests, not the maps)."""


def basemap_with_roads(target: Path, features: list[dict[str, Any]] = MADE_UP_ROADS) -> Path:
    """The shipped base layer with its roads replaced by road layers built from ``features`` (in
    Natural Earth's schema) by the build script, at ``target``."""
    from scheduler.render import basemap

    script = build_basemap_script()
    with np.load(basemap.DATA) as shipped:  # all but the roads (and their credit)
        arrays = {name: shipped[name] for name in shipped.files if not name.startswith(basemap.ROAD_KINDS)}
    for kind, parts in script.road_layers(features).items():
        if parts:
            arrays |= script.packed(kind, parts)
    np.savez_compressed(target, **arrays)
    return target


@contextlib.contextmanager
def using_basemap(path: Path) -> Iterator[Any]:
    """Maps and the workbench draw on the base layer at ``path`` (then on the shipped one again)."""
    from scheduler.render import basemap

    shipped = basemap.DATA

    def read(data: Path) -> None:
        basemap.DATA = data
        basemap.load.cache_clear()
        basemap.is_geographic.cache_clear()

    read(path)
    try:
        yield basemap.load()
    finally:
        read(shipped)


def as_from_a_shell() -> None:
    """``preexec_fn`` for a command a test interrupts: it hears Ctrl-C and SIGTERM as one
    started from a shell does, whatever the test process ignores (an ignored signal stays
    ignored in the program it starts)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
