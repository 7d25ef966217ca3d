"""The student process: runs a notebook's cells one at a time, as the worker sends them.

A student process is forked from the zygote, or from a *template* that has already run the notebook's
trusted opening cells, and isolated before any student code runs (:mod:`.isolation`).  Its standard output
and error are captured in files.  For every cell it receives (``{"seq", "kind", "source"}``) it runs the
cell in the worker's IPython shell, lets the guard (:mod:`salescoach.grader.guard`) undo what student cells
did to the code the tests rely on, and answers with the cell's outputs under the same ``seq``.
"""
from __future__ import annotations

import json
import os
import resource
import signal
import socket
import sys
import tempfile
import time
from typing import Any

from . import memwatch
from .forks import answer_wait, fork_child, ready_to_fork, reap
from .framing import encode, recv, send
from .isolation import (
    PR_SET_NO_NEW_PRIVS,
    Isolation,
    capture_output,
    close_other_fds,
    count_tasks,
    drop_privileges,
    keep_student,
    outer_pid,
    own_mounts,
    prctl,
)
from .shell import CAPTURE, Stream, safe_str

#: the warm shell, the guard's snapshot and the isolation mode, set by the worker before the zygote is forked
STATE: dict[str, Any] = {}


def base_limits(limits: dict) -> None:
    """The rlimits every process running a notebook's cells takes: CPU time, address space, file size."""
    cpu = int(limits.get("notebook_cpu", 120))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    mem = int(limits.get("memory_mb", 1024)) * 1024 * 1024
    with open("/proc/self/status") as fh:
        vm = next((int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:")), 0)
    resource.setrlimit(resource.RLIMIT_AS, (vm + mem, vm + mem))
    fsize = int(limits.get("file_mb", 50)) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def process_limit(limits: dict, iso: Isolation, tasks: int) -> None:
    """RLIMIT_NPROC: the student's own processes (user id ``uid``), or the sandbox's ``tasks`` plus those."""
    nproc = int(limits.get("max_processes", 32))
    threads = len(os.listdir("/proc/self/task"))
    if iso.mode == "uid":
        total = nproc + threads
    elif iso.mode == "namespace":
        total = tasks + nproc
    elif os.getuid() != 0:
        total = sum(1 for p in os.listdir("/proc") if p.isdigit()) + threads + nproc
    else:
        return  # root without a sandbox: the kernel does not apply it (the grader warns)
    resource.setrlimit(resource.RLIMIT_NPROC, (total, total))


def enter_template(spec: dict) -> None:
    """A template (the trainer's opening cells only): its folder, session, captured output and base limits."""
    os.chdir(spec["scratch"])
    os.environ["HOME"] = spec["scratch"]
    os.setsid()
    capture_output(spec["capture"])
    base_limits(spec.get("limits", {}))


def isolate(channel: int, spec: dict, *, from_template: bool) -> None:
    """Cut the new student process off (see :mod:`.isolation`) and send the worker its hello.

    A step that fails ends the process (no student code runs in it) after telling the worker why.
    """
    try:
        _isolate(channel, spec, from_template)
    except BaseException as exc:
        try:
            send(channel, {"hello": None, "error": f"{type(exc).__name__}: {exc}"})
        finally:
            os._exit(71)


def _isolate(channel: int, spec: dict, from_template: bool) -> None:
    iso: Isolation = STATE["isolation"]
    limits = spec.get("limits", {})
    pid = outer_pid() if iso.namespaces else os.getpid()
    tasks = count_tasks() if iso.mode == "namespace" else 0
    home = spec["scratch"]
    if iso.namespaces:  # its output already goes to the capture files (see keep_student)
        own_mounts(home, int(limits.get("scratch_mb", 200)))
    else:
        capture_output(spec["capture"])
    os.chdir(home)
    os.environ["HOME"] = os.environ["TMPDIR"] = tempfile.tempdir = home
    os.setsid()
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    close_other_fds((0, 1, 2, channel))
    if not from_template:
        base_limits(limits)
    process_limit(limits, iso, tasks)
    if iso.namespaces:
        drop_privileges(iso.uid)
    else:
        prctl(PR_SET_NO_NEW_PRIVS, 1)
    listener = memwatch.install()
    hello = {"hello": {"pid": pid, "memory_limit": resource.getrlimit(resource.RLIMIT_AS)[0],
                       "watch": listener is not None}}
    with socket.socket(fileno=os.dup(channel)) as sock:
        socket.send_fds(sock, [encode(hello)], [listener] if listener is not None else [])
    if listener is not None:
        os.close(listener)


def _keeper(spec: dict) -> Any:
    iso: Isolation = STATE["isolation"]
    if not iso.namespaces:
        return None
    return lambda: keep_student(spec["capture"])


def zygote_loop(fd: int) -> None:
    """The zygote: start a student process (or a template) per request, collect them when asked."""
    while True:
        msg = recv(fd)
        if msg is None:
            return
        if "wait" in msg:
            answer_wait(fd, msg)
            continue
        reap()  # the short-lived processes that started earlier students
        spec, template = msg["spawn"], bool(msg.get("template"))
        channel = fork_child(fd, None if template else _keeper(spec))
        if channel is not None:
            try:
                if template:
                    enter_template(spec)
                else:
                    isolate(channel, spec, from_template=False)
                serve(channel, spec, template=template)
            finally:
                os._exit(70)


_FROZEN: list[bool] = []


def template_fork(fd: int, spec: dict, limits: dict) -> int | None:
    """In a template: fork the next student process (see :func:`.forks.fork_child`)."""
    if not _FROZEN:
        ready_to_fork()
        _FROZEN.append(True)
    reap()  # earlier students' keepers
    spec = {**spec, "limits": limits}
    channel = fork_child(fd, _keeper(spec))
    if channel is not None:
        isolate(channel, spec, from_template=True)
    return channel


def _between_cells(*_: Any) -> None:
    """SIGINT's handler while no cell runs: an interrupt that arrives just after its cell ended is dropped."""


def _end_of_cell() -> list[str]:
    """After a cell: note if the student's code replaced the interrupt handler, and ignore interrupts until the next."""
    changed = signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    signal.signal(signal.SIGINT, _between_cells)
    return ["the interrupt (SIGINT) handler was changed"] if changed else []


def serve(channel: int, spec: dict, *, template: bool) -> None:
    """The student process (or a template): run the cells the worker sends, one at a time.

    A template runs only the notebook's trusted opening cells and then answers ``{"fork": ...}``: the copy
    it forks goes on with the student's cells on its own socket.  A template adds what its cells wrote
    straight to its file descriptors to its replies; for a student process the worker reads that itself
    (the student process's own /tmp hides the capture files from it).
    """
    shell = STATE["shell"]
    guard = STATE.pop("guard")  # the student's code finds no handle on the guard's snapshot by name
    sys.stdout, sys.stderr = Stream("stdout"), Stream("stderr")
    limits = spec.get("limits", {})
    capture = spec["capture"] if template else None
    read_pos = {1: 0, 2: 0}
    # Everything this loop needs is bound to local names now: student code can rebind module attributes
    # (they are put back after every cell) but not the local variables of a running function.
    run_cell, restore, restore_quick = type(shell).run_cell, guard.restore, guard.restore_quick
    remember, forget, take, read_fd, jsonable = guard.remember_locked, forget_source, CAPTURE.take, read_new, as_json
    reset, new_stream, send_msg, recv_msg, any_, bool_, dict_ = CAPTURE.reset, Stream, send, recv, any, bool, dict
    getpid, exit_now, me, end_of_cell = os.getpid, os._exit, os.getpid(), _end_of_cell
    set_handler, sigint, interruptible = signal.signal, signal.SIGINT, signal.default_int_handler
    set_handler(sigint, _between_cells)
    while True:
        msg = recv_msg(channel)
        if msg is None:
            exit_now(0)
        if "wait" in msg:  # a template, between submissions; no student code has run here
            answer_wait(channel, msg)
            continue
        if "fork" in msg:
            forked = template_fork(channel, msg["fork"], limits)
            if forked is not None:  # the new student process: from here on it talks to the worker directly
                channel, capture, me = forked, None, getpid()
            continue
        kind, source = msg["kind"], msg["source"]
        notes: list[str] = []
        if kind == "test":
            notes = restore()
        before = dict_(shell.user_ns) if kind == "locked" else None
        reset()
        sys.stdout, sys.stderr = new_stream("stdout"), new_stream("stderr")
        started = time.process_time()
        set_handler(sigint, interruptible)  # a cell past its time limit is interrupted, as in Jupyter
        result = run_cell(shell, source, store_history=kind != "test", silent=False)
        if getpid() != me:  # a copy made by the student's os.fork() must not talk to the worker
            exit_now(0)
        notes += end_of_cell() + restore_quick()
        sys.stdout, sys.stderr = new_stream("stdout"), new_stream("stderr")
        if kind == "test":
            forget(source)
        if before is not None:
            remember(shell.user_ns, before)
        outputs = take()
        for fd, name in ((1, "stdout"), (2, "stderr")) if capture else ():
            text = read_fd(capture, fd, read_pos)
            if text:
                outputs.append({"output_type": "stream", "name": name, "text": text})
        error = bool_(result.error_before_exec or result.error_in_exec)
        if error and not any_(o["output_type"] == "error" for o in outputs):
            exc = result.error_before_exec or result.error_in_exec
            outputs.append({"output_type": "error", "ename": type(exc).__name__, "evalue": safe_str(exc),
                            "traceback": []})
        reply = {"seq": msg.get("seq"), "outputs": outputs, "execution_count": result.execution_count,
                 "cpu": time.process_time() - started, "notes": notes}
        try:
            send_msg(channel, reply)
        except (TypeError, ValueError):  # an output that is not plain JSON (a student's object): as text
            reply["outputs"] = jsonable(outputs)
            send_msg(channel, reply)


def forget_source(source: str) -> None:
    """Test cells (with hidden tests) leave no copy of their source for later student cells to print."""
    import linecache

    lines = source.splitlines(keepends=True)
    for key in [k for k, v in list(linecache.cache.items()) if len(v) > 2 and v[2] == lines]:
        linecache.cache.pop(key, None)


def read_new(capdir: str, fd: int, pos: dict[int, int]) -> str:
    """What was written to the captured file descriptor ``fd`` since the last call."""
    path = os.path.join(capdir, f"fd{fd}")
    try:
        with open(path, "rb") as fh:
            fh.seek(pos[fd])
            data = fh.read(4 * 1024 * 1024)
            pos[fd] += len(data)
    except OSError:
        return ""
    return data.decode("utf-8", "replace")


def as_json(outputs: list[dict]) -> list[dict]:
    """``outputs`` with anything that is not plain JSON turned into text."""
    try:
        json.dumps(outputs)
        return outputs
    except (TypeError, ValueError):
        return json.loads(json.dumps(outputs, default=safe_str))
