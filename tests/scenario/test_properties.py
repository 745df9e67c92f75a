"""Property: whatever a scenario file holds, the loader accepts it or names its problems.

Hypothesis mutates a small valid scenario (a value replaced by one of another type or range, a
key dropped, an unknown key added, text with control characters or unpaired surrogates) and the
loader must either return a scenario or raise ``ScenarioError`` whose every problem names the
file: never another exception. The examples are drawn from a fixed seed, so a run is repeatable.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml
from helpers import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.scenario.loading import ScenarioError, load_scenario
from scheduler.scenario.model import Scenario

BASE = yaml.safe_load((DATA / "good-minimal.yaml").read_text(encoding="utf-8"))


def _paths(node, prefix=()):
    """Every path to a value in the data: mapping keys and list indices."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


PATHS = [path for path in _paths(BASE) if path]

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0xFFFF), max_size=8),
    st.sampled_from(["../x", "a/b", "\x1b[31m", "=1+1", "9999-12-31", "25:99", "Etc/../../x", "yes"]),
    st.lists(st.integers(min_value=-5, max_value=5), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(min_value=0, max_value=3), max_size=2),
)


@st.composite
def mutated(draw) -> dict:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(PATHS))
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            last = path[-1]
            action = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
            if action == "replace":
                parent[last] = draw(VALUES)
            elif action == "drop" and isinstance(parent, dict):
                parent.pop(last, None)
            elif action == "add" and isinstance(parent, dict):
                parent[draw(st.text(min_size=1, max_size=6))] = draw(VALUES)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced the path
    return data


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=mutated())
def test_the_loader_accepts_a_scenario_or_names_its_problems(tmp_path: Path, data: dict):
    path = tmp_path / "mutated.yaml"
    # ASCII with escapes: unpaired surrogates and control characters reach the loader as written
    path.write_text(yaml.safe_dump(data, allow_unicode=False, sort_keys=False), encoding="utf-8")
    try:
        scenario = load_scenario(path)
    except ScenarioError as error:
        assert error.problems
        for problem in error.problems:
            assert str(path) in str(problem)
            str(problem).encode("utf-8")  # printable as the command prints it
    else:
        assert isinstance(scenario, Scenario)
