"""The grading job's options and verdicts: --student and --assignment, the exit status and
the reasons, students who did not submit, late penalties, and the data check that stops an
assignment; the submission time limit."""

import csv
import re
import shutil
import threading
import time
from datetime import datetime

import pytest
from conftest import copy_course

from dnncourse.course import Course
from dnncourse.job import runner
from dnncourse.job.deadline import Deadline
from dnncourse.job.nbgrader_steps import Steps
from dnncourse.job.submissions import Selection

NOTEBOOK = Course().release_notebook("step_by_step").name
DUE = "2026-11-20 12:00:00 UTC"  # the examples' timestamp.txt says 17:00 the same day


@pytest.fixture(scope="module")
def selected(tmp_path_factory):
    """One run on a selection: `correct` (5 hours late; the course's LatePenalty, set to 100 %
    per started day, gives it 0), `broken` (an unreadable notebook) and `jdoe` (in the
    gradebook, no submission)."""
    from nbgrader.api import Gradebook

    course = copy_course(tmp_path_factory.mktemp("options") / "course")
    broken = course / "submitted" / "broken" / "step_by_step"
    broken.mkdir(parents=True)
    (broken / NOTEBOOK).write_text('{"cells": [', encoding="utf-8")
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write('\nc.LatePenalty.percent_per_day = 100.0\n')
    Steps(course)  # puts `alembic`, which nbgrader runs for a new gradebook, on PATH
    with Gradebook(Course(course).gradebook_url, "deep-nn") as gb:
        gb.update_or_create_student("jdoe", first_name="Jane", last_name="Doe")
        gb.update_or_create_assignment("step_by_step", duedate=DUE)
    lines = []
    status = runner.main(["--course-dir", str(course), "--student", "correct,broken",
                          "--student", "jdoe", "--assignment", "step_by_step"],
                         out=lines.append)
    return course, status, "\n".join(lines)


def _grades_csv(course):
    with open(course / "reports" / "grades.csv", encoding="utf-8") as handle:
        return {(r["student_id"], r["assignment"]): r for r in csv.DictReader(handle)}


def test_only_the_selected_submissions_are_graded(selected):
    course, _, printed = selected
    graded = sorted(p.parent.name for p in (course / "autograded").glob("*/step_by_step"))
    assert graded == ["correct"], f"expected only correct's Step by Step graded, got {graded}"
    assert not (course / "autograded" / "correct" / "application").exists()
    assert "typical_mistakes" not in printed and "application" not in printed, printed


def test_exit_status_is_1_and_every_reason_is_listed(selected):
    course, status, printed = selected
    assert status == 1, f"expected exit status 1 with an ungradable submission, got {status}"
    summary = printed[printed.index("could not be graded:\n"):]
    assert "step_by_step/broken: the notebook file is not valid JSON" in summary, printed
    row = _grades_csv(course)[("broken", "step_by_step")]
    assert row["score"] == "" and row["status"].startswith("could not be graded: "), row


def test_students_who_did_not_submit_are_listed(selected):
    course, _, printed = selected
    rows = [line.split() for line in printed.splitlines() if line.startswith("jdoe ")]
    assert ["jdoe", "not", "submitted"] in rows, printed
    assert "not submitted (step_by_step): jdoe" in printed, printed
    assert _grades_csv(course)[("jdoe", "step_by_step")]["status"] == "not submitted"


def test_late_work_gets_the_configured_penalty_everywhere(selected):
    course, _, printed = selected
    row = _grades_csv(course)[("correct", "step_by_step")]
    assert (float(row["raw_score"]), float(row["late_submission_penalty"]),
            float(row["score"])) == (100, 100, 0), row
    line = next(x for x in printed.splitlines() if x.startswith("correct "))
    assert "0/100  late by 5.0 h, penalty 100" in line, line
    html = next((course / "feedback" / "correct" / "step_by_step").glob("*.html"))
    page = html.read_text(encoding="utf-8")
    assert re.search(r"Late submission penalty</td><td class=\"score\">-100\.0<", page), (
        "expected the feedback's summary to show the penalty of 100 points")


def test_a_missing_or_malformed_data_file_stops_its_assignment(tmp_path, capsys):
    course = copy_course(tmp_path / "course")
    for student in list((course / "submitted").iterdir()):
        shutil.rmtree(student / "step_by_step", ignore_errors=True)
    (course / "data" / "train_catvnoncat.h5").unlink()
    status = runner.main(["--course-dir", str(course)])
    printed = capsys.readouterr().out
    assert status == 1, f"expected exit status 1, got {status}"
    expected = ("grading of application stopped: the data file data/train_catvnoncat.h5 is "
                "missing (expected datasets: train_set_x (N, 64, 64, 3) uint8")
    assert expected in printed, printed
    assert "100/100" not in printed and not list((course / "autograded").glob("*/application"))
    (course / "data" / "train_catvnoncat.h5").write_bytes(b"not an HDF5 file")
    assert runner.main(["--course-dir", str(course)]) == 1
    printed = capsys.readouterr().out
    assert "the data file data/train_catvnoncat.h5 is malformed" in printed, printed
    assert "not a readable HDF5 file" in printed, printed


def test_an_unknown_assignment_is_refused_with_the_known_ones(tmp_path):
    course = copy_course(tmp_path / "course", items=("nbgrader_config.py", "catalogue",
                                                     "source"))
    with pytest.raises(SystemExit) as stopped:
        runner.run(course, assignments=["step_by_stpe"], out=lambda line: None)
    assert "no assignment 'step_by_stpe'" in str(stopped.value), stopped.value
    assert "step_by_step, application" in str(stopped.value), stopped.value


def test_options_are_repeatable_and_comma_separated():
    assert Selection.parse(["a,b", " c ", "a"]) == ("a", "b", "c")
    assert Selection.parse(None) == ()


def test_the_deadline_stops_a_thread_that_swallows_the_first_stop():
    class Stop(Exception):
        pass

    seen = {}

    def busy():
        start = time.monotonic()
        try:
            with Deadline(0.5, Stop) as deadline:
                try:
                    while True:
                        time.sleep(0.01)
                except Stop:
                    seen["swallowed"] = True
                while True:
                    time.sleep(0.01)
        except Stop:
            seen["stopped"] = time.monotonic() - start
        seen["passed"] = deadline.passed
        time.sleep(1)  # a stop pending after the block would be raised here
        seen["after"] = datetime.now()

    thread = threading.Thread(target=busy)
    thread.start()
    thread.join(60)
    assert seen.get("swallowed") and "stopped" in seen and seen["passed"], seen
    assert "after" in seen, f"a stop reached the code after the block: {seen}"
