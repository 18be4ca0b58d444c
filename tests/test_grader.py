"""The grader outside the kernel, on whole notebooks: its sandboxed process, its verdicts,
fairness to unusual correct answers, and what a hostile answer cell can do to it."""

import json

import pytest
from fairness_cases import ANSWERS
from fairness_cases import build as build_fair

from dnncourse.authoring import examples
from dnncourse.course import Course
from dnncourse.grader.grading import grade_notebook

REPO = Course()


def _notebook(student, assignment="step_by_step"):
    path = REPO.notebook(REPO.submitted / student, assignment)
    return json.loads(path.read_text(encoding="utf-8"))


def _points(verdicts):
    found = {}
    for verdict in verdicts.values():
        found[verdict.function] = found.get(verdict.function, 0) + verdict.points
    return found


def _full(verdicts):
    found = {}
    for verdict in verdicts.values():
        found[verdict.function] = found.get(verdict.function, 0) + verdict.max_points
    return found


@pytest.mark.parametrize("example", examples.EXAMPLES, ids=lambda e: f"{e.assignment}-{e.student}")
def test_examples_get_their_expected_points(example):
    verdicts, _ = grade_notebook(REPO, example.assignment,
                                 _notebook(example.student, example.assignment),
                                 call_seconds=5)
    expected = examples.expected_points(example, _full(verdicts))
    assert _points(verdicts) == expected, (
        f"{example.student}: expected {expected}, got {_points(verdicts)}: "
        + " | ".join(v.message for v in verdicts.values() if not v.passed))


def test_a_failure_on_the_published_example_is_shown_with_its_values_never_as_hidden():
    verdicts, _ = grade_notebook(REPO, "step_by_step", _notebook("typical_mistakes"))
    visible = verdicts["test_linear_backward_visible"]
    assert visible.message.startswith("linear_backward: dW has wrong values"), visible.message
    assert "expected array of shape (1, 3)" in visible.message, visible.message
    assert "1/m factor is missing" in visible.message, visible.message
    assert "hidden" not in visible.message.lower(), visible.message
    hidden = verdicts["test_linear_backward_hidden"]
    assert "expected array" not in hidden.message and "got array" not in hidden.message, (
        hidden.message)
    assert "1/m factor is missing" in hidden.message, hidden.message


def test_the_same_answers_get_the_same_cases_and_messages():
    first, _ = grade_notebook(REPO, "step_by_step", _notebook("typical_mistakes"))
    second, _ = grade_notebook(REPO, "step_by_step", _notebook("typical_mistakes"))
    assert {k: v.message for k, v in first.items()} == {k: v.message for k, v in
                                                        second.items()}


@pytest.mark.parametrize("answer", ANSWERS, ids=lambda a: a.key)
def test_an_unusual_correct_answer_earns_every_point(answer):
    verdicts, cells = grade_notebook(REPO, "step_by_step", build_fair(answer, REPO))
    lost = {k: v.message for k, v in verdicts.items() if not v.passed}
    assert not lost, f"{answer.key} ({answer.description}) lost points: {lost}"
    assert cells[f"solution_{answer.function}"] is None, cells


def _with_answer(function, source, base="correct"):
    nb = _notebook(base)
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == f"solution_{function}":
            cell["source"] = source
    return nb


def test_a_composite_is_graded_with_the_reference_of_what_it_builds_on():
    nb = _with_answer("linear_backward", "def linear_backward(dZ, cache):\n"
                                         "    return None, None, None\n")
    verdicts, _ = grade_notebook(REPO, "step_by_step", nb)
    points = _points(verdicts)
    assert points["linear_backward"] == 0
    assert points["linear_activation_backward"] == _full(verdicts)["linear_activation_backward"]
    assert points["L_model_backward"] == _full(verdicts)["L_model_backward"]


