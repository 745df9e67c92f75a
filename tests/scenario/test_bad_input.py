"""Bad scenario files: each is reported at its line, by field path, in plain words, never as a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import DATA, ROOT

from scheduler.scenario.loading import Problem, ScenarioError, load_scenario
from scheduler.scenario.model import parse_clock

REPO = ROOT
BAD = DATA / "bad"


def problems_in(path: Path | str) -> list[Problem]:
    """The problems `load_scenario` raises for ``path`` (failing the test if it loads)."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return caught.value.problems


def variant_of_minimal(tmp_path: Path, changes: dict[str, str]) -> Path:
    """good-minimal.yaml with each ``old`` text replaced by its ``new`` one, in a temporary file."""
    text = (DATA / "good-minimal.yaml").read_text(encoding="utf-8")
    for old, new in changes.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    file = tmp_path / "variant.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def says_what_was_expected(message: str) -> bool:
    return "(expected" in message or "(did you mean" in message


# fmt: off
ONE_PROBLEM_CASES = [
    # a YAML syntax error: a key indented one space too few, reported where the reader gave up
    ("yaml-syntax", 16, "", ["YAML syntax error", "indentation", "line 13", "indented alike"]),
    # a key given twice is an error, not "the last one wins"
    ("duplicate-key", 7, "programme.days", ["duplicate key 'days'", "first given on line 6"]),
    # an unknown key, with the closest allowed key suggested
    ("unknown-key", 7, "programme.organizer", ["unknown key", "did you mean 'organiser'?"]),
    # a word where a number belongs
    ("wrong-type", 16, "classes[rural].trainees", ["'thirty' is not a whole number", "expected an integer"]),
    # a unit written after a number of minutes
    ("unit-text", 20, "sites[tea].visit_minutes",
     ["'90 min' is not a whole number of minutes (expected an integer, e.g. 90)"]),
    # a required field left out: reported at the line of the item that lacks it
    ("missing-field", 13, "classes[rural].base", ["required but missing", "place id"]),
    # a value outside an enumeration, with the allowed values listed
    ("unknown-site-kind", 20, "sites[tea].kind",
     ["'factory' is not an allowed value", "enterprise, village, community, museum, memorial"]),
    # a share written as a percentage number
    ("share-above-one", 25, "requirements.default.min_field_share",
     ["76 is not a fraction between 0 and 1", "e.g. 0.76 for 76%"]),
    # a share written as a percentage with a percent sign
    ("share-as-percent", 25, "requirements.default.min_field_share", ["'76%' is not a fraction", "0.76 for 76%"]),
    # negative minutes
    ("negative-minutes", 24, "limits.rest_stop_minutes", ["-10 is negative", "expected 0 or more minutes"]),
    # opening hours that end before they begin
    ("close-before-open", 21, "sites[tea].hours", ["close 09:00 is not after open 17:00", "expected close later"]),
    # a time window that ends before it begins
    ("window-end-before-start", 8, "programme.frame.dinner",
     ["end 18:00 is not after start 19:00", "expected end later than start"]),
    # a date that does not exist
    ("bad-date", 5, "programme.first_date", ["'2025-02-30' is not a valid date", "YYYY-MM-DD"]),
    # a clock time past the end of the day
    ("bad-clock-hour", 24, "limits.latest_return", ["'25:00' is outside the day", "00:00 to 24:00"]),
    # a clock time not written HH:MM
    ("bad-clock-format", 8, "programme.frame.earliest_departure", ["'8h30' is not a clock time", '"HH:MM"']),
    # a reference to an unknown place (a class's base)
    ("unknown-place", 17, "classes[rural].base", ["unknown place 'harbour'", "expected one of: farm, hotel"]),
    # a reference to an unknown theme, inside a list: the item is numbered from 1
    ("unknown-theme", 20, "sites[tea].themes[2]", ["unknown theme 'urban'", "expected one of: rural"]),
    # a reference to an unknown topic
    ("unknown-topic", 28, "lecturers[li].topics[2]", ["unknown topic 'law'", "expected one of: economy"]),
    # a reference to an unknown site
    ("unknown-site", 25, "requirements.default.must_visit[2]", ["unknown site 'port'", "expected one of: tea"]),
    # a reference from an item without an id: named by its number in the list
    ("unknown-lodging-place", 23, "lodging[2].place", ["unknown place 'inn'"]),
    # the same id twice: reported at the second one
    ("duplicate-id", 9, "places[hotel].id", ["duplicate id 'hotel'", "expected ids unique within places"]),
    # requirements for a class that does not exist
    ("unknown-class-in-by-class", 25, "requirements.by_class.urban",
     ["unknown class 'urban'", "expected one of: rural"]),
    # a lecturer away on a date outside the programme
    ("unavailable-outside-programme", 31, "lecturers[li].unavailable[1].date",
     ["2025-06-01 is outside the programme", "2025-05-12 to 2025-05-13"]),
    # the top level is a list, not a mapping of sections
    ("top-level-list", 2, "", ["the top level is a list", "expected a mapping of sections"]),
    # an empty file
    ("empty", 1, "", ["the file is empty"]),
    # a file with nothing but comments
    ("comments-only", 1, "", ["only comments"]),
]
# fmt: on


