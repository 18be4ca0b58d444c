"""The grading job on a real Dask cluster: a `dask scheduler` and two `dask worker` processes on
127.0.0.1 (each worker with its own copy of the course, no shared folder), a PostgreSQL
gradebook; a worker killed mid-run, a submission that kills its worker, the client killed
mid-run, and a worker whose course differs.
"""

import csv
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from conftest import copy_course
from dask_processes import DaskProcesses
from pgtemp import ScratchPostgres, server_bindir

from dnncourse.authoring import examples
from dnncourse.course import Course
from dnncourse.grader.grading import function_of
from dnncourse.job import reports, runner, submissions, task
from dnncourse.job.gradebook import RECORD

pytestmark = pytest.mark.skipif(server_bindir() is None,
                                reason="PostgreSQL's server is not installed")

ASSIGNMENT = "step_by_step"
MIX = ("correct", "typical_mistakes", "untouched", "raises")
CLASS_SIZE = 12
BY_NAME = {e.student: e for e in examples.EXAMPLES if e.assignment == ASSIGNMENT}
FULL = reports.graded_functions(Course(), ASSIGNMENT)


def make_class(dest, size=CLASS_SIZE):
    """A scratch course with Step by Step only and `size` submissions cycled from MIX;
    return (course, {student: expected points per function})."""
    course = copy_course(dest, items=("nbgrader_config.py", "catalogue", "source", "data"),
                         examples=False)
    shutil.rmtree(course / "catalogue" / "application")
    shutil.rmtree(course / "source" / "application")
    expected = {}
    for number in range(size):
        example = BY_NAME[MIX[number % len(MIX)]]
        student = f"s{number + 1:02d}_{example.student}"
        folder = examples.write(example, course / "submitted")
        folder.parent.rename(course / "submitted" / student)
        expected[student] = examples.expected_points(example, FULL)
    return course, expected


def worker_course(dest):
    """A worker's own clone of the course: what grading reads, no submissions."""
    course = copy_course(dest, items=("nbgrader_config.py", "catalogue", "source", "data"),
                         examples=False)
    shutil.rmtree(course / "catalogue" / "application")
    shutil.rmtree(course / "source" / "application")
    return course


@pytest.fixture(scope="module")
def cluster():
    """PostgreSQL, a scheduler and two workers (no nanny), all stopped by process id."""
    # PostgreSQL runs as its own user and must reach its folder: no 0700 temporary folder.
    scratch = Path(tempfile.mkdtemp(prefix="dnncourse-dask-", dir="/var/tmp"))
    scratch.chmod(0o755)
    server = ScratchPostgres(scratch / "pg")
    processes = DaskProcesses(scratch / "dask")
    try:
        server.start()
        processes.start_scheduler()
        courses = {name: worker_course(scratch / f"{name}-course") for name in ("wA", "wB")}
        for name, course in courses.items():
            processes.start_worker(name, course)
        processes.wait_for_workers(2)
        yield {"server": server, "dask": processes, "scratch": scratch, "courses": courses}
    finally:
        processes.stop()
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def gradebook_url(cluster, name):
    owner = "root" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    return cluster["server"].create_database(name, owner)


def gradebook_points(url):
    """{student: (number of submissions, {function: points}, number of grade rows)}."""
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(url, "deep-nn") as gb:
        for submission in gb.assignment_submissions(ASSIGNMENT):
            points, rows = {}, 0
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    name = function_of(grade.name)
                    points[name] = points.get(name, 0) + grade.score
                    rows += 1
            count = found.get(submission.student.id, (0,))[0] + 1
            found[submission.student.id] = (count, points, rows)
    return found


def recorded(url):
    """{(student, assignment)} of the job's record in the gradebook at `url`."""
    from sqlalchemy import create_engine, inspect, select

    engine = create_engine(url)
    try:
        if RECORD.name not in inspect(engine).get_table_names():
            return set()
        with engine.connect() as connection:
            return {(r.student, r.assignment) for r in connection.execute(select(RECORD))}
    finally:
        engine.dispose()


def assert_graded_once(url, expected):
    cells = sum(1 for _ in _grade_ids())
    found = gradebook_points(url)
    assert sorted(found) == sorted(expected), (
        f"expected submissions of {sorted(expected)} in the gradebook, got {sorted(found)}")
    for student, points in expected.items():
        count, got, rows = found[student]
        assert count == 1 and rows == cells, (
            f"{student}: expected one submission with {cells} grades, got {count} with {rows}")
        assert got == points, f"{student}: expected {points}, got {got}"
    assert recorded(url) == {(s, ASSIGNMENT) for s in expected}, "the record is incomplete"


def _grade_ids():
    from dnncourse.course import read_notebook

    for cell in read_notebook(Course().source_notebook(ASSIGNMENT)).cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            yield cell.metadata["nbgrader"]["grade_id"]


