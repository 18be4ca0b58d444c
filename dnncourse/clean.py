"""`make clean`: move what grading wrote into a backup folder, never delete it outright.

What grading writes (autograded/, feedback/, reports/, set_aside/, regrade/) is moved into
`backups/clean-<UTC time>/`, and the SQLite gradebook is copied there (SQLite's backup API)
before its file is removed; the command prints that folder and how to put everything back.
A class's own work (submitted/, downloaded/) and the backups themselves stay where they are.
"""

import argparse
import os
import sys
from datetime import UTC, datetime

from dnncourse.backup import copy_gradebook, sqlite_file
from dnncourse.course import parse_command_line


def outputs(course):
    """The folders grading writes, as they exist now."""
    return [folder for folder in (course.autograded, course.feedback, course.reports,
                                  course.set_aside, course.regrade) if folder.exists()]


def clean(course, out=print):
    """Back up and remove `course`'s grading outputs and SQLite gradebook; return the backup
    folder, or None when there was nothing to clean."""
    database = sqlite_file(course)
    folders = outputs(course)
    has_gradebook = database is not None and database.exists()
    if not folders and not has_gradebook:
        out(f"nothing to clean in {course.root}")
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    backup = course.backups / f"clean-{stamp}"
    backup.mkdir(parents=True)
    if has_gradebook:
        copy_gradebook(course, backup / database.name)
        for suffix in ("", "-journal", "-wal", "-shm"):
            leftover = database.with_name(database.name + suffix)
            if leftover.exists():
                leftover.unlink()
    for folder in folders:
        os.rename(folder, backup / folder.name)  # same file system: a move, nothing copied
    moved = [f"{folder.name}/" for folder in folders] + ([database.name] if has_gradebook
                                                          else [])
    where = backup.relative_to(course.root)
    out(f"moved {', '.join(moved)} into {where}")
    out(f"to put them back: mv {where}/* {course.root}/")
    if database is None:
        out(f"the gradebook is not an SQLite file ({course.gradebook_url}) and was left "
            "as it is; back it up with its database's own tools")
    return backup


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    _, course = parse_command_line(parser, argv)
    clean(course)
    return 0


if __name__ == "__main__":
    sys.exit(main())
