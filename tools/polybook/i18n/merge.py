"""The origin's code in a translated cell, keeping what the translator wrote
where the code did not change.

Code lines are matched by key (`codekey`: comments and text literals aside).
A matched line is kept as the translation writes it (its translated trailing
comment and text literals); the comment lines before it are the
translation's when the code line before them is matched too (the code
around them is unchanged), else the origin's. Everything else is the
origin's.
"""

from __future__ import annotations

import difflib

from polybook.i18n.codekey import CodeLine, LineKind, code_lines


def _groups(lines: list[CodeLine]) -> tuple[list[list[CodeLine]], list[CodeLine], list[CodeLine]]:
    """The lines before each code line (comments, blanks), the code lines, and
    the lines after the last one."""
    gaps: list[list[CodeLine]] = []
    code: list[CodeLine] = []
    pending: list[CodeLine] = []
    for line in lines:
        if line.kind is LineKind.CODE:
            gaps.append(pending)
            code.append(line)
            pending = []
        else:
            pending.append(line)
    return gaps, code, pending


def merge_code(translated: str, origin: str) -> str:
    """`origin`'s code with the translation's comments and literals where the
    code around them is unchanged."""
    t_gaps, t_code, t_tail = _groups(code_lines(translated))
    o_gaps, o_code, o_tail = _groups(code_lines(origin))
    if not o_code:
        return origin
    matcher = difflib.SequenceMatcher(
        None, [c.key for c in t_code], [c.key for c in o_code], autojunk=False
    )
    partner: dict[int, int] = {}  # origin code line -> translation code line
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            partner[block.b + k] = block.a + k
    out: list[str] = []
    for k, line in enumerate(o_code):
        t = partner.get(k)
        before_kept = t is not None and (
            (k == 0 and t == 0) or (k > 0 and partner.get(k - 1) == t - 1)
        )
        gap = t_gaps[t] if before_kept and t is not None else o_gaps[k]
        out.extend(g.text for g in gap)
        out.append(t_code[t].text if t is not None else line.text)
    last_kept = partner.get(len(o_code) - 1) == len(t_code) - 1
    out.extend(g.text for g in (t_tail if last_kept else o_tail))
    return "\n".join(out)
