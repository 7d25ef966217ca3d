"""The worker's side of a job: start the student process, send it the cells, collect and limit the results.

A job is one submitted notebook: its code cells (``kind`` ``locked``, ``code`` or ``test``), the limits, how
many opening cells are the trainer's trusted ``prefix``, and a ``token`` the trainer's process made for it
(the result carries it back; the student's code never sees it).  The worker, not the student process,
enforces the limits that need a clock or a count: wall time per cell, output size, message size.

* Each cell goes out as ``{"seq": n, ...}`` and its reply must carry the same ``seq``; a reply with another
  ``seq``, or anything more on the socket once the notebook is done, means the student's code wrote to the
  grader's socket itself, and the submission fails with that reason.
* A cell that runs past ``cell_timeout`` is interrupted (``SIGINT``, as Jupyter does for nbgrader) and the
  notebook goes on with its next cell, as ``nbgrader autograde`` does; only a cell that does not stop within
  ``interrupt_grace`` seconds of the interrupt ends the notebook (nbgrader would give up on it as well).
* The memory watch (:mod:`.memwatch`) is answered while a cell runs; a cell that ran into the memory limit
  gets a note, even when the student's code caught the ``MemoryError``.

After each job the worker kills the student process (and with it everything it started) and empties the
scratch folders, so the next student starts clean.
"""
from __future__ import annotations

import json
import os
import select
import shutil
import signal
import socket
import struct
import time
from dataclasses import dataclass, field

from .forks import Template, Zygote, ZygoteGone, reap
from .framing import HEADER, MessageTooLarge, encode, recv, send
from .isolation import Isolation
from .limits import Budget, bounded_notes, limit_outputs
from .memwatch import MemoryWatch
from .student import zygote_loop

DEFAULT_MESSAGE_BYTES = 64 * 1024 * 1024
#: student cells sent ahead of their turn wait in the student process's socket: at most this many bytes
SEND_AHEAD_BYTES = 32 * 1024


def error_output(ename: str, evalue: str) -> dict:
    """An nbformat error output made by the grader (not by the student's code)."""
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}


def describe_exit(status: int | None, limits: dict) -> str:
    """A sentence for the trainer about how a student process ended (its wait status)."""
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


def cell_name(label: object) -> str:
    """``q2_answer`` -> "cell q2_answer"; "cell 4" stays as it is."""
    text = str(label)
    return text if text.startswith("cell ") else f"cell {text}"


def wipe(path: str) -> None:
    """Empty the folder ``path`` (what cannot be removed stays)."""
    for entry in os.listdir(path):
        full = os.path.join(path, entry)
        try:
            if os.path.isdir(full) and not os.path.islink(full):
                shutil.rmtree(full, ignore_errors=True)
            else:
                os.unlink(full)
        except OSError:
            pass


def kill_leftovers(keep: tuple[int, ...] = ()) -> None:
    """In the sandbox (its own PID namespace): kill every process but this one and ``keep``."""
    if os.environ.get("SALESCOACH_SANDBOX") == "bubblewrap":
        spare = {os.getpid(), *keep}
        for _ in range(3):
            found = False
            for entry in os.listdir("/proc"):
                if entry.isdigit() and int(entry) not in spare:
                    found = True
                    try:
                        os.kill(int(entry), signal.SIGKILL)
                    except OSError:
                        pass
            reap()
            if not found:
                break
    reap()


class Forged(Exception):
    """The student's code wrote to the grader's socket: nothing from this student process can be trusted."""


@dataclass
class _Running:
    """One job's student process, kept until :meth:`Worker.cleanup`."""

    pid: int                     # what the zygote or template forked (without namespaces: the student process)
    channel: int
    template: Template | None
    student: int = 0             # the student process's pid as this worker sees it (from its hello)
    watch: MemoryWatch | None = None


