"""Text from a plan made safe for the outputs: file names, paths, and characters.

A plan file can be edited by hand, so its ids and names can hold anything: ``/`` and ``..``,
new lines, control characters, thousands of characters. The outputs use this module so that:

- a file name built from an id (``maps/<class>-week.svg``, ``calendars/class-<class>.ics``)
  is a plain name in the output folder: ``file_name()`` keeps letters of any script, digits,
  ``_``, ``-`` and ``.`` (not leading), replaces anything else with ``_``, cuts it to
  ``MAX_NAME`` characters, and then adds a short digest of the id, so that two ids never share
  a file (a name Windows reserves for a device, ``CON``, ``nul.txt``, ``COM1``..., or one that
  ends in a dot, gets the digest too);
- every file written is checked to lie inside the output folder (``inside()``), symbolic links
  resolved, and refused otherwise (``UnsafePathError``);
- ``clean_text()`` drops the control characters that no output can show (NUL, ESC, BEL...),
  keeping tabs and new lines (a CR or CR LF becomes a new line).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

__all__ = ["MAX_NAME", "UnsafePathError", "clean_text", "file_name", "file_names", "inside"]

MAX_NAME = 80
"""The longest file name made from an id (without the prefix and suffix the writers add)."""

_WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"] + [f"{d}{n}" for d in ("COM", "LPT") for n in "123456789¹²³"]
)
_NOT_ALLOWED = re.compile(r"[^\w.-]")  # \w: letters and digits of any script, and "_"
_DIGESTED = re.compile(r"-[0-9a-f]{10}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class UnsafePathError(ValueError):
    """A file (``target``) would be written outside the output folder (``out_dir``)."""

    def __init__(self, target: Path, out_dir: Path):
        super().__init__(f"refused to write {target}: it is not inside {out_dir}")
        self.target = target
        self.out_dir = out_dir


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def file_name(identifier: str, *, digest: bool = False) -> str:
    """``identifier`` as a file name (no folder, no leading dot, at most ``MAX_NAME`` characters).

    An id that is already such a name is kept as it is (``urban`` stays ``urban``). Any other id,
    or any id with ``digest=True``, ends in ``-`` and ten hex digits of its SHA-256, so that ids
    that differ only in the characters replaced still get different names. A kept name never
    ends like that (such an id is digested too), so a kept name never meets a digested one.
    """
    name = _NOT_ALLOWED.sub("_", identifier)
    if name.startswith("."):
        name = "_" + name[1:]
    device = name.split(".")[0].upper() in _WINDOWS_DEVICES or name.endswith(".")  # unusable on Windows
    if digest or device or not name or name != identifier or len(name) > MAX_NAME or _DIGESTED.search(name):
        name = f"{name[: MAX_NAME - 11]}-{_digest(identifier)}"
    return name


def file_names(identifiers: Iterable[str]) -> dict[str, str]:
    """A file name for each id, as ``file_name()``, and never the same for two ids, even on a
    file system that ignores case (``Urban`` and ``urban`` both get a digest then)."""
    ids = list(dict.fromkeys(identifiers))
    names = {i: file_name(i) for i in ids}
    folded: dict[str, list[str]] = {}
    for i, name in names.items():
        folded.setdefault(name.casefold(), []).append(i)
    for same in folded.values():
        if len(same) > 1:
            for i in same:
                names[i] = file_name(i, digest=True)
    return names


def inside(out_dir: Path, relative: str | Path) -> Path:
    """``out_dir / relative``, after checking that it lies inside ``out_dir`` (links resolved).

    Raises
    ------
    UnsafePathError
        If the path would lead out of the folder (``..``, an absolute path, a link to elsewhere).
    """
    target = out_dir / relative
    root = out_dir.resolve()
    resolved = target.resolve()
    if resolved == root or not resolved.is_relative_to(root):
        raise UnsafePathError(target, out_dir)
    return target


def clean_text(text: str) -> str:
    """``text`` without control characters (tabs and new lines kept; CR and CR LF become new lines;
    a lone surrogate becomes U+FFFD)."""
    if not isinstance(text, str):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))
