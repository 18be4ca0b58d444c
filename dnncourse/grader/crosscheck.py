"""A trusted cross-check of nbgrader's grades: the student's answers, rerun outside the kernel.

Trust model. nbgrader runs the tests in the student's own kernel, where the student's code
can change what the tests see (monkeypatched numpy or test helpers, objects whose `__eq__`,
`shape` or `dtype` lie, input transformers, the reference read from disk). After nbgrader
has graded a submission, this module takes only the student's answer cells (the code cells
whose nbgrader id is an answer cell id of the SOURCE notebook; the last copy of an id
counts), and runs them in a fresh plain-`python` process (no IPython) inside the sandbox
(`dnncourse.kernel.sandbox`: no network, no course files, private /tmp), after a trusted preamble
built from the source notebook (its imports of numpy and of the shipped modules, and its
`# PROVIDED FUNCTION` cells). The inputs are drawn here, at grading time, with a fresh
random seed, and sent over stdin as an `.npz`; the child sends back only plain numeric
arrays as an `.npz` on a separate descriptor. This process loads them with
`allow_pickle=False`, computes the reference outputs itself (`dnncourse.grader.reference`) and
compares; nothing the child returns can be an object with behaviour, and nothing it
computes is believed except the numbers.

Isolation is as in grading (`dnncourse.hidden.isolated`): a function runs with the
trusted versions of the helpers and of the graded functions it builds on. The reference
of a graded function is never put into the process where that function is checked: the
functions run in stages by dependency level (Step by Step: the leaves with no reference
code at all; then linear_activation_* with the reference linear_forward/linear_backward;
then L_model_* with the reference linear_activation_*). The application's building blocks
are shipped to students anyway (dnn_blocks.py).

Scoring mirrors the two test cells of each function: the visible cell's points when the
published example (the inputs of `public_tests.py`) is right, the hidden cell's points
when the new-shape example and several fresh random cases are all right. Where the
cross-check and nbgrader disagree, `apply` sets the grade's `manual_score` to the
cross-check's points (nbgrader then exports and shows that score; `auto_score` is kept)
and comments the answer cell.
"""

import ast
import copy
import dataclasses
import functools
import importlib.util
import io
import json
import secrets
import sys
import threading
import types
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dnncourse import limits
from dnncourse.course import Course
from dnncourse.grader import reference
from dnncourse.grader.crosscheck_child import NUMERIC_KINDS, NotPlain, flatten
from dnncourse.hidden import random_network
from dnncourse.kernel import sandbox
from dnncourse.shipped import test_utils

REPO = Course()  # this repository's course

# Seconds one answer cell or one call may run in the child: as nbgrader's cell limit, so
# a function that passes nbgrader's tests in time passes here in time.
CALL_TIMEOUT = limits.CELL_SECONDS
# Seconds one stage (one child process) may take in all; a child that swallows the
# per-call alarm is stopped here and the stage's functions get 0.
STAGE_TIMEOUT = 300
RANDOM_CASES = 3  # fresh random cases per function, on top of the new-shape example
MAX_RESULT_BYTES = 64 * 2**20  # an honest child returns well under 1 MB
# Modules of source/<assignment>/ that graded code may import; installed in the child from
# the trusted copy, in this order (dnn_blocks imports dnn_utils).
SHIPPED_MODULES = ("dnn_utils", "dnn_blocks")
TRUSTED_IMPORTS = ("numpy", *SHIPPED_MODULES)
CHILD = Path(__file__).with_name("crosscheck_child.py")
COMMENT_MARK = "Cross-check"
# The published cases and the reference functions seed and draw from numpy's global
# generator; the grading job cross-checks several students at once in threads, so only
# one thread at a time may use it.
_GLOBAL_RANDOM = threading.Lock()


@dataclass
class CellScore:
    """The cross-check's points for one grade cell (test_<function>_visible or _hidden)."""

    grade_id: str
    function: str
    points: float
    max_points: float
    reason: str = ""  # why points were lost; empty when full points


