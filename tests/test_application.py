"""The application: our data set, its loader, the source notebook and its training figures."""

import importlib.util
import re
import sys

import h5py
import nbformat
import numpy as np
import pytest
from conftest import validate
from nbclient import NotebookClient

from dnncourse.course import Course

REPO = Course()  # this repository's course

NOTEBOOK = REPO.notebook(REPO.source, "application")
CLASSES = np.array([b"non-cat", b"cat"], dtype="S7")
NUMBER = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?")


def _module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def app_utils():
    sys.path.insert(0, str(NOTEBOOK.parent))
    try:
        yield _module("app_utils_under_test", NOTEBOOK.parent / "app_utils.py")
    finally:
        sys.path.remove(str(NOTEBOOK.parent))


# ----------------------------------------------------------------------------
# The data set
# ----------------------------------------------------------------------------

def test_shipped_files_follow_the_original_schema():
    for split, count, cats in (("train", 209, 72), ("test", 50, 33)):
        with h5py.File(REPO.data / f"{split}_catvnoncat.h5", "r") as handle:
            assert sorted(handle) == sorted([f"{split}_set_x", f"{split}_set_y", "list_classes"])
            x, y = handle[f"{split}_set_x"], handle[f"{split}_set_y"]
            assert x.shape == (count, 64, 64, 3) and x.dtype == np.uint8, (x.shape, x.dtype)
            assert y.shape == (count,) and y.dtype == np.int64, (y.shape, y.dtype)
            assert np.array_equal(handle["list_classes"][:], CLASSES)
            assert int(y[:].sum()) == cats, f"{split}: {int(y[:].sum())} cats, expected {cats}"


def test_generator_reproduces_the_shipped_files_exactly():
    generator = _module("make_catvnoncat", REPO.data / "make_catvnoncat.py")
    arrays = generator.generate()
    for split in ("train", "test"):
        with h5py.File(REPO.data / f"{split}_catvnoncat.h5", "r") as handle:
            for key in (f"{split}_set_x", f"{split}_set_y", "list_classes"):
                assert np.array_equal(arrays[key], handle[key][:]), (
                    f"{key} differs from data/{split}_catvnoncat.h5: run "
                    "python data/make_catvnoncat.py and commit the files"
                )
                assert arrays[key].dtype == handle[key].dtype, key


# ----------------------------------------------------------------------------
# The loader
# ----------------------------------------------------------------------------

def _write(folder, split, count, x=None, y=None, drop=None):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(count)
    data = {f"{split}_set_x": rng.integers(0, 256, (count, 64, 64, 3), dtype=np.uint8)
            if x is None else x,
            f"{split}_set_y": rng.integers(0, 2, count).astype(np.int64) if y is None else y,
            "list_classes": CLASSES}
    with h5py.File(folder / f"{split}_catvnoncat.h5", "w") as handle:
        for key, value in data.items():
            if key != drop:
                handle[key] = value


def test_loader_reads_original_schema_files_and_closes_them(app_utils, tmp_path, monkeypatch):
    _write(tmp_path, "train", 11)
    _write(tmp_path, "test", 4)
    monkeypatch.setenv("CATVNONCAT_DATA", str(tmp_path))
    train_x, train_y, test_x, test_y, classes = app_utils.load_data()
    assert train_x.shape == (11, 64, 64, 3) and train_y.shape == (1, 11)
    assert test_x.shape == (4, 64, 64, 3) and test_y.shape == (1, 4)
    assert np.array_equal(classes, CLASSES)
    # h5py refuses to truncate a file that is still open: this proves both were closed
    _write(tmp_path, "train", 3)
    _write(tmp_path, "test", 2)


def test_loader_finds_the_shipped_data_from_any_working_directory(app_utils, tmp_path,
                                                                  monkeypatch):
    monkeypatch.delenv("CATVNONCAT_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    train_x, _, _, test_y, _ = app_utils.load_data()
    assert train_x.shape == (209, 64, 64, 3) and test_y.shape == (1, 50)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"drop": "train_set_y"}, "train_set_y' is missing"),
        ({"x": np.zeros((5, 32, 32, 3), np.uint8)}, r"train_set_x' has shape \(5, 32, 32, 3\)"),
        ({"x": np.zeros((5, 64, 64, 3), np.float32)}, "dtype float32"),
        ({"y": np.zeros(4, np.int64)}, "5 pictures but 4 labels"),
    ],
)
def test_loader_rejects_malformed_files_naming_the_problem(app_utils, tmp_path, monkeypatch,
                                                           change, message):
    _write(tmp_path, "train", 5, **change)
    _write(tmp_path, "test", 4)
    monkeypatch.setenv("CATVNONCAT_DATA", str(tmp_path))
    with pytest.raises(ValueError, match=message):
        app_utils.load_data()


