"""Visible test cases and checks for "Building your Deep Neural Network: Step by Step".

Each `*_case()` rebuilds the inputs of one published example from its random seed,
each `EXPECTED_*` holds the published output, and each `*_test(target)` runs a
function on its case and checks every output. The `*_shape_test(target)` checks
run a function on new shapes and check only the shapes; values on other inputs are
checked by hidden tests when the notebook is graded.

Shapes follow the course convention: one column per example.
"""

import numpy as np
from test_utils import call, check_array, check_keys, check_scalar, check_shape, unpack


def _arr(rows):
    return np.array(rows, dtype=float)


def _done(name):
    print(f"{name}: all visible tests passed.")


def _check_cache(name, cache, A_prev, W, b, Z=None):
    """Check the layout of a layer cache: (A_prev, W, b) or ((A_prev, W, b), Z)."""
    if Z is not None:
        if not isinstance(cache, tuple) or len(cache) != 2:
            length = len(cache) if hasattr(cache, "__len__") else "?"
            raise AssertionError(
                f"{name}: cache should be the tuple (linear_cache, activation_cache), "
                f"got {type(cache).__name__} of length {length}."
            )
        cache, activation_cache = cache
        check_array(name, "activation_cache (Z)", activation_cache, Z)
    if not isinstance(cache, tuple) or len(cache) != 3:
        raise AssertionError(f"{name}: linear cache should be the tuple (A_prev, W, b).")
    for label, got, expected in zip(("A_prev", "W", "b"), cache, (A_prev, W, b)):
        check_array(name, f"linear cache {label}", got, expected)


# ----------------------------------------------------------------------------
# Initialization
# ----------------------------------------------------------------------------

def initialize_parameters_case():
    """Return (n_x, n_h, n_y) of the published example."""
    return 2, 2, 1


EXPECTED_INITIALIZE_PARAMETERS = {
    "W1": _arr([[0.01624345, -0.00611756], [-0.00528172, -0.01072969]]),
    "b1": _arr([[0.0], [0.0]]),
    "W2": _arr([[0.00865408, -0.02301539]]),
    "b2": _arr([[0.0]]),
}


def initialize_parameters_test(target):
    name = "initialize_parameters"
    parameters = call(target, name, *initialize_parameters_case())
    check_keys(name, "parameters", parameters, EXPECTED_INITIALIZE_PARAMETERS)
    for key, expected in EXPECTED_INITIALIZE_PARAMETERS.items():
        check_array(name, key, parameters[key], expected)
    _done(name)


def initialize_parameters_shape_test(target):
    name = "initialize_parameters"
    parameters = call(target, name, 4, 3, 2)
    shapes = {"W1": (3, 4), "b1": (3, 1), "W2": (2, 3), "b2": (2, 1)}
    check_keys(name, "parameters", parameters, shapes)
    for key, shape in shapes.items():
        check_shape(name, key, parameters[key], shape)
    _done(name + " (shapes for n_x=4, n_h=3, n_y=2)")


def initialize_parameters_deep_case():
    """Return the layer sizes of the published example."""
    return [5, 4, 3]


EXPECTED_INITIALIZE_PARAMETERS_DEEP = {
    "W1": _arr([[0.01788628, 0.0043651, 0.00096497, -0.01863493, -0.00277388],
                [-0.00354759, -0.00082741, -0.00627001, -0.00043818, -0.00477218],
                [-0.01313865, 0.00884622, 0.00881318, 0.01709573, 0.00050034],
                [-0.00404677, -0.0054536, -0.01546477, 0.00982367, -0.01101068]]),
    "b1": np.zeros((4, 1)),
    "W2": _arr([[-0.01185047, -0.0020565, 0.01486148, 0.00236716],
                [-0.01023785, -0.00712993, 0.00625245, -0.00160513],
                [-0.00768836, -0.00230031, 0.00745056, 0.01976111]]),
    "b2": np.zeros((3, 1)),
}

_LOOP_HINT = " Does your loop run over every layer from 1 to L - 1?"


def initialize_parameters_deep_test(target):
    name = "initialize_parameters_deep"
    parameters = call(target, name, initialize_parameters_deep_case())
    check_keys(name, "parameters", parameters, EXPECTED_INITIALIZE_PARAMETERS_DEEP, _LOOP_HINT)
    for key, expected in EXPECTED_INITIALIZE_PARAMETERS_DEEP.items():
        check_array(name, key, parameters[key], expected)
    _done(name)


