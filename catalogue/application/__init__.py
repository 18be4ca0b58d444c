"""Catalogue of "Deep Neural Network for Image Classification: Application": how it is graded.

This package registers the assignment: it comes after Step by Step and ships that
assignment's reference answers as `dnn_blocks.py` (so it is released after the Step by
Step deadline); its modules hold the cases and checks of its two graded models.
"""

ORDER = 2
BUILDS_ON = "step_by_step"
SHARED_FILES = ("dnn_utils.py", "test_utils.py")
# Files of the course's data/ folder the notebook reads (checked before grading).
DATA_FILES = ("train_catvnoncat.h5", "test_catvnoncat.h5")
# Points the graded test cells of the source notebook add up to (checked by make release).
TOTAL_POINTS = 100
