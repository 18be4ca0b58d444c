"""The release: what generate_assignment makes today, no solution left, every test failing."""

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import cell_text, hidden_lines, load_notebook, solution_lines, validate

from dnncourse.course import Course

REPO = Course()  # this repository's course

ASSIGNMENTS = pytest.mark.parametrize("assignment", REPO.assignment_ids)


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


@ASSIGNMENTS
def test_committed_release_is_what_generate_assignment_makes(course, assignment):
    committed = REPO.release / assignment
    fresh = course / "release" / assignment
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", assignment,
                    "--force"], cwd=course, env=env, check=True, capture_output=True)
    assert _files(fresh) == _files(committed), "release/ lists other files than a fresh release"
    for name in _files(committed):
        assert filecmp.cmp(fresh / name, committed / name, shallow=False), (
            f"release/{assignment}/{name} is stale: run `make release` and commit it"
        )


@ASSIGNMENTS
def test_release_contains_no_line_of_the_reference_solutions_or_hidden_cases(assignment):
    secrets = solution_lines(REPO, assignment) | {
        line for other in REPO.assignment_ids for line in hidden_lines(REPO, other)}
    assert len(solution_lines(REPO, assignment)) > 10
    release = REPO.release / assignment
    release_lines = {line.strip() for path in release.rglob("*") if path.is_file()
                     and path.suffix in (".py", ".ipynb")
                     for line in path.read_text(encoding="utf-8").splitlines()}
    release_lines |= {line.strip() for cell in load_notebook(REPO.release_notebook(
        assignment))["cells"] for line in cell_text(cell).splitlines()}
    leaked = sorted(secrets & release_lines)
    assert not leaked, f"the release shows reference or hidden-case lines: {leaked}"
    for path in release.rglob("*"):
        if path.suffix not in (".py", ".ipynb"):
            continue
        text = path.read_text(encoding="utf-8")
        markers = ["BEGIN SOLUTION", "HIDDEN TESTS", "NotImplementedError"]
        if path.suffix == ".ipynb":
            markers.append("dnncourse")  # no import of the course package in the notebook
        for marker in markers:
            assert marker not in text, f"{path.name} in the release contains {marker!r}"


def test_release_shows_placeholders_between_the_markers():
    release = REPO.notebook(REPO.release, "step_by_step")
    cells = {cell_text(c).splitlines()[0]: cell_text(c) for c in load_notebook(release)["cells"]
             if cell_text(c).startswith("# GRADED FUNCTION:")}
    backward = cells["# GRADED FUNCTION: linear_backward"]
    assert "    dW = None\n    db = None\n    dA_prev = None\n    ### END CODE HERE ###" in backward
    assert "assert dW.shape == W.shape" in backward, "the shape checks after the region stay"


@ASSIGNMENTS
def test_every_graded_test_fails_on_the_release(assignment):
    result = validate(REPO.notebook(REPO.release, assignment), invert=True)
    assert "passed" not in result, (
        "these tests pass on the unanswered release: "
        + "; ".join(cell["source"].splitlines()[0] for cell in result["passed"])
    )
    assert result == {}, result
