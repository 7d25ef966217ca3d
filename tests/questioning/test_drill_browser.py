"""The questioning drill in a real browser: JupyterLab, headless Debian Chromium, two questions typed.

Opens a one-cell notebook that shows the drill, runs it, types two closed questions and a third, and sees
each question's type and a balance remark (too many closed questions early).
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make test` or apt-get install chromium")
    root = tmp_path_factory.mktemp("drill")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from salescoach.questioning.widgets import questioning_drill\nquestioning_drill('corner-shop')")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "drill.ipynb")
    env = dict(os.environ)
    for key in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        (root / key).mkdir()
        env[key] = str(root / key)
    port = _free_port()
    log = open(root / "lab.log", "w")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter-lab"), "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         "--ServerApp.token=", "--ServerApp.password=", "--allow-root", f"--ServerApp.root_dir={root}"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited: {(root / 'lab.log').read_text()}")
            time.sleep(0.3)
    else:
        pytest.fail("JupyterLab did not open its port in 60 s")
    yield f"http://127.0.0.1:{port}"
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


def test_drill_gives_type_feedback_and_a_balance_remark(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(lab) else route.abort())
        pg = context.new_page()
        pg.on("dialog", lambda dialog: dialog.accept())
        pg.goto(f"{lab}/lab/workspaces/drill/tree/drill.ipynb", wait_until="domcontentloaded")
        box = pg.locator(".jp-OutputArea input[type='text']").first
        for attempt in range(3):  # a Run All sent while the kernel still starts can be dropped: retry
            pg.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
            pg.locator(".jp-Cell .jp-InputPrompt").first.click()
            pg.get_by_role("menuitem", name="Run").click()
            item = pg.locator(".lm-Menu-item:not(.lm-mod-disabled)").filter(
                has=pg.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")))
            item.first.click()
            try:
                box.wait_for(state="visible", timeout=60_000)
                break
            except Exception:
                if attempt == 2:
                    raise
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
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SCREENSHOTS / "m5_drill.png"), full_page=True)
        browser.close()
