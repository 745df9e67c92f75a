"""``solve.py serve [FOLDER] [--port N] [--host H] [--no-browser]``: the organiser's workbench in
the browser, working on the scenario files of FOLDER (``docs/workbench.md``)."""

from __future__ import annotations

import argparse
import sys
import threading
import webbrowser
from pathlib import Path

from scheduler.cli.options import LANGUAGES, Exit
from scheduler.cli.parsing import Helps
from scheduler.render.labels import Labels
from scheduler.scenario.reading import system_reason

DEFAULT_HOST = "127.0.0.1"


def add_parser(commands: argparse._SubParsersAction, helps: Helps) -> None:
    parser = commands.add_parser("serve", help=helps("serve"), description=helps("serve_description"))
    parser.add_argument("folder", type=Path, nargs="?", default=Path("."), metavar="FOLDER", help=helps("folder"))
    parser.add_argument("--port", type=int, default=0, metavar="N", help=helps("port"))
    parser.add_argument("--host", default=DEFAULT_HOST, metavar="H", help=helps("host"))
    parser.add_argument("--no-browser", action="store_true", help=helps("no_browser"))
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=helps("serve_lang"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    labels = Labels(args.lang or "en")

    def say(text: str) -> None:
        print(f"solve.py serve: {text}", file=sys.stderr)

    if not folder.is_dir():
        say(labels("serve_not_a_folder", folder=folder))
        return Exit.BAD_INPUT
    if not 0 <= args.port <= 65535:
        say(labels("serve_not_a_port", port=args.port))
        return Exit.BAD_INPUT
    from scheduler.web.server import Server

    try:
        server = Server(folder, args.host, args.port)
    except OSError as error:
        say(labels("serve_cannot_listen", address=f"{args.host}:{args.port}", reason=system_reason(error)))
        return Exit.BAD_INPUT
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        say(labels("serve_open_to_network", host=args.host))
    print(labels("serve_at", folder=folder.resolve(), url=server.url), flush=True)
    # the page sets its language from ``?lang=`` and keeps it for the next visits
    page = f"{server.url}?lang={args.lang}" if args.lang else server.url
    if not args.no_browser:
        threading.Timer(0.8, lambda: _open(page)).start()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    print(f"solve.py serve: {labels('serve_stopped')}")
    return Exit.PLAN


def _open(url: str) -> None:
    try:
        webbrowser.open(url)
    except webbrowser.Error:
        pass
