"""nbgrader settings for this course. nbgrader reads this file only from the course root."""

import os
import sys
from pathlib import Path

from nbgrader.converters import Autograde, GenerateAssignment
from nbgrader.preprocessors import ClearSolutions, DeduplicateIds, Execute, OverwriteCells

from dnncourse import limits
from dnncourse.authoring.stubs import PlaceholderStubs
from dnncourse.grader import feedback_page
from dnncourse.grader.preprocessor import TrustedGrader
from dnncourse.kernel.execution import DropDuplicateIds, RestoreCells, RobustExecute
from dnncourse.lateness import LatePenalty
from dnncourse.lms.collect import LmsCollector

ROOT = Path(__file__).resolve().parent

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

# nbgrader runs the `alembic` command from PATH when it makes or upgrades a gradebook
# (`nbgrader db ...`, the first command of a course): this environment's bin goes first, so
# `.venv/bin/nbgrader` works without activating the environment.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")

c.CourseDirectory.course_id = "deep-nn"
c.CourseDirectory.root = str(ROOT)
# The busy timeout lets several grading processes share the SQLite gradebook. A class on
# the hub sets DNNCOURSE_DB_URL to its PostgreSQL gradebook instead (README, "Running a real
# class"): postgresql+psycopg2://user@host/db names the driver SQLAlchemy 2.1 must use.
c.CourseDirectory.db_url = (os.environ.get("DNNCOURSE_DB_URL")
                            or f"sqlite:///{ROOT / 'gradebook.db'}?timeout=60")

# Released solution regions show `name = None` placeholders (dnncourse/authoring/stubs.py);
# this stub is used only for a cell that is a solution as a whole.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\npass"}
c.GenerateAssignment.preprocessors = [
    PlaceholderStubs if step is ClearSolutions else step
    for step in GenerateAssignment.class_traits()["preprocessors"].default()
]

# The feedback page names the functions, draws formulas without network and fits pictures
# and long messages to the page (dnncourse/grader/feedback_page.py).
c.GenerateFeedback.exporter_class = feedback_page.FeedbackPage

# Seconds each cell may run when validating or autograding; longer cells are interrupted.
c.Execute.timeout = limits.CELL_SECONDS
# A grading kernel has nothing to save when its notebook is done: it is stopped at once
# instead of being asked to shut down and awaited (0.4 s a notebook, at times 3 s).
c.Execute.shutdown_kernel = "immediate"

# Autograde survives broken submissions (dnncourse/kernel/execution.py): duplicated,
# deleted or re-flagged test cells are restored instead of failing the notebook, and a
# kernel that dies or ignores the interrupt is restarted and grading goes on; the kernel
# runs sandboxed, with its memory capped. Then the grader decides every grade cell outside
# the kernel (dnncourse/grader/preprocessor.py), before nbgrader saves the scores.
_robust = {DeduplicateIds: DropDuplicateIds, OverwriteCells: RestoreCells, Execute: RobustExecute}
_steps = Autograde.class_traits()
c.Autograde.sanitize_preprocessors = [
    _robust.get(step, step) for step in _steps["sanitize_preprocessors"].default()
]
c.Autograde.autograde_preprocessors = [
    replaced for step in _steps["autograde_preprocessors"].default()
    for replaced in ([RobustExecute, TrustedGrader] if step is Execute else [step])
]
c.TrustedGrader.course_root = str(ROOT)
# Grading kernels print tracebacks without IPython's context lines and colours: the
# student's feedback still names the file, line, code and error of a failing cell, and
# formatting the default traceback took 75 to 100 ms of CPU per failing cell
# (benchmarks/README.md). Only the sandboxed grading kernels read this setting.
c.SandboxedKernelManager.extra_arguments = ["--InteractiveShell.xmode=Plain"]

# Lateness: the due date in the gradebook (nbgrader db assignment add ... --duedate=...),
# extensions (python -m dnncourse.extension), timestamp.txt, and this policy
# (dnncourse/lateness.py: 10 % of the score per started day late).
c.AssignLatePenalties.plugin_class = LatePenalty

# LMS archives: `nbgrader zip_collect ASSIGNMENT` reads Canvas's and Moodle's file names
# (dnncourse/lms/collect.py); the Canvas grade export is
# `nbgrader export --exporter=dnncourse.lms.export.CanvasExport --to reports/canvas.csv`.
c.ZipCollectApp.collector_plugin = LmsCollector
