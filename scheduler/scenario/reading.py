"""Reading an input file within bounds: a regular file (never a FIFO, a device or a directory),
of at most ``max_file_bytes()`` bytes, read by reading at most one byte more than that; and JSON
of a bounded depth. Used for scenario files (``documents``) and for the plan files the commands
read (``scheduler.cli``); every refusal is a `FileRefused` whose reason is one plain sentence that
never quotes the file's content (a `Message`, said in either language).
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

from scheduler.scenario.wording import Message

__all__ = [
    "DEFAULT_MAX_FILE_MB",
    "MAX_FILE_MB_VARIABLE",
    "MAX_JSON_DEPTH",
    "FileRefused",
    "max_file_bytes",
    "read_bounded_bytes",
    "read_json",
]

MAX_FILE_MB_VARIABLE = "TRAINING_ITINERARY_MAX_FILE_MB"
"""The environment variable that overrides the size limit, in megabytes (a positive number)."""

DEFAULT_MAX_FILE_MB = 10.0
"""The size limit of an input file when the environment does not set one (the largest scenario
shipped is 0.1 MB)."""

MAX_JSON_DEPTH = 100
"""How deeply lists and objects may nest in a JSON file (a plan nests about six deep)."""

_READ_CHUNK = 1 << 20


class FileRefused(Exception):
    """An input file that is not used: ``reason`` says why (and what was expected) in one line,
    ``line`` is the 1-based line where that applies, or None; ``unread`` is whether the file
    could not (or was not to) be read at all, as against read and found wanting; ``system`` is
    whether the reason is the system's (permission denied, an input/output error)."""

    def __init__(self, reason: Message, line: int | None = None, *, unread: bool = False, system: bool = False):
        self.reason = reason
        self.line = line
        self.unread = unread or system
        self.system = system
        super().__init__(reason)


def max_file_bytes() -> int:
    """The size limit of an input file, in bytes: ``TRAINING_ITINERARY_MAX_FILE_MB`` megabytes
    where it is set to a positive number, else ``DEFAULT_MAX_FILE_MB``."""
    megabytes = DEFAULT_MAX_FILE_MB
    written = os.environ.get(MAX_FILE_MB_VARIABLE, "").strip()
    if written:
        try:
            value = float(written)
        except ValueError:
            value = 0.0
        if value > 0 and value < 1e9:
            megabytes = value
    return max(1, int(megabytes * 1024 * 1024))


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):.4g} MB"


