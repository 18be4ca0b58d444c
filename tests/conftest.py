"""Shared helpers for the test suite: a scratch copy of the course and nbgrader's validator."""

import fcntl
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from dnncourse import limits
from dnncourse.course import Course

# Every process the suite starts (test workers, kernels, nbgrader, JupyterLab, the hub)
# inherits this, numpy of the test workers included (nothing above imports it): two
# workers, their kernels and the machine's other jobs share the cores, and a BLAS thread
# per core in each would oversubscribe them.
os.environ.update(limits.blas_environment())

REPO = Course()  # this repository's course

ROOT = REPO.root
# What a course needs to release and grade; copied so tests never touch the real gradebook.
COURSE_ITEMS = ("nbgrader_config.py", "catalogue", "source", "release", "submitted", "data")

# Let the test modules import the assignment's own files (public_tests, dnn_utils).
sys.path.insert(0, str(REPO.source / "step_by_step"))


def copy_course(dest, items=COURSE_ITEMS):
    """Copy the course files into `dest` and return it."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
    for item in items:
        src = ROOT / item
        if src.is_dir():
            shutil.copytree(src, dest / item, ignore=ignore)
        else:
            shutil.copy2(src, dest / item)
    return dest


@pytest.fixture
def course(tmp_path):
    """A scratch copy of the course with its own (empty) gradebook."""
    return copy_course(tmp_path / "course")


def validate(notebook, invert=False, validate_all=False):
    """Run nbgrader's validator through its Python API and return its result dict.

    The command line exits 0 even when tests fail, so tests use this instead. Cells get the
    course's time limit; `validate_all` also reports errors (an interrupted cell included)
    in cells that are not graded.
    """
    from nbgrader.validator import Validator
    from traitlets.config import Config

    config = Config()
    config.Validator.invert = invert
    config.Validator.validate_all = validate_all
    config.Execute.timeout = limits.CELL_SECONDS
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
