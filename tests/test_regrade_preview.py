"""Re-grade with a preview: after a deliberate test change in a scratch course, --preview
lists exactly the submissions and functions that change, with old and new points and
messages, and changes nothing; --apply refuses a stale preview and otherwise writes exactly
what was previewed, keeping a manual score and listing its conflict."""

import csv
import json

import nbformat
import pytest
from conftest import copy_course

from dnncourse.course import Course
from dnncourse.job import regrade, runner
from dnncourse.job.gradebook import Book
from dnncourse.job.nbgrader_steps import Steps

ASSIGNMENT = "step_by_step"
STUDENTS = ("correct", "typical_mistakes", "untouched")
NOTEBOOK = Course().source_notebook(ASSIGNMENT).stem
MANUAL = {("typical_mistakes", "test_compute_cost_hidden"): 3.0,  # its auto score will change
          ("correct", "test_linear_forward_visible"): 1.0}  # its auto score stays
# The deliberate change, part 1: the catalogue's compute_cost check is loosened to ask only
# for a number, so the typical mistake's wrong cost (a sign error) passes both cells.
LOOSER_COST = '''

import dataclasses as _dataclasses


def _cost_is_a_number(name, got, expected, AL, Y):
    public.check_scalar(name, "cost", got, None)


FUNCTIONS = tuple(_dataclasses.replace(f, check=_cost_is_a_number)
                  if f.name == "compute_cost" else f for f in FUNCTIONS)
'''
# Part 2: L_model_forward's points move from the hidden to the visible cell (9 + 6 becomes
# 7 + 8): the typical mistake passes only the visible one and gains 2; `correct` passes both
# and keeps its 15; `untouched` keeps 0.
MOVED_POINTS = {"test_L_model_forward_visible": (6, 8), "test_L_model_forward_hidden": (9, 7)}
# Who changes, and how: {(student, function): (old points, new points)}.
EXPECTED = {("typical_mistakes", "compute_cost"): (0 + 3, 4 + 3),  # manual 3 on the hidden
            ("typical_mistakes", "L_model_forward"): (6, 8)}


def _grade(course, *options):
    """The job's main command on the three students; (exit status, printed lines)."""
    lines = []
    status = runner.main(["--course-dir", str(course), "--student", ",".join(STUDENTS),
                          "--assignment", ASSIGNMENT, "--jobs", "2", *options],
                         out=lines.append)
    return status, lines


def _snapshot(course):
    """{path: bytes} of the gradebook and everything under autograded/, feedback/, reports/."""
    found = {"gradebook.db": (course / "gradebook.db").read_bytes()}
    for name in ("autograded", "feedback", "reports"):
        for path in sorted((course / name).rglob("*")):
            if path.is_file():
                found[str(path.relative_to(course))] = path.read_bytes()
    return found


def _cells(course):
    """{(student, cell): (score, auto score, manual score)} of the course's gradebook."""
    with Book(Steps(course)) as book:
        found = regrade.scores(book.gb, Course(course), [(s, ASSIGNMENT) for s in STUDENTS])
    return {(student, name): (c.points, c.auto, c.manual)
            for (student, _), cells in found.items() for name, c in cells.items()}


def _move_points(course):
    path = Course(course).source_notebook(ASSIGNMENT)
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in MOVED_POINTS:
            old, new = MOVED_POINTS[grade_id]
            assert cell.metadata.nbgrader.points == old, (grade_id, cell.metadata.nbgrader)
            cell.metadata.nbgrader.points = new
            cell.source = cell.source.replace(f"({old} points)", f"({new} points)")
    nbformat.write(notebook, path)


def _function_points(cells):
    points = {}
    for (student, name), (score, _, _) in cells.items():
        key = (student, name.removeprefix("test_").removesuffix("_visible")
               .removesuffix("_hidden"))
        points[key] = points.get(key, 0) + score
    return points


