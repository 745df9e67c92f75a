"""The editor's writing of a scenario file, without a browser: a file read and written back
unchanged is byte for byte the same; a change touches only its line; rows are added and removed
in the file's own style; and what the editor writes loads as the command line reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ROOT
from workbench_helpers import WEEKEND

from scheduler.scenario.loading import load_scenario
from scheduler.web import editing

SHIPPED = sorted((ROOT / "scenarios").rglob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_shipped_file_is_written_back_byte_for_byte(path: Path):
    text = path.read_text(encoding="utf-8")
    assert editing.round_trip(text, editing.load_text(text)) == text


def _edit(section: str, form: dict[str, str]) -> str:
    text = WEEKEND.read_text(encoding="utf-8")
    _, new, changed = editing.edit(text, editing.SECTION_BY_NAME[section], form)
    assert changed
    return new


def _changed_lines(new: str) -> list[tuple[str, str]]:
    import difflib

    old = WEEKEND.read_text(encoding="utf-8").splitlines()
    diff = difflib.ndiff(old, new.splitlines())
    return [(line[0], line[2:]) for line in diff if line[:1] in "+-"]


def test_a_value_changes_only_its_line(tmp_path: Path):
    new = _edit("limits", {'["limits", "latest_return"]': "17:30", '["limits", "rest_stop_minutes"]': ""})
    assert _changed_lines(new) == [("-", '  latest_return: "18:00"'), ("+", '  latest_return: "17:30"')]
    (tmp_path / "s.yaml").write_text(new, encoding="utf-8")
    assert load_scenario(tmp_path / "s.yaml").limits.latest_return == 17 * 60 + 30


def test_rows_are_added_and_removed_in_the_files_style(tmp_path: Path):
    new = _edit(
        "lodging",
        {
            '["lodging", 1, "__delete__"]': "1",
            '["lodging", "+", "place"]': "jinpu",
            '["lodging", "+", "classes_per_night"]': "2",
        },
    )
    assert _changed_lines(new) == [
        ("-", "  - {place: zhuanghe, classes_per_night: 1}"),
        ("+", "  - {place: jinpu, classes_per_night: 2}"),
    ]
    new = _edit(
        "lecturers",
        {
            '["lecturers", 2, "unavailable", "+", "from"]': "2019-09-07",
            '["lecturers", 2, "unavailable", "+", "until"]': "2019-09-08",
            '["lecturers", 2, "unavailable", "+", "part"]': "pm",
            '["lecturers", 2, "topics"]': "rural_land_system, party_spirit",
        },
    )
    assert [line for sign, line in _changed_lines(new) if sign == "+"] == [
        "    topics: [rural_land_system, party_spirit]",
        "    unavailable:",
        "      - {from: 2019-09-07, until: 2019-09-08, part: pm}",
    ]
    (tmp_path / "s.yaml").write_text(new, encoding="utf-8")
    lecturer = load_scenario(tmp_path / "s.yaml").lecturer("lect_agri")
    assert lecturer.topics == ("rural_land_system", "party_spirit")
    assert len(lecturer.unavailable) == 1


def test_a_class_of_its_own_requirements_is_written_under_by_class(tmp_path: Path):
    new = _edit(
        "requirements",
        {
            '["requirements", "by_class", "rural", "lectures"]': "party_spirit: 2, rural_land_system: 1",
            '["requirements", "by_class", "urban", "max_visits_per_day"]': "2",
        },
    )
    (tmp_path / "s.yaml").write_text(new, encoding="utf-8")
    scenario = load_scenario(tmp_path / "s.yaml")
    assert dict(scenario.requirements_for("rural").lectures) == {"party_spirit": 2, "rural_land_system": 1}
    assert scenario.requirements_for("urban").max_visits_per_day == 2
    assert scenario.requirements_for("rural").max_visits_per_day == 3  # the default, untouched


@pytest.mark.parametrize(
    "name",
    [
        '["sites", 0, "nope"]',  # a key the page has no field for
        '["classes", 0, "id"]',  # a field of another section
        '["sites", 0]',  # a whole row
        '["sites", "x", "id"]',  # a row that is not one
        '["sites", 99, "id"]',  # a row past the end
        '["lecturers", 0, "unavailable", 7, "date"]',  # an availability that is not there
        '["lecturers", 99, "unavailable", "+", "date"]',  # a new availability of no lecturer
        '["lecturers", "+", "unavailable", 0, "date"]',  # an availability of a row not yet made
        "[1, 2",  # not JSON
    ],
)
def test_a_field_that_is_not_the_pages_is_refused(name: str):
    with pytest.raises(editing.FormError):
        section = "lecturers" if "lecturers" in name else "sites"
        editing.edit(WEEKEND.read_text(encoding="utf-8"), editing.SECTION_BY_NAME[section], {name: "x"})
