"""`make release` (dnncourse/authoring/release.py) runs nbgrader's pipeline and stops,
naming the problem, when the points do not add up to the declared total, when a test fails
on the reference answers, or when a test passes on the unanswered release."""

import filecmp
import os
import subprocess
import sys

import nbformat
import pytest
from conftest import REPO, copy_course

pytestmark = pytest.mark.slow

ASSIGNMENT = "step_by_step"


def run_release(course):
    env = dict(os.environ)
    env.pop("DNNCOURSE_DB_URL", None)
    return subprocess.run([sys.executable, "-m", "dnncourse.authoring.release", ASSIGNMENT,
                           "--course-dir", str(course)], text=True, capture_output=True,
                          env=env, check=False)


def edit_source(course, grade_id, change):
    path = course / "source" / ASSIGNMENT / REPO.source_notebook(ASSIGNMENT).name
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    change(cell)
    nbformat.write(nb, path)


def test_release_of_the_course_passes_and_rebuilds_the_committed_release(tmp_path):
    course = copy_course(tmp_path / "course", examples=False)
    done = run_release(course)
    assert done.returncode == 0, f"make release failed on the course:\n{done.stderr}"
    assert "every graded test fails on the release" in done.stdout, done.stdout
    release = course / "release" / ASSIGNMENT
    for path in (REPO.release / ASSIGNMENT).rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            other = release / path.relative_to(REPO.release / ASSIGNMENT)
            assert filecmp.cmp(path, other, shallow=False), f"{other} differs from the commit"


def test_points_that_do_not_add_up_stop_the_release_before_anything_runs(tmp_path):
    course = copy_course(tmp_path / "course", examples=False)

    def two_more(cell):
        cell.metadata.nbgrader["points"] += 2

    edit_source(course, "test_linear_forward_visible", two_more)
    before = sorted(p.name for p in (course / "release" / ASSIGNMENT).iterdir())
    done = run_release(course)
    assert done.returncode == 1, f"expected exit status 1, got {done.returncode}"
    assert "add up to 102, expected 100" in done.stderr, done.stderr
    assert "TOTAL_POINTS in catalogue/step_by_step/__init__.py" in done.stderr, done.stderr
    assert "generated" not in done.stdout, "the release was generated anyway"
    assert sorted(p.name for p in (course / "release" / ASSIGNMENT).iterdir()) == before


def test_a_test_failing_on_the_reference_answers_stops_the_release(tmp_path):
    course = copy_course(tmp_path / "course", examples=False)

    def wrong_sign(cell):
        assert "Z = np.dot(W, A) + b" in cell.source
        cell.source = cell.source.replace("Z = np.dot(W, A) + b", "Z = np.dot(W, A) - b")

    edit_source(course, "solution_linear_forward", wrong_sign)
    done = run_release(course)
    assert done.returncode == 1, f"expected exit status 1, got {done.returncode}"
    assert "tests failing on the reference answers" in done.stderr, done.stderr
    assert "linear_forward" in done.stderr, done.stderr


def test_a_test_that_passes_on_the_release_stops_it(tmp_path):
    course = copy_course(tmp_path / "course", examples=False)

    def always_passes(cell):
        cell.source = '"""Autograded: a test that checks nothing."""\npass'

    edit_source(course, "test_linear_forward_visible", always_passes)
    done = run_release(course)
    assert done.returncode == 1, f"expected exit status 1, got {done.returncode}"
    assert "pass on the unanswered release" in done.stderr, done.stderr
    assert "a test that checks nothing" in done.stderr, done.stderr
