"""A student's own check of the backward pass against centred differences of the cost.

Ungraded; Step by Step calls `check_gradients` after Exercise 9. The numerical gradient
comes from the student's own `L_model_forward` and `compute_cost`, so this file holds no
part of any answer. Shapes follow the course convention: one column per example.

This file is the single source; `python -m dnncourse.authoring.sync` copies it into the
assignments whose catalogue lists it.
"""

import traceback

import numpy as np

# A small network with two ReLU layers and the sigmoid output, and a few examples: enough
# to exercise the loop over hidden layers, small enough for 2 x 63 forward passes.
LAYER_DIMS = (5, 4, 3, 1)
EXAMPLES = 4
# Centred differences in float64: the truncation error is about EPSILON**2 and the
# rounding error about 1e-16 / EPSILON, both far below TOLERANCE for a smooth cost. With
# this seed, every ReLU input of a correct forward pass is at least 0.05 away from the kink
# at 0 (where a difference quotient would straddle two slopes), and every hidden unit is
# on for some examples and off for others, so the ReLU's backward pass is exercised.
EPSILON = 1e-6
TOLERANCE = 1e-7
SEED = 53


def network(seed=SEED, layer_dims=LAYER_DIMS, m=EXAMPLES):
    """Return X (n[0], m), Y (1, m) with both classes, and parameters W1, b1, ..., WL, bL.

    The weights are scaled by 1/sqrt(n[l-1]) and the biases are not zero, so that every
    layer's Z is of order 1 and every gradient is exercised.
    """
    rng = np.random.default_rng(seed)  # its own generator: numpy's global one is untouched
    X = rng.standard_normal((layer_dims[0], m))
    Y = (np.arange(m) % 2 == 0).astype(float).reshape(1, m)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = (rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
                                    / np.sqrt(layer_dims[l - 1]))
        parameters["b" + str(l)] = 0.1 * rng.standard_normal((layer_dims[l], 1))
    return X, Y, parameters


def numerical_gradient(cost, array, epsilon=EPSILON):
    """Return the centred difference of `cost()` with respect to every entry of `array`.

    Arguments:
    cost -- function of no argument that reads `array` and returns the cost, a number
    array -- float64 array of any shape; each entry is changed, then restored, in place
    epsilon -- step of the difference

    Returns:
    gradient -- (cost(entry + epsilon) - cost(entry - epsilon)) / (2 epsilon) for every
                entry, same shape as `array`
    """
    gradient = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        kept = array[index]
        array[index] = kept + epsilon
        plus = cost()
        array[index] = kept - epsilon
        minus = cost()
        array[index] = kept
        gradient[index] = (plus - minus) / (2 * epsilon)
    return gradient


def relative_error(analytic, numerical):
    """Return ||analytic - numerical|| / (||analytic|| + ||numerical||), 0 when both are 0."""
    scale = np.linalg.norm(analytic) + np.linalg.norm(numerical)
    return 0.0 if scale == 0 else float(np.linalg.norm(analytic - numerical) / scale)


def proportion(analytic, numerical, m):
    """Describe `analytic` when it is a simple multiple of `numerical` (m, 1/m, -1), or ''."""
    norm = float(np.sum(numerical * numerical))
    if norm == 0:
        return ""
    factor = float(np.sum(analytic * numerical)) / norm
    if relative_error(analytic, factor * numerical) > 1e-6:
        return ""
    for value, text in ((m, f"m = {m} times too large: is a 1/m missing?"),
                        (1 / m, f"m = {m} times too small: is it divided by m twice?"),
                        (-1, "the right size with the wrong sign"),
                        (-m, f"m = {m} times too large with the wrong sign"),
                        (0, "zero")):
        if abs(factor - value) <= 1e-6 * max(1, abs(value)):
            return text
    return f"{factor:.3g} times the numerical gradient"


class GradientCheckError(Exception):
    """The check could not run: a function raised or returned something unusable."""


def _call(name, function, *args):
    try:
        return function(*args)
    except Exception as error:  # any mistake of the student's code is reported, not raised
        last = traceback.extract_tb(error.__traceback__)[-1]
        where = f" in {last.name}, at `{last.line}`" if last.line else ""
        text = f": {error}" if str(error) else ""
        raise GradientCheckError(
            f"{name} raised {type(error).__name__}{where}{text}. Make its tests pass first."
        ) from error


def _cost_of(L_model_forward, compute_cost, X, Y, parameters):
    def cost():
        AL, _ = _call("L_model_forward", L_model_forward, X, parameters)
        value = _call("compute_cost", compute_cost, AL, Y)
        try:
            return float(value)
        except (TypeError, ValueError) as error:
            raise GradientCheckError(
                f"compute_cost returned {value!r}, expected a single number. Make its tests"
                " pass first.") from error
    return cost


