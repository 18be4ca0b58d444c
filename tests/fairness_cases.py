"""Correct answers written in unusual ways: each must earn every point, however it is written.

Each `Answer` replaces the answer cell of one function of the `correct` Step by Step
example with code that is right but unlike the reference: updates in place, `@` and
`np.matmul`, loops instead of vectorized code, float32 arithmetic, helper functions and
imports in the answer cell, `print`, `display()`, `get_ipython()`, `%time` and other
magics, a function defined twice (the last definition counts).
"""

import json
from dataclasses import dataclass
from pathlib import Path

from dnncourse.authoring import examples
from dnncourse.course import Course

ASSIGNMENT = "step_by_step"


@dataclass(frozen=True)
class Answer:
    key: str
    function: str
    description: str
    source: str

    @property
    def student(self):
        return f"fair_{self.key}"


def _cell(function, body):
    return f"# GRADED FUNCTION: {function}\n{body.strip()}\n"


ANSWERS = (
    Answer("in_place_update", "update_parameters", "updates the given dictionary in place",
           _cell("update_parameters", """
def update_parameters(params, grads, learning_rate):
    L = len(params) // 2
    for l in range(1, L + 1):
        params["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        params["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return params
""")),
    Answer("matmul_operator", "linear_forward", "`@` for the matrix product",
           _cell("linear_forward", """
def linear_forward(A, W, b):
    Z = W @ A + b
    return Z, (A, W, b)
""")),
    Answer("np_matmul", "linear_backward", "np.matmul and a mean instead of a sum / m",
           _cell("linear_backward", """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.matmul(dZ, A_prev.T) / m
    db = dZ.mean(axis=1, keepdims=True)
    dA_prev = np.matmul(W.T, dZ)
    return dA_prev, dW, db
""")),
    Answer("loops", "linear_activation_forward", "explicit loops over units and examples",
           _cell("linear_activation_forward", """
import math

def linear_activation_forward(A_prev, W, b, activation):
    Z = np.zeros((W.shape[0], A_prev.shape[1]))
    for i in range(W.shape[0]):
        for j in range(A_prev.shape[1]):
            Z[i, j] = sum(W[i, k] * A_prev[k, j] for k in range(W.shape[1])) + b[i, 0]
    A = np.zeros_like(Z)
    for i in range(Z.shape[0]):
        for j in range(Z.shape[1]):
            if activation == "sigmoid":
                A[i, j] = 1 / (1 + math.exp(-Z[i, j]))
            else:
                A[i, j] = max(0.0, Z[i, j])
    return A, ((A_prev, W, b), Z)
""")),
    Answer("float32", "compute_cost", "computes the cost in float32",
           _cell("compute_cost", """
def compute_cost(AL, Y):
    AL32, Y32 = AL.astype(np.float32), Y.astype(np.float32)
    m = Y.shape[1]
    cost = -np.sum(Y32 * np.log(AL32) + (1 - Y32) * np.log(1 - AL32)) / np.float32(m)
    return np.squeeze(cost)
""")),
    Answer("helpers_and_imports", "L_model_forward", "helper functions and imports of its own",
           _cell("L_model_forward", """
from functools import reduce  # noqa: F401 (an import a student left in)
import numpy


def _layer(A_prev, parameters, l, activation):
    return linear_activation_forward(A_prev, parameters[f"W{l}"], parameters[f"b{l}"],
                                     activation)


def L_model_forward(X, parameters):
    caches, A = [], X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = _layer(A, parameters, l, "relu")
        caches.append(cache)
    AL, cache = _layer(A, parameters, L, "sigmoid")
    caches.append(cache)
    return numpy.asarray(AL), caches
""")),
    Answer("prints", "initialize_parameters", "prints while it works",
           _cell("initialize_parameters", """
def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x) * 0.01
    print("W1 is", W1.shape)
    W2 = np.random.randn(n_y, n_h) * 0.01
    print("W2 is", W2.shape)
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}

print("initialize_parameters is ready")
""")),
    Answer("display", "initialize_parameters_deep", "calls display() in and after the function",
           _cell("initialize_parameters_deep", """
def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    display(f"{len(layer_dims) - 1} layers")
    return parameters

display("initialize_parameters_deep is ready")
""")),
    Answer("get_ipython", "linear_activation_backward", "asks get_ipython() for its namespace",
           _cell("linear_activation_backward", """
shell = get_ipython()


def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    backward = relu_backward if activation == "relu" else sigmoid_backward
    dZ = backward(dA, activation_cache)
    return shell.user_ns["linear_backward"](dZ, linear_cache)
""")),
    Answer("time_magic", "L_model_backward", "%time and %precision magics in the cell",
           _cell("L_model_backward", """
%time steps = 0
%precision 4


def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in reversed(range(1, L + 1)):
        activation = "sigmoid" if l == L else "relu"
        dA, dW, db = linear_activation_backward(dA, caches[l - 1], activation)
        grads["dA" + str(l)], grads["dW" + str(l)], grads["db" + str(l)] = dA, dW, db
    return grads
""")),
    Answer("defined_twice", "linear_forward", "a wrong first definition, then the right one",
           _cell("linear_forward", """
def linear_forward(A, W, b):
    return None, None


def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    cache = (A, W, b)
    return Z, cache
""")),
    Answer("who_magic", "update_parameters", "%who and a dictionary comprehension",
           _cell("update_parameters", """
%who_ls


def update_parameters(params, grads, learning_rate):
    return {key: value - learning_rate * grads["d" + key] for key, value in params.items()}
""")),
    Answer("einsum_broadcast", "linear_backward", "np.einsum and sums without keepdims, reshaped",
           _cell("linear_backward", """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = dZ.shape[1]
    dW = np.einsum("im,jm->ij", dZ, A_prev) / m
    db = dZ.sum(axis=1).reshape(-1, 1) / m
    dA_prev = np.einsum("ji,jm->im", W, dZ)
    return dA_prev, dW, db
""")),
)


def build(answer, course=None):
    """The `correct` example with `answer` in its function's answer cell, as a dict."""
    correct = next(e for e in examples.EXAMPLES
                   if e.student == "correct" and e.assignment == ASSIGNMENT)
    nb = examples.build_notebook(correct, course)
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == f"solution_{answer.function}":
            cell["source"] = answer.source
    return nb


def write(answer, root, course=None):
    """Write the submission of `answer` under `root` (a submitted/ folder)."""
    folder = Path(root) / answer.student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    notebook = (course or Course()).release_notebook(ASSIGNMENT).name
    (folder / notebook).write_text(json.dumps(build(answer, course), indent=1) + "\n",
                                   encoding="utf-8")
    (folder / "timestamp.txt").write_text(examples.TIMESTAMP + "\n", encoding="utf-8")
    return folder
