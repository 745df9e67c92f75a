"""A scenario's workspace: the plans made of it, the changes asked of the plan (held as a
variant file, ``docs/variants.md``), and the downloads, all in ``FOLDER/.workbench/<scenario>/``.

The scenario file itself is only ever written by the editor's Save. The plan's changes (pin a
visit, close a site, a lecturer away) are variant changes over it, written to ``what-if.yaml``
beside the plans, which ``extends`` the scenario; each plan is kept, so that a change can be
undone.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from scheduler.atomic import write_text
from scheduler.scenario.model import Scenario

STATE = "state.json"
WHAT_IF = "what-if.yaml"
PLANS = "plans"
OUTPUTS = "outputs"

_locks: dict[Path, threading.Lock] = {}
_locks_lock = threading.Lock()


def _lock(path: Path) -> threading.Lock:
    with _locks_lock:
        return _locks.setdefault(path, threading.Lock())


def variant_changes(scenario: Scenario, change: dict[str, Any]) -> list[dict[str, Any]]:
    """One change asked of the plan as the variant changes that say it.

    A pin (this class visits this site on this day) has no word of its own in the scenario
    format: it is the site closed on the programme's other days (to every class) and the site
    made one the class must visit."""
    kind = change["kind"]
    if kind == "close":
        return [{"site_closed": {"site": change["site"], "date": change["date"]}}]
    if kind == "away":
        away: dict[str, Any] = {"lecturer": change["lecturer"], "date": change["date"]}
        if change.get("part") in ("am", "pm"):
            away["part"] = change["part"]
        return [{"lecturer_unavailable": away}]
    if kind == "pin":
        programme = scenario.programme
        other = [
            programme.date_of(day).isoformat()
            for day in range(programme.days)
            if programme.date_of(day).isoformat() != change["date"]
        ]
        out: list[dict[str, Any]] = []
        if other:
            out.append({"site_closed": {"site": change["site"], "dates": other}})
        must = list(scenario.requirements_for(change["class"]).must_visit)
        if change["site"] not in must:
            out.append(
                {
                    "set": {
                        "path": f"requirements.by_class.{change['class']}.must_visit",
                        "value": [*must, change["site"]],
                    }
                }
            )
        return out
    raise ValueError(f"unknown change {kind!r}")


def _dates(data: Any) -> Any:
    """Dates as ``datetime.date`` so that YAML writes them plainly."""
    if isinstance(data, dict):
        return {key: _dates(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_dates(value) for value in data]
    if isinstance(data, str) and len(data) == 10 and data[4] == "-" and data[7] == "-":
        try:
            return dt.date.fromisoformat(data)
        except ValueError:
            return data
    return data


def variant_text(extends: str, changes: list[dict[str, Any]], note: str = "") -> str:
    """A variant file that ``extends`` a scenario with ``changes``."""
    import io

    rt = YAML()
    rt.default_flow_style = None
    stream = io.StringIO()
    document: dict[str, Any] = {"extends": extends}
    if note:
        document["note"] = note
    document["changes"] = _dates(changes)
    rt.dump(document, stream)
    return stream.getvalue()


@dataclass
class Workspace:
    """The workbench's files for one scenario file."""

    scenario_path: Path
    directory: Path

    @property
    def state_path(self) -> Path:
        return self.directory / STATE

    @property
    def outputs(self) -> Path:
        return self.directory / OUTPUTS

    def state(self) -> dict[str, Any]:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        data.setdefault("history", [])
        return data

    def _save(self, state: dict[str, Any]) -> None:
        write_text(self.state_path, json.dumps(state, ensure_ascii=False, indent=1))

    def current(self) -> dict[str, Any] | None:
        history = self.state()["history"]
        return history[-1] if history else None

    def changes(self) -> list[dict[str, Any]]:
        current = self.current()
        return list(current["changes"]) if current else []

    def source_for(self, scenario: Scenario | None, changes: list[dict[str, Any]], target: Path | None = None) -> Path:
        """The file to plan from: the scenario itself, or the what-if variant of it, written to
        ``target`` (a job's own file, which nothing else writes while the job reads it), else to
        ``what-if.yaml`` (what the pages check the current plan against)."""
        if not changes or scenario is None:
            return self.scenario_path
        variant = [op for change in changes for op in variant_changes(scenario, change)]
        target = target or self.directory / WHAT_IF
        write_text(target, variant_text(str(self.scenario_path), variant))
        return target

    def new_plan_path(self) -> Path:
        plans = self.directory / PLANS
        plans.mkdir(parents=True, exist_ok=True)
        number = 1 + max((int(p.stem) for p in plans.glob("*.json") if p.stem.isdigit()), default=0)
        return plans / f"{number}.json"

    def push(self, entry: dict[str, Any]) -> None:
        with _lock(self.directory):
            state = self.state()
            state["history"].append(entry)
            self._save(state)

    def undo(self) -> bool:
        """Go back to the plan before the last change; whether there was one."""
        with _lock(self.directory):
            state = self.state()
            if len(state["history"]) < 2:
                return False
            state["history"].pop()
            self._save(state)
            return True

    def set(self, key: str, value: Any) -> None:
        with _lock(self.directory):
            state = self.state()
            state[key] = value
            self._save(state)
