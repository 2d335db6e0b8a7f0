"""A small structured view of an HTML page (stdlib html.parser), for the render tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
_RESOURCE_ATTRS = {
    "script": "src",
    "img": "src",
    "source": "src",
    "iframe": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> list[Element]:
        out: list[Element] = []
        for child in self.children:
            if isinstance(child, Element):
                out.append(child)
                out.extend(child.iter())
        return out

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)
        ]

    def ancestors(self) -> list[Element]:
        out: list[Element] = []
        node = self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in _VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


@dataclass
class Page:
    path: Path
    root: Element

    @classmethod
    def load(cls, path: Path) -> Page:
        builder = _Builder()
        builder.feed(path.read_text("utf-8"))
        builder.close()
        return cls(path, builder.root)

    @property
    def ids(self) -> set[str]:
        return {e.attrs["id"] for e in self.root.iter() if "id" in e.attrs}

    def by_id(self, ident: str) -> Element | None:
        return next((e for e in self.root.iter() if e.attrs.get("id") == ident), None)

    def visible_text(self, skip_code: bool = True) -> str:
        """Text a reader sees in the article (scripts, styles and code listings left out)."""
        skipped = {"script", "style", "noscript"} | ({"pre"} if skip_code else set())
        parts: list[str] = []

        def walk(node: Element) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                elif child.tag not in skipped:
                    walk(child)

        article = next(iter(self.root.find_all("article")), self.root)
        walk(article)
        return "".join(parts)

    def resources(self) -> list[str]:
        """Every URL the page loads by itself (scripts, styles, images, frames)."""
        urls: list[str] = []
        for e in self.root.iter():
            attr = _RESOURCE_ATTRS.get(e.tag)
            if attr and attr in e.attrs:
                urls.append(e.attrs[attr])
            if e.tag == "link" and "href" in e.attrs:
                rel = e.attrs.get("rel", "")
                if any(r in rel for r in ("stylesheet", "preload", "icon", "modulepreload")):
                    urls.append(e.attrs["href"])
        return urls


def resolve(page: Path, href: str) -> tuple[Path, str]:
    """(file, fragment) a relative link of `page` points to."""
    target, _, fragment = href.partition("#")
    file = page if not target else (page.parent / target).resolve()
    return file, fragment
