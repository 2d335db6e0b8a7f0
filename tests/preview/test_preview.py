"""`polybook preview`: the watcher, the reloading server, and what a save re-does."""

from __future__ import annotations

import json
import shutil
import threading
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from polybook.diagnostics import Diagnostic
from polybook.preview.rebuild import Previewer
from polybook.preview.server import PreviewServer, Versions, inject
from polybook.preview.watch import Watcher
from polybook.source.book import Book
from tests.render.conftest import MINIBOOK


def test_watcher_sees_added_modified_and_removed_files(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("a", "utf-8")
    (tmp_path / ".hidden").write_text("h", "utf-8")
    watcher = Watcher((tmp_path,))
    assert watcher.changes() == set()
    (tmp_path / "a.md").write_text("a, longer", "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("b", "utf-8")
    assert watcher.changes() == {tmp_path / "a.md", tmp_path / "sub" / "b.md"}
    (tmp_path / "a.md").unlink()
    (tmp_path / ".hidden").write_text("changed", "utf-8")
    assert watcher.changes() == {tmp_path / "a.md"}


def test_pages_get_the_reload_script() -> None:
    assert inject(b"<html><body><p>x</p></body></html>").startswith(b"<html><body><p>x</p><script>")
    assert inject(b"<p>x</p>").endswith(b"</script>\n")


def test_a_waiting_client_is_answered_when_the_site_changes(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html><body>hello</body></html>", "utf-8")
    (tmp_path / "x.txt").write_text("plain", "utf-8")
    versions = Versions()
    server = PreviewServer(tmp_path, versions, 0)
    server.start()
    try:
        page = urllib.request.urlopen(server.url).read().decode()
        assert page.startswith("<html><body>hello<script>") and "/__polybook/wait" in page
        assert urllib.request.urlopen(server.url + "x.txt").read() == b"plain"
        now = json.loads(urllib.request.urlopen(server.url + "__polybook/version").read())
        assert now == {"version": 0}
        answers: list[int] = []
        asked = threading.Event()

        def wait() -> None:
            asked.set()
            data = urllib.request.urlopen(server.url + "__polybook/wait?since=0").read()
            answers.append(json.loads(data)["version"])

        waiter = threading.Thread(target=wait)
        waiter.start()
        asked.wait()
        versions.bump()
        waiter.join(timeout=20)
        assert answers == [1]
    finally:
        server.stop()


@dataclass
class _Recorder(Previewer):
    """A previewer whose site build and execution are recorded, not run."""

    calls: list[tuple[str, str, list[str]]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def render(self) -> tuple[list[Diagnostic], int]:
        return [], 1


def _previewer(tmp_path: Path) -> _Recorder:
    root = tmp_path / "minibook"
    shutil.copytree(MINIBOOK, root)
    book = Book.open(root)
    recorder = _Recorder(book, "en", "pytorch")

    def execute(lang: str, framework: str, rels: list[str]) -> list[Diagnostic]:
        recorder.calls.append((lang, framework, rels))
        return []

    recorder.execute = execute
    recorder.print_line = recorder.lines.append
    return recorder


def test_a_save_sends_only_that_page_through_execute_and_prints_its_diagnostics(
    tmp_path: Path,
) -> None:
    preview = _previewer(tmp_path)
    book = preview.book
    first = book.root / "chapters/en/chap/first.md"
    first.write_text(
        first.read_text("utf-8").replace("## Shapes", "## Shapes\n\nSee :numref:`sec_nowhere`."),
        encoding="utf-8",
    )
    done = preview.rebuild([first, book.root / "img" / "arrow.svg"])
    assert not done.failed
    assert done.pages == ["chapters/en/chap/first.md"]
    assert preview.calls == [("en", "pytorch", ["chap/first.md"])]
    assert preview.lines == [
        "chapters/en/chap/first.md:59: error PB151: :numref:`sec_nowhere` points to a label "
        "no page defines"
    ]
    # an image or the bibliography: no page to check or execute, the site is rebuilt
    preview.calls.clear()
    done = preview.rebuild([book.root / "references.bib"])
    assert (done.pages, preview.calls, done.read) == ([], [], 1)
    # a page of another language is not this preview's
    done = preview.rebuild([book.root / "chapters/id/chap/first.md"])
    assert (done.pages, preview.calls) == ([], [])


def test_a_failing_rebuild_is_reported_and_the_preview_goes_on(tmp_path: Path) -> None:
    preview = _previewer(tmp_path)

    def broken(lang: str, framework: str, rels: list[str]) -> list[Diagnostic]:
        raise RuntimeError("kernel exploded")

    preview.execute = broken
    done = preview.rebuild([preview.book.root / "chapters/en/chap/first.md"])
    assert done.failed
    assert [d.code for d in done.diagnostics][-1] == "PB440"
    assert "RuntimeError: kernel exploded" in done.diagnostics[-1].message


def test_roots_are_the_site_languages_images_bibliography_and_configuration(
    tmp_path: Path,
) -> None:
    preview = _previewer(tmp_path)
    root = preview.book.root
    assert preview.roots() == (
        root / "chapters/en",
        root / "img",
        root / "references.bib",
        root / "_config",
    )
