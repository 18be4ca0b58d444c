"""The trusted cross-check agrees with the in-kernel tests on honest answers and pays nothing
for answers that only fool the kernel.

"nbgrader's points" here come from `kernel_points`, which runs the source notebook's test
cells (hidden tests included) after the student's answer cells in one namespace, as the
grading kernel does, without Jupyter; the last test grades with real nbgrader.
"""

import contextlib
import io
import json
import multiprocessing
import shutil
import signal
import sys

import numpy
import pytest
from conftest import copy_course, load_notebook
from mistake_catalogue import CATALOGUE

from dnncourse.authoring import examples
from dnncourse.course import Course
from dnncourse.grader import crosscheck
from dnncourse.job import reports
from dnncourse.job.nbgrader_steps import Steps

REPO = Course()  # this repository's course

CALL_TIMEOUT = 3  # seconds; only the endless-loop example reaches it
CELL_TIMEOUT = 5  # seconds per test cell in kernel_points (nbgrader: 30)
SHARED = ("public_tests", "test_utils", "dnn_utils", "dnn_blocks", "app_utils")


class CellTimeout(BaseException):
    """A test cell ran longer than CELL_TIMEOUT."""


def _raise_timeout(signum, frame):
    raise CellTimeout()


def kernel_points(nb, assignment):
    """Return {grade_id: points} the test cells give `nb`'s answers in a single namespace.

    Runs the source's import cell and provided cells, the student's answer cells and the
    source's test cells, in notebook order; demos and training runs are left out. It runs
    in a forked process: the answers may patch numpy, which this process uses to compare.
    """
    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(_kernel_points, (nb, assignment))


def _kernel_points(nb, assignment):
    source = REPO.notebook(REPO.source, assignment)
    answer_ids, _ = crosscheck.source_cells(source)
    answers = dict(crosscheck.answer_cells(nb, answer_ids))
    saved = {name: sys.modules.pop(name) for name in SHARED if name in sys.modules}
    sys.path.insert(0, str(REPO.source / assignment))
    old_handler = signal.signal(signal.SIGALRM, _raise_timeout)
    namespace, points = {"__name__": "__main__"}, {}
    try:
        for cell in load_notebook(source)["cells"]:
            meta = cell["metadata"].get("nbgrader", {})
            text = "".join(cell["source"])
            if cell["cell_type"] != "code":
                continue
            if meta.get("solution"):
                text = answers.get(meta["grade_id"], "")
            elif not (meta.get("grade") or meta.get("grade_id") == "packages"
                      or text.startswith("# PROVIDED FUNCTION")):
                continue
            signal.setitimer(signal.ITIMER_REAL, CELL_TIMEOUT)
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(text, meta.get("grade_id", "cell"), "exec"), namespace)
                passed = True
            except BaseException:  # a failing cell, as the kernel reports it
                passed = False
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if meta.get("grade"):
                points[meta["grade_id"]] = float(meta["points"]) if passed else 0.0
    finally:
        signal.signal(signal.SIGALRM, old_handler)
        sys.path.remove(str(REPO.source / assignment))
        for name in SHARED:
            sys.modules.pop(name, None)
        sys.modules.update(saved)
    return points


def crosscheck_points(nb, assignment, seed=None):
    scores = crosscheck.check_notebook(nb, assignment, seed=seed, call_timeout=CALL_TIMEOUT)
    return {grade_id: score.points for grade_id, score in scores.items()}, scores


def _differences(expected, got, scores):
    return {grade_id: f"expected {expected[grade_id]:g}, got {got.get(grade_id, 0):g}"
            f" ({scores[grade_id].reason if grade_id in scores else 'not checked'})"
            for grade_id in expected if expected[grade_id] != got.get(grade_id)}


def _by_function(points):
    totals = {}
    for grade_id, value in points.items():
        function = grade_id.removeprefix("test_").removesuffix("_visible").removesuffix("_hidden")
        totals[function] = totals.get(function, 0) + value
    return totals


@pytest.mark.parametrize("seed", [1, 2, 3, None])
@pytest.mark.parametrize("assignment", REPO.assignment_ids)
def test_reference_answers_get_full_points_on_any_random_cases(assignment, seed):
    example = examples.Example("correct", assignment, "reference answers")
    got, scores = crosscheck_points(examples.build_notebook(example), assignment, seed)
    lost = {g: s.reason for g, s in scores.items() if s.points != s.max_points}
    assert not lost, f"expected full points, got losses: {lost}"
    assert len(got) == len(crosscheck.source_cells(
        REPO.notebook(REPO.source, assignment))[1])


@pytest.mark.parametrize("example", examples.EXAMPLES,
                         ids=lambda e: f"{e.assignment}-{e.student}")
