"""The workbench is safe by default, checked against the running server: it listens on
127.0.0.1 only; it serves and writes only inside its folder (no ``../``, absolute path or
symbolic link out); a cross-site or token-less POST changes nothing; a name holding ``<script>``
shows as text and runs nothing; a bad upload or a malformed field is an error page in words,
never a traceback; a solve that crashes is reported and leaves the scenario file as it was; and
Stop keeps the best plan found."""

from __future__ import annotations

import os
import signal
import uuid
from pathlib import Path
from typing import Any

import pytest
from workbench_helpers import SCENARIO, Running

from scheduler.cli import build_parser

TRAVERSALS = [
    f"download?f={SCENARIO}&file=../../{SCENARIO}",  # up out of the downloads folder
    f"download?f={SCENARIO}&file=%2e%2e/%2e%2e/{SCENARIO}",  # the same, percent-encoded
    f"download?f={SCENARIO}&file=/etc/passwd",  # an absolute path
    "plan?f=../weekend-two-classes.yaml",  # a scenario above the folder
    "plan?f=/etc/passwd",  # an absolute scenario path
    "edit?f=..%2F..%2Fetc%2Fpasswd&section=sites",  # encoded slashes
    "plan?f=outside.yaml",  # a symbolic link that leads out of the folder
    "plan?f=.workbench/x.yaml",  # the workbench's own files are not scenarios
    "static/..%2Fapp.py",  # the package's code through the static files
]


