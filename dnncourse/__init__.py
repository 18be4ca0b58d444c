"""Course tooling: authoring the course, the sandboxed kernel, the trusted grader and the
grading job (docs/development.md has the table of its modules)."""
