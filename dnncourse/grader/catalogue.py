"""An assignment's catalogue as the grader sees it: every graded function with its cases.

A course's `catalogue/<assignment>/` holds, in one place, how the assignment is graded:
`public.py` (the published and new-shape examples and the checks; its copy ships to
students as `public_tests.py`), `hidden.py` (the hidden cases, the gradient checks and the
table `FUNCTIONS` of `GradedFunction`s) and `mistakes.py` (known mistakes). This module
defines the table's types and turns a catalogue into the list of `Case`s the grader runs
for each function, the random ones drawn from a seed.
"""

import contextlib
import sys
from dataclasses import dataclass, field, replace

import numpy as np

from dnncourse.shipped import test_utils

PUBLISHED, TWIN, NEW_SHAPES, HIDDEN = "published", "twin", "new shapes", "hidden"


@dataclass
class Case:
    """One call of a graded function that the grader makes and checks.

    kind -- PUBLISHED (the notebook's example, values shown in messages), TWIN (the
            published example with slightly other numbers, so fixed outputs fail), NEW_SHAPES
            (the visible new-shape example) or HIDDEN
    where -- how messages name the case without its inputs, e.g. 'on a 3-layer network
             with 2 output units and 7 examples'; '' for the published example
    expected -- the published output, or None: the reference answer's output is expected
    gradient -- a check of the returned gradients against finite differences, or None
    """

    kind: str
    where: str
    args: tuple
    kwargs: dict = field(default_factory=dict)
    label: str = ""  # the call as the visible test names it, e.g. '(..., "relu")'
    expected: object = None
    gradient: object = None

    @property
    def visible(self):
        """Whether the case is scored in the function's visible test cell."""
        return self.kind in (PUBLISHED, TWIN)


@dataclass
class GradedFunction:
    """A graded function: its checks and cases, and the graded functions it builds on.

    check -- `check(name, got, expected, *args, **kwargs)` of public.py
    published, new_shapes -- functions returning public.py's Examples
    hidden -- `hidden(rng)` returning the hidden Cases
    uses -- graded functions of the same assignment it calls; the grader serves them from
            the reference answers, so a mistake costs points only where it is made
    """

    name: str
    check: object
    published: object
    new_shapes: object
    hidden: object
    uses: tuple = ()


@contextlib.contextmanager
def shipped_modules():
    """Make the shipped `test_utils` importable as the students' files import it."""
    saved = sys.modules.get("test_utils")
    sys.modules["test_utils"] = test_utils
    try:
        yield
    finally:
        if saved is None:
            sys.modules.pop("test_utils", None)
        else:
            sys.modules["test_utils"] = saved


def load(course, assignment):
    """Return {function name: GradedFunction} of the catalogue of `assignment` in `course`."""
    with shipped_modules():
        package = course.catalogue(assignment)
        hidden = _submodule(package, "hidden")
    return {function.name: function for function in hidden.FUNCTIONS}


def public_module(course, assignment):
    """Return the catalogue's public.py module of `assignment` (its published examples)."""
    with shipped_modules():
        return _submodule(course.catalogue(assignment), "public")


def _submodule(package, name):
    import importlib

    return importlib.import_module(f"{package.__name__}.{name}")


def uses_closure(functions, name):
    """Every graded function `name` may call: those it uses, and theirs, and so on."""
    found, todo = set(), list(functions[name].uses)
    while todo:
        other = todo.pop()
        if other not in found:
            found.add(other)
            todo.extend(functions[other].uses)
    return found


def _perturbed(value, rng):
    """`value` with every real array scaled by 1 + 0.001 noise; arrays of labels (0s and
    1s) and numbers stay, so the example keeps its structure and only its numbers move."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind != "f" or np.isin(value, (0.0, 1.0)).all():
            return value
        return value * (1 + 1e-3 * rng.standard_normal(value.shape))
    if isinstance(value, (tuple, list)):
        return type(value)(_perturbed(item, rng) for item in value)
    if isinstance(value, dict):
        return {key: _perturbed(item, rng) for key, item in value.items()}
    return value


def _twin_args(args, rng):
    """The published inputs with other numbers. Functions that take only sizes (the
    initializations) get every size one larger instead."""
    if all(isinstance(a, int) or (isinstance(a, list) and all(isinstance(n, int) for n in a))
           for a in args):
        return tuple([n + 1 for n in a] if isinstance(a, list) else a + 1 for a in args)
    return _perturbed(args, rng)


def cases(function, rng):
    """Return every Case of `function`: published (each with its twin), new shapes, hidden."""
    with shipped_modules():
        published = [Case(PUBLISHED, "", e.args, e.kwargs, e.label, e.expected)
                     for e in function.published()]
        shapes = [Case(NEW_SHAPES, "on the new-shape example", e.args, e.kwargs, e.label)
                  for e in function.new_shapes()]
    twins = [replace(case, kind=TWIN, where="on the published example with other numbers",
                     args=_twin_args(case.args, rng), kwargs=_perturbed(case.kwargs, rng),
                     expected=None) for case in published]
    return [*published, *twins, *shapes, *function.hidden(rng)]

