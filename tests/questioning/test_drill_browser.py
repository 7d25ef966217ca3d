"""The questioning drill in a real browser: JupyterLab, headless Debian Chromium, two questions typed.

Opens a one-cell notebook that shows the drill, runs it, types two closed questions and a third, and sees
each question's type and a balance remark (too many closed questions early).
"""
from __future__ import annotations

import pytest

from browser_support import chromium, jupyter_env, lab, local_context, run_all_until, screenshot, write_notebook

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def drill_lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("drill")
    write_notebook(root / "drill.ipynb",
                   ["from salescoach.questioning.widgets import questioning_drill\nquestioning_drill('corner-shop')"])
    with lab(root, jupyter_env(root), root / "lab.log") as url:
        yield url


def test_drill_gives_type_feedback_and_a_balance_remark(drill_lab):
    with chromium() as browser:
        context = local_context(browser, drill_lab)
        pg = context.new_page()
        pg.goto(f"{drill_lab}/lab/workspaces/drill/tree/drill.ipynb", wait_until="domcontentloaded")
        box = pg.locator(".jp-OutputArea input[type='text']").first
        run_all_until(pg, box)  # a Run All sent while the kernel still starts can be dropped: retried
        ask = pg.get_by_role("button", name="Ask 提问")
        feedback = pg.locator(".sc-feedback")
        box.fill("Do you stock our cola?")
        ask.click()
        pg.wait_for_selector(".sc-feedback .sc-type-closed", timeout=30_000)
        box.fill("How is the drinks side of the business going?")
        ask.click()
        pg.wait_for_selector(".sc-feedback .sc-type-descriptive", timeout=30_000)
        assert "descriptive" in feedback.inner_text()
        for q in ("Is the shop busy after school?", "Are you happy with your supplier?"):
            box.fill(q)
            ask.click()
            pg.wait_for_function("n => document.querySelectorAll('.sc-transcript tr').length > n", arg=2,
                                 timeout=30_000)
        pg.wait_for_selector(".sc-remark", timeout=30_000)
        text = pg.locator(".sc-balance").inner_text()
        assert "Too many closed questions early" in text or "vague" in text
        screenshot(pg, "m5_drill", full_page=True)