@pytest.fixture(scope="module")
def regraded(tmp_path_factory):
    """Grade once, give two manual scores, change the tests, then: --preview; --apply after
    a further change (stale); the further change undone; --apply."""
    from nbgrader.api import Gradebook

    course = copy_course(tmp_path_factory.mktemp("regrade") / "course")
    first, _ = _grade(course)
    with Gradebook(Course(course).gradebook_url, "deep-nn") as gb:
        for (student, cell), score in MANUAL.items():
            grade = gb.find_grade(cell, NOTEBOOK, ASSIGNMENT, student)
            grade.manual_score = score
        gb.db.commit()
    graded = _cells(course)
    hidden = course / "catalogue" / ASSIGNMENT / "hidden.py"
    hidden.write_text(hidden.read_text(encoding="utf-8") + LOOSER_COST, encoding="utf-8")
    _move_points(course)
    before = _snapshot(course)
    status, printed = _grade(course, "--preview")
    after_preview = _snapshot(course)
    changed = hidden.read_text(encoding="utf-8")
    hidden.write_text(changed + "\n# a further change after the preview\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stale:
        _grade(course, "--apply")
    after_stale = _snapshot(course)
    hidden.write_text(changed, encoding="utf-8")
    applied, applied_lines = _grade(course, "--apply")
    return {"course": course, "first": first, "graded": graded, "before": before,
            "status": status, "printed": printed, "after_preview": after_preview,
            "stale": str(stale.value.code), "after_stale": after_stale, "applied": applied,
            "applied_lines": applied_lines, "regraded": _cells(course)}


def _preview_rows(course):
    latest = json.loads((course / "regrade" / regrade.LATEST).read_text(encoding="utf-8"))
    with open(course / "regrade" / latest["folder"] / "preview.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_preview_lists_exactly_the_changed_functions(regraded):
    course, printed = regraded["course"], "\n".join(regraded["printed"])
    assert regraded["first"] == 0 and regraded["status"] == 0, printed
    rows = _preview_rows(course)
    changed = {(r["student"], r["function"]): (float(r["function_old"]),
                                                float(r["function_new"]))
               for r in rows if not r["conflict"]}
    assert changed == EXPECTED, f"expected exactly {EXPECTED}, got {changed}\n{printed}"
    old = _function_points(regraded["graded"])
    for (student, function), (before, after) in EXPECTED.items():
        assert old[(student, function)] == before, (student, function, old)
        assert f"{ASSIGNMENT}/{student} {function}: {before:g} -> {after:g}" in printed, printed
    assert "3 submissions graded again; 1 would change points" in printed, printed


def test_the_preview_says_why_with_old_and_new_messages(regraded):
    rows = {(r["student"], r["cell"]): r for r in _preview_rows(regraded["course"])
            if not r["conflict"]}
    visible = rows[("typical_mistakes", "test_compute_cost_visible")]
    assert (visible["cell_old"], visible["cell_new"]) == ("0", "4"), visible
    assert "compute_cost" in visible["old_message"] and visible["new_message"], visible
    assert visible["old_message"] != visible["new_message"], visible
    moved = rows[("typical_mistakes", "test_L_model_forward_visible")]
    assert (moved["cell_old"], moved["cell_new"], moved["cell_old_max"],
            moved["cell_new_max"]) == ("6", "8", "6", "8"), moved
    assert moved["old_message"] == moved["new_message"] != "", moved
    printed = "\n".join(regraded["printed"])
    assert f"was: {visible['old_message'][:80]}" in printed, printed
    assert f"now: {visible['new_message'][:80]}" in printed, printed


def test_the_manual_score_conflict_is_listed(regraded):
    conflicts = [r for r in _preview_rows(regraded["course"]) if r["conflict"]]
    assert [(r["student"], r["cell"], r["manual_score"]) for r in conflicts] == [
        ("typical_mistakes", "test_compute_cost_hidden", "3")], conflicts
    printed = "\n".join(regraded["printed"])
    assert ("typical_mistakes test_compute_cost_hidden: manual 3 stays; auto score 0 -> 6"
            in printed), printed


def test_the_preview_and_a_stale_apply_change_nothing(regraded):
    before = regraded["before"]
    for moment in ("after_preview", "after_stale"):
        after = regraded[moment]
        differing = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
        assert not differing, f"{moment}: expected no change, these changed: {differing}"


def test_a_stale_preview_is_refused_saying_why(regraded):
    stale = regraded["stale"]
    assert "is stale, refusing to apply it" in stale, stale
    assert f"the grader of {ASSIGNMENT} changed" in stale, stale


def test_apply_writes_exactly_the_preview_and_keeps_manual_scores(regraded):
    assert regraded["applied"] == 0, "\n".join(regraded["applied_lines"])
    old, new = _function_points(regraded["graded"]), _function_points(regraded["regraded"])
    moved = {key: (old[key], new[key]) for key in old if old[key] != new[key]}
    assert moved == EXPECTED, f"expected {EXPECTED} after --apply, got {moved}"
    for (student, cell), score in MANUAL.items():
        assert regraded["regraded"][(student, cell)][2] == score, (student, cell)
    assert regraded["regraded"][("typical_mistakes", "test_compute_cost_hidden")][1] == 6
    course = regraded["course"]
    said = regrade.messages(Course(course).autograded_folder("typical_mistakes", ASSIGNMENT))
    rows = {(r["student"], r["cell"]): r for r in _preview_rows(course) if not r["conflict"]}
    assert said["test_compute_cost_visible"] == \
        rows[("typical_mistakes", "test_compute_cost_visible")]["new_message"]
    assert (course / "reports" / "regrade_applied.csv").is_file()
