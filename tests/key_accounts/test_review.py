"""The annual review meeting planner and its printable HTML page."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from salescoach.key_accounts import framework as fw
from salescoach.key_accounts import review


def test_the_plan_for_the_account_most_at_risk(portfolio):
    plan = review.plan_review(portfolio, "K14", meeting_date="2026-01-20")
    assert plan.name == "Boya Restaurants" and plan.name_zh == "博雅餐饮" and plan.manager == "Liu Yang"
    assert plan.total_minutes == plan.minutes == 120
    assert [a.key for a in plan.agenda] == list(review.AGENDA_SHARES)
    assert {a.tip for a in plan.agenda} <= {t.id for t in fw.REVIEW_TIPS}
    facts = dict(plan.facts)
    assert facts["Last review meeting"] == "never held" and facts["Satisfaction in the last survey"] == "2.2 of 5"
    prep = " ".join(plan.preparation)
    assert "rival" in prep  # competitor activity 2
    assert "16% of order lines" in prep  # fill rate 84%
    assert "Revenue fell 16%" in prep
    assert "Ask regularly for feedback on our sales staff" in prep  # the retention plan
    assert "only if the meeting goes well" in prep  # satisfaction too low to ask for a referral first
    assert any("senior manager" in x for x in plan.attendees_ours)
    commitment = next(a for a in plan.agenda if a.key == "commitment")
    assert commitment.points[0].startswith("Ask regularly for feedback")


def test_the_plan_follows_the_data_of_a_healthy_account(portfolio):
    plan = review.plan_review(portfolio, "K07")  # 4 buyers, satisfaction 4.9, no rival, full supply
    assert "All 4 influential buyers" in plan.attendees_theirs
    prep = " ".join(plan.preparation)
    assert "rival" not in prep and "order lines were short" not in prep and "referral or a reference" in prep
    assert len(plan.attendees_ours) == 1 or "senior manager" in " ".join(plan.attendees_ours)


@pytest.mark.parametrize("minutes", [60, 45, 0, "two hours"])
def test_an_hour_or_less_is_refused(portfolio, minutes):
    with pytest.raises(ValueError, match="more than an hour"):
        review.plan_review(portfolio, "K14", minutes=minutes)


@pytest.mark.parametrize("minutes", [61, 90, 125, 240])
def test_agenda_minutes_add_up(portfolio, minutes):
    plan = review.plan_review(portfolio, "K02", minutes=minutes)
    assert plan.total_minutes == minutes and all(a.minutes > 0 for a in plan.agenda)


def test_bad_input_is_named(portfolio):
    with pytest.raises(ValueError, match="no account 'K77'"):
        review.plan_review(portfolio, "K77")
    with pytest.raises(ValueError, match=r"no column\(s\) \['buyers'\]"):
        review.plan_review(portfolio.drop(columns="buyers"), "K14")
    with pytest.raises(ValueError, match="the portfolio is empty"):
        review.plan_review(portfolio.iloc[0:0], "K14")


def test_html_is_a_printable_self_contained_page(portfolio):
    page = review.to_html(review.plan_review(portfolio, "K14", new_thing="our new oolong range"))
    assert page.startswith("<!DOCTYPE html>") and "@media print" in page
    assert "<script" not in page and "http" not in page and "src=" not in page
    for heading in ("What the meeting is for", "The account in figures", "Who comes", "Prepare before the meeting",
                    "Agenda"):
        assert heading in page
    assert "博雅餐饮" in page and "our new oolong range" in page and "120 minutes" in page


def test_every_text_is_escaped(portfolio):
    evil = portfolio.copy()
    row = evil.index[evil["account_id"] == "K14"][0]
    evil.loc[row, "name"] = "<script>alert('x')</script> & Co"
    evil.loc[row, "account_manager"] = "<b>Boss</b>"
    page = review.to_html(review.plan_review(evil, "K14", meeting_date="<i>soon</i>", new_thing="<img src=x>"))
    assert "<script>" not in page and "<img" not in page and "<b>Boss" not in page and "<i>soon" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in page
    assert "&lt;img src=x&gt;" in page
    tags = set(re.findall(r"<([a-z0-9]+)", page))
    assert tags <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "ul", "li", "table", "tr",
                    "th", "td", "b", "span", "footer"}


def test_save_html_writes_atomically(portfolio, tmp_path, monkeypatch):
    plan = review.plan_review(portfolio, "K14")
    path = review.save_html(plan, tmp_path / "out" / "review_K14.html")
    assert path.read_text(encoding="utf-8") == review.to_html(plan)
    before = path.read_bytes()

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_text", broken)
    monkeypatch.setattr("salescoach.files.os.replace", broken)
    with pytest.raises(OSError, match="disk full"):
        review.save_html(review.plan_review(portfolio, "K02"), path)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["review_K14.html"], "no temporary file left behind"


def test_save_html_refuses_a_folder(portfolio, tmp_path):
    with pytest.raises(ValueError, match="is a folder"):
        review.save_html(review.plan_review(portfolio, "K14"), tmp_path)


def test_minutes_split_is_exact():
    for total in range(61, 300):
        split = review._minutes(total)
        assert sum(split.values()) == total and set(split) == set(review.AGENDA_SHARES)


def test_a_portfolio_indexed_by_account_works(portfolio):
    a = review.plan_review(portfolio, "K05")
    b = review.plan_review(portfolio.set_index("account_id"), "K05")
    assert a == b
    assert isinstance(pd.Timestamp(portfolio.loc[4, "last_review"]), pd.Timestamp)
