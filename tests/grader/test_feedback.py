"""Feedback pages from a real nbgrader autograde: right totals, no hidden tests, nothing the student wrote runs."""
from __future__ import annotations

import html
import json
import re
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from conftest import KIT_PARTS
from salescoach import files
from salescoach.grader import feedback, feedback_render
from salescoach.grader.feedback import HIDDEN_FAILED, failure_message, feedback_html, write_feedback
from salescoach.kit.manifest import load_course
from salescoach.kit.nbgrader import autograde, fill_submission, generate, scores, solution_ids, submit
from salescoach.notebooks import read

pytestmark = pytest.mark.slow

ASSIGNMENT = "m3_customer_grading"
NOTEBOOK = "m3_exercise"
DUE = datetime(2025, 1, 10, 12, 0)
SCRIPT = "<script>alert(1)</script>"
BUGGY_Q2 = (  # passes the public check, fails the hidden all-zeros test; prints what the tests feed it
    "def cumulative_share(values):\n"
    "    print('PROBE', values.index.tolist()[:4])\n"
    "    ordered = values.sort_values(ascending=False)\n"
    "    return ordered.cumsum() / ordered.sum()\n"
)
LEAK_Q5 = (  # tries to print the hidden tests: ipykernel keeps every executed cell in linecache
    "import linecache\n"
    "for _name, _entry in list(linecache.cache.items()):\n"
    "    if 'HIDDEN' in ''.join(_entry[2] or []):\n"
    "        print(''.join(_entry[2]))\n"
    "        print(repr(''.join(_entry[2])))\n"
)
SHORT_ANSWER = f"I would visit A customers first. {SCRIPT} <img src=x onerror=alert(2)> [more](https://evil.example/x)"


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
def course(tmp_path_factory, kit_root: Path) -> Path:
    """A copy of the kit graded for real: full, partial, blank and a hostile "tricky" submission, plus a
    "broken" student the engine could not grade; a due date, a manual grade and a comment in the gradebook."""
    root = tmp_path_factory.mktemp("feedback") / "kit"
    root.mkdir()
    for part in KIT_PARTS:  # what the function-scoped kit_copy copies, once for the module
        src = kit_root / part
        if src.is_dir():
            shutil.copytree(src, root / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        elif src.is_file():
            shutil.copy2(src, root / part)
    (ex,) = [e for e in load_course(root).exercises() if e.assignment == ASSIGNMENT]
    generate(root, ASSIGNMENT, root)  # puts the assignment into root/gradebook.db
    url = f"sqlite:///{root / 'gradebook.db'}"
    with Gradebook(url, course_id="salescoach") as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=DUE)
    source, released = read(ex.source(root)), read(ex.release(root))
    ids = solution_ids(source)
    submit(root, "full", ex, fill_submission(released, source))
    submit(root, "partial", ex, fill_submission(released, source, ids[:4]))
    submit(root, "blank", ex, released)
    tricky = fill_submission(released, source, ["q1_answer", "q3_answer"])
    submit(root, "tricky", ex, _with(tricky, {"q2_answer": BUGGY_Q2, "q4_answer": f"# {SCRIPT}\nprint('{SCRIPT}')\n",
                                              "q5_answer": LEAK_Q5, "short_answer": SHORT_ANSWER}))
    _stamp(root, "full", "2025-01-09 08:00:00.000000 UTC")
    _stamp(root, "tricky", "2025-01-11 15:30:00.000000 UTC")
    autograde(root, ASSIGNMENT)
    with Gradebook(url, course_id="salescoach") as gb:
        gb.find_grade("short_answer", NOTEBOOK, ASSIGNMENT, "full").manual_score = 2.5
        gb.find_comment("short_answer", NOTEBOOK, ASSIGNMENT, "full").manual_comment = "Clear numbers, well argued."
        gb.db.commit()
    _sidecar(root, "partial", notes=["restored tampered builtins before test cell q2_tests"])
    _sidecar(root, "broken", status="failed", reason="The notebook file is not valid JSON, so it could not be run.",
             notes=["submitted file m3_exercise.ipynb is 0 bytes"])
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
def test_totals_and_questions_match_the_gradebook(course: Path, pages: dict[str, str]):
    auto = {s.student: s for s in scores(course, ASSIGNMENT)}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="salescoach") as gb:
        for student in ("full", "partial", "blank", "tricky"):
            sub = gb.find_submission(ASSIGNMENT, student)
            page = pages[student]
            assert _total(page) == f"{sub.score:g} / {sub.max_score:g}", student
            assert f"Score: {sub.score:g} / {sub.max_score:g}</p>" in page, "the notebook's own total"
            rows = _rows(page)
            grades = {g.name: g for nb in sub.notebooks for g in nb.grades}
            assert len(rows) == len(grades) == 8
            for n in range(1, 8):
                g = grades[f"q{n}_tests"]
                points, result = rows[f"Q{n}"]
                assert points == f"{g.score:g} / {g.max_score:g}"
                assert result == ("passed" if g.auto_score == g.max_score else "failed")
            auto_total = sum(float(rows[f"Q{n}"][0].split(" / ")[0]) for n in range(1, 8))
            assert auto_total == auto[student].auto_score
    assert _rows(pages["full"])["Q8"] == ("2.5 / 3", "graded by your trainer")
    assert _total(pages["full"]) == "18.5 / 19"
    assert _rows(pages["partial"])["Q8"] == ("0 / 3", "no answer given")
    assert _rows(pages["tricky"])["Q8"] == ("0 / 3", "needs manual grading")
    assert "some answers still need manual grading" in pages["tricky"]
    assert "some answers still need manual grading" not in pages["partial"]
    assert _total(pages["blank"]) == "0 / 19" and _rows(pages["blank"])["Q8"] == ("0 / 3", "no answer given")
    assert [k for k, (_, r) in _rows(pages["partial"]).items() if r == "passed"] == ["Q1", "Q2", "Q3", "Q4"]


