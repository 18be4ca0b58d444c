"""The catalogue's checks, in process: they accept the reference on every case, refuse fixed
outputs, check gradients, and their messages name the function, the output and the cause."""

import copy

import numpy as np
import pytest

from dnncourse.course import Course
from dnncourse.grader import catalogue, reference
from dnncourse.grader.catalogue import HIDDEN, PUBLISHED, TWIN
from dnncourse.grader.grading import check_case, reference_output
from dnncourse.grader.session import Outcome
from dnncourse.shipped.test_utils import (
    MEAN,
    PER_EXAMPLE,
    CheckFailure,
    Shape,
    call,
    check_array,
    check_keys,
    check_scalar,
)

REPO = Course()
FUNCTIONS = [(a, f) for a in REPO.assignment_ids for f in catalogue.load(REPO, a)]


def _run(assignment, name, answer, seed):
    """Run `answer` (a Python function) on every case of `name`, as the grader checks
    them; return {case kind: [CheckFailure or None]}."""
    functions = catalogue.load(REPO, assignment)
    ref = reference.load(assignment, REPO)
    rng = np.random.default_rng(seed)
    found = {}
    for case in catalogue.cases(functions[name], rng):
        state = np.random.get_state()
        np.random.seed(7)
        try:
            value = answer(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
            outcome = Outcome(value=value)
        except Exception as exc:  # the answer under test may raise: that is a failure
            outcome = Outcome(error=f"raised {type(exc).__name__}")
        finally:
            np.random.set_state(state)
        found.setdefault(case.kind, []).append(check_case(functions[name], ref, case, outcome, 7))
    return found


@pytest.mark.parametrize(("assignment", "name"), FUNCTIONS)
def test_reference_passes_the_visible_tests_in_the_notebook(assignment, name, capsys):
    public = catalogue.public_module(REPO, assignment)
    function = getattr(reference.load(assignment, REPO), name)
    getattr(public, f"{name}_test")(function)
    getattr(public, f"{name}_shape_test")(function)
    assert f"{name}: all visible tests passed." in capsys.readouterr().out


@pytest.mark.parametrize(("assignment", "name"), FUNCTIONS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_passes_every_case_of_the_catalogue(assignment, name, seed):
    # The published examples check against the published figures, the gradient checks
    # against finite differences: this checks the catalogue as much as the reference.
    results = _run(assignment, name, getattr(reference.load(assignment, REPO), name), seed)
    failures = [f.message() for found in results.values() for f in found if f is not None]
    assert not failures, f"{name}: the reference fails its own catalogue: {failures}"
    assert len(results[HIDDEN]) >= 3, f"{name}: expected at least 3 hidden cases"


def _constant(value):
    def answer(*args, **kwargs):
        return copy.deepcopy(value)
    return answer


@pytest.mark.parametrize(("assignment", "name"), FUNCTIONS)
def test_fixed_published_outputs_earn_nothing(assignment, name):
    functions = catalogue.load(REPO, assignment)
    ref = reference.load(assignment, REPO)
    example = functions[name].published()[0]
    frozen = reference_output(ref, name, catalogue.Case(PUBLISHED, "", example.args,
                                                        example.kwargs), 7)
    results = _run(assignment, name, _constant(frozen), 3)
    assert results[PUBLISHED][0] is None, f"{name}: the frozen output should pass its example"
    assert any(f is not None for f in results[TWIN]), (
        f"{name}: published outputs returned as constants pass the visible cell's twin")
    assert all(f is not None for f in results[HIDDEN]), (
        f"{name}: published outputs returned as constants pass a hidden case")


@pytest.mark.parametrize("name", ["linear_backward", "linear_activation_backward",
                                  "L_model_backward"])
def test_gradient_checks_hold_for_the_reference_on_many_draws(name):
    answer = getattr(reference.load("step_by_step", REPO), name)
    for seed in range(100, 160):
        results = _run("step_by_step", name, answer, seed)
        failures = [f.message() for f in results[HIDDEN] if f is not None]
        assert not failures, f"seed {seed}: {failures}"


def test_gradient_checks_catch_a_wrong_derivative():
    ref = reference.load("step_by_step", REPO)

    def linear_backward(dZ, cache):
        dA_prev, dW, db = ref.linear_backward(dZ, cache)
        return dA_prev, dW, db * 1.5

    results = _run("step_by_step", "linear_backward", linear_backward, 0)
    messages = [f.message(show_values=False) for f in results[HIDDEN] if f is not None]
    assert messages, "a db 1.5 times too large passes the hidden cases"
    assert all("db" in m for m in messages), messages


def test_an_update_in_place_is_graded_the_same_and_told(capsys):
    public = catalogue.public_module(REPO, "step_by_step")

    def update_parameters(params, grads, learning_rate):
        for l in range(1, len(params) // 2 + 1):
            params["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
            params["b" + str(l)] -= learning_rate * grads["db" + str(l)]
        return params

    public.update_parameters_test(update_parameters)
    assert "changed the dictionary it was given" in capsys.readouterr().out
    results = _run("step_by_step", "update_parameters", update_parameters, 0)
    assert all(f is None for found in results.values() for f in found)


# Messages -----------------------------------------------------------------------------------

EXPECTED = np.arange(6.0).reshape(3, 2) + 1


@pytest.mark.parametrize(("got", "kind", "words"), [
    (np.ones(3), None, "has shape (3,), expected (3, 1). Keep the dimensions"),
    (EXPECTED * 4, MEAN, "m = 4 times too large: the 1/m factor is missing"),
    (EXPECTED / 4, MEAN, "m = 4 times too small: did you divide by m twice"),
    (EXPECTED / 4, PER_EXAMPLE, "takes no 1/m"),
    (-EXPECTED, None, "wrong sign"),
    (EXPECTED.T, None, "Rows and columns are swapped"),
    (None, None, "is None. Fill in the code between ### START CODE HERE"),
    (np.full((3, 2), np.nan), None, "nan or inf"),
])
def test_array_messages_name_the_output_and_the_likely_cause(got, kind, words):
    expected = np.ones((3, 1)) if words.startswith("has shape") else EXPECTED
    with pytest.raises(CheckFailure) as failure:
        check_array("linear_backward", "dW", got, expected, m=4, kind=kind)
    assert words in str(failure.value), str(failure.value)
    assert str(failure.value).startswith("linear_backward: dW "), str(failure.value)


def test_a_wrong_variable_is_named_by_its_shape():
    with pytest.raises(CheckFailure, match="That is the shape of A_prev"):
        check_array("linear_backward", "dW", np.ones((4, 5)), np.ones((3, 4)),
                    others={"A_prev": np.ones((4, 5))})


def test_keys_shifted_by_one_layer_are_recognised():
    with pytest.raises(CheckFailure, match="shifted by one"):
        check_keys("initialize_parameters_deep", "parameters", {"W0": 1, "b0": 1, "W1": 1,
                                                                "b1": 1},
                   {"W1": 1, "b1": 1, "W2": 1, "b2": 1})


def test_a_number_must_be_one_number():
    with pytest.raises(CheckFailure, match=r"single number \(0-d\).*np.squeeze"):
        check_scalar("compute_cost", "cost", np.array([[0.4]]), 0.4)
    check_scalar("compute_cost", "cost", np.float32(0.41493160), 0.41493159961539694)


def test_hidden_rendering_shows_no_value():
    with pytest.raises(CheckFailure) as failure:
        check_array("linear_backward", "dW", EXPECTED * 7, EXPECTED, m=7, kind=MEAN)
    hidden = failure.value.message(show_values=False, where="on a layer of 3 units")
    assert hidden.startswith("linear_backward on a layer of 3 units: dW has wrong values")
    assert "expected" not in hidden and "[" not in hidden, hidden
    assert "1/m factor is missing" in hidden


def test_a_shape_only_expectation_checks_the_shape():
    check_array("linear_forward", "Z", np.ones((3, 5)), Shape((3, 5)))
    with pytest.raises(CheckFailure, match=r"has shape \(5, 3\), expected \(3, 5\)"):
        check_array("linear_forward", "Z", np.ones((5, 3)), Shape((3, 5)))


def test_a_crash_inside_the_function_names_the_function_and_its_line():
    namespace = {"np": np}
    source = "def linear_forward(A, W, b):\n    return np.dot(W, A) + bias\n"
    exec(compile(source, "<answer solution_linear_forward>", "exec"), namespace)
    import linecache

    linecache.cache["<answer solution_linear_forward>"] = (
        len(source), None, source.splitlines(True), "<answer solution_linear_forward>")
    with pytest.raises(CheckFailure) as failure:
        call(namespace["linear_forward"], "linear_forward", np.ones((2, 2)), np.ones((1, 2)),
             np.ones((1, 1)))
    text = str(failure.value)
    assert text.startswith("linear_forward: raised NameError: name 'bias' is not defined"), text
    assert "at line 2 of linear_forward: `return np.dot(W, A) + bias`" in text, text


def test_a_failed_assert_names_the_line_and_the_arrays():
    namespace = {"np": np}
    source = ("def linear_backward(dZ, cache):\n    dW = np.ones((3, 3))\n"
              "    assert dW.shape == (1, 3)\n    return dW\n")
    name = "<answer solution_linear_backward>"
    exec(compile(source, name, "exec"), namespace)
    import linecache

    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    with pytest.raises(CheckFailure) as failure:
        call(namespace["linear_backward"], "linear_backward", None, None)
    text = str(failure.value)
    assert "`assert dW.shape == (1, 3)` is false; dW has shape (3, 3)" in text, text
    assert "()" not in text.split("`")[0], text


def test_notebook_failures_show_the_message_first_and_only_the_students_lines():
    failure = CheckFailure("linear_backward", "dW", "has wrong values (its shape (1, 3) is"
                           " right)", values="expected ..., got ...", hint="A hint.")
    lines = failure._render_traceback_()
    assert lines[0].startswith("linear_backward: dW has wrong values"), lines
    assert all(len(line) <= 90 for line in lines), lines
    assert not any("test_utils" in line or "public_tests" in line for line in lines), lines
