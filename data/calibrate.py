"""Difficulty calibration for the synthetic cat / non-cat dataset.

Trains the course's two reference networks on the training pictures and
reports their train and test accuracies, so that the generator in
``make_catvnoncat.py`` can be tuned to behave like the classic data set:

* a two-layer network ``12288 -> 7 (ReLU) -> 1 (sigmoid)`` with weights drawn
  as ``randn * 0.01``;
* an L-layer network ``12288 -> 20 -> 7 -> 5 -> 1`` (ReLU hidden layers,
  sigmoid output) with weights drawn as ``randn / sqrt(fan_in)``.

Both use ``np.random.seed(1)``, batch gradient descent with learning rate
0.0075 and the binary cross-entropy cost.  Only numpy is needed.

Run ``python data/calibrate.py`` to measure the HDF5 files next to this script.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
LEARNING_RATE = 0.0075
TWO_LAYER_DIMS = (12288, 7, 1)
L_LAYER_DIMS = (12288, 20, 7, 5, 1)


def prepare(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flatten pictures to columns scaled to [0, 1] and labels to a row vector.

    ``x`` has shape (m, 64, 64, 3); the result is (12288, m) float64 and (1, m).
    """
    m = x.shape[0]
    flat = x.reshape(m, -1).T.astype(np.float64) / 255.0
    return flat, np.asarray(y).reshape(1, m)


def init_two_layer(n_x: int, n_h: int, n_y: int) -> dict[str, np.ndarray]:
    """Small random weights (scaled by 0.01) and zero biases, seeded with 1."""
    np.random.seed(1)
    return {
        "W1": np.random.randn(n_h, n_x) * 0.01,
        "b1": np.zeros((n_h, 1)),
        "W2": np.random.randn(n_y, n_h) * 0.01,
        "b2": np.zeros((n_y, 1)),
    }


