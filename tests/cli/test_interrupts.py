"""Ctrl-C and SIGTERM at any moment, and outputs that cannot be written: the command stops
cleanly, says what it wrote (whole) and what it did not start, leaves no temporary file, and
exits as the README says (130 interrupted while writing, 0 with a plan after an interrupted
search, 4 an output that cannot be written). Each case runs the real command in a subprocess.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import ROOT, as_from_a_shell, run_solve_py

WRITE_TIMEOUT = 120


def leftovers(folder: Path) -> list[str]:
    """Temporary files (``.NAME.XXXX.tmp``) left anywhere under ``folder``."""
    return [str(p) for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".")]


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "solve.py", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_from_a_shell,
    )


def wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never came"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def saved_plan(tmp_path_factory: pytest.TempPathFactory, weekend_plan: dict) -> Path:
    path = tmp_path_factory.mktemp("plan") / "plan.json"
    path.write_text(json.dumps(weekend_plan, ensure_ascii=False), encoding="utf-8")
    return path


SAID_WHILE_WRITING_MAPS = {
    "en": (
        "solve.py render: interrupted while writing maps; written (whole): maps/ (",
        "not started: booklet.pdf, booklet.html.",
    ),
    "zh": (
        "solve.py render: 写入 maps 时被中断；已完整写入：maps/（",
        "未开始：booklet.pdf、booklet.html。",
    ),
}


@pytest.mark.parametrize(
    ("sig", "lang"),
    [(signal.SIGINT, "en"), (signal.SIGTERM, "en"), (signal.SIGINT, "zh")],
    ids=["ctrl-c", "sigterm", "ctrl-c-zh"],
)
def test_an_interrupt_while_writing_stops_cleanly_and_says_what_is_written(saved_plan, tmp_path, sig, lang):
    out = tmp_path / "out"
    process = start("render", str(saved_plan), "--out", str(out), "--lang", lang)
    # as soon as the first map is there: the render is under way, far from its end (the weekend's
    # few maps are drawn in the render's process, after the outputs that need no map)
    wait_for(lambda: (out / "maps").is_dir() and any(p.suffix == ".svg" for p in (out / "maps").iterdir()), 60)
    process.send_signal(sig)
    stdout, stderr = process.communicate(timeout=WRITE_TIMEOUT)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    for said in SAID_WHILE_WRITING_MAPS[lang]:
        assert said in stderr, stderr
    assert leftovers(out) == []
    assert not (out / "booklet.pdf").exists()
    for svg in (out / "maps").glob("*.svg"):  # what is there is whole
        assert svg.read_text(encoding="utf-8").rstrip().endswith("</svg>"), svg


SAID_AFTER_AN_INTERRUPTED_SEARCH = {
    "en": ("interrupted: best plan so far", "wrote {out}: plan.json\n", "only the plan is written"),
    "zh": ("已中断：迄今最佳方案", "已写入 {out}：plan.json\n", "搜索已中断，因此只写入了方案"),
}


@pytest.mark.parametrize("lang", ["en", None], ids=["en", "the-programmes-zh"])
def test_an_interrupted_search_writes_only_the_plan_and_says_how_to_print_it(tmp_path, lang):
    out = tmp_path / "out"
    # past the week bound's size nothing proves a plan best and ends the search early (Dalian
    # is proven optimal within seconds)
    process = start("bench/scenarios/gen-8x7.yaml", "--time-limit", "300", "--quiet", "--out", str(out),
                    *(["--lang", lang] if lang else []))  # fmt: skip
    time.sleep(10)  # the first plan comes within a few seconds; the search goes on
    process.send_signal(signal.SIGINT)
    started = time.monotonic()
    stdout, stderr = process.communicate(timeout=WRITE_TIMEOUT)
    assert process.returncode == 0, stderr
    flat = " ".join(stdout.split())  # the solver line wraps at the terminal's width
    for said in SAID_AFTER_AN_INTERRUPTED_SEARCH[lang or "zh"]:
        assert " ".join(said.format(out=out).split()) in flat, stdout
    assert f"solve.py render {out / 'plan.json'} --out {out}" in stdout
    assert sorted(p.name for p in out.iterdir()) == ["plan.json"]
    assert time.monotonic() - started < 60  # no booklet made after the user asked to stop
    assert json.loads((out / "plan.json").read_text(encoding="utf-8"))["solver"]["interrupted"] is True


def test_outputs_under_a_regular_file_cannot_be_written(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    scenario = "scenarios/day-trip-one-class.yaml"
    done = run_solve_py(scenario, "--quiet", "--time-limit", "5", "--json", str(blocker / "plan.json"))
    assert done.returncode == 4
    assert f"solve.py: cannot write {blocker / 'plan.json'}: Not a directory" in done.stderr
    done = run_solve_py(scenario, "--quiet", "--time-limit", "5", "--out", str(blocker / "out"))
    assert done.returncode == 4
    assert "Not a directory" in done.stderr and "Traceback" not in done.stderr
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    assert leftovers(tmp_path) == []


def test_an_output_that_fails_after_an_interrupt_counts_as_interrupted(weekend_plan, tmp_path, monkeypatch):
    """A library may turn the ``KeyboardInterrupt`` raised inside its code into an error of its
    own (the maps' C code says "Invalid bounding box"): once the command has noted the
    interrupt, that output counts as interrupted, the rest is not started; without an interrupt
    the same error is an output that failed."""
    import scheduler.render.xlsx as xlsx
    from scheduler.render import render_all

    def broken(*args, **kwargs):
        raise ValueError("Invalid bounding box")

    monkeypatch.setattr(xlsx, "write_workbook", broken)
    stopped = render_all(weekend_plan, tmp_path / "a", outputs=("itinerary.xlsx",), interrupted=lambda: True)
    assert (stopped.interrupted, stopped.not_made, stopped.failures) == ("itinerary.xlsx", ["itinerary.xlsx"], [])
    failed = render_all(weekend_plan, tmp_path / "b", outputs=("itinerary.xlsx",))
    assert failed.interrupted is None and [f.output for f in failed.failures] == ["itinerary.xlsx"]


def test_an_interrupt_that_never_reached_the_render_still_stops_it(weekend_plan, tmp_path):
    """Python drops an exception raised in a callback it runs for a library (a weak reference's,
    a finalizer), so a Ctrl-C may be noted by the command and never reach the render: the
    output it came during finishes whole, and the rest is not started."""
    from scheduler.render import render_all

    outputs = ("calendars", "itinerary.xlsx")
    stopped = render_all(weekend_plan, tmp_path, outputs=outputs, interrupted=lambda: True)
    assert (stopped.interrupted, stopped.not_made, stopped.failures) == ("calendars", ["itinerary.xlsx"], [])
    assert stopped.written and all(path.parent.name == "calendars" for path in stopped.written)
    assert not (tmp_path / "itinerary.xlsx").exists()
