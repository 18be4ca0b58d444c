"""Objects: cars, houses, cups, balls, plants, lamps, cat-striped cushions and teddies, and the
small unrelated object sometimes added near an edge (clutter)."""

import math

from .canvas import Frame
from .cats import coat_marks, make_coat
from .palette import BRIGHT, darker, lighter, pick, vary
from .shapes import Noise, bands, ellipse, intersect, minus, union


def car(cv, rng, ox, oy, s, flip):
    """Car on a road."""
    f = Frame(ox, oy, s, 0.0, flip)
    col = vary(rng, pick(rng, BRIGHT), 0.05)
    cv.draw(f.poly([(-0.55, -0.2), (-0.35, -0.62), (0.35, -0.62), (0.6, -0.2)]), col)
    cv.draw(
        f.poly([(-0.45, -0.22), (-0.3, -0.54), (-0.03, -0.54), (-0.03, -0.22)]), (0.65, 0.8, 0.95)
    )
    cv.draw(f.poly([(0.03, -0.22), (0.03, -0.54), (0.3, -0.54), (0.5, -0.22)]), (0.65, 0.8, 0.95))
    body = f.ellipse(0, 0.05, 1.05, 0.28, 0.0, 4)
    cv.draw(body, col)
    cv.shade(body, 0, -0.06 * s, 0.2)
    cv.draw(f.ellipse(0.98, -0.02, 0.06, 0.07), (1.0, 0.95, 0.6))
    cv.draw(f.ellipse(-1.0, -0.02, 0.05, 0.07), (0.9, 0.1, 0.1))
    for x in (-0.6, 0.6):
        cv.draw(f.circle(x, 0.32, 0.23), (0.08, 0.08, 0.08))
        cv.draw(f.circle(x, 0.32, 0.11), (0.7, 0.7, 0.72))


def house(cv, rng, ox, oy, s):
    """House with a pitched roof, door, windows and chimney."""
    f = Frame(ox, oy, s)
    wall = vary(
        rng,
        pick(
            rng,
            [
                (0.9, 0.85, 0.7),
                (0.75, 0.35, 0.25),
                (0.95, 0.95, 0.95),
                (0.7, 0.8, 0.9),
                (0.95, 0.85, 0.5),
            ],
        ),
        0.05,
    )
    roof = vary(rng, pick(rng, [(0.6, 0.15, 0.1), (0.3, 0.3, 0.35), (0.45, 0.3, 0.2)]), 0.05)
    cv.draw(f.poly([(0.45, -1.0), (0.45, -1.4), (0.68, -1.4), (0.68, -0.8)]), darker(roof, 0.8))
    cv.draw(f.poly([(-1, -0.1), (1, -0.1), (1, 1), (-1, 1)]), wall)
    cv.draw(f.poly([(-1.2, -0.05), (0, -1.25), (1.2, -0.05)]), roof)
    cv.draw(f.poly([(-0.15, 0.35), (0.15, 0.35), (0.15, 1), (-0.15, 1)]), darker(roof, 0.7))
    for x in (-0.6, 0.6):
        cv.draw(
            f.poly([(x - 0.22, 0.15), (x + 0.22, 0.15), (x + 0.22, 0.55), (x - 0.22, 0.55)]),
            (0.6, 0.8, 0.95),
        )
        cv.draw(f.stroke([(x, 0.15), (x, 0.55)], 0.03, 0.3), (0.98, 0.98, 0.98))
        cv.draw(f.stroke([(x - 0.22, 0.35), (x + 0.22, 0.35)], 0.03, 0.3), (0.98, 0.98, 0.98))


def cup(cv, rng, ox, oy, s):
    """Mug with a handle on a saucer."""
    f = Frame(ox, oy, s, 0.0, 1 if rng.random() < 0.5 else -1)
    col = vary(rng, pick(rng, BRIGHT), 0.05)
    cv.draw(f.ellipse(0, 0.95, 1.1, 0.22), lighter(col, 0.6))
    cv.draw(minus(f.ellipse(0.62, 0.2, 0.38, 0.4), f.ellipse(0.62, 0.2, 0.22, 0.25)), col)
    body = union(
        f.poly([(-0.65, -0.6), (0.65, -0.6), (0.55, 0.85), (-0.55, 0.85)]),
        f.ellipse(0, 0.85, 0.55, 0.12),
    )
    cv.draw(body, col)
    if rng.random() < 0.5:
        cv.draw(intersect(body, bands(math.pi / 2, 0.4 * s, 0.3)), lighter(col, 0.7))
    cv.shade(body, -0.12 * s, 0, 0.2)
    cv.draw(f.ellipse(0, -0.6, 0.65, 0.14), darker(col, 0.8))
    cv.draw(f.ellipse(0, -0.58, 0.55, 0.1), (0.35, 0.2, 0.1))


def ball(cv, rng, ox, oy, s):
    """Ball (beach ball or plain with a stripe) with a shadow."""
    f = Frame(ox, oy, s, rng.uniform(0, math.pi))
    cv.draw(ellipse(ox + 0.2 * s, oy + 0.95 * s, 0.9 * s, 0.15 * s), (0, 0, 0), 0.25)
    ball_shape = f.circle(0, 0, 1.0)
    cols = [vary(rng, pick(rng, BRIGHT), 0.04) for _ in range(3)]
    cv.draw(ball_shape, cols[0])
    if rng.random() < 0.5:
        for k in (1, 2):
            cv.draw(
                intersect(
                    ball_shape, f.poly([(0, 0), (2.0 * (-1) ** k, -2.0), (2.0 * (-1) ** k, 2.0)])
                ),
                cols[k],
            )
            cv.draw(
                intersect(
                    ball_shape, f.poly([(0, 0), (-2.0, 2.0 * (-1) ** k), (2.0, 2.0 * (-1) ** k)])
                ),
                cols[k],
                0.5,
            )
    else:
        cv.draw(intersect(ball_shape, f.stroke([(-1, 0), (1, 0)], 0.2)), cols[1])
    cv.shade(ball_shape, -0.25 * s, -0.25 * s, 0.25)
    cv.draw(f.circle(-0.4, -0.4, 0.18), (1, 1, 1), 0.6)


