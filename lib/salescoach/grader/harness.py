"""The grading worker that runs inside the sandbox: a warm Python that forks one process per submission.

Started as ``python -m salescoach.grader.harness`` (inside bubblewrap when it
is available).  It imports pandas, numpy, matplotlib, IPython and the kit
once, then reads jobs on stdin and answers on stdout, both as 4-byte
big-endian length + JSON.  For each job it forks a fresh child (the
"student process") that runs the notebook's code cells one at a time in an
IPython shell and sends back nbformat outputs.  The worker, not the child,
enforces the limits: wall time per cell, output size, message size; the
child itself runs under CPU-time, memory, process-count and file-size
rlimits.  After each job the worker kills every process the child left
behind and empties the scratch folders, so the next student starts clean.

Student processes are never forked from the worker itself, which holds
whole jobs (hidden tests included, and as freed bytes long after): they come
from a *zygote* (:class:`_Zygote`) forked right after warm-up, before the
first job, which never receives a test.  A student process gets each cell
only when it is that cell's turn, so no student code can find a hidden test
in its own memory before the test has run (``tests/test_grader_workers.py``
and the ``memory_snooper`` fixture scan ``/proc/self/mem`` for one).  After a
test cell has run, its text is in that process and later cells of the same
notebook could find it; nbgrader has the same limit.

Most notebooks open with the trainer's locked set-up cells (imports, loading
the data), the same for every student.  When the pipeline marks them as the
job's trusted ``prefix``, the zygote starts a *template* process that runs them
once, and each student process is forked from it (see :class:`_Template`):
same state, outputs and execution counts as running them per student, about
13% less CPU per submission.  The template never runs student code.

Nothing in this module may import the gradebook or read course files: the
sandbox does not even contain them.
"""
from __future__ import annotations

import json
import os
import re
import resource
import select
import shutil
import signal
import struct
import sys
import time
from typing import Any

HEADER = struct.Struct(">I")
WARM_DATA_BYTES = 1_000_000  # datasets up to this size are loaded before the fork
WORK = os.environ.get("SALESCOACH_SCRATCH", "/tmp/salescoach-work")


# --------------------------------------------------------------------------- framing
def send(fd: int, obj: Any) -> None:
    data = json.dumps(obj, allow_nan=True).encode()
    buf = HEADER.pack(len(data)) + data
    while buf:
        n = os.write(fd, buf)
        buf = buf[n:]


class MessageTooLarge(Exception):
    pass


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes | None:
    chunks, got = [], 0
    while got < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                raise TimeoutError
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def recv(fd: int, deadline: float | None = None, max_bytes: int = 1 << 30) -> Any:
    """One message, or None at end of file.  Raises TimeoutError, MessageTooLarge."""
    head = _read_exact(fd, HEADER.size, deadline)
    if head is None:
        return None
    (size,) = HEADER.unpack(head)
    if size > max_bytes:
        raise MessageTooLarge(size)
    body = _read_exact(fd, size, deadline)
    if body is None:
        return None
    return json.loads(body)


