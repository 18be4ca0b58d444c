"""Set-up: `make grade` installs only what grading needs, `make test` the rest, every
dependency pinned; without root the set-up names exactly what to install; `make clean`
keeps a backup."""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT, copy_course

REQUIREMENTS = ("requirements.txt", "requirements-hub.txt", "requirements-test.txt")
# What grading itself imports or runs (the notebooks' packages, the job's Dask cluster and
# psutil, the feedback pages' offline MathML); the hub's and the tests' packages stay out.
GRADING = {"nbgrader", "jupyterlab", "ipykernel", "numpy", "h5py", "matplotlib", "dask",
           "distributed", "psutil", "latex2mathml"}


def pinned(name):
    lines = [line.strip() for line in (ROOT / name).read_text().splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def dry_run(target):
    """The commands `make <target>` would run on a machine with nothing installed yet."""
    done = subprocess.run(["make", "-n", "-B", target], cwd=ROOT, text=True,
                          capture_output=True, check=True)
    return done.stdout


def test_every_python_dependency_is_pinned_once():
    seen = {}
    for name in REQUIREMENTS:
        for line in pinned(name):
            assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", line), (
                f"{name}: expected `package==version`, got {line!r}")
            package = line.split("==")[0].lower()
            assert package not in seen, f"{package} is pinned in {seen.get(package)} and {name}"
            seen[package] = name


def test_grading_requirements_hold_only_what_grading_needs():
    names = {line.split("==")[0].lower() for line in pinned("requirements.txt")}
    assert names == GRADING, f"expected grading's packages {sorted(GRADING)}, got {sorted(names)}"
    debian = set(pinned("debian-packages.txt"))
    assert debian == {"bubblewrap"}, f"expected only bubblewrap for grading, got {debian}"


def test_make_grade_installs_no_hub_browser_or_test_package():
    commands = dry_run("grade")
    for wanted in ("install-debian-packages debian-packages.txt", "-r requirements.txt",
                   "-m dnncourse.grade"):
        assert wanted in commands, f"`make grade` should run {wanted!r}:\n{commands}"
    for unwanted in ("debian-packages-hub", "debian-packages-test", "npm", "requirements-hub",
                     "requirements-test", "chromium", "postgresql"):
        assert unwanted not in commands, f"`make grade` should not touch {unwanted}:\n{commands}"


def test_make_test_installs_the_hub_the_browser_and_the_tools():
    commands = dry_run("test")
    for wanted in ("debian-packages.txt", "debian-packages-hub.txt", "debian-packages-test.txt",
                   "command -v npm >/dev/null 2>&1 || sh scripts/install-debian-packages npm",
                   "npm ci --prefix deploy", "-r requirements-hub.txt",
                   "-r requirements-test.txt", "-m pytest -n 2 --dist loadfile"):
        assert wanted in commands, f"`make test` should run {wanted!r}:\n{commands}"


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root to run the set-up script as an unprivileged user")
def test_without_root_the_set_up_says_exactly_what_to_install():
    folder = Path(tempfile.mkdtemp(prefix="dnncourse-setup-"))
    try:
        folder.chmod(0o755)
        script = shutil.copy(ROOT / "scripts" / "install-debian-packages", folder)
        listing = folder / "packages.txt"
        listing.write_text("# a comment\nbubblewrap\ndnncourse-missing-one\n")
        os.chmod(listing, 0o644)
        done = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
             "sh", script, str(listing), "dnncourse-missing-two"],
            cwd=folder, text=True, capture_output=True, env={"PATH": os.environ["PATH"]})
    finally:
        shutil.rmtree(folder)
    assert done.returncode == 1, f"expected exit status 1, got {done.returncode}: {done.stderr}"
    expected = ("apt-get install -y --no-install-recommends dnncourse-missing-one "
                "dnncourse-missing-two")
    assert expected in done.stderr, f"expected the command {expected!r}, got: {done.stderr}"
    assert "bubblewrap" not in done.stderr, "an installed package was listed as missing"


def test_make_clean_keeps_a_backup_and_says_where(tmp_path, monkeypatch):
    monkeypatch.delenv("DNNCOURSE_DB_URL", raising=False)
    course = copy_course(tmp_path / "course", items=("nbgrader_config.py",))
    with sqlite3.connect(course / "gradebook.db") as db:
        db.execute("create table grade (student text, points real)")
        db.execute("insert into grade values ('correct', 100)")
    for folder in ("autograded/correct/step_by_step", "feedback/correct", "reports"):
        (course / folder).mkdir(parents=True, exist_ok=True)
        (course / folder / "kept.txt").write_text(folder)
    submitted = sorted(p.relative_to(course) for p in (course / "submitted").rglob("*"))

    def clean():
        return subprocess.run([sys.executable, "-m", "dnncourse.clean", "--course-dir",
                               str(course)], text=True, capture_output=True, check=True).stdout

    printed = clean()
    backups = list((course / "backups").glob("clean-*"))
    assert len(backups) == 1, f"expected one backup folder, got {backups}"
    backup = backups[0]
    assert str(backup.relative_to(course)) in printed, f"not said where: {printed}"
    for name in ("autograded", "feedback", "reports", "gradebook.db"):
        assert not (course / name).exists(), f"{name} is still in the course"
        assert (backup / name).exists(), f"{name} is not in the backup {backup}"
    assert (backup / "autograded/correct/step_by_step/kept.txt").read_text() == (
        "autograded/correct/step_by_step")
    with sqlite3.connect(backup / "gradebook.db") as db:
        rows = db.execute("select student, points from grade").fetchall()
    assert rows == [("correct", 100.0)], f"expected the gradebook's row back, got {rows}"
    after = sorted(p.relative_to(course) for p in (course / "submitted").rglob("*"))
    assert after == submitted, "make clean touched submitted/"
    assert "nothing to clean" in clean()
