"""Animals that are not cats: dogs (faces and whole), foxes, owls, rabbits, mice, birds and fish."""

import math

from .canvas import Frame
from .palette import BRIGHT, darker, lighter, pick, vary
from .shapes import bands, bezier, circle, intersect, minus, union

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
