"""Where student code runs: limits, and the bubblewrap sandbox around the grading workers.

With bubblewrap (Debian package ``bubblewrap``, installed by ``make``) each grading worker runs in its own
sandbox: new PID, IPC, UTS and network namespaces with no network at all, the root file system absent
except for read-only binds of the system folders, the Python installation, the kit's library and its
``datasets/``, ``course/course.yml`` (which the data loader looks for) and ``course/modules/`` (lessons and
question banks, which students receive anyway and self-checks read), and a private in-memory
``/tmp``.  ``solutions/`` (nbgrader's source folder), ``submitted/``, ``autograded/``, the gradebook and the
trainer's home do not exist inside (only the Python installation's own folders, where it lives there).
The worker is the sandbox's process 1: bubblewrap keeps no process of its own inside, and signals from
inside its namespace cannot stop it.

Inside, each student process (see :mod:`salescoach.grader.runner.isolation`) gets namespaces of its own:
a PID namespace whose only processes are its own (so no grader process can even be named, signalled or
traced from it, and ``/proc`` lists nothing else), a mount namespace with its own ``/proc`` and its own
small ``/tmp``, no capabilities, ``no_new_privs``, and only its own socket to the worker open.

* When the trainer runs as root (CI, containers): the sandbox keeps the real user ids, the worker and its
  helpers keep only the capabilities to create those namespaces and switch user ids (``CAP_SYS_ADMIN``,
  ``CAP_SETUID``, ``CAP_SETGID``, ``CAP_KILL``), and each student process runs as an unprivileged user id
  that owns nothing (:func:`student_uid`, one per worker), so ``RLIMIT_NPROC`` holds and ``/etc/shadow``,
  root's files and everything else readable only by root are out of reach.
* Otherwise: a user namespace maps the trainer's user to ``nobody``, and the process limit counts the
  processes of that sandbox only.

Without bubblewrap the workers run as plain processes with the same rlimits; the grader says so on every
run (``sandbox: none``) because student code can then read whatever this user can read, signal the
grader's processes and, when the trainer is root, start any number of processes.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from ..paths import DATASETS_DIR, MANIFEST, MODULES_DIR

#: the user ids student processes run as when the trainer is root: an unprivileged range no account uses
STUDENT_UID_BASE = 1_600_000_000
#: capabilities the worker and its helpers keep when the trainer is root (student processes keep none)
ROOT_CAPS = ("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_KILL")
#: in a user namespace: enough to give each student process its own PID and mount namespaces
USERNS_CAPS = ("CAP_SYS_ADMIN",)


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission (defaults suit the kit's exercises)."""

    cell_timeout: float = 30.0        # wall-clock seconds per cell
    notebook_cpu: int = 120           # CPU seconds for the whole notebook (RLIMIT_CPU)
    memory_mb: int = 1024             # address space the student may add (RLIMIT_AS)
    max_processes: int = 32           # processes/threads the student may start (RLIMIT_NPROC)
    file_mb: int = 50                 # largest file the student may write (RLIMIT_FSIZE)
    scratch_mb: int = 200             # the student's own /tmp (all files together)
    max_lines: int = 1000             # stream output lines kept per output
    max_line_length: int = 10_000     # characters kept per line
    max_image_bytes: int = 2_000_000  # largest image kept (base64 bytes)
    max_metadata_bytes: int = 16_384  # largest metadata kept per output (as JSON)
    max_outputs: int = 100            # outputs kept per cell
    max_notebook_bytes: int = 25 * 1024 * 1024  # all outputs of one notebook together (as JSON)
    max_message_bytes: int = 64 * 1024 * 1024  # largest reply a cell may send to the worker
    max_submission_bytes: int = 20 * 1024 * 1024  # largest submitted notebook file graded
    interrupt_grace: float = 5.0      # seconds a timed-out cell gets to stop after its interrupt

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if value <= 0:
                raise ValueError(f"limit {name} must be positive, got {value!r}")

    def as_dict(self) -> dict:
        return asdict(self)


def running_as_root() -> bool:
    return os.geteuid() == 0


def student_uid(slot: int, pid: int | None = None) -> int:
    """The user id of worker ``slot``'s student processes when the trainer is root.

    One per worker and per trainer process (from its pid), so the process limit of one worker's students
    is not shared with another worker's, nor with another grading run's.
    """
    pid = os.getpid() if pid is None else pid
    return STUDENT_UID_BASE + (pid % 1_000_000) * 16 + slot % 16


def _isolation_flags() -> list[str]:
    """bubblewrap's namespace, user and capability options for this trainer (root or not)."""
    flags = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
             "--as-pid-1", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    if running_as_root():
        caps = ROOT_CAPS
    else:
        flags += ["--unshare-user", "--uid", "65534", "--gid", "65534"]
        caps = USERNS_CAPS
    for cap in caps:
        flags += ["--cap-add", cap]
    return flags


@functools.cache
def bubblewrap() -> str | None:
    """Path of a working ``bwrap`` that can make the grader's sandbox here, or None; probed once."""
    exe = shutil.which("bwrap")
    if not exe:
        return None
    try:
        ok = subprocess.run([exe, *_isolation_flags(), "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
                             "true"], capture_output=True, timeout=20)
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


def _binds(kit_root: Path) -> list[str]:
    """Read-only binds of the Python installation and the kit's data, with readable folders above them.

    bubblewrap makes the folders above a bind with mode 0700 (unreadable for the student's user id when the
    trainer is root, e.g. ``/root`` above a pyenv interpreter); they are made first, 0755 and empty.
    """
    kit = Path(kit_root).resolve()
    sources = [p for p in _python_paths(kit_root) if not str(p).startswith(SYSTEM_DIRS)]
    sources += [kit / part for part in (DATASETS_DIR, str(MANIFEST), MODULES_DIR) if (kit / part).exists()]
    parents = sorted({a for p in sources for a in p.parents if a != Path("/")}, key=lambda a: len(a.parts))
    cmd: list[str] = []
    for folder in parents:
        if not any(folder == s or s in folder.parents for s in sources):
            cmd += ["--perms", "0755", "--dir", str(folder)]
    for p in sources:
        cmd += ["--ro-bind", str(p), str(p)]
    return cmd


def worker_command(kit_root: Path, use_sandbox: bool = True, slot: int = 0) -> tuple[list[str], dict[str, str], str]:
    """The command line of grading worker number ``slot``, its environment, and the sandbox name."""
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
                    "SALESCOACH_SCRATCH": f"{scratch}/work", "SALESCOACH_SANDBOX": "none",
                    "SALESCOACH_ISOLATION": "none"})
        return python, env, "none"
    env["SALESCOACH_SANDBOX"] = "bubblewrap"
    if running_as_root():
        env.update({"SALESCOACH_ISOLATION": "uid", "SALESCOACH_STUDENT_UID": str(student_uid(slot))})
    else:
        env["SALESCOACH_ISOLATION"] = "namespace"
    cmd = [exe, *_isolation_flags(), "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--dir", "/tmp/home"]
    for d in SYSTEM_DIRS:
        if os.path.exists(d):
            cmd += ["--ro-bind", d, d] if not os.path.islink(d) else ["--symlink", os.readlink(d), d]
    cmd += _binds(kit_root)
    cmd += ["--chdir", "/tmp", "--clearenv"]
    for k, v in env.items():
        cmd += ["--setenv", k, v]
    return cmd + python, {}, "bubblewrap"
