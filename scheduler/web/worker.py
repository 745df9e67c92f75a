"""The work the workbench does in a process of its own: a solve, a re-plan, the outputs.

Each job runs in a spawned process, so that the page stays quick, a Stop (SIGINT to the
process) ends the search the way Ctrl-C does on the command line (the best plan found so far is
kept), and a crash in the solver cannot take the server with it. The process reports on a
queue: ``("progress", {...})`` as the search improves, then one ``("done", {...})`` or
``("error", "what went wrong")``. It reads the scenario from its file and writes only into the
job's folder under ``FOLDER/.workbench/``: never the scenario file.
"""

from __future__ import annotations

import json
import math
import traceback
from pathlib import Path
from typing import Any

SOLVE, REPLAN, RENDER = "solve", "replan", "render"


def run_job(job: dict[str, Any], queue: Any) -> None:
    """Run ``job`` (a mapping: ``kind``, ``scenario``, ``out``, and what the kind needs) and
    report on ``queue``. Every failure is reported as a sentence; the traceback goes to the
    server's standard error only."""
    try:
        queue.put(("done", _JOBS[job["kind"]](job, queue)))
    except KeyboardInterrupt:
        queue.put(("error", "stopped before a plan was found"))
    except Exception as error:  # noqa: BLE001 - any failure is reported on the page, never raised
        traceback.print_exc()
        queue.put(("error", f"{type(error).__name__}: {error}"))


def _finite(value: float | None) -> float | None:
    """A figure as JSON can carry it: None for an unknown (infinite) bound."""
    return value if value is not None and math.isfinite(value) else None


def _progress(queue: Any):
    def report(progress: Any) -> None:
        bound = _finite(progress.best_bound)
        objective = _finite(progress.objective)
        gap = None
        if objective and bound is not None and abs(objective) > 1e-9:
            gap = max(0.0, (objective - bound) / abs(objective))
        queue.put(
            (
                "progress",
                {
                    "seconds": round(progress.seconds, 1),
                    "plans": progress.plans_found,
                    "objective": objective,
                    "bound": bound,
                    "gap": gap,
                },
            )
        )

    return report


def _options(job: dict[str, Any]):
    from scheduler.solver.options import SolveOptions

    return SolveOptions(
        time_limit=float(job.get("time_limit", 20)), workers=int(job.get("workers", 2)), handle_signals=True
    )


def _checked_plan(scenario: Any, result: Any, source: str, out: Path) -> dict[str, Any]:
    """The result as plan JSON, checked by the project's checker, written to ``out``."""
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
        summary["violations"] = [str(v) for v in violations[:20]]
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
    result = solve(scenario, _options(job), on_progress=_progress(queue))
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
        "failures": [str(failure) for failure in report.failures],
    }


_JOBS = {SOLVE: _solve, REPLAN: _replan, RENDER: _render}
