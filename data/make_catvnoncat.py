"""Generate the course's synthetic "cat vs non-cat" picture data set.

The classic cat / non-cat pictures cannot be redistributed, so this script draws
a replacement from scratch: 64x64 RGB cartoons rasterised with plain numpy
(ellipses, polygons and strokes evaluated on a 4x supersampled coordinate grid,
then box-filtered down), on varied backgrounds.

* Cats: ginger, black, grey, white, cream, brown or silver tabby, calico,
  tuxedo and siamese coats; drawn as faces (pointed ears, slit pupils, nose,
  whiskers) or whole (standing, sitting, lying) at varied places and sizes.
* Non-cats: dogs with floppy ears, foxes, rabbits, mice, owls, birds, fish,
  cars, houses, cups, balls, plants, lamps, landscapes, city skylines and
  striped cushions -- some of them cat-coloured or cat-shaped on purpose.

Everything comes from ``np.random.default_rng(SEED)``; only arithmetic,
comparisons and square roots touch the pixels (no fonts, no transcendental
functions per pixel), so the arrays are the same on every run and machine.

Files written (into this folder by default):

* ``train_catvnoncat.h5``: ``train_set_x`` (209, 64, 64, 3) uint8,
  ``train_set_y`` (209,) int64 (72 cats), ``list_classes`` [b'non-cat', b'cat'];
* ``test_catvnoncat.h5``: ``test_set_x`` (50, 64, 64, 3) uint8,
  ``test_set_y`` (50,) int64 (33 cats), ``list_classes``;
* ``samples.png``: a grid of training pictures with their labels.

Usage: ``python data/make_catvnoncat.py [--out DIR]``.  The split sizes and the
knobs in ``TRAIN_STYLE`` / ``TEST_STYLE`` were tuned with ``calibrate.py`` so
that the course's reference networks reach accuracies like on the original data.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import h5py
import numpy as np

HERE = Path(__file__).resolve().parent
# Seed and knobs were picked with calibrate.py (see README.md): on these arrays the two-layer
# reference network reaches 0.995 train / 0.70 test accuracy, the L-layer one 1.00 / 0.82.
SEED = 6
SIZE = 64
SS = 4
CLASSES = np.array([b"non-cat", b"cat"], dtype="S7")
SPLITS = {"train": (72, 137), "test": (33, 17)}

# Knobs per split.  face: share of cats drawn as faces; scale: size factor range;
# shift: how far from the centre objects may sit (in pixels); noise: pixel noise
# standard deviation (0..1 scale); hard: share of non-cats that look cat-like;
# clutter: chance of an unrelated extra object; busy: chance of a busy background;
# light: range of the overall brightness factor; cat_bg / obj_bg: background odds.
TRAIN_STYLE = {
    "face": 0.8,
    "scale": (0.9, 1.05),
    "shift": 3.0,
    "noise": 0.02,
    "hard": 0.1,
    "clutter": 0.05,
    "busy": 0.2,
    "light": (0.7, 0.95),
    "cat_bg": {"wall": 3, "sofa": 2, "texture": 1, "gradient": 1, "grass": 1, "sky": 0.5},
    "obj_bg": {"wall": 1, "sofa": 0.5, "texture": 1, "gradient": 1, "grass": 1.5, "sky": 1.5},
}
TEST_STYLE = {
    "face": 0.75,
    "scale": (0.88, 1.06),
    "shift": 3.5,
    "noise": 0.022,
    "hard": 0.12,
    "clutter": 0.08,
    "busy": 0.25,
    "light": (0.7, 0.95),
    "cat_bg": {"wall": 3, "sofa": 2, "texture": 1, "gradient": 1, "grass": 1.2, "sky": 0.7},
    "obj_bg": {"wall": 1, "sofa": 0.5, "texture": 1, "gradient": 1, "grass": 1.5, "sky": 1.5},
}


# --------------------------------------------------------------------------
# Shapes: a shape is (bbox, inside) where bbox = (x0, x1, y0, y1) in output
# pixels and inside(X, Y) -> bool array for coordinate grids X, Y.
# --------------------------------------------------------------------------

FULL = (-1e9, 1e9, -1e9, 1e9)


def ellipse(cx, cy, rx, ry, angle=0.0, power=2):
    """Ellipse (or superellipse for power 4, 6, ...) centred at (cx, cy)."""
    c, s = math.cos(angle), math.sin(angle)
    r = max(rx, ry) * (1.0 if power == 2 else 1.42)

    def inside(X, Y):
        dx, dy = X - cx, Y - cy
        u = (dx * c + dy * s) / rx
        v = (dy * c - dx * s) / ry
        if power == 2:
            return u * u + v * v <= 1.0
        u2, v2 = u * u, v * v
        uu, vv = u2, v2
        for _ in range(power // 2 - 1):
            uu, vv = uu * u2, vv * v2
        return uu + vv <= 1.0

    return (cx - r, cx + r, cy - r, cy + r), inside


def circle(cx, cy, r):
    """Disc of radius r."""
    return ellipse(cx, cy, r, r)


def polygon(points):
    """Polygon (even-odd rule) through the given (x, y) points."""
    pts = [(float(x), float(y)) for x, y in points]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    edges = [
        (x0, y0, (x1 - x0) / (y1 - y0))
        for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1])
        if y0 != y1
    ]
    spans = [
        (min(y0, y1), max(y0, y1)) for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]) if y0 != y1
    ]

    def inside(X, Y):
        m = np.zeros(np.broadcast_shapes(X.shape, Y.shape), dtype=bool)
        for (x0, y0, slope), (lo, hi) in zip(edges, spans):
            crosses = (Y >= lo) & (Y < hi)
            m ^= crosses & (X < x0 + (Y - y0) * slope)
        return m

    return (min(xs), max(xs), min(ys), max(ys)), inside


def rect(x0, y0, x1, y1):
    """Axis-aligned rectangle."""
    return polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])


def stroke(points, radii):
    """Thick polyline: union of capsules whose radius is interpolated along each segment."""
    pts = [(float(x), float(y)) for x, y in points]
    if np.ndim(radii) == 0:
        radii = [float(radii)] * len(pts)
    rmax = max(radii)
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]

    def inside(X, Y):
        m = np.zeros(np.broadcast_shapes(X.shape, Y.shape), dtype=bool)
        for i in range(len(pts) - 1):
            (ax, ay), (bx, by) = pts[i], pts[i + 1]
            ra, rb = radii[i], radii[i + 1]
            dx, dy = bx - ax, by - ay
            length2 = dx * dx + dy * dy
            if length2 == 0.0:
                t = np.zeros_like(m, dtype=float)
            else:
                t = np.clip(((X - ax) * dx + (Y - ay) * dy) / length2, 0.0, 1.0)
            px, py = X - ax - t * dx, Y - ay - t * dy
            r = ra + t * (rb - ra)
            m |= px * px + py * py <= r * r
        return m

    return (min(xs) - rmax, max(xs) + rmax, min(ys) - rmax, max(ys) + rmax), inside


def bezier(p0, p1, p2, n=8):
    """Points along the quadratic Bezier curve p0 -> p2 with control point p1."""
    out = []
    for i in range(n + 1):
        t = i / n
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t * t
        out.append((a * p0[0] + b * p1[0] + c * p2[0], a * p0[1] + b * p1[1] + c * p2[1]))
    return out


def union(*shapes):
    """Points inside any of the shapes."""
    boxes = [s[0] for s in shapes]
    bbox = (
        min(b[0] for b in boxes),
        max(b[1] for b in boxes),
        min(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )

    def inside(X, Y):
        m = shapes[0][1](X, Y)
        for s in shapes[1:]:
            m = m | s[1](X, Y)
        return m

    return bbox, inside


def intersect(a, b):
    """Points inside both shapes (bbox of the first)."""
    return a[0], lambda X, Y: a[1](X, Y) & b[1](X, Y)


def minus(a, b):
    """Points inside a but not b."""
    return a[0], lambda X, Y: a[1](X, Y) & ~b[1](X, Y)


def bands(angle, period, duty, offset=0.0, wobble=None, amp=0.0):
    """Parallel stripes (a periodic shape covering the whole plane)."""
    c, s = math.cos(angle), math.sin(angle)

    def inside(X, Y):
        t = (X * c + Y * s) / period + offset
        if wobble is not None:
            t = t + amp * wobble(X, Y)
        return t - np.floor(t) < duty

    return FULL, inside


def dots(period, radius):
    """A square lattice of round dots (radius as a fraction of the period)."""
    r2 = radius * radius

    def inside(X, Y):
        u, v = (X / period) % 1 - 0.5, (Y / period) % 1 - 0.5
        return u * u + v * v < r2

    return FULL, inside


def blobs(noise, threshold):
    """Where a smooth noise field exceeds a threshold (calico patches, spots)."""
    return FULL, lambda X, Y: noise(X, Y) > threshold


class Noise:
    """Smooth value noise: a random grid of values interpolated over the picture."""

    def __init__(self, rng, cells):
        self.cells = cells
        self.grid = rng.uniform(0.0, 1.0, (cells + 1, cells + 1))

    def __call__(self, X, Y):
        X, Y = np.broadcast_arrays(X, Y)
        gx = np.clip(X * (self.cells / SIZE), 0.0, self.cells - 1e-9)
        gy = np.clip(Y * (self.cells / SIZE), 0.0, self.cells - 1e-9)
        ix, iy = gx.astype(np.int64), gy.astype(np.int64)
        fx, fy = gx - ix, gy - iy
        fx, fy = fx * fx * (3 - 2 * fx), fy * fy * (3 - 2 * fy)
        g = self.grid
        top = g[iy, ix] * (1 - fx) + g[iy, ix + 1] * fx
        bottom = g[iy + 1, ix] * (1 - fx) + g[iy + 1, ix + 1] * fx
        return top * (1 - fy) + bottom * fy


# --------------------------------------------------------------------------
# Canvas
# --------------------------------------------------------------------------


class Canvas:
    """A supersampled RGB picture; coordinates are in output pixels, 0..64."""

    def __init__(self, size=SIZE, ss=SS):
        self.size, self.ss, self.n = size, ss, size * ss
        self.img = np.zeros((self.n, self.n, 3))
        self.coords = (np.arange(self.n) + 0.5) / ss

    def grids(self):
        """Full-picture coordinate grids (X, Y), each (n, n)."""
        return np.broadcast_arrays(self.coords[None, :], self.coords[:, None])

    def draw(self, shape, color, alpha=1.0):
        """Paint a shape with a colour (RGB triple or pattern callable) and opacity."""
        (x0, x1, y0, y1), inside = shape
        ss, n = self.ss, self.n
        c0 = min(max(math.floor(x0 * ss), 0), n)
        c1 = min(max(math.ceil(x1 * ss), 0), n)
        r0 = min(max(math.floor(y0 * ss), 0), n)
        r1 = min(max(math.ceil(y1 * ss), 0), n)
        if c0 >= c1 or r0 >= r1:
            return
        X, Y = np.broadcast_arrays(self.coords[None, c0:c1], self.coords[r0:r1, None])
        m = inside(X, Y)
        if not m.any():
            return
        target = self.img[r0:r1, c0:c1]
        col = color(X, Y)[m] if callable(color) else np.asarray(color, dtype=float)
        if alpha >= 1.0:
            target[m] = col
        else:
            target[m] = target[m] * (1.0 - alpha) + col * alpha

    def fill(self, color):
        """Paint the whole picture."""
        self.draw(((0, SIZE, 0, SIZE), lambda X, Y: np.ones(X.shape, dtype=bool)), color)

    def shade(self, shape, dx, dy, alpha=0.2, color=(0.0, 0.0, 0.0)):
        """Darken (or lighten) the crescent of `shape` not covered by its shifted copy."""
        (x0, x1, y0, y1), inside = shape
        shifted = ((x0, x1, y0, y1), lambda X, Y: inside(X - dx, Y - dy))
        self.draw(minus(shape, shifted), color, alpha)

    def result(self):
        """Box-filter down to (size, size, 3) floats."""
        ss = self.ss
        return self.img.reshape(self.size, ss, self.size, ss, 3).mean(axis=(1, 3))


class Frame:
    """Local coordinates: origin, scale (pixels per unit), rotation and mirroring."""

    def __init__(self, ox, oy, scale, angle=0.0, flip=1):
        self.ox, self.oy, self.s, self.a, self.flip = ox, oy, scale, angle, flip
        self.c, self.sn = math.cos(angle), math.sin(angle)

    def pt(self, x, y):
        """Local point to picture point."""
        x = x * self.flip
        return (
            self.ox + self.s * (x * self.c - y * self.sn),
            self.oy + self.s * (x * self.sn + y * self.c),
        )

    def pts(self, seq):
        """Several local points to picture points."""
        return [self.pt(x, y) for x, y in seq]

    def ang(self, a):
        """Local angle to picture angle."""
        return a * self.flip + self.a

    def ellipse(self, x, y, rx, ry, a=0.0, power=2):
        """Ellipse in local coordinates."""
        cx, cy = self.pt(x, y)
        return ellipse(cx, cy, rx * self.s, ry * self.s, self.ang(a), power)

    def circle(self, x, y, r):
        """Disc in local coordinates."""
        return self.ellipse(x, y, r, r)

    def poly(self, seq):
        """Polygon in local coordinates."""
        return polygon(self.pts(seq))

    def stroke(self, seq, radii, min_px=0.0):
        """Thick polyline in local coordinates (radii in local units, at least min_px)."""
        if np.ndim(radii) == 0:
            radii = [radii] * len(seq)
        return stroke(self.pts(seq), [max(r * self.s, min_px) for r in radii])


# --------------------------------------------------------------------------
# Colours
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Backgrounds
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Cats
# --------------------------------------------------------------------------

COATS = [
    "ginger",
    "black",
    "grey",
    "white",
    "cream",
    "tabby",
    "silver",
    "calico",
    "tuxedo",
    "siamese",
]
EYES = [
    (0.55, 0.75, 0.20),
    (0.90, 0.75, 0.15),
    (0.85, 0.55, 0.15),
    (0.40, 0.65, 0.90),
    (0.45, 0.70, 0.45),
]


def make_coat(rng, name):
    """Colours and markings of one cat: base colour, marks (shape, colour) to overlay."""
    base = {
        "ginger": (0.92, 0.55, 0.20),
        "black": (0.12, 0.11, 0.12),
        "grey": (0.52, 0.53, 0.57),
        "white": (0.95, 0.94, 0.92),
        "cream": (0.95, 0.84, 0.64),
        "tabby": (0.62, 0.48, 0.33),
        "silver": (0.72, 0.72, 0.72),
        "calico": (0.96, 0.94, 0.90),
        "tuxedo": (0.10, 0.10, 0.11),
        "siamese": (0.93, 0.87, 0.76),
    }[name]
    coat = {
        "name": name,
        "base": vary(rng, base, 0.04),
        "marks": [],
        "muzzle": None,
        "points": None,
        "inner_ear": vary(rng, (0.95, 0.65, 0.65), 0.04),
        "eye": vary(rng, pick(rng, EYES), 0.04),
        "nose": vary(rng, (0.90, 0.50, 0.55), 0.04),
        "whisker": (0.97, 0.97, 0.97),
    }
    wob = Noise(rng, 5)
    period = rng.uniform(2.6, 4.0)
    if name in ("ginger", "tabby", "silver") or (name == "grey" and rng.random() < 0.5):
        stripe = {
            "ginger": (0.72, 0.33, 0.08),
            "tabby": (0.25, 0.18, 0.12),
            "silver": (0.22, 0.22, 0.25),
            "grey": (0.32, 0.33, 0.36),
        }[name]
        coat["stripes"] = (period, vary(rng, stripe, 0.03), wob)
        coat["muzzle"] = lighter(coat["base"], 0.5)
    if name == "calico":
        coat["marks"] = [
            (blobs(Noise(rng, 6), 0.6), vary(rng, (0.90, 0.50, 0.15), 0.04)),
            (blobs(Noise(rng, 6), 0.64), (0.12, 0.10, 0.10)),
        ]
    if name == "tuxedo":
        coat["muzzle"] = (0.96, 0.96, 0.95)
        coat["chest"] = (0.96, 0.96, 0.95)
    if name == "siamese":
        coat["points"] = vary(rng, (0.32, 0.22, 0.16), 0.04)
        coat["eye"] = vary(rng, (0.35, 0.60, 0.95), 0.04)
    if name in ("black", "tuxedo"):
        coat["nose"] = (0.2, 0.18, 0.2)
        coat["inner_ear"] = (0.35, 0.25, 0.28)
    if name == "white":
        coat["whisker"] = (0.55, 0.55, 0.55)
    if name in ("cream", "ginger"):
        coat["nose"] = vary(rng, (0.92, 0.55, 0.55), 0.03)
    return coat


def coat_marks(cv, coat, shape, stripe_angle=0.0, stripes=True):
    """Overlay stripes (unless `stripes` is false) and patches of the coat on a body part."""
    if stripes and "stripes" in coat:
        period, col, wob = coat["stripes"]
        cv.draw(intersect(shape, bands(stripe_angle, period, 0.4, wobble=wob, amp=0.6)), col)
    for mark, col in coat["marks"]:
        cv.draw(intersect(shape, mark), col)


def cat_face(cv, rng, coat, cx, cy, r, tilt=0.0, detail=True):
    """A cat's head seen from the front: pointed ears, slit pupils, nose, whiskers."""
    f = Frame(cx, cy, r, tilt)
    base = coat["base"]
    ear_h = rng.uniform(1.35, 1.65)
    spread = rng.uniform(-0.1, 0.12)
    wide = rng.uniform(1.0, 1.15)
    ear_col = coat["points"] if coat["points"] is not None else base
    for side in (-1, 1):
        outer = [(side * 0.98, -0.15), (side * (0.82 + spread), -ear_h), (side * 0.15, -0.82)]
        ear = f.poly(outer)
        cv.draw(ear, ear_col)
        if coat["marks"]:
            coat_marks(cv, coat, ear)
        cx_, cy_ = sum(p[0] for p in outer) / 3, sum(p[1] for p in outer) / 3 + 0.08
        inner = [(cx_ + (x - cx_) * 0.55, cy_ + (y - cy_) * 0.55) for x, y in outer]
        cv.draw(f.poly(inner), coat["inner_ear"])
    head = union(f.ellipse(0, 0, wide, 0.9), f.ellipse(0, 0.22, wide * 1.03, 0.68))
    cv.draw(head, base)
    if "stripes" in coat:
        period, col, _ = coat["stripes"]
        forehead = f.ellipse(0, -0.62, 0.42, 0.3)
        cv.draw(intersect(forehead, bands(f.ang(0.0), period * 0.75 * r / 18, 0.45)), col)
        for side in (-1, 1):
            for k in range(2):
                y = 0.12 + 0.2 * k
                cv.draw(f.stroke([(side * wide * 1.05, y), (side * 0.72, y + 0.06)], 0.055), col)
    coat_marks(cv, coat, head, stripes=False)
    if coat["points"] is not None:
        cv.draw(intersect(head, f.ellipse(0, 0.18, 0.5, 0.52)), coat["points"], 0.8)
    if coat.get("chest") is not None:
        cv.draw(intersect(head, f.ellipse(0, 0.62, 0.5, 0.42)), coat["chest"])
    cv.shade(head, -0.18 * r, -0.14 * r, 0.18)
    if coat["muzzle"] is not None:
        for side in (-1, 1):
            cv.draw(f.ellipse(side * 0.17, 0.36, 0.22, 0.16), coat["muzzle"])
    outline = (0.08, 0.07, 0.06) if coat["name"] not in ("black", "tuxedo") else (0.45, 0.4, 0.2)
    eye_open = rng.uniform(0.75, 1.15)
    slit = rng.uniform(0.035, 0.09)
    for side in (-1, 1):
        ex = side * rng.uniform(0.36, 0.44) if side < 0 else side * 0.4
        ey = -0.1
        tilt_e = side * rng.uniform(-0.25, -0.05)
        cv.draw(f.ellipse(ex, ey, 0.24, 0.19 * eye_open + 0.03, tilt_e), outline)
        cv.draw(f.ellipse(ex, ey, 0.205, 0.16 * eye_open, tilt_e), coat["eye"])
        cv.draw(f.ellipse(ex, ey, slit, 0.15 * eye_open), (0.03, 0.03, 0.03))
        if detail:
            cv.draw(f.circle(ex - 0.07, ey - 0.06 * eye_open, 0.045), (1.0, 1.0, 1.0))
    cv.draw(f.poly([(-0.11, 0.2), (0.11, 0.2), (0.0, 0.32)]), coat["nose"])
    mouth = (
        darker(coat["base"], 0.45) if coat["name"] not in ("black", "tuxedo") else (0.4, 0.4, 0.4)
    )
    if detail:
        m = f.stroke(
            [(-0.15, 0.46), (-0.06, 0.45), (0.0, 0.36), (0.06, 0.45), (0.15, 0.46)],
            0.025,
            min_px=0.3,
        )
        cv.draw(m, mouth)
        for side in (-1, 1):
            for k in range(3):
                y0 = 0.36 + 0.06 * k
                y1 = 0.18 + 0.2 * k + rng.uniform(-0.05, 0.05)
                pts = [(side * 0.3, y0), (side * 0.85, (y0 + y1) / 2 - 0.03), (side * 1.45, y1)]
                cv.draw(f.stroke(pts, 0.0, min_px=0.28), coat["whisker"])
    return head


