"""Background jobs: one solve, re-plan or render at a time per scenario, each in a process of
its own (``worker``), watched by a thread that keeps what it reports for the page."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from scheduler.web.words import WORDS, WordedError
from scheduler.web.worker import SPAWNS, run_job

JOIN_SECONDS = 5.0
"""How long a stopped job's process may take to end before it is killed."""


@dataclass
class Job:
    """A job and what it has reported so far."""

    kind: str
    spec: dict[str, Any]
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None
    progress: list[dict[str, Any]] = field(default_factory=list)
    result: dict[str, Any] | None = None
    error: str | None = None
    error_words: dict[str, Any] | None = None
    """The error as a sentence of ``words.WORDS`` (``key``, ``fields``) when it is one of the
    workbench's own, so that the page says it in its language; ``error`` is its English."""
    stopping: bool = False
    version: int = 0
    process: Any = None
    on_done: Any = None

    @property
    def running(self) -> bool:
        return self.result is None and self.error is None

    def snapshot(self) -> dict[str, Any]:
        """What the page shows: the kind, the latest figures, and how it ended."""
        return {
            "kind": self.kind,
            "running": self.running,
            "stopping": self.stopping,
            "elapsed": round((self.ended or time.monotonic()) - self.started, 1),
            "progress": self.progress[-1] if self.progress else None,
            "result": self.result,
            "error": self.error,
            "error_words": self.error_words,
            "version": self.version,
        }


class Jobs:
    """The jobs of the server, by scenario: at most one running per scenario."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._context = multiprocessing.get_context("spawn")

    def get(self, key: str) -> Job | None:
        with self._lock:
            return self._jobs.get(key)

    def start(self, key: str, kind: str, spec: dict[str, Any], on_done: Any = None) -> Job | None:
        """Start a job for the scenario ``key``; None when one is already running for it."""
        with self._lock:
            current = self._jobs.get(key)
            if current is not None and current.running:
                return None
            job = Job(kind, spec, on_done=on_done)
            self._jobs[key] = job
        queue = self._context.Queue()
        # a job that starts processes of its own cannot be daemonic; shutdown() ends it all the same
        process = self._context.Process(target=run_job, args=({**spec, "kind": kind}, queue), daemon=kind not in SPAWNS)
        process.start()
        job.process = process
        threading.Thread(target=self._watch, args=(job, queue), daemon=True).start()
        return job

    def _watch(self, job: Job, queue: Any) -> None:
        while True:
            try:
                kind, payload = queue.get(timeout=0.2)
            except Exception:  # noqa: BLE001 - queue.Empty, or the queue broken by a dead process
                if not job.process.is_alive():
                    try:  # the last message may still be in the pipe
                        kind, payload = queue.get(timeout=0.5)
                    except Exception:  # noqa: BLE001
                        code = job.process.exitcode
                        kind = WORDS.get(f"job_{job.kind}", (job.kind, job.kind))
                        self._finish(job, error=WordedError("err_job_crashed", kind=kind, code=code))
                        return
                else:
                    continue
            if kind == "progress":
                job.progress.append(payload)
                job.version += 1
            elif kind == "done":
                self._finish(job, result=payload)
                return
            else:
                worded = isinstance(payload, dict) and payload.get("key") in WORDS
                error = WordedError(payload["key"], **payload.get("fields", {})) if worded else str(payload)
                self._finish(job, error=error)
                return

    def _finish(
        self, job: Job, *, result: dict[str, Any] | None = None, error: str | WordedError | None = None
    ) -> None:
        if job.on_done is not None and result is not None:
            try:
                job.on_done(result)
            except Exception as failure:  # noqa: BLE001 - reported on the page
                error, result = WordedError("err_job_not_kept", failure=str(failure)), None
        if isinstance(error, WordedError):
            job.error_words = {"key": error.key, "fields": error.fields}
        job.result, job.error = result, (None if error is None else str(error))
        job.ended = time.monotonic()
        job.version += 1
        job.process.join(JOIN_SECONDS)

    def stop(self, key: str) -> bool:
        """Ask the running job of ``key`` to stop (a solve keeps its best plan); whether one was running."""
        job = self.get(key)
        if job is None or not job.running or job.process is None or job.process.pid is None:
            return False
        job.stopping = True
        job.version += 1
        try:
            os.kill(job.process.pid, signal.SIGINT)
        except ProcessLookupError:
            return False
        return True

    def shutdown(self) -> None:
        """End every job's process (when the server stops)."""
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            if job.process is not None and job.process.is_alive():
                job.process.terminate()
                job.process.join(JOIN_SECONDS)
                if job.process.is_alive():
                    job.process.kill()