def test_a_function_cannot_borrow_a_graded_function_it_does_not_build_on():
    # linear_forward made from the reference linear_activation_forward of the grader
    source = ("def linear_forward(A, W, b):\n"
              "    A_out, ((A_in, W_in, b_in), Z) = linear_activation_forward(A, W, b, 'relu')\n"
              "    return Z, (A, W, b)\n")
    verdicts, _ = grade_notebook(REPO, "step_by_step", _with_answer("linear_forward", source))
    message = verdicts["test_linear_forward_hidden"].message
    assert verdicts["test_linear_forward_hidden"].points == 0, message
    assert "does not need" in message, message


def test_a_cell_that_exits_or_crashes_costs_only_its_own_function():
    source = ("import os\n\ndef compute_cost(AL, Y):\n"
              "    os.kill(os.getpid(), 9)\n")
    nb = _with_answer("compute_cost", source)
    nb = _with_answer_in(nb, "linear_forward", "import os\nos._exit(3)\n")
    verdicts, cells = grade_notebook(REPO, "step_by_step", nb)
    points, full = _points(verdicts), _full(verdicts)
    assert points["compute_cost"] == 0 and points["linear_forward"] == 0, points
    assert all(points[f] == full[f] for f in full if f not in ("compute_cost", "linear_forward"))
    assert "stopped the grading process" in verdicts["test_compute_cost_visible"].message
    assert "os._exit" in cells["solution_linear_forward"], cells


def _with_answer_in(nb, function, source):
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == f"solution_{function}":
            cell["source"] = source
    return nb


def test_a_call_that_ignores_its_alarm_is_stopped_and_grading_goes_on():
    source = ("import signal\n\ndef linear_forward(A, W, b):\n"
              "    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n    while True:\n"
              "        pass\n")
    verdicts, _ = grade_notebook(REPO, "step_by_step", _with_answer("linear_forward", source),
                                 call_seconds=2)
    points, full = _points(verdicts), _full(verdicts)
    assert points["linear_forward"] == 0
    assert "did not finish within 2 s" in verdicts["test_linear_forward_visible"].message
    assert all(points[f] == full[f] for f in full if f != "linear_forward"), points


def test_garbage_on_the_graders_pipe_costs_only_the_function_that_sent_it():
    source = ("import os\n\ndef update_parameters(params, grads, learning_rate):\n"
              "    os.write(int(os.environ['DNN_GRADER_OUT']), b'\\xff' * 64)\n"
              "    return params\n")
    verdicts, _ = grade_notebook(REPO, "step_by_step", _with_answer("update_parameters", source))
    points, full = _points(verdicts), _full(verdicts)
    assert points["update_parameters"] == 0
    assert all(points[f] == full[f] for f in full if f != "update_parameters"), points


def test_the_graders_process_sees_no_course_file():
    source = ("import glob, os, sys\n\n"
              "def initialize_parameters(n_x, n_h, n_y):\n"
              "    found = [p for p in glob.glob(" + repr(str(REPO.root)) + " + '/**',"
              " recursive=True) if os.path.isfile(p)]\n"
              "    try:\n        import dnncourse\n        found.append('dnncourse')\n"
              "    except ImportError:\n        pass\n"
              "    size = len(found)\n"
              "    return {'W1': __import__('numpy').full((n_h, n_x), float(size)),\n"
              "            'b1': __import__('numpy').zeros((n_h, 1)),\n"
              "            'W2': __import__('numpy').zeros((n_y, n_h)),\n"
              "            'b2': __import__('numpy').zeros((n_y, 1))}\n")
    verdicts, _ = grade_notebook(REPO, "step_by_step",
                                 _with_answer("initialize_parameters", source))
    # W1 is filled with the number of course files the process found (its environment,
    # .venv, is a hidden folder that ** does not enter): 0 is shown as 0.
    message = verdicts["test_initialize_parameters_visible"].message
    assert "got array of shape (2, 2) [0, 0, 0, 0]" in message, message
