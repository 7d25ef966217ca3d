"""Messages between the trainer's process, a grading worker and its student processes.

Every message is a 4-byte big-endian length followed by that many bytes of JSON.  :func:`recv` can wait
with a deadline and refuses a message longer than ``max_bytes`` before reading it, so a student process
cannot make the worker read (or hold) more than the limit.
"""
from __future__ import annotations

import json
import os
import select
import struct
import time
from typing import Any

HEADER = struct.Struct(">I")


class MessageTooLarge(Exception):
    """The other side announced a message longer than the reader accepts (its size is ``args[0]``)."""


def encode(obj: Any) -> bytes:
    """One framed message: the length header and the JSON text."""
    data = json.dumps(obj, allow_nan=True).encode()
    return HEADER.pack(len(data)) + data


def send(fd: int, obj: Any) -> None:
    """Write ``obj`` as one message to the file descriptor ``fd`` (blocking until all of it is written)."""
    buf = encode(obj)
    while buf:
        n = os.write(fd, buf)
        buf = buf[n:]


def read_exact(fd: int, n: int, deadline: float | None) -> bytes | None:
    """``n`` bytes from ``fd``; None at end of file; TimeoutError when ``deadline`` (monotonic) passes first."""
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
    """One message, or None at end of file.  Raises TimeoutError, MessageTooLarge, ValueError (not JSON)."""
    head = read_exact(fd, HEADER.size, deadline)
    if head is None:
        return None
    (size,) = HEADER.unpack(head)
    if size > max_bytes:
        raise MessageTooLarge(size)
    body = read_exact(fd, size, deadline)
    if body is None:
        return None
    return json.loads(body)
