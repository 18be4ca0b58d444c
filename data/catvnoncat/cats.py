"""Cats: coats and their markings, faces, tails and whole bodies (standing, walking, sitting,
lying), and a cat picture on its background."""

import math

import numpy as np

from .backgrounds import background
from .canvas import Frame
from .palette import darker, lighter, pick, vary
from .shapes import Noise, bands, bezier, blobs, ellipse, intersect, union

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
    """A cat's head seen from the front, radius r pixels; returns the head's shape.

    `detail` adds the glints, mouth and whiskers (left out when the head is small).
    """
    f = Frame(cx, cy, r, tilt)
    cat_ears(cv, rng, coat, f)
    head = cat_head(cv, coat, f, r, rng.uniform(1.0, 1.15))
    cat_eyes(cv, rng, coat, f, detail)
    cat_mouth(cv, rng, coat, f, detail)
    return head


def cat_ears(cv, rng, coat, f):
    """Two pointed ears with a pink inside, in the head's frame `f`."""
    ear_h = rng.uniform(1.35, 1.65)
    spread = rng.uniform(-0.1, 0.12)
    ear_col = coat["points"] if coat["points"] is not None else coat["base"]
    for side in (-1, 1):
        outer = [(side * 0.98, -0.15), (side * (0.82 + spread), -ear_h), (side * 0.15, -0.82)]
        ear = f.poly(outer)
        cv.draw(ear, ear_col)
        if coat["marks"]:
            coat_marks(cv, coat, ear)
        cx_, cy_ = sum(p[0] for p in outer) / 3, sum(p[1] for p in outer) / 3 + 0.08
        inner = [(cx_ + (x - cx_) * 0.55, cy_ + (y - cy_) * 0.55) for x, y in outer]
        cv.draw(f.poly(inner), coat["inner_ear"])


def cat_head(cv, coat, f, r, wide):
    """The round head with the coat's forehead stripes, patches, points, chest and muzzle;
    `wide` stretches it sideways. Returns the head's shape."""
    head = union(f.ellipse(0, 0, wide, 0.9), f.ellipse(0, 0.22, wide * 1.03, 0.68))
    cv.draw(head, coat["base"])
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
    return head


def cat_eyes(cv, rng, coat, f, detail):
    """Two almond eyes with slit pupils (and a glint when `detail`)."""
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


def cat_mouth(cv, rng, coat, f, detail):
    """The triangular nose, and when `detail` the mouth and three whiskers a side."""
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
