"""The work the workbench does in a process of its own: a solve, a re-plan, the outputs.

Each job runs in a spawned process, so that the page stays quick, a Stop (SIGINT to the
process) ends the search the way Ctrl-C does on the command line (the best plan found so far is
kept), and a crash in the solver cannot take the server with it. The process reports on a
queue: ``("progress", {...})`` as the search improves, then one ``("done", {...})`` or
``("error", "what went wrong")`` (a failure's own words) or ``("error", {"key": ..., "fields":
{...}})`` (a sentence of ``words.WORDS``, said in the page's language). It reads the scenario
from its file and writes only into the job's folder under ``FOLDER/.workbench/``: never the
scenario file.
"""

from __future__ import annotations

import json
import math
import threading
import traceback
from pathlib import Path
from typing import Any

SOLVE, REPLAN, RENDER, COMPARE, SWEEP = "solve", "replan", "render", "compare", "sweep"
DIAGNOSIS_SECONDS = 10.0
"""How long a variant or disruption left without a plan is searched for the requirements that
conflict (``solve.py compare`` and ``sweep`` take 20 s; the page is for a quicker look)."""
SPAWNS = frozenset({COMPARE, SWEEP})
"""The jobs that start processes of their own (a sweep's pool, a diagnosis): theirs is not daemonic."""


def run_job(job: dict[str, Any], queue: Any) -> None:
    """Run ``job`` (a mapping: ``kind``, ``scenario``, ``out``, and what the kind needs) and
    report on ``queue``. Every failure is reported as a sentence; the traceback goes to the
    server's standard error only."""
    try:
        queue.put(("done", _JOBS[job["kind"]](job, queue)))
    except KeyboardInterrupt:
        queue.put(("error", {"key": "err_job_stopped", "fields": {}}))
    except Exception as error:  # noqa: BLE001 - any failure is reported on the page, never raised
        traceback.print_exc()
        queue.put(("error", f"{type(error).__name__}: {error}"))


def _finite(value: float | None) -> float | None:
    """A figure as JSON can carry it: None for an unknown (infinite) bound."""
    return value if value is not None and math.isfinite(value) else None


class _Live:
    """What a running solve reports: the search's figures as it improves, and the realism
    figures of its latest plan, worked out on a thread of their own so that the search never
    waits for them. Every report carries the latest of both."""

    def __init__(self, scenario: Any, queue: Any) -> None:
        self.scenario, self.queue = scenario, queue
        self.latest: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._plans: Any = None
        self._ready = threading.Event()
        threading.Thread(target=self._figures, daemon=True).start()

    def progress(self, progress: Any) -> None:
        """``solve``'s ``on_progress``."""
        bound = _finite(progress.best_bound)
        objective = _finite(progress.objective)
        gap = None
        if objective and bound is not None and abs(objective) > 1e-9:
            gap = max(0.0, (objective - bound) / abs(objective))
        seconds, plans = round(progress.seconds, 1), progress.plans_found
        self._put({"seconds": seconds, "plans": plans, "objective": objective, "bound": bound, "gap": gap})

    def plan(self, plan: Any) -> None:
        """``solve``'s ``on_plan``: kept for the figures' thread (an older one not yet read is dropped)."""
        self._plans = plan
        self._ready.set()

    def _figures(self) -> None:
        from scheduler.plan.export import plan_realism

        while True:
            self._ready.wait()
            self._ready.clear()
            plan, self._plans = self._plans, None
            if plan is not None:
                self._put({"realism": plan_realism(self.scenario, plan).summary()})

    def _put(self, figures: dict[str, Any]) -> None:
        with self._lock:
            self.latest.update(figures)
            self.queue.put(("progress", dict(self.latest)))


def _options(job: dict[str, Any]):
    from scheduler.solver.options import SolveOptions

    return SolveOptions(
        time_limit=float(job.get("time_limit", 20)), workers=int(job.get("workers", 2)), handle_signals=True
    )


