"""One course on disk: every path of it and its assignments, from the folder `--course-dir` names.

A course root holds `nbgrader_config.py`, `source/<assignment>/` (one notebook each),
`catalogue/<assignment>/` (how the assignment is graded, see dnncourse/grader/catalogue.py),
`data/`, `examples/` (the example submissions, kept apart from a class's), and the class
data that git ignores: `submitted/`, `downloaded/` (LMS archives for `nbgrader zip_collect`),
what grading writes (`release/`, `autograded/`, `feedback/`, `reports/`, the gradebook,
`backups/`, `set_aside/`, `regrade/`) and `handouts/`. No other module builds these paths.

An assignment is registered by its catalogue alone: `catalogue/<id>/__init__.py` declares
its place in the course (ORDER), the assignment whose reference answers it builds on
(BUILDS_ON) and the shared student files it ships (SHARED_FILES).
"""

import functools
import importlib.util
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

# This repository, the course graded when no --course-dir is given.
REPOSITORY = Path(__file__).resolve().parents[1]
# The single source of the student files shared by the assignments (copied by sync).
SHIPPED = Path(__file__).resolve().parent / "shipped"
# What a course is made of, as opposed to a term's class data: copied into a scratch course
# (the demo, the tests) and into a hub's course directory.
MATERIAL = ("nbgrader_config.py", "catalogue", "source", "release", "data")


@dataclass(frozen=True)
class Assignment:
    """An assignment as its catalogue declares it."""

    id: str
    order: int
    builds_on: str | None  # an assignment whose reference answers this one ships
    shared_files: tuple  # names of files of dnncourse/shipped/ copied into its folder
    catalogue: Path  # catalogue/<id>/


def read_notebook(path):
    """Read a notebook file (nbformat 4) into a NotebookNode."""
    return nbformat.read(str(path), as_version=4)


def _load_module(path, name):
    """Import the Python file or package at `path` under the module name `name`, once."""
    if name in sys.modules:
        return sys.modules[name]
    init = path / "__init__.py" if path.is_dir() else path
    spec = importlib.util.spec_from_file_location(
        name, init, submodule_search_locations=[str(path)] if path.is_dir() else None)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


