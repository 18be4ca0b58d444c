"""Autograde restores locked cells quietly when the student left them as released, and
loudly when the student changed them (dnncourse/kernel/execution.py, RestoreCells)."""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, copy_course

from dnncourse import limits

pytestmark = pytest.mark.slow

ASSIGNMENT = "step_by_step"
TAMPERED = "test_compute_cost_visible"


def autograde(course, student):
    env = dict(os.environ, **limits.blas_environment())
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    done = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT,
                           "--student", student], cwd=course, env=env, text=True,
                          capture_output=True, check=False)
    assert done.returncode == 0, f"autograde {student} failed:\n{done.stdout}{done.stderr}"
    return done.stdout + done.stderr


def cell(notebook, grade_id):
    return next(c for c in notebook.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def test_untouched_locked_cells_raise_no_warning_and_edited_ones_are_reported(tmp_path):
    course = copy_course(tmp_path / "course")
    submitted = course / "submitted"
    for student in list(submitted.iterdir()):
        if student.name != "correct":
            subprocess.run(["rm", "-r", str(student)], check=True)
    (submitted / "correct" / "application").rename(tmp_path / "unused")
    tampered = submitted / "tampered" / ASSIGNMENT
    tampered.parent.mkdir()
    subprocess.run(["cp", "-r", str(submitted / "correct" / ASSIGNMENT), str(tampered)],
                   check=True)
    path = next(tampered.glob("*.ipynb"))
    nb = nbformat.read(path, as_version=4)
    cell(nb, TAMPERED).source = "pass  # the student emptied this test"
    nbformat.write(nb, path)
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep
               + os.environ["PATH"])
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT,
                    "--force"],
                   cwd=course, env=env, check=True, capture_output=True)

    quiet = autograde(course, "correct")
    noise = [line for line in quiet.splitlines() if "has changed" in line]
    assert not noise, f"expected no change warnings for the correct example, got {noise}"

    loud = autograde(course, "tampered")
    reported = [line for line in loud.splitlines() if "has changed" in line]
    assert len(reported) == 1 and TAMPERED in reported[0] and "checksum" in reported[0], (
        f"expected one checksum warning naming {TAMPERED}, got {reported}")
    graded = nbformat.read(next((course / "autograded" / "tampered" / ASSIGNMENT)
                                .glob("*.ipynb")), as_version=4)
    source = nbformat.read(REPO.source_notebook(ASSIGNMENT), as_version=4)
    assert cell(graded, TAMPERED).source == cell(source, TAMPERED).source, (
        "the edited test cell was not restored to the instructor's version")
