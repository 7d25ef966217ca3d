"""The sources :mod:`.collect` reads submissions from, as trees of relative paths: a folder, or a zip read in place.

Zip members are never extracted: ``../`` paths, absolute paths and symlinks are refused (``unsafe-path``),
a member is read only up to a size limit (:class:`TooLarge` beyond it), and a zip whose members add up to
more than ``max_total_bytes`` (a zip bomb) raises ``ValueError``.
"""
from __future__ import annotations

import os
import re
import stat
import struct
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from fnmatch import fnmatch
from pathlib import Path

#: Largest number of members in a zip.
MAX_MEMBERS = 20_000
_JUNK_NAMES = ("__MACOSX", "__pycache__", "*.pyc", "Thumbs.db", "desktop.ini", "feedback")


@dataclass
class Problem:
    """A file that was not collected as it stands (or a roster student without one), and what to do."""

    path: str
    kind: str  # bad-name, duplicate, not-a-notebook, malformed, unsafe-path, too-large, unknown-notebook, missing
    message: str


class TooLarge(Exception):
    pass


@dataclass
class Entry:
    """A file of the source: relative path parts, where to show it, its date, how to read it."""

    parts: tuple[str, ...]
    display: str
    size: int
    mtime: datetime | None
    read: Callable[[int], bytes]  # read(limit) -> bytes, raises TooLarge beyond limit
    unsafe: str | None = None  # a reason the entry must not be read


class Tree:
    """A source as relative paths: children of a folder and every file below one."""

    def __init__(self, name: str | None, label: str) -> None:
        self.name = name  # the source folder's own name (None for a zip)
        self.label = label  # the source as the trainer named it
        self.problems: list[Problem] = []  # found while opening (zip members that are unsafe or duplicated)

    def children(self, parts: tuple[str, ...]) -> tuple[list[str], list[str]]:  # (files, folders), junk skipped
        raise NotImplementedError

    def walk(self, parts: tuple[str, ...]) -> Iterator[Entry]:
        raise NotImplementedError


def is_junk(name: str) -> bool:
    return name.startswith(".") or any(fnmatch(name, pat) for pat in _JUNK_NAMES)


