"""Feedback that shows which functions lost points and the visible messages, nothing hidden.

`HideHiddenTests` runs in `nbgrader generate_feedback` (see nbgrader_config.py). nbgrader's
default feedback shows every test cell as it was graded: the hidden tests' code (restored
at autograde) and full tracebacks. This preprocessor removes the hidden-test regions from
every cell and reduces each test failure to one line: the visible message as it is, or a
note that hidden tests failed, without their inputs or code.
"""

from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests

HIDDEN_MODULE = "dnncourse"  # a traceback through this package comes from a hidden test


def function_of(grade_id):
    """Map a grade cell id such as 'test_linear_backward_hidden' to 'linear_backward'."""
    return grade_id.removeprefix("test_").removesuffix("_visible").removesuffix("_hidden")


def short_error(output, grade_id):
    """Return the one-line text a student sees for a failed test cell's error output."""
    traceback = "\n".join(output.get("traceback", []))
    if HIDDEN_MODULE in traceback:
        return (f"Hidden tests failed for {function_of(grade_id)}: it gives wrong results on"
                " inputs you have not seen (other shapes, several output units, deeper"
                " networks, m = 1). Check it against the formulas, not only the example.")
    if output.get("ename") == "CellTimeoutError":
        return "This test did not finish within the time limit: does your code loop forever?"
    return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"


class HideHiddenTests(ClearHiddenTests):
    """Strip hidden tests and tracebacks from the graded notebook before it becomes feedback."""

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code":
            return cell, resources
        self._remove_hidden_test_region(cell)
        if utils.is_grade(cell):
            grade_id = cell.metadata["nbgrader"].get("grade_id", "")
            for output in cell.outputs:
                if output.output_type == "error":
                    text = short_error(output, grade_id)
                    output.ename, output.evalue = "TestFailure", text
                    output.traceback = [text]
        return cell, resources
