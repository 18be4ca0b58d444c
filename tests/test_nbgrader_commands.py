"""nbgrader's own commands as the docs show them: `.venv/bin/nbgrader db ...` works without
activating the environment, and an instructor command run outside a course root stops
with a message instead of making an empty gradebook there. Also: the grading processes load
nbgrader without jsonschema's unused IRI format package, and still validate notebooks."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, copy_course

from dnncourse import nbgrader_guard

NBGRADER = Path(sys.executable).parent / "nbgrader"
# A PATH without the environment's bin, as in a shell where it was never activated.
BARE = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/root"}


def test_db_student_add_works_without_the_environment_on_path(tmp_path, monkeypatch):
    course = copy_course(tmp_path / "course", items=("nbgrader_config.py",), examples=False)
    add = subprocess.run([str(NBGRADER), "db", "student", "add", "jdoe", "--last-name=Doe",
                          "--first-name=Jane"], cwd=course, env=BARE, text=True,
                         capture_output=True)
    assert add.returncode == 0, f"nbgrader db student add failed:\n{add.stderr}"
    listed = subprocess.run([str(NBGRADER), "db", "student", "list"], cwd=course, env=BARE,
                            text=True, capture_output=True, check=True)
    assert "jdoe (Doe, Jane)" in listed.stdout, f"expected jdoe in the list, got {listed.stdout}"


def test_the_environment_carries_the_guard():
    config = Path(sys.prefix) / "etc" / "jupyter" / "nbgrader_config.py"
    assert config.exists(), f"expected {config}, written by `make setup`; run make setup"
    assert config.read_text() == nbgrader_guard.CALL, f"{config} does not call the guard"


def test_instructor_command_outside_a_course_root_stops_and_makes_no_gradebook(tmp_path):
    done = subprocess.run([str(NBGRADER), "db", "student", "list"], cwd=tmp_path, env=BARE,
                          text=True, capture_output=True)
    assert done.returncode != 0, f"expected a refusal, got exit 0:\n{done.stdout}"
    assert "nbgrader_config.py" in done.stderr and str(tmp_path) in done.stderr, done.stderr
    assert f"cd {ROOT}" in done.stderr, f"the message should name the course root: {done.stderr}"
    assert not (tmp_path / "gradebook.db").exists(), "an empty gradebook.db was made"


def test_student_commands_and_jupyter_are_not_guarded(tmp_path):
    for argv in (["nbgrader", "validate", "x.ipynb"], ["jupyter-lab"], ["python", "-c", "1"]):
        nbgrader_guard.refuse_outside_a_course(argv, cwd=tmp_path)  # must not raise


SKIPPED_IMPORT = """
import sys
import dnncourse.job.runner, jsonschema, nbformat
checks = jsonschema.FormatChecker().checkers
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
del nb.cells[0]["cell_type"]
try:
    nbformat.validate(nb)
    broken = "accepted"
except nbformat.ValidationError:
    broken = "refused"
print(sys.modules["rfc3987_syntax"], "iri" in checks, "uri" in checks, "ipv4" in checks, broken)
"""


def test_grading_loads_jsonschema_without_its_iri_format_package():
    """dnncourse keeps jsonschema from compiling rfc3987_syntax's grammar (1.6 s of CPU per
    process): the IRI checks alone are missing, the others and notebook validation stay."""
    notebook = ROOT / "release" / "step_by_step"
    notebook = next(notebook.glob("*.ipynb"))
    done = subprocess.run([sys.executable, "-c", SKIPPED_IMPORT, str(notebook)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, f"expected the imports and validation to work, got:\n" \
                                 f"{done.stderr}"
    assert done.stdout.split() == ["None", "False", "True", "True", "refused"], (
        "expected rfc3987_syntax blocked, no iri check, uri and ipv4 checks kept and a broken "
        f"notebook refused, got {done.stdout!r}")