# --------------------------------------------------------------------------- output limits
def _text(value: Any) -> str:
    """A notebook text field: a string, or a list of strings joined (nbformat allows both)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    return "" if value is None else json.dumps(value)


def _cut_lines(text: str, max_lines: int, max_len: int, what: str, notes: list[str]) -> str:
    lines = text.splitlines(keepends=True)
    cut = False
    if len(lines) > max_lines:
        notes.append(f"{len(lines)} lines of {what} cut to {max_lines}")
        lines, cut = lines[:max_lines], True
    fixed = []
    for line in lines:
        if len(line) > max_len:
            notes.append(f"an output line of {len(line)} characters cut to {max_len}")
            line = line[:max_len] + f"... [{len(line) - max_len} characters cut by the grader]\n"
        fixed.append(line)
    if cut:
        fixed.append("... [output cut by the grader]\n")
    return "".join(fixed)


def limit_outputs(outputs: list[dict], limits: dict) -> tuple[list[dict], list[str]]:
    """Rebuild the student process's outputs as valid nbformat outputs, within the output limits.

    The student process is the student's code, so what it sends is rebuilt
    field by field (unknown output types and fields are dropped, texts become
    strings).  Stream text is cut to ``max_lines`` lines of ``max_line_length``
    characters, a traceback to as many entries; images over ``max_image_bytes``
    and other data over ``max_lines * max_line_length`` characters are dropped.
    """
    max_lines = int(limits.get("max_lines", 1000))
    max_len = int(limits.get("max_line_length", 10_000))
    max_img = int(limits.get("max_image_bytes", 2_000_000))
    notes: list[str] = []
    out: list[dict] = []
    for o in outputs if isinstance(outputs, list) else []:
        kind = o.get("output_type") if isinstance(o, dict) else None
        if kind == "stream":
            name = "stderr" if o.get("name") == "stderr" else "stdout"
            out.append({"output_type": "stream", "name": name,
                        "text": _cut_lines(_text(o.get("text")), max_lines, max_len, f"{name} output", notes)})
        elif kind in ("display_data", "execute_result"):
            data: dict[str, Any] = {}
            raw = o.get("data") if isinstance(o.get("data"), dict) else {}
            for mime, value in raw.items():
                if not isinstance(mime, str) or "/" not in mime:
                    continue
                value = value if mime.endswith("json") else _text(value)
                size = len(value) if isinstance(value, str) else len(json.dumps(value))
                if mime.startswith("image/") and size > max_img:
                    notes.append(f"an image of {size} bytes removed (limit {max_img})")
                elif not mime.startswith("image/") and size > max_lines * max_len:
                    notes.append(f"a {mime} output of {size} characters removed")
                else:
                    data[mime] = value
            if not data:
                data = {"text/plain": "[output removed by the grader: too large]" if raw else ""}
            item = {"output_type": kind, "data": data,
                    "metadata": o.get("metadata") if isinstance(o.get("metadata"), dict) else {}}
            if kind == "execute_result":
                count = o.get("execution_count")
                item["execution_count"] = count if isinstance(count, int) and not isinstance(count, bool) else None
            out.append(item)
        elif kind == "error":
            tb = o.get("traceback") if isinstance(o.get("traceback"), list) else []
            if len(tb) > max_lines:
                notes.append(f"a traceback of {len(tb)} entries cut to {max_lines}")
                tb = tb[:max_lines]
            out.append({"output_type": "error", "ename": _text(o.get("ename"))[:max_len],
                        "evalue": _cut_lines(_text(o.get("evalue")), max_lines, max_len, "an error message", notes),
                        "traceback": [_text(t)[:max_len] for t in tb]})
    return out, notes


# --------------------------------------------------------------------------- the student process
def _make_shell():
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.inputtransformer2 import TransformerManager
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class Pub(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):  # noqa: ARG002
            CAPTURE.flush_streams()
            CAPTURE.outputs.append({"output_type": "display_data", "data": data, "metadata": metadata or {}})

        def clear_output(self, wait=False):  # noqa: ARG002
            CAPTURE.flush_streams()
            CAPTURE.outputs.clear()

    class Hook(DisplayHook):
        def start_displayhook(self):
            CAPTURE.flush_streams()

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            CAPTURE.outputs.append({"output_type": "execute_result", "data": format_dict,
                                    "metadata": md_dict or {}, "execution_count": self.prompt_count})

        def finish_displayhook(self):
            pass

    class Transformer(TransformerManager):
        def do_token_transforms(self, lines):
            # IPython re-tokenizes every cell (in pure Python) to look for its own syntax (%magic, !shell,
            # obj?, ,autocall); a cell with none of those characters comes back unchanged, so skip the work
            if not _IPYTHON_SYNTAX.search("".join(lines)):
                return lines
            return super().do_token_transforms(lines)

    class Shell(InteractiveShell):
        def should_run_async(self, raw_cell, *, transformed_cell=None, preprocessing_exc_tuple=None):
            # IPython compiles every cell once more to look for top-level await; without the words await
            # or async there can be none
            if isinstance(transformed_cell, str) and "await" not in transformed_cell and "async" not in transformed_cell:
                return False
            return super().should_run_async(raw_cell, transformed_cell=transformed_cell,
                                            preprocessing_exc_tuple=preprocessing_exc_tuple)

        def _showtraceback(self, etype, evalue, stb):
            CAPTURE.flush_streams()
            CAPTURE.outputs.append({"output_type": "error", "ename": getattr(etype, "__name__", str(etype)),
                                    "evalue": _safe_str(evalue), "traceback": list(stb)})

        def init_displayhook(self):
            self.displayhook = Hook(shell=self, cache_size=self.cache_size)
            self.configurables.append(self.displayhook)
            self.display_trap = __import__("IPython.core.display_trap", fromlist=["DisplayTrap"]).DisplayTrap(
                hook=self.displayhook)

        def init_display_pub(self):
            self.display_pub = Pub(shell=self, parent=self)
            self.configurables.append(self.display_pub)

        def init_io(self):
            pass

        def enable_gui(self, gui=None):  # noqa: ARG002 - inline figures need no event loop
            pass

    cfg = Config()
    cfg.HistoryManager.enabled = False
    cfg.InteractiveShell.colors = "NoColor"
    cfg.InteractiveShell.xmode = "Plain"
    shell = Shell.instance(config=cfg)
    shell.input_transformer_manager = Transformer()
    shell.enable_matplotlib("inline")
    return shell


def _safe_str(value: Any) -> str:
    try:
        return str(value)
    except Exception:  # a student's exception whose __str__ itself fails
        return f"<{type(value).__name__}: message could not be shown>"


class _Capture:
    """Collects one cell's outputs; sys.stdout/sys.stderr write here."""

    def __init__(self) -> None:
        self.outputs: list[dict] = []
        self.pending: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self.order: list[str] = []

    def write(self, name: str, text: str) -> None:
        if not self.order or self.order[-1] != name:
            self.flush_streams()
            self.order.append(name)
        self.pending[name].append(text)

    def flush_streams(self) -> None:
        for name in self.order:
            text = "".join(self.pending[name])
            if text:
                self.outputs.append({"output_type": "stream", "name": name, "text": text})
            self.pending[name] = []
        self.order = []

    def take(self) -> list[dict]:
        self.flush_streams()
        out, self.outputs = self.outputs, []
        return out


