"""Draw the teaching diagrams for the "Building your Deep Neural Network: Step by Step" notebook.

Run ``python -m dnncourse.authoring.diagrams`` to (re)write the PNG files in
``source/step_by_step/images/``. Each `draw_*` function is one figure, written as one
sequence of placed boxes and arrows (60 to 90 lines): split into parts, a figure's
coordinates would be scattered over several functions that only make sense together.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

from dnncourse.course import Course

IMAGES_DIR = Course().source / "step_by_step" / "images"

DPI = 100

FWD_EDGE, FWD_FACE = "#1f5fa8", "#dce9f8"
BWD_EDGE, BWD_FACE = "#c0392b", "#fbe1dc"
CACHE_EDGE, CACHE_FACE = "#4d7c4a", "#e4f1e1"
OUT_EDGE, OUT_FACE = "#7a5c00", "#fff3cc"
TEXT = "#1a1a1a"
MUTED = "#555555"

STYLE = {
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    "font.size": 11,
    "savefig.facecolor": "white",
}


def _new_figure(width, height):
    """Create a white figure whose data coordinates are inches, origin at the bottom left."""
    fig = plt.figure(figsize=(width, height), dpi=DPI, facecolor="white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    return fig, ax


def _box(ax, cx, cy, w, h, face, edge, lw=1.6, ls="-", radius=0.08):
    """Draw a rounded box of size ``w`` x ``h`` centred on ``(cx, cy)``."""
    patch = FancyBboxPatch(
        (cx - w / 2, cy - h / 2),
        w,
        h,
        boxstyle=f"round,pad=0,rounding_size={radius}",
        facecolor=face,
        edgecolor=edge,
        linewidth=lw,
        linestyle=ls,
        zorder=2,
    )
    ax.add_patch(patch)
    return patch


def _text(ax, x, y, s, size=11, color=TEXT, weight="normal", ha="center", va="center",
          mono=False, **kwargs):
    """Write text at ``(x, y)``; ``mono`` selects the monospace font for code."""
    family = "DejaVu Sans Mono" if mono else "DejaVu Sans"
    return ax.text(x, y, s, fontsize=size, color=color, fontweight=weight, ha=ha, va=va,
                   family=family, zorder=4, **kwargs)


def _arrow(ax, start, end, color, lw=1.6, ls="-", head=14):
    """Draw a straight arrow from ``start`` to ``end`` (both in inches)."""
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={
            "arrowstyle": "-|>",
            "color": color,
            "lw": lw,
            "linestyle": ls,
            "shrinkA": 0,
            "shrinkB": 0,
            "mutation_scale": head,
        },
        zorder=3,
    )


def _titled_box(ax, cx, cy, w, h, title, body, face, edge, title_size=10.5, body_size=12):
    """Draw a rounded box with a bold coloured title above a body line."""
    _box(ax, cx, cy, w, h, face, edge)
    _text(ax, cx, cy + h * 0.2, title, size=title_size, color=edge, weight="bold")
    _text(ax, cx, cy - h * 0.18, body, size=body_size)


def _save(fig, path):
    """Save ``fig`` deterministically (no software/version metadata) and close it."""
    path = Path(path)
    fig.savefig(path, dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    return path


def _text_width(ax, artist):
    """Return the rendered width of a text artist in inches (data units)."""
    renderer = ax.figure.canvas.get_renderer()
    return artist.get_window_extent(renderer).width / DPI


def _legend(ax, x, y, entries, size=10):
    """Draw a one-line legend of arrow samples, right-aligned at ``x``."""
    for label, color, ls in reversed(entries):
        t = _text(ax, x, y, label, size=size, color=MUTED, ha="right")
        x -= _text_width(ax, t) + 0.1
        _arrow(ax, (x - 0.45, y), (x, y), color, ls=ls, head=10)
        x -= 0.75


def _bracket(ax, x0, x1, y, label, color, size=11, up=True):
    """Draw a horizontal square bracket from ``x0`` to ``x1`` with ``label`` beside it."""
    tick = 0.12 if up else -0.12
    ax.plot([x0, x0, x1, x1], [y - tick, y, y, y - tick], color=color, lw=1.4, zorder=1)
    va = "bottom" if up else "top"
    _text(ax, (x0 + x1) / 2, y + (0.07 if up else -0.07), label, size=size, color=color,
          weight="bold", va=va)


def _layout(width, widths, margin):
    """Return box centres for ``widths`` spread evenly across a figure ``width`` wide."""
    gap = (width - 2 * margin - sum(widths)) / (len(widths) - 1)
    centres = []
    x = margin
    for w in widths:
        centres.append(x + w / 2)
        x += w + gap
    return centres


def _grads_key(name, layer):
    """Return the Python expression of a ``grads`` key, e.g. ``grads["dW"+str(L)]``."""
    if layer.isdigit():
        return f'grads["{name}{layer}"]'
    return f'grads["{name}"+str({layer})]'


def draw_two_layer_flow(path):
    """Draw the forward and backward flow of a LINEAR->RELU->LINEAR->SIGMOID network."""
    width, height = 12.4, 6.1
    fig, ax = _new_figure(width, height)

    margin = 0.2
    #          X    LINEAR RELU  LINEAR SIGMOID COST
    widths = [1.1, 2.1, 1.65, 2.1, 1.65, 1.4]
    centres = _layout(width, widths, margin)

    y_fwd, h_fwd = 4.55, 0.95
    y_cache, h_cache = 3.4, 0.42
    y_bwd, h_bwd = 1.75, 0.7
    y_out = 0.45

    _text(ax, margin, 5.72, "2-layer network: LINEAR → RELU → LINEAR → SIGMOID",
          size=14, weight="bold", ha="left")
    _legend(ax, width - margin, 5.72, [
        ("forward", FWD_EDGE, "-"),
        ("backward", BWD_EDGE, "-"),
        ("cache read by backward step", CACHE_EDGE, "--"),
    ])

    forward = [
        ("INPUT", r"$X = A^{[0]}$", OUT_FACE, OUT_EDGE),
        ("LINEAR", r"$Z^{[1]} = W^{[1]}A^{[0]} + b^{[1]}$", FWD_FACE, FWD_EDGE),
        ("RELU", r"$A^{[1]} = g(Z^{[1]})$", FWD_FACE, FWD_EDGE),
        ("LINEAR", r"$Z^{[2]} = W^{[2]}A^{[1]} + b^{[2]}$", FWD_FACE, FWD_EDGE),
        ("SIGMOID", r"$A^{[2]} = \sigma(Z^{[2]})$", FWD_FACE, FWD_EDGE),
        ("COST", r"$\mathcal{L}(A^{[2]}, Y)$", OUT_FACE, OUT_EDGE),
    ]
    for (title, body, face, edge), cx, w in zip(forward, centres, widths, strict=True):
        _titled_box(ax, cx, y_fwd, w, h_fwd, title, body, face, edge)
    for i in range(len(centres) - 1):
        _arrow(ax, (centres[i] + widths[i] / 2, y_fwd), (centres[i + 1] - widths[i + 1] / 2, y_fwd),
               FWD_EDGE)

    caches = {
        1: r"cache: $(A^{[0]}, W^{[1]}, b^{[1]})$",
        2: r"cache: $Z^{[1]}$",
        3: r"cache: $(A^{[1]}, W^{[2]}, b^{[2]})$",
        4: r"cache: $Z^{[2]}$",
    }
    cache_w = {1: 2.2, 2: 1.35, 3: 2.2, 4: 1.35}
    for i, label in caches.items():
        cx = centres[i]
        _box(ax, cx, y_cache, cache_w[i], h_cache, CACHE_FACE, CACHE_EDGE, lw=1.2, ls="--")
        _text(ax, cx, y_cache, label, size=10.5, color=CACHE_EDGE)
        ax.plot([cx, cx], [y_fwd - h_fwd / 2, y_cache + h_cache / 2], color=CACHE_EDGE, lw=1.2,
                ls=":", zorder=1)
        _arrow(ax, (cx, y_cache - h_cache / 2), (cx, y_bwd + h_bwd / 2), CACHE_EDGE, lw=1.3,
               ls="--", head=12)

    backward = {
        1: "linear_backward",
        2: "relu_backward",
        3: "linear_backward",
        4: "sigmoid_backward",
    }
    bwd_w = 1.7
    for i, label in backward.items():
        _box(ax, centres[i], y_bwd, bwd_w, h_bwd, BWD_FACE, BWD_EDGE)
        _text(ax, centres[i], y_bwd, label, size=10.5, mono=True, color=TEXT)

    # Start of the backward pass under the cost, end (dA[0]) under the input.
    start_w, end_w = 1.1, 1.1
    _box(ax, centres[5], y_bwd, start_w, h_bwd, BWD_FACE, BWD_EDGE)
    _text(ax, centres[5], y_bwd, r"$dA^{[2]}$", size=13)
    _box(ax, centres[0], y_bwd, end_w, h_bwd, BWD_FACE, BWD_EDGE)
    _text(ax, centres[0], y_bwd, r"$dA^{[0]}$", size=13)
    _arrow(ax, (centres[5], y_fwd - h_fwd / 2), (centres[5], y_bwd + h_bwd / 2), BWD_EDGE)
    _text(ax, centres[5] + 0.1, (y_fwd - h_fwd / 2 + y_bwd + h_bwd / 2) / 2,
          r"$\dfrac{\partial \mathcal{L}}{\partial A^{[2]}}$", size=12, ha="left",
          color=BWD_EDGE)
    _text(ax, width - margin, y_out,
          r"$dA^{[2]} = -\left(\dfrac{Y}{A^{[2]}} - \dfrac{1-Y}{1-A^{[2]}}\right)$",
          size=11.5, ha="right")

    edges = [(5, start_w), (4, bwd_w), (3, bwd_w), (2, bwd_w), (1, bwd_w), (0, end_w)]
    labels = ["", r"$dZ^{[2]}$", r"$dA^{[1]}$", r"$dZ^{[1]}$", r"$dA^{[0]}$"]
    for (i, w_right), (j, w_left), label in zip(edges[:-1], edges[1:], labels, strict=True):
        x_start = centres[i] - w_right / 2
        x_end = centres[j] + w_left / 2
        _arrow(ax, (x_start, y_bwd), (x_end, y_bwd), BWD_EDGE)
        if label:
            _text(ax, (x_start + x_end) / 2, y_bwd + 0.2, label, size=11.5, color=BWD_EDGE)

    for i, label in ((3, r"$dW^{[2]},\ db^{[2]}$"), (1, r"$dW^{[1]},\ db^{[1]}$")):
        _arrow(ax, (centres[i], y_bwd - h_bwd / 2), (centres[i], y_out + 0.22), BWD_EDGE)
        _text(ax, centres[i], y_out, label, size=12.5)

    return _save(fig, path)


def draw_l_layer_forward(path):
    """Draw the L-layer forward pass and how its caches are collected into ``caches``."""
    width, height = 12.4, 4.85
    fig, ax = _new_figure(width, height)
    margin = 0.2

    #          X    layer1 layer2 dots  L-1   L     Y-hat
    widths = [1.0, 1.4, 1.4, 0.35, 1.4, 1.65, 1.25]
    centres = _layout(width, widths, margin)
    y_row, h_row = 3.3, 1.0
    y_cache, h_cache = 1.55, 0.5

    _text(ax, margin, 4.5, "L-layer model: forward propagation", size=14, weight="bold",
          ha="left")

    _titled_box(ax, centres[0], y_row, widths[0], h_row, "INPUT", r"$X = A^{[0]}$",
                OUT_FACE, OUT_EDGE)
    layers = {1: ("layer 1", "LINEAR → RELU"), 2: ("layer 2", "LINEAR → RELU"),
              4: ("layer L−1", "LINEAR → RELU"), 5: ("layer L", "LINEAR → SIGMOID")}
    for i, (title, body) in layers.items():
        _titled_box(ax, centres[i], y_row, widths[i], h_row, title, body, FWD_FACE, FWD_EDGE,
                    title_size=11, body_size=10)
    _text(ax, centres[3], y_row, "⋯", size=20, color=FWD_EDGE)
    _titled_box(ax, centres[6], y_row, widths[6], h_row, "OUTPUT", r"$A^{[L]} = \hat{Y}$",
                OUT_FACE, OUT_EDGE)

    labels = ["", r"$A^{[1]}$", r"$A^{[2]}$", r"$A^{[L-2]}$", r"$A^{[L-1]}$", ""]
    for i, label in enumerate(labels):
        x0 = centres[i] + widths[i] / 2 + (0.05 if i == 3 else 0)
        x1 = centres[i + 1] - widths[i + 1] / 2 - (0.05 if i + 1 == 3 else 0)
        _arrow(ax, (x0, y_row), (x1, y_row), FWD_EDGE)
        if label:
            _text(ax, (x0 + x1) / 2, y_row + 0.22, label, size=11, color=FWD_EDGE)

    top = y_row + h_row / 2 + 0.18
    _bracket(ax, centres[1] - widths[1] / 2, centres[4] + widths[4] / 2, top,
             "[LINEAR → RELU] × (L−1)", FWD_EDGE)
    _bracket(ax, centres[5] - widths[5] / 2, centres[5] + widths[5] / 2, top,
             "LINEAR → SIGMOID", FWD_EDGE)

    # The python list ``caches``: one cell per layer, filled left to right.
    left = centres[1] - widths[1] / 2 - 0.15
    right = centres[5] + widths[5] / 2 + 0.15
    _box(ax, (left + right) / 2, y_cache, right - left, h_cache + 0.24, CACHE_FACE, CACHE_EDGE,
         lw=1.2, ls="--")
    _text(ax, left - 0.12, y_cache, "caches =", size=12, mono=True, ha="right",
          color=CACHE_EDGE, weight="bold")
    cells = {1: "caches[0]", 2: "caches[1]", 4: "caches[L-2]", 5: "caches[L-1]"}
    for i, label in cells.items():
        _box(ax, centres[i], y_cache, widths[i] - 0.1, h_cache, "white", CACHE_EDGE, lw=1.2)
        _text(ax, centres[i], y_cache, label, size=10.5, mono=True)
        _arrow(ax, (centres[i], y_row - h_row / 2), (centres[i], y_cache + h_cache / 2),
               CACHE_EDGE, lw=1.3, ls="--", head=12)
    _text(ax, centres[3], y_cache, "⋯", size=20, color=CACHE_EDGE)
    _text(ax, centres[1] + 0.08, (y_row - h_row / 2 + y_cache + h_cache / 2) / 2,
          "caches.append(cache)", size=9.5, mono=True, ha="left", color=CACHE_EDGE)

    _text(ax, margin, 0.62,
          r"each entry:  cache = (linear_cache, activation_cache)"
          r" $= ((A^{[l-1]}, W^{[l]}, b^{[l]}),\ Z^{[l]})$",
          size=11, ha="left")
    _text(ax, margin, 0.25,
          r"layer $l$:  $Z^{[l]} = W^{[l]}A^{[l-1]} + b^{[l]}$,  $A^{[l]} = g(Z^{[l]})$,"
          r"  with $g$ = ReLU for $l < L$ and $g = \sigma$ for $l = L$",
          size=11, ha="left", color=MUTED)

    return _save(fig, path)


def draw_l_layer_backward(path):
    """Draw the L-layer backward pass and the keys it writes into ``grads``."""
    width, height = 12.4, 6.3
    fig, ax = _new_figure(width, height)
    margin = 0.2

    #          layer1 dots  L-1   L     start
    widths = [2.45, 0.3, 2.45, 2.45, 1.75]
    centres = _layout(width, widths, margin)
    y_cache, h_cache = 4.75, 0.45
    y_row, h_row = 3.55, 1.0
    y_grads, h_grads = 1.85, 1.0

    _text(ax, margin, 5.95, "L-layer model: backward propagation (right → left)", size=14,
          weight="bold", ha="left")

    top = y_cache + h_cache / 2 + 0.2
    _bracket(ax, centres[0] - widths[0] / 2, centres[2] + widths[2] / 2, top,
             "loop: layers l = L−1, …, 1  (RELU)", BWD_EDGE)
    _bracket(ax, centres[3] - widths[3] / 2, centres[3] + widths[3] / 2, top,
             "layer L  (SIGMOID), once", BWD_EDGE)

    # Start of the backward pass.
    cx = centres[4]
    _box(ax, cx, y_row, widths[4], h_row + 0.5, OUT_FACE, OUT_EDGE)
    _text(ax, cx, y_row + 0.5, "start", size=10.5, weight="bold", color=OUT_EDGE)
    _text(ax, cx, y_row + 0.15, r"$dA^{[L]} =$", size=11.5)
    _text(ax, cx, y_row - 0.3, r"$-\left(\dfrac{Y}{A^{[L]}} - \dfrac{1-Y}{1-A^{[L]}}\right)$",
          size=11.5)

    layers = {
        3: ("layer L", "L-1", "sigmoid", "L", "L-1", "L"),
        2: ("layer L−1", "L-2", "relu", "L-1", "L-2", "L-1"),
        0: ("layer 1", "0", "relu", "1", "0", "1"),
    }
    for i, (title, cache_idx, act, key, prev, cur) in layers.items():
        cx = centres[i]
        _box(ax, cx, y_row, widths[i], h_row, BWD_FACE, BWD_EDGE)
        _text(ax, cx, y_row + 0.25, title, size=11, weight="bold", color=BWD_EDGE)
        call = f'linear_activation_backward\n(…, caches[{cache_idx}], "{act}")'
        _text(ax, cx, y_row - 0.17, call, size=9.5, mono=True, linespacing=1.3)

        _box(ax, cx, y_cache, 1.55, h_cache, CACHE_FACE, CACHE_EDGE, lw=1.2, ls="--")
        _text(ax, cx, y_cache, f"caches[{cache_idx}]", size=10.5, mono=True, color=CACHE_EDGE)
        _arrow(ax, (cx, y_cache - h_cache / 2), (cx, y_row + h_row / 2), CACHE_EDGE, lw=1.3,
               ls="--", head=12)

        lines = [
            (_grads_key("dA", key), rf"$= dA^{{[{prev}]}}$"),
            (_grads_key("dW", key), rf"$= dW^{{[{cur}]}}$"),
            (_grads_key("db", key), rf"$= db^{{[{cur}]}}$"),
        ]
        codes, values = [], []
        for k, (code, value) in enumerate(lines):
            y = y_grads + 0.3 - 0.3 * k
            codes.append(_text(ax, cx, y, code, size=9, mono=True, ha="left"))
            values.append(_text(ax, cx, y, value, size=10.5, ha="left"))
        code_w = max(_text_width(ax, t) for t in codes)
        value_w = max(_text_width(ax, t) for t in values)
        x_left = cx - (code_w + 0.06 + value_w) / 2
        for code_t, value_t in zip(codes, values, strict=True):
            code_t.set_x(x_left)
            value_t.set_x(x_left + code_w + 0.06)
        grads_w = max(widths[i], code_w + 0.06 + value_w + 0.3)
        _box(ax, cx, y_grads, grads_w, h_grads, "white", OUT_EDGE, lw=1.2)
        _arrow(ax, (cx, y_row - h_row / 2), (cx, y_grads + h_grads / 2), OUT_EDGE)

    _text(ax, centres[1], y_row, "⋯", size=20, color=BWD_EDGE)
    _text(ax, centres[1], y_cache, "⋯", size=20, color=CACHE_EDGE)
    _text(ax, centres[1], y_grads, "⋯", size=20, color=OUT_EDGE)

    hops = [(4, 3, r"$dA^{[L]}$"), (3, 2, r"$dA^{[L-1]}$"), (2, 1, r"$dA^{[L-2]}$"),
            (1, 0, r"$dA^{[1]}$")]
    for i, j, label in hops:
        x0 = centres[i] - widths[i] / 2 - (0.05 if i == 1 else 0)
        x1 = centres[j] + widths[j] / 2 + (0.05 if j == 1 else 0)
        _arrow(ax, (x0, y_row), (x1, y_row), BWD_EDGE)
        _text(ax, (x0 + x1) / 2, y_row + 0.22, label, size=11, color=BWD_EDGE)

    _box(ax, width / 2, 0.6, width - 2 * margin, 0.8, "#f4f4f4", MUTED, lw=1.0)
    _text(ax, margin + 0.2, 0.78,
          r'grads["dA" + str(l)] holds $dA^{[l-1]}$, the gradient with respect to'
          r" $A^{[l-1]}$ that layer $l$ passes back.",
          size=11.5, ha="left")
    _text(ax, margin + 0.2, 0.4,
          r'So grads["dA1"] $= dA^{[0]}$ has the same shape as $X = A^{[0]}$;'
          r' layer $l$ reads its input $dA^{[l]}$ from grads["dA" + str(l+1)].',
          size=11.5, ha="left")

    return _save(fig, path)


def draw_all(out_dir):
    """Write every diagram into ``out_dir`` and return the list of written paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with plt.rc_context(STYLE):
        return [
            draw_two_layer_flow(out_dir / "two_layer_flow.png"),
            draw_l_layer_forward(out_dir / "l_layer_forward.png"),
            draw_l_layer_backward(out_dir / "l_layer_backward.png"),
        ]


def main():
    """Write every diagram into ``source/step_by_step/images/`` and return the paths."""
    paths = draw_all(IMAGES_DIR)
    for path in paths:
        print(path)
    return paths


if __name__ == "__main__":
    main()
