"""`salescoach dashboard`: the Voila command it runs, without starting it (the browser test starts it)."""
from __future__ import annotations

from pathlib import Path

import pytest

from salescoach import paths
from salescoach.kit.cli import main
from salescoach.kit.dashboard import dashboard_command


def test_command_serves_the_dashboard_notebook_on_localhost(kit_root: Path, tmp_path: Path):
    team = tmp_path / "my_team.csv"
    team.write_text("rep_id\n")
    argv, env = dashboard_command(kit_root, port=9123, team=str(team), log=str(tmp_path / "log.sqlite"),
                                  browser=False, extra=["--theme=dark"])
    assert Path(argv[0]).name == "voila"
    assert argv[1] == str(kit_root / paths.DASHBOARD) and Path(argv[1]).is_file()
    assert "--port=9123" in argv and "--Voila.ip=127.0.0.1" in argv and "--no-browser" in argv
    assert argv[-1] == "--theme=dark"
    assert env[paths.TEAM_FILE_ENV] == str(team.resolve())
    assert env[paths.COACHING_LOG_ENV] == str(tmp_path / "log.sqlite")
    assert env["SALESCOACH_ROOT"] == str(kit_root)


def test_defaults_leave_the_team_file_and_log_to_the_notebook(kit_root: Path, monkeypatch):
    monkeypatch.delenv(paths.TEAM_FILE_ENV, raising=False)
    argv, env = dashboard_command(kit_root)
    assert "--port=8866" in argv and "--no-browser" not in argv
    assert paths.TEAM_FILE_ENV not in env


def test_a_missing_team_file_is_refused_with_its_name(kit_root: Path, capsys):
    assert main(["--root", str(kit_root), "dashboard", "--team", "no_such_team.csv"]) == 2
    err = capsys.readouterr().err
    assert "--team no_such_team.csv: no such file" in err and "datasets/team.csv" in err


def test_a_missing_dashboard_notebook_is_named(kit_copy: Path):
    (kit_copy / paths.DASHBOARD).unlink()
    with pytest.raises(FileNotFoundError, match="team_dashboard.ipynb is missing"):
        dashboard_command(kit_copy)


def test_the_log_variable_is_the_one_the_coaching_log_reads():
    from salescoach.coaching import log_store

    assert paths.COACHING_LOG_ENV == log_store.ENV_VAR


def test_the_dashboard_notebook_is_committed_clean(kit_root: Path):
    from salescoach.notebooks import dirty_cells, read

    nb = read(kit_root / paths.DASHBOARD)
    assert not dirty_cells(nb), "clear the dashboard notebook's outputs before committing it"
    assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells)


def test_a_relative_log_path_means_the_file_where_the_command_was_typed(kit_root: Path, tmp_path: Path,
                                                                        monkeypatch):
    """Voila runs the page in course/dashboard/: `--log team.sqlite` must still reach ./team.sqlite."""
    monkeypatch.chdir(tmp_path)
    _argv, env = dashboard_command(kit_root, log="team.sqlite")
    assert env[paths.COACHING_LOG_ENV] == str(tmp_path / "team.sqlite")
    _argv, env = dashboard_command(kit_root, log="postgresql://coach@db/sales")
    assert env[paths.COACHING_LOG_ENV] == "postgresql://coach@db/sales"
