"""Hidden tests of the application assignment, run by the notebook's hidden test cells.

They train the student's models on small random inputs the student never sees (other
seeds, shapes, depths, learning rates and iteration counts, m = 1) with the reference
building blocks, and compare the costs and the trained parameters with the reference
models from the source notebook.
"""

import numpy as np

from dnncourse.grader import reference
from dnncourse.hidden import isolated
from dnncourse.shipped.test_utils import call, check_array, check_keys, check_scalar, unpack

ASSIGNMENT = "application"

# (layers_dims, m, learning_rate, num_iterations, seed)
TWO_LAYER_CASES = (((7, 5, 1), 9, 0.1, 250, 301), ((12, 3, 1), 1, 0.02, 120, 302))
L_LAYER_CASES = (([7, 6, 4, 1], 9, 0.05, 250, 311), ([5, 4, 3, 3, 1], 1, 0.1, 130, 312),
                 ([9, 4, 1], 13, 0.0075, 101, 313))


def _data(seed, n_x, m):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    Y[0, 0] = 1.0
    if m > 1:
        Y[0, -1] = 0.0
    return X, Y


def _compare(name, target, cases):
    ref = reference.load(ASSIGNMENT)
    target = isolated(target, name, ASSIGNMENT)
    for dims, m, learning_rate, iterations, seed in cases:
        X, Y = _data(seed, dims[0], m)
        label = f"{name}(layers {list(dims)}, m={m}, learning_rate={learning_rate}, " \
                f"num_iterations={iterations})"
        got = call(target, label, X, Y, dims, learning_rate=learning_rate,
                   num_iterations=iterations)
        parameters, costs = unpack(got, label, ("parameters", "costs"))
        expected_parameters, expected_costs = getattr(ref, name)(
            X, Y, dims, learning_rate=learning_rate, num_iterations=iterations)
        if not isinstance(costs, list) or len(costs) != len(expected_costs):
            raise AssertionError(f"{label}: expected {len(expected_costs)} costs.")
        for i, (cost, expected) in enumerate(zip(costs, expected_costs)):
            check_scalar(label, f"costs[{i}]", cost, float(expected))
        check_keys(label, "parameters", parameters, expected_parameters)
        for key, value in expected_parameters.items():
            check_array(label, key, parameters[key], value, rtol=1e-6, atol=1e-9)


def two_layer_model_hidden_test(target):
    _compare("two_layer_model", target, TWO_LAYER_CASES)


def L_layer_model_hidden_test(target):
    _compare("L_layer_model", target, L_LAYER_CASES)