def initialize_parameters_deep_shape_test(target):
    name = "initialize_parameters_deep"
    dims = [6, 5, 4, 2]
    parameters = call(target, name, dims)
    shapes = {}
    for l in range(1, len(dims)):
        shapes[f"W{l}"] = (dims[l], dims[l - 1])
        shapes[f"b{l}"] = (dims[l], 1)
    check_keys(name, "parameters", parameters, shapes, _LOOP_HINT)
    for key, shape in shapes.items():
        check_shape(name, key, parameters[key], shape)
    _done(name + " (shapes for layer_dims=[6, 5, 4, 2])")


# ----------------------------------------------------------------------------
# Forward propagation
# ----------------------------------------------------------------------------

def linear_forward_case():
    """Return A (3, 2), W (1, 3), b (1, 1) of the published example (seed 1)."""
    np.random.seed(1)
    A = np.random.randn(3, 2)
    W = np.random.randn(1, 3)
    b = np.random.randn(1, 1)
    return A, W, b


EXPECTED_LINEAR_FORWARD_Z = _arr([[3.26295337, -1.23429987]])


def linear_forward_test(target):
    name = "linear_forward"
    A, W, b = linear_forward_case()
    Z, cache = unpack(call(target, name, A, W, b), name, ("Z", "cache"))
    check_array(name, "Z", Z, EXPECTED_LINEAR_FORWARD_Z)
    _check_cache(name, cache, A, W, b)
    _done(name)


def _shape_case(seed, n_prev, n, m):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)), \
        rng.standard_normal((n, 1))


def linear_forward_shape_test(target):
    name = "linear_forward"
    A, W, b = _shape_case(10, 4, 3, 5)
    Z, _ = unpack(call(target, name, A, W, b), name, ("Z", "cache"))
    check_shape(name, "Z", Z, (3, 5))
    _done(name + " (shapes for 3 units, 4 inputs, 5 examples)")


def linear_activation_forward_case():
    """Return A_prev (3, 2), W (1, 3), b (1, 1) of the published example (seed 2)."""
    np.random.seed(2)
    A_prev = np.random.randn(3, 2)
    W = np.random.randn(1, 3)
    b = np.random.randn(1, 1)
    return A_prev, W, b


EXPECTED_LINEAR_ACTIVATION_FORWARD = {
    "sigmoid": _arr([[0.96890023, 0.11013289]]),
    "relu": _arr([[3.43896131, 0.0]]),
}


def linear_activation_forward_test(target):
    name = "linear_activation_forward"
    A_prev, W, b = linear_activation_forward_case()
    for activation, expected in EXPECTED_LINEAR_ACTIVATION_FORWARD.items():
        label = f'{name}(..., "{activation}")'
        A, cache = unpack(call(target, label, A_prev, W, b, activation), label, ("A", "cache"))
        check_array(label, "A", A, expected)
        Z = W @ A_prev + b
        _check_cache(label, cache, A_prev, W, b, Z)
    _done(name)


def linear_activation_forward_shape_test(target):
    name = "linear_activation_forward"
    A_prev, W, b = _shape_case(11, 4, 3, 5)
    for activation in ("sigmoid", "relu"):
        label = f'{name}(..., "{activation}")'
        A, _ = unpack(call(target, label, A_prev, W, b, activation), label, ("A", "cache"))
        check_shape(label, "A", A, (3, 5))
    _done(name + " (shapes for 3 units, 4 inputs, 5 examples)")


