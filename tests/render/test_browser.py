"""The tabbed site in a real browser, from disk: Playwright driving Debian's chromium.

Needs `apt-get install -y chromium` (never `playwright install`) and MathJax
(`make mathjax`); skipped without them. Screenshots go to _build/render-tests/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chromium import chromium
from tests.conftest import require
from tests.render.conftest import REPO, Sites

# slow: a real browser (chromium driven by Playwright) with MathJax
pytestmark = pytest.mark.slow

SCREENSHOTS = REPO / "_build" / "render-tests"
CHECKED_JAX = """() => Array.from(document.querySelectorAll(
    'label.sd-tab-label[data-sync-id="jax"]')).map(l => document.getElementById(
    l.getAttribute('for')).checked)"""


def test_framework_choice_follows_links_and_math_is_typeset(
    sites: Sites, mathjax: Path | None
) -> None:
    require(mathjax is not None, "MathJax not installed (make mathjax)")
    first = sites.out("en/all") / "chap" / "first.html"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        page = browser.new_page()
        remote: list[str] = []
        page.on(
            "request",
            lambda r: None if r.url.startswith(("file:", "data:")) else remote.append(r.url),
        )
        page.goto(first.as_uri())
        page.wait_for_selector("mjx-container", timeout=30_000)
        assert page.evaluate(CHECKED_JAX) == [False, False]

        page.locator('label.sd-tab-label[data-sync-id="jax"]').first.click()
        assert page.evaluate(CHECKED_JAX) == [True, True]  # every tab set on the page
        visible = page.locator(".sd-tab-content:visible")
        assert "jnp.arange" in visible.first.inner_text()
        page.screenshot(path=str(SCREENSHOTS / "first-jax.png"), full_page=True)

        page.locator("a.reference.internal", has_text="Section 1.2").first.click()
        page.wait_for_url("**/chap/second.html*")
        page.wait_for_selector("mjx-container", timeout=30_000)
        assert page.evaluate(CHECKED_JAX) == [True]  # still jax on the next page
        assert page.locator(".sd-tab-content:visible").first.inner_text().count("jax") >= 1
        page.screenshot(path=str(SCREENSHOTS / "second-jax.png"), full_page=True)

        page.reload()
        assert page.evaluate(CHECKED_JAX) == [True]  # and after a reload
        assert page.locator("mjx-container svg").count() >= 1
        assert remote == []