def init_deep(layer_dims: tuple[int, ...]) -> dict[str, np.ndarray]:
    """Weights drawn as randn / sqrt(fan_in) and zero biases, seeded with 1."""
    np.random.seed(1)
    params = {}
    for layer in range(1, len(layer_dims)):
        fan_in = layer_dims[layer - 1]
        params[f"W{layer}"] = np.random.randn(layer_dims[layer], fan_in) / np.sqrt(fan_in)
        params[f"b{layer}"] = np.zeros((layer_dims[layer], 1))
    return params


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function."""
    return 1.0 / (1.0 + np.exp(-z))


def forward(x: np.ndarray, params: dict[str, np.ndarray]) -> tuple[np.ndarray, list]:
    """Forward pass through [LINEAR->RELU] * (L-1) -> LINEAR->SIGMOID.

    Returns the output activations and, per layer, the cache
    ``(A_prev, W, Z)`` needed by :func:`backward`.
    """
    n_layers = len(params) // 2
    a = x
    caches = []
    for layer in range(1, n_layers + 1):
        w, b = params[f"W{layer}"], params[f"b{layer}"]
        z = w @ a + b
        caches.append((a, w, z))
        a = sigmoid(z) if layer == n_layers else np.maximum(0.0, z)
    return a, caches


def cost(al: np.ndarray, y: np.ndarray) -> float:
    """Binary cross-entropy averaged over the m examples."""
    m = y.shape[1]
    total = np.dot(y, np.log(al).T) + np.dot(1 - y, np.log(1 - al).T)
    return float(np.squeeze(-total / m))


def backward(al: np.ndarray, y: np.ndarray, caches: list) -> dict[str, np.ndarray]:
    """Gradients of the cost with respect to every W and b."""
    m = al.shape[1]
    grads = {}
    da = -(np.divide(y, al) - np.divide(1 - y, 1 - al))
    n_layers = len(caches)
    for layer in range(n_layers, 0, -1):
        a_prev, w, z = caches[layer - 1]
        if layer == n_layers:
            s = sigmoid(z)
            dz = da * s * (1 - s)
        else:
            dz = np.array(da, copy=True)
            dz[z <= 0] = 0
        grads[f"dW{layer}"] = (1.0 / m) * np.dot(dz, a_prev.T)
        grads[f"db{layer}"] = (1.0 / m) * np.sum(dz, axis=1, keepdims=True)
        if layer > 1:  # the gradient with respect to the input itself is never used
            da = np.dot(w.T, dz)
    return grads


def train(
    x: np.ndarray,
    y: np.ndarray,
    params: dict[str, np.ndarray],
    iterations: int,
    learning_rate: float = LEARNING_RATE,
) -> tuple[dict[str, np.ndarray], list[float]]:
    """Batch gradient descent; returns the parameters and the cost every 100 steps
    (and at the last step)."""
    costs = []
    n_layers = len(params) // 2
    for i in range(iterations):
        al, caches = forward(x, params)
        if i % 100 == 0 or i == iterations - 1:
            costs.append(cost(al, y))
        grads = backward(al, y, caches)
        for layer in range(1, n_layers + 1):
            params[f"W{layer}"] = params[f"W{layer}"] - learning_rate * grads[f"dW{layer}"]
            params[f"b{layer}"] = params[f"b{layer}"] - learning_rate * grads[f"db{layer}"]
    return params, costs


def two_layer_model(x, y, iterations=2500):
    """The reference two-layer network (12288, 7, 1)."""
    np.random.seed(1)
    params = init_two_layer(*TWO_LAYER_DIMS)
    return train(x, y, params, iterations)


def l_layer_model(x, y, iterations=2500):
    """The reference L-layer network [12288, 20, 7, 5, 1]."""
    np.random.seed(1)
    params = init_deep(L_LAYER_DIMS)
    return train(x, y, params, iterations)


def accuracy(x: np.ndarray, y: np.ndarray, params: dict[str, np.ndarray]) -> float:
    """Fraction of examples where (output > 0.5) equals the label."""
    al, _ = forward(x, params)
    pred = (al > 0.5).astype(y.dtype)
    return float(np.mean(pred == y))


def measure(train_x, train_y, test_x, test_y, iterations=2500) -> dict:
    """Train both reference models and return their accuracies.

    Keys: ``two_layer_train``, ``two_layer_test``, ``l_layer_train``,
    ``l_layer_test`` (floats in [0, 1]), plus ``two_layer_costs`` and
    ``l_layer_costs`` (cost every 100 iterations and after the last one; entry 0 is
    the cost at iteration 0).
    """
    xtr, ytr = prepare(train_x, train_y)
    xte, yte = prepare(test_x, test_y)
    result = {}
    for name, model in (("two_layer", two_layer_model), ("l_layer", l_layer_model)):
        params, costs = model(xtr, ytr, iterations)
        result[f"{name}_train"] = accuracy(xtr, ytr, params)
        result[f"{name}_test"] = accuracy(xte, yte, params)
        result[f"{name}_costs"] = costs
    return result


def load(data_dir: Path = HERE) -> tuple[np.ndarray, ...]:
    """Read the train and test arrays from the HDF5 files in ``data_dir``."""
    import h5py

    with h5py.File(data_dir / "train_catvnoncat.h5", "r") as f:
        train_x, train_y = f["train_set_x"][:], f["train_set_y"][:]
    with h5py.File(data_dir / "test_catvnoncat.h5", "r") as f:
        test_x, test_y = f["test_set_x"][:], f["test_set_y"][:]
    return train_x, train_y, test_x, test_y


def main() -> None:
    """Command line: measure the data files (default: next to this script)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE, help="folder with the .h5 files")
    parser.add_argument("--iterations", type=int, default=2500)
    args = parser.parse_args()
    start = time.perf_counter()
    result = measure(*load(args.data), iterations=args.iterations)
    for key in ("two_layer", "l_layer"):
        print(
            f"{key:9s}  cost[0]={result[key + '_costs'][0]:.10f}  "
            f"cost[end]={result[key + '_costs'][-1]:.6f}  "
            f"train={result[key + '_train']:.3f}  test={result[key + '_test']:.3f}"
        )
    print(f"({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
