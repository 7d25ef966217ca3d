"""The M4 role-play and the recognise-the-type drill in a real browser: Voila, headless Debian Chromium (Playwright).

Plays the role-play with Mr He turn by turn to a good outcome and its debrief, then answers a vignette of the drill
(type and approach) and sees the feedback.  Screenshots: build/screenshots/m4_roleplay.png, m4_drill.png.
"""
from __future__ import annotations

import pytest

from browser_support import chromium, jupyter_env, local_context, screenshot, voila, write_notebook

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("m4-browser")
    notebook = write_notebook(root / "m4_demo.ipynb", [
        "from salescoach.customer_types import widgets\nwidgets.roleplay('picky-hotel', lang='en')",
        "widgets.recognise_drill(types=['sceptical'], lang='en')",
    ])
    with voila(notebook, jupyter_env(root), root / "voila.log") as url:
        yield url


def test_roleplay_reaches_the_debrief_and_the_drill_gives_feedback(served):
    with chromium() as browser:
        context = local_context(browser, served)
        page = context.new_page()
        page.goto(served, wait_until="domcontentloaded")
        play = page.locator(".sc-roleplay")
        play.wait_for(state="visible", timeout=120_000)
        for turn, choice in enumerate(["b", "c", "a", "b"], start=1):
            page.locator(".sc-roleplay-turn", has_text=f"Turn {turn} of 4").wait_for(timeout=30_000)
            play.get_by_role("button", name=f"Say {choice} 选{choice}").click()
        debrief = page.locator(".sc-roleplay-debrief[data-outcome='good']")
        debrief.wait_for(timeout=30_000)
        assert "Good outcome: 8 of 8 points" in debrief.inner_text()
        assert "['b', 'c', 'a', 'b']" in play.inner_text()
        screenshot(page, "m4_roleplay")

        drill = page.locator(".sc-vignette-drill")
        drill.scroll_into_view_if_needed()
        assert "private hospital" in drill.inner_text()
        drill.get_by_role("button", name="Analytical", exact=True).click()
        drill.get_by_role("button", name="b", exact=True).click()
        drill.get_by_role("button", name="Check 检查").click()
        page.locator(".sc-vignette-feedback[data-correct='false']").wait_for(timeout=30_000)
        assert "Type not right, approach right" in drill.inner_text()
        drill.get_by_role("button", name="Sceptical", exact=True).click()
        drill.get_by_role("button", name="Check 检查").click()
        page.locator(".sc-vignette-feedback[data-correct='true']").wait_for(timeout=30_000)
        assert "0 of 1 fully right at the first try" in drill.inner_text()
        page.locator(".sc-vignette-feedback").scroll_into_view_if_needed()
        screenshot(page, "m4_drill")
        context.close()
