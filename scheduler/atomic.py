"""Atomic files: an output is either written whole or not at all.

``atomic_path(target)`` hands out a temporary path beside the target; when the block ends
without an error the temporary file is flushed to disk and replaces the target in one step,
otherwise it is deleted. A reader never sees half a file, and a failed render leaves the old
file (or none) in place.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path to write ``target``'s content to; it replaces ``target`` on success."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a folder of the path should be
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(target.parent)) from None
    # named before it exists, and made inside the try: a signal at any point leaves no file behind
    temp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        yield temp
        with open(temp, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(temp, _mode_for(target))
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise


def write_bytes(target: Path, content: bytes) -> None:
    """Write ``content`` to ``target`` atomically."""
    with atomic_path(target) as temp:
        temp.write_bytes(content)


def write_text(target: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``target`` atomically."""
    write_bytes(target, text.encode("utf-8"))


def _mode_for(target: Path) -> int:
    """The replaced file's permissions, or the usual ones for a new file (the temporary file's are 0600)."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
