"""Backgrounds that fill the whole picture: walls, floors, sofas, textures, gradients, sky,
grass, and the water and road behind fish and cars."""

import math

import numpy as np

from .palette import darker, lighter, pick, vary
from .shapes import (
    FULL,
    SIZE,
    Noise,
    bands,
    circle,
    dots,
    ellipse,
    intersect,
    polygon,
    rect,
    stroke,
)

WALLS = [
    (0.93, 0.89, 0.80),
    (0.80, 0.86, 0.92),
    (0.82, 0.90, 0.80),
    (0.75, 0.75, 0.78),
    (0.95, 0.93, 0.88),
    (0.92, 0.80, 0.75),
    (0.70, 0.62, 0.55),
    (0.55, 0.60, 0.70),
    (0.96, 0.90, 0.65),
]
FLOORS = [
    (0.55, 0.38, 0.22),
    (0.72, 0.55, 0.35),
    (0.45, 0.30, 0.20),
    (0.60, 0.60, 0.62),
    (0.40, 0.45, 0.55),
    (0.75, 0.30, 0.25),
    (0.85, 0.80, 0.70),
]


def bg_gradient(cv, rng, busy):
    """Linear gradient between two random colours, sometimes with soft blotches."""
    c0, c1 = rng.uniform(0.1, 0.95, 3), rng.uniform(0.1, 0.95, 3)
    a = rng.uniform(0, 2 * math.pi)
    ca, sa = math.cos(a), math.sin(a)
    noise = Noise(rng, 3)

    def pattern(X, Y):
        t = np.clip(((X - 32) * ca + (Y - 32) * sa) / 64 + 0.5, 0, 1)[..., None]
        out = c0 * (1 - t) + c1 * t
        if busy:
            out = out * (0.8 + 0.4 * noise(X, Y))[..., None]
        return out

    cv.fill(pattern)


def bg_sky(cv, rng, busy):
    """Blue sky with clouds and sometimes a sun."""
    top = vary(rng, (0.25, 0.50, 0.85), 0.08)
    bottom = vary(rng, (0.70, 0.85, 0.97), 0.05)
    cv.fill(lambda X, Y: top + (bottom - top) * (Y / SIZE)[..., None])
    if rng.random() < 0.4:
        sx, sy = rng.uniform(5, 59), rng.uniform(4, 20)
        cv.draw(circle(sx, sy, 8), (1.0, 0.95, 0.7), 0.3)
        cv.draw(circle(sx, sy, 5), (1.0, 0.92, 0.5))
    for _ in range(int(rng.integers(1, 5 if busy else 3))):
        x, y, w = rng.uniform(0, 64), rng.uniform(4, 50), rng.uniform(6, 14)
        for _ in range(5):
            cv.draw(
                ellipse(
                    x + rng.uniform(-w, w),
                    y + rng.uniform(-w / 4, w / 4),
                    w * rng.uniform(0.4, 0.7),
                    w * rng.uniform(0.25, 0.4),
                ),
                (0.97, 0.97, 0.98),
                0.85,
            )


def bg_grass(cv, rng, busy):
    """Lawn with blades of grass, under a strip of sky."""
    horizon = rng.uniform(6, 30)
    bg_sky_strip(cv, rng, horizon)
    green = vary(rng, (0.30, 0.58, 0.20), 0.08)
    noise = Noise(rng, 6)
    cv.draw(rect(-1, horizon, 65, 65), lambda X, Y: green * (0.75 + 0.5 * noise(X, Y))[..., None])
    if rng.random() < 0.5:
        for _ in range(int(rng.integers(2, 6))):
            x = rng.uniform(0, 64)
            cv.draw(ellipse(x, horizon, rng.uniform(4, 9), rng.uniform(3, 7)), darker(green, 0.6))
    for _ in range(int(rng.integers(40, 110 if busy else 60))):
        x, y = rng.uniform(0, 64), rng.uniform(horizon + 1, 66)
        h = rng.uniform(1.5, 4.5) * (0.5 + (y - horizon) / 40)
        lean = rng.uniform(-1.5, 1.5)
        col = green * rng.uniform(0.55, 1.35)
        cv.draw(stroke([(x, y), (x + lean, y - h)], [0.35, 0.12]), np.clip(col, 0, 1))


