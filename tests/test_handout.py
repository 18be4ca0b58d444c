"""Handouts (dnncourse/authoring/handout.py): the zip holds what a student may have and
nothing more, and its notebook runs and validates on its own, away from the repository."""

import json
import zipfile

import pytest
from conftest import REPO, cell_text, load_notebook, validate

from dnncourse.authoring import examples, handout
from dnncourse.course import Course

pytestmark = pytest.mark.slow

ASSIGNMENTS = pytest.mark.parametrize("assignment", REPO.assignment_ids)
TEXT = (".py", ".ipynb", ".md", ".txt")
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "dnncourse.hidden", "dnncourse.grader")


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts")
    return {a: handout.write(REPO, a, out)[1] for a in REPO.assignment_ids}


def members(archive):
    """{name: bytes} of every file in the zip."""
    with zipfile.ZipFile(archive) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist() if not info.is_dir()}


def lines_of(name, data):
    """The stripped lines of a text member; a notebook's lines are its cells' lines."""
    if name.endswith(".ipynb"):
        text = "\n".join(cell_text(c) for c in json.loads(data)["cells"])
    else:
        text = data.decode("utf-8")
    return {line.strip() for line in text.splitlines() if line.strip()}


def secret_lines(assignment):
    """Lines only the source notebook's solution and hidden-test regions hold."""
    inside, outside = set(), set()
    for cell in load_notebook(REPO.source_notebook(assignment))["cells"]:
        hidden = False
        for line in cell_text(cell).splitlines():
            if "### BEGIN SOLUTION" in line or "### BEGIN HIDDEN TESTS" in line:
                hidden = True
            elif "### END SOLUTION" in line or "### END HIDDEN TESTS" in line:
                hidden = False
            elif hidden and line.strip() and not line.strip().startswith("#"):
                inside.add(line.strip())
            elif not hidden:
                outside.add(line.strip())
    return inside - outside


@ASSIGNMENTS
def test_zip_unpacks_into_the_assignment_folder_with_release_data_and_instructions(
        handouts, assignment):
    names = set(members(handouts[assignment]))
    release = {p.relative_to(REPO.release).as_posix() for p in
               (REPO.release / assignment).rglob("*") if p.is_file()
               and "__pycache__" not in p.parts}
    assert release <= names, f"release files missing from the handout: {release - names}"
    extra = {f"{assignment}/{n}" for n in ("README.md", "requirements.txt",
                                           "nbgrader_config.py")}
    data = {f"{assignment}/data/{n}" for n in
            getattr(REPO.catalogue(assignment), "DATA_FILES", ())}
    assert names == release | extra | data, (
        f"unexpected files in the handout: {sorted(names - release - extra - data)}")


@ASSIGNMENTS
def test_zip_holds_no_reference_answer_hidden_test_or_course_tooling(handouts, assignment):
    files = members(handouts[assignment])
    # dnncourse/shipped/ is the single source of the student files (dnn_utils.py, ...).
    tooling = {p.read_bytes() for p in (REPO.root / "dnncourse").rglob("*.py")
               if "shipped" not in p.parts}
    secrets = secret_lines(assignment)
    assert len(secrets) > 10, "expected the source notebook to hold solution lines"
    for name, data in files.items():
        assert "dnncourse" not in name.split("/"), f"{name}: a course tooling file"
        assert data not in tooling or not data.strip(), f"{name} is a copy of a dnncourse file"
        if not name.endswith(TEXT):
            continue
        text = data.decode("utf-8")
        for marker in MARKERS:
            assert marker not in text, f"{name} contains {marker!r}"
        leaked = sorted(secrets & lines_of(name, data))
        assert not leaked, f"{name} shows lines of {assignment}'s reference answers: {leaked}"
    # An assignment that builds on another ships that one's answers in dnn_blocks.py, by
    # design (it is handed out after the other's deadline); it ships none of its own.


def test_requirements_are_the_course_pins_and_readme_is_the_student_section(handouts):
    files = members(handouts["step_by_step"])
    pins = {line for line in (REPO.root / "requirements.txt").read_text().splitlines()
            if line and not line.startswith("#")}
    # The grading job's and the feedback pages' packages stay on the grader's side.
    pins = {line for line in pins if line.split("==")[0] not in handout.GRADER_ONLY}
    assert {"numpy", "h5py", "nbgrader"} <= {line.split("==")[0] for line in pins}, pins
    shipped = {line for line in files["step_by_step/requirements.txt"].decode().splitlines()
               if line and not line.startswith("#")}
    assert shipped == pins, f"expected the course's pins {pins}, got {shipped}"
    readme = files["step_by_step/README.md"].decode()
    assert readme.startswith("## For students") and "unzip step_by_step.zip" in readme, readme


@ASSIGNMENTS
def test_handout_notebook_runs_and_validates_on_its_own(handouts, assignment, tmp_path,
                                                        monkeypatch):
    # A folder outside the repository, so that no data/ or file of the course is in reach.
    with zipfile.ZipFile(handouts[assignment]) as zf:
        zf.extractall(tmp_path)
    folder = tmp_path / assignment
    assert REPO.root not in folder.parents
    notebook = Course(tmp_path).notebook(tmp_path, assignment)
    nb = load_notebook(notebook)
    answers = examples.answer_cells(assignment)
    answered = 0
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
            answered += 1
    assert answered >= 2, f"expected solution cells in the handout notebook, found {answered}"
    notebook.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    monkeypatch.delenv("CATVNONCAT_DATA", raising=False)
    monkeypatch.chdir(folder)
    result = validate(notebook)
    assert result == {}, f"the answered handout notebook does not validate: {result}"
