"""Where student processes come from: the zygote, the templates, and the forks they make.

Student processes are never forked from the worker itself, which holds whole jobs (hidden tests included,
and as freed bytes long after): they come from a *zygote* (:class:`Zygote`) forked right after warm-up,
before the first job, which never receives a test.  A student process gets each cell only when it is that
cell's turn, so no student code can find a hidden test in its own memory before the test has run
(``tests/grader/test_workers.py`` and the ``memory_snooper`` fixture scan ``/proc/self/mem`` for one).
After a test cell has run, its text is in that process and later cells of the same notebook could find
it; nbgrader has the same limit.

Most notebooks open with the trainer's locked set-up cells (imports, loading the data), the same for every
student.  When the pipeline marks them as the job's trusted ``prefix``, the zygote starts a *template*
process that runs them once, and each student process is forked from it (see :class:`Template`): same
state, outputs and execution counts as running them per student, about 13% less CPU per submission.  The
template never runs student code.

The zygote and a template answer two requests on their socket: start a process (the answer is its pid and,
passed as a file descriptor, the worker's end of a new socket to it) and collect one (the answer is its
exit status).
"""
from __future__ import annotations

import os
import select
import signal
import socket
import struct
import time
from collections.abc import Callable

from .framing import recv, send
from .isolation import die_with_parent


def fork_child(fd: int, keeper: Callable[[], None] | None = None) -> int | None:
    """Fork a process connected to the worker by a new socket.

    In the new process: returns its end of the socket, with ``fd`` (the requests channel) closed, so student
    code has no way to ask for anything.  Here: sends the worker the pid and the other end, returns None.
    With a ``keeper`` (:func:`.isolation.keep_student`), the new process only makes the student's namespaces
    and forks the student process into them: the returned end of the socket is then in that process.
    """
    mine, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        os.close(fd)
        mine.close()
        channel = theirs.detach()
        if keeper is not None:
            keeper()  # returns only in the student process
        return channel
    theirs.close()
    with socket.socket(fileno=os.dup(fd)) as sock:
        socket.send_fds(sock, [struct.pack(">q", pid)], [mine.fileno()])
    mine.close()
    return None


def answer_wait(fd: int, msg: dict) -> None:
    """In the zygote or a template: collect one of its processes (killed after the grace time), send the status."""
    _, status = wait_child(int(msg["wait"]), float(msg.get("grace", 1.0)))
    send(fd, {"status": status})


def wait_child(pid: int, grace: float = 1.0) -> tuple[int, int]:
    """Reap a child process; kill it if it has not ended after ``grace`` s.  Returns (pid, wait status)."""
    deadline = time.monotonic() + grace
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return pid, 0
        if done:
            return done, status
        if time.monotonic() > deadline:
            break
        time.sleep(0.002)
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        return os.waitpid(pid, 0)
    except ChildProcessError:
        return pid, 0


def reap() -> None:
    """Collect every ended child process."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def ask_fork(sock: socket.socket, msg: dict, seconds: float = 30) -> tuple[int, int]:
    """Ask the zygote or a template for a new process: its pid and the worker's end of its socket."""
    send(sock.fileno(), msg)
    ready, _, _ = select.select([sock], [], [], seconds)
    if not ready:
        raise TimeoutError
    data, got, _, _ = socket.recv_fds(sock, 8, 1)
    if len(data) != 8 or len(got) != 1:
        for fd in got:
            os.close(fd)
        raise OSError("no process was started")
    return struct.unpack(">q", data)[0], got[0]


def ask_status(sock: socket.socket, pid: int, grace: float) -> int | None:
    """Ask the zygote or a template to collect ``pid`` (killed after ``grace`` s): its exit status, or None."""
    try:
        send(sock.fileno(), {"wait": pid, "grace": grace})
        return int(recv(sock.fileno(), deadline=time.monotonic() + grace + 10)["status"])
    except (OSError, ValueError, TimeoutError, KeyError, TypeError):
        return None