def _checked_plan(scenario: Any, result: Any, source: str, out: Path) -> dict[str, Any]:
    """The result as plan JSON, checked by the project's checker, written to ``out``; a plan that
    breaks a rule is not written, and its first violations are kept in both languages."""
    from scheduler.analysis.check import check
    from scheduler.plan.export import result_to_json, write_json

    summary: dict[str, Any] = {
        "status": str(result.status.value),
        "interrupted": result.stats.interrupted,
        "seconds": round(result.stats.seconds, 1),
        "objective": _finite(result.stats.objective),
        "bound": _finite(result.stats.best_bound),
        "gap": _finite(result.stats.gap),
    }
    if result.plan is None:
        summary["plan"] = None
        return summary
    violations = check(scenario, result.plan)
    if violations:
        summary["plan"] = None
        # the job's page is read in either language: the checker's sentences in both
        summary["violations"] = {lang: [v.in_language(lang) for v in violations[:20]] for lang in ("zh", "en")}
        return summary
    data = result_to_json(scenario, result, source)
    write_json(out, data)
    summary["plan"] = str(out)
    summary["realism"] = data.get("realism", {}).get("summary") if isinstance(data.get("realism"), dict) else None
    return summary


def _solve(job: dict[str, Any], queue: Any) -> dict[str, Any]:
    from scheduler.scenario.loading import load_scenario
    from scheduler.solver.run import solve

    scenario = load_scenario(job["scenario"])
    live = _Live(scenario, queue)
    result = solve(scenario, _options(job), on_progress=live.progress, on_plan=live.plan)
    return _checked_plan(scenario, result, job["source"], Path(job["out"]))


def _replan(job: dict[str, Any], queue: Any) -> dict[str, Any]:
    from scheduler.analysis.diff import diff_plans
    from scheduler.plan.export import plan_from_json
    from scheduler.scenario.loading import load_scenario
    from scheduler.solver.replan import replan

    scenario = load_scenario(job["scenario"])
    old = plan_from_json(json.loads(Path(job["old_plan"]).read_text(encoding="utf-8")))
    queue.put(("progress", {"seconds": 0, "plans": 0, "objective": None, "bound": None, "gap": None}))
    result, weighted = replan(scenario, old, None, _options(job))
    summary = _checked_plan(scenario, result, job["source"], Path(job["out"]))
    summary["weighted_changes"] = weighted
    if result.plan is not None and summary.get("plan"):
        summary["changed_events"] = diff_plans(old, result.plan).changed_events
    return summary


def _render(job: dict[str, Any], queue: Any) -> dict[str, Any]:
    from scheduler.render import render_all

    data = json.loads(Path(job["plan"]).read_text(encoding="utf-8"))
    outputs = tuple(job["outputs"])
    queue.put(("progress", {"outputs": list(outputs)}))
    report = render_all(data, Path(job["out"]), job.get("lang"), outputs)
    return {
        "written": [str(path) for path in report.written],
        "failures": [f"{failure.output}: {failure.reason.in_language(report.lang)}" for failure in report.failures],
    }


def _saved_plan(scenario: Any, path: str, lang: str) -> Any:
    """The workbench's saved plan of ``scenario`` as a ``Planned`` (plan, objective and its
    terms), once the checker finds it keeps every rule of the scenario; else ValueError, the
    first rule it breaks said in ``lang``."""
    from scheduler.analysis.check import check
    from scheduler.analysis.impact import Planned
    from scheduler.plan.export import plan_from_json, saved_objective
    from scheduler.web.words import word

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    plan = plan_from_json(data)
    broken = check(scenario, plan)
    if broken:
        raise ValueError(word("saved_plan_breaks", lang).format(violation=broken[0].in_language(lang)))
    return Planned(scenario, plan, *saved_objective(data))


