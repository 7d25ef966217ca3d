"""The quiz widgets in a real browser: JupyterLab and Voila, headless Debian Chromium (Playwright).

One small notebook shows an item of every kind and an answer box.  In each server the test answers
every item like a student (radio, check boxes, bucket menus, ladder buttons, number box, text area),
clicks Check and waits for the feedback to say "right"; in the answer box it picks buckets and waits
for the line to paste.  Screenshots go to build/screenshots/.  See /work/shared/notes/browser-testing.md.
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

from salescoach import quiz
from salescoach.quiz.widgets import display_order

from .conftest import DEMO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BANK = quiz.load_items(DEMO)
CELLS = [
    "from salescoach import quiz\nbank = quiz.load_items('demo_quiz.yml')",
    *[f"quiz.show(bank[{item.id!r}])" for item in BANK],
    "quiz.answer_box(bank['place-scenarios'], variable='q3')",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def notebook_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("quiz-browser")
    shutil.copy(DEMO, folder / "demo_quiz.yml")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Quiz widgets")] +
                                  [nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "quiz_demo.ipynb")
    return folder


def _start(argv: list[str], cwd: Path, port: int, home: Path, name: str):
    env = dict(os.environ)
    for key in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        (home / key).mkdir(exist_ok=True)
        env[key] = str(home / key)
    log = open(home / f"{name}.log", "w")
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, log
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.3)
    _stop(proc, log)
    pytest.fail(f"{name} did not start: {(home / f'{name}.log').read_text()[-3000:]}")


def _stop(proc: subprocess.Popen, log) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # Jupyter servers shut down cleanly on SIGTERM, without a prompt
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
    log.close()


@pytest.fixture(scope="module")
def servers(notebook_dir: Path, tmp_path_factory):
    """JupyterLab and Voila on the notebook, started side by side (each ~2-5 s)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make test` (it installs it) or apt-get install chromium")
    bindir = Path(sys.executable).parent
    home = tmp_path_factory.mktemp("quiz-servers")
    lab_port, voila_port = _free_port(), _free_port()
    lab_argv = [str(bindir / "jupyter"), "lab", "--no-browser", f"--port={lab_port}", "--ServerApp.ip=127.0.0.1",
                "--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={notebook_dir}",
                "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        lab_argv.append("--allow-root")
    voila_argv = [str(bindir / "voila"), "quiz_demo.ipynb", "--no-browser", f"--port={voila_port}",
                  "--Voila.ip=127.0.0.1"]
    lab = _start(lab_argv, notebook_dir, lab_port, home, "lab")
    try:
        voila = _start(voila_argv, notebook_dir, voila_port, home, "voila")
    except BaseException:
        _stop(*lab)
        raise
    yield {"lab": f"http://127.0.0.1:{lab_port}", "voila": f"http://127.0.0.1:{voila_port}"}
    _stop(*voila)
    _stop(*lab)


@pytest.fixture(scope="module")
def browser(servers):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _page(browser, base: str):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    return context, page


def _answer_every_kind(page, shots: str) -> None:
    """Answer each quiz like a student, click Check, wait for 'right'; a screenshot of each."""
    quizzes = page.locator(".sc-quiz")
    quizzes.nth(len(BANK) - 1).wait_for(state="visible", timeout=60_000)
    for n, item in enumerate(BANK):
        box = quizzes.nth(n)
        box.scroll_into_view_if_needed()
        if item.kind == "choice":
            box.locator(".widget-radio-box label", has_text=item.option(item.key()).text.en).click()
        elif item.kind == "multi":
            for o in item.options:
                if o.correct:
                    box.locator(".widget-checkbox", has_text=o.text.en).locator("input").check()
        elif item.kind == "categorise":
            names = {b.id: b.text.en for b in item.buckets}
            for i, e in enumerate(item.entries):
                box.locator("select").nth(i).select_option(label=names[e.bucket])
        elif item.kind == "order":
            order = display_order(item)
            for target, step in enumerate(item.key()):
                while order.index(step) > target:
                    at = order.index(step)
                    box.locator("button", has_text="▲").nth(at).click()
                    order[at - 1], order[at] = order[at], order[at - 1]
            texts = [s.text.en for s in item.steps]
            page.wait_for_function(  # the ladder is relabelled by the kernel
                "([el, want]) => el.innerText.indexOf(want[0]) < el.innerText.indexOf(want[want.length - 1])",
                arg=[box.element_handle(), texts], timeout=30_000)
        elif item.kind == "numeric":
            box.locator("input[type=text]").fill("62%")
        elif item.kind == "text":
            box.locator("textarea").fill("资源有限; our best customers would be under-served")
        box.locator(".sc-quiz-check").click()
        box.locator(".sc-quiz-verdict[data-correct='true']").wait_for(timeout=30_000)
        box.screenshot(path=str(SHOTS / f"{shots}-{item.kind}.png"))
    # a wrong answer shows red feedback with the why of the chosen option
    first = quizzes.nth(0)
    first.locator(".widget-radio-box label", has_text="Basic service").click()
    first.locator(".sc-quiz-check").click()
    first.locator(".sc-quiz-verdict[data-correct='false']").wait_for(timeout=30_000)
    assert "Fixing the error is what was asked for" in first.inner_text()


def _fill_answer_box(page, shots: str) -> None:
    box = page.locator(".sc-quiz-answer-box")
    box.scroll_into_view_if_needed()
    item = BANK["place-scenarios"]
    names = {b.id: b.text.en for b in item.buckets}
    for i, e in enumerate(item.entries[:2]):
        box.locator("select").nth(i).select_option(label=names[e.bucket])
    box.locator(".sc-quiz-line pre", has_text=re.compile(r'q3 = \{"s1": "basic", "s2": "satisfactory"\}')).wait_for(
        timeout=30_000)
    assert "answer complete" not in box.inner_text() and "2 not placed yet" in box.inner_text()
    box.screenshot(path=str(SHOTS / f"{shots}-answer-box.png"))


def _click_run_all(page) -> None:
    """Run > Run All Cells, with the notebook made the active panel first (see shared/notes)."""
    page.locator(".jp-Cell .jp-InputPrompt").first.click()
    page.get_by_role("menuitem", name="Run").click()
    item = page.locator(".lm-Menu-item:not(.lm-mod-disabled)").filter(
        has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")))
    item.first.click()


def _started(page) -> bool:
    """Whether any cell has run or is running (its prompt shows [*] or a number)."""
    return page.evaluate("""() => [...document.querySelectorAll('.jp-InputPrompt')]
                             .some(p => /\\[(\\*|\\d+)\\]/.test(p.innerText))""")


def _run_all(page) -> None:
    """Run every cell until the last widget is there.  A Run All issued while the kernel connects can be
    dropped, or answered with a "Select Kernel" dialog (accepted: it offers Python 3): both are handled."""
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    deadline, last_run = time.time() + 120, 0.0
    while time.time() < deadline:
        if page.locator(".sc-quiz-answer-box").count():
            return
        dialog = page.locator(".jp-Dialog")
        if dialog.count():
            dialog.locator(".jp-mod-accept").first.click()
            last_run = time.time()
        elif time.time() - last_run > (60 if _started(page) else 8):
            _click_run_all(page)
            last_run = time.time()
        page.wait_for_timeout(500)
    raise AssertionError("the notebook's widgets did not appear within 2 minutes of Run All")


def test_quiz_widgets_in_jupyterlab(browser, servers):
    context, page = _page(browser, servers["lab"])
    try:
        page.goto(f"{servers['lab']}/lab/workspaces/quiz/tree/quiz_demo.ipynb", wait_until="domcontentloaded")
        _run_all(page)
        md = page.locator(".jp-OutputArea .jp-RenderedMarkdown", has_text="Put each scenario on its service level")
        assert md.count() >= 1, "the question is displayed as Markdown before the widget"
        _answer_every_kind(page, "quiz-jupyterlab")
        _fill_answer_box(page, "quiz-jupyterlab")
        page.screenshot(path=str(SHOTS / "quiz-jupyterlab.png"))
    finally:
        context.close()


def test_quiz_widgets_in_voila(browser, servers):
    context, page = _page(browser, servers["voila"])
    try:
        page.goto(servers["voila"], wait_until="domcontentloaded")
        page.locator(".sc-quiz").first.wait_for(state="visible", timeout=90_000)
        assert page.locator(".jp-RenderedMarkdown", has_text="Order the four service levels").count() >= 1
        _answer_every_kind(page, "quiz-voila")
        _fill_answer_box(page, "quiz-voila")
        page.screenshot(path=str(SHOTS / "quiz-voila.png"))
    finally:
        context.close()
