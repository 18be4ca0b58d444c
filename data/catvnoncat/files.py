"""Writing the data set: the two HDF5 files in the original course's schema and the grid of
sample pictures."""

from pathlib import Path

import h5py

from .dataset import generate


def save_samples(x, y, path, rows=6, cols=8):
    """Save a grid of pictures titled with their labels as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.3, rows * 1.45))
    for ax, img, label in zip(axes.flat, x, y):
        ax.imshow(img, interpolation="nearest")
        ax.set_title(
            "cat" if label == 1 else "non-cat",
            fontsize=9,
            color="tab:red" if label == 1 else "tab:blue",
        )
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=80, metadata={"Software": None})
    plt.close(fig)


def write(out_dir: Path) -> list[Path]:
    """Generate the data and write the two HDF5 files and samples.png into out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = generate()
    paths = []
    for split in ("train", "test"):
        path = out_dir / f"{split}_catvnoncat.h5"
        with h5py.File(path, "w") as f:
            for key in (f"{split}_set_x", f"{split}_set_y"):
                f.create_dataset(
                    key,
                    data=data[key],
                    compression="gzip",
                    compression_opts=9,
                    shuffle=True,
                    track_times=False,
                )
            f.create_dataset("list_classes", data=data["list_classes"], track_times=False)
        paths.append(path)
    png = out_dir / "samples.png"
    save_samples(data["train_set_x"], data["train_set_y"], png)
    paths.append(png)
    return paths
