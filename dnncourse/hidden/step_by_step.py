"""Hidden tests of the Step by Step assignment, run by the notebook's hidden test cells.

They use inputs the student never sees (other seeds, several output units, 3- and
4-layer networks, labels of both classes, m = 1, non-square shapes), compare every
output with the reference answers from the source notebook, and check the backward
passes against centred finite differences in float64. Each `*_hidden_test(target)`
first rebinds `target` with `isolated`, so only its own mistakes count.
"""

import numpy as np

from dnncourse.grader import reference
from dnncourse.hidden import check_gradient, isolated, numerical_gradient, random_network
from dnncourse.shipped.test_utils import call, check_array, check_keys, check_scalar, unpack

ASSIGNMENT = "step_by_step"


def _ref():
    return reference.load(ASSIGNMENT)


def _rng(seed):
    return np.random.default_rng(seed)


def _network(seed, dims, m, scale=1.0):
    """Random input X (dims[0], m) and parameters of a network with layer sizes `dims`."""
    return random_network(_rng(seed), dims, m, scale)


def _labels(seed, shape):
    """Labels of both classes, shape `shape`."""
    Y = (_rng(seed).random(shape) > 0.5).astype(float)
    Y.flat[0], Y.flat[-1] = 1.0, 0.0 if Y.size > 1 else 1.0
    return Y


def _check_layer_cache(name, got, expected):
    """Compare a ((A_prev, W, b), Z) cache with the reference one."""
    if not (isinstance(got, tuple) and len(got) == 2 and isinstance(got[0], tuple)
            and len(got[0]) == 3):
        raise AssertionError(f"{name}: cache should be ((A_prev, W, b), Z).")
    for label, g, e in zip(("A_prev", "W", "b"), got[0], expected[0]):
        check_array(name, f"linear cache {label}", g, e)
    check_array(name, "activation cache Z", got[1], expected[1])


# ----------------------------------------------------------------------------
# Initialization
# ----------------------------------------------------------------------------

def initialize_parameters_hidden_test(target):
    ref = _ref()
    target = isolated(target, "initialize_parameters")
    for dims in ((3, 5, 2), (6, 4, 3), (1, 1, 1)):
        name = f"initialize_parameters{dims}"
        np.random.seed(99)  # the function must set its own seed
        got = call(target, name, *dims)
        expected = ref.initialize_parameters(*dims)
        check_keys(name, "parameters", got, expected)
        for key in expected:
            check_array(name, key, got[key], expected[key])


def initialize_parameters_deep_hidden_test(target):
    ref = _ref()
    target = isolated(target, "initialize_parameters_deep")
    for dims in ([4, 6, 3, 2], [7, 5, 1], [3, 1], [2, 3, 4, 5, 1]):
        name = f"initialize_parameters_deep({dims})"
        np.random.seed(99)
        got = call(target, name, list(dims))
        expected = ref.initialize_parameters_deep(list(dims))
        check_keys(name, "parameters", got, expected)
        for key in expected:
            check_array(name, key, got[key], expected[key])


# ----------------------------------------------------------------------------
# Forward
# ----------------------------------------------------------------------------

_LAYER_SHAPES = ((4, 3, 5), (6, 2, 1), (2, 5, 7))  # (n[l-1], n[l], m)


def _layer(seed, n_prev, n, m):
    rng = _rng(seed)
    return (rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)),
            rng.standard_normal((n, 1)))


def linear_forward_hidden_test(target):
    ref = _ref()
    target = isolated(target, "linear_forward")
    for seed, shape in enumerate(_LAYER_SHAPES, start=101):
        name = f"linear_forward(A {shape[0], shape[2]}, W {shape[1], shape[0]})"
        A, W, b = _layer(seed, *shape)
        Z, cache = unpack(call(target, name, A, W, b), name, ("Z", "cache"))
        expected_Z, _ = ref.linear_forward(A, W, b)
        check_array(name, "Z", Z, expected_Z)
        if not (isinstance(cache, tuple) and len(cache) == 3):
            raise AssertionError(f"{name}: cache should be (A, W, b).")
        for label, g, e in zip(("A", "W", "b"), cache, (A, W, b)):
            check_array(name, f"cache {label}", g, e)


