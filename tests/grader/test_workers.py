"""The warm worker pool and its templates, driven directly with hand-made jobs (real worker processes)."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MEMORY_SCAN
from salescoach.grader.sandbox import Limits, bubblewrap
from salescoach.grader.workers import WorkerPool, WorkerProcess

ROOT = Path(__file__).resolve().parents[2]
LIMITS = Limits(cell_timeout=10, notebook_cpu=60, memory_mb=512, max_processes=16).as_dict()

# the trusted opening cells: they note the process they ran in and how often they ran there
OPENING = [
    "import os\nopened_in = os.getpid()\nruns = globals().get('runs', 0) + 1",
    "print('data ready')\n21 * 2",
]


def _job(n: int, *student: str, opening: list[str] = OPENING, prefix: int | None = None) -> dict:
    cells = [{"id": f"open{i}", "kind": "locked", "source": s} for i, s in enumerate(opening)]
    cells += [{"id": f"cell{i}", "kind": "code", "source": s} for i, s in enumerate(student)]
    return {"id": f"job{n}", "cells": cells, "limits": LIMITS, "prefix": len(opening) if prefix is None else prefix}


def _run(pool: WorkerPool, job: dict) -> dict:
    pool.submit(job)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for result in pool.wait(timeout=1.0):
            return result
    raise AssertionError("no result")


def _text(cell: dict) -> str:
    parts = []
    for o in cell["outputs"]:
        parts.append(o.get("text") or o.get("evalue") or o.get("data", {}).get("text/plain", ""))
    return "".join(parts)


@pytest.fixture(scope="module", params=["bubblewrap", "none"])
def sandbox(request) -> str:
    if request.param == "bubblewrap" and bubblewrap() is None:
        pytest.skip("bubblewrap is not installed")
    return request.param


@pytest.fixture(scope="module")
def pool(sandbox):
    with WorkerPool(ROOT, size=1, use_sandbox=sandbox == "bubblewrap") as p:
        assert p.sandbox == sandbox
        yield p


def test_opening_cells_run_once_and_look_as_if_run_by_each_student(pool):
    student = ["print(runs, opened_in == os.getpid())", "x = 1", "x + 1"]
    first, second = _run(pool, _job(1, *student)), _run(pool, _job(2, *student))
    plain = _run(pool, _job(3, *student, prefix=0))  # the same job, every cell run by the student's process
    for r in (first, second, plain):
        assert r["stopped"] is None, r
        assert [c["execution_count"] for c in r["cells"]] == [1, 2, 3, 4, 5]
        assert _text(r["cells"][1]) == "data ready\n42"
    # with a template the opening ran once, in another process; without, in the student's own process
    assert _text(first["cells"][2]) == _text(second["cells"][2]) == "1 False\n"
    assert _text(plain["cells"][2]) == "1 True\n"
    assert _text(first["cells"][4]) == "2"
    # and each submission starts from the template's state, not from the previous student's
    leak = _run(pool, _job(4, "secret = 'from student 4'"))
    after = _run(pool, _job(5, "print(globals().get('secret'))"))
    assert leak["stopped"] is None and _text(after["cells"][2]) == "None\n"


def test_opening_cells_that_fail_or_leave_files_are_run_by_every_student(pool):
    failing = ["import os\nopened_in = os.getpid()", "raise RuntimeError('no data')"]
    for n in (1, 2):
        r = _run(pool, _job(10 + n, "print(opened_in == os.getpid())", opening=failing))
        assert "no data" in _text(r["cells"][1])
        assert _text(r["cells"][2]) == "True\n"  # not from a template
    writing = ["import os\nopened_in = os.getpid()\nopen('notes.txt', 'w').write('hello')"]
    for n in (1, 2):
        r = _run(pool, _job(20 + n, "print(open('notes.txt').read(), opened_in == os.getpid())", opening=writing))
        assert _text(r["cells"][1]) == "hello True\n"


def test_a_student_who_kills_the_template_is_graded_and_the_next_gets_a_new_one(pool, sandbox):
    """In the sandbox the template cannot even be named; without it, a killed template is replaced."""
    before = _run(pool, _job(30, "print(opened_in)"))
    killer = _run(pool, _job(31, "import signal\nos.kill(os.getppid(), signal.SIGKILL)", "print('still here')"))
    assert killer["stopped"] is None and _text(killer["cells"][3]) == "still here\n"
    after = _run(pool, _job(32, "print(opened_in)"))
    assert after["stopped"] is None
    if sandbox == "bubblewrap":
        assert _text(after["cells"][2]) == _text(before["cells"][2])  # the same template: it was out of reach
    else:
        assert _text(after["cells"][2]) != _text(before["cells"][2])  # a new template, in a new process


def test_a_student_process_that_dies_is_described(pool):
    r = _run(pool, _job(40, "os._exit(3)", "print('never')"))
    assert "exit status 3" in r["stopped"]
    assert "NotRun" in str(r["cells"][3]["outputs"])
    r = _run(pool, _job(41, "import ctypes\nctypes.string_at(0)"))
    assert "SIGSEGV" in r["stopped"]
    ok = _run(pool, _job(42, "print(runs)"))
    assert ok["stopped"] is None and _text(ok["cells"][2]) == "1\n"


def test_tracebacks_and_tables_need_no_imports_in_the_student_process(pool):
    """What IPython and pandas import lazily (runner.shell.FIRST_CELL_IMPORTS) was imported before the fork."""
    r = _run(pool, _job(50, "import sys\nbefore = set(sys.modules)", "1 / 0",
                        "import pandas as pd\npd.DataFrame({'a': [1.5], 'b': ['x']})", "pd.Series([1.0])",
                        "print(sorted(set(sys.modules) - before))"))
    assert "ZeroDivisionError" in str(r["cells"][3]["outputs"])
    assert "text/html" in r["cells"][4]["outputs"][0]["data"]
    assert _text(r["cells"][6]) == "[]\n"


def test_ipython_syntax_and_top_level_await_still_work(pool):
    """The shell skips IPython's syntax and await scans for cells that cannot need them, and only those."""
    r = _run(pool, _job(60, "%time y = 6 * 7", "print(y, '100% sure?')", "import asyncio\nawait asyncio.sleep(0)\nz = 1",
                        "print(z)", "ratio = (10\n         / 4)\nratio"))
    assert r["stopped"] is None, r
    assert "Wall time" in _text(r["cells"][2])
    assert _text(r["cells"][3]) == "42 100% sure?\n"
    assert _text(r["cells"][5]) == "1\n"
    assert _text(r["cells"][6]) == "2.5"