def _kind(mode: int) -> Message | None:
    """What a file that is neither a regular file nor a directory is, in words, or None for a
    regular file or a directory."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return Message("a_named_pipe")
    if stat.S_ISCHR(mode):
        return Message("a_character_device")
    if stat.S_ISBLK(mode):
        return Message("a_block_device")
    if stat.S_ISSOCK(mode):
        return Message("a_socket")
    return Message("something_else")


def _refuse_kind(mode: int, expected: Message) -> None:
    if stat.S_ISDIR(mode):
        raise FileRefused(Message("is_a_directory", expected=expected), unread=True)
    kind = _kind(mode)
    if kind is not None:
        raise FileRefused(Message("not_a_regular_file", kind=kind, expected=expected), unread=True)


def read_bounded_bytes(path: str | Path, expected: Message | None = None) -> bytes:
    """The bytes of the regular file ``path``, read by reading at most the size limit plus one.

    ``expected`` names what the file should have been, for the reasons:
    ``Message("a_scenario_file")`` (by default ``Message("a_readable_file")``).

    Raises
    ------
    FileRefused
        If the file is missing, cannot be read, is not a regular file (checked before it is
        opened, and again on the open file), or is larger than ``max_file_bytes()``.
    """
    expected = expected or Message("a_readable_file")
    limit = max_file_bytes()
    too_big = FileRefused(
        Message("too_large", limit=_megabytes(limit), expected=expected, variable=MAX_FILE_MB_VARIABLE), unread=True
    )
    try:
        _refuse_kind(os.stat(path).st_mode, expected)
        # O_NONBLOCK: a file swapped for a FIFO after the check does not block the open
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            status = os.fstat(descriptor)
            _refuse_kind(status.st_mode, expected)
            if status.st_size > limit:
                raise too_big
            chunks: list[bytes] = []
            size = 0
            while size <= limit:
                chunk = os.read(descriptor, min(_READ_CHUNK, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(descriptor)
    except FileNotFoundError:
        raise FileRefused(Message("no_such_file", expected=expected), unread=True) from None
    except PermissionError:
        raise FileRefused(Message("permission_denied"), system=True) from None
    except IsADirectoryError:
        raise FileRefused(Message("is_a_directory", expected=expected), unread=True) from None
    except (OSError, ValueError) as error:  # ValueError: a NUL byte in the path
        reason = system_reason(error) if isinstance(error, OSError) else Message("not_a_usable_path")
        raise FileRefused(Message("system_refused", reason=reason, expected=expected), system=True) from None
    if size > limit:
        raise too_big
    return b"".join(chunks)


def read_json(path: str | Path, expected: Message | None = None) -> Any:
    """The JSON data of the regular file ``path``, within the size limit and nested at most
    ``MAX_JSON_DEPTH`` deep.

    Raises
    ------
    FileRefused
        As ``read_bounded_bytes``, or if the file is not UTF-8 JSON or nests too deeply; the
        reason never quotes the file. ``expected`` is by default ``Message("a_plan_file")``.
    """
    expected = expected or Message("a_plan_file")
    raw = read_bounded_bytes(path, expected)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise FileRefused(Message("json_not_utf8", expected=expected), line) from None
    too_deep = Message("json_too_deep", most=MAX_JSON_DEPTH, expected=expected)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileRefused(Message("not_json", reason=error.msg, expected=expected), error.lineno) from None
    except RecursionError:
        raise FileRefused(too_deep) from None
    if _depth_exceeds(data, MAX_JSON_DEPTH):
        raise FileRefused(too_deep)
    return data


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than ``limit`` in ``data`` (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (list, dict)):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


SYSTEM_REASONS = {
    errno.ENOENT: "os_enoent",
    errno.EACCES: "os_eacces",
    errno.EPERM: "os_eperm",
    errno.EISDIR: "os_eisdir",
    errno.ENOTDIR: "os_enotdir",
    errno.ENOSPC: "os_enospc",
    errno.EDQUOT: "os_edquot",
    errno.EROFS: "os_erofs",
    errno.EEXIST: "os_eexist",
    errno.ENAMETOOLONG: "os_enametoolong",
    errno.ELOOP: "os_eloop",
    errno.EIO: "os_eio",
    errno.EMFILE: "os_emfile",
    errno.ENFILE: "os_enfile",
    errno.EFBIG: "os_efbig",
    errno.EBUSY: "os_ebusy",
    errno.ETXTBSY: "os_etxtbsy",
    errno.EXDEV: "os_exdev",
    errno.EINVAL: "os_einval",
    errno.EADDRINUSE: "os_eaddrinuse",
    errno.EADDRNOTAVAIL: "os_eaddrnotavail",
}
"""The errors of the system that have Chinese words of their own (``WORDS``), by number."""


def system_reason(error: OSError) -> Message:
    """Why the system refused a file, a folder or an address (``error``), as a `Message`: in
    English the system's own words (``strerror``), in Chinese words of our own for the errors a
    user meets (``SYSTEM_REASONS``), else the error's code (``ENOTSUP``)."""
    code = errno.errorcode.get(error.errno or 0, "") or type(error).__name__
    reason = error.strerror or str(error) or code
    return Message(SYSTEM_REASONS.get(error.errno or 0, "os_other"), reason=reason, code=code)
