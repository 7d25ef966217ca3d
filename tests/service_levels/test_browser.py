"""The M1 and M2 widgets in a real browser: Voila renders them in headless Chromium and they react to clicks
and keys (the walk-through's choice buttons, the work-platform explorer's capacity slider).

Chromium is Debian's (`make test` installs it); Playwright drives it with ``executable_path``. Screenshots go
to build/screenshots/.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import chromium, jupyter_env, local_context, screenshot, voila, write_notebook

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = [
    "from salescoach.service_levels import widgets\nwidgets.complaint_walkthrough(lang='en')",
    "from salescoach.customer_grading.analysis import abc_classes\nfrom salescoach.datasets import load\n"
    "from salescoach.platforms import widgets as pw\nt = load('territory').set_index('customer_id')\n"
    "pw.work_platform_explorer(t['revenue_12m'], abc_classes(t['revenue_12m']), n_draws=100)",
]


@pytest.fixture(scope="module")
def served(kit_root: Path, tmp_path_factory):
    home = tmp_path_factory.mktemp("voila-home")
    env = dict(jupyter_env(home), SALESCOACH_ROOT=str(kit_root))
    with voila(write_notebook(home / "widgets.ipynb", NOTEBOOK), env, home / "voila.log") as url:
        yield url


def test_walkthrough_and_explorer_react_in_the_browser(served):
    with chromium() as browser:
        context = local_context(browser, served, viewport={"width": 1300, "height": 1800})
        pg = context.new_page()
        pg.goto(served, wait_until="domcontentloaded")
        pg.get_by_text("What do you do?").wait_for(timeout=90_000)
        pg.get_by_role("button", name="b", exact=True).first.click()  # listen first
        pg.get_by_text("You chose:").wait_for(timeout=30_000)
        assert "no change" in pg.inner_text("body")
        pg.get_by_role("button", name="b", exact=True).first.click()  # commit to 7 am
        pg.get_by_text("one level up").wait_for(timeout=30_000)
        assert "satisfactory" in pg.inner_text("body")
        summary = pg.locator(".widget-html").filter(has_text="Analysis:").first
        before = summary.inner_text()
        handle = pg.locator(".widget-slider .noUi-handle").first
        handle.focus()
        for _ in range(4):
            handle.press("ArrowLeft")
        pg.wait_for_function("el => el.innerText.includes('random picks of 30')", arg=summary.element_handle(),
                             timeout=60_000)
        assert "18 A + 12 B" in summary.inner_text() and summary.inner_text() != before
        screenshot(pg, "m1m2_widgets", full_page=True)
