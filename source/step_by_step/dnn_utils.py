"""Activation functions and their derivatives for the deep neural network assignments.

Convention used throughout the course: one column per example, so an activation
matrix A of layer l has shape (n[l], m) for a batch of m examples.

This file is the single source; `python -m dnncourse.authoring.sync` copies it into every
assignment folder (nbgrader releases only what is in `source/<assignment>/`).
"""

import numpy as np


def sigmoid(Z):
    """Apply the logistic sigmoid elementwise.

    Arguments:
    Z -- pre-activation, numpy array of any shape, e.g. (n[l], m)

    Returns:
    A -- sigmoid(Z), same shape as Z, every entry in (0, 1)
    cache -- Z itself, kept for the backward pass
    """
    # For Z below about -709, exp(-Z) overflows to inf and 1 / (1 + inf) is exactly 0,
    # the right limit; silence the overflow warning so it never reaches stderr.
    with np.errstate(over="ignore"):
        A = 1 / (1 + np.exp(-Z))
    return A, Z


def relu(Z):
    """Apply the rectified linear unit max(0, Z) elementwise.

    Arguments:
    Z -- pre-activation, numpy array of any shape, e.g. (n[l], m)

    Returns:
    A -- max(0, Z), same shape as Z
    cache -- Z itself, kept for the backward pass
    """
    A = np.maximum(0, Z)
    return A, Z


def sigmoid_backward(dA, cache):
    """Backward pass through a sigmoid unit.

    Arguments:
    dA -- gradient of the cost with respect to the activation, shape (n[l], m)
    cache -- Z from the forward pass, shape (n[l], m)

    Returns:
    dZ -- gradient of the cost with respect to Z, shape (n[l], m):
          dZ = dA * s * (1 - s) with s = sigmoid(Z)
    """
    s, _ = sigmoid(cache)
    dZ = dA * s * (1 - s)
    return dZ


def relu_backward(dA, cache):
    """Backward pass through a ReLU unit.

    Arguments:
    dA -- gradient of the cost with respect to the activation, shape (n[l], m)
    cache -- Z from the forward pass, shape (n[l], m)

    Returns:
    dZ -- gradient of the cost with respect to Z, shape (n[l], m): dA where Z > 0, 0 elsewhere
    """
    Z = cache
    # np.where builds a new array, so the caller's dA is never modified.
    dZ = np.where(Z > 0, dA, 0.0)
    return dZ
