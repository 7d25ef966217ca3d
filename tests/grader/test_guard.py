"""The guard that undoes student tampering before test cells, on a real IPython shell, in both of its modes.

Each attack runs as a student cell in the grading shell; then ``restore()`` must
put the object back, say so in a note, and leave nothing for a second restore.
The shell and guard live in a separate Python (the guard installs an audit
hook, which cannot be removed from the test process).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _course_checks() -> tuple[str, str, str, str]:
    """A course exercise with self-checks (through the manifest): its id, checks module, a private function of
    that module, and a question id."""
    import importlib
    import inspect

    from salescoach import selfcheck
    from salescoach.kit.manifest import load_course

    for ex in load_course(ROOT).exercises():
        try:
            name = selfcheck.checks_module(ex.assignment)
        except selfcheck.UnknownExerciseError:
            continue
        module = importlib.import_module(name)
        private = [n for n, v in vars(module).items()
                   if n.startswith("_") and not n.startswith("__") and inspect.isfunction(v) and v.__module__ == name]
        if private:
            return ex.assignment, name, private[0], next(iter(selfcheck.load_checks(ex.assignment)))
    raise RuntimeError("no exercise of the course has a checks module with a private function")


EXERCISE, CHECKS, PRIVATE, QID = _course_checks()

ATTACKS = {
    "module attribute": ("import salescoach.selfcheck as sc\nsc.check = lambda *a, **k: True",
                         "salescoach.selfcheck.check is ORIG['check']", "selfcheck.check was changed"),
    "module attribute added": ("import pandas as pd\npd.cheat = 1", "not hasattr(pandas, 'cheat')", "pandas.cheat was added"),
    "class attribute": ("import pandas as pd\npd.Series.equals = lambda *a, **k: True",
                        "pandas.Series.equals is ORIG['equals']", "pandas.Series.equals was added"),
    "class attribute deleted": ("import pandas as pd\ndel pd.Series.to_frame",
                                "pandas.Series.to_frame is ORIG['to_frame']", "pandas.Series.to_frame was changed"),
    "class dict written through gc": (
        "import gc, pandas as pd\ngc.get_referents(pd.Series.__dict__)[0]['sum'] = lambda *a, **k: 42",
        "pandas.Series.__dict__['sum'] is ORIG['sum'] and pandas.Series([1, 2]).sum() == 3", "Series.sum was changed"),
    "builtins": ("import builtins\nbuiltins.isinstance = lambda *a: True",
                 "builtins.isinstance is ORIG['isinstance']", "builtins.isinstance was changed"),
    "sys.modules": ("import sys, types\nsys.modules['salescoach.selfcheck'] = types.ModuleType('fake')",
                    "sys.modules['salescoach.selfcheck'] is salescoach.selfcheck",
                    "sys.modules['salescoach.selfcheck'] was replaced"),
    "code swap": ("import salescoach.selfcheck as sc\ndef yes(*a, **k):\n    return True\nsc.check.__code__ = yes.__code__",
                  "salescoach.selfcheck.check.__code__ is ORIG['code']", "code of salescoach.selfcheck.engine.check was swapped"),
    "numpy dispatcher defaults": ("import numpy as np\nnp.allclose._implementation.__defaults__ = (1e9, 1e9, False)",
                                  "not numpy.allclose(1.0, 2.0)", "allclose were changed"),
    "keyword defaults": ("import salescoach.selfcheck as sc\nsc.check.__kwdefaults__ = {'strict': False}",
                         "salescoach.selfcheck.check.__kwdefaults__ is ORIG['kwdefaults']",
                         "default arguments of salescoach.selfcheck.engine.check were changed"),
    "private helper of a checks module": (
        f"import {CHECKS} as m\nm.{PRIVATE} = lambda *a: None",
        f"checks_module.{PRIVATE} is ORIG['private']", f"checks.{PRIVATE} was changed"),
    "private cache function": ("import salescoach.datasets as d\nd._validated = lambda *a: b''",
                               "salescoach.datasets._validated is ORIG['_validated']", "datasets._validated was changed"),
    "question in the registry": (
        f"import salescoach.selfcheck as sc\nreg = sc.engine._REGISTRY[{EXERCISE!r}]\n"
        f"reg[{QID!r}] = reg[{QID!r}]._replace(run=lambda answers: None, needs=())",
        f"REGISTRY[{EXERCISE!r}][{QID!r}] is ORIG['question']", f"registry[{EXERCISE!r}].{QID} was changed"),
    "exercise in the registry": (
        f"import salescoach.selfcheck as sc\nsc.engine._REGISTRY[{EXERCISE!r}] = {{}}",
        f"REGISTRY[{EXERCISE!r}][{QID!r}] is ORIG['question']", f"registry[{EXERCISE!r}] was changed"),
    "input transformer": ("get_ipython().input_transformers_cleanup.append(lambda lines: [])",
                          "len(shell.input_transformers_cleanup) == ORIG['cleanup']", "input_transformers_cleanup"),
    "ast transformer": ("import ast\nclass NoAssert(ast.NodeTransformer):\n    def visit_Assert(self, node):\n"
                        "        return ast.Pass()\nget_ipython().ast_transformers.append(NoAssert())",
                        "shell.ast_transformers == []", "ast_transformers"),
    "event callback": ("get_ipython().events.register('pre_run_cell', lambda info: None)",
                       "shell.events.callbacks['pre_run_cell'] == ORIG['pre_run_cell']", "'pre_run_cell' event"),
    "import hook": ("import sys\nclass Finder:\n    def find_spec(self, *a):\n        return None\n"
                    "sys.meta_path.insert(0, Finder())", "len(sys.meta_path) == ORIG['meta_path']", "sys.meta_path"),
}

# opencc (a kit dependency, a pybind11 module) adds pybind11's shared state to builtins on its first import
HARMLESS = ("import statistics, fractions, email.utils\nimport pandas as pd\nimport numpy as np\nimport opencc\n"
            "x = pd.Series([3, 1, 2]).sort_values().sum()\ny = np.arange(10).mean()\n"
            "def helper(values, share=0.2):\n    return values\nclass Answer:\n    pass\n")

SCRIPT = r"""
import builtins, json, sys
import numpy, pandas
import salescoach.selfcheck
from salescoach.grader.runner import shell as runner_shell
from salescoach.grader.guard import Guard

