"""LMS in and out through nbgrader's plugins: zip_collect reads Canvas's and Moodle's
archives (dnncourse/lms/collect.py), the Canvas export writes what Canvas's gradebook import
reads (dnncourse/lms/export.py), the late-penalty policy (dnncourse/lateness.py), extensions
(dnncourse/extension.py) and the feedback bundles (dnncourse/lms/bundles.py)."""

import csv
import os
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from conftest import REPO, copy_course
from nbgrader.api import Gradebook
from nbgrader.utils import parse_utc

from dnncourse import extension, lateness
from dnncourse.course import Course
from dnncourse.lms import bundles, names

ASSIGNMENT = "step_by_step"
NOTEBOOK = REPO.release_notebook(ASSIGNMENT).name


def nbgrader(course, *args):
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep
               + os.environ["PATH"])
    env.pop("DNNCOURSE_DB_URL", None)
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          text=True, capture_output=True, check=False)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stderr}"
    return done.stdout + done.stderr


def scratch(tmp_path):
    return copy_course(tmp_path / "course", examples=False)


def notebook_bytes(student):
    """A distinct submitted notebook per student, so that each file can be traced."""
    text = REPO.release_notebook(ASSIGNMENT).read_text(encoding="utf-8")
    return text.replace('"cells": [', f'"cells": [{{"cell_type": "markdown", "id": '
                        f'"{student}", "metadata": {{}}, "source": "by {student}"}},', 1).encode()


