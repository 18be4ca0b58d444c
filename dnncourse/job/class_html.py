"""The class report as one HTML page: its own CSS, its figures as base64 PNG, no script and
no address outside the file, so that it opens anywhere, offline."""

import base64
import statistics
from datetime import datetime
from html import escape

from dnncourse.job import class_figures

STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 70em;
       padding: 0 1em; color: #222; line-height: 1.4; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; vertical-align: top;
         text-align: left; }
th { background: #f3f3f3; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.named td:first-child { color: #00734f; } tr.unnamed td:first-child { color: #666; }
td.message { max-width: 36em; overflow-wrap: anywhere; font-family: monospace;
             font-size: 0.9em; }
td.students { max-width: 18em; overflow-wrap: anywhere; }
figure { margin: 0.8em 0; } figure img { max-width: 100%; height: auto; }
figcaption, p.note { color: #555; font-size: 0.9em; }
"""


def _img(png, alt):
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{escape(alt)}">'
            f"<figcaption>{escape(alt)}</figcaption></figure>")


def _table(head, rows, numeric=(), classes=None, columns=None):
    """An HTML table; `rows` hold plain values (escaped here); columns in `numeric` are
    right-aligned; `classes` gives each row's class, `columns` {index: class} of cells."""
    columns = dict(columns or {}) | dict.fromkeys(numeric, "n")
    lines = ["<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head)
             + "</tr></thead><tbody>"]
    for i, row in enumerate(rows):
        cls = f' class="{classes[i]}"' if classes else ""
        cells = "".join(f'<td class="{columns[j]}">{escape(str(v))}</td>' if j in columns
                        else f"<td>{escape(str(v))}</td>" for j, v in enumerate(row))
        lines.append(f"<tr{cls}>{cells}</tr>")
    return "\n".join([*lines, "</tbody></table>"])


def _percent(part, whole):
    return f"{100 * part / whole:.0f} %" if whole else "-"


def scores_section(report):
    parts = ['<section id="scores"><h2>Score distribution</h2>']
    for assignment in report.assignments:
        scores, top = report.scores[assignment]
        parts.append(f"<h3>{escape(assignment)}</h3>")
        if not scores:
            parts.append('<p class="note">No graded submission.</p>')
            continue
        parts.append(_img(class_figures.score_histogram(assignment, scores, top),
                          f"{assignment}: scores of {len(scores)} graded submissions"))
        parts.append(f'<p class="note">{len(scores)} graded; median '
                     f"{statistics.median(scores):g}, mean {statistics.fmean(scores):.1f} "
                     f"of {top:g} points.</p>")
    return "\n".join([*parts, "</section>"])


def functions_section(report):
    parts = ['<section id="functions"><h2>Graded functions</h2>',
             '<p class="note">Students whose visible and whose hidden grade cell of each '
             "function passed, among the graded submissions.</p>"]
    for assignment in report.assignments:
        rows = [r for r in report.functions if r.assignment == assignment]
        parts.append(f"<h3>{escape(assignment)}</h3>")
        if not any(r.students for r in rows):
            parts.append('<p class="note">No autograded notebook.</p>')
            continue
        parts.append(_img(class_figures.pass_shares(assignment, rows),
                          f"{assignment}: share of students passing each function"))
        parts.append(_table(
            ["function", "students", "visible passed", "share", "hidden passed", "share"],
            [[r.function, r.students, r.visible_passed,
              _percent(r.visible_passed, r.students), r.hidden_passed,
              _percent(r.hidden_passed, r.students)] for r in rows],
            numeric={1, 2, 3, 4, 5}))
    return "\n".join([*parts, "</section>"])


def mistakes_section(report):
    parts = ['<section id="mistakes"><h2>Mistakes</h2>',
             '<p class="note">Named: a catalogued mistake whose outputs the student\'s match. '
             "Unnamed: students whose wrong outputs agree on the fixed examples, grouped by "
             "pattern. Each student counts once per function and mistake.</p>"]
    for assignment in report.assignments:
        groups = [g for g in report.groups if g.assignment == assignment]
        parts.append(f"<h3>{escape(assignment)}</h3>")
        if not groups:
            parts.append('<p class="note">No failed grade cell.</p>')
            continue
        parts.append(_img(class_figures.mistake_counts(assignment, groups),
                          f"{assignment}: the most shared mistakes"))
        for function in dict.fromkeys(g.function for g in groups):
            mine = [g for g in groups if g.function == function]
            parts.append(f"<h4>{escape(function)}</h4>")
            parts.append(_table(
                ["kind", "mistake or pattern", "what it is", "students", "who",
                 "example message"],
                [[g.kind, g.key, g.explains, g.count, ", ".join(sorted(g.students)),
                  g.example] for g in mine],
                numeric={3}, classes=[g.kind for g in mine],
                columns={4: "students", 5: "message"}))
    return "\n".join([*parts, "</section>"])


def ungraded_section(report):
    parts = ['<section id="ungraded"><h2>Submissions that could not be graded</h2>']
    if report.ungraded:
        parts.append(_table(["assignment", "student", "status"],
                            [[r["assignment"], r["student_id"], r.get("status", "")]
                             for r in report.ungraded]))
    else:
        parts.append('<p class="note">Every submission was graded.</p>')
    if report.unreadable:
        parts.append("<p>Autograded notebooks that could not be read:</p>")
        parts.append(_table(["notebook", "why"], report.unreadable))
    return "\n".join([*parts, "</section>"])


def late_section(report):
    parts = ['<section id="late"><h2>Late submissions</h2>']
    if not report.late:
        parts.append('<p class="note">No late submission.</p>')
    else:
        parts.append(_table(
            ["assignment", "student", "submitted", "due", "hours late", "penalty"],
            [[r["assignment"], r["student_id"], r.get("timestamp", ""), r.get("duedate", ""),
              f"{r['hours_late']:.1f}", f"{r['penalty']:g}"] for r in report.late],
            numeric={4, 5}))
    return "\n".join([*parts, "</section>"])


def timing_section(report):
    parts = ['<section id="timing"><h2>Time per submission</h2>']
    if not report.timings:
        parts.append('<p class="note">No submission was graded in this run (the others '
                     "were graded before, with the same submission and grader).</p>")
        return "\n".join([*parts, "</section>"])
    parts.append(_img(class_figures.seconds_per_submission(report.timings),
                      "seconds per submission on its worker, this run"))
    steps = ("autograde", "feedback", "write")
    parts.append(_table(
        ["assignment", "student", "worker", "seconds", *steps],
        [[r.assignment, r.student, r.worker, f"{r.seconds:.1f}",
          *(f"{r.timings[s]:.1f}" if s in r.timings else "" for s in steps)]
         for r in sorted(report.timings, key=lambda r: -r.seconds)],
        numeric={3, 4, 5, 6}))
    return "\n".join([*parts, "</section>"])


def render(report, title="Class report"):
    """The whole page of a ClassReport, as text."""
    stamp = datetime.now().astimezone().isoformat(timespec="minutes")
    body = [f"<h1>{escape(title)}</h1>",
            f'<p class="note">Written {escape(stamp)} by the grading job from every '
            "autograded notebook of the class, reports/grades.csv and this run.</p>",
            scores_section(report), functions_section(report), mistakes_section(report),
            ungraded_section(report), late_section(report), timing_section(report)]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
