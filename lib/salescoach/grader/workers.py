"""A pool of warm grading workers (see :mod:`salescoach.grader.runner`), driven from the trainer's process."""
from __future__ import annotations

import os
import secrets
import select
import subprocess
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .plan import ENV_VAR, WarmPlan
from .runner.framing import MessageTooLarge, recv, send
from .sandbox import worker_command


class WorkerError(RuntimeError):
    """A grading worker could not start."""


@dataclass(eq=False)
class WorkerProcess:
    proc: subprocess.Popen
    slot: int = 0  # which worker of the pool (its student user id when the trainer is root)
    jobs: deque = field(default_factory=deque)  # sent, in the order the worker runs them; the first is running
    deadline: float = 0.0  # for the running job
    started: float = field(default_factory=time.monotonic)


def _budget(job: dict) -> float:
    """How long a job may take before its worker counts as stuck (the worker enforces the real limits)."""
    return len(job["cells"]) * float(job.get("limits", {}).get("cell_timeout", 30)) + 60


def _failure(job: dict | None, why: str) -> dict:
    """The result of a job that got no answer from its worker."""
    return {"job": job, "cells": None, "notes": [], "stopped": why}


MISMATCH = ("the grading worker answered with a result that belongs to no job it was given (a garbled or forged "
            "result), so this notebook was not graded; the worker was replaced")


