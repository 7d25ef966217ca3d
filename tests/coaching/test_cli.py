"""salescoach-log: the coaching log's command line."""
from __future__ import annotations

from pathlib import Path

import pytest

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
    CoachingLog(tmp_path / "log.sqlite").close()
    assert main(["--log", str(tmp_path / "log.sqlite"), "done", "7"]) == 1
    assert "no entry with id 7" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["sessions"], ["actions", "--open"], ["done", "1"], ["export", "out"]])
def test_a_mistyped_log_path_is_reported_not_created(tmp_path: Path, capsys, command):
    """A manager who mistypes --log must not get an empty new log that looks as if every session was lost."""
    typo = tmp_path / "coaching_lgo.sqlite"
    command = [str(tmp_path / c) if c == "out" else c for c in command]
    assert main(["--log", str(typo), *command]) == 1
    err = capsys.readouterr().err
    assert f"coaching log {typo} does not exist" in err and "check the path" in err
    assert not typo.exists() and not (tmp_path / "out").exists()


def test_an_export_folder_that_cannot_be_written_is_one_line(tmp_path: Path, capsys):
    log = tmp_path / "log.sqlite"
    with CoachingLog(log) as book:
        book.add_session("Li Na", "Closing")
    before = log.read_bytes()
    (tmp_path / "a_file").write_text("not a folder")
    assert main(["--log", str(log), "export", str(tmp_path / "a_file" / "exports")]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "a_file" in err and "log itself is unchanged" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert log.read_bytes() == before


def test_add_and_update_from_the_command_line(tmp_path: Path, capsys):
    log = str(tmp_path / "log.sqlite")
    assert main(["--log", log, "add", "session", "Li Na", "closing", "--date", "2025-03-04"]) == 1
    assert "does not exist" in capsys.readouterr().err and not Path(log).exists()  # no log made by a typo
    assert main(["--log", log, "add", "session", "Li Na", "closing", "--date", "2025-03-04",
                 "--kind", "observed visit", "--create"]) == 0
    assert "session 1 added" in capsys.readouterr().out
    assert main(["--log", log, "add", "goal", "Close Huaxin by May", "--session", "1", "--plan", "rehearse"]) == 0
    assert main(["--log", log, "add", "action", "Rehearse the close", "--session", "1", "--due", "2025-03-11"]) == 0
    assert main(["--log", log, "add", "followup", "--session", "1", "--due", "2025-03-18"]) == 0
    assert main(["--log", log, "add", "skill", "Li Na", "closing", "3", "1"]) == 0
    assert main(["--log", log, "update", "goals", "1", "status=met"]) == 0
    capsys.readouterr()
    with CoachingLog(log, create=False) as book:
        assert book.counts() == {"sessions": 1, "skills": 1, "goals": 1, "actions": 1, "followups": 1}
        assert book.sessions("Li Na")["kind"].tolist() == ["observed visit"]
        assert book.actions("Li Na")["rep"].tolist() == ["Li Na"]
    before = Path(log).read_bytes()
    for bad, words in ((["add", "action", "Call back"], "--session ID"),
                       (["add", "followup", "--session", "1"], "--due"),
                       (["update", "goals", "1", "status"], "FIELD=VALUE"),
                       (["update", "goals", "1", "status=won"], "status"),
                       (["add", "session", "Li Na", "closing", "--kind", "lunch"], "kind"),
                       (["add", "goal", "More visits", "--session", "9"], "9"),
                       (["add", "skill", "Li Na", "closing", "4", "1"], "importance")):
        assert main(["--log", log, *bad]) == 1, bad
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, (bad, err)
    assert Path(log).read_bytes() == before
