"""A non-cat picture: which animal, object or scene (sometimes a cat-like one), on which
background, where and how big."""

from .animals import bird, dog_body, dog_face, fish, fox_face, mouse, owl, rabbit
from .backgrounds import background, bg_road, bg_water
from .objects import ball, car, cup, cushion, house, lamp, plant, teddy
from .palette import pick
from .scenes import city, landscape

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
GINGER = (0.92, 0.55, 0.2)  # a dog in a ginger cat's colour
# Kinds drawn upright at the picture's centre: drawing, offset down (pixels), size (pixels
# per unit of the drawing at size factor 1).
CENTRED = {
    "owl": (owl, -4, 14),
    "teddy": (teddy, 0, 17),
    "house": (house, 4, 18),
    "cup": (cup, 2, 17),
    "ball": (ball, 2, 16),
    "plant": (plant, 6, 18),
    "lamp": (lamp, 4, 20),
    "cushion": (cushion, 2, 20),
}
# Kinds that face left or right: drawing, offset forward, offset down, size (as above).
FACING = {"bird": (bird, 0, 0, 13), "fish": (fish, 0, 0, 18), "mouse": (mouse, 5, 4, 14)}


def draw_noncat(cv, rng, style, kind=None):
    """A non-cat picture: an animal, object or scene (sometimes a deliberately cat-like one)."""
    hard = rng.random() < style["hard"]
    chosen = pick(rng, NONCATS_HARD if hard else NONCATS_EASY)
    kind = chosen if kind is None else kind
    k = rng.uniform(*style["scale"])
    sh = style["shift"]
    cx, cy = 32 + rng.uniform(-sh, sh), 34 + rng.uniform(-sh, sh) * 0.6
    flip = 1 if rng.random() < 0.5 else -1
    noncat_background(cv, rng, style, kind)
    noncat_subject(cv, rng, kind, (cx, cy, k, flip, sh))
    return kind


def noncat_background(cv, rng, style, kind):
    """The background that suits a non-cat of this kind (water for fish, a road for cars, a
    room for cups ...); scenes paint the whole picture themselves."""
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


def noncat_subject(cv, rng, kind, place):
    """Draw the animal or object of this kind; `place` = (cx, cy, k, flip, sh): its centre in
    pixels, size factor, facing (1 or -1) and the split's shift."""
    cx, cy, k, flip, sh = place
    if kind in CENTRED:
        draw, dy, size = CENTRED[kind]
        draw(cv, rng, cx, cy + dy, size * k)
    elif kind in FACING:
        draw, dx, dy, size = FACING[kind]
        draw(cv, rng, cx + flip * dx, cy + dy, size * k, flip)
    elif kind == "dog_face":
        dog_face(cv, rng, cx, cy, 17 * k, rng.uniform(-0.3, 0.3))
    elif kind == "ginger_dog" and rng.random() < 0.5:
        dog_face(cv, rng, cx, cy, 17 * k, rng.uniform(-0.3, 0.3), GINGER)
    elif kind in ("dog_body", "ginger_dog"):
        color = GINGER if kind == "ginger_dog" else None
        dog_body(cv, rng, 32 - flip * 4 + rng.uniform(-sh, sh) * 0.5, 34, 13 * k, flip, color)
    elif kind == "fox":
        fox_face(cv, rng, cx, cy + 2, 16 * k, rng.uniform(-0.3, 0.3))
    elif kind == "rabbit_front":
        rabbit(cv, rng, cx, cy + 2, 16 * k, flip, True)
    elif kind == "rabbit":
        rabbit(cv, rng, cx - flip * 3, cy + 2, 17 * k, flip, rng.random() < 0.3)
    elif kind == "car":
        car(cv, rng, cx, 44 + rng.uniform(-3, 3), 24 * k, flip)
