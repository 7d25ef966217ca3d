"""The fast, sandboxed autograder on a cohort of normal, faulty and hostile submissions (real nbgrader around it).

Built on the tests' own exercise (:mod:`grader.exercise`): Q1 and Q2 have 2 autograded points each (1 public,
1 hidden), Q3 is written.  A full solution scores 4.
"""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from conftest import MEMORY_SCAN
from grader import exercise as fx
from salescoach.grader import pipeline
from salescoach.grader.sandbox import Limits, bubblewrap
from salescoach.kit import nbgrader as A

LIMITS = Limits(cell_timeout=8, notebook_cpu=60, memory_mb=512, max_processes=16, interrupt_grace=3)
ROOT = fx.ROOT


def cohort(course: Path) -> dict[str, object]:
    """student -> notebook (or raw bytes for a broken file, or None for a missing notebook)."""
    full, blank = fx.answered(course), fx.released(course)
    q1 = fx.answered(course, ["q1_answer"])

    def before_q2(code: str, base: nbformat.NotebookNode = q1) -> nbformat.NotebookNode:
        return fx.with_code(base, "q2_answer", code)

    subs: dict[str, object] = {"full": full, "blank": blank, "partial": q1,
                               "erroring": before_q2("raise RuntimeError('half way')", full)}
    wrong_kernel = copy.deepcopy(full)
    wrong_kernel.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    subs["wrong_kernel"] = wrong_kernel
    deleted = copy.deepcopy(full)
    deleted.cells = [c for c in deleted.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "q1_hidden_zero"]
    deleted.cells.append(nbformat.v4.new_code_cell("print('an added cell')"))
    subs["deleted_added_cells"] = deleted
    locked = copy.deepcopy(blank)
    fx.cell(locked, "q1_public").source = "pass  # the student emptied the test"
    fx.cell(locked, "setup").source += "\nrevenue = revenue * 0"
    subs["edited_locked"] = locked
    tampered = copy.deepcopy(q1)
    for gid in ("q2_public", "q2_hidden_key"):
        fx.cell(tampered, gid).metadata["nbgrader"].update(points=100, grade=False, locked=False)
    subs["tampered_metadata"] = tampered
    # faults: an endless loop is interrupted and the notebook goes on, as with nbgrader
    subs["infinite_loop"] = before_q2("while True:\n    pass", full)
    subs["kernel_death"] = before_q2("import os\nos._exit(3)")
    subs["memory_hog"] = before_q2("hog = bytearray(8 * 1024 ** 3)")
    subs["memory_caught"] = before_q2("try:\n    hog = bytearray(8 * 1024 ** 3)\nexcept MemoryError:\n    pass", full)
    subs["fork_bomb"] = before_q2("import os\nfor _ in range(10000):\n    os.fork()")
    subs["output_flood"] = before_q2("for i in range(100000):\n    print('spam' * 50)")
    subs["metadata_flood"] = before_q2("from IPython.display import display\nfor _ in range(3):\n"
                                       "    display({'text/plain': 'x'}, raw=True, metadata={'m': 'x' * 10_000_000})")
    # tries to kill every grader process it can find (the worker, the zygote, the template)
    subs["killer_of_workers"] = before_q2("import os, signal\nfor p in os.listdir('/proc'):\n    if p.isdigit():\n"
                                          "        try:\n            os.kill(int(p), signal.SIGKILL)\n"
                                          "        except OSError:\n            pass")
    # writes result frames for the next cells into its own channel to the worker
    subs["forger"] = before_q2("import os, struct, json\nfor f in os.listdir('/proc/self/fd'):\n    try:\n"
                               "        if os.readlink(f'/proc/self/fd/{f}').startswith('socket:'):\n"
                               "            for seq in range(20):\n"
                               "                body = json.dumps({'seq': seq, 'outputs': []}).encode()\n"
                               "                os.write(int(f), struct.pack('>I', len(body)) + body)\n"
                               "    except OSError:\n        pass", blank)
    subs["malformed_json"] = b'{"cells": [ {"cell_type": "code", '
    subs["not_a_notebook"] = b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe not a notebook"
    subs["missing_notebook"] = None
    too_large = copy.deepcopy(full)
    fx.cell(too_large, "q3_answer").source = "x" * (LIMITS.max_submission_bytes + 1000)
    subs["too_large"] = too_large
    # hostile: try to pass tests without answers
    subs["evil_eq"] = fx.with_code(blank, "q2_answer", "class Yes(str):\n    def __eq__(self, other):\n"
                                   "        return True\n    __hash__ = str.__hash__\nq2 = Yes('a')")
    subs["patched_builtins"] = fx.with_code(blank, "q1_answer", "import builtins\nbuiltins.callable = lambda *a: True\n"
                                            "builtins.abs = lambda x: 0\nshare_of_top = 1")
    subs["assert_stripper"] = fx.with_code(
        blank, "q1_answer", "ip = get_ipython()\nip.input_transformers_cleanup.append(lambda lines: ['pass\\n' if "
        "'assert' in l else l for l in lines])\nimport ast\nclass NoAssert(ast.NodeTransformer):\n"
        "    def visit_Assert(self, node):\n        return ast.Pass()\nip.ast_transformers.append(NoAssert())")
    subs["snooper"] = before_q2("import glob, os\nfound = glob.glob('/work/**/solutions/**/*.ipynb', recursive=True) + "
                                f"glob.glob({str(course)!r} + '/**/gradebook.db', recursive=True)\n"
                                f"print('FOUND', found)\nopen({str(course / 'solutions')!r} + '/x').read()")
    # reads its own process's memory, looking for the text of Q1's hidden test before it runs (built at run
    # time from hex, so the only copy it may find is its own)
    subs["memory_snooper"] = fx.with_code(q1, "q1_answer", MEMORY_SCAN.format(
        key=b"all-zero revenue must give 0".hex()) + "print('hidden test copies found:', hits - 1)", before=False)
    return subs


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = fx.make_course(tmp_path_factory.mktemp("grading"))
    subs = cohort(course)
    for student, nb in subs.items():
        fx.submit(course, student, nb)
    summary = pipeline.autograde(course, fx.ASSIGNMENT, jobs=2, limits=LIMITS, kit_root=ROOT)
    return course, summary, {o.student: o for o in summary.outcomes}, set(subs)


