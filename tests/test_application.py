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


def test_source_passes_every_test_with_full_points(monkeypatch):
    # the grading mode shortens the ungraded full-data runs; the tests do not use them
    monkeypatch.setenv("DNN_COURSE_GRADING", "1")
    assert validate(NOTEBOOK) == {}


def test_grading_mode_shortens_only_the_full_data_runs(app_utils, monkeypatch):
    monkeypatch.delenv("DNN_COURSE_GRADING", raising=False)
    assert app_utils.full_run_iterations(2500) == 2500
    monkeypatch.setenv("DNN_COURSE_GRADING", "1")
    assert app_utils.full_run_iterations(2500) == 5
    text = NOTEBOOK.read_text(encoding="utf-8")
    assert text.count("full_run_iterations(") == 2, "only the two full-data runs use it"
    public = (NOTEBOOK.parent / "public_tests.py").read_text()
    assert "full_run_iterations" not in public and "DNN_COURSE_GRADING" not in public
