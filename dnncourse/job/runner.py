"""The grading job: a Dask client that releases, sends each submission to a worker, writes
what comes back (autograded/, feedback/, the gradebook) and reports.

With no scheduler it starts an embedded LocalCluster on 127.0.0.1 (one single-threaded
worker process per core); `--scheduler` or DNNCOURSE_SCHEDULER attaches to a running
cluster instead. Usage:

    python -m dnncourse.grade [--course-dir DIR] [--student ID] [--assignment ID]
                              [--scheduler tcp://HOST:8786] [--jobs N] [--force]
                              [--preview | --apply]

--preview grades into a scratch course and gradebook and lists what would change
(dnncourse/job/regrade.py); --apply then writes exactly what the preview showed.
"""

import argparse
import os
import shutil
import sys
import time

from dnncourse.authoring import sync
from dnncourse.course import Course
from dnncourse.grader.version import grader_version, submission_version
from dnncourse.job import class_report, cluster, datafiles, regrade, reports, submissions, task
from dnncourse.job.gradebook import Book, backup
from dnncourse.job.nbgrader_steps import Steps, reason
from dnncourse.job.results import Report, Result
from dnncourse.kernel import sandbox

REPO = Course()  # this repository's course
# Tasks in flight per worker thread. One keeps every worker busy (a task takes seconds, the
# client answers in milliseconds) and the submissions' bytes on disk, not in memory; and a
# worker then holds only the task it runs: when a worker dies, Dask counts a death against
# every task the worker held, so a submission queued behind one that kills its worker could
# otherwise be reported as having killed workers itself.
IN_FLIGHT_PER_THREAD = 1


def _prepare(course, selection, force, book, stopped, versions):
    """Sanitize every selected submission; return (results, todo): a Result for each
    (skipped, or failed before grading), and the (student, assignment) pairs to grade."""
    record = book.record()
    results, todo = [], []
    for student, assignment in submissions.find(course, selection):
        result = Result(student, assignment,
                        set_aside=submissions.sanitize(course, student, assignment))
        results.append(result)
        folder = course.submission(student, assignment)
        if assignment in stopped:
            result.error = stopped[assignment]
        elif not folder.is_dir():
            result.error = "the submission folder is a symbolic link (set aside)"
        elif missing := submissions.missing_notebook(course, student, assignment):
            result.error = missing
        else:
            try:
                submissions.timestamp(course, student, assignment)
            except ValueError as exc:
                result.error = str(exc)
        if result.error:
            continue
        earlier = record.get((student, assignment))
        current = (submission_version(folder), versions[assignment])
        autograded = course.autograded_folder(student, assignment)
        if (not force and earlier is not None and autograded.is_dir()
                and (earlier.submission_version, earlier.grader_version) == current):
            result.skipped = True
        else:
            todo.append((student, assignment))
    return results, todo


def _materialize(folder, changed, same, source):
    """Make `folder` hold exactly `changed` (path -> bytes) plus the `same` paths copied
    from `source`, replacing what was there in one rename."""
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    for name, data in changed.items():
        target = partial / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for name in same:
        target = partial / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target)
    partial.mkdir(parents=True, exist_ok=True)
    if folder.exists():
        shutil.rmtree(folder)
    partial.rename(folder)


def _store(course, book, result, outcome, worker):
    """Write one outcome of task.grade: logs, autograded/, feedback/, the gradebook."""
    student, assignment = result.student, result.assignment
    course.logs.mkdir(parents=True, exist_ok=True)
    (course.logs / f"autograde-{assignment}-{student}.log").write_text(
        outcome.get("log", ""), encoding="utf-8")
    result.timings = outcome.get("timings", {})
    result.seconds = outcome.get("seconds", 0.0)
    result.host, result.pid = outcome.get("host", ""), outcome.get("worker_pid", 0)
    result.started = outcome.get("started", 0.0)
    if outcome["error"]:
        result.error = outcome["error"]
        return
    source = course.source / assignment
    _materialize(course.autograded_folder(student, assignment), outcome["autograded"],
                 outcome["autograded_same"], source)
    (course.logs / f"feedback-{assignment}-{student}.log").write_text(
        outcome.get("feedback_log", ""), encoding="utf-8")
    result.feedback_error = outcome["feedback_error"]
    if not result.feedback_error:
        _materialize(course.feedback_folder(student, assignment), outcome["feedback"],
                     outcome["feedback_same"], source)
    stamp = submissions.timestamp(course, student, assignment)
    book.write(outcome, stamp, worker)


