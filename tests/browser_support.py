"""Shared pieces of the real-browser tests: Debian's Chromium driven by Playwright, local servers.

Facts behind them (see the course's notes on browser testing): Playwright cannot download its own browsers
here, so it launches Debian's ``/usr/bin/chromium`` (``make test`` installs it); every request that is not to
the local server is aborted (Voila and JupyterLab would otherwise wait on a CDN); servers are stopped with
SIGINT, then killed.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def jupyter_env(home: Path, path: str | None = None) -> dict[str, str]:
    """An environment with fresh Jupyter, IPython and matplotlib folders under ``home`` (nothing leaks to $HOME)."""
    env = dict(os.environ)
    for key in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        (home / key).mkdir(parents=True, exist_ok=True)
        env[key] = str(home / key)
    if path is not None:
        env["PATH"] = path
    return env


def wait_for_port(port: int, proc: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"the server exited: {log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)
    pytest.fail(f"the server did not open port {port} in {seconds:.0f} s: {log.read_text(errors='replace')[-3000:]}")


@contextmanager
def server(argv: list[str], env: dict[str, str], port: int, log: Path, cwd: Path | None = None) -> Iterator[str]:
    """Run a server process until the block ends; yields its base URL."""
    with open(log, "w") as out:
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=cwd,
                                start_new_session=True)
        try:
            wait_for_port(port, proc, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(proc)


def stop(proc: subprocess.Popen, grace: float = 15) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Debian Chromium driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make test` (it installs it) or apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def local_context(browser, base_url: str, **kwargs):  # noqa: ANN001, ANN201 - Playwright types
    """A browser context that lets only requests to ``base_url`` through and accepts leave-page dialogs."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, **kwargs)
    host = base_url.split("://", 1)[1].split("/", 1)[0]
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.split("://", 1)[-1].split("/", 1)[0] in (host, host.replace("127.0.0.1", "localhost"))
                  else route.abort())
    context.on("page", lambda pg: pg.on("dialog", lambda dialog: dialog.accept()))
    return context


def screenshot(page, name: str) -> Path:  # noqa: ANN001
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
