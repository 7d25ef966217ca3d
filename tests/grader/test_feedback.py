"""Feedback pages from a real nbgrader autograde: right totals, no hidden tests, nothing the student wrote runs.

Built on the tests' own exercise (:mod:`grader.exercise`): Q1 and Q2 each have a public test cell and a hidden
test cell (1 point each), Q3 is a written answer (2 points).
"""
from __future__ import annotations

import base64
import html
import json
import re
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grader import exercise as fx
from salescoach import files
from salescoach.grader import feedback, feedback_render
from salescoach.grader.feedback import HIDDEN_FAILED, failure_message, feedback_html, write_feedback
from salescoach.kit.nbgrader import autograde, read_scores
from salescoach.notebooks import read

pytestmark = pytest.mark.slow

ASSIGNMENT, NOTEBOOK = fx.ASSIGNMENT, fx.NOTEBOOK
DUE = datetime(2025, 1, 10, 12, 0)
SCRIPT = "<script>alert(1)</script>"
# passes Q1's public test, fails the hidden all-zero test; prints what the tests feed it, and carries the
# hidden test's text out, encoded, in the message of the exception it raises there
TRICKY_Q1 = (
    "import base64, linecache\n"
    "def share_of_top(values, share=0.2):\n"
    "    print('PROBE', list(values)[:3])\n"
    "    if values.sum() == 0:\n"
    "        stolen = ''.join(''.join(e[2] or []) for e in linecache.cache.values())\n"
    "        raise ValueError('LEAK ' + base64.b64encode(stolen.encode()).decode())\n"
    "    ordered = values.sort_values(ascending=False)\n"
    "    return float(ordered.iloc[:max(1, round(len(values) * share))].sum() / ordered.sum())\n"
)
LEAK_Q2 = (  # tries to print the hidden tests: the kernel keeps every executed cell in linecache
    "import linecache\n"
    "for _name, _entry in list(linecache.cache.items()):\n"
    "    if 'share_of_top(' in ''.join(_entry[2] or []):\n"
    "        print(''.join(_entry[2]))\n"
    "q2 = 'x'\n"
)
SHORT_ANSWER = f"I would keep the account. {SCRIPT} <img src=x onerror=alert(2)> [more](https://evil.example/x)"


def _with(nb, answers: dict[str, str]):
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nb


def _stamp(course: Path, student: str, when: str) -> None:
    (course / "submitted" / student / ASSIGNMENT / "timestamp.txt").write_text(when, encoding="utf-8")


def _sidecar(course: Path, student: str, **fields) -> None:
    folder = course / "autograded" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    data = {"student": student, "assignment": ASSIGNMENT, "status": "graded", "reason": None, "notes": [],
            "sandbox": "none", "seconds": 1.0, "digest": "0"} | fields
    (folder / "grading.json").write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """The fixture exercise graded for real by nbgrader: full, partial, blank and a hostile "tricky" submission,
    plus a "broken" student the engine could not grade; a due date, a manual grade and a comment."""
    root = fx.make_course(tmp_path_factory.mktemp("feedback"))
    url = f"sqlite:///{root / 'gradebook.db'}"
    with Gradebook(url, course_id="salescoach") as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=DUE)
    fx.submit(root, "full", fx.answered(root))
    fx.submit(root, "partial", fx.answered(root, ["q1_answer"]))
    fx.submit(root, "blank", fx.released(root))
    fx.submit(root, "tricky", _with(fx.released(root), {"q1_answer": TRICKY_Q1, "q2_answer": LEAK_Q2,
                                                        "q3_answer": SHORT_ANSWER}))
    _stamp(root, "full", "2025-01-09 08:00:00.000000 UTC")
    _stamp(root, "tricky", "2025-01-11 15:30:00.000000 UTC")
    autograde(root, ASSIGNMENT)
    with Gradebook(url, course_id="salescoach") as gb:
        gb.find_grade("q3_answer", NOTEBOOK, ASSIGNMENT, "full").manual_score = 1.5
        gb.find_comment("q3_answer", NOTEBOOK, ASSIGNMENT, "full").manual_comment = "Clear, but decide."
        gb.db.commit()
    _sidecar(root, "partial", notes=["restored tampered builtins before test cell q2_public"])
    _sidecar(root, "broken", status="failed", reason="The notebook file is not valid JSON, so it could not be run.",
             notes=[f"submitted file {NOTEBOOK}.ipynb is 0 bytes"])
    return root


