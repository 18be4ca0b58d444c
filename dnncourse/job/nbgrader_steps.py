"""nbgrader's own steps (generate_assignment, autograde, generate_feedback, export) run in
this process through its Python API, on one course root with that course's nbgrader_config.py.

nbgrader reads nbgrader_config.py only from the working directory; here it is loaded from
the course root instead, so a step never depends on where the caller runs. Each step gives
nbgrader's own result (success and log, from NbGraderAPI) and, when it failed, the exception
that stopped it, caught where nbgrader logs it, so nobody reads nbgrader's log to learn why.
"""

import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from dnncourse import limits
from dnncourse.course import Course

# Exceptions whose own message says little to an instructor, and what they mean.
PLAIN = {
    "NotJSONError": "the notebook file is not valid JSON (cut off or corrupted)",
    "ValidationError": "the file is not a valid notebook",
}


def _shorten(text, limit=240):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def reason(exc):
    """Return in one line why `exc` stopped a step: 'Name: message', plainly worded."""
    name = type(exc).__name__
    message = _shorten(exc)
    text = f"{name}: {message}" if message else name
    return _shorten(f"{PLAIN[name]} ({text})" if name in PLAIN else text)


def load_config(course_root, **overrides):
    """Return the traitlets Config of the course at `course_root` (its nbgrader_config.py).

    `overrides` are set on CourseDirectory, e.g. root= and db_url= for a scratch copy.
    """
    from traitlets.config.loader import PyFileConfigLoader

    course = Course(course_root)
    config = PyFileConfigLoader(course.config.name, path=str(course.root)).load_config()
    for key, value in overrides.items():
        setattr(config.CourseDirectory, key, value)
    return config


@dataclass
class Outcome:
    """What one nbgrader step did."""

    success: bool
    log: str
    error: str = ""  # one line: why it failed; empty on success
    seconds: float = 0.0


class _Cause(logging.Handler):
    """Keeps the first exception nbgrader was handling when it logged an error.

    nbgrader's converters catch an exception per submission, log its traceback as text and
    raise a generic "Please see the error log" at the end. Logging runs inside their
    `except` block, so sys.exc_info() there is the real exception.
    """

    def __init__(self):
        super().__init__(logging.ERROR)
        self.exception = None
        self.messages = []

    def emit(self, record):
        exc = sys.exc_info()[1]
        if exc is not None and self.exception is None:
            self.exception = exc
        if not record.getMessage().lstrip().startswith("Traceback"):
            self.messages.append(record.getMessage())


def _alembic_on_path():
    """Put this interpreter's bin folder on PATH: on a new gradebook nbgrader runs the
    `alembic` command from PATH, which a venv's python does not add by itself."""
    bin_folder = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if bin_folder not in path.split(os.pathsep):
        os.environ["PATH"] = bin_folder + os.pathsep + path


class Steps:
    """nbgrader's API on one course root: `Steps(root, config)` with load_config's Config."""

    def __init__(self, root, config=None):
        from nbgrader.apps.api import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        _alembic_on_path()
        self.root = Path(root)
        self.config = config if config is not None else load_config(root)
        self.coursedir = CourseDirectory(config=self.config)
        self.api = NbGraderAPI(coursedir=self.coursedir, config=self.config)
        self.api.log.propagate = False  # the log comes back in each Outcome

    @property
    def course_id(self):
        return self.coursedir.course_id

    @property
    def db_url(self):
        return self.coursedir.db_url

    def _run(self, step, *args, **kwargs):
        from nbgrader.converters.base import NbGraderException

        cause = _Cause()
        self.api.log.addHandler(cause)
        start = time.monotonic()
        try:
            result = step(*args, **kwargs)
        finally:
            self.api.log.removeHandler(cause)
        seconds = time.monotonic() - start
        log = result.get("log", "")
        if result["success"]:
            return Outcome(True, log, seconds=seconds)
        if cause.exception is not None and not isinstance(cause.exception, NbGraderException):
            error = reason(cause.exception)
        elif cause.messages:
            error = _shorten(cause.messages[0])
        else:
            error = _shorten(result.get("error", "").strip().splitlines()[-1:] or
                             ["nbgrader failed without an error message"])
        return Outcome(False, log + result.get("error", ""), error, seconds)

    def generate_assignment(self, assignment):
        return self._run(self.api.generate_assignment, assignment, force=True, create=True)

    def autograde(self, assignment, student):
        return self._run(self.api.autograde, assignment, student, force=True, create=True)

    def generate_feedback(self, assignment, student):
        return self._run(self.api.generate_feedback, assignment, student, force=True)

    def export_csv(self, path):
        """Write nbgrader's CSV export of the whole gradebook to `path` (CsvExportPlugin)."""
        from nbgrader.api import Gradebook
        from nbgrader.plugins import CsvExportPlugin

        plugin = CsvExportPlugin(config=self.config)
        plugin.to = str(path)
        with Gradebook(self.db_url, self.course_id) as gradebook:
            plugin.export(gradebook)


def grading_environment():
    """Variables a grading worker sets before it runs notebooks: one BLAS thread per
    process, as kernels run side by side. (nbgrader itself sets NBGRADER_EXECUTION, which
    shortens the application's ungraded full-data runs: app_utils.full_run_iterations.)"""
    return limits.blas_environment()
