"""What a student reads about a grade cell: which function, which output, which case, why.

A failure on the published example is shown as the visible test shows it, with the
expected and returned values. A failure on any other case names the case by its shapes
and never shows its inputs or the expected values ("on a 3-layer network with 2 output
units and 7 examples, dW2 ..."). A passing cell says what it covered.
"""

from dnncourse.grader.catalogue import HIDDEN, NEW_SHAPES, PUBLISHED, TWIN


def render(result):
    """The sentence for one failed case (a grading.CaseResult)."""
    failure, case = result.failure, result.case
    if case.kind == PUBLISHED:
        return failure.message()
    if case.kind == TWIN:
        return (failure.message(show_values=False, where=case.where)
                + " It is right on the published example itself: does it compute its result"
                  " from its inputs, or return fixed numbers?")
    return failure.message(show_values=False, where=case.where)


def _covered(visible, results):
    kinds = {r.case.kind for r in results}
    if visible:
        return "right on the published example" + (
            " and on the same example with other numbers" if TWIN in kinds else "")
    hidden = sum(r.case.kind == HIDDEN for r in results)
    parts = (["the new-shape example"] if NEW_SHAPES in kinds else []) \
        + ([f"{hidden} hidden case{'s' * (hidden != 1)}"] if hidden else [])
    return "right on " + " and ".join(parts)


def named(function, mistake):
    """The sentence naming a catalogued mistake (its `explains` completes it)."""
    return f"Your {function} gives exactly what it would with {mistake.explains}."


def verdict(grade_id, function, visible, points, results, cell_error=None, mistake=None,
            pattern=None):
    """Return the CellVerdict of one grade cell from the CaseResults scored in it; `mistake`
    (a catalogued Mistake the function's outcomes match) is named in a failed cell's
    message, `pattern` (how the function went wrong) is kept for the class report."""
    from dnncourse.grader.grading import CellVerdict

    failed = [r for r in results if r.failure is not None]
    if not results:
        return CellVerdict(grade_id, function, visible, 0.0, points,
                           f"{function}: the grader has no case for this cell.", results)
    if not failed:
        return CellVerdict(grade_id, function, visible, points, points,
                           f"{function}: {_covered(visible, results)}.", results)
    message = render(failed[0])
    if len(failed) > 1:
        others = len(failed) - 1
        message += f" ({others} other case{'s' * (others > 1)} of {len(results)} fail too.)"
    if mistake is not None:
        message += " " + named(function, mistake)
    if cell_error:
        message = (f"Your answer cell for {function} stopped when it ran: it {cell_error}. "
                   + message)
    return CellVerdict(grade_id, function, visible, 0.0, points, message, results,
                       mistake, None if mistake else pattern)
