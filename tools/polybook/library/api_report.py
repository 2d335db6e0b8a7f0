"""`polybook lib --api`: the library's public API across frameworks and
releases, as a table or JSON, with diagnostics (PB340-PB346).

The modules are the files on disk (`<library_dir>/<module>.py`); an earlier
release is a git ref of the book (`git show REF:./<library_dir>/<module>.py`,
run in the book root) or a wheel of the library (`*.whl`, a zip holding
`<library_dir>/<module>.py`). Positions name the book page and line that save
a definition when the module on disk is what the book generates, else the
module's own line.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from polybook.diagnostics import Code, Diagnostic
from polybook.library.api import (
    Allowlist,
    ApiName,
    Difference,
    Gap,
    ReleaseChange,
    SinceChange,
    compare_frameworks,
    compare_releases,
    module_api,
)
from polybook.library.sites import Site, definition_sites
from polybook.source.book import Book


class ApiError(Exception):
    """The report cannot be made (an unreadable release, no module)."""


@dataclass(slots=True)
class ApiReport:
    frameworks: list[str]
    modules: dict[str, str]  # framework -> module path (book-relative)
    apis: dict[str, dict[str, ApiName]]
    gaps: list[Gap]
    differences: list[Difference]
    since: str | None = None
    changes: list[SinceChange] = field(default_factory=list)
    sites: dict[str, dict[str, Site]] = field(default_factory=dict)

    def site(self, framework: str, name: str) -> Site:
        found = self.sites.get(framework, {}).get(name)
        if found is not None:
            return found
        entry = self.apis[framework].get(name)
        return (self.modules[framework], entry.line if entry else 1)

    @property
    def undeclared(self) -> list[str]:
        """What `--strict` fails on: undeclared gaps and removals."""
        out = [f"gap {g.name} ({', '.join(g.missing)})" for g in self.gaps if not g.declared]
        out += [
            f"{c.change.value} {c.name} ({c.framework})"
            for c in self.changes
            if c.change in (ReleaseChange.REMOVED, ReleaseChange.RENAMED) and not c.declared
        ]
        return out


def _module_path(book: Book, framework: str) -> str:
    return f"{book.config.library_dir}/{book.config.framework[framework].module}.py"


def _frameworks(book: Book) -> list[str]:
    return [fw for fw in book.config.frameworks if book.config.framework[fw].library]


def release_texts(book: Book, since: str) -> dict[str, str | None]:
    """Each framework's module text in an earlier release (None: absent)."""
    frameworks = _frameworks(book)
    candidate = Path(since)
    if candidate.suffix == ".whl" or (candidate.is_file() and zipfile.is_zipfile(candidate)):
        try:
            with zipfile.ZipFile(candidate) as wheel:
                present = set(wheel.namelist())
                return {
                    fw: wheel.read(p).decode("utf-8", "replace")
                    if (p := _module_path(book, fw)) in present
                    else None
                    for fw in frameworks
                }
        except (OSError, zipfile.BadZipFile) as exc:
            raise ApiError(f"cannot read the wheel {since}: {exc}") from None
    texts: dict[str, str | None] = {}
    check = _git(book, ["rev-parse", "--verify", "--quiet", f"{since}^{{commit}}"])
    if check is None:
        raise ApiError(f"{since!r} is neither a git ref of the book nor a wheel file")
    for fw in frameworks:
        texts[fw] = _git(book, ["show", f"{since}:./{_module_path(book, fw)}"])
    return texts


def _git(book: Book, args: list[str]) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=book.root, capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def _book_sites(book: Book) -> dict[str, dict[str, Site]]:
    from polybook.library.model import LibraryError
    from polybook.library.run import generate_library

    try:
        result = generate_library(book)
    except (LibraryError, OSError, ValueError):
        return {}
    stale = {f.path for f in result.files if f.changed}
    return {
        fw: definition_sites(blocks, book.config.library_dir)
        for fw, blocks in result.saved.items()
        if book.root / _module_path(book, fw) not in stale
    }


def api_report(book: Book, since: str | None = None, sites: bool = True) -> ApiReport:
    config = book.config.api
    allow = Allowlist(dict(config.gaps), config.removed, config.signatures)
    frameworks = _frameworks(book)
    modules = {fw: _module_path(book, fw) for fw in frameworks}
    apis: dict[str, dict[str, ApiName]] = {}
    for fw, rel in modules.items():
        try:
            text = (book.root / rel).read_text("utf-8")
        except OSError:
            raise ApiError(f"{rel} is missing (run `polybook lib`)") from None
        api = module_api(text)
        if api is None:
            raise ApiError(f"{rel} does not parse (run `polybook lib`)")
        apis[fw] = api
    gaps, differences = compare_frameworks(apis, allow)
    report = ApiReport(frameworks, modules, apis, gaps, differences)
    if since is not None:
        report.since = since
        for fw, old_text in release_texts(book, since).items():
            old = module_api(old_text) if old_text is not None else None
            if old is not None:
                report.changes.extend(compare_releases(fw, old, apis[fw], allow))
    if sites:
        report.sites = _book_sites(book)
    return report


