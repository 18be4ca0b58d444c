"""The catalogued mistakes (catalogue/<assignment>/mistakes.py), planted in submissions:
each fails a check the student can see, with a message holding its words; costs points in
its own function only; and is named by the grader, also when written another way. Mistakes
the catalogue does not know are grouped by how they went wrong.

The grader serves every function the graded one builds on from the reference answers, so
one notebook can carry one mistake per function: the mistakes are planted in a few
notebooks ("rounds") and each round is graded once, in process, by the trusted grader.
"""

import pytest

from dnncourse.authoring.examples import Example, build_notebook
from dnncourse.course import Course
from dnncourse.grader import mistakes, reference
from dnncourse.grader.catalogue import public_module
from dnncourse.grader.grading import grade_notebook
from dnncourse.job.reports import graded_functions
from dnncourse.shipped.test_utils import CheckFailure

REPO = Course()
CATALOGUE = [(assignment, mistake) for assignment in REPO.assignment_ids
             for mistake in mistakes.load(REPO, assignment)]


def _id(item):
    return item[1].key


def rounds(assignment):
    """The assignment's mistakes split into rounds holding at most one per function."""
    planted = []
    for mistake in mistakes.load(REPO, assignment):
        free = next((r for r in planted if mistake.function not in r), None)
        if free is None:
            free = {}
            planted.append(free)
        free[mistake.function] = mistake
    return planted


def grade_round(assignment, planted, student="round"):
    """Grade a notebook carrying the mistakes `planted` ({function: Mistake});
    return {grade_id: CellVerdict}."""
    example = Example(student, assignment, "planted mistakes",
                      edits={f: list(m.edits) for f, m in planted.items()})
    verdicts, _ = grade_notebook(REPO, assignment, build_notebook(example, REPO),
                                 call_seconds=10)
    return verdicts


@pytest.fixture(scope="module")
def graded():
    """{mistake key: {grade_id: CellVerdict} of the round that carries it}."""
    found = {}
    for assignment in REPO.assignment_ids:
        for number, planted in enumerate(rounds(assignment)):
            verdicts = grade_round(assignment, planted, f"round{number}")
            for mistake in planted.values():
                found[mistake.key] = verdicts
    return found


def test_catalogue_is_large_and_covers_every_graded_function():
    keys = [m.key for _, m in CATALOGUE]
    assert len(keys) >= 40, f"expected at least 40 catalogued mistakes, got {len(keys)}"
    assert len(set(keys)) == len(keys), "two mistakes share a key"
    for assignment in REPO.assignment_ids:
        functions = set(graded_functions(REPO, assignment))
        covered = {m.function for m in mistakes.load(REPO, assignment)}
        assert covered == functions, (
            f"{assignment}: functions without a catalogued mistake: {functions - covered}")


def _visible_failure(assignment, mistake):
    """The message of the first visible check (published, then new-shape example) the
    mistaken function fails, or None when it passes them all."""
    public = public_module(REPO, assignment)
    ref = reference.load(assignment, REPO)
    answer = mistakes.answers(REPO, assignment)[f"solution_{mistake.function}"]
    target = mistakes.mistaken_function(ref, answer, mistake,
                                        f"<answer solution_{mistake.function}>")
    for test in ("test", "shape_test"):
        try:
            getattr(public, f"{mistake.function}_{test}")(target)
        except CheckFailure as failure:
            return failure.message()
    return None


@pytest.mark.parametrize("item", CATALOGUE, ids=_id)
def test_a_visible_check_fails_with_the_mistakes_words(item, capsys):
    assignment, mistake = item
    message = _visible_failure(assignment, mistake)
    assert message is not None, (
        f"{mistake.key} ({mistake.explains}) passes every check the student can see")
    missing = [w for w in mistake.words if w not in message]
    assert not missing, f"{mistake.key}: the message lacks {missing}: {message}"
    assert message.startswith(mistake.function), (
        f"{mistake.key}: expected the message to start with the function's name, got {message}")


@pytest.mark.parametrize("item", CATALOGUE, ids=_id)
def test_a_mistake_costs_points_in_its_own_function_only(graded, item):
    _, mistake = item
    lost = {v.function for v in graded[mistake.key].values() if not v.passed}
    assert mistake.function in lost, f"{mistake.key} ({mistake.explains}) cost no points"
    planted_round = {m for m, v in graded.items() if v is graded[mistake.key]}
    owners = {m.function for _, m in CATALOGUE if m.key in planted_round}
    assert lost <= owners, f"points lost in {sorted(lost - owners)}, where nothing is wrong"


@pytest.mark.parametrize("item", CATALOGUE, ids=_id)
def test_the_grader_names_the_planted_mistake(graded, item):
    _, mistake = item
    failed = [v for v in graded[mistake.key].values()
              if v.function == mistake.function and not v.passed]
    named = {v.mistake.key if v.mistake else None for v in failed}
    assert named == {mistake.key}, (
        f"{mistake.key}: expected every failed cell of {mistake.function} to name it, got "
        f"{named}: {[v.message for v in failed]}")
    for verdict in failed:
        assert mistake.explains in verdict.message, verdict.message
        assert verdict.pattern is None, verdict.pattern


# The same mistakes as students also write them: other code, same wrong outputs.
REWRITTEN = [
    ("step_by_step", "lb_no_mean", "linear_backward",
     [("dW = 1 / m * np.dot(dZ, A_prev.T)", "dW = dZ @ A_prev.T")]),
    ("step_by_step", "cc_wrong_sign", "compute_cost",
     [("cost = (1 / m) * (-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T))",
       "cost = np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL), axis=1, keepdims=True) / m")]),
    ("step_by_step", "lf_no_bias", "linear_forward",
     [("Z = np.dot(W, A) + b", "Z = W @ A")]),
]


@pytest.mark.parametrize(("assignment", "key", "function", "edits"), REWRITTEN,
                         ids=[r[1] for r in REWRITTEN])
def test_a_mistake_written_another_way_is_named(assignment, key, function, edits):
    verdicts = grade_round(assignment, {function: _Edits(edits)})
    failed = [v for v in verdicts.values() if not v.passed]
    assert failed and {v.function for v in failed} == {function}, [v.message for v in failed]
    assert {v.mistake.key if v.mistake else None for v in failed} == {key}, (
        [v.message for v in failed])


class _Edits:
    """Edits planted as a mistake, without a catalogue entry."""

    def __init__(self, edits):
        self.edits = edits


def test_unknown_mistakes_are_grouped_by_how_they_went_wrong():
    # Only the first term's sign flipped: the catalogue has no such mistake.
    first_term = [("(1 / m) * (-np.dot(", "(1 / m) * (np.dot(")]
    same_written_otherwise = [
        ("cost = (1 / m) * (-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T))",
         "cost = (np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T)) / m")]
    other = [("(1 / m) * (-np.dot(", "(2 / m) * (-np.dot(")]
    patterns = []
    for edits in (first_term, same_written_otherwise, other):
        verdicts = grade_round("step_by_step", {"compute_cost": _Edits(edits)})
        failed = [v for v in verdicts.values() if not v.passed]
        assert failed and all(v.mistake is None for v in failed), [v.message for v in failed]
        assert len({v.pattern for v in failed}) == 1, [v.pattern for v in failed]
        patterns.append(failed[0].pattern)
    assert patterns[0] == patterns[1], f"the same wrong cost got two patterns: {patterns}"
    assert patterns[2] != patterns[0], f"two different wrong costs share a pattern: {patterns}"
