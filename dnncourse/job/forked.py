"""Run nbgrader commands in fresh processes forked from a server that has nbgrader loaded.

Importing nbgrader costs about 2.5 s of CPU, as much as grading a notebook; a grading job
that starts `python -m nbgrader` once per submission pays it every time. Here a server
process (`python -m dnncourse.job.forked`, single-threaded, so forking it is safe) imports
nbgrader once; each command runs in a new process forked from it: still one process per
command, so a command that crashes or hangs harms nothing else.

Protocol, one JSON object per line: the client sends {"id", "course_dir", "args", "env",
"log"}; the server answers {"id", "pid"} when the command starts and {"id", "code"} when
it ends (the exit code, or minus the signal that killed it).
"""

import json
import os
import select
import signal
import subprocess
import sys
import threading
import traceback
from concurrent.futures import Future

# Modules the server imports once, before any command runs.
PRELOAD = ("nbgrader.apps.nbgraderapp", "nbgrader.converters", "nbgrader.api", "nbclient",
           "jupyter_client", "nbconvert", "dnncourse.kernel.execution",
           "dnncourse.grader.preprocessor", "dnncourse.authoring.stubs")


def _command(request):
    """Body of a forked process: `nbgrader <args>` in the course root, output to the log."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        os.setpgid(0, 0)  # the client may kill the command's whole group
        os.chdir(request["course_dir"])  # nbgrader reads nbgrader_config.py from here only
        os.environ.clear()
        os.environ.update(request["env"])
        output = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        sys.stdout = os.fdopen(1, "w", buffering=1)
        sys.stderr = os.fdopen(2, "w", buffering=1)
        sys.argv = ["nbgrader", *request["args"]]
        from nbgrader.apps.nbgraderapp import NbGraderApp

        NbGraderApp.launch_instance(argv=list(request["args"]))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # skip the server's exit handlers


def serve():
    """Read requests on stdin, fork one process per request, report starts and ends.

    When the client goes away or the server is terminated, the commands still running
    are killed with their process groups (kernels included): nothing outlives the job.
    """
    for module in PRELOAD:
        __import__(module)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the client decides when to stop
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    running = {}  # pid -> request id
    try:
        _serve(running)
    finally:
        for pid in running:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _serve(running):
    answers = sys.stdout
    buffer = b""
    stdin = sys.stdin.buffer.raw
    while True:
        ready, _, _ = select.select([stdin], [], [], 0.05)
        if ready:
            chunk = os.read(stdin.fileno(), 65536)
            if not chunk:
                return  # the client is gone
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                request = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    _command(request)
                running[pid] = request["id"]
                answers.write(json.dumps({"id": request["id"], "pid": pid}) + "\n")
                answers.flush()
        while running:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            code = os.waitstatus_to_exitcode(status)
            answers.write(json.dumps({"id": running.pop(pid), "code": code}) + "\n")
            answers.flush()


class Server:
    """Client of one fork server; thread-safe."""

    def __init__(self):
        self._process = subprocess.Popen([sys.executable, "-m", "dnncourse.job.forked"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         text=True, bufsize=1)
        self._lock = threading.Lock()
        self._next = 0
        self._started, self._ended = {}, {}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self._process.stdout:
            answer = json.loads(line)
            key = "pid" if "pid" in answer else "code"
            futures = self._started if key == "pid" else self._ended
            with self._lock:
                future = futures.pop(answer["id"])
            future.set_result(answer[key])
        with self._lock:  # the server died: nothing pending will ever answer
            for future in self._started.values():
                future.set_result(0)
            for future in self._ended.values():
                future.set_result(1)
            self._started.clear()
            self._ended.clear()

    def run(self, course_dir, args, env, log, timeout=None):
        """Run `nbgrader <args>`; return its exit code, or None if it ran out of time.

        Its output goes to the file `log`. After `timeout` seconds its process group is
        killed, with its kernels (they die with their parent).
        """
        started, ended = Future(), Future()
        with self._lock:
            self._next += 1
            key = self._next
            self._started[key], self._ended[key] = started, ended
            request = {"id": key, "course_dir": str(course_dir), "args": list(args),
                       "env": dict(env), "log": str(log)}
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
        pid = started.result()
        try:
            return ended.result(timeout)
        except TimeoutError:
            if pid:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            ended.result()
            return None

    def close(self):
        self._process.stdin.close()
        self._process.wait()


if __name__ == "__main__":
    serve()
