"""The team dashboard's parts (module M8): what ``salescoach dashboard`` shows in a Voila page.

* :func:`load_team` - the team file, validated, or a message in plain words saying what is wrong;
* :func:`kpi_table_html` - the team's KPI table;
* :class:`RepDrilldown` - pick a rep: KPIs against the team median, quartile, strengths, weaknesses, a
  development suggestion, the quarters, and a panel of the caller's (the coaching-log form) told which rep
  is shown;
* :class:`SessionForm` - a coaching-log form (add a session, list a rep's sessions, mark an action done)
  over three functions the caller gives, so this package does not depend on where the log is kept (the
  dashboard notebook binds them to the coaching log of module M7);
* :class:`TeamDashboard` - the whole page: KPI table, quartile chart, drill-down, retention what-if.
"""
from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from . import analysis, plots
from .widgets import RetentionExplorer, _chart, _figure, _png, message_html

__all__ = ["load_team", "kpi_table_html", "RepDrilldown", "SessionForm", "TeamDashboard", "TEAM_TABLE_COLUMNS"]

#: the columns of the dashboard's team table
TEAM_TABLE_COLUMNS = ("sales", "sales_vs_quota", "gross_margin", "contribution", "calls_per_day",
                      "prospect_call_share", "conversion", "churn", "cost_to_sales", "complaint_resolution")
_STYLE = {"description_width": "initial"}


def kpi_table_html(table: pd.DataFrame, columns: Sequence[str] = TEAM_TABLE_COLUMNS,
                   review: pd.DataFrame | None = None, chinese: bool = False) -> str:
    """The team's KPI table as HTML: one row per rep (``rep`` and ``columns`` of :func:`analysis.kpis`), with
    the quartile from ``review`` when given; NaN shows as n/a."""
    missing = [c for c in ("rep", *columns) if c not in table.columns]
    if missing:
        raise ValueError(f"table is missing column(s) {missing}; give the result of analysis.kpis()")
    head = "".join(f"<th title='{html.escape(analysis.KPIS[c].formula if c in analysis.KPIS else c)}'>"
                   f"{html.escape(analysis.kpi_label(c, chinese))}</th>" for c in columns)
    quart = "<th>quartile</th>" if review is not None else ""
    rows = []
    for rep_id, row in table.iterrows():
        cells = "".join(f"<td style='text-align:right'>{analysis.format_kpi(c, row[c])}</td>" for c in columns)
        q = f"<td>{html.escape(str(review.loc[rep_id, 'quartile']))}</td>" if review is not None else ""
        rows.append(f"<tr data-rep='{html.escape(str(rep_id))}'><td>{html.escape(str(rep_id))}</td>"
                    f"<td>{html.escape(str(row['rep']))}</td>{q}{cells}</tr>")
    return ("<table class='sc-kpi-table' style='border-collapse:collapse;font-size:0.9em'>"
            f"<tr><th>rep id</th><th>rep</th>{quart}{head}</tr>" + "".join(rows) + "</table>")


def choose_team_file(asked: str | None, served: str | Path | None = None,
                     root: Path | None = None) -> tuple[Path | None, str]:
    """The team file a page asks for with ``?team=PATH``, or ``(None, message)`` when it may not be read.

    Anyone who can open the page can type an address, so the page reads only files inside the kit's folder
    (``root``; a relative PATH is taken from there) or inside the folder of the file the dashboard was started
    with (``served``, from ``salescoach dashboard --team``). Without ``?team=`` the served file is used.
    """
    from ..paths import project_root

    if not asked:
        return (Path(served) if served else None), ""
    kit = (root or project_root()).resolve()
    allowed = [kit] + ([Path(served).expanduser().resolve().parent] if served else [])
    path = Path(asked).expanduser()
    path = (path if path.is_absolute() else kit / path).resolve()
    if any(path.is_relative_to(folder) for folder in allowed):
        return path, ""
    return None, message_html(
        "This team file is not served here",
        f"{asked} lies outside the folders this dashboard reads ({', '.join(map(str, allowed))}). "
        "Put the file inside the kit's folder, or start the dashboard with "
        "salescoach dashboard --team /path/to/my_team.csv (files in that file's folder can then be chosen).")


