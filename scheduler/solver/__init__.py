"""The solver: ``solve(scenario, options) -> Result``.

Its packages are layers (each imports only those below it; ``pyproject.toml`` holds the
contracts): ``data`` (candidates, skeleton, the rest of the programme held fixed; no OR-Tools),
``heuristics`` (construction and route search; no OR-Tools), ``cpsat`` (the model, and the one
place that runs CP-SAT), ``bound`` (the week bound), ``search`` (the stages, large-neighbourhood
search, class by class), ``diagnosis``; ``run`` orchestrates them, ``replan`` re-plans a saved plan
with least change and ``parallel`` solves several scenarios at once.
"""

from typing import TYPE_CHECKING, Any

from scheduler.solver.options import Progress, SolveOptions

if TYPE_CHECKING:
    from scheduler.solver.run import solve

__all__ = ["Progress", "SolveOptions", "solve"]


def __getattr__(name: str) -> Any:
    # ``solve`` (and with it OR-Tools) is imported at its first use, so that reading the
    # options (the command line does for every command) does not load the solver
    if name == "solve":
        from scheduler.solver.run import solve

        return solve
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
