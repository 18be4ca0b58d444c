"""Feedback to hand back without nbgrader's exchange: a zip per student, and one to upload.

`python -m dnncourse.lms.bundles ASSIGNMENT` reads the HTML feedback grading wrote
(feedback/<student>/<assignment>/) and writes into reports/feedback-bundles/:

- `<assignment>/<student>.zip`, each holding that student's feedback files under
  `<assignment>/`, to send to each student by any means;
- when the submissions came from an LMS archive (downloaded/<assignment>/extracted/),
  `<assignment>-<lms>-upload.zip`: every student's feedback named as the LMS named their
  submission, which is what Canvas's "Re-Upload Submissions" reads (it finds the student and
  the submitted file by the first two numbers of each name and attaches the file as a
  comment) and what Moodle's "Upload multiple feedback files in a zip" reads (its
  `<full name>_<participant id>_assignsubmission_file_` prefix).

It prints what it wrote and names every submitting student without feedback.
"""

import argparse
import sys
import zipfile

from dnncourse.course import parse_command_line
from dnncourse.lms import names


def feedback_files(course, student, assignment):
    """The feedback HTML files of one student's assignment, sorted."""
    return sorted(course.feedback_folder(student, assignment).glob("*.html"))


def lms_names(course, assignment):
    """{student id: LmsFile} of the submissions unpacked from the assignment's LMS archive."""
    extracted = course.downloaded / assignment / "extracted"
    found = {}
    for path in sorted(extracted.rglob("*.ipynb")) if extracted.is_dir() else ():
        parsed = names.parse(path)
        if parsed is not None:
            found.setdefault(parsed.student_id, parsed)
    return found


def upload_name(parsed, html):
    """The name of a feedback file in the LMS's upload zip: the submission's own prefix,
    then `<notebook>_feedback.html`."""
    return f"{parsed.prefix}{html.stem}_feedback{html.suffix}"


def write(course, assignment, out=print):
    """Write the bundles of `assignment`; return (per-student zips, upload zip or None)."""
    target = course.reports / "feedback-bundles"
    folder = target / assignment
    folder.mkdir(parents=True, exist_ok=True)
    submitted = sorted(p.parent.name for p in course.submitted.glob(f"*/{assignment}")
                       if p.is_dir())
    bundles, missing = [], []
    for student in submitted:
        files = feedback_files(course, student, assignment)
        if not files:
            missing.append(student)
            continue
        bundle = folder / f"{student}.zip"
        with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
            for html in files:
                zf.write(html, f"{assignment}/{html.name}")
        bundles.append(bundle)
    out(f"wrote {len(bundles)} feedback bundles into {folder.relative_to(course.root)}/")
    upload = None
    parsed = lms_names(course, assignment)
    if parsed:
        lms = sorted({p.lms for p in parsed.values()})
        upload = target / f"{assignment}-{'-'.join(lms)}-upload.zip"
        with zipfile.ZipFile(upload, "w", zipfile.ZIP_DEFLATED) as zf:
            for student, lms_file in sorted(parsed.items()):
                for html in feedback_files(course, student, assignment):
                    zf.write(html, upload_name(lms_file, html))
        out(f"wrote {upload.relative_to(course.root)} to upload to {' and '.join(lms)}")
    if missing:
        out(f"no feedback for {len(missing)} submitting students (grade them first): "
            + ", ".join(missing))
    return bundles, upload


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    args, course = parse_command_line(parser, argv)
    course.assignment(args.assignment)  # a clear error for an unknown assignment
    write(course, args.assignment)
    return 0


if __name__ == "__main__":
    sys.exit(main())