def closed(sock: socket.socket) -> bool:
    """True if the process at the other end has gone (it only ever writes when asked)."""
    ready, _, _ = select.select([sock], [], [], 0)
    return bool(ready)


class Zygote:
    """The clean process every student process descends from.

    The worker forks it right after warming up, before it reads any job, and sends it nothing but requests
    to start a process (with the opening cells' limits and folders) or to collect one.  So no hidden test is
    ever in its memory, not even as freed bytes, and none is in the memory a student process starts with:
    the worker, which holds whole jobs, is never forked.  ``serve(fd)`` is the zygote's request loop; the
    descriptors in ``close`` (the worker's own channels) are closed in it first.
    """

    def __init__(self, serve: Callable[[int], None], close: tuple[int, ...] = ()) -> None:
        mine, theirs = socket.socketpair()
        worker = os.getpid()
        pid = os.fork()
        if pid == 0:
            try:
                mine.close()
                for fd in close:
                    os.close(fd)
                die_with_parent()
                if os.getppid() == worker:
                    serve(theirs.detach())
            except BaseException:  # the zygote (or a process it forked) failed: say why on the worker's stderr
                import traceback

                traceback.print_exc()
            finally:
                os._exit(0)
        theirs.close()
        self.pid, self.sock = pid, mine

    def alive(self) -> bool:
        try:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return False
        return not done and not closed(self.sock)

    def spawn(self, spec: dict, *, template: bool = False) -> tuple[int, int]:
        """A new student process (or template): its pid (a keeper's, when isolated) and the worker's end of
        its socket.  ``spec`` holds its ``scratch`` and ``capture`` folders and its ``limits``."""
        return ask_fork(self.sock, {"spawn": spec, "template": template})

    def wait(self, pid: int, grace: float) -> int | None:
        """Exit status of a process it started (killed after ``grace`` s); None if the zygote cannot say."""
        return ask_status(self.sock, pid, grace)


class ZygoteGone(Exception):
    """The zygote cannot start processes (a student's code killed it): this worker must be replaced."""


class Template:
    """A student process that has run a notebook's trusted opening cells and forks the students' processes.

    Most notebooks open with locked cells (imports, loading the data) that are the same for every student:
    nbgrader's ``OverwriteCells`` puts the trainer's source back into them, and the pipeline marks them as
    the job's ``prefix`` only when they match the gradebook.  The template (started by the zygote) runs them
    once; each submission then starts from a fork of it, with the same state, outputs and execution counts as
    if it had run them itself.  A prefix that fails, or leaves files behind, is not made a template: such
    submissions run every cell themselves.  The template never runs a student's code or sees a test cell;
    if a student's code kills it, the next submission makes a new one.
    """

    def __init__(self, key: str, pid: int, sock: socket.socket, zygote: Zygote) -> None:
        self.key, self.pid, self.sock, self.zygote = key, pid, sock, zygote
        self.replies: list[dict] = []
        self.ended = False

    def alive(self) -> bool:
        if not self.ended and closed(self.sock):
            self.stop()
        return not self.ended

    def fork(self, spec: dict) -> tuple[int, int]:
        """A new student process that has run the prefix: its pid (or its keeper's) and the worker's end of its
        socket.  ``spec`` holds its ``scratch`` and ``capture`` folders."""
        return ask_fork(self.sock, {"fork": spec})

    def wait(self, pid: int, grace: float) -> int | None:
        """The exit status of a student process forked by the template (killed after ``grace`` s)."""
        status = ask_status(self.sock, pid, grace)
        if status is None:  # the template is gone or confused: not used again
            self.stop()
        return status

    def stop(self) -> None:
        if self.ended:
            return
        self.ended = True
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        self.zygote.wait(self.pid, 0)
        self.sock.close()


def ready_to_fork() -> None:
    """In a template, before its first fork: keep the garbage collector off what the opening cells made.

    Everything loaded so far is shared with every forked student process; a collection walking it would
    copy its memory pages in each child.
    """
    import gc

    gc.collect()
    gc.freeze()