def put_archive(course, entries, times=None):
    """Write `entries` ({name in the zip: bytes}) as an LMS archive of the assignment."""
    folder = course / "downloaded" / ASSIGNMENT / "archive"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(folder / "submissions.zip", "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    if times is not None:
        (folder / "submission_times.csv").write_text(times, encoding="utf-8")


def submitted(course, student):
    return course / "submitted" / student / ASSIGNMENT


def test_canvas_archive_lands_in_submitted_with_the_times_given(tmp_path):
    course = scratch(tmp_path)
    put_archive(course, {
        f"doejane_4242_98765_{NOTEBOOK}": notebook_bytes("4242"),
        # submitted late and twice: Canvas adds _LATE and the -1 suffix
        f"smithjohn_LATE_4343_98770_{NOTEBOOK.replace('.ipynb', '-1.ipynb')}":
            notebook_bytes("4343"),
        f"leeann_4444_98771_{NOTEBOOK}": notebook_bytes("4444"),
        "doejane_4242_98766_notes.txt": b"not a notebook",
    }, times="student_id,timestamp\n4242,2026-11-20 16:59:00+00:00\n"
             "4343,2026-11-21T10:30:00+01:00\n")
    log = nbgrader(course, "zip_collect", ASSIGNMENT)
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["4242", "4343", "4444"]
    for student in ("4242", "4343", "4444"):
        files = sorted(p.name for p in submitted(course, student).iterdir())
        expected = [NOTEBOOK] + (["timestamp.txt"] if student != "4444" else [])
        assert files == sorted(expected), f"{student}: expected {expected}, got {files}"
        data = (submitted(course, student) / NOTEBOOK).read_bytes()
        assert data == notebook_bytes(student), f"{student} got another student's notebook"
    stamp = (submitted(course, "4242") / "timestamp.txt").read_text()
    assert parse_utc(stamp) == datetime(2026, 11, 20, 16, 59), stamp
    stamp = (submitted(course, "4343") / "timestamp.txt").read_text()
    assert parse_utc(stamp) == datetime(2026, 11, 21, 9, 30), stamp
    assert "no submission time for 4444" in log, log


def test_moodle_archive_in_folders_and_flat_with_the_grading_worksheet_times(tmp_path):
    course = scratch(tmp_path)
    put_archive(course, {
        f"Jane Doe_512301_assignsubmission_file_/{NOTEBOOK}": notebook_bytes("512301"),
        f"John Smith_512302_assignsubmission_file_{NOTEBOOK}": notebook_bytes("512302"),
    }, times=(
        "Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,"
        "Last modified (submission),Last modified (grade),Feedback comments\n"
        'Participant 512301,Jane Doe,jane@example.org,Submitted for grading,,100.00,Yes,'
        '"Friday, 20 November 2026, 4:59 PM",-,\n'
        'Participant 512302,John Smith,john@example.org,Submitted for grading,,100.00,Yes,'
        '"Monday, 23 November 2026, 9:15 AM",-,\n'
        "Participant 512303,Ann Lee,ann@example.org,No submission,,100.00,Yes,-,-,\n"))
    nbgrader(course, "zip_collect", ASSIGNMENT, "--LmsCollector.timezone=Europe/Berlin")
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["512301", "512302"]
    stamps = {s: parse_utc((submitted(course, s) / "timestamp.txt").read_text())
              for s in ("512301", "512302")}
    # Berlin is one hour ahead of UTC in November.
    assert stamps == {"512301": datetime(2026, 11, 20, 15, 59),
                      "512302": datetime(2026, 11, 23, 8, 15)}, stamps
    for student in stamps:
        data = (submitted(course, student) / NOTEBOOK).read_bytes()
        assert data == notebook_bytes(student), f"{student} got another student's notebook"


def test_file_names_of_both_lms_parse_as_the_lms_wrote_them():
    canvas = names.parse(f"x/doejane_LATE_4242_98765_{NOTEBOOK}")
    assert (canvas.lms, canvas.student_id, canvas.late, canvas.file) == (
        "canvas", "4242", True, NOTEBOOK)
    assert canvas.prefix == "doejane_LATE_4242_98765_"
    moodle = names.parse(f"x/Jane Doe_7_assignsubmission_file_/{NOTEBOOK}")
    assert (moodle.lms, moodle.student_id, moodle.name) == ("moodle", "7", "Jane Doe")
    assert names.parse("x/notes.ipynb") is None
    assert names.notebook_name("a-2.ipynb", {"a.ipynb"}) == "a.ipynb"
    assert names.notebook_name("b-2.ipynb", {"a.ipynb"}) == "b-2.ipynb"


@pytest.mark.parametrize(("seconds", "percent"), [
    (0, 0), (1, 10), (86400, 10), (86401, 20), (9 * 86400 + 5, 100), (30 * 86400, 100)])
def test_late_penalty_is_a_tenth_of_the_score_per_started_day(seconds, percent):
    penalty = lateness.LatePenalty().late_submission_penalty("s", 80.0, seconds)
    assert penalty == pytest.approx(0.8 * percent), (
        f"{seconds} s late: expected {percent} % of 80 points, got {penalty}")


def test_grace_minutes_count_as_on_time():
    plugin = lateness.LatePenalty(grace_minutes=10)
    assert plugin.late_submission_penalty("s", 50.0, 599) == 0
    assert plugin.late_submission_penalty("s", 50.0, 601) == 5


def small_gradebook(course):
    """A gradebook of one assignment (one 100-point cell, due 20 November 2026 17:00 UTC)
    and its submissions, made through nbgrader's API as generate_assignment and autograde
    would."""
    gradebook = Gradebook(Course(course).gradebook_url)
    gradebook.add_assignment(ASSIGNMENT, duedate="2026-11-20 17:00:00 UTC")
    notebook = Path(NOTEBOOK).stem
    gradebook.add_notebook(notebook, ASSIGNMENT)
    gradebook.add_grade_cell("test_all", notebook, ASSIGNMENT, max_score=100,
                             cell_type="code")
    gradebook.add_solution_cell("solution_all", notebook, ASSIGNMENT)
    for student, first, last in (("4242", "Jane", "Doe"), ("4343", "John", "Smith"),
                                 ("4444", "Ann", "Lee"), ("4545", "", "")):
        gradebook.add_student(student, first_name=first or None, last_name=last or None)
    for student, stamp, points in (("4242", "2026-11-20 16:00:00 UTC", 80),
                                   ("4343", "2026-11-21 18:00:00 UTC", 90)):
        gradebook.add_submission(ASSIGNMENT, student, timestamp=stamp)
        grade = gradebook.find_grade("test_all", notebook, ASSIGNMENT, student)
        grade.auto_score = points
        grade.needs_manual_grade = False  # as nbgrader's SaveAutoGrades leaves it
    gradebook.db.commit()
    return gradebook


def read_canvas_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def canvas_accepts_header(row):
    """Canvas's GradebookImporter header check: Student and ID first, then SIS User ID and
    SIS Login ID, and Section as the last student column."""
    return (len(row) > 3 and "Student" in row[0] and "ID" in row[1]
            and "SIS User ID" in row[2] and "SIS Login ID" in row[3] and "Section" in row[4])


def test_canvas_export_holds_scores_after_penalty_and_leaves_missing_ones_empty(tmp_path):
    course = scratch(tmp_path)
    with small_gradebook(course) as gradebook:
        late = lateness.apply(gradebook, ASSIGNMENT, "4343", lateness.LatePenalty())
        on_time = lateness.apply(gradebook, ASSIGNMENT, "4242", lateness.LatePenalty())
    assert (on_time.seconds_late, on_time.penalty) == (0, 0), on_time
    assert late.seconds_late == 25 * 3600 and late.penalty == 18, late  # 2 started days
    # An extension for 4444, who has not submitted: no score appears for them.
    extension.grant(Course(course), ASSIGNMENT, "4444", days=2)
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + "\nc.CanvasExport.columns = "
                      "{'step_by_step': 'Step by Step (12345)'}\n")
    out = course / "reports" / "canvas.csv"
    out.parent.mkdir()
    nbgrader(course, "export", "--exporter=dnncourse.lms.export.CanvasExport", f"--to={out}")
    rows = read_canvas_csv(out)
    assert canvas_accepts_header(rows[0]), f"Canvas would reject the header {rows[0]}"
    assert rows[0][5:] == ["Step by Step (12345)"], rows[0]
    assert rows[1][0] == "Points Possible" and rows[1][5:] == ["100"], rows[1]
    scores = {row[1]: (row[0], row[5]) for row in rows[2:]}
    assert scores == {"4242": ("Doe, Jane", "80.00"), "4343": ("Smith, John", "72.00"),
                      "4444": ("Lee, Ann", ""), "4545": ("4545", "")}, scores
    plain = course / "grades.csv"
    nbgrader(course, "export", f"--to={plain}")
    with open(plain, newline="") as f:
        exported = {row["student_id"]: row for row in csv.DictReader(f)}
    assert float(exported["4343"]["late_submission_penalty"]) == 18, exported["4343"]
    assert float(exported["4343"]["score"]) == 72, exported["4343"]


