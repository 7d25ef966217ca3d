"""The student process: runs a notebook's cells one at a time, as the worker sends them.

A student process (forked from the zygote, or from a template that has already run the notebook's trusted
opening cells) lives in its own folder and session under CPU-time, memory, process-count and file-size
rlimits, with its standard output and error captured in files.  For every cell it receives it runs the
cell in the worker's IPython shell, lets the guard (:mod:`salescoach.grader.guard`) undo what student cells
did to the code the tests rely on, and sends back the cell's outputs.
"""
from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time
from typing import Any

from .forks import answer_wait, fork_child, ready_to_fork, reap
from .framing import recv, send
from .shell import CAPTURE, Stream, safe_str

#: the warm shell and the guard's snapshot, set by the worker's warm-up before the zygote is forked
STATE: dict[str, Any] = {}


def child_limits(limits: dict) -> None:
    """The rlimits of a student process: CPU time, address space, file size, processes (not for root)."""
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


def enter(scratch: str, capture: str) -> None:
    """Start a student process (or a template): its own folder, session and captured file descriptors."""
    os.chdir(scratch)
    os.environ["HOME"] = scratch
    os.setsid()
    # output written straight to the file descriptors (C code, subprocesses) is kept in files and read back
    for fd in (1, 2):
        new = os.open(os.path.join(capture, f"fd{fd}"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(new, fd)
        os.close(new)


def zygote_loop(fd: int) -> None:
    """The zygote: start a student process (or a template) per request, collect them when asked."""
    while True:
        msg = recv(fd)
        if msg is None:
            return
        if "wait" in msg:
            answer_wait(fd, msg)
            continue
        channel = fork_child(fd)
        if channel is not None:
            try:
                serve(channel, channel, msg["spawn"])
            finally:
                os._exit(70)


_FROZEN: list[bool] = []


def template_fork(fd: int, spec: dict) -> int | None:
    """In a template: fork the next student process (see :func:`fork_child`)."""
    if not _FROZEN:
        ready_to_fork()
        _FROZEN.append(True)
    reap()  # earlier students' processes
    channel = fork_child(fd)
    if channel is not None:
        enter(spec["scratch"], spec["capture"])
    return channel


def serve(rfd: int, wfd: int, job: dict) -> None:
    """The student process: run the cells the worker sends, one at a time.

    Started as a *template* (see :class:`.forks.Template`), it runs only the notebook's trusted opening cells
    and then answers ``{"fork": ...}``: the copy it forks goes on with the student's cells on its own socket.
    """
    enter(job["scratch"], job["capture"])
    child_limits(job.get("limits", {}))
    shell = STATE["shell"]
    guard = STATE.pop("guard")  # the student's code finds no handle on the guard's snapshot by name
    sys.stdout, sys.stderr = Stream("stdout"), Stream("stderr")
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    capture = job["capture"]
    read_pos = {1: 0, 2: 0}
    # Everything this loop needs is bound to local names now: student code can rebind module attributes
    # (they are put back after every cell) but not the local variables of a running function.
    run_cell, restore, restore_quick = type(shell).run_cell, guard.restore, guard.restore_quick
    remember, forget, take, read_fd, jsonable = guard.remember_locked, forget_source, CAPTURE.take, read_new, as_json
    reset, new_stream, send_msg, recv_msg, any_, bool_, dict_ = CAPTURE.reset, Stream, send, recv, any, bool, dict
    getpid, exit_now, me = os.getpid, os._exit, os.getpid()
    while True:
        msg = recv_msg(rfd)
        if msg is None:
            os._exit(0)
        if "wait" in msg:  # a template, between submissions; no student code has run here
            answer_wait(rfd, msg)
            continue
        if "fork" in msg:
            channel = template_fork(rfd, msg["fork"])
            if channel is not None:  # the new student process: from here on it talks to the worker directly
                rfd = wfd = channel
                capture, read_pos, me = msg["fork"]["capture"], {1: 0, 2: 0}, getpid()
            continue
        kind, source = msg["kind"], msg["source"]
        notes: list[str] = []
        if kind == "test":
            notes = restore()
        before = dict_(shell.user_ns) if kind == "locked" else None
        reset()
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
            text = read_fd(capture, fd, read_pos)
            if text:
                outputs.append({"output_type": "stream", "name": name, "text": text})
        error = bool_(result.error_before_exec or result.error_in_exec)
        if error and not any_(o["output_type"] == "error" for o in outputs):
            exc = result.error_before_exec or result.error_in_exec
            outputs.append({"output_type": "error", "ename": type(exc).__name__, "evalue": safe_str(exc),
                            "traceback": []})
        reply = {"outputs": outputs, "execution_count": result.execution_count,
                 "cpu": time.process_time() - started, "notes": notes}
        try:
            send_msg(wfd, reply)
        except (TypeError, ValueError):  # an output that is not plain JSON (a student's object): as text
            reply["outputs"] = jsonable(outputs)
            send_msg(wfd, reply)


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
