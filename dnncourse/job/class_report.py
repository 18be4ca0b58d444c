"""The class report: what the whole class got right and wrong, read from the class on disk.

Every autograded notebook (`autograded/<student>/<assignment>/*.ipynb`) carries, in each
grade cell's metadata, the trusted grader's verdict (dnncourse/grader/preprocessor.py
`record`): passed or not, and for a failed cell the catalogued mistake it matches or the
pattern it shares with other students. This module gathers those verdicts with
reports/grades.csv (status, lateness) and this run's Results (timings) into a ClassReport,
and writes reports/class_report.html, reports/mistakes.csv and reports/functions.csv.
"""

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from dnncourse.course import read_notebook
from dnncourse.grader.grading import function_of
from dnncourse.job import reports

UNRECORDED = "(no pattern recorded)"  # a failed cell whose verdict names neither


@dataclass(frozen=True)
class Verdict:
    """One grade cell of one student's autograded notebook, as the grader decided it."""

    student: str
    assignment: str
    function: str
    visible: bool
    passed: bool
    message: str
    mistake: dict | None  # {"key": ..., "explains": ...} of a catalogued mistake
    pattern: str | None  # shared by students whose wrong outputs agree


@dataclass
class Group:
    """Students who made the same mistake in one function: named (a catalogued mistake)
    or unnamed (the same wrong outputs, no catalogued mistake)."""

    assignment: str
    function: str
    kind: str  # "named" or "unnamed"
    key: str  # the mistake's key, or the pattern id
    explains: str = ""
    students: set = field(default_factory=set)
    example: str = ""  # one student's message (the first student's, by name)

    @property
    def count(self):
        return len(self.students)


@dataclass
class FunctionRow:
    """How many graded students passed one function's visible and hidden grade cells."""

    assignment: str
    function: str
    students: int = 0
    visible_passed: int = 0
    hidden_passed: int = 0

    def share(self, passed):
        return passed / self.students if self.students else 0.0


@dataclass
class ClassReport:
    """Everything the class report shows, per assignment in course order."""

    assignments: tuple
    functions: list  # FunctionRows, in notebook order
    groups: list  # Groups, by assignment, function, then most students first
    scores: dict  # assignment -> ([score after penalty, ...], max score)
    ungraded: list  # grades.csv rows whose status is not "graded" nor "not submitted"
    late: list  # grades.csv rows of late submissions, with "hours_late"
    timings: list  # this run's Results that a worker graded
    unreadable: list = field(default_factory=list)  # (path, reason) of autograded notebooks


def grades_rows(course):
    """The rows of reports/grades.csv as dicts, or [] when there is none yet."""
    path = course.reports / "grades.csv"
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def cell_verdicts(nb, student, assignment):
    """The Verdicts of the grade cells of one autograded notebook (cells without one, from a
    grader that recorded none, are left out)."""
    found = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        recorded = cell.metadata.get("dnncourse", {}).get("verdict")
        if not meta.get("grade") or not recorded:
            continue
        grade_id = meta.get("grade_id", "")
        visible = recorded.get("visible")
        if visible is None:  # written before the grader recorded it: the cell id tells
            visible = grade_id.endswith("_visible")
        mistake = recorded.get("mistake") or None
        found.append(Verdict(student, assignment,
                             recorded.get("function") or function_of(grade_id),
                             bool(visible), bool(recorded.get("passed")),
                             str(recorded.get("message", "")), mistake,
                             recorded.get("pattern") or None))
    return found


def class_verdicts(course, assignment, statuses):
    """(Verdicts, unreadable) of every autograded notebook of `assignment` whose submission
    grades.csv does not mark as ungraded (`statuses`: (assignment, student) -> status)."""
    verdicts, unreadable = [], []
    if not course.autograded.is_dir():
        return verdicts, unreadable
    for folder in sorted(p for p in course.autograded.iterdir() if p.is_dir()):
        student = folder.name
        # An autograded folder left from an earlier run of a submission that now fails
        # is not the student's grade: grades.csv says which submissions stand.
        if statuses.get((assignment, student), "graded") != "graded":
            continue
        for path in sorted(course.autograded_folder(student, assignment).glob("*.ipynb")):
            try:
                nb = read_notebook(path)
            except Exception as exc:  # one unreadable file must not hide the class
                unreadable.append((str(path.relative_to(course.root)),
                                   f"{type(exc).__name__}: {exc}"))
                continue
            verdicts += cell_verdicts(nb, student, assignment)
    return verdicts, unreadable


