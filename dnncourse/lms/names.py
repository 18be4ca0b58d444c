"""The file names Canvas and Moodle give submissions in their "download all" archives.

Canvas (lib/content_zipper.rb): one file per submitted file, named
`<sortable name, lower case, letters only>[_LATE]_<user id>_<attachment id>_<file name>`,
e.g. `doejane_LATE_4242_98765_Building_your_Deep_Neural_Network_Step_by_Step.ipynb`; Canvas
itself reads the first two numbers back when a teacher re-uploads files, and so do we.
A file a student submitted twice keeps Canvas's `-1`, `-2` suffix before `.ipynb`.

Moodle (mod/assign, "Download all submissions"): files in one folder per student,
`<full name>_<participant id>_assignsubmission_file_/<file name>`, or, with "download
submissions in folders" off, one file `<full name>_<participant id>_assignsubmission_file_<file
name>`. The participant id is Moodle's number for the student in that assignment (the
"Identifier" of its grading worksheet).
"""

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

MOODLE_FOLDER = re.compile(r"^(?P<name>.*)_(?P<id>\d+)_assignsubmission_file_$")
MOODLE_FILE = re.compile(r"^(?P<name>.*)_(?P<id>\d+)_assignsubmission_file_(?P<file>.+)$")
DUPLICATE = re.compile(r"^(?P<stem>.+)-\d+$")  # Canvas's suffix for a file submitted again


@dataclass(frozen=True)
class LmsFile:
    """One submitted file as an LMS named it in its archive."""

    lms: str  # "canvas" or "moodle"
    student_id: str  # Canvas user id, or Moodle participant id
    name: str  # the student's name as the file name carries it
    file: str  # the file name the student submitted
    prefix: str  # what the LMS put before `file` (reused to send feedback back)
    late: bool = False  # Canvas marks a submission after its due date with _LATE


def parse(path):
    """Return the LmsFile for `path` (its last two parts are read), or None if neither
    Canvas's nor Moodle's naming fits."""
    parts = PurePosixPath(str(path)).parts
    base = parts[-1]
    folder = parts[-2] if len(parts) > 1 else ""
    moodle = MOODLE_FOLDER.match(folder)
    if moodle:
        return LmsFile("moodle", moodle["id"], moodle["name"], base, folder + "/")
    moodle = MOODLE_FILE.match(base)
    if moodle:
        return LmsFile("moodle", moodle["id"], moodle["name"], moodle["file"],
                       base[: -len(moodle["file"])])
    words = base.split("_")
    for i in range(len(words) - 2):
        if words[i].isdigit() and words[i + 1].isdigit():
            late = i > 0 and words[i - 1] == "LATE"
            name = "_".join(words[: i - 1 if late else i])
            prefix = "_".join(words[: i + 2]) + "_"
            return LmsFile("canvas", words[i], name, "_".join(words[i + 2:]), prefix, late)
    return None


def notebook_name(submitted, released):
    """Map a submitted file name to the released notebook it is, undoing Canvas's `-N`
    suffix for a file submitted again; return `submitted` when nothing matches."""
    if submitted in released:
        return submitted
    path = PurePosixPath(submitted)
    match = DUPLICATE.match(path.stem)
    if match and f"{match['stem']}{path.suffix}" in released:
        return f"{match['stem']}{path.suffix}"
    return submitted
