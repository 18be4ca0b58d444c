"""Grade one notebook outside the kernel: every case of the catalogue, one verdict per cell.

The student's answer cells (found by the source notebook's cell ids; the last copy of an
id counts) run in a sandboxed child (dnncourse/grader/session.py) after a trusted
preamble made from the source notebook: its imports of numpy and of the shipped modules,
and its provided functions. Each graded function is called on every case of its catalogue
entry, with the graded functions it builds on answered from the reference answers; what
it returns is checked here, with the catalogue's checks, against the published outputs or
the reference's. A grade cell passes when every case scored in it passes: the visible
cell takes the published example and its twin with other numbers, the hidden cell the
new-shape example and the hidden cases.
"""

import ast
import copy
import hashlib
from dataclasses import dataclass, field

import numpy as np

from dnncourse import limits
from dnncourse.course import read_notebook
from dnncourse.grader import catalogue, naming, reference
from dnncourse.grader.catalogue import PUBLISHED
from dnncourse.grader.session import Session
from dnncourse.shipped.test_utils import CheckFailure

# Modules of source/<assignment>/ that graded code may import; sent to the child from the
# trusted copy, in this order (dnn_blocks imports dnn_utils; the calls use test_utils).
SHIPPED_MODULES = ("test_utils", "dnn_utils", "dnn_blocks")
PREAMBLE_IMPORTS = ("numpy", "dnn_utils", "dnn_blocks")


@dataclass
class CaseResult:
    """A case, what the student's function gave on it, and what went wrong with it
    (failure None when the function got it right)."""

    case: catalogue.Case
    failure: CheckFailure = None
    value: object = None  # what the function returned, when it returned
    has_value: bool = False
    error: str = ""  # why it returned nothing (raised, stopped), from the child
    seed: int = 0  # numpy's global seed for the call


@dataclass
class CellVerdict:
    """The grader's decision on one grade cell."""

    grade_id: str
    function: str
    visible: bool
    points: float
    max_points: float
    message: str  # what the student reads: why points were lost, or what passed
    results: list = field(default_factory=list)  # the CaseResults scored in this cell
    mistake: object = None  # the catalogued Mistake the student's outputs match, if any
    pattern: str = None  # when failed and no mistake is named: how it went wrong, as an id

    @property
    def passed(self):
        return self.points == self.max_points


def function_of(grade_id):
    """Map a grade cell id such as 'test_linear_backward_hidden' to 'linear_backward'."""
    return grade_id.removeprefix("test_").removesuffix("_visible").removesuffix("_hidden")


def grade_cells(source_notebook):
    """Return {grade_id: (function, points)} of the grade cells of the source notebook."""
    found = {}
    for cell in source_notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            found[meta["grade_id"]] = (function_of(meta["grade_id"]), float(meta["points"]))
    return found