salescoach.selfcheck.load_checks(EXERCISE)
import importlib
checks_module = importlib.import_module(CHECKS)
import salescoach.datasets
REGISTRY = salescoach.selfcheck.engine._REGISTRY
shell = runner_shell.make_shell()
guard = Guard(shell, use_versions=USE_VERSIONS)
sc = salescoach.selfcheck
ORIG = {"private": getattr(checks_module, PRIVATE), "_validated": salescoach.datasets._validated,
        "question": REGISTRY[EXERCISE][QID],
        "check": sc.check, "code": sc.check.__code__, "kwdefaults": sc.check.__kwdefaults__,
        "equals": pandas.Series.equals, "to_frame": pandas.Series.to_frame, "sum": pandas.Series.__dict__["sum"],
        "isinstance": builtins.isinstance, "cleanup": len(shell.input_transformers_cleanup),
        "pre_run_cell": list(shell.events.callbacks["pre_run_cell"]), "meta_path": len(sys.meta_path)}
out = {"fast_path": guard.readers is not None, "attacks": {}}
sys.stdout = runner_shell.Stream("stdout")

def run(source):
    result = shell.run_cell(source, store_history=True)
    runner_shell.CAPTURE.take()
    return not (result.error_before_exec or result.error_in_exec)

out["harmless_ran"] = run(HARMLESS)
out["harmless_quick"] = guard.restore_quick()
out["harmless"] = guard.restore()
for name, (source, intact) in ATTACKS.items():
    ran = run(source)
    notes = guard.restore()
    out["attacks"][name] = {"ran": ran, "notes": notes, "intact": bool(eval(intact)), "again": guard.restore()}
run("import builtins\nbuiltins.len = lambda x: 0")
out["quick"] = guard.restore_quick()
out["quick_intact"] = builtins.len([1, 2]) == 2
sys.stdout = sys.__stdout__
print("RESULT " + json.dumps(out))
"""


@pytest.fixture(scope="module", params=[True, False], ids=["version numbers", "entry by entry"])
def guarded(request):
    attacks = {name: (source, intact) for name, (source, intact, _) in ATTACKS.items()}
    code = (f"USE_VERSIONS = {request.param!r}\nHARMLESS = {HARMLESS!r}\nATTACKS = {attacks!r}\n"
            f"EXERCISE, CHECKS, PRIVATE, QID = {EXERCISE!r}, {CHECKS!r}, {PRIVATE!r}, {QID!r}\n" + SCRIPT)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(ROOT / "lib"), "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"})
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line, proc.stderr[-3000:]
    return request.param, json.loads(line[len("RESULT "):])


def test_fast_path_is_used_on_this_python(guarded):
    mode, out = guarded
    assert out["fast_path"] is mode


def test_harmless_code_is_left_alone(guarded):
    _, out = guarded
    assert out["harmless_ran"]
    assert out["harmless_quick"] == [] and out["harmless"] == []


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_attack_is_undone_and_reported(guarded, attack):
    _, out = guarded
    got = out["attacks"][attack]
    assert got["ran"], f"the attack itself failed to run: {attack}"
    assert got["intact"], got
    assert any(ATTACKS[attack][2] in note for note in got["notes"]), got["notes"]
    assert got["again"] == [], "a second restore found something left over"


def test_quick_restore_after_each_cell_puts_builtins_back(guarded):
    _, out = guarded
    assert out["quick_intact"]
    assert any("builtins.len" in note for note in out["quick"]), out["quick"]
