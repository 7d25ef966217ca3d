"""What a student process is cut off from: the grader's processes, descriptors, memory, files and privileges.

In the sandbox (``SALESCOACH_ISOLATION`` is ``uid`` when the trainer is root, ``namespace`` otherwise; see
:mod:`salescoach.grader.sandbox`), a student process starts like this:

1. the zygote or template forks a short-lived process that makes a new PID namespace and a new mount
   namespace (``unshare``), forks the student process into them as that PID namespace's process 1, and
   ends; the worker, process 1 of the sandbox, inherits the student process and collects it (so the
   worker, the zygote and the templates stay outside, where the student process cannot name them);
2. the student process mounts a ``/proc`` of its own (it lists only its own processes), makes every
   other mount read-only for itself, and mounts a small private folder of its own, which it moves into;
3. it closes every descriptor but its socket to the worker and the two files that capture its output;
4. it takes its rlimits, switches to the unprivileged student user id when the trainer is root, drops
   every capability and sets ``no_new_privs``;
5. it installs the memory watch (:mod:`.memwatch`) and sends the worker a *hello*: its process id as
   the worker sees it (for interrupts), its memory limit, and the watch's descriptor.

When process 1 of a PID namespace ends, the kernel kills every process left in it, so killing the student
process also ends everything it started.  Without a sandbox (``none``) the student process is a plain fork
with the same rlimits.
"""
from __future__ import annotations

import ctypes
import os
import re
import signal
from dataclasses import dataclass

CLONE_NEWNS = 0x00020000
CLONE_NEWPID = 0x20000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS = 1, 4, 38
_CAP_VERSION_3 = 0x20080522

_libc = ctypes.CDLL(None, use_errno=True)


class IsolationError(OSError):
    """A step of isolating the student process failed; the process must not run student code."""


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise IsolationError(err, f"{what}: {os.strerror(err)}")


def prctl(option: int, value: int) -> None:
    _check(_libc.prctl(option, value, 0, 0, 0), f"prctl({option})")


def no_dump() -> None:
    """Make this process's memory, descriptors and environment unreadable to processes without privileges."""
    prctl(PR_SET_DUMPABLE, 0)


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent ends."""
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


@dataclass(frozen=True)
class Isolation:
    """How student processes are isolated in this worker (from its environment, set by the sandbox)."""

    mode: str = "none"          # "none", "namespace" (a user namespace) or "uid" (the trainer is root)
    uid: int | None = None      # the student user id in "uid" mode

    @classmethod
    def from_env(cls) -> Isolation:
        mode = os.environ.get("SALESCOACH_ISOLATION", "none")
        if mode not in ("none", "namespace", "uid"):
            mode = "none"
        uid = os.environ.get("SALESCOACH_STUDENT_UID")
        if mode == "uid" and not (uid and uid.isdigit() and int(uid) > 0):
            raise IsolationError(0, "the sandbox gave no unprivileged student user id")
        return cls(mode, int(uid) if mode == "uid" else None)

    @property
    def namespaces(self) -> bool:
        return self.mode != "none"


# --------------------------------------------------------------------------- the keeper
def capture_output(capture: str) -> None:
    """Output written straight to file descriptors 1 and 2 (C code, subprocesses) goes to files the worker reads."""
    for fd in (1, 2):
        new = os.open(os.path.join(capture, f"fd{fd}"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(new, fd)
        os.close(new)


def keep_student(capture: str) -> None:
    """In a fresh fork: make the student's namespaces and fork the student process into them.

    Returns in the student process (process 1 of its new PID namespace), its output already going to the
    capture files (opened here, before the new mount namespace, so that making its mounts read-only is not
    refused for files open for writing).  The calling process ends at once: the student process is then a
    child of the sandbox's process 1, the worker, which collects it and learns how it ended.
    """
    capture_output(capture)
    _check(_libc.unshare(CLONE_NEWPID | CLONE_NEWNS), "unshare")
    _check(_libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "making the mounts private")
    if os.fork() != 0:
        os._exit(0)


# --------------------------------------------------------------------------- the student process
def outer_pid() -> int:
    """This process's id as the worker sees it (read before the student's own /proc is mounted)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("NSpid:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return os.getpid()


def count_tasks() -> int:
    """Threads of every process this /proc shows (the processes the sandbox's user already runs)."""
    total = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                total += len(os.listdir(f"/proc/{entry}/task"))
            except OSError:
                pass
    return total


_MOUNT_FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": 1024, "nodiratime": 2048,
                "relatime": 1 << 21}
MS_RDONLY, MS_REMOUNT, MS_BIND = 1, 32, 4096


def _mounts() -> list[tuple[str, int, bool]]:
    """This mount namespace's mounts: (mount point, its flags, whether it is read-only already)."""
    out = []
    with open("/proc/self/mountinfo") as fh:
        for line in fh:
            fields = line.split()
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4])
            options = fields[5].split(",")
            flags = sum(_MOUNT_FLAGS.get(o, 0) for o in options)
            out.append((point, flags, "ro" in options))
    return out


def own_mounts(scratch: str, scratch_mb: int) -> None:
    """The student process's own view of the file system, in its mount namespace.

    A /proc that shows only its PID namespace; every other mount read-only (the sandbox's root, ``/tmp``
    and ``/dev`` are writable for the worker, and a file left there would reach the next student); and a
    private, size-limited tmpfs at ``scratch`` (its folder and home) and at ``/dev/shm``, gone with it.
    """
    _check(_libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None), "mounting /proc")
    for point, flags, readonly in _mounts():
        if readonly or point == "/proc" or point.startswith("/proc/") or not os.path.isdir(point):
            continue  # device nodes bound into /dev stay as they are (writing to /dev/null is fine)
        _check(_libc.mount(None, point.encode(), None, MS_BIND | MS_REMOUNT | MS_RDONLY | flags, None),
               f"making {point} read-only")
    options = f"size={int(scratch_mb)}m,mode=1777,nr_inodes=20000".encode()
    _check(_libc.mount(b"tmpfs", scratch.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, options), "mounting the scratch")
    if os.path.isdir("/dev/shm"):
        _check(_libc.mount(b"tmpfs", b"/dev/shm", b"tmpfs", MS_NOSUID | MS_NODEV, b"size=16m,mode=1777"),
               "mounting /dev/shm")


def close_other_fds(keep: tuple[int, ...]) -> None:
    """Close every file descriptor but ``keep``."""
    last = -1
    for fd in sorted(set(keep)):
        if fd > last + 1:  # (os.closerange(a, b) with b <= a would close every descriptor from a on)
            os.closerange(last + 1, fd)
        last = fd
    os.closerange(last + 1, 65536)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_privileges(uid: int | None) -> None:
    """Become user ``uid`` (when given; needs CAP_SETUID), drop every capability, and set no_new_privs."""
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    header, data = _CapHeader(_CAP_VERSION_3, 0), (_CapData * 2)()
    _check(_libc.capset(ctypes.byref(header), data), "dropping capabilities")
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    prctl(PR_SET_DUMPABLE, 1)  # its own /proc/self stays its own (a change of user id turns it off)
    if uid is not None and (os.getuid(), os.geteuid(), os.getgid()) != (uid, uid, uid):  # pragma: no cover
        raise IsolationError(0, "the student user id did not take")
