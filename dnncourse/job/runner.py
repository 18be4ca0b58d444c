"""The main grading job: release, autograde every submission, feedback, grades and a report.

Runs real nbgrader from the course root (the only place it reads nbgrader_config.py):
`generate_assignment` for each assignment, then `autograde` and `generate_feedback` per
submission, each in a process of its own (forked from a server that has nbgrader loaded,
dnncourse/job/forked.py). Students are graded in parallel (one worker per core, never the
same student twice at once); one bad notebook cannot stop the batch.

Before grading, the gradebook is backed up and every submission folder is sanitized:
only the assignment's notebooks and `timestamp.txt` stay, anything else is set aside and
reported. Inside autograde, kernels run in a sandbox (dnncourse/kernel/sandbox.py), and
dnncourse/kernel/execution.py restores tampered test cells and restarts a kernel that dies or
hangs, so a bad answer costs points in its own function. A submission graded completely
is marked, so running the job again, or after an interruption, grades only what is new
or unfinished (`--force` grades everything again).

It writes `reports/grades.csv` (nbgrader's export with a `status` column),
`reports/points_by_function.csv` and prints a table of points per student and per graded
function, with the reason for every submission that could not be graded.

Usage: python -m dnncourse.grade [--course-dir DIR] [--jobs N] [--force]
"""

import argparse
import csv
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from dnncourse import limits
from dnncourse.authoring import sync
from dnncourse.course import Course
from dnncourse.grader.grading import function_of
from dnncourse.grader.version import grader_version, submission_version
from dnncourse.job import forked
from dnncourse.kernel import sandbox

REPO = Course()  # this repository's course

# A stuck autograde process is killed and reported after this many seconds.
SUBMISSION_TIMEOUT = limits.SUBMISSION_SECONDS
# What a submission folder may hold besides the assignment's notebooks.
KEPT_FILES = ("timestamp.txt",)
# Written into autograded/<student>/<assignment>/ once a submission is completely graded.
MARKER = ".graded"
BACKUPS_KEPT = 20


@dataclass
class Result:
    """Outcome of grading one submission."""

    student: str
    assignment: str
    error: str = ""  # empty when nbgrader graded the submission
    seconds: float = 0.0
    points: dict = field(default_factory=dict)  # function -> points
    set_aside: list = field(default_factory=list)  # names moved out of the submission
    skipped: bool = False  # graded completely by an earlier run, not graded again
    feedback_error: str = ""  # why generate_feedback failed, if it did


def nbgrader_env():
    """Environment for nbgrader: this interpreter's bin first (nbgrader runs `alembic`)."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.setdefault("PYTHONUNBUFFERED", "1")
    # Shortens the ungraded full-data training runs of the application (app_utils.py);
    # no test depends on them.
    env["DNN_COURSE_GRADING"] = "1"
    # The tests multiply small matrices: a BLAS thread per core only slows down kernels
    # that already run side by side, one per core.
    for key, value in limits.blas_environment().items():
        env.setdefault(key, value)
    return env


def nbgrader(course_dir, *args, timeout=None, log=None, server=None):
    """Run `nbgrader <args>` in the course root; return (exit code, combined output).

    With a `server` (a dnncourse.job.forked.Server) and a `log` file, the command runs in a
    process forked from a server that has nbgrader loaded already, which saves about
    2.5 s of CPU per command; otherwise it runs as `python -m nbgrader`.
    """
    if server is not None and log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        code = server.run(course_dir, args, nbgrader_env(), log, timeout)
        output = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        if code is None:
            code = -1
            output += (f"\n[ERROR] nbgrader {' '.join(args)} took longer than {timeout} s;"
                       " stopped.")
            log.write_text(output, encoding="utf-8")
        return code, output
    command = [sys.executable, "-m", "nbgrader", *args]
    try:
        done = subprocess.run(command, cwd=course_dir, env=nbgrader_env(), text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout, stdin=subprocess.DEVNULL)
        code, output = done.returncode, done.stdout
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or ""
        code, output = -1, (out if isinstance(out, str) else out.decode(errors="replace"))
        output += f"\n[ERROR] nbgrader {' '.join(args)} took longer than {timeout} s; stopped."
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(output, encoding="utf-8")
    return code, output


def graded_functions(course_dir, assignment):
    """Return {function: max points} from the grade cells of the source notebook, in order."""
    notebook = REPO.notebook(Path(course_dir) / "source", assignment)
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    functions = {}
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade"):
            name = function_of(meta["grade_id"])
            functions[name] = functions.get(name, 0) + meta["points"]
    return functions


# nbgrader log lines that say that something failed, not what.
BOILERPLATE = ("There was an error processing assignment", "Please see the",
               "Traceback (most recent call last)", "Removing failed")
# The last line of a traceback: "package.module.NameError: message".
EXCEPTION = re.compile(r"^(?:\w+\.)*(\w*(?:Error|Exception|Exit))(?::\s*(.*))?$")
PLAIN = {
    "NotJSONError": "the notebook file is not valid JSON (cut off or corrupted)",
    "ValidationError": "the file is not a valid notebook",
}


def _shorten(text, limit=240):
    return text if len(text) <= limit else text[: limit - 3] + "..."


def failure_reason(output):
    """Return in one line why an nbgrader command failed, from its log."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    if lines and "took longer than" in lines[-1]:
        return _shorten(lines[-1].removeprefix("[ERROR] "))
    for line in reversed(lines):
        match = EXCEPTION.match(line)
        if match:
            name, message = match.group(1), (match.group(2) or "").strip()
            text = f"{name}: {message}" if message else name
            return _shorten(f"{PLAIN[name]} ({text})" if name in PLAIN else text)
    errors = [re.sub(r"^\[\w+ \| ERROR\]\s*", "", line) for line in lines
              if "ERROR" in line and not any(b in line for b in BOILERPLATE)]
    return _shorten(errors[-1]) if errors else "nbgrader failed without an error message"


