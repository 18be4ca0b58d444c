"""`python -m dnncourse.demo`: grade the example submissions in a scratch course, `demo/`.

A fresh clone has no class yet (`submitted/` holds a term's work and git ignores it), so
this is how a newcomer sees grading work: it copies the course material and the examples
(examples/) into `demo/`, replacing an earlier demo, and runs the documented grading
command there. The repository's own gradebook and submissions are never touched.
"""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from dnncourse.authoring import examples
from dnncourse.course import Course


def build(dest, source=None):
    """Make `dest` a scratch course holding the material of `source` and the examples."""
    source = source or Course()
    if dest.exists():
        shutil.rmtree(dest)
    course = source.copy_material(dest)
    examples.install(course.root, source)
    return course


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", default=None,
                        help="scratch course to make (default: demo/ in this repository)")
    args, grade_args = parser.parse_known_args(argv)
    source = Course()
    dest = source.root / "demo" if args.dest is None else Path(args.dest).resolve()
    course = build(dest, source)
    print(f"grading the example submissions in the scratch course {course.root}")
    command = [sys.executable, "-m", "dnncourse.grade", "--course-dir", str(course.root),
               *grade_args]
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
