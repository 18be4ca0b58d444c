"""A throw-away class site for the hub test: Linux users, a shared venv, PostgreSQL, JupyterHub.

Everything it makes lives under one scratch folder or is listed for `close()` to undo.
"""

import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import requests
from pgtemp import ScratchPostgres, free_port

from dnncourse.course import Course

REPO = Course()  # this repository's course

ROOT = REPO.root
COURSE = "deep-nn"
# Test and lint tools stay out of the class's venv.
# The machine's own Python; pyenv's lives under /root, which other users cannot enter.
SYSTEM_PYTHON = "/usr/bin/python3.11"


def world_reachable(path):
    """Return True when every folder above `path` lets other users through."""
    path = Path(path).resolve()
    return all(os.stat(folder).st_mode & 0o001 for folder in [*path.parents][::-1])


def run(command, user=None, check=True, **kwargs):
    """Run `command` (as `user` when given) and return the CompletedProcess."""
    if user is not None:
        entry = pwd.getpwnam(user)
        kwargs.update(user=entry.pw_uid, group=entry.pw_gid, extra_groups=[])
    if "input" not in kwargs:
        kwargs["stdin"] = subprocess.DEVNULL
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if check and done.returncode != 0:
        raise AssertionError(f"expected {command[0]} to succeed, got exit {done.returncode}:\n"
                             f"{done.stdout}\n{done.stderr}")
    return done


def pids_of(uid):
    """Return the process ids whose effective user is `uid`."""
    return [proc.pid for proc in psutil.process_iter(["uids"])
            if proc.info["uids"] is not None and proc.info["uids"].effective == uid]


def stop_pid(pid, timeout=30):
    """Send SIGTERM to `pid`, wait for it to go, then SIGKILL it.

    A hand-made wait: psutil's wait() waits for a zombie to be reaped, which only its parent
    may do; a zombie has stopped, so it counts as gone here.
    """
    try:
        proc = psutil.Process(pid)
        proc.terminate()
    except psutil.NoSuchProcess:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _running(pid):
            return
        time.sleep(0.2)
    try:
        proc.kill()  # psutil refuses if the pid now belongs to another process
    except psutil.NoSuchProcess:
        pass


