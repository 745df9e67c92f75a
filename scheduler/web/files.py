"""Where the workbench may read and write: only inside the folder it was started on.

A path that comes from a request (a scenario's name, a file to download) is relative to the
folder, written with forward slashes; an absolute path, a ``..`` part, a hidden part other than
the workbench's own folder, or a symbolic link that leads out of the folder is refused. The
workbench keeps its own files (plans, the what-if variant, the downloads) in
``FOLDER/.workbench/<scenario>/``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scheduler.web.words import WordedError

WORKBENCH_DIR = ".workbench"
"""The workbench's own folder inside the served folder."""

SCENARIO_SUFFIXES = (".yaml", ".yml")
MAX_DEPTH = 3
"""How many folders deep scenario files are listed (``variants/x.yaml`` is one)."""


class UnsafePath(WordedError, ValueError):
    """A path from a request that is not allowed: outside the folder, or not the kind of file
    asked for. Its sentence is a key of ``words.WORDS``, shown on the page in its language."""


@dataclass(frozen=True)
class Folder:
    """The served folder."""

    root: Path

    @classmethod
    def at(cls, path: Path) -> Folder:
        return cls(path.resolve())

    def resolve(self, relative: str, *, base: Path | None = None) -> Path:
        """``relative`` (a request's path, ``/``-separated) as a path inside ``base`` (the folder by
        default); UnsafePath if it is empty, absolute, has a ``..`` part, or leads outside."""
        base = (base or self.root).resolve()
        if not relative or "\x00" in relative or "\\" in relative:
            raise UnsafePath("err_path_not_name")
        pure = PurePosixPath(relative)
        if pure.is_absolute() or any(part in ("..", "") for part in pure.parts) or re.match(r"^[A-Za-z]:", relative):
            raise UnsafePath("err_path_outside")
        target = (base / Path(*pure.parts)).resolve()
        if not target.is_relative_to(base) or not target.is_relative_to(self.root):
            raise UnsafePath("err_path_outside")
        return target

    def scenario(self, relative: str) -> Path:
        """The scenario file ``relative`` names; UnsafePath if it is not a YAML file in the folder."""
        path = self.resolve(relative)
        parts = PurePosixPath(relative).parts
        if any(part.startswith(".") for part in parts) or path.suffix.lower() not in SCENARIO_SUFFIXES:
            raise UnsafePath("err_path_not_yaml")
        if not path.is_file():
            raise UnsafePath("err_path_missing")
        return path

    def scenarios(self) -> list[str]:
        """The YAML files of the folder and its sub-folders (not hidden ones), by name."""
        found = []
        for path in sorted(self.root.rglob("*")):
            relative = path.relative_to(self.root)
            if (
                path.suffix.lower() in SCENARIO_SUFFIXES
                and len(relative.parts) <= MAX_DEPTH
                and not any(part.startswith(".") for part in relative.parts)
                and path.is_file()
                and path.resolve().is_relative_to(self.root)
            ):
                found.append(relative.as_posix())
        return found

    def work_dir(self, relative: str) -> Path:
        """The workbench's own folder for the scenario ``relative``."""
        key = re.sub(r"[^A-Za-z0-9._-]", "_", relative.replace("/", "__"))
        return self.root / WORKBENCH_DIR / key


def digest(path: Path) -> str:
    """A short fingerprint of the file's bytes, to notice a change made outside the workbench
    (empty when the file cannot be read)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return ""