def linear_activation_forward_hidden_test(target):
    ref = _ref()
    target = isolated(target, "linear_activation_forward")
    for seed, shape in enumerate(_LAYER_SHAPES, start=111):
        A_prev, W, b = _layer(seed, *shape)
        for activation in ("sigmoid", "relu"):
            name = f'linear_activation_forward(A_prev {A_prev.shape}, W {W.shape}, "{activation}")'
            A, cache = unpack(call(target, name, A_prev, W, b, activation), name,
                              ("A", "cache"))
            expected_A, expected_cache = ref.linear_activation_forward(A_prev, W, b, activation)
            check_array(name, "A", A, expected_A)
            _check_layer_cache(name, cache, expected_cache)


_NETWORKS = (([5, 4, 3, 2], 7), ([6, 5, 4, 3, 1], 1), ([3, 4, 1], 4))  # (dims, m)


def L_model_forward_hidden_test(target):
    ref = _ref()
    target = isolated(target, "L_model_forward")
    for seed, (dims, m) in enumerate(_NETWORKS, start=121):
        name = f"L_model_forward(layers {dims}, m={m})"
        X, parameters = _network(seed, dims, m, scale=0.7)
        AL, caches = unpack(call(target, name, X, parameters), name, ("AL", "caches"))
        expected_AL, expected_caches = ref.L_model_forward(X, parameters)
        check_array(name, "AL", AL, expected_AL)
        if not isinstance(caches, list) or len(caches) != len(expected_caches):
            raise AssertionError(
                f"{name}: caches should be a list of {len(expected_caches)} caches, one per layer."
            )
        for l, (got, expected) in enumerate(zip(caches, expected_caches), start=1):
            _check_layer_cache(f"{name} caches[{l - 1}]", got, expected)


# ----------------------------------------------------------------------------
# Cost
# ----------------------------------------------------------------------------

def compute_cost_hidden_test(target):
    ref = _ref()
    target = isolated(target, "compute_cost")
    for seed, m in ((131, 6), (132, 1), (133, 40)):
        AL = _rng(seed).uniform(0.05, 0.95, (1, m))
        Y = _labels(seed + 50, (1, m))
        name = f"compute_cost(m={m})"
        cost = call(target, name, AL, Y)
        check_scalar(name, "cost", cost, float(ref.compute_cost(AL, Y)))


# ----------------------------------------------------------------------------
# Backward
# ----------------------------------------------------------------------------

def linear_backward_hidden_test(target):
    ref = _ref()
    target = isolated(target, "linear_backward")
    for seed, (n_prev, n, m) in enumerate(_LAYER_SHAPES, start=141):
        A_prev, W, b = _layer(seed, n_prev, n, m)
        dZ = _rng(seed + 50).standard_normal((n, m))
        name = f"linear_backward(dZ {dZ.shape}, A_prev {A_prev.shape})"
        got = unpack(call(target, name, dZ, (A_prev, W, b)), name, ("dA_prev", "dW", "db"))
        expected = ref.linear_backward(dZ, (A_prev, W, b))
        for label, g, e in zip(("dA_prev", "dW", "db"), got, expected):
            check_array(name, label, g, e, m=m)

        # S = sum(dZ * Z) has dS/dA_prev = dA_prev and dS/dW = m dW, dS/db = m db.
        def surrogate(dZ=dZ, A_prev=A_prev, W=W, b=b):
            return float(np.sum(dZ * ref.linear_forward(A_prev, W, b)[0]))

        for label, g, x, factor in (("dA_prev", got[0], A_prev, 1), ("dW", got[1], W, m),
                                    ("db", got[2], b, m)):
            check_gradient(name, label, np.asarray(g) * factor,
                           numerical_gradient(surrogate, x))


