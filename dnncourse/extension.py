"""`python -m dnncourse.extension ASSIGNMENT STUDENT --days N`: move one student's due date.

nbgrader keeps extensions in the gradebook (SubmittedAssignment.extension), and its
late-penalty step measures lateness against the due date plus the extension, but nbgrader
0.9.6 has no command to grant one. This calls its API, `Gradebook.grant_extension`, which
needs the student's submission record: the student and the record are made first when the
work has not come in yet. An extension replaces an earlier one; `--days 0` removes it. A
submission graded already gets its late penalty recomputed (dnncourse/lateness.py, apply).
"""

import argparse
import sys

from nbgrader.api import Gradebook, MissingEntry

from dnncourse import lateness
from dnncourse.course import parse_command_line


def grant(course, assignment, student, days=0, hours=0):
    """Give `student` an extension of `days` and `hours` for `assignment`; return the due
    date that now holds for them (None when the assignment has no due date)."""
    with Gradebook(course.gradebook_url) as gradebook:
        try:
            notebooks = len(gradebook.find_assignment(assignment).notebooks)
        except MissingEntry:
            notebooks = None
        if not notebooks:
            found = "no such assignment" if notebooks is None else "it without notebooks"
            # A submission record on an assignment without notebooks would make nbgrader's
            # generate_assignment refuse to release it ("there are submissions").
            raise SystemExit(
                f"expected {assignment!r} released into the gradebook before an extension, "
                f"found {found}: run make release (or nbgrader generate_assignment "
                f"{assignment}) first")
        gradebook.update_or_create_student(student)
        try:
            gradebook.find_submission(assignment, student)
        except MissingEntry:
            gradebook.add_submission(assignment, student)
        gradebook.grant_extension(assignment, student, days=days, hours=hours)
        # A submission graded before the extension gets its penalty recomputed now.
        lateness.apply(gradebook, assignment, student, lateness.policy(course))
        return gradebook.find_submission(assignment, student).duedate


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("student")
    parser.add_argument("--days", type=float, default=0)
    parser.add_argument("--hours", type=float, default=0)
    args, course = parse_command_line(parser, argv)
    due = grant(course, args.assignment, args.student, args.days, args.hours)
    if not args.days and not args.hours:
        print(f"{args.student}: no extension for {args.assignment}")
    elif due is None:
        print(f"{args.student}: extension recorded, but {args.assignment} has no due date "
              f"yet (nbgrader db assignment add {args.assignment} --duedate=...)")
    else:
        print(f"{args.student}: {args.assignment} is due {due:%Y-%m-%d %H:%M:%S} UTC")
    return 0


if __name__ == "__main__":
    sys.exit(main())
