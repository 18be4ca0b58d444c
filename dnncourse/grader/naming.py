"""Which mistake is it: a wrong function's outputs compared with the catalogue's known
mistakes, and, when none matches, a pattern id shared by students who went wrong alike.

The known mistakes (catalogue/<assignment>/mistakes.py) are the course's own code: they run
here, in the grader's process, on the very inputs and seeds the student's function got in
the sandbox, with the reference versions of what the function builds on. A mistake is
named only when it behaves as the student's function did on every case where that
function returned something or raised: same outputs to the checks' tolerance, or the same
exception. Unnamed failures get a pattern id from the student's outputs on the examples
every student gets (the published and the new-shape example): students whose outputs
agree there share the id, whoever they are.
"""

import contextlib
import functools
import hashlib
import io
import warnings

import numpy as np

from dnncourse.grader import mistakes as known
from dnncourse.grader.catalogue import NEW_SHAPES, PUBLISHED
from dnncourse.grader.child import error_text, refused
from dnncourse.shipped.test_utils import CheckFailure, call

FIXED = (PUBLISHED, NEW_SHAPES)  # cases with the same inputs for every student
SIGNIFICANT = 4  # digits kept when outputs are compared by pattern
# Looser than the checks' (1e-6 relative): two ways of writing the same wrong code, float32
# arithmetic or another order of summation included, must still agree.
RTOL, ATOL = 1e-4, 1e-7


@functools.cache
def catalogue_mistakes(course, assignment):
    """Return {function: [(Mistake, reference answer text)]} of the assignment's mistakes."""
    answers = known.answers(course, assignment)
    found = {}
    for mistake in known.load(course, assignment):
        text = answers[f"solution_{mistake.function}"]
        found.setdefault(mistake.function, []).append((mistake, text))
    return found


def _problem(text):
    """A problem without where it happened (line numbers differ between two ways of
    writing the same code)."""
    return text.split(" at line ")[0].split(" (line ")[0].strip()


def seeded_call(function, name, case, seed):
    """Call `function` as the sandboxed child calls the student's (through test_utils.call,
    which turns an exception into a CheckFailure naming it), on the case's inputs, with
    numpy's global generator seeded alike; return ('value', output) or ('error', problem)."""
    state = np.random.get_state()
    try:
        # A mistake's overflow or log(0) is expected; the instructor's log need not show it.
        with warnings.catch_warnings(), np.errstate(all="ignore"), \
                contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            np.random.seed(seed)
            return "value", call(function, name, *case.args, **case.kwargs)
    except CheckFailure as failure:
        return "error", _problem(failure.problem)
    finally:
        np.random.set_state(state)


def student_raised(result):
    """What the student's function raised on a case, as seeded_call describes it ('' when
    it returned, or when it did not finish)."""
    if result.has_value:
        return ""
    if result.error.startswith("raised "):
        return _problem(result.error.removeprefix("raised "))
    if result.failure is not None and not result.error:
        return _problem(result.failure.problem)
    return ""


def same_output(got, other):
    """Whether two outputs agree: the same structure (dict keys, sequence lengths, array
    shapes) and numbers equal to the checks' relative tolerance. The catalogue's checks
    cannot decide this: they also test what the output must be (e.g. one cache per layer),
    which a mistake's output need not be."""
    if isinstance(got, dict) or isinstance(other, dict):
        return (isinstance(got, dict) and isinstance(other, dict) and got.keys() == other.keys()
                and all(same_output(got[k], other[k]) for k in got))
    if isinstance(got, (tuple, list)) or isinstance(other, (tuple, list)):
        return (type(got) is type(other) and len(got) == len(other)
                and all(same_output(a, b) for a, b in zip(got, other, strict=True)))
    if isinstance(got, (np.ndarray, np.generic, float, int)) and \
            isinstance(other, (np.ndarray, np.generic, float, int)):
        a, b = np.asarray(got), np.asarray(other)
        if a.shape != b.shape or (a.dtype.kind in "fc") != (b.dtype.kind in "fc"):
            return False
        with np.errstate(all="ignore"):
            return bool(np.allclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True))
    return type(got) is type(other) and got == other


