"""A course is defined in its own folders: a third assignment is registered by adding its
catalogue and source notebook only (nothing in dnncourse/ or the Makefile), and a course
whose source differs from this repository's is graded by its own source and catalogue."""

import json
import shutil
import subprocess
import sys

import nbformat
import numpy as np
import pytest
from conftest import copy_course

from dnncourse.authoring import examples
from dnncourse.course import Course
from dnncourse.job import runner

pytestmark = pytest.mark.slow

TINY = "warmup"
NOTEBOOK = "Warmup_sigmoid_layer.ipynb"
ITEMS = ("nbgrader_config.py", "catalogue", "source", "data")


def _published():
    """The inputs of the tiny assignment's published example and its expected output."""
    rng = np.random.RandomState(4)
    A, W, b = rng.randn(3, 2), rng.randn(2, 3), rng.randn(2, 1)
    return A, W, b, 1 / (1 + np.exp(-(W @ A + b)))


PUBLIC = '''"""Visible examples and checks of the warm-up: one sigmoid layer."""

import numpy as np
from test_utils import Example, Shape, check_array, done, run_examples, unpack


def sigmoid_layer_case():
    """Return A (3, 2), W (2, 3), b (2, 1) of the published example (seed 4)."""
    rng = np.random.RandomState(4)
    return rng.randn(3, 2), rng.randn(2, 3), rng.randn(2, 1)


EXPECTED_A_OUT = np.array({expected})


def check_sigmoid_layer(name, got, expected, A, W, b):
    (A_out,) = unpack((got,), name, ("A_out",))
    check_array(name, "A_out", A_out, expected, others={{"A": A}})


def sigmoid_layer_examples():
    return [Example("", sigmoid_layer_case(), EXPECTED_A_OUT)]


def sigmoid_layer_shape_examples():
    rng = np.random.RandomState(5)
    return [Example("", (rng.randn(4, 5), rng.randn(3, 4), rng.randn(3, 1)), Shape((3, 5)))]


def sigmoid_layer_test(target):
    run_examples(target, "sigmoid_layer", sigmoid_layer_examples(), check_sigmoid_layer)
    done("sigmoid_layer")


def sigmoid_layer_shape_test(target):
    run_examples(target, "sigmoid_layer", sigmoid_layer_shape_examples(), check_sigmoid_layer)
    done("sigmoid_layer (new shapes)")
'''

HIDDEN = '''"""Hidden cases of the warm-up."""

from dnncourse.grader.catalogue import HIDDEN, Case, GradedFunction

from . import public


def sigmoid_layer_hidden(rng):
    return [Case(HIDDEN, f"on a layer of {n} units with {m} examples",
                 (rng.standard_normal((k, m)), rng.standard_normal((n, k)),
                  rng.standard_normal((n, 1))))
            for k, n, m in ((2, 1, 1), (5, 3, 7))]


FUNCTIONS = (GradedFunction("sigmoid_layer", public.check_sigmoid_layer,
                            public.sigmoid_layer_examples, public.sigmoid_layer_shape_examples,
                            sigmoid_layer_hidden),)
'''

MISTAKES = '''"""Known mistakes of the warm-up."""

from dnncourse.grader.mistakes import Mistake

MISTAKES = (Mistake("sl_no_bias", "sigmoid_layer", "the bias b left out",
                    (("np.dot(W, A) + b", "np.dot(W, A)"),), words=("A_out",)),)
'''

REGISTRATION = '''"""Catalogue of the warm-up: one sigmoid layer."""

ORDER = 3
BUILDS_ON = None
SHARED_FILES = ("dnn_utils.py", "test_utils.py")
TOTAL_POINTS = 10
'''

ANSWER = '''# GRADED FUNCTION: sigmoid_layer

def sigmoid_layer(A, W, b):
    """One layer with a sigmoid: A (n_prev, m), W (n, n_prev), b (n, 1) -> A_out (n, m)."""
    ### START CODE HERE ### (1 line)
    ### BEGIN SOLUTION
    A_out = sigmoid(np.dot(W, A) + b)[0]
    ### END SOLUTION
    ### END CODE HERE ###
    return A_out'''


