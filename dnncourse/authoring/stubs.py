"""Release placeholders such as `dW = None` in place of nbgrader's `raise NotImplementedError()`.

`PlaceholderStubs` replaces nbgrader's ClearSolutions preprocessor in
`nbgrader generate_assignment` (see nbgrader_config.py). Each
`### BEGIN SOLUTION` ... `### END SOLUTION` region in a code cell becomes one
`target = None` line per assignment at the top level of the region, so the student
sees which variables to compute, as in the original assignment.
"""

import ast
import re
import textwrap

from nbgrader.preprocessors import ClearSolutions


def placeholders(solution_lines):
    """Return the placeholder lines (without indentation) for a solution region.

    Arguments:
    solution_lines -- list of source lines between the solution markers, with their
                      original indentation

    Returns:
    list of str, e.g. ["dW = None", "db = None"], or ["pass"] when the region assigns
    nothing at its top level
    """
    source = textwrap.dedent("\n".join(solution_lines))
    tree = ast.parse(source)
    lines = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                text = ast.get_source_segment(source, target)
                if isinstance(target, ast.Tuple):
                    text = text.strip("()")
                    value = ", ".join(["None"] * len(target.elts))
                else:
                    value = "None"
                lines.append(f"{text} = {value}")
    return lines or ["pass"]


class PlaceholderStubs(ClearSolutions):
    """ClearSolutions that writes per-variable `None` placeholders in code cells."""

    def _replace_solution_region(self, cell, language):
        if cell.cell_type != "code":
            return super()._replace_solution_region(cell, language)
        new_lines = []
        region = None  # lines of the current solution region, None when outside one
        indent = ""
        replaced = False
        for line in cell.source.split("\n"):
            if self.begin_solution_delimeter in line:
                if region is not None:
                    raise RuntimeError("encountered nested begin solution statements")
                region = []
                indent = re.match(r"\s*", line).group(0)
                replaced = True
            elif self.end_solution_delimeter in line:
                if region is None:
                    raise RuntimeError("end solution statement without a begin")
                new_lines.extend(indent + stub for stub in placeholders(region))
                region = None
            elif region is not None:
                region.append(line)
            else:
                new_lines.append(line)
        if region is not None:
            raise RuntimeError("no end solution statement found")
        cell.source = "\n".join(new_lines)
        return replaced
