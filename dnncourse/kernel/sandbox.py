"""Run student code under bubblewrap: unprivileged, offline, and blind to everything else.

Used for the autograding kernels (`SandboxedKernelManager`, wired in nbgrader_config.py
through dnncourse/kernel/execution.py) and for the grader's child processes that run the
answer cells (`command`, dnncourse/grader/session.py). Inside the sandbox:

- the process runs as `nobody` (uid 65534; when the grader is root, it drops to that user
  with setpriv; otherwise a user namespace maps the grader to uid 65534 inside);
- it has its own network namespace (no interface but an unconfigured loopback), its own
  process namespace (every process dies with the sandbox) and its own IPC and UTS;
- the file system holds only /usr, the Python environment, the paths the caller names
  (read-only, at their real paths), a private /tmp and /proc; the course package (the
  grader, the reference answers, the hidden cases), the gradebook, source/, release/,
  other students' folders and home folders do not exist;
- limits (dnncourse/limits.py): data memory, CPU time, file size and open files.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Dict, Integer, List, Unicode

from dnncourse import limits

NOBODY = 65534

# Variables passed from the grader's environment into the sandbox when set. nbgrader sets
# NBGRADER_EXECUTION while it validates or autogrades (the application's full-data training
# runs read it, see its app_utils.py).
PASSED_ENV = ("NBGRADER_EXECUTION", "LANG", "LC_ALL")


class SandboxError(RuntimeError):
    """The sandbox cannot be started on this machine."""


def bwrap():
    """Return the path of bubblewrap, or raise SandboxError saying how to install it."""
    found = shutil.which("bwrap")
    if found is None:
        raise SandboxError("bubblewrap (bwrap) is not installed: run `make setup`, which "
                           "installs the Debian packages of debian-packages.txt")
    return found


def python():
    """Return the interpreter to run inside the sandbox (this environment's)."""
    return os.path.abspath(sys.executable)


def environment_paths():
    """Return the folders the sandboxed Python needs: its environment, without the course."""
    found = [Path(sys.prefix), Path(sys.base_prefix), Path(os.path.realpath(sys.executable)).parent]
    # Keep the outermost folders only, skipping what /usr already provides.
    unique = []
    for path in sorted({p.resolve() for p in found}, key=lambda p: len(p.parts)):
        if not any(path == q or q in path.parents for q in [*unique, Path("/usr")]):
            unique.append(path)
    return unique


def _parents(path, made):
    """bwrap arguments creating the missing parent folders of `path`, world-readable."""
    args = []
    for parent in reversed(Path(path).parents):
        if str(parent) in ("/", "/usr", "/tmp") or parent in made:
            continue
        made.add(parent)
        args += ["--perms", "0755", "--dir", str(parent)]
    return args


def command(argv, *, cwd=None, readable=(), writable=(), env=None, memory=limits.MEMORY_BYTES):
    """Return the command line that runs `argv` in the sandbox.

    readable, writable -- paths visible inside at their real paths (read-only, read-write)
    env -- variables set inside; nothing else of the grader's environment is passed on
    """
    as_root = os.geteuid() == 0
    args = [bwrap(), "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session",
            "--ro-bind", "/usr", "/usr"]
    for name in ("bin", "lib", "lib64", "sbin"):
        target = Path("/") / name
        if target.is_symlink():
            args += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            args += ["--ro-bind", str(target), str(target)]
    for item in ("/etc/ld.so.cache", "/etc/localtime"):
        if os.path.exists(item):
            args += ["--ro-bind", item, item]
    args += ["--proc", "/proc", "--dev", "/dev",
             "--size", str(limits.TMP_BYTES), "--perms", "1777", "--tmpfs", "/tmp"]
    made = set()
    for path in environment_paths():
        args += [*_parents(path, made), "--ro-bind", str(path), str(path)]
    for path in readable:
        args += [*_parents(path, made), "--ro-bind", str(path), str(path)]
    for path in writable:
        args += [*_parents(path, made), "--bind", str(path), str(path)]
    args += ["--clearenv"]
    inside = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": "/tmp",
              "TMPDIR": "/tmp", "MPLCONFIGDIR": "/tmp/matplotlib", "IPYTHONDIR": "/tmp/ipython",
              "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}
    inside.update({k: os.environ[k] for k in PASSED_ENV if k in os.environ})
    # Sandboxes run side by side, one per core: a BLAS thread per core in each of them
    # would oversubscribe the machine, whatever the grader's own environment says.
    inside.update(limits.blas_environment())
    inside.update(env or {})
    for key, value in inside.items():
        args += ["--setenv", key, str(value)]
    if cwd is not None:
        args += ["--chdir", str(cwd)]
    prlimit = ["prlimit", f"--data={memory}", f"--cpu={limits.CPU_SECONDS}",
               f"--fsize={limits.FILE_BYTES}", f"--nofile={limits.OPEN_FILES}"]
    if as_root:
        # Root in the sandbox would still be root: become nobody, with no capabilities left.
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--", *prlimit,
                 f"--nproc={limits.PROCESSES}", "--", "setpriv", f"--reuid={NOBODY}",
                 f"--regid={NOBODY}", "--clear-groups", "--inh-caps=-all",
                 "--bounding-set=-all", "--", *argv]
    else:
        args += ["--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY), "--",
                 *prlimit, "--", *argv]
    return args


