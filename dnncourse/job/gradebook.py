"""The client's side of the gradebook: each graded submission written through nbgrader's
Gradebook API (as SaveAutoGrades and AssignLatePenalties write it), the record of what is
graded, and backups of an SQLite gradebook.
"""

import sqlite3
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from sqlalchemy import Column, DateTime, Float, MetaData, String, Table, delete, insert, select
from sqlalchemy.exc import SAWarning

from dnncourse.grader.grading import function_of

BACKUPS_KEPT = 20

_METADATA = MetaData()
# What is graded: one row per student and assignment, naming the submission and grader
# fingerprints (dnncourse.grader.version) it was graded with. nbgrader's own tables have no
# place for them, and Dask keeps no durable state, so the record lives in the gradebook's
# own database (SQLite or PostgreSQL), written after the grades: a row means the grades of
# that very submission, by that very grader, are in. Replaces the `.graded` marker files.
RECORD = Table(
    "dnncourse_graded", _METADATA,
    Column("student", String(128), primary_key=True),
    Column("assignment", String(128), primary_key=True),
    Column("submission_version", String(64), nullable=False),
    Column("grader_version", String(64), nullable=False),
    Column("graded_at", DateTime(), nullable=False),  # UTC
    Column("worker", String(256), nullable=False),
    Column("seconds", Float(), nullable=False),
)


@dataclass(frozen=True)
class Graded:
    """A row of the record."""

    submission_version: str
    grader_version: str
    graded_at: datetime
    worker: str
    seconds: float


def backup(course):
    """Copy an SQLite gradebook into backups/ (consistently, even while in use); return the
    copy, or None for another database (PostgreSQL has pg_dump) or no gradebook yet."""
    url = course.gradebook_url
    if not url.startswith("sqlite:///"):
        return None
    database = Path(url.removeprefix("sqlite:///").split("?")[0])
    if not database.exists():
        return None
    course.backups.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = course.backups / f"gradebook-{stamp}.db"
    with sqlite3.connect(database) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    for old in sorted(course.backups.glob("gradebook-*.db"))[:-BACKUPS_KEPT]:
        old.unlink()
    return target


class Book:
    """The course's gradebook, open for one run of the job (use as a context manager)."""

    def __init__(self, steps):
        from nbgrader.api import Gradebook

        self.steps = steps
        self.url = steps.db_url
        self.gb = Gradebook(self.url, steps.course_id)
        RECORD.create(self.gb.engine, checkfirst=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.gb.close()

    # What is graded ---------------------------------------------------------------------
    def record(self):
        """{(student, assignment): Graded} for every submission graded so far."""
        rows = self.gb.db.execute(select(RECORD)).all()
        self.gb.db.commit()
        return {(r.student, r.assignment): Graded(r.submission_version, r.grader_version,
                                                  r.graded_at, r.worker, r.seconds)
                for r in rows}

    def _mark(self, outcome, worker):
        key = {"student": outcome["student"], "assignment": outcome["assignment"]}
        session = self.gb.db
        session.execute(delete(RECORD).where(RECORD.c.student == key["student"],
                                             RECORD.c.assignment == key["assignment"]))
        session.execute(insert(RECORD).values(
            **key, submission_version=outcome["submission_version"],
            grader_version=outcome["grader_version"],
            graded_at=datetime.now(UTC).replace(tzinfo=None), worker=worker,
            seconds=float(outcome.get("seconds", 0.0))))
        session.commit()

    # Dates -----------------------------------------------------------------------------
    def due(self, assignment, student):
        """(due date, extension) of a student's assignment in the gradebook (None if unset)."""
        from nbgrader.api import MissingEntry

        try:
            duedate = self.gb.find_assignment(assignment).duedate
        except MissingEntry:
            duedate = None
        try:
            extension = self.gb.find_submission(assignment, student).extension
        except MissingEntry:
            extension = None
        self.gb.db.commit()
        return duedate, extension

    def students(self):
        """Ids of every student of the gradebook."""
        found = [s.id for s in self.gb.students]
        self.gb.db.commit()
        return found

    # Writing one graded submission ------------------------------------------------------
    def write(self, outcome, timestamp, worker):
        """Write a worker's outcome (task.grade's dict) for a submission with `timestamp`
        (a datetime or None).

        Scores as nbgrader's SaveAutoGrades writes them: the auto score of every grade
        cell (never a manual score: one an instructor gave stays, and the cell is flagged
        for review), the auto comment of every answer cell. Then AssignLatePenalties with
        the course's late-submission plugin, then the record. Writing the same outcome
        twice leaves the gradebook as after the first.
        """
        student, assignment = outcome["student"], outcome["assignment"]
        gb = self.gb
        gb.update_or_create_student(student)
        with warnings.catch_warnings():
            # nbgrader's add_submission reads relationships of objects it is still adding
            # (as in its own autograde); SQLAlchemy warns and nbgrader adds them itself.
            warnings.filterwarnings("ignore", "Object of type", SAWarning)
            if timestamp is not None:
                gb.update_or_create_submission(assignment, student, timestamp=timestamp)
            else:
                gb.update_or_create_submission(assignment, student)
        for cell in outcome["grades"]:
            grade = gb.find_grade(cell["name"], cell["notebook"], assignment, student)
            grade.auto_score = cell["auto_score"]
            grade.needs_manual_grade = (grade.manual_score is not None
                                        or cell["auto_score"] is None)
        for cell in outcome["comments"]:
            comment = gb.find_comment(cell["name"], cell["notebook"], assignment, student)
            comment.auto_comment = cell["auto_comment"]
        gb.db.commit()
        notebooks = sorted({cell["notebook"] for cell in outcome["grades"]})
        self._late_penalties(assignment, student, notebooks)
        self._mark(outcome, worker)

    def _late_penalties(self, assignment, student, notebooks):
        """nbgrader's AssignLatePenalties, with the plugin the course config names."""
        from nbgrader.preprocessors import AssignLatePenalties

        step = AssignLatePenalties(config=self.steps.config)
        for notebook in notebooks:
            resources = {"nbgrader": {"notebook": notebook, "assignment": assignment,
                                      "student": student, "db_url": self.url}}
            step.preprocess(nbformat.v4.new_notebook(), resources)

    # Reading back -----------------------------------------------------------------------
    def points(self, assignment, student):
        """{function: points} of a submission (manual scores where given)."""
        from nbgrader.api import MissingEntry

        points = {}
        try:
            submission = self.gb.find_submission(assignment, student)
        except MissingEntry:
            return points
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                name = function_of(grade.name)
                points[name] = points.get(name, 0) + (grade.score or 0)
        self.gb.db.commit()
        return points

    def penalty(self, assignment, student):
        """(late penalty in points, seconds late) of a submission."""
        from nbgrader.api import MissingEntry

        try:
            submission = self.gb.find_submission(assignment, student)
        except MissingEntry:
            return 0.0, 0.0
        found = float(submission.late_submission_penalty or 0.0), \
            float(submission.total_seconds_late or 0.0)
        self.gb.db.commit()
        return found