class _Stream:
    encoding = "utf-8"
    errors = "replace"

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, text: Any) -> int:
        text = text if isinstance(text, str) else _safe_str(text)
        CAPTURE.write(self.name, text)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return 1 if self.name == "stdout" else 2

    @property
    def closed(self) -> bool:
        return False


CAPTURE = _Capture()
#: characters without which IPython's token transforms find nothing to change: %magic, !shell, obj?, and the
#: autocall escapes , ; / at the start of a line
_IPYTHON_SYNTAX = re.compile(r"[%!?]|^[ \t]*[,;/]", re.MULTILINE)
STATE: dict[str, Any] = {}
#: modules IPython and pandas import lazily the first time a cell runs, shows a traceback or displays a
#: table (measured with IPython 8 / pandas 2): imported before the fork instead of in every student process
FIRST_CELL_IMPORTS = ("IPython.core.logger", "bdb", "pygments.console", "pygments.formatters.terminal256",
                      "pandas.io.formats.html", "pandas.io.formats.string")


def warm() -> None:
    """Import what every submission needs, once, before any fork."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    import matplotlib

    matplotlib.use("module://matplotlib_inline.backend_inline")
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401

    import salescoach.datasets  # noqa: F401
    import salescoach.selfcheck as selfcheck
    from salescoach.grader.guard import Guard

    for module in os.environ.get("SALESCOACH_WARM", "").split(","):
        if module.strip():
            __import__(module.strip())
    for name in os.environ.get("SALESCOACH_WARM_EXERCISES", "").split(","):
        if name.strip():
            selfcheck.precompute(name.strip())
    from salescoach.datasets import dataset_names, load, path_of

    for name in dataset_names():  # parsed and checked once here, a copy for each submission after the fork
        try:
            if path_of(name).stat().st_size <= WARM_DATA_BYTES:
                load(name)
        except (OSError, ValueError):
            pass  # a missing or broken dataset gets its clear error in the student's own cell
    shell = _make_shell()
    for module in FIRST_CELL_IMPORTS:  # else every student process imports them again in its first cells
        try:
            __import__(module)
        except ImportError:  # pragma: no cover - another IPython or pandas version
            pass
    # Source lines cached while importing (attrs' generated methods, mostly): every traceback a student's cell
    # shows re-checks each entry, and each test cell's source is looked for among them afterwards
    import linecache

    linecache.clearcache()
    STATE["shell"] = shell
    STATE["guard"] = Guard(shell)
    # Everything loaded so far is shared with every forked student process; keep the garbage collector from
    # walking (and so copying) those pages in each child.
    import gc

    gc.collect()
    gc.freeze()


def _child_limits(limits: dict) -> None:
    cpu = int(limits.get("notebook_cpu", 120))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
    mem = int(limits.get("memory_mb", 1024)) * 1024 * 1024
    if mem > 0:
        with open("/proc/self/status") as fh:
            vm = next((int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:")), 0)
        resource.setrlimit(resource.RLIMIT_AS, (vm + mem, vm + mem))
    fsize = int(limits.get("file_mb", 50)) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    nproc = int(limits.get("max_processes", 32))
    if nproc > 0 and os.getuid() != 0:
        try:
            tasks = sum(1 for _ in os.listdir("/proc") if _.isdigit())
        except OSError:
            tasks = 0
        threads = len(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else 1
        resource.setrlimit(resource.RLIMIT_NPROC, (tasks + threads + nproc, tasks + threads + nproc))


def _enter(scratch: str, capture: str) -> None:
    """Start a student process (or a template): its own folder, session and captured file descriptors."""
    os.chdir(scratch)
    os.environ["HOME"] = scratch
    os.setsid()
    # output written straight to the file descriptors (C code, subprocesses) is kept in files and read back
    for fd in (1, 2):
        new = os.open(os.path.join(capture, f"fd{fd}"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(new, fd)
        os.close(new)


def child_main(rfd: int, wfd: int, job: dict) -> None:
    """The student process: run the cells the worker sends, one at a time.

    Started as a *template* (see :class:`_Template`), it runs only the notebook's trusted opening cells and
    then answers ``{"fork": ...}``: the copy it forks goes on with the student's cells on its own pipes.
    """
    _enter(job["scratch"], job["capture"])
    _child_limits(job.get("limits", {}))
    shell = STATE["shell"]
    guard = STATE.pop("guard")  # the student's code finds no handle on the guard's snapshot by name
    sys.stdout, sys.stderr = _Stream("stdout"), _Stream("stderr")
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    capture = job["capture"]
    read_pos = {1: 0, 2: 0}
    # Everything this loop needs is bound to local names now: student code can rebind module attributes
    # (they are put back after every cell) but not the local variables of a running function.
    run_cell, restore, restore_quick = type(shell).run_cell, guard.restore, guard.restore_quick
    remember, forget, take, read_new, jsonable = guard.remember_locked, _forget_source, CAPTURE.take, _read_new, _jsonable
    new_stream, send_msg, recv_msg, any_, bool_, dict_ = _Stream, send, recv, any, bool, dict
    getpid, exit_now, me = os.getpid, os._exit, os.getpid()
    while True:
        msg = recv_msg(rfd)
        if msg is None:
            os._exit(0)
        if "wait" in msg:  # a template, between submissions; no student code has run here
            _answer_wait(rfd, msg)
            continue
        if "fork" in msg:
            channel = _template_fork(rfd, msg["fork"])
            if channel is not None:  # the new student process: from here on it talks to the worker directly
                rfd = wfd = channel
                capture, read_pos, me = msg["fork"]["capture"], {1: 0, 2: 0}, getpid()
            continue
        kind, source = msg["kind"], msg["source"]
        notes: list[str] = []
        if kind == "test":
            notes = restore()
        before = dict_(shell.user_ns) if kind == "locked" else None
        CAPTURE.outputs, CAPTURE.pending, CAPTURE.order = [], {"stdout": [], "stderr": []}, []
        sys.stdout, sys.stderr = new_stream("stdout"), new_stream("stderr")
        started = time.process_time()
        result = run_cell(shell, source, store_history=kind != "test", silent=False)
        if getpid() != me:  # a copy made by the student's os.fork() must not talk to the worker
            exit_now(0)
        notes += restore_quick()
        sys.stdout, sys.stderr = new_stream("stdout"), new_stream("stderr")
        if kind == "test":
            forget(source)
        if before is not None:
            remember(shell.user_ns, before)
        outputs = take()
        for fd, name in ((1, "stdout"), (2, "stderr")):
            text = read_new(capture, fd, read_pos)
            if text:
                outputs.append({"output_type": "stream", "name": name, "text": text})
        error = bool_(result.error_before_exec or result.error_in_exec)
        if error and not any_(o["output_type"] == "error" for o in outputs):
            exc = result.error_before_exec or result.error_in_exec
            outputs.append({"output_type": "error", "ename": type(exc).__name__, "evalue": _safe_str(exc),
                            "traceback": []})
        reply = {"outputs": outputs, "execution_count": result.execution_count,
                 "cpu": time.process_time() - started, "notes": notes}
        try:
            send_msg(wfd, reply)
        except (TypeError, ValueError):  # an output that is not plain JSON (a student's object): as text
            reply["outputs"] = jsonable(outputs)
            send_msg(wfd, reply)


def _answer_wait(fd: int, msg: dict) -> None:
    """In the zygote or a template: collect one of its processes (killed after the grace time), send the status."""
    _, status = _wait(int(msg["wait"]), float(msg.get("grace", 1.0)))
    send(fd, {"status": status})


def _fork_child(fd: int) -> int | None:
    """Fork a process connected to the worker by a new socket.

    In the new process: returns its end of the socket, with ``fd`` (the requests channel) closed, so student
    code has no way to ask for anything.  Here: sends the worker the pid and the other end, returns None.
    """
    import socket

    mine, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        os.close(fd)
        mine.close()
        return theirs.detach()
    theirs.close()
    with socket.socket(fileno=os.dup(fd)) as sock:
        socket.send_fds(sock, [struct.pack(">q", pid)], [mine.fileno()])
    mine.close()
    return None


_FROZEN: list[bool] = []


def _template_fork(fd: int, spec: dict) -> int | None:
    """In a template: fork the next student process (see :func:`_fork_child`)."""
    if not _FROZEN:  # what the opening cells made is shared by every student process: keep gc off those pages
        import gc

        gc.collect()
        gc.freeze()
        _FROZEN.append(True)
    _reap()  # earlier students' processes
    channel = _fork_child(fd)
    if channel is not None:
        _enter(spec["scratch"], spec["capture"])
    return channel


def _forget_source(source: str) -> None:
    """Test cells (with hidden tests) leave no copy of their source for later student cells to print."""
    import linecache

    lines = source.splitlines(keepends=True)
    for key in [k for k, v in list(linecache.cache.items()) if len(v) > 2 and v[2] == lines]:
        linecache.cache.pop(key, None)


def _read_new(capdir: str, fd: int, pos: dict[int, int]) -> str:
    path = os.path.join(capdir, f"fd{fd}")
    try:
        with open(path, "rb") as fh:
            fh.seek(pos[fd])
            data = fh.read(4 * 1024 * 1024)
            pos[fd] += len(data)
    except OSError:
        return ""
    return data.decode("utf-8", "replace")


def _jsonable(outputs: list[dict]) -> list[dict]:
    try:
        json.dumps(outputs)
        return outputs
    except (TypeError, ValueError):
        return json.loads(json.dumps(outputs, default=_safe_str))


# --------------------------------------------------------------------------- the worker
def _kill_leftovers(child_pid: int, keep: tuple[int, ...] = ()) -> None:
    """Kill the student process's group (0: it is already gone) and, in the sandbox, every other process
    but ``keep`` (the template)."""
    me = os.getpid()
    if child_pid:
        try:
            os.killpg(child_pid, signal.SIGKILL)  # the student process leads its own session and group
        except OSError:
            pass
    if os.environ.get("SALESCOACH_SANDBOX") == "bubblewrap":
        # in our own PID namespace: every process but bwrap's init (1), this worker and the template is a
        # student's
        spare = {1, me, *keep}
        for _ in range(3):
            found = False
            for entry in os.listdir("/proc"):
                if entry.isdigit() and int(entry) not in spare:
                    found = True
                    try:
                        os.kill(int(entry), signal.SIGKILL)
                    except OSError:
                        pass
            _reap()
            if not found:
                break
    _reap()


def _reap() -> None:
    """Collect ended child processes."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _wipe(path: str) -> None:
    for entry in os.listdir(path):
        full = os.path.join(path, entry)
        try:
            if os.path.isdir(full) and not os.path.islink(full):
                shutil.rmtree(full, ignore_errors=True)
            else:
                os.unlink(full)
        except OSError:
            pass


