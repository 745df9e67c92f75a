"""The workbench's own refusals and errors are said in the page's language: every sentence it
raises names a key of the word table that has both a Chinese and an English wording with the same
fields, and real requests on ``lang=zh`` answer in Chinese while ``lang=en`` answers with the
English sentence it always had (other tests and people's habits rely on it)."""

from __future__ import annotations

import ast
import html
import os
import re
import signal
import string
from pathlib import Path

import pytest
from workbench_helpers import SCENARIO, Running

from scheduler.scenario.loading import load_scenario
from scheduler.web import words
from scheduler.web.words import WORDS, WordedError

WEB = Path(words.__file__).parent
RAISERS = {"PageError", "UnsafePath", "FormError", "WordedError", "word", "say"}
"""The calls whose first argument is a key of ``WORDS``."""


def _keys_used() -> set[tuple[str, str]]:
    """(file, key) for every literal key handed to a raiser or to ``word``/``say`` in the web code,
    or sent by the worker as ``{"key": ...}``."""
    used = set()
    for path in sorted(WEB.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = node.args[0]
            if name in RAISERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                used.add((path.name, first.value))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # a worker's {"key": ...}
            if isinstance(node, ast.Dict):
                for name, value in zip(node.keys, node.values, strict=True):
                    if isinstance(name, ast.Constant) and name.value == "key" and isinstance(value, ast.Constant):
                        used.add((path.name, value.value))
    return used


def _template_keys() -> set[tuple[str, str]]:
    """(template, key) for every literal ``t('key')`` in the templates (a key put together from a
    prefix, ``t('status_' ~ ...)``, is the table test's blind spot)."""
    return {
        (path.name, key)
        for path in sorted((WEB / "templates").glob("*.html"))
        for key in re.findall(r"\bt\('([^']+)'\s*[,)]", path.read_text(encoding="utf-8"))
    }


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_every_word_has_both_wordings_with_the_same_fields():
    for key, pair in WORDS.items():
        assert len(pair) == 2 and all(isinstance(text, str) and text.strip() for text in pair), key
        zh, en = pair
        assert _fields(zh) == _fields(en), key


def test_every_key_the_workbench_uses_is_in_the_table():
    used = _keys_used()
    assert {key for _, key in used} >= {"err_cross_site", "err_token", "err_choose_site", "busy"}
    missing = sorted((where, key) for where, key in used | _template_keys() if key not in WORDS)
    assert missing == []


def test_every_error_sentence_is_used():
    used = {key for _, key in _keys_used()}
    unused = sorted(key for key in WORDS if key.startswith("err_") and key not in used)
    assert unused == []


def test_an_error_keeps_its_english_as_its_text():
    error = WordedError("err_upload_exists", name="a.yaml")
    assert str(error) == "a.yaml already exists in the folder: rename the file first"
    assert error.in_language("zh") == "文件夹中已有 a.yaml：请先给上传的文件改名。"


def _message(body: bytes) -> str:
    """The sentence of an error page."""
    found = re.search(rb'id="error-message">(.*?)</p>', body, re.S)
    assert found, body[:500]
    return html.unescape(found.group(1).decode())


@pytest.fixture(scope="module")
def planned(workbench: Running) -> Running:
    """The workbench with a plan of the weekend scenario (a short solve)."""
    status, _ = workbench.post(f"solve?f={SCENARIO}", {"csrf": workbench.token, "time_limit": "5"})
    assert status == 200
    assert workbench.wait_job(lambda job: not job.running)["result"]["plan"]
    return workbench


def test_a_refused_token_is_said_in_the_page_language(workbench: Running):
    status, body = workbench.post(f"solve?f={SCENARIO}&lang=zh", {"csrf": "stale", "time_limit": "5"})
    assert status == 403
    assert _message(body) == "已拒绝：发出此请求的页面已过期，或不是本工作台的页面（请刷新页面）。"
    status, body = workbench.post(f"solve?f={SCENARIO}&lang=en", {"csrf": "stale", "time_limit": "5"})
    assert status == 403
    assert _message(body) == "refused: the page that sent this is out of date or not this workbench's (reload it)"
    assert workbench.server.app.state.bench.jobs.get(SCENARIO) is None


def test_a_cross_site_post_is_refused_in_the_page_language(workbench: Running):
    fields, evil = {"csrf": workbench.token}, {"Origin": "http://evil.example"}
    status, body = workbench.post(f"solve?f={SCENARIO}&lang=zh", fields, evil)
    assert status == 403 and _message(body) == "已拒绝：此请求来自其他网站。"
    status, body = workbench.post(f"solve?f={SCENARIO}&lang=en", fields, evil)
    assert status == 403 and _message(body) == "refused: the request came from another site"


@pytest.mark.parametrize(
    ("path", "zh", "en"),
    [
        (
            "plan?f=nowhere.yaml",
            "文件夹中没有这个方案文件。",
            "there is no such scenario file in the folder",
        ),  # no file
        ("no-such-page", "没有这个页面。", "there is no such page"),  # Starlette's 404
    ],
)
def test_a_missing_thing_is_said_in_the_page_language(workbench: Running, path: str, zh: str, en: str):
    joiner = "&" if "?" in path else "?"
    status, body = workbench.get(f"{path}{joiner}lang=zh")
    assert status == 404 and _message(body) == zh
    status, body = workbench.get(f"{path}{joiner}lang=en")
    assert status == 404 and _message(body) == en


def test_a_bad_form_field_is_said_in_the_page_language(workbench: Running):
    before = (workbench.folder / SCENARIO).read_bytes()
    _, page = workbench.get(f"edit?f={SCENARIO}&section=sites")
    digest = page.decode().split('name="digest" value="', 1)[1].split('"', 1)[0]
    fields = {"csrf": workbench.token, "digest": digest, '["sites", 0, "nope"]': "1"}
    status, body = workbench.post(f"edit?f={SCENARIO}&section=sites&lang=zh", fields)
    assert status == 400 and _message(body) == "表单中有一个字段不属于本页。"
    status, body = workbench.post(f"edit?f={SCENARIO}&section=sites&lang=en", fields)
    assert status == 400 and _message(body) == "a field of the form is not one of the page's"
    assert (workbench.folder / SCENARIO).read_bytes() == before


def test_an_unknown_site_is_said_in_the_page_language(planned: Running):
    fields = {"csrf": planned.token, "kind": "close", "site": "nowhere", "date": "2019-09-07"}
    status, body = planned.post(f"change?f={SCENARIO}&lang=zh", fields)
    assert status == 400 and _message(body) == "请选择方案中的现场教学点。"
    status, body = planned.post(f"change?f={SCENARIO}&lang=en", fields)
    assert status == 400 and _message(body) == "choose a site of the scenario"
    fields = {**fields, "site": _a_site(planned), "date": "1999-01-01"}
    status, body = planned.post(f"change?f={SCENARIO}&lang=zh", fields)
    assert status == 400 and _message(body) == "请选择培训日程中的某一天。"


def _a_site(workbench: Running) -> str:
    return load_scenario(workbench.folder / SCENARIO).sites[0].id


def test_a_solve_while_one_runs_is_refused_in_the_page_language(planned: Running):
    status, _ = planned.post(f"solve?f={SCENARIO}", {"csrf": planned.token, "time_limit": "60"})
    assert status == 200
    try:
        status, body = planned.post(f"solve?f={SCENARIO}&lang=zh", {"csrf": planned.token, "time_limit": "5"})
        assert status == 409 and _message(body) == "此方案已有任务在运行,请等待或停止。"
        status, body = planned.post(f"solve?f={SCENARIO}&lang=en", {"csrf": planned.token, "time_limit": "5"})
        assert status == 409 and _message(body) == "A job is already running for this scenario: wait, or stop it."
    finally:
        planned.post(f"stop?f={SCENARIO}", {"csrf": planned.token})
        planned.wait_job(lambda job: not job.running)


def test_a_crashed_job_is_said_in_the_page_language(planned: Running):
    status, _ = planned.post(f"solve?f={SCENARIO}", {"csrf": planned.token, "time_limit": "60"})
    assert status == 200
    planned.wait_job(lambda job: job.process is not None and job.process.pid)
    os.kill(planned.server.app.state.bench.jobs.get(SCENARIO).process.pid, signal.SIGKILL)
    job = planned.wait_job(lambda job: not job.running)
    assert job["error"] == "the solve process ended unexpectedly (exit code -9)"
    _, body = planned.get(f"plan?f={SCENARIO}&lang=zh")
    assert "编排进程意外结束（退出码 -9）" in body.decode()
    _, body = planned.get(f"plan?f={SCENARIO}&lang=en")
    assert "the solve process ended unexpectedly (exit code -9)" in body.decode()


def test_a_method_the_address_does_not_take_is_said_in_the_page_language(workbench: Running):
    status, body = workbench.get(f"solve?f={SCENARIO}&lang=zh")
    assert status == 405 and _message(body) == "此地址不接受这种请求。"
    status, body = workbench.get(f"solve?f={SCENARIO}&lang=en")
    assert status == 405 and _message(body) == "Method Not Allowed"
