"""A plan that breaks a rule, and a bad parameters file, said in the command's language: under
``--lang zh`` the checker's findings and the parameters' problems are Chinese, with no English
word but the ids, the values and the keys they name as the files write them; under ``--lang en``
they are the English sentences as they always were.

Each case runs the command in-process (``scheduler.cli.main``) on a copy of the Dalian plan
broken by hand; none solves.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import DATA, ROOT, scenario_ids

from scheduler.cli import main
from scheduler.scenario.loading import load_scenario

DALIAN = ROOT / "scenarios" / "dalian-2019.yaml"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def english_left(text: str) -> set[str]:
    """The English words of ``text`` once the ids, quoted values, file keys and options are gone."""
    text = re.sub(r"'[^']*'|\b[a-z]+(?:_[a-z]+)+\b|--[a-z-]+|\S*/\S*|solve\.py( [a-z]+)?", " ", text)
    for name in sorted(scenario_ids(load_scenario(DALIAN)), key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z_]){re.escape(name)}(?![A-Za-z_])", " ", text)
    return set(re.findall(r"[A-Za-z]+", text))


def _events(plan: dict[str, Any], **match: str) -> list[dict[str, Any]]:
    return [e for e in plan["events"] if all(e.get(k) == v for k, v in match.items())]


def visit_before_opening(plan: dict[str, Any]) -> None:
    """Economy's visit to Yuanda (open 08:30-17:00) an hour earlier."""
    (visit,) = _events(plan, kind="field_visit", site="yuanda", **{"class": "economy"})
    visit["start"], visit["end"] = "07:30", "09:30"


def lecturer_twice_at_once(plan: dict[str, Any]) -> None:
    """The free-trade-zone lecturer also lecturing the private class at an overlapping time."""
    (lecture,) = _events(plan, kind="lecture", date="2019-08-25", lecturer="lect_business")
    lecture["lecturer"] = "lect_ftz"


def must_visit_dropped(plan: dict[str, Any]) -> None:
    """Economy's must-visit to Yuanda left out."""
    (visit,) = _events(plan, kind="field_visit", site="yuanda", **{"class": "economy"})
    plan["events"].remove(visit)


BREAKS = {
    "a visit before its site opens": (
        visit_before_opening,
        "班次 economy 8月26日（周一）的现场教学（教学点 yuanda，07:30-09:30）在教学点 08:30 开门之前开始。",
        "Class economy's visit to site yuanda (07:30-09:30) on 2019-08-26 (Monday) starts before the site opens at "
        "08:30.",
    ),
    "a lecturer booked twice": (
        lecturer_twice_at_once,
        "授课教师 lect_ftz 为班次 economy 在 jinpu 的讲座（8月25日（周日） 08:45-10:15）与为班次 private 在 "
        "wafangdian 的讲座（8月25日（周日） 09:20-10:50）时间重叠。",
        "Lecturer lect_ftz's lectures for class economy at jinpu on 2019-08-25 (Sunday) (08:45-10:15) and for class "
        "private at wafangdian on 2019-08-25 (Sunday) (09:20-10:50) overlap.",
    ),
    "a must-visit dropped": (
        must_visit_dropped,
        "班次 economy 没有参观必须参观的教学点 yuanda。",
        "Class economy never visits site yuanda, which it must visit.",
    ),
}


@pytest.fixture(scope="module")
def dalian_plan() -> dict[str, Any]:
    return json.loads((DATA / "dalian-plan.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", BREAKS)
def test_render_says_the_rules_broken_in_the_commands_language(
    tmp_path: Path, capsys, dalian_plan: dict[str, Any], name: str, lang: str
):
    breaking, chinese, english = BREAKS[name]
    broken = copy.deepcopy(dalian_plan)
    breaking(broken)
    path, out = tmp_path / "broken.json", tmp_path / "out"
    path.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    assert main(["render", str(path), str(DALIAN), "--out", str(out), "--lang", lang]) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    findings = [line.split("  - ", 1)[1] for line in err.splitlines() if "  - " in line]
    assert findings, err
    if lang == "zh":
        assert chinese in findings, err
        for finding in findings:
            assert CJK.search(finding), finding
        assert not english_left(err), (sorted(english_left(err)), err)
    else:
        assert english in findings, err
        assert not CJK.search(err), err


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        (
            "[bound]\nroute_budget = 'x'\n",
            "bound.route_budget：'x' 不是整数（应为整数，例如 300000）",
            "bound.route_budget: 'x' is not a whole number (expected a whole number like 300000)",
        ),
        (
            "[stages]\nlns_share = 1.5\nfoo = 1\n",
            "stages.foo：未知的参数（应为以下之一：first_plan_share、coarse_share、route_share、",
            "stages.foo: unknown parameter (expected one of first_plan_share, coarse_share, route_share, ",
        ),
        (
            "[stages]\nlns_share = 1.5\n",
            "stages.lns_share：1.5 太大（应至多 1.0）",
            "stages.lns_share: 1.5 is too large (expected at most 1.0)",
        ),
        (
            "[class_by_class]\nslice_seconds = 0\n",
            "class_by_class.slice_seconds：0 太小（应大于 0）",
            "class_by_class.slice_seconds: 0 is too small (expected above 0)",
        ),
        ("[sages]\n", "[sages]：未知的部分（应为以下之一：stages、", "[sages]: unknown part (expected one of stages, "),
        ("stages = 3\n", "stages：应为参数表 [stages]", "stages: expected a table [stages] of parameters"),
        ("[stages\n", ": 不是有效的 TOML（第 1 行第 8 列有误）", ": not TOML: Expected ']' at the end of a table"),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_bad_parameters_file_is_said_in_the_commands_language(tmp_path: Path, capsys, text, zh, en, lang):
    """The file and the parameter's path as now, then a Chinese sentence under ``--lang zh``."""
    path = tmp_path / "params.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["solve", str(DALIAN), "--params", str(path), "--lang", lang, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"solve.py: {path}" in err, err
    assert (zh if lang == "zh" else en) in err, err
    if lang == "zh":
        for line in err.splitlines():
            sentence = re.sub(r"^: \[?[a-z_.]+\]?", " ", line.split(str(path), 1)[1]).replace("TOML", " ")
            sentence = re.sub(r"(?<=以下之一：)[^）]*|\[[a-z_]+\]", " ", sentence)  # parts and parameters named
            assert not english_left(sentence), (sorted(english_left(sentence)), line)
    else:
        assert not CJK.search(err), err


def test_a_parameters_file_that_is_missing_is_said_in_chinese(tmp_path: Path, capsys):
    path = tmp_path / "missing.toml"
    assert main(["solve", str(DALIAN), "--params", str(path), "--lang", "zh", "--quiet"]) == 2
    assert capsys.readouterr().err.strip() == f"solve.py: {path}: 无法读取：文件或文件夹不存在"
