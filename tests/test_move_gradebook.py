"""deploy/move-gradebook copies a graded SQLite gradebook into a fresh PostgreSQL one."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT, copy_course
from pgtemp import ScratchPostgres, server_bindir

from dnncourse.job import runner

pytestmark = pytest.mark.slow


@pytest.mark.skipif(server_bindir() is None, reason="PostgreSQL's server is not installed")
def test_grades_survive_the_move_to_postgresql(tmp_path, monkeypatch):
    monkeypatch.delenv("DNNCOURSE_DB_URL", raising=False)
    course = copy_course(tmp_path / "course", items=("nbgrader_config.py", "catalogue",
                                                     "submitted"))
    shutil.copytree(ROOT / "source" / "step_by_step", course / "source" / "step_by_step")
    for student in list((course / "submitted").iterdir()):
        if student.name != "correct":
            shutil.rmtree(student)
    runner.run(course, jobs=1, out=lambda _line: None)

    # The server runs as `postgres` under root: its folder must be open to that user, which
    # pytest's 0700 temporary folders are not.
    scratch = Path(tempfile.mkdtemp(prefix="dnncourse-move-", dir="/var/tmp"))
    scratch.chmod(0o755)
    try:
        move_and_check(course, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def move_and_check(course, scratch):
    with ScratchPostgres(scratch / "pg") as server:
        target = server.create_database("deep_nn", "root" if os.geteuid() == 0
                                        else os.environ.get("USER", "postgres"))
        moved = subprocess.run([sys.executable, str(ROOT / "deploy" / "move-gradebook"),
                                f"sqlite:///{course / 'gradebook.db'}", target],
                               capture_output=True, text=True)
        assert moved.returncode == 0, f"expected the move to succeed, got:\n{moved.stderr}"

        from nbgrader.api import Gradebook

        with Gradebook(target, course_id="deep-nn") as gradebook:
            score = gradebook.find_submission("step_by_step", "correct").score
            grades = len(gradebook.find_submission("step_by_step", "correct").notebooks[0].grades)
        assert score == 100.0, f"expected 100 points after the move, got {score}"
        assert grades > 0, "expected the per-cell grades moved too, got none"
