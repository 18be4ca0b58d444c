"""The grading job keeps grades safe: sanitized submissions, backups, idempotent runs, resume."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

from conftest import copy_course

from dnncourse.course import Course
from dnncourse.job import runner
from dnncourse.job.gradebook import RECORD
from dnncourse.job.submissions import missing_notebook, sanitize

REPO = Course()  # this repository's course

NOTEBOOK = REPO.notebook(REPO.release, "step_by_step").name


def _step_by_step_only(course, students):
    """Keep only the Step by Step submissions of `students` in a scratch course."""
    for folder in list((course / "submitted").iterdir()):
        if folder.name not in students:
            shutil.rmtree(folder)
        elif (folder / "application").exists():
            shutil.rmtree(folder / "application")


def _gradebook_state(course):
    """Return {(student, grade cell): score} and the number of submissions in the gradebook."""
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(Course(course).gradebook_url) as gb:
        submissions = gb.assignment_submissions("step_by_step")
        for submission in submissions:
            for notebook in submission.notebooks:
                for cell in notebook.grades:
                    key = (submission.student.id, cell.name)
                    assert key not in scores, f"grade {key} recorded twice"
                    scores[key] = cell.score
        return scores, len(submissions)


def test_sanitize_sets_aside_everything_but_the_notebook_and_timestamp(course):
    folder = course / "submitted" / "correct" / "step_by_step"
    (folder / "numpy.py").write_text("raise ImportError('shadowed')\n", encoding="utf-8")
    (folder / "ipykernel_launcher.py").write_text("print('not the kernel')\n", encoding="utf-8")
    (folder / "extra").mkdir()
    (folder / "extra" / "notes.txt").write_text("x", encoding="utf-8")
    os.symlink(course / "source", folder / "source_link")
    moved = sanitize(course, "correct", "step_by_step")
    assert moved == ["extra/", "ipykernel_launcher.py", "numpy.py", "source_link (link)"], moved
    assert sorted(p.name for p in folder.iterdir()) == sorted([NOTEBOOK, "timestamp.txt"])
    aside = course / "set_aside" / "correct" / "step_by_step"
    assert (aside / "numpy.py").is_file() and (aside / "source_link").is_symlink()
    assert (course / "source" / "step_by_step").is_dir(), "the link's target must stay put"


def test_sanitize_sets_aside_a_notebook_that_is_a_link(course):
    folder = course / "submitted" / "correct" / "step_by_step"
    (folder / NOTEBOOK).unlink()
    os.symlink(REPO.notebook(course / "source", "step_by_step"), folder / NOTEBOOK)
    assert sanitize(course, "correct", "step_by_step") == [f"{NOTEBOOK} (link)"]
    assert not (folder / NOTEBOOK).exists()
    assert missing_notebook(course, "correct", "step_by_step").startswith(
        f"the submission has no {NOTEBOOK}")


def test_sanitize_sets_aside_a_submission_folder_that_is_a_link(course):
    target = course / "submitted" / "correct" / "step_by_step"
    os.symlink(target, course / "submitted" / "linked")
    os.makedirs(course / "submitted" / "other")
    os.symlink(course / "source" / "step_by_step", course / "submitted" / "other" / "step_by_step")
    assert sanitize(course, "linked", "step_by_step") == ["linked (link)"]
    assert sanitize(course, "other", "step_by_step") == ["step_by_step (link)"]
    assert not (course / "submitted" / "linked").exists()
    assert (course / "set_aside" / "other" / "step_by_step").is_symlink()
    assert target.is_dir() and (course / "source" / "step_by_step").is_dir()


def _recorded(course):
    """{(student, assignment)} of the record of what is graded, read with plain sqlite3."""
    database = course / "gradebook.db"
    if not database.exists():
        return set()
    with sqlite3.connect(database, timeout=60) as connection:
        try:
            rows = connection.execute(f"SELECT student, assignment FROM {RECORD.name}").fetchall()
        except sqlite3.OperationalError:  # the job has not made the table yet
            return set()
    return set(rows)


def test_an_interrupted_run_resumes_and_runs_are_idempotent_and_backed_up(tmp_path):
    course = copy_course(tmp_path / "course")
    students = ("correct", "raises", "typical_mistakes", "untouched")
    _step_by_step_only(course, set(students))

    # Interrupt a first run (one worker) once it has recorded its first graded submission.
    job = subprocess.Popen(
        [sys.executable, "-m", "dnncourse.grade", "--course-dir", str(course), "--jobs", "1"],
        cwd=course, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while not _recorded(course):
        assert job.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, "no submission was recorded as graded"
        time.sleep(0.2)
    os.killpg(job.pid, signal.SIGKILL)
    job.wait(timeout=60)
    before = _recorded(course)
    assert len(before) < len(students), f"the run finished before the kill: {before}"

    lines = []
    resumed = {r.student: r for r in runner.run(course, jobs=2, out=lines.append)}
    skipped = {(s, "step_by_step") for s, r in resumed.items() if r.skipped}
    assert skipped == before, (
        f"expected exactly the submissions recorded before the interruption {sorted(before)} "
        f"skipped, got {sorted(skipped)}")
    for student, result in resumed.items():
        assert not result.error, f"{student}: {result.error}"
    scores, count = _gradebook_state(course)
    assert count == 4, f"expected 4 submissions in the gradebook, got {count}"
    totals = {s: sum(v for (who, _), v in scores.items() if who == s) for s in students}
    assert totals == {"correct": 100, "raises": 95, "typical_mistakes": 71, "untouched": 0}, totals
    assert any("backed up the gradebook" in line for line in lines), lines

    again = runner.run(course, jobs=2, out=lambda line: None)
    assert all(r.skipped for r in again), "a second complete run must not grade anything again"
    assert _gradebook_state(course) == (scores, 4), "a second complete run changed the gradebook"
    backups = sorted((course / "backups").glob("gradebook-*.db"))
    assert len(backups) == 2, f"expected a backup before each of the last two runs, got {backups}"


def test_a_changed_submission_or_grader_is_graded_again(tmp_path):
    course = copy_course(tmp_path / "course")
    _step_by_step_only(course, {"correct", "untouched"})
    first = {r.student: r for r in runner.run(course, jobs=2, out=lambda line: None)}
    assert not any(r.skipped or r.error for r in first.values()), first
    # untouched now submits the correct answers; the grader of every student changes
    shutil.copy(course / "submitted" / "correct" / "step_by_step" / NOTEBOOK,
                course / "submitted" / "untouched" / "step_by_step" / NOTEBOOK)
    second = {r.student: r for r in runner.run(course, jobs=2, out=lambda line: None)}
    assert second["correct"].skipped and not second["untouched"].skipped, second
    assert sum(second["untouched"].points.values()) == 100, second["untouched"].points
    with open(course / "catalogue" / "step_by_step" / "__init__.py", "a",
              encoding="utf-8") as handle:
        handle.write("\n# a changed grader\n")
    third = runner.run(course, jobs=2, out=lambda line: None)
    assert not any(r.skipped for r in third), "a new grader version must grade everyone again"
    assert {r.student: sum(r.points.values()) for r in third} == \
        {"correct": 100, "untouched": 100}
