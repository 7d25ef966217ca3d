"""The class reports' HTML: charts drawn with matplotlib's Agg canvas (as base64 PNG), number and time
formats, and the Jinja templates of the assignment and course pages (autoescaped)."""
from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence
from urllib.parse import quote

import jinja2
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


# --------------------------------------------------------------------------- charts
def png(fig: Figure) -> str:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def histogram(percents: Sequence[float], title: str) -> str:
    fig = Figure(figsize=(6, 3.2))
    ax = fig.add_subplot()
    ax.hist(list(percents), bins=np.linspace(0, 100, 11), color="#2e86c1", edgecolor="white")
    ax.set(xlabel="score (% of the points)", ylabel="students", title=title, xlim=(0, 100))
    ax.yaxis.get_major_locator().set_params(integer=True)
    return png(fig)


def difficulty_bars(stats: pd.DataFrame, too_hard: float, too_easy: float) -> str:
    fig = Figure(figsize=(max(5, 0.7 * len(stats) + 3), 3.4))
    ax = fig.add_subplot()
    p = stats["difficulty"].to_numpy(dtype=float)
    colours = ["#8c8c9c" if math.isnan(v) else "#c44e52" if v < too_hard else "#e08a1e" if v > too_easy
               else "#1b7f5f" for v in p]
    names = [str(q) for q in stats["question"]]
    bars = ax.bar(names, np.nan_to_num(p), color=colours)
    ax.bar_label(bars, labels=["no data" if math.isnan(v) else f"{v:.2f}" for v in p], fontsize="small", padding=2)
    ax.axhline(too_hard, color="#c44e52", ls="--", lw=1, label=f"too hard (p < {too_hard})")
    ax.axhline(too_easy, color="#e08a1e", ls="--", lw=1, label=f"too easy (p > {too_easy})")
    ax.set(ylim=(0, 1.05), ylabel="difficulty p (share of points earned)", title="Difficulty per question")
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
    return png(fig)


def difficulty_scatter(stats: pd.DataFrame, too_hard: float, too_easy: float, poor: float) -> str:
    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    ok = stats.dropna(subset=["difficulty", "discrimination"])
    ax.scatter(ok["difficulty"], ok["discrimination"], color="#1b4f72")
    labels: dict[tuple[float, float], list[str]] = {}
    for q, x, y in zip(ok["question"], ok["difficulty"], ok["discrimination"]):
        labels.setdefault((round(float(x), 3), round(float(y), 3)), []).append(str(q))  # one label per point
    for i, ((x, y), names) in enumerate(sorted(labels.items())):  # lower of two neighbours below, upper above
        ax.annotate(", ".join(names), (x, y), fontsize="small", xytext=(5, -11 if i % 2 == 0 else 4),
                    textcoords="offset points")
    if ok.empty:
        ax.text(0.5, 0.5, "not enough data: discrimination needs 2+ students\nwhose scores differ",
                ha="center", va="center", transform=ax.transAxes)
    ax.axhline(poor, color="#c44e52", ls="--", lw=1, label=f"poor discrimination (r < {poor})")
    for x in (too_hard, too_easy):
        ax.axvline(x, color="#8c8c9c", ls=":", lw=1)
    ax.set(xlim=(-0.02, 1.02), ylim=(-1.05, 1.05), xlabel="difficulty p (share of points earned)",
           ylabel="discrimination r (corrected item-total)", title="Difficulty vs discrimination")
    ax.legend(fontsize="small", loc="lower left")
    return png(fig)