@dataclass
class Disagreement:
    """A grade cell where nbgrader and the cross-check gave different points."""

    student: str
    assignment: str
    function: str
    grade_id: str
    nbgrader_points: float
    crosscheck_points: float
    reason: str


# ----------------------------------------------------------------------------
# Cases: inputs of the published examples, the new-shape examples and fresh random ones
# ----------------------------------------------------------------------------

@dataclass
class Case:
    """One call of a graded function and how its output is compared with the reference."""

    label: str
    visible: bool  # scored in the visible cell, else in the hidden cell
    args: tuple
    kwargs: dict = field(default_factory=dict)
    # Top-level dict keys that must be present and those whose values are compared;
    # None means the whole output (structure, keys, shapes and values) must match.
    required: tuple = None
    compared: tuple = None
    rtol: float = 1e-6
    atol: float = 1e-8
    atol_of: dict = field(default_factory=dict)  # first path step -> atol (model parameters)


@functools.cache
def public_tests(assignment):
    """Return the module source/<assignment>/public_tests.py (published example inputs)."""
    path = REPO.source / assignment / "public_tests.py"
    saved = sys.modules.get("test_utils")
    sys.modules["test_utils"] = test_utils  # the synced copy next to public_tests.py
    try:
        spec = importlib.util.spec_from_file_location(f"_public_tests_{assignment}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        if saved is None:
            del sys.modules["test_utils"]
        else:
            sys.modules["test_utils"] = saved
    return module


def _layer(rng, n_prev, n, m):
    return (rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)),
            rng.standard_normal((n, 1)))


def _network(rng, dims, m, scale=0.7):
    return random_network(rng, dims, m, scale)


def _labels(rng, shape):
    """Labels of both classes when there are at least two."""
    Y = (rng.random(shape) > 0.5).astype(float)
    Y.flat[0] = 1.0
    if Y.size > 1:
        Y.flat[-1] = 0.0
    return Y


def _sizes(rng, count, low=1, high=7):
    return [int(n) for n in rng.integers(low, high + 1, count)]


def _layer_shapes(rng):
    """(n_prev, n, m) of the random cases: several units, one unit, m = 1."""
    return [(*_sizes(rng, 2, 2), int(rng.integers(2, 9))), (*_sizes(rng, 1, 2), 1, 1),
            (*_sizes(rng, 2, 1), int(rng.integers(1, 9)))][:RANDOM_CASES]


def _networks(rng):
    """(layer sizes, m) of the random cases: 3 layers and several output units, 4 layers
    and m = 1, 2 layers."""
    return [([*_sizes(rng, 3, 2), int(rng.integers(2, 4))], int(rng.integers(2, 9))),
            ([*_sizes(rng, 4, 1), 1], 1),
            ([*_sizes(rng, 2, 1), int(rng.integers(1, 3))], int(rng.integers(2, 9)))
            ][:RANDOM_CASES]


def _grads_keys(L):
    return ("dA1", *(f"d{p}{l}" for l in range(1, L + 1) for p in ("W", "b")))


