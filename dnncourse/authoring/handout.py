"""Handouts: per assignment, what a student may have, as a folder and a zip.

`python -m dnncourse.authoring.handout [ASSIGNMENT ...]` writes `handouts/<assignment>/`
and `handouts/<assignment>.zip` (which unpacks into `<assignment>/`) from the release, never
from source/: the release folder as nbgrader made it, the data files the catalogue names
(DATA_FILES, in `data/` beside the notebook, where the notebook looks first), the pinned
packages a student installs (the lines of this repository's requirements.txt), the
student's instructions (README.md: the README's "For students" section) and a student-side
nbgrader_config.py. Nothing of source/, the examples or dnncourse/ goes in. An assignment
that builds on another ships that one's reference answers (dnn_blocks.py): hand it out
only after the other's deadline.
"""

import argparse
import shutil
import sys
import zipfile
from pathlib import Path

from dnncourse.course import REPOSITORY, parse_command_line

# Without a hub there is no exchange: nbgrader's Assignments tab looks for released
# assignments under Exchange.root and shows an error when that folder does not exist. The
# handout folder itself exists and holds no released assignment, so the tab stays empty
# and quiet; Validate works as usual. nbgrader reads this file when JupyterLab starts in
# the handout folder.
STUDENT_CONFIG = '''"""nbgrader settings for this assignment on your own computer (no hub)."""

import os

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

# No exchange without a hub: the Assignments tab looks here, finds nothing, and stays quiet.
c.Exchange.root = os.path.dirname(os.path.abspath(__file__))
'''
IGNORED = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc")


def student_section(readme=REPOSITORY / "README.md"):
    """Return the README's "## For students" section (the heading up to the next one)."""
    lines = Path(readme).read_text(encoding="utf-8").splitlines()
    try:
        start = lines.index("## For students")
    except ValueError:
        raise ValueError(f"expected a '## For students' section in {readme}, found none") from None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))
    return "\n".join(lines[start:end]).strip() + "\n"


# Packages of requirements.txt that only the grader's side uses (the grading job, the
# feedback pages); a student's notebook and nbgrader's Validate need none of them.
GRADER_ONLY = ("dask", "distributed", "psutil", "latex2mathml")


def student_requirements(requirements=REPOSITORY / "requirements.txt"):
    """Return the pinned packages a student installs: grading's requirements but those only
    the grader's side uses."""
    lines = Path(requirements).read_text(encoding="utf-8").splitlines()
    pins = [line for line in lines if line.strip() and not line.startswith("#")
            and line.split("==")[0] not in GRADER_ONLY]
    return ("# What this assignment needs, pinned: pip install -r requirements.txt\n"
            + "\n".join(pins) + "\n")


def write(course, assignment_id, out):
    """Write `out/<assignment>/` and `out/<assignment>.zip`; return (folder, zip path)."""
    assignment = course.assignment(assignment_id)
    release = course.release / assignment_id
    course.release_notebook(assignment_id)  # fails, naming the folder, without a release
    folder = Path(out) / assignment_id
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(release, folder, ignore=IGNORED)
    data_files = tuple(getattr(course.catalogue(assignment.id), "DATA_FILES", ()))
    for name in data_files:
        source = course.data / name
        if not source.is_file():
            raise FileNotFoundError(f"{assignment_id} needs the data file {source}, "
                                    "which does not exist")
        (folder / "data").mkdir(exist_ok=True)
        shutil.copy2(source, folder / "data" / name)
    (folder / "requirements.txt").write_text(student_requirements(), encoding="utf-8")
    (folder / "nbgrader_config.py").write_text(STUDENT_CONFIG, encoding="utf-8")
    (folder / "README.md").write_text(student_section(), encoding="utf-8")
    archive = Path(out) / f"{assignment_id}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, path.relative_to(folder.parent).as_posix())
    return folder, archive


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    args, course = parse_command_line(parser, argv)
    for assignment_id in args.assignments or course.assignment_ids:
        folder, archive = write(course, assignment_id, course.handouts)
        print(f"wrote {folder.relative_to(course.root)}/ and {archive.relative_to(course.root)}")
        if course.assignment(assignment_id).builds_on:
            print(f"  {archive.name} holds the reference answers of "
                  f"{course.assignment(assignment_id).builds_on} (dnn_blocks.py): hand it out "
                  "after that assignment's deadline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
