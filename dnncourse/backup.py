"""Copies of a course's SQLite gradebook, made with SQLite's backup API.

The backup API copies a consistent state even while a grading process writes, which a file
copy does not. A gradebook on another database (the hub's PostgreSQL) is backed up with
that database's own tools (docs/deployment.md), so these functions return None for it.
"""

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


def sqlite_file(course):
    """Return the path of `course`'s SQLite gradebook file, or None for another database."""
    url = make_url(course.gradebook_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    return Path(url.database)


def copy_gradebook(course, target):
    """Copy `course`'s SQLite gradebook to the file `target`; return it, or None when the
    course has no SQLite gradebook file (not made yet, or another database)."""
    database = sqlite_file(course)
    if database is None or not database.exists():
        return None
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(database) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target
