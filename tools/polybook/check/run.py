"""`polybook check`: diagnostics from every stage, for one language of the book."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import partial

from polybook.check.bib import bib_keys
from polybook.check.code import check_cell
from polybook.check.outputs import pasted_outputs
from polybook.check.page import empty, images, rst_files
from polybook.diagnostics import Code, Diagnostic, sort_key
from polybook.pages import map_pages
from polybook.source.bibliography import bib_escape, read_bibliography
from polybook.source.book import Book, toc_diagnostics
from polybook.source.model import Label, LabelKind, Page, Role, TextBlock, TocBlock
from polybook.split.gaps import code_gaps
from polybook.split.model import Cell, Notebook
from polybook.split.page import split_page

_REF_ROLES = ("numref", "ref", "eqref")
_CITE_ROLES = ("cite", "citet", "citep")


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the book-level checks need of a page: small enough to come back from
    a worker process cheaply (the parsed page is ten times larger)."""

    path: str
    file: str
    labels: tuple[Label, ...]
    roles: tuple[Role, ...]
    tocs: Page  # the page with only its toc blocks and the prose naming a bibliography

    @classmethod
    def of(cls, page: Page, roles: bool = True) -> _Facts:
        """The facts of `page`; without `roles`, only what the book-wide label
        index and toc need (the prose is not analysed)."""
        kept = tuple(
            b
            for b in page.blocks
            if isinstance(b, TocBlock) or (isinstance(b, TextBlock) and ":bibliography:" in b.text)
        )
        tocs = Page(page.lang, page.path, page.file, blocks=kept)
        return cls(page.path, page.file, page.labels, page.roles if roles else (), tocs)


def _labels(
    pages: list[_Facts], changed: Collection[str] | None = None
) -> tuple[dict[str, tuple[str, Label]], list[Diagnostic]]:
    """The book-wide label index and its duplicates. With `changed` (files of
    changed pages), a duplicate whose second definition is in an unchanged page
    is reported at the first one when that one is in a changed page."""
    defined: dict[str, tuple[str, Label]] = {}
    out: list[Diagnostic] = []
    for page in pages:
        for label in page.labels:
            first = defined.get(label.name)
            if first is None:
                defined[label.name] = (page.file, label)
                continue
            if changed is not None and page.file not in changed and first[0] in changed:
                out.append(
                    Diagnostic.make(
                        Code.DUPLICATE_LABEL,
                        first[0],
                        first[1].line,
                        f"label {label.name!r} is also defined at {page.file}:{label.line}",
                        target=label.name,
                    )
                )
                continue
            out.append(
                Diagnostic.make(
                    Code.DUPLICATE_LABEL,
                    page.file,
                    label.line,
                    f"label {label.name!r} is already defined at {first[0]}:{first[1].line}",
                    target=label.name,
                )
            )
    return defined, out


def _kind_mismatch(role: str, found: tuple[str, Label] | None) -> str | None:
    """What a reference wrongly points to: an equation for :numref:/:ref:, anything
    else for :eqref: (None when the kinds fit or the label is unknown)."""
    if found is None:
        return None
    label = found[1]
    is_equation = label.kind is LabelKind.EQUATION
    if role == "eqref" and not is_equation:
        return f"the {label.kind.value} label defined at {found[0]}:{label.line}"
    if role != "eqref" and is_equation:
        return f"the equation label defined at {found[0]}:{label.line}"
    return None