def test_examples_get_nbgraders_points_per_cell(example):
    nb = examples.build_notebook(example)
    expected = kernel_points(nb, example.assignment)
    full = reports.graded_functions(REPO.root, example.assignment)
    wanted = examples.expected_points(example, full)
    assert _by_function(expected) == wanted, (
        f"kernel_points: expected {wanted}, got {_by_function(expected)}")
    got, scores = crosscheck_points(nb, example.assignment)
    assert not _differences(expected, got, scores), _differences(expected, got, scores)


@pytest.mark.parametrize("mistake", CATALOGUE, ids=lambda m: m.key)
def test_catalogue_mistakes_get_nbgraders_points_per_cell(mistake):
    nb = examples.build_notebook(mistake.example())
    expected = kernel_points(nb, mistake.assignment)
    got, scores = crosscheck_points(nb, mistake.assignment)
    assert not _differences(expected, got, scores), _differences(expected, got, scores)
    lost = {f for f, total in _by_function(got).items()
            if total != reports.graded_functions(REPO.root, mistake.assignment)[f]}
    assert lost == {mistake.function}, f"expected points lost in {mistake.function}, got {lost}"


# Answers that make the in-kernel tests pass without computing the right values.
CHEATS = {
    "patched_allclose": ("linear_forward", '''
import numpy as np
np.allclose = lambda *args, **kwargs: True  # every value check in the kernel passes

def linear_forward(A, W, b):
    return np.zeros((W.shape[0], A.shape[1])), (A, W, b)
'''),
    "lying_array": ("initialize_parameters_deep", '''
import numpy as np

class Agreeable(np.ndarray):
    """Claims any shape it is asked about and to be close to anything."""
    claimed = None

    @property
    def shape(self):
        return self.claimed

    def __eq__(self, other):
        return True

    def __array_function__(self, func, types, args, kwargs):
        return True

def _fake(shape):
    fake = np.zeros(1).view(Agreeable)
    fake.claimed = shape
    return fake

def initialize_parameters_deep(layer_dims):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = _fake((layer_dims[l], layer_dims[l - 1]))
        parameters["b" + str(l)] = _fake((layer_dims[l], 1))
    return parameters
'''),
    "runs_the_reference": ("update_parameters", f'''
import sys
sys.path.insert(0, {str(REPO.root)!r})
from dnncourse.grader import reference

_reference = reference.load("step_by_step")

def update_parameters(params, grads, learning_rate):
    return _reference.update_parameters(params, grads, learning_rate)
'''),
}


def cheating_notebook(cheats):
    nb = examples.build_notebook(examples.Example("cheat", "step_by_step", "cheats"))
    answers = {f"solution_{function}": text for function, text in cheats}
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    return nb


@pytest.mark.parametrize("cheat", sorted(CHEATS))
def test_answers_that_fool_the_kernel_get_nothing_from_the_crosscheck(cheat):
    function, _ = CHEATS[cheat]
    nb = cheating_notebook([CHEATS[cheat]])
    kernel = _by_function(kernel_points(nb, "step_by_step"))
    full = reports.graded_functions(REPO.root, "step_by_step")
    assert kernel[function] == full[function], (
        f"{cheat}: expected the kernel's tests to pay {full[function]}, got {kernel[function]}")
    got, _ = crosscheck_points(nb, "step_by_step")
    assert _by_function(got)[function] == 0, (
        f"{cheat}: expected 0 from the cross-check, got {_by_function(got)[function]}")
    others = {f: p for f, p in _by_function(got).items() if f != function and p != full[f]}
    assert not others, f"{cheat}: expected full points elsewhere, got {others}"


def test_the_last_copy_of_an_answer_cell_counts_and_other_cells_do_not():
    nb = examples.build_notebook(examples.Example("copies", "step_by_step", "copies"))
    cells = nb["cells"]
    position = next(i for i, c in enumerate(cells) if c["metadata"].get("nbgrader", {})
                    .get("grade_id") == "solution_linear_forward")
    broken = json.loads(json.dumps(cells[position]))
    broken["source"] = "def linear_forward(A, W, b):\n    return None\n"
    plain = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
             "source": "def linear_forward(A, W, b):\n    return None\n"}
    cells[position + 1:position + 1] = [plain]  # an ordinary cell: not an answer
    cells.insert(position, broken)  # an earlier copy of the id: ignored
    got, scores = crosscheck_points(nb, "step_by_step")
    assert _by_function(got)["linear_forward"] == 5, (
        f"expected 5, got {_by_function(got)['linear_forward']} "
        f"({scores['test_linear_forward_visible'].reason})")


