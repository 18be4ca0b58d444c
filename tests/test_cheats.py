"""The cheat corpus: no attack earns a point it did not earn or harms anyone else.

Every attack of cheat_cases.py, the `correct` example, an honest partial submission
(`typical_mistakes`) and the unusual correct answers of fairness_cases.py are graded in
one batch with the main command, two at a time, while the test listens on a port of
127.0.0.1. Then, for each attack: its points per function in the gradebook (full points
only where its answer is genuinely correct); and for the batch: the honest submissions
keep their exact points, every unusual correct answer earns every point, the gradebook
holds every submission and nothing more, source/, release/, the data and every submitted
notebook are unchanged, no attack's marker shows up outside its own folders or in the
host's /tmp, no process of an attack outlives the batch, nothing arrived on the port, and
no line of a reference answer or of a hidden case reaches an attacker's graded notebook,
files or feedback.
"""

import base64
import dataclasses
import hashlib
import html
import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import fairness_cases
import psutil
import pytest
from cheat_cases import ATTACKS, NOTEBOOK
from conftest import copy_course, run_once, secret_lines
from robustness_cases import ASSIGNMENT

from dnncourse.authoring import examples
from dnncourse.course import Course
from dnncourse.grader.grading import function_of
from dnncourse.job import reports, runner
from dnncourse.job.results import Result

HONEST = [e for e in examples.EXAMPLES if e.assignment == ASSIGNMENT
          and e.student in ("correct", "typical_mistakes")]
NOBODY = 65534
MARKER = "cheatmark-"


class Listener:
    """A TCP and a UDP socket on the same port of 127.0.0.1 that record what arrives."""

    def __init__(self):
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(16)
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.received = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        self.tcp.settimeout(0.2)
        self.udp.settimeout(0.2)
        while not self._stop.is_set():
            try:
                connection, peer = self.tcp.accept()
                with connection:
                    connection.settimeout(2)
                    try:
                        data = connection.recv(4096)
                    except OSError:
                        data = b""
                self.received.append(f"tcp from {peer}: {data!r}")
            except OSError:
                pass
            try:
                data, peer = self.udp.recvfrom(4096)
                self.received.append(f"udp from {peer}: {data!r}")
            except OSError:
                pass

    def stop(self):
        self._stop.set()
        self._thread.join()
        self.tcp.close()
        self.udp.close()
        return self.received


