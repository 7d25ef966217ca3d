"""The start command serves JupyterLab on the course home: checked in real headless Chromium.

Chromium is Debian's (`make test` installs it); Playwright drives it with
``executable_path`` because it cannot download its own browsers here.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import jupyter_env, kit_lab, run_all_until, screenshot
from conftest import copy_kit

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def served_kit(tmp_path_factory) -> Path:
    """A copy of the kit for JupyterLab to serve: a browser session saves metadata into what it opens."""
    return copy_kit(tmp_path_factory.mktemp("served") / "kit")


@pytest.fixture(scope="module")
def lab(served_kit: Path, tmp_path_factory):
    home = tmp_path_factory.mktemp("lab-home")
    with kit_lab(served_kit, jupyter_env(home), home / "lab.log") as url:
        yield url, home / "lab.log"


def test_start_command_opens_the_course_home(page, lab):
    pg, workspace = page
    pg.goto(f"{workspace}/tree/course/index.ipynb", wait_until="domcontentloaded")
    pg.wait_for_selector(".jp-Notebook .jp-RenderedMarkdown h1", timeout=60_000)
    # JupyterLab renders a notebook's cells one after another: wait for the later ones, do not read once
    # (a read just after the title once saw only the first cell)
    pg.wait_for_selector(".jp-RenderedMarkdown h2:has-text('Module map')", state="attached", timeout=60_000)
    pg.wait_for_selector(".jp-RenderedMarkdown:has-text('客户分级与客户价值')", state="attached", timeout=60_000)
    link = pg.locator(".jp-RenderedMarkdown a", has_text="The 80/20 rule and ABC analysis")
    link.first.wait_for(state="attached", timeout=60_000)
    assert all("01_pareto_and_abc.ipynb" in (a.get_attribute("href") or "") for a in link.all())
    screenshot(pg, "lab-home")


def test_lesson_widget_renders_and_reacts(page, lab):
    pg, workspace = page
    pg.goto(f"{workspace}/tree/course/modules/m3_customer_grading/01_pareto_and_abc.ipynb",
            wait_until="domcontentloaded")
    pg.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    slider = pg.locator(".widget-slider").first
    # retried (a Run All issued while the kernel is still starting can be dropped); attached, not visible: on a
    # narrow window (900 px) JupyterLab folds the toolbar item away
    run_all_until(pg, slider, state="attached")
    explorer = pg.locator(".jp-OutputArea-output").filter(has=pg.locator(".widget-slider")).first
    explorer.scroll_into_view_if_needed()
    table = explorer.locator("table").filter(has_text="share of customers").first
    before = table.inner_text()
    handle = explorer.locator(".widget-slider .noUi-handle").first
    handle.focus()
    for _ in range(5):
        handle.press("ArrowLeft")
    pg.wait_for_function("([el, old]) => el.innerText !== old", arg=[table.element_handle(), before],
                         timeout=30_000)
    assert table.inner_text() != before, "moving the A cut-off slider should update the summary"
    screenshot(pg, "lab-widget")


def test_explorer_change_is_in_view_at_900px(page, lab):
    """Issue 14: at 900 px the chart sat below the sliders and the table, so moving a slider showed nothing."""
    pg, workspace = page
    pg.set_viewport_size({"width": 900, "height": 900})
    pg.goto(f"{workspace}/tree/course/modules/m3_customer_grading/01_pareto_and_abc.ipynb",
            wait_until="domcontentloaded")
    slider = pg.locator(".widget-slider").first
    run_all_until(pg, slider, state="attached")
    explorer = pg.locator(".jp-OutputArea-output").filter(has=pg.locator(".widget-slider")).first
    handle = explorer.locator(".widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    chart = explorer.locator("img").first
    chart.wait_for(state="visible", timeout=30_000)
    box, slider_box = chart.bounding_box(), handle.bounding_box()
    assert box["y"] > slider_box["y"], "the chart comes after the sliders"
    assert box["y"] < 900 - 100, f"the chart starts below the fold at 900 px (top at {box['y']:.0f} px)"
    line = explorer.locator(".widget-html").filter(has_text="customers (").first
    before_line, before_chart = line.inner_text(), chart.get_attribute("src")
    handle.focus()
    for _ in range(10):
        handle.press("ArrowLeft")
    pg.wait_for_function("([el, old]) => el.innerText !== old", arg=[line.element_handle(), before_line],
                         timeout=30_000)
    pg.wait_for_function("([el, old]) => el.getAttribute('src') !== old", arg=[chart.element_handle(),
                                                                                 before_chart], timeout=30_000)
    headers = explorer.locator("th").all_inner_texts()
    assert headers[:3] == ["class", "customers", "share of customers"]
    screenshot(pg, "m3-explorer-900px")
