"""Re-grade with a preview: `--preview` grades what a grader change affects into a scratch
course and gradebook under regrade/ and lists who would gain or lose points, per function and
why; `--apply` then writes exactly those outcomes, or refuses when the preview is stale.

A preview is kept in regrade/<key>/, where the key is a digest of what decides the outcomes
it holds: the grader version of every selected assignment and, per submission graded again,
its submission version, its record in the gradebook, its due date and extension, and its
manual scores. `--apply` computes the key again from the course as it is then; only an
unchanged key finds the folder, so what is written is what was shown.
"""

import csv
import hashlib
import json
import os
import pickle
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime

from dnncourse.backup import sqlite_file
from dnncourse.course import Course, read_notebook
from dnncourse.grader.grading import function_of
from dnncourse.grader.version import grader_version, submission_version
from dnncourse.job import cluster, datafiles, submissions, task
from dnncourse.job.gradebook import RECORD, Book
from dnncourse.job.nbgrader_steps import Steps, load_config

LATEST = "latest.json"  # names the newest preview's folder and key
SCRATCH_MATERIAL = ("nbgrader_config.py", "catalogue", "source")
CSV_FIELDS = ("assignment", "student", "function", "function_old", "function_new",
              "function_max", "cell", "cell_old", "cell_new", "cell_old_max", "cell_new_max",
              "manual_score", "conflict", "old_message", "new_message")
# What each part of a submission's key is, in a stale preview's message.
WHAT = {"submission": "notebook or timestamp.txt", "due": "due date", "extension": "extension",
        "recorded": "grades in the gradebook (graded again since)", "manual": "manual scores"}
SHOWN = 300  # characters of a message printed; the CSV keeps all


@dataclass(frozen=True)
class Cell:
    """One grade cell of one submission: nbgrader's scores and the grader's message."""

    points: float  # nbgrader's score: the manual score where given, else the auto score
    auto: float | None
    manual: float | None
    max: float
    message: str = ""


@dataclass
class Change:
    """A graded function whose points a re-grade changes, with the cells that differ."""

    assignment: str
    student: str
    function: str
    old: float | None  # None: never graded before
    new: float
    max: float
    cells: list = field(default_factory=list)  # [(name, old Cell or None, new Cell)]


# Reading scores and messages ------------------------------------------------------------
def scores(gb, course, pairs):
    """{(student, assignment): {cell name: Cell without message}} of the submissions `pairs`
    in an open nbgrader Gradebook `gb` (submissions it lacks are left out)."""
    from nbgrader.api import MissingEntry

    found = {}
    for student, assignment in pairs:
        notebook = course.source_notebook(assignment).stem
        try:
            submitted = gb.find_submission_notebook(notebook, assignment, student)
        except MissingEntry:
            continue
        found[(student, assignment)] = {
            grade.name: Cell(float(grade.score), grade.auto_score, grade.manual_score,
                             float(grade.max_score)) for grade in submitted.grades}
    gb.db.commit()
    return found


def messages(folder):
    """{grade cell id: what the grader said} in the autograded notebooks under `folder`: the
    verdict's message the trusted grader records, else the cell's outputs."""
    found = {}
    for path in sorted(folder.glob("*.ipynb")) if folder.is_dir() else ():
        for cell in read_notebook(path).cells:
            meta = cell.metadata.get("nbgrader", {})
            if not meta.get("grade") or cell.cell_type != "code":
                continue
            verdict = cell.metadata.get("dnncourse", {}).get("verdict", {})
            text = verdict.get("message") or " ".join(
                str(o.get("evalue") or o.get("text") or "") for o in cell.get("outputs", []))
            found[meta["grade_id"]] = " ".join(text.split())
    return found


def _with_messages(cells, said):
    return {name: Cell(c.points, c.auto, c.manual, c.max, said.get(name, ""))
            for name, c in cells.items()}


# The key of a preview -------------------------------------------------------------------
def key_of(course, book, todo, versions, old):
    """What decides the outcomes of re-grading `todo` (see the module's docstring), as
    JSON-ready data; `old` holds the gradebook's cells of the submissions (scores())."""
    record = book.record()
    graded = {}
    for student, assignment in todo:
        earlier = record.get((student, assignment))
        due, extension = book.due(assignment, student)
        manual = {name: cell.manual for name, cell in old.get((student, assignment), {}).items()
                  if cell.manual is not None}
        graded[f"{assignment}/{student}"] = {
            "submission": submission_version(course.submission(student, assignment)),
            "recorded": [earlier.submission_version, earlier.grader_version,
                         earlier.graded_at.isoformat()] if earlier else None,
            "due": str(due), "extension": str(extension), "manual": manual}
    return {"grader": dict(sorted(versions.items())), "submissions": graded}


