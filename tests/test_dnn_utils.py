"""Unit and property tests of dnn_utils: activations and their backward passes."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dnncourse.grader.gradients import numerical_gradient, relative_error
from dnncourse.shipped.dnn_utils import relu, relu_backward, sigmoid, sigmoid_backward

finite = st.floats(-30, 30, allow_nan=False, allow_infinity=False)
matrices = arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 5)), elements=finite)


def test_sigmoid_known_values():
    A, cache = sigmoid(np.array([[0.0, 2.0, -2.0]]))
    expected = np.array([[0.5, 0.8807970779778823, 0.11920292202211755]])
    assert np.allclose(A, expected, rtol=1e-12), f"sigmoid gave {A}, expected {expected}"
    assert np.array_equal(cache, [[0.0, 2.0, -2.0]]), "sigmoid should return Z as its cache"


def test_sigmoid_extreme_inputs_stay_finite_and_silent(recwarn):
    A, _ = sigmoid(np.array([[-1000.0, 1000.0]]))
    assert np.array_equal(A, [[0.0, 1.0]]), f"sigmoid(+-1000) gave {A}, expected [[0, 1]]"
    assert not recwarn.list, f"sigmoid warned: {[str(w.message) for w in recwarn.list]}"


@given(matrices)
def test_sigmoid_is_in_unit_interval_and_symmetric(Z):
    A, _ = sigmoid(Z)
    B, _ = sigmoid(-Z)
    assert A.shape == Z.shape, f"sigmoid changed the shape {Z.shape} into {A.shape}"
    assert np.all((A > 0) & (A < 1)), f"sigmoid left (0, 1) for Z in [-30, 30]: {A}"
    assert np.allclose(B, 1 - A, atol=1e-12), "sigmoid(-z) should equal 1 - sigmoid(z)"


@given(matrices)
def test_relu_is_max_zero(Z):
    A, cache = relu(Z)
    assert np.array_equal(A, np.maximum(Z, 0)), f"relu({Z}) gave {A}"
    assert cache is Z, "relu should return Z itself as its cache"


@given(matrices, st.integers(0, 2**31 - 1))
def test_relu_backward_masks_where_z_not_positive(Z, seed):
    dA = np.random.default_rng(seed).standard_normal(Z.shape)
    before = dA.copy()
    dZ = relu_backward(dA, Z)
    assert np.array_equal(dZ[Z <= 0], np.zeros(np.sum(Z <= 0))), "dZ must be 0 where Z <= 0"
    assert np.array_equal(dZ[Z > 0], dA[Z > 0]), "dZ must equal dA where Z > 0"
    assert np.array_equal(dA, before), "relu_backward must not change dA in place"


@given(matrices, st.integers(0, 2**31 - 1))
def test_sigmoid_backward_matches_formula(Z, seed):
    dA = np.random.default_rng(seed).standard_normal(Z.shape)
    s = 1 / (1 + np.exp(-Z))
    assert np.allclose(sigmoid_backward(dA, Z), dA * s * (1 - s), atol=1e-12)


def _check_backward_numerically(forward, backward, Z, dA):
    analytic = backward(dA, Z)
    numeric = numerical_gradient(lambda: float(np.sum(dA * forward(Z)[0])), Z)
    error = relative_error(analytic, numeric)
    assert error < 1e-7, f"{backward.__name__}: relative error {error:.2e} to finite differences"


def test_backward_helpers_match_finite_differences():
    rng = np.random.default_rng(0)
    Z = rng.standard_normal((4, 6))
    Z[np.abs(Z) < 1e-3] = 0.5  # keep away from the ReLU kink
    dA = rng.standard_normal((4, 6))
    _check_backward_numerically(sigmoid, sigmoid_backward, Z.copy(), dA)
    _check_backward_numerically(relu, relu_backward, Z.copy(), dA)
