"""Reading a scenario file: YAML in, a validated `Scenario` out, or every problem of the file at
once in a `ScenarioError` (each at its file, line and field path; ``documents``). A variant file
(one with ``extends``) is its base with its changes applied (``variants``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scheduler.scenario.documents import (
    Document,
    Problem,
    ScenarioError,
    ScenarioLoader,
    Source,
    item_label,
    read_document,
    validation_problems,
)
from scheduler.scenario.model import ReferenceProblem, Scenario
from scheduler.scenario.variants import expand_variant, is_variant

__all__ = [
    "Document",
    "Problem",
    "ScenarioError",
    "ScenarioLoader",
    "Source",
    "line_finder",
    "load_scenario",
    "location_finder",
    "locator",
]


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file, or a variant file (one with ``extends``).

    Parameters
    ----------
    path
        The scenario file, or a variant of one (``docs/variants.md``): its base with its
        changes applied.

    Returns
    -------
    Scenario
        The validated, frozen scenario.

    Raises
    ------
    ScenarioError
        With every problem found in the file (and, for a variant, in the files it extends),
        each naming its file, line and field.
    """
    return validate_source(read_source(path))


def read_source(path: str | Path) -> Source:
    """The scenario data of ``path`` before validation: the file itself, or a variant's base with
    its changes applied. Raises ScenarioError if the file (or a file it extends) cannot be read."""
    document = read_document(path)
    return expand_variant(document) if is_variant(document.data) else document


def validate_source(source: Source) -> Scenario:
    """Validate ``source`` as a Scenario; every problem, at its file and line, in a ScenarioError."""
    problems = source.problems()
    try:
        scenario = Scenario.model_validate(source.data)
    except ValidationError as error:
        problems += validation_problems(error, source)
    except ReferenceProblem as error:
        problems += [Problem(*source.where(loc), source.path_of(loc), message) for loc, message in error.problems]
    else:
        if not problems:
            return scenario
    raise ScenarioError(problems)


def location_finder(path: str | Path) -> Callable[[str], tuple[str, int | None]]:
    """A function from a scenario path as messages write it (``requirements.by_class.rural.must_visit``,
    ``lodging[shenyang].classes_per_night``, ``programme.day_overrides[day 7].latest_return``) to the
    file and line where it is written, or where its nearest written ancestor is. For a variant file
    that may be the variant or a file it extends. Call it only for a file that loads."""
    source = read_source(path)

    def where(dotted: str) -> tuple[str, int | None]:
        loc: list[Any] = []
        node: Any = source.data
        for name, label in re.findall(r"([^.\[\]]+)|\[([^\]]+)\]", dotted):
            if name:
                loc.append(name)
                node = node.get(name) if isinstance(node, dict) else None
            elif isinstance(node, list):
                index = next((i for i, item in enumerate(node) if item_label(item) == label), None)
                if index is None:
                    break
                loc.append(index)
                node = node[index]
        return source.where(tuple(loc))

    return where


def line_finder(path: str | Path) -> Callable[[str], int | None]:
    """As ``location_finder``, but only the line, and None where the path is written in another file
    (a variant's base). Call it only for a file that loads."""
    where = location_finder(path)

    def line_of(dotted: str) -> int | None:
        file, line = where(dotted)
        return line if file == str(path) else None

    return line_of


def locator(path: str | Path) -> Callable[[str, str], str]:
    """A function that writes ``(path, sentence)`` as ``FILE:LINE: path: sentence`` for the scenario
    (or variant) file ``path``, as every message about a requirement is written."""
    where = location_finder(path)

    def locate(dotted: str, sentence: str) -> str:
        file, line = where(dotted)
        return f"{file}:{line}: {dotted}: {sentence}" if line else f"{file}: {dotted}: {sentence}"

    return locate