def digest(key):
    """The folder name of a preview with `key`."""
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]


def differences(before, now):
    """Lines saying why key `now` is not the preview's key `before`."""
    lines = []
    for assignment in sorted(set(before["grader"]) | set(now["grader"])):
        if before["grader"].get(assignment) != now["grader"].get(assignment):
            lines.append(f"the grader of {assignment} changed (tests, cases, grader or "
                         "reference edited since)")
    old, new = before["submissions"], now["submissions"]
    for name in sorted(set(old) | set(new)):
        if name not in old:
            lines.append(f"{name} was not in the preview (a new submission, or other options)")
        elif name not in new:
            lines.append(f"{name} is no longer to re-grade (graded since, or other options)")
        else:
            lines += [f"{name}: its {WHAT[what]} changed" for what in old[name]
                      if old[name][what] != new[name].get(what)]
    return lines


# The scratch course ---------------------------------------------------------------------
class Scratch:
    """A preview's scratch course in `folder`: the course's material, a copy of its
    gradebook, and the autograded/ and feedback/ the preview writes there."""

    def __init__(self, course, folder):
        shutil.rmtree(folder, ignore_errors=True)
        self.folder = folder
        self.course = course.copy_material(folder / "course", SCRATCH_MATERIAL)
        # Only read (the timestamps that decide late penalties), never written.
        self.course.submitted.symlink_to(course.submitted, target_is_directory=True)
        self.database = folder / "gradebook.db"
        copy_gradebook(course, self.database)
        config = load_config(self.course.root, root=str(self.course.root),
                             db_url=f"sqlite:///{self.database}")
        self.steps = Steps(self.course.root, config)
        self.outcomes = folder / "outcomes"
        self.failed = {}  # "assignment/student" -> why its grading task gave no outcome

    def store(self, course, book, result, outcome, worker):
        """Keep a worker's outcome for --apply, and write it into the scratch course as the
        job writes into the course (runner._store)."""
        from dnncourse.job import runner

        path = self.outcomes / result.assignment / f"{result.student}.pickle"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(outcome))
        runner._store(self.course, book, result, outcome, worker)

    def cells(self, pairs):
        """The scratch gradebook's cells of `pairs`, with the scratch notebooks' messages."""
        with Book(self.steps) as book:
            found = scores(book.gb, self.course, pairs)
        return {pair: _with_messages(cells, messages(self.course.autograded_folder(*pair)))
                for pair, cells in found.items()}


def copy_gradebook(course, target):
    """Copy `course`'s gradebook (SQLite or PostgreSQL) into the SQLite file `target` through
    SQLAlchemy, table by table; a gradebook not made yet gives an empty one."""
    from nbgrader.api import Base
    from sqlalchemy import create_engine, inspect, text

    url = f"sqlite:///{target}"
    task._create_schema(url)
    database = sqlite_file(course)
    if database is not None and not database.exists():
        return  # connecting would create the course's gradebook file
    source, dest = create_engine(course.gradebook_url), create_engine(url)
    try:
        present = set(inspect(source).get_table_names())
        with source.connect() as read, dest.begin() as write:
            RECORD.create(write, checkfirst=True)
            for table in [*Base.metadata.sorted_tables, RECORD]:
                rows = [dict(row._mapping) for row in read.execute(table.select())] \
                    if table.name in present else []
                if rows:
                    write.execute(table.insert(), rows)
            if "alembic_version" in present:
                for (version,) in read.execute(text("SELECT version_num FROM alembic_version")):
                    write.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": version})
    finally:
        source.dispose()
        dest.dispose()


# Comparing ------------------------------------------------------------------------------
def compare(student, assignment, old, new):
    """[Change] of one submission, from its gradebook cells `old` (None: never graded) to
    the preview's `new` ({cell name: Cell}), in the order of the notebook's cells."""
    functions = list(dict.fromkeys(function_of(name) for name in new))
    changes = []
    for function in functions:
        names = [name for name in new if function_of(name) == function]
        after = sum(new[n].points for n in names)
        before = None if old is None else sum(old[n].points for n in names if n in old)
        if before is not None and abs(after - before) < 1e-9:
            continue
        differing = [(n, (old or {}).get(n), new[n]) for n in names
                     if old is None or old.get(n) != new[n]]
        changes.append(Change(assignment, student, function, before, after,
                              sum(new[n].max for n in names), differing))
    return changes