def cat_tail(cv, coat, f, pts, r0, r1):
    """Tapered tail along a curve, with rings for striped coats."""
    shape = f.stroke(pts, list(np.linspace(r0, r1, len(pts))))
    col = coat["points"] if coat["points"] is not None else coat["base"]
    cv.draw(shape, col)
    coat_marks(cv, coat, shape, math.pi / 2 + f.a)
    return shape


def cat_body(cv, rng, coat, pose, ox, oy, s, flip):
    """A whole cat (standing, walking, sitting or lying) in side or front view."""
    f = Frame(ox, oy, s, 0.0, flip)
    base = coat["base"]
    legs_col = coat["points"] if coat["points"] is not None else base
    paw_col = (0.96, 0.96, 0.95) if coat.get("chest") is not None else legs_col
    if pose in ("stand", "walk"):
        up = rng.uniform(-0.3, 0.3)
        cat_tail(
            cv, coat, f, bezier((-0.85, -0.1), (-1.55, -0.3 + up), (-1.25, -1.15 + up)), 0.13, 0.09
        )
        swing = 0.25 if pose == "walk" else 0.0
        for x, dx in ((0.6, swing), (-0.55, -swing)):
            leg = f.stroke([(x, 0.1), (x + dx, 0.95)], 0.11)
            cv.draw(leg, darker(legs_col, 0.85))
        body = union(f.ellipse(0, 0, 0.95, 0.4), f.ellipse(0.55, 0.02, 0.45, 0.42))
        cv.draw(body, base)
        coat_marks(cv, coat, body, f.ang(0.0))
        if coat.get("chest") is not None:
            cv.draw(intersect(body, f.ellipse(0.75, 0.2, 0.3, 0.3)), coat["chest"])
        cv.shade(body, 0.0, -0.12 * s, 0.15)
        for x, dx in ((0.72, -swing), (-0.68, swing)):
            leg = f.stroke([(x, 0.15), (x + dx, 1.0)], 0.125)
            cv.draw(leg, legs_col)
            coat_marks(cv, coat, leg, math.pi / 2)
            cv.draw(f.ellipse(x + dx + 0.04, 1.0, 0.15, 0.08), paw_col)
        neck = f.ellipse(0.88, -0.28, 0.3, 0.36)
        cv.draw(neck, base)
        cat_face(cv, rng, coat, *f.pt(1.02, -0.62), 0.5 * s, rng.uniform(-0.2, 0.2), s > 14)
    elif pose == "sit":
        cat_tail(cv, coat, f, bezier((-0.4, 0.95), (-1.3, 1.05), (-1.15, 0.45)), 0.12, 0.09)
        body = union(f.ellipse(0, 0.1, 0.58, 0.8), f.ellipse(0, 0.55, 0.75, 0.48))
        cv.draw(body, base)
        coat_marks(cv, coat, body, f.ang(math.pi / 2))
        if coat.get("chest") is not None:
            cv.draw(intersect(body, f.ellipse(0, 0.05, 0.3, 0.55)), coat["chest"])
        cv.shade(body, -0.1 * s, -0.1 * s, 0.15)
        for x in (-0.22, 0.22):
            leg = f.stroke([(x, 0.25), (x * 1.1, 0.98)], 0.12)
            cv.draw(leg, legs_col)
            cv.draw(f.ellipse(x * 1.1, 1.0, 0.15, 0.08), paw_col)
        cat_face(cv, rng, coat, *f.pt(0.0, -0.82), 0.56 * s, rng.uniform(-0.25, 0.25), s > 12)
    else:  # lie
        cat_tail(cv, coat, f, bezier((-1.0, 0.45), (-1.6, 0.75), (-1.1, 0.8)), 0.12, 0.09)
        body = f.ellipse(0, 0.35, 1.15, 0.45)
        cv.draw(body, base)
        coat_marks(cv, coat, body, f.ang(0.0))
        cv.shade(body, 0.0, -0.1 * s, 0.15)
        for x in (0.55, 0.95):
            cv.draw(f.ellipse(x, 0.75, 0.2, 0.1), paw_col)
        cat_face(cv, rng, coat, *f.pt(0.85, -0.2), 0.52 * s, rng.uniform(-0.3, 0.3), s > 14)


