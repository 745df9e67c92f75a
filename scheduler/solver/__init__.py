"""The CP-SAT backend: candidates → variables → constraints → objective → solve → Result."""

from .run import Progress, SolveOptions, build_model, solve

__all__ = ["Progress", "SolveOptions", "build_model", "solve"]
