"""nbgrader settings for this course. nbgrader reads this file only from the course root."""

import os
from pathlib import Path

from nbgrader.converters import Autograde, GenerateAssignment
from nbgrader.preprocessors import ClearSolutions, DeduplicateIds, Execute, OverwriteCells

from dnncourse import limits
from dnncourse.authoring.stubs import PlaceholderStubs
from dnncourse.grader.preprocessor import TrustedGrader
from dnncourse.kernel.execution import DropDuplicateIds, RestoreCells, RobustExecute

ROOT = Path(__file__).resolve().parent

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

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

# Seconds each cell may run when validating or autograding; longer cells are interrupted.
c.Execute.timeout = limits.CELL_SECONDS

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
