"""A throw-away PostgreSQL server on 127.0.0.1 for the hub test and the grading benchmark.

It runs Debian's server binaries in a folder of its own, as the `postgres` user when
started by root (PostgreSQL refuses to run as root), and is stopped by its process id.
"""

import glob
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path


def server_bindir():
    """Return the folder of Debian's newest PostgreSQL server binaries, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"),
                   key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    postgres = shutil.which("postgres")
    return Path(postgres).parent if postgres else None


def free_port():
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ScratchPostgres:
    """A PostgreSQL cluster in `folder`, listening on 127.0.0.1 only, with trust logins.

    Trust is fine for a scratch server that lives for one test; a class's server uses peer
    or password logins (docs/deployment.md, "Running a real class").
    """

    def __init__(self, folder, port=None):
        self.folder = Path(folder)
        self.data = self.folder / "data"
        self.port = port or free_port()
        self.bindir = server_bindir()
        self.process = None
        # PostgreSQL will not run as root; Debian's package made the `postgres` user. The
        # server is started as that user directly, so its process id is the server's own.
        self.as_user = {"user": "postgres", "group": "postgres", "extra_groups": []} \
            if os.geteuid() == 0 else {}

    def _run(self, *command):
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.folder,
                              stdin=subprocess.DEVNULL, **self.as_user)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def start(self, timeout=60):
        """Create the cluster, start the server and wait until it accepts connections."""
        if self.bindir is None:
            raise RuntimeError("PostgreSQL's server is not installed (debian-packages.txt)")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o755)
        if self.as_user:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "--encoding=UTF8", "--no-sync")
        log = open(self.folder / "server.log", "ab")  # the server keeps its own copy
        self.process = subprocess.Popen(
            [str(self.bindir / "postgres"), "-D", str(self.data),
             "-h", "127.0.0.1", "-p", str(self.port), "-k", str(self.folder),
             "-c", "max_connections=200", "-c", "fsync=off"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=self.folder,
            **self.as_user)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("PostgreSQL stopped at start:\n" + self.log())
            ready = subprocess.run([str(self.bindir / "pg_isready"), "-h", "127.0.0.1",
                                    "-p", str(self.port)], capture_output=True)
            if ready.returncode == 0:
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"PostgreSQL did not accept connections within {timeout} s")

    def log(self):
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def sql(self, statement, database="postgres"):
        """Run one SQL statement as the superuser and return psql's output."""
        return self._run(str(self.bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port),
                         "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1",
                         "-At", "-c", statement)

    def create_database(self, name, owner):
        """Create the login role `owner` (if new) and an empty database `name` it owns."""
        exists = self.sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{owner}'")
        if not exists.strip():
            self.sql(f'CREATE ROLE "{owner}" LOGIN')
        self.sql(f'CREATE DATABASE "{name}" OWNER "{owner}"')
        return self.url(name, owner)

    def url(self, database, user):
        """Return the SQLAlchemy URL of `database` for `user`, with the psycopg2 driver."""
        return f"postgresql+psycopg2://{user}@127.0.0.1:{self.port}/{database}"

    def stop(self, timeout=30):
        """Stop the server by its process id (fast shutdown) and wait for it to end."""
        if self.process is None or self.process.poll() is not None:
            return
        # SIGINT is PostgreSQL's fast shutdown: it ends the sessions and stops cleanly.
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