SNOOPER = MEMORY_SCAN + "print(hits - 1)"


@pytest.mark.parametrize("prefix", [None, 0])
def test_a_student_process_holds_no_test_before_its_turn(pool, prefix):
    """Not even as freed bytes: student processes descend from a process that never received a job."""
    secret = "assert answer == 42, 'the hidden check number %d'"
    for n in range(3):  # the worker has held earlier jobs with the same hidden test by the second and third
        job = _job(70 + n, SNOOPER.format(key=b"the hidden check number".hex()), "answer = 42", prefix=prefix)
        job["cells"].append({"id": "tests", "kind": "test", "source": secret % n})
        r = _run(pool, job)
        assert r["stopped"] is None, r
        assert _text(r["cells"][2]) == "0\n"
        assert r["cells"][4]["outputs"] == []


def test_a_student_who_kills_the_zygote_is_graded_and_the_next_runs_on_a_fresh_worker(pool, sandbox):
    """Without the sandbox a student can kill the zygote (same user, same PID namespace): the worker is replaced.
    In the sandbox the zygote cannot be named from a student process, so nothing needs replacing."""
    kill_zygote = ("import signal\nppid = lambda p: int(open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()[1])\n"
                   "try:\n    os.kill(ppid(os.getppid()), signal.SIGKILL)\nexcept (OSError, ValueError):\n    pass\n"
                   "print('done')")  # the template's parent
    before = pool.workers[0].proc.pid
    jobs = {"job80": _job(80, kill_zygote), "job81": _job(81, "print(runs)")}  # the second queued behind it
    for job in jobs.values():
        pool.submit(job)
    results = {}

    def name(result: dict) -> str:
        return next(k for k, j in jobs.items() if j is result["job"])

    deadline = time.monotonic() + 120
    while len(results) < 2 and time.monotonic() < deadline:
        for r in pool.wait(timeout=1.0):
            results[name(r)] = r
            if name(r) == "job80":  # a submission that needs the zygote itself (no template)
                jobs["job82"] = _job(82, "print(runs)", prefix=0)
                pool.submit(jobs["job82"])
    while len(results) < 3 and time.monotonic() < deadline:
        for r in pool.wait(timeout=1.0):
            results[name(r)] = r
    assert results["job80"]["stopped"] is None and _text(results["job80"]["cells"][2]) == "done\n"
    for later in ("job81", "job82"):
        assert results[later]["stopped"] is None and _text(results[later]["cells"][2]) == "1\n", results[later]
    if sandbox == "none":
        assert pool.workers[0].proc.pid != before  # replaced: a new zygote only comes from a fresh worker
    else:
        assert pool.workers[0].proc.pid == before


