"""A JupyterHub classroom end to end, in a real browser: a trainer and two students on a real hub.

The trainer releases the M3 exercise; alice and bob log in through the hub, fetch it from the Assignment
List, answer (alice everything, bob one question, typed in the notebook) and submit; the trainer collects
and grades with ``salescoach grade``. Each student's Lab has no Formgrader; the trainer's has.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from browser_support import chromium, free_port, local_context, screenshot, server
from salescoach.kit.classroom import Classroom, hub_argv, prepare
from salescoach.kit.manifest import load_course
from salescoach.kit.nbgrader import fill_submission, scores, solution_sources
from salescoach.notebooks import read

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ASSIGNMENT = "m3_customer_grading"


@pytest.fixture(scope="module")
def hub(kit_root: Path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("classroom")
    room = Classroom(hub_dir=folder, students=["alice", "bob"], port=free_port(), hub_port=free_port(),
                     proxy_api_port=free_port(), api_token="test-" + os.urandom(16).hex())
    settings = prepare(kit_root, room)
    argv, env = hub_argv(kit_root, settings)
    with server(argv, env, room.port, folder / "logs" / "hub.log", cwd=folder) as url:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{url}/hub/health", timeout=5).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        yield url, room


def _as(room: Classroom, user: str) -> dict[str, str]:
    """The environment of ``user``'s own commands (what their server's terminal would have)."""
    home = room.hub_dir / "homes" / user
    env = dict(os.environ, HOME=str(home), USER=user, JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
               SALESCOACH_EXCHANGE=str(room.hub_dir / "exchange"))
    env.pop("JUPYTERHUB_USER", None)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env["PATH"]])
    return env


def _login(browser, url: str, user: str, password: str):
    context = local_context(browser, url)
    pg = context.new_page()
    pg.goto(f"{url}/hub/login", wait_until="domcontentloaded")
    pg.fill("#username_input", user)
    pg.fill("#password_input", password)
    pg.click("#login_submit")
    pg.wait_for_url(f"**/user/{user}/lab**", timeout=120_000)
    pg.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").first.wait_for(timeout=120_000)
    return context, pg


def _assignment_list(pg):
    pg.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").first.click()
    pg.locator(".lm-Menu-itemLabel", has_text="Assignment List").first.click()


def _student_round(browser, url: str, room: Classroom, user: str, kit_root: Path, everything: bool) -> None:
    context, pg = _login(browser, url, user, room.student_password)
    try:
        labels = [t.lower() for t in pg.locator(".lm-Menu-itemLabel, .lm-MenuBar-itemLabel").all_inner_texts()]
        assert not any("formgrader" in t for t in labels)
        _assignment_list(pg)
        released = pg.locator("#released_assignments_list .list_item", has_text=ASSIGNMENT).first
        released.wait_for(timeout=60_000)
        released.get_by_role("button", name="Fetch").click()
        fetched = pg.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT).first
        fetched.wait_for(timeout=60_000)
        exercise = load_course(kit_root).module_of(ASSIGNMENT).exercises[0]
        path = f"{ASSIGNMENT}/{exercise.notebook}"
        source = read(exercise.source(kit_root))
        if everything:  # the whole notebook answered, saved through the server's contents API from the page
            student = read(room.hub_dir / "homes" / user / path)
            body = json.dumps({"type": "notebook", "format": "json", "content": fill_submission(student, source)})
            status = pg.evaluate("""async ([url, body]) => {
                const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || "";
                const r = await fetch(url, {method: "PUT", body, headers: {"X-XSRFToken": decodeURIComponent(xsrf),
                                        "Content-Type": "application/json"}});
                return r.status; }""", [f"{url}/user/{user}/api/contents/{path}", body])
            assert status == 200
        else:  # one answer typed into its cell in the notebook editor, then saved
            first_id, answer = next(iter(solution_sources(source).items()))
            pg.goto(f"{url}/user/{user}/lab/tree/{path}", wait_until="domcontentloaded")
            pg.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
            cell = pg.locator(".jp-CodeCell", has_text="NotImplementedError").first
            cell.locator(".cm-content").click()
            pg.keyboard.press("Control+a")
            pg.keyboard.insert_text(answer)
            pg.keyboard.press("Control+s")
            pg.wait_for_timeout(1500)
            saved = read(room.hub_dir / "homes" / user / path)
            assert any(c.metadata.get("nbgrader", {}).get("grade_id") == first_id and answer.strip() in c.source
                       for c in saved.cells), "the typed answer was not saved"
            _assignment_list(pg)
            fetched = pg.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT).first
        fetched.get_by_role("button", name="Submit").click()
        pg.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT).first.wait_for(timeout=60_000)
        screenshot(pg, f"hub-{user}-submitted")
    finally:
        context.close()


def test_release_fetch_answer_submit_collect_grade(hub, kit_root: Path):
    url, room = hub
    course = room.hub_dir / "homes" / room.trainer / "course"
    trainer = _as(room, room.trainer)
    proc = subprocess.run(["nbgrader", "release_assignment", ASSIGNMENT], cwd=course, env=trainer,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with chromium() as browser:
        _student_round(browser, url, room, "alice", kit_root, everything=True)
        _student_round(browser, url, room, "bob", kit_root, everything=False)
        context, pg = _login(browser, url, room.trainer, room.trainer_password)
        pg.goto(f"{url}/user/{room.trainer}/formgrader", wait_until="domcontentloaded")
        pg.locator("td", has_text=ASSIGNMENT).first.wait_for(timeout=60_000)
        screenshot(pg, "hub-trainer-formgrader")
        context.close()
    proc = subprocess.run(["nbgrader", "collect", ASSIGNMENT], cwd=course, env=trainer, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    salescoach = Path(sys.executable).parent / "salescoach"
    proc = subprocess.run([str(salescoach), "grade", "autograde", ASSIGNMENT, "--course", str(course), "-j", "2",
                           "-q"], cwd=course, env=dict(trainer, SALESCOACH_ROOT=str(course)),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    by_student = {s.student: s for s in scores(course, ASSIGNMENT)}
    assert set(by_student) == {"alice", "bob"}
    assert by_student["alice"].full_auto_marks, by_student["alice"].failed_cells
    assert 0 < by_student["bob"].auto_score < by_student["alice"].auto_score