def missing_notebook(course_dir, student, assignment):
    """Return a reason when the submission lacks the assignment's notebook, else ""."""
    try:
        expected = REPO.notebook(Path(course_dir) / "release", assignment).name
    except FileNotFoundError:
        return ""
    folder = Path(course_dir) / "submitted" / student / assignment
    if (folder / expected).exists():
        return ""
    aside = Path(course_dir) / "set_aside" / student / assignment
    found = sorted(p.name for p in folder.glob("*.ipynb"))
    found += sorted(f"{p.name}, set aside" for p in aside.glob("*.ipynb"))
    return f"the submission has no {expected} (found: {'; '.join(found) or 'no notebook'})"


def backup_gradebook(course_dir):
    """Copy an SQLite gradebook to backups/ (consistently, even while in use); return the copy."""
    url = Course(course_dir).gradebook_url
    if not url.startswith("sqlite:///"):
        return None  # other databases have their own backups
    database = Path(url.removeprefix("sqlite:///").split("?")[0])
    if not database.exists():
        return None
    folder = Path(course_dir) / "backups"
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"gradebook-{stamp}.db"
    with sqlite3.connect(database) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    for old in sorted(folder.glob("gradebook-*.db"))[:-BACKUPS_KEPT]:
        old.unlink()
    return target


def _move_aside(item, aside):
    aside.mkdir(parents=True, exist_ok=True)
    target = aside / item.name
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()
    os.rename(item, target)  # moves a link itself, never what it points to


def sanitize(course_dir, student, assignment):
    """Move everything but the notebooks and timestamp.txt out of a submission folder.

    Returns the names set aside (in set_aside/<student>/<assignment>/), with "/" after a
    folder and " (link)" after a symbolic link. A submission folder that is itself a link
    is set aside whole.
    """
    course_dir = Path(course_dir)
    folder = course_dir / "submitted" / student / assignment
    aside = course_dir / "set_aside" / student / assignment
    if folder.is_symlink() or folder.parent.is_symlink():
        link = folder if folder.is_symlink() else folder.parent
        _move_aside(link, aside.parent)
        return [f"{link.name} (link)"]
    if not folder.is_dir():
        return []  # its student folder, a link, was set aside with an earlier assignment
    allowed = {p.name for p in (course_dir / "source" / assignment).glob("*.ipynb")}
    allowed.update(KEPT_FILES)
    moved = []
    for item in sorted(folder.iterdir()):
        if item.name in allowed and item.is_file() and not item.is_symlink():
            continue
        kind = " (link)" if item.is_symlink() else "/" if item.is_dir() else ""
        _move_aside(item, aside)
        moved.append(item.name + kind)
    return moved


def fingerprint(course_dir, student, assignment):
    """Return a hash of what a grade depends on: the submission and the grader's side."""
    course = Course(course_dir)
    return (submission_version(course.submission(student, assignment)) + ":"
            + grader_version(course, assignment))


def earlier_result(course_dir, student, assignment):
    """Return the Result of an earlier run that graded this very submission completely."""
    marker = Path(course_dir) / "autograded" / student / assignment / MARKER
    try:
        saved = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if saved.get("fingerprint") != fingerprint(course_dir, student, assignment):
        return None
    return Result(student, assignment, skipped=True)


def _mark_graded(course_dir, result):
    marker = Path(course_dir) / "autograded" / result.student / result.assignment / MARKER
    saved = {"fingerprint": fingerprint(course_dir, result.student, result.assignment)}
    marker.write_text(json.dumps(saved, indent=1) + "\n", encoding="utf-8")