def _references(
    pages: list[_Facts], labels: dict[str, tuple[str, Label]], keys: dict[str, int] | None
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for page in pages:
        for role in page.roles:
            if role.kind in _REF_ROLES:
                for target in role.targets:
                    kind = _kind_mismatch(role.kind, labels.get(target))
                    if kind is not None:
                        out.append(
                            Diagnostic.make(
                                Code.REFERENCE_KIND,
                                page.file,
                                role.line,
                                f":{role.kind}:`{target}` points to {kind}; "
                                + (
                                    "use :numref: or :ref:"
                                    if role.kind == "eqref"
                                    else "use :eqref: for equations"
                                ),
                                target=target,
                            )
                        )
                    if target not in labels:
                        out.append(
                            Diagnostic.make(
                                Code.DANGLING_REFERENCE,
                                page.file,
                                role.line,
                                f":{role.kind}:`{target}` points to a label no page defines",
                                target=target,
                            )
                        )
            elif role.kind in _CITE_ROLES and keys is not None:
                for key in role.targets:
                    if key not in keys:
                        out.append(
                            Diagnostic.make(
                                Code.MISSING_CITATION,
                                page.file,
                                role.line,
                                f":{role.kind}: key {key!r} is not in the bibliography",
                                target=key,
                            )
                        )
    return out


def _bibliography(book: Book, pages: list[Page]) -> tuple[dict[str, int] | None, list[Diagnostic]]:
    """The bibliography's keys (None: none to check against) and its problems."""
    source = book.bibliography(pages)
    if source is None:
        cites = [r for p in pages for r in p.roles if r.kind in _CITE_ROLES]
        if not cites:
            return None, []
        first = next(p for p in pages for r in p.roles if r is cites[0])
        message = "the book cites but has no bibliography ([pdf] bibfile, or a :bibliography: role)"
        return None, [Diagnostic.make(Code.BIB_UNREADABLE, first.file, cites[0].line, message)]
    refused = bib_escape(book, source)
    if refused is not None:
        return None, [refused]
    text, problems = read_bibliography(book, source)
    return (None if text is None else bib_keys(text)), problems


def _translation_status(book: Book, lang: str, present: set[str]) -> list[Diagnostic]:
    source = book.config.source_language
    if lang == source:
        return []
    out = []
    for rel in book.page_files(source):
        if rel not in present:
            out.append(
                Diagnostic.make(
                    Code.MISSING_TRANSLATION,
                    book.display(source, rel),
                    1,
                    f"page not translated into {lang}; the {source} page is used",
                    target=rel,
                )
            )
    return out


def _code_gaps(
    book: Book, lang: str, page: Page, notebooks: Mapping[str, Notebook]
) -> list[Diagnostic]:
    """Where a framework's site shows another framework's code (PB205: the
    whole page, PB230: a section), as information."""
    config = book.config
    ordered = config.frameworks_for(lang)
    out: list[Diagnostic] = []
    for fw in ordered:
        for gap in code_gaps(page, fw, notebooks, ordered, config.render.fallback_framework):
            name = config.framework[fw].display_name
            shown = config.framework[gap.fallback].display_name
            if gap.whole_page:
                code, line, where = Code.RENDER_NO_FRAMEWORK_CODE, 1, "page"
            else:
                title = gap.section.title or "(page start)"
                code, line, where = (
                    Code.RENDER_FALLBACK_SECTION,
                    gap.section.line,
                    f"section {title!r}",
                )
            message = f"{where} has no {name} code; the {name} site shows {shown}'s"
            out.append(Diagnostic.make(code, page.file, line, message, target=fw))
    return out


@dataclass(frozen=True, slots=True)
class _Job:
    """One page to check (sent to a worker process)."""

    book: Book
    lang: str
    rel: str


def _check_page(job: _Job) -> tuple[_Facts, list[Diagnostic]]:
    """One page parsed, split (code only) and checked: its own diagnostics."""
    book, lang = job.book, job.lang
    page = book.read(lang, job.rel)
    found = [*page.diagnostics, *empty(page), *images(book, lang, page), *pasted_outputs(page)]
    found += rst_files(book, lang, page)
    if book.is_plain(lang, job.rel):  # a non-notebook page: its code is shown, never run
        return _Facts.of(page), found
    split = split_page(page, book.config.frameworks_for(lang), markdown=False)
    found += split.diagnostics
    found.extend(_code_gaps(book, lang, page, split.notebooks))
    versions: dict[int, dict[str, Cell]] = {}
    for fw, nb in split.notebooks.items():
        for cell in nb.code_cells:
            versions.setdefault(cell.line, {})[fw] = cell
    for block in page.code_cells:
        if block.language == "python":
            found.extend(check_cell(page, block, versions.get(block.line, {})))
    return _Facts.of(page), found


def check_book(
    book: Book, lang: str, jobs: int | None = None, only: Collection[str] | None = None
) -> list[Diagnostic]:
    """Every diagnostic for one language, sorted by file and line. Pages are
    checked by two worker processes when there are many (`jobs`: how many).

    `only` (pages of `lang`, relative to its root): check those pages alone,
    against the book-wide label index (the other pages are read for their
    labels, tocs and bibliography only); diagnostics are those of these pages.
    """
    rels = book.page_files(lang)
    checked = rels if only is None else [rel for rel in rels if rel in only]
    work = [_Job(book, lang, rel) for rel in checked]
    done = map_pages(_check_page, work, jobs)
    if only is not None:
        others = [rel for rel in rels if rel not in only]
        done = [*done, *((_Facts.of(book.read(lang, rel), roles=False), []) for rel in others)]
    by_path = {page.path: page for page, _ in done}
    pages = list(by_path.values())
    diagnostics = [d for _, found in done for d in found]
    diagnostics.extend(book.refused_pages(lang))
    # A translation takes the pages it lacks from the source language: they
    # are toc targets and define labels (they are checked with their own language).
    source = book.config.source_language
    fallback: dict[str, _Facts] = {}
    if lang != source:
        fallback = {
            rel: _Facts.of(book.read(source, rel))
            for rel in book.page_files(source)
            if rel not in by_path
        }
    tocs = {path: page.tocs for path, page in by_path.items() if only is None or path in only}
    existing = set(by_path) | set(fallback)
    escape = partial(book.escape, lang)
    diagnostics.extend(toc_diagnostics(tocs, existing=existing, escape=escape))
    files = None if only is None else {book.display(lang, rel) for rel in checked}
    labels, label_diagnostics = _labels([*pages, *fallback.values()], files)
    diagnostics.extend(label_diagnostics)
    keys, bib_diagnostics = _bibliography(book, [f.tocs for f in [*pages, *fallback.values()]])
    diagnostics.extend(bib_diagnostics)
    diagnostics.extend(_references(pages, labels, keys))
    if files is not None:  # the changed pages' own
        return sorted({d for d in diagnostics if d.file in files}, key=sort_key)
    diagnostics.extend(_translation_status(book, lang, set(by_path)))
    diagnostics.extend(book.source.diagnostics)  # the configuration's
    return sorted(set(diagnostics), key=sort_key)
