import pytest

from salescoach.kit.cli import main

pytestmark = pytest.mark.slow


def test_demo_prints_real_scores(kit_copy, tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["--root", str(kit_copy), "demo", "--no-build", "--out", str(out), "-q"]) == 0
    text = capsys.readouterr().out
    assert (out / "gradebook.db").is_file()
    rows = {line.split()[0]: line.split() for line in text.splitlines() if line.startswith(("alice", "bob", "carol"))}
    alice, bob, carol = rows["alice"], rows["bob"], rows["carol"]
    assert alice[2] == alice[4], "the full solution gets every autograded point"
    assert bob[2] == "0"
    assert 0 < float(carol[2]) < float(carol[4])
    assert "gradebook" in text and str(out / "autograded") in text
    for student in ("alice", "bob", "carol"):
        assert (out / "autograded" / student / "m3_customer_grading" / "m3_exercise.ipynb").is_file()
