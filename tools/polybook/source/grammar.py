"""The dialect's lexical grammar, defined once (DIALECT §2-§7).

Every stage that needs to recognise a fence, a role, a heading or a tab
marker uses these patterns through the source stage's parse; nothing else in
the package spells them again.
"""

from __future__ import annotations

import re

# A fence line: ``` or ~~~ (three or more), optionally indented, with an info string.
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# A role: `:kind:` followed by its opening backticks (one, or two when damaged).
ROLE = re.compile(r":(?P<kind>[a-z_]+):(?P<ticks>`+)")


def role_named(*kinds: str) -> re.Pattern[str]:
    """ROLE for the given kinds only, followed by its content (group `v`) and
    closing backticks."""
    names = "|".join(re.escape(k) for k in kinds)
    return re.compile(ROLE.pattern.replace("[a-z_]+", names) + r"(?P<v>[^`]*)`+")


# The roles of the dialect (§6); any other `:word:` is text.
KNOWN_ROLES = frozenset(
    {
        "label",
        "eqlabel",
        "numref",
        "ref",
        "eqref",
        "cite",
        "citet",
        "citep",
        "bibliography",
        "width",
        "height",
    }
)
REFERENCE_ROLES = frozenset({"numref", "ref", "eqref"})
CITE_ROLES = frozenset({"cite", "citep", "citet"})
TARGET_ROLES = frozenset({"label", "eqlabel"})
SETTING_ROLES = frozenset({"width", "height", "bibliography"})
# A label or reference target (labels may hold `+`, `.`, `:`, `-`, `/`).
REF_TARGET = re.compile(r"^[\w\-.:/+]+$")
# `title <target>` in a :ref:/:numref:.
TITLED_TARGET = re.compile(r"^[^`<>]*<[\w\-.:/+]+>$")
# A BibTeX key (may hold `*`, `+`, `'`).
CITE_KEY = re.compile(r"^[\w\-.:+/'*]+$")
# An ATX heading, damaged forms included (leading space, no space after #).
HEADING = re.compile(r"^(?P<lead>\s*)(?P<hashes>#{1,6})(?P<space>\s*)(?P<title>.*)$")
# A line that is an image (`![cap](src)`, damaged `! [cap](.. /src)`), with what follows.
IMAGE_LINE = re.compile(r"^\s*!\s*\[(?P<caption>.*)\]\(\s*(?P<src>[^)]*?)\s*\)(?P<rest>.*)$")
# An image inside text.
IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]*)\]\((?P<src>[^)\n]*)\)")
# Damaged image syntax worth a diagnostic.
BROKEN_IMAGE = re.compile(r"!\s+\[|\]\(\s*\.\.\s+/")
# A role used as a link target: `[text](:numref:`x`)`.
LINK_ROLE = re.compile(
    r"\[(?P<text>[^\]\n]*)\]\(\s*" + ROLE.pattern + r"(?P<target>[^`\s]+)`+\s*\)"
)
# A table caption line: `:Caption` or pandoc's `: Caption` (not a role line).
CAPTION = re.compile(r"^:(?![a-z_]+:`)\s?(?P<caption>\S.*)$")
# A table's delimiter row.
TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
# `:begin_tab:`names`` / `:end_tab:` alone on a line (§4).
BEGIN_TAB = re.compile(r"^" + role_named("begin_tab").pattern + r"\s*$")
END_TAB = re.compile(r"^:end_tab:\s*$")
# A code cell's framework marker: `%%tab a, b` / `#@tab a,b`, optionally commented.
TAB_MARKER = re.compile(r"^(?P<comment>#\s*)?(?P<kind>%%tab|#@tab)(?P<rest>(?:\s.*)?)$")
# A bare `<word>` or `</word>` (HTML tag or prose pseudo-tag like `<eos>`).
TAG = re.compile(r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9_-]*)>")
# HTML tags that book prose may really use; any other bare `<word>` is text.
_TAG_NAMES = """a abbr b big blockquote br center cite code dd del details div dl dt em
    figcaption figure font h1 h2 h3 h4 h5 h6 hr i iframe img ins kbd li mark ol p pre samp
    script small source span strike strong style sub summary sup svg table tbody td th
    thead tr tt ul var video"""
HTML_TAGS = frozenset(_TAG_NAMES.split())
# reStructuredText in an `eval_rst` block: a directive line `.. name:: argument`
# and an option line `:name: value` (the options follow their directive, indented).
RST_DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\.\s+(?P<name>[\w:-]+)::(?:\s+(?P<arg>.*?))?\s*$")
RST_OPTION = re.compile(r"^(?P<indent>\s+):(?P<name>[\w-]+):(?:\s+(?P<value>.*?))?\s*$")
# Directives whose argument is a file they read, and options that name a file
# (`raw`, `csv-table`) or a URL read at build time.
RST_FILE_DIRECTIVES = frozenset({"include", "literalinclude", "image", "figure"})
RST_FILE_OPTIONS = frozenset({"file", "url"})
# Slide marks: shown text `(**x**)`/`[**x**]`, slide-only text `(~~x~~)`/`[~~x~~]`.
SLIDE_MARKS = {"(**": "**)", "[**": "**]"}
DROP_MARKS = {"(~~": "~~)", "[~~": "~~]"}


def valid_target(kind: str, content: str) -> bool:
    """Whether `content` is a valid target of a `kind` role."""
    content = content.strip()
    if kind in CITE_ROLES:
        keys = [k.strip() for k in content.split(",") if k.strip()]
        return bool(keys) and all(CITE_KEY.match(k) for k in keys)
    if kind in SETTING_ROLES:
        return bool(content) and " " not in content
    if kind in REFERENCE_ROLES:
        return bool(REF_TARGET.match(content) or TITLED_TARGET.match(content))
    return REF_TARGET.match(content) is not None


def line_role(text: str, *kinds: str) -> tuple[str, str] | None:
    """(kind, value) when the line holds one role of `kinds` and nothing else."""
    stripped = text.strip()
    match = ROLE.match(stripped)
    if match is None or (kinds and match.group("kind") not in kinds):
        return None
    ticks = match.group("ticks")
    rest = stripped[match.end() :]
    close = rest.find("`")
    if close <= 0 or rest[close:].strip("`").strip():
        return None
    if len(ticks) > 1 and not rest[close:].startswith(ticks):
        return None
    return match.group("kind"), rest[:close].strip()
