"""The source notebook: structure, full marks with the reference answers, published outputs."""

import re

import nbformat
import pytest
from conftest import cell_text, load_notebook, validate
from nbclient import NotebookClient

from dnncourse.course import Course
from dnncourse.grader.grading import function_of
from dnncourse.job.reports import graded_functions

REPO = Course()  # this repository's course

NOTEBOOK = REPO.notebook(REPO.source, "step_by_step")
FUNCTIONS = ["initialize_parameters", "initialize_parameters_deep", "linear_forward",
             "linear_activation_forward", "L_model_forward", "compute_cost", "linear_backward",
             "linear_activation_backward", "L_model_backward", "update_parameters"]
NUMBER = re.compile(r"-?\d+\.\d*(?:e[-+]?\d+)?|(?<![\w.])\d+(?![\w.])")


@pytest.fixture(scope="module")
def executed():
    """The source notebook executed top to bottom in a real kernel."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    return nb


def test_source_has_no_outputs():
    for cell in load_notebook(NOTEBOOK)["cells"]:
        if cell["cell_type"] == "code":
            assert not cell["outputs"] and cell["execution_count"] is None, (
                f"source cell {cell['id']} carries outputs: clear them before committing"
            )


def test_every_graded_function_follows_the_template():
    cells = [cell_text(c) for c in load_notebook(NOTEBOOK)["cells"]]
    graded = [c.splitlines()[0].split(":")[1].strip() for c in cells
              if c.startswith("# GRADED FUNCTION:")]
    assert graded == FUNCTIONS, f"graded functions {graded}, expected {FUNCTIONS}"
    for text in cells:
        if text.startswith("# GRADED FUNCTION:"):
            name = text.splitlines()[0].split(":")[1].strip()
            assert f"def {name}(" in text
            assert '"""' in text and "Returns:" in text and "shape" in text, (
                f"{name}: docstring must give every argument and return value with its shape"
            )
            starts = text.count("### START CODE HERE ### (≈")
            assert starts >= 1 and starts == text.count("### END CODE HERE ###"), name
            assert text.count("### BEGIN SOLUTION") == starts, name


def test_points_add_up_to_100_with_a_visible_and_a_hidden_test_per_function():
    points = graded_functions(REPO.root, "step_by_step")
    assert list(points) == FUNCTIONS
    assert sum(points.values()) == 100, f"total {sum(points.values())}, expected 100"
    ids = [c["metadata"]["nbgrader"]["grade_id"] for c in load_notebook(NOTEBOOK)["cells"]
           if c["metadata"].get("nbgrader", {}).get("grade")]
    for name in FUNCTIONS:
        assert f"test_{name}_visible" in ids and f"test_{name}_hidden" in ids, name
    assert all(function_of(i) in FUNCTIONS for i in ids)
    # The test cells hold no hidden tests: the grader decides outside the notebook.
    for cell in load_notebook(NOTEBOOK)["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade"):
            text = cell_text(cell)
            kind = "_test(" if meta["grade_id"].endswith("_visible") else "_shape_test("
            name = function_of(meta["grade_id"])
            assert f"tests.{name}{kind}{name})" in text, (meta["grade_id"], text)
            assert "HIDDEN" not in text and "dnncourse" not in text, (meta["grade_id"], text)


def test_reference_answers_pass_every_test_with_full_points():
    result = validate(NOTEBOOK)
    assert result == {}, f"nbgrader validate found problems in the source: {result}"


def test_printed_outputs_match_the_expected_output_tables(executed):
    cells = executed.cells
    checked = 0
    for index, cell in enumerate(cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if not grade_id.startswith("demo_"):
            continue
        table = cells[index + 1]
        assert table.cell_type == "markdown" and "Expected output" in table.source, grade_id
        printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        expected = NUMBER.findall(table.source)
        got = NUMBER.findall(printed)
        assert got == expected, (
            f"{grade_id}: printed numbers {got} differ from the expected table {expected}"
        )
        checked += 1
    assert checked == len(FUNCTIONS), f"checked {checked} demo cells, expected {len(FUNCTIONS)}"


def test_no_cell_writes_to_stderr_or_fails(executed):
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"cell {cell.id} raised {output.ename}"
            assert output.get("name") != "stderr", f"cell {cell.id} wrote to stderr: {output.text}"


def _words(text):
    return " ".join(text.split())


def test_the_gradient_check_cell_agrees_with_the_reference_backward_pass(executed):
    cell = next(c for c in executed.cells if c.id == "gradient-check")
    assert not cell.metadata["nbgrader"].get("grade"), "the gradient check is not graded"
    printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    assert "Every gradient agrees with the numerical one" in printed, printed
    assert "layers [5, 4, 3, 1], m = 4 examples" in printed, printed
    text = _words(executed.cells[executed.cells.index(cell) - 1].source)
    assert "layers `[5, 4, 3, 1]` and $m = 4$ examples" in text, "the text names the network"


def test_the_note_on_log_0_states_what_float64_does():
    import warnings

    import numpy as np
    from dnn_utils import sigmoid

    from dnncourse.grader import reference

    assert sigmoid(np.array(37.0))[0] == 1.0 and sigmoid(np.array(36.0))[0] < 1.0
    assert sigmoid(np.array(-710.0))[0] == 0.0 and sigmoid(np.array(-709.0))[0] > 0.0
    compute_cost = reference.load("step_by_step").compute_cost
    AL = sigmoid(np.array([[40.0, -3.0]]))[0]  # the first prediction is exactly 1.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        right = compute_cost(AL, np.array([[1.0, 0.0]]))
        wrong = compute_cost(AL, np.array([[0.0, 0.0]]))
    assert np.isnan(right) and np.isinf(wrong), (right, wrong)
    assert any("divide by zero encountered in log" in str(w.message) for w in caught)
    text = _words(next(c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells
                       if c.id == "text-15"))
    for claim in ("as soon as $z \\geq 37$", "below about $-710$",
                  "`divide by zero encountered in log`",
                  "the cost becomes `inf` if that prediction is wrong, and `nan` if it is right"):
        assert claim in text, f"the note on log 0 should say {claim!r}"


def test_the_notes_on_1_over_m_are_where_the_student_needs_them():
    cells = {c.id: _words(c.source) for c in nbformat.read(NOTEBOOK, as_version=4).cells}
    assert "**Why $\\frac{1}{m}$ appears only in $dW$ and $db$.**" in cells["text-17"]
    assert "would be divided by $m$ twice" in cells["text-17"]
    assert "There is no $\\frac{1}{m}$" in cells["text-21"]
    assert "derivative of the cost $J$" in cells["text-04"]
