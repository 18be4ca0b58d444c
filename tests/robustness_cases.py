"""Bad, broken and hostile submissions, each built from the released notebook.

Every case is graded with real nbgrader by test_robustness.py, in one batch with the
`correct` example. A case plants its trouble with text edits of the reference answers
(as `dnncourse.authoring.examples.Example` does) and/or a small transformation of the notebook
(cells deleted, duplicated, turned into markdown, metadata changed), or replaces the
file by one that is not a notebook at all. `points` gives the functions that must lose
points (everything else keeps full marks); `ungradable` is a text that the reason must
contain when the file cannot be graded at all.
"""

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

from dnncourse.authoring import examples

ASSIGNMENT = "step_by_step"


def _cell(nb, grade_id):
    """Return the index of the cell with nbgrader id `grade_id`."""
    for index, cell in enumerate(nb["cells"]):
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id:
            return index
    raise KeyError(grade_id)


def delete(*grade_ids):
    def transform(nb):
        for grade_id in grade_ids:
            del nb["cells"][_cell(nb, grade_id)]
        return nb
    return transform


def duplicate(grade_id, before=False, source=None):
    """Insert a copy of a cell after it (or before it), optionally with another source."""
    def transform(nb):
        index = _cell(nb, grade_id)
        twin = copy.deepcopy(nb["cells"][index])
        if source is not None:
            twin["source"] = source
        nb["cells"].insert(index if before else index + 1, twin)
        return nb
    return transform


def to_markdown(*grade_ids):
    def transform(nb):
        for grade_id in grade_ids:
            cell = nb["cells"][_cell(nb, grade_id)]
            cell["cell_type"] = "markdown"
            del cell["outputs"], cell["execution_count"]
        return nb
    return transform


def set_source(grade_id, source):
    def transform(nb):
        nb["cells"][_cell(nb, grade_id)]["source"] = source
        return nb
    return transform


def set_metadata(grade_id, **values):
    def transform(nb):
        nb["cells"][_cell(nb, grade_id)]["metadata"]["nbgrader"].update(values)
        return nb
    return transform


def strip_metadata(grade_id, source=None):
    """Make a test cell a plain code cell (no nbgrader metadata), optionally edited."""
    def transform(nb):
        cell = nb["cells"][_cell(nb, grade_id)]
        cell["metadata"] = {}
        if source is not None:
            cell["source"] = source
        return nb
    return transform


def add_grade_cell(after, grade_id, points, source):
    """Insert a grade cell of the student's own after the cell `after`."""
    def transform(nb):
        cell = {"cell_type": "code", "execution_count": None, "outputs": [], "source": source,
                "metadata": {"nbgrader": {"grade": True, "grade_id": grade_id, "locked": True,
                                          "points": points, "schema_version": 3,
                                          "solution": False, "task": False}}}
        nb["cells"].insert(_cell(nb, after) + 1, cell)
        return nb
    return transform


def truncated(text):
    return text[: len(text) // 2]


def not_a_notebook(text):
    nb = json.loads(text)
    nb["cells"] = {"oops": "cells must be a list"}
    return json.dumps(nb)


@dataclass(frozen=True)
class Case:
    """One submission: who, what is wrong with it, and what grading must make of it."""

    student: str
    description: str
    edits: dict = field(default_factory=dict)  # function -> [(old, new)] in its answer
    transforms: tuple = ()  # functions nb dict -> nb dict, applied in order
    text: object = None  # function notebook text -> file text, for files that are no notebook
    filename: str = ""  # the notebook saved under another name
    points: dict = field(default_factory=dict)  # function -> expected points, when not full
    shows: str = ""  # text that some output of the graded notebook must contain
    ungradable: str = ""  # the reason must contain this text

    def example(self):
        return examples.Example(self.student, ASSIGNMENT, self.description, edits=self.edits)

    def write(self, root):
        """Write the submission under `root` (a `submitted/` folder) and return its folder."""
        folder = examples.write(self.example(), root)
        notebook = next(Path(folder).glob("*.ipynb"))
        if self.transforms:
            nb = json.loads(notebook.read_text(encoding="utf-8"))
            for transform in self.transforms:
                nb = transform(nb)
            notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n",
                                encoding="utf-8")
        if self.text is not None:
            notebook.write_text(self.text(notebook.read_text(encoding="utf-8")),
                                encoding="utf-8")
        if self.filename:
            notebook.rename(notebook.with_name(self.filename))
        return folder


# `while True: try: pass / except KeyboardInterrupt: pass` is not enough: CPython 3.11
# checks for the interrupt at the loop's backward jump, outside the `try`, so the
# KeyboardInterrupt escapes. The inner loop keeps the jump inside the `try`.
NEVER_INTERRUPTED = (
    "    m = Y.shape[1]\n",
    "    m = Y.shape[1]\n"
    "    while True:  # swallows the KeyboardInterrupt of the time limit\n"
    "        try:\n"
    "            while True:\n"
    "                pass\n"
    "        except KeyboardInterrupt:\n"
    "            pass\n",
)

