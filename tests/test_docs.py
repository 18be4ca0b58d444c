"""The documentation is true to the code: every path and module it names exists, the package
layout table and the test list match the tree, and the tables and messages it quotes (limits,
a student's failure message, the demo's points) are what the code gives today."""

import glob
import importlib
import re

import pytest
from conftest import REPO, ROOT

from dnncourse import limits
from dnncourse.authoring import examples
from dnncourse.grader import catalogue, messages, mistakes, reference
from dnncourse.job.reports import graded_functions
from dnncourse.shipped.test_utils import CheckFailure

README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
# Top-level folders of the repository: a backticked path starting with one of them must exist.
TRACKED = ("dnncourse", "catalogue", "tests", "source", "release", "data", "deploy", "scripts",
           "benchmarks", "examples", "docs", ".ci")
TRACKED_FILES = re.compile(r"(requirements|debian-packages)[\w*-]*\.txt|nbgrader_config\.py"
                           r"|Makefile|pyproject\.toml")
# What grading, the handouts, a term and the set-up write, and git ignores: a fresh clone has
# none of it, so the docs may name these paths (and what is under them) without the test
# asking for them.
GENERATED = ("reports", "autograded", "feedback", "submitted", "downloaded", "handouts",
             "demo", "backups", "set_aside", "gradebook.db", ".venv", "deploy/node_modules")


def page_text(page):
    """The page without its fenced code blocks (commands and quoted output)."""
    return re.sub(r"^ *```.*?^ *```", "", page.read_text(encoding="utf-8"), flags=re.S | re.M)


def backticked(page):
    """Every `...` of a page's prose, without spaces inside."""
    return re.findall(r"`([^`\s]+)`", page_text(page))


def expanded(path):
    """`catalogue/<assignment>/{public,hidden}.py` as glob patterns: a placeholder <...>
    stands for any name, a brace group for each of its items."""
    braces = re.search(r"\{([^{}]*)\}", path)
    if braces:
        return [p for item in braces.group(1).split(",")
                for p in expanded(path[:braces.start()] + item + path[braces.end():])]
    return [re.sub(r"<[^<>/]+>", "*", path)]


def named_paths():
    """{path as written: page name} for the repository paths the docs name."""
    found = {}
    for page in PAGES:
        for token in backticked(page):
            token = token.rstrip(".,:;)")
            first = token.split("/")[0]
            if any(token == g or token.startswith(g + "/") for g in GENERATED):
                continue
            if ("/" in token and first in TRACKED) or TRACKED_FILES.fullmatch(token):
                found.setdefault(token, page.name)
    return found


def test_the_docs_name_paths():
    """The extraction finds what the pages are about (an empty list would prove nothing)."""
    found = named_paths()
    for path in ("dnncourse/kernel/sandbox.py", "dnncourse/grader/preprocessor.py",
                 "tests/test_cheats.py", "nbgrader_config.py"):
        assert path in found, f"expected the docs to name {path}, found {sorted(found)}"


def test_every_path_the_docs_name_exists():
    missing = {path: page for path, page in named_paths().items()
               if not any(glob.glob(pattern, root_dir=ROOT) for pattern in expanded(path))}
    assert not missing, f"paths named in the docs that are not in the repository: {missing}"


def test_every_module_the_docs_name_can_be_imported():
    """`python -m dnncourse.x`, `dnncourse.lms.export.CanvasExport`: each names a module, or
    an attribute of one, that exists."""
    names = set()
    for page in PAGES:
        names.update(re.findall(r"\bdnncourse(?:\.\w+)+", page.read_text(encoding="utf-8")))
    assert names, "expected the docs to name dnncourse modules"
    wrong = []
    for name in sorted(names):
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                found = importlib.import_module(".".join(parts[:cut]))
                break
            except ModuleNotFoundError:
                continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute, None)
        if found is None:
            wrong.append(name)
    assert not wrong, f"names of the docs that are no module or attribute: {wrong}"


def test_every_relative_link_of_the_docs_exists():
    missing = []
    for page in PAGES:
        for target in re.findall(r"\]\(([^)\s#]+)(?:#[^)]*)?\)", page_text(page)):
            if "://" not in target and not (page.parent / target).exists():
                missing.append(f"{page.name}: {target}")
    assert not missing, f"links to files that do not exist: {missing}"


# ------------------------------------------------------------------------------------------
# Tables of docs/development.md that list the tree
# ------------------------------------------------------------------------------------------

def section(page, heading):
    """The text under `heading` (a whole heading line, e.g. '## Limits') up to the next
    heading of the same or a higher level."""
    text = page.read_text(encoding="utf-8")
    level = heading.split()[0]
    start = text.index(f"\n{heading}\n") + len(heading) + 2
    following = re.search(rf"^#{{1,{len(level)}}} ", text[start:], flags=re.M)
    return text[start:start + following.start()] if following else text[start:]


def table_rows(text):
    """[[cell, ...]] of a markdown table's body rows (header and rule left out)."""
    rows = [line.strip().strip("|").split("|") for line in text.splitlines()
            if line.startswith("|")]
    return [[cell.strip() for cell in row] for row in rows[2:]]


