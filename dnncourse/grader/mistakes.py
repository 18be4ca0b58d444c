"""Known mistakes: wrong answers the grader recognises, and the words that explain them.

A catalogue's `mistakes.py` lists `Mistake`s, each a small edit of the reference answer of
one graded function, as a student would make it. When a function fails a case, the
grader runs that function's mistakes on the same inputs, in its own process and with the
reference versions of what the function builds on; a mistake whose output the student's
output matches (to the checks' tolerance) is named in the message and recorded. The test
suite plants every mistake in a submission of its own.
"""

import linecache
import types
from dataclasses import dataclass

from dnncourse.course import read_notebook

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


@dataclass(frozen=True)
class Mistake:
    """A mistake planted in `function` by replacing each `old` with `new` in its answer.

    explains -- what the mistake is, as the message completes "this is what you get with
                ...", e.g. "dW computed without the 1/m factor"
    words -- words the visible tests' message must contain for this mistake (they name
             the output and the cause)
    """

    key: str
    function: str
    explains: str
    edits: tuple  # ((old, new), ...)
    words: tuple = ()


def answer_text(source_cell):
    """The reference answer of a source cell as a student would type it: no solution
    markers."""
    return "\n".join(line for line in source_cell.split("\n")
                     if not line.strip().startswith(SOLUTION_MARKERS))


def edited(text, mistake):
    """`text` with the mistake's edits; raises ValueError when an edit does not apply once."""
    for old, new in mistake.edits:
        if text.count(old) != 1:
            raise ValueError(f"{mistake.key}: {old!r} must occur once in the answer of "
                             f"{mistake.function}")
        text = text.replace(old, new)
    return text


def answers(course, assignment):
    """{solution cell id: reference answer as typed} of the assignment's source notebook."""
    found = {}
    for cell in read_notebook(course.source_notebook(assignment)).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            found[meta["grade_id"]] = answer_text(cell.source)
    return found


def mistaken_function(ref, source, mistake, filename=None, overrides=None):
    """The function `mistake.function` defined by the edited `source` in a copy of the
    reference module's namespace (so what it builds on is the reference, or `overrides`:
    {name: function}). `filename` names its code (default '<mistake KEY>'); give it a
    notebook cell's name ('<answer ...>') for messages that show its lines."""
    namespace = dict(vars(ref), **(overrides or {}))
    code = edited(source, mistake)
    filename = filename or f"<mistake {mistake.key}>"
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    exec(compile(code, filename, "exec"), namespace)
    function = namespace[mistake.function]
    if not isinstance(function, types.FunctionType):
        raise ValueError(f"{mistake.key} does not define the function {mistake.function}")
    return function


def load(course, assignment):
    """Return the assignment's known mistakes (catalogue/<assignment>/mistakes.py), or ()."""
    from dnncourse.grader.catalogue import shipped_modules, submodule

    package = course.catalogue(assignment)
    if not (course.catalogues / assignment / "mistakes.py").exists():
        return ()
    with shipped_modules():
        return tuple(submodule(package, "mistakes").MISTAKES)
