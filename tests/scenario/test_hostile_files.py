"""Hostile input files: each is refused in one line that names the file (and the line where one
applies), with exit status 2, within bounded time and memory, without a traceback and without
quoting another file's content. Each case runs the real command in a subprocess limited to 1 GB
of address space.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from helpers import ROOT, run_solve_py

from scheduler.scenario.documents import MAX_YAML_DEPTH
from scheduler.scenario.reading import MAX_FILE_MB_VARIABLE

SECRET = "hunter2-s3cr3t-token"
MINIMAL = ROOT / "tests" / "data" / "good-minimal.yaml"
PLAN = ROOT / "tests" / "data" / "dalian-plan.json"


def solve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``solve.py ARGS`` in at most 1 GB of memory and 60 s."""
    return run_solve_py(*args, timeout=60, env=env, memory_bytes=1 << 30, errors="replace")


def refused(done: subprocess.CompletedProcess, prefix: str, *words: str) -> str:
    """The one line of a refusal: exit 2, starting with ``prefix``, holding ``words``, no traceback."""
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "Error:" not in done.stderr, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(prefix), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    assert SECRET not in done.stdout + done.stderr
    return lines[0]


def billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def variant(tmp_path: Path, extends: str, name: str = "variant.yaml") -> Path:
    file = tmp_path / name
    file.write_text(f"extends: {extends}\nchanges: []\n", encoding="utf-8")
    return file


def test_billion_laughs_is_refused_at_its_line(tmp_path):
    file = tmp_path / "laughs.yaml"
    file.write_text(billion_laughs(), encoding="utf-8")
    refused(solve(str(file)), f"{file}:", "more than 500,000 values", "alias")


def test_billion_laughs_through_extends_is_refused(tmp_path):
    (tmp_path / "laughs.yaml").write_text(billion_laughs(), encoding="utf-8")
    file = variant(tmp_path, "laughs.yaml")
    refused(solve(str(file)), f"{tmp_path / 'laughs.yaml'}:", "more than 500,000 values")


def test_too_many_aliases_are_refused(tmp_path):
    file = tmp_path / "aliases.yaml"
    file.write_text("a: &a 1\nb: [" + ", ".join(["*a"] * 1500) + "]\n", encoding="utf-8")
    refused(solve(str(file)), f"{file}:2:", "more than 1000 aliases")


def test_a_recursive_alias_is_refused(tmp_path):
    file = tmp_path / "recursive.yaml"
    file.write_text("a: &a\n  b: *a\n", encoding="utf-8")
    refused(solve(str(file)), f"{file}:2:", "inside the list or mapping it names")