def _step_by_step_cases(pt, rng):
    """Return {function: [Case]} for the Step by Step assignment."""
    ref = reference.load("step_by_step")
    cases = {}

    cases["initialize_parameters"] = [
        Case("published example", True, pt.initialize_parameters_case()),
        Case("new shapes (4, 3, 2)", False, (4, 3, 2)),
        *(Case(f"new inputs {dims}", False, dims) for dims in
          (tuple(_sizes(rng, 3, 2)), (1, 1, 1), tuple(_sizes(rng, 3)))[:RANDOM_CASES]),
    ]
    cases["initialize_parameters_deep"] = [
        Case("published example", True, (pt.initialize_parameters_deep_case(),)),
        Case("new shapes [6, 5, 4, 2]", False, ([6, 5, 4, 2],)),
        *(Case(f"new inputs {dims}", False, (dims,)) for dims in
          (_sizes(rng, 4, 1), _sizes(rng, 2, 1), _sizes(rng, 5, 1))[:RANDOM_CASES]),
    ]

    def layers(function, make, both=False):
        activations = ("sigmoid", "relu") if both else (None,)
        visible = {"linear_forward": pt.linear_forward_case,
                   "linear_activation_forward": pt.linear_activation_forward_case,
                   "linear_backward": pt.linear_backward_case,
                   "linear_activation_backward": pt.linear_activation_backward_case}[function]
        shape = {"linear_forward": pt._shape_case(10, 4, 3, 5),
                 "linear_activation_forward": pt._shape_case(11, 4, 3, 5)}.get(function)
        out = []
        for activation in activations:
            extra = () if activation is None else (activation,)
            tag = "" if activation is None else f', "{activation}"'
            out.append(Case(f"published example{tag}", True, (*visible(), *extra)))
            if shape is None:  # backward: the new-shape example of public_tests
                A_prev, W, b = pt._shape_case(14, 4, 3, 5)
                dZ = np.random.default_rng(15).standard_normal((3, 5))
                new = make(dZ, A_prev, W, b, activation)
            else:
                new = (*shape, *extra)
            out.append(Case(f"new shapes (3 units, 4 inputs, 5 examples){tag}", False, new))
            for n_prev, n, m in _layer_shapes(rng):
                A_prev, W, b = _layer(rng, n_prev, n, m)
                if shape is None:
                    args = make(rng.standard_normal((n, m)), A_prev, W, b, activation)
                else:
                    args = (A_prev, W, b, *extra)
                out.append(Case(f"new inputs ({n} units, {n_prev} inputs, m={m}){tag}",
                                False, args))
        return out

    cases["linear_forward"] = layers("linear_forward", None)
    cases["linear_activation_forward"] = layers("linear_activation_forward", None, both=True)
    cases["linear_backward"] = layers(
        "linear_backward", lambda dZ, A_prev, W, b, _: (dZ, (A_prev, W, b)))
    cases["linear_activation_backward"] = layers(
        "linear_activation_backward",
        lambda dA, A_prev, W, b, activation: (dA, ((A_prev, W, b), W @ A_prev + b), activation),
        both=True)

    cases["L_model_forward"] = [
        Case("published example", True, pt.L_model_forward_case()),
        Case("new shapes (layers [4, 5, 3, 2], m=6)", False, pt._network(12, [4, 5, 3, 2], 6)),
        *(Case(f"new inputs (layers {dims}, m={m})", False, _network(rng, dims, m))
          for dims, m in _networks(rng)),
    ]

    cost_cases = [Case("published example", True, pt.compute_cost_case()),
                  Case("new shapes (m=5)", False, (np.array([[0.3, 0.7, 0.9, 0.2, 0.6]]),
                                                   np.array([[0, 1, 1, 0, 0]])))]
    for m in (1, int(rng.integers(2, 8)), int(rng.integers(8, 41)))[:RANDOM_CASES]:
        cost_cases.append(Case(f"new inputs (m={m})", False,
                               (rng.uniform(0.05, 0.95, (1, m)), _labels(rng, (1, m)))))
    cases["compute_cost"] = cost_cases

    A, shape_Y, shape_caches = pt.L_model_backward_shape_case()
    backward = [
        # The published test checks dW1, db1 and dA1 and that layer 2's gradients exist.
        Case("published example", True, pt.L_model_backward_case(),
             required=_grads_keys(2), compared=("dW1", "db1", "dA1")),
        Case("new shapes (layers [4, 5, 3, 2], m=6)", False, (A, shape_Y, shape_caches),
             required=_grads_keys(3), compared=_grads_keys(3)),
    ]
    for dims, m in _networks(rng):
        X, parameters = _network(rng, dims, m)
        AL, caches = ref.L_model_forward(X, parameters)
        L = len(dims) - 1
        backward.append(Case(f"new inputs (layers {dims}, m={m})", False,
                             (AL, _labels(rng, (dims[-1], m)), caches),
                             required=_grads_keys(L), compared=_grads_keys(L)))
    cases["L_model_backward"] = backward

    _, parameters = pt._network(17, [4, 5, 3, 2], 1)
    update = [Case("published example", True, (*pt.update_parameters_case(), 0.1)),
              Case("new shapes (layers [4, 5, 3, 2])", False,
                   (parameters, {"d" + k: v * 0.5 for k, v in parameters.items()}, 0.05))]
    for dims, _ in _networks(rng):
        _, parameters = _network(rng, dims, 1, scale=1.0)
        _, raw = _network(rng, dims, 1, scale=1.0)
        learning_rate = round(float(rng.uniform(0.01, 1.5)), 4)
        update.append(Case(f"new inputs (layers {dims}, learning_rate={learning_rate})", False,
                           (parameters, {"d" + k: v for k, v in raw.items()}, learning_rate)))
    cases["update_parameters"] = update
    return cases


