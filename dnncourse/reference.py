"""Reference answers, read from the solution regions of the source notebooks.

The source notebook is the only place where the reference solutions are written;
this module executes its `# GRADED FUNCTION` cells (solution markers included, as
comments) in a fresh module, so hidden tests and tools can call them.
"""

import functools
import json
import types

import numpy as np

from dnncourse import paths
from dnncourse.shipped import dnn_utils

GRADED_MARK = "# GRADED FUNCTION:"


def graded_cells(notebook):
    """Return {function name: cell source} for the graded cells of a notebook file."""
    with open(notebook, encoding="utf-8") as handle:
        nb = json.load(handle)
    cells = {}
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and source.startswith(GRADED_MARK):
            name = source.splitlines()[0][len(GRADED_MARK):].strip()
            cells[name] = source
    return cells


@functools.cache
def load(assignment):
    """Return a module holding the reference version of every graded function of `assignment`."""
    module = types.ModuleType(f"reference_{assignment}")
    namespace = module.__dict__
    namespace["np"] = np
    for helper in ("sigmoid", "relu", "sigmoid_backward", "relu_backward"):
        namespace[helper] = getattr(dnn_utils, helper)
    notebook = paths.notebook_path(paths.SOURCE, assignment)
    cells = graded_cells(notebook)
    for name, source in cells.items():
        exec(compile(source, f"{notebook.name}:{name}", "exec"), namespace)
    module.GRADED = tuple(cells)
    return module
