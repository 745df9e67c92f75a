"""How the outputs share the machine's cores: the maps are drawn in a few processes when there
are enough of them to pay for starting one (``maps.write_maps``); every other output is
written in the render's own process.

Processes are started with ``spawn`` (a fresh interpreter), never forked: a render may follow a
solve in the same process, and forking a process whose solver threads held a lock can hang.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

MAX_PROCESSES = 4
"""The most processes one output uses at once."""


def process_count(jobs: int, per_process: int, wanted: int | None = None) -> int:
    """How many processes to split ``jobs`` over: ``wanted`` (default: the machine's cores, at
    most ``MAX_PROCESSES``), but each with at least ``per_process`` jobs (starting a process
    costs about as much as a few jobs), and at least one."""
    count = wanted if wanted is not None else min(MAX_PROCESSES, os.cpu_count() or 1)
    return max(1, min(count, jobs // per_process))


def pool(processes: int, *, tasks_each: int | None = None) -> ProcessPoolExecutor:
    """A pool of ``processes`` fresh interpreters; with ``tasks_each``, each interpreter is
    replaced by a fresh one after that many tasks (for work whose memory a process keeps)."""
    return ProcessPoolExecutor(
        max_workers=processes, mp_context=multiprocessing.get_context("spawn"), max_tasks_per_child=tasks_each
    )
