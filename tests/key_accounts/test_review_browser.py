"""The annual review page in a real browser: it renders offline, prints to PDF, and typed markup never runs."""
from __future__ import annotations

import pytest

from browser_support import SCREENSHOTS, chromium
from salescoach.key_accounts import review

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_review_page_renders_and_prints(portfolio, tmp_path):
    evil = portfolio.copy()
    evil.loc[evil["account_id"] == "K14", "account_manager"] = "<img src=x onerror=\"document.title='hacked'\">"
    path = review.save_html(review.plan_review(evil, "K14", meeting_date="2026-01-20"), tmp_path / "review_K14.html")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri(), wait_until="load")
        assert page.title().startswith("Annual review meeting")
        assert page.locator("h2").all_inner_texts()[:2] == ["What the meeting is for", "The account in figures"]
        assert page.locator("table").nth(1).locator("tr").count() == 1 + len(review.AGENDA_SHARES)
        assert "博雅餐饮" in page.locator("h1").inner_text()
        assert page.locator("img").count() == 0, "typed markup is shown as text, never as an element"
        assert "<img src=x" in page.locator("body").inner_text()
        assert [u for u in requests if not u.startswith("file://")] == [], "the page needs no network"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "m9_review_page.png"), full_page=True)
        pdf = page.pdf(format="A4", print_background=True)
        assert pdf[:4] == b"%PDF" and len(pdf) > 5_000
