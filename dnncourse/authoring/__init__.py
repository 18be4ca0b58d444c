"""Authoring the course: release placeholders, generated student files, example submissions
and diagrams, all made from the source notebooks and `dnncourse/shipped/`."""