def L_model_forward_case():
    """Return X (4, 2) and the parameters of a 2-layer network (seed 1)."""
    np.random.seed(1)
    X = np.random.randn(4, 2)
    W1 = np.random.randn(3, 4)
    b1 = np.random.randn(3, 1)
    W2 = np.random.randn(1, 3)
    b2 = np.random.randn(1, 1)
    return X, {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


EXPECTED_L_MODEL_FORWARD_AL = _arr([[0.17007265, 0.2524272]])

_HELPER_HINT = (" If linear_activation_forward fails its own test, fix that first:"
                " L_model_forward builds on it.")


def L_model_forward_test(target):
    name = "L_model_forward"
    X, parameters = L_model_forward_case()
    AL, caches = unpack(call(target, name, X, parameters), name, ("AL", "caches"))
    try:
        check_array(name, "AL", AL, EXPECTED_L_MODEL_FORWARD_AL)
    except AssertionError as exc:
        raise AssertionError(str(exc) + _HELPER_HINT) from None
    if not isinstance(caches, list) or len(caches) != 2:
        raise AssertionError(
            f"{name}: caches should be a list with one cache per layer (2 here), got "
            f"{type(caches).__name__} of length "
            f"{len(caches) if hasattr(caches, '__len__') else '?'}."
            " Did you append the cache of every layer, the last one included?"
        )
    A1 = np.maximum(0, parameters["W1"] @ X + parameters["b1"])
    _check_cache(name + " caches[0]", caches[0], X, parameters["W1"], parameters["b1"],
                 parameters["W1"] @ X + parameters["b1"])
    _check_cache(name + " caches[1]", caches[1], A1, parameters["W2"], parameters["b2"],
                 parameters["W2"] @ A1 + parameters["b2"])
    _done(name)


def _network(seed, dims, m):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], m))
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1])
        parameters[f"b{l}"] = rng.standard_normal((dims[l], 1)) * 0.1
    return X, parameters


def L_model_forward_shape_test(target):
    name = "L_model_forward"
    X, parameters = _network(12, [4, 5, 3, 2], 6)
    AL, caches = unpack(call(target, name, X, parameters), name, ("AL", "caches"))
    check_shape(name, "AL", AL, (2, 6))
    if not isinstance(caches, list) or len(caches) != 3:
        raise AssertionError(
            f"{name}: a 3-layer network needs a list of 3 caches, got "
            f"{len(caches) if hasattr(caches, '__len__') else type(caches).__name__}."
            " Does your code use L = len(parameters) // 2 rather than a fixed number of layers?"
        )
    _done(name + " (shapes for a 3-layer network, 2 output units, 6 examples)")


# ----------------------------------------------------------------------------
# Cost
# ----------------------------------------------------------------------------

def compute_cost_case():
    """Return AL (1, 3) and Y (1, 3) of the published example."""
    Y = np.array([[1, 1, 1]])
    AL = np.array([[0.8, 0.9, 0.4]])
    return AL, Y


EXPECTED_COST = 0.41493159961539694


def compute_cost_test(target):
    name = "compute_cost"
    AL, Y = compute_cost_case()
    cost = call(target, name, AL, Y)
    check_scalar(name, "cost", cost, EXPECTED_COST)
    _done(name)


def compute_cost_shape_test(target):
    name = "compute_cost"
    AL = np.array([[0.3, 0.7, 0.9, 0.2, 0.6]])
    Y = np.array([[0, 1, 1, 0, 0]])
    cost = call(target, name, AL, Y)
    if cost is None or np.ndim(cost) != 0:
        check_scalar(name, "cost", cost, 0.0)
    if not float(cost) > 0:
        raise AssertionError(
            f"{name}: the cross-entropy cost is always positive, got {float(cost)!r}."
            " Check the minus sign in front of the sum."
        )
    _done(name + " (a single positive number for labels of both classes)")


# ----------------------------------------------------------------------------
# Backward propagation
# ----------------------------------------------------------------------------

def linear_backward_case():
    """Return dZ (1, 2) and the linear cache (A_prev (3, 2), W (1, 3), b (1, 1)) (seed 1)."""
    np.random.seed(1)
    dZ = np.random.randn(1, 2)
    A = np.random.randn(3, 2)
    W = np.random.randn(1, 3)
    b = np.random.randn(1, 1)
    return dZ, (A, W, b)


EXPECTED_LINEAR_BACKWARD = {
    "dA_prev": _arr([[0.51822968, -0.19517421],
                     [-0.40506361, 0.15255393],
                     [2.37496825, -0.89445391]]),
    "dW": _arr([[-0.10076895, 1.40685096, 1.64992505]]),
    "db": _arr([[0.50629448]]),
}


def linear_backward_test(target):
    name = "linear_backward"
    dZ, cache = linear_backward_case()
    outputs = unpack(call(target, name, dZ, cache), name, ("dA_prev", "dW", "db"))
    for (key, expected), got in zip(EXPECTED_LINEAR_BACKWARD.items(), outputs):
        check_array(name, key, got, expected, m=2)
    _done(name)


