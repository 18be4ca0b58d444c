"""Where grading time goes: wall and CPU of each stage of one submission, and the limits.

Grades N Step by Step submissions (default 8: the examples `correct`, `typical_mistakes`,
`untouched` and `raises` in turn) one after the other in this process, exactly as a Dask
worker and the client do (dnncourse/job/task.py's scratch course and grade(), then the
client's gradebook write), with a clock around each stage (benchmarks/stage_clock.py):
sanitizing; inside nbgrader autograde its set-up, the sanitize preprocessors, the kernel
start in the sandbox, the cells, the kernel shutdown, the trusted grader (its sandboxed
child's CPU included) and the rest (reading, writing, saving scores); generate_feedback
(nbconvert's BeautifulSoup pass shown apart); the gradebook write. CPU is this process's
plus its children's, so the kernels and the grader's children count.

Then the limits the same protections allow: the trusted grader with a plain `python -I`
child instead of the sandboxed one (the student's code and every check); an IPython kernel
start, one cell and shutdown, plain and sandboxed; the sandbox's own cost (`python -I -c
pass` with and without bubblewrap). The machine's load average is printed before and after.

    python benchmarks/grading_stages.py [--submissions N] [--repeat R]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from grading_speed import make_course  # noqa: E402
from stage_clock import Clock, now  # noqa: E402

from dnncourse.course import Course  # noqa: E402
from dnncourse.job.nbgrader_steps import grading_environment  # noqa: E402

ASSIGNMENT = "step_by_step"


def instrument(clock):
    """Put the clock around the stages of autograde and generate_feedback."""
    import bs4
    from nbgrader.converters import Autograde, GenerateFeedback
    from nbgrader.preprocessors import (
        CheckCellMetadata,
        ClearOutput,
        LimitOutput,
        OverwriteKernelspec,
        SaveAutoGrades,
    )

    from dnncourse.grader.feedback_page import FeedbackPage
    from dnncourse.grader.preprocessor import TrustedGrader
    from dnncourse.kernel.execution import DropDuplicateIds, RestoreCells, RobustExecute

    clock.wrap(Autograde, "init_assignment", "autograde: gradebook and file set-up")
    for step in (DropDuplicateIds, RestoreCells, ClearOutput, CheckCellMetadata,
                 OverwriteKernelspec, LimitOutput):
        clock.wrap(step, "preprocess", "autograde: sanitize, restore, check cells")
    clock.wrap(RobustExecute, "start_new_kernel", "autograde: kernel start (sandbox)")
    clock.wrap(RobustExecute, "start_new_kernel_client", "autograde: kernel start (sandbox)")
    clock.wrap(RobustExecute, "preprocess", "autograde: the notebook's cells")
    clock.wrap(RobustExecute, "_cleanup_kernel", "autograde: kernel shutdown")
    clock.wrap(TrustedGrader, "preprocess", "autograde: trusted grader (child incl.)")
    clock.wrap(SaveAutoGrades, "preprocess", "autograde: save scores")
    clock.wrap(Autograde, "start", "autograde: other (read, write, checks)")
    clock.wrap(GenerateFeedback, "start", "feedback: other (read grades, write)")
    clock.wrap(FeedbackPage, "from_notebook_node", "feedback: render the page")
    for owner, method in ((bs4.BeautifulSoup, "__init__"), (bs4.element.Tag, "select"),
                          (bs4.BeautifulSoup, "decode")):
        clock.wrap(owner, method, "feedback: BeautifulSoup pass (nbconvert)")


def grade_all(course, students, clock):
    """Grade `students` as the job does, one at a time; return {stage: [per submission]}."""
    from dnncourse.grader.version import grader_version
    from dnncourse.job import submissions, task
    from dnncourse.job.gradebook import Book
    from dnncourse.job.nbgrader_steps import Steps

    steps = Steps(course.root)
    assert steps.generate_assignment(ASSIGNMENT).success, "cannot release into the course"
    version = grader_version(course, ASSIGNMENT)
    os.environ[task.COURSE_ENV] = str(course.root)
    clock.run("worker start (once per worker)", task.scratch)
    clock.take()
    per_stage = {}
    with Book(steps) as book:
        for student in students:
            clock.run("client: sanitize", submissions.sanitize, course, student, ASSIGNMENT)
            payload = clock.run("client: read the submission", submissions.payload, course,
                                student, ASSIGNMENT, version)
            clock.start("worker: task (copies, scores, files)")
            outcome = task.grade(payload)
            clock.stop()
            assert not outcome["error"], f"{student}: expected a graded submission, got " \
                                         f"{outcome['error']}"
            clock.run("client: gradebook write", book.write, outcome, None, "local")
            for stage, values in clock.take().items():
                per_stage.setdefault(stage, []).append(values)
    return per_stage


def kernel_round_trip(sandboxed, folder):
    """Start an IPython kernel (sandboxed or plain) in `folder`, run one cell, shut it down."""
    import asyncio

    from jupyter_client.manager import AsyncKernelManager

    from dnncourse.kernel.sandbox import SandboxedKernelManager

    async def round_trip():
        manager = (SandboxedKernelManager if sandboxed else AsyncKernelManager)(
            kernel_name="python3")
        await manager.start_kernel(cwd=str(folder))
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            await client.execute_interactive("x = sum(range(1000))", timeout=60)
        finally:
            client.stop_channels()
            await manager.shutdown_kernel()

    asyncio.run(round_trip())


def grader_alone(course, notebook, sandboxed):
    """The trusted grader on one notebook, its child sandboxed or a plain `python -I`."""
    from unittest import mock

    from dnncourse.course import read_notebook
    from dnncourse.grader.grading import grade_notebook
    from dnncourse.kernel import sandbox

    nb = read_notebook(notebook)
    if sandboxed:
        return grade_notebook(course, ASSIGNMENT, nb)
    # Measurement only: the child's command line without bubblewrap and prlimit around it.
    with mock.patch.object(sandbox, "command", lambda argv, **kw: argv):
        return grade_notebook(course, ASSIGNMENT, nb)


def limits(course, notebook, repeat):
    """{measurement: [(wall, own CPU, children's CPU)] * repeat}."""
    from dnncourse.kernel import sandbox

    # The interpreter reports its own CPU at exit, as a watcher can miss so short a life.
    python = [sys.executable, "-I", "-c", "import time; print(time.process_time())"]
    folder = notebook.parent
    runs = {
        "grader, sandboxed child": lambda: grader_alone(course, notebook, True),
        "grader, plain child (code + checks)": lambda: grader_alone(course, notebook, False),
        "kernel start + 1 cell + shutdown, plain": lambda: kernel_round_trip(False, folder),
        "kernel start + 1 cell + shutdown, sandboxed": lambda: kernel_round_trip(True, folder),
        "python -I start-up, plain": lambda: reported(python),
        "python -I start-up, sandboxed": lambda: reported(sandbox.command(python)),
    }
    found = {}
    for name, run in runs.items():
        run()  # warm the file cache
        found[name] = []
        for _ in range(repeat):
            start = now()
            inside = run()
            spent = [b - a for a, b in zip(start, now())]
            if isinstance(inside, float):
                spent[2] = inside
            found[name].append(tuple(spent))
    return found


def reported(command):
    """Run `command`, which prints its own CPU seconds; return them."""
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return float(done.stdout.split()[-1])


def row(name, samples):
    walls = [s[0] for s in samples]
    cpus = [s[1] + s[2] for s in samples]
    children = [s[2] for s in samples]
    return (f"{name:<48} {statistics.median(walls):7.3f} {statistics.median(cpus):7.3f} "
            f"{statistics.median(children):7.3f}")


def print_table(title, table):
    print(f"\n{title}")
    print(f"{'':<48} {'wall':>7} {'CPU':>7} {'child':>7}   (median seconds)")
    for name, samples in table.items():
        print(row(name, samples))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each limit measurement")
    args = parser.parse_args(argv)
    os.environ.update(grading_environment())
    # nbgrader's own add_submission makes SQLAlchemy warn; the job silences it the same way.
    warnings.filterwarnings("ignore", "Object of type")
    load_before = os.getloadavg()
    clock = Clock()
    instrument(clock)
    with tempfile.TemporaryDirectory(prefix="grading-stages-") as tmp:
        course = Course(Path(tmp) / "course")
        students = make_course(course.root, args.submissions)
        started = now()
        per_stage = grade_all(course, students, clock)
        total = [b - a for a, b in zip(started, now())]
        notebook = course.submission(students[0], ASSIGNMENT)
        limit = limits(course, next(notebook.glob("*.ipynb")), args.repeat)
        from dnncourse.job import task

        for scratch in task._SCRATCH:
            shutil.rmtree(scratch.root, ignore_errors=True)
    load_after = os.getloadavg()
    stages = {k: v for k, v in per_stage.items() if not k.startswith("worker start")}
    print(f"{len(students)} Step by Step submissions graded one at a time in one process, "
          f"{os.cpu_count()} cores")
    print_table("Per submission, by stage (each without its inner stages):", stages)
    sums = [sum(statistics.median(s[i] for s in v) for v in stages.values()) for i in range(3)]
    print(f"{'sum of the medians':<48} {sums[0]:7.3f} {sums[1] + sums[2]:7.3f} {sums[2]:7.3f}")
    print(f"whole run {total[0]:.1f} s wall, {total[1] + total[2]:.1f} s CPU "
          f"(worker start included)")
    print_table("Limits:", limit)
    print(f"\nload average (1, 5, 15 min) before {load_before}, after {load_after}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