def _autograded(course: Path, student: str) -> nbformat.NotebookNode:
    return nbformat.read(course / "autograded" / student / fx.ASSIGNMENT / f"{fx.NOTEBOOK}.ipynb", 4)


def test_every_student_ends_with_a_grade_or_a_reason(graded):
    course, summary, out, students = graded
    assert set(out) == students
    for student, o in out.items():
        assert o.status in ("graded", "failed"), student
        side = json.loads((course / "autograded" / student / fx.ASSIGNMENT / "grading.json").read_text())
        assert side["status"] == o.status
        if o.status == "failed":
            assert o.reason and side["reason"] == o.reason
    assert out["malformed_json"].status == "failed" and "JSON" in out["malformed_json"].reason
    assert out["not_a_notebook"].status == "failed" and "not a notebook" in out["not_a_notebook"].reason
    assert "UnicodeDecodeError" not in out["not_a_notebook"].reason
    assert out["missing_notebook"].status == "failed" and f"{fx.NOTEBOOK}.ipynb" in out["missing_notebook"].reason
    assert out["too_large"].status == "failed" and "Clear All Outputs" in out["too_large"].reason


def test_normal_scores(graded):
    _, _, out, _ = graded
    assert out["full"].score == 4 and out["blank"].score == 0
    assert out["partial"].score == 2 and out["erroring"].score == 2
    for student in ("full", "blank", "partial", "erroring"):  # honest work: nothing to put back, no noise
        assert out[student].notes == [], out[student].notes


def test_faults_are_contained(graded):
    _, _, out, _ = graded
    for student in ("kernel_death", "memory_hog", "fork_bomb", "output_flood", "metadata_flood",
                    "killer_of_workers"):
        assert out[student].status == "graded", (student, out[student].reason)
        assert out[student].score == 2, (student, out[student].notes)  # q1 still counts
    assert any("exit status 3" in n for n in out["kernel_death"].notes)
    assert any("cut" in n for n in out["output_flood"].notes)
    assert any("metadata" in n for n in out["metadata_flood"].notes)


def test_an_endless_loop_is_interrupted_and_the_notebook_goes_on(graded):
    _, _, out, _ = graded
    o = out["infinite_loop"]
    assert o.status == "graded" and o.score == 2, o.notes  # q1 counts; q2's answer cell never finished
    assert any("interrupted" in n and "went on" in n for n in o.notes), o.notes


def test_a_caught_memory_error_is_noted(graded):
    _, _, out, _ = graded
    o = out["memory_caught"]
    assert o.status == "graded" and o.score == 4
    assert any("q2_answer" in n and "memory limit" in n for n in o.notes), o.notes
    assert any("memory limit" in n for n in out["memory_hog"].notes)


