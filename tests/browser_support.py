"""Shared pieces of the real-browser tests: Debian's Chromium driven by Playwright, local servers.

Facts behind them (see the course's notes on browser testing): Playwright cannot download its own browsers
here, so it launches Debian's ``/usr/bin/chromium`` (``make test`` installs it); every request that is not to
the local server is aborted (Voila and JupyterLab would otherwise wait on a CDN); servers are stopped with
SIGINT, then killed.
"""
from __future__ import annotations

import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"
BIN = Path(sys.executable).parent  # the environment's bin/: jupyter-lab, voila, salescoach
KERNEL_IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle']"


def free_port() -> int:
    """A free TCP port below the kernel's ephemeral range.

    Ports from ``bind(("127.0.0.1", 0))`` come from the ephemeral range (``ip_local_port_range``), the same range
    every Jupyter kernel of a parallel test takes its five ports from: a server started on such a port can find
    it taken by a kernel before it binds, and a test would then talk to the kernel. Ports picked at random below
    that range and checked free do not race with them.
    """
    low = 32768
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        pass
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(max(1025, low - 12000), low)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
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
def server(argv: list[str], env: dict[str, str], port: int, log: Path, cwd: Path | None = None,
           stop_signal: int = signal.SIGINT) -> Iterator[str]:
    """Run a server process until the block ends; yields its base URL."""
    with open(log, "w") as out:
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=cwd,
                                start_new_session=True)
        try:
            wait_for_port(port, proc, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(proc, stop_signal=stop_signal)


def stop(proc: subprocess.Popen, grace: float = 15, stop_signal: int = signal.SIGINT) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, stop_signal)
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


def local_context(browser, base_url: str, viewport: dict[str, int] | None = None,  # noqa: ANN001, ANN201
                  **kwargs):  # Playwright types
    """A browser context that lets only requests to ``base_url`` through and accepts leave-page dialogs."""
    context = browser.new_context(viewport=viewport or {"width": 1400, "height": 900}, **kwargs)
    host = base_url.split("://", 1)[1].split("/", 1)[0]
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.split("://", 1)[-1].split("/", 1)[0] in (host, host.replace("127.0.0.1", "localhost"))
                  else route.abort())
    context.on("page", lambda pg: pg.on("dialog", lambda dialog: dialog.accept()))
    return context


def screenshot(page, name: str, **kwargs) -> Path:  # noqa: ANN001 - a Playwright page or locator
    """``build/screenshots/<name>.png`` of a page or a locator; ``kwargs`` go to Playwright (``full_page=True``)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), **kwargs)
    return path


def write_notebook(path: Path, cells: list) -> Path:
    """A notebook with a Python 3 kernelspec; ``cells`` are code sources (str) or nbformat cells."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) if isinstance(c, str) else c for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


@contextmanager
def voila(notebook: Path, env: dict[str, str], log: Path, stop_signal: int = signal.SIGINT) -> Iterator[str]:
    """Voila serving ``notebook`` (run from its folder) until the block ends; yields its base URL."""
    port = free_port()
    argv = [str(BIN / "voila"), notebook.name, "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"]
    with server(argv, env, port, log, cwd=notebook.parent, stop_signal=stop_signal) as url:
        yield url


@contextmanager
def lab(root: Path, env: dict[str, str], log: Path, stop_signal: int = signal.SIGINT) -> Iterator[str]:
    """JupyterLab on the folder ``root`` (no token, no news or update checks) until the block ends; yields its URL."""
    port = free_port()
    argv = [str(BIN / "jupyter-lab"), "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
            "--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        argv.append("--allow-root")
    with server(argv, env, port, log, cwd=root, stop_signal=stop_signal) as url:
        yield url


@contextmanager
def kit_lab(kit: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """``salescoach lab`` serving the kit at ``kit`` (no token) until the block ends; yields its base URL."""
    port = free_port()
    argv = [str(BIN / "salescoach"), "--root", str(kit), "lab", "--port", str(port), "--no-browser", "--",
            "--ServerApp.token=", "--ServerApp.password="]
    with server(argv, env, port, log) as url:
        yield url


@contextmanager
def lab_page(browser, url: str, workspace: str) -> Iterator[tuple[object, str]]:  # noqa: ANN001
    """A fresh local context's page on JupyterLab at ``url``, and the URL of a clean workspace named ``workspace``."""
    context = local_context(browser, url)
    try:
        yield context.new_page(), f"{url}/lab/workspaces/{workspace[:40]}"
    finally:
        context.close()


def click_run_all(page) -> None:  # noqa: ANN001
    """Run > Run All Cells in JupyterLab, with the notebook made the active panel first (see shared/notes)."""
    page.locator(".jp-Cell .jp-InputPrompt").first.click()
    page.get_by_role("menuitem", name="Run").click()
    item = page.locator(".lm-Menu-item:not(.lm-mod-disabled)").filter(
        has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")))
    item.first.wait_for(state="visible", timeout=30_000)
    item.first.click()


def run_all_until(page, target, state: str = "visible", tries: int = 3) -> None:  # noqa: ANN001
    """Run All Cells once the kernel is idle, until ``target`` (a locator) is in ``state``.

    A Run All issued while the kernel is still starting can be dropped: it is retried, ``tries`` times in all.
    ``state`` also applies to the kernel's idle indicator ("attached": a narrow window folds the toolbar away).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(tries):
        page.wait_for_selector(KERNEL_IDLE, state=state, timeout=90_000)
        click_run_all(page)
        try:
            target.wait_for(state=state, timeout=60_000)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