def draw_cat(cv, rng, style, pose=None):
    """A cat picture: a face close-up or a whole cat, on a random background.

    `pose` forces "face", "stand", "walk", "sit" or "lie" (for previews).
    """
    face = rng.random() < style["face"]
    if pose is not None:
        face = pose == "face"
    weights = dict(style["cat_bg"])
    if not face:  # whole cats sit on something: no empty sky behind them
        weights["grass"] = weights.get("grass", 0) + weights.pop("sky", 0)
    background(cv, rng, style, weights)
    coat = make_coat(rng, pick(rng, COATS))
    k = rng.uniform(*style["scale"])
    sh = style["shift"]
    if face:
        r = 17.0 * k
        cx, cy = 32 + rng.uniform(-sh, sh), 36 + rng.uniform(-sh, sh) * 0.6
        shoulders = ellipse(cx, cy + 1.3 * r, 1.15 * r, 0.75 * r)
        cv.draw(shoulders, coat["base"])
        coat_marks(cv, coat, shoulders, math.pi / 2)
        if coat.get("chest") is not None:
            cv.draw(
                intersect(shoulders, ellipse(cx, cy + 1.2 * r, 0.5 * r, 0.6 * r)), coat["chest"]
            )
        cv.shade(shoulders, 0, -0.15 * r, 0.25)
        cat_face(cv, rng, coat, cx, cy, r, rng.uniform(-0.3, 0.3))
    else:
        chosen = pick(rng, ["stand", "walk", "sit", "sit", "lie"])
        pose = chosen if pose is None else pose
        s = {"stand": 15.0, "walk": 15.0, "sit": 17.0, "lie": 16.0}[pose] * k
        oy = {"stand": 33.0, "walk": 33.0, "sit": 34.0, "lie": 36.0}[pose]
        flip = 1 if rng.random() < 0.5 else -1
        ox = 32 - flip * (0.1 * s if pose != "sit" else 0.0)
        cat_body(
            cv, rng, coat, pose, ox + rng.uniform(-sh, sh), oy + rng.uniform(-sh, sh) * 0.5, s, flip
        )


