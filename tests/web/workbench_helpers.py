"""What the workbench's tests share besides fixtures: the running server as the tests see it
(its address, its token, GET and POST), and the weekend scenario they copy."""

from __future__ import annotations

import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

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