def test_outputs_are_bounded(graded):
    course, _, _, _ = graded
    for student in ("metadata_flood", "output_flood"):
        path = course / "autograded" / student / fx.ASSIGNMENT / f"{fx.NOTEBOOK}.ipynb"
        assert path.stat().st_size < 2_000_000, (student, path.stat().st_size)


def test_a_forged_result_fails_that_submission_with_a_reason(graded):
    _, _, out, _ = graded
    assert out["forger"].status == "failed" and "channel" in out["forger"].reason
    assert out["forger"].score == 0


def test_hidden_tests_are_not_in_memory_before_they_run(graded):
    course, _, out, _ = graded
    assert out["memory_snooper"].status == "graded" and out["memory_snooper"].score == 2
    text = fx.cell(_autograded(course, "memory_snooper"), "q1_answer").outputs[0]["text"]
    assert text == "hidden test copies found: 0\n", text


def test_tampering_with_the_notebook_is_undone(graded):
    _, _, out, _ = graded
    assert out["wrong_kernel"].score == 4
    assert out["deleted_added_cells"].score == 3  # the deleted hidden test scores 0, as with nbgrader
    assert any("q1_hidden_zero" in n and "deleted" in n for n in out["deleted_added_cells"].notes)
    assert out["edited_locked"].score == 0
    # nbgrader refuses a notebook whose grading metadata was rewritten; the trainer gets the reason
    assert out["tampered_metadata"].status == "failed" and "metadata" in out["tampered_metadata"].reason


@pytest.mark.parametrize("student", ["evil_eq", "patched_builtins", "assert_stripper"])
def test_hostile_code_cannot_pass_hidden_tests(graded, student):
    _, _, out, _ = graded
    assert out[student].status == "graded"
    assert out[student].score <= 1, out[student].notes  # at most the public form check of its question


def test_restorations_are_reported(graded):
    _, _, out, _ = graded
    assert "builtins.abs" in " ".join(out["patched_builtins"].notes)
    assert "input_transformers_cleanup" in " ".join(out["assert_stripper"].notes)


@pytest.mark.skipif(bubblewrap() is None, reason="bubblewrap is not installed")
def test_sandbox_hides_solutions_and_gradebook(graded):
    course, summary, out, _ = graded
    assert summary.sandbox == "bubblewrap"
    text = json.dumps([c.get("outputs", []) for c in _autograded(course, "snooper").cells])
    assert "FOUND []" in text and "FileNotFoundError" in text
    assert out["snooper"].score == 2


def test_scores_equal_nbgrader_autograde(graded, tmp_path):
    """Same submissions through plain `nbgrader autograde` with the same cell timeout: identical scores."""
    course, _, _, _ = graded
    same = ["full", "blank", "partial", "erroring", "wrong_kernel", "deleted_added_cells", "edited_locked",
            "infinite_loop"]
    ours = {s.student: s.auto_score for s in A.scores(course, fx.ASSIGNMENT) if s.student in same}
    other = tmp_path / "nbgrader"
    shutil.copytree(course, other, ignore=shutil.ignore_patterns("autograded", "gradebook.db*"))
    for student in list((other / "submitted").iterdir()):
        if student.name not in same:
            shutil.rmtree(student)
    A.generate(other, fx.ASSIGNMENT, other)
    A.autograde(other, fx.ASSIGNMENT, cell_timeout=int(LIMITS.cell_timeout))
    theirs = {s.student: s.auto_score for s in A.scores(other, fx.ASSIGNMENT)}
    assert ours == theirs


def test_rerun_grades_only_what_changed_and_survives_interruption(graded):
    course, _, _, _ = graded
    again = pipeline.autograde(course, fx.ASSIGNMENT, jobs=2, limits=LIMITS, kit_root=ROOT)
    assert {o.status for o in again.outcomes} == {"skipped"}
    assert again.sandbox == "not needed" and "WARNING" not in again.text()
    fx.submit(course, "blank", fx.answered(course, ["q1_answer"]))
    seen = []

    def stop_after_first(o):
        seen.append(o.student)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pipeline.autograde(course, fx.ASSIGNMENT, jobs=2, limits=LIMITS, kit_root=ROOT, progress=stop_after_first)
    assert seen == ["blank"]
    third = pipeline.autograde(course, fx.ASSIGNMENT, jobs=2, limits=LIMITS, kit_root=ROOT)
    assert [o.student for o in third.outcomes if o.status != "skipped"] == []
    assert {s.student: s.auto_score for s in A.scores(course, fx.ASSIGNMENT)}["blank"] == 2
