"""The commands' messages on standard error (``solve.py sweep: ...``) in the command's language:
``--lang``, else the programme's; English where no scenario is read yet and no ``--lang`` is
given. The program's name stays ``solve.py``; the reader's and the checker's own sentences
(a file's line, a rule broken) are quoted as they are.

Each case runs the command in-process (``scheduler.cli.main``) on the weekend scenario's plan;
none solves but the base without a plan, which is proven so at once.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from helpers import DATA, ROOT
from test_what_if_language import CJK, CLOSED, WEEKEND, english_words, without_names

from scheduler.cli import main
from scheduler.solver import replan as solver_replan

DALIAN = ROOT / "scenarios" / "dalian-2019.yaml"


class Case(NamedTuple):
    args: tuple[str, ...]
    """The command line, ``{plan}``, ``{variant}``, ``{broken}``... standing for the files."""
    status: int
    zh: tuple[str, ...]
    """What the Chinese message says."""
    en: tuple[str, ...]
    """What the English one says."""
    quoted: str = r"$^"
    """What the Chinese message quotes as it is (a pattern): values given, the checker's sentences."""


CASES = {
    "an unknown kind of disruption": Case(
        ("sweep", "{plan}", "{weekend}", "--kinds", "foo"),
        2,
        ("solve.py sweep: --kinds 'foo' 不是扰动类型",),
        ("solve.py sweep: --kinds 'foo' is not a kind of disruption",),
        r"'foo'|[a-z-]+(?=[,，])",
    ),
    "a time limit and workers out of range": Case(
        ("sweep", "{plan}", "{weekend}", "--time-limit", "x", "--workers", "0"),
        2,
        ("--time-limit 'x' 不是数字", "；--workers 0 不允许（应为1到64的整数）"),
        ("--time-limit 'x' is not a number", "; --workers 0 is not allowed"),
        r"'x'",
    ),
    "minor minutes below 0": Case(
        ("compare", "{weekend}", "{variant}", "--minor-minutes", "-1"),
        2,
        ("solve.py compare: --minor-minutes -1 小于0",),
        ("solve.py compare: --minor-minutes -1 is below 0",),
    ),
    "a freeze point that is no date": Case(
        ("replan", "{plan}", "{variant}", "--freeze-until", "soon"),
        2,
        ("solve.py replan: --freeze-until 'soon' 不是日期或日期时间",),
        ("solve.py replan: --freeze-until 'soon' is not a date",),
        r"'soon'|YYYY-MM-DD(THH:MM)?",
    ),
    "from scratch with a base plan": Case(
        ("compare", "{weekend}", "{variant}", "--from-scratch", "--base-plan", "{plan}"),
        2,
        ("solve.py compare: --from-scratch 会重新编排每个文件",),
        ("solve.py compare: --from-scratch plans every file anew",),
    ),
    "a saved plan that breaks a rule": Case(
        ("sweep", "{broken}", "{weekend}"),
        2,
        ("solve.py sweep: ", " 违反了 ", " 的一条规则：", "（请先重新编排：solve.py replan）"),
        ("solve.py sweep: ", " breaks a rule of ", "(re-plan it first: solve.py replan)"),
        r"(?<=规则：).*(?=（请先)",
    ),
    "rendering a plan that breaks a rule": Case(
        ("render", "{broken}", "--out", "{out}"),
        2,
        ("solve.py render: ", " 违反了 ", "条规则；未写入任何文件：", "如仍要输出", "请加 --unchecked。"),
        ("solve.py render: ", " rules of ", "; nothing written:", "add --unchecked."),
        r"(?m)(?<=^solve\.py render:   - ).*$",
    ),
    "a workbench folder that is no folder": Case(
        ("serve", "{plan}", "--no-browser"),
        2,
        ("solve.py serve: ", " 不是文件夹（应为存放情景文件的文件夹）"),
        ("solve.py serve: ", " is not a folder (expected the folder of your scenario files)"),
    ),
    "a workbench port out of range": Case(
        ("serve", "{folder}", "--port", "70000", "--no-browser"),
        2,
        ("solve.py serve: --port 70000 不是端口号",),
        ("solve.py serve: --port 70000 is not a port",),
    ),
    "outputs into a folder under a file": Case(
        ("render", "{plan}", "--out", "{plan}/sub"),
        4,
        ("solve.py render: 未能写入 ", "：无法创建文件夹：路径中有一段不是文件夹（"),
        ("solve.py render: could not write ", ": cannot create the folder: Not a directory ("),
    ),
    "a parameters file that is a folder": Case(
        ("sweep", "{plan}", "{weekend}", "--params", "{folder}"),
        2,
        ("solve.py sweep: ", ": 无法读取：是文件夹"),
        ("solve.py sweep: ", ": cannot read: Is a directory"),
    ),
    "a base without a plan": Case(
        ("compare", "{no_plan}", "{variant}", "--time-limit", "5", "--workers", "1"),
        1,
        (
            "solve.py compare: 基准 ",
            " 没有方案；无法从它重新编排各方案（solve.py ",
        ),
        (
            "solve.py compare: the base ",
            " has no plan; nothing to re-plan the variants from (solve.py ",
        ),
    ),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, weekend_plan: dict[str, Any]) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("messages")
    broken = json.loads(json.dumps(weekend_plan))
    visits = [e for e in broken["events"] if e["kind"] == "field_visit"]
    for key in ("date", "class", "start", "end"):  # two visits of a class at once
        visits[1][key] = visits[0][key]
    found = {
        "plan": folder / "plan.json",
        "broken": folder / "broken.json",
        "variant": folder / "closed.yaml",
        "no_plan": folder / "no-coach.yaml",
        "weekend": WEEKEND,
        "out": folder / "out",
        "folder": folder,
    }
    found["plan"].write_text(json.dumps(weekend_plan), encoding="utf-8")
    found["broken"].write_text(json.dumps(broken), encoding="utf-8")
    found["variant"].write_text(f"extends: {WEEKEND}\n{CLOSED}", encoding="utf-8")
    found["no_plan"].write_text(
        f"extends: {WEEKEND}\nchanges:\n  - set: {{path: limits.max_coach_minutes_per_day, value: 5}}\n",
        encoding="utf-8",
    )
    return found