def _describe_exit(status: int | None, limits: dict) -> str:
    if status is None:
        return "the Python process stopped unexpectedly"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            return (f"the notebook used more than its {limits.get('notebook_cpu', 120)} s of CPU time and was "
                    "stopped")
        if sig == signal.SIGKILL:
            return "the Python process was killed (SIGKILL), most likely for running out of memory"
        return f"the Python process died from signal {signal.Signals(sig).name}"
    return f"the student's code ended the Python process (exit status {os.WEXITSTATUS(status)})"


# --------------------------------------------------------------------------- the zygote and templates
def _ask_fork(sock: Any, msg: dict, seconds: float = 30) -> tuple[int, int]:
    """Ask the zygote or a template for a new process: its pid and the worker's end of its socket."""
    import socket

    send(sock.fileno(), msg)
    ready, _, _ = select.select([sock], [], [], seconds)
    if not ready:
        raise TimeoutError
    data, got, _, _ = socket.recv_fds(sock, 8, 1)
    if len(data) != 8 or len(got) != 1:
        for fd in got:
            os.close(fd)
        raise OSError("no process was started")
    return struct.unpack(">q", data)[0], got[0]


def _ask_status(sock: Any, pid: int, grace: float) -> int | None:
    """Ask the zygote or a template to collect ``pid`` (killed after ``grace`` s): its exit status, or None."""
    try:
        send(sock.fileno(), {"wait": pid, "grace": grace})
        return int(recv(sock.fileno(), deadline=time.monotonic() + grace + 10)["status"])
    except (OSError, ValueError, TimeoutError, KeyError, TypeError):
        return None


