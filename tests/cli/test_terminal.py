"""The terminal in the user's language: labels in one language, the scenario's names in it, tables
that fit 80 columns without cutting a word, and ``--explain`` in names and units.

Printed from the saved Dalian plan (``tests/data/dalian-plan.json``: 4 classes, 7 days, long
Chinese and English names), without solving; ``tests/cli/test_cli.py`` runs the command itself.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from helpers import DATA, ROOT
from rich.console import Console

from scheduler.cli.terminal import print_explanation, print_plan, print_solver_line, solver_line
from scheduler.plan.export import plan_from_json
from scheduler.plan.model import Result, SolverStats, SolveStatus
from scheduler.scenario.loading import load_scenario
from scheduler.scenario.model import Scenario
from scheduler.solver.diagnosis.tradeoffs import TradeOff

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
"""Chinese characters and punctuation (full-width forms included)."""
BOX = re.compile(r"[\u2500-\u257f]")
"""The tables' rules and corners."""

TRADE_OFFS = (
    TradeOff("coach_minutes", 30, outcome="impossible"),
    # one more visit that fits a theme (30 points) for 37 coach minutes and one late evening less
    TradeOff("theme_fit", 30, {"coach_minutes": 37, "late_evening": -20}),
    TradeOff("late_evening", 20, {"coach_minutes": 12}, outcome="at most"),
    TradeOff("site_value", 10, outcome="undecided"),
)


@pytest.fixture(scope="module")
def dalian() -> tuple[Scenario, Result]:
    data = json.loads((DATA / "dalian-plan.json").read_text(encoding="utf-8"))
    stats = SolverStats(
        SolveStatus.OPTIMAL, 909.0, 909.0, 28.9, first_plan_seconds=1.1, plans_found=9, workers=2, focused=True
    )
    return load_scenario(ROOT / "scenarios" / "dalian-2019.yaml"), Result(
        stats, plan_from_json(data), data["objective_terms"]
    )


def shown(scenario: Scenario, result: Result, lang: str | None, width: int) -> str:
    """Everything ``solve.py --explain`` prints for a plan, at ``width`` columns."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False)
    print_plan(console, scenario, result, lang)
    print_explanation(console, scenario, result, TRADE_OFFS, lang)
    print_solver_line(console, result.stats, lang or scenario.programme.language)
    return buffer.getvalue()


def names(scenario: Scenario) -> list[str]:
    """Every name of the scenario in either language, longest first (to strip a name before
    the shorter names inside it)."""
    named = [
        scenario.programme,
        *scenario.places,
        *scenario.themes,
        *scenario.topics,
        *scenario.classes,
        *(k.professor for k in scenario.classes),
        *scenario.lecturers,
        *scenario.sites,
    ]
    # a site has the names of its place unless it has its own
    both = ((getattr(thing, "name_zh", None), getattr(thing, "name_en", None)) for thing in named)
    found = {name for pair in both for name in pair if name}
    return sorted(found, key=len, reverse=True)


def without_names(text: str, scenario: Scenario) -> str:
    for name in names(scenario):
        text = text.replace(name, " ")
    return text


def ids(scenario: Scenario) -> set[str]:
    """The ids of classes, professors, lecturers, places, sites and topics."""
    return {
        *(k.id for k in scenario.classes),
        *(k.professor.id for k in scenario.classes),
        *(lecturer.id for lecturer in scenario.lecturers),
        *(place.id for place in scenario.places),
        *(site.id for site in scenario.sites),
        *(topic.id for topic in scenario.topics),
    }


def english_words(text: str) -> set[str]:
    """The runs of Latin letters of ``text`` (``Field-teaching`` is two)."""
    return set(re.findall(r"[A-Za-z]+", text))


def test_english_has_no_chinese_but_in_names_and_no_ids(dalian: tuple[Scenario, Result]):
    scenario, result = dalian
    text = shown(scenario, result, "en", 1000)
    assert "Day 1 · Sun 25 Aug" in text and "Night at" in text and "Points per unit" in text
    rest = without_names(text, scenario)
    assert not CJK.findall(rest), sorted(set(CJK.findall(rest)))
    # the names shown are the English ones: none of the Chinese names is left to strip
    assert not CJK.search(text)
    found = {word for word in ids(scenario) if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", rest)}
    assert not found


def test_chinese_has_no_english_labels_and_is_the_default_for_a_chinese_programme(dalian: tuple[Scenario, Result]):
    scenario, result = dalian
    assert scenario.programme.language == "zh"
    text = shown(scenario, result, None, 1000)
    assert "第1天 · 8月25日 周日" in text and "当晚住宿" in text
    assert "推进经济高质量发展专题培训班" in text and "High-quality economic development class" not in text
    rest = without_names(text, scenario)
    assert not english_words(rest), sorted(english_words(rest))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_at_80_columns_nothing_is_cut(dalian: tuple[Scenario, Result], lang: str):
    from rich.cells import cell_len

    scenario, result = dalian
    narrow, wide = shown(scenario, result, lang, 80), shown(scenario, result, lang, 1000)
    assert "…" not in narrow
    assert max(cell_len(line) for line in narrow.splitlines()) <= 80
    # a word cut in two leaves pieces that are no word of the same text printed wide
    cut = english_words(narrow) - english_words(wide)
    assert not cut, sorted(cut)
    # every Chinese name is whole once the lines and the tables' rules are taken away
    squeezed = re.sub(r"\s+", "", BOX.sub("", narrow))
    for klass in scenario.classes:
        assert re.sub(r"\s+", "", klass.label(lang)) in squeezed


def test_explain_speaks_in_names_and_units(dalian: tuple[Scenario, Result]):
    scenario, result = dalian
    text = re.sub(r"\s+", " ", shown(scenario, result, "en", 80))
    assert "Coach minutes: no plan has 30 fewer coach minutes" in text
    assert (
        "Theme fit: 1 more visit that fits the class's theme would mean 37 more coach minutes, 1 fewer late evening"
    ) in text
    assert "Late evenings: 1 fewer late evening would mean at most 12 more coach minutes" in text
    assert "the price of 1 more point of site value was not found" in text
    assert "1 per coach minute, -30 per visit that fits the class's theme" in text
    # binding limits name the class and the place (the saved plan is back at the latest return once)
    assert "Rural revitalisation and targeted poverty alleviation class on Thu 29 Aug: back at 18:00" in text
    assert "lodging at Fushun full (2 of 2 classes)" in text
    chinese = re.sub(r"\s+", "", BOX.sub("", shown(scenario, result, "zh", 80)))
    assert "主题契合：多1次主题契合的参观，意味着多37分钟车程、少1个过晚的晚间" in chinese
    assert "抚顺市住宿已满（2/2个班）" in chinese


@pytest.mark.parametrize(
    ("workers", "plans", "expected"),
    [
        (1, 1, "1 plan, 1 free-running worker, seed 0"),  # one of each: no plural
        (2, 3, "3 plans, 2 free-running workers, seed 0"),
    ],
)
def test_the_solver_line_agrees_in_number(workers: int, plans: int, expected: str):
    stats = SolverStats(SolveStatus.FEASIBLE, 10.0, None, 1.0, plans_found=plans, workers=workers)
    assert expected in solver_line(stats, "en")
    assert "workers" not in solver_line(stats, "zh") and "个自由运行的线程" in solver_line(stats, "zh")
