"""The supersampled picture that shapes are painted on (Canvas), and local drawing coordinates
with origin, scale, rotation and mirroring (Frame)."""

import math

import numpy as np

from .shapes import SIZE, ellipse, minus, polygon, stroke

SS = 4  # supersampling: each output pixel is the mean of SS x SS samples


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
