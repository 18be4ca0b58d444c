"""The grader inside `nbgrader autograde`: it decides every grade cell, outside the kernel.

nbgrader_config.py puts `TrustedGrader` right after the kernel run (`RobustExecute`) and
before nbgrader's `SaveAutoGrades`. The kernel run still gives the student's own outputs
and the visible tests' messages, but the kernel is the student's ground: what its tests
say decides nothing. TrustedGrader grades the answer cells outside it
(dnncourse/grader/grading.py) and replaces each grade cell's outputs with its verdict: a
line saying what passed, or an error carrying the message the student reads. nbgrader then
scores the cell from those outputs as usual (an error output scores 0), so plain
`nbgrader autograde`, the formgrader and the grading job give the same auto scores, and
manual grading in the formgrader stays the instructor's.
"""

import os
import textwrap

from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from dnncourse.course import Course
from dnncourse.grader import catalogue
from dnncourse.grader.grading import grade_notebook

ENAME = "Not passed"  # what a failed grade cell's error output is called
WIDTH = 88


def kernel_outcome(cell):
    """Return '' when the grade cell ran without an error in the kernel, else its error."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            ename, evalue = str(output.get("ename", "Error")), str(output.get("evalue", ""))
            # The visible tests' own failures already say which function and output.
            text = evalue if ename == "CheckFailure" else f"{ename}: {evalue}"
            return text[:300]
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            return "it wrote to stderr"
    return ""


def kernel_printed(cell):
    """What the kernel's run of a grade cell printed on stdout (the student's prints, the
    visible test's lines), to show after the verdict; never its errors or results."""
    return "".join(str(o.get("text", "")) for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def note(verdict, kernel_error, builds_on):
    """What to add about the kernel's run of the cell, or ''."""
    if verdict.passed and kernel_error:
        if builds_on:
            names = ", ".join(sorted(builds_on))
            return (f"In your notebook this test failed ({kernel_error}): there "
                    f"{verdict.function} runs with your own {names}. Graded with the course's"
                    f" {names}, it passes: the points are lost only where the mistake is.")
        return (f"In your notebook this test failed ({kernel_error}), but graded on its own,"
                " outside the notebook, your answer passes, and the grade follows that.")
    if not verdict.passed and not kernel_error and verdict.visible:
        return ("In your notebook this test passed, but the grader runs only your answer"
                " cells, on their own and outside Jupyter, and there it does not: if your"
                " answer uses something defined in another cell, move it into the answer cell.")
    if not verdict.passed and kernel_error and kernel_error.split(": ", 1)[-1] \
            not in verdict.message:
        return f"In your notebook: {kernel_error}"
    return ""


def record(verdict):
    """The verdict as data, kept in the grade cell's metadata for reports."""
    mistake = verdict.mistake
    return {"function": verdict.function, "visible": verdict.visible,
            "passed": verdict.passed, "points": verdict.points, "message": verdict.message,
            "mistake": {"key": mistake.key, "explains": mistake.explains} if mistake else None,
            "pattern": verdict.pattern,
            "failed_cases": [{"kind": r.case.kind, "where": r.case.where,
                              "message": r.failure.message(show_values=False,
                                                           where=r.case.where)}
                             for r in verdict.results if r.failure is not None]}


def outputs(verdict, extra="", printed=""):
    """The outputs a grade cell gets: a passing line, or an error with the message, then
    what the kernel's run printed (stdout only: it cannot change the score)."""
    text = verdict.message + (f" {extra}" if extra else "")
    after = [NotebookNode(output_type="stream", name="stdout",
                          text="Printed when your notebook ran:\n" + printed)] if printed else []
    if verdict.passed:
        return [NotebookNode(output_type="stream", name="stdout", text=text + "\n"), *after]
    lines = textwrap.wrap(text, WIDTH, subsequent_indent="    ")
    return [NotebookNode(output_type="error", ename=ENAME, evalue=text, traceback=lines),
            *after]


class TrustedGrader(NbGraderPreprocessor):
    """Decide every grade cell with the grader that runs outside the kernel."""

    course_root = Unicode(
        "", help="The course root (default: the working directory, as nbgrader's own).",
    ).tag(config=True)

    def preprocess(self, nb, resources):
        course = Course(self.course_root or os.getcwd())
        assignment = resources["nbgrader"]["assignment"]
        verdicts, _ = grade_notebook(course, assignment, nb)
        functions = catalogue.load(course, assignment)
        for cell in nb.cells:
            if cell.cell_type != "code" or not utils.is_grade(cell):
                continue
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            verdict = verdicts.get(grade_id)
            if verdict is None:
                # A grade cell the catalogue does not know cannot be trusted: no points.
                cell.outputs = [NotebookNode(
                    output_type="error", ename=ENAME, traceback=[],
                    evalue=f"The grader has no cases for the cell {grade_id}.")]
                continue
            function = functions.get(verdict.function)
            builds_on = catalogue.uses_closure(functions, function.name) if function else ()
            cell.outputs = outputs(verdict, note(verdict, kernel_outcome(cell), builds_on),
                                   kernel_printed(cell))
            cell.metadata["dnncourse"] = {"verdict": record(verdict)}
        return nb, resources