@pytest.mark.parametrize(
    ("name", "line", "path", "parts"),
    [pytest.param(*case, id=case[0]) for case in ONE_PROBLEM_CASES],
)
def test_one_problem_is_reported_at_its_line(name: str, line: int, path: str, parts: list[str]) -> None:
    file = BAD / f"{name}.yaml"
    problems = problems_in(file)
    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    assert (problem.file, problem.line, problem.path) == (str(file), line, path)
    for part in parts:
        assert part in problem.message
    assert says_what_was_expected(problem.message)
    assert str(problem) == ": ".join(part for part in (f"{file}:{line}", path, problem.message) if part)


def test_two_problems_in_one_file_are_both_reported_in_line_order() -> None:
    file = BAD / "two-problems.yaml"
    assert [str(problem) for problem in problems_in(file)] == [
        f"{file}:7: programme.organizer: unknown key (did you mean 'organiser'?)",
        f"{file}:21: sites[tea].visit_minutes: '90 min' is not a whole number of minutes "
        "(expected an integer, e.g. 90)",
    ]


def test_every_reference_problem_is_reported_at_once(tmp_path: Path) -> None:
    file = variant_of_minimal(tmp_path, {"theme: rural": "theme: urban", "place: farm": "place: field"})
    assert [(p.line, p.path) for p in problems_in(file)] == [(15, "classes[rural].theme"), (20, "sites[tea].place")]


# fmt: off
SUGGESTION_CASES = [
    # a misspelt id gets the closest known id
    ("base: hotel", "base: hotle", 17, "classes[rural].base", "unknown place 'hotle' (did you mean 'hotel'?"),
    # a misspelt enum value gets the closest allowed value
    ("kind: enterprise", "kind: musuem", 20, "sites[tea].kind",
     "'musuem' is not an allowed value (did you mean 'museum'?"),
    # a key that is a number, not a name
    ("  days: 2\n", "  days: 2\n  3: three\n", 7, "programme", "the key 3 is not a name (expected one of: name_zh"),
]
# fmt: on


@pytest.mark.parametrize(("old", "new", "line", "path", "message_start"), SUGGESTION_CASES)
def test_suggestions(tmp_path: Path, old: str, new: str, line: int, path: str, message_start: str) -> None:
    (problem,) = problems_in(variant_of_minimal(tmp_path, {old: new}))
    assert (problem.line, problem.path) == (line, path)
    assert problem.message.startswith(message_start)


def test_a_missing_file() -> None:
    file = BAD / "no-such-file.yaml"
    (problem,) = problems_in(file)
    assert str(problem) == f"{file}: no such file (expected the path of a scenario YAML file)"


def test_a_directory() -> None:
    (problem,) = problems_in(BAD)
    assert problem.line is None
    assert str(problem).startswith(f"{BAD}: is a directory")


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    file = tmp_path / "latin1.yaml"
    file.write_bytes(b"schema: 1\nprogramme:\n  name_en: Caf\xe9\n")
    (problem,) = problems_in(file)
    assert problem.line == 3
    assert "byte 0xe9 is not UTF-8 text" in problem.message and "saved as UTF-8" in problem.message


def test_a_control_character(tmp_path: Path) -> None:
    file = tmp_path / "control.yaml"
    file.write_text("schema: 1\nprogramme:\n  name_en: A\x01B\n", encoding="utf-8")
    (problem,) = problems_in(file)
    assert problem.line == 3
    assert "U+0001" in problem.message


def test_tabs_for_indentation(tmp_path: Path) -> None:
    file = tmp_path / "tabs.yaml"
    file.write_text("schema: 1\nprogramme:\n\tdays: 2\n", encoding="utf-8")
    (problem,) = problems_in(file)
    assert problem.line == 3
    assert "not tabs" in problem.message


def test_a_problem_without_a_line_prints_without_one() -> None:
    assert str(Problem("s.yaml", None, "lodging", "required but missing (expected x)")) == (
        "s.yaml: lodging: required but missing (expected x)"
    )


def test_a_missing_top_level_section_has_no_line_and_sorts_first(tmp_path: Path) -> None:
    file = variant_of_minimal(tmp_path, {"lodging:": "lodgings:"})
    assert [(p.line, p.path, p.message.split(" (")[0]) for p in problems_in(file)] == [
        (None, "lodging", "required but missing"),
        (21, "lodgings", "unknown key"),
    ]
    assert "did you mean 'lodging'?" in problems_in(file)[1].message


def test_the_minimal_scenario_loads() -> None:
    scenario = load_scenario(DATA / "good-minimal.yaml")
    assert [c.id for c in scenario.classes] == ["rural"]
    assert scenario.site("tea").hours.open == parse_clock("08:30")


