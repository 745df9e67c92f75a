"""The solver's tuning parameters: one typed object, read from TOML, printed as TOML, and
passed down to the parts that use them."""

from __future__ import annotations

import json
import tomllib

import pytest
from helpers import ROOT, run_solve_py

from scheduler.scenario.loading import load_scenario
from scheduler.solver.options import SolveOptions
from scheduler.solver.params import FocusParams, ParamsError, SolverParams, StageParams
from scheduler.solver.run import solve


def test_the_printed_parameters_read_back_as_the_defaults():
    text = SolverParams().to_toml()
    assert SolverParams.from_mapping(tomllib.loads(text)) == SolverParams()
    assert "[stages]" in text and "lns_share = 0.85" in text


def test_a_file_sets_only_what_it_names(tmp_path):
    path = tmp_path / "params.toml"
    path.write_text("[stages]\nlns_share = 0.9\n\n[focus]\nby_class_legs = 5\n", encoding="utf-8")
    params = SolverParams.from_toml(path)
    assert params.stages == StageParams(lns_share=0.9)
    assert params.focus == FocusParams(by_class_legs=5)
    assert params.construction == SolverParams().construction


@pytest.mark.parametrize(
    "text, expected",
    [
        # a part that does not exist
        ("[stage]\nlns_share = 0.9\n", "[stage]: unknown part"),
        # a parameter that does not exist
        ("[stages]\nlns = 0.9\n", "stages.lns: unknown parameter"),
        # a share above one
        ("[stages]\nlns_share = 1.5\n", "stages.lns_share: 1.5 is too large (expected at most 1.0)"),
        # a count given as a fraction
        ("[construction]\nbeam_width = 2.5\n", "construction.beam_width: 2.5 is not a whole number"),
        # text where a number is expected
        ('[focus]\nby_class_legs = "many"\n', "focus.by_class_legs: 'many' is not a whole number"),
        # a time that must be above zero
        ("[class_by_class]\nslice_seconds = 0\n", "class_by_class.slice_seconds: 0 is too small (expected above 0)"),
        # a part written as a value
        ("stages = 3\n", "stages: expected a table [stages]"),
        # not TOML at all
        ("[stages\n", "not TOML"),
    ],
)
def test_a_bad_file_names_each_problem(tmp_path, text, expected):
    path = tmp_path / "params.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParamsError) as error:
        SolverParams.from_toml(path)
    assert expected in str(error.value)
    assert str(path) in str(error.value)


def test_the_parameters_reach_the_solver():
    """A programme the defaults model whole is planned one class at a time when the focus says
    every programme of two classes is large."""
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    params = SolverParams(focus=FocusParams(by_class_legs=0))
    assert solve(scenario, SolveOptions(time_limit=5, workers=2, params=params)).stats.focused
    assert not solve(scenario, SolveOptions(time_limit=5, workers=2)).stats.focused


def test_the_command_shows_and_reads_parameters(tmp_path):
    shown = run_solve_py("--show-params")
    assert shown.returncode == 0, shown.stderr
    assert SolverParams.from_mapping(tomllib.loads(shown.stdout)) == SolverParams()
    path = tmp_path / "params.toml"
    path.write_text("[focus]\nby_class_legs = 0\n", encoding="utf-8")
    out = tmp_path / "plan.json"
    scenario = "scenarios/weekend-two-classes.yaml"
    done = run_solve_py(scenario, "--params", str(path), "--time-limit", "5", "--quiet", "--json", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["solver"]["focused"] is True


def test_the_command_rejects_a_bad_parameters_file(tmp_path):
    path = tmp_path / "params.toml"
    path.write_text("[stages]\nlns_share = 2\n", encoding="utf-8")
    done = run_solve_py("scenarios/day-trip-one-class.yaml", "--params", str(path))
    assert done.returncode == 2
    assert "stages.lns_share: 2 is too large" in done.stderr
    assert "Traceback" not in done.stderr
