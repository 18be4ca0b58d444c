"""Bad, broken and hostile submissions lose points only where they break, with real nbgrader.

All cases of robustness_cases.py and the `correct` example are graded in one batch, two
at a time, as `make grade` does: a kernel that dies or ignores the time-limit interrupt,
sys.exit, tampered test cells, 100,000 printed lines, a 3 GB allocation, warnings on
stderr, and files that are no notebook. Each gradable case must get exactly its expected
points per function; each ungradable one must be reported with its reason, never as 0.
"""

import csv
import dataclasses
import json
import shutil

import pytest
from conftest import copy_course, run_once
from robustness_cases import CASES

from dnncourse.authoring import examples
from dnncourse.job import reports, runner
from dnncourse.job.results import Result

CORRECT = next(e for e in examples.EXAMPLES if e.student == "correct"
               and e.assignment == "step_by_step")
GRADABLE = [case for case in CASES if not case.ungradable]
UNGRADABLE = [case for case in CASES if case.ungradable]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade every case and the correct example in one batch on a scratch copy of the course.

    The batch runs once per session (conftest.run_once).
    """
    def make(shared):
        shutil.rmtree(shared / "course", ignore_errors=True)
        course = copy_course(shared / "course")
        shutil.rmtree(course / "submitted")
        examples.write(CORRECT, course / "submitted")
        for case in CASES:
            case.write(course / "submitted")
        lines = []
        results = runner.run(course, jobs=2, out=lines.append)
        return {"results": [dataclasses.asdict(r) for r in results], "printed": lines}

    shared, data = run_once(tmp_path_factory, "robustness", make)
    results = {r["student"]: Result(**r) for r in data["results"]}
    return shared / "course", results, "\n".join(data["printed"])


def _graded_notebook(course, student):
    folder = course / "autograded" / student / "step_by_step"
    return json.loads(next(folder.glob("*.ipynb")).read_text(encoding="utf-8"))


def _outputs_text(cell):
    texts = [o.get("evalue", "") + "".join(o.get("text", "")) for o in cell.get("outputs", [])]
    return "\n".join(texts)


def test_correct_gets_full_marks_in_the_same_batch(graded):
    _, results, _ = graded
    result = results["correct"]
    assert not result.error, f"correct could not be graded: {result.error}"
    total = sum(result.points.values())
    assert total == 100, f"correct: expected 100 points, got {total}: {result.points}"


@pytest.mark.parametrize("case", GRADABLE, ids=lambda c: c.student)
def test_case_loses_points_only_where_it_breaks(graded, case):
    course, results, _ = graded
    result = results[case.student]
    assert not result.error, (
        f"{case.student} ({case.description}) should be graded, but: {result.error}"
    )
    full = reports.graded_functions(course, "step_by_step")
    expected = {name: case.points.get(name, top) for name, top in full.items()}
    got = {name: result.points.get(name) for name in full}
    assert got == expected, (
        f"{case.student} ({case.description}): expected {expected}, got {got}"
    )
    extra = sorted(set(result.points) - set(full))
    assert not extra, f"{case.student}: grades for cells that are not tests: {extra}"


@pytest.mark.parametrize("case", [c for c in GRADABLE if c.shows], ids=lambda c: c.student)
def test_graded_notebook_shows_what_happened(graded, case):
    course, _, _ = graded
    text = "\n".join(_outputs_text(cell) for cell in _graded_notebook(course, case.student)
                     ["cells"])
    assert case.shows in text, (
        f"{case.student}: expected an output containing {case.shows!r} in the graded notebook"
    )


def test_no_test_cell_writes_to_stderr(graded):
    # nbgrader scores a test cell with stderr output as 0, whatever else it shows
    course, results, _ = graded
    found = []
    for student, result in results.items():
        if result.error:
            continue
        for cell in _graded_notebook(course, student)["cells"]:
            meta = cell["metadata"].get("nbgrader", {})
            if meta.get("grade") and any(o.get("name") == "stderr" for o in cell["outputs"]):
                found.append(f"{student}/{meta['grade_id']}")
    assert not found, f"expected no stderr output in test cells, found it in {found}"


@pytest.mark.parametrize("case", UNGRADABLE, ids=lambda c: c.student)
def test_ungradable_file_is_reported_with_its_reason_not_as_zero(graded, case):
    course, results, printed = graded
    result = results[case.student]
    assert case.ungradable in result.error, (
        f"{case.student} ({case.description}): expected a reason containing "
        f"{case.ungradable!r}, got {result.error!r}"
    )
    with open(course / "reports" / "points_by_function.csv", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["student"] == case.student]
    assert rows, f"{case.student}: no row in points_by_function.csv"
    for row in rows:
        assert row["points"] == "" and row["status"] == f"could not be graded: {result.error}", (
            f"{case.student}: expected no points and 'could not be graded: {result.error}',"
            f" got {row}"
        )
    with open(course / "reports" / "grades.csv", encoding="utf-8") as handle:
        exported = [r for r in csv.DictReader(handle)
                    if (r["student_id"], r["assignment"]) == (case.student, "step_by_step")]
    assert [(r["score"], r["status"]) for r in exported] == [
        ("", f"could not be graded: {result.error}")], (
        f"{case.student}: grades.csv should show no score and the reason, got {exported}")
    line = next((x for x in printed.splitlines() if x.startswith(case.student + " ")), "")
    assert f"could not be graded: {result.error}" in line, (
        f"{case.student}: the printed table should give the reason, got {line!r}"
    )