def autograde(course_dir, student, assignment, server=None):
    """Autograde one submission in its own nbgrader process (forked from `server` if given);
    the grader inside autograde decides every grade cell (dnncourse/grader/preprocessor.py)."""
    start = time.monotonic()
    logs = Path(course_dir) / "reports" / "logs"
    code, output = nbgrader(course_dir, "autograde", assignment, "--student", student, "--force",
                            timeout=SUBMISSION_TIMEOUT, server=server,
                            log=logs / f"autograde-{assignment}-{student}.log")
    result = Result(student, assignment)
    if code != 0:
        result.error = (missing_notebook(course_dir, student, assignment)
                        or failure_reason(output))
    result.seconds = time.monotonic() - start
    return result


def feedback(course_dir, student, assignment, server=None):
    """Write the feedback of one graded submission (feedback/); return "" or why it failed."""
    log = Path(course_dir) / "reports" / "logs" / f"feedback-{assignment}-{student}.log"
    code, output = nbgrader(course_dir, "generate_feedback", assignment, "--student", student,
                            "--force", log=log, server=server)
    return "" if code == 0 else failure_reason(output)


def grade_student(course_dir, student, assignments, force=False, done=None, server=None):
    """Sanitize and grade every submission of one student, one after the other."""
    results = []
    for assignment in assignments:
        moved = sanitize(course_dir, student, assignment)
        folder = Path(course_dir) / "submitted" / student / assignment
        if not folder.is_dir():
            result = Result(student, assignment, error="the submission folder is a symbolic "
                            "link (set aside)")
        elif not force and not moved and (earlier := earlier_result(course_dir, student,
                                                                    assignment)):
            result = earlier
        else:
            result = autograde(course_dir, student, assignment, server)
            if not result.error:
                result.feedback_error = feedback(course_dir, student, assignment, server)
                _mark_graded(course_dir, result)
        result.set_aside = moved
        results.append(result)
        if done is not None:
            done(result)
    return results


def progress_bar(done, total, width=24):
    filled = round(width * done / total) if total else width
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


