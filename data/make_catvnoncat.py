"""Regenerate the course's synthetic cat / non-cat data set into data/ (or --out DIR).

Usage: ``python data/make_catvnoncat.py [--out DIR]``. The drawing lives in the package
``catvnoncat/`` beside this script; this file is only its command line (data/README.md).
"""

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Python puts this folder on the path when the script is run; the determinism test in
# tests/test_application.py loads this file by its path instead, so make sure of it here.
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from catvnoncat.dataset import generate  # noqa: E402, F401  (needs the path above; the test calls it)
from catvnoncat.files import write  # noqa: E402


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description="Generate the synthetic cat / non-cat data.")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: data/)")
    args = parser.parse_args()
    start = time.perf_counter()
    for path in write(args.out):
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    print(f"done in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
