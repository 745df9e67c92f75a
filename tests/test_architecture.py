"""The package's architecture, checked by tools rather than by hand: the import-linter contracts
of ``pyproject.toml`` (layers, OR-Tools kept out of the input, analysis, outputs and the solver's
data and heuristics, no cycles), and no module reaching into another's private names."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

PACKAGE = "scheduler"
SOURCES = [ROOT / "scheduler", ROOT / "tests", ROOT / "bench", ROOT / "solve.py"]


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def _python_files() -> list[Path]:
    files: list[Path] = []
    for source in SOURCES:
        files += [source] if source.is_file() else sorted(source.rglob("*.py"))
    return files


def _module_name(path: Path) -> str | None:
    if not path.is_relative_to(ROOT / PACKAGE):
        return None
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_imports(path: Path) -> list[str]:
    """Each place where ``path`` uses a private name of another module of the package: ``from m
    import _x``, or ``m._x`` on a module it imported."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = _module_name(path)
    modules: dict[str, str] = {}  # local name -> the package's module it stands for
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == PACKAGE:
            for alias in node.names:
                if _private(alias.name) and node.module != own:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: from {node.module} import {alias.name}")
                modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE and alias.asname:
                    modules[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _private(node.attr)
            and modules[node.value.id] != own
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names():
    offenders = [line for path in _python_files() for line in private_imports(path)]
    assert offenders == [], "private names used from outside their module:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "source, expected",
    [
        # a private name imported from another module
        ("from scheduler.solver.run import _x\n", 1),
        # a private attribute of an imported module
        ("from scheduler.solver import run\nrun._x\n", 1),
        # dunders and public names are fine
        ("from scheduler.solver import run\nrun.__name__\nfrom scheduler.solver.run import solve\n", 0),
    ],
)
def test_the_private_name_check_sees_offenders(tmp_path, monkeypatch, source, expected):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    path = tmp_path / "example.py"
    path.write_text(source, encoding="utf-8")
    assert len(private_imports(path)) == expected


def test_the_code_is_lint_clean():
    """``ruff check`` with the project's rules (pyproject.toml): the style the tree keeps."""
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run(
        [str(ruff), "check", "--no-cache", "scheduler", "tests", "bench", "solve.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_cp_sat_is_configured_in_one_place():
    """Only ``scheduler.solver.cpsat.engine.configure`` sets CP-SAT's parameters (time limits,
    workers, seed, the probing level every search needs), so that no search misses one."""
    engine = ROOT / "scheduler" / "solver" / "cpsat" / "engine.py"
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "scheduler").rglob("*.py"))
        if path != engine
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".parameters." in line
    ]
    assert offenders == []


def private_attributes(path: Path) -> list[str]:
    """Each ``x._name`` in ``path`` where ``x`` is not ``self`` or ``cls``: a private part of
    another object."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and _private(node.attr)
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
    ]


def test_tests_and_benchmarks_use_public_names_only():
    """The tests and benchmarks exercise what the package offers, not its private parts."""
    files = [path for source in (ROOT / "tests", ROOT / "bench") for path in sorted(source.rglob("*.py"))]
    offenders = [line for path in files for line in private_attributes(path)]
    assert offenders == [], "\n".join(offenders)


def test_the_private_attribute_check_sees_offenders(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    path = tmp_path / "example.py"
    path.write_text("search._lodging_sequences()\nself._x\nsearch.lodging_sequences()\n", encoding="utf-8")
    assert len(private_attributes(path)) == 1