def private_folder(prefix):
    """Create a temporary folder that the sandboxed user may write to; return its path."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        os.chown(path, NOBODY, NOBODY)
    return path


def data_folders(folder):
    """Return the course data folders a notebook in `folder` may read (see app_utils.py)."""
    found = [parent / "data" for parent in Path(folder).resolve().parents
             if (parent / "data").is_dir()]
    if os.environ.get("CATVNONCAT_DATA"):
        found.append(Path(os.environ["CATVNONCAT_DATA"]))
    return found[:1] + found[-1:] if found else []


class SandboxedKernelManager(AsyncKernelManager):
    """A Jupyter kernel manager whose kernels run in the sandbox.

    The kernel sees its notebook's folder and the course data read-only, talks to the
    grader over Unix sockets in a private folder (it has no network), and is interrupted
    by a message on the control channel (bubblewrap does not forward SIGINT).
    """

    extra_readable = List(Unicode(), help="More paths the kernel may read.").tag(config=True)
    extra_env = Dict(help="Variables set in the kernel's environment.").tag(config=True)
    memory_limit = Integer(limits.MEMORY_BYTES, help="Bytes of data memory (RLIMIT_DATA).").tag(
        config=True)
    extra_arguments = List(Unicode(), help="Arguments added to the kernel's command line, "
                           "e.g. --InteractiveShell.xmode=Plain.").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._folder = private_folder("dnn-kernel-")
        self.transport = "ipc"
        self.ip = str(self._folder / "socket")
        self.connection_file = str(self._folder / "connection.json")

    @property
    def kernel_spec(self):
        spec = super().kernel_spec
        if spec is not None:
            spec.interrupt_mode = "message"
        return spec

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        cwd = kw.get("cwd") or os.getcwd()
        if os.geteuid() == 0:
            os.chown(self.connection_file, NOBODY, NOBODY)  # written 0600 by the grader
        readable = [cwd, *data_folders(cwd), *self.extra_readable]
        if kernel_cmd[1:3] == ["-m", "ipykernel_launcher"]:
            # The notebook's folder goes last on sys.path: a file next to the notebook
            # (ipykernel_launcher.py, numpy.py) cannot stand in for an installed module.
            boot = (f"import sys; sys.path.append({str(cwd)!r}); "
                    "from ipykernel.kernelapp import launch_new_instance; launch_new_instance()")
            kernel_cmd = [kernel_cmd[0], "-P", "-c", boot, *kernel_cmd[3:]]
        kernel_cmd = [*kernel_cmd, *self.extra_arguments]
        kernel_cmd = command(kernel_cmd, cwd=cwd, readable=readable, writable=[self._folder],
                             env=dict(self.extra_env), memory=self.memory_limit)
        await super()._async_launch_kernel(kernel_cmd, **kw)

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._folder, ignore_errors=True)
