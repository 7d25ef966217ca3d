"""The printable coaching plan in real headless Chromium: it renders, prints to PDF, and text typed into the plan
never runs as code.  Screenshot: build/screenshots/m7_coaching_plan.png."""
from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import chromium, screenshot
from salescoach.coaching import planner

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EVIL = "<script>window.__pwned = 1</script><img src=x onerror='window.__pwned = 2'>"


def test_printable_plan_renders_and_escapes(tmp_path: Path):
    plan = planner.plan_session(
        "Zhao Lei 赵磊", "Handling objections 处理异议", coach="Wang Fang", held_on="2025-03-10",
        follow_up_on="2025-04-08", visit_purpose="Hengda renewal " + EVIL, deal_value=260_000,
        explain="Objections ask for information", demonstrate="Coach plays the rep", rehearse="Three objections",
        objective="Renew at <= 3% off " + EVIL, plan_points=[("Value first", "price comes later " + EVIL)],
        review_questions=["Why do you think the buyer will raise price first?"], notes=EVIL)
    page_file = planner.save_plan(plan, tmp_path / "plan.html")
    with chromium() as browser:
        context = browser.new_context()
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
                      else route.abort())
        page = context.new_page()
        page.goto(page_file.as_uri(), wait_until="load")
        assert page.evaluate("window.__pwned") is None
        assert page.locator("script").count() == 0 and page.locator("img").count() == 0
        body = page.inner_text("body")
        for text in ("Zhao Lei 赵磊", "Step 1: Explain 讲解", "Step 5: Review 回顾", "260,000 yuan: plan-do-check",
                     "<script>window.__pwned = 1</script>", "Renew at <= 3% off"):
            assert text in body, text
        assert page.locator(".step").count() == 5
        screenshot(page, "m7_coaching_plan", full_page=True)
        pdf = page.pdf(format="A4")
        assert pdf[:4] == b"%PDF" and len(pdf) > 5000
