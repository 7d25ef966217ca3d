"""The M1 and M2 widgets in a real browser: Voila renders them in headless Chromium and they react to clicks
and keys (the walk-through's choice buttons, the work-platform explorer's capacity slider).

Chromium is Debian's (`make test` installs it); Playwright drives it with ``executable_path``. Screenshots go
to build/screenshots/.
"""
from __future__ import annotations

import os
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
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"

NOTEBOOK = [
    "from salescoach.service_levels import widgets\nwidgets.complaint_walkthrough(lang='en')",
    "from salescoach.customer_grading.analysis import abc_classes\nfrom salescoach.datasets import load\n"
    "from salescoach.platforms import widgets as pw\nt = load('territory').set_index('customer_id')\n"
    "pw.work_platform_explorer(t['revenue_12m'], abc_classes(t['revenue_12m']), n_draws=100)",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def voila(kit_root: Path, tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make test` (it installs it) or apt-get install chromium")
    home = tmp_path_factory.mktemp("voila-home")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(src) for src in NOTEBOOK]
    nbformat.write(nb, home / "widgets.ipynb")
    env = dict(os.environ, SALESCOACH_ROOT=str(kit_root))
    for key in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        (home / key).mkdir()
        env[key] = str(home / key)
    port = _free_port()
    log = open(home / "voila.log", "w")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "voila"), str(home / "widgets.ipynb"), "--no-browser",
                             f"--port={port}", "--Voila.ip=127.0.0.1"],
                            cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"Voila exited: {(home / 'voila.log').read_text()}")
            time.sleep(0.3)
    else:
        pytest.fail("Voila did not open its port in 60 s")
    yield f"http://127.0.0.1:{port}"
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


def test_walkthrough_and_explorer_react_in_the_browser(voila):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1300, "height": 1800})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(voila)
                      else route.abort())
        pg = context.new_page()
        pg.goto(voila, wait_until="domcontentloaded")
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
        pg.screenshot(path=str(SHOTS / "m1m2_widgets.png"), full_page=True)
        browser.close()
