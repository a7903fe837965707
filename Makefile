# Entry points. Each target installs what it needs into a local virtual environment
# (.venv), so a fresh clone needs only Python 3.11+ (and npm for offline widget assets).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8866
JOBS ?=
STAMP := $(VENV)/.installed

.PHONY: help install test lint format gallery serve lab clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# The editable install records the top-level packages it found: a new package (a new
# folder with __init__.py) needs a reinstall, so it is part of the stamp's inputs.
$(STAMP): pyproject.toml $(wildcard */__init__.py)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## Create .venv and install the project with its test and dev tools

# axe-core for the accessibility checks of the browser tests (skipped with a reason without npm).
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package-lock.json
	-command -v npm >/dev/null && npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error

test: $(STAMP) $(AXE)  ## Run every test (browser tests skip with a reason when Chromium is absent)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# nbstripout keeps cell ids: tests and deep links name cells, and 0.9 would renumber them.
NBSTRIPOUT := $(BIN)/nbstripout --keep-id

lint: $(STAMP)  ## ruff, mypy (strict: data layer, dashboard runtime), import layers, notebooks without outputs
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(NBSTRIPOUT) --verify notebooks/*.ipynb

format: $(STAMP)  ## Apply ruff's formatting and fixes, strip notebook outputs
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(NBSTRIPOUT) notebooks/*.ipynb

gallery: $(STAMP)  ## Build the static gallery from the embedded data into gallery/_site/
	$(BIN)/python build_gallery.py build $(if $(JOBS),-j $(JOBS))

serve: $(STAMP)  ## Start the live Voilà dashboards on 127.0.0.1:$(PORT)
	$(BIN)/python build_gallery.py serve --port $(PORT)

# JupyterLab refuses to start as root unless told; workshop machines sometimes run as root.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(STAMP)  ## Open JupyterLab on the notebooks, project installed
	$(BIN)/jupyter lab notebooks/ $(LAB_ARGS)

clean:  ## Remove the built site and caches (keeps .venv)
	rm -rf gallery/_site gallery/_site.* .cache .pytest_cache .ruff_cache
