"""`nbgrader zip_collect` for Canvas's and Moodle's "download all submissions" archives.

nbgrader_config.py makes `LmsCollector` zip_collect's file-name collector. The instructor
puts the LMS's archive in `downloaded/<assignment>/archive/`; nbgrader's own extractor
unpacks it into `downloaded/<assignment>/extracted/`; this plugin reads each file's name
(dnncourse/lms/names.py) and tells zip_collect whose submission it is and which notebook,
and zip_collect copies it to `submitted/<student id>/<assignment>/`.

Submission times. Neither archive records when a file was submitted (Canvas stamps its
entries with the time the archive was made), so the times come from a CSV the instructor
puts next to the archive, `downloaded/<assignment>/archive/submission_times.csv`, in one of
two layouts: Moodle's grading worksheet as Moodle exports it ("Identifier" = "Participant
<id>", "Last modified (submission)"), or two columns `student_id,timestamp` (for Canvas,
from SpeedGrader or its API). A time without a zone is read in `LmsCollector.timezone`.
zip_collect writes each time to `timestamp.txt`, where autograde reads it and nbgrader
decides lateness against the due date and the student's extension. A student without a
time gets no timestamp.txt, is graded as on time, and is named in a warning (and Canvas's
_LATE mark, if any, with it).
"""

import csv
import os

from dateutil import parser as dateparser
from dateutil import tz
from nbgrader.plugins import FileNameCollectorPlugin
from nbgrader.utils import find_all_notebooks
from traitlets import Unicode

from dnncourse.lms import names

TIMES_FILE = "submission_times.csv"
MOODLE_ID, MOODLE_TIME = "Identifier", "Last modified (submission)"


class LmsCollector(FileNameCollectorPlugin):
    """zip_collect's collector for Canvas's and Moodle's archive file names."""

    timezone = Unicode(
        "UTC", help="Time zone of submission times written without one (an IANA name, "
                    "e.g. Europe/Berlin: Moodle writes times in the user's zone)."
    ).tag(config=True)

    _times = None  # {student id: aware datetime}, read once per run
    _warned = None  # students already named in a warning

    def _archive_folder(self):
        app = self.parent  # nbgrader's ZipCollectApp
        return app._format_collect_path(app.archive_directory)

    def _released(self):
        app = self.parent
        folder = app.coursedir.format_path(app.coursedir.release_directory, ".",
                                           app.coursedir.assignment_id)
        return set(find_all_notebooks(folder))

    def read_time(self, text):
        """Parse a submission time; one without a zone is in `self.timezone`."""
        zone = tz.gettz(self.timezone)
        if zone is None:
            raise ValueError(f"LmsCollector.timezone: expected an IANA time zone name such "
                             f"as Europe/Berlin, got {self.timezone!r}")
        moment = dateparser.parse(text)
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)

    def submission_times(self):
        """Return {student id: submission time} from submission_times.csv, if there is one."""
        if self._times is not None:
            return self._times
        self._times = {}
        path = os.path.join(self._archive_folder(), TIMES_FILE)
        if not os.path.exists(path):
            self.log.warning("no %s: no submission gets a timestamp, so none is late", path)
            return self._times
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
        columns = set(rows[0]) if rows else set()
        if {MOODLE_ID, MOODLE_TIME} <= columns:
            pairs = [(row[MOODLE_ID].removeprefix("Participant").strip(), row[MOODLE_TIME])
                     for row in rows]
        elif {"student_id", "timestamp"} <= columns:
            pairs = [(row["student_id"].strip(), row["timestamp"]) for row in rows]
        else:
            raise ValueError(f"{path}: expected the columns student_id,timestamp or Moodle's "
                             f"'{MOODLE_ID}' and '{MOODLE_TIME}', got {sorted(columns)}")
        for student, text in pairs:
            text = (text or "").strip()
            if student and text and text != "-":  # Moodle writes "-" for no submission
                try:
                    self._times[student] = self.read_time(text)
                except (ValueError, OverflowError) as exc:
                    raise ValueError(f"{path}: the time {text!r} of {student} is not a date "
                                     f"and time ({exc})") from exc
        return self._times

    def collect(self, submitted_file):
        """Return zip_collect's record for one extracted file, or None to skip it."""
        if os.path.splitext(submitted_file)[1] not in self.valid_ext:
            return None
        found = names.parse(submitted_file)
        if found is None:
            self.log.warning("skipped %s: its name is neither Canvas's nor Moodle's",
                             submitted_file)
            return None
        record = {"student_id": found.student_id,
                  "file_id": names.notebook_name(found.file, self._released())}
        moment = self.submission_times().get(found.student_id)
        if moment is not None:
            record["timestamp"] = moment.isoformat()
        else:
            self._warn_untimed(found)
        return record

    def _warn_untimed(self, found):
        self._warned = self._warned or set()
        if found.student_id in self._warned:
            return
        self._warned.add(found.student_id)
        marked = " although Canvas marks it LATE" if found.late else ""
        self.log.warning("no submission time for %s (%s) in %s: graded as on time%s",
                         found.student_id, found.name, TIMES_FILE, marked)

