"""Running the workbench: a uvicorn server on a socket of its own (a free port unless one is
asked for), started and stopped from a thread, so that the command and the tests run it alike."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import uvicorn

from scheduler.web.app import build_app

LOCALHOST = "127.0.0.1"


class Server:
    """The workbench on ``host``:``port`` (port 0: a free one), serving ``folder``."""

    def __init__(self, folder: Path, host: str = LOCALHOST, port: int = 0):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind((host, port))
        self.socket.listen(128)  # connections wait from now on, before uvicorn accepts them
        self.host, self.port = host, self.socket.getsockname()[1]
        hosts = ("127.0.0.1", "localhost", "[::1]")
        allowed = ("*",) if host in ("0.0.0.0", "::") else tuple(dict.fromkeys((*hosts, host)))
        self.app = build_app(folder, allowed_hosts=allowed)
        config = uvicorn.Config(self.app, log_level="warning", lifespan="on", timeout_graceful_shutdown=2)
        self.server = uvicorn.Server(config)
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        shown = LOCALHOST if self.host in ("0.0.0.0", "::") else self.host
        shown = f"[{shown}]" if ":" in shown else shown
        return f"http://{shown}:{self.port}/"

    def run(self) -> None:
        """Serve until stopped (Ctrl-C in the command)."""
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self.socket.close()

    def start(self) -> None:
        """Serve from a thread; return once the server answers."""
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        if not self.server.started:
            raise RuntimeError("the workbench did not start")

    def stop(self) -> None:
        """Stop serving and wait for the thread (its jobs' processes are ended)."""
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(15)
