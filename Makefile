# The two commands of the README: `make grade` (the main job) and `make test`.
# Both create the virtual environment .venv from requirements.txt on first use.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: grade test setup release examples diagrams sync lint clean

$(STAMP): requirements.txt pyproject.toml debian-packages.txt deploy/package-lock.json
	sh scripts/install-debian-packages debian-packages.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@# configurable-http-proxy, JupyterHub's proxy, for the hub deployment and its test.
	npm ci --prefix deploy --no-audit --no-fund --loglevel=error
	touch $@

setup: $(STAMP)

## Release every assignment, autograde every submission under submitted/, write
## autograded/, feedback/, reports/grades.csv and print points per function.
## Options go in ARGS, e.g. make grade ARGS="--student jdoe --assignment step_by_step".
grade: $(STAMP)
	$(BIN)/python -m dnncourse.grade $(ARGS)

## The whole test suite (CI runs exactly this).
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

## Tools for course authors.
sync: $(STAMP)
	$(BIN)/python -m dnncourse.authoring.sync

release: sync
	for a in step_by_step application; do \
	    PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/nbgrader generate_assignment $$a --force || exit 1; \
	done

examples: $(STAMP)
	$(BIN)/python -m dnncourse.authoring.examples

diagrams: $(STAMP)
	$(BIN)/python -m dnncourse.authoring.diagrams

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf autograded/*/ feedback reports gradebook.db
