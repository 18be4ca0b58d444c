"""Visible test cases and checks for "Deep Neural Network for Image Classification: Application".

The models are tested on small random inputs (seconds, not minutes): each `*_case()`
rebuilds the inputs of a published example from its seed, `EXPECTED_*` holds the published
results, `*_test(target)` checks them, and `*_shape_test(target)` checks a new example for
shapes and a falling cost only. Hidden tests check more cases when the notebook is graded.

Shapes follow the course convention: one column per example.
"""

import numpy as np
from test_utils import call, check_array, check_keys, check_scalar, check_shape, unpack

VISIBLE_SETTINGS = {"learning_rate": 0.05, "num_iterations": 201}  # costs at 0, 100, 200


def _done(name):
    print(f"{name}: all visible tests passed.")


def _data(seed, n_x, m):
    """Random inputs X (n_x, m) and labels Y (1, m) of both classes."""
    np.random.seed(seed)
    X = np.random.randn(n_x, m)
    Y = (np.random.randn(1, m) > 0).astype(float)
    Y[0, 0], Y[0, -1] = 1.0, 0.0
    return X, Y


def _check_costs(name, costs, expected_count, expected=None):
    if costs is None:
        raise AssertionError(f"{name}: costs is None: return the list of costs.")
    if not isinstance(costs, list) or len(costs) != expected_count:
        got = f"{type(costs).__name__} of length {len(costs)}" if hasattr(costs, "__len__") \
            else type(costs).__name__
        raise AssertionError(
            f"{name}: costs should be a list of {expected_count} costs (iterations 0, 100, ...),"
            f" got {got}. Append the cost when i % 100 == 0."
        )
    for i, cost in enumerate(costs):
        if expected is not None:
            check_scalar(name, f"costs[{i}] (iteration {100 * i})", cost, expected[i])
        elif cost is None or np.ndim(cost) != 0 or not np.isfinite(float(cost)):
            raise AssertionError(
                f"{name}: costs[{i}] should be a single finite number, got {cost!r}."
            )


def _check_parameters(name, parameters, expected):
    check_keys(name, "parameters", parameters, expected)
    for key, value in expected.items():
        check_array(name, key, parameters[key], value, rtol=1e-6, atol=1e-9)


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


def two_layer_model_test(target):
    name = "two_layer_model"
    X, Y, dims = two_layer_model_case()
    parameters, costs = unpack(call(target, name, X, Y, dims, **VISIBLE_SETTINGS), name,
                               ("parameters", "costs"))
    _check_costs(name, costs, 3, EXPECTED_TWO_LAYER_COSTS)
    _check_parameters(name, parameters, EXPECTED_TWO_LAYER_PARAMETERS)
    _done(name)


def _shape_test(target, name, dims, seed):
    X, Y = _data(seed, dims[0], 7)
    parameters, costs = unpack(
        call(target, name, X, Y, dims, learning_rate=0.05, num_iterations=101), name,
        ("parameters", "costs"))
    _check_costs(name, costs, 2)
    if not float(costs[1]) < float(costs[0]):
        raise AssertionError(
            f"{name}: the cost did not fall in 100 iterations ({float(costs[0])!r} then "
            f"{float(costs[1])!r}): are the parameters updated, and used, in every iteration?"
        )
    shapes = {}
    for l in range(1, len(dims)):
        shapes[f"W{l}"] = (dims[l], dims[l - 1])
        shapes[f"b{l}"] = (dims[l], 1)
    check_keys(name, "parameters", parameters, shapes)
    for key, shape in shapes.items():
        check_shape(name, key, parameters[key], shape)
    _done(f"{name} (shapes and a falling cost for layers {list(dims)})")


def two_layer_model_shape_test(target):
    _shape_test(target, "two_layer_model", (8, 3, 1), 21)


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


def L_layer_model_test(target):
    name = "L_layer_model"
    X, Y, dims = L_layer_model_case()
    parameters, costs = unpack(call(target, name, X, Y, dims, **VISIBLE_SETTINGS), name,
                               ("parameters", "costs"))
    _check_costs(name, costs, 3, EXPECTED_L_LAYER_COSTS)
    _check_parameters(name, parameters, EXPECTED_L_LAYER_PARAMETERS)
    _done(name)


def L_layer_model_shape_test(target):
    _shape_test(target, "L_layer_model", [5, 4, 4, 2, 1], 22)
