"""Work for ``test_bounded``: module-level functions, so that a spawned process can import them."""

from __future__ import annotations

import time


def add(a: int, b: int) -> int:
    return a + b


def sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def allocate(megabytes: int) -> int:
    block = bytearray(megabytes * 2**20)
    return len(block)


def fail() -> None:
    raise ValueError("a reason in words")
