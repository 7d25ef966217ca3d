from pathlib import Path

import pytest

from salescoach.paths import KitNotFoundError, datasets_dir, project_root


def test_found_from_a_subfolder(kit_copy: Path):
    assert project_root(kit_copy / "course" / "modules") == kit_copy.resolve()
    assert datasets_dir(kit_copy) == kit_copy / "datasets"


def test_environment_variable_wins(kit_copy: Path, monkeypatch, tmp_path: Path):
    monkeypatch.setenv("SALESCOACH_ROOT", str(kit_copy))
    assert project_root(tmp_path) == kit_copy.resolve()
    monkeypatch.setenv("SALESCOACH_ROOT", str(tmp_path))
    with pytest.raises(KitNotFoundError, match="SALESCOACH_ROOT"):
        project_root()


def test_outside_the_kit_falls_back_to_the_installed_clone(tmp_path: Path, kit_root: Path, monkeypatch):
    monkeypatch.delenv("SALESCOACH_ROOT", raising=False)
    assert project_root(tmp_path) == kit_root