def bg_sky_strip(cv, rng, horizon):
    """Sky gradient (used above a horizon)."""
    top = vary(rng, (0.35, 0.60, 0.90), 0.08)
    low = vary(rng, (0.80, 0.90, 0.98), 0.04)
    cv.fill(lambda X, Y: top + (low - top) * np.clip(Y / max(horizon, 1), 0, 1)[..., None])


def bg_wall(cv, rng, busy):
    """Indoor wall, often with a floor, skirting board, wallpaper, window or picture."""
    wall = vary(rng, pick(rng, WALLS))
    noise = Noise(rng, 4)
    cv.fill(lambda X, Y: wall * (0.9 + 0.15 * noise(X, Y))[..., None])
    if busy and rng.random() < 0.6:
        kind = int(rng.integers(3))
        if kind == 0:
            cv.draw(bands(0.0, rng.uniform(4, 9), 0.35), darker(wall, 0.88))
        elif kind == 1:
            cv.draw(dots(rng.uniform(5, 9), 0.2), darker(wall, 0.85))
        else:
            cv.draw(bands(0.78, rng.uniform(5, 10), 0.2), lighter(wall, 0.3))
    if rng.random() < 0.35:
        x, y = rng.uniform(-5, 50), rng.uniform(-5, 20)
        w, h = rng.uniform(12, 24), rng.uniform(12, 22)
        if rng.random() < 0.5:
            cv.draw(rect(x - 1.5, y - 1.5, x + w + 1.5, y + h + 1.5), (0.95, 0.95, 0.95))
            cv.draw(rect(x, y, x + w, y + h), vary(rng, (0.55, 0.75, 0.95)))
            cv.draw(rect(x + w / 2 - 0.7, y, x + w / 2 + 0.7, y + h), (0.95, 0.95, 0.95))
        else:
            cv.draw(rect(x - 1.2, y - 1.2, x + w + 1.2, y + h + 1.2), vary(rng, (0.45, 0.3, 0.15)))
            cv.draw(rect(x, y, x + w, y + h), rng.uniform(0.2, 0.9, 3))
            cv.draw(
                polygon([(x, y + h), (x + w * 0.4, y + h * 0.4), (x + w, y + h)]),
                rng.uniform(0.1, 0.8, 3),
            )
    if rng.random() < 0.75:
        floor_y = rng.uniform(36, 56)
        floor = vary(rng, pick(rng, FLOORS))
        cv.draw(rect(-1, floor_y, 65, 65), floor)
        if rng.random() < 0.5:
            plank = rng.uniform(3, 6)
            cv.draw(
                intersect(rect(-1, floor_y, 65, 65), bands(math.pi / 2, plank, 0.1)),
                darker(floor, 0.75),
            )
        cv.draw(rect(-1, floor_y - 1.5, 65, floor_y), lighter(wall, 0.6))


def bg_texture(cv, rng, busy):
    """Checks, stripes, dots, wood grain or carpet."""
    c0 = rng.uniform(0.15, 0.95, 3)
    c1 = np.clip(c0 + rng.uniform(-0.35, 0.35, 3), 0, 1)
    kind = int(rng.integers(5))
    cv.fill(c0)
    noise = Noise(rng, 5)
    if kind == 0:
        size = rng.uniform(4, 11)
        a = rng.uniform(0, math.pi / 2)
        cv.draw(
            (
                FULL,
                lambda X, Y: (
                    (
                        np.floor((X * math.cos(a) + Y * math.sin(a)) / size)
                        + np.floor((Y * math.cos(a) - X * math.sin(a)) / size)
                    )
                    % 2
                    == 0
                ),
            ),
            c1,
        )
    elif kind == 1:
        cv.draw(bands(rng.uniform(0, math.pi), rng.uniform(3, 10), rng.uniform(0.2, 0.6)), c1)
    elif kind == 2:
        cv.draw(dots(rng.uniform(4, 10), 0.245), c1)
    elif kind == 3:
        wood = vary(rng, (0.60, 0.42, 0.25))
        cv.fill(wood)
        cv.draw(
            bands(
                math.pi / 2 + rng.uniform(-0.2, 0.2),
                rng.uniform(2.5, 5),
                0.3,
                wobble=noise,
                amp=2.5,
            ),
            darker(wood, 0.8),
        )
    else:
        fine = Noise(rng, 24)
        cv.fill(lambda X, Y: c0 * (0.7 + 0.5 * fine(X, Y) + 0.1 * noise(X, Y))[..., None])


