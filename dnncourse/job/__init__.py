"""The grading job: finding and sanitizing submissions, running them, and the reports."""
