"""A real class on this machine: JupyterHub, nbgrader's exchange and a PostgreSQL gradebook.

As root it creates a grader, an instructor and two students, runs the deploy/ hub, and takes
the Step by Step assignment through release, fetch, submit, collect, the main grading
command, and export; then it removes every user, process and folder it made.
"""

import csv
import os
import shutil
import time

import pytest
from pgtemp import free_port

pytestmark = pytest.mark.slow

GRADER, TEACHER, GOOD, IDLE = "dnnhub-grader", "dnnhub-teacher", "dnnhub-alice", "dnnhub-bob"
ASSIGNMENT = "step_by_step"


def why_no_users():
    """Return why this machine cannot create Linux users, or "" when it can."""
    if os.geteuid() != 0:
        return "it needs root to create Linux users (useradd) and to run JupyterHub with PAM"
    missing = [tool for tool in ("useradd", "userdel", "chpasswd") if not shutil.which(tool)]
    return f"it needs {', '.join(missing)} to create Linux users" if missing else ""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    reason = why_no_users()
    if reason:
        pytest.skip(f"hub test skipped: {reason}")
    from hub_site import Site

    made = Site(tmp_path_factory.mktemp("hub"))
    yield made
    made.close()
    left = made.leftovers()
    assert not left, f"expected the hub test to leave nothing behind, got: {left}"