def _failure(exc):
    """Why a grading task did not return: a worker that died, a refusal, or a fault."""
    from distributed.scheduler import KilledWorker

    if isinstance(exc, KilledWorker):
        return f"it stopped the grading worker {exc.allowed_failures + 1} times"
    if isinstance(exc, task.CourseMismatch):
        return f"a worker refused it: {exc}"
    return f"the grading task failed ({reason(exc)})"


def _grade_all(client, course, book, results, todo, versions, commit, out, store=None):
    """Send `todo` to the workers, a few at a time, and store each outcome as it comes
    (with `store`, the preview's, else _store)."""
    from distributed import as_completed

    by_key = {(r.student, r.assignment): r for r in results}
    threads = max(1, sum(client.nthreads().values()))
    waiting = iter(todo)
    running = as_completed()
    sent = {}  # task key -> (student, assignment)
    done = sum(r.skipped or bool(r.error) for r in results)

    def send():
        item = next(waiting, None)
        if item is None:
            return
        student, assignment = item
        duedate, extension = book.due(assignment, student)
        payload = submissions.payload(course, student, assignment, versions[assignment],
                                      duedate=duedate, extension=extension, commit=commit)
        future = client.submit(task.grade, payload, key=payload.key, pure=False)
        sent[future.key] = item
        running.add(future)

    for _ in range(IN_FLIGHT_PER_THREAD * threads):
        send()
    for future in running:
        send()
        result = by_key[sent.pop(future.key)]
        try:
            outcome = future.result()
        except Exception as exc:  # the task's own failure, reported for this submission
            result.error = _failure(exc)
        else:
            result.worker = outcome.get("worker", "")
            writing = time.monotonic()
            (store or _store)(course, book, result, outcome, result.worker)
            result.timings["write"] = time.monotonic() - writing
        future.release()
        done += 1
        out(reports.progress_line(result, done, len(results)))


def _release(steps, assignments, out):
    for assignment in assignments:
        outcome = steps.generate_assignment(assignment)
        if not outcome.success:
            raise SystemExit(f"nbgrader generate_assignment {assignment} failed: "
                             f"{outcome.error}\n{outcome.log}")
        out(f"released {assignment} into release/{assignment}")


def _not_submitted(course, book, selection, assignments):
    """{assignment: [students of the gradebook or submitted/ without a submission]}."""
    everyone = sorted(set(book.students()) | set(submissions.submitted_students(course)))
    return {a: [s for s in everyone if selection.wants(s)
                and not (course.submission(s, a).is_dir()
                         or course.submission(s, a).is_symlink())] for a in assignments}


def _checked(course, selection, scheduler):
    """The selected assignments, once the course and this machine can grade them."""
    try:
        chosen = selection.assignment_ids(course)
    except KeyError as exc:
        raise SystemExit(f"cannot grade: {exc.args[0]}") from exc
    stale = sync.drifted(course)
    if stale:
        raise SystemExit("shared files out of date: " + ", ".join(map(str, stale))
                         + " (run python -m dnncourse.authoring.sync)")
    if not scheduler:  # the embedded workers grade on this machine
        try:
            sandbox.bwrap()
        except sandbox.SandboxError as exc:
            raise SystemExit(f"cannot grade: {exc}") from exc
    return chosen


def _grade_on_dask(scheduler, jobs, course, book, results, todo, versions, out, store=None):
    """Start or attach to the cluster, check its workers' courses, grade `todo`."""
    with cluster.dask_client(scheduler, jobs, course) as client:
        if address := cluster.dashboard(client):
            out(f"Dask dashboard: {address}")
        commit = task.course_commit(course)
        cluster.check_workers(client, versions, commit, out)
        _grade_all(client, course, book, results, todo, versions, commit, out, store)