def plant(cv, rng, ox, oy, s):
    """Potted plant."""
    f = Frame(ox, oy, s)
    pot = vary(rng, pick(rng, [(0.75, 0.4, 0.25), (0.9, 0.9, 0.9), (0.3, 0.4, 0.6)]), 0.05)
    green = vary(rng, (0.2, 0.55, 0.2), 0.08)
    for _ in range(int(rng.integers(5, 10))):
        a = rng.uniform(-1.2, 1.2)
        length = rng.uniform(0.8, 1.4)
        tip = (math.sin(a) * length, 0.1 - math.cos(a) * length)
        cv.draw(f.stroke([(0, 0.2), tip], 0.04, 0.3), darker(green, 0.7))
        leaf = f.ellipse(tip[0] * 0.8, tip[1] * 0.8 + 0.05, 0.18, 0.4, a)
        cv.draw(leaf, green * rng.uniform(0.8, 1.2))
    cv.draw(f.poly([(-0.55, 0.2), (0.55, 0.2), (0.4, 1.0), (-0.4, 1.0)]), pot)
    cv.draw(f.poly([(-0.62, 0.12), (0.62, 0.12), (0.62, 0.3), (-0.62, 0.3)]), darker(pot, 0.85))


def lamp(cv, rng, ox, oy, s):
    """Table lamp with a glowing shade."""
    f = Frame(ox, oy, s)
    shade_col = vary(rng, pick(rng, [(0.95, 0.9, 0.7), (0.85, 0.3, 0.25), (0.3, 0.5, 0.4)]), 0.05)
    cv.draw(f.ellipse(0, -0.4, 1.2, 1.0), (1.0, 0.95, 0.7), 0.25)
    cv.draw(f.stroke([(0, -0.3), (0, 0.9)], 0.06), (0.3, 0.3, 0.3))
    cv.draw(f.ellipse(0, 0.95, 0.45, 0.12), (0.25, 0.25, 0.25))
    body = f.poly([(-0.3, -1.0), (0.3, -1.0), (0.6, -0.2), (-0.6, -0.2)])
    cv.draw(body, shade_col)
    cv.shade(body, -0.1 * s, 0, 0.2)


def cushion(cv, rng, ox, oy, s):
    """Tabby-striped (or calico-patched) cushion with pointy corners: a hard non-cat."""
    f = Frame(ox, oy, s, rng.uniform(-0.4, 0.4))
    coat = make_coat(rng, pick(rng, ["ginger", "tabby", "silver", "calico", "grey"]))
    pillow = union(
        f.ellipse(0, 0, 1.1, 0.8, 0.0, 4),
        *[
            f.poly([(sx * 0.7, sy * 0.4), (sx * 1.3, sy * 1.0), (sx * 0.4, sy * 0.6)])
            for sx in (-1, 1)
            for sy in (-1, 1)
        ],
    )
    cv.draw(pillow, coat["base"])
    if "stripes" not in coat and not coat["marks"]:
        coat["stripes"] = (3.2, darker(coat["base"], 0.6), Noise(rng, 5))
    coat_marks(cv, coat, pillow, f.ang(rng.uniform(-0.3, 0.3)))
    cv.shade(pillow, -0.1 * s, -0.1 * s, 0.2)
    if rng.random() < 0.5:
        cv.draw(f.circle(0, 0, 0.08), darker(coat["base"], 0.5))


def teddy(cv, rng, cx, cy, r):
    """Teddy bear head: round ears, button eyes, muzzle."""
    f = Frame(cx, cy, r, rng.uniform(-0.2, 0.2))
    fur = vary(rng, pick(rng, [(0.7, 0.5, 0.3), (0.85, 0.7, 0.45), (0.55, 0.35, 0.2)]), 0.05)
    for side in (-1, 1):
        cv.draw(f.circle(side * 0.75, -0.75, 0.35), fur)
        cv.draw(f.circle(side * 0.75, -0.75, 0.2), lighter(fur, 0.4))
    head = f.ellipse(0, 0, 1.0, 0.92)
    cv.draw(head, fur)
    cv.shade(head, -0.15 * r, -0.12 * r, 0.18)
    cv.draw(f.ellipse(0, 0.35, 0.42, 0.32), lighter(fur, 0.45))
    cv.draw(f.ellipse(0, 0.22, 0.14, 0.1), (0.1, 0.06, 0.05))
    for side in (-1, 1):
        cv.draw(f.circle(side * 0.38, -0.15, 0.1), (0.05, 0.05, 0.05))


def clutter(cv, rng):
    """A small unrelated object near an edge of the picture."""
    x = pick(rng, [rng.uniform(2, 12), rng.uniform(52, 62)])
    y = rng.uniform(40, 58)
    s = rng.uniform(4, 7)
    pick(
        rng,
        [
            lambda: ball(cv, rng, x, y, s * 0.8),
            lambda: plant(cv, rng, x, y - s, s),
            lambda: cup(cv, rng, x, y, s * 0.8),
            lambda: lamp(cv, rng, x, y - s, s),
        ],
    )()
