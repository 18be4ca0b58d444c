"""Visible examples and checks of "Building your Deep Neural Network: Step by Step".

For every graded function `f`:
- `f_case()` rebuilds the inputs of the published example from its random seed;
- `f_examples()` lists the published calls with their expected outputs (`EXPECTED_*`);
- `f_shape_examples()` lists calls on new shapes, with the shapes they must return;
- `check_f(name, got, expected, *args)` checks every output of one call;
- `f_test(target)` and `f_shape_test(target)` are the notebook's two test cells.
When a notebook is graded, the grader runs the same checks outside the notebook, on these
examples and on hidden ones, comparing values with the reference answers.

Shapes follow the course convention: one column per example. The file is long (about 70
lines per graded function) because it ships to students as one file, `public_tests.py`,
which the notebook imports; split, the students would hold several files to keep in step.
"""

import copy

import numpy as np
from test_utils import (
    MEAN,
    PER_EXAMPLE,
    CheckFailure,
    Example,
    Shape,
    check_array,
    check_keys,
    check_scalar,
    done,
    passes,
    preview,
    run_examples,
    unpack,
)


def _arr(rows):
    return np.array(rows, dtype=float)


def _needs_first(target, helper, name):
    """A hint for a function that builds on `helper`: only when the notebook's own
    `helper` fails its published example (then the mistake may well be there)."""
    own = getattr(target, "__globals__", {}).get(helper)
    test = globals().get(f"{helper}_test")
    if own is None or test is None or passes(test, own):
        return ""
    return f" Your {helper} fails its own published example: fix it first, {name} builds on it."


def _visible(target, name, examples, check, builds_on=None):
    try:
        run_examples(target, name, examples, check)
    except CheckFailure as failure:
        extra = _needs_first(target, builds_on, name) if builds_on else ""
        if extra:
            failure.hint = (failure.hint + extra).strip()
            failure.args = (failure.message(),)
        raise
    done(name)


def _parameter_shapes(dims):
    shapes = {}
    for l in range(1, len(dims)):
        shapes[f"W{l}"] = Shape((dims[l], dims[l - 1]))
        shapes[f"b{l}"] = Shape((dims[l], 1))
    return shapes


def _check_parameters(name, got, expected, output="parameters", hint=""):
    """Check a dictionary of W and b arrays against `expected` (arrays or Shapes)."""
    check_keys(name, output, got, expected, hint)
    for key, value in expected.items():
        check_array(name, key, got[key], value, others={k: v for k, v in expected.items()
                                                        if k != key and not isinstance(v, Shape)})


def _network(seed, dims, m):
    """Random input X (dims[0], m) and parameters of a network with layer sizes `dims`."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], m))
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1])
        parameters[f"b{l}"] = rng.standard_normal((dims[l], 1)) * 0.1
    return X, parameters


def _layer(seed, n_prev, n, m):
    """Random A_prev (n_prev, m), W (n, n_prev) and b (n, 1) of one layer."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)),
            rng.standard_normal((n, 1)))


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


def check_initialize_parameters(name, got, expected, n_x, n_h, n_y):
    _check_parameters(name, got, expected)


def initialize_parameters_examples():
    return [Example("", initialize_parameters_case(), EXPECTED_INITIALIZE_PARAMETERS)]


def initialize_parameters_shape_examples():
    return [Example("(4, 3, 2)", (4, 3, 2), _parameter_shapes([4, 3, 2]))]


def initialize_parameters_test(target):
    _visible(target, "initialize_parameters", initialize_parameters_examples(),
             check_initialize_parameters)


def initialize_parameters_shape_test(target):
    run_examples(target, "initialize_parameters", initialize_parameters_shape_examples(),
                 check_initialize_parameters)
    done("initialize_parameters (shapes for n_x=4, n_h=3, n_y=2)")


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


def check_initialize_parameters_deep(name, got, expected, layer_dims):
    L = len(layer_dims) - 1
    hint = ""
    if isinstance(got, dict) and f"W{L}" not in got and f"W{L - 1}" in got and "W0" not in got:
        hint = (f"W{L} and b{L} are missing: the loop must cover every layer l = 1 ... L,"
                " that is range(1, len(layer_dims)).")
    _check_parameters(name, got, expected, hint=hint)


