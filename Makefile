# Each target bootstraps .venv itself: a fresh machine needs only python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two install stamps: `make run` needs only the service's own dependencies; test, lint
# and the other tool targets add the `dev` extra (pytest, ruff, mypy, playwright, ...).
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed

.PHONY: run test lint check bench soak audit browser-deps test-deps cluster cluster-stop messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# make run PORT=8080 serves on another port.
PORT ?= 8000

run: $(RUN_STAMP)
	$(BIN)/learning migrate
	$(BIN)/learning serve --host 127.0.0.1 --port $(PORT)

# PostgreSQL in ./var/pg, two instances on 8001 and 8002, nginx on 8000 (scripts/cluster).
cluster: $(STAMP) test-deps
	./scripts/cluster start

cluster-stop:
	./scripts/cluster stop

lint: $(STAMP)
	$(BIN)/ruff check learning tests benchmarks
	$(BIN)/ruff format --check learning tests benchmarks
	$(BIN)/mypy --strict learning tests benchmarks
	$(BIN)/lint-imports

check: $(RUN_STAMP)
	$(BIN)/learning check courses

browser-deps: $(STAMP)
	./scripts/install-browser-deps

# PostgreSQL (the store and web tests run on both backends) and nginx (make cluster).
test-deps:
	./scripts/install-test-deps

test: lint browser-deps test-deps
	$(BIN)/learning check courses
	$(BIN)/pytest

bench: $(STAMP) test-deps
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

soak: $(STAMP)
	$(BIN)/python benchmarks/soak.py

audit: $(STAMP)
	./scripts/audit

# Re-extract UI strings and merge them into the English catalogue (translate, then commit).
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ -k gettext -k ngettext:1,2 --no-location --sort-output -o learning/locale/messages.pot .
	$(BIN)/pybabel update -i learning/locale/messages.pot -d learning/locale -l en -D messages --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) node_modules
