"""The parsed prose of a markdown cell -> markdown a reader's Jupyter shows.

Input is the source stage's element model, as for the site (`render/myst.py`),
but the output is plain Jupyter markdown, with no role or directive left:

    :numref:`x`              -> [Section “Title”](site page#x), [Figure “Caption”](...)
    :ref:`x`                 -> [Title](site page#x)
    :eqref:`x`               -> [Equation (x)](site page#x)
    :cite:`a,b` / :citet:`a` -> (Author et al., 2019; ...) / Author et al. (2019)
    :label:/:eqlabel:/:width: -> nothing (a figure's width becomes an <img> width)
    slide marks              -> removed (kept with `keep_slide_marks`)
    slide-only text          -> dropped (kept, marks and all, with `keep_slide_marks`)
    `<eos>`                  -> &lt;eos&gt;
    images                   -> the path of the copied image, relative to the notebook
    toc blocks               -> a list of links to the listed pages' notebooks
    eval_rst                 -> dropped (reStructuredText means nothing in Jupyter)

A link goes to the HTML site when `[notebooks] site_url` is set; without it the
text stands alone. Problems come back as diagnostics at book lines.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from polybook.diagnostics import Code, Diagnostic
from polybook.source import grammar
from polybook.source.elements import (
    Bibliography,
    Blank,
    Element,
    Equation,
    Fence,
    Figure,
    Heading,
    Inline,
    LabelLine,
    Paragraph,
    Table,
    Token,
    TokenKind,
)
from polybook.source.inline import scan
from polybook.source.model import LabelKind


@dataclass(frozen=True, slots=True)
class Target:
    """What a reference points to: the page (docname) and the text that names it."""

    docname: str
    anchor: str  # the HTML id of the target on its page
    text: str  # what a :numref:/:eqref: shows: `Section “Title”`, `Figure “Caption”`
    title: str  # what a :ref: shows: the title or caption (else the label)
    kind: LabelKind


@dataclass(frozen=True, slots=True)
class Context:
    """What converting one page's prose needs from the rest of the book."""

    file: str  # the page, for diagnostics
    docname: str  # the page's notebook path without `.ipynb`
    targets: dict[str, Target]  # label -> target, book-wide
    cite: Callable[[str], str | None]  # a BibTeX key -> "Author et al.|2019", None: unknown
    image: Callable[[str], str | None]  # an image as written -> its path beside the notebook
    site_page: Callable[[str], str | None]  # docname -> URL of its HTML page, None: no site
    titles: dict[str, str] = field(default_factory=dict)  # docname -> its page's title
    and_two: str = "and"
    keep_slide_marks: bool = False