def _backward_shapes(target, name, make_args):
    A_prev, W, b = _shape_case(14, 4, 3, 5)
    dZ = np.random.default_rng(15).standard_normal((3, 5))
    outputs = unpack(call(target, name, *make_args(dZ, (A_prev, W, b))), name,
                     ("dA_prev", "dW", "db"))
    for key, got, shape in zip(("dA_prev", "dW", "db"), outputs, ((4, 5), (3, 4), (3, 1))):
        check_shape(name, key, got, shape)


def linear_backward_shape_test(target):
    name = "linear_backward"
    _backward_shapes(target, name, lambda dZ, cache: (dZ, cache))
    _done(name + " (shapes for 3 units, 4 inputs, 5 examples)")


def linear_activation_backward_case():
    """Return dA (1, 2) and the layer cache ((A_prev, W, b), Z) of the published example."""
    np.random.seed(2)
    dA = np.random.randn(1, 2)
    A = np.random.randn(3, 2)
    W = np.random.randn(1, 3)
    b = np.random.randn(1, 1)
    Z = np.random.randn(1, 2)
    return dA, ((A, W, b), Z)


EXPECTED_LINEAR_ACTIVATION_BACKWARD = {
    "sigmoid": {
        "dA_prev": _arr([[0.11017994, 0.01105339],
                         [0.09466817, 0.00949723],
                         [-0.05743092, -0.00576154]]),
        "dW": _arr([[0.10266786, 0.09778551, -0.01968084]]),
        "db": _arr([[-0.05729622]]),
    },
    "relu": {
        "dA_prev": _arr([[0.44090989, 0.0],
                         [0.37883606, 0.0],
                         [-0.2298228, 0.0]]),
        "dW": _arr([[0.44513824, 0.37371418, -0.10478989]]),
        "db": _arr([[-0.20837892]]),
    },
}


def linear_activation_backward_test(target):
    name = "linear_activation_backward"
    dA, cache = linear_activation_backward_case()
    for activation, expected_outputs in EXPECTED_LINEAR_ACTIVATION_BACKWARD.items():
        label = f'{name}(..., "{activation}")'
        outputs = unpack(call(target, label, dA, cache, activation), label,
                         ("dA_prev", "dW", "db"))
        for (key, expected), got in zip(expected_outputs.items(), outputs):
            check_array(label, key, got, expected, m=2)
    _done(name)


def linear_activation_backward_shape_test(target):
    name = "linear_activation_backward"
    for activation in ("sigmoid", "relu"):
        label = f'{name}(..., "{activation}")'
        def make_args(dA, lc, activation=activation):
            return dA, (lc, lc[1] @ lc[0] + lc[2]), activation

        _backward_shapes(target, label, make_args)
    _done(name + " (shapes for 3 units, 4 inputs, 5 examples)")


def L_model_backward_case():
    """Return AL (1, 2), Y (1, 2) and the caches of a 2-layer network (seed 3)."""
    np.random.seed(3)
    AL = np.random.randn(1, 2)
    Y = np.array([[1, 0]])
    A1 = np.random.randn(4, 2)
    W1 = np.random.randn(3, 4)
    b1 = np.random.randn(3, 1)
    Z1 = np.random.randn(3, 2)
    A2 = np.random.randn(3, 2)
    W2 = np.random.randn(1, 3)
    b2 = np.random.randn(1, 1)
    Z2 = np.random.randn(1, 2)
    caches = (((A1, W1, b1), Z1), ((A2, W2, b2), Z2))
    return AL, Y, caches


EXPECTED_L_MODEL_BACKWARD = {
    "dW1": _arr([[0.41010002, 0.07807203, 0.13798444, 0.10502167],
                 [0.0, 0.0, 0.0, 0.0],
                 [0.05283652, 0.01005865, 0.01777766, 0.0135308]]),
    "db1": _arr([[-0.22007063], [0.0], [-0.02835349]]),
    "dA1": _arr([[0.0, 0.52257901],
                 [0.0, -0.3269206],
                 [0.0, -0.32070404],
                 [0.0, -0.74079187]]),
}