def _closed(sock: Any) -> bool:
    """True if the process at the other end has gone (it only ever writes when asked)."""
    ready, _, _ = select.select([sock], [], [], 0)
    return bool(ready)


class _Zygote:
    """The clean process every student process descends from.

    The worker forks it right after warming up, before it reads any job, and
    sends it nothing but requests to start a process (with the opening cells'
    limits and folders) or to collect one.  So no hidden test is ever in its
    memory, not even as freed bytes, and none is in the memory a student
    process starts with: the worker, which holds whole jobs, is never forked.
    A student process receives each test cell only when it is that cell's turn.
    """

    def __init__(self) -> None:
        import socket

        mine, theirs = socket.socketpair()
        worker = os.getpid()
        pid = os.fork()
        if pid == 0:
            try:
                mine.close()
                for fd in (PROTO_IN, PROTO_OUT):
                    os.close(fd)
                try:
                    import ctypes

                    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: go with the worker
                except Exception:  # pragma: no cover
                    pass
                if os.getppid() == worker:
                    _zygote_main(theirs.detach())
            finally:
                os._exit(0)
        theirs.close()
        self.pid, self.sock = pid, mine

    def alive(self) -> bool:
        try:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return False
        return not done and not _closed(self.sock)

    def spawn(self, scratch: str, capture: str, limits: dict) -> tuple[int, int]:
        """A new student process (it runs :func:`child_main`): its pid and the worker's end of its socket."""
        return _ask_fork(self.sock, {"spawn": {"scratch": scratch, "capture": capture, "limits": limits}})

    def wait(self, pid: int, grace: float) -> int | None:
        """Exit status of a process it started (killed after ``grace`` s); None if the zygote cannot say."""
        return _ask_status(self.sock, pid, grace)


