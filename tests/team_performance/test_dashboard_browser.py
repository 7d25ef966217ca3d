"""`salescoach dashboard` serves the team dashboard with Voila: checked in real headless Chromium.

One Voila server for the module (started with the kit's own command, a fresh coaching log in a temporary
folder); every test opens its own page, so each gets a fresh kernel like a trainer reloading the page.
Screenshots are kept in build/screenshots/.
"""
from __future__ import annotations

import re
import signal
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest

from browser_support import BIN, chromium, free_port, jupyter_env, local_context, screenshot, server
from salescoach.coaching.log import CoachingLog
from salescoach.datasets import path_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
RENDER_TIMEOUT = 90_000  # ms: a page starts its own kernel, which takes seconds on a busy machine


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The dashboard served by `salescoach dashboard`, its coaching log, and its log file."""
    home = tmp_path_factory.mktemp("dashboard-home")
    env = jupyter_env(home)
    env.pop("SALESCOACH_TEAM_CSV", None)
    log_file = home / "coaching_log.sqlite"
    port = free_port()
    argv = [str(BIN / "salescoach"), "--root", str(ROOT), "dashboard", "--no-browser", "--port", str(port),
            "--log", str(log_file)]
    # Voila shuts its kernels down on SIGTERM
    with server(argv, env, port, home / "voila.log", stop_signal=signal.SIGTERM) as url:
        yield url, log_file, home


@pytest.fixture(scope="module")
def browser(served):
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, served):
    """A fresh browser context; only requests to the local server may leave the page (Voila asks a CDN)."""
    context = local_context(browser, served[0], viewport={"width": 1400, "height": 3000})
    pg = context.new_page()
    yield pg
    context.close()


def _open(pg, url: str) -> None:
    pg.goto(url, wait_until="domcontentloaded")
    pg.wait_for_selector(".sc-kpi-table, .sc-message", timeout=RENDER_TIMEOUT)


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
    screenshot(page, "dashboard")


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
    screenshot(page, "dashboard_session_added")

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
    screenshot(page, "dashboard_after_reload")


def test_a_bad_team_file_gets_a_message_not_a_traceback(page, served, tmp_path):
    bad = pd.read_csv(path_of("team"))
    bad.loc[6, "customers_lost"] = bad.loc[6, "customers_start"] + 5
    folder = ROOT / "build" / "test-team-files"  # a page may only choose files inside the kit's folder
    folder.mkdir(parents=True, exist_ok=True)
    broken = folder / f"my team {tmp_path.name}.csv"
    bad.to_csv(broken, index=False)
    _open(page, f"{served[0]}/?team={quote(str(broken))}")
    message = page.locator(".sc-message").inner_text()
    assert "The team file cannot be used" in message
    assert "customers_lost" in message and "rows 6" in message and "Fix:" in message
    body = page.inner_text("body")
    assert "Traceback" not in body and "There was an error" not in body
    assert page.locator(".sc-kpi-table").count() == 0
    screenshot(page, "dashboard_bad_file")


def test_a_page_cannot_read_files_outside_the_kit(page, served):
    _open(page, f"{served[0]}/?team={quote('/etc/passwd')}")
    message = page.locator(".sc-message").inner_text()
    assert "not served here" in message and "root:" not in page.inner_text("body")
    assert page.locator(".sc-kpi-table").count() == 0
