"""Work that must keep to a budget of time and memory whatever it meets: run in a child process.

A search that CP-SAT runs keeps to its time limit, but building its model, or a long series of
them (the diagnosis after a failed solve), runs in Python with no clock of its own and can grow
with the programme. ``run_bounded()`` runs such work in a separate process (``spawn``: a fresh
interpreter, so its memory is its own) with a cap on its address space, and ends it at the
deadline: the caller always gets an answer within the budget, and learns whether the work
finished, ran out of time or of memory, or failed.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_SETTLE_SECONDS = 2.0
"""How long a child that has been told to stop may take to end before it is killed."""


class Ending(Enum):
    """How bounded work ended."""

    DONE = "done"
    OUT_OF_TIME = "out of time"
    OUT_OF_MEMORY = "out of memory"
    FAILED = "failed"


@dataclass(frozen=True)
class Bounded(Generic[T]):
    """What bounded work gave: its value when ``ending`` is DONE, else None and why not."""

    ending: Ending
    value: T | None = None
    reason: str = ""
    seconds: float = 0.0


def may_start_processes() -> bool:
    """Whether this process may start processes of its own: a daemonic one (the workbench runs
    its solves in one) may not."""
    return not multiprocessing.current_process().daemon


def may_fork() -> bool:
    """Whether work can be shared with processes forked from this one: the platform forks and
    this process may start processes (``may_start_processes``)."""
    return "fork" in multiprocessing.get_all_start_methods() and may_start_processes()


def start_forked(process: multiprocessing.process.BaseProcess) -> None:
    """Start a process of the ``fork`` context. Python warns of forking beside other threads (a
    progress display, the workbench's figures) because a lock one of them holds stays held in
    the child; the callers' children take none of theirs: they work and send their results on
    a queue of their own."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        process.start()


def run_bounded(work: Callable[..., T], *args: Any, seconds: float, memory_bytes: int, **kwargs: Any) -> Bounded[T]:
    """``work(*args, **kwargs)`` in a child process, given at most ``seconds`` and
    ``memory_bytes`` of address space beyond what a fresh interpreter uses.

    ``work`` and its arguments must be picklable (a module-level function; scenarios are).
    Ctrl-C in the caller ends the child and is raised again in the caller.
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(sender, memory_bytes, work, args, kwargs), daemon=True, name="bounded-work"
    )
    started = time.monotonic()
    child.start()
    sender.close()
    try:
        ready = receiver.poll(seconds)
        message = receiver.recv() if ready else None
    except EOFError:  # the child died without a word: the memory cap's usual way in native code
        message = None
        ready = True
    except BaseException:
        _end(child)
        raise
    finally:
        spent = time.monotonic() - started
    _end(child)
    if not ready:
        return Bounded(Ending.OUT_OF_TIME, reason=f"stopped after {seconds:.0f} s", seconds=spent)
    if message is None:
        return Bounded(
            Ending.OUT_OF_MEMORY,
            reason=f"ended by the system (exit {child.exitcode}), most likely at its memory cap",
            seconds=spent,
        )
    kind, payload = message
    if kind == "value":
        return Bounded(Ending.DONE, payload, seconds=spent)
    if kind == "memory":
        return Bounded(
            Ending.OUT_OF_MEMORY, reason=f"reached its memory cap ({memory_bytes / 2**30:.1f} GB)", seconds=spent
        )
    return Bounded(Ending.FAILED, reason=str(payload), seconds=spent)


def _end(child) -> None:
    if child.is_alive():
        child.terminate()
        child.join(_SETTLE_SECONDS)
    if child.is_alive():
        child.kill()
    child.join()


def _child(sender, memory_bytes: int, work, args, kwargs) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the caller decides
    used = _address_space()
    if used is not None:
        limit = used + memory_bytes
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        message = ("value", work(*args, **kwargs))
    except MemoryError:
        message = ("memory", None)
    except Exception as error:  # noqa: BLE001 - the caller reports it in words
        message = ("error", f"{type(error).__name__}: {error}")
    try:
        sender.send(message)
    except MemoryError:
        sender.send(("memory", None))


def _address_space() -> int | None:
    """The process's current address space in bytes (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * resource.getpagesize()
