"""A trainer's first day, in a real browser: ``salescoach lab`` on a fresh copy of the kit.

Formgrader works on its very first open (also when the environment's ``bin/`` is not on ``PATH``), the
exchange is set up so Release, the students' Assignment List (Fetch, Submit) and Collect work without an
error, and opening and closing a notebook leaves it unmodified.
"""
from __future__ import annotations

import contextlib
import re
import sqlite3
from pathlib import Path

import pytest

from browser_support import jupyter_env, kit_lab, screenshot
from conftest import copy_kit

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ASSIGNMENT = "m3_customer_grading"


@pytest.fixture(scope="module")
def fresh_kit(tmp_path_factory) -> Path:
    """What a fresh clone holds: no gradebook, no exchange folder."""
    dst = copy_kit(tmp_path_factory.mktemp("trainer") / "kit")
    assert not (dst / "gradebook.db").exists() and not (dst / "exchange").exists()
    return dst


@pytest.fixture(scope="module")
def lab(fresh_kit: Path, tmp_path_factory):
    home = tmp_path_factory.mktemp("trainer-home")
    # the environment's bin/ is NOT on PATH, as for a Lab started from a desktop shortcut or an IDE
    env = jupyter_env(home, path="/usr/bin:/bin")
    env.pop("SALESCOACH_EXCHANGE", None)
    with kit_lab(fresh_kit, env, home / "lab.log") as url:
        yield url, home / "lab.log"


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


def _open_and_watch(pg, workspace: str, lesson: str) -> bool:
    """Open ``lesson`` and watch its tab for 10 s once the kernel is idle; True if it is unmodified at the end.

    A mark that comes and goes while the notebook is still initialising (seen in CI: the tab marked modified
    with "No Kernel | Initializing" in the status bar, clean a moment later, no save asked on closing) is not
    a change; a real difference between the file and what the kernel writes stays marked.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    pg.goto(f"{workspace}/tree/{lesson}", wait_until="domcontentloaded")
    pg.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    with contextlib.suppress(PlaywrightTimeout):  # best effort: the status bar leaves "Initializing"
        pg.wait_for_function("() => !document.body.innerText.includes('Initializing')", timeout=60_000)
    tab = pg.locator(".lm-TabBar-tab", has_text=Path(lesson).name).first
    # the kernel's info reply reaches the notebook model a few seconds after the kernel is idle: watch for 10 s,
    # and 10 s more after a mark, to tell a passing mark from one that stays
    seen, rounds = False, 20
    while rounds:
        dirty = "jp-mod-dirty" in (tab.get_attribute("class") or "")
        if dirty and not seen:
            seen, rounds = True, rounds + 20
        rounds -= 1
        pg.wait_for_timeout(500)
    return "jp-mod-dirty" not in (tab.get_attribute("class") or "")


def test_opening_and_closing_a_notebook_leaves_it_unmodified(page, fresh_kit):
    pg, workspace = page
    lesson = "course/modules/m3b_lifetime_value/01_value_analysis.ipynb"
    before = (fresh_kit / lesson).read_bytes()
    if not _open_and_watch(pg, workspace, lesson):
        # Marked modified after loading settled (not seen since the watch ignores a passing mark). Keep the
        # evidence, leave without saving (the file must be untouched), and open it once more in a fresh page:
        # a notebook that really differs from what the kernel writes is marked again and fails below.
        screenshot(pg, "lab_notebook_marked_modified_on_first_open")
        pg.locator(".lm-TabBar-tab", has_text=Path(lesson).name).first.locator(".lm-TabBar-tabCloseIcon").click()
        pg.locator(".jp-Dialog button", has_text=re.compile("Discard|Don't Save")).first.click(timeout=10_000)
        pg.wait_for_timeout(1000)
        assert (fresh_kit / lesson).read_bytes() == before, "the notebook was written without being saved"
        assert _open_and_watch(pg, f"{workspace}-again", lesson), "opening marked the notebook modified (twice)"
    tab = pg.locator(".lm-TabBar-tab", has_text=Path(lesson).name).first
    tab.locator(".lm-TabBar-tabCloseIcon").click()
    pg.wait_for_timeout(1000)
    assert pg.locator(".jp-Dialog").count() == 0, "closing asked to save changes"
    assert (fresh_kit / lesson).read_bytes() == before
