"""``solve.py sweep PLAN.json SCENARIO --kinds lecturer-away,site-closed,coach-limit``: how fragile
a plan is. Every single disruption of the kinds asked is re-planned with the least change, in a
local process pool or on a Dask cluster (``--cluster``), and the risk table ranks them: those
that leave no plan (with the reason), those that cost most, those the plan absorbs. Progress is
shown with an estimate of the time left; a Ctrl-C keeps (and writes) the results so far."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.cells import cell_len, set_cell_size
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from scheduler.analysis.disruptions import KINDS, Disruption, disruptions
from scheduler.analysis.impact import MINOR_MINUTES, Planned
from scheduler.analysis.risk import Ending, Replanned, RiskTable, risk_table
from scheduler.cli import options as cli
from scheduler.cli.cells import breaks
from scheduler.cli.engines import add_engine_options, engine_words, open_engine
from scheduler.cli.parsing import Helps
from scheduler.cli.terminal import print_risk_table, visible
from scheduler.plan.export import saved_objective, write_json
from scheduler.render.labels import Labels
from scheduler.render.risk import write_risk_html, write_risk_xlsx
from scheduler.runs.engine import usable_cores
from scheduler.scenario.reading import system_reason

PROG = "solve.py sweep"
BAR_DESCRIPTION_CELLS = 40
"""The widest a disruption's name is shown beside the progress bar, in terminal cells."""