def _read_limited(fh, limit: int) -> bytes:  # type: ignore[no-untyped-def]
    chunks, total = [], 0
    while True:
        chunk = fh.read(min(1 << 20, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise TooLarge
        chunks.append(chunk)


class FolderTree(Tree):
    def __init__(self, root: Path) -> None:
        super().__init__(root.resolve().name, str(root))
        self.root = root

    def children(self, parts: tuple[str, ...]) -> tuple[list[str], list[str]]:
        files, dirs = [], []
        with os.scandir(self.root.joinpath(*parts)) as it:
            for e in it:
                if is_junk(e.name):
                    continue
                (dirs if e.is_dir(follow_symlinks=False) else files).append(e.name)
        return sorted(files), sorted(dirs)

    def walk(self, parts: tuple[str, ...]) -> Iterator[Entry]:
        with os.scandir(self.root.joinpath(*parts)) as it:
            entries = sorted((e for e in it if not is_junk(e.name)), key=lambda e: e.name)
        for e in entries:
            sub = parts + (e.name,)
            path = Path(e.path)
            if e.is_symlink():
                yield Entry(sub, str(path), 0, None, _refuse, unsafe="a symbolic link")
            elif e.is_dir(follow_symlinks=False):
                yield from self.walk(sub)
            elif e.is_file(follow_symlinks=False):
                st = e.stat(follow_symlinks=False)
                yield Entry(sub, str(path), st.st_size, datetime.fromtimestamp(st.st_mtime, timezone.utc),
                             lambda limit, p=path: _read_path(p, limit))
            else:
                yield Entry(sub, str(path), 0, None, _refuse, unsafe="not a regular file")


def _read_path(path: Path, limit: int) -> bytes:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        return _read_limited(fh, limit)


def _refuse(limit: int) -> bytes:
    raise OSError("refused")


class ZipTree(Tree):
    def __init__(self, zf: zipfile.ZipFile, zip_path: Path, max_total_bytes: int) -> None:
        super().__init__(None, str(zip_path))
        self.zf = zf
        self.zip_path = zip_path
        self.max_total = max_total_bytes
        self.read_total = 0
        self.files: dict[tuple[str, ...], Entry] = {}
        self.dirs: set[tuple[str, ...]] = {()}
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ValueError(f"{zip_path}: {len(infos)} members, more than the {MAX_MEMBERS} accepted; "
                             "split the export into smaller zips")
        declared = sum(i.file_size for i in infos)
        if declared > max_total_bytes:
            raise ValueError(f"{zip_path}: members add up to {declared} bytes uncompressed, more than the "
                             f"{max_total_bytes} accepted (a zip bomb?); if the export is genuine, unpack it "
                             "yourself and collect the folder, or raise max_total_bytes")
        seen: dict[tuple[str, ...], list[str]] = {}
        for info in infos:
            shown = f"{zip_path}/{info.filename}"
            name = info.filename.replace("\\", "/")
            reason = _unsafe_member(info, name)
            if reason:
                self.problems.append(Problem(shown, "unsafe-path", (
                    f"zip member {reason}; not read. Re-create the zip from the folder of submissions "
                    "(the paths inside must be relative and plain files)")))
                continue
            parts = tuple(p for p in name.split("/") if p not in ("", "."))
            if not parts:
                continue
            for i in range(1, len(parts)):
                self.dirs.add(parts[:i])
            if info.is_dir():
                self.dirs.add(parts)
                continue
            seen.setdefault(parts, []).append(shown)
            if info.flag_bits & 0x1:
                self.problems.append(Problem(shown, "not-a-notebook", (
                    "zip member is encrypted and cannot be read; export the zip without a password")))
                continue
            self.files[parts] = Entry(parts, shown, info.file_size, _zip_member_time(info),
                                       lambda limit, i=info: self._read(i, limit))
        for parts, shown_list in seen.items():
            if len(shown_list) > 1:
                self.files.pop(parts, None)
                for shown in shown_list:
                    self.problems.append(Problem(shown, "duplicate", (
                        f"the zip holds {len(shown_list)} members with this same path; none was read. "
                        "Re-create the zip so each file appears once")))

    def _read(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        if info.file_size > limit:
            raise TooLarge
        try:
            with self.zf.open(info) as fh:
                data = _read_limited(fh, limit)
        except zipfile.BadZipFile as exc:
            raise OSError(f"damaged zip member ({exc})") from None
        self.read_total += len(data)
        if self.read_total > self.max_total:
            raise ValueError(f"{self.zip_path}: more than {self.max_total} bytes uncompressed (a zip bomb?); "
                             "unpack it yourself and collect the folder, or raise max_total_bytes")
        return data

    def children(self, parts: tuple[str, ...]) -> tuple[list[str], list[str]]:
        n = len(parts)
        files = {p[n] for p in self.files if len(p) == n + 1 and p[:n] == parts}
        dirs = {p[n] for p in self.dirs if len(p) == n + 1 and p[:n] == parts}
        return (sorted(f for f in files if not is_junk(f)), sorted(d for d in dirs if not is_junk(d)))

    def walk(self, parts: tuple[str, ...]) -> Iterator[Entry]:
        n = len(parts)
        for p in sorted(self.files):
            if p[:n] == parts and len(p) > n and not any(is_junk(c) for c in p[n:]):
                yield self.files[p]


def _unsafe_member(info: zipfile.ZipInfo, name: str) -> str | None:
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "has an absolute path"
    if ".." in name.split("/"):
        return "climbs out of the folder with '..'"
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_ISLNK(mode):
        return "is a symbolic link"
    if "\x00" in name:
        return "has a NUL character in its name"
    return None


def _zip_member_time(info: zipfile.ZipInfo) -> datetime | None:
    """The member's modification time in UTC.

    The Info-ZIP "extended timestamp" extra field (0x5455) holds a UTC Unix time and wins when present;
    otherwise the DOS date in the header is local time of the machine reading it (as ``unzip`` does).
    """
    extra = info.extra
    i = 0
    while i + 4 <= len(extra):
        header_id, size = struct.unpack("<HH", extra[i:i + 4])
        body = extra[i + 4:i + 4 + size]
        if header_id == 0x5455 and len(body) >= 5 and body[0] & 1:
            return datetime.fromtimestamp(struct.unpack("<I", body[1:5])[0], timezone.utc)
        i += 4 + size
    try:
        return datetime(*info.date_time).astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None


@contextmanager
def open_tree(source: Path, max_total_bytes: int) -> Iterator[Tree]:
    if not source.exists() and not source.is_symlink():
        raise FileNotFoundError(f"{source}: not found; expected a course folder with submitted/, a folder of "
                                "<student>.ipynb files, or a .zip of either")
    if source.is_dir():
        yield FolderTree(source)
        return
    if source.suffix.lower() != ".zip":
        raise ValueError(f"{source}: a file that is not a .zip; pass a course folder with submitted/, a folder of "
                         "<student>.ipynb files, or a .zip of either")
    try:
        zf = zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        raise ValueError(f"{source}: not a readable zip ({exc}); download the export again") from None
    with zf:
        yield ZipTree(zf, source, max_total_bytes)
