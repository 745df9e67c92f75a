# The two commands of the README: `make run` and `make test`. Each creates .venv if missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench clean system-deps runtime-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian packages the outputs need (the CJK font) and, for the tests, poppler
# and Chromium: installed only when missing (needs root or sudo the first time).
runtime-deps:
	bash scripts/install-system-deps.sh --runtime

system-deps:
	bash scripts/install-system-deps.sh

run: $(STAMP) runtime-deps
	$(BIN)/python solve.py scenarios/dalian-2019.yaml --out build/dalian

# The suite in two processes (pytest-xdist), a test module at a time in one of them: its module
# fixtures are made once, and the tests that wait on a subprocess, a browser or a cluster overlap.
test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/python bench/dalian.py

clean:
	rm -rf $(VENV) build .pytest_cache
