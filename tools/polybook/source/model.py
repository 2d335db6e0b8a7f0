"""Typed model of a parsed page. Every element carries its 1-based source line."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from polybook.diagnostics import Diagnostic
from polybook.source.elements import Blank, Element, Fence, Figure, TokenKind, inlines

ALL = "all"


class Syntax(StrEnum):
    NEW = "new"  # %%tab
    LEGACY = "legacy"  # #@tab


class TextKind(StrEnum):
    PROSE = "prose"
    LISTING = "listing"  # a non-executable fence, shown as a code listing
    EVAL_RST = "eval_rst"


@dataclass(frozen=True, slots=True)
class Marker:
    """The framework marker on the first line of a code cell."""

    frameworks: frozenset[str]  # {"all"} for `%%tab all`
    syntax: Syntax
    line: int
    commented: bool = False


@dataclass(frozen=True, slots=True)
class CodeCell:
    line: int  # line of the opening fence
    body_line: int  # line of the first source line kept in `source`
    end_line: int  # line of the closing fence
    source: str  # body, marker line removed
    language: str  # "python" or "bash"
    marker: Marker | None  # None: the cell belongs to the default tab only
    attrs: tuple[str, ...] = ()
    n: str | None = None
    # source line of each line of `source` (stale markers removed, so not contiguous)
    line_map: tuple[int, ...] = ()

    def belongs_to(self, framework: str, default: str) -> bool:
        if self.marker is None:
            return framework == default
        return ALL in self.marker.frameworks or framework in self.marker.frameworks

    def source_line(self, index: int) -> int:
        """Source line of the 0-based line `index` of `source`."""
        if 0 <= index < len(self.line_map):
            return self.line_map[index]
        return self.body_line + index


@dataclass(frozen=True)
class TextBlock:
    kind: TextKind
    text: str
    line: int
    end_line: int
    # frameworks of the enclosing `:begin_tab:` region; None outside regions
    tab: frozenset[str] | None = None
    # line of the `:begin_tab:` marker of that region (its identity)
    region: int | None = None
    # a listing or eval_rst block as an element
    fence: Fence | None = None

    @cached_property
    def elements(self) -> tuple[Element, ...]:
        """The parsed structure of the text (its lines are line..end_line).

        Prose is parsed into elements on first use: the split stage needs only
        the page's structure, check and render need the prose too.
        """
        if self.fence is not None:
            return (self.fence,)
        if self.kind is not TextKind.PROSE:
            return ()
        from polybook.source.blocks import parse_blocks

        return parse_blocks(self.text.split("\n"), range(self.line, self.end_line + 1))


@dataclass(frozen=True, slots=True)
class TocEntry:
    target: str  # page path relative to the toc's page, without `.md`
    line: int


@dataclass(frozen=True, slots=True)
class TocBlock:
    line: int
    end_line: int
    text: str  # the whole fence, as written
    options: tuple[tuple[str, str], ...]
    entries: tuple[TocEntry, ...]
    elements: tuple[Element, ...] = ()  # the fence as an element


Block = CodeCell | TextBlock | TocBlock


@dataclass(frozen=True, slots=True)
class Role:
    kind: str  # numref, ref, eqref, cite, citet, label, eqlabel, width, bibliography, ...
    content: str
    line: int

    @property
    def targets(self) -> tuple[str, ...]:
        """Citation keys, or the one label a reference points to (`title <x>` -> x)."""
        if self.kind in ("cite", "citet", "citep"):
            return tuple(k.strip() for k in self.content.split(",") if k.strip())
        content = self.content.strip()
        if content.endswith(">") and "<" in content:
            return (content[content.rindex("<") + 1 : -1].strip(),)
        return (content,)


class LabelKind(StrEnum):
    SECTION = "section"
    FIGURE = "figure"
    TABLE = "table"
    EQUATION = "equation"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Label:
    name: str
    kind: LabelKind
    line: int
    title: str = ""


@dataclass(frozen=True)
class ProseFacts:
    """What the prose of a page says: roles, its title, its damage (its labels:
    `Page.labels`, found without this analysis)."""

    roles: tuple[Role, ...] = ()
    title: str | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Page:
    """One parsed page, immutable; the parser's diagnostics come with it.

    `structure` holds the diagnostics of the page's structure (encoding,
    fences, markers, regions, code); the prose (roles, labels, title and
    their damage) is analysed on first use of `roles`, `labels`, `title` or
    `diagnostics`.
    """

    lang: str
    path: str  # posix path relative to the language root, e.g. chapter_cnn/lenet.md
    file: str  # path shown in diagnostics, relative to the book root
    blocks: tuple[Block, ...] = ()
    required_libs: tuple[str, ...] = ()
    interact_line: int | None = None  # the `%load_ext d2lbook.tab` cell, dropped on split
    structure: tuple[Diagnostic, ...] = ()

    @cached_property
    def prose(self) -> ProseFacts:
        from polybook.source.prose import analyse

        return analyse(self.blocks, self.file)

    @property
    def roles(self) -> tuple[Role, ...]:
        return self.prose.roles

    @cached_property
    def labels(self) -> tuple[Label, ...]:
        """The page's labels (found without analysing the rest of the prose)."""
        from polybook.source.prose import labels_of

        return labels_of(self.blocks)

    @property
    def title(self) -> str | None:
        return self.prose.title

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """Every diagnostic of the page (structure and prose), in line order."""
        return tuple(sorted(self.structure + self.prose.diagnostics, key=lambda d: d.line))

    @cached_property
    def code_cells(self) -> tuple[CodeCell, ...]:
        return tuple(b for b in self.blocks if isinstance(b, CodeCell))

    @property
    def tocs(self) -> list[TocBlock]:
        return [b for b in self.blocks if isinstance(b, TocBlock)]

    @property
    def references(self) -> set[str]:
        """The labels the page's `:numref:`/`:ref:`/`:eqref:` roles point to."""
        kinds = ("numref", "ref", "eqref")
        return {t for role in self.roles if role.kind in kinds for t in role.targets}

    @property
    def images(self) -> list[tuple[str, int]]:
        """(path as written, book line) of every image the prose shows."""
        found: list[tuple[str, int]] = []
        for block in self.blocks:
            if not isinstance(block, TextBlock):
                continue
            for element in block.elements:
                if isinstance(element, Figure):
                    found.append((element.src, element.line))
                for content in inlines(element):
                    found.extend(
                        (t.value, t.line) for t in content.tokens if t.kind is TokenKind.IMAGE
                    )
        return found

    def elements_at(self, lines: frozenset[int] | set[int]) -> list[Element]:
        """The elements of the text blocks holding any of `lines`, in page order."""
        out: list[Element] = []
        if not lines:
            return out
        first, last = min(lines), max(lines)
        for block in self.blocks:
            if block.line > last:
                break
            if (
                isinstance(block, TextBlock | TocBlock)
                and block.end_line >= first
                and any(line in lines for line in range(block.line, block.end_line + 1))
            ):
                out.extend(e for e in block.elements if not isinstance(e, Blank) or e.line in lines)
        return out

    @cached_property
    def named_frameworks(self) -> frozenset[str]:
        """Frameworks named explicitly by a code cell marker (`all` does not count)."""
        names: set[str] = set()
        for cell in self.code_cells:
            if cell.marker is not None:
                names.update(cell.marker.frameworks - {ALL})
        return frozenset(names)

    @property
    def section_label(self) -> str | None:
        """The label of the page's first section (its `:numref:` target)."""
        for label in self.labels:
            if label.kind is LabelKind.SECTION:
                return label.name
        return None