def add_parser(commands: argparse._SubParsersAction, helps: Helps) -> None:
    parser = commands.add_parser("sweep", help=helps("sweep"), description=helps("sweep_description"))
    parser.add_argument("plan", type=Path, help=helps("saved_plan"), metavar="PLAN")
    parser.add_argument("scenario", type=Path, help=helps("sweep_scenario"), metavar="SCENARIO")
    parser.add_argument(
        "--kinds", default=",".join(KINDS), metavar="K1,K2", help=helps("kinds", kinds=", ".join(KINDS))
    )
    cli.add_search_options(parser, helps, time_limit=20.0, workers_help=helps("workers_pool"))
    parser.set_defaults(workers=None)
    parser.add_argument("--diagnosis-seconds", type=float, default=20.0, metavar="S", help=helps("diagnosis_seconds"))
    parser.add_argument(
        "--minor-minutes",
        type=int,
        default=MINOR_MINUTES,
        metavar="M",
        help=helps("sweep_minor", default=MINOR_MINUTES),
    )
    parser.add_argument("--top", type=int, default=25, metavar="N", help=helps("top"))
    parser.add_argument("--lang", choices=cli.LANGUAGES, default=None, help=helps("lang_printed"))
    add_engine_options(parser, helps)
    parser.add_argument("--json", default=None, metavar="FILE", help=helps("sweep_json"))
    parser.add_argument("--html", type=Path, default=None, metavar="FILE", help=helps("sweep_html"))
    parser.add_argument("--xlsx", type=Path, default=None, metavar="FILE", help=helps("sweep_xlsx"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from scheduler.runs.sweep import run_sweep  # the solver is loaded when a command plans

    out = cli.console(sys.stderr if args.json == "-" else sys.stdout)
    err = cli.console(sys.stderr)
    if args.workers is None:
        args.workers = usable_cores()
    options = cli.search_options(args, PROG, err)
    if isinstance(options, int):
        return options
    problem = _problem(args, Labels(args.lang or "en"))
    if problem:
        err.print(f"{PROG}: {problem}", markup=False, soft_wrap=True)
        return cli.Exit.BAD_INPUT
    kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    scenario = cli.load_or_report(args.scenario, args.lang)
    if scenario is None:
        return cli.Exit.BAD_INPUT
    lang = cli.language(args, scenario)
    labels = Labels(lang)
    base = _read_plan(args, scenario, err, lang)
    if base is None:
        return cli.Exit.BAD_INPUT

    engine = open_engine(args, args.workers, PROG, err, labels)
    if engine is None:
        return cli.Exit.BAD_INPUT
    assert base.plan is not None
    found = disruptions(scenario, base.plan, kinds)
    starting = labels(
        "replanning_disruptions",
        disruptions=labels.count("disruption", len(found)),
        engine=engine_words(engine, labels),
        seconds=labels("seconds_n", n=f"{args.time_limit:g}"),
    )
    err.print(starting, markup=False, soft_wrap=True)
    started = time.monotonic()
    with engine, _progress(err, len(found), lang, scenario) as show:
        run_ = run_sweep(
            base,
            kinds,
            engine,
            options,
            diagnosis_seconds=args.diagnosis_seconds,
            on_progress=show,
            only=found,
        )
    seconds = time.monotonic() - started
    table = risk_table(
        base,
        run_.outcomes,
        lang=lang,
        kinds=kinds,
        minor_minutes=args.minor_minutes,
        settings={
            "time_limit": args.time_limit,
            "seed": args.seed,
            "engine": "dask" if args.cluster else "local",
            "diagnosis_seconds": args.diagnosis_seconds,
            "seconds": round(seconds, 1),
        },
    )
    print_risk_table(out, table, top=args.top)
    status = cli.Exit.PLAN
    if run_.interrupted:
        err.print(f"{PROG}: {labels('sweep_stopped', n=len(found) - _not_run(table))}", markup=False)
        status = cli.Exit.ABORTED
    elif run_.engine_error:
        err.print(f"{PROG}: {labels('sweep_engine_error', error=run_.engine_error)}", markup=False, soft_wrap=True)
        status = cli.Exit.NO_PLAN
    data = table.to_json()
    writers: list[tuple[str, Callable[[], None]]] = []
    if args.json:
        writers.append((args.json, lambda: write_json(args.json, data)))
    if args.html is not None:
        writers.append((str(args.html), lambda: write_risk_html(data, args.html)))
    if args.xlsx is not None:
        writers.append((str(args.xlsx), lambda: write_risk_xlsx(data, args.xlsx)))
    for target, write in writers:
        try:
            write()
        except OSError as error:
            err.print(f"{PROG}: {labels('cannot_write', target=target, reason=system_reason(error))}", markup=False)
            status = cli.Exit.OUTPUT if status == cli.Exit.PLAN else status
        else:
            if target != "-":
                err.print(labels("wrote", target=target), markup=False, soft_wrap=True)
    return status


def _not_run(table: RiskTable) -> int:
    return table.count(Ending.NOT_RUN)


def _problem(args: argparse.Namespace, labels: Labels) -> str | None:
    """What is wrong with the sweep's own options, in the language of ``labels``, or None."""
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if not kinds or unknown:
        shown = repr(unknown[0]) if unknown else labels("nothing")
        return labels("bad_kinds", value=shown, kinds=", ".join(KINDS))
    if not 0 <= args.diagnosis_seconds <= 3600:
        return labels("diagnosis_range", value=f"{args.diagnosis_seconds:g}")
    if args.minor_minutes < 0:
        return labels("below_zero", option="--minor-minutes", value=args.minor_minutes)
    if args.reproducible is False:
        return labels("sweep_not_free")
    if args.top < 0:
        return labels("below_zero", option="--top", value=args.top)
    return None


def _read_plan(args: argparse.Namespace, scenario, err, lang: str) -> Planned | None:
    """The saved plan with its objective, once it is known to be a valid plan of ``scenario``."""
    read = cli.read_valid_plan(args.plan, scenario, args.scenario, PROG, err, lang)
    if read is None:
        return None
    plan, data = read
    return Planned(scenario, plan, *saved_objective(data))


class _progress:
    """A progress bar with the time left on a terminal; one line per result otherwise (a log)."""

    def __init__(self, err, total: int, lang: str, scenario):
        self.err, self.total, self.lang, self.scenario = err, total, lang, scenario
        self.labels = Labels(lang)
        self.bar: Progress | None = None
        self.started = time.monotonic()

    def __enter__(self) -> Callable[[int, int, Disruption, Replanned], None]:
        if self.err.is_terminal:
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn(self.labels("left")),
                TimeRemainingColumn(),
                console=self.err,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("", total=self.total)
        return self.show

    def show(self, done: int, total: int, disruption: Disruption, outcome: Replanned) -> None:
        what = visible(disruption.describe(self.scenario, self.lang))
        if self.bar is not None:
            self.bar.update(self.task, completed=done, description=_shortened(what, BAR_DESCRIPTION_CELLS))
            return
        spent = time.monotonic() - self.started
        left = spent / done * (total - done) if done else 0.0
        line = self.labels(
            "sweep_progress",
            done=done,
            total=total,
            what=what,
            ending=self.labels(f"ending_{outcome.ending.value}"),
            seconds=self.labels("seconds_n", n=f"{outcome.seconds:.1f}"),
            left=_duration(left, self.labels),
        )
        self.err.print(line, markup=False, soft_wrap=True)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _shortened(text: str, cells: int) -> str:
    """``text`` in at most ``cells`` terminal cells (a Chinese character takes two): when longer,
    cut where a line could break (between words, or between Chinese characters) and ended with
    ``…``, so that the progress bar's line keeps room for the bar and the times."""
    if cell_len(text) <= cells:
        return text
    fitting = [at for at in breaks(text) if cell_len(text[:at].rstrip()) < cells]
    kept = text[: fitting[-1]].rstrip() if fitting else set_cell_size(text, cells - 1)
    return kept + "…"


def _duration(seconds: float, labels: Labels) -> str:
    if seconds < 90:
        return labels("seconds_n", n=f"{seconds:.0f}")
    return labels("minutes_n", n=f"{seconds / 60:.0f}")