def compare(L_model_forward, compute_cost, L_model_backward, seed=SEED):
    """Compare the backward pass with centred differences; return one row per gradient.

    Each row is (name, shape, relative error or None, note): the note says what is wrong
    (a missing key, a wrong shape, a simple multiple of the right gradient) or is ''.
    Raises GradientCheckError when one of the functions raises or returns no number.
    """
    X, Y, parameters = network(seed)
    m = X.shape[1]
    work = {key: value.copy() for key, value in parameters.items()}
    AL, caches = _call("L_model_forward", L_model_forward, X.copy(), work)
    grads = _call("L_model_backward", L_model_backward, AL, Y.copy(), caches)
    if not isinstance(grads, dict):
        raise GradientCheckError(
            f"L_model_backward returned {type(grads).__name__}, expected the dictionary grads.")
    L = len(parameters) // 2
    wanted = [(f"d{kind}{l}", kind + str(l)) for l in range(L, 0, -1) for kind in ("W", "b")]
    rows = []
    for name, key in [*wanted, ("dA1", None)]:
        target = X.copy() if key is None else {k: v.copy() for k, v in parameters.items()}
        array = target if key is None else target[key]
        if key is None:  # dA1 is each example's derivative: m times dJ/dX (no 1/m in dA)
            cost = _cost_of(L_model_forward, compute_cost, array, Y, parameters)
            numerical = m * numerical_gradient(cost, array)
        else:
            cost = _cost_of(L_model_forward, compute_cost, X, Y, target)
            numerical = numerical_gradient(cost, array)
        if name not in grads:
            rows.append((name, numerical.shape, None, f"grads has no key {name!r}"))
            continue
        analytic = np.asarray(grads[name], dtype=float)
        if analytic.shape != numerical.shape:
            note = f"shape {analytic.shape}, expected {numerical.shape}"
            same = [k for k, v in parameters.items() if v.shape == analytic.shape and k != key]
            if key is not None and same:
                note += f", the shape of {same[0]}: is it stored under another layer's key?"
            rows.append((name, numerical.shape, None, note))
            continue
        error = relative_error(analytic, numerical)
        note = "" if error <= TOLERANCE else proportion(analytic, numerical, m)
        rows.append((name, numerical.shape, error, note))
    return rows


def check_gradients(L_model_forward, compute_cost, L_model_backward, seed=SEED):
    """Print the gradient check of L_model_backward and a verdict; return the names that are off.

    Arguments:
    L_model_forward, compute_cost -- your functions: the numerical gradient uses them
    L_model_backward -- your function under check
    seed -- which small network to check on

    Returns:
    wrong -- names of the gradients that disagree (e.g. ["dW1", "db1"]); [] when all agree
    """
    dims = list(LAYER_DIMS)
    print(f"Gradient check of L_model_backward: layers {dims}, m = {EXAMPLES} examples, "
          f"float64, epsilon = {EPSILON:g}")
    try:
        rows = compare(L_model_forward, compute_cost, L_model_backward, seed)
    except GradientCheckError as error:
        print(f"Could not check: {error}")
        return None
    print(f"  {'gradient':<9}{'shape':<9}{'relative error':<16}verdict")
    wrong = []
    for name, shape, error, note in rows:
        ok = error is not None and error <= TOLERANCE
        if not ok:
            wrong.append(name)
        shown = "-" if error is None else f"{error:.1e}"
        verdict = "ok" if ok else "OFF" + (f": {note}" if note else "")
        print(f"  {name:<9}{shape!s:<9}{shown:<16}{verdict}")
    if not wrong:
        print(f"Every gradient agrees with the numerical one (relative errors below "
              f"{TOLERANCE:g}): your backward pass matches your forward pass and cost.")
        return wrong
    layers = sorted({int(name[2:]) for name in wrong if name != "dA1"}, reverse=True)
    print(f"Off: {', '.join(wrong)} (relative error above {TOLERANCE:g}, or missing).")
    if layers:
        print(f"The backward pass runs from layer {len(dims) - 1} down to layer 1: a mistake "
              "shows in the layer where it is made and, when it changes what that layer "
              f"passes back, in every layer below. Start with layer {layers[0]}, the highest "
              "one that is off.")
    if "dA1" in wrong and not layers:
        print('Only grads["dA1"] is off: it is what layer 1 passes back (dA_prev of layer 1),'
              " with no 1/m.")
    return wrong