def L_model_backward_test(target):
    name = "L_model_backward"
    AL, Y, caches = L_model_backward_case()
    grads = call(target, name, AL, Y, caches)
    if grads is None:
        check_keys(name, "grads", grads, EXPECTED_L_MODEL_BACKWARD)
    if not isinstance(grads, dict):
        raise AssertionError(f"{name}: grads should be a dictionary, got {type(grads).__name__}.")
    missing = [key for key in ("dA1", "dW1", "db1", "dA2", "dW2", "db2") if key not in grads]
    if missing:
        raise AssertionError(
            f"{name}: grads is missing {missing}. grads['dA' + str(l)] holds what layer l"
            " passes back (the gradient with respect to A[l-1]); dW and db are stored for"
            " every layer l = 1 ... L."
        )
    for key, expected in EXPECTED_L_MODEL_BACKWARD.items():
        try:
            check_array(name, key, grads[key], expected, m=2)
        except AssertionError as exc:
            raise AssertionError(
                str(exc) + " If linear_activation_backward fails its own test, fix that first."
            ) from None
    _done(name)


def L_model_backward_shape_case():
    """Return AL (2, 6), Y (2, 6) and the caches of a 3-layer network [4, 5, 3, 2], m = 6."""
    X, parameters = _network(16, [4, 5, 3, 2], 6)
    caches, A = [], X
    for l in (1, 2, 3):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = W @ A + b
        caches.append(((A, W, b), Z))
        A = np.maximum(0, Z) if l < 3 else 1 / (1 + np.exp(-Z))
    Y = (np.arange(12).reshape(2, 6) % 3 == 0).astype(float)
    return A, Y, caches


def L_model_backward_shape_test(target):
    name = "L_model_backward"
    AL, Y, caches = L_model_backward_shape_case()
    grads = call(target, name, AL, Y, caches)
    shapes = {"dA1": (4, 6)}
    for l, ((_, W, b), _) in enumerate(caches, start=1):
        shapes[f"dW{l}"] = W.shape
        shapes[f"db{l}"] = b.shape
    if not isinstance(grads, dict):
        check_keys(name, "grads", grads, shapes)
    for key, shape in shapes.items():
        if key not in grads:
            raise AssertionError(
                f"{name}: for a 3-layer network grads needs {key}, which is missing."
                " Does your loop cover every layer, using L = len(caches)?"
            )
        check_shape(name, key, grads[key], shape)
    _done(name + " (shapes for a 3-layer network, 2 output units, 6 examples)")


# ----------------------------------------------------------------------------
# Update
# ----------------------------------------------------------------------------

def update_parameters_case():
    """Return parameters (seed 2) and grads (seed 3) of a 2-layer network."""
    np.random.seed(2)
    W1 = np.random.randn(3, 4)
    b1 = np.random.randn(3, 1)
    W2 = np.random.randn(1, 3)
    b2 = np.random.randn(1, 1)
    parameters = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    np.random.seed(3)
    dW1 = np.random.randn(3, 4)
    db1 = np.random.randn(3, 1)
    dW2 = np.random.randn(1, 3)
    db2 = np.random.randn(1, 1)
    grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    return parameters, grads


EXPECTED_UPDATE_PARAMETERS = {
    "W1": _arr([[-0.59562069, -0.09991781, -2.14584584, 1.82662008],
                [-1.76569676, -0.80627147, 0.51115557, -1.18258802],
                [-1.0535704, -0.86128581, 0.68284052, 2.20374577]]),
    "b1": _arr([[-0.04659241], [-1.28888275], [0.53405496]]),
    "W2": _arr([[-0.55569196, 0.0354055, 1.32964895]]),
    "b2": _arr([[-0.84610769]]),
}


def update_parameters_test(target):
    name = "update_parameters"
    parameters, grads = update_parameters_case()
    updated = call(target, name, parameters, grads, 0.1)
    check_keys(name, "returned parameters", updated, EXPECTED_UPDATE_PARAMETERS)
    for key, expected in EXPECTED_UPDATE_PARAMETERS.items():
        check_array(name, key, updated[key], expected)
    _done(name)


def update_parameters_shape_test(target):
    name = "update_parameters"
    _, parameters = _network(17, [4, 5, 3, 2], 1)
    grads = {"d" + key: value * 0.5 for key, value in parameters.items()}
    updated = call(target, name, parameters, grads, 0.05)
    check_keys(name, "returned parameters", updated, parameters,
               " Does your loop cover every layer, using L = len(parameters) // 2?")
    for key, value in parameters.items():
        check_shape(name, key, updated[key], value.shape)
    _done(name + " (shapes for a 3-layer network)")