def said(files: dict[str, Path], case: Case, lang: str, capsys: pytest.CaptureFixture[str]) -> str:
    """What the command prints on standard error, in ``lang``."""
    args = [arg.format(**files) for arg in case.args]
    assert main([*args, "--lang", lang]) == case.status
    assert not files["out"].exists()
    return capsys.readouterr().err


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", CASES)
def test_a_message_is_in_the_commands_language(files, capsys, name: str, lang: str):
    """In Chinese no English word but what the message quotes; in English no Chinese."""
    case = CASES[name]
    err = said(files, case, lang, capsys)
    for words in case.zh if lang == "zh" else case.en:
        assert words in err, err
    if lang == "zh":
        checked = without_names(re.sub(rf"{case.quoted}|solve\.py( [a-z]+)?", " ", err))  # the commands' names too
        assert not english_words(checked), (sorted(english_words(checked)), err)
    else:
        assert not CJK.search(without_names(err)), err


@pytest.mark.parametrize(
    ("plan", "scenario", "says"),
    [
        (DATA / "dalian-plan.json", DALIAN, "solve.py: 已中断，未写入任何文件。"),  # a programme in Chinese
        (None, WEEKEND, "solve.py: interrupted; nothing written."),  # one in English
    ],
)
def test_an_interrupt_before_anything_is_written_is_said_in_the_programmes_language(
    files, capsys, monkeypatch: pytest.MonkeyPatch, plan: Path | None, scenario: Path, says: str
):
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(solver_replan, "replan", interrupted)
    assert main(["replan", str(plan or files["plan"]), str(scenario), "--quiet"]) == 130
    assert capsys.readouterr().err.strip() == says


