"""Course tooling: authoring the course, the sandboxed kernel, the trusted grader and the
grading job (docs/development.md has the table of its modules).

Importing the package also keeps jsonschema from loading `rfc3987_syntax` (see
`skip_iri_format_checks`): every grading process imports nbformat, thus jsonschema.
"""

import sys

# An optional package of jsonschema that nothing here needs, and what loading it costs.
UNUSED_FORMAT_PACKAGE = "rfc3987_syntax"


def skip_iri_format_checks():
    """Keep jsonschema from importing `rfc3987_syntax`; return whether that was still possible.

    jsonschema imports `rfc3987_syntax`, when it is installed, only to offer the optional
    format checks "iri" and "iri-reference"; without it jsonschema leaves those two formats
    unchecked, as its documentation says of every format whose package is missing
    (https://python-jsonschema.readthedocs.io/en/stable/validate/#validating-formats).
    jupyter_events requires `jsonschema[format-nongpl]`, which installs it, and its import
    compiles an Earley grammar: about 1.6 s of CPU in every process that imports nbformat
    (benchmarks/README.md), so in the grading command and in each grading worker. No
    schema this course validates uses those formats, and nbformat validates notebooks
    without any format checker. A `None` entry in sys.modules makes `import rfc3987_syntax`
    raise ImportError (Python's import system, "The module cache"), which jsonschema
    expects of an optional package; jsonschema's code is not changed. Does nothing once
    jsonschema is imported (a Jupyter server, for example, keeps its format checks).
    """
    if "jsonschema" in sys.modules:
        return UNUSED_FORMAT_PACKAGE not in sys.modules or \
            sys.modules[UNUSED_FORMAT_PACKAGE] is None
    sys.modules.setdefault(UNUSED_FORMAT_PACKAGE, None)
    return sys.modules[UNUSED_FORMAT_PACKAGE] is None


skip_iri_format_checks()