@dataclass
class _Cells:
    """The results of one job's cells as they come in, with the notes for the trainer."""

    cells: list[dict]
    limits: dict
    results: list[dict | None] = field(init=False)
    notes: list[str] = field(default_factory=list)
    budget: Budget = field(init=False)

    def __post_init__(self) -> None:
        self.results = [None] * len(self.cells)
        self.budget = Budget(self.limits)

    def label(self, i: int) -> str:
        return cell_name(self.cells[i].get("id") or i + 1)

    def accept(self, i: int, reply: dict, extra: list[dict] = ()) -> None:
        raw = reply.get("outputs") if isinstance(reply.get("outputs"), list) else []
        outputs, cut = limit_outputs([*raw, *extra], self.limits, self.budget)
        self.notes.extend(f"{self.label(i)}: {n}" for n in cut)
        restored = reply.get("notes") if isinstance(reply.get("notes"), list) else []
        self.notes.extend(f"{self.label(i)}: restored {n}" for n in restored if isinstance(n, str))
        count = reply.get("execution_count")
        self.results[i] = {"outputs": outputs,
                           "execution_count": count if isinstance(count, int) and not isinstance(count, bool) else None}

    def stop(self, i: int, ename: str, evalue: str) -> None:
        self.results[i] = {"outputs": [error_output(ename, evalue)], "stopped": True}

    def not_run(self, stopped: str) -> None:
        for j, result in enumerate(self.results):
            if result is None:
                self.results[j] = {"outputs": [error_output("NotRun", f"not run: {stopped}")], "stopped": True}


def _read_capture(capture: str, pos: dict[int, int]) -> list[dict]:
    """What the student process wrote straight to its file descriptors since the last call, as outputs."""
    out = []
    for fd, name in ((1, "stdout"), (2, "stderr")):
        try:
            with open(os.path.join(capture, f"fd{fd}"), "rb") as fh:
                fh.seek(pos[fd])
                data = fh.read(4 * 1024 * 1024)
        except OSError:
            continue
        pos[fd] += len(data)
        if data:
            out.append({"output_type": "stream", "name": name, "text": data.decode("utf-8", "replace")})
    return out


