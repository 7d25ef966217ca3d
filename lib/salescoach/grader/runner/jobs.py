"""The worker's side of a job: start the student process, send it the cells, collect and limit the results.

A job is one submitted notebook: its code cells (``kind`` ``locked``, ``code`` or ``test``), the limits and
how many opening cells are the trainer's trusted ``prefix``.  The worker, not the student process, enforces
the limits that need a clock or a count: wall time per cell, output size, message size.  After each job it
kills every process the student process left behind and empties the scratch folders, so the next student
starts clean.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sys
import time
from dataclasses import dataclass, field

from .forks import Template, Zygote, ZygoteGone, reap
from .framing import MessageTooLarge, recv, send
from .limits import limit_outputs
from .student import zygote_loop

DEFAULT_MESSAGE_BYTES = 64 * 1024 * 1024


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
    """In the sandbox (its own PID namespace): kill every process but bubblewrap's (1), this one and ``keep``."""
    if os.environ.get("SALESCOACH_SANDBOX") == "bubblewrap":
        spare = {1, os.getpid(), *keep}
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


@dataclass
class _Running:
    """One job's student process, kept until :meth:`Worker.cleanup`."""

    pid: int
    channel: int
    template: Template | None


@dataclass
class _Cells:
    """The results of one job's cells as they come in, with the notes for the trainer."""

    cells: list[dict]
    limits: dict
    results: list[dict | None] = field(init=False)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.results = [None] * len(self.cells)

    def accept(self, i: int, reply: dict) -> None:
        label = self.cells[i].get("id") or i
        outputs, cut = limit_outputs(reply.get("outputs") or [], self.limits)
        self.notes.extend(f"{label}: {n}" for n in cut)
        self.notes.extend(f"{label}: restored {n}" for n in reply.get("notes") or [])
        self.results[i] = {"outputs": outputs, "execution_count": reply.get("execution_count"),
                           "cpu": reply.get("cpu")}

    def stop(self, i: int, ename: str, evalue: str) -> None:
        self.results[i] = {"outputs": [error_output(ename, evalue)], "stopped": True}

    def not_run(self, stopped: str) -> None:
        for j, result in enumerate(self.results):
            if result is None:
                self.results[j] = {"outputs": [error_output("NotRun", f"not run: {stopped}")], "stopped": True}


