import subprocess
import sys
from pathlib import Path

import pytest

from salescoach.kit.cli import main


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for command in ("build", "release", "lint", "data", "index", "clean", "demo", "lab"):
        assert command in text


def test_data_regenerates_the_committed_file(kit_copy: Path, capsys):
    csv = kit_copy / "datasets/territory.csv"
    expected = csv.read_bytes()
    csv.unlink()
    assert main(["--root", str(kit_copy), "data"]) == 0
    assert csv.read_bytes() == expected
    out = capsys.readouterr().out
    assert "datasets/territory.csv (300 rows; columns: customer_id" in out and "would_recommend" in out


def test_lint_fails_with_the_fix_on_a_broken_kit(kit_copy: Path, capsys):
    (kit_copy / "course/index.ipynb").unlink()
    assert main(["--root", str(kit_copy), "lint", "--no-release", "-q"]) == 1
    out = capsys.readouterr().out
    assert "course/index.ipynb" in out and "salescoach index" in out


def test_unknown_module_is_an_error_not_a_traceback(kit_copy: Path, capsys):
    assert main(["--root", str(kit_copy), "build", "m42", "-q"]) == 2
    err = capsys.readouterr().err
    assert "no module 'm42'" in err and "Traceback" not in err


def test_outside_a_kit_says_where_to_run(tmp_path: Path):
    proc = subprocess.run([sys.executable, "-m", "salescoach.kit.cli", "--root", str(tmp_path), "lint"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "course/course.yml" in proc.stderr


def test_clean_clears_outputs(kit_copy: Path, capsys):
    import json

    lesson = kit_copy / "course/modules/m3_customer_grading/01_pareto_and_abc.ipynb"
    nb = json.loads(lesson.read_text("utf-8"))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["execution_count"] = 4
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x\n"}]
    lesson.write_text(json.dumps(nb), "utf-8")
    assert main(["--root", str(kit_copy), "clean"]) == 0
    assert "cleaned course/modules/m3_customer_grading/01_pareto_and_abc.ipynb" in capsys.readouterr().out
    main(["--root", str(kit_copy), "lint", "--no-release", "-q"])
    assert "keep outputs" not in capsys.readouterr().out
