"""Files kept in several places are generated, and these tests fail when a copy drifts."""

import filecmp

import numpy as np
import pytest
from conftest import ROOT, cell_text, load_notebook
from matplotlib.image import imread

from dnncourse.authoring import diagrams, examples, sync
from dnncourse.authoring.stubs import placeholders
from dnncourse.course import SHIPPED, Course

REPO = Course()  # this repository's course


def test_shared_student_files_match_their_single_source():
    stale = sync.drifted()
    assert not stale, f"out of date copies {stale}: run python -m dnncourse.authoring.sync"


def test_committed_example_submissions_match_the_generator():
    assert examples.main(["--check"]) == 0, (
        "examples/ is stale: run python -m dnncourse.authoring.examples")


def test_diagrams_are_what_the_script_draws(tmp_path):
    written = diagrams.draw_all(tmp_path)
    assert len(written) == 3, f"expected 3 diagrams, got {written}"
    for path in written:
        committed = REPO.source / "step_by_step" / "images" / path.name
        assert committed.exists(), (
            f"{committed} is missing: run python -m dnncourse.authoring.diagrams")
        assert np.array_equal(imread(path), imread(committed)), (
            f"{committed.name} differs from what dnncourse/authoring/diagrams.py draws today"
        )


def test_every_image_the_notebook_shows_exists():
    notebook = REPO.notebook(REPO.source, "step_by_step")
    text = "".join(cell_text(c) for c in load_notebook(notebook)["cells"])
    for name in ("two_layer_flow.png", "l_layer_forward.png", "l_layer_backward.png"):
        assert f"images/{name}" in text, f"the notebook does not show images/{name}"
        assert (notebook.parent / "images" / name).exists(), f"images/{name} is missing"


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        (["    dW = 1 / m * np.dot(dZ, A_prev.T)", "    db = 2"], ["dW = None", "db = None"]),
        (["A, cache = f(", "    x, y)", "caches.append(cache)"], ["A, cache = None, None"]),
        (['parameters["W" + str(l)] = g(l)'], ['parameters["W" + str(l)] = None']),
        (["caches.append(cache)"], ["pass"]),
    ],
)
def test_placeholders_name_every_assigned_variable(region, expected):
    assert placeholders(region) == expected


@pytest.mark.parametrize("name", ["dnn_utils.py", "test_utils.py", "dnn_blocks.py"])
def test_repository_keeps_only_generated_copies_of_shared_files(name):
    # every copy is a generated one in source/<assignment>/ or its release
    found = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob(f"*/**/{name}")
                   if not {".venv", "autograded", "feedback", "submitted", "examples", "handouts",
                           "demo"} & set(p.parts))
    generated = sorted(p.relative_to(ROOT).as_posix() for p in sync.generated()
                       if p.name == name)
    allowed = set(generated) | {g.replace("source/", "release/", 1) for g in generated}
    if (SHIPPED / name).exists():
        allowed.add(f"dnncourse/shipped/{name}")
    assert set(found) <= allowed, f"hand-kept copies of {name}: {sorted(set(found) - allowed)}"
    for copy in generated:
        released = ROOT / copy.replace("source/", "release/", 1)
        assert filecmp.cmp(ROOT / copy, released, shallow=False), f"{released} is stale"


def test_building_blocks_are_the_step_by_step_reference_answers():
    text = (REPO.source / "application" / "dnn_blocks.py").read_text()
    for name in ("initialize_parameters", "L_model_forward", "L_model_backward",
                 "update_parameters", "compute_cost"):
        assert f"def {name}(" in text, f"dnn_blocks.py lacks {name}"
    assert "def initialize_parameters_deep(" not in text, "the application brings its own"
    assert "### BEGIN SOLUTION" not in text and "START CODE HERE" not in text
