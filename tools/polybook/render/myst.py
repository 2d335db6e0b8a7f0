"""The parsed prose of a markdown cell -> MyST lines, each with its book line.

Input is the source stage's element model (`source.elements`); nothing here
reads markdown. Block elements become MyST directives and targets:

    Heading (+ labels)       -> (x)= / # Title   (a rubric inside tabs)
    Figure                   -> ```{figure} with :name:, :width:, caption
    Table                    -> ~~~{table} Caption with :name:
    Equation                 -> ```{math} with :label:
    Bibliography             -> ```{bibliography}
    Fence (toc, eval_rst, listing) -> ```{toctree} / ```{eval-rst} / ```lang

and inline tokens their MyST form (`{numref}`, `{cite:p}`, escaped `<eos>`,
slide marks removed, slide-only text dropped, image paths resolved).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from polybook.diagnostics import Code
from polybook.render.model import Converted, ConvertOptions, Line, Problem
from polybook.source import grammar
from polybook.source.book import toc_entry_file
from polybook.source.contain import rst_escape, rst_paths
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
    Target,
    Token,
    TokenKind,
)

MYST_ROLES = {
    "numref": "numref",
    "ref": "ref",
    "eqref": "eq",
    "cite": "cite:p",
    "citep": "cite:p",
    "citet": "cite:t",
}
_TOCTREE_OPTIONS = frozenset(
    {"maxdepth", "numbered", "caption", "hidden", "titlesonly", "glob", "reversed", "name"}
)


def _role(token: Token) -> str:
    if token.role in grammar.CITE_ROLES:
        keys = ",".join(k.strip() for k in token.value.split(",") if k.strip())
        return f"{{{MYST_ROLES[token.role]}}}`{keys}`"
    return f"{{{MYST_ROLES[token.role]}}}`{token.value}`"


class _Emitter:
    def __init__(self, opts: ConvertOptions) -> None:
        self.opts = opts
        self.res = Converted()
        self.block_start: int | None = None
        self.pending: list[Target] = []

    # -- inline ----------------------------------------------------------
    def token(self, token: Token, targets: list[Target]) -> str:
        kind = token.kind
        if kind is TokenKind.ROLE:
            return _role(token)
        if kind is TokenKind.LINK_ROLE:
            return f"{{ref}}`{token.alt} <{token.value}>`"
        if kind is TokenKind.MATH:
            return token.text.replace("\t", " ")
        if kind is TokenKind.TARGET:
            targets.append(Target(token.value, token.line))
            return ""
        if kind in (TokenKind.SETTING, TokenKind.MARK):
            return ""
        if kind is TokenKind.DROPPED:
            return "\n" * token.text.count("\n")
        if kind is TokenKind.TAG:
            return "\\" + token.text
        if kind is TokenKind.IMAGE:
            path = self.image(token.value, token.line)
            return token.alt if path is None else f"![{token.alt}]({path})"
        if kind is TokenKind.BAD_ROLE:
            self.bad_role(token)
            return ""
        return token.text

    def bad_role(self, token: Token) -> None:
        code = Code.RENDER_MALFORMED_ROLE
        if token.role in grammar.REFERENCE_ROLES:
            code = Code.RENDER_UNRESOLVED_REFERENCE
        elif token.role in grammar.CITE_ROLES:
            code = Code.RENDER_UNRESOLVED_CITATION
        message = f":{token.role}: role is not closed or its target is not valid; shown as text"
        self.res.problems.append(Problem(code, token.line, message, token.value or None))

    def inline(self, content: Inline) -> tuple[list[Line], list[Target]]:
        targets: list[Target] = []
        text = "".join(self.token(t, targets) for t in content.tokens)
        out: list[Line] = []
        for new, old, src in zip(text.split("\n"), content.raw, content.lines, strict=True):
            if new.strip() or not old.strip():
                out.append(Line(new, src))
        return out, targets if self.opts.keep_targets else []

    def inline_text(self, content: Inline) -> str:
        lines, _ = self.inline(content)
        return " ".join(line.text.strip() for line in lines)

    def image(self, path: str, line: int) -> str | None:
        """The image's path in the generated tree (None: refused, left out)."""
        why = self.opts.image_escape(path)
        if why is not None:
            message = f"image {path!r} refused: {why}; it is not published"
            self.res.problems.append(Problem(Code.IMAGE_OUTSIDE_BOOK, line, message, path))
            return None
        resolved = self.opts.resolve_image(path)
        if resolved is None:
            message = f"image {path!r} not found"
            self.res.problems.append(Problem(Code.RENDER_MISSING_IMAGE, line, message, path))
            return path
        return resolved

    # -- blocks ----------------------------------------------------------
    def emit(self, text: str, src: int) -> None:
        self.res.lines.append(Line(text, src))

    def target_lines(self, targets: Iterable[Target]) -> list[Line]:
        if not self.opts.keep_targets:
            return []
        return [Line(f"({t.name})=", t.line) for t in targets if grammar.REF_TARGET.match(t.name)]

    def start_block(self, targets: Sequence[Target] = ()) -> None:
        self.block_start = len(self.res.lines)
        self.res.lines.extend(self.target_lines([*self.pending, *targets]))
        self.pending.clear()

    def attach(self, target: Target) -> None:
        """A `:label:` line after a block names that block."""
        if self.block_start is None:
            self.pending.append(target)
            return
        self.res.lines[self.block_start : self.block_start] = self.target_lines([target])

    def element(self, element: Element) -> None:
        if isinstance(element, Blank):
            self.emit("", element.line)
        elif isinstance(element, Paragraph):
            lines, targets = self.inline(element.inline)
            self.start_block(targets)
            self.res.lines.extend(lines)
        elif isinstance(element, Heading):
            self.heading(element)
        elif isinstance(element, Figure):
            self.figure(element)
        elif isinstance(element, Table):
            self.table(element)
        elif isinstance(element, Equation):
            self.equation(element)
        elif isinstance(element, LabelLine):
            self.attach(element.target)
        elif isinstance(element, Bibliography):
            self.start_block()
            for text in ("```{bibliography}", ":filter: cited", "```"):
                self.emit(text, element.line)
        else:
            self.fence(element)

    def heading(self, element: Heading) -> None:
        lines, inline_targets = self.inline(element.title)
        text = " ".join(line.text.strip() for line in lines)
        self.start_block([*inline_targets, *element.labels])
        if self.opts.headings_as_rubric:
            self.emit(f"~~~{{rubric}} {text}", element.line)
            self.emit("~~~", element.line)
        else:
            self.emit(f"{'#' * element.level} {text}", element.line)

    def figure(self, element: Figure) -> None:
        src = element.line
        path = self.image(element.src, src)
        if path is None:
            return
        caption = self.inline_text(element.caption) if element.caption is not None else ""
        self.start_block()
        self.emit(f"```{{figure}} {path}", src)
        if element.label is not None and self.opts.keep_targets:
            self.emit(f":name: {element.label.name}", src)
        for key, value in (("width", element.width), ("height", element.height)):
            if value is not None:
                self.emit(f":{key}: {value}", src)
        if caption:
            self.emit("", src)
            self.emit(caption, src)
        self.emit("```", src)

    def table(self, element: Table) -> None:
        rows, _ = self.inline(element.rows)
        self.start_block()
        label = element.label if self.opts.keep_targets else None
        wrap = element.caption is not None or label is not None
        if wrap:
            title = self.inline_text(element.caption) if element.caption is not None else ""
            self.emit(f"~~~{{table}} {title}".rstrip(), element.line)
            if label is not None:
                self.emit(f":name: {label.name}", element.line)
            self.emit("", element.line)
        self.res.lines.extend(rows)
        if wrap:
            self.emit("~~~", element.rows.lines[-1])

    def equation(self, element: Equation) -> None:
        indent, first = element.indent, element.line
        self.start_block()
        self.emit(f"{indent}```{{math}}", first)
        if element.label is not None and self.opts.keep_targets:
            self.emit(f"{indent}:label: {element.label.name}", first)
            self.emit("", first)
        for text, line in element.body:
            self.emit(f"{indent}{text.replace(chr(9), ' ')}", line)
        last = element.body[-1][1] if element.body else first
        self.emit(f"{indent}```", last)

    def fence(self, element: Fence) -> None:
        indent, fence, info = element.indent, element.fence, element.info.strip()
        kind = info.split()[0] if info else ""
        self.start_block()
        if kind == "toc":
            self.toctree(element)
            return
        if kind == "eval_rst":
            if self.refused(element):
                return
            opening = f"{indent}{fence}{{eval-rst}}"
        elif kind.startswith("{"):
            classes = [c.lstrip(".") for c in info.strip(" {}").split() if c.startswith(".")]
            language = next((c for c in classes if c != "input"), "")
            opening = f"{indent}{fence}{language}"
        else:
            opening = f"{indent}{fence}{element.info}"
        self.emit(opening, element.line)
        for text, line in element.body:
            self.emit(text, line)
        self.emit(f"{indent}{fence}", element.close_line)

    def refused(self, element: Fence) -> bool:
        """Whether an eval_rst block reads files from outside the book (each one
        reported); such a block is left out whole."""
        found = False
        for item in rst_paths(element):
            why = rst_escape(item, self.opts.escape)
            if why is not None:
                found = True
                message = f"{item.shown()} refused: {why}; the eval_rst block is not published"
                problem = Problem(Code.RST_FILE_OUTSIDE_BOOK, item.line, message, item.value)
                self.res.problems.append(problem)
        return found

    def toctree(self, element: Fence) -> None:
        self.emit("```{toctree}", element.line)
        entries: list[Line] = []
        for text, line in element.body:
            raw = text.strip()
            if not raw:
                continue
            if raw.startswith(":"):
                key, _, value = raw[1:].partition(":")
                if key.strip() in _TOCTREE_OPTIONS:
                    self.emit(f":{key.strip()}: {value.strip()}".rstrip(), line)
            else:
                why = self.opts.escape(toc_entry_file(raw))
                if why is None:
                    entries.append(Line(raw.removesuffix(".md"), line))
                    continue
                message = f"toc entry {raw!r} refused: {why}"
                self.res.problems.append(Problem(Code.TOC_OUTSIDE_BOOK, line, message, raw))
        self.emit("", element.line)
        self.res.lines.extend(entries)
        self.emit("```", element.close_line)


def convert(elements: Iterable[Element], opts: ConvertOptions | None = None) -> Converted:
    """MyST for the elements of one markdown cell, in order."""
    emitter = _Emitter(opts or ConvertOptions())
    for element in elements:
        emitter.element(element)
    if emitter.pending:
        emitter.res.lines.extend(emitter.target_lines(emitter.pending))
    return emitter.res