def test_tracebacks_keep_the_failing_line_the_exception_and_the_students_frames(pool):
    r = _run(pool, _job(90, "def helper(v):\n    return v.iloc[5]", "import pandas as pd\nhelper(pd.Series([1]))"))
    tb = r["cells"][3]["outputs"][-1]["traceback"][0]
    assert "Cell In[4], line 2" in tb and "helper(pd.Series([1]))" in tb
    assert "Cell In[3], line 2, in helper" in tb and "return v.iloc[5]" in tb
    assert tb.endswith("IndexError: single positional indexer is out-of-bounds")
    r = _run(pool, _job(91, "def broken(:\n    pass"))
    assert "SyntaxError" in r["cells"][2]["outputs"][-1]["traceback"][0]


LIAR = r"""
import json, os, struct, sys
sys.path.insert(0, sys.argv[1])
from salescoach.grader.runner.framing import recv, send
send(1, {"ready": True, "warm_seconds": 0, "notes": []})
while (job := recv(0)) is not None:
    token = "a token it made up" if job["cells"][0]["source"] == "lie" else job["token"]
    send(1, {"token": token, "cells": [{"outputs": [], "execution_count": 1}], "stopped": None, "notes": []})
"""


class _LyingPool(WorkerPool):
    """Workers that answer a job whose cell says "lie" with a result for no job they were given."""

    def _start(self, slot: int) -> WorkerProcess:
        proc = subprocess.Popen([sys.executable, "-c", LIAR, str(ROOT / "lib")], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return WorkerProcess(proc, slot)


def test_a_result_is_accepted_only_for_its_own_job():
    with _LyingPool(ROOT, size=1, use_sandbox=False) as pool:
        first = pool.workers[0].proc.pid
        lie = {"cells": [{"id": "a", "kind": "code", "source": "lie"}], "limits": LIMITS, "prefix": 0}
        honest = {"cells": [{"id": "a", "kind": "code", "source": "x = 1"}], "limits": LIMITS, "prefix": 0}
        pool.submit(lie)
        pool.submit(honest)  # queued behind the lie on the same worker
        results = []
        deadline = time.monotonic() + 60
        while len(results) < 2 and time.monotonic() < deadline:
            results += pool.wait(timeout=1.0)
        by_job = {("lie" if r["job"] is lie else "honest"): r for r in results}
        assert by_job["lie"]["cells"] is None and "belongs to no job" in by_job["lie"]["stopped"]
        assert by_job["honest"]["cells"] == [{"outputs": [], "execution_count": 1}]
        assert pool.workers[0].proc.pid != first, "the lying worker was replaced"


def test_a_package_missing_from_the_environment_stops_grading(sandbox):
    """A worker that cannot import the exercise's library would give every student zero: grading must not start."""
    from salescoach.grader.plan import WarmPlan, missing_packages

    plan = WarmPlan(modules=("salescoach.no_such_subject_for_this_test",), exercises=())
    with WorkerPool(ROOT, size=1, use_sandbox=sandbox == "bubblewrap", plan=plan) as p:
        why = missing_packages(p.notes)
    assert "grading did not start" in why and "salescoach.no_such_subject_for_this_test" in why
    assert "make install" in why and "nothing was graded" in why
    with WorkerPool(ROOT, size=1, use_sandbox=sandbox == "bubblewrap") as p:
        assert missing_packages(p.notes) == ""  # the kit's own packages all import
