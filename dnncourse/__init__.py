"""Course tooling: shared student files, reference answers, hidden tests and the grading job."""
