"""`salescoach dashboard` serves the team dashboard with Voila: checked in real headless Chromium.

One Voila server for the module (started with the kit's own command, a fresh coaching log in a temporary
folder); every test opens its own page, so each gets a fresh kernel like a trainer reloading the page.
Screenshots are kept in build/screenshots/.
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
from urllib.parse import quote

import pandas as pd
import pytest

from salescoach.coaching.log import CoachingLog
from salescoach.datasets import path_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RENDER_TIMEOUT = 90_000  # ms: a page starts its own kernel, which takes seconds on a busy machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The dashboard served by `salescoach dashboard`, its coaching log, and its log file."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make test` (it installs it) or apt-get install chromium")
    home = tmp_path_factory.mktemp("dashboard-home")
    env = dict(os.environ)
    for key in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        (home / key).mkdir()
        env[key] = str(home / key)
    env.pop("SALESCOACH_TEAM_CSV", None)
    log_file = home / "coaching_log.sqlite"
    port = _free_port()
    out = open(home / "voila.log", "w")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "salescoach"), "--root", str(ROOT), "dashboard", "--no-browser",
         "--port", str(port), "--log", str(log_file)],
        env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"the dashboard exited: {(home / 'voila.log').read_text()}")
            time.sleep(0.3)
    else:
        pytest.fail("the dashboard did not open its port in 60 s")
    yield f"http://127.0.0.1:{port}", log_file, home
    os.killpg(proc.pid, signal.SIGTERM)  # Voila shuts its kernels down on SIGTERM
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    out.close()


@pytest.fixture(scope="module")
def browser(served):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, served):
    """A fresh browser context; only requests to the local server may leave the page (Voila asks a CDN)."""
    url = served[0]
    context = browser.new_context(viewport={"width": 1400, "height": 3000})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url) else route.abort())
    pg = context.new_page()
    yield pg
    context.close()


def _open(pg, url: str) -> None:
    pg.goto(url, wait_until="domcontentloaded")
    pg.wait_for_selector(".sc-kpi-table, .sc-message", timeout=RENDER_TIMEOUT)


def _shot(pg, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / name))


def _select_rep(pg, label: str) -> None:
    rep = pg.locator(".widget-dropdown", has=pg.locator("label", has_text=re.compile(r"^rep$"))).locator("select")
    rep.select_option(label=label)
    name = label.split(" (")[0]
    pg.wait_for_selector(f".sc-profile h4:has-text('{name}')", timeout=30_000)
    pg.wait_for_selector(f"h4:has-text('Coaching log: {name}')", timeout=30_000)


def test_dashboard_renders(page, served):
    _open(page, served[0])
    rows = page.locator(".sc-kpi-table tr[data-rep]")
    assert rows.count() == 14
    table = page.inner_text(".sc-kpi-table")
    assert "Joe Martin" in table and "bottom 25%" in table and "153.9%" in table
    body = page.inner_text("body")
    for heading in ("Team KPIs", "Quartiles on the balanced scorecard", "One rep", "Retention what-if"):
        assert heading in body
    assert page.locator(".widget-image img, img.widget-image").count() >= 3  # quartiles, trend, retention
    assert "Traceback" not in body
    _shot(page, "dashboard.png")


def test_a_coaching_session_is_stored_and_listed_after_a_reload(page, served):
    url, log_file, _ = served
    _open(page, url)
    _select_rep(page, "Arlene Summers (R02)")
    assert "top 25%" in page.inner_text(".sc-profile")
    page.fill("input[placeholder='e.g. prospecting calls']", "asking for referrals")
    page.fill("textarea[placeholder='what went well, what to improve']", "Warm opening; ask earlier.")
    page.fill("input[placeholder=\"the rep's next action (optional)\"]", "Ask three customers for a referral")
    page.get_by_role("button", name="Add session").click()
    page.wait_for_selector(".sc-ok:has-text('Session added')", timeout=30_000)
    _shot(page, "dashboard_session_added.png")

    with CoachingLog(log_file, create=False) as book:  # what the form wrote, read back from the database
        sessions = book.sessions(rep="Arlene Summers")
        actions = book.actions(rep="Arlene Summers")
    assert sessions["skill"].tolist() == ["asking for referrals"]
    assert sessions["notes"].tolist() == ["Warm opening; ask earlier."]
    assert actions["text"].tolist() == ["Ask three customers for a referral"] and not actions["done"].any()

    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector(".sc-kpi-table", timeout=RENDER_TIMEOUT)
    _select_rep(page, "Arlene Summers (R02)")
    listing = page.locator("table.sc-sessions")
    listing.wait_for(timeout=30_000)
    assert "asking for referrals" in listing.inner_text() and "open" in listing.inner_text()

    page.get_by_role("button", name="Mark action done").click()
    page.wait_for_selector(".sc-ok:has-text('Action done')", timeout=30_000)
    with CoachingLog(log_file, create=False) as book:
        assert book.actions(rep="Arlene Summers")["done"].tolist() == [True]
    assert "done" in page.locator("table.sc-sessions").inner_text()
    _shot(page, "dashboard_after_reload.png")


def test_a_bad_team_file_gets_a_message_not_a_traceback(page, served, tmp_path):
    bad = pd.read_csv(path_of("team"))
    bad.loc[6, "customers_lost"] = bad.loc[6, "customers_start"] + 5
    broken = tmp_path / "my team.csv"
    bad.to_csv(broken, index=False)
    _open(page, f"{served[0]}/?team={quote(str(broken))}")
    message = page.locator(".sc-message").inner_text()
    assert "The team file cannot be used" in message
    assert "customers_lost" in message and "rows 6" in message and "Fix:" in message
    body = page.inner_text("body")
    assert "Traceback" not in body and "There was an error" not in body
    assert page.locator(".sc-kpi-table").count() == 0
    _shot(page, "dashboard_bad_file.png")
