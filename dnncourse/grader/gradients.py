"""Gradient checks: a backward pass against the centred finite difference of the forward pass.

The catalogues' hidden cases of the backward functions use `check_gradient`: the analytic
gradient a student's function returned is compared, in float64, with the numerical
gradient of a scalar function built from the reference forward pass.
"""

import numpy as np

from dnncourse.shipped import gradient_check
from dnncourse.shipped.test_utils import CheckFailure

# A backward pass is accepted when its relative error to the centred finite difference
# (step 1e-6, float64) stays below this.
TOLERANCE = 1e-6
# The centred difference itself (step 1e-6, float64) is the one students run in their own
# check, dnncourse/shipped/gradient_check.py: one implementation for both.
numerical_gradient = gradient_check.numerical_gradient


# Below this norm a gradient is compared absolutely: the centred difference of a cost of
# size 1 carries rounding errors of about 1e-10 per entry (1e-9 over a small array), which
# are large next to a tiny gradient (a network whose last weight is about 1e-4, say). A
# wrong gradient still stands out: a missing 1/m in a gradient of norm 1e-5 gives 4e-3.
NORM_FLOOR = 1e-2


def relative_error(analytic, numeric):
    """Return ||a - n|| / max(||a|| + ||n||, NORM_FLOOR), or 0 when both are zero."""
    denom = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    if denom == 0:
        return 0.0
    return float(np.linalg.norm(analytic - numeric) / max(denom, NORM_FLOOR))


def check_gradient(name, output, analytic, numeric, reference=None):
    """Raise CheckFailure naming `output` when `analytic` is not the numerical gradient.

    `reference` is the course's own answer on the same case, when known: on a case where
    the finite difference itself is poor (a ReLU input near its kink, a badly scaled
    layer), the reference strays from it too, and an answer as close as twice the
    reference's error still passes. A wrong gradient (a missing 1/m, a transpose) strays
    by orders of magnitude more.
    """
    try:
        value = np.asarray(analytic, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailure(name, output, "is not an array of numbers") from None
    if value.shape != numeric.shape:
        raise CheckFailure(name, output, f"has shape {value.shape}, expected {numeric.shape}")
    error = relative_error(value, numeric)
    allowed = TOLERANCE if reference is None else \
        max(TOLERANCE, 2 * relative_error(np.asarray(reference, dtype=float), numeric))
    if not error < allowed:
        raise CheckFailure(
            name, output, "disagrees with the centred finite-difference gradient (relative"
            f" error {error:.2e}, tolerance {allowed:.0e})")