def load_team(path: str | Path | None, root: Path | None = None) -> tuple[pd.DataFrame | None, str]:
    """The team file at ``path`` (default: the kit's ``datasets/team.csv``) validated, or ``(None, message)``
    with what is wrong in plain words (HTML) - never a traceback."""
    from ..datasets import load

    if path and not Path(path).expanduser().is_file():  # a trainer's own file: regenerating the kit's data won't help
        where = Path(path).expanduser().resolve()
        what = "is a folder" if where.is_dir() else "does not exist"
        return None, message_html("The team file was not found", f"{where} {what}. Give the full path of a CSV "
                                  "file with the columns of datasets/team.csv (see datasets/README.md), e.g. "
                                  "salescoach dashboard --team /path/to/my_team.csv")
    try:
        team = load("team", path=path, root=root) if path else load("team", root=root)
    except FileNotFoundError as exc:
        return None, message_html("The team file was not found", f"{exc}\nGive the path of a CSV file with the "
                                  "columns of datasets/team.csv (see datasets/README.md).")
    except ValueError as exc:  # DataValidationError included: it names the file, column, rows and the fix
        text = str(exc)
        if "codec can't decode" in text:  # Excel's plain "CSV" on a Chinese Windows is GBK, not UTF-8
            text += ("\nIn Excel, save the sheet again with File > Save As > \"CSV UTF-8 (Comma delimited)\" "
                     "(CSV UTF-8（逗号分隔）) and load that file.")
        return None, message_html("The team file cannot be used", text)
    except Exception as exc:  # an unreadable file (permissions, a folder ...)
        return None, message_html("The team file cannot be read", f"{type(exc).__name__}: {exc}")
    if team.empty:
        return None, message_html("The team file is empty", "It has a header but no rows: one row per rep and "
                                  "quarter is needed.")
    return team, ""


class RepDrilldown(widgets.VBox):
    """Pick a rep: his or her KPIs next to the team median, place in the team, strengths, weaknesses and a
    development suggestion, the quarters chart and the profile chart.

    ``panel`` (optional) is a widget with a ``show_rep(rep_id, rep_name)`` method, e.g. a
    :class:`SessionForm`, told about every change of rep.  Attributes: ``rep`` (Dropdown), ``profile``
    (HTML), ``chart`` (Image).
    """

    def __init__(self, team: pd.DataFrame, panel: widgets.Widget | None = None, review: pd.DataFrame | None = None):
        self.team = team
        self.kpis = analysis.kpis(team)
        self.card = analysis.scorecard(self.kpis)
        self.review = review if review is not None else analysis.progress_review(team)
        self.panel = panel
        options = [(f"{row['rep']} ({rep_id})", rep_id) for rep_id, row in self.kpis.iterrows()]
        self.rep = widgets.Dropdown(options=options, description="rep", style=_STYLE,
                                    layout={"width": "24em"})
        self.profile = widgets.HTML()
        self.chart = _chart()
        self.rep.observe(lambda _change: self.update(), names="value")
        parts = [self.rep, widgets.HBox([self.profile, self.chart])]
        super().__init__(parts + ([panel] if panel is not None else []))
        self.update()

    def update(self) -> None:
        rep_id = self.rep.value
        k, r = self.kpis.loc[rep_id], self.review.loc[rep_id]
        median = self.kpis[list(TEAM_TABLE_COLUMNS)].median()
        rows = "".join(f"<tr><td>{html.escape(analysis.kpi_label(c))}</td>"
                       f"<td style='text-align:right'>{analysis.format_kpi(c, k[c])}</td>"
                       f"<td style='text-align:right;color:#666'>{analysis.format_kpi(c, median[c])}</td></tr>"
                       for c in TEAM_TABLE_COLUMNS)
        self.profile.value = (
            f"<div class='sc-profile' style='min-width:24em'><h4>{html.escape(str(k['rep']))} ({rep_id})</h4>"
            f"<p>Quartile: <b>{html.escape(str(r['quartile']))}</b> (balanced rank {int(r['balanced_rank'])}, "
            f"rank on sales {int(r['sales_rank'])} of {len(self.review)})</p>"
            f"<p>Strengths: {html.escape(r['strengths'])}<br>Weaknesses: {html.escape(r['weaknesses'])}</p>"
            f"<p>Development suggestion: {html.escape(r['suggestion'])}</p>"
            "<table style='border-collapse:collapse'><tr><th>measure</th><th>rep</th><th>team median</th></tr>"
            + rows + "</table></div>")
        fig = _figure((6.2, 3.4))
        plots.rep_trend_chart(self.team, rep_id, ax=fig.subplots())
        self.chart.value = _png(fig)
        if self.panel is not None and hasattr(self.panel, "show_rep"):
            self.panel.show_rep(rep_id, str(k["rep"]))


