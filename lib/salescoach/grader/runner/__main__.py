"""The grading worker: ``python -m salescoach.grader.runner`` (inside bubblewrap when it is available).

It imports pandas, numpy, matplotlib, IPython and what the warm-up plan names (:mod:`..plan`) once, forks
the zygote, then reads jobs on stdin and answers on stdout (see :mod:`.framing`).  Anything printed by the
code it imports goes to stderr.  Nothing in this package may import the gradebook or read course files:
the sandbox does not even contain them.
"""
from __future__ import annotations

import os
import time

from ..plan import ENV_VAR, MISSING_PREFIX, WarmPlan
from .forks import ZygoteGone
from .framing import recv, send
from .isolation import Isolation, no_dump
from .jobs import Worker
from .shell import FIRST_CELL_IMPORTS, make_shell
from .student import STATE

WARM_DATA_BYTES = 1_000_000  # datasets up to this size are loaded before the fork
WORK = os.environ.get("SALESCOACH_SCRATCH", "/tmp/salescoach-work")


def warm(plan: WarmPlan) -> list[str]:
    """Import what every submission needs, once, before any fork; returns notes on what could not be loaded."""
    notes: list[str] = []
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

    for module in plan.modules:
        try:
            __import__(module)
        except ImportError as exc:  # a package missing from this environment: every submission would fail
            notes.append(f"{MISSING_PREFIX}{module} cannot be imported ({type(exc).__name__}: {exc})")
        except Exception as exc:  # the student's own cell will show the error; the trainer gets a note
            notes.append(f"could not import {module} before grading: {type(exc).__name__}: {exc}")
    for name in plan.exercises:
        try:
            selfcheck.precompute(name)
        except selfcheck.UnknownExerciseError:
            pass  # an assignment without self-checks
        except Exception as exc:
            notes.append(f"the self-checks of {name} could not prepare their reference answers: "
                         f"{type(exc).__name__}: {exc}")
    _load_small_datasets()
    shell = make_shell()
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
    STATE["guard"] = Guard(shell, prefixes=plan.protected)
    # Everything loaded so far is shared with every forked student process; keep the garbage collector from
    # walking (and so copying) those pages in each child.
    import gc

    gc.collect()
    gc.freeze()
    return notes


def _load_small_datasets() -> None:
    """Parse and check the small datasets once here; each submission gets a copy after the fork."""
    from salescoach.datasets import dataset_names, load, path_of

    for name in dataset_names():
        try:
            if path_of(name).stat().st_size <= WARM_DATA_BYTES:
                load(name)
        except (OSError, ValueError):
            pass  # a missing or broken dataset gets its clear error in the student's own cell


def main() -> None:
    # the protocol gets private descriptors; anything printed by imported code goes to stderr
    proto_in, proto_out = os.dup(0), os.dup(1)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)
    os.makedirs(WORK, exist_ok=True)
    no_dump()  # this worker's memory, descriptors and environment: out of reach of unprivileged processes
    STATE["isolation"] = Isolation.from_env()
    t0 = time.monotonic()
    notes = warm(WarmPlan.from_json(os.environ.get(ENV_VAR)))
    worker = Worker(WORK, close=(proto_in, proto_out))  # the zygote, before the first job: see forks.Zygote
    send(proto_out, {"ready": True, "warm_seconds": time.monotonic() - t0, "pid": os.getpid(),
                     "uid": os.getuid(), "isolation": STATE["isolation"].mode, "notes": notes})
    while True:
        job = recv(proto_in)
        if job is None:
            worker.stop()
            return
        try:
            result = worker.run_job(job)
        except ZygoteGone:  # nothing of this job ran; the pool gives it to a fresh worker
            send(proto_out, {"restart": "the zygote process was killed"})
            return
        except Exception as exc:  # a grader bug must not take the batch down
            result = {"token": job.get("token"), "cells": None, "stopped": f"grader error: {exc!r}", "notes": []}
        send(proto_out, result)
        worker.cleanup()
        if not worker.zygote.alive():  # a student's code killed it; a new one from this process would not be clean
            send(proto_out, {"restart": "the zygote process was killed"})
            return


if __name__ == "__main__":
    main()
