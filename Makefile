# The two commands of the README: `make grade` (the main job) and `make test`.
# `make grade` installs only what grading needs (bubblewrap, the packages of
# requirements.txt); `make test` adds the hub's and the tests' packages (setup-hub, setup-test).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HUB_STAMP := $(VENV)/.installed-hub
TEST_STAMP := $(VENV)/.installed-test

.PHONY: grade demo test setup setup-hub setup-test release handout examples diagrams sync \
	lint clean

$(STAMP): requirements.txt pyproject.toml debian-packages.txt
	sh scripts/install-debian-packages debian-packages.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m dnncourse.nbgrader_guard --install
	touch $@

# The hub deployment: PostgreSQL, Node.js and npm (Debian's `npm` package only where
# Node.js brought none), JupyterHub and psycopg2, and configurable-http-proxy, JupyterHub's
# proxy, from deploy/package-lock.json.
$(HUB_STAMP): $(STAMP) requirements-hub.txt debian-packages-hub.txt deploy/package-lock.json
	sh scripts/install-debian-packages debian-packages-hub.txt
	command -v npm >/dev/null 2>&1 || sh scripts/install-debian-packages npm
	$(BIN)/python -m pip install --quiet -r requirements-hub.txt
	npm ci --prefix deploy --no-audit --no-fund --loglevel=error
	touch $@

# The test suite: the hub's packages, Chromium for the browser test, pytest and friends.
$(TEST_STAMP): $(HUB_STAMP) requirements-test.txt debian-packages-test.txt
	sh scripts/install-debian-packages debian-packages-test.txt
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@

setup: $(STAMP)
setup-hub: $(HUB_STAMP)
setup-test: $(TEST_STAMP)

## Release every assignment, autograde every submission under submitted/, write
## autograded/, feedback/, reports/grades.csv and print points per function.
## Options go in ARGS, e.g. make grade ARGS="--student jdoe --assignment step_by_step".
grade: $(STAMP)
	$(BIN)/python -m dnncourse.grade $(ARGS)

## Grade the example submissions (examples/) in a scratch course, demo/.
demo: $(STAMP)
	$(BIN)/python -m dnncourse.demo

## The whole test suite (CI runs exactly this).
test: $(TEST_STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

## Per assignment, what a student may have: handouts/<assignment>/ and handouts/<assignment>.zip.
handout: $(STAMP)
	$(BIN)/python -m dnncourse.authoring.handout

## Tools for course authors.
sync: $(STAMP)
	$(BIN)/python -m dnncourse.authoring.sync

## nbgrader's pipeline per assignment: the points add up to the catalogue's TOTAL_POINTS,
## the source validates, generate_assignment, the release validates inverted.
release: sync
	$(BIN)/python -m dnncourse.authoring.release

examples: $(STAMP)
	$(BIN)/python -m dnncourse.authoring.examples

diagrams: $(STAMP)
	$(BIN)/python -m dnncourse.authoring.diagrams

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

## Delete what grading wrote (autograded/, feedback/, reports/, the gradebook), after
## backing it up into backups/; says where.
clean: $(STAMP)
	$(BIN)/python -m dnncourse.clean
