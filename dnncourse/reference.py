"""Reference answers, read from the solution regions of the source notebooks.

The source notebook is the only place where the reference solutions are written;
this module executes its `# GRADED FUNCTION` cells (solution markers included, as
comments) in a fresh module, so hidden tests and tools can call them. The application
builds on the Step by Step answers and adds its `# PROVIDED FUNCTION` cells.

Sandboxed grading kernels cannot see source/: the grader `export`s the cells to a folder
and names it in DNN_COURSE_REFERENCE, where `load` then reads them.
"""

import functools
import json
import os
import types
from pathlib import Path

import numpy as np

from dnncourse import paths
from dnncourse.shipped import dnn_utils

GRADED_MARK = "# GRADED FUNCTION:"
PROVIDED_MARK = "# PROVIDED FUNCTION:"
# Assignments whose reference functions another assignment starts from.
BUILDS_ON = {"application": "step_by_step"}
# Folder of exported reference cells, used instead of the source notebooks when set.
EXPORT_ENV = "DNN_COURSE_REFERENCE"


def _cells(notebook, mark):
    with open(notebook, encoding="utf-8") as handle:
        nb = json.load(handle)
    cells = {}
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and source.startswith(mark):
            name = source.splitlines()[0][len(mark):].strip()
            cells[name] = source
    return cells


def graded_cells(notebook):
    """Return {function name: cell source} for the graded cells of a notebook file."""
    return _cells(notebook, GRADED_MARK)


def provided_cells(notebook):
    """Return {function name: cell source} for the provided-function cells of a notebook."""
    return _cells(notebook, PROVIDED_MARK)


def _reference_cells(assignment):
    """Return (notebook name, provided cells, graded cells) of an assignment's reference."""
    folder = os.environ.get(EXPORT_ENV)
    if folder:
        exported = json.loads((Path(folder) / f"{assignment}.json").read_text(encoding="utf-8"))
        return exported["notebook"], exported["provided"], exported["graded"]
    notebook = paths.notebook_path(paths.SOURCE, assignment)
    return notebook.name, provided_cells(notebook), graded_cells(notebook)


def export(folder):
    """Write the reference cells of every assignment to `folder` (for DNN_COURSE_REFERENCE)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for assignment in paths.ASSIGNMENTS:
        name, provided, graded = _reference_cells(assignment)
        text = json.dumps({"notebook": name, "provided": provided, "graded": graded})
        (folder / f"{assignment}.json").write_text(text, encoding="utf-8")
    return folder


@functools.cache
def load(assignment):
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
    if assignment in BUILDS_ON:
        earlier = load(BUILDS_ON[assignment])
        for name in earlier.GRADED:
            namespace[name] = getattr(earlier, name)
        helpers += list(earlier.GRADED)
    notebook, provided, graded = _reference_cells(assignment)
    for name, source in {**provided, **graded}.items():
        exec(compile(source, f"{notebook}:{name}", "exec"), namespace)
    module.GRADED = tuple(graded)
    module.HELPERS = tuple(dict.fromkeys(helpers + list(provided)))
    return module
