"""The printable coaching plan in real headless Chromium: it renders, prints to PDF, and text typed into the plan
never runs as code.  Screenshot: build/screenshots/m7_coaching_plan.png."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from salescoach.coaching import planner

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EVIL = "<script>window.__pwned = 1</script><img src=x onerror='window.__pwned = 2'>"


def test_printable_plan_renders_and_escapes(tmp_path: Path, kit_root: Path):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make test` or apt-get install chromium")
    from playwright.sync_api import sync_playwright

    plan = planner.plan_session(
        "Zhao Lei 赵磊", "Handling objections 处理异议", coach="Wang Fang", held_on="2025-03-10",
        follow_up_on="2025-04-08", visit_purpose="Hengda renewal " + EVIL, deal_value=260_000,
        explain="Objections ask for information", demonstrate="Coach plays the rep", rehearse="Three objections",
        objective="Renew at <= 3% off " + EVIL, plan_points=[("Value first", "price comes later " + EVIL)],
        review_questions=["Why do you think the buyer will raise price first?"], notes=EVIL)
    page_file = planner.save_plan(plan, tmp_path / "plan.html")
    shots = kit_root / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
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
            page.screenshot(path=str(shots / "m7_coaching_plan.png"), full_page=True)
            pdf = page.pdf(format="A4")
            assert pdf[:4] == b"%PDF" and len(pdf) > 5000
        finally:
            browser.close()
