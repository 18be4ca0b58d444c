"""Measure how hard the cat / non-cat data set is, with the course's reference models.

Trains the application's reference `two_layer_model` (12288, 7, 1) and `L_layer_model`
[12288, 20, 7, 5, 1] (learning rate 0.0075) on the training pictures and prints train
and test accuracies. The models are the reference answers of the source notebooks
(dnncourse.grader.reference), so this script holds no second copy of them. The targets: two-layer
test accuracy in [0.65, 0.80]; L-layer at least 0.05 above it and at most 0.92; both train
accuracies at least 0.95.

Usage: python data/calibrate.py [--iterations N]   (from the course's environment)
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def measure(iterations=2500):
    """Train both reference models on the data found by the application's loader.

    Returns:
    dict with two_layer_train, two_layer_test, l_layer_train, l_layer_test (accuracies) and
    two_layer_costs, l_layer_costs (costs at iterations 0, 100, ...)
    """
    from dnncourse.grader import reference

    sys.path.insert(0, str(ROOT / "source" / "application"))
    from app_utils import load_data

    ref = reference.load("application")
    train_x_orig, train_y, test_x_orig, test_y, _ = load_data()
    train_x = train_x_orig.reshape(train_x_orig.shape[0], -1).T / 255.0
    test_x = test_x_orig.reshape(test_x_orig.shape[0], -1).T / 255.0

    def accuracy(X, Y, parameters):
        probabilities, _ = ref.L_model_forward(X, parameters)
        return float(np.mean((probabilities > 0.5) == Y))

    results = {}
    for key, model, dims in (("two_layer", ref.two_layer_model, (12288, 7, 1)),
                             ("l_layer", ref.L_layer_model, [12288, 20, 7, 5, 1])):
        parameters, costs = model(train_x, train_y, dims, num_iterations=iterations)
        results[f"{key}_train"] = accuracy(train_x, train_y, parameters)
        results[f"{key}_test"] = accuracy(test_x, test_y, parameters)
        results[f"{key}_costs"] = [float(c) for c in costs]
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2500)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    r = measure(args.iterations)
    print(f"two-layer: cost {r['two_layer_costs'][0]!r} at iteration 0, "
          f"train {r['two_layer_train']:.3f}, test {r['two_layer_test']:.3f}")
    print(f"L-layer:   cost {r['l_layer_costs'][0]!r} at iteration 0, "
          f"train {r['l_layer_train']:.3f}, test {r['l_layer_test']:.3f}")
    ok = (0.65 <= r["two_layer_test"] <= 0.80
          and r["two_layer_test"] + 0.05 - 1e-9 <= r["l_layer_test"] <= 0.92
          and min(r["two_layer_train"], r["l_layer_train"]) >= 0.95)
    print(f"targets {'met' if ok else 'NOT met'} ({time.perf_counter() - start:.1f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
