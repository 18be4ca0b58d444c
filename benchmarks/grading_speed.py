"""Grading throughput: the main grading command against plain sequential nbgrader.

In one run, on two scratch copies of the course holding the same N Step by Step
submissions (default 40: the example submissions `correct`, `typical_mistakes`,
`untouched` and `raises` in turn, under new student ids), this script times

1. the main command, `python -m dnncourse.grade` (sanitizing, sandboxed kernels, the
   trusted grader, feedback, export and reports included), on the embedded Dask
   cluster of one worker process per core;
2. plain `nbgrader autograde step_by_step --student X`, one student after the other.

It prints submissions per minute for both, their ratio (target: at least 5 on a 2-core
machine, issue 17) and the load average before and after, and checks that both runs gave
every submission the same total. Where the time goes: grading_stages.py.

    python benchmarks/grading_speed.py [--submissions N] [--jobs J]

The exit status is 1 when the two runs disagree on a total.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The course root goes on the path first.
from dnncourse.authoring import examples  # noqa: E402
from dnncourse.course import Course  # noqa: E402
from dnncourse.job.nbgrader_steps import grading_environment  # noqa: E402

COURSE_ITEMS = ("nbgrader_config.py", "catalogue", "source", "release", "data")
MIX = ("correct", "typical_mistakes", "untouched", "raises")
TARGET = 5


def make_course(dest, count):
    """Copy the course to `dest` with `count` Step by Step submissions; return the students."""
    dest.mkdir(parents=True)
    for item in COURSE_ITEMS:
        source = ROOT / item
        if source.is_dir():
            shutil.copytree(source, dest / item,
                            ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        else:
            shutil.copy2(source, dest / item)
    by_name = {e.student: e for e in examples.EXAMPLES if e.assignment == "step_by_step"}
    students = []
    for number in range(count):
        example = by_name[MIX[number % len(MIX)]]
        student = f"s{number + 1:03d}_{example.student}"
        folder = examples.write(example, dest / "submitted")
        folder.parent.rename(dest / "submitted" / student)
        students.append(student)
    return students


def totals(course):
    """Return {student: total score} from the course's gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(Course(course).gradebook_url) as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions("step_by_step")}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    env = dict(os.environ, **grading_environment())
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="grading-speed-") as tmp:
        main_course, plain_course = Path(tmp) / "main", Path(tmp) / "plain"
        students = make_course(main_course, args.submissions)
        make_course(plain_course, args.submissions)

        start = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "dnncourse.grade", "--course-dir",
                               str(main_course), "--jobs", str(args.jobs)], cwd=main_course,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
        main_seconds = time.monotonic() - start
        if done.returncode != 0:
            print(done.stdout)
            return 1

        # The plain run needs the release in its gradebook, as an instructor would have it.
        subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "step_by_step",
                        "--force"], cwd=plain_course, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        start = time.monotonic()
        for student in students:
            subprocess.run([sys.executable, "-m", "nbgrader", "autograde", "step_by_step",
                            "--student", student, "--force"], cwd=plain_course, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        plain_seconds = time.monotonic() - start

        ours, plain = totals(main_course), totals(plain_course)
    load_after = os.getloadavg()
    n = len(students)
    main_rate, plain_rate = 60 * n / main_seconds, 60 * n / plain_seconds
    print(f"{n} Step by Step submissions, {os.cpu_count()} cores, jobs={args.jobs}")
    print(f"main command (release, sanitize, sandbox, grader, feedback, export):      "
          f"{main_seconds:.1f} s, {main_rate:.1f} submissions per minute")
    print(f"plain sequential nbgrader autograde --student X:                         "
          f"{plain_seconds:.1f} s, {plain_rate:.1f} submissions per minute")
    ratio = main_rate / plain_rate
    print(f"ratio {ratio:.2f} (target at least {TARGET}): "
          f"{'met' if ratio >= TARGET else 'NOT met'}")
    print(f"load average (1, 5, 15 min) before {load_before}, after {load_after}")
    differ = {s: (ours.get(s), plain.get(s)) for s in students if ours.get(s) != plain.get(s)}
    if differ:
        print(f"totals differ (main, plain): {differ}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