def test_a_class_on_the_hub_grades_into_postgresql(site):
    from hub_site import COURSE, ROOT, notebook_json, run

    started = time.monotonic()
    site.make_venv()
    homes = {name: site.add_user(name) for name in (GRADER, TEACHER, GOOD, IDLE)}
    for name, home in homes.items():
        mode = home.stat().st_mode & 0o777
        assert mode == 0o700, f"expected {name}'s home 0700, got {mode:o}"
    site.confine_course_code(GRADER)
    site.make_exchange()
    db_url = site.start_postgres(owner=GRADER)

    # The course directory lives in the grader account's home, owned by the grader.
    course = homes[GRADER] / COURSE
    course.mkdir()
    shutil.copy2(ROOT / "nbgrader_config.py", course)
    for folder in ("source", "catalogue"):
        shutil.copytree(ROOT / folder / ASSIGNMENT, course / folder / ASSIGNMENT,
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    run(["chown", "-R", f"{GRADER}:{GRADER}", str(course)])
    grader_env = site.environment(HOME=str(homes[GRADER]), USER=GRADER, DNNCOURSE_DB_URL=db_url)

    hub_env = site.environment(
        DNNCOURSE_GRADER=GRADER, DNNCOURSE_INSTRUCTORS=TEACHER, DNNCOURSE_COURSE_DIR=str(course),
        DNNCOURSE_DB_URL=db_url, DNNCOURSE_HUB_STATE=str(site.state), DNNCOURSE_HUB_IP="127.0.0.1",
        DNNCOURSE_HUB_PORT=str(site.port), DNNCOURSE_HUB_API_PORT=str(free_port()),
        DNNCOURSE_PROXY_API_PORT=str(free_port()), DNNCOURSE_SERVICE_PORT=str(free_port()))
    site.start_hub(hub_env)

    # The instructor enrols the students through the hub API (the formgrader does not).
    teacher = site.login(TEACHER)
    enrol = run([str(site.venv / "bin" / "python"), str(site.deploy / "add-students"),
                 "--course", COURSE, GOOD, IDLE], check=False,
                env={**hub_env, "JUPYTERHUB_API_TOKEN": teacher,
                     "JUPYTERHUB_API_URL": f"{site.url}/hub/api"})
    assert enrol.returncode == 0, f"expected add-students to succeed, got:\n{enrol.stderr}"
    group = site.api("GET", f"/groups/nbgrader-{COURSE}", teacher).json()
    assert sorted(group.get("users", [])) == sorted([GOOD, IDLE]), (
        f"expected both students in nbgrader-{COURSE}, got {group}")

    # Only staff reach the formgrader service.
    page = site_get(site, f"/services/{COURSE}/formgrader/manage_assignments", teacher)
    assert page.status_code == 200 and "formgrader" in page.text.lower(), (
        f"expected the instructor to open the formgrader, got {page.status_code}")

    # The grader account releases the assignment to the exchange.
    run([str(site.venv / "bin" / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force"],
        user=GRADER, cwd=course, env=grader_env)
    run([str(site.venv / "bin" / "nbgrader"), "release_assignment", ASSIGNMENT, "--force"],
        user=GRADER, cwd=course, env=grader_env)
    released = site.exchange / COURSE / "outbound" / ASSIGNMENT
    assert any(released.glob("*.ipynb")), f"expected the notebook in {released}, found none"

    # Each student works in their own server: fetch, (answer), submit.
    correct = next((ROOT / "examples" / "correct" / ASSIGNMENT).glob("*.ipynb"))
    for student, answer in ((GOOD, correct), (IDLE, None)):
        token = site.login(student)
        site.start_server(student, token)
        if student == GOOD:
            # Students get neither the formgrader's pages nor the instructor's lab plugins,
            # and the course's formgrader service turns them away.
            tools = site.server("GET", student, "formgrader", token, allow_redirects=False)
            assert tools.status_code == 404, (
                f"expected no formgrader in a student's server (404), got {tools.status_code}")
            lab = site.server("GET", student, "lab", token).text
            disabled = lab.partition('"disabledExtensions"')[2][:400]
            for plugin in ("formgrader", "create-assignment", "course-list"):
                assert f'"@jupyter/nbgrader:{plugin}"' in disabled, (
                    f"expected @jupyter/nbgrader:{plugin} disabled in a student's JupyterLab, "
                    f"got disabledExtensions {disabled[:200]!r}")
            service = site_get(site, f"/services/{COURSE}/formgrader/manage_assignments", token)
            assert service.status_code == 403, (
                f"expected the formgrader service to refuse a student (403), "
                f"got {service.status_code}")
        form = {"course_id": COURSE, "assignment_id": ASSIGNMENT}
        site.server("POST", student, "assignments/fetch", token, data=form)
        # A failed fetch still answers 200: look for the notebook itself.
        listing = site.server("GET", student, f"api/contents/{ASSIGNMENT}", token)
        assert listing.status_code == 200, (
            f"expected {student} to have fetched {ASSIGNMENT}, got {listing.status_code}:\n"
            f"{listing.text[:300]}")
        names = [item["name"] for item in listing.json()["content"]]
        assert correct.name in names, f"expected {correct.name} in {student}'s copy, got {names}"
        if answer is not None:
            saved = site.server("PUT", student, f"api/contents/{ASSIGNMENT}/{correct.name}",
                                token, json={"type": "notebook", "format": "json",
                                             "content": notebook_json(answer)})
            assert saved.status_code in (200, 201), f"expected the answer saved, got {saved.text}"
        site.server("POST", student, "assignments/submit", token, data=form)
        if student == GOOD:
            # With a server running, a student still reads none of the course's answers,
            # hidden cases or grader, neither as files nor as an importable package.
            answers = site.app / "source" / ASSIGNMENT / correct.name
            hidden = site.app / "catalogue" / ASSIGNMENT / "hidden.py"
            for secret in (answers, hidden):
                peek = run(["cat", str(secret)], user=student, check=False)
                assert peek.returncode != 0 and not peek.stdout, (
                    f"expected {student} unable to read {secret}, got {peek.stdout[:200]!r}")
            imported = run([str(site.venv / "bin" / "python"), "-c",
                            "import dnncourse.grader.grading"], user=student, check=False,
                           cwd=homes[student])
            assert imported.returncode != 0, (
                f"expected {student} unable to import the grader, got {imported.stdout!r}")
        inbound = list((site.exchange / COURSE / "inbound").glob(f"{student}+{ASSIGNMENT}+*"))
        assert inbound, f"expected {student}'s submission in the exchange, found none"

    # The grader account collects and grades with the project's main command.
    run([str(site.venv / "bin" / "nbgrader"), "collect", ASSIGNMENT],
        user=GRADER, cwd=course, env=grader_env)
    grading = run([str(site.venv / "bin" / "python"), "-m", "dnncourse.grade",
                   "--course-dir", str(course), "--jobs", "2"],
                  user=GRADER, cwd=course, env=grader_env, check=False)

    with open(course / "reports" / "grades.csv", newline="", encoding="utf-8") as handle:
        exported = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}
    assert exported == {GOOD: 100.0, IDLE: 0.0}, (
        f"expected exported scores {GOOD} 100, {IDLE} 0, got {exported}\n{grading.stdout}")

    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        scores = {s: gradebook.find_submission(ASSIGNMENT, s).score for s in (GOOD, IDLE)}
    assert scores == {GOOD: 100.0, IDLE: 0.0}, (
        f"expected PostgreSQL gradebook scores {GOOD} 100, {IDLE} 0, got {scores}")
    print(f"hub flow took {time.monotonic() - started:.0f} s")


def site_get(site, path, token):
    import requests

    return requests.get(f"{site.url}{path}", headers={"Authorization": f"token {token}"},
                        timeout=120)
