"""Reference answers, read from the solution regions of the source notebooks.

The source notebook is the only place where the reference solutions are written;
this module executes its `# GRADED FUNCTION` cells (solution markers included, as
comments) in a fresh module of the grader's own process, so the grader and the tools can
call them; they never enter a student's kernel or the grader's sandboxed child. The
application builds on the Step by Step answers and adds its `# PROVIDED FUNCTION` cells.
"""

import functools
import types

import numpy as np

from dnncourse.course import Course, read_notebook
from dnncourse.shipped import dnn_utils

GRADED_MARK = "# GRADED FUNCTION:"
PROVIDED_MARK = "# PROVIDED FUNCTION:"


def _cells(notebook, mark):
    cells = {}
    for cell in read_notebook(notebook).cells:
        if cell.cell_type == "code" and cell.source.startswith(mark):
            name = cell.source.splitlines()[0][len(mark):].strip()
            cells[name] = cell.source
    return cells


def graded_cells(notebook):
    """Return {function name: cell source} for the graded cells of a notebook file."""
    return _cells(notebook, GRADED_MARK)


def provided_cells(notebook):
    """Return {function name: cell source} for the provided-function cells of a notebook."""
    return _cells(notebook, PROVIDED_MARK)


def _reference_cells(assignment, course):
    """Return (notebook name, provided cells, graded cells, builds_on) of an assignment."""
    notebook = course.source_notebook(assignment)
    return (notebook.name, provided_cells(notebook), graded_cells(notebook),
            course.assignment(assignment).builds_on)


def load(assignment, course=None):
    """Return the reference module of `assignment` of `course` (default: this repository)."""
    return _load(assignment, course or Course())


@functools.cache
def _load(assignment, course):
    """Return a module holding the reference version of every graded function of `assignment`.

    Its GRADED attribute lists the graded functions; HELPERS lists every other function
    the students' code may call (provided, or graded in an earlier assignment).
    """
    module = types.ModuleType(f"reference_{assignment}")
    namespace = module.__dict__
    namespace["np"] = np
    helpers = ["sigmoid", "relu", "sigmoid_backward", "relu_backward"]
    for helper in helpers:
        namespace[helper] = getattr(dnn_utils, helper)
    notebook, provided, graded, builds_on = _reference_cells(assignment, course)
    if builds_on:
        earlier = _load(builds_on, course)
        for name in earlier.GRADED:
            namespace[name] = getattr(earlier, name)
        helpers += list(earlier.GRADED)
    for name, source in {**provided, **graded}.items():
        exec(compile(source, f"{notebook}:{name}", "exec"), namespace)
    module.GRADED = tuple(graded)
    module.HELPERS = tuple(dict.fromkeys(helpers + list(provided)))
    return module
