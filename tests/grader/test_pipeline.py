"""The fast, sandboxed autograder on a cohort of normal, faulty and hostile submissions (real nbgrader around it)."""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from conftest import KIT_PARTS, MEMORY_SCAN
from salescoach.grader import pipeline
from salescoach.grader.sandbox import Limits, bubblewrap
from salescoach.kit import nbgrader as A
from salescoach.kit.manifest import load_course

ROOT = Path(__file__).resolve().parents[2]
LIMITS = Limits(cell_timeout=8, notebook_cpu=60, memory_mb=512, max_processes=16)


def _exercise():
    ex = load_course(ROOT).modules[0].exercises[0]
    return ex, nbformat.read(ex.release(ROOT), 4), nbformat.read(ex.source(ROOT), 4)


def _cell(nb, gid):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def _with(nb, gid, extra, before=False):
    nb = copy.deepcopy(nb)
    cell = _cell(nb, gid)
    cell.source = (extra + "\n" + cell.source) if before else (cell.source + "\n" + extra)
    return nb


def cohort() -> dict[str, object]:
    """student -> notebook (or raw bytes for a broken file, or None for a missing notebook)."""
    ex, rel, src = _exercise()
    full = A.fill_submission(rel, src)
    blank = copy.deepcopy(rel)
    q1 = A.fill_submission(rel, src, ["q1_answer"])
    subs: dict[str, object] = {
        "full": full,
        "blank": blank,
        "partial": A.fill_submission(rel, src, ["q1_answer", "q2_answer", "q3_answer"]),
        "erroring": _with(q1, "q2_answer", "raise RuntimeError('half way')", before=True),
    }
    wrong_kernel = copy.deepcopy(full)
    wrong_kernel.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    subs["wrong_kernel"] = wrong_kernel
    deleted = copy.deepcopy(full)
    deleted.cells = [c for c in deleted.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "q3_tests"]
    deleted.cells.append(nbformat.v4.new_code_cell("print('an added cell')"))
    subs["deleted_added_cells"] = deleted
    locked = copy.deepcopy(blank)
    _cell(locked, "q1_tests").source = "pass  # the student emptied the test"
    _cell(locked, "setup").source += "\nrevenue = revenue * 0"
    subs["edited_locked"] = locked
    tampered = copy.deepcopy(q1)
    for gid in ("q2_tests", "q3_tests"):
        _cell(tampered, gid).metadata["nbgrader"].update(points=100, grade=False, locked=False)
    subs["tampered_metadata"] = tampered
    # faults
    subs["infinite_loop"] = _with(q1, "q2_answer", "while True:\n    pass", before=True)
    subs["kernel_death"] = _with(q1, "q2_answer", "import os\nos._exit(3)", before=True)
    subs["memory_hog"] = _with(q1, "q2_answer", "hog = bytearray(8 * 1024 ** 3)", before=True)
    subs["fork_bomb"] = _with(q1, "q2_answer", "import os\nfor _ in range(10000):\n    os.fork()", before=True)
    # kills the grading worker itself (same user in the sandbox), and the template between them; sorts early,
    # so other students' jobs are queued behind it on that worker and must run on its replacement
    subs["killer_of_workers"] = _with(q1, "q2_answer", "import os, signal\n"
                                      "pid = os.getppid()\n"
                                      "while pid > 1 and b'salescoach.grader.runner' in "
                                      "open(f'/proc/{pid}/cmdline', 'rb').read():\n"
                                      "    parent = int(open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()[1])\n"
                                      "    os.kill(pid, signal.SIGKILL)\n"
                                      "    pid = parent", before=True)
    # kills only its parent: the template its process was forked from, which the next submission replaces
    subs["killer_of_template"] = _with(q1, "q2_answer", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)",
                                       before=True)
    subs["output_flood"] = _with(q1, "q2_answer", "for i in range(100000):\n    print('spam' * 50)", before=True)
    subs["malformed_json"] = b'{"cells": [ {"cell_type": "code", '
    subs["missing_notebook"] = None
    # hostile: try to pass tests without answers
    subs["evil_eq"] = _with(blank, "q1_answer", "class Yes(float):\n    def __eq__(self, other):\n        return True\n"
                            "top20_share = Yes(0.1)\ntop20_share_buyers = Yes(0.1)", before=True)
    subs["patched_builtins"] = _with(blank, "q1_answer",
                                     "import builtins\nbuiltins.isinstance = lambda *a: True\n"
                                     "builtins.AssertionError = type('AssertionError', (Exception,), {})", before=True)
    subs["patched_library"] = _with(blank, "q1_answer",
                                    "import salescoach.selfcheck as sc, sys, types\n"
                                    "sc.check = lambda *a, **k: True\n"
                                    "fake = types.ModuleType('salescoach.selfcheck'); fake.check = lambda *a, **k: True\n"
                                    "sys.modules['salescoach.selfcheck'] = fake\n"
                                    "import pandas as pd\npd.Series.equals = lambda *a, **k: True", before=True)
    subs["assert_stripper"] = _with(blank, "q1_answer",
                                    "ip = get_ipython()\n"
                                    "ip.input_transformers_cleanup.append(lambda lines: ['pass\\n' if 'assert' in l else l "
                                    "for l in lines])\n"
                                    "import ast\nclass NoAssert(ast.NodeTransformer):\n"
                                    "    def visit_Assert(self, node):\n        return ast.Pass()\n"
                                    "ip.ast_transformers.append(NoAssert())", before=True)
    subs["redefined_helper"] = _with(blank, "q1_answer", "def check(*a, **k):\n    return True\n"
                                     "import salescoach.selfcheck\nsalescoach.selfcheck.check.__code__ = check.__code__",
                                     before=True)
    subs["patched_private"] = _with(blank, "q1_answer",
                                    "import salescoach.customer_grading.checks as m, salescoach.selfcheck as sc\n"
                                    "top20_share = top20_share_buyers = 0.5\n"
                                    "m._close = lambda a, b: True\n"
                                    "reg = sc._REGISTRY['m3_customer_grading']\n"
                                    "for k, q in list(reg.items()):\n"
                                    "    reg[k] = type(q)(q.exercise, q.qid, q.title, (), lambda a: None, '')\n",
                                    before=True)
    subs["snooper"] = _with(q1, "q2_answer",
                            "import glob, os\nfound = glob.glob('/work/**/solutions/**/*.ipynb', recursive=True) + "
                            f"glob.glob({str(ROOT)!r} + '/**/gradebook.db', recursive=True)\n"
                            f"print('FOUND', found)\nopen({str(ex.source(ROOT))!r}).read()", before=True)
    # reads its own process's memory, looking for the text of q2's hidden tests before they run (built at run
    # time from hex, so the only copy it may find is its own)
    subs["memory_snooper"] = _with(q1, "q2_answer", MEMORY_SNOOPER.format(
        key=b"cumulative_share must not change its input".hex()), before=True)
    return subs


