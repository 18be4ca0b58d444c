"""A Dask scheduler and workers as separate processes on 127.0.0.1, for the tests of the
grading job on a cluster; every process is started here and stopped by its process id."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil

DASK = Path(sys.executable).parent / "dask"


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DaskProcesses:
    """`dask scheduler` and `dask worker` processes, logging into `folder`."""

    def __init__(self, folder, env=None):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.env = dict(os.environ, **(env or {}))
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.scheduler = None
        self.workers = {}  # name -> Popen

    def _start(self, name, command, env):
        log = open(self.folder / f"{name}.log", "ab")
        try:
            return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, env=env, cwd=self.folder)
        finally:
            log.close()

    def start_scheduler(self):
        self.scheduler = self._start("scheduler", [
            str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(self.port),
            "--dashboard-address", "127.0.0.1:0"], self.env)
        return self

    def start_worker(self, name, course, nanny=False, env=None):
        """Start a single-threaded worker grading with the course at `course`."""
        local = self.folder / f"{name}-local"
        local.mkdir(exist_ok=True)
        command = [str(DASK), "worker", self.address, "--name", name, "--nthreads", "1",
                   "--host", "127.0.0.1", "--local-directory", str(local), "--no-dashboard",
                   "--nanny" if nanny else "--no-nanny", "--death-timeout", "120"]
        worker_env = dict(self.env, DNNCOURSE_COURSE_DIR=str(course), **(env or {}))
        self.workers[name] = self._start(name, command, worker_env)
        return self.workers[name]

    def wait_for_workers(self, count, timeout=300):
        """Wait until the scheduler knows `count` workers; return their addresses by name."""
        from distributed import Client

        deadline = time.monotonic() + timeout
        with Client(self.address, timeout="60s") as client:
            while True:
                found = {info["name"]: address
                         for address, info in client.scheduler_info()["workers"].items()}
                if len(found) >= count:
                    return found
                for name, process in self.workers.items():
                    if process.poll() is not None and name not in found:
                        raise RuntimeError(f"worker {name} stopped:\n{self.log(name)}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"expected {count} workers within {timeout} s, got "
                                       f"{sorted(found)}")
                time.sleep(0.2)

    def log(self, name):
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def kill(self, name):
        """SIGKILL one worker (with its nanny and worker process, if it has a nanny)."""
        process = self.workers.pop(name)
        for child in psutil.Process(process.pid).children(recursive=False):
            child.kill()
        process.send_signal(signal.SIGKILL)
        process.wait()

    def stop(self):
        """Stop every process started here, by its id, and wait; kill what remains."""
        processes = [*self.workers.values(), self.scheduler]
        for process in processes:
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            if process is None:
                continue
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                for child in psutil.Process(process.pid).children(recursive=True):
                    child.kill()
                process.kill()
                process.wait()
        self.workers.clear()

    def __enter__(self):
        return self.start_scheduler()

    def __exit__(self, *exc):
        self.stop()
