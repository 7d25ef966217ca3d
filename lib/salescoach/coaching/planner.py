"""The five-step session planner: a plan for one rep and one skill, printable as HTML.

    plan = plan_session("Zhao Lei", "Handling price objections", coach="Wang Fang", held_on="2025-03-04",
                        visit_purpose="Renewal talk with the buyer at Hengda Hotels",
                        explain="...", demonstrate="...", rehearse="...",
                        objective="...", plan_points=[("Ask for their three criteria", "price comes later")],
                        review_questions=["Why do you think the buyer will raise price first?"])
    plan.problems()              # what breaks the five steps or the observation principles
    html = plan_html(plan)       # a complete page; every text the user typed is escaped
    save_plan(plan, "plans/zhao_lei.html")
    record_plan(book, plan)      # into the coaching log: the session, its goal and a follow-up

The steps are those of :data:`salescoach.coaching.analysis.FIVE_STEPS` (syllabus M7); an empty step prints
its guidance as a prompt, so a half-filled plan is still a usable worksheet.
"""
from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..files import write_text_atomic
from . import analysis, debrief

__all__ = ["SessionPlan", "plan_session", "plan_html", "save_plan", "record_plan"]

MAX_FIELD = 4000


@dataclass(frozen=True)
class SessionPlan:
    """A five-step coaching session for one rep and one skill (build it with :func:`plan_session`)."""

    rep: str
    skill: str
    coach: str = ""
    held_on: date | None = None
    visit_purpose: str = ""
    explain: str = ""
    demonstrate: str = ""
    rehearse: str = ""
    objective: str = ""
    plan_points: tuple[tuple[str, str], ...] = ()
    review_questions: tuple[str, ...] = ()
    deal_value: float | None = None
    follow_up_on: date | None = None
    notes: str = ""

    @property
    def approach(self) -> str:
        """"plan-do-check" or "do-check" from the deal value ("" when no value was given)."""
        return "" if self.deal_value is None else analysis.coaching_approach(self.deal_value)

    def problems(self) -> list[str]:
        """What is missing or breaks the rules (empty list: a complete plan)."""
        out = []
        for step in analysis.FIVE_STEPS[:3]:
            if not getattr(self, step.key):
                out.append(f"step {step.number} ({step.en}) is empty")
        if not self.objective:
            out.append("step 4 (Set goals): the rep has not written the visit objective")
        if not self.plan_points:
            out.append("step 4 (Set goals): no action plan points")
        elif any(not reason for _, reason in self.plan_points):
            out.append("step 4 (Set goals): give the reason behind every plan point")
        if not self.review_questions:
            out.append("step 5 (Review): no review questions")
        for q in self.review_questions:
            r = debrief.review_question(q)
            if r.rep_focused:
                out.append(f"step 5 (Review): {q!r} is aimed at the rep; ask about the buyer, e.g. {r.suggestion!r}")
        out += [f"observing the visit: {p}" for p in analysis.observation_problems(self.visit_purpose, "observer")]
        return out


