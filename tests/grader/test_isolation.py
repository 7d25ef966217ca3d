"""Student code against the grader's own processes, channels and files, in the sandbox (one fixture per attack).

Each attack runs as a student cell in a real worker (real bubblewrap).  The suite runs them as whoever runs
the tests: as root (CI) the student process has an unprivileged user id of its own; as another user the
sandbox's user namespace maps it to ``nobody``.  :func:`test_isolation_holds_for_an_unprivileged_trainer`
re-runs this file as ``nobody`` when the tests run as root, so both ways are checked on every run.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from salescoach.grader.sandbox import Limits, _python_paths, bubblewrap
from salescoach.grader.workers import WorkerPool

ROOT = Path(__file__).resolve().parents[2]
LIMITS = Limits(cell_timeout=6, notebook_cpu=60, memory_mb=256, max_processes=12, interrupt_grace=3).as_dict()
SECRET = "the hidden check number 4711"

pytestmark = pytest.mark.skipif(bubblewrap() is None, reason="bubblewrap is not installed (or cannot sandbox here)")


def _job(*student: str, tests: tuple[str, ...] = (), limits: dict | None = None) -> dict:
    cells = [{"id": "setup", "kind": "locked", "source": "import os, json"}]
    cells += [{"id": f"cell{i}", "kind": "code", "source": s} for i, s in enumerate(student)]
    cells += [{"id": f"test{i}", "kind": "test", "source": s} for i, s in enumerate(tests)]
    return {"cells": cells, "limits": limits or LIMITS, "prefix": 1}


def _results(pool: WorkerPool, *jobs: dict) -> list[dict]:
    """Submit ``jobs`` together (queued on the pool's one worker) and return their results in that order."""
    for job in jobs:
        pool.submit(job)
    done: dict[int, dict] = {}
    deadline = time.monotonic() + 180
    while len(done) < len(jobs) and time.monotonic() < deadline:
        for result in pool.wait(timeout=1.0):
            done[next(i for i, j in enumerate(jobs) if j is result["job"])] = result
    assert len(done) == len(jobs), "no result"
    return [done[i] for i in range(len(jobs))]


def _text(cell: dict) -> str:
    return "".join(o.get("text") or o.get("evalue") or str(o.get("data", {}).get("text/plain", ""))
                   for o in cell["outputs"])


def _printed(result: dict, i: int) -> str:
    """What student cell ``i`` printed (cell 0 is the set-up)."""
    return _text(result["cells"][i + 1])


@pytest.fixture(scope="module")
def pool():
    with WorkerPool(ROOT, size=1, use_sandbox=True, depth=2) as p:
        assert p.sandbox == "bubblewrap"
        yield p


# --------------------------------------------------------------------------- every route, every process
PROBE = r'''
import ctypes, signal
libc = ctypes.CDLL(None, use_errno=True)
me = os.getpid()
mine = {me} | {int(t) for t in os.listdir('/proc/self/task')}
found = {"visible": sorted(int(p) for p in os.listdir('/proc') if p.isdigit()), "open": []}
def attempt(what, fn):
    try:
        fn()
        found["open"].append(what)
    except OSError:
        pass
for pid in found["visible"]:
    if pid in mine:
        continue
    base = f'/proc/{pid}'
    attempt(f'{pid} fd list', lambda: os.listdir(base + '/fd'))
    for fd in range(0, 8):
        attempt(f'{pid} fd {fd} read', lambda: open(f'{base}/fd/{fd}', 'rb').close())
        attempt(f'{pid} fd {fd} write', lambda: open(f'{base}/fd/{fd}', 'wb').close())
    attempt(f'{pid} environ', lambda: open(base + '/environ', 'rb').read(1))
    attempt(f'{pid} mem', lambda: open(base + '/mem', 'rb').close())
    attempt(f'{pid} root', lambda: os.listdir(base + '/root'))
    attempt(f'{pid} cwd', lambda: os.listdir(base + '/cwd'))
    attempt(f'{pid} signal', lambda: os.kill(pid, 0))
    if libc.ptrace(16, pid, 0, 0) == 0:  # PTRACE_ATTACH
        found["open"].append(f'{pid} ptrace')
        libc.ptrace(17, pid, 0, 0)
for pid in (1, 2, 3):  # whatever these numbers are here: the worker was process 1 of the sandbox
    attempt(f'kill {pid}', lambda: os.kill(pid, 0) if pid not in mine else (_ for _ in ()).throw(OSError()))
print(json.dumps(found))
'''


def test_no_route_to_any_grader_process(pool):
    (result,) = _results(pool, _job(PROBE))
    found = json.loads(_printed(result, 0))
    assert found["open"] == [], found
    assert found["visible"] == [1], "the student process sees only itself (process 1 of its own namespace)"


INHERITED = r'''
kinds = {}
for fd in sorted(int(f) for f in os.listdir('/proc/self/fd')):
    try:
        kinds[fd] = os.readlink(f'/proc/self/fd/{fd}')
    except OSError:
        pass
print(json.dumps(kinds))
'''


def test_only_its_own_descriptors_are_open(pool):
    (result,) = _results(pool, _job(INHERITED))
    kinds = {int(k): v for k, v in json.loads(_printed(result, 0)).items()}
    sockets = [fd for fd, what in kinds.items() if what.startswith("socket:")]
    pipes = [fd for fd, what in kinds.items() if what.startswith("pipe:")]
    assert kinds[0] == "/dev/null" and kinds[1].endswith("/fd1") and kinds[2].endswith("/fd2"), kinds
    assert len(sockets) == 1 and not pipes, kinds  # its own socket to the worker, nothing else
    assert set(kinds) - {0, 1, 2, *sockets} <= {max(kinds)}, kinds  # and the listing's own descriptor


KILL_ALL = "import signal\ntry:\n    os.kill(-1, signal.SIGKILL)\nexcept OSError:\n    pass\nprint('still here')"


def test_signals_cannot_reach_the_worker(pool):
    before = pool.workers[0].proc.pid
    killer, after = _results(pool, _job(KILL_ALL), _job("print('next')"))
    assert _printed(after, 0) == "next\n" and after["stopped"] is None
    assert pool.workers[0].proc.pid == before, "the worker was not replaced"
    assert killer["cells"] is not None


# --------------------------------------------------------------------------- results bound to their job
FORGE = r'''
import struct
def link(fd):
    try:
        return os.readlink(f'/proc/self/fd/{fd}')
    except OSError:
        return ''
sock = next(int(f) for f in os.listdir('/proc/self/fd') if link(f).startswith('socket:'))
for seq in range(0, 6):
    body = json.dumps({"seq": seq, "outputs": [], "execution_count": 1, "notes": []}).encode()
    os.write(sock, struct.pack('>I', len(body)) + body)
print('forged')
'''
STEAL = r'''
import glob
got = []
for path in glob.glob('/proc/*/fd/*'):
    try:
        with open(path, 'rb') as fh:
            os.set_blocking(fh.fileno(), False)
            got.append(fh.read(100000) or b'')
    except (OSError, TypeError):
        pass
print('STOLEN' if any(b'hidden check' in g for g in got) else 'nothing')
'''


def test_a_forged_result_fails_only_its_own_submission(pool):
    victim = _job("answer = 4711", tests=(f"assert answer == 4711, {SECRET!r}",))
    forger, honest = _results(pool, _job(FORGE, tests=("assert False",)), victim)
    assert forger["cells"] is None and "wrote to the grader's own channel" in forger["stopped"]
    assert honest["stopped"] is None and honest["cells"][2]["outputs"] == []  # its test passed, as it should


def test_the_next_job_cannot_be_read_or_rewritten(pool):
    victim = _job("answer = 4711", tests=(f"assert answer == 4711, {SECRET!r}",))
    thief, honest = _results(pool, _job(STEAL), victim)
    assert _printed(thief, 0) == "nothing\n"
    assert honest["stopped"] is None and honest["cells"][2]["outputs"] == []


# --------------------------------------------------------------------------- bounded outputs
def test_metadata_output_count_and_notebook_total_are_bounded(pool):
    limits = {**LIMITS, "max_notebook_bytes": 400_000, "max_outputs": 20}
    flood_meta = ("from IPython.display import display\n"
                  "display({'text/plain': 'x'}, raw=True, metadata={'junk': 'm' * 5_000_000})")
    many = "from IPython.display import display\nfor i in range(500):\n    display(i)"
    big = "print(('y' * 9000 + '\\n') * 20)"
    (result,) = _results(pool, _job(flood_meta, flood_meta, many, big, big, big, big, limits=limits))
    size = len(json.dumps(result["cells"]))
    assert size < 450_000, size
    notes = " ".join(result["notes"])
    assert "metadata" in notes and "500 outputs cut to 20" in notes and "limit of" in notes
    assert all(o.get("metadata", {}) == {} for o in result["cells"][1]["outputs"])


# --------------------------------------------------------------------------- limits and secrets
def _home_allowed() -> set[str]:
    home = Path.home().resolve()
    return {p.relative_to(home).parts[0] for p in _python_paths(ROOT) if home in p.parents}


SECRETS = r'''
out = {}
for name, path in {"shadow": "/etc/shadow", "home": HOME, "source": SOURCE}.items():
    try:
        out[name] = sorted(os.listdir(path)) if os.path.isdir(path) else open(path).read(1)
    except OSError as exc:
        out[name] = type(exc).__name__
print(json.dumps(out))
'''
FORKS = r'''
import time
started = 0
try:
    for _ in range(200):
        if os.fork() == 0:
            time.sleep(20)
            os._exit(0)
        started += 1
except OSError:
    pass
print(started)
'''


def test_secrets_stay_out_of_reach(pool):
    source = ROOT / "solutions"
    cell = f"HOME, SOURCE = {str(Path.home().resolve())!r}, {str(source)!r}\n" + SECRETS
    (result,) = _results(pool, _job(cell))
    out = json.loads(_printed(result, 0))
    assert out["shadow"] in ("PermissionError", "FileNotFoundError"), out
    assert out["source"] == "FileNotFoundError", out
    assert out["home"] == "FileNotFoundError" or set(out["home"]) <= _home_allowed(), out


def test_the_process_limit_holds(pool):
    (result,) = _results(pool, _job(FORKS))
    started = int(_printed(result, 0))
    assert started <= LIMITS["max_processes"], started


def test_a_caught_memory_error_leaves_a_note(pool):
    caught = "try:\n    hog = bytearray(8 * 1024 ** 3)\nexcept MemoryError:\n    print('caught')"
    numpy_caught = "import numpy as np\ntry:\n    a = np.ones(2 * 1024 ** 3)\nexcept MemoryError:\n    print('caught')"
    first, second = _results(pool, _job(caught, "print('on')"), _job(numpy_caught))
    for result in (first, second):
        assert _printed(result, 0) == "caught\n"
        assert any("cell0: ran into the memory limit of 256 MB" in n for n in result["notes"]), result["notes"]
    assert _printed(first, 1) == "on\n"


# --------------------------------------------------------------------------- time limits, as nbgrader
def test_a_cell_past_its_time_is_interrupted_and_the_notebook_goes_on(pool):
    (result,) = _results(pool, _job("x = 1", "while True:\n    x += 1", "print('went on', x > 1)"))
    loop = result["cells"][2]["outputs"]
    assert [o["ename"] for o in loop if o["output_type"] == "error"] == ["KeyboardInterrupt", "CellTimeoutError"]
    assert _printed(result, 2) == "went on True\n" and result["stopped"] is None
    assert any("interrupted" in n for n in result["notes"])


def test_a_cell_that_ignores_the_interrupt_is_ended_with_a_reason(pool):
    stubborn = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
    (result,) = _results(pool, _job(stubborn, "print('never')"))
    assert "did not stop when interrupted" in result["stopped"]
    assert "NotRun" in json.dumps(result["cells"][2]["outputs"])


# --------------------------------------------------------------------------- both kinds of trainer
def test_isolation_holds_for_an_unprivileged_trainer():
    """Re-run this file as ``nobody``, the way a trainer without root runs the grader."""
    if os.geteuid() != 0:
        pytest.skip("already running as an unprivileged user")
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv (util-linux) is not installed")
    prefix = Path(sys.base_prefix).resolve()
    binds = ["--dev-bind", "/", "/"]
    home = Path("/root")
    if home in prefix.parents:  # root's home is 0700: show nobody the interpreter only, read-only
        binds += ["--perms", "0755", "--tmpfs", str(home)]
        for folder in [p for p in reversed(prefix.parents) if home in p.parents]:
            binds += ["--perms", "0755", "--dir", str(folder)]
        binds += ["--ro-bind", str(prefix), str(prefix)]
    work = Path(tempfile.mkdtemp(prefix="salescoach-nobody-"))  # pytest's own folders are private to root
    os.chmod(work, 0o777)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}
    cmd = [shutil.which("bwrap"), *binds, setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
           "--inh-caps=-all", sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
           "--basetemp", str(work / "t"), "-k", "not unprivileged", str(Path(__file__).resolve())]
    try:
        proc = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, timeout=600)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "passed" in proc.stdout and "skipped" not in proc.stdout.splitlines()[-1], proc.stdout[-1000:]