def initialize_parameters_deep_examples():
    return [Example("", (initialize_parameters_deep_case(),),
                    EXPECTED_INITIALIZE_PARAMETERS_DEEP)]


def initialize_parameters_deep_shape_examples():
    return [Example("([6, 5, 4, 2])", ([6, 5, 4, 2],), _parameter_shapes([6, 5, 4, 2]))]


def initialize_parameters_deep_test(target):
    _visible(target, "initialize_parameters_deep", initialize_parameters_deep_examples(),
             check_initialize_parameters_deep)


def initialize_parameters_deep_shape_test(target):
    run_examples(target, "initialize_parameters_deep",
                 initialize_parameters_deep_shape_examples(), check_initialize_parameters_deep)
    done("initialize_parameters_deep (shapes for layer_dims=[6, 5, 4, 2])")


# ----------------------------------------------------------------------------
# Forward propagation
# ----------------------------------------------------------------------------

def _check_linear_cache(name, cache, expected, output="cache"):
    """A linear cache is the tuple (A_prev, W, b) of the layer's inputs."""
    if not isinstance(cache, tuple) or len(cache) != 3:
        raise CheckFailure(name, output, "should be the tuple (A_prev, W, b)",
                           values=f"got {preview(cache)}")
    for label, got, want in zip(("A_prev", "W", "b"), cache, expected):
        check_array(name, f"{output} {label}", got, want)


def _check_layer_cache(name, cache, expected, output="cache"):
    """A layer cache is ((A_prev, W, b), Z): the linear cache and the activation cache."""
    if not isinstance(cache, tuple) or len(cache) != 2:
        raise CheckFailure(name, output,
                           "should be the tuple (linear_cache, activation_cache)",
                           values=f"got {preview(cache)}")
    _check_linear_cache(name, cache[0], expected[0], output=f"{output} linear_cache")
    check_array(name, f"{output} activation_cache (Z)", cache[1], expected[1],
                others={"A_prev": expected[0][0]})


def linear_forward_case():
    """Return A (3, 2), W (1, 3), b (1, 1) of the published example (seed 1)."""
    np.random.seed(1)
    A = np.random.randn(3, 2)
    W = np.random.randn(1, 3)
    b = np.random.randn(1, 1)
    return A, W, b


EXPECTED_LINEAR_FORWARD_Z = _arr([[3.26295337, -1.23429987]])


def check_linear_forward(name, got, expected, A, W, b):
    Z, cache = unpack(got, name, ("Z", "cache"))
    check_array(name, "Z", Z, expected[0], others={"A": A, "W": W})
    _check_linear_cache(name, cache, expected[1])


def linear_forward_examples():
    A, W, b = linear_forward_case()
    return [Example("", (A, W, b), (EXPECTED_LINEAR_FORWARD_Z, (A, W, b)))]


def linear_forward_shape_case():
    """Return A (4, 5), W (3, 4), b (3, 1): 3 units, 4 inputs, 5 examples."""
    return _layer(10, 4, 3, 5)


def linear_forward_shape_examples():
    A, W, b = linear_forward_shape_case()
    return [Example("", (A, W, b), (Shape((3, 5)), (A, W, b)))]


def linear_forward_test(target):
    _visible(target, "linear_forward", linear_forward_examples(), check_linear_forward)


def linear_forward_shape_test(target):
    run_examples(target, "linear_forward", linear_forward_shape_examples(),
                 check_linear_forward)
    done("linear_forward (shapes for 3 units, 4 inputs, 5 examples)")


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
# Z of the published example, the activation cache of both calls.
EXPECTED_LINEAR_ACTIVATION_FORWARD_Z = _arr([[3.43896131, -2.08938436]])


def check_linear_activation_forward(name, got, expected, A_prev, W, b, activation):
    A, cache = unpack(got, name, ("A", "cache"))
    hint = ""
    if isinstance(A, np.ndarray) and not isinstance(expected[0], Shape) \
            and A.shape == expected[0].shape:
        Z = expected[1][1]
        other = "relu" if activation == "sigmoid" else "sigmoid"
        with np.errstate(all="ignore"):
            swapped = np.maximum(0, Z) if other == "relu" else 1 / (1 + np.exp(-Z))
        if np.allclose(A, swapped):
            hint = (f"That is the {other} of Z: is the {activation} branch using"
                    f" {other}?")
        elif np.allclose(A, Z):
            hint = "That is Z itself: apply the activation to Z."
    try:
        check_array(name, "A", A, expected[0], others={"A_prev": A_prev})
    except CheckFailure as failure:
        failure.hint = hint or failure.hint
        failure.args = (failure.message(),)
        raise
    _check_layer_cache(name, cache, expected[1])


