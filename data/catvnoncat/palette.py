"""Colour helpers (jitter, darker, lighter), the random pick every drawing uses, and the bright
colours of objects."""

import numpy as np


def vary(rng, color, amount=0.06):
    """Jitter a colour a little, kept inside [0, 1]."""
    return np.clip(np.asarray(color) + rng.uniform(-amount, amount, 3), 0.0, 1.0)


def darker(color, f=0.7):
    """Scale a colour towards black."""
    return np.asarray(color) * f


def lighter(color, f=0.5):
    """Mix a colour towards white."""
    return np.asarray(color) + (1.0 - np.asarray(color)) * f


def pick(rng, items):
    """Uniform choice from a list (keeps tuples intact)."""
    return items[int(rng.integers(len(items)))]
BRIGHT = [
    (0.85, 0.15, 0.15),
    (0.15, 0.35, 0.80),
    (0.95, 0.80, 0.10),
    (0.15, 0.60, 0.25),
    (0.60, 0.20, 0.65),
    (0.95, 0.50, 0.10),
    (0.10, 0.65, 0.70),
    (0.90, 0.40, 0.60),
    (0.30, 0.30, 0.35),
    (0.95, 0.95, 0.95),
]
