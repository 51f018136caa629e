# Two commands do everything on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench mutate clean

install: $(STAMP)
	@# Byte-compile the package now: start-up must not pay for compiling it, even where
	@# PYTHONDONTWRITEBYTECODE keeps Python from caching it at run time.
	@$(BIN)/python -m compileall -q reader

# Re-install only when the project's metadata changed; otherwise this is instant.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[model,dev]'
	touch $(STAMP)

run: install
	$(BIN)/reader $(ARGS)

lint: install
	$(BIN)/ruff check reader tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/run.py

# Mutation testing of the core (slow; not part of `make test`): MODULES=anchors for one.
mutate: install
	nice -n 10 $(BIN)/python tools/mutate.py $(MODULES)

clean:
	rm -rf $(VENV) build dist *.egg-info mutants