def _zygote_main(fd: int) -> None:
    while True:
        msg = recv(fd)
        if msg is None:
            return
        if "wait" in msg:
            _answer_wait(fd, msg)
            continue
        channel = _fork_child(fd)
        if channel is not None:
            try:
                child_main(channel, channel, msg["spawn"])
            finally:
                os._exit(70)


ZYGOTE: _Zygote | None = None


class ZygoteGone(Exception):
    """The zygote cannot start processes (a student's code killed it): this worker must be replaced."""


class _Template:
    """A student process that has run a notebook's trusted opening cells and forks the students' processes.

    Most notebooks open with locked cells (imports, loading the data) that are the same for every student:
    nbgrader's ``OverwriteCells`` puts the trainer's source back into them, and the pipeline marks them as
    the job's ``prefix`` only when they match the gradebook.  The template (started by the zygote) runs them
    once; each submission then starts from a fork of it, with the same state, outputs and execution counts as
    if it had run them itself.  A prefix that fails, or leaves files behind, is not made a template: such
    submissions run every cell themselves.  The template never runs a student's code or sees a test cell;
    if a student's code kills it, the next submission makes a new one.
    """

    def __init__(self, key: str, pid: int, sock: Any, replies: list[dict]) -> None:
        self.key, self.pid, self.sock, self.replies = key, pid, sock, replies
        self.ended = False

    def alive(self) -> bool:
        if not self.ended and _closed(self.sock):
            self.stop()
        return not self.ended

    def fork(self, scratch: str, capture: str) -> tuple[int, int]:
        """A new student process that has run the prefix: its pid and the worker's end of its socket."""
        return _ask_fork(self.sock, {"fork": {"scratch": scratch, "capture": capture}})

    def wait(self, pid: int, grace: float) -> int | None:
        """The exit status of a student process forked by the template (killed after ``grace`` s)."""
        status = _ask_status(self.sock, pid, grace)
        if status is None:  # the template is gone or confused: not used again
            self.stop()
        return status

    def stop(self) -> None:
        if self.ended:
            return
        self.ended = True
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        if ZYGOTE is not None:
            ZYGOTE.wait(self.pid, 0)
        self.sock.close()