def _application_cases(pt, rng):
    """Return {function: [Case]} for the application: small training runs."""
    # Costs are checked like check_scalar, parameters with the models' tighter atol.
    model = {"atol_of": {("t", 0): 1e-9}}
    settings = dict(pt.VISIBLE_SETTINGS)

    def data(n_x, m):
        X = rng.standard_normal((n_x, m))
        return X, _labels(rng, (1, m))

    def runs(name, shape_dims, shape_seed, random_dims):
        out = [Case("published example", True, getattr(pt, f"{name}_case")(), dict(settings),
                    **model),
               Case(f"new shapes (layers {list(shape_dims)})", False,
                    (*pt._data(shape_seed, shape_dims[0], 7), shape_dims),
                    {"learning_rate": 0.05, "num_iterations": 101}, **model)]
        for dims, m in random_dims:
            learning_rate = round(float(rng.uniform(0.005, 0.1)), 4)
            iterations = int(rng.integers(101, 221))
            out.append(Case(f"new inputs (layers {list(dims)}, m={m}, learning_rate="
                            f"{learning_rate}, num_iterations={iterations})", False,
                            (*data(dims[0], m), dims),
                            {"learning_rate": learning_rate, "num_iterations": iterations},
                            **model))
        return out

    two = [((*_sizes(rng, 2, 2, 9), 1), int(rng.integers(2, 14))), ((*_sizes(rng, 2, 1, 9), 1), 1),
           ((*_sizes(rng, 2, 2, 9), 1), int(rng.integers(2, 14)))][:RANDOM_CASES]
    deep = [([*_sizes(rng, 3, 2, 9), 1], int(rng.integers(2, 14))), ([*_sizes(rng, 4, 2, 9), 1], 1),
            ([*_sizes(rng, 2, 2, 9), 1], int(rng.integers(2, 14)))][:RANDOM_CASES]
    return {"two_layer_model": runs("two_layer_model", (8, 3, 1), 21, two),
            "L_layer_model": runs("L_layer_model", [5, 4, 4, 2, 1], 22, deep)}


CASES = {"step_by_step": _step_by_step_cases, "application": _application_cases}


def _perturbed(value, rng):
    """Return `value` with every real-valued array scaled by 1 + 0.001 * noise.

    Arrays of 0s and 1s (labels) stay as they are, so the perturbed example keeps the
    published one's structure (its classes, shapes and depth) and only its numbers move.
    """
    if isinstance(value, np.ndarray):
        if value.dtype.kind != "f" or np.isin(value, (0.0, 1.0)).all():
            return value
        return value * (1 + 1e-3 * rng.standard_normal(value.shape))
    if isinstance(value, (tuple, list)):
        return type(value)(_perturbed(item, rng) for item in value)
    if isinstance(value, dict):
        return {key: _perturbed(item, rng) for key, item in value.items()}
    return value


def _twin(function, case, rng):
    """Return the published example with other numbers: visible points need both right.

    A function that returns the published outputs as constants passes the published
    example but not its twin. The initializations take only layer sizes (and seed numpy
    themselves), so their twin has every layer one unit wider.
    """
    if function.startswith("initialize_parameters"):
        args = tuple([n + 1 for n in a] if isinstance(a, list) else a + 1 for a in case.args)
    else:
        args = _perturbed(case.args, rng)
    return dataclasses.replace(case, label=f"{case.label}, other numbers", args=args)


