"""The course data an assignment reads (its catalogue's DATA_FILES), checked before any of its
submissions is graded, with the expected contents its own loader declares."""

import importlib.util
import sys

# The module of an assignment's source folder that reads the data files: its SCHEMA names
# each file's expected datasets, and its _read(path) checks one file against them.
LOADER = "app_utils"
# Modules the loader imports from its own folder; removed again after the check.
LOADER_SIBLINGS = ("dnn_blocks", "dnn_utils")


def _loader(course, assignment):
    """Import the assignment's loader from its source folder, or return None without one."""
    path = course.source / assignment / f"{LOADER}.py"
    if not path.is_file():
        return None
    saved = {name: sys.modules.pop(name) for name in LOADER_SIBLINGS if name in sys.modules}
    sys.path.insert(0, str(path.parent))
    try:
        spec = importlib.util.spec_from_file_location(f"_dnncourse_loader_{assignment}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(path.parent))
        for name in LOADER_SIBLINGS:
            sys.modules.pop(name, None)
        sys.modules.update(saved)


def problem(course, assignment):
    """Return why the assignment's data files cannot be used (naming the file and what is
    expected), or "" when every file is there and well formed."""
    names = tuple(getattr(course.catalogue(assignment), "DATA_FILES", ()))
    if not names:
        return ""
    loader = _loader(course, assignment)
    schema = getattr(loader, "SCHEMA", {})
    for name in names:
        path = course.data / name
        expected = ""
        if name in schema and hasattr(loader, "_schema_text"):
            expected = f" (expected datasets: {loader._schema_text(name)})"
        if not path.is_file():
            return f"the data file data/{name} is missing{expected}"
        if name in schema and hasattr(loader, "_read"):
            try:
                loader._read(path)
            except (ValueError, OSError) as exc:
                return f"the data file data/{name} is malformed: {exc}"
    return ""