@pytest.fixture(scope="module")
def outside(workbench: Running, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scenario outside the folder, and a symbolic link to it inside."""
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.yaml"
    secret.write_text("schema: 1\n# SECRET-OUTSIDE\n", encoding="utf-8")
    (workbench.folder / "outside.yaml").symlink_to(secret)
    return secret


def test_the_command_listens_on_127_0_0_1_unless_told():
    args = build_parser().parse_args(["serve", "--no-browser"])
    assert args.host == "127.0.0.1"
    assert args.port == 0


@pytest.mark.parametrize("path", TRAVERSALS)
def test_nothing_outside_the_folder_is_served(workbench: Running, outside: Path, path: str):
    status, body = workbench.get(path)
    assert status in (400, 404), (path, status)
    assert b"SECRET-OUTSIDE" not in body and b"root:" not in body and b"programme:" not in body
    assert b"Traceback" not in body


def test_a_link_out_of_the_folder_is_not_listed(workbench: Running, outside: Path):
    status, body = workbench.get("/")
    assert status == 200
    assert SCENARIO.encode() in body
    assert b"outside.yaml" not in body


def test_a_cross_site_post_changes_nothing(workbench: Running):
    before = (workbench.folder / SCENARIO).read_bytes()
    evil = {"Origin": "http://evil.example"}
    fields = {"csrf": workbench.token, "time_limit": "5"}
    status, body = workbench.post(f"solve?f={SCENARIO}", fields, evil)
    assert status == 403 and b"another site" in body
    status, _ = workbench.post(f"solve?f={SCENARIO}", {"time_limit": "5"})  # same site, no token
    assert status == 403
    status, body = workbench.post(f"solve?f={SCENARIO}", fields, {"Host": "evil.example"})  # DNS rebinding
    assert status == 400 and body.decode() == (
        f"The workbench answers no page asked for at this address; open it at http://127.0.0.1:{workbench.server.port}/."
    )
    chinese = {"Host": "evil.example", "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
    status, body = workbench.post(f"solve?f={SCENARIO}", fields, chinese)
    assert status == 400
    assert body.decode() == f"工作台不接受以此地址打开的页面；请用 http://127.0.0.1:{workbench.server.port}/ 打开。"
    edit = {"csrf": workbench.token, "digest": "x", '["sites", 0, "visit_minutes"]': "5"}
    status, _ = workbench.post(f"edit?f={SCENARIO}&section=sites", edit, evil)
    assert status == 403
    assert workbench.server.app.state.bench.jobs.get(SCENARIO) is None
    assert (workbench.folder / SCENARIO).read_bytes() == before


def test_a_malformed_field_is_an_error_page_not_a_traceback(workbench: Running):
    before = (workbench.folder / SCENARIO).read_bytes()
    _, page = workbench.get(f"edit?f={SCENARIO}&section=sites")
    digest = page.decode().split('name="digest" value="', 1)[1].split('"', 1)[0]
    for name in ('["sites", 0, "nope"]', '["programme", "days"]', "[not json", '["sites", {"a": 1}, "id"]'):
        status, body = workbench.post(
            f"edit?f={SCENARIO}&section=sites", {"csrf": workbench.token, "digest": digest, name: "1"}
        )
        assert status == 400, name
        assert b"not one of the page" in body and b"Traceback" not in body
    status, body = workbench.post(f"edit?f={SCENARIO}&section=nowhere", {"csrf": workbench.token})
    assert status == 404 and b"Traceback" not in body
    assert (workbench.folder / SCENARIO).read_bytes() == before


def _upload(workbench: Running, filename: str, content: bytes, token: str | None) -> tuple[int, bytes]:
    import urllib.request

    from workbench_helpers import open_request

    boundary = uuid.uuid4().hex
    parts = []
    if token is not None:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        workbench.url + "upload",
        data=body,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    return open_request(request)


def test_a_bad_upload_is_an_error_page_and_writes_nothing(workbench: Running):
    files = set(workbench.folder.iterdir())
    status, body = _upload(workbench, "binary.yaml", b"\x89PNG\r\n\x1a\n\x00\xff\xfe", workbench.token)
    assert status == 400 and b"not YAML text" in body and b"Traceback" not in body
    status, body = _upload(workbench, "list.yaml", b"- just\n- a list\n", workbench.token)
    assert status == 400 and b"not a scenario" in body
    status, body = _upload(workbench, "../escape.yaml", b"schema: 1\n", workbench.token)  # the name's folder is dropped
    status, body = _upload(workbench, "notes.txt", b"schema: 1\n", workbench.token)
    assert status == 400 and b".yaml" in body
    status, body = _upload(workbench, "fine.yaml", b"schema: 1\n", None)
    assert status == 403
    assert not (workbench.folder.parent / "escape.yaml").exists()
    assert set(workbench.folder.iterdir()) - files <= {
        workbench.folder / "escape.yaml",
        workbench.folder / ".workbench",
    }


def test_a_crashed_solve_is_reported_and_leaves_the_file_alone(workbench: Running):
    before = (workbench.folder / SCENARIO).read_bytes()
    status, _ = workbench.post(f"solve?f={SCENARIO}", {"csrf": workbench.token, "time_limit": "60"})
    assert status == 200  # redirected to the plan page
    job = workbench.wait_job(lambda job: job.process is not None and job.process.pid)
    process = workbench.server.app.state.bench.jobs.get(SCENARIO).process
    os.kill(process.pid, signal.SIGKILL)
    job = workbench.wait_job(lambda job: not job.running)
    assert job["error"] and "ended unexpectedly" in job["error"]
    status, body = workbench.get(f"plan?f={SCENARIO}&lang=en")
    assert status == 200
    assert b"ended unexpectedly" in body and b"The scenario file was not touched" in body
    assert (workbench.folder / SCENARIO).read_bytes() == before


def test_stop_keeps_the_best_plan(workbench: Running):
    status, _ = workbench.post(f"solve?f={SCENARIO}", {"csrf": workbench.token, "time_limit": "120"})
    assert status == 200
    workbench.wait_job(lambda job: job.running and job.progress and job.progress[-1].get("plans"))
    status, body = workbench.post(f"solve?f={SCENARIO}", {"csrf": workbench.token, "time_limit": "5"})
    assert status == 409 and b"already running" in body  # one solve at a time
    status, _ = workbench.post(f"stop?f={SCENARIO}", {"csrf": workbench.token})
    assert status == 200
    job = workbench.wait_job(lambda job: not job.running, timeout=30)
    assert job["error"] is None
    assert job["result"]["plan"], job["result"]
    assert job["result"]["interrupted"] is True  # stopped at the first plan, well before the search would end
    assert job["elapsed"] < 60
    status, body = workbench.get(f"plan?f={SCENARIO}")
    assert b'id="overview"' in body


# last: it needs the plan the tests above made
def test_a_script_in_a_name_shows_as_text_and_runs_nothing(workbench: Running, browser: Any):
    from selenium.webdriver.common.by import By

    hostile = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
    browser.get(workbench.url + f"edit?f={SCENARIO}&section=classes&lang=en")
    name = browser.find_element(By.CSS_SELECTOR, '[data-path="classes[urban].name_en"]')
    name.clear()
    name.send_keys(hostile)
    browser.find_element(By.ID, "save").click()
    browser.find_element(By.CSS_SELECTOR, "#message.ok")
    assert hostile in (workbench.folder / SCENARIO).read_text(encoding="utf-8")
    for page in (f"edit?f={SCENARIO}&section=classes", f"plan?f={SCENARIO}&view=class", "/"):
        browser.get(workbench.url + page.lstrip("/"))
        assert browser.execute_script("return window.pwned === undefined")
        assert not browser.find_elements(By.CSS_SELECTOR, "main img")
    browser.get(workbench.url + f"edit?f={SCENARIO}&section=classes")
    assert (
        browser.find_element(By.CSS_SELECTOR, '[data-path="classes[urban].name_en"]').get_attribute("value") == hostile
    )
    browser.get(workbench.url + f"plan?f={SCENARIO}")  # the plan made by the test before: the class's row
    rows = browser.find_elements(By.CSS_SELECTOR, "#overview tbody th")
    assert rows[0].text == hostile
    assert browser.execute_script("return window.pwned === undefined")


def test_every_page_forbids_framing_and_foreign_scripts(workbench: Running):
    import urllib.request

    with urllib.request.urlopen(workbench.url + f"plan?f={SCENARIO}") as response:  # noqa: S310
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
        assert response.headers["X-Frame-Options"] == "DENY"
    status, body = workbench.get("plan?f=nowhere.yaml")  # error pages too
    assert status == 404 and b"Traceback" not in body


def test_a_file_with_problems_is_corrected_one_part_at_a_time(workbench: Running):
    from workbench_helpers import WEEKEND

    broken = workbench.folder / "broken.yaml"
    text = WEEKEND.read_text(encoding="utf-8")
    text = text.replace('latest_return: "18:00"', 'latest_return: "25:00"')
    text = text.replace(
        "kind: community, themes: [urban], visit_minutes: 90", "kind: community, themes: [urban], visit_minutes: 0", 1
    )
    broken.write_text(text, encoding="utf-8")
    name = "broken.yaml"
    _, page = workbench.get(f"edit?f={name}&section=limits")
    digest = page.decode().split('name="digest" value="', 1)[1].split('"', 1)[0]
    assert b"limits.latest_return" in page and b"visit_minutes" in page  # both problems shown

    new = {"csrf": workbench.token, "digest": digest, '["limits", "max_teaching_minutes_per_day"]': "-5"}
    status, page = workbench.post(f"edit?f={name}&section=limits", new)  # a new problem: refused
    assert status == 200 and b"Not saved" in page
    assert broken.read_text(encoding="utf-8") == text

    fix = {"csrf": workbench.token, "digest": digest, '["limits", "latest_return"]': "18:00"}
    status, page = workbench.post(f"edit?f={name}&section=limits", fix)  # fixes one, the other stays
    assert status == 200 and b"Saved." in page
    saved = broken.read_text(encoding="utf-8")
    assert 'latest_return: "18:00"' in saved and "visit_minutes: 0" in saved
    assert b"visit_minutes" in page  # the problem left is still shown


def test_a_files_problems_are_shown_in_the_pages_language(workbench: Running):
    """The editor and the plan page say a file's problems in the page's language: the path as
    the file writes it, the sentence in Chinese on the Chinese pages, in English on the others."""
    from workbench_helpers import WEEKEND

    text = WEEKEND.read_text(encoding="utf-8").replace('latest_return: "18:00"', 'latest_return: "25:00"')
    (workbench.folder / "late.yaml").write_text(text, encoding="utf-8")
    english, chinese = (
        "&#39;25:00&#39; is outside the day (expected 00:00 to 24:00)",
        "&#39;25:00&#39; 超出了一天的范围（应为 00:00 到 24:00）",
    )
    for page in ("edit?f=late.yaml&section=limits", "plan?f=late.yaml"):
        _, shown = workbench.get(page + "&lang=zh")
        assert chinese in shown.decode() and english not in shown.decode(), page
        _, shown = workbench.get(page + "&lang=en")
        assert english in shown.decode() and chinese not in shown.decode(), page


def test_the_command_prints_its_address_and_stops_cleanly(tmp_path: Path):
    import re
    import subprocess
    import sys
    import urllib.request

    from helpers import ROOT, as_from_a_shell
    from workbench_helpers import listening

    (tmp_path / "a.yaml").write_text("schema: 1\n", encoding="utf-8")
    command = [sys.executable, str(ROOT / "solve.py"), "serve", str(tmp_path), "--no-browser"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=as_from_a_shell
    )
    try:
        line = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found, line
        with urllib.request.urlopen(found.group(0), timeout=10) as response:  # noqa: S310 - its own server
            assert b"a.yaml" in response.read()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "stopped" in out
    assert not listening(int(found.group(1)))