def _cell(kind, source, grade_id, grade=False, solution=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    return make(source, metadata={"nbgrader": meta})


def add_tiny_assignment(course):
    """Write the warm-up's catalogue and source notebook into the course at `course`."""
    _, _, _, expected = _published()
    folder = course / "catalogue" / TINY
    folder.mkdir()
    (folder / "__init__.py").write_text(REGISTRATION, encoding="utf-8")
    (folder / "public.py").write_text(
        PUBLIC.format(expected=np.array2string(expected, separator=", ", precision=17)),
        encoding="utf-8")
    (folder / "hidden.py").write_text(HIDDEN, encoding="utf-8")
    (folder / "mistakes.py").write_text(MISTAKES, encoding="utf-8")
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}})
    nb.cells = [
        _cell("markdown", "# Warm-up: one sigmoid layer", "intro"),
        _cell("code", "import numpy as np\n\nimport public_tests as tests\n"
                      "from dnn_utils import sigmoid", "packages"),
        _cell("code", ANSWER, "solution_sigmoid_layer", solution=True),
        _cell("code", '"""Autograded (4 points): the published example."""\n'
                      "tests.sigmoid_layer_test(sigmoid_layer)",
              "test_sigmoid_layer_visible", grade=True, points=4),
        _cell("code", '"""Autograded (6 points): new shapes, and hidden cases when graded."""\n'
                      "tests.sigmoid_layer_shape_test(sigmoid_layer)",
              "test_sigmoid_layer_hidden", grade=True, points=6),
    ]
    (course / "source" / TINY).mkdir()
    nbformat.write(nb, course / "source" / TINY / NOTEBOOK)


def _run(*args, course):
    done = subprocess.run([sys.executable, "-m", *args, "--course-dir", str(course)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_a_third_assignment_is_registered_by_its_own_folders_only(tmp_path):
    course = copy_course(tmp_path / "course", items=ITEMS, examples=False)
    add_tiny_assignment(course)
    assert Course(course).assignment_ids == ("step_by_step", "application", TINY)
    _run("dnncourse.authoring.sync", course=course)
    assert "every graded test fails on the release" in _run(
        "dnncourse.authoring.release", TINY, course=course)
    assert (course / "release" / TINY / NOTEBOOK).exists()
    assert (course / "release" / TINY / "public_tests.py").exists()
    right = examples.Example("right", TINY, "the reference answer")
    wrong = examples.Example("wrong", TINY, "no bias",
                             edits={"sigmoid_layer": [("np.dot(W, A) + b", "np.dot(W, A)")]})
    for example in (right, wrong):
        examples.write(example, course / "submitted", Course(course))
    lines = []
    results = runner.run(course, out=lines.append, assignments=(TINY,))
    printed = "\n".join(lines)
    assert not results.failed, printed
    points = {r.student: r.points for r in results}
    assert points == {"right": {"sigmoid_layer": 10.0}, "wrong": {"sigmoid_layer": 0.0}}, printed
    assert "E1 = sigmoid_layer (10 points)" in printed, printed
    autograded = nbformat.read(course / "autograded" / "wrong" / TINY / NOTEBOOK, as_version=4)
    verdicts = [c.metadata["dnncourse"]["verdict"] for c in autograded.cells
                if "dnncourse" in c.metadata]
    assert [v["mistake"]["key"] for v in verdicts] == ["sl_no_bias", "sl_no_bias"], verdicts


def test_a_course_is_graded_by_its_own_source_and_catalogue(tmp_path):
    """A copy whose instructor made compute_cost the sum over the examples (no 1/m), in the
    copy's source notebook and published examples, grades this repository's answer as
    wrong there and the copy's as right: the copy's source and catalogue decide."""
    course = copy_course(tmp_path / "course", items=ITEMS, examples=False)
    for folder in ("catalogue", "source"):  # the application builds on compute_cost
        shutil.rmtree(course / folder / "application")
    path = next((course / "source" / "step_by_step").glob("*.ipynb"))
    text = path.read_text(encoding="utf-8")
    assert text.count("cost = (1 / m) * (") == 1
    path.write_text(text.replace("cost = (1 / m) * (", "cost = ("), encoding="utf-8")
    public = course / "catalogue" / "step_by_step" / "public.py"
    published = public.read_text(encoding="utf-8")
    for name, m in (("EXPECTED_COST", 3), ("EXPECTED_COST_BOTH_CLASSES", 4)):
        line = next(x for x in published.splitlines() if x.startswith(f"{name} = "))
        value = float(line.split(" = ")[1])
        published = published.replace(line, f"{name} = {value * m!r}")
    public.write_text(published, encoding="utf-8")
    _run("dnncourse.authoring.sync", course=course)
    _run("dnncourse.authoring.release", "step_by_step", course=course)
    copy = Course(course)
    theirs = examples.Example("theirs", "step_by_step", "the copy's reference answers")
    ours = examples.Example("ours", "step_by_step", "this repository's reference answers")
    examples.write(theirs, course / "submitted", copy)
    folder = examples.write(ours, course / "submitted", copy)
    notebook = next(folder.glob("*.ipynb"))
    notebook.write_text(json.dumps(examples.build_notebook(ours, Course())),
                        encoding="utf-8")  # this repository's answers, the copy's release
    results = runner.run(course, out=lambda line: None, assignments=("step_by_step",))
    points = {r.student: r.points for r in results}
    full = dict(points["theirs"])
    assert sum(full.values()) == 100, points
    assert points["ours"] == dict(full, compute_cost=0.0), points
