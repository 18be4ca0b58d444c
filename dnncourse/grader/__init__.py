"""The trusted side of grading: reference answers, the checks that decide every grade cell,
and the feedback a student reads."""