def _declared(flag: bool) -> str:
    return " (declared)" if flag else ""


def diagnostics(report: ApiReport) -> list[Diagnostic]:
    """The undeclared differences (declared ones are in the report only)."""
    out: list[Diagnostic] = []
    for gap in report.gaps:
        if gap.declared:
            continue
        file, line = report.site(gap.present[0], gap.name)
        message = (
            f"{gap.kind.value} {gap.name} is in {', '.join(gap.present)} but not in "
            f"{', '.join(gap.missing)}"
        )
        out.append(Diagnostic.make(Code.API_FRAMEWORK_GAP, file, line, message, gap.name))
    for diff in report.differences:
        if diff.declared:
            continue
        file, line = report.site(diff.signatures[0][0], diff.name)
        sigs = "; ".join(f"{fw} {sig}" for fw, sig in diff.signatures)
        message = f"{diff.name} has different signatures: {sigs}"
        out.append(Diagnostic.make(Code.API_SIGNATURE_DIFFERS, file, line, message, diff.name))
    for change in report.changes:
        if change.change is ReleaseChange.ADDED or change.declared:
            continue
        code, text = {
            ReleaseChange.REMOVED: (Code.API_REMOVED, f"{change.name} was removed"),
            ReleaseChange.RENAMED: (
                Code.API_RENAMED,
                f"{change.name} was renamed to {change.new_name}",
            ),
            ReleaseChange.CHANGED: (
                Code.API_SIGNATURE_CHANGED,
                f"{change.name} changed its signature {change.old} -> {change.new}",
            ),
        }[change.change]
        here = change.new_name or change.name
        file, line = (
            report.site(change.framework, here)
            if here in report.apis[change.framework]
            else (report.modules[change.framework], 1)
        )
        message = f"{text} since {report.since} ({change.framework})"
        out.append(Diagnostic.make(code, file, line, message, change.name))
    return out


def to_json(report: ApiReport) -> dict[str, object]:
    return {
        "frameworks": report.frameworks,
        "modules": report.modules,
        "api": {fw: {n: e.to_json() for n, e in api.items()} for fw, api in report.apis.items()},
        "gaps": [
            {
                "name": g.name,
                "kind": g.kind.value,
                "missing": list(g.missing),
                "present": list(g.present),
                "declared": g.declared,
            }
            for g in report.gaps
        ],
        "signatures": [
            {"name": d.name, "signatures": dict(d.signatures), "declared": d.declared}
            for d in report.differences
        ],
        "since": report.since,
        "changes": [
            {
                "framework": c.framework,
                "name": c.name,
                "change": c.change.value,
                "old": c.old,
                "new": c.new,
                "new_name": c.new_name,
                "declared": c.declared,
            }
            for c in report.changes
        ],
        "undeclared": report.undeclared,
    }


def format_table(report: ApiReport) -> str:
    fws = report.frameworks
    counts = ", ".join(f"{fw} {len(report.apis[fw])}" for fw in fws)
    lines = [f"public names: {counts}", ""]
    names = [g.name for g in report.gaps]
    if names:
        width = max(len(n) for n in names)
        lines.append("names some frameworks lack".ljust(width) + "  " + "  ".join(fws))
        for gap in report.gaps:
            marks = "  ".join(("x" if fw in gap.present else "-").center(len(fw)) for fw in fws)
            lines.append(f"{gap.name.ljust(width)}  {marks}{_declared(gap.declared)}")
        lines.append("")
    if report.differences:
        lines.append("signatures that differ between frameworks")
        for diff in report.differences:
            lines.append(f"  {diff.name}{_declared(diff.declared)}")
            lines.extend(f"    {fw:<11} {sig}" for fw, sig in diff.signatures)
        lines.append("")
    if report.since is not None:
        lines.append(f"since {report.since}")
        shown = [c for c in report.changes if c.change is not ReleaseChange.ADDED]
        for c in shown:
            detail = {
                ReleaseChange.REMOVED: "",
                ReleaseChange.RENAMED: f" -> {c.new_name}",
                ReleaseChange.CHANGED: f" {c.old} -> {c.new}",
            }.get(c.change, "")
            lines.append(
                f"  {c.change.value:<8} {c.name}{detail} ({c.framework}){_declared(c.declared)}"
            )
        added = sum(1 for c in report.changes if c.change is ReleaseChange.ADDED)
        lines.append(f"  {added} names added")
        lines.append("")
    undeclared = report.undeclared
    lines.append(
        f"{len(report.gaps)} gaps, {len(report.differences)} signature differences"
        + (f", {len(report.changes)} changes since {report.since}" if report.since else "")
        + f"; {len(undeclared)} undeclared gaps or removals"
    )
    return "\n".join(lines)


def dumps(report: ApiReport) -> str:
    return json.dumps(to_json(report), indent=2, ensure_ascii=False)
