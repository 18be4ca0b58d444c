"""Where things live in the course repository, independent of the working directory."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source"
RELEASE = ROOT / "release"
SUBMITTED = ROOT / "submitted"
AUTOGRADED = ROOT / "autograded"
FEEDBACK = ROOT / "feedback"
DATA = ROOT / "data"
SHIPPED = ROOT / "dnncourse" / "shipped"
REPORTS = ROOT / "reports"

# Assignment ids, in the order students take them.
ASSIGNMENTS = ("step_by_step", "application")


def notebook_path(folder, assignment):
    """Return the single notebook of `assignment` under `folder` (e.g. SOURCE)."""
    notebooks = sorted((folder / assignment).glob("*.ipynb"))
    if len(notebooks) != 1:
        raise FileNotFoundError(
            f"expected exactly one notebook in {folder / assignment}, found {len(notebooks)}"
        )
    return notebooks[0]


def db_url(course_dir):
    """Return the gradebook URL nbgrader uses for the course, from its nbgrader_config.py."""
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    return CourseDirectory(config=config).db_url
