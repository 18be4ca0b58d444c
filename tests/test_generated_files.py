"""Files kept in several places are generated, and these tests fail when a copy drifts."""

import filecmp

import numpy as np
import pytest
from conftest import ROOT, cell_text, load_notebook
from matplotlib.image import imread

from dnncourse import diagrams, examples, paths, sync
from dnncourse.stubs import placeholders


def test_shared_student_files_match_their_single_source():
    stale = sync.drifted()
    assert not stale, f"out of date copies {stale}: run python -m dnncourse.sync"


def test_committed_example_submissions_match_the_generator():
    assert examples.main(["--check"]) == 0, "submitted/ is stale: run python -m dnncourse.examples"


def test_diagrams_are_what_the_script_draws(tmp_path):
    written = diagrams.draw_all(tmp_path)
    assert len(written) == 3, f"expected 3 diagrams, got {written}"
    for path in written:
        committed = paths.SOURCE / "step_by_step" / "images" / path.name
        assert committed.exists(), f"{committed} is missing: run python -m dnncourse.diagrams"
        assert np.array_equal(imread(path), imread(committed)), (
            f"{committed.name} differs from what dnncourse/diagrams.py draws today"
        )


def test_every_image_the_notebook_shows_exists():
    notebook = paths.notebook_path(paths.SOURCE, "step_by_step")
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


def test_repository_keeps_one_copy_of_each_shared_file():
    # the only copies of dnn_utils.py are the generated ones (and their releases)
    copies = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("*/**/dnn_utils.py")
                    if ".venv" not in p.parts and "autograded" not in p.parts
                    and "feedback" not in p.parts)
    assert copies == ["dnncourse/shipped/dnn_utils.py", "release/step_by_step/dnn_utils.py",
                      "source/step_by_step/dnn_utils.py"], copies
    assert filecmp.cmp(ROOT / copies[0], ROOT / copies[1], shallow=False)