def test_unquoted_clock_times_stay_clock_times(tmp_path: Path) -> None:
    """YAML 1.1 reads an unquoted 19:30 as the base-60 integer 1170; the loader must not."""
    unquoted = "  frame:\n    earliest_departure: 8:00\n    evening: {start: 19:30, end: 21:30}\n"
    file = variant_of_minimal(tmp_path, {"  days: 2\n": "  days: 2\n" + unquoted})
    frame = load_scenario(file).programme.frame
    assert (frame.earliest_departure, frame.evening.start) == (parse_clock("08:00"), parse_clock("19:30"))


# fmt: off
COMMAND_CASES = [
    # a field error: the organiser sees FILE:LINE: path: message
    ("tests/data/bad/unit-text.yaml",
     "tests/data/bad/unit-text.yaml:20: sites[tea].visit_minutes: '90 min' is not a whole number of minutes"),
    # a YAML syntax error
    ("tests/data/bad/yaml-syntax.yaml", "tests/data/bad/yaml-syntax.yaml:16: YAML syntax error"),
    # a file that is not there
    ("tests/data/bad/no-such-file.yaml", "tests/data/bad/no-such-file.yaml: no such file"),
]
# fmt: on


@pytest.mark.parametrize(("file", "expected_line"), COMMAND_CASES, ids=["field", "syntax", "missing"])
def test_solve_py_reports_bad_input_and_exits_2(file: str, expected_line: str) -> None:
    finished = subprocess.run(
        [sys.executable, "solve.py", file], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert finished.returncode == 2, finished.stderr
    assert any(line.startswith(expected_line) for line in finished.stderr.splitlines()), finished.stderr
    assert "Traceback" not in finished.stderr


# fmt: off
LOGISTICS_CASES = [
    # a formula where a phone number belongs: refused at its line, never kept as text to compute
    ("    professor: {id: wang, name_en: Prof. Wang}\n",
     "    professor: {id: wang, name_en: Prof. Wang}\n    class_teacher: {name: Li, phone: \"=1+1\"}\n",
     19, "classes[rural].class_teacher.phone", "'=1+1' is not a phone number (expected digits"),
    # a phone number with a line break in it
    ("  - place: hotel\n", "  - place: hotel\n    contacts: [{name: Desk, phone: \"0411\\n8765\"}]\n",
     23, "lodging[1].contacts[1].phone", "'0411\\n8765' is not a phone number"),
    # an e-mail address without a domain
    ("visit_minutes: 90}", "visit_minutes: 90, contacts: [{name: Host, email: host@}]}",
     20, "sites[tea].contacts[1].email", "'host@' is not an e-mail address (expected name@example.org)"),
    # a coach with nothing said about it
    ("    professor: {id: wang, name_en: Prof. Wang}\n",
     "    professor: {id: wang, name_en: Prof. Wang}\n    coach: {}\n",
     19, "classes[rural].coach", "an empty coach (expected plate, company, driver or phone)"),
    # two hotels with one id
    ("  - place: hotel\n", "  - {id: inn, place: hotel}\n  - {id: inn, place: farm}\n",
     23, "lodging[inn].id", "duplicate hotel id 'inn' (expected hotel ids unique"),
    # a contact without a name
    ("  - place: hotel\n", "  - place: hotel\n    contacts: [{phone: \"0411 8765 4321\"}]\n",
     23, "lodging[1].contacts[1].name", "required but missing"),
]
# fmt: on


@pytest.mark.parametrize(("old", "new", "line", "path", "message_start"), LOGISTICS_CASES)
def test_logistics_are_validated(tmp_path: Path, old: str, new: str, line: int, path: str, message_start: str) -> None:
    (problem,) = problems_in(variant_of_minimal(tmp_path, {old: new}))
    assert (problem.line, problem.path) == (line, path)
    assert problem.message.startswith(message_start)
    assert says_what_was_expected(problem.message) or "required" in problem.message


def test_logistics_as_people_write_them_are_kept_as_written(tmp_path: Path) -> None:
    file = variant_of_minimal(
        tmp_path,
        {
            "  - place: hotel\n": (
                "  - place: hotel\n"
                "    name_zh: 河畔酒店\n"
                "    rooms: 20\n"
                "    contacts:\n"
                '      - {name: 前台, phone: "0411-87654321 转 8012"}\n'
                '      - {name: Sales, role: Group sales, phone: "+86 (411) 8765.4321 ext 12", email: s@example.org}\n'
            )
        },
    )
    scenario = load_scenario(file)
    hotel = scenario.lodging[0]
    assert [c.phone for c in hotel.contacts] == ["0411-87654321 转 8012", "+86 (411) 8765.4321 ext 12"]
    assert scenario.hotel_keys() == ("hotel",) and hotel.rooms == 20 and hotel.name_zh == "河畔酒店"
