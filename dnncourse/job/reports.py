"""What the job shows: the printed tables and summary, reports/grades.csv (nbgrader's export
with a status column), points_by_function.csv and workers.csv."""

import csv
from datetime import UTC, datetime

from dnncourse.grader.grading import function_of

NOT_SUBMITTED = "not submitted"


def graded_functions(course, assignment):
    """Return {function: max points} from the grade cells of the source notebook, in order."""
    from dnncourse.course import read_notebook
    from dnncourse.job.submissions import as_course

    functions = {}
    for cell in read_notebook(as_course(course).source_notebook(assignment)).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            name = function_of(meta["grade_id"])
            functions[name] = functions.get(name, 0) + meta["points"]
    return functions


def progress_bar(done, total, width=24):
    filled = round(width * done / total) if total else width
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


def progress_line(result, done, total):
    """One line per finished submission: bar, submission, outcome, worker."""
    if result.skipped:
        state = "already graded, skipped"
    elif result.error:
        state = f"FAILED: {result.error}"
    else:
        state = f"ok, {result.seconds:.1f} s"
    if result.worker:
        state += f" on {result.worker}"
    if result.set_aside:
        state += f"; set aside: {', '.join(result.set_aside)}"
    if result.feedback_error:
        state += f"; no feedback: {result.feedback_error}"
    return f"{progress_bar(done, total)} {result.assignment}/{result.student} {state}"


def _late(result):
    if result.seconds_late <= 0:
        return ""
    hours = result.seconds_late / 3600
    return f"  late by {hours:.1f} h, penalty {result.late_penalty:g}"


def table(results, functions, assignment, not_submitted=()):
    """Return the text table of points per student and function for one assignment."""
    names = list(functions[assignment])
    total = sum(functions[assignment].values())
    rows = [r for r in results if r.assignment == assignment]
    width = max([len("student")] + [len(r.student) for r in rows]
                + [len(s) for s in not_submitted])
    head = f"{'student':<{width}} " + " ".join(f"{f'E{i}':>4}" for i in range(1, len(names) + 1))
    lines = [head + f" {'total':>7}"]
    for r in rows:
        if r.error:
            lines.append(f"{r.student:<{width}} could not be graded: {r.error}")
            continue
        cells = " ".join(f"{r.points.get(name, 0):>4g}" for name in names)
        score = sum(r.points.get(name, 0) for name in names) - r.late_penalty
        lines.append(f"{r.student:<{width}} {cells} {score:>3g}/{total:g}{_late(r)}")
    lines += [f"{student:<{width}} {NOT_SUBMITTED}" for student in not_submitted]
    legend = [f"  E{i} = {name} ({functions[assignment][name]:g} points)"
              for i, name in enumerate(names, start=1)]
    return "\n".join(lines + legend)


def write_points(course, results, functions):
    """Write reports/points_by_function.csv: one row per submission and function."""
    path = course.reports / "points_by_function.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", "function", "points", "max_points", "status"])
        for r in results:
            for name, top in functions[r.assignment].items():
                points = "" if r.error else f"{r.points.get(name, 0):g}"
                writer.writerow([r.student, r.assignment, name, points, top, r.status])
    return path


def mark_grades_csv(path, results, graded_before=frozenset(), waiting=frozenset()):
    """Add a `status` column to nbgrader's export and blank the scores of ungradable rows.

    nbgrader exports a submission it could not grade, and a student who submitted nothing,
    as 0 points; the column tells them apart from a real 0: "graded", "not submitted",
    "could not be graded: <reason>", or "not graded yet" for a submission outside this run's
    selection that no run has graded. `graded_before` and `waiting` hold (assignment,
    student) keys outside this run: graded by an earlier run, or submitted and not graded.
    """
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    by_key = {(r.assignment, r.student): r for r in results}
    # A submission that failed before its student was recorded has no row at all.
    exported = {(row["assignment"], row["student_id"]) for row in rows}
    for key, result in by_key.items():
        if key not in exported and result.error:
            rows.append(dict.fromkeys(fields, "") | {"assignment": key[0],
                                                      "student_id": key[1]})
    for row in rows:
        key = (row["assignment"], row["student_id"])
        result = by_key.get(key)
        if result is not None:
            row["status"] = result.status
            if result.error:
                row["raw_score"] = row["score"] = ""
        elif key in graded_before:
            row["status"] = "graded"
        elif key in waiting:
            row["status"] = "not graded yet"
        else:
            row["status"] = NOT_SUBMITTED
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*fields, "status"])
        writer.writeheader()
        writer.writerows(rows)


def write_workers(course, results):
    """Write reports/workers.csv: which worker graded what in this run, with its timings
    (on the worker: autograde, feedback; on the client: writing the result)."""
    path = course.reports / "workers.csv"
    steps = ["autograde", "feedback", "write"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", "worker", "host", "pid", "started_utc",
                         "seconds", *(f"{step}_seconds" for step in steps), "status"])
        for r in results:
            if r.skipped or not (r.worker or r.started):
                continue
            started = (datetime.fromtimestamp(r.started, UTC).isoformat(timespec="seconds")
                       if r.started else "")
            writer.writerow([r.student, r.assignment, r.worker, r.host, r.pid or "", started,
                             f"{r.seconds:.2f}",
                             *(f"{r.timings[s]:.2f}" if s in r.timings else "" for s in steps),
                             r.status])
    return path


def summary(results, minutes, stopped, not_submitted):
    """The closing lines: counts, rate, every failure with its reason, what was set aside."""
    failed = [r for r in results if r.error]
    graded = [r for r in results if not r.error and not r.skipped]
    rate = len(graded) / minutes if minutes and graded else 0
    lines = ["", f"graded {len(graded)} submissions in {minutes:.1f} min ({rate:.1f} per "
             f"minute); {sum(r.skipped for r in results)} already graded; "
             f"{len(failed)} could not be graded; "
             f"{sum(len(v) for v in not_submitted.values())} not submitted"]
    for assignment, reason in stopped.items():
        lines.append(f"grading of {assignment} stopped: {reason}")
    if failed:
        lines.append("could not be graded:")
        lines += [f"  {r.assignment}/{r.student}: {r.error}" for r in failed]
    for assignment, students in not_submitted.items():
        if students:
            lines.append(f"not submitted ({assignment}): {', '.join(students)}")
    aside = [r for r in results if r.set_aside]
    if aside:
        lines.append(f"files set aside from {len(aside)} submissions into set_aside/: "
                     + "; ".join(f"{r.student}/{r.assignment}: {', '.join(r.set_aside)}"
                                 for r in aside))
    return lines
