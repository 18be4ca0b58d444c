"""The grader's side of one sandboxed child: start it, load the answers, call, serve helpers.

A `Session` runs dnncourse/grader/child.py in the bubblewrap sandbox with two pipes, sends
it the program (shipped modules, trusted preamble, answer cells) and then one call at a
time. While a call runs, the child may ask for a graded function the called one builds on;
the session answers from the reference answers, in this process, and only for the
functions the caller may use. Every answer of the child is read with a deadline and
decoded strictly. A child that dies (os._exit, a crash, no memory left), sends something
malformed or overruns its deadline is killed; the next call starts a fresh one with the
same program, as nbgrader's kernel is restarted.
"""

import os
import secrets
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from dnncourse import limits
from dnncourse.grader import child as wire
from dnncourse.kernel import sandbox

CHILD = Path(wire.__file__)
# Seconds the child gets beyond its own alarm before it is killed: its alarm reports a
# call that runs too long, this deadline stops a child that ignores the alarm.
GRACE_SECONDS = 5


@dataclass
class Outcome:
    """What a call gave: a value, a check failure raised inside it, or an error."""

    value: object = None
    failure: list = None  # [function, output, problem, values, hint] of a CheckFailure
    error: str = ""  # why no value came back

    @property
    def ok(self):
        return self.failure is None and not self.error


class Session:
    """One sandboxed child running `program`; `serve(name, args, kwargs)` answers helpers."""

    def __init__(self, program, serve, call_seconds=limits.CELL_SECONDS):
        self.program = dict(program, op="load", call_seconds=call_seconds)
        self.serve = serve
        self.call_seconds = call_seconds
        self.process = None
        self.cells = None  # [[grade_id, error or None]] of the first load
        self.restarts = 0

    # The child process ----------------------------------------------------------------------
    def _start(self):
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        argv = [sandbox.python(), "-I", "-c", CHILD.read_text(encoding="utf-8")]
        env = dict(limits.blas_environment(), DNN_GRADER_IN=str(to_child_r),
                   DNN_GRADER_OUT=str(from_child_w))
        command = sandbox.command(argv, env=env)
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=self.stderr,
                                        pass_fds=(to_child_r, from_child_w),
                                        start_new_session=True)
        os.close(to_child_r)
        os.close(from_child_w)
        self.fd_out, self.fd_in = to_child_w, from_child_r
        cells = len(self.program["cells"]) + 2
        wire.write(self.fd_out, self.program)
        loaded = self._read(time.monotonic() + cells * (self.call_seconds + GRACE_SECONDS))
        if loaded.get("op") != "loaded" or not isinstance(loaded.get("cells"), list):
            raise wire.WireError("no report of the answer cells")
        if self.cells is None:
            self.cells = [[str(c[0]), None if c[1] is None else str(c[1])[:300]]
                          for c in loaded["cells"] if isinstance(c, list) and len(c) == 2]

    def _read(self, deadline):
        return wire.read(self.fd_in, deadline, time.monotonic)

    def close(self):
        """Stop the child (it runs in its own process group) and close the pipes."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, 9)
        except ProcessLookupError:
            pass
        self.process.wait()
        for fd in (self.fd_in, self.fd_out):
            os.close(fd)
        self.stderr.close()
        self.process = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _why_stopped(self):
        """Why the child ended, as the student reads it."""
        self.process.wait()
        self.stderr.seek(0)
        lines = self.stderr.read().decode(errors="replace").strip().splitlines()
        if lines and "MemoryError" in lines[-1]:
            return "ran out of memory"
        return "stopped the grading process (os._exit, a crash or no memory left)"

    # Calls ---------------------------------------------------------------------------------
    def load(self):
        """Start the child if needed; return the report of the answer cells."""
        if self.process is None:
            try:
                self._start()
            except (EOFError, TimeoutError, wire.WireError, OSError) as exc:
                self.close()
                raise RuntimeError(f"the grading process did not start ({exc!r})") from exc
        return self.cells

    def call(self, function, name, args, kwargs, seed, helpers=(), unavailable=()):
        """Call `function` in the child (under `name` in messages); return an Outcome."""
        try:
            self.load()
        except RuntimeError as exc:
            return Outcome(error=str(exc))
        request = {"op": "call", "id": secrets.token_hex(8), "function": function,
                   "name": name, "seed": int(seed), "helpers": sorted(helpers),
                   "unavailable": sorted(unavailable)}
        deadline = time.monotonic() + self.call_seconds + GRACE_SECONDS
        try:
            wire.write(self.fd_out, request, [list(args), dict(kwargs)])
            while True:
                reply = self._read(deadline)
                if reply.get("op") == "helper":
                    self._answer_helper(reply, set(helpers))
                    continue
                if reply.get("id") != request["id"]:
                    raise wire.WireError("an answer to another call")
                return self._outcome(reply)
        except TimeoutError:
            error = f"did not finish within {self.call_seconds:g} s"
        except EOFError:
            error = self._why_stopped()
        except (wire.WireError, BrokenPipeError) as exc:
            error = f"the grading process sent an unusable answer ({exc})"
        self.close()
        self.restarts += 1
        return Outcome(error=error)

    def _answer_helper(self, reply, allowed):
        name = reply.get("name")
        answer = {"id": reply.get("id")}
        if name not in allowed:
            answer.update(op="helper_error", error=f"{name} is not available to this function")
            wire.write(self.fd_out, answer)
            return
        try:
            args, kwargs = reply["value"]
            value = self.serve(name, args, kwargs)
        except Exception as exc:  # the student's arguments made the reference fail
            answer.update(op="helper_error", error=wire.error_text(exc))
            wire.write(self.fd_out, answer)
            return
        wire.write(self.fd_out, dict(answer, op="helper_result"), value)

    @staticmethod
    def _outcome(reply):
        op = reply.get("op")
        if op == "result" and "value" in reply:
            return Outcome(value=reply["value"])
        if op == "failure" and isinstance(reply.get("failure"), list) \
                and len(reply["failure"]) == 5:
            return Outcome(failure=[str(part)[:600] for part in reply["failure"]])
        if op == "error":
            return Outcome(error=str(reply.get("error", "failed"))[:400])
        raise wire.WireError(f"an answer of kind {str(op)[:20]!r}")