def linear_activation_forward_examples():
    A_prev, W, b = linear_activation_forward_case()
    Z = EXPECTED_LINEAR_ACTIVATION_FORWARD_Z
    return [Example(f'(..., "{activation}")', (A_prev, W, b, activation),
                    (A, ((A_prev, W, b), Z)))
            for activation, A in EXPECTED_LINEAR_ACTIVATION_FORWARD.items()]


def linear_activation_forward_shape_case():
    """Return A_prev (4, 5), W (3, 4), b (3, 1): 3 units, 4 inputs, 5 examples."""
    return _layer(11, 4, 3, 5)


def linear_activation_forward_shape_examples():
    A_prev, W, b = linear_activation_forward_shape_case()
    return [Example(f'(..., "{activation}")', (A_prev, W, b, activation),
                    (Shape((3, 5)), ((A_prev, W, b), Shape((3, 5)))))
            for activation in ("sigmoid", "relu")]


def linear_activation_forward_test(target):
    _visible(target, "linear_activation_forward", linear_activation_forward_examples(),
             check_linear_activation_forward, builds_on="linear_forward")


def linear_activation_forward_shape_test(target):
    run_examples(target, "linear_activation_forward",
                 linear_activation_forward_shape_examples(), check_linear_activation_forward)
    done("linear_activation_forward (shapes for 3 units, 4 inputs, 5 examples)")


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
# Z of both layers of the published example (their activation caches).
EXPECTED_L_MODEL_FORWARD_Z = (_arr([[-2.77991749, -2.82513147], [-0.11407702, -0.01812665],
                                    [2.13860272, 1.40818979]]),
                              _arr([[-1.58511248, -1.08570881]]))


def check_L_model_forward(name, got, expected, X, parameters):
    AL, caches = unpack(got, name, ("AL", "caches"))
    L = len(parameters) // 2
    check_array(name, "AL", AL, expected[0])
    if not isinstance(caches, list) or len(caches) != L:
        count = len(caches) if hasattr(caches, "__len__") else "?"
        hint = ("Append the cache of the last (sigmoid) layer too." if count == L - 1
                else "L = len(parameters) // 2 is the number of layers." if count != "?" else "")
        raise CheckFailure(name, "caches", f"should be a list of {L} caches, one per layer",
                           values=f"got {type(caches).__name__} of length {count}", hint=hint)
    for l, (cache, want) in enumerate(zip(caches, expected[1]), start=1):
        _check_layer_cache(name, cache, want, output=f"caches[{l - 1}]")


def _forward_caches(X, parameters, Zs):
    """The caches of a forward pass whose pre-activations are `Zs` (ReLU layers, then a
    sigmoid layer): ((A_prev, W, b), Z) per layer."""
    caches, A_prev = [], X
    for l, Z in enumerate(Zs, start=1):
        caches.append(((A_prev, parameters[f"W{l}"], parameters[f"b{l}"]), Z))
        A_prev = np.maximum(0, Z)
    return caches


def L_model_forward_examples():
    X, parameters = L_model_forward_case()
    caches = _forward_caches(X, parameters, EXPECTED_L_MODEL_FORWARD_Z)
    return [Example("", (X, parameters), (EXPECTED_L_MODEL_FORWARD_AL, caches))]


def L_model_forward_shape_case():
    """Return X (4, 6) and the parameters of a 3-layer network [4, 5, 3, 2] (2 output units)."""
    return _network(12, [4, 5, 3, 2], 6)


def L_model_forward_shape_examples():
    X, parameters = L_model_forward_shape_case()
    caches, A_prev = [], X
    for l, n in enumerate((5, 3, 2), start=1):
        caches.append(((A_prev, parameters[f"W{l}"], parameters[f"b{l}"]), Shape((n, 6))))
        A_prev = Shape((n, 6))
    return [Example("", (X, parameters), (Shape((2, 6)), caches))]


def L_model_forward_test(target):
    _visible(target, "L_model_forward", L_model_forward_examples(), check_L_model_forward,
             builds_on="linear_activation_forward")


