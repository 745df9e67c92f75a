"""``solve.py -h`` and argparse's own errors in the language ``--lang`` asks for.

The help of every command is read at 80 columns: in Chinese no English word is left but the
options, placeholders (``FILE``, ``SCENARIO``) and the names of formats and tools; in English no
Chinese character; no line wider than the terminal, no option cut at its hyphen, the usage's
continuation lines under its first option. argparse's errors (an unknown option, a missing
argument, a value that is no number...) are said in the language asked, the options and
values quoted as typed.
"""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len
from test_what_if_language import CJK, english_words

from scheduler.cli import COMMANDS, main
from scheduler.cli.parsing import HELP, Helps, in_words, language_asked

TECHNICAL = {
    # what a user types or reads as it is in either language: formats, tools, files, values
    "solve", "py", "render", "compare", "replan", "sweep", "serve", "zh", "en", "h", "help",
    "CP", "SAT", "TOML", "JSON", "YAML", "HTML", "PDF", "Schema", "Dask", "distributed", "tcp", "HOST",
    "plan", "json", "CPU", "lecturer", "away", "site", "closed",
    "coach", "limit", "THH", "MM",
}  # fmt: skip


def help_text(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *argv: str) -> str:
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as ended:
        main(list(argv))
    assert ended.value.code == 0
    return capsys.readouterr().out


def error_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as ended:
        main(list(argv))
    assert ended.value.code == 2
    return capsys.readouterr().err


COMMAND_LINES = [("-h",), *((command, "-h") for command in COMMANDS)]


@pytest.mark.parametrize("argv", COMMAND_LINES, ids=lambda argv: argv[0])
def test_help_in_chinese_has_no_english_words(argv, capsys, monkeypatch):
    text = help_text(capsys, monkeypatch, *argv, "--lang", "zh")
    assert "用法：" in text and "选项" in text
    words = english_words(re.sub(r"\S*/\S*|--?[a-z-]+", " ", text))  # paths and options
    left = {word for word in words if not word.isupper() and word not in TECHNICAL}
    assert not left, left


@pytest.mark.parametrize("argv", COMMAND_LINES, ids=lambda argv: argv[0])
def test_help_in_english_has_no_chinese(argv, capsys, monkeypatch):
    text = help_text(capsys, monkeypatch, *argv, "--lang", "en")
    assert text.startswith("usage: solve.py") and "show this help message and exit" in text
    assert not CJK.search(text)
    assert help_text(capsys, monkeypatch, *argv) == text  # English without --lang


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("argv", COMMAND_LINES, ids=lambda argv: argv[0])
def test_help_fits_80_columns_without_cutting_an_option(argv, lang, capsys, monkeypatch):
    text = help_text(capsys, monkeypatch, *argv, "--lang", lang)
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert not [line for line in lines if re.search(r"[a-z]-$", line)]
    # every option the help texts name is printed whole
    named = {option for text in HELP.values() for option in re.findall(r"--[a-z-]+[a-z]", text[0])}
    mentioned = set(re.findall(r"--[a-z-]+[a-z]", text))
    assert not {option.rsplit("-", 1)[0] for option in named} & (mentioned - named)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_the_usage_lines_line_up_in_chinese(command, capsys, monkeypatch):
    text = help_text(capsys, monkeypatch, command, "-h", "--lang", "zh")
    usage = text.split("\n\n")[0].splitlines()
    first = usage[0]
    column = cell_len(first[: first.index("[-h]")])
    for line in usage[1:]:
        assert len(line) - len(line.lstrip()) == column, (first, line)


def test_the_help_of_each_language_says_the_same_options(capsys, monkeypatch):
    for command in COMMANDS:
        zh = help_text(capsys, monkeypatch, command, "-h", "--lang", "zh")
        en = help_text(capsys, monkeypatch, command, "-h", "--lang", "en")
        assert re.findall(r"--[a-z-]+", zh) == re.findall(r"--[a-z-]+", en), command


ERRORS = {
    "an unknown option": (("solve", "--bogus"), "无法识别的参数：--bogus", "unrecognized arguments: --bogus"),
    "a missing argument": (
        ("render", "plan.json"),
        "缺少必需的参数：--out",
        "the following arguments are required: --out",
    ),
    "an option without its value": (
        ("solve", "--json"),
        "参数 --json 后面应给出一个值",
        "argument --json: expected one argument",
    ),
    "a value that is no whole number": (
        ("compare", "a.yaml", "b.yaml", "--minor-minutes", "x"),
        "参数 --minor-minutes：'x' 不是整数",
        "argument --minor-minutes: invalid int value: 'x'",
    ),
    "a choice not offered": (
        ("sweep", "p.json", "s.yaml", "--lang", "fr"),  # in English, but for a --lang zh beside it
        "参数 --lang：'fr' 不是可选值（可选：'zh'、'en'）",
        "argument --lang: invalid choice: 'fr' (choose from 'zh', 'en')",
    ),
    "two options that exclude each other": (
        ("solve", "--reproducible", "--free"),
        "参数 --free 不能与 --reproducible 同时使用",
        "argument --free: not allowed with argument --reproducible",
    ),
    "an ambiguous abbreviation": (("solve", "--s"), "选项 --s 有歧义，可能是", "ambiguous option: --s could match"),
    "an unknown subcommand's value": (("serve", "--port", "eighty"), "参数 --port：'eighty' 不是整数", "invalid int"),
}
"""Each error: the command line, what the Chinese message says, what the English one says."""


@pytest.mark.parametrize("case", list(ERRORS))
def test_argparse_errors_in_the_language_asked(case, capsys):
    argv, zh, en = ERRORS[case]
    english = error_text(capsys, *argv, "--lang", "en") if "--lang" not in argv else error_text(capsys, *argv)
    assert en in english and english.startswith("usage: ")
    assert "error: " in english and not CJK.search(english)
    chinese = error_text(capsys, *argv, "--lang", "zh")
    assert chinese.startswith("用法：solve.py") and zh in chinese, chinese
    said = chinese.split("错误：", 1)[1]
    left = english_words(re.sub(r"--?[a-z-]+|'[^']*'", " ", said))
    assert not left, left


def test_an_error_argparse_words_otherwise_is_said_as_a_wrong_command_line():
    zh = Helps("zh")
    assert in_words("something new happened", zh, "solve.py sweep") == "命令行参数有误（见“solve.py sweep -h”）"
    assert in_words("argument --x: expected 3 arguments", zh, "solve.py") == "命令行参数有误（见“solve.py -h”）"
    assert in_words("argument --x: expected at most one argument", zh, "solve.py") == "参数 --x 后面应给出至多一个值"


@pytest.mark.parametrize(
    ("argv", "lang"),
    [
        (["--lang", "zh", "-h"], "zh"),
        (["-h", "--lang=zh"], "zh"),
        (["--lang", "zh", "--lang", "en"], "en"),
        (["--lang", "fr"], "en"),
        (["--", "--lang", "zh"], "en"),
        (["--lang"], "en"),
        ([], "en"),
    ],
)
def test_the_language_asked_is_the_last_lang_given(argv, lang):
    assert language_asked(argv) == lang


def test_every_help_text_has_both_languages_with_the_same_fields():
    for key, (zh, en) in HELP.items():
        assert zh and en, key
        assert set(re.findall(r"\{(\w+)\}", zh)) == set(re.findall(r"\{(\w+)\}", en)), key
        assert not CJK.search(en), key
        assert "%" not in zh + en, key  # argparse reads help as a %-format
