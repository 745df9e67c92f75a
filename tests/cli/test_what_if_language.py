"""``compare``, ``replan`` and ``sweep`` in the user's language, as ``solve`` is
(``tests/cli/test_terminal.py``): ``--lang en`` prints no Chinese but in the scenario's names,
``--lang zh`` no English word but in names, file names and options; at 80 columns no line is
longer and no word is cut; the comparison's and the risk table's page and spreadsheet follow.

Each command runs for real on the weekend scenario's saved plan and a variant that closes one site,
on a pseudo-terminal (standard output) 80 columns wide and, for reference, 1000 wide.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from helpers import DATA, ROOT, run_solve_py, solve_py_on_a_terminal

from scheduler.analysis.risk import RiskRow
from scheduler.scenario.loading import load_scenario

WEEKEND = ROOT / "scenarios" / "weekend-two-classes.yaml"
CLOSED = (
    "name_en: Lidian closed\n"
    "changes:\n  - site_closed: {site: lidian, from: 2019-09-07, until: 2019-09-08}\n"
)  # fmt: skip
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
"""Chinese characters and punctuation (full-width forms included)."""
COMMANDS = ("compare", "replan", "sweep")
ENGLISH_LABELS = (
    # compare: the headings, the table, the statuses, the notes and the changes
    "Verdicts", "Comparison", "against the base", "Measure", "Status", "optimal", "feasible", "base",
    "Solver", "Objective", "Seconds", "Field share", "Coach km", "Sites visited", "All classes", "Class",
    "rows where no variant differs", "--all-rows shows them", "events differ", "nights differ", "vs",
    "changes from the base plan", "Date", "Change", "What", "Before", "After", "dropped", "added",
    "moved", "Coach", "Field visit", "Who must be told", "Classes", "Sites", "Lodging",
    # the progress lines
    "Planning the base", "Re-planning", "scenario", "local pool", "process", "worker", "up to",
    "reproducible",
    # replan
    "Changes", "events", "weighted", "none", "solver",
    # sweep
    "disruptions", "Risk table", "Disruption", "Outcome", "objective", "coach min", "Also",
    "People to tell", "Why", "re-planned", "closed on", "field visits", "field share", "left", "about",
)  # fmt: skip
"""English words the commands used to print whatever ``--lang`` said."""


class Shown(NamedTuple):
    out: str
    """Standard output, on a terminal, without the colour codes."""
    err: str
    """Standard error, piped: the progress lines."""
    files: dict[str, Path]
    """The other outputs written: ``html``, ``xlsx``."""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, weekend_plan: dict[str, Any]) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("what-if-language")
    plan, variant = folder / "weekend-plan.json", folder / "closed.yaml"
    plan.write_text(json.dumps(weekend_plan), encoding="utf-8")
    variant.write_text(f"extends: {WEEKEND}\n{CLOSED}", encoding="utf-8")
    return {"plan": plan, "variant": variant, "folder": folder}


@pytest.fixture(scope="module")
def run(inputs: dict[str, Path]) -> Callable[[str, str, int], Shown]:
    """Each command in each language and width, run once."""
    done: dict[tuple[str, str, int], Shown] = {}

    def shown(command: str, lang: str, columns: int = 80) -> Shown:
        if (command, lang, columns) not in done:
            out = inputs["folder"] / f"{command}-{lang}-{columns}"
            files = {"html": out / f"{command}.html", "xlsx": out / f"{command}.xlsx"}
            plan, variant = str(inputs["plan"]), str(inputs["variant"])
            args = {
                "compare": ["compare", str(WEEKEND), variant, "--base-plan", plan, "--time-limit", "10",
                            "--workers", "1", "--html", str(files["html"])],
                "replan": ["replan", plan, variant, "--quiet", "--time-limit", "10", "--workers", "1"],
                "sweep": ["sweep", plan, str(WEEKEND), "--kinds", "site-closed", "--time-limit", "5",
                          "--workers", "2", "--diagnosis-seconds", "1", "--html", str(files["html"]),
                          "--xlsx", str(files["xlsx"])],
            }[command]  # fmt: skip
            text, err = solve_py_on_a_terminal(*args, "--lang", lang, columns=columns)
            done[(command, lang, columns)] = Shown(text, err, {k: v for k, v in files.items() if v.exists()})
        return done[(command, lang, columns)]

    return shown


def names() -> list[str]:
    """Every name of the weekend scenario and the variant in either language, longest first."""
    scenario = load_scenario(WEEKEND)
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
    found = {n for thing in named for n in (getattr(thing, "name_zh", None), getattr(thing, "name_en", None)) if n}
    return sorted(found | {"Lidian closed"}, key=len, reverse=True)


def without_names(text: str) -> str:
    """``text`` without the scenario's names, the files' paths and names, and the options."""
    text = re.sub(r"\S*/\S*", " ", text)  # paths
    for name in names():
        text = text.replace(name, " ")
    text = re.sub(r"--[a-z-]+", " ", text)
    return re.sub(r"\b(weekend-two-classes|closed|JSON|HTML)\b", " ", text)


def english_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]+", text))


def page_text(page: Path) -> str:
    """The words of an HTML page (its title and body), without its style sheet."""

    class Collector(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.text: list[str] = []
            self.skip = False

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            self.skip = tag == "style"

        def handle_endtag(self, tag: str) -> None:
            self.skip = False

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.text.append(data)

    collector = Collector()
    collector.feed(page.read_text(encoding="utf-8"))
    return " ".join(collector.text)


def sheet_text(book: Path) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(book)
    cells = [workbook.active.title]
    cells += [str(cell.value) for row in workbook.active.iter_rows() for cell in row if isinstance(cell.value, str)]
    return "\n".join(cells)


@pytest.mark.parametrize("command", COMMANDS)
def test_english_has_no_chinese_but_in_names(run, command: str):
    shown = run(command, "en")
    for text in (shown.out, shown.err, *(page_text(p) for p in shown.files.values() if p.suffix == ".html")):
        rest = without_names(text)
        assert not CJK.findall(rest), sorted(set(CJK.findall(rest)))
    if "xlsx" in shown.files:
        rest = without_names(sheet_text(shown.files["xlsx"]))
        assert not CJK.findall(rest), sorted(set(CJK.findall(rest)))
    # the scenario's English names, never its ids
    squeezed = " ".join(shown.out.split())
    assert "Pulandian" in squeezed or "Lidian" in squeezed
    assert not re.search(r"\b(urban|rural|lidian|pulandian|zhuanghe)\b", without_names(shown.out))


@pytest.mark.parametrize("command", COMMANDS)
def test_chinese_has_no_english_labels(run, command: str):
    shown = run(command, "zh")
    texts = [shown.out, shown.err, *(page_text(p) for p in shown.files.values() if p.suffix == ".html")]
    if "xlsx" in shown.files:
        texts.append(sheet_text(shown.files["xlsx"]))
    for text in texts:
        rest = without_names(text)
        left = [label for label in ENGLISH_LABELS if re.search(rf"(?<![A-Za-z]){re.escape(label)}(?![A-Za-z])", rest)]
        assert not left, left
        assert not english_words(rest), sorted(english_words(rest))
    assert CJK.search(shown.out)
    assert CJK.search(shown.err) or command == "replan"  # replan prints no progress


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("command", COMMANDS)
def test_at_80_columns_nothing_is_cut(run, command: str, lang: str):
    from rich.cells import cell_len

    narrow, wide = run(command, lang).out, run(command, lang, 1000).out
    assert "…" not in narrow
    assert max(cell_len(line) for line in narrow.splitlines()) <= 80
    # a word cut in two leaves pieces that are no word of the same text printed wide
    cut = english_words(narrow) - english_words(wide)
    assert not cut, sorted(cut)
    # nothing lost either: the same letters, only the lines and the tables' rules differ
    assert characters(narrow) == characters(wide)


@pytest.mark.parametrize("command", ["compare", "replan"])
def test_at_80_columns_a_short_chinese_name_or_label_stays_on_one_line(run, command: str):
    """A table squeezed to 80 columns breaks Chinese between characters only where it must: a
    name or label of at most a quarter of the line (a class, a lecturer, 现场教学, 周日) is
    shown whole as often as on a wide terminal, in the tables as in the lines."""
    from rich.cells import cell_len

    from scheduler.plan.labels import KIND_LABELS, SHORT_WEEKDAYS

    narrow, wide = run(command, "zh").out, run(command, "zh", 1000).out
    labels = [zh for zh, _ in (*KIND_LABELS.values(), *SHORT_WEEKDAYS)]
    short = [text for text in (*names(), *labels) if CJK.search(text) and cell_len(text) <= 20]
    # a text inside a longer one (普兰店区 in a site's name) may be cut with it
    alone = [text for text in short if not any(text != other and text in other for other in (*names(), *labels))]
    assert "城镇建设与社会治理班" in alone and "周日" in alone
    cut = {text: (narrow.count(text), wide.count(text)) for text in alone if narrow.count(text) != wide.count(text)}
    assert not cut, cut


def characters(text: str) -> Counter[str]:
    """How often each letter (Latin or Chinese) of ``text`` occurs: not the figures, which hold
    the seconds a run took."""
    return Counter(char for char in text if char.isalpha())


def dalian_risk_table(lang: str):
    """A risk table of the Dalian week's long names, made without solving: every visited site
    closed on its day, every other one leaving no plan, the others re-planned at a cost."""
    from scheduler.analysis.disruptions import disruptions
    from scheduler.analysis.impact import Impact, Planned
    from scheduler.analysis.risk import Ending, Replanned, risk_table
    from scheduler.plan.export import plan_from_json

    scenario = load_scenario(ROOT / "scenarios" / "dalian-2019.yaml")
    plan = plan_from_json(json.loads((DATA / "dalian-plan.json").read_text(encoding="utf-8")))
    table = risk_table(Planned(scenario, plan, 909.0), [], lang=lang)
    rows = []
    for n, disruption in enumerate(disruptions(scenario, plan, ("site-closed",))):
        if n % 2:
            outcome, found = Replanned(Ending.NO_PLAN), None
        else:
            outcome = Replanned(Ending.REPLANNED)
            found = Impact(True, 120.0 + n, -8, -3.0, -1, -0.005, 0.0, 6, 0, 1, trainees_told=50)
        rows.append(RiskRow(disruption, disruption.describe(scenario, lang), outcome, found))
    return replace(table, rows=tuple(rows))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_risk_table_of_long_names_fits_80_columns_uncut(lang: str):
    from rich.cells import cell_len
    from rich.console import Console

    from scheduler.cli.terminal import print_risk_table

    def printed(width: int) -> str:
        buffer = io.StringIO()
        print_risk_table(Console(file=buffer, width=width, color_system=None), dalian_risk_table(lang), top=60)
        return buffer.getvalue()

    narrow, wide = printed(80), printed(1000)
    assert "…" not in narrow
    assert max(cell_len(line) for line in narrow.splitlines()) <= 80
    assert not english_words(narrow) - english_words(wide), sorted(english_words(narrow) - english_words(wide))
    if lang == "zh":
        assert not english_words(narrow), sorted(english_words(narrow))
    else:
        assert not CJK.search(narrow)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_sweeps_progress_bar_names_each_disruption_in_the_language(inputs: dict[str, Path], lang: str):
    """On a terminal the sweep shows a progress bar with the disruption last re-planned: its name
    in the command's language, never its key (``coach-limit:2019-09-07:-60``). ``FORCE_COLOR``
    makes rich draw the bar on standard error as on a terminal."""
    args = ["sweep", str(inputs["plan"]), str(WEEKEND), "--kinds", "coach-limit", "--time-limit", "5",
            "--workers", "2", "--diagnosis-seconds", "1", "--lang", lang]  # fmt: skip
    done = run_solve_py(*args, env={"FORCE_COLOR": "1", "TERM": "xterm"})
    assert done.returncode == 0, done.stderr
    frames = [frame for frame in progress_frames(done.stderr) if "/3" in frame]
    assert frames
    shown = "\n".join(frames)
    assert "coach-limit" not in shown
    if lang == "zh":
        assert "车程上限减少60分钟" in shown
        assert not english_words(shown), sorted(english_words(shown))
    else:
        assert "coach limit 60 min lower" in shown
        assert not CJK.search(shown)


def progress_frames(shown: str) -> list[str]:
    """The lines a terminal showed one after the other (a progress bar redraws its line), without
    the colour and cursor codes."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07", "", shown)
    return [line.strip() for line in re.split(r"[\r\n]+", text) if line.strip()]
