"""A trainer's first day, in a real browser: ``salescoach lab`` on a fresh copy of the kit.

Formgrader works on its very first open (also when the environment's ``bin/`` is not on ``PATH``), the
exchange is set up so Release, the students' Assignment List (Fetch, Submit) and Collect work without an
error, and opening and closing a notebook leaves it unmodified.
"""
from __future__ import annotations

import re
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from browser_support import chromium, free_port, jupyter_env, local_context, screenshot, server
from conftest import KIT_PARTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ASSIGNMENT = "m3_customer_grading"


@pytest.fixture(scope="module")
def fresh_kit(kit_root: Path, tmp_path_factory) -> Path:
    """What a fresh clone holds: no gradebook, no exchange folder."""
    dst = tmp_path_factory.mktemp("trainer") / "kit"
    dst.mkdir()
    for part in KIT_PARTS:
        src = kit_root / part
        if src.is_dir():
            shutil.copytree(src, dst / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        else:
            shutil.copy2(src, dst / part)
    assert not (dst / "gradebook.db").exists() and not (dst / "exchange").exists()
    return dst


@pytest.fixture(scope="module")
def lab(fresh_kit: Path, tmp_path_factory):
    home = tmp_path_factory.mktemp("trainer-home")
    port = free_port()
    salescoach = Path(sys.executable).parent / "salescoach"
    # the environment's bin/ is NOT on PATH, as for a Lab started from a desktop shortcut or an IDE
    env = jupyter_env(home, path="/usr/bin:/bin")
    env.pop("SALESCOACH_EXCHANGE", None)
    argv = [str(salescoach), "--root", str(fresh_kit), "lab", "--port", str(port), "--no-browser", "--",
            "--ServerApp.token=", "--ServerApp.password="]
    with server(argv, env, port, home / "lab.log") as url:
        yield url, home / "lab.log"


@pytest.fixture(scope="module")
def browser(lab):
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, lab, request):
    url, _ = lab
    context = local_context(browser, url)
    pg = context.new_page()
    yield pg, f"{url}/lab/workspaces/{request.node.name[:40]}"
    context.close()


def _assignment_row(pg):
    return pg.locator("tr").filter(has=pg.locator("td", has_text=re.compile(f"^{ASSIGNMENT}$")))


def test_formgrader_works_on_first_open(page, lab, fresh_kit):
    pg, _ = page
    url, log = lab
    pg.goto(f"{url}/formgrader", wait_until="domcontentloaded")
    _assignment_row(pg).first.wait_for(timeout=60_000)
    assert pg.locator("text=Loading, please wait").count() == 0
    assert pg.locator("#warning-exchange").count() == 0, "the exchange must be set up"
    screenshot(pg, "formgrader-first-open")
    with sqlite3.connect(fresh_kit / "gradebook.db") as db:  # created with its migrations stamped
        assert db.execute("select count(*) from alembic_version").fetchone()[0] == 1
    assert "FileNotFoundError" not in log.read_text(errors="replace")


def test_release_fetch_submit_collect(page, lab, fresh_kit):
    pg, workspace = page
    url, _ = lab
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if "Error fetching" in m.text else None)
    # Release, in Formgrader
    pg.goto(f"{url}/formgrader/manage_assignments", wait_until="domcontentloaded")
    row = _assignment_row(pg).first
    row.wait_for(timeout=60_000)
    row.locator(".release a").first.click()
    row.locator(".status", has_text="released").wait_for(timeout=60_000)
    assert (fresh_kit / "exchange" / "salescoach" / "outbound" / ASSIGNMENT).is_dir()
    # Fetch and submit, in the Assignment List a student uses
    pg.goto(f"{workspace}", wait_until="domcontentloaded")
    pg.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").first.click(timeout=90_000)
    pg.locator(".lm-Menu-itemLabel", has_text="Assignment List").first.click()
    released = pg.locator("#released_assignments_list .list_item", has_text=ASSIGNMENT).first
    released.wait_for(timeout=60_000)
    released.get_by_role("button", name="Fetch").click()
    fetched = pg.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT).first
    fetched.wait_for(timeout=60_000)
    fetched.get_by_role("button", name="Submit").click()
    pg.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT).first.wait_for(timeout=60_000)
    assert pg.locator("text=Error fetching courses").count() == 0 and not errors
    screenshot(pg, "assignment-list")
    # Collect, in Formgrader
    pg.goto(f"{url}/formgrader/manage_assignments", wait_until="domcontentloaded")
    row = _assignment_row(pg).first
    row.wait_for(timeout=60_000)
    row.locator(".collect a").first.click()
    row.locator(".num-submissions a", has_text="1").wait_for(timeout=60_000)
    assert list((fresh_kit / "submitted").glob(f"*/{ASSIGNMENT}/*.ipynb"))


def test_opening_and_closing_a_notebook_leaves_it_unmodified(page, fresh_kit):
    pg, workspace = page
    lesson = "course/modules/m3b_lifetime_value/01_value_analysis.ipynb"
    before = (fresh_kit / lesson).read_bytes()
    pg.goto(f"{workspace}/tree/{lesson}", wait_until="domcontentloaded")
    pg.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    tab = pg.locator(".lm-TabBar-tab", has_text=Path(lesson).name).first
    # the kernel's info reply reaches the notebook model a few seconds after the kernel is idle: watch for 10 s
    for _ in range(20):
        assert "jp-mod-dirty" not in (tab.get_attribute("class") or ""), "opening marked the notebook modified"
        pg.wait_for_timeout(500)
    tab.locator(".lm-TabBar-tabCloseIcon").click()
    pg.wait_for_timeout(1000)
    assert pg.locator(".jp-Dialog").count() == 0, "closing asked to save changes"
    assert (fresh_kit / lesson).read_bytes() == before
