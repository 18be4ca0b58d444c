"""Fingerprints of what decides a grade: a submission, and the grader of one assignment.

A grade depends on the submitted notebook and its timestamp, and on the grader's side on
the course's nbgrader_config.py, the assignment's catalogue and source folder (reference
answers, shipped helpers), the source of the assignment it builds on, the course data it
reads and the grading code itself (this package's grader, kernel and shipped modules).
The grading job re-grades a submission when either fingerprint changed, and a grading
worker refuses a task whose grader fingerprint differs from its own course's.
"""

import hashlib
from pathlib import Path

import dnncourse

# Parts of the dnncourse package whose code decides grades.
GRADING_PACKAGES = ("grader", "kernel", "shipped")
SKIPPED = ("__pycache__", ".ipynb_checkpoints")


def _files(top):
    """Every file under `top` (or `top` itself), in a stable order, caches left out."""
    top = Path(top)
    if top.is_file():
        return [top]
    return sorted(p for p in top.rglob("*")
                  if p.is_file() and not any(part in SKIPPED for part in p.parts))


def _digest(items):
    """sha256 over (label, path) pairs: each file's path relative to its label and bytes."""
    digest = hashlib.sha256()
    for label, top in items:
        for path in _files(top):
            name = f"{label}/{path.relative_to(top)}" if Path(top).is_dir() else label
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def grader_version(course, assignment):
    """Return the fingerprint of everything on the grader's side that decides the grades of
    `assignment` in `course` (a dnncourse.course.Course)."""
    declared = course.assignment(assignment)
    package = Path(dnncourse.__file__).resolve().parent
    items = [("nbgrader_config.py", course.config),
             (f"catalogue/{assignment}", declared.catalogue),
             (f"source/{assignment}", course.source / assignment)]
    if declared.builds_on:
        items.append((f"source/{declared.builds_on}", course.source / declared.builds_on))
    for name in getattr(course.catalogue(assignment), "DATA_FILES", ()):
        items.append((f"data/{name}", course.data / name))
    items += [(f"dnncourse/{part}", package / part) for part in GRADING_PACKAGES]
    return _digest(items)


def submission_version(folder):
    """Return the fingerprint of a submission folder: its notebooks and timestamp.txt."""
    folder = Path(folder)
    kept = [path for path in sorted(folder.iterdir()) if path.is_file()
            and (path.suffix == ".ipynb" or path.name == "timestamp.txt")]
    return _digest([(path.name, path) for path in kept])
