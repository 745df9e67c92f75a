"""Re-planning with least change, on the two-class weekend (solved once per module)."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import ROOT

from scheduler.analysis.check import check, say_date
from scheduler.analysis.freeze import cannot_keep, not_kept
from scheduler.plan.model import Freeze
from scheduler.scenario.loading import load_scenario
from scheduler.scenario.model import RequirementOverrides, Unavailability
from scheduler.solver import SolveOptions, solve
from scheduler.solver.replan import replan

OPTIONS = SolveOptions(time_limit=5, workers=1, seed=3)
TEACHING = ("field_visit", "lecture", "opening", "presentation")


def identities(plan) -> set[tuple]:
    return {
        (e.class_id, e.date, e.kind, e.site, e.topic, e.start, e.lecturer) for e in plan.events if e.kind in TEACHING
    }


@pytest.fixture(scope="module")
def weekend():
    scenario = load_scenario(ROOT / "scenarios" / "weekend-two-classes.yaml")
    return scenario, solve(scenario, OPTIONS).plan


def with_lecturer_away(scenario, lecturer_id, date):
    lecturer = scenario.lecturer(lecturer_id)
    away = lecturer.model_copy(update={"unavailable": (*lecturer.unavailable, Unavailability(date=date))})
    return scenario.model_copy(
        update={"lecturers": tuple(away if l.id == lecturer_id else l for l in scenario.lecturers)}
    )


def test_nothing_changed_gives_the_same_plan(weekend):
    scenario, old = weekend
    result, changes = replan(scenario, old, None, OPTIONS)
    assert changes == 0
    assert identities(result.plan) == identities(old)
    assert {(n.class_id, n.date, n.place) for n in result.plan.nights} == {
        (n.class_id, n.date, n.place) for n in old.nights
    }


def test_lecturer_away_changes_only_their_lecture():
    """Two lecturers can give the lecture; the one who gave it is away that day: only the
    lecturer of that lecture changes, nothing else moves."""
    from helpers import LECTURER, read_data, require, with_changes

    from scheduler.scenario.model import Scenario

    raw = with_changes(
        read_data("rules/base.yaml"),
        with_changes(
            require(lectures={"policy": 1}, must_visit=["x"]),
            {"lecturers": [LECTURER, {**LECTURER, "id": "wang", "name_en": "Wang"}]},
        ),
    )
    scenario = Scenario.model_validate(raw)
    old = solve(scenario, OPTIONS).plan
    lecture = next(e for e in old.events if e.kind == "lecture")
    changed = with_lecturer_away(scenario, lecture.lecturer, lecture.date)
    result, changes = replan(changed, old, None, OPTIONS)
    assert check(changed, result.plan) == []
    dropped = identities(old) - identities(result.plan)
    added = identities(result.plan) - identities(old)
    assert [d[2] for d in dropped] == ["lecture"] and [a[2] for a in added] == ["lecture"]
    (new_lecture,) = added
    assert new_lecture[5] == lecture.start and new_lecture[6] != lecture.lecturer
    assert changes == 3  # one change on the day after the freeze weighs 3


def test_frozen_events_never_move(weekend):
    scenario, old = weekend
    # frozen until the first field visit is over, so that the freeze holds a visit whatever the plan
    first_visit = min((e for e in old.events if e.kind == "field_visit"), key=lambda e: (e.date, e.start))
    freeze = Freeze(first_visit.date, first_visit.end)
    # a site visited after the freeze closes for good (and is no longer required of anyone)
    site = next(e.site for e in old.events if e.kind == "field_visit" and not freeze.keeps(e))
    closed_on = tuple(scenario.programme.date_of(d) for d in range(scenario.programme.days))
    closed = scenario.site(site).model_copy(update={"closed_dates": closed_on})
    changed = scenario.model_copy(update={"sites": tuple(closed if s.id == site else s for s in scenario.sites)})
    for klass in scenario.classes:
        must = scenario.requirements_for(klass.id).must_visit
        if site in must:
            changed = with_requirement(changed, klass.id, must_visit=tuple(s for s in must if s != site))
    result, _ = replan(changed, old, freeze, OPTIONS)
    assert any(freeze.keeps(e) and e.kind == "field_visit" for e in old.events), "something is frozen"
    assert not not_kept(old, result.plan, freeze).sentences()
    assert not any(e.site == site for e in result.plan.events), "a closed site is never visited"
    assert check(changed, result.plan) == []


def with_requirement(scenario, class_id, **values):
    requirements = scenario.requirements
    mine = requirements.by_class.get(class_id) or RequirementOverrides()
    by_class = {**requirements.by_class, class_id: mine.model_copy(update=values)}
    return scenario.model_copy(update={"requirements": requirements.model_copy(update={"by_class": by_class})})


def test_what_has_begun_on_the_freeze_day_is_kept_exactly(weekend):
    """Report writing becomes required of a class; frozen at 20:00 on day 1, the re-plan keeps
    day 1's evening as it was (it began at 19:00): no session added to it, none shortened."""
    scenario, old = weekend
    day_one = scenario.programme.first_date
    freeze = Freeze(day_one, 20 * 60)
    for class_id in ("urban", "rural"):
        changed = with_requirement(scenario, class_id, min_report_writing_class_hours=1)
        result, _ = replan(changed, old, freeze, OPTIONS)
        assert result.plan is not None, class_id
        assert not not_kept(old, result.plan, freeze), not_kept(old, result.plan, freeze).sentences()
        assert check(changed, result.plan) == []


