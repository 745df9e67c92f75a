"""A slow phase of a command is named on standard error; a quick one says nothing."""

from __future__ import annotations

import io
import time

from scheduler.cli.phases import Phases


def test_a_slow_phase_is_named_and_a_quick_one_is_not():
    stream = io.StringIO()
    phases = Phases("solve.py", after=0.1, every=0.3, stream=stream)
    with phases.phase("reading big.yaml (12.0 MB)"):
        pass
    assert stream.getvalue() == ""
    with phases.phase("reading big.yaml (12.0 MB)"):
        time.sleep(0.9)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("solve.py: reading big.yaml (12.0 MB)... ")
    assert lines[1].startswith("solve.py: still reading big.yaml (12.0 MB)... ")
    assert 2 <= len(lines) <= 3  # at 0.1 s, then every 0.3 s while it lasts


def test_phases_say_nothing_when_told_to_be_quiet():
    stream = io.StringIO()
    with Phases("solve.py", enabled=False, after=0.01, stream=stream).phase("reading"):
        time.sleep(0.1)
    assert stream.getvalue() == ""


def test_phases_are_named_in_the_commands_language():
    stream = io.StringIO()
    with Phases("solve.py", after=0.05, every=0.1, stream=stream, lang="zh").phase("读取 big.yaml（12.0 MB）"):
        time.sleep(0.25)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("solve.py: 正在读取 big.yaml（12.0 MB）……") and lines[0].endswith("秒")
    assert lines[1].startswith("solve.py: 仍在读取 big.yaml（12.0 MB）……")
