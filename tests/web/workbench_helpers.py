"""What the workbench's tests share besides fixtures: the running server as the tests see it
(its address, its token, GET and POST), and the weekend scenario they copy."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers import ROOT

from scheduler.web.server import Server

WEEKEND = ROOT / "scenarios" / "weekend-two-classes.yaml"
SCENARIO = WEEKEND.name


@dataclass
class Running:
    """The workbench serving ``folder`` at ``url``."""

    server: Server
    folder: Path

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def token(self) -> str:
        return self.server.app.state.bench.token

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.url + path.lstrip("/"), headers=headers or {})
        return open_request(request)

    def post(self, path: str, fields: dict[str, str], headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.url + path.lstrip("/"), data=data, headers=headers or {}, method="POST")
        return open_request(request)

    def wait_job(
        self, until: Callable[[Any], Any] = lambda job: not job.running, *, key: str = SCENARIO, timeout: float = 60.0
    ) -> dict[str, Any]:
        """The snapshot of the scenario ``key``'s job once ``until(job)`` holds (by default: once
        it has ended); an AssertionError past ``timeout`` seconds."""
        jobs = self.server.app.state.bench.jobs
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = jobs.get(key)
            if job is not None and until(job):
                return job.snapshot()
            time.sleep(0.1)
        raise AssertionError(f"the {key} job did not get there in time")


def open_request(request: urllib.request.Request) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the test's own server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0
