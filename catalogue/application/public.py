"""Visible examples and checks of "Deep Neural Network for Image Classification: Application".

The models are tested on small random inputs (seconds, not minutes). For both models:
- `*_case()` rebuilds the inputs of the published example from its seed, and the examples
  train with VISIBLE_SETTINGS; `EXPECTED_*` hold the published results;
- `*_shape_examples()` train on a new example and check shapes and a falling cost;
- `check_model(name, got, expected, X, Y, layers_dims, **settings)` checks one training run;
- `*_test(target)` and `*_shape_test(target)` are the notebook's two test cells.
When a notebook is graded, the grader runs the same checks outside the notebook, on these
examples and on hidden ones (other shapes, depths, learning rates and iteration counts).

Shapes follow the course convention: one column per example.
"""

import numpy as np
from test_utils import (
    CheckFailure,
    Example,
    Shape,
    check_array,
    check_keys,
    check_scalar,
    done,
    run_examples,
    unpack,
)

VISIBLE_SETTINGS = {"learning_rate": 0.05, "num_iterations": 201}  # costs at 0, 100, 200


def _data(seed, n_x, m):
    """Random inputs X (n_x, m) and labels Y (1, m) of both classes."""
    np.random.seed(seed)
    X = np.random.randn(n_x, m)
    Y = (np.random.randn(1, m) > 0).astype(float)
    Y[0, 0], Y[0, -1] = 1.0, 0.0
    return X, Y


def _settings_text(settings):
    return ", ".join(f"{key}={value}" for key, value in settings.items())


def _costs(name, costs, count, expected, settings):
    """Check the list of costs: one per 100 iterations, each the expected value (or, with
    expected None, a finite number, falling from the first to the last)."""
    if costs is None:
        raise CheckFailure(name, "costs", "is None", hint="Return the list of costs.")
    if not isinstance(costs, list) or len(costs) != count:
        got = f"{type(costs).__name__} of length {len(costs)}" if hasattr(costs, "__len__") \
            else type(costs).__name__
        raise CheckFailure(name, "costs", f"should be a list of {count} costs (iterations 0,"
                           " 100, ...)", values=f"got {got}",
                           hint="Append the cost when i % 100 == 0.")
    for i, cost in enumerate(costs):
        want = None if expected is None else expected[i]
        try:
            check_scalar(name, f"costs[{i}] (iteration {100 * i})", cost, want)
        except CheckFailure as failure:
            if i > 0 and want is not None:
                failure.hint = (f"The first cost is right, so the model starts right; this test"
                                f" trains with {_settings_text(settings)}: does every"
                                " iteration use the learning_rate it is given, and update"
                                " and use the parameters?")
                failure.args = (failure.message(),)
            raise
    if expected is None and len(costs) > 1 and not float(costs[-1]) < float(costs[0]):
        raise CheckFailure(name, "costs", "did not fall",
                           values=f"{float(costs[0])!r} at iteration 0, then "
                                  f"{float(costs[-1])!r}",
                           hint="Are the parameters updated, and used, in every iteration?")


