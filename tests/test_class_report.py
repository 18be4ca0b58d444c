"""The class report (issue 15): counts, csv rows and a self-contained page from synthetic
autograded notebooks; then, on the example submissions plus a class generated from the
catalogued mistakes and graded by the real job, each planted mistake named with its exact
count."""

import base64
import csv
import json
import re

import pytest
from conftest import copy_course

from dnncourse.course import Course, read_notebook
from dnncourse.job import class_report
from dnncourse.job.results import Result

REPO = Course()  # this repository's course
ASSIGNMENT = "step_by_step"
DUE = "2026-11-20 17:00:00"


# ------------------------------------------------------------------ synthetic notebooks


def verdict(function, visible, passed, message="", mistake=None, pattern=None):
    return {"function": function, "passed": passed, "points": 0.0 if not passed else 5.0,
            "message": message or ("passed" if passed else f"{function}: wrong"),
            "failed_cases": [], "visible": visible, "mistake": mistake, "pattern": pattern}


def autograded(course, student, failures=(), old=False):
    """Write an autograded Step by Step notebook for `student` whose grade cells all pass
    but those of `failures`: {(function, visible): (mistake or None, pattern or None,
    message)}. `old` writes verdicts as graders before issue 15 did (no visible, mistake
    or pattern keys)."""
    failures = dict(failures)
    nb = read_notebook(REPO.release_notebook(ASSIGNMENT))
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("grade"):
            continue
        grade_id = meta["grade_id"]
        function = grade_id.removeprefix("test_").rsplit("_", 1)[0]
        visible = grade_id.endswith("_visible")
        failed = failures.get((function, visible))
        if failed is None:
            record = verdict(function, visible, True)
        else:
            mistake, pattern, message = failed
            record = verdict(function, visible, False, message, mistake, pattern)
        if old:
            record = {k: v for k, v in record.items()
                      if k not in ("visible", "mistake", "pattern")}
        cell.metadata["dnncourse"] = {"verdict": record}
    folder = Course(course).autograded_folder(student, ASSIGNMENT)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / REPO.release_notebook(ASSIGNMENT).name
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def grades_csv(course, rows):
    """reports/grades.csv as the job leaves it: nbgrader's columns and a status."""
    head = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
            "email", "raw_score", "late_submission_penalty", "score", "max_score", "status"]
    path = Course(course).reports / "grades.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=head)
        writer.writeheader()
        for student, score, status, stamp, penalty in rows:
            writer.writerow({"assignment": ASSIGNMENT, "duedate": DUE, "timestamp": stamp,
                             "student_id": student, "raw_score": score and score + penalty,
                             "late_submission_penalty": penalty, "score": score,
                             "max_score": 100.0, "status": status})


NO_MEAN = {"key": "lb_no_mean", "explains": "dW computed without the 1/m factor"}


@pytest.fixture
def synthetic(tmp_path):
    """A scratch course with six autograded students and their grades.csv."""
    course = copy_course(tmp_path / "course", items=("nbgrader_config.py", "catalogue",
                                                     "source"), examples=False)
    lb, cc = "linear_backward", "compute_cost"
    autograded(course, "ann")
    autograded(course, "bob", {(lb, True): (NO_MEAN, None, "dW is 4 times too large"),
                               (lb, False): (NO_MEAN, None, "dW too large (hidden)")})
    autograded(course, "cyd", {(lb, True): (NO_MEAN, None, "cyd's dW is too large"),
                               (lb, False): (None, "p-77aa", "dW wrong on new shapes")})
    autograded(course, "dan", {(cc, True): (None, "p-12ef", "cost has a wrong value"),
                               (cc, False): (None, "p-12ef", "cost wrong (hidden)")})
    autograded(course, "eve", {(cc, True): (None, "p-12ef", "eve: cost wrong")})
    # Autograded by an earlier run; its new submission cannot be graded: not counted.
    autograded(course, "fay", {(lb, True): (NO_MEAN, None, "fay's old dW")})
    autograded(course, "gus", {(cc, False): (None, None, "cost wrong")}, old=True)
    grades_csv(course, [
        ("ann", 100, "graded", "2026-11-20 16:00:00", 0),
        ("bob", 76.5, "graded", "2026-11-21 05:00:00", 8.5),  # 12 h late
        ("cyd", 85, "graded", "2026-11-20 12:00:00", 0),
        ("dan", 90, "graded", "2026-11-19 12:00:00", 0),
        ("eve", 95, "graded", "2026-11-19 12:00:00", 0),
        ("fay", "", "could not be graded: the notebook is not valid JSON",
         "2026-11-20 12:00:00", 0),
        ("gus", 95, "graded", "2026-11-20 12:00:00", 0),
        ("hal", 0, "not submitted", "", 0),
    ])
    return Course(course)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_functions_count_students_passing_each_cell(synthetic):
    report = class_report.build(synthetic, assignments=[ASSIGNMENT])
    rows = {r.function: r for r in report.functions}
    assert list(rows)[:2] == ["initialize_parameters", "initialize_parameters_deep"]
    lb, cc = rows["linear_backward"], rows["compute_cost"]
    # ann bob cyd dan eve gus: fay's autograded notebook is not her grade.
    assert (lb.students, lb.visible_passed, lb.hidden_passed) == (6, 4, 4), lb
    assert (cc.students, cc.visible_passed, cc.hidden_passed) == (6, 4, 4), cc
    assert rows["update_parameters"].visible_passed == 6


