"""The student's own gradient check (dnncourse/shipped/gradient_check.py): the reference
backward pass passes it, planted backward mistakes are named, and it reveals no answer."""

import linecache
import re

import numpy as np
import pytest

from dnncourse.course import Course
from dnncourse.grader.reference import graded_cells
from dnncourse.shipped import dnn_utils
from dnncourse.shipped import gradient_check as gc

REPO = Course()  # this repository's course
NOTEBOOK = REPO.source_notebook("step_by_step")
CELLS = graded_cells(NOTEBOOK)


def functions(function=None, old=None, new=None):
    """The reference functions of Step by Step, with `old` replaced by `new` in `function`.

    Each cell is compiled under a file name that linecache knows, as IPython does for a
    notebook's cells, so that tracebacks can show the student's line.
    """
    namespace = {"np": np}
    for helper in ("sigmoid", "relu", "sigmoid_backward", "relu_backward"):
        namespace[helper] = getattr(dnn_utils, helper)
    for name, source in CELLS.items():
        if name == function:
            assert source.count(old) == 1, f"{old!r} is not once in {name}"
            source = source.replace(old, new)
        filename = f"<cell {name}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), namespace)
    return namespace


def check(namespace, capsys):
    wrong = gc.check_gradients(namespace["L_model_forward"], namespace["compute_cost"],
                               namespace["L_model_backward"])
    return wrong, capsys.readouterr().out


def test_the_reference_backward_pass_agrees(capsys):
    wrong, printed = check(functions(), capsys)
    assert wrong == [], printed
    assert printed.count(" ok\n") == 7 and "Every gradient agrees" in printed, printed
    errors = [float(e) for e in re.findall(r"\s(\d\.\de-\d\d)\s", printed)]
    assert len(errors) == 7 and max(errors) < gc.TOLERANCE / 10, printed


ALL = ["dW3", "db3", "dW2", "db2", "dW1", "db1", "dA1"]
BELOW_OUTPUT = ["dW2", "db2", "dW1", "db1", "dA1"]


@pytest.mark.parametrize(
    ("function", "old", "new", "wrong", "words"),
    [
        ("linear_backward", "dW = 1 / m * np.dot(dZ, A_prev.T)", "dW = np.dot(dZ, A_prev.T)",
         ["dW3", "dW2", "dW1"], ["m = 4 times too large: is a 1/m missing?", "Start with layer 3"]),
        ("linear_backward", "db = 1 / m * np.sum(dZ, axis=1, keepdims=True)",
         "db = np.sum(dZ, axis=1, keepdims=True)",
         ["db3", "db2", "db1"], ["m = 4 times too large"]),
        ("L_model_backward", "dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))",
         "dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)) / AL.shape[1]",
         ALL, ["m = 4 times too small: is it divided by m twice?"]),
        ("L_model_backward", "dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))",
         "dAL = np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)", ALL, ["wrong sign"]),
        ("L_model_backward", 'grads["dA" + str(l + 2)], current_cache, "relu")',
         'grads["dA" + str(l + 2)], current_cache, "sigmoid")', BELOW_OUTPUT,
         ["Start with layer 2"]),
        ("linear_activation_backward", "dZ = relu_backward(dA, activation_cache)",
         "dZ = sigmoid_backward(dA, activation_cache)", BELOW_OUTPUT, ["Start with layer 2"]),
        ("L_model_backward", 'grads["dW" + str(l + 1)] = dW_temp',
         'grads["dW" + str(l + 2)] = dW_temp', ["dW3", "dW2", "dW1"],
         ["the shape of W2: is it stored under another layer's key?",
          "grads has no key 'dW1'"]),
        ("linear_backward", "dA_prev = np.dot(W.T, dZ)", "dA_prev = np.dot(W.T, dZ) / m",
         ["dW2", "db2", "dW1", "db1", "dA1"], ["Start with layer 2"]),
    ],
    ids=["dW-without-1/m", "db-without-1/m", "dAL-divided-by-m", "dAL-sign",
         "relu-layers-as-sigmoid", "relu-branch-uses-sigmoid-backward", "dW-key-shifted",
         "dA_prev-divided-by-m"],
)
def test_a_planted_backward_mistake_is_named(capsys, function, old, new, wrong, words):
    found, printed = check(functions(function, old, new), capsys)
    assert found == wrong, f"expected {wrong} off, got {found}:\n{printed}"
    for word in words:
        assert word in printed, f"expected {word!r} in:\n{printed}"
    for name in set(ALL) - set(wrong):
        assert re.search(rf"^  {name}\s.*\sok$", printed, re.M), f"{name} should be ok:\n{printed}"


def test_a_function_that_raises_is_reported_with_its_line(capsys):
    namespace = functions("linear_backward", "db = 1 / m * np.sum(dZ, axis=1, keepdims=True)",
                          "db = 1 / m * np.sum(dZ, axis=0, keepdims=True)")
    found, printed = check(namespace, capsys)
    assert found is None, printed
    assert ("Could not check: L_model_backward raised AssertionError in linear_backward, at "
            "`assert db.shape == b.shape`. Make its tests pass first.") in printed, printed


def test_an_unfinished_backward_pass_is_reported_not_raised(capsys):
    namespace = functions("L_model_backward",
                          "dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))", "dAL = None")
    found, printed = check(namespace, capsys)
    assert found is None and "Could not check: L_model_backward raised TypeError" in printed


def test_the_network_keeps_every_relu_input_away_from_the_kink():
    namespace = functions()
    X, Y, parameters = gc.network()
    assert set(Y[0]) == {0.0, 1.0}, "both classes"
    _, caches = namespace["L_model_forward"](X, parameters)
    for l, (_, Z) in enumerate(caches[:-1], 1):
        assert np.abs(Z).min() >= 0.05, f"layer {l}: an input within 0.05 of the ReLU's kink"
        assert ((Z > 0).any(axis=1) & (Z < 0).any(axis=1)).all(), (
            f"layer {l}: a unit is on for every example or off for every one")


def test_the_check_leaves_numpys_global_generator_alone(capsys):
    np.random.seed(7)
    expected = np.random.rand()
    np.random.seed(7)
    check(functions(), capsys)
    assert np.random.rand() == expected


def test_the_check_reveals_no_line_of_the_reference_answers():
    answers = set()
    for source in CELLS.values():
        inside = False
        for line in source.splitlines():
            if "### BEGIN SOLUTION" in line:
                inside = True
            elif "### END SOLUTION" in line:
                inside = False
            elif inside and line.strip():
                answers.add(line.strip())
    lines = {line.strip() for line in (REPO.root / "dnncourse" / "shipped" /
                                       "gradient_check.py").read_text().splitlines()}
    assert len(answers) > 20 and not answers & lines, sorted(answers & lines)