def _clean(value: Any, name: str, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, got {type(value).__name__} {value!r}")
    value = value.strip()
    if required and not value:
        raise ValueError(f"{name} is empty: name the {'rep' if name == 'rep' else 'skill'} this plan is for")
    if len(value) > MAX_FIELD:
        raise ValueError(f"{name} is {len(value)} characters long; keep it under {MAX_FIELD}")
    return value


def _day(value: Any, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value if type(value) is date else value.date()  # a datetime or pandas Timestamp
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{name} must be a date written like 2025-03-04, got {value!r}")


def _points(points: Any) -> tuple[tuple[str, str], ...]:
    if isinstance(points, str):
        raise ValueError("plan_points must be a list of (point, reason) pairs, not one text")
    out = []
    for i, p in enumerate(points or ()):
        if isinstance(p, str):
            point, reason = p, ""
        elif isinstance(p, Sequence) and len(p) == 2:
            point, reason = p
        else:
            raise ValueError(f"plan_points[{i}] must be a (point, reason) pair or a text, got {p!r}")
        point = _clean(point, f"plan_points[{i}]")
        if point:
            out.append((point, _clean(reason, f"plan_points[{i}] reason")))
    return tuple(out)


def plan_session(rep: str, skill: str, *, coach: str = "", held_on: Any = None, visit_purpose: str = "",
                 explain: str = "", demonstrate: str = "", rehearse: str = "", objective: str = "",
                 plan_points: Sequence[Any] = (), review_questions: Sequence[str] = (),
                 deal_value: float | None = None, follow_up_on: Any = None, notes: str = "") -> SessionPlan:
    """A checked :class:`SessionPlan`; ``ValueError`` naming the field for bad input."""
    if isinstance(review_questions, str):
        review_questions = [review_questions]
    questions = tuple(q for q in (_clean(q, f"review_questions[{i}]") for i, q in enumerate(review_questions)) if q)
    if deal_value is not None and (isinstance(deal_value, bool) or not isinstance(deal_value, (int, float))
                                   or deal_value != deal_value or deal_value < 0):
        raise ValueError(f"deal_value must be a number of yuan >= 0 (or None), got {deal_value!r}")
    return SessionPlan(
        rep=_clean(rep, "rep", required=True), skill=_clean(skill, "skill", required=True),
        coach=_clean(coach, "coach"), held_on=_day(held_on, "held_on"), visit_purpose=_clean(visit_purpose,
                                                                                             "visit_purpose"),
        explain=_clean(explain, "explain"), demonstrate=_clean(demonstrate, "demonstrate"),
        rehearse=_clean(rehearse, "rehearse"), objective=_clean(objective, "objective"),
        plan_points=_points(plan_points), review_questions=questions,
        deal_value=None if deal_value is None else float(deal_value), follow_up_on=_day(follow_up_on, "follow_up_on"),
        notes=_clean(notes, "notes"),
    )


# --------------------------------------------------------------------------- HTML
_CSS = """
body { font-family: "Noto Sans", "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif; margin: 2em auto;
       max-width: 46em; color: #1d2733; line-height: 1.45; }
h1 { font-size: 1.45em; margin-bottom: .2em; } h2 { font-size: 1.1em; margin: 1.4em 0 .4em; }
.meta td { padding: .1em 1.2em .1em 0; } .meta th { text-align: left; padding-right: .8em; color: #566573; }
.step { border: 1px solid #b9c4ce; border-radius: 6px; padding: .6em .9em; margin: .6em 0; page-break-inside: avoid; }
.step h3 { margin: 0 0 .3em; font-size: 1em; } .guide { color: #566573; font-size: .9em; margin: 0 0 .4em; }
.blank { border-bottom: 1px dotted #888; min-height: 2.4em; }
.warn { background: #fdf2e9; border-left: 4px solid #e08a1e; padding: .4em .8em; }
.box { display: inline-block; width: .9em; height: .9em; border: 1px solid #333; margin-right: .5em; }
ul.check { list-style: none; padding-left: 0; } li { margin: .2em 0; }
@media print { body { margin: 0; max-width: none; } .noprint { display: none; } }
"""


def _scoped_css() -> str:
    """:data:`_CSS` with every selector limited to ``.sc-plan`` (so a plan shown in a page styles only itself)."""
    rules = []
    for selectors, body in re.findall(r"([^{}@]+)\{([^{}]*)\}", _CSS.split("@media")[0]):
        scoped = ", ".join(".sc-plan" if s.strip() == "body" else f".sc-plan {s.strip()}" for s in selectors.split(","))
        rules.append(f"{scoped} {{{body}}}")
    return "\n".join(rules)


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _para(text: str) -> str:
    return "<br>".join(_e(line) for line in text.splitlines()) if text else ""


def _step_html(step: analysis.Step, body: str) -> str:
    return (f"<div class='step'><h3>Step {step.number}: {_e(step.en)} {_e(step.zh)}</h3>"
            f"<p class='guide'>{_e(step.coach)}</p>{body or '<div class=blank></div>'}</div>")


def plan_html(plan: SessionPlan, title: str = "Coaching plan", *, fragment: bool = False) -> str:
    """The plan as one printable HTML page (no scripts, no outside files); all user text is escaped.

    ``fragment=True`` gives the content only (a ``<div>`` without page head, styles kept inside), for showing
    the plan inside a notebook or a dashboard.
    """
    if not isinstance(plan, SessionPlan):
        raise ValueError(f"plan_html needs a SessionPlan (from plan_session), got {type(plan).__name__}")
    steps = {s.key: s for s in analysis.FIVE_STEPS}
    meta = [("Rep", plan.rep), ("Skill", plan.skill), ("Coach", plan.coach or "—"),
            ("Date", plan.held_on.isoformat() if plan.held_on else "—"),
            ("Visit to observe", plan.visit_purpose or "— (ask the rep for its purpose before the visit)")]
    if plan.deal_value is not None:
        meta.append(("Deal", f"{plan.deal_value:,.0f} yuan: {plan.approach}"))
    if plan.follow_up_on:
        meta.append(("Follow-up", plan.follow_up_on.isoformat()))
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{_e(title)}: {_e(plan.rep)} — "
             f"{_e(plan.skill)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{_e(title)} 指导计划</h1>",
             "<table class='meta'>" + "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in meta)
             + "</table>"]
    problems = plan.problems()
    if problems:
        parts.append("<div class='warn'><b>Still to settle:</b><ul>"
                     + "".join(f"<li>{_e(p)}</li>" for p in problems) + "</ul></div>")
    parts.append("<h2>The five steps 指导的五个步骤</h2>")
    for key in ("explain", "demonstrate", "rehearse"):
        parts.append(_step_html(steps[key], f"<p>{_para(getattr(plan, key))}</p>" if getattr(plan, key) else ""))
    goals = ""
    if plan.objective or plan.plan_points:
        goals = (f"<p><b>Visit objective:</b> {_para(plan.objective) or '—'}</p>"
                 "<table><tr><th align=left>Action plan</th><th align=left>Why</th></tr>"
                 + "".join(f"<tr><td>{_e(p)}</td><td>{_e(r) or '—'}</td></tr>" for p, r in plan.plan_points)
                 + "</table>")
    parts.append(_step_html(steps["set_goals"], goals))
    review = ("<ul>" + "".join(f"<li>{_e(q)}</li>" for q in plan.review_questions) + "</ul>"
              if plan.review_questions else "")
    parts.append(_step_html(steps["review"], review))
    parts.append("<h2>Observing the visit</h2><ul class='check'>"
                 + "".join(f"<li><span class='box'></span>{_e(en)} {_e(zh)}</li>"
                           for en, zh in analysis.OBSERVATION_PRINCIPLES) + "</ul>")
    parts.append("<h2>After the visit 指导模式</h2><ul class='check'>"
                 + "".join(f"<li><span class='box'></span>{i}. {_e(en)} {_e(zh)}</li>"
                           for i, (_, en, zh) in enumerate(analysis.AFTER_VISIT_MODEL, start=1)) + "</ul>")
    parts.append("<h2>Debrief questions 销售之后的问题</h2><ol>")
    for _, key, en, zh, _how in debrief.STAGES:
        first = debrief.QUESTION_BANK[key][0]
        parts.append(f"<li><b>{_e(en)} {_e(zh)}</b>: {_e(first[0])} {_e(first[1])}</li>")
    parts.append("</ol>")
    if plan.notes:
        parts.append(f"<h2>Notes</h2><p>{_para(plan.notes)}</p>")
    parts.append("</body></html>")
    if fragment:
        return "<div class='sc-plan'><style>" + _scoped_css() + "</style>" + "\n".join(parts[1:-1]) + "</div>"
    return "\n".join(parts)


def save_plan(plan: SessionPlan, path: str | os.PathLike[str]) -> Path:
    """Write :func:`plan_html` to ``path`` (atomically: never a half-written page); returns the path."""
    target = Path(path)
    if target.is_dir():
        raise ValueError(f"{target} is a folder; give a file name ending in .html")
    write_text_atomic(target, plan_html(plan))
    return target


def record_plan(book: Any, plan: SessionPlan) -> int:
    """Record the plan in a coaching log (:class:`~salescoach.coaching.log.CoachingLog`): the session, its goal
    (objective, plan, reasons) and a follow-up when ``follow_up_on`` is set.  Returns the session id."""
    notes = "\n".join(f"{s.en}: {getattr(plan, s.key)}" for s in analysis.FIVE_STEPS[:3] if getattr(plan, s.key))
    sid = book.add_session(plan.rep, plan.skill, coach=plan.coach, kind="five-step", held_on=plan.held_on,
                           visit_purpose=plan.visit_purpose, notes="\n".join(x for x in (notes, plan.notes) if x))
    if plan.objective:
        book.add_goal(plan.objective, session_id=sid, plan="\n".join(p for p, _ in plan.plan_points),
                      reasons="\n".join(r for _, r in plan.plan_points if r))
    if plan.follow_up_on:
        book.add_followup(sid, plan.follow_up_on, kind="observe a visit" if plan.visit_purpose else "review")
    return sid
