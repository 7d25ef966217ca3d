"""The annual review meeting with a key account: its agenda and preparation list, and a printable HTML page.

The aims and tips come from SYLLABUS M8 (source S2: meet a key account once or
twice a year to strengthen the relationship, get feedback, introduce new
products and set the direction; a meal, a good room, every influential buyer,
data prepared, more than an hour, let them talk, show commitment, close with
something new, dig for deeper needs, ask for referrals).  :func:`plan_review`
turns them into a plan for one account from its row of the KA portfolio: the
facts to bring, what to prepare (the weakest drivers, a rival's moves, the
"something new"), who comes, and an agenda with minutes.  How the plan reacts
to the data (which signal triggers which preparation item, how the minutes are
shared) is the kit's design (kit assumption).  :func:`to_html` renders it as one
self-contained page (no scripts, no external files) with every text escaped;
:func:`save_html` writes it atomically.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..files import write_text_atomic
from . import analysis
from . import framework as fw

__all__ = ["AgendaItem", "ReviewPlan", "plan_review", "to_html", "save_html", "MIN_MINUTES", "AGENDA_SHARES"]

#: the tips say one hour is usually too tight: the planner refuses a meeting of an hour or less
MIN_MINUTES = 61
#: Kit assumption: share of the meeting's time per agenda item (they add up to 1)
AGENDA_SHARES = {"welcome": 0.10, "year": 0.15, "their_view": 0.20, "their_plans": 0.20, "commitment": 0.15,
                 "new": 0.10, "close": 0.10}


@dataclass(frozen=True)
class AgendaItem:
    """One part of the meeting: its minutes, title (English and Chinese), talking points and the tip behind it."""

    key: str
    minutes: int
    title: str
    title_zh: str
    points: tuple[str, ...]
    tip: str


@dataclass(frozen=True)
class ReviewPlan:
    """The plan of one annual review meeting (see :func:`plan_review`)."""

    account_id: str
    name: str
    name_zh: str
    manager: str
    meeting_date: str
    minutes: int
    facts: tuple[tuple[str, str], ...]
    attendees_theirs: str
    attendees_ours: tuple[str, ...]
    logistics: tuple[str, ...]
    preparation: tuple[str, ...]
    agenda: tuple[AgendaItem, ...]
    aims: tuple[fw.Term, ...] = field(default=fw.REVIEW_AIMS)

    @property
    def total_minutes(self) -> int:
        return sum(a.minutes for a in self.agenda)


def plan_review(portfolio: pd.DataFrame, account_id: str, meeting_date: str | None = None,
                minutes: int = 120, new_thing: str | None = None) -> ReviewPlan:
    """The agenda and preparation list of the annual review meeting with one key account.

    ``minutes`` is the length of the meeting (more than an hour, as the tips
    advise; ValueError otherwise).  ``new_thing`` is what you will close with
    (a new product, service or promotion idea); by default the plan proposes one
    from the account's weakest drivers.
    """
    if not isinstance(minutes, int | float) or minutes < MIN_MINUTES:
        raise ValueError(f"minutes={minutes!r}: allow more than an hour for an annual review meeting (one hour is "
                         f"usually too tight). Fix: plan at least {MIN_MINUTES} minutes, e.g. 120")
    needed = (*analysis.SIGNAL_COLUMNS, "gross_profit", "annual_revenue", "buyers")
    frame = analysis.check_portfolio(portfolio, needed)
    account_id = analysis.check_account(frame, account_id)
    row = frame.loc[account_id]
    strengths = analysis.driver_strengths(frame).loc[account_id]
    weak = analysis.weakest_drivers(strengths)
    plan = analysis.retention_plan(frame, account_id)
    risk = float(analysis.loyalty_risk(frame)[account_id])
    text = _texts(row)
    new_thing = new_thing or _new_thing(weak)
    agenda = _agenda(int(minutes), row, plan.strategies, new_thing)
    return ReviewPlan(
        account_id=account_id, name=text("name", account_id), name_zh=text("name_zh", ""),
        manager=text("account_manager", "the account manager"),
        meeting_date=meeting_date or "to be agreed with the account", minutes=int(minutes),
        facts=_facts(row, risk, weak, text("last_review", "")),
        attendees_theirs=_their_side(int(row["buyers"])),
        attendees_ours=_our_side(row, risk, text("account_manager", "the account manager")),
        logistics=("Book breakfast or lunch: a meal relaxes people and keeps the talk informal (tip: meal).",
                   "Choose a room with good light and a big table where nobody will ask you to leave after the meal "
                   "(tip: a good room).",
                   f"Block {int(minutes)} minutes: one hour is usually too tight (tip: more than an hour)."),
        preparation=_preparation(row, weak, plan, new_thing),
        agenda=agenda,
    )


def _texts(row: pd.Series):
    def text(column: str, default: str) -> str:
        value = row.get(column, default)
        if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
            return default
        if isinstance(value, pd.Timestamp):
            return value.strftime("%Y-%m-%d")
        return str(value)

    return text


def _facts(row: pd.Series, risk: float, weak: list[str], last_review: str) -> tuple[tuple[str, str], ...]:
    return (
        ("Revenue, last 12 months", f"{row['annual_revenue']:,.0f} yuan ({row['revenue_trend']:+.0%} on the year before)"),
        ("Gross profit", f"{row['gross_profit']:,.0f} yuan ({row['gross_profit'] / row['annual_revenue']:.0%} margin)"),
        ("Our share of its purchases (share of wallet)", f"{row['share_of_wallet']:.0%}"),
        ("Order lines delivered in full and on time", f"{row['fill_rate']:.0%}"),
        ("Satisfaction in the last survey", f"{row['satisfaction']:.1f} of 5"),
        ("Loyalty-risk score", f"{risk:.1f} of 100 ({analysis.risk_band(risk)})"),
        ("Weakest loyalty drivers", ", ".join(fw.label(fw.driver(d)) for d in weak) or "none"),
        ("Last review meeting", last_review or "never held"),
    )


def _their_side(buyers: int) -> str:
    if buyers <= 1:
        return "The account's buyer, and whoever the buyer's decisions depend on (ask who that is)."
    return (f"All {buyers} influential buyers of the account: when several people decide, every one of them "
            "is invited (tip: invite every influential buyer).")


def _our_side(row: pd.Series, risk: float, manager: str) -> tuple[str, ...]:
    out = [f"{manager}, the KA project manager 大客户项目服务经理 (leads the meeting)"]
    if row["senior_visits"] < 2 or risk >= analysis.RISK_BANDS[-1][0]:
        out.append("A senior manager of ours, to show commitment at the top (strategy: senior managers visit them)")
    if row["fill_rate"] < 0.95:
        out.append("Someone from supply planning who can commit to delivery dates")
    return tuple(out)


def _new_thing(weak: list[str]) -> str:
    if "differentiation" in weak or "say" in weak:
        return "a new product the account can trial before anyone else, with the trial designed together"
    if "purchasing" in weak:
        return "a supply-priority agreement for the peak season"
    return "a promotion idea designed for the account's own customers, with a special launch discount"


def _preparation(row: pd.Series, weak: list[str], plan: analysis.RetentionPlan, new_thing: str) -> tuple[str, ...]:
    out = [
        "Tables of last year's sales by month and product line, against the year before (tip: prepare the data).",
        "Notes and documents that back your view of the market, the industry's trends and our products.",
        f"The core figures of the account's file: share of wallet {row['share_of_wallet']:.0%}, "
        f"fill rate {row['fill_rate']:.0%}, satisfaction {row['satisfaction']:.1f}, trend {row['revenue_trend']:+.0%}.",
    ]
    if weak:
        names = " and ".join(fw.driver(d).en.lower() for d in weak)
        strategies = "; ".join(f"{fw.strategy(s).en} ({fw.strategy(s).zh})" for s in plan.strategies)
        out.append(f"A concrete offer on the weakest drivers ({names}): {strategies}, about {plan.cost:,.0f} yuan "
                   "for the year. Know what each step means for the account, who does it and by when.")
    if row["fill_rate"] < 0.95:
        out.append(f"The delivery record: {1 - row['fill_rate']:.0%} of order lines were short or late. Bring the "
                   "causes and what supply will change.")
    if row["competitor_activity"] >= 2:
        out.append("Find out beforehand what the rival has offered or listed, and be ready to say what the account "
                   "gets from us that it cannot get elsewhere.")
    if row["revenue_trend"] < 0:
        out.append(f"Revenue fell {-row['revenue_trend']:.0%}: prepare open questions on why, without blaming.")
    out.append(f"The new thing to close with: {new_thing}.")
    out.append("Open questions on their performance, quality and satisfaction, and on their business and plans "
               "(tip: let them talk).")
    if row["satisfaction"] >= 4.0:
        out.append("A request for a referral or a reference letter: satisfied key accounts are the best source of "
                   "new customers (tip: ask for referrals).")
    else:
        out.append("A referral request only if the meeting goes well: first show that what they raise gets fixed.")
    return tuple(out)


def _agenda(minutes: int, row: pd.Series, strategies: list[str], new_thing: str) -> tuple[AgendaItem, ...]:
    split = _minutes(minutes)
    commitments = tuple(f"{fw.strategy(s).en} ({fw.strategy(s).zh})" for s in strategies) or (
        "Keep what works: say which service levels we will hold next year",)
    items = (
        AgendaItem("welcome", split["welcome"], "Welcome over the meal", "餐叙欢迎",
                   ("Thank them for their time and their business.", "Small talk: the industry, the economy."),
                   "meal"),
        AgendaItem("year", split["year"], "The year in review", "回顾过去一年",
                   (f"Our sales together: {row['annual_revenue']:,.0f} yuan, {row['revenue_trend']:+.0%} on the year "
                    "before.", f"Deliveries: {row['fill_rate']:.0%} of order lines in full and on time."),
                   "data"),
        AgendaItem("their_view", split["their_view"], "Your view of us: performance, quality, satisfaction",
                   "听取客户对业绩、质量和满意度的看法",
                   ("Ask open questions and listen; note every point on the KA business-needs contact sheet.",
                    "Ask how our sales staff serve them (strategy: ask for feedback on our sales staff)."),
                   "listen"),
        AgendaItem("their_plans", split["their_plans"], "Your business and plans", "客户的经营情况和未来打算",
                   ("Their plans for stores, products and customers next year.",
                    "Dig past the obvious for deeper needs and opportunities, in the big picture and the details."),
                   "deeper_needs"),
        AgendaItem("commitment", split["commitment"], "Our commitment for next year", "我们的服务承诺",
                   commitments + ("Say plainly that we want a long, mutually profitable relationship.",),
                   "commitment"),
        AgendaItem("new", split["new"], "Something new", "介绍新的产品或设想",
                   (f"Present {new_thing}.",), "close_new"),
        AgendaItem("close", split["close"], "Next steps, referrals and thanks", "下一步、推荐与致谢",
                   ("Agree who does what by when, and the date of the next contact.",
                    "Ask for a referral if the meeting went well.", "Thank them again."),
                   "referrals"),
    )
    return items


def _minutes(total: int) -> dict[str, int]:
    """Whole minutes per agenda item following :data:`AGENDA_SHARES`, adding up to ``total`` exactly."""
    raw = {k: total * s for k, s in AGENDA_SHARES.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[: total - sum(out.values())]:
        out[k] += 1
    return out


# --------------------------------------------------------------------------- HTML
_CSS = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", Arial, sans-serif; margin: 2em;
       color: #1f2d3d; max-width: 60em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; border-bottom: 1px solid #ccd;
     margin-top: 1.4em; } .sub { color: #566; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #ccd; padding: 0.3em 0.5em;
        vertical-align: top; text-align: left; } th { background: #eef3f8; }
.minutes { white-space: nowrap; width: 5em; } .tip { color: #667; font-size: 0.85em; }
ul { margin: 0.2em 0 0.2em 1.2em; padding: 0; } footer { margin-top: 2em; font-size: 0.8em; color: #667; }
@media print { body { margin: 1cm; } h2, tr { page-break-inside: avoid; } }
"""