# --------------------------------------------------------------------------
# Non-cats
# --------------------------------------------------------------------------

DOG_COATS = [
    (0.55, 0.35, 0.20),
    (0.85, 0.65, 0.35),
    (0.15, 0.12, 0.10),
    (0.93, 0.90, 0.85),
    (0.60, 0.55, 0.50),
    (0.90, 0.55, 0.22),
    (0.35, 0.22, 0.12),
]


def round_eye(cv, f, x, y, r, iris=(0.2, 0.12, 0.06)):
    """A round eye with a round pupil and a glint."""
    cv.draw(f.circle(x, y, r), iris)
    cv.draw(f.circle(x, y, r * 0.55), (0.02, 0.02, 0.02))
    cv.draw(f.circle(x - r * 0.35, y - r * 0.35, r * 0.3), (1.0, 1.0, 1.0))


def dog_face(cv, rng, cx, cy, r, tilt, color=None):
    """Dog head from the front: floppy ears, broad snout, big black nose, tongue."""
    f = Frame(cx, cy, r, tilt)
    fur = vary(rng, color if color is not None else pick(rng, DOG_COATS), 0.05)
    ear_col = darker(fur, rng.uniform(0.55, 0.85))
    head = union(f.ellipse(0, -0.05, 0.85, 0.95), f.ellipse(0, 0.35, 0.7, 0.6))
    cv.draw(head, fur)
    if rng.random() < 0.5:
        cv.draw(intersect(head, f.ellipse(0, 0.1, 0.25, 1.2)), lighter(fur, 0.6))
    cv.shade(head, -0.15 * r, -0.12 * r, 0.18)
    drop = rng.uniform(0.0, 0.4)
    for side in (-1, 1):
        cv.draw(f.ellipse(side * 0.88, 0.15 + drop, 0.3, 0.72, side * -0.3), ear_col)
    snout = f.ellipse(0, 0.5, 0.48, 0.36)
    cv.draw(snout, lighter(fur, 0.35))
    if rng.random() < 0.5:
        cv.draw(f.ellipse(0, 0.98, 0.16, 0.2), (0.9, 0.4, 0.45))
    cv.draw(f.ellipse(0, 0.33, 0.2, 0.13), (0.05, 0.05, 0.05))
    cv.draw(f.circle(-0.06, 0.29, 0.04), (0.7, 0.7, 0.7))
    cv.draw(f.stroke([(0, 0.4), (0, 0.62), (-0.2, 0.72)], 0.03, 0.3), (0.1, 0.08, 0.07))
    cv.draw(f.stroke([(0, 0.62), (0.2, 0.72)], 0.03, 0.3), (0.1, 0.08, 0.07))
    for side in (-1, 1):
        round_eye(cv, f, side * 0.36, -0.15, 0.12)