def L_model_forward_shape_test(target):
    run_examples(target, "L_model_forward", L_model_forward_shape_examples(),
                 check_L_model_forward)
    done("L_model_forward (shapes for a 3-layer network, 2 output units, 6 examples)")


# ----------------------------------------------------------------------------
# Cost
# ----------------------------------------------------------------------------

def compute_cost_case():
    """Return AL (1, 3) and Y (1, 3) of the published example."""
    Y = np.array([[1, 1, 1]])
    AL = np.array([[0.8, 0.9, 0.4]])
    return AL, Y


EXPECTED_COST = 0.41493159961539694


def compute_cost_both_classes_case():
    """Return AL (1, 4) and Y (1, 4) with labels of both classes."""
    return np.array([[0.8, 0.3, 0.6, 0.1]]), np.array([[1, 0, 1, 0]])


EXPECTED_COST_BOTH_CLASSES = 0.2990011586691898


def check_compute_cost(name, got, expected, AL, Y):
    hint = ""
    if not isinstance(expected, Shape) and np.ndim(got) == 0 and got is not None:
        try:
            value = float(got)
        except (TypeError, ValueError):
            value = None
        m = Y.shape[1]
        with np.errstate(all="ignore"):
            positive_only = float(-np.sum(Y * np.log(AL))) / m
        if value is not None and np.isclose(value, positive_only) \
                and not np.isclose(value, expected):
            hint = ("That is the cost of the cat pictures only: the (1 - Y) log(1 - AL) term,"
                    " for the labels 0, is missing.")
    if isinstance(expected, Shape):
        check_scalar(name, "cost", got, None)
        if not float(got) > 0:
            raise CheckFailure(name, "cost", "should be positive",
                               values=f"got {float(got)!r}",
                               hint="Cross-entropy is always positive: check the minus sign"
                                    " in front of the sum.")
        return
    try:
        check_scalar(name, "cost", got, expected, kind=MEAN, m=Y.shape[1])
    except CheckFailure as failure:
        failure.hint = hint or failure.hint
        failure.args = (failure.message(),)
        raise


def compute_cost_examples():
    return [Example("", compute_cost_case(), EXPECTED_COST),
            Example("(labels of both classes)", compute_cost_both_classes_case(),
                    EXPECTED_COST_BOTH_CLASSES)]


def compute_cost_shape_case():
    """Return AL (1, 5) and Y (1, 5) with labels of both classes."""
    return np.array([[0.3, 0.7, 0.9, 0.2, 0.6]]), np.array([[0, 1, 1, 0, 0]])


def compute_cost_shape_examples():
    return [Example("", compute_cost_shape_case(), Shape(()))]


def compute_cost_test(target):
    _visible(target, "compute_cost", compute_cost_examples(), check_compute_cost)


def compute_cost_shape_test(target):
    run_examples(target, "compute_cost", compute_cost_shape_examples(), check_compute_cost)
    done("compute_cost (a single positive number for labels of both classes)")


# ----------------------------------------------------------------------------
# Backward propagation
# ----------------------------------------------------------------------------

def _check_gradients(name, outputs, expected, m, others):
    """Check (dA_prev, dW, db): dA_prev is per example, dW and db are means."""
    for label, got, want, kind in zip(("dA_prev", "dW", "db"), outputs, expected,
                                      (PER_EXAMPLE, MEAN, MEAN)):
        check_array(name, label, got, want, m=m, kind=kind,
                    others={k: v for k, v in others.items() if k != label})


def linear_backward_case():
    """Return dZ (1, 2) and the linear cache (A_prev (3, 2), W (1, 3), b (1, 1)) (seed 1)."""
    np.random.seed(1)
    dZ = np.random.randn(1, 2)
    A = np.random.randn(3, 2)
    W = np.random.randn(1, 3)
    b = np.random.randn(1, 1)
    return dZ, (A, W, b)


EXPECTED_LINEAR_BACKWARD = (
    _arr([[0.51822968, -0.19517421], [-0.40506361, 0.15255393], [2.37496825, -0.89445391]]),
    _arr([[-0.10076895, 1.40685096, 1.64992505]]),
    _arr([[0.50629448]]),
)


def check_linear_backward(name, got, expected, dZ, cache):
    outputs = unpack(got, name, ("dA_prev", "dW", "db"))
    A_prev, W, b = cache
    _check_gradients(name, outputs, expected, dZ.shape[1],
                     {"A_prev": A_prev, "W": W, "b": b, "dZ": dZ, "dA_prev": A_prev,
                      "dW": W, "db": b})