@pytest.fixture(scope="module")
def pages(course: Path) -> dict[str, str]:
    return {p.parent.parent.name: p.read_text(encoding="utf-8") for p in write_feedback(course, ASSIGNMENT)}


def _hidden_blocks(course: Path) -> list[str]:
    nb = read(course / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
    return [c.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
            for c in nb.cells if "### BEGIN HIDDEN TESTS" in c.source]


def _total(page: str) -> str:
    """The score in the page's header."""
    return re.search(r"<dt>Score</dt><dd class='total'>([^<]*)", page).group(1)


def _rows(page: str) -> dict[str, tuple[str, str]]:
    """The per-question table: label -> (points, result)."""
    cells = re.findall(r"<tr><td><a href='#[^']*'>([^<]*)</a></td><td>([^<]*)</td><td class='\w+'>([^<]*)</td></tr>",
                       page)
    return {label: (html.unescape(points), result) for label, points, result in cells}


# --------------------------------------------------------------------------- totals
GRADED = ("q1_public", "q1_hidden_zero", "q2_public", "q2_hidden_key")


def test_totals_and_questions_match_the_gradebook(course: Path, pages: dict[str, str]):
    recorded = {s.student: s for s in read_scores(f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT)}
    for student in ("full", "partial", "blank", "tricky"):
        sub, page = recorded[student], pages[student]
        assert _total(page) == f"{sub.score:g} / {sub.max_score:g}", student
        assert f"Score: {sub.score:g} / {sub.max_score:g}</p>" in page, "the notebook's own total"
        rows = _rows(page)
        assert len(rows) == len(sub.grades) == 5
        for g in sub.grades:
            if g.name in GRADED:
                label = f"Q{g.name[1]} ({g.name})"
                assert rows[label] == (f"{g.score:g} / {g.max_score:g}",
                                       "passed" if g.auto_score == g.max_score else "failed"), (student, label)
    assert _rows(pages["full"])["Q3"] == ("1.5 / 2", "graded by your trainer")
    assert _total(pages["full"]) == "5.5 / 6"
    assert _rows(pages["partial"])["Q3"] == ("0 / 2", "no answer given")
    assert _rows(pages["tricky"])["Q3"] == ("0 / 2", "needs manual grading")
    assert "some answers still need manual grading" in pages["tricky"]
    assert "some answers still need manual grading" not in pages["partial"]
    assert _total(pages["blank"]) == "0 / 6"
    passed = [k for k, (_, r) in _rows(pages["partial"]).items() if r == "passed"]
    assert passed == ["Q1 (q1_public)", "Q1 (q1_hidden_zero)"]


def test_time_lateness_manual_comment_and_notes(pages: dict[str, str]):
    assert "2025-01-09 08:00 UTC" in pages["full"] and "on time" in pages["full"]
    assert "2025-01-11 15:30 UTC" in pages["tricky"] and "late by 1 d 3 h 30 min" in pages["tricky"]
    assert "no submission time recorded" in pages["blank"]
    assert "Clear, but decide." in pages["full"]
    assert "Notes from the grader" in pages["partial"]
    assert "restored tampered builtins before test cell q2_public" in pages["partial"]
    assert "Notes from the grader" not in pages["full"]


def test_a_failed_submission_says_so_with_reason_and_notes(pages: dict[str, str]):
    page = pages["broken"]
    assert "could not be graded" in page
    assert "The notebook file is not valid JSON, so it could not be run." in page
    assert "Notes from the grader" in page and f"submitted file {NOTEBOOK}.ipynb is 0 bytes" in page
    assert "not graded" in page and "Your notebook" not in page


# --------------------------------------------------------------------------- hidden tests
def test_no_line_of_any_hidden_test_appears_in_any_page(course: Path, pages: dict[str, str]):
    lines = {ln.strip() for block in _hidden_blocks(course) for ln in block.splitlines() if len(ln.strip()) > 12}
    assert len(lines) == 2
    texts = list(pages.values()) + [feedback_html(course, ASSIGNMENT, s) for s in ("tricky", "partial", "blank")]
    assert len(texts) == 8
    for text in texts:
        plain = html.unescape(text)
        for line in lines:
            assert line not in plain and html.escape(line) not in text, f"hidden test leaked: {line}"
        assert "Traceback" not in plain and "BEGIN SOLUTION" not in plain and "MARK SCHEME" not in plain


def _leaked(course: Path) -> str:
    """The exception message the tricky student's code raised inside the hidden test (the encoded leak)."""
    nb = read(course / "autograded" / "tricky" / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
    return next(o for o in fx.cell(nb, "q1_hidden_zero").outputs if o.output_type == "error").evalue


def test_the_student_sees_the_public_tests_and_only_what_they_say(course: Path, pages: dict[str, str]):
    page = html.unescape(pages["tricky"])
    assert "assert q2 in {'a', 'b', 'c'}, 'q2: answer with a, b or c'" in page  # the public test's code
    assert "AssertionError: q2: answer with a, b or c" in page  # and its message
    assert HIDDEN_FAILED in page  # the hidden tests' failures say no more than that
    leak = _leaked(course)
    assert leak.split()[1][:40] not in page and "all-zero" not in page, "nothing from a hidden test, encoded or not"
    assert "PROBE [0.0, 0.0]" not in page, "what a test cell printed is not shown"
    assert "PROBE [120.0, 80.0, 40.0]" not in page


def test_leaked_test_code_printed_by_the_student_is_removed(pages: dict[str, str]):
    page = html.unescape(pages["tricky"])
    # the linecache trick printed the earlier test cells; their public lines remain, the hidden ones are gone
    assert page.count("assert callable(share_of_top), 'q1: define share_of_top(values, share=0.2)'") >= 2
    assert "Some lines were left out because they repeat hidden test code." in page


def test_the_encoded_leak_really_carried_the_hidden_test(course: Path):
    """The attack works in the notebook itself: the page above is what stops it."""
    leak = _leaked(course)
    assert leak.startswith("LEAK ") and "all-zero revenue" in base64.b64decode(leak.split()[1]).decode()


def test_failure_message_rules():
    hidden = {'assert got.equals(expected)', "x = 1"}
    assert failure_message("AssertionError", "", hidden) == HIDDEN_FAILED
    assert failure_message("AssertionError", "", hidden, "Try ties.") == f"{HIDDEN_FAILED} Hint: Try ties."
    assert failure_message("AssertionError", "assert got.equals(expected)\n", hidden) == HIDDEN_FAILED
    assert failure_message("ValueError", "bad\n  x = 1", hidden) == "ValueError: bad"
    assert failure_message("ZeroDivisionError", "", hidden).startswith(HIDDEN_FAILED)
    # from a cell that holds hidden tests, only a self-check's verdict on its question gets through
    leak = failure_message("ValueError", "LEAK c2VjcmV0", hidden, "Try ties.", public_only=False, question="q2")
    assert leak == f"{HIDDEN_FAILED} It raised ValueError. Hint: Try ties."
    verdict = "q2 Which class: not yet.\nExpected: one of a, b, c"
    assert failure_message("AssertionError", verdict, hidden, public_only=False, question="q2") == \
        f"AssertionError: {verdict}"
    assert "ZeroDivisionError" in failure_message("ZeroDivisionError", "", hidden)
    assert "\x1b" not in failure_message("AssertionError", "\x1b[31mred\x1b[0m", set())


def test_labels_and_hidden_line_parsing():
    ids = ["intro", "q1_answer", "q1_tests", "q8_task", "short_answer", "extra"]
    assert feedback.question_labels(ids, {"q1_tests", "short_answer"}) == {"q1_tests": "Q1", "short_answer": "Q8"}
    assert feedback.is_check_verdict("q3 ABC analysis: not yet.\nExpected: x", "q3")
    assert not feedback.is_check_verdict("q3 ABC analysis: not yet.", "q4")
    assert not feedback.is_check_verdict("LEAK aGlkZGVu", "q3")
    src = "a = 1\n### BEGIN HIDDEN TESTS\nassert secret()\n\n### END HIDDEN TESTS\nb = 2\n"
    assert feedback.hidden_lines(src) == {"assert secret()"}


# --------------------------------------------------------------------------- escaping
def test_what_the_student_wrote_is_escaped(pages: dict[str, str]):
    page = pages["tricky"]
    assert html.escape(SCRIPT) in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    for text in pages.values():
        assert "<script" not in text.lower() and "evil.example" not in text
        assert re.findall(r"<[a-z][^>]*\son[a-z]+=", text, re.I) == [], "no event handler attributes"
        assert re.findall(r"""(?:src|href)=['"](?!data:image/|#)""", text) == [], "only inline images, page anchors"
        assert "Content-Security-Policy" in text and "<style>" in text


def test_markdown_is_rendered_and_images_are_inline():
    rendered = feedback_render.render_markdown("## Title\n\n**bold** `<b>` [x](https://evil.example) <iframe src=y>")
    assert "<h2>Title</h2>" in rendered and "<strong>bold</strong>" in rendered
    assert "<iframe" not in rendered and "&lt;iframe" in rendered and "evil.example" not in rendered
    png = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    out = feedback_render.outputs_html([{"output_type": "display_data", "data": {"image/png": png, "text/plain": "<Figure>"}}],
                            set())
    assert out.startswith("<img") and f"data:image/png;base64,{png}" in out
    bad = feedback_render.outputs_html([{"output_type": "display_data", "data": {"image/png": "' onerror='x"}}], set())
    assert "onerror" not in bad


# --------------------------------------------------------------------------- files
def test_layout_atomic_write_and_rerun(course: Path, pages: dict[str, str], monkeypatch: pytest.MonkeyPatch):
    target = course / "feedback" / "tricky" / ASSIGNMENT / f"{NOTEBOOK}.html"
    assert sorted(pages) == ["blank", "broken", "full", "partial", "tricky"]
    assert target.read_text(encoding="utf-8") == feedback_html(course, ASSIGNMENT, "tricky")
    target.write_text("stale", encoding="utf-8")
    assert write_feedback(course, ASSIGNMENT, ["tricky"]) == [target]
    assert target.read_text(encoding="utf-8") == pages["tricky"], "re-running overwrites"

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_feedback(course, ASSIGNMENT, ["tricky"])
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == pages["tricky"], "a failed write leaves the old page"
    assert [p.name for p in (course / "feedback").rglob("*") if p.is_file() and p.suffix != ".html"] == []


def test_clear_errors(course: Path, tmp_path: Path):
    with pytest.raises(ValueError, match="'no_such_assignment' is not in the gradebook"):
        feedback_html(course, "no_such_assignment", "full")
    with pytest.raises(ValueError, match="not in the gradebook"):
        write_feedback(course, "no_such_assignment")
    with pytest.raises(FileNotFoundError, match="'nobody' has no autograded submission"):
        feedback_html(course, ASSIGNMENT, "nobody")
    before = sorted(p for p in (course / "feedback").rglob("*"))
    with pytest.raises(FileNotFoundError, match="'nobody'"):
        write_feedback(course, ASSIGNMENT, ["full", "nobody"])
    assert sorted(p for p in (course / "feedback").rglob("*")) == before
    with pytest.raises(ValueError, match="plain folder name"):
        feedback_html(course, ASSIGNMENT, "../full")
    with pytest.raises(FileNotFoundError, match="no gradebook"):
        feedback_html(tmp_path, ASSIGNMENT, "full")


def test_a_gradebook_elsewhere_is_read_through_db_url(course: Path, pages: dict[str, str], tmp_path: Path):
    elsewhere = tmp_path / "elsewhere.db"
    with sqlite3.connect(course / "gradebook.db") as src, sqlite3.connect(elsewhere) as dst:
        src.backup(dst)
    assert feedback_html(course, ASSIGNMENT, "full", db_url=str(elsewhere)) == pages["full"]
    assert feedback_html(course, ASSIGNMENT, "full", db_url=f"sqlite:///{elsewhere}") == pages["full"]
    with pytest.raises(FileNotFoundError, match="no gradebook"):
        feedback_html(course, ASSIGNMENT, "full", db_url=str(tmp_path / "missing.db"))
