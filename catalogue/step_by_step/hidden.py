"""Hidden cases of "Building your Deep Neural Network: Step by Step" and its table of functions.

Only the grader reads this file; it is never released. The hidden cases are drawn from a
random generator the grader seeds: other shapes and seeds, several output units, 3- and
4-layer networks, labels of both classes and m = 1, and for the backward passes a check
against the centred finite difference of the reference forward pass in float64. Each case
says where it is without giving its inputs ("on a 3-layer network with 2 output units and
7 examples"), as the student reads it.
"""

import copy

import numpy as np

from dnncourse.grader.catalogue import HIDDEN, Case, GradedFunction
from dnncourse.grader.gradients import check_gradient, numerical_gradient

from . import public

# How many hidden cases of each kind a function gets.
LAYER_SHAPES, NETWORKS = 3, 3


def _sizes(rng, count, low=1, high=7):
    return [int(n) for n in rng.integers(low, high + 1, count)]


def _layer_shapes(rng):
    """(n_prev, n, m) of one layer: several units, one unit and m = 1, any sizes."""
    return [(*_sizes(rng, 2, 2), int(rng.integers(2, 9))), (_sizes(rng, 1, 2)[0], 1, 1),
            (*_sizes(rng, 2, 1), int(rng.integers(1, 9)))][:LAYER_SHAPES]


def _networks(rng):
    """(layer sizes, m): 3 layers with several output units, 4 layers with m = 1, 2 layers."""
    return [([*_sizes(rng, 3, 2), int(rng.integers(2, 4))], int(rng.integers(2, 9))),
            ([*_sizes(rng, 4, 1), 1], 1),
            ([*_sizes(rng, 2, 1), int(rng.integers(1, 3))], int(rng.integers(2, 9)))
            ][:NETWORKS]


def _layer(rng, n_prev, n, m):
    return (rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)),
            rng.standard_normal((n, 1)))


def _network(rng, dims, m, scale=0.7):
    """Input X (dims[0], m) and parameters W{l} (dims[l], dims[l-1]), b{l} (dims[l], 1)."""
    X = rng.standard_normal((dims[0], m))
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * scale
        parameters[f"b{l}"] = rng.standard_normal((dims[l], 1)) * 0.5
    return X, parameters


# A centred difference of step 1e-6 across a ReLU's kink (Z = 0) measures neither side's
# slope: the backward passes' hidden cases keep every ReLU input at least this far from 0.
KINK_MARGIN = 1e-3


def _clear_of_kinks(draw):
    """Call draw() until every ReLU input it reports (its last value) is clear of 0;
    return the rest of what it drew."""
    for _ in range(100):
        *drawn, relu_inputs = draw()
        if all(np.abs(Z).min() > KINK_MARGIN for Z in relu_inputs):
            return drawn
    raise RuntimeError("no inputs clear of the ReLU kink in 100 draws")


def _labels(rng, shape):
    """Labels of both classes when there are at least two."""
    Y = (rng.random(shape) > 0.5).astype(float)
    Y.flat[0] = 1.0
    if Y.size > 1:
        Y.flat[-1] = 0.0
    return Y


def _examples(m):
    return "1 example" if m == 1 else f"{m} examples"


def _layer_text(n_prev, n, m):
    return f"on a layer of {n} unit{'s' * (n > 1)} with {n_prev} inputs and {_examples(m)}"


def _network_text(dims, m):
    outputs = f"{dims[-1]} output unit{'s' * (dims[-1] > 1)}"
    return f"on a {len(dims) - 1}-layer network {list(dims)} with {outputs} and {_examples(m)}"


# ----------------------------------------------------------------------------
# Hidden cases
# ----------------------------------------------------------------------------

def initialize_parameters_hidden(rng):
    sizes = [tuple(_sizes(rng, 3, 2)), (1, 1, 1), tuple(_sizes(rng, 3))]
    return [Case(HIDDEN, f"with n_x={a}, n_h={b}, n_y={c}", (a, b, c)) for a, b, c in sizes]


def initialize_parameters_deep_hidden(rng):
    layers = [_sizes(rng, 4, 1), _sizes(rng, 2, 1), _sizes(rng, 5, 1)]
    return [Case(HIDDEN, f"with layer_dims={dims}", (dims,)) for dims in layers]


def linear_forward_hidden(rng):
    return [Case(HIDDEN, _layer_text(n_prev, n, m), _layer(rng, n_prev, n, m))
            for n_prev, n, m in _layer_shapes(rng)]


def linear_activation_forward_hidden(rng):
    return [Case(HIDDEN, f'{_layer_text(n_prev, n, m)}, "{activation}"',
                 (*_layer(rng, n_prev, n, m), activation))
            for n_prev, n, m in _layer_shapes(rng) for activation in ("sigmoid", "relu")]


def L_model_forward_hidden(rng):
    return [Case(HIDDEN, _network_text(dims, m), _network(rng, dims, m))
            for dims, m in _networks(rng)]


def compute_cost_hidden(rng):
    found = []
    for m in (1, int(rng.integers(2, 8)), int(rng.integers(8, 41))):
        found.append(Case(HIDDEN, f"with {_examples(m)}",
                          (rng.uniform(0.05, 0.95, (1, m)), _labels(rng, (1, m)))))
    return found


