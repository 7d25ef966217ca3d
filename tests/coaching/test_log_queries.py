"""Reading the coaching log: the latest skill rating wins, empty listings keep their columns, the CSV export is
complete and atomic, an export folder that cannot be written is named."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from salescoach.coaching.log import CoachingLog
from salescoach.coaching.log_errors import ExportError, LogCorruptError

from .conftest import fill


def test_latest_skill_rating_wins(book: CoachingLog):
    book.rate_skill("Li Na", "Closing", 3, 1, assessed_on="2025-01-01")
    book.rate_skill("Li Na", "Closing", 3, 2, assessed_on="2025-06-01")
    book.rate_skill("Li Na", "Opening", 2, 3, assessed_on="2025-01-01")
    latest = book.skills("Li Na")
    assert dict(zip(latest["skill"], latest["ability"])) == {"Closing": 2, "Opening": 3}
    assert len(book.skills(latest=False)) == 3


def test_empty_listings_keep_their_columns(book: CoachingLog):
    for frame in (book.sessions("nobody"), book.goals(), book.actions(), book.followups(), book.skills()):
        assert frame.empty and "id" in frame.columns and "rep" in frame.columns


def test_export_csv_is_complete_and_atomic(book: CoachingLog, tmp_path: Path):
    ids = fill(book)
    out = tmp_path / "export"
    written = book.export_csv(out)
    assert sorted(written) == ["actions", "followups", "goals", "sessions", "skills"]
    with open(written["sessions"], newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["rep"] for r in rows] == ["Li Na", "Zhao Lei"] and rows[0]["held_on"] == "2025-03-04"
    assert pd.read_csv(written["actions"])["id"].tolist() == [ids["action"], ids["coach_action"]]
    assert not [p for p in out.iterdir() if p.suffix == ".tmp"]
    # a failing export leaves the previous file as it was
    before = written["goals"].read_bytes()
    book.close()
    (tmp_path / "log.sqlite").write_bytes(b"garbage that is not a database" * 10)
    with pytest.raises(LogCorruptError):
        CoachingLog(tmp_path / "log.sqlite").export_csv(out)
    assert written["goals"].read_bytes() == before
    with pytest.raises(ValueError, match="is a file"):
        book.export_csv(written["goals"])


def test_an_export_folder_that_cannot_be_written_names_it(book: CoachingLog, tmp_path: Path):
    book.add_session("Li Na", "Closing")
    (tmp_path / "a_file").write_text("not a folder")
    with pytest.raises(ExportError, match=r"cannot write .*a_file.*choose a folder.*log itself is unchanged"):
        book.export_csv(tmp_path / "a_file" / "exports")
    assert book.counts()["sessions"] == 1