def package_table():
    """{first column path: description} of the package layout table."""
    rows = table_rows(section(ROOT / "docs" / "development.md", "### The package"))
    return {row[0].strip("`"): row[1] for row in rows}


def test_the_package_table_lists_exactly_the_modules_of_the_tree():
    listed = {path for path in package_table() if not path.startswith("catalogue/")}
    tree = {"dnncourse/"}
    for path in (ROOT / "dnncourse").rglob("*.py"):
        relative = path.relative_to(ROOT)
        tree.add(f"{relative.parent}/" if path.name == "__init__.py" else str(relative))
    assert not tree - listed, f"modules missing from the package table: {sorted(tree - listed)}"
    assert not listed - tree, f"rows for modules that do not exist: {sorted(listed - tree)}"


def test_the_package_table_lists_exactly_the_modules_of_a_catalogue():
    listed = {path.removeprefix("catalogue/<assignment>/") for path in package_table()
              if path.startswith("catalogue/")}
    tree = set()
    for assignment in REPO.assignment_ids:
        tree |= {p.name for p in (REPO.catalogues / assignment).glob("*.py")}
    assert listed == tree, (f"catalogue rows of the package table: expected {sorted(tree)} "
                            f"(the modules of catalogue/*/), got {sorted(listed)}")


def test_every_row_of_the_package_table_says_what_the_module_owns():
    short = [path for path, text in package_table().items() if len(text.split()) < 4]
    assert not short, f"rows without a description: {short}"


def test_the_test_list_names_exactly_the_test_files():
    text = section(ROOT / "docs" / "development.md", "## Tests")
    listed = set(re.findall(r"^- `(test_\w+\.py)`", text, flags=re.M))
    tree = {p.name for p in (ROOT / "tests").glob("test_*.py")}
    assert not tree - listed, f"test files missing from docs/development.md: {tree - listed}"
    assert not listed - tree, f"docs/development.md lists test files that do not exist: " \
                              f"{listed - tree}"


# ------------------------------------------------------------------------------------------
# Numbers and messages the docs quote
# ------------------------------------------------------------------------------------------

def test_the_limits_table_is_what_limits_table_gives():
    rows = table_rows(section(ROOT / "docs" / "grading.md", "## Limits"))
    assert [tuple(row) for row in rows] == limits.table(), (
        "the limits table of docs/grading.md differs from dnncourse.limits.table(); "
        "write the table again from it")


def fenced(text, language):
    """The fenced blocks of `language` ('' for none) in `text`, read in order so that a
    block's closing fence is never taken for an opening one."""
    return [body for found, body in re.findall(r"^```(\w*)\n(.*?)^```", text, flags=re.S | re.M)
            if found == language]


def test_the_students_failure_message_is_what_the_visible_test_prints():
    """The README quotes the visible test's message for dW without 1/m, the catalogued
    mistake lb_no_mean, as a notebook shows it; and the grader's sentence naming it."""
    public = catalogue.public_module(REPO, "step_by_step")
    mistake = {m.key: m for m in mistakes.load(REPO, "step_by_step")}["lb_no_mean"]
    wrong = mistakes.mistaken_function(
        reference.load("step_by_step"),
        mistakes.answers(REPO, "step_by_step")["solution_linear_backward"], mistake,
        "<answer solution_linear_backward>")
    with pytest.raises(CheckFailure) as raised:
        public.linear_backward_test(wrong)
    shown = "\n".join(raised.value._render_traceback_())
    students = section(README, "## For students")
    quoted = fenced(students, "text")
    assert quoted, "expected the README's student section to quote a failure in a text block"
    assert quoted[0].rstrip("\n") == shown, (
        f"the README quotes\n{quoted[0]}\nbut the visible test prints today\n{shown}")
    naming = messages.named("linear_backward", mistake)
    assert naming in " ".join(students.split()), (
        f"expected the README's student section to quote the grader's {naming!r}")


def test_the_demo_table_shows_the_points_the_examples_must_get():
    """The README's `make demo` output: each example's points per function and total are
    examples.EXPECTED's (which tests/test_grading.py checks against real grading)."""
    output = fenced(section(README, "## Quick start"), "")[0]
    blocks = re.split(r"\nPoints per student and graded function: \w+\n", "\n" + output)
    assignments = list(REPO.assignment_ids)
    assert len(blocks) == len(assignments), f"expected a table per assignment: {assignments}"
    for assignment, block in zip(assignments, blocks):
        full = graded_functions(REPO, assignment)
        shown = {line.split()[0]: [float(n) for n in line.split()[1:-1]] + [line.split()[-1]]
                 for line in block.strip().splitlines()[1:] if not line.startswith(" ")}
        wanted = {}
        for example in examples.EXAMPLES:
            if example.assignment == assignment:
                points = examples.expected_points(example, full)
                total = f"{sum(points.values()):g}/{sum(full.values()):g}"
                wanted[example.student] = [float(points[f]) for f in full] + [total]
        assert shown == wanted, f"{assignment}: the README shows {shown}, expected {wanted}"