def dog_body(cv, rng, ox, oy, s, flip, color=None):
    """Dog in side view: long legs, snout, floppy ear, short tail."""
    f = Frame(ox, oy, s, 0.0, flip)
    fur = vary(rng, color if color is not None else pick(rng, DOG_COATS), 0.05)
    cv.draw(f.stroke(bezier((-0.9, -0.15), (-1.2, -0.4), (-1.3, -0.75)), [0.1] * 9), fur)
    for x in (0.6, -0.6):
        cv.draw(f.stroke([(x, 0.1), (x + 0.05, 1.2)], 0.12), darker(fur, 0.8))
    body = f.ellipse(0, 0, 1.0, 0.42)
    cv.draw(body, fur)
    cv.shade(body, 0, -0.12 * s, 0.15)
    for x in (0.72, -0.72):
        cv.draw(f.stroke([(x, 0.1), (x + 0.02, 1.25)], 0.13), fur)
        cv.draw(f.ellipse(x + 0.07, 1.25, 0.16, 0.08), darker(fur, 0.7))
    cv.draw(f.ellipse(0.95, -0.35, 0.28, 0.4, 0.4), fur)
    cv.draw(f.circle(1.1, -0.72, 0.36), fur)
    cv.draw(f.ellipse(1.5, -0.58, 0.34, 0.19, 0.15), lighter(fur, 0.25))
    cv.draw(f.circle(1.8, -0.62, 0.08), (0.05, 0.05, 0.05))
    cv.draw(f.ellipse(0.95, -0.55, 0.14, 0.36, -0.35), darker(fur, 0.65))
    round_eye(cv, f, 1.22, -0.82, 0.07)
    if rng.random() < 0.5:
        cv.draw(f.stroke([(0.78, -0.38), (0.95, -0.22)], 0.07), pick(rng, BRIGHT))


