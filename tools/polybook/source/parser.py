"""Page text -> typed Page: a line scanner for fences and tab regions (DIALECT §2-§4).

The scanner is a single pass over lines; it does not use a full markdown parser
(a fence scan is ~30x faster than markdown-it-py on a whole book, and fence
handling has dialect-specific rules that a CommonMark parser would get wrong).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace

from polybook.diagnostics import Code, Diagnostic
from polybook.source import grammar, markers
from polybook.source.elements import Fence
from polybook.source.model import (
    CodeCell,
    Page,
    TextBlock,
    TextKind,
    TocBlock,
    TocEntry,
)
from polybook.source.text import decode, find_mojibake, has_mojibake_candidate


@dataclass(slots=True)
class _Fence:
    start: int  # 0-based index of the opening line
    end: int  # 0-based index of the closing line (== len(lines) when unclosed)
    info: str
    body: list[int]  # indices of body lines
    attrs: markers.FenceInfo


def _scan_fences(lines: list[str], file: str, diagnostics: list[Diagnostic]) -> list[_Fence]:
    """The fenced blocks of a page, in order."""
    fences: list[_Fence] = []
    count = len(lines)
    # every fence line holds ``` or ~~~: only those lines are matched against the pattern
    candidates = [i for i, line in enumerate(lines) if "```" in line or "~~~" in line]
    c, n = 0, len(candidates)
    while c < n:
        i = candidates[c]
        c += 1
        match = grammar.FENCE.match(lines[i])
        if match is None:
            continue
        fence, info = match.group("fence"), match.group("info").strip()
        attrs = markers.parse_fence_info(info)
        is_input = attrs.is_input
        dropped: list[int] = []
        end = count
        while c < n:
            j = candidates[c]
            c += 1
            inner = grammar.FENCE.match(lines[j])
            if inner is None or inner.group("fence")[0] != fence[0]:
                continue
            inner_info = inner.group("info").strip()
            if not inner_info and len(inner.group("fence")) >= len(fence):
                end = j
                break
            if is_input and inner_info:
                diagnostics.append(
                    Diagnostic.make(
                        Code.FENCE_IN_CODE,
                        file,
                        j + 1,
                        f"fence line {lines[j].strip()!r} inside the code cell opened at "
                        f"line {i + 1}; it does not close the cell and is dropped",
                    )
                )
                dropped.append(j)
        if end >= count:
            diagnostics.append(
                Diagnostic.make(
                    Code.UNCLOSED_FENCE,
                    file,
                    i + 1,
                    f"fence {fence}{info} is never closed; it runs to the end of the page",
                )
            )
        body = list(range(i + 1, end))
        if dropped:
            body = [k for k in body if k not in dropped]
        fences.append(_Fence(i, end, info, body, attrs))
    return fences


def _outside(fences: list[_Fence], count: int) -> list[int]:
    """The indices of the lines outside every fence."""
    out: list[int] = []
    at = 0
    for fence in fences:
        out.extend(range(at, fence.start))
        at = fence.end + 1
    out.extend(range(at, count))
    return out


def _tab_names(raw: str) -> frozenset[str]:
    return frozenset(n.strip() for n in raw.split(",") if n.strip())


def _is_heading(line: str) -> bool:
    if not line.lstrip().startswith("#"):
        return False
    match = grammar.HEADING.match(line)
    return match is not None and bool(match.group("title").strip())


def _regions(
    lines: list[str],
    outside: list[int],
    code_starts: set[int],
    file: str,
    diagnostics: list[Diagnostic],
) -> tuple[dict[int, tuple[int, frozenset[str]]], set[int]]:
    """Map each line index inside a `:begin_tab:` region to (its marker line, frameworks).

    A region is prose: one still open at a heading or a code cell ends there
    (PB130). Returns the map and the set of marker line indices (dropped from
    the text).
    """
    starts: list[tuple[int, frozenset[str]]] = []  # (begin index, names)
    spans: list[tuple[int, int, frozenset[str]]] = []  # [begin, end) of regions
    marker_lines: set[int] = set()
    open_begin: tuple[int, frozenset[str]] | None = None
    for i in sorted({*outside, *code_starts}):
        line = lines[i]
        if open_begin is not None and (i in code_starts or _is_heading(line)):
            what = "code cell" if i in code_starts else "heading"
            diagnostics.append(
                Diagnostic.make(
                    Code.UNCLOSED_BEGIN_TAB,
                    file,
                    open_begin[0] + 1,
                    f":begin_tab: for {', '.join(sorted(open_begin[1]))} is not closed before "
                    f"the {what} at line {i + 1}; the region ends there",
                )
            )
            spans.append((open_begin[0], i, open_begin[1]))
            open_begin = None
            continue
        if ":" not in line:  # a tab marker line starts with ':'
            continue
        stripped = line.strip()
        if not stripped.startswith(":"):
            continue
        begin = grammar.BEGIN_TAB.match(stripped)
        if begin is not None:
            marker_lines.add(i)
            if open_begin is not None:
                spans.append((open_begin[0], i, open_begin[1]))
            open_begin = (i, _tab_names(begin.group("v")))
            starts.append(open_begin)
        elif grammar.END_TAB.match(stripped):
            marker_lines.add(i)
            if open_begin is None:
                diagnostics.append(
                    Diagnostic.make(
                        Code.STRAY_END_TAB, file, i + 1, ":end_tab: without :begin_tab:"
                    )
                )
            else:
                spans.append((open_begin[0], i, open_begin[1]))
                open_begin = None
    if open_begin is not None:
        # Never closed: the region ends with its first paragraph, not the page.
        begin_idx, names = open_begin
        end = len(lines)
        seen_text = False
        for k in range(begin_idx + 1, len(lines)):
            if lines[k].strip():
                seen_text = True
            elif seen_text:
                end = k
                break
        diagnostics.append(
            Diagnostic.make(
                Code.UNCLOSED_BEGIN_TAB,
                file,
                begin_idx + 1,
                f":begin_tab: for {', '.join(sorted(names))} is never closed; "
                f"the region is taken to end at line {end}",
            )
        )
        spans.append((begin_idx, end, names))
    region: dict[int, tuple[int, frozenset[str]]] = {}
    for start, end, names in spans:
        for k in range(start + 1, end):
            region[k] = (start + 1, names)
    return region, marker_lines


def _toc(fence: _Fence, lines: list[str]) -> TocBlock:
    options: list[tuple[str, str]] = []
    entries: list[TocEntry] = []
    for k in fence.body:
        raw = lines[k].strip()
        if not raw:
            continue
        if raw.startswith(":"):
            key, _, value = raw[1:].partition(":")
            options.append((key.strip(), value.strip()))
        else:
            entries.append(TocEntry(raw.removesuffix(".md"), k + 1))
    text = "\n".join(lines[fence.start : min(fence.end + 1, len(lines))])
    return TocBlock(fence.start + 1, fence.end + 1, text, tuple(options), tuple(entries))


@dataclass(slots=True)
class _State:
    """What the parse of one page gathers before the Page is built."""

    file: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    interact_line: int | None = None
    required_libs: tuple[str, ...] = ()


def _code_cell(
    fence: _Fence,
    lines: list[str],
    state: _State,
    known: Collection[str],
) -> CodeCell | None:
    info = fence.attrs
    body = fence.body
    first = None
    for k in body:
        if lines[k].strip():
            first = k
            break
    marker = None
    # every marker holds "tab" (`%%tab`, `#@tab`): most cells are settled without the pattern
    if first is not None and "tab" in lines[first]:
        marker = markers.parse_marker(lines[first], first + 1, state.file, known, state.diagnostics)
    kept: list[int] = body
    if marker is not None:
        kept = []
        for k in body:
            if k == first:
                continue
            if "tab" in lines[k] and markers.is_marker_line(lines[k]):
                state.diagnostics.append(
                    Diagnostic.make(
                        Code.STALE_MARKER,
                        state.file,
                        k + 1,
                        f"stale tab marker {lines[k].strip()!r} inside a cell is ignored and "
                        f"dropped; the cell's marker is on line {marker.line}",
                    )
                )
                continue
            kept.append(k)
    # trim blank lines at both ends
    start, stop = 0, len(kept)
    while start < stop and not lines[kept[start]].strip():
        start += 1
    while stop > start and not lines[kept[stop - 1]].strip():
        stop -= 1
    if start or stop < len(kept):
        kept = kept[start:stop]
    source = "\n".join([lines[k] for k in kept])
    if markers.is_interact_cell(source):
        state.interact_line = fence.start + 1
        state.required_libs = markers.required_libs(source)
        return None
    return CodeCell(
        line=fence.start + 1,
        body_line=(kept[0] + 1) if kept else fence.start + 2,
        end_line=fence.end + 1,
        source=source,
        language=info.language,
        marker=marker,
        attrs=info.classes,
        n=info.n,
        line_map=tuple([k + 1 for k in kept]),
    )


def _fence_element(fence: _Fence, lines: list[str]) -> Fence:
    match = grammar.FENCE.match(lines[fence.start])
    indent = match.group("indent") if match else ""
    mark = match.group("fence") if match else "```"
    info = match.group("info") if match else ""
    body = tuple((lines[k], k + 1) for k in range(fence.start + 1, min(fence.end, len(lines))))
    close = min(fence.end, len(lines) - 1) + 1
    return Fence(indent, mark, info, body, fence.start + 1, close)


def parse_page(data: bytes, *, lang: str, path: str, file: str, known: Collection[str]) -> Page:
    """Parse one page. Never raises on damaged input: problems become diagnostics."""
    state = _State(file)
    text = decode(data, file, state.diagnostics)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    fences = _scan_fences(lines, file, state.diagnostics)
    region: dict[int, tuple[int, frozenset[str]]] = {}
    marker_lines: set[int] = set()
    if ":begin_tab:" in text or ":end_tab:" in text:  # every tab region marker holds one
        code_starts = {f.start for f in fences if f.attrs.is_input}
        outside = _outside(fences, len(lines))
        region, marker_lines = _regions(lines, outside, code_starts, file, state.diagnostics)

    blocks: list[CodeCell | TextBlock | TocBlock] = []
    run: list[int] = []

    def in_region(index: int) -> tuple[frozenset[str] | None, int | None]:
        found = region.get(index)
        return (None, None) if found is None else (found[1], found[0])

    def flush() -> None:
        if run:
            tab, marker = in_region(run[0])
            raw = [lines[k] for k in run]
            blocks.append(
                TextBlock(TextKind.PROSE, "\n".join(raw), run[0] + 1, run[-1] + 1, tab, marker)
            )
            run.clear()

    fence_at = {f.start: f for f in fences}
    plain = not region and not marker_lines  # no `:begin_tab:` region on the page
    starts = [f.start for f in fences] + [len(lines)]
    following = 0  # index in `starts` of the first fence at or after line i
    i = 0
    while i < len(lines):
        fence = fence_at.get(i)
        if fence is None and plain:  # the prose up to the next fence, at once
            while starts[following] <= i:
                following += 1
            stop = starts[following]
            if stop > i:  # outside regions: one prose block, its lines at once
                text_ = "\n".join(lines[i:stop])
                blocks.append(TextBlock(TextKind.PROSE, text_, i + 1, stop, None, None))
            i = stop
            continue
        if fence is None:
            if i in marker_lines:
                flush()
            elif run and region.get(run[0]) != region.get(i):
                flush()
                run.append(i)
            else:
                run.append(i)
            i += 1
            continue
        flush()
        kind = fence.info.split(None, 1)[0] if fence.info else ""
        if fence.attrs.is_input:
            cell = _code_cell(fence, lines, state, known)
            if cell is not None:
                blocks.append(cell)
        elif kind == "toc":
            toc = _toc(fence, lines)
            blocks.append(replace(toc, elements=(_fence_element(fence, lines),)))
        else:
            text_kind = TextKind.EVAL_RST if kind == "eval_rst" else TextKind.LISTING
            end = min(fence.end, len(lines) - 1)
            tab, marker = in_region(fence.start)
            blocks.append(
                TextBlock(
                    text_kind,
                    "\n".join(lines[fence.start : end + 1]),
                    fence.start + 1,
                    end + 1,
                    tab,
                    marker,
                    _fence_element(fence, lines),
                )
            )
        i = fence.end + 1
    flush()
    if has_mojibake_candidate(text):
        for idx, line in enumerate(lines):
            for damaged, fixed in find_mojibake(line):
                state.diagnostics.append(
                    Diagnostic.make(
                        Code.MOJIBAKE,
                        file,
                        idx + 1,
                        f"double-encoded UTF-8 {damaged!r} (meant {fixed!r})",
                    )
                )
    for cell in (b for b in blocks if isinstance(b, CodeCell)):
        if "\t" in cell.source:
            offset = next(n for n, ln in enumerate(cell.source.split("\n")) if "\t" in ln)
            state.diagnostics.append(
                Diagnostic.make(
                    Code.TAB_CHARACTER,
                    file,
                    cell.source_line(offset),
                    "TAB character in code; use spaces",
                )
            )
    return Page(
        lang=lang,
        path=path,
        file=file,
        blocks=tuple(blocks),
        required_libs=state.required_libs,
        interact_line=state.interact_line,
        structure=tuple(state.diagnostics),
    )
