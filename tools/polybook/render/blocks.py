"""Block conversion of one markdown cell: DIALECT constructs -> MyST (DIALECT §6-§7).

A line scanner. Each construct that spans lines is recognised here and
written as MyST; the text inside blocks goes through `inline.convert_inline`.

    # Title / :label:`x`            -> (x)= / # Title
    ![cap](../img/a.svg) / :width: / :label:  -> ```{figure} with :name: and :width:
    :Caption / | table | / :label:  -> ~~~{table} Caption with :name:
    $$ ... $$ / :eqlabel:`x`        -> ```{math} with :label:
    :bibliography:`refs.bib`        -> ```{bibliography}
    ```toc / ```eval_rst            -> ```{toctree} / ```{eval-rst}

Every output line carries the source line of the input it came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from polybook.diagnostics import Code
from polybook.render.inline import REF_TARGET, Target, convert_inline
from polybook.render.model import Converted, ConvertOptions, Line, Problem

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_HEADING = re.compile(r"^(?P<lead>\s{0,3})(?P<hashes>#{1,6})(?P<space>\s*)(?P<title>.*)$")
_LINE_ROLE = re.compile(
    r"^\s*:(?P<kind>label|eqlabel|width|height|bibliography):`+(?P<value>[^`]+)`+\s*$"
)
_ROLE_IN_REST = re.compile(r":(?P<kind>label|width|height):`+(?P<value>[^`]+)`+")
_IMAGE_LINE = re.compile(r"^\s*!\s*\[(?P<caption>.*)\]\(\s*(?P<src>[^)]*?)\s*\)(?P<rest>.*)$")
_CAPTION = re.compile(r"^:(?![a-z_]+:`)(?P<caption>\S.*)$")
_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_EQLABEL = re.compile(r":eqlabel:`+(?P<name>[^`]+)`+")
_TOCTREE_OPTIONS = frozenset(
    {"maxdepth", "numbered", "caption", "hidden", "titlesonly", "glob", "reversed", "name"}
)


class _Blocks:
    def __init__(self, lines: Sequence[Line], opts: ConvertOptions) -> None:
        self.lines = lines
        self.opts = opts
        self.res = Converted()
        self.para: list[Line] = []
        self.block_start: int | None = None
        self.pending: list[Target] = []

    # -- helpers ---------------------------------------------------------
    def text(self, i: int) -> str:
        return self.lines[i].text if 0 <= i < len(self.lines) else ""

    def next_nonblank(self, i: int) -> int:
        while i < len(self.lines) and not self.lines[i].text.strip():
            i += 1
        return i

    def role_line(self, i: int, *kinds: str) -> re.Match[str] | None:
        match = _LINE_ROLE.match(self.text(i))
        return match if match is not None and match.group("kind") in kinds else None

    def is_table_start(self, i: int) -> bool:
        head, delim = self.text(i), self.text(i + 1)
        return "|" in head and "|" in delim + head and bool(_DELIMITER.match(delim))

    def inline(self, lines: Sequence[Line]) -> tuple[list[Line], list[Target]]:
        result = convert_inline(lines, self.opts, self.res.problems)
        return result.lines, result.targets

    def inline_text(self, text: str, src: int) -> str:
        lines, _ = self.inline([Line(text, src)])
        return " ".join(line.text.strip() for line in lines)

    def target_lines(self, targets: Sequence[Target]) -> list[Line]:
        if not self.opts.keep_targets:
            return []
        return [Line(f"({t.name})=", t.line) for t in targets if REF_TARGET.match(t.name)]

    def start_block(self, targets: Sequence[Target] = ()) -> None:
        self.flush()
        self.block_start = len(self.res.lines)
        self.res.lines.extend(self.target_lines([*self.pending, *targets]))
        self.pending.clear()

    def attach(self, targets: Sequence[Target]) -> None:
        """Targets for the block before (a `:label:` line after a paragraph, say)."""
        self.flush()
        if self.block_start is None:
            self.pending.extend(targets)
            return
        self.res.lines[self.block_start : self.block_start] = self.target_lines(targets)

    def flush(self) -> None:
        if not self.para:
            return
        lines, targets = self.inline(self.para)
        self.para = []
        self.block_start = len(self.res.lines)
        self.res.lines.extend(self.target_lines([*self.pending, *targets]))
        self.pending.clear()
        self.res.lines.extend(lines)

    def resolve(self, path: str, src: int) -> str:
        resolved = self.opts.resolve_image(path)
        if resolved is None:
            self.res.problems.append(
                Problem(Code.RENDER_MISSING_IMAGE, src, f"image {path!r} not found", path)
            )
            return path
        return resolved

    # -- the scanner -----------------------------------------------------
    def run(self) -> Converted:
        i = 0
        while i < len(self.lines):
            i = self.line(i)
        self.flush()
        if self.pending:
            self.res.lines.extend(self.target_lines(self.pending))
        return self.res

    def line(self, i: int) -> int:
        line = self.lines[i]
        stripped = line.text.strip()
        if not stripped:
            self.flush()
            self.res.emit("", line.src)
            return i + 1
        fence = _FENCE.match(line.text)
        if fence is not None:
            return self.fence(i, fence)
        if stripped.startswith("$$"):
            end = self.display_math(i)
            if end is not None:
                return end
        heading = _HEADING.match(line.text)
        if (
            heading is not None
            and heading.group("title").strip()
            and (heading.group("space") or not heading.group("title").startswith("#"))
        ):
            return self.heading(i, heading)
        image = _IMAGE_LINE.match(line.text)
        if image is not None:
            return self.figure(i, image)
        role = _LINE_ROLE.match(line.text)
        if role is not None:
            return self.role(i, role)
        if _CAPTION.match(stripped) or self.is_table_start(i):
            end = self.table(i)
            if end is not None:
                return end
        self.para.append(line)
        return i + 1

    def role(self, i: int, match: re.Match[str]) -> int:
        kind, value = match.group("kind"), match.group("value").strip()
        src = self.lines[i].src
        if kind == "bibliography":
            self.start_block()
            for text in ("```{bibliography}", ":filter: cited", "```"):
                self.res.emit(text, src)
            return i + 1
        if kind in ("width", "height"):
            return i + 1  # a size with no image before it: nothing to size
        if kind == "label":
            after = self.next_nonblank(i + 1)
            if _CAPTION.match(self.text(after).strip()) or self.is_table_start(after):
                end = self.table(i)
                if end is not None:
                    return end
        self.attach([Target(value, kind, src)])
        return i + 1

    def fence(self, i: int, match: re.Match[str]) -> int:
        indent, fence, info = match.group("indent"), match.group("fence"), match.group("info")
        end = i + 1
        while end < len(self.lines):
            close = _FENCE.match(self.lines[end].text)
            if (
                close is not None
                and close.group("fence")[0] == fence[0]
                and len(close.group("fence")) >= len(fence)
                and not close.group("info").strip()
            ):
                break
            end += 1
        body = list(self.lines[i + 1 : end])
        src, close_src = self.lines[i].src, self.lines[min(end, len(self.lines) - 1)].src
        kind = info.strip().split()[0] if info.strip() else ""
        self.start_block()
        if kind == "toc":
            self.toctree(body, src, close_src)
            return end + 1
        if kind == "eval_rst":
            opening = f"{indent}{fence}{{eval-rst}}"
        elif kind.startswith("{"):
            classes = [c.lstrip(".") for c in info.strip(" {}").split() if c.startswith(".")]
            language = next((c for c in classes if c != "input"), "")
            opening = f"{indent}{fence}{language}"
        else:
            opening = self.lines[i].text
        self.res.emit(opening, src)
        self.res.lines.extend(body)
        self.res.emit(f"{indent}{fence}", close_src)
        return end + 1

    def toctree(self, body: Sequence[Line], src: int, close_src: int) -> None:
        self.res.emit("```{toctree}", src)
        entries: list[Line] = []
        for line in body:
            raw = line.text.strip()
            if not raw:
                continue
            if raw.startswith(":"):
                key, _, value = raw[1:].partition(":")
                if key.strip() in _TOCTREE_OPTIONS:
                    self.res.emit(f":{key.strip()}: {value.strip()}".rstrip(), line.src)
            else:
                entries.append(Line(raw.removesuffix(".md"), line.src))
        self.res.emit("", src)
        self.res.lines.extend(entries)
        self.res.emit("```", close_src)

    def display_math(self, i: int) -> int | None:
        first = self.lines[i]
        indent = first.text[: len(first.text) - len(first.text.lstrip())]
        opened = first.text.strip()[2:]
        body: list[Line] = []
        if "$$" in opened:
            content, after = opened.split("$$", 1)
            body.append(Line(content, first.src))
            end = i
        else:
            body.append(Line(opened, first.src))
            end = i + 1
            while end < len(self.lines) and "$$" not in self.lines[end].text:
                body.append(self.lines[end])
                end += 1
            if end >= len(self.lines):
                return None  # never closed: plain text
            content, after = self.lines[end].text.split("$$", 1)
            body.append(Line(content, self.lines[end].src))
        name = None
        label = _EQLABEL.search(after)
        if label is not None:
            name = label.group("name").strip()
            after = after[: label.start()] + after[label.end() :]
        else:
            nxt = self.next_nonblank(end + 1)
            role = self.role_line(nxt, "eqlabel")
            if role is not None and nxt - end <= 2:
                name, end = role.group("value").strip(), nxt
        self.start_block()
        self.res.emit(f"{indent}```{{math}}", first.src)
        if name and self.opts.keep_targets:
            self.res.emit(f"{indent}:label: {name}", first.src)
            self.res.emit("", first.src)
        for line in body:
            if line.text.strip():
                self.res.emit(f"{indent}{line.text.strip().replace(chr(9), ' ')}", line.src)
        self.res.emit(f"{indent}```", body[-1].src)
        if after.strip():
            self.para.append(Line(indent + after.strip(), body[-1].src))
        return end + 1

    def heading(self, i: int, match: re.Match[str]) -> int:
        src = self.lines[i].src
        title = re.sub(r"\s+#+\s*$", "", match.group("title").strip())
        targets: list[Target] = []
        end = i + 1
        nxt = self.next_nonblank(end)
        role = self.role_line(nxt, "label")
        while role is not None:
            targets.append(Target(role.group("value").strip(), "label", self.lines[nxt].src))
            end = nxt + 1
            nxt = self.next_nonblank(end)
            role = self.role_line(nxt, "label")
        lines, inline_targets = self.inline([Line(title, src)])
        text = " ".join(line.text.strip() for line in lines)
        self.start_block([*inline_targets, *targets])
        if self.opts.headings_as_rubric:
            self.res.emit(f"~~~{{rubric}} {text}", src)
            self.res.emit("~~~", src)
        else:
            self.res.emit(f"{match.group('hashes')} {text}", src)
        return end

    def figure(self, i: int, match: re.Match[str]) -> int:
        src = self.lines[i].src
        options: dict[str, str] = {}
        for found in _ROLE_IN_REST.finditer(match.group("rest")):
            options[found.group("kind")] = found.group("value").strip()
        rest = _ROLE_IN_REST.sub("", match.group("rest")).strip()
        end = i + 1
        nxt = self.next_nonblank(end)
        role = self.role_line(nxt, "label", "width", "height")
        while role is not None:
            options[role.group("kind")] = role.group("value").strip()
            end = nxt + 1
            nxt = self.next_nonblank(end)
            role = self.role_line(nxt, "label", "width", "height")
        path = self.resolve(re.sub(r"\s+", "", match.group("src")), src)
        caption = self.inline_text(match.group("caption"), src) if match.group("caption") else ""
        self.start_block()
        self.res.emit(f"```{{figure}} {path}", src)
        if "label" in options and self.opts.keep_targets:
            self.res.emit(f":name: {options['label']}", src)
        for key in ("width", "height"):
            if key in options:
                self.res.emit(f":{key}: {options[key]}", src)
        if caption:
            self.res.emit("", src)
            self.res.emit(caption, src)
        self.res.emit("```", src)
        if rest:
            self.para.append(Line(rest, src))
        return end

    def table(self, i: int) -> int | None:
        caption: Line | None = None
        label: str | None = None
        j = i
        role = self.role_line(j, "label")
        if role is not None:
            label, j = role.group("value").strip(), self.next_nonblank(j + 1)
        found = _CAPTION.match(self.text(j).strip())
        if found is not None:
            caption = Line(found.group("caption").strip(), self.lines[j].src)
            j = self.next_nonblank(j + 1)
        role = self.role_line(j, "label")
        if role is not None and label is None:
            label, j = role.group("value").strip(), self.next_nonblank(j + 1)
        if not self.is_table_start(j):
            return None
        rows: list[Line] = []
        k = j
        while k < len(self.lines) and "|" in self.text(k) and self.text(k).strip():
            row = self.lines[k]
            text = row.text.strip()
            rows.append(Line(text if text.startswith("|") else "| " + text, row.src))
            k += 1
        end = k
        role = self.role_line(self.next_nonblank(k), "label")
        if role is not None and label is None:
            label, end = role.group("value").strip(), self.next_nonblank(k) + 1
        converted, _ = self.inline(rows)
        self.start_block()
        wrap = caption is not None or (label is not None and self.opts.keep_targets)
        src = caption.src if caption is not None else rows[0].src
        if wrap:
            title = self.inline_text(caption.text, caption.src) if caption is not None else ""
            self.res.emit(f"~~~{{table}} {title}".rstrip(), src)
            if label is not None and self.opts.keep_targets:
                self.res.emit(f":name: {label}", src)
            self.res.emit("", src)
        self.res.lines.extend(converted)
        if wrap:
            self.res.emit("~~~", rows[-1].src)
        return end


def convert_markdown(lines: Sequence[Line], opts: ConvertOptions | None = None) -> Converted:
    """Convert one markdown cell (its lines with their source lines) to MyST."""
    return _Blocks(lines, opts or ConvertOptions()).run()
