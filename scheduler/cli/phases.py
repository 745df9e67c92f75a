"""What a command is doing, said when it takes a while: a large scenario can take seconds to read
and check before the search starts, and a silent terminal looks like a hung one.

``Phases.phase(text)`` marks a stretch of work; when it has lasted ``after`` seconds, one line on
standard error names it (``solve.py: reading big.yaml (12.4 MB)... 2 s``, or in Chinese
``solve.py: 正在读取 big.yaml（12.4 MB）……2秒``), and another every ``every`` seconds while it
goes on. Quick phases print nothing.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from scheduler.render.labels import Labels


class Phases:
    """Names slow phases of a command on ``stream`` (standard error by default), from a thread."""

    def __init__(
        self,
        prog: str,
        *,
        enabled: bool = True,
        after: float = 2.0,
        every: float = 15.0,
        stream: TextIO | None = None,
        lang: str = "en",
    ):
        self.prog = prog
        self.labels = Labels(lang)
        """The language of the lines; a phase's ``text`` is given in it."""
        self.enabled = enabled
        self.after = after
        self.every = every
        self.stream = stream if stream is not None else sys.stderr
        self._lock = threading.Lock()
        self._current: tuple[str, float] | None = None

    @contextmanager
    def phase(self, text: str) -> Iterator[None]:
        """Mark the work inside the block as ``text`` (e.g. ``reading big.yaml``)."""
        if not self.enabled:
            yield
            return
        done = threading.Event()
        started = time.monotonic()
        watcher = threading.Thread(target=self._watch, args=(text, started, done), daemon=True)
        watcher.start()
        try:
            yield
        finally:
            done.set()
            watcher.join()

    def _watch(self, text: str, started: float, done: threading.Event) -> None:
        wait = self.after
        said = False
        while not done.wait(wait):
            seconds = time.monotonic() - started
            said_now = self.labels("phase_still" if said else "phase_now", text=text)
            line = f"{self.prog}: {said_now}{self.labels('seconds_n', n=f'{seconds:.0f}')}"
            with self._lock:
                print(line, file=self.stream, flush=True)
            said = True
            wait = self.every
