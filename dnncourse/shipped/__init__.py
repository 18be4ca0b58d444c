"""Files given to students: `python -m dnncourse.sync` copies them into every assignment folder."""