def conflicts(student, assignment, old, new):
    """[(cell name, old Cell, new Cell)] whose manual score stays while the auto score a
    re-grade gives differs from the one the instructor saw."""
    return [(name, old[name], cell) for name, cell in new.items()
            if name in old and old[name].manual is not None and old[name].auto != cell.auto]


def _number(value):
    return "" if value is None else f"{value:g}"


def _lines(changes, clashes, failed, graded):
    """The printed preview."""
    lines = [f"Re-grade preview: {graded} submissions graded again; "
             f"{len({(c.assignment, c.student) for c in changes})} would change points"]
    for change in changes:
        lines.append(f"  {change.assignment}/{change.student} {change.function}: "
                     f"{_number(change.old) or 'not graded'} -> {_number(change.new)} "
                     f"of {_number(change.max)}")
        for name, before, after in change.cells:
            lines.append(f"    {name}: {_number(before.points) if before else '-'} -> "
                         f"{_number(after.points)} of {_number(after.max)}")
            if before is not None and before.message != after.message:
                lines.append(f"      was: {before.message[:SHOWN]}")
                lines.append(f"      now: {after.message[:SHOWN]}")
            else:
                lines.append(f"      message: {after.message[:SHOWN]}")
    if clashes:
        lines.append("Manual scores kept where the new auto score differs (conflicts):")
        lines += [f"  {a}/{s} {name}: manual {_number(before.manual)} stays; auto score "
                  f"{_number(before.auto)} -> {_number(after.auto)}"
                  for a, s, name, before, after in clashes]
    if failed:
        lines.append("Could not be graded in the preview:")
        lines += [f"  {name}: {why}" for name, why in sorted(failed.items())]
    return lines


