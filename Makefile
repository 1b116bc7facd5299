# idlgen — the two commands a newcomer needs are `make demo` and `make test`.
# Every target installs what it needs first (a venv; Debian packages when root).

PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: setup deps demo test test-interop bench regen lint clean

# The runtime is its own distribution (runtime/pyproject.toml), which idlgen depends on.
$(STAMP): pyproject.toml runtime/pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e runtime
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

deps:
	bash scripts/install-system-deps

setup: deps $(STAMP)

demo: setup
	$(BIN)/python examples/simp/run_demo.py
	$(BIN)/python examples/monservice/run_demo.py
	$(BIN)/python examples/calculator/run_demo.py

test: setup
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Only the suites against real peers (rpcbind, rpcgen + libtirpc servers and clients).
test-interop: setup
	$(BIN)/python -m pytest -q tests/interop $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/run.py

regen: $(STAMP)
	$(BIN)/python scripts/regen.py

lint: $(STAMP)
	$(BIN)/ruff check compiler runtime tests bench examples scripts
	$(BIN)/black --check compiler runtime tests bench examples scripts
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache
