"""Each catalogued mistake costs points in its own function only, graded with real nbgrader."""

import json
import shutil

import pytest
from conftest import copy_course
from mistake_catalogue import CATALOGUE

from dnncourse.authoring import examples
from dnncourse.course import Course
from dnncourse.grader.grading import function_of
from dnncourse.job import reports, runner

REPO = Course()  # this repository's course


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade one submission per catalogued mistake in a scratch copy of the course."""
    course = copy_course(tmp_path_factory.mktemp("catalogue") / "course")
    shutil.rmtree(course / "submitted")
    for mistake in CATALOGUE:
        examples.write(mistake.example(), course / "submitted")
    results = runner.run(course, jobs=2, out=lambda line: None)
    return course, {r.student: r for r in results}


def test_catalogue_is_large_and_covers_every_function():
    functions = {m.function for m in CATALOGUE}
    assert len(CATALOGUE) >= 30, f"only {len(CATALOGUE)} mistakes"
    everything = {name for assignment in REPO.assignment_ids
                  for name in reports.graded_functions(REPO.root, assignment)}
    assert functions == everything, f"functions without a mistake: {everything - functions}"
    assert len({m.key for m in CATALOGUE}) == len(CATALOGUE), "duplicate keys"


@pytest.mark.parametrize("mistake", CATALOGUE, ids=lambda m: m.key)
def test_mistake_costs_points_only_where_it_is_made(graded, mistake):
    course, results = graded
    result = results[mistake.example().student]
    assert not result.error, f"{mistake.key} could not be graded: {result.error}"
    full = reports.graded_functions(course, mistake.assignment)
    lost = {name: full[name] - result.points.get(name, 0) for name in full
            if result.points.get(name, 0) != full[name]}
    assert mistake.function in lost, (
        f"{mistake.key} ({mistake.description}) was not caught: {mistake.function} kept "
        f"full points"
    )
    assert set(lost) == {mistake.function}, (
        f"{mistake.key} in {mistake.function} also cost points in "
        f"{sorted(set(lost) - {mistake.function})}"
    )


@pytest.mark.parametrize("mistake", CATALOGUE, ids=lambda m: m.key)
def test_failure_message_names_the_function(graded, mistake):
    course, _ = graded
    folder = course / "autograded" / mistake.example().student / mistake.assignment
    nb = json.loads(next(folder.glob("*.ipynb")).read_text(encoding="utf-8"))
    messages = []
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade") and function_of(meta["grade_id"]) == mistake.function:
            visible_part = meta["grade_id"].endswith("_visible") or mistake.hidden_only
            messages += [o["evalue"] for o in cell["outputs"]
                         if o["output_type"] == "error" and visible_part]
    assert messages, f"{mistake.key}: no failing test cell of {mistake.function}"
    assert all(mistake.function in m for m in messages), (
        f"{mistake.key}: a message does not name {mistake.function}: {messages}"
    )