def check_model(name, got, expected, X, Y, layers_dims, learning_rate=0.0075,
                num_iterations=3000, print_cost=False):
    """Check one training run: (parameters, costs) against `expected` (arrays or Shapes)."""
    settings = {"learning_rate": learning_rate, "num_iterations": num_iterations}
    parameters, costs = unpack(got, name, ("parameters", "costs"))
    expected_parameters, expected_costs = expected
    known = None if isinstance(expected_costs, Shape) else expected_costs
    _costs(name, costs, 1 + (num_iterations - 1) // 100, known, settings)
    check_keys(name, "parameters", parameters, expected_parameters)
    for key, value in expected_parameters.items():
        check_array(name, key, parameters[key], value)


def _shapes(dims):
    shapes = {}
    for l in range(1, len(dims)):
        shapes[f"W{l}"] = Shape((dims[l], dims[l - 1]))
        shapes[f"b{l}"] = Shape((dims[l], 1))
    return shapes


def _label(settings):
    return f"(..., {_settings_text(settings)})"


def _visible(target, name, examples):
    run_examples(target, name, examples, check_model)
    done(name)


def _shape_examples(dims, seed):
    settings = {"learning_rate": 0.05, "num_iterations": 101}
    X, Y = _data(seed, dims[0], 7)
    return [Example(_label(settings), (X, Y, dims), (_shapes(dims), Shape((2,))), settings)]


def _shape_test(target, name, examples):
    run_examples(target, name, examples, check_model)
    dims = examples[0].args[2]
    done(f"{name} (shapes and a falling cost for layers {list(dims)})")


# ----------------------------------------------------------------------------
# Two-layer model
# ----------------------------------------------------------------------------

def two_layer_model_case():
    """Return X (10, 12), Y (1, 12) and layers_dims (10, 4, 1) of the published example."""
    X, Y = _data(1, 10, 12)
    return X, Y, (10, 4, 1)


EXPECTED_TWO_LAYER_COSTS = [0.6930960237418553, 0.6798308009219879, 0.6750454074375984]
EXPECTED_TWO_LAYER_PARAMETERS = {
    "W1": np.array([[0.01964599633, -0.007025601243, -0.004583207288, -0.01849789481, 0.009967242584, -0.02053461856, 0.01729429879, -0.00703156154, 0.001092833879, -0.0109572428],
            [0.01672468851, -0.01800464986, -0.0134078419, 0.004242355083, 0.01572895361, 0.001239612267, 0.006531423369, -0.01619481777, -0.008436201607, 0.01707840162],
            [-0.009576032277, 0.01515082832, 0.008294742221, 0.01465741647, 0.01544788984, -0.02385792134, 0.00687514617, 0.001140435602, -0.002492748895, 0.0338587904],
            [-0.04178246308, -0.02549878781, -0.01715625856, -0.04884252784, -0.01940521831, -0.02490149827, -0.05170714696, 0.03940971973, 0.05766564177, -0.04112442901]]),
    "b1": np.array([[0.004762704146],
            [0.00881882159],
            [0.006018368928],
            [0.0476603824]]),
    "W2": np.array([[0.01972416149, -0.02907988266, -0.04576081849, 0.1310012007]]),
    "b2": np.array([[0.3054941594]]),
}


def two_layer_model_examples():
    return [Example(_label(VISIBLE_SETTINGS), two_layer_model_case(),
                    (EXPECTED_TWO_LAYER_PARAMETERS, EXPECTED_TWO_LAYER_COSTS), VISIBLE_SETTINGS)]


def two_layer_model_shape_examples():
    return _shape_examples((8, 3, 1), 21)


def two_layer_model_test(target):
    _visible(target, "two_layer_model", two_layer_model_examples())


def two_layer_model_shape_test(target):
    _shape_test(target, "two_layer_model", two_layer_model_shape_examples())


# ----------------------------------------------------------------------------
# L-layer model
# ----------------------------------------------------------------------------

def L_layer_model_case():
    """Return X (6, 10), Y (1, 10) and layers_dims [6, 5, 3, 1] of the published example."""
    X, Y = _data(2, 6, 10)
    return X, Y, [6, 5, 3, 1]


EXPECTED_L_LAYER_COSTS = [0.8610676096787451, 0.45244281971072664, 0.18702433370491042]
EXPECTED_L_LAYER_PARAMETERS = {
    "W1": np.array([[0.6603558839, -0.2468952237, -0.2149398291, -0.4368448015, 0.350605402, -0.9412849688],
            [0.6581313151, -0.2504991889, 0.1387922256, -0.0718363591, 0.5455250511, -0.8827035696],
            [-0.124797964, -0.1569223136, 0.4620393143, -0.4412460435, -0.06442220636, -0.3571833786],
            [0.2367358778, -0.7120195118, -0.7562862156, 0.4254639361, -0.1781236619, 0.8955688259],
            [0.4086594897, -0.299821582, -0.1569254554, -0.3456052562, -0.06132056231, 0.2798772118]]),
    "b1": np.array([[0.00035847592],
            [0.01696160127],
            [-0.0031964801],
            [0.1646018232],
            [0.07708322336]]),
    "W2": np.array([[-0.3093200916, -0.1774335713, -0.3073129739, -0.3779874539, -0.3001903956],
            [0.04380964015, -0.4479475318, 0.002512182279, 0.8534166437, 0.3538012255],
            [-0.02903022165, -0.330784203, -0.334139347, 1.380042142, 0.2326516278]]),
    "b2": np.array([[0],
            [-0.006081596058],
            [-0.02446204253]]),
    "W3": np.array([[-0.367769608, 0.3840450053, 1.672254222]]),
    "b3": np.array([[-1.183410714]]),
}


def L_layer_model_examples():
    return [Example(_label(VISIBLE_SETTINGS), L_layer_model_case(),
                    (EXPECTED_L_LAYER_PARAMETERS, EXPECTED_L_LAYER_COSTS), VISIBLE_SETTINGS)]


def L_layer_model_shape_examples():
    return _shape_examples([5, 4, 4, 2, 1], 22)


def L_layer_model_test(target):
    _visible(target, "L_layer_model", L_layer_model_examples())


def L_layer_model_shape_test(target):
    _shape_test(target, "L_layer_model", L_layer_model_shape_examples())