def test_mistakes_group_named_and_unnamed_with_each_student_once(synthetic):
    report = class_report.build(synthetic, assignments=[ASSIGNMENT])
    found = {(g.function, g.kind, g.key): g for g in report.groups}
    assert set(found) == {("linear_backward", "named", "lb_no_mean"),
                          ("linear_backward", "unnamed", "p-77aa"),
                          ("compute_cost", "unnamed", "p-12ef"),
                          ("compute_cost", "unnamed", class_report.UNRECORDED)}, set(found)
    named = found[("linear_backward", "named", "lb_no_mean")]
    assert named.students == {"bob", "cyd"} and named.count == 2
    assert named.explains == NO_MEAN["explains"]
    # The example is the first student's visible cell's message.
    assert named.example == "dW is 4 times too large"
    assert found[("compute_cost", "unnamed", "p-12ef")].students == {"dan", "eve"}
    assert found[("compute_cost", "unnamed", class_report.UNRECORDED)].students == {"gus"}
    # Per function, named groups come first, then the most shared.
    lb = [g.kind for g in report.groups if g.function == "linear_backward"]
    assert lb == ["named", "unnamed"]


def test_csv_files_hold_the_same_numbers(synthetic):
    page, mistakes, functions = class_report.write(synthetic, assignments=[ASSIGNMENT])
    assert page.name == "class_report.html" and page.exists()
    rows = read_csv(mistakes)
    named = [r for r in rows if r["kind"] == "named"]
    assert named == [{"assignment": ASSIGNMENT, "function": "linear_backward",
                      "kind": "named", "key_or_pattern": "lb_no_mean",
                      "explains": NO_MEAN["explains"], "count": "2", "students": "bob;cyd",
                      "example_message": "dW is 4 times too large"}], named
    assert {r["key_or_pattern"]: r["count"] for r in rows if r["kind"] == "unnamed"} == {
        "p-77aa": "1", "p-12ef": "2", class_report.UNRECORDED: "1"}
    by_function = {r["function"]: r for r in read_csv(functions)}
    assert len(by_function) == 10
    assert by_function["compute_cost"] == {
        "assignment": ASSIGNMENT, "function": "compute_cost", "students": "6",
        "visible_passed": "4", "hidden_passed": "4", "visible_share": "0.667",
        "hidden_share": "0.667"}


def test_the_page_is_self_contained_and_embeds_its_figures(synthetic):
    results = [Result("ann", ASSIGNMENT, seconds=3.2, worker="tcp://127.0.0.1:1",
                      timings={"autograde": 2.9, "feedback": 0.2, "write": 0.1}),
               Result("bob", ASSIGNMENT, seconds=4.5, worker="tcp://127.0.0.1:2"),
               Result("cyd", ASSIGNMENT, skipped=True)]
    page, _, _ = class_report.write(synthetic, results, assignments=[ASSIGNMENT])
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"https?://", html), re.search(r".{60}https?://.{60}", html)
    assert "<script" not in html and "<link" not in html
    for heading in ("Score distribution", "Graded functions", "Mistakes",
                    "Submissions that could not be graded", "Late submissions",
                    "Time per submission"):
        assert f">{heading}</h2>" in html, heading
    images = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    # scores, functions, mistakes, time
    assert len(images) == 4, len(images)
    assert all(base64.b64decode(i).startswith(b"\x89PNG\r\n") for i in images)
    ungraded = html.split('id="ungraded"')[1].split("</section>")[0]
    assert "fay" in ungraded and "not valid JSON" in ungraded and "hal" not in ungraded
    late = html.split('id="late"')[1].split("</section>")[0]
    assert "bob" in late and "12.0" in late and "8.5" in late and "ann" not in late
    timing = html.split('id="timing"')[1].split("</section>")[0]
    assert "4.5" in timing and "cyd" not in timing
    assert '<tr class="named"><td>named</td><td>lb_no_mean</td>' in html


