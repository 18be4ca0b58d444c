"""A class made from the catalogued mistakes, graded by the real job once per test session:
the example submissions, plus GENERATED Step by Step submissions each with one catalogued
mistake planted in the reference answers (PLANTED gives how many students make each), a
few of them late and one that cannot be read. test_class_report.py and test_browser.py
read the class report it writes."""

import json
import os
import subprocess
import sys

from conftest import copy_course, run_once

from dnncourse.authoring import examples
from dnncourse.course import Course, read_notebook
from dnncourse.grader.mistakes import answers, edited, load
from dnncourse.job import runner

ASSIGNMENT = "step_by_step"
DUE = "2026-11-20 17:00:00 UTC"
ON_TIME = "2026-11-19 12:00:00.000000 UTC"
LATE = "2026-11-21 09:30:00.000000 UTC"  # 16.5 hours late: one started day
LATE_STUDENTS = ("student05", "student17", "student29")
BROKEN = "student31"
# Mistakes planted, with the number of students who make each: one to three per mistake,
# spread over the ten functions (30 submissions in all).
PLANTED = (
    ("ip_no_scale", 1), ("ipd_wrong_seed", 2), ("ipd_loop_stops_early", 3),
    ("lf_no_bias", 1), ("lf_elementwise", 2), ("laf_swapped_activation", 3),
    ("lmf_relu_output", 1), ("lmf_uses_X", 2), ("cc_no_mean", 3),
    ("cc_not_squeezed", 1), ("lb_no_mean", 2), ("lb_no_keepdims", 3),
    ("lab_swapped_backward", 1), ("lmb_dAL_sign", 2), ("up_plus", 3),
)


def planted_notebook(course, mistake):
    """The release notebook answered with the reference answers, but for `mistake`
    planted in the answer of its function."""
    nb = read_notebook(course.release_notebook(ASSIGNMENT))
    reference = answers(course, ASSIGNMENT)
    target = f"solution_{mistake.function}"
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in reference:
            text = reference[grade_id]
            cell.source = edited(text, mistake) if grade_id == target else text
    return nb


def write_submission(course, student, nb, stamp):
    folder = course.submission(student, ASSIGNMENT)
    folder.mkdir(parents=True)
    name = course.release_notebook(ASSIGNMENT).name
    (folder / name).write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")
    (folder / "timestamp.txt").write_text(stamp + "\n", encoding="utf-8")


def example_mistakes(course):
    """{mistake key: [example students]} of the example submissions whose edits are
    exactly those of a catalogued mistake (the grader must name those too)."""
    by_edits = {(m.function, tuple(m.edits)): m.key for m in load(course, ASSIGNMENT)}
    found = {}
    for example in examples.EXAMPLES:
        if example.assignment != ASSIGNMENT:
            continue
        for function, edits in example.edits.items():
            key = by_edits.get((function, tuple(map(tuple, edits))))
            if key:
                found.setdefault(key, []).append(example.student)
    return found


def make(folder):
    """Build the class in `folder`/course, grade it with the job; return what to expect."""
    course = Course(copy_course(folder / "course"))
    mistakes = {m.key: m for m in load(course, ASSIGNMENT)}
    planted, number = {}, 0
    for key, count in PLANTED:
        for _ in range(count):
            number += 1
            student = f"student{number:02d}"
            stamp = LATE if student in LATE_STUDENTS else ON_TIME
            write_submission(course, student, planted_notebook(course, mistakes[key]), stamp)
            planted.setdefault(key, []).append(student)
    broken = course.submission(BROKEN, ASSIGNMENT)
    broken.mkdir(parents=True)
    (broken / course.release_notebook(ASSIGNMENT).name).write_text('{"cells": [',
                                                                   encoding="utf-8")
    (broken / "timestamp.txt").write_text(ON_TIME + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "nbgrader", "db", "assignment", "add", ASSIGNMENT,
                    f"--duedate={DUE}"], cwd=course.root, check=True, capture_output=True,
                   env=dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep
                            + os.environ.get("PATH", "")))
    lines = []
    runner.run(course.root, out=lines.append)
    return {"course": str(course.root), "planted": planted,
            "functions": {key: mistakes[key].function for key, _ in PLANTED},
            "examples": example_mistakes(course), "lines": lines}


def graded_class(tmp_path_factory):
    """The graded class, made once per session: (Course, what make returned)."""
    _, made = run_once(tmp_path_factory, "class_of_mistakes", make)
    return Course(made["course"]), made
