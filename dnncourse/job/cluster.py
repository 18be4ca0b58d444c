"""The Dask side of the grading job: the client (attached to a scheduler, or an embedded
LocalCluster on 127.0.0.1), the dashboard's address, and the check that every worker grades
with the client's course before any task is sent."""

import tempfile
import time
from contextlib import contextmanager

from dnncourse import limits
from dnncourse.job import task
from dnncourse.job.nbgrader_steps import reason

SCHEDULER_ENV = "DNNCOURSE_SCHEDULER"


@contextmanager
def dask_client(scheduler, jobs, course):
    """A Dask client: attached to `scheduler`, or to an embedded LocalCluster of `jobs`
    single-threaded worker processes that grade with `course` and listen on 127.0.0.1."""
    import logging

    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout="60s") as client:
            yield client
        return
    # The scheduler's and workers' folders (the workers' scratch courses) go in a folder of
    # this run, removed with it: Dask's default, dask-scratch-space in the temporary
    # directory, stays after the run. "temporary-directory" is Dask's setting for it.
    with tempfile.TemporaryDirectory(prefix="dnncourse-workers-") as folder, \
            dask.config.set({"temporary-directory": folder}), \
            LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                         host="127.0.0.1", dashboard_address="127.0.0.1:0",
                         silence_logs=logging.ERROR, local_directory=folder,
                         env={task.COURSE_ENV: str(course.root)}) as cluster, \
            Client(cluster) as client:
        yield client


def dashboard(client):
    """The Dask dashboard's address, or "" when the scheduler runs none (its web server
    always answers, but shows the dashboard only where bokeh is installed)."""
    import urllib.error
    import urllib.request

    if "dashboard" not in client.scheduler_info().get("services", {}):
        return ""
    try:
        with urllib.request.urlopen(client.dashboard_link, timeout=5) as answer:
            page = answer.read(4096)
    except (OSError, urllib.error.URLError):
        return ""
    return "" if b"needs bokeh" in page else client.dashboard_link


def _describe_on(client, address):
    """task.describe on the worker at `address` only (each worker checks its own course)."""
    return client.submit(task.describe, workers=[address], pure=False,
                         allow_other_workers=False, key=f"describe-{address}")


def check_workers(client, versions, commit, out):
    """Compare every worker's course (task.describe) with the client's; stop with the
    reason when one differs, or when no worker answers within limits.WORKER_START_SECONDS.

    A task pinned to a worker that leaves (it died while preparing, and its nanny started
    a new one at another address) would wait forever: such a task is dropped, and workers
    that arrive meanwhile are asked too.
    """
    from distributed import wait

    asked, described, problems = {}, {}, []
    deadline = time.monotonic() + limits.WORKER_START_SECONDS
    while time.monotonic() < deadline:
        workers = set(client.scheduler_info()["workers"])
        for address in set(asked) - workers:
            asked.pop(address).cancel()  # gone before it answered
        for address in workers - set(asked) - set(described):
            asked[address] = _describe_on(client, address)
        if asked:
            try:
                wait(list(asked.values()), timeout=5, return_when="FIRST_COMPLETED")
            except TimeoutError:  # none answered yet: look at who is there, wait again
                pass
        else:
            time.sleep(1)  # no worker yet, or all have answered
        for address in [a for a, future in asked.items() if future.done()]:
            try:
                described[address] = asked.pop(address).result()
            except Exception as exc:  # a worker that cannot prepare cannot grade: say why
                problems.append(f"worker {address} cannot grade: {reason(exc)}")
                described[address] = None
        if described and not asked:
            break
    else:
        problems.append(f"no grading worker answered within {limits.WORKER_START_SECONDS} s")
    for address, found in described.items():
        for assignment, version in versions.items():
            wrong = found is not None and task.mismatch(assignment, version, commit, found)
            if wrong:
                problems.append(f"worker {address}: {wrong}")
                break
    if problems:
        raise SystemExit("cannot grade:\n  " + "\n  ".join(problems))
    out(f"{len(described)} grading workers, each with this course")