def test_time_lateness_manual_comment_and_notes(pages: dict[str, str]):
    assert "2025-01-09 08:00 UTC" in pages["full"] and "on time" in pages["full"]
    assert "2025-01-11 15:30 UTC" in pages["tricky"] and "late by 1 d 3 h 30 min" in pages["tricky"]
    assert "no submission time recorded" in pages["blank"]
    assert "Clear numbers, well argued." in pages["full"]
    assert "Notes from the grader" in pages["partial"]
    assert "restored tampered builtins before test cell q2_tests" in pages["partial"]
    assert "Notes from the grader" not in pages["full"]


def test_a_failed_submission_says_so_with_reason_and_notes(pages: dict[str, str]):
    page = pages["broken"]
    assert "could not be graded" in page
    assert "The notebook file is not valid JSON, so it could not be run." in page
    assert "Notes from the grader" in page and "submitted file m3_exercise.ipynb is 0 bytes" in page
    assert "not graded" in page and "Your notebook" not in page


# --------------------------------------------------------------------------- hidden tests
def test_no_line_of_any_hidden_test_appears_in_any_page(course: Path, pages: dict[str, str]):
    lines = {ln.strip() for block in _hidden_blocks(course) for ln in block.splitlines() if len(ln.strip()) > 12}
    assert len(lines) > 40, "the exercise should have sizeable hidden tests"
    texts = list(pages.values()) + [feedback_html(course, ASSIGNMENT, s) for s in ("tricky", "partial", "blank")]
    assert len(texts) == 8
    for text in texts:
        plain = html.unescape(text)
        for line in lines:
            assert line not in plain and html.escape(line) not in text, f"hidden test leaked: {line}"
        assert "Traceback" not in plain and "BEGIN SOLUTION" not in plain and "MARK SCHEME" not in plain


def test_the_student_sees_the_public_test_and_why_a_hidden_test_failed(pages: dict[str, str]):
    page = pages["tricky"]
    assert html.escape('assert check("q2", exercise="m3_customer_grading", strict=True)') in page
    assert "AssertionError: for [0.0, 0.0, 0.0] expected [0.0, 0.0, 0.0], got [nan, nan, nan]" in page
    # a public check's failure reads as the check wrote it
    assert "Expected: `pyramid` defined by your answer" in html.unescape(page)
    assert "PROBE [&#x27;C1&#x27;" in page, "the student's own cell output is shown"
    assert "&#x27;w&#x27;, &#x27;x&#x27;" not in page, "stream output of a test cell must be dropped"
    assert "Some lines were left out because they repeat hidden test code." in page


def test_leaked_test_code_printed_by_the_student_is_removed(course: Path, pages: dict[str, str]):
    page = html.unescape(pages["tricky"])
    # the linecache trick printed the test cells; their public lines remain, the hidden ones are gone
    assert page.count('assert check("q3", exercise="m3_customer_grading", strict=True)') >= 2
    assert "_q3_same(_q3_random, a_cut=0.65, b_cut=0.9)" not in page


def test_failure_message_rules():
    hidden = {'assert got.equals(expected)', "x = 1"}
    assert failure_message("AssertionError", "", hidden) == HIDDEN_FAILED
    assert failure_message("AssertionError", "", hidden, "Try ties.") == f"{HIDDEN_FAILED} Hint: Try ties."
    assert failure_message("AssertionError", "assert got.equals(expected)\n", hidden) == HIDDEN_FAILED
    assert failure_message("ValueError", "bad\n  x = 1", hidden) == "ValueError: bad"
    assert failure_message("ZeroDivisionError", "", hidden).startswith(HIDDEN_FAILED)
    assert "ZeroDivisionError" in failure_message("ZeroDivisionError", "", hidden)
    assert "\x1b" not in failure_message("AssertionError", "\x1b[31mred\x1b[0m", set())


def test_labels_and_hidden_line_parsing():
    ids = ["intro", "q1_answer", "q1_tests", "q8_task", "short_answer", "extra"]
    assert feedback.question_labels(ids, {"q1_tests", "short_answer"}) == {"q1_tests": "Q1", "short_answer": "Q8"}
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
