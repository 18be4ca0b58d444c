"""Catalogue of "Building your Deep Neural Network: Step by Step": how it is graded.

This package registers the assignment (its place in the course and the files it ships);
its modules hold the cases and checks of its ten graded functions.
"""

ORDER = 1
BUILDS_ON = None
SHARED_FILES = ("dnn_utils.py", "test_utils.py", "gradient_check.py")
# Points the graded test cells of the source notebook add up to (checked by make release).
TOTAL_POINTS = 100
