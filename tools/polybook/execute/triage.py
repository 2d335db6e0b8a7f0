"""Planning a run's notebooks and sorting them: up to date, in the cache, or
to run (and why). A real run and a dry run share this, so a dry run names
exactly the notebooks, and the reasons, that the run would."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from polybook.execute.basis import Basis
from polybook.execute.cache import Cache, Entry
from polybook.execute.envs import EnvManifest, FrameworkEnv
from polybook.execute.libdeps import LibIndex, load_index
from polybook.execute.libsites import SiteFinder
from polybook.execute.model import Reason
from polybook.execute.plan import (
    Item,
    library_file,
    make_item,
    page_matcher,
    read_split,
    split_notebooks,
)
from polybook.source.book import Book


@dataclass(slots=True)
class Frameworks:
    """Per framework: its environment's manifest and its library's index."""

    manifests: dict[str, EnvManifest] = field(default_factory=dict)
    libraries: dict[str, LibIndex] = field(default_factory=dict)

    def basis(self, item: Item, manifest: EnvManifest | None = None) -> Basis:
        """What `item`'s key is computed from (`manifest`: the environment it
        ran in, when not this machine's)."""
        env = manifest or self.manifests.get(item.framework)
        parts = item.parts if env is None else item.parts.with_env(env.fingerprint())
        index = self.libraries.get(item.framework)
        members = index.member_hashes(n for n, _ in parts.library) if index else {}
        return Basis(parts, env, tuple(members.items()))


def plan_run(
    book: Book,
    lang: str,
    frameworks: list[str],
    pages: list[str],
    envs: dict[str, FrameworkEnv],
    cache: Cache,
    gpu_count: int | None,
    split_dir: Path | None = None,
    out_dir: Path | None = None,
) -> tuple[list[Item], Frameworks]:
    """Every split notebook of the run with its key (`gpu_count` None: as requested)."""
    split_dir = split_dir or book.layout.split(lang)
    out_dir = out_dir or book.layout.executed(lang)
    patterns = page_matcher(book, lang, pages)
    items: list[Item] = []
    context = Frameworks()
    for fw in frameworks:
        manifest = envs[fw].manifest()
        library = load_index(library_file(book, fw), book.config.library_dir, cache.root)
        context.manifests[fw], context.libraries[fw] = manifest, library
        fingerprint = manifest.fingerprint()
        for page, path in split_notebooks(split_dir, fw):
            if patterns and not any(fnmatch.fnmatchcase(page, p) for p in patterns):
                continue
            split = read_split(path, lang)
            items.append(
                make_item(
                    book, lang, fw, page, split, split.sha, out_dir, fingerprint, library, gpu_count
                )
            )
    return items, context


@dataclass(slots=True)
class Triage:
    """The run's notebooks sorted (each list in plan order)."""

    up_to_date: list[Item] = field(default_factory=list)
    cached: list[tuple[Item, Entry]] = field(default_factory=list)
    # key -> the items that share it, to run once
    groups: dict[str, list[Item]] = field(default_factory=dict)
    reasons: dict[str, tuple[Reason, ...]] = field(default_factory=dict)  # by Item.label

    @property
    def todo(self) -> int:
        return sum(len(g) for g in self.groups.values())


def triage(
    book: Book,
    items: list[Item],
    context: Frameworks,
    cache: Cache,
    current: Callable[[Item], bool],
    force: bool = False,
) -> Triage:
    """Sort `items`: current on disk (`current`: the executed notebook is the
    one the manifest records, intact), available in the cache, or to run,
    each of these with its reasons."""
    out = Triage()
    sites = SiteFinder(book)
    for item in items:
        if not force:
            if current(item):
                out.up_to_date.append(item)
                continue
            entry = cache.lookup(item.key)
            if entry is not None:
                out.cached.append((item, entry))
                continue
        from polybook.execute.explain import explain  # (difflib) only for what runs

        out.groups.setdefault(item.key, []).append(item)
        library = sites.library(item.framework, context.libraries[item.framework])
        env = context.manifests.get(item.framework)
        out.reasons[item.label] = explain(item, cache, env, library, force)
    return out
