"""A pool of warm grading workers (see :mod:`salescoach.grader.harness`), driven from the trainer's process."""
from __future__ import annotations

import os
import select
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .harness import MessageTooLarge, recv, send
from .sandbox import worker_command


class WorkerError(RuntimeError):
    """A grading worker could not start."""


@dataclass
class _Worker:
    proc: subprocess.Popen
    job: dict | None = None
    deadline: float = 0.0
    started: float = field(default_factory=time.monotonic)


class WorkerPool:
    """``size`` sandboxed workers; :meth:`submit` a job, :meth:`results` yields finished ones."""

    def __init__(self, kit_root: Path, size: int = 2, use_sandbox: bool = True, warm: list[str] | None = None) -> None:
        if size < 1:
            raise ValueError(f"jobs must be at least 1, got {size}")
        self.kit_root = Path(kit_root)
        self.use_sandbox = use_sandbox
        self.warm = warm or []
        self.size = size
        self.workers: list[_Worker] = []
        self.sandbox = "none"
        self.warm_seconds = 0.0
        for _ in range(size):
            self.workers.append(self._start())
        for w in self.workers:
            self._handshake(w)

    def _start(self) -> _Worker:
        cmd, env, self.sandbox = worker_command(self.kit_root, self.use_sandbox)
        extra = {"SALESCOACH_WARM_EXERCISES": ",".join(self.warm), "NBGRADER_EXECUTION": "autograde"}
        if self.sandbox == "bubblewrap":
            cmd = cmd[:-3] + [a for k, v in extra.items() for a in ("--setenv", k, v)] + cmd[-3:]
        else:
            env.update(extra)
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    env=env or None, start_new_session=True)
        except OSError as exc:
            raise WorkerError(f"could not start a grading worker ({cmd[0]}): {exc}") from exc
        return _Worker(proc)

    def _handshake(self, w: _Worker) -> None:
        try:
            hello = recv(w.proc.stdout.fileno(), deadline=time.monotonic() + 120)
        except TimeoutError:
            hello = None
        if not hello or not hello.get("ready"):
            w.proc.kill()
            err = w.proc.stderr.read().decode(errors="replace")[-3000:] if w.proc.stderr else ""
            raise WorkerError(f"a grading worker did not start (sandbox: {self.sandbox}).\n{err}")
        self.warm_seconds = max(self.warm_seconds, float(hello.get("warm_seconds", 0)))
        # the worker's stderr is only read on failure; keep it from filling its pipe
        os.set_blocking(w.proc.stderr.fileno(), False)

    # ------------------------------------------------------------------ jobs
    def idle(self) -> int:
        return sum(1 for w in self.workers if w.job is None)

    def busy(self) -> int:
        return len(self.workers) - self.idle()

    def submit(self, job: dict) -> None:
        w = next(w for w in self.workers if w.job is None)
        limits = job.get("limits", {})
        w.job = job
        w.deadline = time.monotonic() + len(job["cells"]) * float(limits.get("cell_timeout", 30)) + 60
        send(w.proc.stdin.fileno(), job)

    def wait(self, timeout: float | None = None) -> list[dict]:
        """Finished jobs (possibly none before ``timeout``); a dead or stuck worker fails its job and is replaced."""
        busy = [w for w in self.workers if w.job is not None]
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
            else:
                result["job"] = w.job
                w.job = None
                done.append(result)
        now = time.monotonic()
        for w in busy:
            if w.job is not None and now > w.deadline:
                done.append(self._fail(w, "the grading worker stopped answering"))
        return done

    def _fail(self, w: _Worker, why: str) -> dict:
        job = w.job
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
        self.workers[i] = self._start()
        self._handshake(self.workers[i])
        return {"id": job["id"] if job else None, "job": job, "cells": None, "notes": [],
                "stopped": f"{why}{': ' + err.strip().splitlines()[-1] if err.strip() else ''}"}

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

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: Any) -> None:
        if exc[0] is None:
            self.close()
        else:
            self.kill()
