# One command per job. CI calls the same targets a person runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PEOPLE ?= 5000
YEARS ?= 5
SEED ?= 1

.PHONY: run test lint typecheck unit bench docs clean

$(BIN)/childfirst: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(BIN)/childfirst pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# axe-core, which the browser tests inject into every page to check accessibility.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund; \
	else echo "npm not found: the accessibility checks will be skipped (CI requires them)"; fi

## run: set up, generate a synthetic force area into the embedded SQLite store, and serve it
run: $(BIN)/childfirst
	$(BIN)/childfirst demo --people $(PEOPLE) --years $(YEARS) --seed $(SEED)
	$(BIN)/childfirst serve --development

## test: set up, lint, type-check and run the test suite, browser tests included (PostgreSQL,
## Chromium and axe-core required when CI=true)
test: lint typecheck unit

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.dev
	$(BIN)/mypy

unit: $(VENV)/.dev node_modules/.package-lock.json
	$(BIN)/pytest -n 2

## bench: the performance figures (import throughput, synthetic generation)
bench: $(VENV)/.dev
	$(BIN)/python -m bench

## docs: regenerate the generated documentation
docs: $(VENV)/.dev
	$(BIN)/childfirst docs

clean:
	rm -rf $(VENV) var node_modules .mypy_cache .ruff_cache .pytest_cache .hypothesis
