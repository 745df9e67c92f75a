"""Where many what-if tasks run: a local process pool, or an existing Dask.distributed cluster.

Both engines take the same ``Task`` list (a module-level function of ``scheduler.runs.tasks``
with its arguments: plain data, so nothing assumes a shared file system) and hand each result
to ``on_result(index, value)`` as soon as it arrives, in the order tasks finish. The caller keeps
what arrived: a Ctrl-C (``KeyboardInterrupt``) cancels what has not run and is raised again, and
an engine that cannot go on (a cluster that cannot be reached, or that has lost every worker)
raises ``EngineError`` with one sentence, after delivering every result it had.

- ``LocalPool(processes)``: spawned processes on this machine, one task each at a time (each
  task's CP-SAT search uses one worker, so the pool is as large as the cores it may use). A
  process that dies takes its task with it: the pool is started again and the tasks that had
  not finished are run again, at most ``retries`` times each.
- ``DaskCluster(address)``: a running ``dask scheduler`` with its ``dask worker``s. A worker lost
  mid-task has its task run again elsewhere (Dask reschedules it; a task that keeps killing
  workers fails as ``KilledWorker``); a task that raises is retried ``retries`` times.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor
from concurrent.futures import wait as wait_local
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from scheduler.scenario.wording import Message

__all__ = ["DaskCluster", "Engine", "EngineError", "LocalPool", "Task", "TaskFailed", "share_workers", "usable_cores"]

OnResult = Callable[[int, Any], None]
FETCH_SECONDS = 5.0
"""How long to wait for a finished task's result before taking it as lost with its worker (the
cluster then computes it again)."""


@dataclass(frozen=True)
class Task:
    """One unit of work: ``function(*args)``; ``key`` names it (stable and unique in a run)."""

    key: str
    function: Callable[..., Any]
    args: tuple[Any, ...]


WORDS: dict[str, tuple[str, str]] = {
    # key -> (Chinese, English): why a task or the engine failed, said in the user's language
    "task_raised": ("程序出错（请报告此问题）：{error}", "{error}"),
    "worker_died": (
        "运行它的工作进程每次都意外退出（内存不足？）",
        "its worker process died each time it ran (out of memory?)",
    ),
    "lost_with_worker": ("每次运行都随其工作节点一起丢失", "lost with its worker each time it ran"),
    "cancelled": ("已在集群上取消", "cancelled on the cluster"),
    "killed_worker": (
        "运行它的每个工作节点都已退出（集群不再重试）",
        "every worker that ran it died (the cluster stopped retrying it)",
    ),
    "cannot_reach": (
        "无法连接 {address} 上的 Dask 调度器（请检查地址，以及调度器是否在运行）",
        "cannot reach a Dask scheduler at {address}: {error}",
    ),
    "no_worker": (
        "{address} 上的 Dask 调度器没有工作节点（已等待{seconds}秒）",
        "the Dask scheduler at {address} has no worker (waited {seconds} s)",
    ),
    "no_worker_since": (
        "{address} 上的 Dask 集群已有{seconds}秒没有工作节点；{total}个任务中有{left}个未运行",
        "the Dask cluster at {address} has had no worker for {seconds} s; {left} of {total} tasks not run",
    ),
}


class Said(Message):
    """A sentence of ``WORDS``: its English is the ``str``, ``in_language("zh")`` its Chinese."""

    words = WORDS


@dataclass(frozen=True)
class TaskFailed:
    """Delivered instead of a task's value when the task could not be run to its end."""

    reason: Message
    """Why, in English as a ``str``; ``reason.in_language("zh")`` says it in Chinese."""


class EngineError(Exception):
    """The engine cannot run (more of) the tasks: one sentence for the user (``said``, worded in
    either language; the exception's text is its English)."""

    def __init__(self, said: Message):
        super().__init__(str(said))
        self.said = said


