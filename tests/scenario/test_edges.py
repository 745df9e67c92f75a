"""Hostile input at the edge: every number, date, text and id of a scenario, and every search
option of the command line, is checked where it is read. A bad one is reported as
``FILE:LINE: path: what is wrong (what was expected)`` with exit status 2, never as a traceback,
and never reaches the solver (whose 64-bit arithmetic a huge number would overflow)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import DATA, ROOT, run_solve_py

from scheduler.scenario.loading import Problem, ScenarioError, load_scenario

MINIMAL = DATA / "good-minimal.yaml"
SHIPPED = sorted(
    [
        *ROOT.glob("scenarios/*.yaml"),
        *ROOT.glob("scenarios/variants/*.yaml"),
        *ROOT.glob("bench/scenarios/*.yaml"),
        *(path for path in DATA.glob("*.yaml") if path.name != "dalian-week.yaml"),  # not a scenario
    ]
)
LODGING = "lodging:\n  - place: hotel\n"


def minimal_with(tmp_path: Path, old: str, new: str) -> Path:
    """good-minimal.yaml with the one ``old`` text replaced by ``new``, in a temporary file."""
    text = MINIMAL.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    file = tmp_path / "edge.yaml"
    file.write_text(text.replace(old, new), encoding="utf-8")
    return file


def added(section: str) -> tuple[str, str]:
    """A change that adds ``section`` (YAML text) after the last section, lodging."""
    return LODGING, LODGING + section


def problems_in(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return caught.value.problems


# fmt: off
SCENARIO_CASES = [
    # a format version that does not exist
    ("schema: 1", "schema: -1", "schema", ["-1 is not a version of the scenario format", "(expected 1)"]),
    # a version written as yes: a YAML bool, not a number
    ("schema: 1", "schema: yes", "schema", ["true is not a whole number", "expected an integer"]),
    # a first date so late that the programme's days run past the calendar
    ("first_date: 2025-05-12", "first_date: 9999-12-31", "programme.first_date",
     ["9999-12-31 is outside the years 1900 to 2200", "expected a date from 1900-01-01 to 2200-12-31"]),
    # a date before 1900
    ("first_date: 2025-05-12", "first_date: 0001-01-01", "programme.first_date", ["outside the years 1900 to 2200"]),
    # days: yes is a YAML bool, not one day
    ("days: 2", "days: yes", "programme.days", ["true is not a whole number", "expected an integer, e.g. 2"]),
    # more than 64 bits of days
    ("days: 2", "days: 184467440737095516160", "programme.days",
     ["a number with 21 digits is more than 366", "expected at most 366"]),
    # trainees past the bound
    ("trainees: 30", "trainees: 100001", "classes[rural].trainees", ["100001 is more than 100000", "at most 100000"]),
    # trainees past 64 bits
    ("trainees: 30", "trainees: 99999999999999999999999999", "classes[rural].trainees",
     ["a number with 26 digits is more than 100000"]),
    # trainees: on (a bool)
    ("trainees: 30", "trainees: on", "classes[rural].trainees", ["true is not a whole number"]),
    # a visit longer than a day
    ("visit_minutes: 90", "visit_minutes: 1441", "sites[tea].visit_minutes",
     ["1441 is more than 1440", "expected at most 1440 minutes"]),
    # a visit of 1e308 minutes
    ("visit_minutes: 90", "visit_minutes: 1.0e308", "sites[tea].visit_minutes", ["is not a whole number of minutes"]),
    # a site value past its bound
    ("visit_minutes: 90}", "visit_minutes: 90, value: 9223372036854775808}", "sites[tea].value",
     ["a number with 19 digits is more than 1000"]),
    # a site's trainee capacity past 64 bits
    ("visit_minutes: 90}", "visit_minutes: 90, capacity_trainees: 18446744073709551617}",
     "sites[tea].capacity_trainees", ["is more than 100000"]),
    # a weight past its bound
    (*added("weights: {coach_minute: 1000001}\n"), "weights.coach_minute",
     ["1000001 is more than 1000000", "expected at most 1000000"]),
    # a weight given as true
    (*added("weights: {site_value: true}\n"), "weights.site_value", ["true is not a whole number"]),
    # a lecture count past its bound, in a mapping keyed by topic
    (*added("requirements: {default: {lectures: {economy: 10001}}}\n"), "requirements.default.lectures.economy",
     ["10001 is more than 10000"]),
    # a latitude that is not a number
    ("lat: 30.27", "lat: .nan", "places[hotel].lat", ["nan is not a number", "expected a number"]),
    # a road distance of infinity
    (*added("travel: {overrides: [{from: hotel, to: farm, minutes: 30, km: .inf}]}\n"), "travel.overrides[1].km",
     ["inf is not a number"]),
    # driving minutes of infinity
    (*added("limits: {max_coach_minutes_per_day: .inf}\n"), "limits.max_coach_minutes_per_day",
     ["inf is not a number of minutes", "expected a finite number"]),
    # driving minutes past a day
    (*added("limits: {max_coach_minutes_per_day: 1e400}\n"), "limits.max_coach_minutes_per_day",
     ["'1e400' is not a number of minutes"]),
    # a share given as nan
    (*added("requirements: {default: {min_field_share: .nan}}\n"), "requirements.default.min_field_share",
     ["nan is not a fraction"]),
    # a time zone that is a path
    ("  days: 2\n", "  days: 2\n  timezone: ../../etc/passwd\n", "programme.timezone",
     ["'../../etc/passwd' is not a time zone", "IANA time-zone database"]),
    # an absolute path as time zone
    ("  days: 2\n", "  days: 2\n  timezone: /etc/localtime\n", "programme.timezone", ["is not a time zone"]),
    # a misspelt time zone gets the closest one
    ("  days: 2\n", "  days: 2\n  timezone: Asia/Shangai\n", "programme.timezone", ["did you mean 'Asia/Shanghai'?"]),
    # a NUL character in a name, written as an escape
    ("name_en: Minimal programme", 'name_en: "Minimal\\0programme"', "programme.name_en",
     ["contains the control character U+0000", "expected printable text"]),
    # a line break in a single-line name
    ("name_en: Rural class", 'name_en: "Rural\\nclass"', "classes[rural].name_en",
     ["contains a line break U+000A", "expected a single line of text"]),
    # a tab in a single-line name
    ("name_en: Tea Farm", 'name_en: "Tea\\tFarm"', "places[farm].name_en", ["contains a tab"]),
    # DEL in a name
    ("name_en: Prof. Wang", 'name_en: "Prof.\\x7fWang"', "classes[rural].professor.name_en",
     ["contains the control character U+007F"]),
    # an unpaired surrogate in a name
    ("name_en: Minimal programme", 'name_en: "Minimal \\ud800"', "programme.name_en",
     ["contains an unpaired surrogate", "expected valid Unicode text"]),
    # an unpaired surrogate in an id: the item is named by its number, not by the bad id
    ("{id: hotel,", '{id: "hotel\\udc80",', "places[1].id", ["contains an unpaired surrogate"]),
    # an id that is a relative path
    ("{id: hotel,", "{id: ../hotel,", "places[../hotel].id", ["'../hotel' is not a valid id", "no '/'"]),
    # an id with a backslash
    ("{id: farm,", "{id: 'C:\\farm',", "places[C:\\farm].id", ["is not a valid id"]),
    # two dots inside an id
    ("base: hotel", "base: hotel..2", "classes[rural].base", ["'hotel..2' is not a valid id"]),
    # an id that starts with a dot
    ("theme: rural", "theme: .rural", "classes[rural].theme", ["'.rural' is not a valid id"]),
    # an id that is too long
    ("theme: rural", "theme: " + "r" * 65, "classes[rural].theme", ["is too long", "at most 64 characters"]),
    # a name past its length
    ("name_en: Minimal programme", "name_en: " + "x" * 201, "programme.name_en", ["is too long", "at most 200"]),
]
# fmt: on


@pytest.mark.parametrize(
    ("old", "new", "path", "parts"),
    [pytest.param(*case, id=f"{case[2]}:{case[3][0][:30]}") for case in SCENARIO_CASES],
)
def test_a_hostile_value_is_reported_at_its_path(
    tmp_path: Path, old: str, new: str, path: str, parts: list[str]
) -> None:
    file = minimal_with(tmp_path, old, new)
    problems = problems_in(file)
    assert [problem.path for problem in problems] == [path], "\n".join(map(str, problems))
    (problem,) = problems
    assert problem.file == str(file) and problem.line is not None
    for part in parts:
        assert part in problem.message, problem.message
    assert "(expected" in problem.message or "(did you mean" in problem.message
    str(problem).encode("utf-8")  # printable, even for a surrogate in the file


# fmt: off
GOOD_CASES = [
    # ids in Chinese, with a dot and a digit inside
    ("{id: farm,", "{id: 茶园.2,", "place: farm", "place: 茶园.2"),
    # a time zone of the database
    ("  days: 2\n", "  days: 2\n  timezone: Europe/Paris\n", None, None),
    # a note over several lines, with a tab
    ("visit_minutes: 90}", 'visit_minutes: 90, note: "first line\\n\\tsecond"}', None, None),
    # the bounds themselves
    ("trainees: 30", "trainees: 100000", "days: 2", "days: 366"),
]
# fmt: on


@pytest.mark.parametrize(("old", "new", "old2", "new2"), GOOD_CASES)
def test_values_within_the_limits_load(tmp_path: Path, old: str, new: str, old2: str | None, new2: str | None) -> None:
    file = minimal_with(tmp_path, old, new)
    if old2 is not None and new2 is not None:
        file.write_text(file.read_text(encoding="utf-8").replace(old2, new2), encoding="utf-8")
    load_scenario(file)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_shipped_scenario_still_loads(path: Path) -> None:
    load_scenario(path)


# fmt: off
OPTION_CASES = [
    # a time limit that is not a number
    (["--time-limit", "nan"], "--time-limit nan is not a number"),
    # an endless time limit
    (["--time-limit", "inf"], "--time-limit inf is not a number"),
    # a time limit past a week
    (["--time-limit", "1e308"], "--time-limit 1e+308 is out of range"),
    # a negative time limit
    (["--time-limit", "-1"], "--time-limit -1 is out of range"),
    # a time limit in words
    (["--time-limit", "soon"], "--time-limit 'soon' is not a number"),
    # no workers
    (["--workers", "0"], "--workers 0 is not allowed (expected a whole number from 1 to 64)"),
    # far too many workers
    (["--workers", "100000"], "--workers 100000 is not allowed"),
    # a seed in floating-point notation
    (["--seed", "1e20"], "--seed '1e20' is not allowed (expected a whole number from 0 to 2147483647)"),
    # a negative seed
    (["--seed", "-5"], "--seed -5 is not allowed"),
    # a seed past 32 bits
    (["--seed", "4294967296"], "--seed 4294967296 is not allowed"),
]
# fmt: on


@pytest.mark.parametrize(("options", "expected"), [pytest.param(*case, id=" ".join(case[0])) for case in OPTION_CASES])
def test_a_bad_search_option_is_one_line_and_exit_2(options: list[str], expected: str) -> None:
    done = run_solve_py(str(MINIMAL), *options)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("solve.py: ") and expected in lines[0], lines[0]
    assert "Traceback" not in done.stderr


def test_a_hostile_scenario_through_solve_py_exits_2(tmp_path: Path) -> None:
    file = minimal_with(tmp_path, "trainees: 30", "trainees: 99999999999999999999999999")
    done = run_solve_py(str(file), "--time-limit", "5")
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"{file}:16: classes[rural].trainees: a number with 26 digits is more than 100000")
    assert "Traceback" not in done.stderr