def _compare(job: dict[str, Any], queue: Any) -> dict[str, Any]:
    """The variant re-planned from the base's plan with the least change, compared with the base
    as ``solve.py compare --base-plan`` does; the comparison's JSON written to ``out``."""
    from scheduler.analysis.compare import Outcome, build_comparison
    from scheduler.plan.export import write_json
    from scheduler.plan.model import Result, SolveStatus
    from scheduler.runs.tasks import compared, replan_changed
    from scheduler.scenario.loading import load_scenario, locator
    from scheduler.scenario.variants import variant_name

    base = load_scenario(job["base"])
    variant = load_scenario(job["variant"])
    lang = job.get("lang") or base.programme.language
    planned = _saved_plan(base, job["base_plan"], lang)
    options = _options(job)
    queue.put(("progress", {"seconds": 0}))
    base_result = Result(options.stats(SolveStatus.FEASIBLE, planned.objective), planned.plan, planned.terms or {})
    replanned = replan_changed(variant, planned.plan, options, None, DIAGNOSIS_SECONDS)
    outcome = compared(replanned, options, base_result)
    variant_path = Path(job["variant"])
    entries = [
        Outcome(base_result).entry(
            job["base_name"], Path(job["base_name"]).stem, base, locate=locator(Path(job["base"])), lang=lang
        ),
        outcome.entry(
            job["variant_name"],
            Path(job["variant_name"]).stem,
            variant,
            locate=locator(variant_path),
            title=variant_name(variant_path, variant.programme.language),
            lang=lang,
        ),
    ]
    comparison = build_comparison(entries, mode="least_change", lang=lang)
    data = comparison.to_json()
    data["workbench"] = {"ending": str(replanned.ending), "base_plan": job["base_plan"]}
    write_json(Path(job["out"]), data)
    return {"comparison": job["out"], "ending": str(replanned.ending)}


def _sweep(job: dict[str, Any], queue: Any) -> dict[str, Any]:
    """Every single disruption of ``kinds`` re-planned from the saved plan in a local pool, as
    ``solve.py sweep`` does; the risk table written as JSON and as a spreadsheet."""
    import time

    from scheduler.analysis.disruptions import disruptions
    from scheduler.analysis.risk import risk_table
    from scheduler.plan.export import write_json
    from scheduler.render.risk import write_risk_xlsx
    from scheduler.runs.engine import LocalPool
    from scheduler.runs.sweep import run_sweep
    from scheduler.scenario.loading import load_scenario

    scenario = load_scenario(job["scenario"])
    base = _saved_plan(scenario, job["plan"], job.get("lang") or "en")
    kinds = tuple(job["kinds"])
    found = disruptions(scenario, base.plan, kinds)
    started = time.monotonic()
    queue.put(("progress", {"done": 0, "total": len(found), "left": None}))

    def report(done: int, total: int, disruption: Any, outcome: Any) -> None:
        spent = time.monotonic() - started
        queue.put(("progress", {"done": done, "total": total, "left": round(spent / done * (total - done), 1)}))

    options = _options({**job, "workers": 1})
    run = run_sweep(
        base,
        kinds,
        LocalPool(int(job.get("processes", 2))),
        options,
        diagnosis_seconds=DIAGNOSIS_SECONDS,
        on_progress=report,
        only=found,
    )
    table = risk_table(
        base,
        run.outcomes,
        lang=job.get("lang") or "en",
        kinds=kinds,
        settings={
            "time_limit": job["time_limit"],
            "engine": "local",
            "diagnosis_seconds": DIAGNOSIS_SECONDS,
            "seconds": round(time.monotonic() - started, 1),
            "plan": job["plan"],
        },
    )
    data = table.to_json()
    out = Path(job["out"])
    write_json(out / "risk.json", data)
    write_risk_xlsx(data, out / "risk.xlsx")
    return {
        "table": str(out / "risk.json"),
        "interrupted": run.interrupted,
        "engine_error": run.engine_error and run.engine_error.in_language(job.get("lang") or "en"),
    }


_JOBS = {SOLVE: _solve, REPLAN: _replan, RENDER: _render, COMPARE: _compare, SWEEP: _sweep}