def cases(assignment, seed):
    """Return {function: [Case]} of `assignment`, the random ones drawn from `seed`.

    Every published example comes with a twin (`_twin`) that is scored with it.
    """
    rng = np.random.default_rng(seed)
    with _GLOBAL_RANDOM:
        state = np.random.get_state()  # the published cases seed numpy's global generator
        try:
            found = CASES[assignment](public_tests(assignment), rng)
        finally:
            np.random.set_state(state)
    for function, listed in found.items():
        twins = [_twin(function, case, rng) for case in listed if case.visible]
        listed.extend(twins)
    return found


# ----------------------------------------------------------------------------
# The student's answer cells and the trusted preamble
# ----------------------------------------------------------------------------

def _text(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _nbgrader(cell):
    meta = cell.get("metadata", {}).get("nbgrader") if isinstance(cell, dict) else None
    return meta if isinstance(meta, dict) else {}


def source_cells(source_notebook):
    """Return (answer ids {grade_id: function}, grade cells {grade_id: (function, points)})."""
    nb = json.loads(Path(source_notebook).read_text(encoding="utf-8"))
    answers, grades = {}, {}
    for cell in nb["cells"]:
        meta = _nbgrader(cell)
        grade_id = meta.get("grade_id", "")
        if cell["cell_type"] == "code" and meta.get("solution"):
            answers[grade_id] = grade_id.removeprefix("solution_")
        if meta.get("grade"):
            function = grade_id.removeprefix("test_").removesuffix("_visible") \
                .removesuffix("_hidden")
            grades[grade_id] = (function, float(meta.get("points", 0)))
    return answers, grades


def answer_cells(nb, answer_ids):
    """Return [(grade_id, source)] of the student's answer cells, in notebook order.

    A cell counts when it is a code cell whose nbgrader id is an answer id of the source
    notebook; when an id occurs more than once the last copy counts, as in autograding.
    """
    last = {}
    for position, cell in enumerate(nb.get("cells", [])):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        grade_id = _nbgrader(cell).get("grade_id")
        if isinstance(grade_id, str) and grade_id in answer_ids:
            last[grade_id] = (position, _text(cell))
    return [(grade_id, source) for grade_id, (_, source)
            in sorted(last.items(), key=lambda item: item[1][0])]


def preamble(source_notebook):
    """Return the trusted preamble: the source's imports of numpy and the shipped modules,
    then its `# PROVIDED FUNCTION` cells."""
    nb = json.loads(Path(source_notebook).read_text(encoding="utf-8"))
    imports = []
    for cell in nb["cells"]:
        meta = _nbgrader(cell)
        if cell["cell_type"] != "code" or meta.get("solution") or meta.get("grade"):
            continue
        try:
            tree = ast.parse(_text(cell))
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            # Test helpers, plotting and data loading are not for graded code.
            if all(name.split(".")[0] in TRUSTED_IMPORTS for name in names):
                text = ast.unparse(node)
                if text not in imports:
                    imports.append(text)
    provided = reference.provided_cells(source_notebook)
    return "\n".join(imports) + "\n\n" + "\n\n".join(provided.values()) + "\n"


def modules(source_dir, assignment):
    """Return [(name, source)] of the shipped modules the child installs."""
    folder = Path(source_dir) / assignment
    return [(name, (folder / f"{name}.py").read_text(encoding="utf-8"))
            for name in SHIPPED_MODULES if (folder / f"{name}.py").exists()]


def levels(assignment):
    """Return {function: dependency level}: 0 for a function that calls no other graded
    function of the assignment, else 1 + the highest level of those it calls."""
    ref = reference.load(assignment)
    graded = set(ref.GRADED)

    def names(code):
        found = set(code.co_names)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                found |= names(const)
        return found

    calls = {name: (names(getattr(ref, name).__code__) & graded) - {name} for name in graded}
    level = {}

    def visit(name, seen=()):
        if name not in level:
            if name in seen:
                raise ValueError(f"circular calls between graded functions at {name}")
            level[name] = 1 + max((visit(c, (*seen, name)) for c in calls[name]), default=-1)
        return level[name]

    for name in ref.GRADED:
        visit(name)
    return level


# ----------------------------------------------------------------------------
# Running a stage in the sandbox and comparing its outputs
# ----------------------------------------------------------------------------

def _encode(value, arrays):
    """Return the JSON description of an argument, storing its arrays in `arrays`."""
    if isinstance(value, np.ndarray):
        name = f"a{len(arrays)}"
        arrays[name] = value
        return {"a": name}
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("boolean arguments are not used")
    if isinstance(value, (int, np.integer)):
        return {"i": int(value)}
    if isinstance(value, (float, np.floating)):
        return {"f": float(value)}
    if isinstance(value, str):
        return {"s": value}
    if isinstance(value, tuple):
        return {"t": [_encode(item, arrays) for item in value]}
    if isinstance(value, list):
        return {"l": [_encode(item, arrays) for item in value]}
    if isinstance(value, dict):
        return {"d": [[key, _encode(item, arrays)] for key, item in value.items()]}
    raise TypeError(f"cannot send a {type(value).__name__} to the child")


def _request(program, cases_by_function, seed):
    """Return the stdin bytes of a stage: an .npz with the program and the input arrays."""
    arrays, rng = {}, np.random.default_rng(seed)
    program = dict(program, cases=[])
    for function, function_cases in cases_by_function.items():
        encoded = []
        for number, case in enumerate(function_cases):
            encoded.append({"id": number, "seed": int(rng.integers(2**31)),
                            "args": [_encode(a, arrays) for a in case.args],
                            "kwargs": [[k, _encode(v, arrays)] for k, v in case.kwargs.items()]})
        program["cases"].append([function, encoded])
    buffer = io.BytesIO()
    np.savez(buffer, program=np.array(json.dumps(program)), **arrays)
    return buffer.getvalue(), {function: [c["seed"] for c in encoded]
                               for function, encoded in program["cases"]}


def _load_result(data):
    """Parse the child's .npz: return (index, arrays) or raise ValueError."""
    if len(data) > MAX_RESULT_BYTES:
        raise ValueError(f"the result is too large ({len(data)} bytes)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception as exc:  # a broken or hostile result: anything may fail to parse
        raise ValueError(f"the result is not a valid .npz ({type(exc).__name__})") from exc
    if unpacked > 4 * MAX_RESULT_BYTES:
        raise ValueError("the result unpacks to too much data")
    try:
        # allow_pickle=False: object arrays (anything with behaviour) are refused.
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        index = json.loads(str(arrays.pop("index")))
    except Exception as exc:  # as above
        raise ValueError(f"the result is not a valid .npz ({exc})") from exc
    if not isinstance(index, dict) or not isinstance(index.get("results"), list):
        raise ValueError("the result has no index of outputs")
    return index, arrays


def _path_text(path):
    return "".join(f"[{step!r}]" for _, step in path) or "the output"


def _outputs(entry, arrays):
    """Return {path: array} of one case from the child's index, or raise ValueError."""
    found = {}
    for item in entry.get("outputs") or []:
        path, name = item
        key = tuple((str(kind), step) for kind, step in path)
        array = arrays.get(name)
        if not isinstance(array, np.ndarray) or array.dtype.kind not in NUMERIC_KINDS:
            raise ValueError(f"{_path_text(key)} is not a numeric array")
        found[key] = array
    return found


def compare(case, got, expected):
    """Return "" when `got` matches `expected` ({path: array} both) under the case's
    rules, else what is wrong."""
    if case.required is None:
        missing, extra = set(expected) - set(got), set(got) - set(expected)
        if missing or extra:
            parts = ([f"lacks {', '.join(sorted(map(_path_text, missing)))}"] if missing else []) \
                + ([f"has unexpected {', '.join(sorted(map(_path_text, extra)))}"]
                   if extra else [])
            return f"the output does not have the expected structure ({'; '.join(parts)})"
        compared = sorted(expected)
    else:
        keys = {path[0][1]: path for path in got if len(path) == 1 and path[0][0] == "d"}
        missing = [k for k in case.required if k not in keys]
        if missing:
            return f"the output is not a dictionary with the keys {missing}"
        compared = [keys[k] for k in case.compared]
        expected = {(("d", k),): expected[(("d", k),)] for k in case.compared}
    for path in compared:
        g, e = got[path], expected[path]
        if g.shape != e.shape:
            return f"{_path_text(path)} has shape {g.shape}, expected {e.shape}"
        atol = case.atol_of.get(path[0], case.atol) if path else case.atol
        with np.errstate(all="ignore"):
            close = np.allclose(g.astype(float), e.astype(float), rtol=case.rtol, atol=atol)
        if not close:
            return f"{_path_text(path)} has wrong values"
    return ""


def _expected(assignment, function, case, seed):
    """Flatten the reference output of one case, computed in this process."""
    with _GLOBAL_RANDOM:
        np.random.seed(seed)
        value = getattr(reference.load(assignment), function)(*copy.deepcopy(case.args),
                                                              **copy.deepcopy(case.kwargs))
    return dict((tuple((kind, step) for kind, step in path), array)
                for path, array in flatten(value))


def run_stage(program, cases_by_function, assignment, seed, timeout):
    """Run one stage in the sandbox; return {function: [(case, problem)]} ("" when right)."""
    stdin, seeds = _request(program, cases_by_function, seed)
    argv = [sandbox.python(), "-I", "-c", CHILD.read_text(encoding="utf-8")]
    done = sandbox.run(argv, stdin=stdin, timeout=timeout,
                       env=limits.blas_environment())
    problem = ""
    if done.timed_out:
        problem = f"the cross-check process did not finish within {timeout} s"
    else:
        try:
            index, arrays = _load_result(done.result)
        except ValueError as exc:
            stderr = done.stderr.decode(errors="replace").strip().splitlines()
            problem = (f"the cross-check process returned no usable result ({exc}; exit code "
                       f"{done.returncode}{'; ' + stderr[-1][:200] if stderr else ''})")
    if problem:
        return {function: [(case, problem) for case in function_cases]
                for function, function_cases in cases_by_function.items()}
    entries = {}
    for entry in index["results"]:
        # The index comes from the child: keep only entries of the expected form.
        if isinstance(entry, dict) and isinstance(entry.get("function"), str) \
                and isinstance(entry.get("case"), int):
            entries[(entry["function"], entry["case"])] = entry
    outcome = {}
    for function, function_cases in cases_by_function.items():
        outcome[function] = []
        for number, case in enumerate(function_cases):
            entry = entries.get((function, number))
            if entry is None:
                problem = "no output came back"
            elif entry.get("error"):
                problem = str(entry["error"])[:300]
            else:
                try:
                    got = _outputs(entry, arrays)
                    problem = compare(case, got, _expected(assignment, function, case,
                                                           seeds[function][number]))
                except (ValueError, TypeError, KeyError) as exc:
                    problem = f"the output could not be read ({exc})"
                except NotPlain as exc:
                    problem = f"the reference output could not be flattened ({exc})"
            outcome[function].append((case, problem))
    return outcome


def check_notebook(nb, assignment, *, source_dir=REPO.source, seed=None,
                   call_timeout=CALL_TIMEOUT, stage_timeout=STAGE_TIMEOUT):
    """Cross-check the answers in notebook `nb` (a dict); return {grade_id: CellScore}."""
    seed = secrets.randbits(64) if seed is None else seed
    source_notebook = REPO.notebook(Path(source_dir), assignment)
    answer_ids, grades = source_cells(source_notebook)
    references = reference.graded_cells(REPO.notebook(REPO.source, assignment))
    level = levels(assignment)
    all_cases = cases(assignment, seed)
    base = {"modules": modules(source_dir, assignment), "preamble": preamble(source_notebook),
            "cells": answer_cells(nb, answer_ids), "call_timeout": call_timeout}
    outcome = {}
    for stage in sorted(set(level.values())):
        functions = [f for f in reference.load(assignment).GRADED if level[f] == stage]
        program = dict(base, references=[[f, references[f]] for f in references
                                         if level.get(f, stage) < stage])
        outcome.update(run_stage(program, {f: all_cases[f] for f in functions},
                                 assignment, seed + stage, stage_timeout))
    scores = {}
    for grade_id, (function, points) in grades.items():
        visible = grade_id.endswith("_visible")
        problems = [f"{case.label}: {problem}" for case, problem in outcome.get(function, ())
                    if case.visible == visible and problem]
        if function not in outcome:
            problems = ["no cross-check for this function"]
        scores[grade_id] = CellScore(grade_id, function, 0.0 if problems else points, points,
                                     problems[0] if problems else "")
    return scores


# ----------------------------------------------------------------------------
# The gradebook: where nbgrader and the cross-check disagree, the cross-check wins
# ----------------------------------------------------------------------------

def _comment_line(grade_id, nbgrader_points, score):
    return (f"{COMMENT_MARK} [{grade_id}]: {score.points:g} of {score.max_points:g} points "
            f"(nbgrader's tests gave {nbgrader_points:g}): {score.reason or 'all cases right'}.")


def apply(url, assignment, student, notebook_id, scores):
    """Make the gradebook follow the cross-check; return the list of Disagreements.

    Where nbgrader's auto_score differs from the cross-check, the grade's manual_score
    becomes the cross-check's points and the answer cell gets a comment line. A manual
    score set earlier by the cross-check is cleared when both now agree; one set by an
    instructor is kept (and the disagreement still reported).
    """
    from nbgrader.api import Gradebook, MissingEntry

    found = []
    by_function = {}
    for score in scores.values():
        by_function.setdefault(score.function, []).append(score)
    with Gradebook(url) as gb:
        for function, function_scores in by_function.items():
            try:
                comment = gb.find_comment(f"solution_{function}", notebook_id, assignment,
                                          student)
            except MissingEntry:
                comment = None
            old = (comment.manual_comment or "") if comment is not None else ""
            ours = [line for line in old.splitlines() if line.startswith(COMMENT_MARK)]
            kept = [line for line in old.splitlines() if not line.startswith(COMMENT_MARK)]
            lines = []
            for score in function_scores:
                try:
                    grade = gb.find_grade(score.grade_id, notebook_id, assignment, student)
                except MissingEntry:
                    continue
                auto = grade.auto_score or 0.0
                mine = any(f"[{score.grade_id}]" in line for line in ours)
                by_instructor = grade.manual_score is not None and not mine
                if abs(auto - score.points) < 1e-9:
                    if mine:
                        grade.manual_score = None
                        grade.needs_manual_grade = False
                    continue
                reason = score.reason or "all cases right"
                if by_instructor:
                    reason += " (the instructor's manual score is kept)"
                else:
                    grade.manual_score = score.points
                    grade.needs_manual_grade = False
                    lines.append(_comment_line(score.grade_id, auto, score))
                found.append(Disagreement(student, assignment, function, score.grade_id,
                                          auto, score.points, reason))
            if comment is not None and (lines or ours):
                comment.manual_comment = "\n".join(kept + lines) or None
        gb.db.commit()
    return found


def check_submission(course_dir, assignment, student, *, url=None, seed=None,
                     call_timeout=CALL_TIMEOUT):
    """Cross-check an autograded submission and update its grades; return Disagreements.

    Call after `nbgrader autograde` and before `generate_feedback`. Returns [] when the
    submission has no autograded notebook (nbgrader could not grade it).
    """
    course_dir = Path(course_dir)
    source_dir = course_dir / "source"
    name = REPO.notebook(source_dir, assignment).name
    notebook = course_dir / "autograded" / student / assignment / name
    if not notebook.exists():
        return []
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        nb = {"cells": []}  # nbgrader wrote it; unreadable means no answers
    scores = check_notebook(nb, assignment, source_dir=source_dir, seed=seed,
                            call_timeout=call_timeout)
    url = url or Course(course_dir).gradebook_url
    return apply(url, assignment, student, Path(name).stem, scores)
