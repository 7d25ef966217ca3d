"""Wang Fang's team (coaching_skills, coaching_pipeline): seeded, committed files up to date, the story holds."""
from __future__ import annotations

import pandas as pd
import pytest

from salescoach import datasets as d
from salescoach.datasets import coaching_team as ct


@pytest.mark.parametrize("name", ["coaching_skills", "coaching_pipeline"])
def test_committed_files_are_what_the_generator_writes(tmp_path, name):
    (path,) = d.write_datasets(tmp_path, names=[name])
    assert path.read_bytes() == d.path_of(name).read_bytes(), f"datasets/{path.name} is out of date: salescoach data"
    assert d.write_datasets(tmp_path, names=[name])[0].read_bytes() == path.read_bytes()


def test_skills_grid_story():
    g = d.load("coaching_skills")
    assert len(g) == 80 and g.groupby("rep").size().eq(10).all()
    assert set(g["importance"]) <= {1, 2, 3} and set(g["ability"]) <= {1, 2, 3}
    cell = g.set_index(["rep", "skill"])
    assert tuple(cell.loc[("Zhao Lei", "Handling objections")]) == (3, 1)
    assert (g[g["rep"] == "Chen Jing"]["ability"] == 3).sum() >= 9
    needs = g[(g["skill"] == "Researching needs") & (g["importance"] == 3) & (g["ability"] == 1)]
    assert len(needs) >= 4


def test_pipeline_story():
    p = d.load("coaching_pipeline")
    assert len(p) == 47 and p["deal_id"].is_unique
    zl = p[p["rep"] == "Zhao Lei"].set_index("customer")
    assert zl.loc["Hengda Hotels", "value"] == 260_000 and (zl["value"] >= 200_000).sum() == 1
    assert (p["value"] >= 200_000).sum() == 7


def test_different_seed_differs():
    assert not ct.make_pipeline(1).equals(ct.make_pipeline())


def test_duplicate_rating_is_reported(tmp_path):
    text = d.path_of("coaching_skills").read_text(encoding="utf-8")
    lines = text.splitlines()
    (tmp_path / "grid.csv").write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(d.DataValidationError, match="same rep rates the same skill twice"):
        d.load("coaching_skills", path=tmp_path / "grid.csv")
    bad = text.replace("Zhao Lei,Prospecting,1,", "Zhao Lei,Prospecting,5,", 1)
    (tmp_path / "bad.csv").write_text(bad, encoding="utf-8")
    assert bad != text
    with pytest.raises(d.DataValidationError, match="importance"):
        d.load("coaching_skills", path=tmp_path / "bad.csv")
    assert isinstance(pd.read_csv(tmp_path / "bad.csv"), pd.DataFrame)
