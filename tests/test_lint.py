"""Style: ruff finds nothing in the course tooling, tests, data scripts and source notebooks."""

import subprocess
import sys
from pathlib import Path

from dnncourse.course import Course

REPO = Course()  # this repository's course


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).parent / "ruff"
    done = subprocess.run([str(ruff), "check", "--no-cache", "."], cwd=REPO.root,
                          capture_output=True, text=True)
    assert done.returncode == 0, f"ruff check found problems:\n{done.stdout}{done.stderr}"