def test_a_flow_list_nested_10000_deep_is_refused_without_recursion_error(tmp_path):
    file = tmp_path / "deep.yaml"
    file.write_text("a: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    refused(solve(str(file)), f"{file}:1:", f"more than {MAX_YAML_DEPTH} levels")


def test_a_deep_block_mapping_is_refused_at_its_line(tmp_path):
    file = tmp_path / "deep.yaml"
    file.write_text("".join(" " * i + f"k{i}:\n" for i in range(300)) + " " * 300 + "v: 1\n", encoding="utf-8")
    refused(solve(str(file)), f"{file}:{MAX_YAML_DEPTH}:", f"more than {MAX_YAML_DEPTH} levels")


def test_dev_zero_as_scenario_is_refused():
    refused(solve("/dev/zero"), "/dev/zero: ", "character device", "not a regular file")


def test_a_fifo_as_scenario_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    refused(solve(str(fifo)), f"{fifo}: ", "named pipe", "not a regular file")


def test_a_directory_as_scenario_is_refused(tmp_path):
    refused(solve(str(tmp_path)), f"{tmp_path}: is a directory")


def test_an_oversize_scenario_is_refused_by_the_limit_set_in_the_environment(tmp_path):
    file = tmp_path / "big.yaml"
    file.write_text("# padding\n" * 20_000 + MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    line = refused(solve(str(file), env={MAX_FILE_MB_VARIABLE: "0.1"}), f"{file}: ", "larger than the limit of 0.1 MB")
    assert MAX_FILE_MB_VARIABLE in line


def test_an_oversize_base_is_refused_at_the_extends_line(tmp_path):
    (tmp_path / "big.yaml").write_text("# padding\n" * 20_000, encoding="utf-8")
    file = variant(tmp_path, "big.yaml")
    refused(solve(str(file), env={MAX_FILE_MB_VARIABLE: "0.1"}), f"{file}:1: extends:", "larger than the limit")


def test_extends_of_a_file_with_unknown_keys_names_it_without_its_content(tmp_path):
    (tmp_path / "credentials").write_text(f"token: {SECRET}\n{SECRET}: 1\npassword: x\n", encoding="utf-8")
    file = variant(tmp_path, "credentials")
    line = refused(solve(str(file)), f"{file}:1: extends:", "is not a scenario file")
    assert "token" not in line and "password" not in line


def test_extends_of_a_variant_with_unknown_keys_names_it_without_its_content(tmp_path):
    (tmp_path / "middle.yaml").write_text(f"extends: {MINIMAL}\n{SECRET}: 1\n", encoding="utf-8")
    file = variant(tmp_path, "middle.yaml")
    refused(solve(str(file)), f"{file}:1: extends:", "is not a variant file")


def test_extends_of_a_plain_text_file_does_not_print_its_first_line(tmp_path):
    (tmp_path / "passwd").write_text(f"root:x:0:0:{SECRET}:/root:/bin/bash\n", encoding="utf-8")
    file = variant(tmp_path, "passwd")
    refused(solve(str(file)), f"{tmp_path / 'passwd'}:1: not a scenario file", "a single value")


def test_a_yaml_error_in_an_extended_file_gives_its_line_not_its_text(tmp_path):
    (tmp_path / "secret.yaml").write_text(f"ok: 1\nbad: [{SECRET}, {{\n", encoding="utf-8")
    file = variant(tmp_path, "secret.yaml")
    refused(solve(str(file)), f"{tmp_path / 'secret.yaml'}:3: YAML syntax error")


def test_a_yaml_error_quoting_a_tag_in_an_extended_file_does_not_quote_it(tmp_path):
    (tmp_path / "tagged.yaml").write_text(f"a: !{SECRET} 1\n", encoding="utf-8")
    file = variant(tmp_path, "tagged.yaml")
    refused(solve(str(file)), f"{tmp_path / 'tagged.yaml'}:1: YAML syntax error")


def test_dev_zero_as_plan_is_refused_by_render(tmp_path):
    done = solve("render", "/dev/zero", "--out", str(tmp_path / "out"))
    refused(done, "solve.py render: cannot read /dev/zero: ", "not a regular file")


def test_a_fifo_as_plan_is_refused_by_render(tmp_path):
    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)
    done = solve("render", str(fifo), "--out", str(tmp_path / "out"))
    refused(done, f"solve.py render: cannot read {fifo}: ", "named pipe")


def test_a_plan_nested_100000_deep_is_refused_by_render(tmp_path):
    plan = tmp_path / "deep.json"
    plan.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    refused(solve("render", str(plan), "--out", str(tmp_path / "out")), f"solve.py render: {plan}: ", "nested more")


def test_an_oversize_plan_is_refused_by_render(tmp_path):
    done = solve("render", str(PLAN), "--out", str(tmp_path / "out"), env={MAX_FILE_MB_VARIABLE: "0.001"})
    refused(done, f"solve.py render: cannot read {PLAN}: ", "larger than the limit")


@pytest.mark.parametrize("plan", ["/dev/zero", "deep", "dir"])
def test_a_hostile_plan_is_refused_by_replan(tmp_path, plan):
    if plan == "deep":
        plan = str(tmp_path / "deep.json")
        Path(plan).write_text("{" + '"a": {' * 100_000 + "}" * 100_001, encoding="utf-8")
    elif plan == "dir":
        plan = str(tmp_path)
    # in English, whatever the programme's language (the message follows it: test_messages_language.py)
    done = solve("replan", plan, str(MINIMAL), "--time-limit", "1", "--lang", "en")
    cannot = "" if plan.endswith("deep.json") else "cannot read "
    refused(done, f"solve.py replan: {cannot}{plan}: ")