def fox_face(cv, rng, cx, cy, r, tilt):
    """Fox head: big pointed ears like a cat but a long pointed snout."""
    f = Frame(cx, cy, r, tilt)
    fur = vary(rng, (0.88, 0.45, 0.15), 0.05)
    for side in (-1, 1):
        ear = [(side * 0.9, -0.2), (side * 0.85, -1.5), (side * 0.2, -0.75)]
        cv.draw(f.poly(ear), fur)
        cv.draw(
            f.poly([(side * 0.87, -1.05), (side * 0.85, -1.5), (side * 0.62, -1.18)]),
            (0.1, 0.08, 0.07),
        )
    face = union(
        f.ellipse(0, -0.15, 0.95, 0.75),
        f.poly([(-0.85, 0.0), (0.85, 0.0), (0.12, 1.15), (-0.12, 1.15)]),
    )
    cv.draw(face, fur)
    for side in (-1, 1):
        cv.draw(
            intersect(
                face, f.poly([(side * 1.0, 0.05), (side * 0.1, 0.4), (0, 1.2), (side * 0.7, 0.9)])
            ),
            (0.97, 0.95, 0.92),
        )
    cv.shade(face, -0.15 * r, -0.1 * r, 0.15)
    cv.draw(f.ellipse(0, 1.1, 0.14, 0.1), (0.05, 0.05, 0.05))
    for side in (-1, 1):
        cv.draw(f.ellipse(side * 0.38, -0.15, 0.16, 0.1, side * 0.35), (0.1, 0.07, 0.03))
        cv.draw(f.ellipse(side * 0.38, -0.15, 0.1, 0.07, side * 0.35), (0.85, 0.6, 0.1))


def owl(cv, rng, cx, cy, r):
    """Owl: ear tufts and big round eyes."""
    f = Frame(cx, cy, r)
    fur = vary(rng, pick(rng, [(0.55, 0.40, 0.25), (0.65, 0.60, 0.55), (0.45, 0.32, 0.2)]), 0.05)
    body = f.ellipse(0, 0.55, 0.85, 1.0)
    cv.draw(body, fur)
    cv.draw(intersect(body, bands(math.pi / 2, 0.15 * r, 0.25)), darker(fur, 0.8))
    for side in (-1, 1):
        cv.draw(f.poly([(side * 0.45, -0.55), (side * 0.95, -1.2), (side * 0.85, -0.35)]), fur)
        cv.draw(f.ellipse(side * 0.75, 0.7, 0.25, 0.65, side * 0.2), darker(fur, 0.7))
    cv.draw(f.ellipse(0, -0.3, 0.95, 0.7), fur)
    for side in (-1, 1):
        cv.draw(f.circle(side * 0.42, -0.3, 0.38), lighter(fur, 0.55))
        cv.draw(f.circle(side * 0.42, -0.3, 0.25), (0.95, 0.75, 0.1))
        cv.draw(f.circle(side * 0.42, -0.3, 0.13), (0.02, 0.02, 0.02))
    cv.draw(f.poly([(-0.1, -0.1), (0.1, -0.1), (0.0, 0.15)]), (0.85, 0.65, 0.2))
    cv.draw(f.stroke([(-0.9, 1.45), (0.9, 1.45)], 0.1), (0.4, 0.28, 0.15))


def rabbit(cv, rng, ox, oy, s, flip, front):
    """Rabbit, from the front (long ears, round face) or sitting sideways."""
    f = Frame(ox, oy, s, 0.0, flip)
    fur = vary(
        rng,
        pick(
            rng,
            [
                (0.85, 0.82, 0.78),
                (0.6, 0.48, 0.38),
                (0.55, 0.55, 0.55),
                (0.95, 0.95, 0.95),
                (0.85, 0.65, 0.45),
            ],
        ),
        0.04,
    )
    if front:
        cv.draw(f.ellipse(0, 0.9, 0.85, 0.65), fur)
        for side in (-1, 1):
            ear = f.ellipse(side * 0.3, -1.0, 0.2, 0.75, side * 0.15)
            cv.draw(ear, fur)
            cv.draw(f.ellipse(side * 0.3, -0.95, 0.1, 0.58, side * 0.15), (0.95, 0.7, 0.72))
        head = f.ellipse(0, 0, 0.62, 0.55)
        cv.draw(head, fur)
        cv.shade(head, -0.1 * s, -0.1 * s, 0.15)
        for side in (-1, 1):
            round_eye(cv, f, side * 0.27, -0.08, 0.1)
            cv.draw(f.circle(side * 0.08, 0.25, 0.1), lighter(fur, 0.5))
        cv.draw(f.ellipse(0, 0.16, 0.07, 0.05), (0.9, 0.5, 0.55))
        cv.draw(f.ellipse(0, 0.38, 0.07, 0.07), (0.97, 0.97, 0.97))
    else:
        cv.draw(f.circle(-0.85, 0.55, 0.22), (0.98, 0.98, 0.98))
        body = f.ellipse(0, 0.35, 0.9, 0.65)
        cv.draw(body, fur)
        cv.shade(body, 0, -0.1 * s, 0.15)
        cv.draw(f.ellipse(0.35, 0.9, 0.35, 0.12), darker(fur, 0.9))
        cv.draw(f.ellipse(0.7, -0.35, 0.45, 0.38), fur)
        for dx in (0.0, 0.15):
            cv.draw(f.ellipse(0.5 + dx, -1.05, 0.14, 0.55, -0.35 + dx), fur)
        cv.draw(f.ellipse(0.55, -1.0, 0.07, 0.42, -0.35), (0.95, 0.7, 0.72))
        round_eye(cv, f, 0.82, -0.42, 0.08)
        cv.draw(f.circle(1.13, -0.25, 0.05), (0.9, 0.5, 0.55))