def test_extension_moves_the_due_date_and_recomputes_the_penalty(tmp_path):
    course = scratch(tmp_path)
    with small_gradebook(course) as gradebook:
        lateness.apply(gradebook, ASSIGNMENT, "4343", lateness.LatePenalty())
    done = subprocess.run([sys.executable, "-m", "dnncourse.extension", ASSIGNMENT, "4343",
                           "--days", "2", "--course-dir", str(course)], text=True,
                          capture_output=True, check=True)
    assert "due 2026-11-22 17:00:00 UTC" in done.stdout, done.stdout
    with Gradebook(Course(course).gradebook_url) as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, "4343")
        assert submission.total_seconds_late == 0
        assert submission.late_submission_penalty == 0, "the penalty was not recomputed"


def test_feedback_bundles_per_student_and_for_the_lms_upload(tmp_path):
    course = Path(scratch(tmp_path))
    for student, lms_name in (("4242", f"doejane_4242_98765_{NOTEBOOK}"),
                              ("4343", f"smithjohn_LATE_4343_98770_{NOTEBOOK}"),
                              ("4444", None)):
        submitted(course, student).mkdir(parents=True)
        if student != "4444":
            feedback = course / "feedback" / student / ASSIGNMENT
            feedback.mkdir(parents=True)
            (feedback / NOTEBOOK.replace(".ipynb", ".html")).write_text(f"feedback {student}")
            extracted = course / "downloaded" / ASSIGNMENT / "extracted" / "submissions"
            extracted.mkdir(parents=True, exist_ok=True)
            (extracted / lms_name).write_bytes(b"{}")
    printed = []
    per_student, upload = bundles.write(Course(course), ASSIGNMENT, out=printed.append)
    assert [p.name for p in per_student] == ["4242.zip", "4343.zip"], per_student
    with zipfile.ZipFile(per_student[0]) as zf:
        html = NOTEBOOK.replace(".ipynb", ".html")
        assert zf.namelist() == [f"{ASSIGNMENT}/{html}"], zf.namelist()
        assert zf.read(f"{ASSIGNMENT}/{html}") == b"feedback 4242"
    with zipfile.ZipFile(upload) as zf:
        uploaded = sorted(zf.namelist())
    stem = NOTEBOOK.removesuffix(".ipynb")
    assert uploaded == [f"doejane_4242_98765_{stem}_feedback.html",
                        f"smithjohn_LATE_4343_98770_{stem}_feedback.html"], uploaded
    for name in uploaded:  # what Canvas reads back: the first two numbers
        numbers = [word for word in name.split("_") if word.isdigit()][:2]
        assert numbers in (["4242", "98765"], ["4343", "98770"]), name
    assert any("4444" in line for line in printed), printed