def _linear_backward_gradient(reference, args, got):
    """dA_prev, dW, db of `S = sum(dZ * Z)`: dS/dA_prev = dA_prev, dS/dW = m dW, dS/db = m db."""
    dZ = np.array(args[0], dtype=float)
    A_prev, W, b = (np.array(a, dtype=float) for a in args[1])
    m = dZ.shape[1]

    def surrogate():
        return float(np.sum(dZ * reference.linear_forward(A_prev, W, b)[0]))

    own = reference.linear_backward(*copy.deepcopy(args))
    for label, value, mine, x, factor in zip(("dA_prev", "dW", "db"), got, own, (A_prev, W, b),
                                             (1, m, m)):
        check_gradient("linear_backward", label, np.asarray(value, dtype=float) * factor,
                       numerical_gradient(surrogate, x), np.asarray(mine) * factor)


def linear_backward_hidden(rng):
    found = []
    for n_prev, n, m in _layer_shapes(rng):
        A_prev, W, b = _layer(rng, n_prev, n, m)
        dZ = rng.standard_normal((n, m))
        found.append(Case(HIDDEN, _layer_text(n_prev, n, m), (dZ, (A_prev, W, b)),
                          gradient=_linear_backward_gradient))
    return found


def _activation_backward_gradient(reference, args, got):
    """Through the activation: S = sum(dA * A) with A the reference forward output."""
    dA = np.array(args[0], dtype=float)
    (A_prev, W, b), _ = args[1]
    A_prev, W, b = (np.array(a, dtype=float) for a in (A_prev, W, b))
    activation, m = args[2], dA.shape[1]

    def surrogate():
        return float(np.sum(dA * reference.linear_activation_forward(A_prev, W, b,
                                                                     activation)[0]))

    own = reference.linear_activation_backward(*copy.deepcopy(args))
    for label, value, mine, x, factor in zip(("dA_prev", "dW", "db"), got, own, (A_prev, W, b),
                                             (1, m, m)):
        check_gradient("linear_activation_backward", label,
                       np.asarray(value, dtype=float) * factor, numerical_gradient(surrogate, x),
                       np.asarray(mine) * factor)


def linear_activation_backward_hidden(rng):
    found = []
    for n_prev, n, m in _layer_shapes(rng):
        def draw(n_prev=n_prev, n=n, m=m):
            A_prev, W, b = _layer(rng, n_prev, n, m)
            return A_prev, W, b, [W @ A_prev + b]

        A_prev, W, b = _clear_of_kinks(draw)
        dA = rng.standard_normal((n, m))
        for activation in ("sigmoid", "relu"):
            cache = ((A_prev, W, b), W @ A_prev + b)
            found.append(Case(HIDDEN, f'{_layer_text(n_prev, n, m)}, "{activation}"',
                              (dA, cache, activation), gradient=_activation_backward_gradient))
    return found


def _L_model_backward_gradient(reference, args, got, X=None, parameters=None):
    """dW, db against the cross-entropy's numerical gradient; dA1 = m dJ/dX."""
    _, Y, _ = args
    m = Y.shape[1]

    def cost():
        AL = reference.L_model_forward(X, parameters)[0]
        return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)

    own = reference.L_model_backward(*copy.deepcopy(args))
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in ("W", "b"):
            check_gradient("L_model_backward", f"d{p}{l}", got[f"d{p}{l}"],
                           numerical_gradient(cost, parameters[f"{p}{l}"]), own[f"d{p}{l}"])
    check_gradient("L_model_backward", "dA1", np.asarray(got["dA1"], dtype=float) / m,
                   numerical_gradient(cost, X), np.asarray(own["dA1"]) / m)


def L_model_backward_hidden(rng):
    found = []
    for dims, m in _networks(rng):
        def draw(dims=dims, m=m):
            X, parameters = _network(rng, dims, m)
            caches, A = [], X
            for l in range(1, len(dims)):
                W, b = parameters[f"W{l}"], parameters[f"b{l}"]
                Z = W @ A + b
                caches.append(((A, W, b), Z))
                A = np.maximum(0, Z) if l < len(dims) - 1 else 1 / (1 + np.exp(-Z))
            return X, parameters, caches, A, [cache[1] for cache in caches[:-1]]

        X, parameters, caches, A = _clear_of_kinks(draw)
        Y = _labels(rng, (dims[-1], m))

        def gradient(reference, args, got, X=X, parameters=parameters):
            _L_model_backward_gradient(reference, args, got, X, parameters)

        found.append(Case(HIDDEN, _network_text(dims, m), (A, Y, caches), gradient=gradient))
    return found


def update_parameters_hidden(rng):
    found = []
    for dims, _ in _networks(rng):
        _, parameters = _network(rng, dims, 1, scale=1.0)
        _, raw = _network(rng, dims, 1, scale=1.0)
        learning_rate = round(float(rng.uniform(0.01, 1.5)), 4)
        found.append(Case(HIDDEN, f"on a {len(dims) - 1}-layer network {dims} with "
                          f"learning_rate={learning_rate}",
                          (parameters, {"d" + k: v for k, v in raw.items()}, learning_rate)))
    return found


# ----------------------------------------------------------------------------
# The graded functions
# ----------------------------------------------------------------------------

def _function(name, uses=()):
    return GradedFunction(
        name=name, check=getattr(public, f"check_{name}"),
        published=getattr(public, f"{name}_examples"),
        new_shapes=getattr(public, f"{name}_shape_examples"),
        hidden=globals()[f"{name}_hidden"], uses=uses)


FUNCTIONS = (
    _function("initialize_parameters"),
    _function("initialize_parameters_deep"),
    _function("linear_forward"),
    _function("linear_activation_forward", uses=("linear_forward",)),
    _function("L_model_forward", uses=("linear_activation_forward",)),
    _function("compute_cost"),
    _function("linear_backward"),
    _function("linear_activation_backward", uses=("linear_backward",)),
    _function("L_model_backward", uses=("linear_activation_backward",)),
    _function("update_parameters"),
)