def mouse(cv, rng, ox, oy, s, flip):
    """Mouse: round ears, pointed nose, long thin tail, whiskers."""
    f = Frame(ox, oy, s, 0.0, flip)
    fur = vary(rng, pick(rng, [(0.55, 0.55, 0.58), (0.6, 0.48, 0.38), (0.88, 0.86, 0.84)]), 0.04)
    cv.draw(
        f.stroke(bezier((-0.8, 0.3), (-1.8, 0.9), (-1.9, -0.1), 10), 0.0, 0.5), (0.9, 0.65, 0.65)
    )
    body = union(f.ellipse(0, 0.2, 0.85, 0.5), f.poly([(0.4, -0.25), (1.25, 0.25), (0.4, 0.6)]))
    cv.draw(body, fur)
    cv.shade(body, 0, -0.08 * s, 0.15)
    cv.draw(f.circle(0.35, -0.4, 0.3), fur)
    cv.draw(f.circle(0.35, -0.4, 0.19), (0.95, 0.7, 0.72))
    cv.draw(f.circle(1.25, 0.25, 0.07), (0.9, 0.5, 0.55))
    round_eye(cv, f, 0.72, 0.05, 0.08)
    for k in range(3):
        cv.draw(f.stroke([(1.15, 0.3), (1.6, 0.1 + 0.2 * k)], 0.0, 0.25), (0.3, 0.3, 0.3))


def bird(cv, rng, ox, oy, s, flip):
    """Small bird, perched on a branch or flying."""
    f = Frame(ox, oy, s, 0.0, flip)
    col = vary(
        rng,
        pick(
            rng,
            [
                (0.85, 0.15, 0.1),
                (0.2, 0.4, 0.85),
                (0.95, 0.8, 0.1),
                (0.5, 0.35, 0.25),
                (0.2, 0.2, 0.22),
            ],
        ),
        0.05,
    )
    perched = rng.random() < 0.6
    if perched:
        cv.draw(f.stroke([(-2.5, 1.0), (2.5, 0.8)], 0.12), (0.4, 0.27, 0.15))
        for x in (-0.1, 0.15):
            cv.draw(f.stroke([(x, 0.5), (x, 0.95)], 0.03, 0.4), (0.3, 0.2, 0.1))
    cv.draw(f.poly([(-0.6, 0.1), (-1.4, 0.5), (-1.3, -0.05)]), darker(col, 0.8))
    body = f.ellipse(0, 0.1, 0.8, 0.5, -0.2)
    cv.draw(body, col)
    cv.draw(intersect(body, f.ellipse(0.2, 0.45, 0.6, 0.3)), lighter(col, 0.55))
    cv.draw(f.circle(0.65, -0.35, 0.38), col)
    cv.draw(f.poly([(0.95, -0.45), (1.4, -0.3), (0.95, -0.2)]), (0.95, 0.65, 0.1))
    round_eye(cv, f, 0.75, -0.45, 0.08, (0.05, 0.05, 0.05))
    if perched:
        cv.draw(f.ellipse(-0.15, 0.0, 0.55, 0.3, -0.15), darker(col, 0.7))
    else:
        cv.draw(f.poly([(-0.3, 0.0), (0.3, -0.05), (-0.1, -1.3)]), darker(col, 0.75))


def fish(cv, rng, ox, oy, s, flip):
    """Fish in water with bubbles."""
    f = Frame(ox, oy, s, 0.0, flip)
    col = vary(rng, pick(rng, BRIGHT[:8]), 0.05)
    cv.draw(f.poly([(-0.7, 0), (-1.4, -0.55), (-1.4, 0.55)]), darker(col, 0.8))
    cv.draw(f.poly([(-0.3, -0.4), (0.2, -0.8), (0.3, -0.4)]), darker(col, 0.8))
    body = f.ellipse(0, 0, 1.0, 0.55)
    cv.draw(body, col)
    if rng.random() < 0.5:
        cv.draw(intersect(body, bands(0.0, 0.5 * s, 0.3)), lighter(col, 0.7))
    cv.shade(body, 0, -0.1 * s, 0.2)
    cv.draw(f.stroke(bezier((0.45, -0.35), (0.3, 0.0), (0.45, 0.35)), 0.04, 0.3), darker(col, 0.6))
    round_eye(cv, f, 0.65, -0.12, 0.12, (0.9, 0.9, 0.9))
    for _ in range(int(rng.integers(2, 6))):
        bx, by, br = rng.uniform(0, 64), rng.uniform(0, 64), rng.uniform(1, 2.5)
        cv.draw(minus(circle(bx, by, br), circle(bx, by, br * 0.7)), (0.9, 0.95, 1.0), 0.8)


def bg_water(cv, rng):
    """Underwater blue-green gradient with sand."""
    top = vary(rng, (0.2, 0.55, 0.8), 0.08)
    deep = vary(rng, (0.05, 0.25, 0.45), 0.05)
    cv.fill(lambda X, Y: top + (deep - top) * (Y / SIZE)[..., None])
    if rng.random() < 0.6:
        noise = Noise(rng, 6)
        cv.draw((FULL, lambda X, Y: Y > 54 + 6 * noise(X, Y)), vary(rng, (0.85, 0.78, 0.55)))


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


NONCATS_EASY = [
    "dog_face",
    "dog_body",
    "bird",
    "fish",
    "rabbit",
    "mouse",
    "car",
    "house",
    "cup",
    "ball",
    "plant",
    "lamp",
    "landscape",
    "city",
]
NONCATS_HARD = ["ginger_dog", "fox", "cushion", "owl", "rabbit_front", "teddy"]


