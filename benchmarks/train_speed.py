"""Training speed of the application's reference L-layer model, against two yardsticks.

In one run, on the full cat / non-cat training set (209 pictures, layers
[12288, 20, 7, 5, 1], learning rate 0.0075), this script times:

1. the reference `L_layer_model` of the application assignment (numpy), for N iterations;
   the last recorded cost must be finite;
b. its BLAS bound: the 12 bare float64 `np.dot` products one iteration of that model does
   (forward W[l] @ A[l-1], backward dZ[l] @ A[l-1].T and W[l].T @ dZ[l], for the 4 layers),
   on operands taken from a real forward and backward pass of the reference, so shapes,
   dtype and memory layout (the input X is F-ordered) are the model's; N iterations;
c. the same training loop in PyTorch on the CPU (float64, the same initial parameters,
   forward and backward written by hand with the reference's formulas, no autograd), with
   as many threads as numpy's BLAS; its final cost must agree with the reference to 1e-9.

Each part runs a few warm-up iterations first, outside the timing. PyTorch is optional
(benchmark only): without it, parts 1 and b are still reported.

    python benchmarks/train_speed.py [--iterations N]     # N defaults to 2500

The exit status is 1 when a check fails.
"""

import argparse
import math
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
LAYERS = [12288, 20, 7, 5, 1]
LEARNING_RATE = 0.0075
WARMUP = 3  # iterations run before each timed part, not timed
COST_EVERY = 100  # the reference records the cost at iterations 0, 100, 200, ...
AGREEMENT = 1e-9  # relative tolerance between the PyTorch and numpy final costs
TORCH_INSTALL = "pip install torch==2.13.0"


def load_reference():
    """Return the reference module of the application assignment (this repository's)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from dnncourse.grader import reference

    return reference.load("application")


def load_training_set():
    """Load the training set exactly as the application notebook does."""
    sys.path.insert(0, str(ROOT / "source" / "application"))
    from app_utils import load_data

    train_x_orig, train_y, _test_x_orig, _test_y, _classes = load_data()
    train_x = train_x_orig.reshape(train_x_orig.shape[0], -1).T / 255.
    return train_x, train_y


def numpy_blas():
    """Return (description of numpy's BLAS, its number of threads, how that was found)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        env = [os.environ.get(name) for name in
               ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")]
        threads = next((int(value) for value in env if value), os.cpu_count())
        return (f"{blas['name']} {blas['version']} (np.show_config)", threads,
                "threads from the environment or os.cpu_count(); install threadpoolctl"
                " to read them from the library")
    # Called before torch is imported, so the BLAS libraries listed are numpy's.
    infos = [info for info in threadpool_info() if info["user_api"] == "blas"]
    if not infos:
        return "unknown (threadpoolctl found no BLAS)", os.cpu_count(), "os.cpu_count()"
    info = infos[0]
    return (f"{info['internal_api']} {info.get('version')}, core "
            f"{info.get('architecture')}, threading {info.get('threading_layer')}",
            info["num_threads"], "threadpoolctl")


def time_reference(ref, X, Y, iterations):
    """Train the reference model; return (seconds, parameters, costs)."""
    ref.L_layer_model(X, Y, LAYERS, learning_rate=LEARNING_RATE, num_iterations=WARMUP)
    start = time.perf_counter()
    parameters, costs = ref.L_layer_model(X, Y, LAYERS, learning_rate=LEARNING_RATE,
                                          num_iterations=iterations)
    return time.perf_counter() - start, parameters, costs


def blas_operands(ref, X, Y):
    """Return the (left, right) operands of the np.dot calls of one reference iteration.

    They come from one forward and backward pass of the reference at the initial
    parameters, so they have the model's shapes, dtype and memory layout.
    """
    parameters = ref.initialize_parameters_deep(LAYERS)
    AL, caches = ref.L_model_forward(X, parameters)
    grads = ref.L_model_backward(AL, Y, caches)
    L = len(caches)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))  # as in L_model_backward
    forward, backward = [], []
    for l in range(1, L + 1):
        (A_prev, W, _b), Z = caches[l - 1]
        if l == L:
            dZ = ref.sigmoid_backward(dAL, Z)
        else:
            dZ = ref.relu_backward(grads["dA" + str(l + 1)], Z)
        forward.append((W, A_prev))  # Z = np.dot(W, A) + b
        backward.append((dZ, A_prev.T))  # dW = 1 / m * np.dot(dZ, A_prev.T)
        backward.append((W.T, dZ))  # dA_prev = np.dot(W.T, dZ), layer 1 included
    return forward + backward


def time_blas(operands, iterations):
    """Time the bare products; return seconds."""
    for _ in range(WARMUP):
        for left, right in operands:
            np.dot(left, right)
    start = time.perf_counter()
    for _ in range(iterations):
        for left, right in operands:
            np.dot(left, right)
    return time.perf_counter() - start