class Engine:
    """Runs tasks and streams their results; see the module's docstring."""

    description: str = ""

    def run(self, tasks: Sequence[Task], on_result: OnResult) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Let go of what the engine holds (processes, a connection)."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def share_workers(solves: int, workers: int) -> tuple[int, int]:
    """(solves run at a time, CP-SAT workers per solve) for ``solves`` solves and ``workers`` in
    all: two cores run two one-worker solves side by side rather than one two-worker solve after
    the other, since a solve gains less from a second worker than from a core of its own."""
    at_once = max(1, min(solves, workers))
    return at_once, max(1, workers // at_once)


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------------------
# A local process pool


class LocalPool(Engine):
    def __init__(self, processes: int | None = None, retries: int = 1):
        self.processes = max(1, processes or usable_cores())
        self.retries = retries
        noun = "process" if self.processes == 1 else "processes"
        self.description = f"local pool of {self.processes} {noun}"

    def run(self, tasks: Sequence[Task], on_result: OnResult) -> None:
        todo = list(range(len(tasks)))
        tries = dict.fromkeys(todo, 0)
        while todo:
            todo = self._round(tasks, todo, tries, on_result)

    def _round(self, tasks: Sequence[Task], todo: list[int], tries: dict[int, int], on_result: OnResult) -> list[int]:
        """Run ``todo`` in one pool; the indices to run again if the pool broke."""
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(min(self.processes, len(todo)), mp_context=context, initializer=_start_local_worker)
        futures: dict[Future, int] = {}
        try:
            for index in todo:
                futures[pool.submit(tasks[index].function, *tasks[index].args)] = index
            pending = set(futures)
            broken: list[int] = []
            while pending:
                done, pending = wait_local(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    index = futures[future]
                    try:
                        value = future.result()
                    except BrokenProcessPool:
                        broken.append(index)
                        continue
                    except Exception as error:  # noqa: BLE001 - reported as the task's failure
                        value = TaskFailed(Said("task_raised", error=f"{type(error).__name__}: {error}"))
                    on_result(index, value)
            again = []
            for index in sorted(broken):
                tries[index] += 1
                if tries[index] > self.retries:
                    on_result(index, TaskFailed(Said("worker_died")))
                else:
                    again.append(index)
            pool.shutdown(wait=True)
            return again
        except BaseException:
            _stop_pool(pool)
            raise


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the processes at once (their tasks are abandoned)."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(5)
        if process.is_alive():
            process.kill()


def _start_local_worker() -> None:
    """In a pool process: Ctrl-C is the parent's to handle (it ends the pool); a process whose
    parent has gone ends too, since no one will read its result."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


# ---------------------------------------------------------------------------
# A Dask.distributed cluster


class DaskCluster(Engine):
    """Tasks on the cluster whose scheduler listens at ``address`` (``tcp://host:8786``).

    Parameters
    ----------
    address
        The scheduler's address.
    connect_seconds
        How long to try to reach the scheduler, and to wait for its first worker.
    retries
        How many times a task that raised is run again.
    worker_wait_seconds
        How long the run waits while the cluster has no worker before it gives up.
    """

    def __init__(
        self,
        address: str,
        *,
        connect_seconds: float = 10.0,
        retries: int = 2,
        worker_wait_seconds: float = 60.0,
        poll_seconds: float = 0.1,
    ):
        from distributed import Client

        self.address = address
        self.retries = retries
        self.worker_wait = worker_wait_seconds
        self.poll = poll_seconds
        self.fetch_seconds = FETCH_SECONDS
        try:
            self.client = Client(address, timeout=f"{connect_seconds}s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            raise EngineError(Said("cannot_reach", address=address, error=_first_line(error))) from None
        try:
            self.client.wait_for_workers(1, timeout=connect_seconds)
        except (OSError, TimeoutError):
            self.client.close()
            raise EngineError(Said("no_worker", address=address, seconds=f"{connect_seconds:g}")) from None
        workers = len(self.client.scheduler_info().get("workers", {}))
        self.workers_at_start = workers
        self.description = f"Dask cluster at {address} ({workers} worker{'s' * (workers != 1)} at the start)"

    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def run(self, tasks: Sequence[Task], on_result: OnResult) -> None:
        token = f"{os.getpid()}-{time.time_ns()}"
        futures = {}
        for index, task in enumerate(tasks):
            future = self.client.submit(
                task.function, *task.args, key=f"{task.key}-{token}", pure=False, retries=self.retries
            )
            futures[future] = index
        pending = set(futures)
        alone_since: float | None = None
        looked = 0.0
        again = dict.fromkeys(futures, 0)
        try:
            while pending:
                done = [future for future in pending if future.status in ("finished", "error", "cancelled")]
                if not done:
                    time.sleep(self.poll)
                for future in done:
                    try:
                        value = self._value(future)
                    except TimeoutError:  # its result went with its worker: the cluster computes it again
                        continue
                    if value is _UNKNOWN and again[future] < self.retries:
                        # erred with no error of its own: its worker died on it; run it again
                        again[future] += 1
                        future.retry()
                        continue
                    if value is _UNKNOWN:
                        value = TaskFailed(Said("lost_with_worker"))
                    pending.discard(future)
                    on_result(futures[future], value)
                if not pending:
                    break
                if time.monotonic() - looked < 1.0:
                    continue
                looked = time.monotonic()
                if self.workers():
                    alone_since = None
                    continue
                alone_since = alone_since or time.monotonic()
                if time.monotonic() - alone_since >= self.worker_wait:
                    self.client.cancel(list(pending))
                    raise EngineError(
                        Said(
                            "no_worker_since",
                            address=self.address,
                            seconds=f"{self.worker_wait:g}",
                            left=len(pending),
                            total=len(tasks),
                        )
                    )
        except BaseException:
            if pending:
                self.client.cancel(list(pending))
            raise

    def _value(self, future: Any) -> Any:
        """A finished task's value, or why it failed; ``TimeoutError`` when its result cannot be
        fetched (lost with its worker: Dask then marks it lost and computes it again)."""
        if future.status == "cancelled":
            return TaskFailed(Said("cancelled"))
        if future.status == "finished":
            return future.result(timeout=self.fetch_seconds)
        error = future.exception(timeout=self.fetch_seconds)
        if error is None:
            return _UNKNOWN
        name = type(error).__name__
        if name == "KilledWorker":
            return TaskFailed(Said("killed_worker"))
        return TaskFailed(Said("task_raised", error=f"{name}: {_first_line(error)}"))

    def close(self) -> None:
        try:
            self.client.close(timeout=5)
        except Exception:  # noqa: BLE001 - closing a connection to a cluster that has gone
            pass


_UNKNOWN = object()
"""A task that erred without an error of its own."""


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
