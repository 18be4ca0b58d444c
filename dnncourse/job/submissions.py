"""The submissions of a course: finding and selecting them, sanitizing their folders (anything
but the notebook and timestamp.txt is set aside), and the payload a grading task carries.
"""

import os
import shutil
from dataclasses import dataclass

from nbgrader.utils import parse_utc

from dnncourse.course import Course
from dnncourse.grader.version import submission_version

# What a submission folder may hold besides the assignment's notebooks: the submission
# time, and the secret `nbgrader collect` copies in, which nbgrader release_feedback needs
# next to the feedback.
KEPT_FILES = ("timestamp.txt", "submission_secret.txt")


def as_course(course):
    """A Course, given one or its root folder."""
    return course if isinstance(course, Course) else Course(course)


@dataclass(frozen=True)
class Selection:
    """Which students and assignments a run grades (empty: all)."""

    students: tuple = ()
    assignments: tuple = ()

    @staticmethod
    def parse(values):
        """Split repeatable, comma-separated option values into a tuple of ids."""
        found = []
        for value in values or ():
            found += [item.strip() for item in value.split(",") if item.strip()]
        return tuple(dict.fromkeys(found))

    def assignment_ids(self, course):
        """The selected assignments of `course`, in course order; unknown ids raise KeyError."""
        known = course.assignment_ids
        for wanted in self.assignments:
            course.assignment(wanted)  # raises KeyError naming the known ones
        return tuple(a for a in known if not self.assignments or a in self.assignments)

    def wants(self, student):
        return not self.students or student in self.students


def submitted_students(course):
    """Every student with a folder under submitted/ (links included), sorted."""
    if not course.submitted.is_dir():
        return []
    return sorted(p.name for p in course.submitted.iterdir()
                  if p.is_dir() or p.is_symlink())


def find(course, selection):
    """Return [(student, assignment)] for every selected submission folder, in course order
    per student."""
    found = []
    assignments = selection.assignment_ids(course)
    for student in submitted_students(course):
        if not selection.wants(student):
            continue
        for assignment in assignments:
            folder = course.submission(student, assignment)
            if folder.is_dir() or folder.is_symlink():
                found.append((student, assignment))
    return found


def _move_aside(item, aside):
    aside.mkdir(parents=True, exist_ok=True)
    target = aside / item.name
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()
    os.rename(item, target)  # moves a link itself, never what it points to


def sanitize(course, student, assignment):
    """Move everything but the notebooks and timestamp.txt out of a submission folder.

    Returns the names set aside (into set_aside/<student>/<assignment>/), with "/" after a
    folder and " (link)" after a symbolic link. A submission folder that is itself a link,
    or whose student folder is one, is set aside whole.
    """
    course = as_course(course)
    folder = course.submission(student, assignment)
    aside = course.set_aside_folder(student, assignment)
    if folder.is_symlink() or folder.parent.is_symlink():
        link = folder if folder.is_symlink() else folder.parent
        _move_aside(link, aside.parent)
        return [f"{link.name} (link)"]
    if not folder.is_dir():
        return []  # its student folder, a link, was set aside with an earlier assignment
    allowed = {p.name for p in (course.source / assignment).glob("*.ipynb")}
    allowed.update(KEPT_FILES)
    moved = []
    for item in sorted(folder.iterdir()):
        if item.name in allowed and item.is_file() and not item.is_symlink():
            continue
        kind = " (link)" if item.is_symlink() else "/" if item.is_dir() else ""
        _move_aside(item, aside)
        moved.append(item.name + kind)
    return moved


def missing_notebook(course, student, assignment):
    """Return why the submission lacks the assignment's notebook, or "" when it has it."""
    course = as_course(course)
    expected = course.source_notebook(assignment).name
    folder = course.submission(student, assignment)
    if (folder / expected).is_file():
        return ""
    aside = course.set_aside_folder(student, assignment)
    found = sorted(p.name for p in folder.glob("*.ipynb"))
    found += sorted(f"{p.name}, set aside" for p in aside.glob("*.ipynb"))
    return f"the submission has no {expected} (found: {'; '.join(found) or 'no notebook'})"


def timestamp(course, student, assignment):
    """Return the submission's time from its timestamp.txt (None without one).

    Raises ValueError naming the file when it holds no date nbgrader can read.
    """
    path = as_course(course).submission(student, assignment) / "timestamp.txt"
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8", errors="replace").strip()
    if not text:
        return None
    try:
        return parse_utc(text)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"timestamp.txt holds {text[:40]!r}, expected a date and time such "
                         f"as 2026-11-20 17:00:00 UTC ({exc})") from exc


@dataclass
class Payload:
    """Everything a grading task needs, so a worker needs no shared folder."""

    student: str
    assignment: str
    files: dict  # file name -> bytes: the notebooks and timestamp.txt of the submission
    submission_version: str  # dnncourse.grader.version.submission_version of the folder
    grader_version: str  # the client's grader fingerprint for the assignment
    duedate: object = None  # the assignment's due date in the gradebook (datetime, UTC)
    extension: object = None  # the student's extension (timedelta), for the feedback
    commit: str = ""  # the client's course commit, named when a worker refuses the task

    @property
    def key(self):
        """The Dask key of its task: the same submission and grader give the same key."""
        return (f"grade-{self.assignment}-{self.student}-"
                f"{self.submission_version[:12]}-{self.grader_version[:12]}")


def payload(course, student, assignment, grader_version, **extra):
    """Read a sanitized submission folder into a Payload (`extra`: its optional fields)."""
    folder = as_course(course).submission(student, assignment)
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir())
             if p.is_file() and not p.is_symlink()}
    return Payload(student, assignment, files, submission_version(folder), grader_version,
                   **extra)
