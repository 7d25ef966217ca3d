"""``salescoach grade`` from the command line: its help, its argument order, and errors without tracebacks."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from salescoach.kit.cli import main
from salescoach.kit.manifest import load_course


def test_every_option_of_grade_run_is_described(capsys):
    with pytest.raises(SystemExit):
        main(["grade", "run", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for option, words in (("--cell-timeout", "interrupted"), ("--memory-mb", "memory"), ("--roster", "roster"),
                          ("--jobs", "workers"), ("--no-sandbox", "bubblewrap"), ("--db", "gradebook URL")):
        assert option in text and words in text, option
    assert "assignment [source]" in text


@pytest.mark.slow
def test_a_broken_dataset_stops_grading_with_a_plain_error(kit_copy: Path, capsys):
    """Every submission would fail the same way: grading does not start, and the trainer reads why."""
    course = load_course(kit_copy)
    module = next(m for m in course.modules if m.exercises and "territory" in m.datasets)
    ex = module.exercises[0]
    folder = kit_copy / "submitted" / "ann" / ex.assignment
    folder.mkdir(parents=True)
    shutil.copy(ex.release(kit_copy), folder / ex.notebook)
    data = kit_copy / "datasets" / "territory.csv"
    data.write_text(data.read_text(encoding="utf-8") + "broken,row,with,too,few\n", encoding="utf-8")
    # the arguments in the order `grade collect` took before: read as ASSIGNMENT SOURCE, with a note
    assert main(["--root", str(kit_copy), "grade", "collect", str(kit_copy), ex.assignment]) == 0
    rc = main(["--root", str(kit_copy), "grade", "autograde", ex.assignment, "-q", "-j", "1"])
    err = capsys.readouterr().err
    assert "the assignment comes first" in err
    assert rc == 2 and "grading did not start" in err and "territory" in err and "Traceback" not in err