def to_html(plan: ReviewPlan) -> str:
    """The plan as one printable, self-contained HTML page; every text is escaped."""
    e = html.escape
    tips = {t.id: t for t in fw.REVIEW_TIPS}
    facts = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in plan.facts)
    aims = "".join(f"<li>{e(a.en)} {e(a.zh)}</li>" for a in plan.aims)
    ours = "".join(f"<li>{e(x)}</li>" for x in plan.attendees_ours)
    logistics = "".join(f"<li>{e(x)}</li>" for x in plan.logistics)
    prep = "".join(f"<li>{e(x)}</li>" for x in plan.preparation)
    rows = "".join(
        f"<tr><td class='minutes'>{a.minutes} min</td><td><b>{e(a.title)}</b> {e(a.title_zh)}<ul>"
        + "".join(f"<li>{e(p)}</li>" for p in a.points)
        + f"</ul><span class='tip'>Tip: {e(tips[a.tip].en)} {e(tips[a.tip].zh)}</span></td></tr>"
        for a in plan.agenda)
    title = f"Annual review meeting 年度评估会议: {plan.account_id} {plan.name} {plan.name_zh}".strip()
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>\n"
        f"<h1>{e(title)}</h1>\n"
        f"<p class='sub'>Date: {e(plan.meeting_date)} · Length: {plan.total_minutes} minutes · "
        f"Led by {e(plan.manager)}</p>\n"
        f"<h2>What the meeting is for</h2><ul>{aims}</ul>\n"
        f"<h2>The account in figures</h2><table>{facts}</table>\n"
        f"<h2>Who comes</h2><p><b>The account:</b> {e(plan.attendees_theirs)}</p><p><b>Our side:</b></p>"
        f"<ul>{ours}</ul>\n"
        f"<h2>Place and time</h2><ul>{logistics}</ul>\n"
        f"<h2>Prepare before the meeting</h2><ul>{prep}</ul>\n"
        f"<h2>Agenda</h2><table><tr><th>time</th><th>item</th></tr>{rows}</table>\n"
        "<footer>Prepared with salescoach (module M9, key-account loyalty) from the account's row of the KA "
        "portfolio. The loyalty-risk score, the weakest drivers and the split of the minutes are kit assumptions; "
        "the aims and tips follow the course material on annual review meetings.</footer>\n"
        "</body></html>\n"
    )


def save_html(plan: ReviewPlan, path: str | Path) -> Path:
    """Write :func:`to_html` to ``path`` (UTF-8) atomically: a crash never leaves half a page; the path written."""
    path = Path(path)
    if path.exists() and path.is_dir():
        raise ValueError(f"{path} is a folder. Fix: give a file name such as review_K14.html")
    write_text_atomic(path, to_html(plan))
    return path
