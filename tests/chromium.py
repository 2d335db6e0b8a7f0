"""Debian's chromium driven by Playwright, for the browser tests (never
`playwright install`): offline, no sandbox, no background traffic."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require

CHROMIUM = Path(os.environ.get("POLYBOOK_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless chromium browser, closed afterwards; the test is skipped
    without Playwright or chromium (a failure under POLYBOOK_STRICT_TESTS)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    require(CHROMIUM.is_file(), f"no chromium at {CHROMIUM} (apt-get install -y chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
