"""Files given to students: `python -m dnncourse.authoring.sync` copies them into every
assignment folder."""