def write_csv(path, changes, clashes):
    """The preview as CSV: a row per cell of a changed function, and per conflict."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, CSV_FIELDS)
        writer.writeheader()
        for change in changes:
            for name, before, after in change.cells:
                writer.writerow(_row(change.assignment, change.student, name, before, after,
                                     change))
        for assignment, student, name, before, after in clashes:
            writer.writerow(_row(assignment, student, name, before, after, None))


def _row(assignment, student, name, before, after, change):
    row = {"assignment": assignment, "student": student, "function": function_of(name),
           "cell": name, "cell_old": _number(before.points) if before else "",
           "cell_new": _number(after.points), "cell_old_max": _number(before.max) if before
           else "", "cell_new_max": _number(after.max),
           "manual_score": _number(before.manual) if before else "",
           "conflict": "yes" if change is None else "",
           "old_message": before.message if before else "", "new_message": after.message}
    if change is not None:
        row.update(function_old=_number(change.old), function_new=_number(change.new),
                   function_max=_number(change.max))
    return row


# The two commands -----------------------------------------------------------------------
def preview(course_dir, jobs=None, out=print, force=False, students=(), assignments=(),
            scheduler=None):
    """`--preview`: re-grade what changed into a scratch course under regrade/, print and
    keep what would change; nothing of the course's grades, autograded/, feedback/ or
    reports/ is written. Returns the exit status (1 when something could not be graded)."""
    from dnncourse.job import runner  # runner imports this module

    course = Course(course_dir)
    selection = submissions.Selection(tuple(students), tuple(assignments))
    scheduler = scheduler or os.environ.get(cluster.SCHEDULER_ENV) or None
    chosen = runner._checked(course, selection, scheduler)
    versions = {a: grader_version(course, a) for a in chosen}
    stopped = {a: found for a in chosen if (found := datafiles.problem(course, a))}
    top = course.regrade
    scratch = Scratch(course, top / "preview.partial")
    pairs = submissions.find(course, selection)
    with Book(scratch.steps) as book:  # the copy, before the new release changes its cells
        old = scores(book.gb, course, pairs)
    for assignment in chosen:
        outcome = scratch.steps.generate_assignment(assignment)
        if not outcome.success:
            raise SystemExit(f"nbgrader generate_assignment {assignment} failed in the "
                             f"preview's scratch course: {outcome.error}\n{outcome.log}")
    with Book(scratch.steps) as book:
        results, todo = runner._prepare(course, selection, force, book, stopped, versions)
        key = key_of(course, book, todo, versions, old)
        out(f"preview: {len(todo)} of {len(results)} submissions to grade again, into "
            f"{course.regrade.relative_to(course.root)}/")
        if todo:
            runner._grade_on_dask(scheduler, jobs or os.cpu_count() or 1, course, book,
                                  results, todo, versions, out, store=scratch.store)
    failed = {f"{r.assignment}/{r.student}": r.error for r in results if r.error}
    new = scratch.cells([(r.student, r.assignment) for r in results
                         if (r.student, r.assignment) in set(todo) and not r.error])
    changes, clashes = [], []
    for (student, assignment), cells in new.items():
        before = old.get((student, assignment))
        if before is not None:
            before = _with_messages(before, messages(course.autograded_folder(student,
                                                                              assignment)))
        changes += compare(student, assignment, before, cells)
        clashes += [(assignment, student, *c) for c in conflicts(student, assignment,
                                                                 before or {}, cells)]
    lines = _lines(changes, clashes, failed, len(new))
    _keep(top, scratch, key, failed, changes, clashes, lines)
    for line in lines:
        out(line)
    where = (top / digest(key)).relative_to(course.root)
    out(f"wrote {where}/preview.csv; nothing was changed. To write exactly this: "
        "python -m dnncourse.grade --apply, with the same --student, --assignment and "
        "--force")
    return 1 if failed or stopped else 0


def _keep(top, scratch, key, failed, changes, clashes, lines):
    """Save the preview in regrade/<key>/ and name it in regrade/latest.json."""
    folder = scratch.folder
    saved = {"key": key, "failed": failed,
             "previewed_at": datetime.now(UTC).isoformat(timespec="seconds")}
    (folder / "key.json").write_text(json.dumps(saved, indent=1), encoding="utf-8")
    write_csv(folder / "preview.csv", changes, clashes)
    (folder / "preview.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = top / digest(key)
    shutil.rmtree(target, ignore_errors=True)
    folder.rename(target)
    (top / LATEST).write_text(json.dumps({"folder": target.name, **saved}, indent=1),
                              encoding="utf-8")


def previewed(course, steps, selection, force, stopped, versions):
    """The folder of the preview to apply: the one kept for the course as it is now (its
    key). Raises SystemExit saying what changed when there is none; writes nothing."""
    from dnncourse.job import runner  # runner imports this module

    with Book(steps) as book:
        _, todo = runner._prepare(course, selection, force, book, stopped, versions)
        if not todo:
            return None
        key = key_of(course, book, todo, versions, scores(book.gb, course, todo))
    folder = course.regrade / digest(key)
    if not (folder / "key.json").is_file():
        raise SystemExit(_stale(course.regrade, key))
    return folder


def apply(course, book, results, todo, folder, store, out):
    """`--apply`, inside the job's run: write with `store` (runner._store) the outcomes
    kept in the preview `folder` (previewed()) for the submissions `todo`."""
    if folder is None or not todo:
        out("nothing to apply: every selected submission is graded with this grader")
        return
    saved = json.loads((folder / "key.json").read_text(encoding="utf-8"))
    wanted = {tuple(name.split("/", 1)[::-1]) for name in saved["key"]["submissions"]}
    if wanted != set(todo):  # previewed() found this very key a moment ago
        raise SystemExit("the submissions to re-grade changed while --apply started; "
                         "run python -m dnncourse.grade --preview again")
    by_key = {(r.student, r.assignment): r for r in results}
    for student, assignment in todo:
        result = by_key[(student, assignment)]
        path = folder / "outcomes" / assignment / f"{student}.pickle"
        if not path.is_file():
            why = saved["failed"].get(f"{assignment}/{student}", "no outcome kept")
            result.error = f"{why} (in the preview)"
            continue
        outcome = pickle.loads(path.read_bytes())  # written by this module's preview
        result.worker = outcome.get("worker", "")
        store(course, book, result, outcome, result.worker)
    course.reports.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(folder / "preview.csv", course.reports / "regrade_applied.csv")
    out(f"applied the preview of {saved['previewed_at']} ({len(todo)} submissions, "
        f"{folder.relative_to(course.root)}); what changed: reports/regrade_applied.csv")


def _stale(top, key):
    """Why --apply refuses: no preview, or what changed since the last one."""
    latest = top / LATEST
    if not latest.is_file():
        return ("no preview to apply: run python -m dnncourse.grade --preview first, "
                "with the same --student, --assignment and --force")
    before = json.loads(latest.read_text(encoding="utf-8"))
    why = differences(before["key"], key) or ["the submissions to re-grade differ"]
    return (f"the preview of {before['previewed_at']} is stale, refusing to apply it:\n  "
            + "\n  ".join(why) + "\nrun python -m dnncourse.grade --preview again")