def _running(pid):
    """True while process `pid` is alive and not a zombie."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


class Site:
    """The users, folders and servers of one hub test; `close()` removes them all."""

    def __init__(self, logs):
        self.logs = Path(logs)  # pytest's own temporary folder keeps the hub log for a look
        self.scratch = Path(tempfile.mkdtemp(prefix="dnncourse-hub-", dir="/var/tmp"))
        self.scratch.chmod(0o755)  # the class's users must reach the venv and the exchange
        self.users = {}  # name -> password
        self.postgres = None
        self.hub = None
        self.proxy_pid = None
        self.hub_log = self.scratch / "jupyterhub.log"
        self.venv = self.scratch / "venv"
        self.deploy = self.scratch / "deploy"
        self.exchange = self.scratch / "exchange"
        self.state = self.scratch / "state"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    # -- set-up -------------------------------------------------------------------------

    def make_venv(self):
        """Build the class's venv from the machine's Python in a folder everyone can read."""
        python = SYSTEM_PYTHON if Path(SYSTEM_PYTHON).exists() else sys.executable
        assert world_reachable(python), (
            f"expected a Python other users can run, got {python} under a closed folder")
        run([python, "-m", "venv", "--without-pip", str(self.venv)])
        # Grading's and the hub's packages, as `make setup-hub` installs them.
        wanted = [line for name in ("requirements.txt", "requirements-hub.txt")
                  for line in (ROOT / name).read_text().splitlines()
                  if line.strip() and not line.startswith("#")]
        requirements = self.scratch / "requirements.txt"
        requirements.write_text("\n".join(wanted) + "\n")
        run([sys.executable, "-m", "pip", "--python", str(self.venv / "bin" / "python"),
             "install", "--quiet", "--no-compile", "-r", str(requirements)])
        # The course tooling, readable by all: a copy of the package and of what it checks.
        app = self.scratch / "app"
        ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
        for item in ("dnncourse", "catalogue", "source"):
            shutil.copytree(ROOT / item, app / item, ignore=ignore)
        site = next((self.venv / "lib").glob("python3*/site-packages"))
        (site / "dnncourse.pth").write_text(str(app) + "\n")  # what `pip install -e` leaves
        shutil.copytree(ROOT / "deploy", self.deploy, symlinks=True,
                        ignore=shutil.ignore_patterns("node_modules"))
        # The proxy runs as root, which reaches the repository's copy wherever it is.
        (self.deploy / "node_modules").symlink_to(ROOT / "deploy" / "node_modules")
        run(["sh", str(self.deploy / "configure-venv"), str(self.venv)])
        run(["chmod", "-R", "a+rX", str(self.venv), str(self.deploy)])
        self.app = app

    def confine_course_code(self, staff_group):
        """The course's code and answers (the package, catalogue/, source/) readable by
        `staff_group` only, as docs/deployment.md sets up /opt/dnncourse: a student's server
        runs from the venv and never needs them."""
        run(["chgrp", "-R", staff_group, str(self.app)])
        run(["chmod", "-R", "u=rwX,g=rX,o=", str(self.app)])

    def add_user(self, name):
        """Create Linux user `name` with a 0700 home under the scratch folder and a password."""
        self.remove_user(name)  # a leftover from an interrupted run
        home = self.scratch / "home" / name
        home.parent.mkdir(exist_ok=True)
        home.parent.chmod(0o755)
        run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
             "--user-group", name])
        self.users[name] = secrets.token_urlsafe(12)
        run(["chpasswd"], input=f"{name}:{self.users[name]}\n")
        home.chmod(0o700)
        return home

    def make_exchange(self):
        """nbgrader wants a world-writable root: root-owned, with the sticky bit."""
        self.exchange.mkdir()
        self.exchange.chmod(0o1777)

    def start_postgres(self, owner):
        self.postgres = ScratchPostgres(self.scratch / "postgres").start()
        return self.postgres.create_database("deep_nn", owner)

    def environment(self, **extra):
        """The DNNCOURSE_* settings of this site, for the hub and for commands."""
        env = {
            "PATH": f"{self.venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "DNNCOURSE_ID": COURSE,
            "DNNCOURSE_EXCHANGE": str(self.exchange),
            "LANG": "C.UTF-8",
        }
        env.update(extra)
        return env

    def start_hub(self, env, timeout=300):
        """Start JupyterHub on 127.0.0.1 and wait until its API answers."""
        self.state.mkdir(mode=0o700)
        log = open(self.hub_log, "ab")  # the hub keeps its own copy of the descriptor
        self.hub = subprocess.Popen(
            [str(self.venv / "bin" / "jupyterhub"),
             "-f", str(self.deploy / "jupyterhub_config.py")],
            cwd=self.state, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.hub.poll() is None, (
                f"expected JupyterHub running, it stopped:\n{self.log()}")
            try:
                if requests.get(f"{self.url}/hub/api", timeout=5).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"expected JupyterHub up within {timeout} s:\n{self.log()}")

    def log(self, last=60):
        if not self.hub_log.exists():
            return ""
        return "\n".join(self.hub_log.read_text(errors="replace").splitlines()[-last:])

    # -- hub clients --------------------------------------------------------------------

    def login(self, name):
        """Log `name` in through the hub's PAM login form; return an API token of theirs."""
        session = requests.Session()
        session.get(f"{self.url}/hub/login", timeout=30)
        xsrf = session.cookies.get("_xsrf", "")
        response = session.post(f"{self.url}/hub/login", timeout=60, allow_redirects=False,
                                data={"username": name, "password": self.users[name],
                                      "_xsrf": xsrf})
        assert response.status_code == 302, (
            f"expected PAM login of {name} to redirect (302), got {response.status_code}:\n"
            f"{response.text[:500]}\n{self.log(20)}")
        response = session.post(f"{self.url}/hub/api/users/{name}/tokens", timeout=30,
                                json={"note": "hub test"},
                                headers={"X-XSRFToken": session.cookies.get("_xsrf", xsrf)})
        assert response.status_code == 201, (
            f"expected a token for {name} (201), got {response.status_code}: {response.text}")
        return response.json()["token"]

    def api(self, method, path, token, **kwargs):
        """Call the hub's REST API with `token`."""
        return requests.request(method, f"{self.url}/hub/api{path}", timeout=60,
                                headers={"Authorization": f"token {token}"}, **kwargs)

    def start_server(self, name, token, timeout=180):
        """Start `name`'s own server through the hub and wait until it is ready."""
        response = self.api("POST", f"/users/{name}/server", token)
        assert response.status_code in (201, 202), (
            f"expected the hub to start {name}'s server, got {response.status_code}: "
            f"{response.text}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.api("GET", f"/users/{name}", token).json()["servers"].get("", {})
            if server.get("ready"):
                return
            time.sleep(1)
        raise AssertionError(f"expected {name}'s server ready within {timeout} s:\n{self.log()}")

    def server(self, method, name, path, token, **kwargs):
        """Call `name`'s own server (through the hub's proxy) with `token`."""
        return requests.request(method, f"{self.url}/user/{name}/{path}", timeout=120,
                                headers={"Authorization": f"token {token}"}, **kwargs)

    # -- clean-up -----------------------------------------------------------------------

    def remove_user(self, name):
        try:
            uid = pwd.getpwnam(name).pw_uid
        except KeyError:
            return
        for pid in pids_of(uid):
            stop_pid(pid, timeout=10)
        run(["userdel", "--remove", name], check=False)  # its home and mail spool too
        run(["groupdel", name], check=False)  # --user-group made it; userdel may have too

    def close(self):
        """Stop JupyterHub and PostgreSQL by process id, remove the users and the folder."""
        proxy = self.state / "proxy.pid"
        proxy_pid = int(proxy.read_text()) if proxy.exists() else None
        if self.hub is not None and self.hub.poll() is None:
            # On SIGTERM the hub stops the users' servers, the service and its proxy.
            self.hub.send_signal(signal.SIGTERM)
            try:
                self.hub.wait(90)
            except subprocess.TimeoutExpired:
                self.hub.kill()
                self.hub.wait()
        if proxy_pid:
            # A hub that died at start leaves its proxy running.
            stop_pid(proxy_pid)
            self.proxy_pid = proxy_pid
        if self.postgres is not None:
            self.postgres.stop()
        if self.hub_log.exists():
            shutil.copy2(self.hub_log, self.logs / "jupyterhub.log")
        for name in list(self.users):
            self.remove_user(name)
        shutil.rmtree(self.scratch, ignore_errors=True)

    def leftovers(self):
        """Return what close() should have removed but did not."""
        found = []
        for name in self.users:
            try:
                pwd.getpwnam(name)
                found.append(f"user {name}")
            except KeyError:
                pass
        if self.hub is not None and self.hub.poll() is None:
            found.append(f"JupyterHub pid {self.hub.pid}")
        if self.proxy_pid and _running(self.proxy_pid):
            found.append(f"proxy pid {self.proxy_pid}")
        if self.postgres is not None and self.postgres.process.poll() is None:
            found.append(f"PostgreSQL pid {self.postgres.process.pid}")
        if self.scratch.exists():
            found.append(f"folder {self.scratch}")
        return found


def notebook_json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))
