"""The quiz widgets in a real browser: JupyterLab and Voila, headless Debian Chromium (Playwright).

One small notebook shows an item of every kind and an answer box.  In each server the test answers
every item like a student (radio, check boxes, bucket menus, ladder buttons, number box, text area),
clicks Check and waits for the feedback to say "right"; in the answer box it picks buckets and waits
for the line to paste.  Screenshots go to build/screenshots/.  See /work/shared/notes/browser-testing.md.
"""
from __future__ import annotations

import re
import shutil
import signal
import time
from pathlib import Path

import nbformat
import pytest

from browser_support import (
    KERNEL_IDLE,
    chromium,
    click_run_all,
    jupyter_env,
    lab,
    local_context,
    screenshot,
    voila,
    write_notebook,
)
from salescoach import quiz
from salescoach.quiz.widgets import display_order

from .conftest import DEMO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BANK = quiz.load_items(DEMO)
CELLS = [
    "from salescoach import quiz\nbank = quiz.load_items('demo_quiz.yml')",
    *[f"quiz.show(bank[{item.id!r}])" for item in BANK],
    "quiz.answer_box(bank['place-scenarios'], variable='q3')",
]


@pytest.fixture(scope="module")
def notebook_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("quiz-browser")
    shutil.copy(DEMO, folder / "demo_quiz.yml")
    write_notebook(folder / "quiz_demo.ipynb", [nbformat.v4.new_markdown_cell("# Quiz widgets"), *CELLS])
    return folder


@pytest.fixture(scope="module")
def servers(notebook_dir: Path, tmp_path_factory):
    """JupyterLab and Voila on the notebook, started one after the other (each ~2-5 s)."""
    home = tmp_path_factory.mktemp("quiz-servers")
    env = jupyter_env(home)
    # Jupyter servers shut down cleanly on SIGTERM, without a prompt
    with lab(notebook_dir, env, home / "lab.log", stop_signal=signal.SIGTERM) as lab_url, \
            voila(notebook_dir / "quiz_demo.ipynb", env, home / "voila.log", stop_signal=signal.SIGTERM) as voila_url:
        yield {"lab": lab_url, "voila": voila_url}


@pytest.fixture(scope="module")
def browser(servers):
    with chromium() as b:
        yield b


def _page(browser, base: str):
    context = local_context(browser, base, viewport={"width": 1300, "height": 1000})
    return context, context.new_page()


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
        screenshot(box, f"{shots}-{item.kind}")
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
    screenshot(box, f"{shots}-answer-box")


def _started(page) -> bool:
    """Whether any cell has run or is running (its prompt shows [*] or a number)."""
    return page.evaluate("""() => [...document.querySelectorAll('.jp-InputPrompt')]
                             .some(p => /\\[(\\*|\\d+)\\]/.test(p.innerText))""")


def _run_all(page) -> None:
    """Run every cell until the last widget is there.  A Run All issued while the kernel connects can be
    dropped, or answered with a "Select Kernel" dialog (accepted: it offers Python 3): both are handled."""
    page.wait_for_selector(KERNEL_IDLE, timeout=90_000)
    deadline, last_run = time.time() + 120, 0.0
    while time.time() < deadline:
        if page.locator(".sc-quiz-answer-box").count():
            return
        dialog = page.locator(".jp-Dialog")
        if dialog.count():
            dialog.locator(".jp-mod-accept").first.click()
            last_run = time.time()
        elif time.time() - last_run > (60 if _started(page) else 8):
            click_run_all(page)
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
        screenshot(page, "quiz-jupyterlab")
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
        screenshot(page, "quiz-voila")
    finally:
        context.close()