def test_loader_rejects_a_file_that_is_not_hdf5(app_utils, tmp_path, monkeypatch):
    _write(tmp_path, "test", 4)
    (tmp_path / "train_catvnoncat.h5").write_text("not a data file")
    monkeypatch.setenv("CATVNONCAT_DATA", str(tmp_path))
    with pytest.raises(ValueError, match=r"train_catvnoncat\.h5 is not a readable HDF5 file"):
        app_utils.load_data()


def test_missing_data_names_the_files_and_the_expected_contents(app_utils, tmp_path,
                                                                monkeypatch):
    copy = tmp_path / "app_utils.py"
    copy.write_text((NOTEBOOK.parent / "app_utils.py").read_text())
    monkeypatch.delenv("CATVNONCAT_DATA", raising=False)
    lonely = _module("app_utils_elsewhere", copy)  # no data/ above tmp_path
    with pytest.raises(FileNotFoundError) as error:
        lonely.load_data()
    text = str(error.value)
    for expected in ("train_catvnoncat.h5", "test_catvnoncat.h5", "CATVNONCAT_DATA",
                     "train_set_x (N, 64, 64, 3) uint8", "list_classes (2,) bytes"):
        assert expected in text, f"the message lacks {expected!r}: {text}"


# ----------------------------------------------------------------------------
# The notebook
# ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def executed():
    """The source notebook executed top to bottom (full training, about a minute)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return nb


def _printed(nb, grade_id):
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def _accuracy(nb, grade_id):
    return float(re.search(r"Accuracy: ([0-9.]+)", _printed(nb, grade_id)).group(1))


def test_reference_models_meet_the_difficulty_targets(executed):
    two_train = _accuracy(executed, "two_layer_train_accuracy")
    two_test = _accuracy(executed, "two_layer_test_accuracy")
    deep_train = _accuracy(executed, "L_layer_train_accuracy")
    deep_test = _accuracy(executed, "L_layer_test_accuracy")
    figures = f"two-layer {two_train}/{two_test}, L-layer {deep_train}/{deep_test}"
    assert 0.65 <= two_test <= 0.80, figures
    assert deep_test >= two_test + 0.05 - 1e-9 and deep_test <= 0.92, figures
    assert two_train >= 0.95 and deep_train >= 0.95, figures


def test_training_output_matches_the_expected_tables(executed):
    cells = executed.cells
    for grade_id, table_after in (("train_two_layer", "two_layer_test_accuracy"),
                                  ("train_L_layer", "L_layer_test_accuracy")):
        printed = _printed(executed, grade_id)
        index = next(i for i, c in enumerate(cells)
                     if c.metadata.get("nbgrader", {}).get("grade_id") == table_after)
        table = cells[index + 1].source
        assert "Expected output" in table, grade_id
        for line in printed.splitlines():
            match = re.match(r"Cost after iteration (\d+): (\S+)", line)
            if match and f"iteration {match.group(1)}**" in table:
                expected = re.search(rf"iteration {match.group(1)}\*\* \| (\S+)", table).group(1)
                assert np.isclose(float(match.group(2)), float(expected), rtol=1e-9), (
                    f"{grade_id}: cost at iteration {match.group(1)} is {match.group(2)}, "
                    f"the table says {expected}"
                )
        assert printed.count("Cost after iteration") == 26, printed  # 0, 100, ..., 2400, 2499


def test_small_examples_print_the_expected_first_cost(executed):
    for grade_id in ("demo_two_layer_model", "demo_L_layer_model"):
        index = next(i for i, c in enumerate(executed.cells)
                     if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
        expected = NUMBER.findall(executed.cells[index + 1].source)
        assert NUMBER.findall(_printed(executed, grade_id)) == expected, grade_id


def test_no_cell_fails_or_writes_to_stderr(executed):
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"cell {cell.id} raised {output.ename}"
            assert output.get("name") != "stderr", f"cell {cell.id} wrote to stderr: {output.text}"


def test_validate_runs_every_cell_within_the_cell_limit_and_passes(monkeypatch):
    """What a student's Validate does: nbgrader's own limit per cell, nothing interrupted."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)  # nbgrader sets it itself
    # validate_all also reports an error in a cell that is not graded, such as a training
    # cell interrupted at the time limit: Validate used to say "Success!" after that.
    result = validate(NOTEBOOK, validate_all=True)
    assert result == {}, f"expected Validate to pass every cell of the source, got {result}"


