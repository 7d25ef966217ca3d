"""A throwaway PostgreSQL server for the test session (Debian's ``postgresql`` package, no network).

``postgres_server()`` runs ``initdb`` into a fresh temporary folder, starts the
server with ``pg_ctl`` on a unix socket in that folder and a free TCP port on
127.0.0.1, creates a database, yields its URL and stops the server afterwards.
PostgreSQL refuses to run as root, so as root the server runs as the
``postgres`` system user (the folder is handed over to it).

Tests are skipped only when the PostgreSQL binaries are absent; with
``SALESCOACH_REQUIRE_POSTGRES=1`` (``make test`` sets it) that is a failure.
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from browser_support import free_port

REQUIRE_ENV = "SALESCOACH_REQUIRE_POSTGRES"
SERVER_USER = "postgres"  # the superuser inside the cluster, and the system user as root
DATABASE = "salescoach_test"
PREFIX = "salescoach-pg-"


def find_bindir() -> Path | None:
    """Where ``initdb``/``pg_ctl`` live: ``$SALESCOACH_PG_BIN``, Debian's newest ``/usr/lib/postgresql/<ver>/bin``, or PATH."""
    candidates = []
    if os.environ.get("SALESCOACH_PG_BIN"):
        candidates.append(Path(os.environ["SALESCOACH_PG_BIN"]))
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = [p for p in debian.iterdir() if p.name.replace(".", "").isdigit()]
        candidates += [p / "bin" for p in sorted(versions, key=lambda p: float(p.name), reverse=True)]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    return None


def skip_or_fail(reason: str) -> None:
    """``pytest.skip`` with ``reason``, or ``pytest.fail`` when ``SALESCOACH_REQUIRE_POSTGRES=1``."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1: `make system-test-deps` installs Debian's postgresql package)")
    pytest.skip(reason)


def _as_server_user(cmd: list[str]) -> list[str]:
    """Prefix ``cmd`` so it runs as the ``postgres`` system user when we are root."""
    if os.geteuid() != 0:
        return cmd
    if shutil.which("runuser"):
        return ["runuser", "-u", SERVER_USER, "--", *cmd]
    return ["su", SERVER_USER, "-s", "/bin/sh", "-c", " ".join(_quote(c) for c in cmd)]


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


def _run(cmd: list[str], what: str, log: Path | None = None) -> None:
    proc = subprocess.run(_as_server_user(cmd), capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        extra = log.read_text(errors="replace")[-3000:] if log and log.is_file() else ""
        raise RuntimeError(f"{what} failed ({proc.returncode}): {proc.stdout}{proc.stderr}{extra}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_stale_servers(bindir: Path) -> None:
    """Stop and delete servers left by test runs that were killed before they could clean up."""
    for base in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            owner = int((base / "owner").read_text())
        except (OSError, ValueError):
            if time.time() - base.stat().st_mtime < 120:
                continue  # being set up by another worker right now
            owner = 0
        if owner and _alive(owner):
            continue
        if (base / "data" / "postmaster.pid").exists():
            subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(base / "data"), "-m", "immediate",
                                            "-w", "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def postgres_server(bindir: Path, database: str = DATABASE) -> Iterator[str]:
    """Start a throwaway server, create ``database``; yields ``postgresql://postgres:<pw>@127.0.0.1:<port>/<db>``."""
    if os.geteuid() == 0:
        import pwd

        try:
            owner = pwd.getpwnam(SERVER_USER)
        except KeyError:
            raise RuntimeError(f"running as root but there is no {SERVER_USER!r} system user to run PostgreSQL as "
                               "(Debian's postgresql package creates it)") from None
    reap_stale_servers(bindir)
    # not under pytest's tmp folder: that one is private to root and the postgres user could not enter it
    base = Path(tempfile.mkdtemp(prefix=PREFIX))
    (base / "owner").write_text(str(os.getpid()))
    data, log = base / "data", base / "server.log"
    password = secrets.token_urlsafe(16)
    pwfile = base / "pwfile"
    pwfile.write_text(password + "\n")
    if os.geteuid() == 0:
        for p in (base, pwfile):
            os.chown(p, owner.pw_uid, owner.pw_gid)
    started = False
    try:
        _run([str(bindir / "initdb"), "-D", str(data), "-U", SERVER_USER, f"--pwfile={pwfile}",
              "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"],
             "initdb")
        pwfile.unlink()
        for attempt in range(5):
            port = free_port()
            options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={base} "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40")
            try:
                _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", options,
                      "start"], "pg_ctl start", log)
                started = True
                break
            except RuntimeError:
                if attempt == 4:
                    raise
                time.sleep(0.5)  # another worker took the port between our probe and the server's bind
        _run([str(bindir / "createdb"), "-h", str(base), "-p", str(port), "-U", SERVER_USER, database], "createdb")
        yield f"postgresql://{SERVER_USER}:{password}@127.0.0.1:{port}/{database}"
    finally:
        if started:
            subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w",
                                            "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


def create_database(url: str, name: str, template: str | None = None) -> str:
    """Create database ``name`` (a copy of database ``template`` if given) on the server of ``url``, dropping an
    old one of that name; returns its URL."""
    import psycopg2
    from sqlalchemy.engine import make_url

    u = make_url(url)
    conn = psycopg2.connect(host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cur.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    finally:
        conn.close()
    return u.set(database=name).render_as_string(hide_password=False)
