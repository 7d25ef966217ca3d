"""The grading worker's pieces that run outside a sandbox: message framing and the rebuilding of outputs."""
from __future__ import annotations

import os
import time

import nbformat
import pytest

from salescoach.grader.runner.framing import MessageTooLarge, recv, send
from salescoach.grader.runner.limits import limit_outputs

LIMITS = {"max_lines": 5, "max_line_length": 20, "max_image_bytes": 100}


def _valid(outputs: list[dict]) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    nb.cells.append(cell)
    nbformat.validate(nb)


def test_stream_output_is_cut_to_the_limits():
    out, notes = limit_outputs([{"output_type": "stream", "name": "stdout",
                                 "text": "".join(f"line {i}\n" for i in range(10)) + "x" * 50 + "\n"}], LIMITS)
    text = out[0]["text"]
    assert text.splitlines()[:5] == [f"line {i}" for i in range(5)] and "output cut by the grader" in text
    assert any("11 lines of stdout output cut to 5" in n for n in notes)
    out, notes = limit_outputs([{"output_type": "stream", "name": "stderr", "text": "y" * 50}], LIMITS)
    assert out[0]["text"].startswith("y" * 20 + "... [30 characters cut") and out[0]["name"] == "stderr"
    _valid(out)


def test_large_images_and_data_are_dropped_with_a_note():
    out, notes = limit_outputs([{"output_type": "display_data", "metadata": {},
                                 "data": {"image/png": "A" * 200, "text/plain": "<Figure>"}},
                                {"output_type": "execute_result", "execution_count": 3, "metadata": {},
                                 "data": {"text/html": "<td>" * 100}}], LIMITS)
    assert out[0]["data"] == {"text/plain": "<Figure>"}
    assert out[1]["data"] == {"text/plain": "[output removed by the grader: too large]"}
    assert out[1]["execution_count"] == 3
    assert any("image of 200 bytes" in n for n in notes) and any("text/html output of 400" in n for n in notes)
    _valid(out)


def test_whatever_the_student_process_sends_becomes_valid_nbformat():
    hostile = [
        "not a dict", 42, None,
        {"output_type": "shell_escape", "text": "x"},
        {"output_type": "stream", "name": "/etc/passwd", "text": ["a\n", "b\n"], "extra": 1},
        {"output_type": "display_data", "data": "not a bundle", "metadata": [1]},
        {"output_type": "display_data", "data": {"nomime": "x", "text/plain": ["a", "b"], "application/json": {"k": 1}}},
        {"output_type": "execute_result", "execution_count": True, "data": {"text/plain": 7}},
        {"output_type": "error", "ename": 5, "evalue": None, "traceback": "not a list", "payload": "x"},
        {"output_type": "error", "ename": "E", "evalue": "v", "traceback": [1, "two"] + ["t"] * 10},
    ]
    out, notes = limit_outputs(hostile, LIMITS)
    assert [o["output_type"] for o in out] == ["stream", "display_data", "display_data", "execute_result",
                                               "error", "error"]
    assert out[0] == {"output_type": "stream", "name": "stdout", "text": "a\nb\n"}
    assert out[2]["data"] == {"text/plain": "ab", "application/json": {"k": 1}}
    assert out[3]["execution_count"] is None and out[3]["data"] == {"text/plain": "7"}
    assert out[4] == {"output_type": "error", "ename": "5", "evalue": "", "traceback": []}
    assert out[5]["traceback"][:2] == ["1", "two"] and len(out[5]["traceback"]) == 5
    assert any("traceback of 12 entries" in n for n in notes)
    _valid(out)
    assert limit_outputs("not a list", LIMITS) == ([], [])  # type: ignore[arg-type]


def test_messages_round_trip_and_limits():
    r, w = os.pipe()
    try:
        send(w, {"kind": "code", "source": "print('分级')", "n": [1, 2.5, None]})
        assert recv(r) == {"kind": "code", "source": "print('分级')", "n": [1, 2.5, None]}
        send(w, {"big": "x" * 1000})
        with pytest.raises(MessageTooLarge):
            recv(r, max_bytes=100)
    finally:
        os.close(w)
        os.close(r)
    r, w = os.pipe()
    try:
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            recv(r, deadline=time.monotonic() + 0.2)  # nothing was sent
        assert time.monotonic() - started < 5
        os.close(w)
        w = -1
        assert recv(r) is None  # the other side closed: end of messages
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)


def test_cells_are_named_once():
    from salescoach.grader.runner.jobs import cell_name

    assert cell_name("cell 3") == "cell 3" and cell_name("q2_answer") == "cell q2_answer"


def test_metadata_count_total_and_notes_are_bounded():
    from salescoach.grader.runner.limits import Budget, bounded_notes

    limits = {**LIMITS, "max_metadata_bytes": 50, "max_outputs": 3, "max_notebook_bytes": 400}
    budget = Budget(limits)
    shown = [{"output_type": "display_data", "data": {"text/plain": "x"}, "metadata": {"m": "y" * 100}}] * 5
    out, notes = limit_outputs(shown, limits, budget)
    assert len(out) == 4 and out[-1]["text"] == "[2 more outputs of this cell: removed by the grader]\n"
    assert all(o.get("metadata", {}) == {} for o in out[:3]) and any("metadata" in n for n in notes)
    out, notes = limit_outputs([{"output_type": "stream", "name": "stdout", "text": "z" * 300}] * 3, limits, budget)
    assert "limit of" in notes[-1] and out[-1]["text"].startswith("[outputs past this notebook's size limit")
    _valid(out)
    many = bounded_notes([f"note {i} " + "w" * 400 for i in range(80)])
    assert len(many) == 51 and many[-1] == "... and 30 more notes" and all(len(n) <= 303 for n in many[:50])
