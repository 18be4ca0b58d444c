"""Stop nbgrader's instructor commands run outside a course root, before they make a gradebook.

nbgrader reads nbgrader_config.py only from the folder it runs in. Run elsewhere, an
instructor command (`nbgrader db ...`, `autograde`, `export`, ...) falls back to
`sqlite:///gradebook.db` in that folder and silently creates an empty gradebook there.
`make setup` writes a one-line nbgrader_config.py for the whole environment
(.venv/etc/jupyter/, which nbgrader reads from any folder) that calls `refuse_outside_a_course`:
those commands then stop with a message naming the course root. Student commands
(`validate`, `fetch_assignment`, `submit`, ...) and JupyterLab's extensions are not affected.
"""

import argparse
import os
import sys
from pathlib import Path

from dnncourse.course import REPOSITORY

# nbgrader subcommands that open the gradebook of the course they run in.
GRADEBOOK_COMMANDS = frozenset({
    "db", "generate_assignment", "assign", "autograde", "generate_feedback", "feedback",
    "export", "collect", "zip_collect", "release_assignment", "release", "release_feedback",
    "formgrader", "update"})

ENVIRONMENT_CONFIG = "nbgrader_config.py"
CALL = "from dnncourse.nbgrader_guard import refuse_outside_a_course\nrefuse_outside_a_course()\n"


def nbgrader_command(argv):
    """Return the nbgrader subcommand `argv` runs, or None when it is not nbgrader's CLI."""
    program = Path(argv[0]) if argv else Path()
    if program.name != "nbgrader" and program.parts[-2:] != ("nbgrader", "__main__.py"):
        return None
    words = [word for word in argv[1:] if not word.startswith("-")]
    return words[0] if words else None


def refuse_outside_a_course(argv=None, cwd=None):
    """Exit with a message when `argv` is an nbgrader gradebook command and `cwd` (default:
    the working folder) holds no nbgrader_config.py."""
    argv = sys.argv if argv is None else argv
    cwd = Path.cwd() if cwd is None else Path(cwd)
    command = nbgrader_command(argv)
    if command not in GRADEBOOK_COMMANDS or (cwd / "nbgrader_config.py").exists():
        return
    raise SystemExit(
        f"nbgrader {command}: expected to run in a course root holding nbgrader_config.py, "
        f"but {cwd} has none; nbgrader reads its settings only from the folder it runs in and "
        f"would make an empty gradebook.db here. Run it from the course root "
        f"(cd {REPOSITORY})."
    )


def install(prefix=sys.prefix):
    """Write the environment-wide nbgrader_config.py that calls the guard; return its path.

    An existing file that is not ours (a hub's settings, deploy/configure-venv) is kept.
    """
    target = Path(prefix) / "etc" / "jupyter" / ENVIRONMENT_CONFIG
    if target.exists() and target.read_text(encoding="utf-8") != CALL:
        print(f"kept {target}: it holds other settings")
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(CALL, encoding="utf-8")
    os.chmod(target, 0o644)
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="store_true",
                        help="write the guard into this environment's etc/jupyter/")
    args = parser.parse_args(argv)
    if args.install:
        install()
    return 0


if __name__ == "__main__":
    sys.exit(main())
