"""The class report's figures, drawn by matplotlib and returned as PNG bytes, so that the
page can embed them and open without network."""

import io

import numpy as np

# Colours that stay apart for the common forms of colour blindness (Okabe and Ito).
BLUE, ORANGE, GREEN, GREY = "#0072B2", "#E69F00", "#009E73", "#999999"
DPI = 96


def _figure(width, height):
    # A bare Figure, not pyplot: no global state and no GUI backend in the grading job.
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def score_histogram(assignment, scores, top):
    """Histogram of the scores of one assignment: `scores` after late penalty, out of
    `top` points, in ten bins of a tenth of the points each."""
    fig = _figure(5.2, 2.8)
    axes = fig.add_subplot()
    edges = np.linspace(0, top, 11)
    # Clip so that a score of exactly `top` falls in the last bin, not past it.
    axes.hist(np.clip(scores, 0, top), bins=edges, color=BLUE, edgecolor="white")
    axes.set_xlim(0, top)
    axes.set_xlabel(f"score (of {top:g} points, after late penalty)")
    axes.set_ylabel("students")
    axes.set_title(f"{assignment}: {len(scores)} graded submissions")
    axes.yaxis.get_major_locator().set_params(integer=True)
    return _png(fig)


def pass_shares(assignment, rows):
    """Horizontal bars: per graded function (FunctionRows, notebook order, top to bottom)
    the share of students passing its visible and its hidden grade cell."""
    fig = _figure(6.4, 0.9 + 0.42 * len(rows))
    axes = fig.add_subplot()
    y = np.arange(len(rows))[::-1]
    height = 0.38
    visible = [r.share(r.visible_passed) * 100 for r in rows]
    hidden = [r.share(r.hidden_passed) * 100 for r in rows]
    axes.barh(y + height / 2, visible, height, color=BLUE, label="visible cell")
    axes.barh(y - height / 2, hidden, height, color=ORANGE, label="hidden cell")
    axes.set_yticks(y, [r.function for r in rows])
    axes.set_xlim(0, 100)
    axes.set_xlabel("students passing (%)")
    axes.set_title(f"{assignment}: who passes each graded function")
    axes.legend(loc="lower right", fontsize="small")
    return _png(fig)


def mistake_counts(assignment, groups, limit=20):
    """Horizontal bars of the most shared mistakes of one assignment (Groups): named ones
    labelled by their key, unnamed ones by their pattern."""
    shown = sorted(groups, key=lambda g: (-g.count, g.function, g.key))[:limit]
    fig = _figure(6.4, 0.9 + 0.3 * len(shown))
    axes = fig.add_subplot()
    y = np.arange(len(shown))[::-1]
    colours = [GREEN if g.kind == "named" else GREY for g in shown]
    axes.barh(y, [g.count for g in shown], color=colours)
    axes.set_yticks(y, [f"{g.function}: {g.key}" for g in shown], fontsize="small")
    axes.set_xlabel("students")
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.set_title(f"{assignment}: the most shared mistakes", fontsize="medium")
    from matplotlib.patches import Patch

    axes.legend(handles=[Patch(color=GREEN, label="named (catalogued)"),
                         Patch(color=GREY, label="unnamed pattern")],
                loc="lower right", fontsize="small")
    return _png(fig)


def seconds_per_submission(results):
    """Histogram of the seconds each submission of this run took on its worker."""
    fig = _figure(5.2, 2.6)
    axes = fig.add_subplot()
    seconds = [r.seconds for r in results]
    axes.hist(seconds, bins=min(20, max(5, len(seconds) // 2)), color=BLUE,
              edgecolor="white")
    axes.set_xlabel("seconds on the worker (autograde and feedback)")
    axes.set_ylabel("submissions")
    axes.set_title(f"this run: {len(seconds)} submissions, median "
                   f"{np.median(seconds):.1f} s")
    axes.yaxis.get_major_locator().set_params(integer=True)
    return _png(fig)
