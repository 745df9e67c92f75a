"""Where ``compare`` and ``sweep`` run their solves: ``--cluster ADDRESS`` (a Dask.distributed
cluster) or, by default, a local pool of processes sized to ``--workers``."""

from __future__ import annotations

import argparse

from rich.console import Console

from scheduler.cli.parsing import Helps
from scheduler.render.labels import Labels
from scheduler.runs.engine import DaskCluster, Engine, EngineError, LocalPool


def add_engine_options(parser: argparse.ArgumentParser, helps: Helps) -> None:
    """``--cluster`` and ``--connect-timeout``, their help in the words of ``helps``."""
    parser.add_argument("--cluster", default=None, metavar="ADDRESS", help=helps("cluster"))
    parser.add_argument("--connect-timeout", type=float, default=10.0, metavar="S", help=helps("connect_timeout"))


def open_engine(args: argparse.Namespace, processes: int, prog: str, err: Console, labels: Labels) -> Engine | None:
    """The engine the options name, or None once the reason it cannot be had is printed (in the
    language of ``labels``; the cluster's own error as it is)."""
    if args.cluster is None:
        return LocalPool(processes)
    if not args.connect_timeout > 0:
        err.print(f"{prog}: {labels('connect_timeout')}", markup=False)
        return None
    try:
        return DaskCluster(args.cluster, connect_seconds=args.connect_timeout)
    except EngineError as error:
        err.print(f"{prog}: {error.said.in_language(labels.lang)}", markup=False, soft_wrap=True)
        return None


def engine_words(engine: Engine, labels: Labels) -> str:
    """Where the solves run, in the language of ``labels``: ``a local pool of 2 processes``."""
    if isinstance(engine, LocalPool):
        return labels("local_pool", processes=labels.count("process", engine.processes))
    if isinstance(engine, DaskCluster):
        workers = labels.count("worker", engine.workers_at_start)
        return labels("dask_cluster", address=engine.address, workers=workers)
    return engine.description
