"""The main grading job on the example submissions, with real nbgrader, kernels and gradebook."""

import csv
import shutil
import tempfile
import time

import psutil
import pytest

from dnncourse.authoring import examples
from dnncourse.job import reports, runner


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Run the whole grading job once on a scratch copy of the course."""
    from conftest import copy_course

    course = copy_course(tmp_path_factory.mktemp("graded") / "course")
    lines = []
    results = runner.run(course, jobs=2, out=lines.append)
    return course, {(r.student, r.assignment): r for r in results}, "\n".join(lines)


@pytest.mark.parametrize("example", examples.EXAMPLES,
                         ids=lambda e: f"{e.assignment}-{e.student}")
def test_each_example_gets_its_expected_points_per_function(graded, example):
    course, results, _ = graded
    result = results[example.student, example.assignment]
    assert not result.error, f"{example.student} could not be graded: {result.error}"
    full = reports.graded_functions(course, example.assignment)
    expected = examples.expected_points(example, full)
    got = {name: result.points.get(name) for name in full}
    assert got == expected, (
        f"{example.student} ({example.description}): got {got}, expected {expected}"
    )


def test_batch_grades_every_submission_and_prints_the_table(graded):
    course, results, printed = graded
    assert sorted(results) == sorted((e.student, e.assignment) for e in examples.EXAMPLES)
    assert "correct" in printed and "100/100" in printed, printed
    assert "E10 = update_parameters (10 points)" in printed, printed
    assert "Points per student and graded function: application" in printed, printed
    for example in examples.EXAMPLES:
        assert (course / "autograded" / example.student / example.assignment).is_dir()
        feedback = course / "feedback" / example.student / example.assignment
        assert list(feedback.glob("*.html")), f"no feedback for {example.student}"


def test_grades_csv_and_points_by_function_agree(graded):
    course, results, _ = graded
    with open(course / "reports" / "grades.csv", encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    totals = {(row["student_id"], row["assignment"]): float(row["score"])
              for row in exported if row["status"] == "graded"}
    not_submitted = {(row["student_id"], row["assignment"]) for row in exported
                     if row["status"] == "not submitted"}
    # these two examples exist only for step_by_step
    expected = {("raises", "application"), ("loops_forever", "application")}
    assert not_submitted == expected, (
        f"expected 'not submitted' rows {expected}, got {not_submitted}")
    assert set(totals) == set(results), (
        f"expected graded rows for {sorted(results)}, got {sorted(totals)}")
    with open(course / "reports" / "points_by_function.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for key, result in results.items():
        by_function = sum(float(r["points"]) for r in rows
                          if (r["student"], r["assignment"]) == key)
        assert totals[key] == by_function == sum(result.points.values()), key


def test_feedback_names_the_function_that_lost_points(graded):
    course, _, _ = graded
    html = next((course / "feedback" / "typical_mistakes" / "step_by_step").glob("*.html"))
    text = html.read_text(encoding="utf-8")
    assert "linear_backward: dW has wrong values" in text
    assert "the 1/m factor is missing" in text
    assert "compute_cost: cost has a wrong value" in text
    assert "L_model_forward on the new-shape example" in text


def test_a_submission_that_cannot_be_read_is_reported_not_scored(course):
    broken = course / "submitted" / "broken" / "step_by_step"
    broken.mkdir(parents=True)
    name = next((course / "release" / "step_by_step").glob("*.ipynb")).name
    (broken / name).write_text('{"cells": [', encoding="utf-8")
    for other in list((course / "submitted").iterdir()):
        if other.name not in ("broken", "correct"):
            shutil.rmtree(other)
    shutil.rmtree(course / "submitted" / "correct" / "application")
    lines = []
    results = {r.student: r for r in runner.run(course, jobs=2, out=lines.append)}
    assert results["broken"].error, "an unreadable notebook must be reported"
    assert sum(results["correct"].points.values()) == 100, "the other student keeps full points"
    printed = "\n".join(lines)
    assert "broken" in printed and "could not be graded" in printed, printed


PLAIN = ("correct", "typical_mistakes", "untouched", "raises")


def _cell_scores(course, assignment, students):
    """{student: {grade cell: auto score}} from the course's gradebook."""
    from nbgrader.api import Gradebook

    from dnncourse.course import Course

    found = {}
    with Gradebook(Course(course).gradebook_url) as gradebook:
        for student in students:
            notebook = gradebook.find_submission(assignment, student).notebooks[0]
            found[student] = {g.name: g.auto_score for g in notebook.grades}
    return found


def test_plain_nbgrader_autograde_gives_the_jobs_scores_cell_by_cell(graded, tmp_path):
    """The trusted grader is a preprocessor of nbgrader's own autograde: run from the
    course root without the job, `nbgrader autograde --student X` scores every grade cell
    as the job does."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from conftest import copy_course

    from dnncourse import limits

    course, _, _ = graded
    plain = copy_course(tmp_path / "plain")
    env = dict(os.environ, **limits.blas_environment())
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    env.pop("DNNCOURSE_DB_URL", None)
    for command in (["generate_assignment", "step_by_step", "--force"],
                    *(["autograde", "step_by_step", "--student", s] for s in PLAIN)):
        done = subprocess.run([sys.executable, "-m", "nbgrader", *command], cwd=plain,
                              env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"nbgrader {' '.join(command)} failed:\n{done.stderr}"
    by_job = _cell_scores(course, "step_by_step", PLAIN)
    by_plain = _cell_scores(plain, "step_by_step", PLAIN)
    assert by_plain == by_job, f"plain nbgrader {by_plain}\nthe job {by_job}"
    assert sum(by_plain["correct"].values()) == 100
    assert sum(by_plain["untouched"].values()) == 0


# multiprocessing starts one resource tracker per process, on first use, for the process's
# whole life (Dask's nanny starts the workers through multiprocessing): not a leak of a run.
TRACKER = "multiprocessing.resource_tracker"


def _descendants():
    """{(pid, start time): command line} of the processes this test process started."""
    found = {}
    for process in psutil.Process().children(recursive=True):
        try:
            command = " ".join(process.cmdline())
            if TRACKER not in command:
                found[(process.pid, process.create_time())] = command[:160]
        except psutil.Error:  # ended while listed
            continue
    return found


def test_a_batch_leaves_no_file_in_the_temporary_directory_and_no_process(
        course, tmp_path, monkeypatch):
    """Everything the job, its Dask workers, kernels and grader children put in the
    temporary directory is gone after the run, and none of their processes is left."""
    private = tmp_path / "tmp"  # other tests write to the shared one meanwhile
    private.mkdir()
    monkeypatch.setenv("TMPDIR", str(private))  # the workers and their children
    monkeypatch.setattr(tempfile, "tempdir", str(private))  # this process
    for other in list((course / "submitted").iterdir()):
        if other.name not in ("correct", "untouched"):
            shutil.rmtree(other)
    for student in ("correct", "untouched"):
        shutil.rmtree(course / "submitted" / student / "application")
    before = _descendants()
    results = runner.run(course, jobs=2, out=lambda line: None)
    assert [r.error for r in results] == ["", ""], "expected both graded"
    deadline = time.monotonic() + 15  # the cluster's processes may take a moment to exit
    while (left := set(_descendants()) - set(before)) and time.monotonic() < deadline:
        time.sleep(0.2)
    now = _descendants()
    assert not left, "expected no process left, got: " + "; ".join(now[k] for k in left if k in now)
    leftover = sorted(str(p.relative_to(private)) for p in private.rglob("*"))
    assert leftover == [], f"expected an empty temporary directory after the run, got {leftover}"
