"""Shapes, each a pair (bbox, inside): bbox = (x0, x1, y0, y1) in output pixels, inside(X, Y) a
bool array (X and Y broadcast) true at the points inside; and smooth value noise for patterns."""

import math

import numpy as np

SIZE = 64  # pictures are SIZE x SIZE output pixels; all coordinates are in these pixels
FULL = (-1e9, 1e9, -1e9, 1e9)  # bbox of shapes that cover the whole plane (stripes, dots, noise)


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
