"""Data loading, prediction and pictures for the cat / non-cat application.

Pictures are 64 x 64 RGB; once flattened, every picture is one column (12288 values).
The data files are looked up, in order: in the folder named by the environment variable
CATVNONCAT_DATA, in `data/` beside this file, then in `data/` of every parent folder, so
the notebook works from source/, release/ or autograded/ without copies of the data.
"""

import os
from pathlib import Path

import h5py
import numpy as np
from dnn_blocks import L_model_forward

# name -> (dataset key, expected shape (None = any count), dtype kind) for each file
SCHEMA = {
    "train_catvnoncat.h5": {"train_set_x": ((None, 64, 64, 3), "u"),
                            "train_set_y": ((None,), "iu"),
                            "list_classes": ((2,), "S")},
    "test_catvnoncat.h5": {"test_set_x": ((None, 64, 64, 3), "u"),
                           "test_set_y": ((None,), "iu"),
                           "list_classes": ((2,), "S")},
}
# nbgrader sets this variable to "validate" or "autograde" while it runs a notebook.
NBGRADER_ENV = "NBGRADER_EXECUTION"
SHORT_RUN_ITERATIONS = 5


KIND_NAMES = {"u": "uint8", "iu": "integers", "S": "bytes"}


def _shape_text(shape):
    """(None, 64) -> '(N, 64)'; (2,) -> '(2,)'."""
    parts = ["N" if n is None else str(n) for n in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def _schema_text(name):
    return ", ".join(f"{key} {_shape_text(shape)} {KIND_NAMES[kinds]}"
                     for key, (shape, kinds) in SCHEMA[name].items())


def data_dir():
    """Return the folder that holds both data files, or raise FileNotFoundError naming them."""
    here = Path(__file__).resolve().parent
    candidates = []
    if os.environ.get("CATVNONCAT_DATA"):
        candidates.append(Path(os.environ["CATVNONCAT_DATA"]))
    candidates += [folder / "data" for folder in (here, *here.parents)]
    for folder in candidates:
        if all((folder / name).is_file() for name in SCHEMA):
            return folder
    missing = ", ".join(SCHEMA)
    raise FileNotFoundError(
        f"cannot find the data files {missing}: looked in {', '.join(map(str, candidates[:3]))}"
        " and the data/ folder of every parent folder. Copy them into a data/ folder next to"
        " the notebook, or set CATVNONCAT_DATA to their folder. Expected contents: "
        + "; ".join(f"{name}: {_schema_text(name)}" for name in SCHEMA)
    )


def _read(path):
    """Read and check one data file; return its arrays by key."""
    expected = SCHEMA[path.name]
    try:
        with h5py.File(path, "r") as handle:
            arrays = {}
            for key, (shape, kinds) in expected.items():
                if key not in handle:
                    raise ValueError(f"{path}: dataset {key!r} is missing; expected "
                                     f"{_schema_text(path.name)}")
                array = handle[key][:]
                shape_ok = len(array.shape) == len(shape) and all(
                    want is None or want == got for want, got in zip(shape, array.shape))
                if not shape_ok or array.dtype.kind not in kinds:
                    raise ValueError(
                        f"{path}: dataset {key!r} has shape {array.shape} and dtype "
                        f"{array.dtype}; expected shape {_shape_text(shape)} of "
                        f"{KIND_NAMES[kinds]}")
                arrays[key] = array
    except OSError as exc:
        raise ValueError(f"{path} is not a readable HDF5 file ({exc})") from exc
    prefix = path.name.split("_")[0]
    x, y = arrays[f"{prefix}_set_x"], arrays[f"{prefix}_set_y"]
    if len(x) != len(y):
        raise ValueError(f"{path}: {len(x)} pictures but {len(y)} labels")
    return arrays


def load_data():
    """Load the cat / non-cat pictures.

    Returns:
    train_x_orig -- training pictures, shape (m_train, 64, 64, 3), uint8
    train_y -- training labels (1 = cat, 0 = non-cat), shape (1, m_train)
    test_x_orig -- test pictures, shape (m_test, 64, 64, 3), uint8
    test_y -- test labels, shape (1, m_test)
    classes -- class names, shape (2,), bytes: [b'non-cat', b'cat']
    """
    folder = data_dir()
    train = _read(folder / "train_catvnoncat.h5")
    test = _read(folder / "test_catvnoncat.h5")
    train_y = train["train_set_y"].reshape(1, -1)
    test_y = test["test_set_y"].reshape(1, -1)
    return train["train_set_x"], train_y, test["test_set_x"], test_y, train["list_classes"]


def full_run_iterations(iterations):
    """Return `iterations`, or 5 while nbgrader validates or autogrades the notebook.

    The two training runs on the full data set are not graded (the tests use small inputs)
    and can take longer than one cell may run under Validate and autograding, above all on
    a busy machine, so nbgrader's runs shorten them; a student running the cells gets the
    full runs.
    """
    if os.environ.get(NBGRADER_ENV) in ("validate", "autograde"):
        return SHORT_RUN_ITERATIONS
    return iterations


def predict(X, y, parameters):
    """Predict labels with an L-layer network and print the accuracy.

    Arguments:
    X -- pictures as columns, shape (12288, m)
    y -- true labels, shape (1, m)
    parameters -- trained parameters "W1", "b1", ..., "WL", "bL"

    Returns:
    p -- predictions, 0 or 1, shape (1, m)
    """
    probabilities, _ = L_model_forward(X, parameters)
    p = (probabilities > 0.5).astype(float)
    print("Accuracy: " + str(np.mean(p == y)))
    return p


def show_mislabeled(classes, X, y, p, limit=12):
    """Print how many pictures are mislabeled and draw them (at most `limit`).

    Arguments:
    classes -- class names, shape (2,), bytes
    X -- pictures as columns, shape (12288, m)
    y -- true labels, shape (1, m)
    p -- predictions, shape (1, m)
    limit -- at most this many pictures are drawn
    """
    import matplotlib.pyplot as plt

    wrong = np.flatnonzero(p[0] != y[0])
    missed_cats = int(np.sum(y[0, wrong] == 1))
    print(f"{len(wrong)} of the {y.shape[1]} pictures are mislabeled: {missed_cats} cats "
          f"called non-cat, {len(wrong) - missed_cats} non-cats called cat.")
    wrong = wrong[:limit]
    if len(wrong) == 0:
        return
    fig, axes = plt.subplots(1, len(wrong), figsize=(1.6 * len(wrong), 2.2), squeeze=False)
    for ax, index in zip(axes[0], wrong):
        ax.imshow(X[:, index].reshape(64, 64, 3))
        ax.set_title(f"said {classes[int(p[0, index])].decode()}\n"
                     f"is {classes[int(y[0, index])].decode()}", fontsize=8)
        ax.axis("off")
    fig.tight_layout()
    plt.show()


def load_picture(path, size=64):
    """Load a PNG or JPEG picture of any size as one column for the network.

    The picture is turned upright (phones store some pictures rotated, with a note in their
    EXIF data), cut to the largest centred square and resized to `size` x `size`, so that
    nothing is stretched: the network only ever saw square pictures.

    Arguments:
    path -- file name of the picture
    size -- side of the square the network takes, 64

    Returns:
    x -- the picture, values in [0, 1], shape (size * size * 3, 1)
    picture -- the square picture, shape (size, size, 3), uint8, for display
    """
    from PIL import Image, ImageOps  # Pillow comes with matplotlib

    with Image.open(path) as image:
        upright = ImageOps.exif_transpose(image).convert("RGB")
        square = ImageOps.fit(upright, (size, size), method=Image.Resampling.BICUBIC,
                              centering=(0.5, 0.5))
    picture = np.asarray(square, dtype=np.uint8)
    return picture.reshape(-1, 1) / 255.0, picture
