"""Variant files: a base scenario plus changes, loaded by ``load_scenario`` like any scenario.

Each operation is tested on ``scenarios/weekend-two-classes.yaml``; each bad variant gives a
problem at the variant's line (or the base's, for a problem already in the base); the example
variants of ``scenarios/variants/`` load and change what they say; a closed site is never
visited in the variant's plan.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from scheduler.analysis.check import assert_valid
from scheduler.scenario.loading import Problem, ScenarioError, load_scenario, location_finder
from scheduler.scenario.model import Scenario, parse_clock
from scheduler.scenario.variants import variant_name
from scheduler.solver import SolveOptions, solve

WEEKEND = ROOT / "scenarios" / "weekend-two-classes.yaml"
VARIANTS = ROOT / "scenarios" / "variants"
SAT, SUN = dt.date(2019, 9, 7), dt.date(2019, 9, 8)


def weekend_line(text: str) -> int:
    """The line of ``scenarios/weekend-two-classes.yaml`` that is ``text`` (stripped)."""
    return [line.strip() for line in WEEKEND.read_text(encoding="utf-8").splitlines()].index(text) + 1


def write_variant(folder: Path, body: str, name: str = "variant.yaml", extends: str | Path = WEEKEND) -> Path:
    """A variant file of ``extends`` whose lines after the first are ``body``."""
    path = folder / name
    path.write_text(f"extends: {extends}\n{body}", encoding="utf-8")
    return path


def problems_in(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return caught.value.problems


# ---------------------------------------------------------------------------
# Each operation


def test_a_variant_without_changes_is_its_base(tmp_path):
    assert load_scenario(write_variant(tmp_path, "changes: []\n")) == load_scenario(WEEKEND)
    assert load_scenario(write_variant(tmp_path, "name_en: nothing\n")) == load_scenario(WEEKEND)


# fmt: off
OPERATIONS = [
    # a limit, by dotted path
    ("- set: {path: limits.max_coach_minutes_per_day, value: 300}",
     lambda s: s.limits.max_coach_minutes_per_day == 300),
    # a key the base leaves out is added
    ("- set: {path: limits.lecturer_max_travel_minutes, value: 150}",
     lambda s: s.limits.lecturer_max_travel_minutes == 150),
    # a list entry by id; only that entry changes
    ("- set: {path: 'classes[rural].trainees', value: 45}",
     lambda s: (s.training_class("rural").trainees, s.training_class("urban").trainees) == (45, 30)),
    # a lodging entry by its place
    ("- set: {path: 'lodging[zhuanghe].classes_per_night', value: 2}", lambda s: s.lodging_capacity("zhuanghe") == 2),
    # an entry without id by its position, from 1
    ("- set: {path: 'travel.overrides[2].minutes', value: 40}", lambda s: s.travel.overrides[1].minutes == 40),
    # a new by_class mapping key, and a whole list
    ("- set: {path: requirements.by_class.rural.never_visit, value: [lidian]}",
     lambda s: s.requirements_for("rural").never_visit == ("lidian",)),
    # a nested section the base leaves out is created
    ("- set: {path: programme.frame.lunch.minutes, value: 45}", lambda s: s.programme.frame.lunch.minutes == 45),
    # adding a site (one entry, not a list) and a lodging entry (which adds capacity)
    ("- add:\n    sites: {id: new_site, place: jinpu, kind: museum, visit_minutes: 60}\n"
     "    lodging: [{place: zhuanghe, classes_per_night: 1}]",
     lambda s: s.site("new_site").is_red_education and s.lodging_capacity("zhuanghe") == 2),
    # removing a lecturer nobody depends on in the data
    ("- remove: {lecturers: lect_governance}", lambda s: [l.id for l in s.lecturers] == ["lect_org", "lect_agri"]),
    # removing a class takes its requirements.by_class entry with it
    ("- remove: {classes: urban}", lambda s: [c.id for c in s.classes] == ["rural"] and "urban" not in
     s.requirements.by_class),
    # removing a site after the must_visit that used it was changed (changes apply in order)
    ("- set: {path: requirements.by_class.urban.must_visit, value: [wanyi]}\n- remove: {sites: huershan}",
     lambda s: "huershan" not in {site.id for site in s.sites}),
    # a lecturer away for a morning
    ("- lecturer_unavailable: {lecturer: lect_org, date: 2019-09-07, start: '08:00', end: '12:00'}",
     lambda s: [(u.date, u.start, u.end) for u in s.lecturer("lect_org").unavailable]
     == [(SAT, parse_clock("08:00"), parse_clock("12:00"))]),
    # a lecturer away for a range of days
    ("- lecturer_unavailable: {lecturer: lect_agri, from: 2019-09-07, until: 2019-09-08}",
     lambda s: [u.date for u in s.lecturer("lect_agri").unavailable] == [SAT, SUN]),
    # a site closed on dates (listed once even if written twice)
    ("- site_closed: {site: lidian, dates: [2019-09-08, 2019-09-08]}",
     lambda s: s.site("lidian").closed_dates == (SUN,)),
]
# fmt: on


@pytest.mark.parametrize(("changes", "holds"), OPERATIONS, ids=[row[0][:60] for row in OPERATIONS])
def test_each_operation_changes_what_it_says(tmp_path, changes, holds):
    body = "changes:\n" + "".join(f"  {line}\n" for line in changes.splitlines())
    scenario = load_scenario(write_variant(tmp_path, body))
    assert holds(scenario)


def test_a_variant_of_a_variant_applies_both_in_order(tmp_path):
    write_variant(
        tmp_path,
        "changes:\n  - set: {path: limits.max_coach_minutes_per_day, value: 300}\n"
        "  - set: {path: limits.latest_return, value: '17:30'}\n",
        name="first.yaml",
    )
    second = write_variant(
        tmp_path,
        "changes:\n  - set: {path: limits.max_coach_minutes_per_day, value: 240}\n",
        "second.yaml",
        "first.yaml",
    )
    limits = load_scenario(second).limits
    assert (limits.max_coach_minutes_per_day, limits.latest_return) == (240, parse_clock("17:30"))


def test_the_example_variants_load_and_change_what_they_say():
    base = load_scenario(ROOT / "scenarios" / "dalian-2019.yaml")
    examples = {path.name: load_scenario(path) for path in sorted(VARIANTS.glob("*.yaml"))}
    assert len(examples) >= 4
    assert examples["coach-six-hours.yaml"].limits.max_coach_minutes_per_day == 360
    closed = examples["liaoshen-closed.yaml"].site("liaoshen").closed_dates
    assert closed == tuple(base.programme.date_of(day) for day in range(7))
    away = examples["lecturer-drops-out-tuesday.yaml"].lecturer("lect_private").unavailable
    assert [u.date for u in away] == [dt.date(2019, 8, d) for d in range(27, 32)]
    fifth = examples["fifth-class.yaml"]
    assert [c.id for c in fifth.classes] == [*(c.id for c in base.classes), "party_building"]
    assert fifth.requirements_for("party_building").must_visit == ("huershan", "museum_918")
    for name, scenario in examples.items():  # nothing else changed
        assert scenario.programme == base.programme, name
    assert variant_name(VARIANTS / "fifth-class.yaml", "en") == "A fifth class joins"


# ---------------------------------------------------------------------------
# Bad variants: the problem at the variant's line, in plain words

# fmt: off
BAD = [
    # a misspelt key in a path, with the right one suggested
    ("- set: {path: limits.max_coach_minutes, value: 300}", 3, "changes[1].set.path",
     ["no key 'max_coach_minutes' in limits", "did you mean 'max_coach_minutes_per_day'?"]),
    # an unknown id in a path, with the ids that exist
    ("- set: {path: 'classes[rurall].trainees', value: 60}", 3, "changes[1].set.path",
     ["no class 'rurall'", "did you mean 'rural'?", "expected one of: urban, rural"]),
    # a bad value: checked like the scenario, at the line of the value
    ("- set:\n    path: classes[rural].trainees\n    value: -3", 5, "classes[rural].trainees",
     ["-3 is less than 1", "expected 1 or more"]),
    # a value that breaks a section's own rule: at the change
    ("- set: {path: programme.frame.lunch.minutes, value: 200}", 3, "programme.frame.lunch",
     ["lunch of 200 minutes does not fit"]),
    # an unknown id in a value: checked like the scenario's references
    ("- set: {path: requirements.by_class.urban.must_visit, value: [huershan, nowhere]}", 3,
     "requirements.by_class.urban.must_visit[2]", ["unknown site 'nowhere'"]),
    # a path that is not one
    ("- set: {path: 'classes..trainees', value: 1}", 3, "changes[1].set.path", ["is not a path"]),
    # a path through a single value
    ("- set: {path: limits.latest_return.hour, value: 1}", 3, "changes[1].set.path",
     ["limits.latest_return holds a single value"]),
    # an operation misspelt
    ("- sett: {path: x, value: 1}", 3, "changes[1].sett", ["unknown key (did you mean 'set'?)"]),
    # two operations in one change
    ("- set: {path: limits.rest_stop_minutes, value: 10}\n  remove: {sites: lidian}", 3, "changes[1]",
     ["2 operations (set, remove) in one change", "expected exactly one of"]),
    # removing a site a class must visit names both places
    ("- remove: {sites: huershan}", 3, "changes[1].remove.sites",
     ["cannot remove site 'huershan': still used at",
      f"weekend-two-classes.yaml:{weekend_line('must_visit: [huershan, wanyi]')}",
      "requirements.by_class.urban.must_visit[1]"]),
    # removing what does not exist
    ("- remove: {lecturers: [lect_orgg]}", 3, "changes[1].remove.lecturers[1]",
     ["no lecturer 'lect_orgg' to remove", "did you mean 'lect_org'?"]),
    # adding an id that exists
    ("- add: {classes: {id: rural, name_en: x}}", 3, "changes[1].add.classes", ["class 'rural' already exists"]),
    # an unknown lecturer
    ("- lecturer_unavailable: {lecturer: lect_x, date: 2019-09-07}", 3, "changes[1].lecturer_unavailable.lecturer",
     ["no lecturer 'lect_x'"]),
    # a lecturer away outside the programme: checked like the scenario's own dates
    ("- lecturer_unavailable: {lecturer: lect_org, date: 2019-09-20}", 3, "lecturers[lect_org].unavailable[1].date",
     ["2019-09-20 is outside the programme"]),
    # a start without an end
    ("- lecturer_unavailable: {lecturer: lect_org, date: 2019-09-07, start: '08:00'}", 3,
     "changes[1].lecturer_unavailable", ["only one of start and end given"]),
    # a site closed outside the programme would close nothing
    ("- site_closed: {site: lidian, dates: [2019-08-08]}", 3, "changes[1].site_closed",
     ["2019-08-08 is outside the programme", "expected dates from 2019-09-07 to 2019-09-08"]),
    # dates written two ways
    ("- site_closed: {site: lidian, date: 2019-09-07, dates: [2019-09-08]}", 3, "changes[1].site_closed",
     ["dates given in more than one way"]),
    # a bad date
    ("- site_closed: {site: lidian, date: 2019-09-31}", 3, "changes[1].site_closed.date", ["is not a valid date"]),
]
# fmt: on


@pytest.mark.parametrize(("changes", "line", "path", "words"), BAD, ids=[row[0][:60] for row in BAD])
def test_a_bad_change_is_reported_at_the_variants_line(tmp_path, changes, line, path, words):
    body = "changes:\n" + "".join(f"  {text}\n" for text in changes.splitlines())
    variant = write_variant(tmp_path, body)
    problems = problems_in(variant)
    assert len(problems) == 1, problems
    (problem,) = problems
    assert (problem.file, problem.line, problem.path) == (str(variant), line, path)
    for word in words:
        assert word in problem.message
    assert "(expected" in problem.message or "(did you mean" in problem.message


def test_every_problem_at_once_each_at_its_file(tmp_path):
    """A problem already in the base is reported at the base's line, the variant's at the variant's."""
    base = tmp_path / "base.yaml"
    text = WEEKEND.read_text(encoding="utf-8").replace("trainees: 30\n", "trainees: 0\n", 1)
    base.write_text(text, encoding="utf-8")
    base_line = text.splitlines().index("    trainees: 0") + 1
    variant = write_variant(
        tmp_path, "changes:\n  - set: {path: 'classes[rural].trainees', value: many}\n", extends="base.yaml"
    )
    found = {(p.file, p.line, p.path) for p in problems_in(variant)}
    assert found == {(str(base), base_line, "classes[urban].trainees"), (str(variant), 3, "classes[rural].trainees")}


