"""Atomic writes: all or nothing, with sensible permissions."""
from __future__ import annotations

import os

import pytest

from salescoach import files


def test_write_text_and_bytes(tmp_path):
    path = tmp_path / "sub" / "a.txt"
    files.write_text_atomic(path, "é\r\n")
    assert path.read_bytes() == "é\r\n".encode()  # newlines as given
    assert path.stat().st_mode & 0o777 == 0o644
    files.write_bytes_atomic(path, b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    assert os.listdir(path.parent) == ["a.txt"]


def test_a_failure_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old")
    with pytest.raises(RuntimeError, match="boom"):
        with files.atomic_path(path) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_new_mode_for_new_files_and_kept_mode_for_replaced(tmp_path):
    new = tmp_path / "private.csv"
    files.write_text_atomic(new, "x", new_mode=0o600)
    assert new.stat().st_mode & 0o777 == 0o600
    shared = tmp_path / "shared.csv"
    shared.write_text("x")
    shared.chmod(0o664)
    files.write_text_atomic(shared, "y", new_mode=0o600)
    assert shared.stat().st_mode & 0o777 == 0o664 and shared.read_text() == "y"
