"""pyproject.toml and environment.yml declare the same dependencies with the same bounds."""
import re
import tomllib
from pathlib import Path

import yaml


def _name(req: str) -> tuple[str, str]:
    m = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", req)
    assert m, req
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject(kit_root: Path):
    project = tomllib.loads((kit_root / "pyproject.toml").read_text())["project"]
    wanted = dict(_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"])
    env = yaml.safe_load((kit_root / "environment.yml").read_text())
    conda = dict(_name(d) for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip")))
    # packages conda-forge does not carry in a current version are listed under `pip:`
    for d in env["dependencies"]:
        if isinstance(d, dict):
            conda.update(_name(p) for p in d.get("pip", []))
    assert conda == wanted
    pythons = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert pythons and project["requires-python"].startswith(">=3.11")
