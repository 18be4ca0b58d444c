"""The visible and hidden checks, in process: they accept the reference and explain mistakes."""

import types

import numpy as np
import public_tests
import pytest

from dnncourse.grader import reference
from dnncourse.hidden import step_by_step as hidden
from dnncourse.shipped.test_utils import check_array, check_scalar

REF = reference.load("step_by_step")
FUNCTIONS = REF.GRADED


@pytest.mark.parametrize("name", FUNCTIONS)
def test_reference_passes_visible_shape_and_hidden_checks(name, capsys):
    function = getattr(REF, name)
    getattr(public_tests, f"{name}_test")(function)
    getattr(public_tests, f"{name}_shape_test")(function)
    getattr(hidden, f"{name}_hidden_test")(function)
    assert f"{name}: all visible tests passed." in capsys.readouterr().out


def _answer_returning(name, value):
    """A 'student answer' that ignores its inputs and returns a constant."""
    def constant(*args, **kwargs):
        return value
    constant.__name__ = name
    return constant


@pytest.mark.parametrize("name", FUNCTIONS)
def test_hard_coded_published_outputs_earn_no_hidden_points(name):
    # Run the reference on the published case and freeze what it returned.
    case = getattr(public_tests, f"{name}_case")()
    case = case if isinstance(case, tuple) else (case,)
    extra = ("sigmoid",) if name in ("linear_activation_forward",
                                     "linear_activation_backward") else ()
    args = (*case, 0.1) if name == "update_parameters" else case + extra
    frozen = getattr(REF, name)(*args)
    with pytest.raises(AssertionError):
        getattr(hidden, f"{name}_hidden_test")(_answer_returning(name, frozen))


def test_messages_name_the_function_and_hint_at_the_mistake():
    expected = np.arange(6.0).reshape(3, 2) + 1
    with pytest.raises(AssertionError, match=r"linear_backward: db has shape \(3,\), expected "
                                             r"\(3, 1\)\. Did you keep the dimensions"):
        check_array("linear_backward", "db", np.ones(3), np.ones((3, 1)))
    with pytest.raises(AssertionError, match=r"about m = 4 times too large: did you divide by m"):
        check_array("linear_backward", "dW", expected * 4, expected, m=4)
    with pytest.raises(AssertionError, match="wrong sign"):
        check_array("L_model_backward", "dW1", -expected, expected, m=4)
    with pytest.raises(AssertionError, match="Rows and columns are swapped"):
        check_array("linear_forward", "Z", expected.T, expected)
    with pytest.raises(AssertionError, match="is None: fill in the code between ### START CODE"):
        check_array("linear_forward", "Z", None, expected)
    with pytest.raises(AssertionError, match=r"single number \(0-d\).*np.squeeze"):
        check_scalar("compute_cost", "cost", np.array([[0.4]]), 0.4)


def test_a_crash_inside_the_function_is_reported_by_name():
    def linear_forward(A, W, b):
        return np.dot(W, A) + bias  # noqa: F821 (the mistake under test)

    with pytest.raises(AssertionError, match="linear_forward raised NameError"):
        public_tests.linear_forward_test(linear_forward)


def test_isolation_swaps_in_the_reference_helpers_only():
    broken_linear_backward = _answer_returning("linear_backward", (None, None, None))
    namespace = dict(vars(REF), linear_backward=broken_linear_backward)
    # the student's linear_activation_backward: the reference code, living in a namespace
    # where linear_backward is broken
    student = types.FunctionType(REF.linear_activation_backward.__code__, namespace)
    with pytest.raises(AssertionError):
        public_tests.linear_activation_backward_test(student)
    hidden.linear_activation_backward_hidden_test(student)  # graded with the reference helper
    public_tests.linear_activation_backward_test(
        hidden.isolated(student, "linear_activation_backward"))


def test_hidden_gradient_check_catches_a_wrong_derivative():
    def linear_backward(dZ, cache):
        dA_prev, dW, db = REF.linear_backward(dZ, cache)
        return dA_prev, dW, db * 1.5
    with pytest.raises(AssertionError, match="linear_backward"):
        hidden.linear_backward_hidden_test(linear_backward)


def test_inputs_are_copied_so_in_place_updates_grade_the_same():
    def update_parameters(params, grads, learning_rate):
        L = len(params) // 2
        for l in range(1, L + 1):
            params["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
            params["b" + str(l)] -= learning_rate * grads["db" + str(l)]
        return params
    public_tests.update_parameters_test(update_parameters)
    hidden.update_parameters_hidden_test(update_parameters)