def torch_training(torch, X_np, Y_np, initial, iterations):
    """Train with PyTorch as the reference does; return (final parameters, costs).

    Forward and backward are written by hand with the formulas of the reference
    (dnn_utils and the graded functions), on float64 tensors; autograd is not used.
    """
    X = torch.from_numpy(X_np)  # shares X's memory and strides (F-ordered)
    Y = torch.from_numpy(Y_np.astype(np.float64))  # labels 0/1: exact in float64
    m = Y.shape[1]
    L = len(initial) // 2
    W = [None] + [torch.from_numpy(initial["W" + str(l)].copy()) for l in range(1, L + 1)]
    b = [None] + [torch.from_numpy(initial["b" + str(l)].copy()) for l in range(1, L + 1)]
    costs = []
    with torch.no_grad():
        for i in range(iterations):
            # Forward: [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID.
            A, Zs = [X], [None]
            for l in range(1, L + 1):
                Z = W[l] @ A[l - 1] + b[l]
                Zs.append(Z)
                A.append(1 / (1 + torch.exp(-Z)) if l == L else torch.clamp(Z, min=0))
            AL = A[L]
            cost = (1 / m) * (-(Y @ torch.log(AL).T) - (1 - Y) @ torch.log(1 - AL).T)
            # Backward.
            dA = -(Y / AL - (1 - Y) / (1 - AL))
            dW, db = [None] * (L + 1), [None] * (L + 1)
            for l in range(L, 0, -1):
                if l == L:
                    s = 1 / (1 + torch.exp(-Zs[l]))
                    dZ = dA * s * (1 - s)
                else:
                    dZ = torch.where(Zs[l] > 0, dA, 0.0)
                dW[l] = 1 / m * (dZ @ A[l - 1].T)
                db[l] = 1 / m * torch.sum(dZ, dim=1, keepdim=True)
                dA = W[l].T @ dZ  # computed for layer 1 too, like the reference
            # Update.
            for l in range(1, L + 1):
                W[l] = W[l] - LEARNING_RATE * dW[l]
                b[l] = b[l] - LEARNING_RATE * db[l]
            if i % COST_EVERY == 0:
                costs.append(cost.item())
    parameters = {}
    for l in range(1, L + 1):
        parameters["W" + str(l)] = W[l].numpy()
        parameters["b" + str(l)] = b[l].numpy()
    return parameters, costs


def relative(a, b):
    return abs(a - b) / max(abs(a), abs(b), np.finfo(float).tiny)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2500,
                        help="training iterations per timed part (default 2500)")
    args = parser.parse_args(argv)
    n = args.iterations
    if n < 1:
        parser.error("--iterations must be at least 1")

    blas, threads, threads_from = numpy_blas()
    print(f"Python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} CPUs, load average before {os.getloadavg()[0]:.2f}")
    print(f"numpy BLAS: {blas}; {threads} threads ({threads_from})")
    print(f"{n} iterations per part, after {WARMUP} warm-up iterations; layers {LAYERS}")

    ref = load_reference()
    X, Y = load_training_set()
    print(f"X {X.shape} {X.dtype}, F-contiguous {X.flags.f_contiguous}; Y {Y.shape} {Y.dtype}")
    failures = []

    # (1) The reference model.
    t_ref, ref_parameters, ref_costs = time_reference(ref, X, Y, n)
    last_iteration = (len(ref_costs) - 1) * COST_EVERY
    ref_last = float(np.squeeze(ref_costs[-1]))
    AL, _ = ref.L_model_forward(X, ref_parameters)
    ref_final = float(ref.compute_cost(AL, Y))
    print(f"reference: cost {ref_last:.12f} at iteration {last_iteration}, "
          f"{ref_final:.12f} after training")
    if not math.isfinite(ref_last):
        failures.append(f"reference cost at iteration {last_iteration} is {ref_last}")

    # (b) Its BLAS bound.
    operands = blas_operands(ref, X, Y)
    t_blas = time_blas(operands, n)
    flops = sum(2 * left.shape[0] * left.shape[1] * right.shape[1] for left, right in operands)
    print(f"BLAS bound: {len(operands)} np.dot per iteration, {flops / 1e6:.0f} MFLOP, "
          f"{flops * n / t_blas / 1e9:.1f} GFLOP/s")

    # (c) PyTorch.
    t_torch = None
    try:
        import torch
    except ImportError:
        print(f"PyTorch is not installed: part c skipped. To run it: {TORCH_INSTALL}")
    else:
        torch.set_num_threads(threads)
        initial = ref.initialize_parameters_deep(LAYERS)
        torch_training(torch, X, Y, initial, WARMUP)
        start = time.perf_counter()
        torch_parameters, torch_costs = torch_training(torch, X, Y, initial, n)
        t_torch = time.perf_counter() - start
        AL, _ = ref.L_model_forward(X, torch_parameters)
        torch_final = float(ref.compute_cost(AL, Y))
        last_gap = relative(torch_costs[-1], ref_last)
        final_gap = relative(torch_final, ref_final)
        print(f"PyTorch {torch.__version__} ({torch.get_num_threads()} threads, manual "
              f"backward, no autograd): cost {torch_costs[-1]:.12f} at iteration "
              f"{last_iteration} (relative gap {last_gap:.1e}), {torch_final:.12f} after "
              f"training (gap {final_gap:.1e})")
        if not max(last_gap, final_gap) <= AGREEMENT:
            failures.append(f"PyTorch and numpy costs differ by more than {AGREEMENT:g}")

    print()
    rows = [("(1) numpy reference L_layer_model", t_ref),
            ("(b) BLAS bound, bare np.dot", t_blas),
            ("(c) PyTorch CPU float64", t_torch)]
    print(f"{'part':<36} {'seconds':>9} {'ms/iteration':>13}")
    for name, seconds in rows:
        if seconds is None:
            print(f"{name:<36} {'-':>9} {'-':>13}")
        else:
            print(f"{name:<36} {seconds:>9.2f} {seconds / n * 1e3:>13.2f}")
    print(f"{'ratio reference / BLAS bound':<36} {t_ref / t_blas:>9.2f}")
    if t_torch is not None:
        print(f"{'ratio reference / PyTorch':<36} {t_ref / t_torch:>9.2f}")
    print(f"load average after {os.getloadavg()[0]:.2f}")

    for failure in failures:
        print(f"CHECK FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
