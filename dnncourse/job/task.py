"""The worker side: grade one submission in a scratch course of this worker's own and return
plain data (the autograded notebook, per-cell scores, feedback, log, timings).

A worker grades with its own clone of the course (DNNCOURSE_COURSE_DIR, else the clone this
package is installed from). Once per process it copies what grading reads (nbgrader_config.py,
catalogue/, source/, data/) into a scratch course in the Dask worker's local folder, releases
every assignment there into a scratch SQLite gradebook and keeps that file as a template.
Each task starts from a fresh copy of the template, so tasks are independent and a task
that runs twice returns the same thing. nbgrader stays loaded in the worker process; the
student's code runs only in the sandboxed kernels nbgrader_config.py configures.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from dnncourse import limits
from dnncourse.course import Course
from dnncourse.grader.version import grader_version
from dnncourse.job.deadline import Deadline
from dnncourse.job.nbgrader_steps import Steps, grading_environment, load_config
from dnncourse.kernel import sandbox

COURSE_ENV = "DNNCOURSE_COURSE_DIR"  # the worker's clone of the course
# Test-only fault injection: a comma-separated list of student ids whose grading kills
# the worker process (as a crash or the kernel's OOM killer would).
KILL_ENV = "DNNCOURSE_TEST_KILL_WORKER"
COPIED = ("nbgrader_config.py", "catalogue", "source", "data")

# nbgrader changes the working directory and reads process-wide configuration while it
# runs, so one worker process grades one submission at a time whatever its thread count.
_LOCK = threading.Lock()
_SCRATCH = []


class CourseMismatch(RuntimeError):
    """This worker's course is not the version the client grades with."""


class GradingTimeout(Exception):
    """Raised in the grading thread when a submission passes limits.SUBMISSION_SECONDS."""


def worker_course():
    """The course this worker grades with."""
    return Course(os.environ[COURSE_ENV]) if os.environ.get(COURSE_ENV) else Course()


def course_commit(course):
    """`git describe --always --dirty` of the course's clone, or "" outside git."""
    try:
        done = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=course.root,
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _worker():
    """The Dask worker running this code, or None outside one (a direct call in a test)."""
    try:
        from distributed import get_worker

        return get_worker()
    except ValueError:
        return None


class Scratch:
    """This process's scratch course: a copy of the worker's course, released once."""

    def __init__(self, course):
        sandbox.bwrap()  # a worker without bubblewrap says so before it takes any task
        self.course = course
        worker = _worker()
        root = tempfile.mkdtemp(prefix="scratch-course-",
                                dir=worker.local_directory if worker else None)
        present = [name for name in COPIED if (course.root / name).exists()]
        self.scratch = course.copy_material(root, present)  # every path from here
        self.root = self.scratch.root
        if worker is not None:
            _console_to(self.root / "console.log")
        self.database = self.scratch.gradebook
        self.template = self.root / "gradebook-template.db"
        os.environ.update(grading_environment())
        self.config = load_config(self.root, root=str(self.root),
                                  db_url=f"sqlite:///{self.database}")
        self.steps = Steps(self.root, self.config)
        self.versions = {a: grader_version(course, a) for a in course.assignment_ids}
        self.commit = course_commit(course)
        _create_schema(self.steps.db_url)
        for assignment in course.assignment_ids:
            outcome = self.steps.generate_assignment(assignment)
            if not outcome.success:
                raise RuntimeError(f"the worker could not release {assignment} in its "
                                   f"scratch course: {outcome.error}")
        shutil.copy2(self.database, self.template)

    def reset(self):
        """Empty the student folders and put back the freshly released gradebook."""
        for folder in (self.scratch.submitted, self.scratch.autograded, self.scratch.feedback):
            shutil.rmtree(folder, ignore_errors=True)
        shutil.copy2(self.template, self.database)


def _console_to(path):
    """Send this process's standard output and error to `path`, logging to the old stderr.

    Kernels inherit the worker's output streams and print there (their banner, font
    warnings of the student's matplotlib); in an embedded cluster that is the terminal of
    the job. Dask's own log handlers keep writing to the original stderr.
    """
    import logging

    original = os.fdopen(os.dup(2), "w", buffering=1)
    for logger in [logging.getLogger(), *(logging.getLogger(name) for name in
                                          logging.root.manager.loggerDict)]:
        for handler in getattr(logger, "handlers", ()):
            if isinstance(handler, logging.StreamHandler) and \
                    getattr(handler.stream, "fileno", None) and handler.stream.fileno() == 2:
                handler.setStream(original)
    console = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(console, 1)
    os.dup2(console, 2)
    os.close(console)


def _create_schema(url):
    """Create nbgrader's tables in a new scratch gradebook.

    On an empty database nbgrader's Gradebook asks the `alembic` command for its schema
    version (about 3 s of a subprocess); a scratch gradebook is never migrated, so the
    tables are made directly and the version table left empty.
    """
    from nbgrader.api import Base
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        Base.metadata.create_all(bind=engine)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE IF NOT EXISTS alembic_version "
                                    "(version_num VARCHAR(32) NOT NULL)"))
    finally:
        engine.dispose()


def scratch():
    """This process's Scratch, made on first use."""
    if not _SCRATCH:
        _SCRATCH.append(Scratch(worker_course()))
    return _SCRATCH[0]


def describe():
    """What the client checks before it sends tasks: this worker's course and versions."""
    with _LOCK:
        return _described(scratch())


