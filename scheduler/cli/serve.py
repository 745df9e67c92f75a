"""``solve.py serve [FOLDER] [--port N] [--host H] [--no-browser]``: the organiser's workbench in
the browser, working on the scenario files of FOLDER (``docs/workbench.md``)."""

from __future__ import annotations

import argparse
import sys
import threading
import webbrowser
from pathlib import Path

from scheduler.cli.options import Exit

DEFAULT_HOST = "127.0.0.1"


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "serve",
        help="edit, plan and print scenarios in the browser",
        description="Start the workbench: edit the scenario files of FOLDER in tables and forms, make and "
        "change plans, and download the booklet, calendars and spreadsheet, in the browser. "
        "It listens on 127.0.0.1 only unless --host says otherwise.",
    )
    parser.add_argument(
        "folder",
        type=Path,
        nargs="?",
        default=Path("."),
        metavar="FOLDER",
        help="the folder of scenario files (default: this one)",
    )
    parser.add_argument("--port", type=int, default=0, metavar="N", help="the port (default: a free one)")
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        metavar="H",
        help="the address to listen on (default 127.0.0.1: this computer only; 0.0.0.0 lets anyone on the "
        "network open and change your files)",
    )
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    if not folder.is_dir():
        print(f"solve.py serve: {folder} is not a folder (expected the folder of your scenario files)", file=sys.stderr)
        return Exit.BAD_INPUT
    if not 0 <= args.port <= 65535:
        print(
            f"solve.py serve: --port {args.port} is not a port (expected 1 to 65535, or 0 for a free one)",
            file=sys.stderr,
        )
        return Exit.BAD_INPUT
    from scheduler.web.server import Server

    try:
        server = Server(folder, args.host, args.port)
    except OSError as error:
        print(f"solve.py serve: cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return Exit.BAD_INPUT
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"solve.py serve: warning: listening on {args.host}: others on the network can open and change "
            "the files of this folder",
            file=sys.stderr,
        )
    print(f"The workbench for {folder.resolve()} is at {server.url}  (Ctrl-C to stop)", flush=True)
    if not args.no_browser:
        threading.Timer(0.8, lambda: _open(server.url)).start()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    print("solve.py serve: stopped.")
    return Exit.PLAN


def _open(url: str) -> None:
    try:
        webbrowser.open(url)
    except webbrowser.Error:
        pass
