"""What the job knows about one submission after a run: graded, skipped or why not, its
points per function, lateness, and which worker graded it in how long."""

from dataclasses import dataclass, field


@dataclass
class Result:
    """Outcome of one submission in one run of the job."""

    student: str
    assignment: str
    error: str = ""  # why it could not be graded; empty when graded
    seconds: float = 0.0  # on its worker, in all
    points: dict = field(default_factory=dict)  # function -> points
    set_aside: list = field(default_factory=list)  # names moved out of the submission
    skipped: bool = False  # graded before with the same submission and grader, not again
    feedback_error: str = ""  # why generate_feedback failed, if it did
    worker: str = ""  # address of the Dask worker that graded it
    host: str = ""
    pid: int = 0
    started: float = 0.0  # UNIX time the worker started it
    timings: dict = field(default_factory=dict)  # step -> seconds (autograde, feedback, ...)
    late_penalty: float = 0.0  # points taken off by the late-submission plugin
    seconds_late: float = 0.0

    @property
    def graded(self):
        return not self.error

    @property
    def status(self):
        return f"could not be graded: {self.error}" if self.error else "graded"


class Report(list):
    """The Results of one run, and the assignments whose grading was stopped, with why."""

    def __init__(self, results=(), stopped=None):
        super().__init__(results)
        self.stopped = dict(stopped or {})

    @property
    def failed(self):
        """Whether anything could not be graded (the job's exit status is then 1)."""
        return bool(self.stopped) or any(r.error for r in self)
