"""Shared helpers for the test suite: a scratch copy of the course and nbgrader's validator."""

import fcntl
import json
import os
import sys
from pathlib import Path

import pytest

from dnncourse.authoring import examples as example_submissions
from dnncourse.course import MATERIAL, Course

REPO = Course()  # this repository's course

ROOT = REPO.root
# Let the test modules import the assignment's own files (public_tests, dnn_utils).
sys.path.insert(0, str(REPO.source / "step_by_step"))


def copy_course(dest, items=MATERIAL, examples=True):
    """Copy the course material into `dest`, and the example submissions into its
    submitted/ unless `examples` is false; return `dest`. The copy has its own gradebook."""
    course = REPO.copy_material(dest, items)
    if examples:
        example_submissions.install(course.root)
    return Path(dest)


@pytest.fixture
def course(tmp_path):
    """A scratch copy of the course with its own (empty) gradebook."""
    return copy_course(tmp_path / "course")


def validate(notebook, invert=False):
    """Run nbgrader's validator through its Python API and return its result dict.

    The command line exits 0 even when tests fail, so tests use this instead.
    """
    from nbgrader.validator import Validator
    from traitlets.config import Config

    config = Config()
    config.Validator.invert = invert
    return Validator(config=config).validate(str(notebook))


def load_notebook(path):
    """Return the notebook at `path` as a dict."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def cell_text(cell):
    """Return the source of a notebook cell as one string."""
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def run_once(tmp_path_factory, name, make):
    """Run `make(folder)` once per test session, even under pytest-xdist; return
    (folder, what it returned), which must be JSON.

    A grading batch takes minutes: the first worker that asks runs it, the others wait on
    a lock and read its result from disk.
    """
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    shared.mkdir(exist_ok=True)
    saved = shared / "results.json"
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not saved.exists():
            saved.write_text(json.dumps(make(shared)), encoding="utf-8")
    return shared, json.loads(saved.read_text(encoding="utf-8"))
