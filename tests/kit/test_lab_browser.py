"""The start command serves JupyterLab on the course home: checked in real headless Chromium.

Chromium is Debian's (`make test` installs it); Playwright drives it with
``executable_path`` because it cannot download its own browsers here.
"""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from browser_support import chromium, free_port, jupyter_env, local_context, screenshot, server
from conftest import KIT_PARTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def served_kit(kit_root: Path, tmp_path_factory) -> Path:
    """A copy of the kit for JupyterLab to serve: a browser session saves metadata into what it opens."""
    dst = tmp_path_factory.mktemp("served") / "kit"
    dst.mkdir()
    for part in KIT_PARTS:
        src = kit_root / part
        if src.is_dir():
            shutil.copytree(src, dst / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        else:
            shutil.copy2(src, dst / part)
    return dst


@pytest.fixture(scope="module")
def lab(served_kit: Path, tmp_path_factory):
    home = tmp_path_factory.mktemp("lab-home")
    port = free_port()
    salescoach = Path(sys.executable).parent / "salescoach"
    argv = [str(salescoach), "--root", str(served_kit), "lab", "--port", str(port), "--no-browser", "--",
            "--ServerApp.token=", "--ServerApp.password="]
    with server(argv, jupyter_env(home), port, home / "lab.log") as url:
        yield url, home / "lab.log"


@pytest.fixture(scope="module")
def browser(lab):
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, lab, request):
    """A fresh browser context per test; only requests to the local JupyterLab may leave the page."""
    url, _ = lab
    context = local_context(browser, url)
    pg = context.new_page()
    yield pg, f"{url}/lab/workspaces/{request.node.name[:40]}"  # a clean JupyterLab workspace per test
    context.close()


def test_start_command_opens_the_course_home(page, lab):
    pg, workspace = page
    pg.goto(f"{workspace}/tree/course/index.ipynb", wait_until="domcontentloaded")
    pg.wait_for_selector(".jp-Notebook .jp-RenderedMarkdown h1", timeout=60_000)
    text = pg.inner_text(".jp-Notebook")
    assert "Module map" in text and "客户分级与客户价值" in text
    link = pg.locator(".jp-RenderedMarkdown a", has_text="The 80/20 rule and ABC analysis").first
    assert link.count() == 1
    screenshot(pg, "lab-home")


def _run_all_cells(pg) -> None:
    """Run > Run All Cells, with the notebook made the active panel first (see shared/notes)."""
    # attached, not visible: on a narrow window (900 px) JupyterLab folds the toolbar item away
    pg.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", state="attached", timeout=90_000)
    pg.locator(".jp-Cell .jp-InputPrompt").first.click()
    pg.get_by_role("menuitem", name="Run").click()
    item = pg.locator(".lm-Menu-item:not(.lm-mod-disabled)").filter(
        has=pg.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")))
    item.first.wait_for(state="visible", timeout=30_000)
    item.first.click()


def test_lesson_widget_renders_and_reacts(page, lab):
    pg, workspace = page
    pg.goto(f"{workspace}/tree/course/modules/m3_customer_grading/01_pareto_and_abc.ipynb",
            wait_until="domcontentloaded")
    pg.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    slider = pg.locator(".widget-slider").first
    for attempt in range(3):  # a Run All issued while the kernel is still starting can be dropped: retry
        _run_all_cells(pg)
        try:
            slider.wait_for(state="attached", timeout=60_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
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
    for attempt in range(3):
        _run_all_cells(pg)
        try:
            slider.wait_for(state="attached", timeout=60_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
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
