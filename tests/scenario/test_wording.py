"""What is said about a scenario file, in both languages: every sentence of the scenario layer has
a Chinese and an English wording (``scheduler.scenario.wording.WORDS``), the English one is the
sentence as it always was, and the Chinese one holds no English word but the values, keys, ids
and file names it quotes."""

from __future__ import annotations

import errno
import os
import pickle
import re
import string
from pathlib import Path
from typing import get_args

import pytest
from helpers import DATA, ROOT
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from scheduler.scenario.loading import Problem, ScenarioError, load_scenario
from scheduler.scenario.model import ACTIVITY_KINDS, Scenario, SiteKind, Weekday
from scheduler.scenario.reading import SYSTEM_REASONS, FileRefused, read_json, system_reason
from scheduler.scenario.variants import VariantFile
from scheduler.scenario.wording import DESCRIPTIONS, WORDS, Message

SCENARIO_PACKAGE = ROOT / "scheduler" / "scenario"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
TERMS = re.compile(r"YAML|JSON|UTF-8|Unicode|IANA|HH:MM|YYYY-MM-DD|MB|U\+[0-9A-F]{4}|0x[0-9a-f]{2}|true|false|id\b")
"""What a Chinese sentence writes as the user types it: formats, and the words of the file format."""


def fields_of(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def models_of_the_format() -> set[type[BaseModel]]:
    """Every model of the scenario and variant formats."""
    stack: list[type[BaseModel]] = [Scenario, VariantFile]
    seen: set[type[BaseModel]] = set()
    while stack:
        model = stack.pop()
        if model not in seen:
            seen.add(model)
            stack += [
                arg
                for field in model.model_fields.values()
                for arg in _inside(field.annotation)
                if isinstance(arg, type) and issubclass(arg, BaseModel)
            ]
    return seen


def fields_of_model(model: type[BaseModel]) -> list[FieldInfo]:
    """The model's fields, and the fields of the annotated types they hold (an id's own)."""
    found = list(model.model_fields.values())
    return found + [arg for field in found for arg in _inside(field.annotation) if isinstance(arg, FieldInfo)]


def _inside(annotation: object) -> list[object]:
    """``annotation`` and every type and annotation inside it."""
    found, stack = [], [annotation]
    while stack:
        item = stack.pop()
        found.append(item)
        stack += list(get_args(item))
    return found


KEYS = {field.alias or name for model in models_of_the_format() for name, field in model.model_fields.items()}
KEYS |= set(SiteKind) | set(Weekday) | set(ACTIVITY_KINDS) | {"zh", "en", "am", "pm"}
"""The words of the format: its keys and the values it allows."""


def english_left(chinese: str, *quoted: str) -> set[str]:
    """The English words of a Chinese sentence but what it quotes as written in the file: values
    in quotes or brackets, the problem's path and the ids and names given in ``quoted``, the
    format's keys, and the terms it writes as the user types them."""
    for value in filter(None, quoted):
        chinese = chinese.replace(value, " ")
    text = re.sub(r"'[^']*'|\"[^\"]*\"|\[[^\]]*\]", " ", chinese)
    text = TERMS.sub(" ", text)
    words = set(re.findall(r"[A-Za-z_]+", text))
    return {word for word in words if word not in KEYS}


def test_every_sentence_has_both_wordings():
    """Both sides of every entry are filled; the Chinese one is Chinese and names no value the
    English one does not give (it may leave out one that only English says, PyYAML's words)."""
    for key, (chinese, english) in WORDS.items():
        assert chinese.strip() and english.strip(), key
        written = not re.sub(r"\{[^}]*\}", "", chinese).strip() or chinese in ("true", "false")  # as in a file
        assert CJK.search(chinese) or written, key
        assert not CJK.search(re.sub(r"'[^']*'", "", english)), key
    fields_of_both = {key: (fields_of(zh), fields_of(en)) for key, (zh, en) in WORDS.items()}
    # a Chinese wording that says in its own words what the English one quotes, or describes
    said_otherwise = {"described": {"chinese"}, "yaml_syntax": {"what"}, "os_other": {"code"}}
    for key, (zh, en) in fields_of_both.items():
        assert zh <= en | said_otherwise.get(key, set()), key


def test_every_field_is_described_in_chinese_too():
    """Every field's description (what a "required but missing" message expects) has its Chinese
    wording, and every Chinese wording is a field's."""
    described = {field.description for model in models_of_the_format() for field in fields_of_model(model)}
    described.discard(None)
    assert described == set(DESCRIPTIONS), described ^ set(DESCRIPTIONS)
    for english, chinese in DESCRIPTIONS.items():
        assert CJK.search(chinese) or chinese == english, english


def test_every_sentence_said_is_in_the_table_and_every_entry_is_said():
    """Every key the scenario layer names (``Message("key", ...)``, or a key chosen between two)
    is in the table, and every entry of the table is named somewhere."""
    source = "\n".join(path.read_text(encoding="utf-8") for path in SCENARIO_PACKAGE.glob("*.py"))
    named = set(re.findall(r"Message\(\s*\"([a-z0-9_]+)\"", source))
    assert named <= set(WORDS), named - set(WORDS)
    table = (SCENARIO_PACKAGE / "wording.py").read_text(encoding="utf-8")
    literals = set(re.findall(r"\"([a-z0-9_]+)\"", source.replace(table, "")))
    assert set(WORDS) <= literals, set(WORDS) - literals


def test_a_message_is_its_english_sentence_and_words_itself_in_chinese():
    hint = Message("did_you_mean", close="'hotel'")
    message = Message("unknown_reference", thing=Message("thing_place"), value="'hotels'", hint=hint, known=("a", "b"))
    assert message == "unknown place 'hotels' (did you mean 'hotel'? expected one of: a, b)"
    assert message.in_language("en") == message
    assert message.in_language("zh") == "未知的地点 'hotels'（是否想写 'hotel'？应为以下之一：a、b）"
    assert pickle.loads(pickle.dumps(message)).in_language("zh") == message.in_language("zh")


def test_a_problem_keeps_its_file_line_and_path_in_either_language():
    problem = Problem("s.yaml", 6, "programme.days", Message("not_whole_number", shown="'sieben'", example=2))
    assert str(problem) == "s.yaml:6: programme.days: 'sieben' is not a whole number (expected an integer, e.g. 2)"
    assert problem.in_language("zh") == "s.yaml:6: programme.days：'sieben' 不是整数（应为整数，例如 2）"
    assert Problem("s.yaml", None, "", "as it is").in_language("zh") == "s.yaml: as it is"


IDS = ("farm", "hotel", "rural", "tea", "economy")
"""The ids of the bad files (good-minimal.yaml's, and a topic)."""


@pytest.mark.parametrize("name", sorted(path.stem for path in (DATA / "bad").glob("*.yaml")))
def test_every_bad_file_is_said_in_chinese(name: str):
    """Each shipped bad file: the English problems as before (``str``), and in Chinese no English
    word but what is quoted, the keys and the ids."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(DATA / "bad" / f"{name}.yaml")
    error = caught.value
    assert error.in_language("en") == str(error)
    for problem in error.problems:
        chinese = problem.in_language("zh")
        assert chinese.startswith(f"{problem.file}:{problem.line}: {problem.path}" if problem.line else problem.file)
        assert CJK.search(chinese), chinese
        left = english_left(chinese.removeprefix(problem.file), problem.path, *IDS)
        assert not left, (left, chinese)


PLAN_FILE = "a plan JSON file"
REFUSED_PLAN_FILES = {
    "missing": (None, f"no such file (expected the path of {PLAN_FILE})", "文件不存在（应为方案 JSON 文件的路径）"),
    "not JSON": (
        "{",
        f"not JSON: Expecting property name enclosed in double quotes (expected {PLAN_FILE})",
        "不是有效的 JSON（应为方案 JSON 文件）",
    ),
    "too deep": (
        "[" * 200,
        f"nested more than 100 levels deep (expected {PLAN_FILE})",
        "嵌套超过 100 层（应为方案 JSON 文件）",
    ),
}


@pytest.mark.parametrize("case", REFUSED_PLAN_FILES)
def test_a_refused_plan_file_is_said_in_either_language(tmp_path: Path, case: str):
    write, english, chinese = REFUSED_PLAN_FILES[case]
    path = tmp_path / "plan.json"
    if write is not None:
        path.write_text(write + "]" * write.count("["), encoding="utf-8")
    with pytest.raises(FileRefused) as caught:
        read_json(path)
    assert caught.value.reason == english
    assert caught.value.reason.in_language("zh") == chinese


def test_what_the_system_says_is_worded_in_either_language():
    full = system_reason(OSError(errno.ENOSPC, "No space left on device"))
    assert full == "No space left on device" and full.in_language("zh") == "磁盘空间不足"
    odd = system_reason(OSError(errno.ENOTSUP, "Operation not supported"))
    assert odd == "Operation not supported" and odd.in_language("zh") == "系统错误 ENOTSUP"
    bare = system_reason(OSError("the socket went away"))
    assert bare == "the socket went away" and bare.in_language("zh") == "系统错误 OSError"
    for number, key in SYSTEM_REASONS.items():
        assert system_reason(OSError(number, os.strerror(number))).in_language("zh") == WORDS[key][0], key
