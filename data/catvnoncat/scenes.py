"""Scenes that fill the whole picture: landscapes (mountains, hills, trees) and city skylines."""

import numpy as np

from .backgrounds import bg_sky_strip
from .palette import pick, vary
from .shapes import FULL, SIZE, circle, ellipse, intersect, polygon, rect


def landscape(cv, rng):
    """Mountains, a sun, hills and trees."""
    horizon = rng.uniform(30, 45)
    bg_sky_strip(cv, rng, horizon)
    if rng.random() < 0.6:
        cv.draw(circle(rng.uniform(5, 59), rng.uniform(5, 18), rng.uniform(3, 6)), (1, 0.92, 0.5))
    for _ in range(int(rng.integers(2, 5))):
        x, h, w = rng.uniform(-5, 69), rng.uniform(14, 30), rng.uniform(14, 28)
        rock = vary(rng, (0.45, 0.45, 0.55), 0.08)
        mountain = polygon([(x - w, horizon), (x, horizon - h), (x + w, horizon)])
        cv.draw(mountain, rock)
        cv.draw(intersect(mountain, rect(-1, -1, 65, horizon - h * 0.7)), (0.97, 0.97, 0.98))
    ground = vary(rng, pick(rng, [(0.35, 0.6, 0.25), (0.75, 0.7, 0.35), (0.5, 0.55, 0.3)]), 0.05)
    cv.draw(rect(-1, horizon, 65, 65), ground)
    if rng.random() < 0.5:
        cv.draw(ellipse(rng.uniform(10, 54), horizon + 12, 18, 4), vary(rng, (0.3, 0.5, 0.8)))
    for _ in range(int(rng.integers(0, 6))):
        x, y = rng.uniform(0, 64), rng.uniform(horizon, 62)
        k = 0.5 + (y - horizon) / 25
        cv.draw(rect(x - 0.6 * k, y - 2 * k, x + 0.6 * k, y), (0.4, 0.25, 0.1))
        cv.draw(
            polygon([(x - 3 * k, y - 2 * k), (x, y - 9 * k), (x + 3 * k, y - 2 * k)]),
            vary(rng, (0.1, 0.4, 0.15), 0.05),
        )


def city(cv, rng):
    """Skyline of buildings with lit windows."""
    dusk = rng.random() < 0.4
    top = (0.15, 0.15, 0.35) if dusk else (0.4, 0.62, 0.9)
    low = (0.95, 0.6, 0.4) if dusk else (0.85, 0.92, 0.98)
    cv.fill(lambda X, Y: np.asarray(top) + (np.asarray(low) - top) * (Y / SIZE)[..., None])
    x = rng.uniform(-6, 0)
    while x < 64:
        w, h = rng.uniform(7, 16), rng.uniform(15, 52)
        col = vary(
            rng,
            pick(rng, [(0.45, 0.45, 0.5), (0.6, 0.5, 0.4), (0.3, 0.3, 0.35), (0.75, 0.72, 0.68)]),
            0.05,
        )
        cv.draw(rect(x, 64 - h, x + w, 65), col)
        win = (0.95, 0.85, 0.4) if dusk else (0.6, 0.75, 0.9)
        cv.draw(
            intersect(
                rect(x + 1.5, 66 - h, x + w - 1.5, 62),
                (FULL, lambda X, Y, x=x: ((X - x) % 3 < 1.4) & (Y % 4 < 2)),
            ),
            win,
        )
        x += w + rng.uniform(-2, 2)