def function_rows(assignment, names, verdicts):
    """FunctionRows of `names` (notebook order, then any other function met)."""
    rows = {name: FunctionRow(assignment, name) for name in names}
    outcome = defaultdict(lambda: {True: True, False: True})  # (student, fn) -> visible -> ok
    for v in verdicts:
        rows.setdefault(v.function, FunctionRow(assignment, v.function))
        outcome[(v.student, v.function)][v.visible] &= v.passed
    for (_, function), passed in outcome.items():
        row = rows[function]
        row.students += 1
        row.visible_passed += passed[True]
        row.hidden_passed += passed[False]
    return list(rows.values())


def mistake_groups(verdicts):
    """Groups of the failed Verdicts: one per (function, mistake key) or (function,
    pattern), counting each student once however many of their cells show it."""
    groups = {}
    for v in sorted(verdicts, key=lambda v: (v.student, not v.visible)):
        if v.passed:
            continue
        if v.mistake:
            kind, key = "named", str(v.mistake.get("key", ""))
        else:
            kind, key = "unnamed", v.pattern or UNRECORDED
        group = groups.setdefault((v.function, kind, key), Group(
            v.assignment, v.function, kind, key,
            explains=str((v.mistake or {}).get("explains", "")), example=v.message))
        group.students.add(v.student)
    return list(groups.values())


def _number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def hours_late(row):
    """Hours between the due date and the submission time of a grades.csv row (0 if on
    time or either is missing)."""
    try:
        due, stamp = (datetime.fromisoformat(row.get(name, "").strip())
                      for name in ("duedate", "timestamp"))
    except ValueError:
        return 0.0
    # nbgrader keeps times in UTC, with or without saying so: compare them as such.
    due, stamp = (t if t.tzinfo else t.replace(tzinfo=UTC) for t in (due, stamp))
    return max(0.0, (stamp - due).total_seconds() / 3600)


def build(course, results=(), assignments=None):
    """Gather the ClassReport of `course` (a Course) for `assignments` (default: all)."""
    assignments = tuple(assignments or course.assignment_ids)
    rows = grades_rows(course)
    statuses = {(r["assignment"], r["student_id"]): r.get("status", "graded") for r in rows}
    functions, groups, unreadable, scores = [], [], [], {}
    for assignment in assignments:
        verdicts, bad = class_verdicts(course, assignment, statuses)
        unreadable += bad
        names = list(reports.graded_functions(course, assignment))
        functions += function_rows(assignment, names, verdicts)
        order = {name: i for i, name in enumerate(names)}
        groups += sorted(mistake_groups(verdicts), key=lambda g: (
            order.get(g.function, len(order)), g.function, g.kind != "named", -g.count, g.key))
        graded = [r for r in rows if r["assignment"] == assignment
                  and r.get("status", "graded") == "graded"]
        tops = [_number(r.get("max_score")) for r in graded]
        scores[assignment] = ([_number(r.get("score")) or 0.0 for r in graded],
                              max([t for t in tops if t] or [sum(
                                  reports.graded_functions(course, assignment).values())]))
    ungraded = [r for r in rows if r["assignment"] in assignments
                and r.get("status", "graded") not in ("graded", reports.NOT_SUBMITTED)]
    late = []
    for r in rows:
        penalty = _number(r.get("late_submission_penalty")) or 0.0
        hours = hours_late(r)
        if r["assignment"] in assignments and r.get("status") != reports.NOT_SUBMITTED \
                and (penalty > 0 or hours > 0):
            late.append(r | {"hours_late": hours, "penalty": penalty})
    timings = [r for r in results if r.assignment in assignments and not r.skipped
               and not r.error and r.seconds]
    return ClassReport(assignments, functions, groups, scores, ungraded, late, timings,
                       unreadable)


def write_csvs(course, report):
    """Write reports/mistakes.csv and reports/functions.csv; return their paths."""
    mistakes, functions = course.reports / "mistakes.csv", course.reports / "functions.csv"
    with open(mistakes, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["assignment", "function", "kind", "key_or_pattern", "explains",
                         "count", "students", "example_message"])
        for g in report.groups:
            writer.writerow([g.assignment, g.function, g.kind, g.key, g.explains, g.count,
                             ";".join(sorted(g.students)), g.example])
    with open(functions, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["assignment", "function", "students", "visible_passed",
                         "hidden_passed", "visible_share", "hidden_share"])
        for f in report.functions:
            writer.writerow([f.assignment, f.function, f.students, f.visible_passed,
                             f.hidden_passed, f"{f.share(f.visible_passed):.3f}",
                             f"{f.share(f.hidden_passed):.3f}"])
    return mistakes, functions


def write(course, results=(), assignments=None):
    """Build the class report and write its three files; return their paths (html first)."""
    from dnncourse.job import class_html

    course.reports.mkdir(parents=True, exist_ok=True)
    report = build(course, results, assignments)
    page = course.reports / "class_report.html"
    page.write_text(class_html.render(report), encoding="utf-8")
    return (page, *write_csvs(course, report))
