"""The solver: ``solve(scenario, options) -> Result``.

Its packages are layers (each imports only those below it; ``pyproject.toml`` holds the
contracts): ``data`` (candidates, skeleton, the rest of the programme held fixed; no OR-Tools),
``heuristics`` (construction and route search; no OR-Tools), ``cpsat`` (the model, and the one
place that runs CP-SAT), ``bound`` (the week bound), ``search`` (the stages, large-neighbourhood
search, class by class), ``diagnosis``; ``run`` orchestrates them, ``replan`` re-plans a saved plan
with least change and ``parallel`` solves several scenarios at once.
"""

from scheduler.solver.options import Progress, SolveOptions
from scheduler.solver.run import solve

__all__ = ["Progress", "SolveOptions", "solve"]
