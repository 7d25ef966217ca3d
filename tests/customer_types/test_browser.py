"""The M4 role-play and the recognise-the-type drill in a real browser: Voila, headless Debian Chromium (Playwright).

Plays the role-play with Mr He turn by turn to a good outcome and its debrief, then answers a vignette of the drill
(type and approach) and sees the feedback.  Screenshots: build/screenshots/m4_roleplay.png, m4_drill.png.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from tests.browser_support import chromium, free_port, jupyter_env, local_context, screenshot, server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    root = tmp_path_factory.mktemp("m4-browser")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from salescoach.customer_types import widgets\n"
                                  "widgets.roleplay('picky-hotel', lang='en')"),
        nbformat.v4.new_code_cell("widgets.recognise_drill(types=['sceptical'], lang='en')"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "m4_demo.ipynb")
    port = free_port()
    argv = [str(Path(sys.executable).parent / "voila"), "m4_demo.ipynb", "--no-browser", f"--port={port}",
            "--Voila.ip=127.0.0.1"]
    with server(argv, jupyter_env(root), port, root / "voila.log", cwd=root) as url:
        yield url


def test_roleplay_reaches_the_debrief_and_the_drill_gives_feedback(voila):
    with chromium() as browser:
        context = local_context(browser, voila)
        page = context.new_page()
        page.goto(voila, wait_until="domcontentloaded")
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
