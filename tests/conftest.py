"""Shared helpers for the test suite: a scratch copy of the course and nbgrader's validator."""

import json
import os
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from dnncourse import limits
from dnncourse.authoring import examples as example_submissions
from dnncourse.course import MATERIAL, Course

# Every process the suite starts (test workers, kernels, nbgrader, JupyterLab, the hub)
# inherits this, numpy of the test workers included (nothing above imports it): two
# workers, their kernels and the machine's other jobs share the cores, and a BLAS thread
# per core in each would oversubscribe them.
os.environ.update(limits.blas_environment())

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
