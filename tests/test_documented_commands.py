"""Every command the README and docs/ show works as written.

Each command of a ```bash block, and each `make ...` named in the text, is listed in
COMMANDS with how the suite covers it: RUN here in a scratch copy of the repository, TEST
by the named test (which runs it, or exactly the module it calls), or SKIP with the reason
it cannot run in the suite. A command added to the docs without an entry fails
test_every_documented_command_is_covered; an entry naming a test that does not exist fails
test_the_named_tests_exist.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

import pytest
import requests
from conftest import REPO, ROOT, copy_course

from dnncourse import demo

pytestmark = pytest.mark.slow

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
RUN, TEST, SKIP = "run here", "test", "skip"
MACHINE = ("changes the machine (Linux users, /srv, PostgreSQL roles, a user's profile); "
           "tests/test_hub.py does the same with scratch users and folders and removes them")
HUB = "tests/test_hub.py::test_a_class_on_the_hub_grades_into_postgresql"

COMMANDS = {
    # README, quick start
    "make grade": (TEST, "tests/test_instructor_workflow.py::test_grades_csv_shows_the_late_"
                         "submission_with_its_penalty"),
    "make test": (SKIP, "is this test suite; CI runs it on a clean clone through .ci/run"),
    "make demo": (TEST, "tests/test_documented_commands.py::test_make_demo_builds_the_demo_"
                        "course; the grading it then runs is tests/test_grading.py's"),
    # README, for students
    "unzip step_by_step.zip && cd step_by_step": (
        RUN, "tests/test_documented_commands.py::test_student_jupyterlab_in_a_handout_is_quiet"),
    "python3.11 -m venv ~/dnn-env": (
        SKIP, "a new environment and pip's download of the packages take a minute and the "
              "network; test_handout_pins_the_packages_of_this_environment checks that the "
              "handout pins exactly the versions the suite runs with"),
    "~/dnn-env/bin/pip install -r requirements.txt": (SKIP, "see python3.11 -m venv"),
    "~/dnn-env/bin/jupyter lab": (
        RUN, "tests/test_documented_commands.py::test_student_jupyterlab_in_a_handout_is_quiet"),
    # README, for instructors, and docs/instructor.md
    "make handout": (RUN, "tests/test_documented_commands.py::test_make_handout_and_make_clean"),
    "make clean": (RUN, "tests/test_documented_commands.py::test_make_handout_and_make_clean"),
    '.venv/bin/nbgrader db assignment add step_by_step '
    '--duedate="2026-11-20 17:00:00 Europe/Berlin"': (
        RUN, "tests/test_documented_commands.py::test_nbgrader_db_commands_of_the_docs"),
    ".venv/bin/nbgrader db student import students.csv": (
        RUN, "tests/test_documented_commands.py::test_nbgrader_db_commands_of_the_docs"),
    ".venv/bin/nbgrader zip_collect step_by_step": (
        TEST, "tests/test_lms.py::test_canvas_archive_lands_in_submitted_with_the_times_given"),
    ".venv/bin/python -m dnncourse.extension step_by_step 4343 --days 2": (
        TEST, "tests/test_lms.py::test_extension_moves_the_due_date_and_recomputes_the_penalty"),
    ".venv/bin/nbgrader export --exporter=dnncourse.lms.export.CanvasExport "
    "--to reports/canvas.csv": (
        TEST, "tests/test_instructor_workflow.py::test_canvas_export_carries_the_scores_after_"
              "penalty"),
    ".venv/bin/python -m dnncourse.lms.bundles step_by_step": (
        TEST, "tests/test_instructor_workflow.py::test_feedback_goes_back_per_student_and_as_"
              "a_canvas_upload"),
    "tar czf ../deep-nn-term.tar.gz submitted downloaded gradebook.db autograded feedback "
    "reports backups": (
        TEST, "tests/test_instructor_workflow.py::test_a_terms_data_packs_and_stays_out_of_git"),
    # docs/grading.md, re-grading with a preview
    ".venv/bin/python -m dnncourse.grade --preview": (
        TEST, "tests/test_regrade_preview.py::test_the_preview_lists_exactly_the_changed_"
              "functions (runner.main with --preview)"),
    ".venv/bin/python -m dnncourse.grade --apply": (
        TEST, "tests/test_regrade_preview.py::test_apply_writes_exactly_the_preview_and_"
              "keeps_manual_scores (runner.main with --apply)"),
    "make release": (TEST, "tests/test_release_pipeline.py::test_release_of_the_course_passes_"
                           "and_rebuilds_the_committed_release"),
    "make release examples": (TEST, "tests/test_generated_files.py::test_committed_example_"
                                    "submissions_match_the_generator (examples), and make "
                                    "release's test"),
    "make sync": (TEST, "tests/test_generated_files.py::test_shared_student_files_match_their_"
                        "single_source"),
    "make diagrams": (TEST, "tests/test_generated_files.py::test_diagrams_are_what_the_script_"
                            "draws"),
    "make setup": (TEST, "tests/test_setup.py::test_make_grade_installs_no_hub_browser_or_test_"
                         "package (its commands; CI builds it on a clean clone)"),
    "make setup-hub": (TEST, "tests/test_setup.py::test_make_test_installs_the_hub_the_browser_"
                             "and_the_tools (its commands; CI builds it on a clean clone)"),
    # README, with a hub
    "nbgrader generate_assignment step_by_step && nbgrader release_assignment step_by_step": (
        TEST, HUB),
    "nbgrader collect step_by_step": (TEST, HUB),
    "python -m dnncourse.grade --course-dir ~/deep-nn": (TEST, HUB),
    "nbgrader release_feedback step_by_step": (
        TEST, "tests/test_documented_commands.py::test_release_feedback_after_the_grading_job"),
    # docs/deployment.md
    "git clone <course repository> /opt/dnncourse && cd /opt/dnncourse": (
        SKIP, "needs the course's own repository address; CI starts from a clean clone"),
    "make setup-hub PYTHON=/usr/bin/python3.11": (
        TEST, HUB + " (tests/hub_site.py builds the venv from /usr/bin/python3.11 with "
                    "requirements.txt and requirements-hub.txt)"),
    "sh deploy/configure-venv .venv": (TEST, HUB),
    "useradd --create-home grader-deep-nn": (SKIP, MACHINE),
    "useradd --create-home --user-group teacher1 && passwd teacher1": (SKIP, MACHINE),
    # docs/grading.md, grading on a Dask cluster
    "/opt/dnncourse/.venv/bin/dask scheduler --protocol tls --host 10.0.0.5 --port 8786": (
        SKIP, "needs certificates and other machines; tests/test_dask_job.py starts a real "
              "`dask scheduler` and two `dask worker` processes on 127.0.0.1"),
    "/opt/dnncourse/.venv/bin/dask worker tls://10.0.0.5:8786 --nthreads 1 --nworkers 8": (
        SKIP, "needs other machines and certificates, as the scheduler does"),
    ".venv/bin/python -m dnncourse.grade --scheduler tls://10.0.0.5:8786": (
        TEST, "tests/test_dask_job.py::test_a_scheduler_and_two_workers_grade_a_class_into_"
              "postgresql"),
    "chgrp -R grader-deep-nn /opt/dnncourse && chmod -R o= /opt/dnncourse": (TEST, HUB),
    "chmod o+x /opt/dnncourse && chmod -R o+rX /opt/dnncourse/.venv /opt/dnncourse/deploy": (
        TEST, HUB),
    "install -d -o root -g root -m 1777 /srv/nbgrader/exchange": (SKIP, MACHINE),
    "runuser -u postgres -- createuser grader-deep-nn": (SKIP, MACHINE),
    "runuser -u postgres -- createdb --owner grader-deep-nn deep_nn": (SKIP, MACHINE),
    "runuser -u grader-deep-nn -- mkdir /home/grader-deep-nn/deep-nn": (SKIP, MACHINE),
    "cp -r /opt/dnncourse/{nbgrader_config.py,catalogue,source,data} "
    "/home/grader-deep-nn/deep-nn/": (SKIP, MACHINE),
    "chown -R grader-deep-nn: /home/grader-deep-nn/deep-nn": (SKIP, MACHINE),
    "cat >> /home/grader-deep-nn/.profile <<'END'": (SKIP, MACHINE),
    "export PATH=/opt/dnncourse/.venv/bin:$PATH": (SKIP, MACHINE),
    "export DNNCOURSE_DB_URL=postgresql+psycopg2://grader-deep-nn@/deep_nn?host=/var/run/"
    "postgresql": (SKIP, MACHINE),
    "END": (SKIP, MACHINE),
    "JUPYTERHUB_API_TOKEN=<token> /opt/dnncourse/.venv/bin/python /opt/dnncourse/deploy/"
    "add-students --csv students.csv": (TEST, HUB),
    "cd ~/deep-nn && cp gradebook.db gradebook.db.bak && nbgrader db upgrade": (
        SKIP, "upgrades a gradebook made by an older nbgrader; the suite has none"),
    'python /opt/dnncourse/deploy/move-gradebook "sqlite:///$HOME/deep-nn/gradebook.db" '
    '"$DNNCOURSE_DB_URL"': (
        TEST, "tests/test_move_gradebook.py::test_grades_survive_the_move_to_postgresql"),
}


def documented():
    """{command: page} for every command of a ```bash block and every `make ...` in the text."""
    found = {}
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r"^ *```bash\n(.*?)^ *```", text, flags=re.S | re.M):
            for line in re.sub(r"\\\n\s*", " ", block).splitlines():
                command = re.sub(r"\s+#.*$", "", line).strip()
                command = re.sub(r"\s{2,}", " ", command)
                if command and not command.startswith("#"):
                    found.setdefault(command, page.name)
        for command in re.findall(r"`(make [a-z -]+?)`", text):
            found.setdefault(command, page.name)
    return found


def test_every_documented_command_is_covered():
    missing = {c: page for c, page in documented().items() if c not in COMMANDS}
    assert not missing, ("commands the docs show without a test or a reason in "
                         f"tests/test_documented_commands.py: {missing}")


def test_the_named_tests_exist():
    for command, (kind, what) in COMMANDS.items():
        if kind == SKIP:
            assert len(what) > 20, f"{command}: give the reason it cannot run"
            continue
        path, _, name = what.split(" ")[0].rstrip(";").partition("::")
        source = (ROOT / path).read_text(encoding="utf-8")
        assert f"def {name}(" in source, f"{command}: {what} names no test in {path}"


def scratch_repository(dest):
    """A copy of the repository's tracked files, using this environment as its .venv."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    return dest


def make(repo, target):
    """`make <target>` in `repo`, with this environment as .venv (never rebuilt)."""
    venv = Path(sys.prefix)
    stamp = venv / ".installed"
    done = subprocess.run(["make", target, f"VENV={venv}", "-o", str(stamp)], cwd=repo,
                          text=True, capture_output=True, check=False)
    assert done.returncode == 0, f"make {target} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_make_handout_and_make_clean(tmp_path):
    repo = scratch_repository(tmp_path / "repo")
    printed = make(repo, "handout")
    for assignment in REPO.assignment_ids:
        assert (repo / "handouts" / f"{assignment}.zip").is_file(), printed
    (repo / "reports").mkdir()
    (repo / "reports" / "grades.csv").write_text("assignment,student_id\n")
    printed = make(repo, "clean")
    assert "backups/clean-" in printed and not (repo / "reports").exists(), printed


def test_make_demo_builds_the_demo_course(tmp_path):
    course = demo.build(tmp_path / "demo")
    graded = sorted(p.relative_to(course.submitted).as_posix()
                    for p in course.submitted.glob("*/*") if p.is_dir())
    expected = sorted(p.relative_to(REPO.examples).as_posix()
                      for p in REPO.examples.glob("*/*") if p.is_dir())
    assert graded == expected, f"expected the examples {expected} in demo/, got {graded}"


def test_nbgrader_db_commands_of_the_docs(tmp_path):
    course = copy_course(tmp_path / "course", items=("nbgrader_config.py",), examples=False)
    (course / "students.csv").write_text("id,first_name,last_name,email\n"
                                         "4343,John,Smith,john@example.org\n")
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path)}
    nbgrader = str(Path(sys.prefix) / "bin" / "nbgrader")
    for command in ([nbgrader, "db", "assignment", "add", "step_by_step",
                     "--duedate=2026-11-20 17:00:00 Europe/Berlin"],
                    [nbgrader, "db", "student", "import", "students.csv"]):
        done = subprocess.run(command, cwd=course, env=env, text=True, capture_output=True)
        assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stderr}"
    from nbgrader.api import Gradebook

    from dnncourse.course import Course

    with Gradebook(Course(course).gradebook_url) as gradebook:
        due = gradebook.find_assignment("step_by_step").duedate
        student = gradebook.find_student("4343")
        assert due == datetime(2026, 11, 20, 16, 0), f"expected 16:00 UTC, got {due}"
        assert (student.first_name, student.last_name) == ("John", "Smith")


def test_handout_pins_the_packages_of_this_environment():
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    for line in (line for line in lines if line and not line.startswith("#")):
        name, pinned = line.split("==")
        assert version(name) == pinned, f"{name}: the suite runs {version(name)}, pins {pinned}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_student_jupyterlab_in_a_handout_is_quiet(tmp_path):
    from dnncourse.authoring import handout

    _, archive = handout.write(REPO, "step_by_step", tmp_path / "handouts")
    home = tmp_path / "home"
    home.mkdir()
    with zipfile.ZipFile(archive) as zf:  # unzip step_by_step.zip && cd step_by_step
        zf.extractall(home)
    folder = home / "step_by_step"
    port, token = free_port(), "handout-test"
    command = [str(Path(sys.prefix) / "bin" / "jupyter"), "lab", "--no-browser",
               f"--port={port}", "--ip=127.0.0.1", f"--IdentityProvider.token={token}"]
    if os.geteuid() == 0:
        command.append("--allow-root")  # the suite runs as root; students do not
    env = dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
               JUPYTER_DATA_DIR=str(home / ".local"), JUPYTER_RUNTIME_DIR=str(home / ".run"))
    log = tmp_path / "jupyterlab.log"
    with open(log, "w") as out:
        server = subprocess.Popen(command, cwd=folder, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"token {token}"}
        for _ in range(120):
            try:
                if requests.get(f"{url}/api/status", headers=headers, timeout=5).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        else:
            pytest.fail(f"JupyterLab did not start:\n{log.read_text()}")
        listing = requests.get(f"{url}/assignments", params={"course_id": ""},
                               headers=headers, timeout=30).json()
        assert listing == {"success": True, "value": []}, (
            f"expected the Assignments tab's list to be empty and quiet, got {listing}")
        notebook = requests.get(f"{url}/api/contents/{REPO.release_notebook('step_by_step').name}",
                                headers=headers, timeout=30)
        assert notebook.ok, f"the handout notebook does not open: {notebook.text[:300]}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    text = log.read_text()
    problems = [line for line in text.splitlines()
                if "ERROR" in line or "not a subdirectory" in line or "Traceback" in line]
    assert not problems, f"JupyterLab in the handout logged problems: {problems}"


def test_release_feedback_after_the_grading_job(tmp_path):
    """The README's hub workflow ends with `nbgrader release_feedback` after the grading job;
    here with an exchange in a scratch folder and a submission as `nbgrader collect` leaves it."""
    course = copy_course(tmp_path / "course", examples=False)
    exchange = tmp_path / "exchange"
    exchange.mkdir(mode=0o1777)
    exchange.chmod(0o1777)
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    folder = course / "submitted" / "correct" / "step_by_step"
    shutil.copytree(REPO.examples / "correct" / "step_by_step", folder)
    (folder / "submission_secret.txt").write_text("4b1c0ffee\n")  # what collect copies in
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep
               + os.environ["PATH"])
    env.pop("DNNCOURSE_DB_URL", None)
    subprocess.run([sys.executable, "-m", "dnncourse.grade", "--course-dir", str(course)],
                   cwd=course, env=env, capture_output=True, check=True)
    done = subprocess.run([sys.executable, "-m", "nbgrader", "release_feedback",
                           "step_by_step"], cwd=course, env=env, text=True,
                          capture_output=True, check=False)
    assert done.returncode == 0, f"release_feedback failed:\n{done.stderr[-2000:]}"
    released = list((exchange / "deep-nn" / "feedback").glob("*.html"))
    assert len(released) == 1, f"expected the feedback in the exchange, got {released}"
