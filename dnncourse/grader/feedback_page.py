"""How the feedback page looks: a summary by function, formulas drawn without network,
pictures and messages that fit the page.

`nbgrader generate_feedback` exports each autograded notebook with the exporter that
nbgrader_config.py names, `FeedbackPage`. nbgrader's own page lists "Test cell" for every
test, loads MathJax from a CDN (so a student offline sees raw LaTeX), and lets the diagrams
and long messages run past the right edge. FeedbackPage converts every formula to MathML
while the page is made (latex2mathml; browsers draw MathML themselves, with no script),
embeds the notebook's pictures (only the HTML file reaches the student), and renders the
template in feedback_template/, which extends nbgrader's: a summary table that names each
test's function and what it checks, the grader's messages whole (not cut into terminal
lines), no script at all, and CSS that scales pictures to the page and wraps long lines.
"""

import re
from pathlib import Path

from jinja2 import pass_context
from latex2mathml.converter import convert
from markupsafe import escape
from nbconvert.exporters import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from traitlets import default

from dnncourse.grader.grading import function_of
from dnncourse.grader.preprocessor import ENAME

# The folder of our template, which extends nbgrader's `feedback` template (index.html.j2).
TEMPLATES = Path(__file__).resolve().parent / "feedback_template"
TEMPLATE_FILE = "feedback_page.html.j2"
# """Autograded (4 points): linear_backward on the published example, ...""" -> the part
# after the colon; the first line of a test cell's docstring says what it checks.
DOCSTRING = re.compile(r'^\s*"""(?:Autograded \([^)]*\):\s*)?(?P<what>[^\n]*?)\.?"""', re.M)


def mathml(latex, display):
    """Return `latex` as MathML, or the escaped LaTeX in <code> if it cannot be converted."""
    try:
        return convert(latex.strip(), display=display)
    except Exception:  # latex2mathml raises many kinds of error on LaTeX it does not know
        return f'<code class="unrendered-math">{escape(latex)}</code>'


class MathMLRenderer(IPythonRenderer):
    """nbconvert's Markdown renderer, with formulas turned into MathML instead of being
    left as $...$ for MathJax."""

    def block_math(self, body):
        return mathml(body, "block")

    def inline_math(self, body):
        return mathml(body, "inline")

    def latex_environment(self, name, body):
        return mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", "block")


def grader_verdict(output):
    """Whether `output` is the grader's verdict on a grade cell (dnncourse/grader/preprocessor.py).

    Its traceback is the message cut into lines for a terminal; the page shows the message
    itself and lets the browser wrap it to the page's width.
    """
    return output.get("output_type") == "error" and output.get("ename") == ENAME


def summary(nb):
    """Return one row per graded cell of `nb` for the summary: its id, function, what it
    checks, score and points, and whether points were lost."""
    rows = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("grade"):
            continue
        grade_id = meta.get("grade_id", "")
        function = function_of(grade_id)
        found = DOCSTRING.search(cell.source) if cell.cell_type == "code" else None
        what = found.group("what") if found else ""
        if what.startswith(function):  # "linear_backward on the published example"
            what = what[len(function):].strip()
        score, points = float(meta.get("score") or 0), float(meta.get("points") or 0)
        rows.append({"grade_id": grade_id, "function": function, "what": what,
                     "score": f"{score:g}", "points": f"{points:g}", "lost": score < points})
    return rows


class FeedbackPage(HTMLExporter):
    """The HTML exporter of nbgrader's feedback (see the module docstring)."""

    @default("template_file")
    def _template_file_default(self):
        return TEMPLATE_FILE

    @default("template_paths")
    def _template_paths_default(self):
        # nbgrader configures the template's name (`feedback`) and its folders; ours comes
        # first, and extends nbgrader's index.html.j2 found in the folders after it.
        return [str(TEMPLATES), *super()._template_paths()]

    @default("embed_images")
    def _embed_images_default(self):
        return True

    @default("exclude_anchor_links")
    def _exclude_anchor_links_default(self):
        return True  # the ¶ after every heading means nothing on a feedback page

    @pass_context
    def markdown2html(self, context, source):
        """Markdown to HTML with MathML formulas (HTMLExporter.markdown2html, other renderer)."""
        cell = context.get("cell", {})
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        renderer = MathMLRenderer(
            escape=False, attachments=cell.get("attachments", {}),
            embed_images=self.embed_images, path=path,
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links, **self.lexer_options)
        return MarkdownWithMath(renderer=renderer).render(source)

    def default_filters(self):
        yield from super().default_filters()
        yield ("feedback_summary", summary)
        yield ("grader_verdict", grader_verdict)