# --------------------------------------------------------------------------- formatting
def num(value: object, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return "–"
    if isinstance(value, float):
        return f"{round(value, digits):g}"
    return str(value)


def when(value: object) -> str:
    if value is None or pd.isna(value):
        return "–"
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M UTC")


def duration(seconds: float) -> str:
    """``9000`` -> ``2 h 30 min``; ``0`` -> ``on time``; NaN (no submission) -> ``–``."""
    if seconds is None or math.isnan(seconds):
        return "–"
    if seconds <= 0:
        return "on time"
    minutes = math.ceil(seconds / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{mins} min"] * bool(mins)
    return " ".join(parts)


ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
ENV.filters.update(num=num, when=when, duration=duration, urlquote=lambda s: quote(str(s)))

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:2rem auto;max-width:72rem;
     padding:0 1rem;color:#1d2733;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d6dde5}
.meta{color:#5b6773} .summary span{display:inline-block;margin:.2rem 1.2rem .2rem 0}
table{border-collapse:collapse;margin:.5rem 0;font-size:.92rem} th,td{border:1px solid #d6dde5;padding:.25rem .5rem}
th{background:#eef3f8;text-align:left} td.n{text-align:right;font-variant-numeric:tabular-nums}
.flag{color:#a12b2f;font-weight:600} .ok{color:#1b7f5f} .note{color:#5b6773;font-size:.9rem}
img{max-width:100%;height:auto;margin:.5rem 1rem .5rem 0;vertical-align:top}
.empty{padding:1rem;background:#fff6e5;border:1px solid #f0d49b}
"""

ASSIGNMENT_HTML = ENV.from_string("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Report: {{ assignment }}</title><style>{{ css|safe }}</style></head>
<body>
<h1>Assignment report: {{ assignment }}</h1>
<p class="meta">Generated {{ generated }} from the gradebook. Due: {{ duedate|when if duedate else "no due date set" }}.
Maximum {{ max_total|num }} points. Files: <a href="students.csv">students.csv</a>, <a href="questions.csv">questions.csv</a>.</p>
<p class="summary">
<span>students: <b>{{ counts.students }}</b></span><span>submitted: <b>{{ counts.submitted }}</b></span>
<span>graded: <b>{{ counts.graded }}</b></span><span>needs manual grading: <b>{{ counts.manual }}</b></span>
<span>failed: <b>{{ counts.failed }}</b></span><span>missing: <b>{{ counts.missing }}</b></span>
<span>late: <b>{{ counts.late }}</b></span>
{% if counts.scored %}<span>mean score: <b>{{ mean_percent|num(1) }}%</b></span><span>median: <b>{{ median_percent|num(1) }}%</b></span>{% endif %}
</p>
{% if not counts.submitted %}
<p class="empty">Nobody has submitted <b>{{ assignment }}</b> yet{% if counts.students %}: all {{ counts.students }} students on the roster are listed as missing below{% endif %}.
There are no scores or question statistics to show.</p>
{% endif %}
{% if counts.manual %}
<p class="note">{{ counts.manual }} submission(s) still need manual grading (formgrader); their totals count only what is graded so far.</p>
{% endif %}

{% if charts %}
<h2>Charts</h2>
{% for alt, png in charts %}<img alt="{{ alt }}" src="data:image/png;base64,{{ png }}">{% endfor %}
{% endif %}

<h2>Questions</h2>
<table>
<tr><th>question</th><th>type</th><th>points</th><th>answered</th><th>mean</th><th>difficulty p</th>
<th>discrimination r</th><th>upper-lower D</th><th>flags</th></tr>
{% for q in questions %}
<tr><td>{{ q.question }}</td><td>{{ "manual" if q.manual else "autograded" }}</td><td class="n">{{ q.max_points|num }}</td>
<td class="n">{{ q.answered }}</td><td class="n">{{ q.mean_score|num }}</td><td class="n">{{ q.difficulty|num }}</td>
<td class="n">{{ q.discrimination|num }}</td><td class="n">{{ q.upper_lower|num }}</td>
<td>{% for f in q.flag_list %}<span class="flag">{{ f }}</span>{% if not loop.last %}, {% endif %}{% endfor %}</td></tr>
{% endfor %}
</table>
<p class="note">Difficulty p = mean score / points (low = hard). Discrimination r = correlation of the question with
the total of the other questions (do students who do well overall also do well here?). D = (mean of the top 27% − mean
of the bottom 27%) / points. "–" = not enough data (fewer than 2 students, or nobody's score differs).</p>
{% if flag_advice %}
<ul>{% for flag, advice in flag_advice %}<li><span class="flag">{{ flag }}</span>: {{ advice }}</li>{% endfor %}</ul>
{% endif %}

<h2>Late submissions ({{ late|length }})</h2>
{% if late %}
<table><tr><th>student</th><th>submitted</th><th>late by</th></tr>
{% for s in late %}<tr><td>{{ s.student }}</td><td>{{ s.submitted|when }}</td><td>{{ s.late_seconds|duration }}</td></tr>{% endfor %}
</table>
{% else %}<p class="ok">None{% if not duedate %} (no due date set in the gradebook){% endif %}.</p>{% endif %}

<h2>Missing submissions ({{ missing|length }})</h2>
{% if missing %}<ul>{% for s in missing %}<li>{{ s }}</li>{% endfor %}</ul>
{% else %}<p class="ok">None: everyone on the roster submitted.</p>{% endif %}

{% if not_graded %}
<h2>Submitted but not autograded yet ({{ not_graded|length }})</h2>
<ul>{% for s in not_graded %}<li>{{ s }}</li>{% endfor %}</ul>
<p class="note">Run the autograder again for these students.</p>
{% endif %}

<h2>Grading failures ({{ failures|length }})</h2>
{% if failures %}
<table><tr><th>student</th><th>reason</th></tr>
{% for s, reason in failures %}<tr><td>{{ s }}</td><td>{{ reason }}</td></tr>{% endfor %}
</table>
{% else %}<p class="ok">None.</p>{% endif %}
{% if notes %}
<h3>Grading notes</h3>
<ul>{% for s, lines in notes %}<li>{{ s }}: {% for n in lines %}{{ n }}{% if not loop.last %}; {% endif %}{% endfor %}</li>{% endfor %}</ul>
{% endif %}

<h2>Students</h2>
<table>
<tr><th>student</th><th>status</th><th>total</th><th>max</th><th>%</th><th>submitted</th><th>late by</th>
{% for q in question_columns %}<th>{{ q }}</th>{% endfor %}</tr>
{% for s in students %}
<tr><td>{{ s.student }}</td><td>{{ s.status }}</td><td class="n">{{ s.total|num }}</td><td class="n">{{ s.max|num }}</td>
<td class="n">{{ s.percent|num(1) }}</td><td>{{ s.submitted|when }}</td><td>{{ s.late_seconds|duration }}</td>
{% for q in question_columns %}<td class="n">{{ s[q]|num }}</td>{% endfor %}</tr>
{% endfor %}
</table>
</body></html>
""")

COURSE_HTML = ENV.from_string("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Course report</title><style>{{ css|safe }}</style></head>
<body>
<h1>Course report</h1>
<p class="meta">Generated {{ generated }} from the gradebook. Overall = points earned / points possible over the
assignments below; a missing, failed or not yet graded assignment counts 0 points. File: <a href="course.csv">course.csv</a>.</p>
{% if not assignments %}
<p class="empty">No assignments to report: the gradebook has none yet (release and autograde one first).</p>
{% endif %}
{% if assignments %}
<h2>Assignments</h2>
<table><tr><th>assignment</th><th>due</th><th>submitted</th><th>missing</th><th>failed</th><th>mean %</th></tr>
{% for a in assignments %}
<tr><td><a href="{{ a.name|urlquote }}/index.html">{{ a.name }}</a></td><td>{{ a.duedate|when if a.duedate else "–" }}</td>
<td class="n">{{ a.submitted }}</td><td class="n">{{ a.missing }}</td><td class="n">{{ a.failed }}</td><td class="n">{{ a.mean|num(1) }}</td></tr>
{% endfor %}
</table>
{% endif %}
{% if chart %}
<h2>Overall scores</h2>
<img alt="Distribution of overall scores" src="data:image/png;base64,{{ chart }}">
{% endif %}
{% if students %}
<h2>Students</h2>
<table><tr><th>student</th>{% for a in assignments %}<th>{{ a.name }} %</th>{% endfor %}<th>overall %</th></tr>
{% for s in students %}
<tr><td>{{ s.student }}</td>{% for a in assignments %}<td class="n">{{ s.cells[loop.index0] }}</td>{% endfor %}
<td class="n"><b>{{ s.overall|num(1) }}</b></td></tr>
{% endfor %}
</table>
{% elif assignments %}
<p class="empty">No students in the gradebook or roster yet.</p>
{% endif %}
</body></html>
""")
