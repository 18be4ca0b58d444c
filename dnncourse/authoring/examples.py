"""Example submissions under `examples/`, built from the released notebook.

Each example is the release with every exercise answered by the reference answer
(solution markers removed), then a few small text edits that plant a mistake, a
crash or an endless loop; `untouched` is the release as it is. EXPECTED gives the
points each example must get per graded function. `python -m dnncourse.authoring.examples`
rewrites `examples/`, `--check` reports drift.

The examples live apart from a class's `submitted/` (which git ignores, see
docs/instructor.md): `install` copies them into the `submitted/` of a scratch course, which
is how the demo and the tests grade them.
"""

import argparse
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from dnncourse.course import Course

TIMESTAMP = "2026-11-20 17:00:00.000000 UTC"


@dataclass(frozen=True)
class Example:
    """One example submission: who, what it shows, and how it differs from the reference."""

    student: str
    assignment: str
    description: str
    # function name -> list of (text in the reference answer, replacement)
    edits: dict = field(default_factory=dict)
    untouched: bool = False
    # function name -> points expected when they differ from full marks
    points: dict = field(default_factory=dict)


EXAMPLES = (
    Example("correct", "step_by_step", "every exercise answered correctly"),
    Example(
        "typical_mistakes", "step_by_step",
        "dW without 1/m, a sign error in the cost, output layer hard-coded as layer 2",
        edits={
            "linear_backward": [("dW = 1 / m * np.dot(dZ, A_prev.T)", "dW = np.dot(dZ, A_prev.T)")],
            "compute_cost": [("(1 / m) * (-np.dot(", "(1 / m) * (np.dot(")],
            "L_model_forward": [('A, parameters["W" + str(L)], parameters["b" + str(L)]',
                                 'A, parameters["W2"], parameters["b2"]')],
        },
        # the hard-coded layer passes the 2-layer published case but not deeper networks
        points={"linear_backward": 0, "compute_cost": 0, "L_model_forward": 6},
    ),
    Example("untouched", "step_by_step", "the release, submitted without any answer",
            untouched=True),
    Example(
        "raises", "step_by_step", "linear_forward raises NameError when called",
        edits={"linear_forward": [("Z = np.dot(W, A) + b", "Z = np.dot(W, A) + bias")]},
        points={"linear_forward": 0},
    ),
    Example(
        "loops_forever", "step_by_step",
        "compute_cost never returns: every cell that calls it hits the time limit",
        edits={"compute_cost": [("    m = Y.shape[1]\n", "    m = Y.shape[1]\n    while True:\n"
                                 "        pass\n")]},
        points={"compute_cost": 0},
    ),
    Example("correct", "application", "both models answered correctly"),
    Example("untouched", "application", "the release, submitted without any answer",
            untouched=True),
    Example(
        "typical_mistakes", "application",
        "L_layer_model never updates its parameters",
        edits={"L_layer_model": [
            ("        parameters = update_parameters(parameters, grads, learning_rate)\n", "")]},
        points={"L_layer_model": 0},
    ),
)


def expected_points(example, full_points):
    """Return {function: points} that `example` must get, given {function: max points}."""
    if example.untouched:
        return dict.fromkeys(full_points, 0)
    return {name: example.points.get(name, full) for name, full in full_points.items()}


def answer_cells(assignment, course=None):
    """Return {solution grade_id: reference answer as a student would type it}."""
    from dnncourse.grader.mistakes import answers

    return answers(course or Course(), assignment)


def build_notebook(example, course=None):
    """Return the submitted notebook of `example` as a JSON-ready dict."""
    course = course or Course()
    release = course.release_notebook(example.assignment)
    nb = json.loads(release.read_text(encoding="utf-8"))
    if example.untouched:
        return nb
    answers = answer_cells(example.assignment, course)
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            text = answers[grade_id]
            for old, new in example.edits.get(grade_id.removeprefix("solution_"), []):
                if text.count(old) != 1:
                    raise ValueError(f"{example.student}: {old!r} must occur once in {grade_id}")
                text = text.replace(old, new)
            cell["source"] = text
    unused = set(example.edits) - {g.removeprefix("solution_") for g in answers}
    if unused:
        raise ValueError(f"{example.student}: no solution cell for {sorted(unused)}")
    return nb


def write(example, root, course=None):
    """Write the submission of `example` under `root` (laid out as `submitted/`)."""
    course = course or Course()
    folder = Path(root) / example.student / example.assignment
    folder.mkdir(parents=True, exist_ok=True)
    name = course.release_notebook(example.assignment).name
    text = json.dumps(build_notebook(example, course), indent=1, ensure_ascii=False) + "\n"
    (folder / name).write_text(text, encoding="utf-8")
    (folder / "timestamp.txt").write_text(TIMESTAMP + "\n", encoding="utf-8")
    return folder


def install(course_root, source=None):
    """Copy the committed examples into `<course_root>/submitted/`; return that folder.

    `source` is the course holding `examples/` (default: this repository). A student
    folder that already exists in submitted/ is an error, so no class's work is mixed
    with or overwritten by an example.
    """
    source = source or Course()
    submitted = Course(course_root).submitted
    submitted.mkdir(parents=True, exist_ok=True)
    for student in sorted(p for p in source.examples.iterdir() if p.is_dir()):
        if (submitted / student.name).exists():
            raise FileExistsError(f"expected no {submitted / student.name} before copying "
                                  f"the example {student.name!r} there, found one")
        shutil.copytree(student, submitted / student.name)
    return submitted


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report drift, write nothing")
    args = parser.parse_args(argv)
    course = Course()
    if not args.check:
        for example in EXAMPLES:
            print(f"wrote {write(example, course.examples).relative_to(course.root)}")
        return 0
    import tempfile

    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for example in EXAMPLES:
            fresh = write(example, tmp)
            committed = course.examples / example.student / example.assignment
            for path in fresh.iterdir():
                other = committed / path.name
                if not other.exists() or other.read_bytes() != path.read_bytes():
                    stale.append(other.relative_to(course.root))
    for path in stale:
        print(f"out of date: {path} (run python -m dnncourse.authoring.examples)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