def _described(prepared):
    return {"course": str(prepared.course.root), "commit": prepared.commit,
            "versions": dict(prepared.versions), "host": socket.gethostname(),
            "pid": os.getpid()}


def mismatch(assignment, client_version, client_commit, worker):
    """Return the refusal message when `worker` (describe()) grades `assignment` with
    another grader version than the client's, else ""."""
    mine = worker["versions"].get(assignment)
    if mine == client_version:
        return ""
    where = f"course {worker['course']} on {worker['host']}"
    if worker["commit"]:
        where += f" at commit {worker['commit']}"
    got = f"grader version {mine[:12]}" if mine else f"no assignment {assignment!r}"
    return (f"the worker's course differs from the client's: expected grader version "
            f"{client_version[:12]} of {assignment}"
            + (f" (client at commit {client_commit})" if client_commit else "")
            + f", got {got} ({where}); give the worker a clone of the course at the "
            "client's commit, set up as the README says, and start it again")


def _injected_fault(student):
    """Test-only: kill this worker process when KILL_ENV names the student."""
    wanted = {s.strip() for s in os.environ.get(KILL_ENV, "").split(",") if s.strip()}
    if student in wanted:
        os.kill(os.getpid(), signal.SIGKILL)


def _files(folder, reference):
    """Return ({path: bytes} of the files under `folder` that differ from the same path under
    `reference`, [paths equal to it]): the course's own files need not travel."""
    changed, same = {}, []
    if not folder.is_dir():
        return changed, same
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = str(path.relative_to(folder))
        data = path.read_bytes()
        original = reference / name
        if original.is_file() and original.read_bytes() == data:
            same.append(name)
        else:
            changed[name] = data
    return changed, same


def _scores(prepared, student, assignment):
    """Per grade cell and per commented cell, what the scratch gradebook holds."""
    from nbgrader.api import Gradebook

    grades, comments = [], []
    with Gradebook(prepared.steps.db_url, prepared.steps.course_id) as gb:
        submission = gb.find_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grades.append({"notebook": notebook.name, "name": grade.name,
                               "auto_score": grade.auto_score, "max_score": grade.max_score})
            for comment in notebook.comments:
                comments.append({"notebook": notebook.name, "name": comment.name,
                                 "auto_comment": comment.auto_comment})
    return grades, comments


def grade(payload):
    """Grade one submission (a submissions.Payload); return a dict of plain data.

    Raises CourseMismatch when this worker's course is not the client's version.
    """
    started = time.time()
    with _LOCK:
        prepared = scratch()
        mine = prepared.versions.get(payload.assignment)
        if mine != payload.grader_version:
            raise CourseMismatch(mismatch(payload.assignment, payload.grader_version,
                                          payload.commit, _described(prepared)))
        _injected_fault(payload.student)
        worker = _worker()
        outcome = {"student": payload.student, "assignment": payload.assignment,
                   "worker": worker.address if worker else "",
                   "submission_version": payload.submission_version,
                   "grader_version": payload.grader_version, "worker_pid": os.getpid(),
                   "host": socket.gethostname(), "started": started, "error": "",
                   "feedback_error": "", "timings": {}}
        with Deadline(limits.SUBMISSION_SECONDS, GradingTimeout) as deadline:
            try:
                _grade(prepared, payload, outcome)
            except GradingTimeout:
                pass
        if deadline.passed:  # whatever nbgrader made of the stop, the grade is incomplete
            outcome["error"] = (f"grading took longer than {limits.SUBMISSION_SECONDS} s and "
                                "was stopped")
    outcome["seconds"] = time.time() - started
    return outcome


def _dates(prepared, payload):
    """Put the client's due date and the student's extension into the scratch gradebook,
    so nbgrader's late penalty and the feedback come out as in the course's gradebook."""
    from nbgrader.api import Gradebook

    if payload.duedate is None and payload.extension is None:
        return
    with Gradebook(prepared.steps.db_url, prepared.steps.course_id) as gb:
        if payload.duedate is not None:
            gb.update_or_create_assignment(payload.assignment, duedate=payload.duedate)
        if payload.extension is not None:
            gb.update_or_create_student(payload.student)
            gb.update_or_create_submission(payload.assignment, payload.student,
                                           extension=payload.extension)


def _grade(prepared, payload, outcome):
    """autograde (the trusted grader runs inside it) and generate_feedback in the scratch
    course; fill `outcome`."""
    student, assignment = payload.student, payload.assignment
    timings = outcome["timings"]
    prepared.reset()
    _dates(prepared, payload)
    scratch = prepared.scratch
    folder = scratch.submission(student, assignment)
    folder.mkdir(parents=True)
    for name, data in payload.files.items():
        (folder / Path(name).name).write_bytes(data)
    graded = prepared.steps.autograde(assignment, student)
    timings["autograde"] = graded.seconds
    outcome["log"] = graded.log
    if not graded.success:
        outcome["error"] = graded.error
        return
    outcome["grades"], outcome["comments"] = _scores(prepared, student, assignment)
    feedback = prepared.steps.generate_feedback(assignment, student)
    timings["feedback"] = feedback.seconds
    outcome["feedback_log"] = feedback.log
    if not feedback.success:
        outcome["feedback_error"] = feedback.error
    source = scratch.source / assignment
    outcome["autograded"], outcome["autograded_same"] = _files(
        scratch.autograded_folder(student, assignment), source)
    outcome["feedback"], outcome["feedback_same"] = _files(
        scratch.feedback_folder(student, assignment), source)