def _digest(path):
    if path.is_symlink():
        return "link to " + os.readlink(path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(course):
    """Return {path: sha256} of what no submission may change: the course's own files and
    the notebook and timestamp of every submission."""
    found = {}
    for item in ("catalogue", "source", "release", "data", "nbgrader_config.py"):
        top = course / item
        for path in sorted([top] if top.is_file() else top.rglob("*")):
            if "__pycache__" not in path.parts and (path.is_file() or path.is_symlink()):
                found[str(path.relative_to(course))] = _digest(path)
    for folder in sorted((course / "submitted").glob(f"*/{ASSIGNMENT}")):
        for name in (NOTEBOOK, "timestamp.txt"):
            path = folder / name
            found[str(path.relative_to(course))] = _digest(path) if path.exists() else "missing"
    return found


def _read(path):
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _processes(course):
    """Return descriptions of processes left by the attacks: a marker in the command line,
    or the sandbox user with its working folder or command line in the course."""
    found = []
    # psutil skips processes that end meanwhile and gives None for what it may not read
    for proc in psutil.process_iter(["cmdline", "uids", "cwd"]):
        if proc.pid == os.getpid():
            continue
        cmdline = " ".join(proc.info["cmdline"] or ())
        uid = proc.info["uids"].effective if proc.info["uids"] else None
        cwd = proc.info["cwd"] or ""
        ours = str(course) in cwd or str(course) in cmdline
        if MARKER in cmdline or (uid == NOBODY and ours):
            found.append(f"pid {proc.pid} uid {uid} cwd {cwd}: {cmdline[:200]}")
    return found


def leftover_processes(course, patience=10.0):
    """Processes of the attacks still alive after `patience` seconds (the kernels' sandboxes
    take a moment to be torn down)."""
    deadline = time.monotonic() + patience
    while True:
        found = _processes(course)
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def own_folders(course, student):
    """Where a student's own marker may legitimately appear."""
    return [course / part / student for part in ("submitted", "autograded", "feedback",
                                                 "set_aside")]


def marker_traces(course):
    """Return [(file, marker)] for every attack marker found outside the attack's folders:
    in a file name or content anywhere in the course, or a file name in the host's /tmp."""
    found = []
    students = {attack.marker: attack.student for attack in ATTACKS}
    for path in sorted(course.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        text = path.name.encode() + b"\n" + _read(path)
        for marker, student in students.items():
            if marker.encode() not in text:
                continue
            allowed = own_folders(course, student)
            in_log = path.parent == course / "reports" / "logs" and student in path.name
            if not in_log and not any(folder in path.parents for folder in allowed):
                found.append((str(path.relative_to(course)), marker))
    for path in Path("/tmp").glob(f"{MARKER}*"):
        found.append((str(path), path.name))
    return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Grade the attacks and the honest submissions in one batch; record what happened.

    The batch runs once per session (conftest.run_once).
    """

    def make(shared):
        shutil.rmtree(shared / "course", ignore_errors=True)
        course = copy_course(shared / "course").resolve()
        shutil.rmtree(course / "submitted")
        for example in HONEST:
            examples.write(example, course / "submitted")
        for answer in fairness_cases.ANSWERS:
            fairness_cases.write(answer, course / "submitted", Course(course))
        listener = Listener()
        context = {"COURSE": course, "PORT": listener.port}
        for attack in ATTACKS:
            attack.write(course / "submitted", context)
        before = snapshot(course)
        start = time.monotonic()
        lines = []
        try:
            results = runner.run(course, jobs=2, out=lines.append)
        finally:
            seconds = time.monotonic() - start
            leftovers = leftover_processes(course)
            received = listener.stop()
        return {"results": [dataclasses.asdict(r) for r in results], "printed": lines,
                "seconds": seconds, "leftovers": leftovers, "received": received,
                "before": before, "after": snapshot(course), "traces": marker_traces(course)}

    shared, data = run_once(tmp_path_factory, "cheats", make)
    data["results"] = {r["student"]: Result(**r) for r in data["results"]}
    data["course"] = shared / "course"
    return data


def gradebook_points(course):
    """Return {student: {grade cell id: (score, max_score)}} read from the gradebook."""
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(Course(course).gradebook_url) as gb:
        for submission in gb.assignment_submissions(ASSIGNMENT):
            cells = found.setdefault(submission.student.id, {})
            for notebook in submission.notebooks:
                for g in notebook.grades:
                    cells[g.name] = (g.score, g.max_score)
    return found


def per_function(cells):
    """Sum {grade cell id: (score, max)} into {function: points}."""
    points = {}
    for name, (score, _) in cells.items():
        function = function_of(name)
        points[function] = points.get(function, 0) + (score or 0)
    return points


@pytest.fixture(scope="module")
def gradebook(batch):
    return gradebook_points(batch["course"])


def _check_points(batch, gradebook, student, expected, description):
    result = batch["results"].get(student)
    assert result is not None, f"{student} ({description}) was not graded at all"
    assert not result.error, f"{student} ({description}) should be graded, but: {result.error}"
    assert student in gradebook, f"{student}: expected a submission in the gradebook, found none"
    got = per_function(gradebook[student])
    assert got == expected, (
        f"{student} ({description}): expected {expected}, got {got} points per function")
    assert result.points == got, (
        f"{student}: the main command reported {result.points}, the gradebook holds {got}")


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.student)
def test_attack_earns_only_what_its_answers_earn(batch, gradebook, attack):
    full = reports.graded_functions(batch["course"], ASSIGNMENT)
    _check_points(batch, gradebook, attack.student, attack.expected(full), attack.description)


@pytest.mark.parametrize("example", HONEST, ids=lambda e: e.student)
def test_honest_submission_keeps_its_points(batch, gradebook, example):
    full = reports.graded_functions(batch["course"], ASSIGNMENT)
    _check_points(batch, gradebook, example.student,
                  examples.expected_points(example, full), example.description)


@pytest.mark.parametrize("answer", fairness_cases.ANSWERS, ids=lambda a: a.key)
def test_unusual_correct_answer_earns_every_point(batch, gradebook, answer):
    full = reports.graded_functions(batch["course"], ASSIGNMENT)
    _check_points(batch, gradebook, answer.student, full, answer.description)


def _shown_texts(course, student):
    """Every text a student gets back: the outputs of the graded notebook (images' bytes
    included), the other files of the graded folder, and the feedback pages."""
    texts = []
    folder = course / "autograded" / student / ASSIGNMENT
    nb = json.loads((folder / NOTEBOOK).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            texts += [str(output.get("text", "")), str(output.get("evalue", "")),
                      "\n".join(output.get("traceback", []))]
            for kind, value in output.get("data", {}).items():
                value = "".join(value) if isinstance(value, list) else str(value)
                if kind.startswith("image/"):
                    value = base64.b64decode(value).decode("utf-8", errors="replace")
                texts.append(html.unescape(value))
    for path in folder.rglob("*"):
        if path.is_file() and path.name != NOTEBOOK:
            texts.append(path.read_bytes().decode("utf-8", errors="replace"))
    for path in (course / "feedback" / student).rglob("*.html"):
        texts.append(html.unescape(path.read_text(encoding="utf-8", errors="replace")))
    return "\n".join(texts)


# Attacks that start from the unanswered release: none of their own text is an answer.
UNANSWERED = [a for a in ATTACKS if a.base == "untouched"]


@pytest.mark.parametrize("attack", UNANSWERED, ids=lambda a: a.student)
def test_no_reference_answer_or_hidden_case_reaches_the_attacker(batch, attack):
    course = batch["course"]
    # A line the release shows anywhere (an instruction quoting `A, cache = relu(Z)`) is
    # given to every student, so only the others are secret.
    released = "\n".join(path.read_text(encoding="utf-8", errors="replace")
                         for path in (course / "release" / ASSIGNMENT).rglob("*")
                         if path.is_file() and path.suffix in (".py", ".ipynb"))
    secrets = {line for line in secret_lines(Course(course))
               if line not in released and json.dumps(line)[1:-1] not in released}
    assert len(secrets) > 100, f"expected the course's secret lines, found {len(secrets)}"
    shown = _shown_texts(course, attack.student)
    leaked = sorted(line for line in secrets if line in shown)
    assert not leaked, (
        f"{attack.student} ({attack.description}) got back lines of reference answers or "
        f"hidden cases: {leaked[:10]}")


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.student)
def test_attack_code_ran(batch, attack):
    # Proves each attack was tried: its code prints its marker (shadowing files print it
    # from the cell that reports which numpy or public_tests was loaded).
    folder = batch["course"] / "autograded" / attack.student / ASSIGNMENT
    nb = json.loads((folder / NOTEBOOK).read_text(encoding="utf-8"))
    outputs = "".join(json.dumps(cell.get("outputs", [])) for cell in nb["cells"])
    assert attack.marker in outputs, (
        f"{attack.student}: expected its marker {attack.marker!r} in some output of the "
        f"graded notebook: the attack's code did not run")


def test_gradebook_holds_every_submission_and_nothing_more(batch, gradebook):
    from nbgrader.api import Gradebook

    expected = sorted([a.student for a in ATTACKS] + [e.student for e in HONEST]
                      + [a.student for a in fairness_cases.ANSWERS])
    assert sorted(gradebook) == expected, (
        f"expected submissions {expected}, got {sorted(gradebook)}")
    course = batch["course"]
    full = reports.graded_functions(course, ASSIGNMENT)
    cells = set(gradebook["correct"])
    for student, grades in gradebook.items():
        assert set(grades) == cells, (
            f"{student}: expected the grade cells {sorted(cells)}, got {sorted(grades)}")
        tops = {}
        for name, (_, top) in grades.items():
            tops[function_of(name)] = tops.get(function_of(name), 0) + top
        assert tops == full, f"{student}: expected maximum points {full}, got {tops}"
    with Gradebook(Course(course).gradebook_url) as gb:
        top = gb.find_assignment(ASSIGNMENT).max_score
        students = sorted(s.id for s in gb.students)
    assert top == sum(full.values()), f"expected max score {sum(full.values())}, got {top}"
    assert students == expected, f"expected students {expected}, got {students}"


def test_course_files_and_submissions_are_unchanged(batch):
    before, after = batch["before"], batch["after"]
    changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
    assert not changed, (
        "expected source/, release/, data/, nbgrader_config.py and every submitted notebook "
        f"and timestamp unchanged, but these changed, appeared or disappeared: {changed}")


def test_no_marker_outside_the_attackers_own_folders(batch):
    assert not batch["traces"], (
        "expected no attack's marker outside its own folders, found (file, marker): "
        f"{batch['traces']}")


def test_no_process_outlives_the_batch(batch):
    assert not batch["leftovers"], (
        f"expected no process of an attack after the batch, found: {batch['leftovers']}")


def test_nothing_arrived_on_the_listening_port(batch):
    assert not batch["received"], (
        f"expected no connection or datagram on 127.0.0.1, got: {batch['received']}")


@pytest.mark.parametrize("attack", [a for a in ATTACKS if a.files or a.links],
                         ids=lambda a: a.student)
def test_extra_files_are_set_aside_not_graded(batch, attack):
    course = batch["course"]
    graded = course / "autograded" / attack.student / ASSIGNMENT
    aside = course / "set_aside" / attack.student / ASSIGNMENT
    extra = sorted({Path(name).parts[0] for name in [*attack.files, *attack.links]})
    # nbgrader puts the course's own copies of public_tests.py, test_utils.py, ... back
    shipped = {p.name for p in (course / "source" / ASSIGNMENT).iterdir()}
    present = [name for name in extra if name not in shipped
               and os.path.lexists(graded / name)]
    assert not present, (
        f"{attack.student}: expected {extra} left out of the graded folder, found {present}")
    missing = [name for name in extra if not os.path.lexists(aside / name)]
    assert not missing, f"{attack.student}: expected {missing} in {aside}, not there"
    reported = batch["results"][attack.student].set_aside
    # reported as "name", "folder/" or "name (link)"
    names = {r.split(" (")[0].rstrip("/") for r in reported}
    unreported = [name for name in extra if name not in names]
    assert not unreported, (
        f"{attack.student}: expected {unreported} reported as set aside, got {reported}")
    submitted = course / "submitted" / attack.student / ASSIGNMENT
    kept = sorted(p.name for p in submitted.iterdir())
    assert kept == sorted([NOTEBOOK, "timestamp.txt"]), (
        f"{attack.student}: expected only the notebook and timestamp.txt in {submitted}, "
        f"got {kept}")


def test_batch_runtime_is_reported(batch):
    # Not a limit: the figure goes into the report of the run (pytest -rA shows it).
    print(f"graded {len(batch['results'])} submissions in {batch['seconds']:.0f} s")
    assert batch["seconds"] > 0


# A sample (each plain autograde is a process of its own, seconds each): attacks on the
# values and on the checks, and unusual answers that need IPython or float32.
PLAIN = ("hardcoded_outputs", "patches_test_helpers", "fair_get_ipython", "fair_float32")


def test_plain_nbgrader_autograde_scores_attacks_and_unusual_answers_as_the_batch(
        batch, gradebook, tmp_path):
    """The grader is a preprocessor of nbgrader's own autograde: run by hand from a course
    root on the batch's (sanitized) submissions, it gives every grade cell the batch's
    score, for attacks and for unusual correct answers alike."""
    import subprocess
    import sys
    from pathlib import Path

    from dnncourse import limits

    plain = copy_course(tmp_path / "plain", examples=False)
    for student in PLAIN:
        shutil.copytree(batch["course"] / "submitted" / student, plain / "submitted" / student)
    env = dict(os.environ, **limits.blas_environment())
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    env.pop("DNNCOURSE_DB_URL", None)
    for command in (["generate_assignment", ASSIGNMENT, "--force"],
                    *(["autograde", ASSIGNMENT, "--student", s] for s in PLAIN)):
        done = subprocess.run([sys.executable, "-m", "nbgrader", *command], cwd=plain,
                              env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"nbgrader {' '.join(command)} failed:\n{done.stderr}"
    by_plain = gradebook_points(plain)
    assert set(by_plain) == set(PLAIN), sorted(by_plain)
    for student in PLAIN:
        assert by_plain[student] == gradebook[student], (
            f"{student}: plain nbgrader {by_plain[student]}, the batch {gradebook[student]}")
