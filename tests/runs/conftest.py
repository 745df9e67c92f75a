"""A real Dask.distributed cluster for the tests: ``dask scheduler`` and two ``dask worker``
processes on 127.0.0.1, each worker its own process with one thread and no nanny (so that a
killed worker stays dead, as a lost machine would). Started by the fixture, stopped after the
module; nothing listens afterwards."""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import ROOT

DASK = Path(sys.executable).parent / "dask"
START_SECONDS = 60.0
PR_SET_PDEATHSIG = 1


@dataclass
class Cluster:
    address: str
    scheduler: subprocess.Popen
    workers: list[subprocess.Popen] = field(default_factory=list)

    def kill_worker(self, n: int) -> None:
        self.workers[n].send_signal(signal.SIGKILL)
        self.workers[n].wait(10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:
    """In the child: end when the test process ends, even if it is killed before its teardown."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _start(args: list[str], log: Path) -> subprocess.Popen:
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [str(DASK), *args],
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    """A scheduler and two workers on 127.0.0.1, ready; stopped when the test ends."""
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _start(
        ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard", "--no-show"],
        tmp_path / "scheduler.log",
    )
    running = Cluster(address, scheduler)
    try:
        for n in range(2):
            running.workers.append(
                _start(
                    ["worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny",
                     "--no-dashboard", "--name", f"w{n}"],
                    tmp_path / f"worker-{n}.log",
                )
            )  # fmt: skip
        with Client(address, timeout=f"{START_SECONDS}s") as client:
            client.wait_for_workers(2, timeout=START_SECONDS)
        yield running
    finally:
        for process in [*running.workers, scheduler]:
            _stop(process)
    with socket.socket() as probe:  # nothing listens after the test
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def wait_for(predicate, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