class Worker:
    """The grading worker's state: its zygote, the current template and the last job's processes."""

    def __init__(self, work: str, close: tuple[int, ...] = ()) -> None:
        self.work = work
        self.isolated = Isolation.from_env().namespaces  # student processes are this worker's children then
        self.zygote = Zygote(zygote_loop, close)
        self.template: Template | None = None
        self.no_template: set[str] = set()  # prefixes that failed or left files: not tried again
        self.running: list[_Running] = []

    # ------------------------------------------------------------------ templates
    def template_for(self, prefix: list[dict], spec: dict) -> Template | None:
        """The running template for ``prefix`` (the job's trusted opening cells), started if need be."""
        key = json.dumps([[c["source"] for c in prefix], spec["limits"]], sort_keys=True)
        if self.template is not None and (self.template.key != key or not self.template.alive()):
            self.template.stop()
            self.template = None
        if self.template is None and key not in self.no_template:
            self.template = self._start_template(key, prefix, spec)
            if self.template is None:
                self.no_template.add(key)
        return self.template

    def _start_template(self, key: str, prefix: list[dict], spec: dict) -> Template | None:
        try:
            pid, fd = self.zygote.spawn(spec, template=True)
        except (OSError, TimeoutError):
            return None
        template = Template(key, pid, socket.socket(fileno=fd), self.zygote)
        limits = spec["limits"]
        try:
            for cell in prefix:
                send(fd, {"kind": cell["kind"], "source": cell["source"]})
                reply = recv(fd, deadline=time.monotonic() + float(limits.get("cell_timeout", 30)),
                             max_bytes=int(limits.get("max_message_bytes", DEFAULT_MESSAGE_BYTES)))
                if not isinstance(reply, dict) or any(o.get("output_type") == "error"
                                                      for o in reply.get("outputs") or []):
                    raise ValueError("an opening cell failed")
                template.replies.append(reply)
            if os.listdir(spec["scratch"]):
                raise ValueError("the opening cells left files in the student's folder")
        except (OSError, ValueError, TimeoutError, MessageTooLarge):
            template.stop()
            wipe(spec["scratch"])
            return None
        return template

    # ------------------------------------------------------------------ jobs
    def _student_process(self, cells: list[dict], prefix: int, spec: dict) -> tuple[_Running, int]:
        """A student process for the job: forked from a template when the prefix has one, else from the zygote.

        Returns it and how many opening cells the template has already run for it.
        """
        template = self.template_for(cells[:prefix], spec) if prefix else None
        if template is not None:
            try:
                pid, channel = template.fork({"scratch": spec["scratch"], "capture": spec["capture"]})
                return _Running(pid, channel, template), prefix
            except (OSError, TimeoutError):
                template.stop()
        try:
            pid, channel = self.zygote.spawn(spec)
        except (OSError, TimeoutError) as exc:
            raise ZygoteGone(str(exc)) from exc
        return _Running(pid, channel, None), 0

    def _hello(self, run: _Running, seconds: float = 30) -> None:
        """The student process's first message: its pid, its memory limit and the memory watch's descriptor."""
        with socket.socket(fileno=os.dup(run.channel)) as sock:
            sock.settimeout(seconds)
            data, fds, _, _ = socket.recv_fds(sock, 65536, 1)
        listener = fds[0] if fds else None
        try:
            (size,) = HEADER.unpack(data[:HEADER.size])
            message = json.loads(data[HEADER.size:HEADER.size + size])
            if message.get("error"):
                raise ValueError(message["error"])
            run.student, limit = int(message["hello"]["pid"]), int(message["hello"]["memory_limit"])
        except (ValueError, KeyError, TypeError, IndexError, struct.error, AttributeError, OSError) as exc:
            if listener is not None:
                os.close(listener)
            raise OSError(f"the student process could not be started safely ({exc}); no code of this notebook "
                          "ran") from None
        run.watch = MemoryWatch(listener, run.student, limit)

    def run_job(self, job: dict) -> dict:
        """Run one job's cells in a new student process; the result to send back to the trainer's process."""
        limits = job.get("limits", {})
        spec = {"scratch": os.path.join(self.work, "job"), "capture": os.path.join(self.work, "capture"),
                "limits": limits}
        wipe(self.work)
        os.makedirs(spec["scratch"], exist_ok=True)
        os.makedirs(spec["capture"], exist_ok=True)
        cells = job["cells"]
        state = _Cells(cells, limits)
        started = time.monotonic()
        run, done = self._student_process(cells, int(job.get("prefix") or 0), spec)
        self.running.append(run)
        for i in range(done):  # run once, by the template
            state.accept(i, run.template.replies[i])
        try:
            self._hello(run)
            stopped = self._run_cells(state, done, run, spec["capture"])
        except Forged as exc:
            return {"token": job.get("token"), "cells": None, "stopped": str(exc), "notes": [],
                    "seconds": time.monotonic() - started}
        except OSError as exc:
            stopped = f"{exc}"
            state.stop(done, "DeadKernelError", stopped)
        if stopped:
            state.not_run(stopped)
        return {"token": job.get("token"), "cells": state.results, "stopped": stopped,
                "notes": bounded_notes(state.notes), "seconds": time.monotonic() - started}

    def _wait_reply(self, run: _Running, seq: int, deadline: float, max_bytes: int) -> dict | None:
        """The reply to cell ``seq`` (None: the process is gone); answers the memory watch meanwhile."""
        watch = run.watch
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            fds = [run.channel] + ([watch.fileno()] if watch is not None and watch.active else [])
            ready, _, _ = select.select(fds, [], [], left)
            if watch is not None and watch.active and watch.fileno() in ready:
                watch.handle()
            if run.channel in ready:
                break
        reply = recv(run.channel, deadline=deadline + 5, max_bytes=max_bytes)
        if reply is None:
            return None
        if not isinstance(reply, dict) or reply.get("seq") != seq:
            raise Forged("the student's code wrote to the grader's own channel (a reply that belongs to no cell "
                         "arrived), so no result of this notebook can be trusted; it was not graded")
        return reply

    def _memory_notes(self, state: _Cells, i: int, run: _Running) -> None:
        watch = run.watch
        if watch is None:
            return
        if watch.active:
            watch.handle()
        hits = watch.take()
        limit_mb = state.limits.get("memory_mb", 1024)
        if hits:
            state.notes.append(f"{state.label(i)}: ran into the memory limit of {limit_mb} MB ({hits[0]}"
                               f"{'' if len(hits) == 1 else f', and {len(hits) - 1} more'}); any MemoryError the "
                               "student's code caught is not shown in its outputs")
        elif not watch.near_noted and watch.near_limit():
            watch.near_noted = True
            state.notes.append(f"{state.label(i)}: the notebook's memory came within a few MB of its limit of "
                               f"{limit_mb} MB; an allocation may have been refused (a caught MemoryError)")

    def _send_ahead(self, run: _Running, cells: list[dict], i: int) -> int:
        """Send cell ``i`` and, unless it is a test, the student cells after it up to the next test; returns the
        index after the last one sent.

        Cells the student process will run anyway wait in its socket, so it goes from one to the next without
        a round trip; a test cell is only ever sent once every cell before it has answered (so no test reaches
        the student process before its turn), and no more than :data:`SEND_AHEAD_BYTES` wait (so sending never
        blocks while a cell runs).
        """
        end, size = i, 0
        while end < len(cells) and (end == i or (cells[end]["kind"] != "test" and cells[i]["kind"] != "test")):
            message = {"seq": end, "kind": cells[end]["kind"], "source": cells[end]["source"]}
            size += len(encode(message))
            if end > i and size > SEND_AHEAD_BYTES:
                break
            send(run.channel, message)
            end += 1
        return end

    def _run_cells(self, state: _Cells, first: int, run: _Running, capture: str) -> str | None:
        """Run the cells from ``first`` on, in order; why the student process was stopped, or None."""
        limits = state.limits
        cell_timeout = float(limits.get("cell_timeout", 30))
        grace = float(limits.get("interrupt_grace", 5))
        max_msg = int(limits.get("max_message_bytes", DEFAULT_MESSAGE_BYTES))
        pos = {1: 0, 2: 0}
        sent = first
        for i in range(first, len(state.cells)):
            label = state.label(i)
            extra: list[dict] = []
            try:
                if sent <= i:
                    sent = self._send_ahead(run, state.cells, i)
                try:
                    reply = self._wait_reply(run, i, time.monotonic() + cell_timeout, max_msg)
                except TimeoutError:
                    reply = self._interrupt(run, i, grace, max_msg)
                    if reply is None:
                        return self._stopped(state, i, f"{label} ran longer than {cell_timeout:g} s and did not "
                                             f"stop when interrupted, so it was ended and the cells after it did not "
                                             "run", "TimeoutError")
                    extra = [error_output("CellTimeoutError", f"this cell ran longer than {cell_timeout:g} s (the "
                                          "grader's limit) and was interrupted")]
                    state.notes.append(f"{label}: ran longer than {cell_timeout:g} s and was interrupted; the "
                                       "notebook went on with the next cell (as nbgrader does)")
            except MessageTooLarge as exc:
                return self._stopped(state, i, f"{label} produced {exc.args[0]} bytes of output (limit {max_msg})",
                                     "OutputLimitError")
            except (BrokenPipeError, ConnectionError, ValueError):  # the student process is gone or sent garbage
                reply = None
            if reply is None:
                stopped = describe_exit(self._exit_status(run, 1.0, limits), limits)
                state.stop(i, "DeadKernelError", f"{stopped} while running this cell")
                self._memory_notes(state, i, run)
                return stopped
            state.accept(i, reply, _read_capture(capture, pos) + extra)
            self._memory_notes(state, i, run)
        if _pending(run.channel):
            raise Forged("the student's code wrote to the grader's own channel (data arrived after the last "
                         "cell), so no result of this notebook can be trusted; it was not graded")
        return None

    def _exit_status(self, run: _Running, grace: float, limits: dict) -> int | None:
        """How the student process ended (a wait status; killed after ``grace`` s if it has not).

        An isolated student process is this worker's child (see :func:`.isolation.keep_student`); a kill at
        the CPU limit (``RLIMIT_CPU``'s hard limit sends SIGKILL) is reported as SIGXCPU.
        """
        if not self.isolated:
            return (run.template or self.zygote).wait(run.pid, grace)
        deadline = time.monotonic() + grace
        give_up = deadline + 20
        while True:
            try:
                pid, status, usage = os.wait4(run.student, os.WNOHANG)
            except ChildProcessError:
                # not (yet) this worker's child: its keeper may still be ending (a student process that exits at
                # once can end first); it becomes ours when the keeper has gone, unless it is gone itself
                if not os.path.exists(f"/proc/{run.student}") or time.monotonic() > give_up:
                    return None
                pid = 0
            if pid:
                break
            if time.monotonic() > deadline:
                try:
                    os.kill(run.student, signal.SIGKILL)
                except OSError:
                    pass
                grace, deadline = 0, time.monotonic() + 10
            time.sleep(0.002)
        run.student = 0  # collected: its pid may be another process's from now on
        cpu = usage.ru_utime + usage.ru_stime
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL and \
                cpu >= float(limits.get("notebook_cpu", 120)) - 0.5:
            return int(signal.SIGXCPU)
        return status

    def _interrupt(self, run: _Running, seq: int, grace: float, max_msg: int) -> dict | None:
        """Interrupt the student process (SIGINT, like Jupyter's interrupt); its reply, or None if it went on."""
        try:
            os.kill(run.student, signal.SIGINT)
        except OSError:
            return None
        try:
            return self._wait_reply(run, seq, time.monotonic() + grace, max_msg)
        except (TimeoutError, MessageTooLarge, ValueError, ConnectionError):
            return None

    def _stopped(self, state: _Cells, i: int, why: str, ename: str) -> str:
        state.stop(i, ename, why)
        return why

    def cleanup(self) -> None:
        """After a job's result is sent: stop the student process and everything it started, empty the scratch.

        Done while the trainer's process files the result, and always before the next job starts.
        """
        while self.running:
            run = self.running.pop()
            if run.watch is not None:
                run.watch.close()
            try:
                os.close(run.channel)
            except OSError:
                pass
            if self.isolated:  # the student process is this worker's child; ending it ends its namespace
                if run.student:
                    try:
                        os.kill(run.student, signal.SIGKILL)
                    except OSError:
                        pass
            else:
                for kill in (os.killpg, os.kill):
                    try:
                        kill(run.pid, signal.SIGKILL)
                    except OSError:
                        pass
                if run.template is not None:
                    if run.template.alive():
                        run.template.wait(run.pid, 0)  # the template collects its child
                else:
                    self.zygote.wait(run.pid, 0)
            keep = tuple(p.pid for p in (self.zygote, self.template) if p is not None)
            kill_leftovers(keep)  # anything that escaped the student's namespace or group
        wipe(self.work)

    def stop(self) -> None:
        if self.template is not None:
            self.template.stop()


def _pending(fd: int) -> bool:
    """Whether the socket ``fd`` holds unread data (not merely an end of file)."""
    ready, _, _ = select.select([fd], [], [], 0)
    if not ready:
        return False
    with socket.socket(fileno=os.dup(fd)) as sock:
        try:
            return bool(sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT))
        except OSError:
            return False
