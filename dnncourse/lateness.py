"""The late-submission policy, as nbgrader's LateSubmissionPlugin (nbgrader_config.py).

Policy: a submission loses `percent_per_day` percent (10 by default) of its score for each
day or part of a day it came in after its due date, so it is worth nothing from the tenth
day on; a submission within `grace_minutes` (0 by default) of the due date is on time.
The due date is the assignment's in the gradebook (`nbgrader db assignment add ASSIGNMENT
--duedate=...`), moved for one student by an extension (`python -m dnncourse.extension`);
the submission time is its timestamp.txt. nbgrader's autograde asks this plugin for the
penalty of each late notebook and keeps it in the gradebook: `nbgrader export`, the Canvas
export and the feedback subtract it. `apply` writes the same penalty outside autograde, for
a grading job that changes scores after autograde or an extension granted after grading.
"""

import math
from dataclasses import dataclass

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float, Int

DAY_SECONDS = 24 * 3600


class LatePenalty(LateSubmissionPlugin):
    """A share of the score per started day late, after an optional grace period."""

    percent_per_day = Float(10.0, help="Percent of the score lost per started day late.").tag(
        config=True)
    grace_minutes = Int(0, help="Minutes after the due date that still count as on time.").tag(
        config=True)

    def days_late(self, total_seconds_late):
        """Started days late once the grace period is over (0 when within it)."""
        seconds = total_seconds_late - 60 * self.grace_minutes
        return math.ceil(seconds / DAY_SECONDS) if seconds > 0 else 0

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        """Return the points `score` loses for being `total_seconds_late` seconds late."""
        days = self.days_late(total_seconds_late)
        share = min(1.0, days * self.percent_per_day / 100)
        penalty = round(score * share, 2)
        self.log.info("%s: %d day(s) late, %g%% of %g points: penalty %g", student_id, days,
                         100 * share, score, penalty)
        return penalty


@dataclass(frozen=True)
class Lateness:
    """How late one submission is and what that costs, as written to the gradebook."""

    assignment: str
    student: str
    seconds_late: float  # after the due date plus the student's extension; 0 when on time
    penalty: float  # points taken off the submission's score (0 when on time)


def policy(course):
    """The LatePenalty plugin configured by `course`'s nbgrader_config.py."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(course.config.name, path=str(course.root)).load_config()
    return LatePenalty(config=config)


def apply(gradebook, assignment_id, student_id, plugin):
    """Write the late penalty of one submission into `gradebook` (an open nbgrader Gradebook),
    as nbgrader's AssignLatePenalties does inside autograde: per notebook, `plugin`'s penalty
    on the notebook's current score, kept between 0 and that score. Run it again after a
    score or an extension changes. Return the Lateness."""
    submission = gradebook.find_submission(assignment_id, student_id)
    seconds = submission.total_seconds_late
    total = 0.0
    for notebook in submission.notebooks:
        penalty = None
        if seconds > 0:
            penalty = plugin.late_submission_penalty(student_id, notebook.score, seconds)
            if penalty is not None:
                penalty = min(max(0.0, penalty), notebook.score)
                total += penalty
        notebook.late_submission_penalty = penalty
    gradebook.db.commit()
    return Lateness(assignment_id, student_id, seconds, total)