def draw_noncat(cv, rng, style, kind=None):
    """A non-cat picture: an animal, object or scene (sometimes a deliberately cat-like one)."""
    hard = rng.random() < style["hard"]
    chosen = pick(rng, NONCATS_HARD if hard else NONCATS_EASY)
    kind = chosen if kind is None else kind
    k = rng.uniform(*style["scale"])
    sh = style["shift"]
    cx, cy = 32 + rng.uniform(-sh, sh), 34 + rng.uniform(-sh, sh) * 0.6
    flip = 1 if rng.random() < 0.5 else -1
    if kind == "fish":
        bg_water(cv, rng)
    elif kind == "car":
        bg_road(cv, rng)
    elif kind == "landscape":
        landscape(cv, rng)
    elif kind == "city":
        city(cv, rng)
    elif kind in ("house",):
        background(cv, rng, style, {"grass": 3, "sky": 1, "gradient": 1})
    elif kind == "bird":
        background(cv, rng, style, {"sky": 2, "grass": 1, "gradient": 1, "texture": 1})
    elif kind == "cushion":
        background(cv, rng, style, {"sofa": 3, "wall": 1, "texture": 1})
    elif kind in ("cup", "lamp", "plant", "teddy"):
        background(cv, rng, style, {"wall": 3, "sofa": 1, "texture": 1, "gradient": 1})
    elif kind in ("dog_body", "ginger_dog", "rabbit", "mouse"):
        weights = dict(style["obj_bg"])
        weights["grass"] = weights.get("grass", 0) + weights.pop("sky", 0)
        background(cv, rng, style, weights)
    else:
        background(cv, rng, style, style["obj_bg"])
    if kind == "dog_face":
        dog_face(cv, rng, cx, cy, 17 * k, rng.uniform(-0.3, 0.3))
    elif kind == "ginger_dog":
        if rng.random() < 0.5:
            dog_face(cv, rng, cx, cy, 17 * k, rng.uniform(-0.3, 0.3), (0.92, 0.55, 0.2))
        else:
            dog_body(
                cv,
                rng,
                32 - flip * 4 + rng.uniform(-sh, sh) * 0.5,
                34,
                13 * k,
                flip,
                (0.92, 0.55, 0.2),
            )
    elif kind == "dog_body":
        dog_body(cv, rng, 32 - flip * 4 + rng.uniform(-sh, sh) * 0.5, 34, 13 * k, flip)
    elif kind == "fox":
        fox_face(cv, rng, cx, cy + 2, 16 * k, rng.uniform(-0.3, 0.3))
    elif kind == "owl":
        owl(cv, rng, cx, cy - 4, 14 * k)
    elif kind == "teddy":
        teddy(cv, rng, cx, cy, 17 * k)
    elif kind == "rabbit_front":
        rabbit(cv, rng, cx, cy + 2, 16 * k, flip, True)
    elif kind == "rabbit":
        rabbit(cv, rng, cx - flip * 3, cy + 2, 17 * k, flip, rng.random() < 0.3)
    elif kind == "mouse":
        mouse(cv, rng, cx + flip * 5, cy + 4, 14 * k, flip)
    elif kind == "bird":
        bird(cv, rng, cx, cy, 13 * k, flip)
    elif kind == "fish":
        fish(cv, rng, cx, cy, 18 * k, flip)
    elif kind == "car":
        car(cv, rng, cx, 44 + rng.uniform(-3, 3), 24 * k, flip)
    elif kind == "house":
        house(cv, rng, cx, cy + 4, 18 * k)
    elif kind == "cup":
        cup(cv, rng, cx, cy + 2, 17 * k)
    elif kind == "ball":
        ball(cv, rng, cx, cy + 2, 16 * k)
    elif kind == "plant":
        plant(cv, rng, cx, cy + 6, 18 * k)
    elif kind == "lamp":
        lamp(cv, rng, cx, cy + 4, 20 * k)
    elif kind == "cushion":
        cushion(cv, rng, cx, cy + 2, 20 * k)
    return kind


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


# --------------------------------------------------------------------------
# Pictures and data set
# --------------------------------------------------------------------------


def picture(rng, label, style):
    """Draw one 64x64 picture of the given label; returns uint8 (64, 64, 3)."""
    cv = Canvas()
    if label == 1:
        draw_cat(cv, rng, style)
    else:
        draw_noncat(cv, rng, style)
    if rng.random() < style["clutter"]:
        clutter(cv, rng)
    img = cv.result()
    gain = rng.uniform(*style["light"]) * (1 + rng.uniform(-0.06, 0.06, 3))
    img = (img - 0.5) * rng.uniform(0.85, 1.1) + 0.5
    img = img * gain + rng.normal(0.0, style["noise"], img.shape)
    return np.clip(np.round(img * 255.0), 0, 255).astype(np.uint8)


def make_split(rng, n_cat, n_noncat, style):
    """Draw a split: pictures (m, 64, 64, 3) uint8 and shuffled labels (m,) int64."""
    labels = np.array([1] * n_cat + [0] * n_noncat, dtype=np.int64)
    labels = labels[rng.permutation(labels.size)]
    seeds = rng.integers(0, 2**63 - 1, size=labels.size)
    x = np.stack(
        [picture(np.random.default_rng(int(s)), int(y), style) for s, y in zip(seeds, labels)]
    )
    return x, labels


def generate(seed: int = SEED) -> dict[str, np.ndarray]:
    """Build both splits in memory; the same seed always gives the same arrays."""
    rng = np.random.default_rng(seed)
    train_x, train_y = make_split(rng, *SPLITS["train"], TRAIN_STYLE)
    test_x, test_y = make_split(rng, *SPLITS["test"], TEST_STYLE)
    return {
        "train_set_x": train_x,
        "train_set_y": train_y,
        "test_set_x": test_x,
        "test_set_y": test_y,
        "list_classes": CLASSES.copy(),
    }


def save_samples(x, y, path, rows=6, cols=8):
    """Save a grid of pictures titled with their labels as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.3, rows * 1.45))
    for ax, img, label in zip(axes.flat, x, y):
        ax.imshow(img, interpolation="nearest")
        ax.set_title(
            "cat" if label == 1 else "non-cat",
            fontsize=9,
            color="tab:red" if label == 1 else "tab:blue",
        )
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=80, metadata={"Software": None})
    plt.close(fig)


def write(out_dir: Path = HERE) -> list[Path]:
    """Generate the data and write the two HDF5 files and samples.png into out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = generate()
    paths = []
    for split in ("train", "test"):
        path = out_dir / f"{split}_catvnoncat.h5"
        with h5py.File(path, "w") as f:
            for key in (f"{split}_set_x", f"{split}_set_y"):
                f.create_dataset(
                    key,
                    data=data[key],
                    compression="gzip",
                    compression_opts=9,
                    shuffle=True,
                    track_times=False,
                )
            f.create_dataset("list_classes", data=data["list_classes"], track_times=False)
        paths.append(path)
    png = out_dir / "samples.png"
    save_samples(data["train_set_x"], data["train_set_y"], png)
    paths.append(png)
    return paths


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description="Generate the synthetic cat / non-cat data.")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: data/)")
    args = parser.parse_args()
    start = time.perf_counter()
    for path in write(args.out):
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    print(f"done in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