@pytest.mark.parametrize(("mode", "iterations"),
                         [(None, 2500), ("validate", 5), ("autograde", 5), ("other", 2500)])
def test_nbgrader_runs_shorten_only_the_full_data_runs(app_utils, monkeypatch, mode,
                                                       iterations):
    if mode is None:
        monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    else:
        monkeypatch.setenv("NBGRADER_EXECUTION", mode)
    assert app_utils.full_run_iterations(2500) == iterations


def test_only_the_two_full_data_runs_are_shortened():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    users = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells
             if c.cell_type == "code" and "full_run_iterations(" in c.source]
    assert users == ["train_two_layer", "train_L_layer"], (
        f"expected only the two full-data runs to call full_run_iterations, got {users}")
    public = (NOTEBOOK.parent / "public_tests.py").read_text()
    assert "full_run_iterations" not in public and "NBGRADER_EXECUTION" not in public


# ----------------------------------------------------------------------------
# The notebook's text against what the code measures
# ----------------------------------------------------------------------------

def _cell(nb, cell_id):
    return next(c for c in nb.cells if c.id == cell_id)


def _table_after(nb, cell_id):
    """The markdown cell that follows the cell `cell_id` (its Expected output table)."""
    index = next(i for i, c in enumerate(nb.cells) if c.id == cell_id)
    table = nb.cells[index + 1]
    assert table.cell_type == "markdown" and "Expected output" in table.source, cell_id
    return table.source


def _words(text):
    """`text` with every run of white space made one space, as a reader sees it."""
    return " ".join(text.split())


def _printed_by_id(nb, cell_id):
    return "".join(o.get("text", "") for o in _cell(nb, cell_id).outputs
                   if o.output_type == "stream")


@pytest.mark.parametrize("cell_id", ["initialization-scales", "shifted-pictures"])
def test_added_cells_print_their_expected_output(executed, cell_id):
    printed = NUMBER.findall(_printed_by_id(executed, cell_id))
    expected = NUMBER.findall(_table_after(executed, cell_id).split("\n\n", 2)[1])
    assert printed == expected, f"{cell_id} printed {printed}, its table says {expected}"


def test_the_training_text_names_the_iterations_where_a_correct_cost_goes_up(executed):
    for grade_id, text_id in (("train_two_layer", "text-09"), ("train_L_layer", "text-15")):
        costs = [(int(i), float(c)) for i, c in
                 re.findall(r"Cost after iteration (\d+): (\S+)", _printed(executed, grade_id))]
        ups = [i for (i, cost), (_, before) in zip(costs[1:], costs) if cost > before]
        text = _words(_cell(executed, text_id).source)
        said = re.search(r"goes up at iterations? ([\d, and]+\d)", text)
        assert said, f"{text_id} should say where the printed cost goes up: at {ups}"
        assert [int(n) for n in re.findall(r"\d+", said.group(1))] == ups, (
            f"{text_id} says the cost goes up at {said.group(1)}; the run goes up at {ups}")
    assert "stays at about 0.693" in _cell(executed, "text-09").source
    assert round(np.log(2), 3) == 0.693  # the cost of answering 0.5 for every picture


def test_the_initialization_text_states_the_measured_spreads(executed):
    lines = _printed_by_id(executed, "initialization-scales").splitlines()
    small = [float(n) for n in lines[0].split("=")[1].split(",")]
    scaled = [float(n) for n in lines[1].split("=")[1].split(",")]
    text = _words(_table_after(executed, "initialization-scales"))
    assert f"({small[0]:.2g} against {scaled[0]:.2g})" in text, text
    assert f"down to {small[-1]:.2g} at the output" in text, text
    assert all(0.1 <= s <= 0.5 for s in scaled) and "between 0.1 and 0.5" in text, scaled
    assert small == sorted(small, reverse=True), "with 0.01 every layer shrinks the signal"


