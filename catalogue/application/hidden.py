"""Hidden cases of "Deep Neural Network for Image Classification: Application".

Only the grader reads this file; it is never released. Each model trains on small random
inputs drawn from the grader's seeded generator, with other layer sizes and depths, other
learning rates and iteration counts, and m = 1; the costs and the trained parameters are
compared with the reference model's. The models build on the Step by Step functions,
which the students have as `dnn_blocks.py`, so they need no helper from the grader.
"""

from dnncourse.grader.catalogue import HIDDEN, Case, GradedFunction

from . import public

CASES = 3  # hidden training runs per model


def _sizes(rng, count, low=2, high=9):
    return [int(n) for n in rng.integers(low, high + 1, count)]


def _data(rng, n_x, m):
    """Random X (n_x, m) and labels Y (1, m) of both classes (when m > 1)."""
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    Y.flat[0] = 1.0
    if m > 1:
        Y.flat[-1] = 0.0
    return X, Y


def _runs(rng, shapes):
    """Cases training on `shapes` [(layers_dims, m)] with random settings."""
    found = []
    for dims, m in shapes:
        settings = {"learning_rate": round(float(rng.uniform(0.005, 0.1)), 4),
                    "num_iterations": int(rng.integers(101, 221))}
        where = (f"on a {len(dims) - 1}-layer network {list(dims)} trained on "
                 f"{m} example{'s' * (m > 1)} with {public._settings_text(settings)}")
        found.append(Case(HIDDEN, where, (*_data(rng, dims[0], m), dims), settings))
    return found


def two_layer_model_hidden(rng):
    return _runs(rng, [((*_sizes(rng, 2), 1), int(rng.integers(2, 14))),
                       ((*_sizes(rng, 2, 1), 1), 1),
                       ((*_sizes(rng, 2), 1), int(rng.integers(2, 14)))][:CASES])


def L_layer_model_hidden(rng):
    return _runs(rng, [([*_sizes(rng, 3), 1], int(rng.integers(2, 14))),
                       ([*_sizes(rng, 4), 1], 1),
                       ([*_sizes(rng, 2), 1], int(rng.integers(2, 14)))][:CASES])


FUNCTIONS = tuple(
    GradedFunction(name=name, check=public.check_model,
                   published=getattr(public, f"{name}_examples"),
                   new_shapes=getattr(public, f"{name}_shape_examples"),
                   hidden=globals()[f"{name}_hidden"])
    for name in ("two_layer_model", "L_layer_model"))
