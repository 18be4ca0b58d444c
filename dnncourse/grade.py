"""`python -m dnncourse.grade`: the main grading job (dnncourse/job/runner.py)."""

import sys

from dnncourse.job.runner import main

if __name__ == "__main__":
    sys.exit(main())