def linear_backward_examples():
    dZ, cache = linear_backward_case()
    return [Example("", (dZ, cache), EXPECTED_LINEAR_BACKWARD)]


def linear_backward_shape_case():
    """Return dZ (3, 5) and the linear cache of 3 units, 4 inputs, 5 examples."""
    A_prev, W, b = _layer(14, 4, 3, 5)
    dZ = np.random.default_rng(15).standard_normal((3, 5))
    return dZ, (A_prev, W, b)


def _backward_shapes():
    return (Shape((4, 5)), Shape((3, 4)), Shape((3, 1)))


def linear_backward_shape_examples():
    return [Example("", linear_backward_shape_case(), _backward_shapes())]


def linear_backward_test(target):
    _visible(target, "linear_backward", linear_backward_examples(), check_linear_backward)


def linear_backward_shape_test(target):
    run_examples(target, "linear_backward", linear_backward_shape_examples(),
                 check_linear_backward)
    done("linear_backward (shapes for 3 units, 4 inputs, 5 examples)")


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
    "sigmoid": (_arr([[0.11017994, 0.01105339], [0.09466817, 0.00949723],
                      [-0.05743092, -0.00576154]]),
                _arr([[0.10266786, 0.09778551, -0.01968084]]),
                _arr([[-0.05729622]])),
    "relu": (_arr([[0.44090989, 0.0], [0.37883606, 0.0], [-0.2298228, 0.0]]),
             _arr([[0.44513824, 0.37371418, -0.10478989]]),
             _arr([[-0.20837892]])),
}


def check_linear_activation_backward(name, got, expected, dA, cache, activation):
    outputs = unpack(got, name, ("dA_prev", "dW", "db"))
    (A_prev, W, b), Z = cache
    _check_gradients(name, outputs, expected, dA.shape[1],
                     {"A_prev": A_prev, "W": W, "b": b, "dA": dA, "Z": Z})


def linear_activation_backward_examples():
    dA, cache = linear_activation_backward_case()
    return [Example(f'(..., "{activation}")', (dA, cache, activation), expected)
            for activation, expected in EXPECTED_LINEAR_ACTIVATION_BACKWARD.items()]


def linear_activation_backward_shape_case():
    """Return dA (3, 5) and the layer cache of 3 units, 4 inputs, 5 examples."""
    dZ, (A_prev, W, b) = linear_backward_shape_case()
    return dZ, ((A_prev, W, b), W @ A_prev + b)


def linear_activation_backward_shape_examples():
    dA, cache = linear_activation_backward_shape_case()
    return [Example(f'(..., "{activation}")', (dA, cache, activation), _backward_shapes())
            for activation in ("sigmoid", "relu")]


def linear_activation_backward_test(target):
    _visible(target, "linear_activation_backward", linear_activation_backward_examples(),
             check_linear_activation_backward, builds_on="linear_backward")


def linear_activation_backward_shape_test(target):
    run_examples(target, "linear_activation_backward",
                 linear_activation_backward_shape_examples(), check_linear_activation_backward)
    done("linear_activation_backward (shapes for 3 units, 4 inputs, 5 examples)")


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


# dW1, db1 and dA1 are the published figures; the gradients of layer 2 complete them.
EXPECTED_L_MODEL_BACKWARD = {
    "dA1": _arr([[0.0, 0.52257901], [0.0, -0.3269206], [0.0, -0.32070404],
                 [0.0, -0.74079187]]),
    "dW1": _arr([[0.41010002, 0.07807203, 0.13798444, 0.10502167], [0.0, 0.0, 0.0, 0.0],
                 [0.05283652, 0.01005865, 0.01777766, 0.0135308]]),
    "db1": _arr([[-0.22007063], [0.0], [-0.02835349]]),
    "dA2": _arr([[0.12913162, -0.44014127], [-0.14175655, 0.48317296],
                 [0.01663708, -0.05670698]]),
    "dW2": _arr([[-0.39202432, -0.13325855, -0.04601089]]),
    "db2": _arr([[0.15187861]]),
}


def _grads_keys(L):
    return [f"d{p}{l}" for l in range(1, L + 1) for p in ("A", "W", "b")]