def answer_ids(source_notebook):
    """Return the nbgrader ids of the answer (solution) code cells of the source notebook."""
    return [cell.metadata["nbgrader"]["grade_id"] for cell in source_notebook.cells
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")]


def answer_cells(nb, ids):
    """Return [(grade_id, source)] of the student's answer cells, in notebook order; when an
    id occurs more than once, the last copy counts, as in autograding."""
    last = {}
    for position, cell in enumerate(nb.get("cells", [])):
        meta = cell.get("metadata", {}).get("nbgrader") if isinstance(cell, dict) else None
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if cell.get("cell_type") == "code" and grade_id in ids:
            source = cell.get("source", "")
            last[grade_id] = (position, "".join(source) if isinstance(source, list) else source)
    return [(grade_id, text) for grade_id, (_, text) in sorted(last.items(),
                                                              key=lambda item: item[1][0])]


def preamble(source_notebook, provided):
    """Return the trusted preamble: the source's imports of numpy and of the shipped modules,
    then its provided functions (`provided`: {name: cell source})."""
    imports = []
    for cell in source_notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or meta.get("solution") or meta.get("grade"):
            continue
        try:
            tree = ast.parse(cell.source)
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
            if all(name.split(".")[0] in PREAMBLE_IMPORTS for name in names):
                text = ast.unparse(node)
                if text not in imports:
                    imports.append(text)
    return "\n".join(imports) + "\n\n" + "\n\n".join(provided.values()) + "\n"


def program(course, assignment, nb):
    """Return what the child runs: the shipped modules, the preamble and the answer cells."""
    source = read_notebook(course.source_notebook(assignment))
    folder = course.source / assignment
    modules = [(name, (folder / f"{name}.py").read_text(encoding="utf-8"))
               for name in SHIPPED_MODULES if (folder / f"{name}.py").exists()]
    provided = reference.provided_cells(course.source_notebook(assignment))
    return {"modules": modules, "preamble": preamble(source, provided),
            "cells": answer_cells(nb, answer_ids(source))}


def seed_of(assignment, cells):
    """The seed of a submission's random cases: fixed by its answers, so a re-grade of the
    same answers draws the same cases, and unknown to students, who lack the catalogue."""
    digest = hashlib.sha256(assignment.encode())
    for grade_id, text in cells:
        digest.update(grade_id.encode() + b"\0" + text.encode() + b"\0")
    return int.from_bytes(digest.digest()[:8], "little")


def reference_output(ref, name, case, seed):
    """The reference's output on a case, computed here (numpy's global generator seeded as
    the child's is, for functions that draw random numbers)."""
    state = np.random.get_state()
    try:
        np.random.seed(seed)
        return getattr(ref, name)(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
    finally:
        np.random.set_state(state)


def _serve(ref):
    def serve(name, args, kwargs):
        return getattr(ref, name)(*args, **kwargs)

    return serve


def check_case(function, ref, case, outcome, seed):
    """Return the CheckFailure of one case's outcome, or None when it is right."""
    name = function.name + case.label
    if outcome.failure is not None:
        return CheckFailure(*outcome.failure)
    if outcome.error:
        return CheckFailure(name, "", outcome.error)
    expected = case.expected if case.kind == PUBLISHED else \
        reference_output(ref, function.name, case, seed)
    try:
        function.check(name, outcome.value, expected, *case.args, **case.kwargs)
        if case.gradient is not None:
            case.gradient(ref, case.args, outcome.value)
    except CheckFailure as failure:
        return failure
    except Exception as exc:  # the returned value broke a check: describe it, do not crash
        return CheckFailure(name, "", f"returned something the checks cannot read "
                                      f"({type(exc).__name__}: {str(exc)[:120]})")
    return None


def run_function(session, function, functions, ref, rng):
    """Call `function` on every case of its catalogue entry; return its CaseResults."""
    builds_on = catalogue.uses_closure(functions, function.name)
    unavailable = set(functions) - builds_on - {function.name}
    results, stopped = [], ""
    for case in catalogue.cases(function, rng):
        seed = int(rng.integers(2**31))
        if stopped:
            results.append(CaseResult(case, CheckFailure(function.name + case.label, "",
                                                         stopped)))
            continue
        outcome = session.call(function.name, function.name + case.label, case.args,
                               case.kwargs, seed, builds_on, unavailable)
        failure = check_case(function, ref, case, outcome, seed)
        if outcome.error.startswith("did not finish"):
            stopped = f"not run: an earlier call {outcome.error}"
        results.append(CaseResult(case, failure, outcome.value, outcome.ok, outcome.error,
                                  seed))
    return results


def grade_notebook(course, assignment, nb, seed=None, call_seconds=limits.CELL_SECONDS):
    """Grade the answers of notebook `nb` (a dict or NotebookNode); return
    ({grade_id: CellVerdict}, {answer grade_id: error of that cell, or None})."""
    from dnncourse.grader import messages

    functions = catalogue.load(course, assignment)
    ref = reference.load(assignment, course)
    source = read_notebook(course.source_notebook(assignment))
    work = program(course, assignment, nb)
    rng = np.random.default_rng(seed_of(assignment, work["cells"]) if seed is None else seed)
    results = {}
    with Session(work, _serve(ref), call_seconds) as session:
        try:
            cells = dict(session.load())
        except RuntimeError as exc:
            cells, problem = {}, str(exc)
            results = {name: [CaseResult(case, CheckFailure(name, "", problem))
                              for case in catalogue.cases(function, rng)]
                       for name, function in functions.items()}
        else:
            for name, function in functions.items():
                results[name] = run_function(session, function, functions, ref, rng)
    diagnoses = {name: diagnose(course, assignment, functions, name, ref, found)
                  for name, found in results.items()}
    verdicts = {}
    for grade_id, (function, points) in grade_cells(source).items():
        visible = grade_id.endswith("_visible")
        scored = [r for r in results.get(function, []) if r.case.visible == visible]
        verdicts[grade_id] = messages.verdict(grade_id, function, visible, points, scored,
                                              cells.get(f"solution_{function}"),
                                              *diagnoses.get(function, (None, None)))
    return verdicts, cells


def diagnose(course, assignment, functions, name, ref, results):
    """Return (the catalogued Mistake the function's outcomes match, or None; the pattern
    id of its failure, or None) for the CaseResults of the graded function `name`."""
    if all(r.failure is None for r in results):
        return None, None
    candidates = naming.catalogue_mistakes(course, assignment).get(name, [])
    mistake = naming.named_mistake(ref, candidates, results,
                                   catalogue.uses_closure(functions, name))
    return mistake, None if mistake else naming.pattern(name, results)