TEMPLATE: _Template | None = None
NO_TEMPLATE: set[str] = set()  # prefixes that failed or left files: not tried again


def _template_for(prefix: list[dict], limits: dict, scratch: str, capture: str) -> _Template | None:
    """The running template for ``prefix`` (the job's trusted opening cells), started if need be."""
    global TEMPLATE
    key = json.dumps([[c["source"] for c in prefix], limits], sort_keys=True)
    if TEMPLATE is not None and (TEMPLATE.key != key or not TEMPLATE.alive()):
        TEMPLATE.stop()
        TEMPLATE = None
    if TEMPLATE is None and key not in NO_TEMPLATE:
        TEMPLATE = _start_template(key, prefix, limits, scratch, capture)
        if TEMPLATE is None:
            NO_TEMPLATE.add(key)
    return TEMPLATE


def _start_template(key: str, prefix: list[dict], limits: dict, scratch: str, capture: str) -> _Template | None:
    import socket

    try:
        pid, fd = ZYGOTE.spawn(scratch, capture, limits)
    except (OSError, TimeoutError):
        return None
    template = _Template(key, pid, socket.socket(fileno=fd), [])
    cell_timeout = float(limits.get("cell_timeout", 30))
    try:
        for cell in prefix:
            send(fd, {"kind": cell["kind"], "source": cell["source"]})
            reply = recv(fd, deadline=time.monotonic() + cell_timeout,
                         max_bytes=int(limits.get("max_message_bytes", 64 * 1024 * 1024)))
            if not isinstance(reply, dict) or any(o.get("output_type") == "error" for o in reply.get("outputs") or []):
                raise ValueError("an opening cell failed")
            template.replies.append(reply)
        if os.listdir(scratch):
            raise ValueError("the opening cells left files in the student's folder")
    except (OSError, ValueError, TimeoutError, MessageTooLarge):
        template.stop()
        _wipe(scratch)
        return None
    return template


def run_job(job: dict) -> dict:
    limits = job.get("limits", {})
    base = os.path.join(WORK, "job")
    _wipe(WORK)
    os.makedirs(base, exist_ok=True)
    capture = os.path.join(WORK, "capture")
    os.makedirs(capture, exist_ok=True)
    cells = job["cells"]
    results: list[dict | None] = [None] * len(cells)
    notes: list[str] = []
    started = time.monotonic()
    prefix = int(job.get("prefix") or 0)
    template = _template_for(cells[:prefix], limits, base, capture) if prefix else None
    pid = 0
    if template is not None:
        try:
            pid, p_w = template.fork(base, capture)
        except (OSError, TimeoutError):
            template.stop()
            template = None
    if template is None:
        prefix = 0
        try:
            pid, p_w = ZYGOTE.spawn(base, capture, limits)
        except (OSError, TimeoutError) as exc:
            raise ZygoteGone(str(exc)) from exc
    p_r = os.dup(p_w)

    def accept(i: int, cell: dict, reply: dict) -> None:
        outputs, cut = limit_outputs(reply.get("outputs") or [], limits)
        notes.extend(f"{cell.get('id') or i}: {n}" for n in cut)
        notes.extend(f"{cell.get('id') or i}: restored {n}" for n in reply.get("notes") or [])
        results[i] = {"outputs": outputs, "execution_count": reply.get("execution_count"), "cpu": reply.get("cpu")}

    for i in range(prefix):  # run once, by the template
        accept(i, cells[i], template.replies[i])
    stopped: str | None = None
    cell_timeout = float(limits.get("cell_timeout", 30))
    max_msg = int(limits.get("max_message_bytes", 64 * 1024 * 1024))
    for i in range(prefix, len(cells)):
        cell = cells[i]
        try:
            send(p_w, {"kind": cell["kind"], "source": cell["source"]})
            reply = recv(p_r, deadline=time.monotonic() + cell_timeout, max_bytes=max_msg)
        except TimeoutError:
            stopped = f"cell {cell.get('id') or i} ran longer than {cell_timeout:g} s and was stopped"
            results[i] = {"outputs": [_error("TimeoutError", f"this cell ran longer than {cell_timeout:g} s "
                                             "(the grader's limit) and was stopped")], "stopped": True}
            break
        except MessageTooLarge as exc:
            stopped = f"cell {cell.get('id') or i} produced {exc.args[0]} bytes of output (limit {max_msg})"
            results[i] = {"outputs": [_error("OutputLimitError", stopped)], "stopped": True}
            break
        except (BrokenPipeError, OSError, ValueError) as exc:  # the student process is gone or sent garbage
            print(f"worker: {exc!r}", file=sys.stderr)
            reply = None
        if reply is None:
            status = (template or ZYGOTE).wait(pid, 1.0)
            stopped = _describe_exit(status, limits)
            results[i] = {"outputs": [_error("DeadKernelError", f"{stopped} while running this cell")],
                          "stopped": True}
            break
        accept(i, cell, reply)
    if stopped:
        for j in range(len(cells)):
            if results[j] is None:
                results[j] = {"outputs": [_error("NotRun", f"not run: {stopped}")], "stopped": True}
    CLEANUP.append((pid, p_w, p_r, template))
    return {"id": job.get("id"), "cells": results, "stopped": stopped, "notes": notes,
            "seconds": time.monotonic() - started}


