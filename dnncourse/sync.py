"""Copy the shared student files (dnn_utils.py, test_utils.py) into every assignment folder.

nbgrader releases only what is inside `source/<assignment>/`, so each assignment needs
its own copy; `dnncourse/shipped/` holds the single source. `--check` reports drift
without writing and exits 1 when a copy differs.
"""

import argparse
import shutil
import sys

from dnncourse import paths

SHARED_FILES = ("dnn_utils.py", "test_utils.py")


def copies():
    """Yield (source file, copy) pairs for every shared file and assignment."""
    for assignment in paths.ASSIGNMENTS:
        for name in SHARED_FILES:
            yield paths.SHIPPED / name, paths.SOURCE / assignment / name


def drifted():
    """Return the copies that are missing or differ from their source."""
    return [copy for original, copy in copies()
            if not copy.exists() or copy.read_bytes() != original.read_bytes()]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report drift, write nothing")
    args = parser.parse_args(argv)
    if args.check:
        stale = drifted()
        for copy in stale:
            print(f"out of date: {copy.relative_to(paths.ROOT)} (run python -m dnncourse.sync)")
        return 1 if stale else 0
    for original, copy in copies():
        shutil.copyfile(original, copy)
        print(f"wrote {copy.relative_to(paths.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
