"""How grading scales: the main grading job on Dask, embedded (the default: a LocalCluster of
one worker per core) and on a separate `dask scheduler` with two `dask worker` processes on
this machine, for 40 and 200 Step by Step submissions, against plain sequential
`nbgrader autograde --student X` in the same run; submissions per minute, seconds per
submission on the workers, the scheduler's overhead per task, and the load average.

    python benchmarks/grading_scale.py [--sizes 40 200] [--modes embedded cluster]
                                       [--gradebooks sqlite postgresql] [--plain 12]
                                       [--baseline DIR]

--baseline times, in the same run, the main command of another checkout of the course
(e.g. `git archive <commit> | tar -x -C DIR`: the job before Dask) on the same submissions.
"""

import argparse
import csv
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the scratch PostgreSQL server and Dask processes

from dask_processes import DaskProcesses  # noqa: E402
from pgtemp import ScratchPostgres  # noqa: E402

from dnncourse.job import cluster, runner  # noqa: E402 (after the path set-up above)
from dnncourse.job.nbgrader_steps import grading_environment  # noqa: E402

ASSIGNMENT = "step_by_step"
# The example submissions copied round-robin under new ids. loops_forever is left out: it
# waits out the 30 s cell limit several times, which says nothing about class size.
EXAMPLES = ("correct", "typical_mistakes", "untouched", "raises")
COURSE_ITEMS = ("nbgrader_config.py", "catalogue", "source", "data")


def make_course(dest, size, submissions=True):
    """Copy the course with only Step by Step and `size` submissions cycled from EXAMPLES."""
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "application")
    for item in COURSE_ITEMS:
        if (ROOT / item).is_dir():
            shutil.copytree(ROOT / item, dest / item, ignore=ignore)
        else:
            shutil.copy2(ROOT / item, dest / item)
    for number in range(size if submissions else 0):
        example = EXAMPLES[number % len(EXAMPLES)]
        shutil.copytree(ROOT / "examples" / example / ASSIGNMENT,
                        dest / "submitted" / f"s{number:04d}-{example}" / ASSIGNMENT)
    return dest


def _owner():
    return "root" if os.geteuid() == 0 else os.environ.get("USER", "postgres")


def per_task(course):
    """(median seconds of a task on its worker, sum of task seconds) from workers.csv."""
    with open(course / "reports" / "workers.csv", encoding="utf-8") as handle:
        seconds = [float(row["seconds"]) for row in csv.DictReader(handle)]
    return statistics.median(seconds), sum(seconds)


def measure(scratch, size, mode, gradebook):
    """Grade `size` submissions; return (wall seconds, graded, failed, median task, busy,
    median client write, milliseconds per no-op task)."""
    course = make_course(scratch / f"{mode}-{gradebook}-{size}", size)
    server, processes, scheduler = None, None, None
    try:
        if gradebook == "postgresql":
            server = ScratchPostgres(scratch / f"pg-{mode}-{size}").start()
            os.environ["DNNCOURSE_DB_URL"] = server.create_database("deep_nn", _owner())
        if mode == "cluster":
            processes = DaskProcesses(scratch / f"dask-{size}").start_scheduler()
            for name in ("w1", "w2"):
                worker = make_course(scratch / f"{name}-{size}", 0, submissions=False)
                processes.start_worker(name, worker)
            processes.wait_for_workers(2)
            scheduler = processes.address
        trip = round_trip(scheduler, course)
        start = time.monotonic()
        results = runner.run(course, out=lambda _line: None, scheduler=scheduler)
        seconds = time.monotonic() - start
    finally:
        os.environ.pop("DNNCOURSE_DB_URL", None)
        if processes is not None:
            processes.stop()
        if server is not None:
            server.stop()
    failed = sum(bool(r.error) for r in results)
    median, busy = per_task(course)
    write = statistics.median(r.timings.get("write", 0.0) for r in results)
    return seconds, len(results) - failed, failed, median, busy, write, trip


def round_trip(scheduler, course, tasks=400):
    """Milliseconds per task of Dask alone: no-op tasks (len of a 60 kB payload, the size
    of a notebook) sent as the job sends submissions, one in flight per worker thread."""
    from distributed import as_completed

    data = os.urandom(60_000)
    with cluster.dask_client(scheduler, 2, course) as client:
        client.submit(len, data, pure=False).result()  # connections made
        threads = sum(client.nthreads().values())
        start = time.monotonic()
        running = as_completed([client.submit(len, data, pure=False) for _ in range(threads)])
        sent = threads
        for future in running:
            future.result()
            if sent < tasks:
                running.add(client.submit(len, data, pure=False))
                sent += 1
        return 1000 * (time.monotonic() - start) / tasks