class SessionForm(widgets.VBox):
    """A coaching-log form for one rep at a time.

    The log is reached through three functions, so this form works with any store:

    * ``add(record)`` stores a session; ``record`` has ``rep_id``, ``rep``, ``date`` (a ``datetime.date``),
      ``skill``, ``kind`` (one of ``kinds``, or "" when none are given), ``coach``, ``notes``, ``action``
      (may be empty) and ``due`` (a date or None);
    * ``sessions(rep_id)`` returns the rep's sessions as a DataFrame with at least ``date``, ``skill`` and
      ``notes``, and for each action ``action_id``, ``action`` and ``done`` (bool);
    * ``mark_done(action_id)`` marks an action done.

    An error from any of them is shown in the form (``status``), never raised.  Attributes: ``date``,
    ``skill``, ``kind``, ``coach``, ``notes``, ``action``, ``due``, ``add_button``, ``open_actions``
    (Dropdown), ``done_button``, ``listing`` (HTML), ``status`` (HTML).
    """

    def __init__(self, add: Callable[[dict], Any], sessions: Callable[[str], pd.DataFrame],
                 mark_done: Callable[[Any], Any], skills: Sequence[str] = (), kinds: Sequence[str] = (),
                 coach: str = ""):
        self._add, self._sessions, self._mark_done = add, sessions, mark_done
        self.rep_id: str | None = None
        self.rep_name = ""
        self.title = widgets.HTML("<h4>Coaching log</h4>")
        self.date = widgets.DatePicker(value=dt.date.today(), description="date", style=_STYLE)
        self.skill = widgets.Combobox(options=list(skills), placeholder="e.g. prospecting calls",
                                      description="skill coached", style=_STYLE, ensure_option=False)
        self.kind = widgets.Dropdown(options=list(kinds), description="kind", style=_STYLE,
                                     layout={"display": None if kinds else "none"})
        self.coach = widgets.Text(value=coach, description="coach", style=_STYLE)
        self.notes = widgets.Textarea(placeholder="what went well, what to improve", description="notes",
                                      style=_STYLE, layout={"width": "32em", "height": "4.5em"})
        self.action = widgets.Text(placeholder="the rep's next action (optional)", description="action",
                                   style=_STYLE, layout={"width": "32em"})
        self.due = widgets.DatePicker(value=None, description="action due", style=_STYLE)
        self.add_button = widgets.Button(description="Add session", button_style="primary", icon="plus")
        self.open_actions = widgets.Dropdown(options=[], description="open actions", style=_STYLE,
                                             layout={"width": "32em"})
        self.done_button = widgets.Button(description="Mark action done", icon="check")
        self.listing = widgets.HTML()
        self.status = widgets.HTML()
        self.add_button.on_click(lambda _b: self.submit())
        self.done_button.on_click(lambda _b: self.complete())
        super().__init__([self.title, widgets.HBox([self.date, self.skill]), widgets.HBox([self.kind, self.coach]),
                          self.notes,
                          widgets.HBox([self.action, self.due]), self.add_button, self.status, self.listing,
                          widgets.HBox([self.open_actions, self.done_button])])

    def show_rep(self, rep_id: str, rep_name: str = "") -> None:
        self.rep_id, self.rep_name = rep_id, rep_name or rep_id
        self.title.value = f"<h4>Coaching log: {html.escape(self.rep_name)} ({html.escape(rep_id)})</h4>"
        self.status.value = ""
        self.refresh()

    def refresh(self) -> None:
        if self.rep_id is None:
            return
        try:
            frame = self._sessions(self.rep_id)
        except Exception as exc:  # the store's words, in the page
            self.status.value = message_html("The coaching log cannot be read", f"{type(exc).__name__}: {exc}")
            return
        self.listing.value = _sessions_html(frame)
        options = []
        if len(frame) and {"action_id", "action", "done"} <= set(frame.columns):
            open_ = frame[frame["action"].fillna("").astype(str).str.strip().ne("") & ~frame["done"].fillna(False)
                          .astype(bool)]
            options = [(f"{row['action']} ({_date(row.get('date'))})", row["action_id"]) for _, row in open_.iterrows()]
        self.open_actions.options = options
        self.open_actions.value = options[0][1] if options else None
        self.done_button.disabled = not options

    def notice(self, line: str) -> None:
        """Show a passing note from the store while it works (e.g. the coaching log's ``on_wait``: it waits for a
        lock another process holds); the outcome of the add or update replaces it."""
        self.status.value = message_html("Please wait", line, "info")

    def submit(self) -> bool:
        """Store the form as a session; True when it was stored."""
        if self.rep_id is None:
            self.status.value = message_html("No rep chosen", "Pick a rep first.", "info")
            return False
        problems = []
        if self.date.value is None:
            problems.append("give the date of the session")
        if not self.skill.value.strip():
            problems.append("name the skill coached")
        if self.due.value is not None and not self.action.value.strip():
            problems.append("a due date needs an action")
        if problems:
            self.status.value = message_html("The session was not added", "Please " + "; ".join(problems) + ".",
                                             "info")
            return False
        record = {"rep_id": self.rep_id, "rep": self.rep_name, "date": self.date.value,
                  "skill": self.skill.value.strip(), "kind": self.kind.value or "",
                  "coach": self.coach.value.strip(), "notes": self.notes.value.strip(),
                  "action": self.action.value.strip(), "due": self.due.value}
        try:
            self._add(record)
        except Exception as exc:
            self.status.value = message_html("The session was not added", f"{type(exc).__name__}: {exc}")
            return False
        self.status.value = message_html("Session added", f"{record['skill']} on {record['date']}", "ok")
        self.notes.value, self.action.value, self.due.value = "", "", None
        self.refresh()
        return True

    def complete(self) -> bool:
        """Mark the chosen open action done; True when it was stored."""
        action_id = self.open_actions.value
        if action_id is None:
            return False
        try:
            self._mark_done(action_id)
        except Exception as exc:
            self.status.value = message_html("The action was not updated", f"{type(exc).__name__}: {exc}")
            return False
        self.status.value = message_html("Action done", str(self.open_actions.label), "ok")
        self.refresh()
        return True