def test_the_initialization_text_states_what_training_from_small_weights_gives(app_utils):
    """About 40 s: 2500 iterations of the four-layer network from weights scaled by 0.01."""
    import dnn_blocks as blocks  # beside app_utils, on the path the fixture set

    train_x, train_y, _, _, _ = app_utils.load_data()
    X = train_x.reshape(train_x.shape[0], -1).T / 255.
    dims = [12288, 20, 7, 5, 1]
    np.random.seed(1)
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = np.random.randn(dims[l], dims[l - 1]) * 0.01
        parameters[f"b{l}"] = np.zeros((dims[l], 1))
    AL, _ = blocks.L_model_forward(X, parameters)
    start = np.round(AL, 4)
    for _ in range(2500):
        AL, caches = blocks.L_model_forward(X, parameters)
        cost = float(blocks.compute_cost(AL, train_y))
        grads = blocks.L_model_backward(AL, train_y, caches)
        parameters = blocks.update_parameters(parameters, grads, 0.0075)
    cats = train_y.mean()
    prior_cost = -(cats * np.log(cats) + (1 - cats) * np.log(1 - cats))
    text = _words(_cell(nbformat.read(NOTEBOOK, as_version=4), "text-initialization-scales").source)
    assert np.all(start == 0.5) and "0.5000 (to four decimals) for every picture" in text
    assert not np.any(AL > 0.5), "it should answer non-cat for every picture"
    assert f"right for {1 - cats:.2f} of the training pictures" in text, text
    assert abs(cost - prior_cost) < 1e-3 and f"cost ends at {cost:.3f}" in text, (cost, text)
    assert f"{int(train_y.sum())}/{train_y.shape[1]}" in text


def test_the_comparison_states_the_measured_accuracies(executed):
    two_test = _accuracy(executed, "two_layer_test_accuracy")
    deep_test = _accuracy(executed, "L_layer_test_accuracy")
    text = _words(_table_after(executed, "L-layer-test-accuracy"))
    assert (f"right on {round(deep_test * 50)} of the 50 test pictures; the two-layer one on "
            f"{round(two_test * 50)}") in text, text
    shifted = float(re.search(r"Accuracy: ([0-9.]+)", _printed_by_id(executed,
                                                                  "shifted-pictures")).group(1))
    assert round(4 * (1 - shifted)) == 1 and "wrong one time in four" in _words(
        _table_after(executed, "shifted-pictures"))


def test_mislabeled_pictures_are_counted_as_the_text_says(executed):
    printed = _printed_by_id(executed, "mislabeled").strip()
    assert printed in _table_after(executed, "mislabeled"), printed
    wrong = round((1 - _accuracy(executed, "L_layer_test_accuracy")) * 50)
    assert printed.startswith(f"{wrong} of the 50 pictures are mislabeled"), printed


def test_the_own_picture_cell_prints_a_probability_not_an_accuracy(executed):
    printed = _printed_by_id(executed, "own-picture")
    assert "Accuracy" not in printed, printed
    assert re.search(r'says "(cat|non-cat)": it gives this picture a probability of '
                     r"[01]\.\d\d of showing a cat\.", printed), printed


def test_own_pictures_keep_their_aspect_ratio(app_utils, tmp_path):
    from PIL import Image

    # 300 x 100: a blue square in the middle between red margins, as a wide photograph.
    wide = np.zeros((100, 300, 3), np.uint8)
    wide[:, :, 0] = 255
    wide[:, 100:200] = (0, 0, 255)
    Image.fromarray(wide).save(tmp_path / "wide.png")
    x, picture = app_utils.load_picture(tmp_path / "wide.png")
    assert x.shape == (12288, 1) and picture.shape == (64, 64, 3)
    assert np.all(picture[..., 2] > 200) and np.all(picture[..., 0] < 60), (
        "expected only the blue middle square; the picture was stretched or not centred")
    assert np.allclose(x, picture.reshape(-1, 1) / 255.0)


def test_own_pictures_are_turned_upright(app_utils, tmp_path):
    from PIL import Image

    # A phone's picture stored on its side, with EXIF orientation 6 (turn 90 degrees
    # clockwise to show it): the top half of what it shows is white.
    stored = np.zeros((80, 80, 3), np.uint8)
    stored[:, :40] = 255  # the left half as stored becomes the top half once turned
    image = Image.fromarray(stored)
    exif = image.getexif()
    exif[0x0112] = 6
    image.save(tmp_path / "phone.jpg", exif=exif, quality=95)
    _, picture = app_utils.load_picture(tmp_path / "phone.jpg")
    assert picture[:24].mean() > 200 and picture[40:].mean() < 50, (
        "expected the picture turned upright, white on top")