def test_a_cycle_is_an_error_naming_the_files(tmp_path):
    first = write_variant(tmp_path, "", "first.yaml", "second.yaml")
    write_variant(tmp_path, "# second\n", "second.yaml", "first.yaml")
    (problem,) = problems_in(first)
    assert (problem.file, problem.line, problem.path) == (str(tmp_path / "second.yaml"), 1, "extends")
    assert "makes a cycle" in problem.message
    assert f"{first} -> {tmp_path / 'second.yaml'} -> {first}" in problem.message


def test_a_missing_base_is_reported_at_extends(tmp_path):
    variant = write_variant(tmp_path, "changes: []\n", extends="nowhere.yaml")
    (problem,) = problems_in(variant)
    assert (problem.file, problem.line, problem.path) == (str(variant), 1, "extends")
    assert "no such file" in problem.message and "relative to this file" in problem.message


@pytest.mark.parametrize("cyclic", [False, True])
def test_the_command_exits_2_with_the_variants_line(tmp_path, cyclic):
    if cyclic:
        variant = write_variant(tmp_path, "", "a.yaml", "b.yaml")
        write_variant(tmp_path, "", "b.yaml", "a.yaml")
        expected = f"{tmp_path / 'b.yaml'}:1: extends: 'a.yaml' makes a cycle"
    else:
        variant = write_variant(tmp_path, "changes:\n  - set: {path: 'classes[nobody].trainees', value: 3}\n")
        expected = f"{variant}:3: changes[1].set.path: classes has no class 'nobody'"
    done = subprocess.run(
        [sys.executable, "solve.py", str(variant)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 2
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


def test_locations_point_into_the_file_that_wrote_them(tmp_path):
    variant = write_variant(tmp_path, "changes:\n  - set: {path: limits.max_coach_minutes_per_day, value: 100}\n")
    where = location_finder(variant)
    assert where("limits.max_coach_minutes_per_day") == (str(variant), 3)
    assert where("limits.latest_return") == (str(WEEKEND), weekend_line('latest_return: "18:00"'))


# ---------------------------------------------------------------------------
# A variant's plan


def test_a_closed_site_is_never_visited_in_the_variants_plan(tmp_path):
    options = SolveOptions(time_limit=10, workers=1, seed=0)
    base = load_scenario(WEEKEND)
    visited = {e.site for e in solve_checked(base, options).events if e.kind == "field_visit"}
    assert "lidian" in visited  # so that closing it matters
    shutil.copy(WEEKEND, tmp_path / "base.yaml")
    variant = write_variant(
        tmp_path,
        "changes:\n  - site_closed: {site: lidian, from: 2019-09-07, until: 2019-09-08}\n",
        extends="base.yaml",
    )
    plan = solve_checked(load_scenario(variant), options)
    assert "lidian" not in {e.site for e in plan.events if e.kind == "field_visit"}


def solve_checked(scenario: Scenario, options: SolveOptions):
    result = solve(scenario, options)
    assert result.plan is not None, result.status
    assert_valid(scenario, result.plan)
    return result.plan