CLEANUP: list[tuple[int, int, int, _Template | None]] = []


def cleanup() -> None:
    """After a job's result is sent: stop the student process and everything it started, empty the scratch.

    Done while the trainer's process files the result, and always before the next job starts.
    """
    while CLEANUP:
        pid, p_w, p_r, template = CLEANUP.pop()
        for fd in (p_w, p_r):
            try:
                os.close(fd)
            except OSError:
                pass
        if pid:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
            if template is not None:
                if template.alive():
                    template.wait(pid, 0)  # the template collects its child
            elif ZYGOTE is not None:
                ZYGOTE.wait(pid, 0)
        keep = tuple(p.pid for p in (ZYGOTE, TEMPLATE) if p is not None)
        _kill_leftovers(0, keep)  # its group is already killed and collected; now anything that escaped it
    _wipe(WORK)


def _wait(pid: int, grace: float = 1.0) -> tuple[int, int]:
    """Reap the student process that closed its pipe; kill it if it has not ended after ``grace`` s."""
    deadline = time.monotonic() + grace
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return pid, 0
        if done:
            return done, status
        if time.monotonic() > deadline:
            break
        time.sleep(0.002)
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        return os.waitpid(pid, 0)
    except ChildProcessError:
        return pid, 0


def _error(ename: str, evalue: str) -> dict:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}


PROTO_IN = 0
PROTO_OUT = 1


def main() -> None:
    global PROTO_IN, PROTO_OUT
    # the protocol gets private descriptors; anything printed by imported code goes to stderr
    PROTO_IN = os.dup(0)
    PROTO_OUT = os.dup(1)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)
    os.makedirs(WORK, exist_ok=True)
    try:  # make this worker's memory unreadable by the student process (same uid): no ptrace, no /proc/pid/mem
        import ctypes

        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except Exception:  # pragma: no cover
        pass
    global ZYGOTE
    t0 = time.monotonic()
    warm()
    ZYGOTE = _Zygote()  # before the first job: see _Zygote
    send(PROTO_OUT, {"ready": True, "warm_seconds": time.monotonic() - t0, "pid": os.getpid(),
                     "uid": os.getuid()})
    while True:
        job = recv(PROTO_IN)
        if job is None:
            if TEMPLATE is not None:
                TEMPLATE.stop()
            return
        try:
            result = run_job(job)
        except ZygoteGone:  # nothing of this job ran; the pool gives it to a fresh worker
            send(PROTO_OUT, {"restart": "the zygote process was killed"})
            return
        except Exception as exc:  # a grader bug must not take the batch down
            result = {"id": job.get("id"), "cells": None, "stopped": f"grader error: {exc!r}", "notes": []}
        send(PROTO_OUT, result)
        cleanup()
        if not ZYGOTE.alive():  # a student's code killed it; a new one from this process would not be clean
            send(PROTO_OUT, {"restart": "the zygote process was killed"})
            return


if __name__ == "__main__":
    main()
