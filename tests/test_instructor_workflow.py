"""An instructor's term without a hub, end to end on a scratch course, with the documented
commands only (docs/instructor.md): handouts, a due date, a Canvas archive collected with
zip_collect, an extension for one student, grading with `python -m dnncourse.grade`, a late
submission penalised, the Canvas export, and the feedback handed back."""

import csv
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, copy_course

pytestmark = pytest.mark.slow

ASSIGNMENT = "step_by_step"
NOTEBOOK = REPO.release_notebook(ASSIGNMENT).name
HTML = NOTEBOOK.replace(".ipynb", ".html")
DUE = "2026-11-20 17:00:00 UTC"
# Canvas user id -> (example submission, Canvas name part, submitted at, marked late)
STUDENTS = {
    "4242": ("correct", "doejane", "2026-11-20 16:59:00+00:00", False),
    # 25 hours late: two started days, 20 % of its 71 points
    "4343": ("typical_mistakes", "smithjohn", "2026-11-21 18:00:00+00:00", True),
    # 30 hours late, but given a two-day extension: on time
    "4444": ("correct", "leeann", "2026-11-21 23:00:00+00:00", True),
}


def run(course, *command):
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep
               + os.environ["PATH"])
    env.pop("DNNCOURSE_DB_URL", None)
    done = subprocess.run(list(command), cwd=course, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}"
    return done.stdout


def canvas_archive(course):
    """downloaded/<assignment>/archive/: Canvas's archive and the submission times."""
    folder = course / "downloaded" / ASSIGNMENT / "archive"
    folder.mkdir(parents=True)
    times = ["student_id,timestamp"]
    with zipfile.ZipFile(folder / "submissions.zip", "w") as zf:
        for number, (student, (example, name, when, late)) in enumerate(STUDENTS.items()):
            mark = "_LATE" if late else ""
            data = (REPO.examples / example / ASSIGNMENT / NOTEBOOK).read_bytes()
            zf.writestr(f"{name}{mark}_{student}_{98000 + number}_{NOTEBOOK}", data)
            times.append(f"{student},{when}")
    (folder / "submission_times.csv").write_text("\n".join(times) + "\n")


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("term") / "course", examples=False)
    python = sys.executable
    printed = {}
    printed["release"] = run(course, python, "-m", "nbgrader", "generate_assignment",
                             ASSIGNMENT, "--force")
    printed["handout"] = run(course, python, "-m", "dnncourse.authoring.handout",
                             "--course-dir", str(course))
    printed["due"] = run(course, python, "-m", "nbgrader", "db", "assignment", "add",
                         ASSIGNMENT, f"--duedate={DUE}")
    canvas_archive(course)
    printed["collect"] = run(course, python, "-m", "nbgrader", "zip_collect", ASSIGNMENT)
    printed["extension"] = run(course, python, "-m", "dnncourse.extension", ASSIGNMENT,
                               "4444", "--days", "2", "--course-dir", str(course))
    printed["grade"] = run(course, python, "-m", "dnncourse.grade", "--course-dir",
                           str(course))
    printed["canvas"] = run(course, python, "-m", "nbgrader", "export",
                            "--exporter=dnncourse.lms.export.CanvasExport",
                            "--to=reports/canvas.csv")
    printed["bundles"] = run(course, python, "-m", "dnncourse.lms.bundles", ASSIGNMENT,
                             "--course-dir", str(course))
    return course, printed


def test_handouts_are_written_for_every_assignment(term):
    course, _ = term
    for assignment in REPO.assignment_ids:
        assert (course / "handouts" / f"{assignment}.zip").is_file(), f"no {assignment}.zip"


def test_collected_submissions_carry_their_canvas_times(term):
    course, _ = term
    assert sorted(p.name for p in (course / "submitted").iterdir()) == sorted(STUDENTS)
    for student in STUDENTS:
        stamp = (course / "submitted" / student / ASSIGNMENT / "timestamp.txt").read_text()
        assert stamp.startswith(STUDENTS[student][2][:16]), f"{student}: {stamp}"


def grades(course):
    with open(course / "reports" / "grades.csv", newline="") as f:
        return {row["student_id"]: row for row in csv.DictReader(f)
                if row["assignment"] == ASSIGNMENT}


def test_grades_csv_shows_the_late_submission_with_its_penalty(term):
    course, printed = term
    rows = grades(course)
    expected = {"4242": (100, 0, 100), "4343": (71, 14.2, 56.8), "4444": (100, 0, 100)}
    got = {student: tuple(round(float(row[key]), 2) for key in
                          ("raw_score", "late_submission_penalty", "score"))
           for student, row in rows.items()}
    assert got == expected, (
        f"expected (raw, penalty, score) {expected}, got {got}\n{printed['grade']}")
    assert all(row["duedate"].startswith("2026-11-20 17:00") for row in rows.values()), rows


def test_feedback_shows_the_penalty_to_the_late_student_only(term):
    course, _ = term
    late = (course / "feedback" / "4343" / ASSIGNMENT / HTML).read_text()
    assert "Late submission penalty" in late and "-14.2" in late, (
        "the late student's feedback does not show the penalty")
    for student in ("4242", "4444"):
        text = (course / "feedback" / student / ASSIGNMENT / HTML).read_text()
        assert "Late submission penalty" not in text, f"{student} shown as late"


def test_canvas_export_carries_the_scores_after_penalty(term):
    course, _ = term
    with open(course / "reports" / "canvas.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"], rows[0]
    column = rows[0].index(ASSIGNMENT)
    scores = {row[1]: row[column] for row in rows[2:]}
    assert scores == {"4242": "100.00", "4343": "56.80", "4444": "100.00"}, scores


def test_feedback_goes_back_per_student_and_as_a_canvas_upload(term):
    course, printed = term
    folder = course / "reports" / "feedback-bundles"
    assert sorted(p.name for p in (folder / ASSIGNMENT).glob("*.zip")) == [
        f"{s}.zip" for s in sorted(STUDENTS)], printed["bundles"]
    with zipfile.ZipFile(folder / f"{ASSIGNMENT}-canvas-upload.zip") as zf:
        uploaded = sorted(zf.namelist())
    stem = HTML.removesuffix(".html")
    assert uploaded == sorted([f"doejane_4242_98000_{stem}_feedback.html",
                               f"smithjohn_LATE_4343_98001_{stem}_feedback.html",
                               f"leeann_LATE_4444_98002_{stem}_feedback.html"]), uploaded


def test_a_terms_data_packs_and_stays_out_of_git(term):
    course, _ = term
    folders = ["submitted", "downloaded", "gradebook.db", "autograded", "feedback", "reports",
               "backups"]
    # docs/instructor.md's command, as written, in the course root
    run(course, "tar", "czf", "../deep-nn-term.tar.gz", *folders)
    with tarfile.open(course.parent / "deep-nn-term.tar.gz") as archive:
        packed = {name.split("/")[0] for name in archive.getnames()}
    assert packed == set(folders), f"expected {folders} in the archive, got {sorted(packed)}"
    # In the repository, git ignores all of it (a folder is named with its slash).
    paths = [f"{name}/" if (course / name).is_dir() else name for name in folders]
    paths += ["students.csv", "grades.csv", "handouts/"]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *paths], cwd=REPO.root,
                             text=True, capture_output=True).stdout.split()
    assert sorted(ignored) == sorted(paths), (
        f"git would not ignore {sorted(set(paths) - set(ignored))}")
