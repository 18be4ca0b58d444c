"""Shared helpers for the test suite: a scratch copy of the course and nbgrader's validator."""

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from dnncourse.course import Course

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
    a file lock and read its result from disk (pytest-xdist's documented recipe for
    session-scoped work: a FileLock in the temporary folder all workers share).
    """
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    shared.mkdir(exist_ok=True)
    saved = shared / "results.json"
    with FileLock(shared / "lock"):
        if not saved.exists():
            saved.write_text(json.dumps(make(shared)), encoding="utf-8")
    return shared, json.loads(saved.read_text(encoding="utf-8"))


def solution_lines(course, assignment):
    """Lines of the reference answers of `assignment`: inside the source notebook's solution
    regions and nowhere else in it (a demo call shown elsewhere is no secret)."""
    inside_lines, open_lines = set(), set()
    for cell in load_notebook(course.source_notebook(assignment))["cells"]:
        inside = False
        for line in cell_text(cell).splitlines():
            if "### BEGIN SOLUTION" in line:
                inside = True
            elif "### END SOLUTION" in line:
                inside = False
            elif inside and line.strip() and not line.strip().startswith("#"):
                inside_lines.add(line.strip())
            elif not inside:
                open_lines.add(line.strip())
    return inside_lines - open_lines


def hidden_lines(course, assignment):
    """Lines of the catalogue's hidden cases of `assignment` long enough to be telling and
    not also in its public part (shared helpers written alike)."""
    folder = course.catalogues / assignment
    public = {line.strip() for line in (folder / "public.py").read_text(
        encoding="utf-8").splitlines()}
    text = (folder / "hidden.py").read_text(encoding="utf-8")
    return {line.strip() for line in text.splitlines()
            if len(line.strip()) >= 24 and not line.strip().startswith(("#", '"""'))
            and line.strip() not in public}


def secret_lines(course, assignments=None):
    """Every line of a reference answer or of a hidden case of the course, as a set."""
    found = set()
    for assignment in assignments or course.assignment_ids:
        found |= solution_lines(course, assignment) | hidden_lines(course, assignment)
    return found