def test_a_stage_that_returns_garbage_scores_zero_for_its_functions():
    cheat = ("linear_activation_forward", '''
import os

def linear_activation_forward(A_prev, W, b, activation):
    os.write(int(os.environ["DNN_RESULT_FD"]), b"PK not a zip file")
    os._exit(0)
''')
    got, scores = crosscheck_points(cheating_notebook([cheat]), "step_by_step")
    totals = _by_function(got)
    stage = {"linear_activation_forward", "linear_activation_backward"}
    assert all(totals[f] == 0 for f in stage), f"expected 0 for {stage}, got {totals}"
    assert "no usable result" in scores["test_linear_activation_backward_visible"].reason
    assert totals["linear_forward"] == 5, f"expected 5, got {totals['linear_forward']}"


def test_disagreements_override_the_gradebook_with_real_nbgrader(tmp_path):
    """Autograde a correct and a cheating submission, then cross-check both."""
    from nbgrader.api import Gradebook

    course = copy_course(tmp_path / "course")
    shutil.rmtree(course / "submitted")
    shutil.rmtree(course / "source" / "application")
    correct = examples.Example("honest", "step_by_step", "reference answers")
    examples.write(correct, course / "submitted")
    cheat = examples.write(examples.Example("cheater", "step_by_step", "cheats"),
                           course / "submitted")
    nb_path = next(cheat.glob("*.ipynb"))
    nb_path.write_text(json.dumps(cheating_notebook(
        [CHEATS["patched_allclose"], CHEATS["runs_the_reference"]])), encoding="utf-8")
    steps = Steps(course)
    released = steps.generate_assignment("step_by_step")
    assert released.success, released.log
    for student in ("honest", "cheater"):
        graded = steps.autograde("step_by_step", student)
        assert graded.success, f"{student}: {graded.error}"

    assert crosscheck.check_submission(course, "step_by_step", "honest") == []
    found = crosscheck.check_submission(course, "step_by_step", "cheater")
    overridden = {(d.function, d.nbgrader_points, d.crosscheck_points) for d in found}
    assert {f for f, _, _ in overridden} == {"linear_forward", "update_parameters"}, overridden
    assert all(ours == 0 and theirs > 0 for _, theirs, ours in overridden), overridden

    url = Course(course).gradebook_url
    with Gradebook(url) as gb:
        submission = gb.find_submission("step_by_step", "cheater")
        assert submission.score == 100 - 15, f"expected 85, got {submission.score}"
        notebook = nb_path.stem
        comment = gb.find_comment("solution_linear_forward", notebook, "step_by_step",
                                  "cheater")
        assert crosscheck.COMMENT_MARK in (comment.manual_comment or ""), comment.manual_comment
        assert gb.find_submission("step_by_step", "honest").score == 100
    # Running it again changes nothing and reports the same disagreements.
    again = crosscheck.check_submission(course, "step_by_step", "cheater")
    assert {(d.grade_id, d.crosscheck_points) for d in again} == \
        {(d.grade_id, d.crosscheck_points) for d in found}
    with Gradebook(url) as gb:
        comment = gb.find_comment("solution_linear_forward", notebook, "step_by_step",
                                  "cheater")
        lines = comment.manual_comment.splitlines()
        assert len(lines) == 2, f"expected 2 comment lines, got {lines}"


def test_results_holding_objects_or_too_much_data_are_refused():
    pickled = io.BytesIO()
    numpy.savez(pickled, index=numpy.array('{"results": []}'),
                r0=numpy.array([object()], dtype=object))
    index, arrays = crosscheck._load_result(_npz(index='{"results": []}'))
    assert index == {"results": []} and arrays == {}, f"expected an empty result, got {index}"
    for data, words in ((pickled.getvalue(), "not a valid .npz"),
                        (_npz(index='{"results": []}', r0=numpy.zeros(2**26, dtype=numpy.uint8),
                              r1=numpy.zeros(2**26, dtype=numpy.uint8),
                              r2=numpy.zeros(2**26, dtype=numpy.uint8),
                              r3=numpy.zeros(2**26, dtype=numpy.uint8), compressed=True),
                         "too much data"),
                        (b"\0" * (crosscheck.MAX_RESULT_BYTES + 1), "too large")):
        with pytest.raises(ValueError) as caught:
            crosscheck._load_result(data)
        assert words in str(caught.value), f"expected {words!r}, got {caught.value}"


def _npz(compressed=False, **arrays):
    buffer = io.BytesIO()
    (numpy.savez_compressed if compressed else numpy.savez)(
        buffer, **{k: numpy.array(v) if isinstance(v, str) else v for k, v in arrays.items()})
    return buffer.getvalue()
