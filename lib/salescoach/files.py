"""Writing files so that a crash, a full disk or Ctrl-C never leaves half a file behind."""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: Path, new_mode: int = 0o644, durable: bool = True) -> Iterator[Path]:
    """A temporary file beside ``path`` to write; synced and renamed over ``path`` only if the block succeeds.

    A new file gets ``new_mode``; a file that is replaced keeps its permissions.  ``durable=False`` skips
    the sync to disk: the file is still never seen half-written, and survives the writing process being
    killed, but an operating-system crash right after may lose it (for files that can be made again).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if durable:
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else new_mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, data: bytes, new_mode: int = 0o644, durable: bool = True) -> None:
    with atomic_path(path, new_mode, durable) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(path: Path, text: str, new_mode: int = 0o644, durable: bool = True) -> None:
    """UTF-8 text, newlines written as given."""
    with atomic_path(path, new_mode, durable) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