def test_a_class_with_nothing_autograded_still_gets_a_page(tmp_path):
    course = Course(copy_course(tmp_path / "course", items=(
        "nbgrader_config.py", "catalogue", "source"), examples=False))
    page, mistakes, _ = class_report.write(course)
    html = page.read_text(encoding="utf-8")
    assert "No graded submission." in html and "No failed grade cell." in html
    assert read_csv(mistakes) == []


# ------------------------------------------------------------------ a graded class

# Planted mistakes the grader cannot name, each with the reason; the test checks that
# each of them is indeed left unnamed (as an unnamed pattern of its students).
UNNAMEABLE = {}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from class_of_mistakes import graded_class

    return graded_class(tmp_path_factory)


def named_groups(course):
    """{mistake key: (function, count, [students])} of reports/mistakes.csv."""
    rows = read_csv(course.reports / "mistakes.csv")
    return {r["key_or_pattern"]: (r["function"], int(r["count"]), r["students"].split(";"))
            for r in rows if r["kind"] == "named" and r["assignment"] == ASSIGNMENT}


def test_the_report_names_each_planted_mistake_with_its_exact_count(graded):
    course, made = graded
    printed = "\n".join(made["lines"])
    assert "reports/class_report.html" in printed, printed[-2000:]
    named = named_groups(course)
    expected = {key: sorted(students) for key, students in made["planted"].items()}
    for key, students in made["examples"].items():  # typical_mistakes: lb_no_mean, ...
        expected[key] = sorted(expected.get(key, []) + students)
    exact, wrong = [], []
    for key, students in sorted(expected.items()):
        if key in UNNAMEABLE:
            assert key not in named, f"{key} is listed as unnameable but was named: {named[key]}"
            continue
        got = named.get(key)
        if got and got[1] == len(students) and sorted(got[2]) == students:
            exact.append(key)
        else:
            wrong.append(f"{key}: expected {len(students)} ({', '.join(students)}), got "
                         f"{got[1] if got else 0} ({', '.join(got[2]) if got else 'none'})")
    planted = len(made["planted"])
    named_planted = sum(key in exact for key in made["planted"])
    print(f"\nnamed mistakes: {named_planted} of {planted} planted, exact counts")
    assert not wrong, "planted mistakes not named with their exact count:\n  " + \
        "\n  ".join(wrong)
    # Nothing is named that nobody made.
    assert set(named) <= set(expected), f"named without being planted: " \
        f"{sorted(set(named) - set(expected))}"
    for key, (function, _, _) in named.items():
        assert function == made["functions"].get(key, function), (key, function)


def test_the_report_shows_the_class_the_job_graded(graded):
    course, made = graded
    planted = made["planted"]
    html = (course.reports / "class_report.html").read_text(encoding="utf-8")
    assert not re.search(r"https?://", html)
    functions = {(r["assignment"], r["function"]): r
                 for r in read_csv(course.reports / "functions.csv")}
    # 30 planted, 5 examples; the broken one is not graded.
    lb = functions[(ASSIGNMENT, "linear_backward")]
    assert lb["students"] == "35", lb
    # Its planted mistakes, typical_mistakes and untouched fail it (raises fails only
    # linear_forward: the grader gives linear_backward the reference of what it uses).
    failing = len(planted["lb_no_mean"]) + len(planted["lb_no_keepdims"]) + 2
    assert lb["visible_passed"] == str(35 - failing), lb
    assert functions[("application", "two_layer_model")]["students"] == "3"
    ungraded = html.split('id="ungraded"')[1].split("</section>")[0]
    assert "student31" in ungraded and "could not be graded" in ungraded, ungraded
    late = html.split('id="late"')[1].split("</section>")[0]
    for student in ("student05", "student17", "student29"):
        assert student in late, (student, late)
    assert late.count("<tr>") == 4, late  # head and three students
    timing = html.split('id="timing"')[1].split("</section>")[0]
    assert timing.count("<tr>") == 1 + 35 + 3, "one row per submission graded"
