"""An nbgrader export plugin writing a CSV that Canvas's gradebook import accepts.

`nbgrader export --exporter=dnncourse.lms.export.CanvasExport --to reports/canvas.csv`
(nbgrader's plain `nbgrader export --to grades.csv` stays as it is). Canvas's importer
(GradebookImporter) reads a header row whose first columns are `Student`, `ID`,
`SIS User ID`, `SIS Login ID` and `Section`, then one column per assignment titled
"<Canvas assignment name> (<Canvas assignment id>)" (a title Canvas does not know creates a
new assignment), an optional "Points Possible" row, and one row per student, found by the
Canvas user id in `ID` (the student id zip_collect takes from Canvas's archive) or by name.

Each cell holds the score after nbgrader's late penalty, rounded to two decimals as Canvas
exports its own. It is left empty, which Canvas's import treats as "no change", for a
student who did not submit and for a submission with a cell that has no score yet (not
graded, or autograde failed): an empty cell never overwrites a grade in Canvas with 0.
"""

import csv

from nbgrader.api import MissingEntry
from nbgrader.plugins import ExportPlugin
from traitlets import Dict

STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def graded(submission):
    """Whether every graded cell of `submission` has a score, from autograde or a grader.

    A submission record also exists before it is graded (nbgrader makes one when an
    extension is granted), and a failed autograde leaves cells unscored. nbgrader's own
    `needs_manual_grade` is no guide here: it is also set for every cell given a manual
    score, graded or not.
    """
    grades = [grade for notebook in submission.notebooks for grade in notebook.grades]
    return bool(grades) and all(grade.auto_score is not None or grade.manual_score is not None
                                for grade in grades)


class CanvasExport(ExportPlugin):
    """Grades as a Canvas gradebook import CSV, one column per assignment."""

    columns = Dict(
        {}, help="Canvas column title per nbgrader assignment id, as Canvas's own export "
                 "writes it, e.g. {'step_by_step': 'Step by Step (12345)'}; an assignment "
                 "without one is titled by its id (Canvas then creates that assignment)."
    ).tag(config=True)

    def title(self, assignment):
        return self.columns.get(assignment.name, assignment.name)

    def rows(self, gradebook):
        """Return the CSV rows: header, Points Possible, then one row per student."""
        assignments = [a for a in gradebook.assignments
                       if not self.assignment or a.name in self.assignment]
        students = [s for s in gradebook.students
                    if not self.student or s.id in self.student]
        rows = [[*STUDENT_COLUMNS, *(self.title(a) for a in assignments)],
                ["Points Possible", "", "", "", "", *(f"{a.max_score:g}" for a in assignments)]]
        for student in students:
            name = ", ".join(part for part in (student.last_name, student.first_name) if part)
            row = [name or student.id, student.id, "", "", ""]
            for assignment in assignments:
                try:
                    submission = gradebook.find_submission(assignment.name, student.id)
                except MissingEntry:
                    row.append("")  # not submitted
                    continue
                if not graded(submission):
                    row.append("")  # not (completely) graded
                    continue
                score = max(0.0, submission.score - submission.late_submission_penalty)
                row.append(f"{score:.2f}")
            rows.append(row)
        return rows

    def export(self, gradebook):
        dest = self.to or "canvas_grades.csv"
        rows = self.rows(gradebook)
        with open(dest, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
        self.log.info("wrote %d students' grades for Canvas to %s", len(rows) - 2, dest)