MEMORY_SNOOPER = MEMORY_SCAN + "print('hidden test copies found:', hits - 1)"


def _make_course(base: Path, subs: dict[str, object]) -> Path:
    course = base / "course"
    course.mkdir()
    for part in KIT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, course / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        elif src.is_file():
            shutil.copy2(src, course / part)
    ex, _, _ = _exercise()
    from salescoach.grader.gradebook import default_url, ensure_gradebook

    ensure_gradebook(default_url(course), course, ex.assignment)
    for student, nb in subs.items():
        folder = course / "submitted" / student / ex.assignment
        folder.mkdir(parents=True)
        if nb is None:
            (folder / "notes.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
        elif isinstance(nb, bytes):
            (folder / ex.notebook).write_bytes(nb)
        else:
            nbformat.write(nb, folder / ex.notebook)
    return course


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = cohort()
    course = _make_course(tmp_path_factory.mktemp("grading"), subs)
    ex, _, _ = _exercise()
    summary = pipeline.autograde(course, ex.assignment, jobs=2, limits=LIMITS, kit_root=ROOT)
    return course, ex, summary, {o.student: o for o in summary.outcomes}


def test_every_student_ends_with_a_grade_or_a_reason(graded):
    course, ex, summary, out = graded
    assert set(out) == set(cohort())
    for student, o in out.items():
        assert o.status in ("graded", "failed"), student
        side = json.loads((course / "autograded" / student / ex.assignment / "grading.json").read_text())
        assert side["status"] == o.status
        if o.status == "failed":
            assert o.reason and side["reason"] == o.reason
    assert out["malformed_json"].status == "failed" and "JSON" in out["malformed_json"].reason
    assert out["missing_notebook"].status == "failed" and "m3_exercise.ipynb" in out["missing_notebook"].reason


def test_normal_scores(graded):
    _, _, _, out = graded
    assert out["full"].score == 16 and out["blank"].score == 0
    assert out["partial"].score == 7  # q1 (2) + q2 (2) + q3 (3)
    assert out["erroring"].score == 2
    for student in ("full", "blank", "partial", "erroring"):  # honest work: nothing to put back, no noise
        assert not any("restored" in note for note in out[student].notes), out[student].notes


def test_faults_are_contained(graded):
    _, _, _, out = graded
    for student in ("infinite_loop", "kernel_death", "memory_hog", "fork_bomb", "output_flood"):
        assert out[student].status == "graded", (student, out[student].reason)
        assert out[student].score == 2, (student, out[student].notes)  # q1 still counts
    assert any("longer than" in n for n in out["infinite_loop"].notes)
    assert any("exit status 3" in n for n in out["kernel_death"].notes)
    assert any("cut" in n for n in out["output_flood"].notes)
    assert out["killer_of_workers"].status == "failed"
    assert "grading worker stopped" in out["killer_of_workers"].reason
    # its own process goes on: graded as usual (q1), and the students after it are graded from a new template
    assert out["killer_of_template"].status == "graded" and out["killer_of_template"].score == 2


def test_hidden_tests_are_not_in_memory_before_they_run(graded):
    course, ex, _, out = graded
    assert out["memory_snooper"].status == "graded" and out["memory_snooper"].score == 2
    nb = nbformat.read(course / "autograded" / "memory_snooper" / ex.assignment / ex.notebook, 4)
    text = _cell(nb, "q2_answer").outputs[0]["text"]
    assert text == "hidden test copies found: 0\n", text


def test_tampering_with_the_notebook_is_undone(graded):
    _, _, _, out = graded
    assert out["wrong_kernel"].score == 16
    assert out["deleted_added_cells"].score == 13  # the deleted q3 test scores 0, as with nbgrader
    assert any("q3_tests" in n and "deleted" in n for n in out["deleted_added_cells"].notes)
    assert out["edited_locked"].score == 0
    # nbgrader refuses a notebook whose grading metadata was rewritten; the trainer gets the reason
    assert out["tampered_metadata"].status == "failed" and "metadata" in out["tampered_metadata"].reason


@pytest.mark.parametrize("student", ["evil_eq", "patched_builtins", "patched_library", "assert_stripper",
                                     "redefined_helper", "patched_private"])
def test_hostile_code_cannot_pass_tests(graded, student):
    _, _, _, out = graded
    assert out[student].status == "graded"
    assert out[student].score == 0, out[student].notes


def test_restorations_are_reported(graded):
    _, _, _, out = graded
    notes = " ".join(out["patched_library"].notes)
    assert "selfcheck" in notes and "equals" in notes
    assert "input_transformers_cleanup" in " ".join(out["assert_stripper"].notes)


@pytest.mark.skipif(bubblewrap() is None, reason="bubblewrap is not installed")
def test_sandbox_hides_solutions_and_gradebook(graded):
    course, ex, summary, out = graded
    assert summary.sandbox == "bubblewrap"
    nb = nbformat.read(course / "autograded" / "snooper" / ex.assignment / ex.notebook, 4)
    text = json.dumps([c.get("outputs", []) for c in nb.cells])
    assert "FOUND []" in text and "FileNotFoundError" in text
    assert out["snooper"].score == 2


def test_scores_equal_nbgrader_autograde(graded, tmp_path):
    """Same submissions through plain `nbgrader autograde`: identical scores (the safe cases only)."""
    course, ex, _, out = graded
    same = ["full", "blank", "partial", "erroring", "wrong_kernel", "deleted_added_cells", "edited_locked"]
    ours = {s.student: s.auto_score for s in A.scores(course, ex.assignment) if s.student in same}
    other = tmp_path / "nbgrader"
    shutil.copytree(course, other, ignore=shutil.ignore_patterns("autograded", "gradebook.db*"))
    for student in list((other / "submitted").iterdir()):
        if student.name not in same:
            shutil.rmtree(student)
    from salescoach.grader.gradebook import default_url, ensure_gradebook

    ensure_gradebook(default_url(other), other, ex.assignment)
    A.autograde(other, ex.assignment)
    theirs = {s.student: s.auto_score for s in A.scores(other, ex.assignment)}
    assert ours == theirs


def test_rerun_grades_only_what_changed_and_survives_interruption(graded):
    course, ex, _, _ = graded
    again = pipeline.autograde(course, ex.assignment, jobs=2, limits=LIMITS, kit_root=ROOT)
    assert {o.status for o in again.outcomes} == {"skipped"}
    _, rel, src = _exercise()
    target = course / "submitted" / "blank" / ex.assignment / ex.notebook
    nbformat.write(A.fill_submission(rel, src, ["q1_answer"]), target)
    seen = []

    def stop_after_first(o):
        seen.append(o.student)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pipeline.autograde(course, ex.assignment, jobs=2, limits=LIMITS, kit_root=ROOT, progress=stop_after_first)
    assert seen == ["blank"]
    third = pipeline.autograde(course, ex.assignment, jobs=2, limits=LIMITS, kit_root=ROOT)
    assert [o.student for o in third.outcomes if o.status != "skipped"] == []
    assert A.scores(course, ex.assignment)[0] is not None
    assert {s.student: s.auto_score for s in A.scores(course, ex.assignment)}["blank"] == 2