CASES = (
    Case("ignores_interrupt", "compute_cost loops and swallows KeyboardInterrupt",
         edits={"compute_cost": [NEVER_INTERRUPTED]},
         points={"compute_cost": 0}, shows="ignored the interrupt"),
    Case("os_exit_in_function", "update_parameters calls os._exit(1): the kernel dies",
         edits={"update_parameters": [("    L = len(parameters) // 2",
                                       "    import os\n    os._exit(1)\n"
                                       "    L = len(parameters) // 2")]},
         points={"update_parameters": 0}, shows="kernel stopped while this cell ran"),
    Case("os_exit_in_answer_cell", "the linear_backward cell ends with os._exit(0)",
         edits={"linear_backward": [("    return dA_prev, dW, db",
                                     "    return dA_prev, dW, db\n\n\nimport os\nos._exit(0)")]},
         points={"linear_backward": 0}, shows="kernel stopped while this cell ran"),
    Case("sys_exit", "initialize_parameters_deep calls sys.exit(); the linear_forward cell "
         "ends with sys.exit() after a correct definition",
         edits={"initialize_parameters_deep": [("    np.random.seed(3)",
                                                "    import sys\n    sys.exit('done')\n"
                                                "    np.random.seed(3)")],
                "linear_forward": [("    return Z, cache",
                                    "    return Z, cache\n\n\nimport sys\nsys.exit()")]},
         points={"initialize_parameters_deep": 0},
         shows="initialize_parameters_deep: called sys.exit('done')"),
    Case("test_cells_edited", "compute_cost wrong; its test cells edited to pass. "
         "update_parameters wrong; its hidden test made a plain cell that passes",
         edits={"compute_cost": [("cost = np.squeeze(cost)", "cost = -np.squeeze(cost)")],
                "update_parameters": [('- learning_rate * grads["dW" + str(l + 1)]',
                                       '+ learning_rate * grads["dW" + str(l + 1)]')]},
         transforms=(set_source("test_compute_cost_visible", "pass"),
                     set_source("test_compute_cost_hidden", "print('all tests passed')"),
                     strip_metadata("test_update_parameters_hidden", "pass")),
         points={"compute_cost": 0, "update_parameters": 0}),
    Case("test_cells_deleted", "both test cells of a correct linear_backward deleted; the "
         "hidden test of a wrong L_model_forward deleted",
         edits={"L_model_forward": [('activation="sigmoid")', 'activation="relu")')]},
         transforms=(delete("test_linear_backward_visible", "test_linear_backward_hidden",
                            "test_L_model_forward_hidden"),),
         points={"L_model_forward": 0}),
    Case("test_cells_duplicated", "the test cells of a correct linear_forward twice; a copy "
         "of the visible test of a wrong compute_cost, edited to pass, after the original",
         edits={"compute_cost": [("cost = np.squeeze(cost)", "cost = -np.squeeze(cost)")]},
         transforms=(duplicate("test_linear_forward_visible"),
                     duplicate("test_linear_forward_hidden"),
                     duplicate("test_compute_cost_visible", source="pass")),
         points={"compute_cost": 0}),
    Case("test_cells_markdown", "the test cells of a correct initialize_parameters and of a "
         "wrong linear_activation_forward turned into markdown",
         edits={"linear_activation_forward": [("A, activation_cache = sigmoid(Z)",
                                               "A, activation_cache = relu(Z)")]},
         transforms=(to_markdown("test_initialize_parameters_visible",
                                 "test_initialize_parameters_hidden",
                                 "test_linear_activation_forward_visible",
                                 "test_linear_activation_forward_hidden"),),
         points={"linear_activation_forward": 0}),
    Case("added_grade_cell", "a grade cell of the student's own worth 50 points",
         transforms=(add_grade_cell("test_update_parameters_hidden", "bonus_points", 50,
                                    "print('50 free points')"),)),
    Case("changed_points", "a correct compute_cost's visible test claims 40 points; the "
         "hidden test of a wrong linear_backward marked as not graded",
         edits={"linear_backward": [("dW = 1 / m * np.dot(dZ, A_prev.T)",
                                     "dW = np.dot(dZ, A_prev.T)")]},
         transforms=(set_metadata("test_compute_cost_visible", points=40),
                     set_metadata("test_linear_backward_hidden", grade=False)),
         points={"linear_backward": 0}),
    Case("prints_100k_lines", "the initialize_parameters cell prints 100,000 lines",
         edits={"initialize_parameters": [("    return parameters",
                                           "    return parameters\n\n\n"
                                           "for i in range(100_000):\n"
                                           "    print('debug line', i)")]},
         shows="Output truncated"),
    Case("allocates_3gb", "linear_activation_backward allocates 3 GB at every call",
         edits={"linear_activation_backward": [("    linear_cache, activation_cache = cache",
                                                "    big = np.ones(3 * 2**30 // 8)\n"
                                                "    linear_cache, activation_cache = cache")]},
         points={"linear_activation_backward": 0}, shows="raised MemoryError"),
    Case("warns_on_stderr", "correct answers; L_model_backward warns, linear_activation_forward "
         "writes to stderr, at every call",
         edits={"L_model_backward": [("    grads = {}\n",
                                      "    import warnings\n"
                                      "    warnings.warn(f'slow for m = {AL.shape[1]}')\n"
                                      "    grads = {}\n")],
                "linear_activation_forward": [("    if activation == \"sigmoid\":",
                                               "    import sys\n"
                                               "    print('debug:', activation, file=sys.stderr)\n"
                                               "    if activation == \"sigmoid\":")]},
         shows="L_model_backward warned (UserWarning): slow for m = 2"),
    Case("truncated", "the notebook file is cut off in the middle", text=truncated,
         ungradable="not valid JSON"),
    Case("not_a_notebook", "valid JSON, but `cells` is not a list", text=not_a_notebook,
         ungradable="not a valid notebook"),
    Case("renamed_notebook", "the notebook saved as a copy under another name",
         filename="Building_your_Deep_Neural_Network_Step_by_Step-Copy1.ipynb",
         ungradable="has no Building_your_Deep_Neural_Network_Step_by_Step.ipynb"),
)