def run(course_dir=REPO.root, jobs=None, out=print, force=False, students=(), assignments=(),
        scheduler=None, apply=False):
    """Run the whole grading job on `course_dir`; return its Report (a list of Results).
    With `apply`, write the outcomes a --preview kept instead of grading (regrade.apply)."""
    course = Course(course_dir)
    started = time.monotonic()
    selection = submissions.Selection(tuple(students), tuple(assignments))
    scheduler = scheduler or os.environ.get(cluster.SCHEDULER_ENV) or None
    chosen = _checked(course, selection, scheduler)
    copy = backup(course)
    if copy is not None:
        out(f"backed up the gradebook to {copy.relative_to(course.root)}")
    steps = Steps(course.root)
    versions = {a: grader_version(course, a) for a in chosen}
    stopped = {a: found for a in chosen if (found := datafiles.problem(course, a))}
    # Before the release changes the gradebook's cells: a stale preview changes nothing.
    previewed = regrade.previewed(course, steps, selection, force, stopped, versions) \
        if apply else None
    _release(steps, chosen, out)
    for assignment, found in stopped.items():
        out(f"grading of {assignment} stopped: {found}")
    with Book(steps) as book:
        results, todo = _prepare(course, selection, force, book, stopped, versions)
        out(f"{len(results)} submissions: {len(todo)} to grade, "
            f"{sum(r.skipped for r in results)} already graded")
        if apply:
            regrade.apply(course, book, results, todo, previewed, _store, out)
        elif todo:
            _grade_on_dask(scheduler, jobs or os.cpu_count() or 1, course, book, results, todo,
                           versions, out)
        for result in results:
            if not result.error:  # graded now or before: as the gradebook holds it
                result.points = book.points(result.assignment, result.student)
                result.late_penalty, result.seconds_late = book.penalty(result.assignment,
                                                                        result.student)
        not_submitted = _not_submitted(course, book, selection, chosen)
        record = book.record()
    _finish(course, steps, results, chosen, record, not_submitted, stopped, out, started)
    return Report(results, stopped)


def _finish(course, steps, results, chosen, record, not_submitted, stopped, out, started):
    """Export, write the reports and print the tables and the summary."""
    course.reports.mkdir(parents=True, exist_ok=True)
    csv_path = course.reports / "grades.csv"
    steps.export_csv(csv_path)
    ran = {(r.assignment, r.student) for r in results}
    graded_before, waiting = set(), set()
    for student in submissions.submitted_students(course):
        for assignment in course.assignment_ids:
            key = (assignment, student)
            folder = course.submission(student, assignment)
            if key in ran or not folder.is_dir():
                continue
            earlier = record.get((student, assignment))
            fresh = earlier is not None and earlier.submission_version == \
                submission_version(folder)
            (graded_before if fresh else waiting).add(key)
    reports.mark_grades_csv(csv_path, results, graded_before, waiting)
    functions = {a: reports.graded_functions(course, a) for a in chosen}
    points = reports.write_points(course, results, functions)
    workers = reports.write_workers(course, results)
    for assignment in chosen:
        out("")
        out(f"Points per student and graded function: {assignment}")
        out(reports.table(results, functions, assignment, not_submitted.get(assignment, ())))
    minutes = (time.monotonic() - started) / 60
    for line in reports.summary(results, minutes, stopped, not_submitted):
        out(line)
    # The class report reads the class on disk, so it covers submissions graded earlier.
    # The grades are exported by now: a report that fails is said, not a failed job.
    try:
        class_files = class_report.write(course, results, chosen)
    except Exception as exc:
        class_files = ()
        out(f"could not write the class report: {type(exc).__name__}: {exc}")
    written = ", ".join(str(p.relative_to(course.root)) for p in (
        csv_path, points, workers, *class_files))
    out(f"wrote autograded/, feedback/, {written}")


def main(argv=None, out=print):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course-dir", default=str(REPO.root),
                        help="course root holding nbgrader_config.py (default: this repository)")
    parser.add_argument("--student", action="append", metavar="ID",
                        help="grade only these students (repeatable or comma-separated)")
    parser.add_argument("--assignment", action="append", metavar="ID",
                        help="grade only these assignments (repeatable or comma-separated)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help=f"a running Dask scheduler, e.g. tcp://host:8786 (default: "
                             f"${cluster.SCHEDULER_ENV}, else an embedded cluster on 127.0.0.1)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes of the embedded cluster (default: cores)")
    parser.add_argument("--force", action="store_true",
                        help="grade every selected submission again, even those graded before")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--preview", action="store_true",
                      help="grade into a scratch gradebook and list who would gain or lose "
                           "points, and why; change nothing")
    mode.add_argument("--apply", action="store_true",
                      help="write exactly what the last --preview showed (refused when stale)")
    args = parser.parse_args(argv)
    selection = submissions.Selection
    if args.preview:
        return regrade.preview(args.course_dir, args.jobs, out=out, force=args.force,
                               scheduler=args.scheduler,
                               students=selection.parse(args.student),
                               assignments=selection.parse(args.assignment))
    results = run(args.course_dir, args.jobs, out=out, force=args.force, scheduler=args.scheduler,
                  students=selection.parse(args.student),
                  assignments=selection.parse(args.assignment), apply=args.apply)
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
