"""The split stage: every page of a language -> one notebook per framework.

A manifest next to the output records, per page, a fingerprint of everything
the notebooks depend on (page bytes, framework and library settings, polybook
version) and the sha256 of each notebook written; a page whose fingerprint and
outputs are unchanged is neither parsed nor written. A notebook whose bytes no
longer match the manifest (truncated, edited, overwritten) is written again,
with a PB009 warning.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from polybook import __version__
from polybook.diagnostics import Code, Diagnostic
from polybook.faults import doing
from polybook.files import write_atomic
from polybook.interrupt import checkpoint
from polybook.pages import map_pages
from polybook.source.book import Book
from polybook.split.manifest import MANIFEST, ManifestEntry, read_manifest
from polybook.split.page import book_aliases, kernelspec, split_page
from polybook.split.select import ExistenceRule
from polybook.verified import Stamp, Verified, stamp


@dataclass(slots=True)
class SplitResult:
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0  # pages neither parsed nor written
    pages: int = 0  # pages of the language
    removed: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # the pages left out because they lead out of the book (in `diagnostics` too)
    refused: list[Diagnostic] = field(default_factory=list)


def split_settings(book: Book, lang: str) -> str:
    """The configuration a language's notebooks depend on (JSON): the framework
    order, the framework tables (aliases, kernels) and the library's name.
    Other settings (site, bibliography, execution) never re-split a page."""
    config = book.config
    frameworks = {fw: config.framework[fw].model_dump() for fw in sorted(config.framework)}
    data = {
        "frameworks": config.frameworks_for(lang),
        "framework": frameworks,
        "library_dir": config.library_dir,
    }
    return json.dumps(data, sort_keys=True)


def _fingerprint(settings: str, data: bytes, rule: ExistenceRule, aliases: bool = True) -> str:
    digest = hashlib.sha256()
    digest.update(__version__.encode())
    digest.update(rule.value.encode())
    digest.update(b"aliases" if aliases else b"no-aliases")
    digest.update(settings.encode())
    digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class _Job:
    """One page to split (sent to a worker process, which writes its notebooks)."""

    book: Book
    lang: str
    rel: str
    ordered: tuple[str, ...]
    rule: ExistenceRule
    rewrite: bool
    out: Path
    selected: frozenset[str]  # the frameworks whose notebooks are written


@dataclass(frozen=True, slots=True)
class _Done:
    """A split page: the frameworks it has a notebook for, and its diagnostics."""

    rel: str
    frameworks: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    # (framework, sha256, stat right after the write) of each notebook written
    sums: tuple[tuple[str, str, Stamp | None], ...] = ()


def _work(job: _Job) -> _Done:
    book = job.book
    with doing(f"split {job.lang}", "read"):
        page = book.read(job.lang, job.rel)
    specs = {fw: kernelspec(book, fw) for fw in job.ordered}
    split = split_page(page, job.ordered, job.rule, book_aliases(book, job.rewrite), specs)
    sums: list[tuple[str, str, Stamp | None]] = []
    for fw, notebook in split.notebooks.items():
        if fw in job.selected:
            data = notebook.to_json().encode("utf-8")
            checkpoint("split-writing", f"{fw}/{job.rel}")
            path = notebook_path(job.out, fw, job.rel)
            with doing(f"split {job.lang}"):
                write_atomic(path, data)
            sums.append((fw, hashlib.sha256(data).hexdigest(), stamp(path)))
    diagnostics = (*page.structure, *split.diagnostics)
    return _Done(job.rel, tuple(split.notebooks), diagnostics, tuple(sums))


def _remove(out: Path, outputs: list[str], action: str, verified: Verified) -> list[Path]:
    removed = []
    for rel in outputs:
        path = out / rel
        if path.is_file():
            with doing(action, "remove"):
                path.unlink()
            removed.append(path)
        verified.forget(path)
    return removed


def _regenerated(book: Book, lang: str, rel: str, out: Path, damaged: list[str]) -> Diagnostic:
    names = ", ".join(str(out / d) for d in damaged)
    return Diagnostic.make(
        Code.REGENERATED,
        book.display(lang, rel),
        1,
        f"split notebook {names} did not match its checksum in the split manifest "
        "(damaged since it was written); written again",
    )


def notebook_path(out: Path, framework: str, rel: str) -> Path:
    return out / framework / (rel[: -len(".md")] + ".ipynb")


def split_book(
    book: Book,
    lang: str,
    out: Path,
    frameworks: Sequence[str] | None = None,
    rule: ExistenceRule = ExistenceRule.NAMED,
    jobs: int | None = None,
    rewrite_aliases: bool = True,
) -> SplitResult:
    """Split every page of `lang` into `out/<framework>/<page>.ipynb`; `d2l.xxx`
    aliases are rewritten for the frameworks that declare them, unless
    `rewrite_aliases` is off."""
    ordered = book.config.frameworks_for(lang)
    selected = set(frameworks or ordered)
    result = SplitResult()
    manifest_path = out / MANIFEST
    manifest = read_manifest(manifest_path)
    verified = Verified.open(book.layout.verified(out), out)
    new_manifest: dict[str, ManifestEntry] = {}
    todo: list[_Job] = []
    fingerprints: dict[str, str] = {}
    settings = split_settings(book, lang)
    page_set = book.page_set(lang)
    result.refused = book.refused_pages(lang, page_set)  # links out: never split
    result.diagnostics.extend(result.refused)
    action = f"split {lang}"
    for rel in page_set.notebooks:  # non-notebook pages get none
        page_path = book.lang_root(lang) / rel
        with doing(action, "read", page_path):
            data = page_path.read_bytes()
        fingerprint = _fingerprint(settings, data, rule, rewrite_aliases)
        fingerprints[rel] = fingerprint
        old = manifest.get(rel)
        current, damaged = (
            (False, []) if old is None else old.current(out, fingerprint, selected, verified)
        )
        if old is not None and current:
            new_manifest[rel] = old
            result.unchanged += 1
            result.diagnostics.extend(Diagnostic.from_json(d) for d in old.diagnostics)
            continue
        if damaged:
            result.diagnostics.append(_regenerated(book, lang, rel, out, damaged))
        todo.append(_Job(book, lang, rel, ordered, rule, rewrite_aliases, out, frozenset(selected)))
    result.pages = len(fingerprints)

    done = map_pages(_work, todo, jobs)

    for item in done:
        rel, diagnostics = item.rel, item.diagnostics
        previous = manifest.get(rel)
        written: dict[str, str] = {}
        sums: dict[str, str] = {}
        new_sums = {fw: (digest, stat) for fw, digest, stat in item.sums}
        for fw in item.frameworks:
            path = notebook_path(out, fw, rel)
            key = path.relative_to(out).as_posix()
            if fw in selected:  # written by `_work`
                result.written.append(path)
                written[key] = fingerprints[rel]
                sums[key], stat = new_sums[fw]
                verified.record(path, sums[key], stat)
            else:  # left as it was: current only if it already was
                written[key] = previous.outputs.get(key, "") if previous else ""
                if previous is not None and key in previous.sums:
                    sums[key] = previous.sums[key]
        stale = [o for o in previous.outputs if o not in written] if previous else []
        result.removed.extend(_remove(out, stale, action, verified))
        result.diagnostics.extend(diagnostics)
        new_manifest[rel] = ManifestEntry(
            fingerprints[rel],
            dict(sorted(written.items())),
            [d.to_json() for d in diagnostics],
            dict(sorted(sums.items())),
        )
    for rel, entry in manifest.items():
        if rel not in new_manifest:
            result.removed.extend(_remove(out, list(entry.outputs), action, verified))
    _save_manifest(manifest_path, manifest, new_manifest, verified, action, lang)
    verified.save()
    return result


def _save_manifest(
    path: Path,
    old: dict[str, ManifestEntry],
    new: dict[str, ManifestEntry],
    verified: Verified,
    action: str,
    lang: str,
) -> None:
    """Write the manifest unless the file holds it already: a rerun writes
    nothing. A manifest equal to the one read from a file that did not change
    since it was written or verified (its stat) is not even serialised."""
    if old == new and verified.trusted(path) is not None:
        return
    saved = {rel: _entry_json(entry) for rel, entry in sorted(new.items())}
    text = json.dumps(saved, indent=1, sort_keys=True) + "\n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if old != new or verified.sha256(path) != digest:
        checkpoint("split-manifest", lang)
        with doing(action):
            write_atomic(path, text)
        verified.record(path, digest)


def _entry_json(entry: ManifestEntry) -> dict[str, object]:
    """`asdict(entry)`, without its deep copies."""
    return {
        "fingerprint": entry.fingerprint,
        "outputs": entry.outputs,
        "diagnostics": entry.diagnostics,
        "sums": entry.sums,
    }