def test_a_scheduler_and_two_workers_grade_a_class_into_postgresql(cluster, tmp_path,
                                                                   monkeypatch):
    course, expected = make_class(tmp_path / "course")
    url = gradebook_url(cluster, "clean_run")
    monkeypatch.setenv("DNNCOURSE_DB_URL", url)
    lines = []
    results = runner.run(course, out=lines.append, scheduler=cluster["dask"].address)
    assert not results.failed, "\n".join(lines)
    for result in results:
        assert result.points == expected[result.student], (
            f"{result.student}: expected {expected[result.student]}, got {result.points}")
    assert_graded_once(url, expected)
    with open(course / "reports" / "workers.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["student"] for r in rows) == sorted(expected), rows
    workers = {r["worker"] for r in rows}
    assert len(workers) == 2, f"expected both workers to grade, got {workers}"
    assert all(float(r["autograde_seconds"]) > 0 for r in rows), rows
    for student in expected:
        assert list((course / "feedback" / student / ASSIGNMENT).glob("*.html")), student


def test_a_worker_killed_mid_run_loses_nothing(cluster, tmp_path, monkeypatch):
    course, expected = make_class(tmp_path / "course")
    url = gradebook_url(cluster, "worker_killed")
    monkeypatch.setenv("DNNCOURSE_DB_URL", url)
    outcome = {}

    def grade():
        outcome["results"] = runner.run(course, out=lambda line: None,
                                        scheduler=cluster["dask"].address)

    job = threading.Thread(target=grade)
    job.start()
    deadline = time.monotonic() + 600
    while not recorded(url):
        assert job.is_alive(), "the run ended before a worker could be killed"
        assert time.monotonic() < deadline, "nothing was graded"
        time.sleep(0.2)
    cluster["dask"].kill("wA")
    job.join()
    cluster["dask"].start_worker("wA", cluster["courses"]["wA"])
    cluster["dask"].wait_for_workers(2)
    results = outcome["results"]
    assert sorted(r.student for r in results) == sorted(expected)
    assert not results.failed, [(r.student, r.error) for r in results if r.error]
    assert_graded_once(url, expected)


def test_a_submission_that_kills_its_worker_is_reported_and_the_rest_graded(
        tmp_path, monkeypatch, capsys):
    import dask

    course, expected = make_class(tmp_path / "course", size=4)
    killer = "s02_typical_mistakes"
    monkeypatch.delenv("DNNCOURSE_DB_URL", raising=False)
    monkeypatch.setenv(task.KILL_ENV, killer)
    # The embedded cluster: a nanny brings each killed worker back.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        status = runner.main(["--course-dir", str(course), "--jobs", "2"])
    printed = capsys.readouterr().out
    assert status == 1, f"expected exit status 1, got {status}:\n{printed}"
    reason_text = f"{ASSIGNMENT}/{killer}: it stopped the grading worker 2 times"
    assert reason_text in printed, f"expected {reason_text!r} in:\n{printed}"
    del expected[killer]
    state = gradebook_points(Course(course).gradebook_url)
    assert {s: v[1] for s, v in state.items()} == expected, state


def test_a_killed_client_resumes_with_only_what_is_missing(cluster, tmp_path, monkeypatch):
    course, expected = make_class(tmp_path / "course")
    url = gradebook_url(cluster, "client_killed")
    env = dict(os.environ, DNNCOURSE_DB_URL=url)
    client = subprocess.Popen([sys.executable, "-m", "dnncourse.grade", "--course-dir",
                               str(course), "--scheduler", cluster["dask"].address],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while len(recorded(url)) < 2:
        assert client.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline, "nothing was graded"
        time.sleep(0.2)
    client.send_signal(signal.SIGKILL)
    client.wait()
    before = recorded(url)
    assert len(before) < CLASS_SIZE, "the run finished before the kill"

    monkeypatch.setenv("DNNCOURSE_DB_URL", url)
    results = runner.run(course, out=lambda line: None, scheduler=cluster["dask"].address)
    skipped = {(r.student, r.assignment) for r in results if r.skipped}
    assert skipped == before, (
        f"expected the {len(before)} submissions recorded before the kill skipped, "
        f"got {sorted(skipped)}")
    assert not results.failed, [(r.student, r.error) for r in results if r.error]
    assert_graded_once(url, expected)


def test_a_worker_whose_course_differs_refuses_with_a_clear_message(cluster, tmp_path,
                                                                    monkeypatch):
    from distributed import Client

    other = worker_course(tmp_path / "other-course")
    with open(other / "catalogue" / ASSIGNMENT / "__init__.py", "a", encoding="utf-8") as f:
        f.write("\n# an older grader\n")
    dask_processes = cluster["dask"]
    dask_processes.start_worker("wOld", other)
    try:
        address = dask_processes.wait_for_workers(3)["wOld"]
        course, _ = make_class(tmp_path / "course", size=2)
        monkeypatch.setenv("DNNCOURSE_DB_URL", gradebook_url(cluster, "mismatch"))
        with pytest.raises(SystemExit) as stopped:
            runner.run(course, out=lambda line: None, scheduler=dask_processes.address)
        message = str(stopped.value)
        assert f"worker {address}" in message and "differs from the client's" in message, \
            message
        assert str(other) in message, f"expected the worker's course named in: {message}"

        version = task.grader_version(Course(course), ASSIGNMENT)
        payload = submissions.payload(Course(course), "s01_correct", ASSIGNMENT, version)
        with Client(dask_processes.address, timeout="60s") as client:
            future = client.submit(task.grade, payload, workers=[address],
                                   allow_other_workers=False, pure=False)
            with pytest.raises(task.CourseMismatch) as refused:
                future.result()
        text = str(refused.value)
        assert f"expected grader version {version[:12]}" in text and str(other) in text, text
    finally:
        dask_processes.kill("wOld")