class Course:
    """The course rooted at `root` (default: this repository)."""

    def __init__(self, root=REPOSITORY):
        self.root = Path(root).resolve()

    def __repr__(self):
        return f"Course({str(self.root)!r})"

    def __eq__(self, other):
        return isinstance(other, Course) and other.root == self.root

    def __hash__(self):
        return hash(self.root)

    def copy_material(self, dest, items=MATERIAL):
        """Copy this course's material (MATERIAL, or `items`) into `dest`; return that Course.

        No class data is copied: the copy has its own empty gradebook and submissions.
        """
        dest = Path(dest)
        dest.mkdir(parents=True, exist_ok=True)
        ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
        for item in items:
            src = self.root / item
            if src.is_dir():
                shutil.copytree(src, dest / item, ignore=ignore)
            else:
                shutil.copy2(src, dest / item)
        return Course(dest)

    # Folders of the course root -----------------------------------------------------------
    @property
    def config(self):
        return self.root / "nbgrader_config.py"

    @property
    def source(self):
        return self.root / "source"

    @property
    def release(self):
        return self.root / "release"

    @property
    def submitted(self):
        return self.root / "submitted"

    @property
    def examples(self):
        """The example submissions, laid out as `submitted/` is (authoring/examples.py)."""
        return self.root / "examples"

    @property
    def downloaded(self):
        """LMS archives and what `nbgrader zip_collect` extracts from them, per assignment."""
        return self.root / "downloaded"

    @property
    def handouts(self):
        """What students may have, per assignment, as a folder and a zip."""
        return self.root / "handouts"

    @property
    def gradebook(self):
        """The SQLite gradebook file (unused when the config names another database)."""
        return self.root / "gradebook.db"

    @property
    def autograded(self):
        return self.root / "autograded"

    @property
    def feedback(self):
        return self.root / "feedback"

    @property
    def reports(self):
        return self.root / "reports"

    @property
    def logs(self):
        return self.reports / "logs"

    @property
    def data(self):
        return self.root / "data"

    @property
    def catalogues(self):
        return self.root / "catalogue"

    @property
    def regrade(self):
        """Previews of a re-grade (dnncourse/job/regrade.py): scratch courses and outcomes."""
        return self.root / "regrade"

    @property
    def backups(self):
        return self.root / "backups"

    @property
    def set_aside(self):
        return self.root / "set_aside"

    # Per assignment and student ------------------------------------------------------------
    def notebook(self, folder, assignment):
        """Return the single notebook of `assignment` under `folder` (e.g. course.source)."""
        notebooks = sorted((Path(folder) / assignment).glob("*.ipynb"))
        if len(notebooks) != 1:
            raise FileNotFoundError(f"expected exactly one notebook in "
                                    f"{Path(folder) / assignment}, found {len(notebooks)}")
        return notebooks[0]

    def source_notebook(self, assignment):
        return self.notebook(self.source, assignment)

    def release_notebook(self, assignment):
        return self.notebook(self.release, assignment)

    def submission(self, student, assignment):
        """The folder of one student's submission of one assignment."""
        return self.submitted / student / assignment

    def autograded_folder(self, student, assignment):
        return self.autograded / student / assignment

    def feedback_folder(self, student, assignment):
        return self.feedback / student / assignment

    def set_aside_folder(self, student, assignment):
        return self.set_aside / student / assignment

    # Assignments ---------------------------------------------------------------------------
    @functools.cached_property
    def assignments(self):
        """Every assignment with a catalogue and a source folder, in course order."""
        found = []
        for folder in sorted(self.catalogues.glob("*/__init__.py")):
            folder = folder.parent
            if not (self.source / folder.name).is_dir():
                continue
            declared = self.catalogue(folder.name)
            found.append(Assignment(
                id=folder.name, order=int(getattr(declared, "ORDER", 0)),
                builds_on=getattr(declared, "BUILDS_ON", None),
                shared_files=tuple(getattr(declared, "SHARED_FILES", ())), catalogue=folder))
        return tuple(sorted(found, key=lambda a: (a.order, a.id)))

    @property
    def assignment_ids(self):
        return tuple(a.id for a in self.assignments)

    def assignment(self, assignment_id):
        for assignment in self.assignments:
            if assignment.id == assignment_id:
                return assignment
        raise KeyError(f"no assignment {assignment_id!r} in {self.root} (known: "
                       f"{', '.join(self.assignment_ids) or 'none'}); an assignment needs "
                       f"source/{assignment_id}/ and catalogue/{assignment_id}/__init__.py")

    def catalogue(self, assignment_id):
        """Import catalogue/<assignment_id>/ of this course as a package (once per course)."""
        folder = self.catalogues / assignment_id
        key = f"_dnncourse_catalogue_{abs(hash(self.root)):x}_{assignment_id}"
        return _load_module(folder, key)

    # The gradebook ------------------------------------------------------------------------
    @functools.cached_property
    def gradebook_url(self):
        """The gradebook URL nbgrader uses for this course, from its nbgrader_config.py."""
        from nbgrader.coursedir import CourseDirectory
        from traitlets.config.loader import PyFileConfigLoader

        config = PyFileConfigLoader(self.config.name, path=str(self.root)).load_config()
        return CourseDirectory(config=config).db_url


def parse_command_line(parser, argv=None):
    """Add the --course-dir option every command of the course takes, parse `argv`, and
    return (the parsed arguments, the Course they name)."""
    parser.add_argument("--course-dir", default=None,
                        help="course root holding nbgrader_config.py (default: this repository)")
    args = parser.parse_args(argv)
    return args, Course(args.course_dir) if args.course_dir else Course()
