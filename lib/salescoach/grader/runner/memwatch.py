"""The memory watch: the trainer hears of every time a student's code ran into the memory limit.

The limit itself is ``RLIMIT_AS``: an allocation beyond it fails and Python raises ``MemoryError``, which the
student's code may catch, leaving no trace.  So each student process installs a seccomp filter (Linux's
system-call filter, ``no_new_privs`` set first) that hands every large memory request -- an ``mmap`` or
``mremap`` of at least :data:`THRESHOLD` bytes -- to the worker as a *user notification* before the kernel
handles it.  The worker (:class:`MemoryWatch`) notes whether the request would pass the limit, from the
process's current size, and lets the kernel go on with it unchanged (``SECCOMP_USER_NOTIF_FLAG_CONTINUE``):
the limit is enforced as before, only now it is seen.  The student's code cannot see or stop the
notifications: the filter cannot be removed and its descriptor is only in the worker.  Smaller requests
that fail are caught by the other rule: a process whose peak size came within :data:`THRESHOLD` of the
limit reached it.

Only on x86-64 and arm64 Linux; elsewhere the watch is off and only the peak-size rule applies.
"""
from __future__ import annotations

import ctypes
import os
import platform
import select

THRESHOLD = 16 * 1024 * 1024

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
#: machine -> (AUDIT_ARCH, seccomp syscall number, mmap, mremap)
_ARCHES = {"x86_64": (0xC000003E, 317, 9, 25), "aarch64": (0xC00000B7, 277, 222, 216)}
_LD, _JEQ, _JGE, _JGT, _RET = 0x20, 0x15, 0x35, 0x25, 0x06
_ALLOW, _NOTIFY = 0x7FFF0000, 0x7FC00000
_SET_MODE_FILTER, _FLAG_NEW_LISTENER = 1, 1 << 3
_NOTIF_RECV, _NOTIF_SEND, _FLAG_CONTINUE = 0xC0502100, 0xC0182101, 1


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint32)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


class _Data(ctypes.Structure):
    _fields_ = [("nr", ctypes.c_int), ("arch", ctypes.c_uint32), ("ip", ctypes.c_uint64),
                ("args", ctypes.c_uint64 * 6)]


class _Notif(ctypes.Structure):
    _fields_ = [("id", ctypes.c_uint64), ("pid", ctypes.c_uint32), ("flags", ctypes.c_uint32), ("data", _Data)]


class _Response(ctypes.Structure):
    _fields_ = [("id", ctypes.c_uint64), ("val", ctypes.c_int64), ("error", ctypes.c_int32),
                ("flags", ctypes.c_uint32)]


def _program(arch: int, mmap_nr: int, mremap_nr: int) -> list[tuple[int, int, int, int]]:
    """The filter as BPF instructions: notify on mmap(len >= THRESHOLD) and mremap(new_len >= THRESHOLD)."""
    allow, notify = 13, 14

    def size_check(at: int, arg: int) -> list[tuple[int, int, int, int]]:  # the 64-bit argument, high word first
        offset = 16 + 8 * arg
        return [(_LD, 0, 0, offset + 4), (_JGT, notify - at - 2, 0, 0),
                (_LD, 0, 0, offset), (_JGE, notify - at - 4, allow - at - 4, THRESHOLD)]

    return [
        (_LD, 0, 0, 4), (_JEQ, 0, allow - 2, arch),                       # 0-1: another architecture: allow
        (_LD, 0, 0, 0), (_JEQ, 1, 0, mmap_nr), (_JEQ, 4, allow - 5, mremap_nr),  # 2-4: which call
        *size_check(5, 1),                                                # 5-8: mmap's length
        *size_check(9, 2),                                                # 9-12: mremap's new length
        (_RET, 0, 0, _ALLOW), (_RET, 0, 0, _NOTIFY),                      # 13, 14
    ]


def install() -> int | None:
    """In the student process (after no_new_privs): install the filter; its listener descriptor, or None."""
    arch = _ARCHES.get(platform.machine())
    if arch is None:
        return None
    audit, seccomp_nr, mmap_nr, mremap_nr = arch
    code = [_Filter(*ins) for ins in _program(audit, mmap_nr, mremap_nr)]
    prog = _Program(len(code), (_Filter * len(code))(*code))
    fd = _libc.syscall(seccomp_nr, _SET_MODE_FILTER, _FLAG_NEW_LISTENER, ctypes.byref(prog))
    return int(fd) if fd >= 0 else None


def _status_bytes(pid: int, field: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


class MemoryWatch:
    """The worker's side: the listener of one student process's filter, and what it saw.

    ``limit`` is the process's ``RLIMIT_AS`` in bytes, ``pid`` its id as the worker sees it.
    """

    def __init__(self, listener: int | None, pid: int, limit: int) -> None:
        self.fd, self.pid, self.limit = listener, pid, limit
        self.hits: list[str] = []
        self.near_noted = False  # the peak-size rule has given its note

    def fileno(self) -> int:
        return -1 if self.fd is None else self.fd

    @property
    def active(self) -> bool:
        return self.fd is not None

    def handle(self) -> None:
        """Answer every pending notification (the kernel then goes on with the call as it would have)."""
        while self.fd is not None:
            ready, _, _ = select.select([self.fd], [], [], 0)
            if not ready:
                return
            notif = _Notif()
            if _libc.ioctl(self.fd, ctypes.c_ulong(_NOTIF_RECV), ctypes.byref(notif)) != 0:
                self.close()  # the process is gone (or was never there)
                return
            size = int(notif.data.args[2] if notif.data.nr in (25, 216) else notif.data.args[1])
            current = _status_bytes(int(notif.pid), "VmSize")
            if current is not None and current + size > self.limit:
                self.hits.append(f"an allocation of {size / 2**20:,.0f} MB was refused")
            reply = _Response(notif.id, 0, 0, _FLAG_CONTINUE)
            _libc.ioctl(self.fd, ctypes.c_ulong(_NOTIF_SEND), ctypes.byref(reply))

    def near_limit(self) -> bool:
        """Whether the process's peak size came within :data:`THRESHOLD` of the limit (smaller requests failed)."""
        peak = _status_bytes(self.pid, "VmPeak")
        return peak is not None and peak > self.limit - THRESHOLD

    def take(self) -> list[str]:
        out, self.hits = self.hits, []
        return out

    def close(self) -> None:
        if self.fd is not None:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = None