class WorkerPool:
    """``size`` sandboxed workers; :meth:`submit` a job, :meth:`wait` for finished ones.

    Each worker is sent up to ``depth`` jobs: it reads the next one as soon as it has answered the last, so
    it never waits while this process files a result.  A worker that dies or hangs fails only the job it was
    running; the jobs queued behind it go to its replacement.

    Every job gets a random ``token`` (made here, never seen by any student process); a result is accepted
    only for the job it names, which must be the one its worker is running.  Any other result fails that
    running job with a reason and replaces the worker: nothing is matched by position.
    """

    def __init__(self, kit_root: Path, size: int = 2, *, use_sandbox: bool = True, plan: WarmPlan | None = None,
                 depth: int = 2) -> None:
        if size < 1:
            raise ValueError(f"jobs must be at least 1, got {size}")
        if depth < 1:
            raise ValueError(f"depth must be at least 1, got {depth}")
        self.depth = depth
        self.kit_root = Path(kit_root)
        self.use_sandbox = use_sandbox
        self.plan = plan or WarmPlan()
        self.notes: list[str] = []  # what the workers could not load while warming up (the same in each)
        self.size = size
        self.workers: list[WorkerProcess] = []
        self.sandbox = "none"
        self.warm_seconds = 0.0
        for slot in range(size):
            self.workers.append(self._start(slot))
        for w in self.workers:
            self._handshake(w)

    def _start(self, slot: int) -> WorkerProcess:
        cmd, env, self.sandbox = worker_command(self.kit_root, self.use_sandbox, slot)
        extra = {ENV_VAR: self.plan.to_json(), "NBGRADER_EXECUTION": "autograde"}
        if self.sandbox == "bubblewrap":
            cmd = cmd[:-3] + [a for k, v in extra.items() for a in ("--setenv", k, v)] + cmd[-3:]
        else:
            env.update(extra)
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    env=env or None, start_new_session=True)
        except OSError as exc:
            raise WorkerError(f"could not start a grading worker ({cmd[0]}): {exc}") from exc
        return WorkerProcess(proc, slot)

    def _handshake(self, w: WorkerProcess) -> None:
        try:
            hello = recv(w.proc.stdout.fileno(), deadline=time.monotonic() + 120)
        except TimeoutError:
            hello = None
        if not hello or not hello.get("ready"):
            w.proc.kill()
            err = w.proc.stderr.read().decode(errors="replace")[-3000:] if w.proc.stderr else ""
            raise WorkerError(f"a grading worker did not start (sandbox: {self.sandbox}).\n{err}")
        self.warm_seconds = max(self.warm_seconds, float(hello.get("warm_seconds", 0)))
        self.notes = [str(n) for n in hello.get("notes") or []]
        # the worker's stderr is only read on failure; keep it from filling its pipe
        os.set_blocking(w.proc.stderr.fileno(), False)

    # ------------------------------------------------------------------ jobs
    def idle(self) -> int:
        """How many more jobs can be sent now."""
        return sum(self.depth - len(w.jobs) for w in self.workers)

    def busy(self) -> int:
        return sum(1 for w in self.workers if w.jobs)

    def submit(self, job: dict) -> None:
        w = min(self.workers, key=lambda w: len(w.jobs))  # an idle worker first
        if len(w.jobs) >= self.depth:
            raise RuntimeError("no worker can take a job now; check idle() first")
        self._send(w, job)

    def _send(self, w: WorkerProcess, job: dict) -> None:
        job["token"] = secrets.token_hex(16)  # a new one on every send: a late answer to an old send matches nothing
        if not w.jobs:
            w.deadline = time.monotonic() + _budget(job)
        w.jobs.append(job)
        try:
            send(w.proc.stdin.fileno(), job)
        except OSError:  # the worker is gone (a student's code may kill it)
            if len(w.jobs) == 1:  # it was idle, so nothing ran: start this job on a fresh worker
                w.jobs.clear()
                self._send(self._replace(w)[0], job)
            # otherwise wait() finds it dead, fails the job it was running and moves this one on

    def wait(self, timeout: float | None = None) -> list[dict]:
        """Finished jobs (possibly none before ``timeout``); a dead or stuck worker fails its job and is replaced."""
        busy = [w for w in self.workers if w.jobs]
        if not busy:
            return []
        fds = {w.proc.stdout.fileno(): w for w in busy}
        until = min(w.deadline for w in busy) - time.monotonic()
        wait_for = max(0.0, until if timeout is None else min(timeout, until))
        ready, _, _ = select.select(list(fds), [], [], wait_for)
        done = []
        for fd in ready:
            w = fds[fd]
            try:
                result = recv(fd, deadline=time.monotonic() + 60, max_bytes=1 << 31)
            except (TimeoutError, MessageTooLarge, ValueError, OSError):
                result = None
            if result is None:
                done.append(self._fail(w, "the grading worker stopped unexpectedly"))
            elif result.get("restart"):  # the worker cannot go on cleanly and has stopped; its jobs did not run
                queued = list(w.jobs)
                w.jobs.clear()
                new, _ = self._replace(w)
                for job in queued:
                    job["restarts"] = job.get("restarts", 0) + 1
                    if job["restarts"] > 2:  # the job itself keeps breaking workers
                        done.append(_failure(job, f"the grading worker stopped unexpectedly: {result['restart']}"))
                    else:
                        self._send(new, job)
            elif not w.jobs or result.get("token") != w.jobs[0]["token"]:
                done.append(self._fail(w, MISMATCH))
            else:
                result["job"] = w.jobs.popleft()
                if w.jobs:  # the worker has already started the next one
                    w.deadline = time.monotonic() + _budget(w.jobs[0])
                done.append(result)
        now = time.monotonic()
        for w in busy:
            if w.jobs and now > w.deadline:
                done.append(self._fail(w, "the grading worker stopped answering"))
        return done

    def _fail(self, w: WorkerProcess, why: str) -> dict:
        job = w.jobs.popleft() if w.jobs else None
        queued = list(w.jobs)
        w.jobs.clear()
        new, err = self._replace(w)
        for other in queued:  # never started: they run on the replacement
            self._send(new, other)
        return _failure(job, f"{why}{': ' + err.strip().splitlines()[-1] if err.strip() else ''}")

    def _replace(self, w: WorkerProcess) -> tuple[WorkerProcess, str]:
        """Kill ``w`` and start a worker in its place; returns it and the end of the old one's stderr."""
        try:
            w.proc.kill()
            w.proc.wait(timeout=10)
        except Exception:  # pragma: no cover
            pass
        err = ""
        try:
            err = (w.proc.stderr.read() or b"").decode(errors="replace")[-2000:]
        except Exception:  # pragma: no cover
            pass
        i = self.workers.index(w)
        self.workers[i] = self._start(w.slot)
        self._handshake(self.workers[i])
        return self.workers[i], err

    def close(self) -> None:
        for w in self.workers:
            try:
                w.proc.stdin.close()
            except Exception:  # pragma: no cover
                pass
        for w in self.workers:
            try:
                w.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                w.proc.kill()
                w.proc.wait()
        self.workers = []

    def kill(self) -> None:
        for w in self.workers:
            try:
                w.proc.kill()
                w.proc.wait(timeout=5)
            except Exception:  # pragma: no cover
                pass
        self.workers = []

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        if exc[0] is None:
            self.close()
        else:
            self.kill()