def _date(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    try:
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    except (ValueError, TypeError):
        return str(value)


def _sessions_html(frame: pd.DataFrame) -> str:
    if frame is None or not len(frame):
        return "<p class='sc-sessions'><i>No coaching session logged for this rep yet.</i></p>"
    rows = []
    for _, r in frame.iterrows():
        action = str(r.get("action") or "")
        done = bool(r.get("done")) if action else False
        state = ("done" if done else "open") if action else ""
        rows.append(f"<tr><td>{_date(r.get('date'))}</td><td>{html.escape(str(r.get('skill') or ''))}</td>"
                    f"<td>{html.escape(str(r.get('notes') or ''))}</td><td>{html.escape(action)}</td>"
                    f"<td>{state}</td></tr>")
    return ("<table class='sc-sessions' style='border-collapse:collapse'><tr><th>date</th><th>skill</th>"
            "<th>notes</th><th>action</th><th></th></tr>" + "".join(rows) + "</table>")


class TeamDashboard(widgets.VBox):
    """The team dashboard: the KPI table, the quartile chart, a per-rep drill-down (with ``panel``, e.g. a
    :class:`SessionForm`, below it) and the retention what-if, each under its own heading.

    ``source`` (a file name) is shown under the title so a trainer sees which file is on screen.
    Attributes: ``table`` (HTML), ``quartiles`` (Image), ``drilldown`` (:class:`RepDrilldown`),
    ``retention`` (:class:`~salescoach.team_performance.widgets.RetentionExplorer`), ``review``.
    """

    def __init__(self, team: pd.DataFrame, panel: widgets.Widget | None = None, source: str = ""):
        self.team = team
        self.kpis = analysis.kpis(team)
        self.review = analysis.progress_review(team)
        quarters = sorted(team["quarter"].unique())
        span = quarters[0] if len(quarters) == 1 else f"{quarters[0]} to {quarters[-1]}"
        self.heading = widgets.HTML(
            f"<h2 class='sc-dashboard-title'>Team dashboard 销售团队业绩</h2><p>{len(self.kpis)} reps, {span}"
            + (f", from <code>{html.escape(source)}</code>" if source else "") + "</p>")
        self.table = widgets.HTML(kpi_table_html(self.kpis, review=self.review))
        self.quartiles = _chart()
        fig = _figure((7.5, 0.4 * len(self.review) + 1.6))
        plots.quartile_chart(self.review, ax=fig.subplots())
        self.quartiles.value = _png(fig)
        self.drilldown = RepDrilldown(team, panel=panel, review=self.review)
        self.retention = RetentionExplorer(retention=_team_retention(self.kpis))

        def section(title: str, *parts: widgets.Widget) -> widgets.VBox:
            return widgets.VBox([widgets.HTML(f"<h3>{html.escape(title)}</h3>"), *parts])

        super().__init__([
            self.heading,
            section("Team KPIs (the year's totals; n/a = not defined, e.g. no prospects)", self.table),
            section("Quartiles on the balanced scorecard", self.quartiles),
            section("One rep", self.drilldown),
            section("Retention what-if 客户保持力", self.retention),
        ])


def _team_retention(kpis: pd.DataFrame) -> float:
    """The team's retention over the period (1 - customers lost / customers at the start), kept to the
    explorer's range."""
    start = float(kpis["customers_start"].sum())
    lost = float(kpis["customers_lost"].sum())
    retention = 1 - lost / start if start else 0.85
    return round(min(0.95, max(0.5, retention)), 2)