def bg_sofa(cv, rng, busy):
    """Upholstery with seams and an armrest."""
    fabric = vary(
        rng,
        pick(
            rng,
            [
                (0.55, 0.25, 0.25),
                (0.30, 0.35, 0.55),
                (0.45, 0.50, 0.40),
                (0.70, 0.65, 0.55),
                (0.35, 0.35, 0.38),
                (0.80, 0.75, 0.70),
            ],
        ),
    )
    fine = Noise(rng, 20)
    cv.fill(lambda X, Y: fabric * (0.85 + 0.25 * fine(X, Y))[..., None])
    seat = rng.uniform(30, 50)
    cv.draw(rect(-1, seat, 65, 65), lighter(fabric, 0.12))
    cv.draw(rect(-1, seat - 0.8, 65, seat + 0.8), darker(fabric, 0.6))
    x = rng.uniform(10, 54)
    cv.draw(stroke([(x, -1), (x + rng.uniform(-2, 2), seat)], 0.6), darker(fabric, 0.65))
    if rng.random() < 0.6:
        side = pick(rng, [-4.0, 68.0])
        cv.draw(ellipse(side, seat + 5, 12, 30), darker(fabric, 0.85))
BACKGROUNDS = {
    "wall": bg_wall,
    "grass": bg_grass,
    "sky": bg_sky,
    "gradient": bg_gradient,
    "texture": bg_texture,
    "sofa": bg_sofa,
}


def background(cv, rng, style, weights=None):
    """Paint a random background; `weights` maps names to relative odds."""
    names = list(BACKGROUNDS)
    w = np.array([1.0 if weights is None else weights.get(n, 0.0) for n in names])
    name = names[int(rng.choice(len(names), p=w / w.sum()))]
    BACKGROUNDS[name](cv, rng, bool(rng.random() < style["busy"]))
    return name


def bg_water(cv, rng):
    """Underwater blue-green gradient with sand."""
    top = vary(rng, (0.2, 0.55, 0.8), 0.08)
    deep = vary(rng, (0.05, 0.25, 0.45), 0.05)
    cv.fill(lambda X, Y: top + (deep - top) * (Y / SIZE)[..., None])
    if rng.random() < 0.6:
        noise = Noise(rng, 6)
        cv.draw((FULL, lambda X, Y: Y > 54 + 6 * noise(X, Y)), vary(rng, (0.85, 0.78, 0.55)))


def bg_road(cv, rng):
    """Road with a kerb under sky or trees."""
    horizon = rng.uniform(35, 48)
    bg_sky_strip(cv, rng, horizon)
    if rng.random() < 0.6:
        for _ in range(int(rng.integers(3, 7))):
            x = rng.uniform(0, 64)
            cv.draw(
                ellipse(x, horizon - 4, rng.uniform(4, 9), rng.uniform(5, 10)),
                vary(rng, (0.2, 0.45, 0.2), 0.08),
            )
    cv.draw(rect(-1, horizon, 65, 65), vary(rng, (0.35, 0.35, 0.37), 0.05))
    cv.draw(rect(-1, horizon - 1, 65, horizon + 0.8), (0.75, 0.75, 0.75))
    cv.draw(intersect(rect(-1, 57, 65, 58.5), bands(0.0, 12, 0.5)), (0.95, 0.95, 0.9))
