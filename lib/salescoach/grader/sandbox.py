"""Where student code runs: limits, and the bubblewrap sandbox around the grading workers.

With bubblewrap (Debian package ``bubblewrap``, installed by ``make``) each
grading worker runs in its own sandbox: a new user (``nobody``), PID, IPC,
UTS and network namespace with no network at all, every capability
dropped, the root file system absent except for read-only binds of the
system folders, the Python installation, the kit's library and its
``datasets/`` (and ``course/course.yml``, which the data loader looks
for), and a private in-memory ``/tmp``.  ``solutions/``, ``submitted/``,
``autograded/``, the gradebook and the trainer's home do not exist inside.

Without bubblewrap the workers run as plain processes with the same rlimits;
the grader says so on every run (``sandbox: none``) because student code
can then read whatever this user can read.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission (defaults suit the kit's exercises)."""

    cell_timeout: float = 30.0        # wall-clock seconds per cell
    notebook_cpu: int = 120           # CPU seconds for the whole notebook (RLIMIT_CPU)
    memory_mb: int = 1024             # address space the student may add (RLIMIT_AS)
    max_processes: int = 32           # processes/threads the student may start (RLIMIT_NPROC)
    file_mb: int = 50                 # largest file the student may write (RLIMIT_FSIZE)
    max_lines: int = 1000             # stream output lines kept per output
    max_line_length: int = 10_000     # characters kept per line
    max_image_bytes: int = 2_000_000  # largest image kept (base64 bytes)
    max_message_bytes: int = 64 * 1024 * 1024  # largest reply a cell may send to the worker

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if value <= 0:
                raise ValueError(f"limit {name} must be positive, got {value!r}")

    def as_dict(self) -> dict:
        return asdict(self)


@functools.cache
def bubblewrap() -> str | None:
    """Path of a working ``bwrap``, or None (also when user namespaces are not allowed here); probed once."""
    exe = shutil.which("bwrap")
    if not exe:
        return None
    try:
        ok = subprocess.run([exe, "--ro-bind", "/", "/", "--unshare-user", "--uid", "65534", "--gid", "65534",
                             "--unshare-net", "true"], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return exe if ok.returncode == 0 else None


def _python_paths(kit_root: Path) -> list[Path]:
    """Folders the worker's Python needs: the interpreter, its standard library, site-packages, the kit's library."""
    import site
    import sysconfig

    import salescoach

    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent}
    for scheme_path in ("stdlib", "platstdlib", "purelib", "platlib"):
        paths.add(Path(sysconfig.get_paths()[scheme_path]))
    paths.update(Path(p) for p in site.getsitepackages())
    paths.add(Path(salescoach.__file__).resolve().parent.parent)
    kit = Path(kit_root).resolve()
    keep: list[Path] = []
    for p in sorted({q.resolve() for q in paths if q.exists()}, key=lambda q: len(q.parts)):
        if p == kit or p in kit.parents:
            continue  # never the kit's own folder (solutions/, the gradebook) or anything above it
        if not any(p == k or k in p.parents for k in keep):
            keep.append(p)
    return keep


SYSTEM_DIRS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc")


def worker_command(kit_root: Path, use_sandbox: bool = True) -> tuple[list[str], dict[str, str], str]:
    """The command line of one grading worker, its environment, and the sandbox name."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "SALESCOACH_ROOT": str(kit_root),
        "HOME": "/tmp/home",
        "IPYTHONDIR": "/tmp/home/.ipython",
        "MPLCONFIGDIR": "/tmp/home/.matplotlib",
        "SALESCOACH_SCRATCH": "/tmp/salescoach-work",
    }
    python = [sys.executable, "-m", "salescoach.grader.runner"]
    exe = bubblewrap() if use_sandbox else None
    if exe is None:
        import tempfile

        scratch = tempfile.mkdtemp(prefix="salescoach-worker-")
        env.update({"HOME": scratch, "IPYTHONDIR": f"{scratch}/.ipython", "MPLCONFIGDIR": f"{scratch}/.mpl",
                    "SALESCOACH_SCRATCH": f"{scratch}/work", "SALESCOACH_SANDBOX": "none"})
        return python, env, "none"
    env["SALESCOACH_SANDBOX"] = "bubblewrap"
    cmd = [exe, "--unshare-all", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL",
           "--die-with-parent", "--new-session", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
           "--dir", "/tmp/home"]
    for d in SYSTEM_DIRS:
        if os.path.exists(d):
            cmd += ["--ro-bind", d, d] if not os.path.islink(d) else ["--symlink", os.readlink(d), d]
    for p in _python_paths(kit_root):
        if not str(p).startswith(SYSTEM_DIRS):
            cmd += ["--ro-bind", str(p), str(p)]
    kit = Path(kit_root).resolve()
    for part in ("datasets", "course/course.yml"):
        if (kit / part).exists():
            cmd += ["--ro-bind", str(kit / part), str(kit / part)]
    cmd += ["--chdir", "/tmp", "--clearenv"]
    for k, v in env.items():
        cmd += ["--setenv", k, v]
    return cmd + python, {}, "bubblewrap"
