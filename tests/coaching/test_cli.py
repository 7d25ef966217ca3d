"""salescoach-log: the coaching log's command line."""
from __future__ import annotations

from pathlib import Path

from salescoach.coaching.cli import main
from salescoach.coaching.log import CoachingLog


def test_commands(tmp_path: Path, capsys):
    log = str(tmp_path / "log.sqlite")
    with CoachingLog(log) as book:
        sid = book.add_session("Li Na", "Closing", held_on="2025-03-04")
        aid = book.add_action("Rehearse the close", session_id=sid)
    assert main(["--log", log, "info"]) == 0
    assert "sessions   1" in capsys.readouterr().out
    assert main(["--log", log, "sessions", "--rep", "Li Na"]) == 0
    assert "Closing" in capsys.readouterr().out
    assert main(["--log", log, "done", str(aid)]) == 0
    assert main(["--log", log, "actions", "--open"]) == 0
    assert "(none)" in capsys.readouterr().out
    assert main(["--log", log, "export", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "actions.csv").is_file()


def test_errors_are_one_line(tmp_path: Path, capsys):
    assert main(["--log", str(tmp_path / "missing.sqlite"), "info"]) == 1
    assert "does not exist" in capsys.readouterr().err and not (tmp_path / "missing.sqlite").exists()
    (tmp_path / "bad.sqlite").write_text("not a database")
    assert main(["--log", str(tmp_path / "bad.sqlite"), "sessions"]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "Traceback" not in err
    assert main(["--log", str(tmp_path / "log.sqlite"), "done", "7"]) == 1
    assert "no entry with id 7" in capsys.readouterr().err