def _agrees(result, behaviour):
    """Whether the student's outcome of one case (a grading.CaseResult) is `behaviour`."""
    kind, output = behaviour
    if not result.has_value:
        return kind == "error" and output == student_raised(result)
    try:
        return kind == "value" and same_output(result.value, output)
    except Exception:  # outputs that cannot be compared do not agree
        return False


def comparable(results):
    """The CaseResults whose outcome a mistake can reproduce: a value or an exception;
    failed ones first, so most mistakes are ruled out after one call."""
    usable = [r for r in results if r.has_value or student_raised(r)]
    return sorted(usable, key=lambda r: r.failure is None)


class HelperError(RuntimeError):
    """As the sandboxed child raises it when the reference refuses a helper's arguments."""


def served(ref, name):
    """The reference's `name` as the child serves it: its exceptions become HelperErrors
    with the child's words, so a mistake's message reads as the student's."""
    function = getattr(ref, name)

    def helper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception as exc:
            raise HelperError(refused(name, error_text(exc))) from None

    helper.__name__ = helper.__qualname__ = name
    return helper


def named_mistake(ref, candidates, results, uses=()):
    """Return the first known Mistake that behaves as the student's function on every
    comparable case, or None. `candidates` are [(Mistake, reference answer text)];
    `uses` the graded functions the child serves from the reference."""
    cases = comparable(results)
    if not cases or cases[0].failure is None:
        return None
    overrides = {name: served(ref, name) for name in uses}
    for mistake, text in candidates:
        try:
            # Named as the child names answer cells, so assert messages show their lines.
            function = known.mistaken_function(ref, text, mistake,
                                               f"<answer solution_{mistake.function}>",
                                               overrides)
        except (ValueError, SyntaxError):
            continue  # a mistake that no longer applies to the answer names nothing
        name = function.__name__
        if all(_agrees(r, seeded_call(function, name + r.case.label, r.case, r.seed))
               for r in cases):
            return mistake
    return None


def _digest_value(digest, value):
    """Feed `value` to `digest` rounded to SIGNIFICANT digits, so float noise between
    two ways of writing the same wrong code does not split a group."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "fc":
        digest.update(repr(value.shape).encode())
        finite = np.nan_to_num(np.real(value).astype(float), nan=7e300, posinf=8e300,
                               neginf=-8e300)
        digest.update(np.array([float(f"{x:.{SIGNIFICANT - 1}e}") for x in finite.ravel()])
                      .tobytes())
    elif isinstance(value, dict):
        for key in sorted(value, key=str):
            digest.update(repr(key).encode())
            _digest_value(digest, value[key])
    elif isinstance(value, (tuple, list)):
        digest.update(f"{type(value).__name__}{len(value)}".encode())
        for item in value:
            _digest_value(digest, item)
    elif isinstance(value, (float, np.floating)):
        digest.update(f"{float(value):.{SIGNIFICANT - 1}e}".encode())
    elif isinstance(value, np.ndarray):
        digest.update(repr(value.shape).encode() + value.tobytes())
    else:
        digest.update(repr(value).encode())


def pattern(function, results):
    """A short id of how `function` went wrong: its outcomes on the fixed examples, or when
    those are right, which output of which kind of case failed and how; None if nothing
    failed."""
    failed = [r for r in results if r.failure is not None]
    if not failed:
        return None
    digest = hashlib.sha256(function.encode())
    fixed = [r for r in results if r.case.kind in FIXED]
    if any(r.failure is not None for r in fixed):
        for r in fixed:
            digest.update(r.case.kind.encode() + r.case.label.encode())
            if r.has_value:
                _digest_value(digest, r.value)
            else:
                digest.update((student_raised(r) or r.error or "no value").encode())
    else:
        first = failed[0].failure
        digest.update(f"{first.output}|{first.problem}|{first.hint}".encode())
    return "p" + digest.hexdigest()[:8]