def linear_activation_backward_hidden_test(target):
    ref = _ref()
    target = isolated(target, "linear_activation_backward")
    for seed, (n_prev, n, m) in enumerate(_LAYER_SHAPES, start=151):
        A_prev, W, b = _layer(seed, n_prev, n, m)
        dA = _rng(seed + 50).standard_normal((n, m))
        for activation in ("sigmoid", "relu"):
            _, cache = ref.linear_activation_forward(A_prev, W, b, activation)
            name = f'linear_activation_backward(dA {dA.shape}, "{activation}")'
            got = unpack(call(target, name, dA, cache, activation), name,
                         ("dA_prev", "dW", "db"))
            expected = ref.linear_activation_backward(dA, cache, activation)
            for label, g, e in zip(("dA_prev", "dW", "db"), got, expected):
                check_array(name, label, g, e, m=m)

            def surrogate(activation=activation, dA=dA, A_prev=A_prev, W=W, b=b):
                A, _ = ref.linear_activation_forward(A_prev, W, b, activation)
                return float(np.sum(dA * A))

            for label, g, x, factor in (("dA_prev", got[0], A_prev, 1), ("dW", got[1], W, m),
                                        ("db", got[2], b, m)):
                check_gradient(name, label, np.asarray(g) * factor,
                               numerical_gradient(surrogate, x))


def L_model_backward_hidden_test(target):
    ref = _ref()
    target = isolated(target, "L_model_backward")
    for seed, (dims, m) in enumerate(_NETWORKS, start=161):
        name = f"L_model_backward(layers {dims}, m={m})"
        X, parameters = _network(seed, dims, m, scale=0.7)
        Y = _labels(seed + 50, (dims[-1], m))
        AL, caches = ref.L_model_forward(X, parameters)
        grads = call(target, name, AL, Y, caches)
        expected = ref.L_model_backward(AL, Y, caches)
        L = len(dims) - 1
        required = ["dA1"] + [f"d{p}{l}" for l in range(1, L + 1) for p in ("W", "b")]
        if not isinstance(grads, dict):
            check_keys(name, "grads", grads, required)
        for key in required:
            if key not in grads:
                raise AssertionError(f"{name}: grads is missing {key}.")
            check_array(name, key, grads[key], expected[key], m=m)

        # The cross-entropy J (mean over examples, summed over output units) gives dW and db
        # directly and dA1 = m dJ/dX.
        def cost(X=X, parameters=parameters, Y=Y):
            AL = ref.L_model_forward(X, parameters)[0]
            return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / Y.shape[1])

        for l in range(1, L + 1):
            for p in ("W", "b"):
                check_gradient(name, f"d{p}{l}", grads[f"d{p}{l}"],
                               numerical_gradient(cost, parameters[f"{p}{l}"]))
        check_gradient(name, "dA1", np.asarray(grads["dA1"]) / m,
                       numerical_gradient(cost, X))


# ----------------------------------------------------------------------------
# Update
# ----------------------------------------------------------------------------

def update_parameters_hidden_test(target):
    ref = _ref()
    target = isolated(target, "update_parameters")
    for seed, (dims, learning_rate) in enumerate((([5, 4, 3, 2], 0.05), ([3, 1], 1.3)),
                                                 start=171):
        name = f"update_parameters(layers {dims}, learning_rate={learning_rate})"
        _, parameters = _network(seed, dims, 1)
        _, raw = _network(seed + 50, dims, 1)
        grads = {"d" + key: value for key, value in raw.items()}
        got = call(target, name, parameters, grads, learning_rate)
        expected = ref.update_parameters(parameters, grads, learning_rate)
        check_keys(name, "returned parameters", got, expected)
        for key in expected:
            check_array(name, key, got[key], expected[key])