def test_what_cannot_be_kept_is_named_before_solving(weekend, tmp_path):
    """A site closed on the day a frozen visit goes there, and a class the saved plan does not
    have: each is named as what no re-plan can keep."""
    scenario, old = weekend
    visit = min((e for e in old.events if e.kind == "field_visit"), key=lambda e: (e.date, e.start))
    freeze = Freeze(visit.date, visit.end)
    closed = scenario.site(visit.site).model_copy(update={"closed_dates": (visit.date,)})
    changed = scenario.model_copy(update={"sites": tuple(closed if s.id == visit.site else s for s in scenario.sites)})
    reasons = cannot_keep(changed, old, freeze)
    assert reasons == [f"Class {visit.class_id} visits site {visit.site} on {say_date(visit.date)}, when it is closed."]
    assert replan(changed, old, freeze, OPTIONS)[0].plan is None  # and indeed no re-plan keeps it
    assert cannot_keep(changed, old, Freeze(visit.date, visit.start)) == []  # frozen before it: free to move

    newcomer = scenario.training_class("urban").model_copy(update={"id": "newcomer"})
    grown = scenario.model_copy(update={"classes": (*scenario.classes, newcomer)})
    (reason,) = cannot_keep(grown, old, Freeze(visit.date, 12 * 60))
    assert reason.startswith("Class newcomer is not in the saved plan, so it has nothing to keep before")
    assert cannot_keep(grown, old, Freeze(scenario.programme.first_date)) == []


def test_freeze_parses_a_date_and_a_time():
    assert Freeze.parse("2019-08-27") == Freeze(Freeze.parse("2019-08-27").date, 0)
    assert Freeze.parse("2019-08-27T13:30").minute == 13 * 60 + 30


def test_replan_command_prints_the_changes_and_who_must_be_told(tmp_path):
    import json
    import subprocess
    import sys

    import yaml

    def run(*args):
        return subprocess.run(
            [sys.executable, "solve.py", *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300
        )

    saved = tmp_path / "plan.json"
    assert (
        run("scenarios/weekend-two-classes.yaml", "--time-limit", "5", "--quiet", "--json", str(saved)).returncode == 0
    )
    plan = json.loads(saved.read_text(encoding="utf-8"))
    lecture = next(e for e in plan["events"] if e["kind"] == "lecture")
    raw = yaml.safe_load((ROOT / "scenarios" / "weekend-two-classes.yaml").read_text(encoding="utf-8"))
    for lecturer in raw["lecturers"]:
        if lecturer["id"] == lecture["lecturer"]:
            lecturer["unavailable"] = [{"date": lecture["date"]}]
    changed = tmp_path / "away.yaml"
    changed.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    new = tmp_path / "new.json"
    done = run("replan", str(saved), str(changed), "--time-limit", "10", "--quiet", "--json", str(new))
    assert done.returncode == 0, done.stderr
    assert "Who must be told" in done.stdout
    name = next(lecturer["name_en"] for lecturer in raw["lecturers"] if lecturer["id"] == lecture["lecturer"])
    assert name in " ".join(done.stdout.split())  # by name, in the programme's language
    data = json.loads(new.read_text(encoding="utf-8"))
    assert data["changes"]["changed_events"] >= 1
    assert lecture["lecturer"] in data["changes"]["who_must_be_told"]["lecturers"]
    bad = run("replan", str(saved), str(changed), "--freeze-until", "27 Aug")
    assert bad.returncode == 2 and "expected YYYY-MM-DD" in bad.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-08-27", (dt.date(2019, 8, 27), 0)),
        ("2019-08-27T12:00", (dt.date(2019, 8, 27), 720)),
        ("2019-08-27T23:59", (dt.date(2019, 8, 27), 1439)),
    ],
)
def test_a_freeze_point_is_read_as_written(text, expected):
    freeze = Freeze.parse(text)
    assert (freeze.date, freeze.minute) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2019-09-07T25:99",  # no such clock time
        "2019-09-07T24:00",  # the day has no 24:00
        "2019-09-07T12:60",  # nor a sixtieth minute
        "2019-09-07T7:05",  # the hour in two digits
        "2019-09-07T12:00:00",  # seconds are not taken
        "2019-02-30",  # no such date
        "27/08/2019",  # not ISO
        "",  # nothing
    ],
)
def test_a_freeze_point_that_is_not_a_date_and_time_is_refused(text):
    with pytest.raises(ValueError):
        Freeze.parse(text)