def read_points(course_dir, results):
    """Fill in the points per function of every result from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(Course(course_dir).gradebook_url) as gb:
        for result in results:
            try:
                submission = gb.find_submission(result.assignment, result.student)
            except MissingEntry:
                result.error = result.error or "no submission in the gradebook"
                continue
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    name = function_of(grade.name)
                    result.points[name] = result.points.get(name, 0) + (grade.score or 0)
            if not result.error and not result.points:
                result.error = "no grades recorded"


def submissions(course_dir, assignments):
    """Return [(student, assignment)] for every submission folder under submitted/."""
    found = []
    submitted = Path(course_dir) / "submitted"
    for student in sorted(p.name for p in submitted.iterdir() if p.is_dir()):
        for assignment in assignments:
            if (submitted / student / assignment).is_dir():
                found.append((student, assignment))
    return found


def write_reports(course_dir, results, functions):
    """Write reports/points_by_function.csv: one row per submission and function."""
    path = Path(course_dir) / "reports" / "points_by_function.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", "function", "points", "max_points", "status"])
        for r in results:
            status = f"could not be graded: {r.error}" if r.error else "graded"
            for name, top in functions[r.assignment].items():
                points = "" if r.error else f"{r.points.get(name, 0):g}"
                writer.writerow([r.student, r.assignment, name, points, top, status])
    return path


def mark_grades_csv(path, results):
    """Add a `status` column to nbgrader's export and blank the scores of ungradable rows.

    nbgrader exports a submission it could not grade, and a student who submitted nothing,
    as 0 points; the column tells them apart from a real 0: "graded", "not submitted" or
    "could not be graded: <reason>".
    """
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    by_key = {(r.assignment, r.student): r for r in results}
    # A submission nbgrader stopped at before recording its student has no row at all.
    exported = {(row["assignment"], row["student_id"]) for row in rows}
    for (assignment, student), result in by_key.items():
        if (assignment, student) not in exported and result.error:
            rows.append(dict.fromkeys(fields, "") | {"assignment": assignment,
                                                      "student_id": student})
    for row in rows:
        result = by_key.get((row["assignment"], row["student_id"]))
        if result is None:
            row["status"] = "not submitted"
        elif result.error:
            row["status"] = f"could not be graded: {result.error}"
            row["raw_score"] = row["score"] = ""
        else:
            row["status"] = "graded"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*fields, "status"])
        writer.writeheader()
        writer.writerows(rows)


def table(results, functions, assignment):
    """Return the text table of points per student and function for one assignment."""
    names = list(functions[assignment])
    total = sum(functions[assignment].values())
    width = max([len("student")] + [len(r.student) for r in results])
    head = f"{'student':<{width}} " + " ".join(f"{f'E{i}':>4}" for i in range(1, len(names) + 1))
    lines = [head + f" {'total':>7}"]
    for r in results:
        if r.assignment != assignment:
            continue
        if r.error:
            lines.append(f"{r.student:<{width}} could not be graded: {r.error}")
            continue
        cells = " ".join(f"{r.points.get(name, 0):>4g}" for name in names)
        score = sum(r.points.get(name, 0) for name in names)
        lines.append(f"{r.student:<{width}} {cells} {score:>3g}/{total:g}")
    legend = [f"  E{i} = {name} ({functions[assignment][name]:g} points)"
              for i, name in enumerate(names, start=1)]
    return "\n".join(lines + legend)


def run(course_dir=REPO.root, jobs=2, out=print, force=False):
    """Run the whole grading job on `course_dir`; return the list of Results."""
    course_dir = Path(course_dir).resolve()
    started = time.monotonic()
    stale = sync.drifted()
    if stale:
        raise SystemExit("shared files out of date: " + ", ".join(map(str, stale))
                         + " (run python -m dnncourse.authoring.sync)")
    try:
        sandbox.bwrap()
    except sandbox.SandboxError as exc:
        raise SystemExit(f"cannot grade: {exc}") from exc
    backup = backup_gradebook(course_dir)
    if backup is not None:
        out(f"backed up the gradebook to {backup.relative_to(course_dir)}")
    server = forked.Server()  # loads nbgrader while the rest starts
    try:
        return _run(course_dir, jobs, out, force, server, started)
    finally:
        server.close()


def _run(course_dir, jobs, out, force, server, started):
    logs = course_dir / "reports" / "logs"
    assignments = list(Course(course_dir).assignment_ids)
    for assignment in assignments:
        code, output = nbgrader(course_dir, "generate_assignment", assignment, "--force",
                                log=logs / f"release-{assignment}.log", server=server)
        if code != 0:
            raise SystemExit(f"nbgrader generate_assignment {assignment} failed:\n{output}")
        out(f"released {assignment} into release/{assignment}")

    todo = submissions(course_dir, assignments)
    students = {}
    for student, assignment in todo:
        students.setdefault(student, []).append(assignment)
    out(f"autograding {len(todo)} submissions of {len(students)} students, "
        f"{jobs} students at a time")
    results, lock = [], threading.Lock()

    def done(r):
        with lock:
            results.append(r)
            if r.skipped:
                state = "already graded, skipped"
            else:
                state = f"FAILED: {r.error}" if r.error else f"ok, {r.seconds:.1f} s"
            if r.set_aside:
                state += f"; set aside: {', '.join(r.set_aside)}"
            if r.feedback_error:
                state += f"; no feedback: {r.feedback_error}"
            out(f"{progress_bar(len(results), len(todo))} {r.assignment}/{r.student} {state}")

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(grade_student, course_dir, student, names, force, done, server)
                   for student, names in students.items()]
        for future in futures:
            future.result()
    order = {key: index for index, key in enumerate(todo)}
    results.sort(key=lambda r: order[r.student, r.assignment])

    read_points(course_dir, results)
    csv_path = course_dir / "reports" / "grades.csv"
    code, output = nbgrader(course_dir, "export", "--to", str(csv_path),
                            log=logs / "export.log", server=server)
    if code != 0:
        out(f"nbgrader export failed: {failure_reason(output)}")
    else:
        mark_grades_csv(csv_path, results)
    functions = {a: graded_functions(course_dir, a) for a in assignments}
    report = write_reports(course_dir, results, functions)
    for assignment in assignments:
        out("")
        out(f"Points per student and graded function: {assignment}")
        out(table(results, functions, assignment))
    failed = [r for r in results if r.error]
    graded = [r for r in results if not r.error and not r.skipped]
    aside = [r for r in results if r.set_aside]
    minutes = (time.monotonic() - started) / 60
    out("")
    out(f"graded {len(graded)} submissions in {minutes:.1f} min"
        f" ({len(graded) / minutes if minutes and graded else 0:.1f} per minute);"
        f" {sum(r.skipped for r in results)} already graded;"
        f" {len(failed)} could not be graded (listed above with the reason)")
    if aside:
        out(f"files set aside from {len(aside)} submissions into set_aside/: "
            + "; ".join(f"{r.student}/{r.assignment}: {', '.join(r.set_aside)}" for r in aside))
    out(f"wrote autograded/, feedback/, {csv_path.relative_to(course_dir)} and "
        f"{report.relative_to(course_dir)}")
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course-dir", default=str(REPO.root),
                        help="course root holding nbgrader_config.py (default: this repository)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="students graded at the same time (default: number of cores)")
    parser.add_argument("--force", action="store_true",
                        help="grade every submission again, even those graded completely before")
    args = parser.parse_args(argv)
    run(args.course_dir, args.jobs, force=args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
