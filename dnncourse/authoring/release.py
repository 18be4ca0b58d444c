"""`make release`: nbgrader's own pipeline, stopping at the first assignment that fails it.

For each assignment: (1) the points of the source notebook's grade cells add up to the
total its catalogue declares (TOTAL_POINTS in catalogue/<assignment>/__init__.py); (2) the
source validates (nbgrader's Validator: every test passes on the reference answers);
(3) `nbgrader generate_assignment --force` builds release/<assignment>/; (4) the release
validates inverted (every graded test fails on the placeholders). nbgrader's `validate`
command exits 0 even when tests fail, so the Validator runs through its Python API here
and its result decides. Exit status 1 with the problem named, 0 when all hold.

Usage: python -m dnncourse.authoring.release [ASSIGNMENT ...] [--course-dir DIR]
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

from dnncourse import limits
from dnncourse.course import parse_command_line, read_notebook


class ReleaseError(Exception):
    """One assignment failed a step of the pipeline; the message names what and why."""


def grade_cells(notebook_path):
    """Return [(grade_id, points)] of the grade cells of a notebook, in order."""
    cells = []
    for cell in read_notebook(notebook_path).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            cells.append((meta.get("grade_id"), float(meta.get("points", 0))))
    return cells


def points_problem(course, assignment_id):
    """Return why the source's points do not add up to the declared total, or None."""
    declared = getattr(course.catalogue(assignment_id), "TOTAL_POINTS", None)
    where = f"catalogue/{assignment_id}/__init__.py"
    if declared is None:
        return f"{assignment_id}: {where} declares no TOTAL_POINTS"
    cells = grade_cells(course.source_notebook(assignment_id))
    total = sum(points for _, points in cells)
    if total == declared:
        return None
    listing = ", ".join(f"{grade_id} {points:g}" for grade_id, points in cells)
    return (f"{assignment_id}: the grade cells' points add up to {total:g}, expected "
            f"{declared:g} (TOTAL_POINTS in {where}); the cells: {listing}")


def validate(notebook, invert=False):
    """nbgrader's Validator on `notebook` (run in its folder); return its result dict."""
    from nbgrader.validator import Validator
    from traitlets.config import Config

    config = Config()
    config.Validator.invert = invert
    config.Execute.timeout = limits.CELL_SECONDS
    return Validator(config=config).validate(str(notebook))


def first_lines(cells):
    """The first line of each cell's source (a test cell's docstring), joined."""
    return "; ".join(cell["source"].strip().splitlines()[0] for cell in cells)


def source_problem(course, assignment_id):
    """Return why the source does not validate (a test fails on the reference), or None."""
    result = validate(course.source_notebook(assignment_id))
    if not result:
        return None
    parts = []
    if result.get("failed"):
        parts.append(f"tests failing on the reference answers: {first_lines(result['failed'])}")
    for key in ("changed", "type_changed"):
        if result.get(key):
            parts.append(f"{key.replace('_', ' ')} cells: {first_lines(result[key])}")
    return f"{assignment_id}: the source does not validate: " + "; ".join(parts or [str(result)])


def release_problem(course, assignment_id):
    """Return why the release does not fail every graded test (validate --invert), or None."""
    result = validate(course.release_notebook(assignment_id), invert=True)
    if not result:
        return None
    if result.get("passed"):
        return (f"{assignment_id}: these tests pass on the unanswered release, so a blank "
                f"submission would earn their points: {first_lines(result['passed'])}")
    return f"{assignment_id}: the release does not validate inverted: {result}"


def generate(course, assignment_id):
    """Run `nbgrader generate_assignment --force` in the course root; raise on failure."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment",
                           assignment_id, "--force"], cwd=course.root, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        raise ReleaseError(f"{assignment_id}: nbgrader generate_assignment failed "
                           f"(exit status {done.returncode}):\n{done.stdout}")


def release(course, assignment_id, out=print):
    """Run the pipeline for one assignment; raise ReleaseError naming the failed step."""
    for step, check in (("points add up", points_problem),
                        ("every test passes on the source", source_problem)):
        problem = check(course, assignment_id)
        if problem:
            raise ReleaseError(problem)
        out(f"{assignment_id}: {step}")
    generate(course, assignment_id)
    out(f"{assignment_id}: generated release/{assignment_id}")
    problem = release_problem(course, assignment_id)
    if problem:
        raise ReleaseError(problem)
    out(f"{assignment_id}: every graded test fails on the release")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    args, course = parse_command_line(parser, argv)
    # nbgrader's validate shortens the application's two ungraded full-data runs itself
    # (it sets NBGRADER_EXECUTION, read by app_utils.full_run_iterations).
    os.environ.update(limits.blas_environment())
    for assignment_id in args.assignments or course.assignment_ids:
        try:
            release(course, assignment_id)
        except ReleaseError as exc:
            print(f"make release stopped: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