class Worker:
    """The grading worker's state: its zygote, the current template and the last job's processes."""

    def __init__(self, work: str, close: tuple[int, ...] = ()) -> None:
        self.work = work
        self.zygote = Zygote(zygote_loop, close)
        self.template: Template | None = None
        self.no_template: set[str] = set()  # prefixes that failed or left files: not tried again
        self.running: list[_Running] = []

    # ------------------------------------------------------------------ templates
    def template_for(self, prefix: list[dict], limits: dict, scratch: str, capture: str) -> Template | None:
        """The running template for ``prefix`` (the job's trusted opening cells), started if need be."""
        key = json.dumps([[c["source"] for c in prefix], limits], sort_keys=True)
        if self.template is not None and (self.template.key != key or not self.template.alive()):
            self.template.stop()
            self.template = None
        if self.template is None and key not in self.no_template:
            self.template = self._start_template(key, prefix, limits, scratch, capture)
            if self.template is None:
                self.no_template.add(key)
        return self.template

    def _start_template(self, key: str, prefix: list[dict], limits: dict, scratch: str,
                        capture: str) -> Template | None:
        try:
            pid, fd = self.zygote.spawn(scratch, capture, limits)
        except (OSError, TimeoutError):
            return None
        template = Template(key, pid, socket.socket(fileno=fd), self.zygote)
        cell_timeout = float(limits.get("cell_timeout", 30))
        try:
            for cell in prefix:
                send(fd, {"kind": cell["kind"], "source": cell["source"]})
                reply = recv(fd, deadline=time.monotonic() + cell_timeout,
                             max_bytes=int(limits.get("max_message_bytes", DEFAULT_MESSAGE_BYTES)))
                if not isinstance(reply, dict) or any(o.get("output_type") == "error"
                                                      for o in reply.get("outputs") or []):
                    raise ValueError("an opening cell failed")
                template.replies.append(reply)
            if os.listdir(scratch):
                raise ValueError("the opening cells left files in the student's folder")
        except (OSError, ValueError, TimeoutError, MessageTooLarge):
            template.stop()
            wipe(scratch)
            return None
        return template

    # ------------------------------------------------------------------ jobs
    def _student_process(self, cells: list[dict], prefix: int, limits: dict, scratch: str,
                         capture: str) -> tuple[int, int, Template | None, int]:
        """A student process for the job: forked from a template when the prefix has one, else from the zygote.

        Returns its pid, the worker's end of its socket, the template (or None) and how many opening cells
        the template has already run for it.
        """
        template = self.template_for(cells[:prefix], limits, scratch, capture) if prefix else None
        if template is not None:
            try:
                pid, channel = template.fork(scratch, capture)
                return pid, channel, template, prefix
            except (OSError, TimeoutError):
                template.stop()
        try:
            pid, channel = self.zygote.spawn(scratch, capture, limits)
        except (OSError, TimeoutError) as exc:
            raise ZygoteGone(str(exc)) from exc
        return pid, channel, None, 0

    def run_job(self, job: dict) -> dict:
        """Run one job's cells in a new student process; the result to send back to the trainer's process."""
        limits = job.get("limits", {})
        base, capture = os.path.join(self.work, "job"), os.path.join(self.work, "capture")
        wipe(self.work)
        os.makedirs(base, exist_ok=True)
        os.makedirs(capture, exist_ok=True)
        cells = job["cells"]
        state = _Cells(cells, limits)
        started = time.monotonic()
        pid, channel, template, done = self._student_process(cells, int(job.get("prefix") or 0), limits, base,
                                                             capture)
        self.running.append(_Running(pid, channel, template))
        for i in range(done):  # run once, by the template
            state.accept(i, template.replies[i])
        stopped = self._run_cells(state, done, pid, channel, template)
        if stopped:
            state.not_run(stopped)
        return {"id": job.get("id"), "cells": state.results, "stopped": stopped, "notes": state.notes,
                "seconds": time.monotonic() - started}

    def _run_cells(self, state: _Cells, first: int, pid: int, channel: int, template: Template | None) -> str | None:
        """Send the cells from ``first`` on, one at a time; why the student process was stopped, or None."""
        limits = state.limits
        cell_timeout = float(limits.get("cell_timeout", 30))
        max_msg = int(limits.get("max_message_bytes", DEFAULT_MESSAGE_BYTES))
        for i in range(first, len(state.cells)):
            cell = state.cells[i]
            label = cell.get("id") or i
            try:
                send(channel, {"kind": cell["kind"], "source": cell["source"]})
                reply = recv(channel, deadline=time.monotonic() + cell_timeout, max_bytes=max_msg)
            except TimeoutError:
                state.stop(i, "TimeoutError", f"this cell ran longer than {cell_timeout:g} s (the grader's limit) "
                           "and was stopped")
                return f"cell {label} ran longer than {cell_timeout:g} s and was stopped"
            except MessageTooLarge as exc:
                stopped = f"cell {label} produced {exc.args[0]} bytes of output (limit {max_msg})"
                state.stop(i, "OutputLimitError", stopped)
                return stopped
            except (BrokenPipeError, OSError, ValueError) as exc:  # the student process is gone or sent garbage
                print(f"worker: {exc!r}", file=sys.stderr)
                reply = None
            if reply is None:
                stopped = describe_exit((template or self.zygote).wait(pid, 1.0), limits)
                state.stop(i, "DeadKernelError", f"{stopped} while running this cell")
                return stopped
            state.accept(i, reply)
        return None

    def cleanup(self) -> None:
        """After a job's result is sent: stop the student process and everything it started, empty the scratch.

        Done while the trainer's process files the result, and always before the next job starts.
        """
        while self.running:
            run = self.running.pop()
            try:
                os.close(run.channel)
            except OSError:
                pass
            if run.pid:
                try:
                    os.killpg(run.pid, signal.SIGKILL)
                except OSError:
                    pass
                if run.template is not None:
                    if run.template.alive():
                        run.template.wait(run.pid, 0)  # the template collects its child
                else:
                    self.zygote.wait(run.pid, 0)
            keep = tuple(p.pid for p in (self.zygote, self.template) if p is not None)
            kill_leftovers(keep)  # its group is already killed and collected; now anything that escaped it
        wipe(self.work)

    def stop(self) -> None:
        if self.template is not None:
            self.template.stop()
