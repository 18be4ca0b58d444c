"""The student's side of grading: the bubblewrap sandbox and the nbgrader kernel run that
survives broken or hostile notebooks."""