def test_options_are_checked_before_the_scenario_is_read_and_said_in_english_without_lang(files, capsys):
    assert main(["sweep", str(DATA / "dalian-plan.json"), str(DALIAN), "--top", "-1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("solve.py sweep: --top -1 is below 0 (expected 0 or more)"), err
    assert not re.search(CJK, err)


def test_the_workbench_opens_in_the_language_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys):
    """``serve --lang zh`` says where the workbench is, and that it stopped, in Chinese, and opens
    the browser on its pages in Chinese (``?lang=zh``, which the pages keep)."""
    from scheduler.cli import serve as serve_command
    from scheduler.web import server as server_module

    class Server:  # listens nowhere; Ctrl-C at once
        url = "http://127.0.0.1:8765/"

        def __init__(self, folder: Path, host: str, port: int) -> None:
            pass

        def run(self) -> None:
            raise KeyboardInterrupt

    class Timer:  # the browser opens at once rather than a moment after the server starts
        def __init__(self, seconds: float, then) -> None:
            self.then = then

        def start(self) -> None:
            self.then()

    opened: list[str] = []
    monkeypatch.setattr(server_module, "Server", Server)
    monkeypatch.setattr(serve_command.threading, "Timer", Timer)
    monkeypatch.setattr(serve_command, "_open", opened.append)
    assert main(["serve", str(tmp_path), "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path.resolve()} 的工作台地址：{Server.url}（按 Ctrl-C 停止）" in out, out
    assert "solve.py serve: 已停止。" in out, out
    assert opened == [f"{Server.url}?lang=zh"]
    assert main(["serve", str(tmp_path)]) == 0
    assert "The workbench for" in capsys.readouterr().out
    assert opened[-1] == Server.url


# ---------------------------------------------------------------------------
# A scenario file's mistakes: in --lang, else in English (a file that does not load has no language)


class Mistake(NamedTuple):
    text: str | None
    """The file: good-minimal.yaml with a mistake (None: no file at all)."""
    en: tuple[str, ...]
    """What is said in English, line by line, as it always was (``{file}`` stands for the file)."""
    zh: tuple[str, ...]
    """What is said in Chinese."""
    quoted: str = r"$^"
    """What the Chinese lines write as the file does (a pattern): ids and keys listed as allowed."""


MINIMAL = (DATA / "good-minimal.yaml").read_text(encoding="utf-8")
LIMITS_KEYS = (
    "max_coach_minutes_per_day, max_continuous_drive_minutes, rest_stop_minutes, latest_return, "
    "max_teaching_minutes_per_day, lecturer_max_travel_minutes, max_idle_minutes, lecturer_arrival_margin_minutes"
)
MISTAKES = {
    "a word for a number": Mistake(
        MINIMAL.replace("days: 2", "days: sieben"),
        ("{file}:6: programme.days: 'sieben' is not a whole number (expected an integer, e.g. 2)",),
        ("{file}:6: programme.days：'sieben' 不是整数（应为整数，例如 2）",),
    ),
    "a missing key": Mistake(
        MINIMAL.replace("    base: hotel\n", ""),
        ("{file}:13: classes[rural].base: required but missing (expected place id of the class's home district)",),
        ("{file}:13: classes[rural].base：缺少必填项（应为班次所在区县的地点 id）",),
    ),
    "an unknown key": Mistake(
        MINIMAL.replace("  days: 2\n", "  days: 2\n  organizer: Office\n"),
        ("{file}:7: programme.organizer: unknown key (did you mean 'organiser'?)",),
        ("{file}:7: programme.organizer：未知的键（是否想写 'organiser'？）",),
    ),
    "a number out of range": Mistake(
        MINIMAL.replace("trainees: 30", "trainees: 0"),
        ("{file}:16: classes[rural].trainees: 0 is less than 1 (expected 1 or more)",),
        ("{file}:16: classes[rural].trainees：0 小于 1（应不小于 1）",),
    ),
    "unknown ids": Mistake(
        MINIMAL.replace("base: hotel", "base: hotels") + "requirements:\n  default:\n    must_visit: [tea, port]\n",
        (
            "{file}:17: classes[rural].base: unknown place 'hotels' "
            "(did you mean 'hotel'? expected one of: farm, hotel)",
            "{file}:25: requirements.default.must_visit[2]: unknown site 'port' (expected one of: tea)",
        ),
        (
            "{file}:17: classes[rural].base：未知的地点 'hotels'（是否想写 'hotel'？应为以下之一：farm、hotel）",
            "{file}:25: requirements.default.must_visit[2]：未知的现场教学点 'port'（应为以下之一：tea）",
        ),
        r"(?<=以下之一：)[a-z、]+",
    ),
    "a tab in the indentation": Mistake(
        MINIMAL.replace("    base: hotel", "\tbase: hotel"),
        (
            "{file}:17: YAML syntax error: found character '\\t' that cannot start any token "
            "(expected spaces for indentation, not tabs)",
        ),
        ("{file}:17: YAML 语法错误：此处用了制表符（缩进应使用空格，不能用制表符）",),
    ),
    "a key indented too little": Mistake(
        MINIMAL.replace("    base: hotel", "   base: hotel"),
        (
            "{file}:17: YAML syntax error: this line's indentation does not fit the block that starts on line 13 "
            "(expected the keys of one mapping, and the items of one list, indented alike)",
        ),
        ("{file}:17: YAML 语法错误：此行的缩进与第 13 行开始的块不符（同一映射的各个键、同一列表的各项应缩进一致）",),
    ),
    "no file": Mistake(
        None,
        ("{file}: no such file (expected the path of a scenario YAML file)",),
        ("{file}: 文件不存在（应为情景 YAML 文件的路径）",),
    ),
    "a variant's changes": Mistake(
        "extends: good-minimal.yaml\nchanges:\n"
        "  - site_closed: {site: tee, date: 2025-05-12}\n"
        "  - lecturer_unavailable: {lecturer: wang, date: 2025-05-12}\n"
        "  - set: {path: limits.max_coach_minutes, value: 300}\n",
        (
            "{file}:3: changes[1].site_closed.site: no site 'tee' (did you mean 'tea'? expected one of: tea)",
            "{file}:4: changes[2].lecturer_unavailable.lecturer: no lecturer 'wang' (expected one of: none defined)",
            "{file}:5: changes[3].set.path: no key 'max_coach_minutes' in limits "
            f"(did you mean 'max_coach_minutes_per_day'? expected one of: {LIMITS_KEYS})",
        ),
        (
            "{file}:3: changes[1].site_closed.site：没有现场教学点 'tee'（是否想写 'tea'？应为以下之一：tea）",
            "{file}:4: changes[2].lecturer_unavailable.lecturer：没有授课教师 'wang'（尚未定义任何条目）",
            "{file}:5: changes[3].set.path：limits 中没有键 'max_coach_minutes'（是否想写 'max_coach_minutes_per_day'？"
            f"应为以下之一：{LIMITS_KEYS.replace(', ', '、')}）",
        ),
        r"(?<=以下之一：)[a-z_、]+|limits",
    ),
}


def mistake_file(folder: Path, name: str) -> Path:
    """The file of the mistake ``name`` in ``folder`` (with good-minimal.yaml beside it)."""
    (folder / "good-minimal.yaml").write_text(MINIMAL, encoding="utf-8")
    path = folder / f"{name.replace(' ', '-').replace(chr(39), '')}.yaml"
    text = MISTAKES[name].text
    if text is not None:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["zh", "en", None])
@pytest.mark.parametrize("name", MISTAKES)
def test_a_scenario_files_mistakes_are_said_in_the_commands_language(tmp_path: Path, capsys, name: str, lang):
    """``--lang zh``: the file, the line and the path as the file writes them, then a Chinese
    sentence with no English word but the values, keys and ids it quotes; ``--lang en``, and no
    ``--lang`` (the file does not load, so it has no language), the English sentence as before."""
    mistake, path = MISTAKES[name], mistake_file(tmp_path, name)
    assert main(["solve", str(path), "--quiet", *(["--lang", lang] if lang else [])]) == 2
    said = capsys.readouterr().err.splitlines()
    assert said == [line.format(file=path) for line in (mistake.zh if lang == "zh" else mistake.en)]
    if lang == "zh":
        for line, problem in zip(said, mistake.zh, strict=True):
            sentence = line.split("：", 1)[-1] if "：" in problem.split("（")[0] else line.split(": ", 1)[-1]
            checked = re.sub(rf"{mistake.quoted}|'[^']*'|YAML|\bid\b|\b[a-z]+(?:_[a-z]+)+\b", " ", sentence)
            assert not english_words(checked), (sorted(english_words(checked)), line)


def test_a_variants_mistakes_are_said_in_the_language_of_compare(tmp_path: Path, capsys):
    """``compare`` reads every file before it plans one, and says their problems in ``--lang``."""
    variant = mistake_file(tmp_path, "a variant's changes")
    base = variant.with_name("good-minimal.yaml")
    assert main(["compare", str(base), str(variant), "--lang", "zh"]) == 2
    said = capsys.readouterr().err.splitlines()
    assert said == [line.format(file=variant) for line in MISTAKES["a variant's changes"].zh]
