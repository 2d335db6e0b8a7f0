"""`polybook preview` in a real browser: a save shows without a manual reload.

Playwright drives Debian's chromium (never `playwright install`); the page
reloads itself through the preview's long poll. Synchronisation is on events:
the preview's `preview:` and `rebuilt` lines on its stdout, and the new text
appearing in the page.
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.chromium import chromium
from tests.render.conftest import MINIBOOK, stand_in_mathjax

# slow: Sphinx on a whole (small) book, and chromium
pytestmark = pytest.mark.slow

TIMEOUT = 120.0


class _Lines:
    """The preview's stdout, line by line, read by a thread into a queue."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.seen: list[str] = []
        self.queue: queue.Queue[str | None] = queue.Queue()
        assert process.stdout is not None
        stream = process.stdout

        def read() -> None:
            for line in stream:
                self.queue.put(line.rstrip("\n"))
            self.queue.put(None)

        threading.Thread(target=read, daemon=True).start()

    def until(self, prefix: str) -> str:
        while True:
            line = self.queue.get(timeout=TIMEOUT)
            if line is None:
                raise AssertionError("the preview stopped:\n" + "\n".join(self.seen))
            self.seen.append(line)
            if line.startswith(prefix):
                return line


def test_a_saved_page_shows_in_the_browser_without_a_reload(tmp_path: Path) -> None:
    root = tmp_path / "minibook"
    shutil.copytree(MINIBOOK, root)
    mathjax = stand_in_mathjax(tmp_path / "mathjax")
    command = [sys.executable, "-m", "polybook", "--book", str(root), "preview", "chap/first"]
    command += ["--port", "0", "--no-execute", "--mathjax", str(mathjax.parent)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    lines = _Lines(process)
    try:
        url = lines.until("preview: ").split()[1]
        assert url.endswith("/chap/first.html")
        with chromium() as browser:
            page = browser.new_page()
            page.goto(url)
            page.get_by_text("The next section,").wait_for()
            loads: list[str] = []
            page.on("load", lambda _: loads.append(page.url))
            first = root / "chapters/en/chap/first.md"
            text = first.read_text("utf-8").replace(
                "The next section,",
                "A sentence written while previewing. See :numref:`sec_gone`.\n\nThe next section,",
            )
            # the reload's `load` event is awaited (the new text can show before it fires)
            with page.expect_event("load", timeout=TIMEOUT * 1000):
                first.write_text(text, encoding="utf-8")
                # the saved page's diagnostics come before the site is rebuilt
                error = lines.until("chapters/en/chap/first.md:")
                assert "error PB151: :numref:`sec_gone`" in error
                assert lines.until("rebuilt #1").count("1 pages saved") == 1
            page.get_by_text("A sentence written while previewing.").wait_for(
                timeout=TIMEOUT * 1000
            )
            assert loads == [url]  # the page reloaded itself, once
            assert page.get_by_text("The next section,").count() == 1
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert lines.until("preview: stopped") == "preview: stopped"