def plain(scratch, count):
    """Seconds of plain `nbgrader autograde --student X`, one after the other, for `count`
    submissions (a sequential rate does not depend on the size of the class)."""
    course = make_course(scratch / "plain", count)
    env = dict(os.environ, **grading_environment())
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT,
                    "--force"], cwd=course, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    start = time.monotonic()
    for student in sorted(p.name for p in (course / "submitted").iterdir()):
        subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--student",
                        student, "--force"], cwd=course, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def baseline(scratch, size, folder):
    """Seconds of the main command of the checkout in `folder` on `size` submissions (its
    package first on the path, this environment's packages)."""
    course = make_course(scratch / f"baseline-{size}", size)
    env = dict(os.environ, PYTHONPATH=str(Path(folder).resolve()))
    env.pop("DNNCOURSE_DB_URL", None)
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "dnncourse.grade", "--course-dir", str(course),
                           "--jobs", "2"], cwd=course, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if done.returncode != 0:
        raise SystemExit(f"the baseline failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 200])
    parser.add_argument("--modes", nargs="+", default=["embedded", "cluster"],
                        choices=["embedded", "cluster"])
    parser.add_argument("--gradebooks", nargs="+", default=["sqlite"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--plain", type=int, default=12,
                        help="submissions graded by plain sequential nbgrader (0: none)")
    parser.add_argument("--baseline", metavar="DIR",
                        help="a checkout whose main command is timed too (SQLite)")
    args = parser.parse_args(argv)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; examples cycled: " + ", ".join(EXAMPLES),
          flush=True)
    # Other work on the machine slows grading; the load average says how busy it was.
    print(f"{'mode':<22} {'gradebook':<10} {'subm.':>5} {'failed':>6} {'seconds':>8} "
          f"{'per min':>7} {'task s':>6} {'idle s':>6} {'write ms':>8} {'Dask ms':>7}"
          "  load before/after", flush=True)
    # PostgreSQL runs as its own user and must reach its folder: no 0700 temporary folder.
    scratch = Path(tempfile.mkdtemp(prefix="dnncourse-scale-", dir="/var/tmp"))
    scratch.chmod(0o755)
    try:
        if args.plain:
            before = os.getloadavg()[0]
            seconds = plain(scratch, args.plain)
            print(f"{'plain nbgrader, 1 by 1':<22} {'sqlite':<10} {args.plain:>5} {'':>6} "
                  f"{seconds:>8.1f} {60 * args.plain / seconds:>7.1f} "
                  f"{seconds / args.plain:>6.1f} {'':>6} {'':>8} {'':>7}  "
                  f"{before:.1f}/{os.getloadavg()[0]:.1f}", flush=True)
        for size in args.sizes:
            if args.baseline:
                before = os.getloadavg()[0]
                seconds = baseline(scratch, size, args.baseline)
                print(f"{'baseline checkout':<22} {'sqlite':<10} {size:>5} {'':>6} "
                      f"{seconds:>8.1f} {60 * size / seconds:>7.1f} {'':>6} {'':>6} {'':>8} "
                      f"{'':>7}  {before:.1f}/{os.getloadavg()[0]:.1f}", flush=True)
            for mode in args.modes:
                for gradebook in args.gradebooks:
                    before = os.getloadavg()[0]
                    seconds, graded, failed, median, busy, write, trip = measure(
                        scratch, size, mode, gradebook)
                    # Wall time the two workers were not grading, per task: the fixed
                    # start-up and release, the scheduler's and the client's share.
                    idle = (2 * seconds - busy) / (graded + failed)
                    label = "embedded, 2 workers" if mode == "embedded" else \
                        "scheduler + 2 workers"
                    print(f"{label:<22} {gradebook:<10} {graded + failed:>5} {failed:>6} "
                          f"{seconds:>8.1f} {60 * (graded + failed) / seconds:>7.1f} "
                          f"{median:>6.1f} {idle:>6.2f} {1000 * write:>8.0f} {trip:>7.1f}  "
                          f"{before:.1f}/{os.getloadavg()[0]:.1f}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
