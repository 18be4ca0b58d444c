"""How grading time grows with the class: the main grading command on 30 and 120 Step by Step
submissions, with the SQLite gradebook and with a PostgreSQL one, in submissions per minute.

    python benchmarks/grading_scale.py [--sizes 30 120] [--gradebooks sqlite postgresql]
"""

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the scratch PostgreSQL server of the tests

from pgtemp import ScratchPostgres  # noqa: E402

from dnncourse.job import runner  # noqa: E402 (after the path set-up above)

ASSIGNMENT = "step_by_step"
# The example submissions copied round-robin under new ids. loops_forever is left out: it
# waits out the 30 s cell limit several times, which says nothing about class size.
EXAMPLES = ("correct", "typical_mistakes", "untouched", "raises")


def make_course(dest, size):
    """Copy the course with only Step by Step and `size` submissions cycled from EXAMPLES."""
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "nbgrader_config.py", dest)
    shutil.copytree(ROOT / "source" / ASSIGNMENT, dest / "source" / ASSIGNMENT,
                    ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    for number in range(size):
        example = EXAMPLES[number % len(EXAMPLES)]
        shutil.copytree(ROOT / "examples" / example / ASSIGNMENT,
                        dest / "submitted" / f"s{number:04d}-{example}" / ASSIGNMENT)
    return dest


def measure(scratch, size, gradebook, jobs):
    """Grade `size` submissions into `gradebook`; return (seconds, graded, failed)."""
    course = make_course(scratch / f"{gradebook}-{size}", size)
    server = None
    if gradebook == "postgresql":
        server = ScratchPostgres(scratch / f"pg-{size}").start()
        os.environ["DNNCOURSE_DB_URL"] = server.create_database("deep_nn", os.environ.get(
            "USER", "root") if os.geteuid() != 0 else "root")
    else:
        os.environ.pop("DNNCOURSE_DB_URL", None)
    try:
        start = time.monotonic()
        results = runner.run(course, jobs=jobs, out=lambda _line: None)
        seconds = time.monotonic() - start
    finally:
        os.environ.pop("DNNCOURSE_DB_URL", None)
        if server is not None:
            server.stop()
    failed = [r for r in results if r.error]
    return seconds, len(results) - len(failed), len(failed)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 120])
    parser.add_argument("--gradebooks", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, --jobs {args.jobs}; examples cycled: "
          + ", ".join(EXAMPLES), flush=True)
    # Other work on the machine slows grading; the load average says how busy it was.
    print(f"{'gradebook':<11} {'submissions':>11} {'failed':>6} {'seconds':>8} "
          f"{'per minute':>10}  load before/after", flush=True)
    # PostgreSQL runs as its own user and must reach its folder: no 0700 temporary folder.
    scratch = Path(tempfile.mkdtemp(prefix="dnncourse-scale-", dir="/var/tmp"))
    scratch.chmod(0o755)
    try:
        for size in args.sizes:
            for gradebook in args.gradebooks:
                before = os.getloadavg()[0]
                seconds, graded, failed = measure(scratch, size, gradebook, args.jobs)
                print(f"{gradebook:<11} {graded + failed:>11} {failed:>6} {seconds:>8.1f} "
                      f"{60 * (graded + failed) / seconds:>10.1f}  "
                      f"{before:.1f}/{os.getloadavg()[0]:.1f}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