def check_L_model_backward(name, got, expected, AL, Y, caches):
    L = len(caches)
    m = AL.shape[1]
    if not isinstance(got, dict):
        check_keys(name, "grads", got, expected)
    missing = [key for key in _grads_keys(L) if key not in got]
    if missing:
        hint = ("grads['dA' + str(l)] holds what layer l passes back (the gradient with respect"
                " to A[l-1]), and dW, db are stored for every layer l = 1 ... L.")
        if missing == [f"dA{L}", f"dW{L}", f"db{L}"] or missing == ["dA1", "dW1", "db1"]:
            hint = "The layer numbers are shifted by one: layers count from 1 to L."
        raise CheckFailure(name, "grads", f"is missing {missing}", hint=hint)
    shapes = {}
    for l, ((A_prev, W, b), _) in enumerate(caches, start=1):
        shapes.update({f"dA{l}": A_prev, f"dW{l}": W, f"db{l}": b})
    for key in _grads_keys(L):
        kind = PER_EXAMPLE if key.startswith("dA") else MEAN
        check_array(name, key, got[key], expected[key], m=m, kind=kind,
                    others={k: v for k, v in shapes.items() if k != key})


def L_model_backward_examples():
    AL, Y, caches = L_model_backward_case()
    return [Example("", (AL, Y, caches), EXPECTED_L_MODEL_BACKWARD)]


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


def L_model_backward_shape_examples():
    AL, Y, caches = L_model_backward_shape_case()
    shapes = {}
    for l, ((A_prev, W, b), _) in enumerate(caches, start=1):
        shapes.update({f"dA{l}": Shape(A_prev.shape), f"dW{l}": Shape(W.shape),
                       f"db{l}": Shape(b.shape)})
    return [Example("", (AL, Y, caches), shapes)]


def L_model_backward_test(target):
    _visible(target, "L_model_backward", L_model_backward_examples(), check_L_model_backward,
             builds_on="linear_activation_backward")


def L_model_backward_shape_test(target):
    run_examples(target, "L_model_backward", L_model_backward_shape_examples(),
                 check_L_model_backward)
    done("L_model_backward (shapes for a 3-layer network, 2 output units, 6 examples)")


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


def check_update_parameters(name, got, expected, params, grads, learning_rate):
    hint = ""
    if isinstance(got, dict):
        unchanged = [k for k in expected if k in got and isinstance(got[k], np.ndarray)
                     and k in params and np.array_equal(got[k], params[k])]
        if unchanged and len(unchanged) < len(expected):
            hint = f"{', '.join(unchanged)} did not change: is every parameter updated?"
    try:
        _check_parameters(name, got, expected, output="returned parameters")
    except CheckFailure as failure:
        failure.hint = hint or failure.hint
        failure.args = (failure.message(),)
        raise


def update_parameters_examples():
    parameters, grads = update_parameters_case()
    return [Example("(..., learning_rate=0.1)", (parameters, grads, 0.1),
                    EXPECTED_UPDATE_PARAMETERS)]


def update_parameters_shape_case():
    """Return parameters and grads of a 3-layer network [4, 5, 3, 2] and a learning rate."""
    _, parameters = _network(17, [4, 5, 3, 2], 1)
    grads = {"d" + key: value * 0.5 for key, value in parameters.items()}
    return parameters, grads, 0.05


def update_parameters_shape_examples():
    return [Example("", update_parameters_shape_case(), _parameter_shapes([4, 5, 3, 2]))]


def update_parameters_test(target):
    _visible(target, "update_parameters", update_parameters_examples(),
             check_update_parameters)
    # The docstring promises a new dictionary; the grader grades both ways the same, so a
    # function that updates the caller's dictionary in place is only told so.
    parameters, grads = update_parameters_case()
    given = copy.deepcopy(parameters)
    target(given, copy.deepcopy(grads), 0.1)
    changed = [key for key in parameters if not np.array_equal(given[key], parameters[key])]
    if changed:
        print(f"Note: update_parameters changed the dictionary it was given ({', '.join(changed)}"
              " changed in place). Its docstring says it returns a new dictionary and leaves"
              " the caller's alone; this costs no points.")


def update_parameters_shape_test(target):
    run_examples(target, "update_parameters", update_parameters_shape_examples(),
                 check_update_parameters)
    done("update_parameters (shapes for a 3-layer network)")

