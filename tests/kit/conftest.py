"""Fixtures of the kit's JupyterLab browser tests: each test module defines ``lab`` (its server's URL and log)."""
from __future__ import annotations

import pytest

from browser_support import chromium, lab_page


@pytest.fixture(scope="module")
def browser(lab):
    """One headless Chromium for the module, started once its ``lab`` server is up."""
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, lab, request):
    """A fresh browser context per test (only requests to the local JupyterLab may leave the page), and the URL of
    a clean JupyterLab workspace named after the test."""
    with lab_page(browser, lab[0], request.node.name) as (pg, workspace):
        yield pg, workspace