@dataclass(slots=True)
class Converted:
    text: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _escape_link_text(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


class _Emitter:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.lines: list[str] = []
        self.diagnostics: list[Diagnostic] = []

    def problem(self, code: Code, line: int, message: str, target: str | None = None) -> None:
        self.diagnostics.append(Diagnostic.make(code, self.ctx.file, line, message, target))

    # -- inline ----------------------------------------------------------
    def link(self, text: str, docname: str, anchor: str) -> str:
        url = self.ctx.site_page(docname)
        if url is None:
            return text
        return f"[{_escape_link_text(text)}]({url}#{anchor})"

    def reference(self, token: Token, label: str, shown: str | None = None) -> str:
        found = self.ctx.targets.get(label)
        if found is None:
            message = f":{token.role}:`{label}` points to a label no page defines; shown as text"
            self.problem(Code.READER_UNRESOLVED_REFERENCE, token.line, message, label)
            return shown or label
        if shown is None:
            shown = found.title if token.role == "ref" else found.text
        return self.link(shown, found.docname, found.anchor)

    def citation(self, token: Token) -> str:
        keys = [k.strip() for k in token.value.split(",") if k.strip()]
        parts: list[tuple[str, str]] = []
        for key in keys:
            found = self.ctx.cite(key)
            if found is None:
                message = f"citation key {key!r} is not in the bibliography; shown as the key"
                self.problem(Code.READER_UNKNOWN_CITATION, token.line, message, key)
                parts.append((key, ""))
            else:
                authors, _, year = found.partition("|")
                parts.append((authors, year))
        if token.role == "citet":
            return "; ".join(f"{a} ({y})" if y else a for a, y in parts)
        return "(" + "; ".join(f"{a}, {y}" if y else a for a, y in parts) + ")"

    def token(self, token: Token) -> str:
        kind = token.kind
        if kind is TokenKind.ROLE:
            if token.role in grammar.CITE_ROLES:
                return self.citation(token)
            value = token.value.strip()
            if grammar.TITLED_TARGET.match(value):  # `title <label>`
                title, _, rest = value.rpartition("<")
                return self.reference(token, rest.rstrip(">").strip(), title.strip())
            return self.reference(token, value)
        if kind is TokenKind.LINK_ROLE:
            return self.reference(token, token.value, token.alt)
        if kind in (TokenKind.TARGET, TokenKind.SETTING):
            return ""
        if kind is TokenKind.MARK:
            return token.text if self.ctx.keep_slide_marks else ""
        if kind is TokenKind.DROPPED:
            return token.text if self.ctx.keep_slide_marks else "\n" * token.text.count("\n")
        if kind is TokenKind.TAG:
            return token.text.replace("<", "&lt;").replace(">", "&gt;")
        if kind is TokenKind.IMAGE:
            return f"![{token.alt}]({self.image(token.value, token.line)})"
        if kind is TokenKind.BAD_ROLE:
            message = f":{token.role}: role is not closed or its target is not valid; shown as text"
            self.problem(Code.READER_MALFORMED_ROLE, token.line, message, token.value or None)
            return token.value or token.alt
        if kind is TokenKind.MATH:
            return token.text.replace("\t", " ")
        return token.text

    def inline(self, content: Inline) -> list[str]:
        text = "".join(self.token(t) for t in content.tokens)
        return [
            new
            for new, old in zip(text.split("\n"), content.raw, strict=True)
            if new.strip() or not old.strip()
        ]

    def inline_text(self, content: Inline | None) -> str:
        if content is None:
            return ""
        return " ".join(line.strip() for line in self.inline(content) if line.strip())

    def image(self, path: str, line: int) -> str:
        if "://" in path or path.startswith("data:"):
            return path
        found = self.ctx.image(path)
        if found is None:
            message = f"image {path!r} not found; the notebook shows a broken image"
            self.problem(Code.READER_MISSING_IMAGE, line, message, path)
            return path
        return found

    # -- blocks ----------------------------------------------------------
    def element(self, element: Element) -> None:
        if isinstance(element, Blank):
            self.lines.append("")
        elif isinstance(element, Paragraph):
            self.lines.extend(self.inline(element.inline))
        elif isinstance(element, Heading):
            text = self.inline_text(element.title)
            self.lines.append(f"{'#' * element.level} {text}")
        elif isinstance(element, Figure):
            self.figure(element)
        elif isinstance(element, Table):
            caption = self.inline_text(element.caption)
            if caption:
                self.lines.extend([f"**{caption}**", ""])
            self.lines.extend(self.inline(element.rows))
        elif isinstance(element, Equation):
            indent = element.indent
            self.lines.append(f"{indent}$$")
            self.lines.extend(f"{indent}{t.replace(chr(9), ' ')}" for t, _ in element.body)
            self.lines.append(f"{indent}$$")
        elif isinstance(element, LabelLine | Bibliography):
            return
        else:
            self.fence(element)

    def figure(self, element: Figure) -> None:
        path = self.image(element.src, element.line)
        caption = self.inline_text(element.caption)
        if element.width or element.height:
            size = "".join(
                f' {key}="{value}"'
                for key, value in (("width", element.width), ("height", element.height))
                if value
            )
            alt = caption.replace('"', "&quot;")
            self.lines.append(f'<img src="{path}" alt="{alt}"{size}>')
        else:
            self.lines.append(f"![{caption}]({path})")
        if caption:
            self.lines.extend(["", f"*{caption}*"])

    def fence(self, element: Fence) -> None:
        info = element.info.strip()
        kind = info.split()[0] if info else ""
        if kind == "eval_rst":
            return
        if kind == "toc":
            self.toc(element)
            return
        language = kind
        if kind.startswith("{"):
            classes = [c.lstrip(".") for c in info.strip(" {}").split() if c.startswith(".")]
            language = next((c for c in classes if c != "input"), "")
        self.lines.append(f"{element.indent}{element.fence}{language}")
        self.lines.extend(text for text, _ in element.body)
        self.lines.append(f"{element.indent}{element.fence}")

    def toc(self, element: Fence) -> None:
        base = posixpath.dirname(self.ctx.docname)
        for text, _ in element.body:
            entry = text.strip()
            if not entry or entry.startswith(":"):
                continue
            entry = entry.removesuffix(".md")
            target = posixpath.normpath(posixpath.join(base, entry))
            title = self.ctx.titles.get(target, entry)
            self.lines.append(f"- [{_escape_link_text(title)}]({entry}.ipynb)")


def plain_title(raw: str, line: int) -> str:
    """A heading's or caption's text as written -> readable text (slide marks,
    roles and targets removed), for link texts."""
    out: list[str] = []
    for token in scan(raw, (line,)):
        if token.kind in (TokenKind.MARK, TokenKind.TARGET, TokenKind.SETTING, TokenKind.DROPPED):
            continue
        if token.kind in (TokenKind.ROLE, TokenKind.BAD_ROLE, TokenKind.LINK_ROLE):
            out.append(token.alt or token.value)
            continue
        out.append(token.text)
    return " ".join("".join(out).split())


def convert(elements: Iterable[Element], ctx: Context) -> Converted:
    """Jupyter markdown for the elements of one markdown cell, in order."""
    emitter = _Emitter(ctx)
    for element in elements:
        emitter.element(element)
    while emitter.lines and not emitter.lines[-1].strip():
        emitter.lines.pop()
    while emitter.lines and not emitter.lines[0].strip():
        emitter.lines.pop(0)
    return Converted("\n".join(emitter.lines), emitter.diagnostics)