# --------------------------------------------------------------------------- students apart
LEAVE = r'''
left = []
for path in ('/tmp/left.txt', '/left.txt', '/dev/shm/left.txt', '/tmp/salescoach-work/left.txt', 'mine.txt'):
    try:
        with open(path, 'w') as fh:
            fh.write('from the last student')
        left.append(path)
    except OSError:
        pass
print(json.dumps(left))
'''
FIND = r'''
import glob
found = [p for pattern in ('/tmp/**', '/*', '/dev/shm/*', '*') for p in glob.glob(pattern, recursive=True)
         if p.endswith('left.txt') or p.endswith('mine.txt')]
print(json.dumps(found))
'''


def test_nothing_a_student_leaves_reaches_the_next(pool):
    first, second = _results(pool, _job(LEAVE), _job(FIND))
    # only its own folder and its own /dev/shm are writable, and both go with its process
    assert json.loads(_printed(first, 0)) == ["/dev/shm/left.txt", "mine.txt"]
    assert json.loads(_printed(second, 0)) == []


def test_a_kit_anywhere_is_seen_by_the_student(kit_copy: Path):
    """The kit's data and manifest are there for the student's code wherever the kit lives (here under /tmp)."""
    with WorkerPool(kit_copy, size=1, use_sandbox=True) as other:
        (result,) = _results(other, _job("from salescoach.datasets import load\nprint(len(load('territory')) > 0)",
                                         "from salescoach.quiz import load_bank\nprint(len(load_bank('m3').items))"))
    assert _printed(result, 0) == "True\n", result
    # the question banks self-checks read (students receive them with the lessons); the source stays hidden
    assert int(_printed(result, 1)) > 0, result
