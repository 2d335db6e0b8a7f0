"""Diagnostics: one record per problem found, with a stable code and a book position.

Diagnostics are created where a problem is seen and collected in a list; they are
never printed by the stage that finds them. Codes are stable: tools and CI may
match on them. Positions are always those of the book's source page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum, StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Code(Enum):
    """The catalogue of diagnostics: (stable code, default severity, short name)."""

    # reading files
    NOT_UTF8 = ("PB100", Severity.ERROR, "not-utf8")
    MOJIBAKE = ("PB101", Severity.WARNING, "mojibake")
    TAB_CHARACTER = ("PB102", Severity.WARNING, "tab-character")
    # the book's configuration (positions: the key in config.ini / book.toml)
    CONFIG_UNSUPPORTED = ("PB103", Severity.INFO, "config-unsupported")
    CONFIG_VALUE = ("PB104", Severity.WARNING, "config-value")
    # fences and code cells
    FENCE_IN_CODE = ("PB110", Severity.WARNING, "fence-in-code")
    UNCLOSED_FENCE = ("PB111", Severity.ERROR, "unclosed-fence")
    # framework markers
    UNKNOWN_FRAMEWORK = ("PB120", Severity.ERROR, "unknown-framework")
    COMMENTED_MARKER = ("PB121", Severity.WARNING, "commented-marker")
    STALE_MARKER = ("PB122", Severity.WARNING, "stale-marker")
    EMPTY_MARKER = ("PB123", Severity.ERROR, "empty-marker")
    # prose tab regions
    UNCLOSED_BEGIN_TAB = ("PB130", Severity.ERROR, "unclosed-begin-tab")
    STRAY_END_TAB = ("PB131", Severity.ERROR, "stray-end-tab")
    # roles
    UNCLOSED_ROLE = ("PB140", Severity.ERROR, "unclosed-role")
    DOUBLE_BACKTICK_ROLE = ("PB141", Severity.ERROR, "double-backtick-role")
    ROLE_IN_HEADING = ("PB143", Severity.WARNING, "role-in-heading")
    ROLE_IN_LINK = ("PB144", Severity.WARNING, "role-in-link")
    # labels, references, citations, toc
    DUPLICATE_LABEL = ("PB150", Severity.ERROR, "duplicate-label")
    DANGLING_REFERENCE = ("PB151", Severity.ERROR, "dangling-reference")
    MISSING_CITATION = ("PB152", Severity.ERROR, "missing-citation")
    TOC_MISSING_PAGE = ("PB153", Severity.ERROR, "toc-missing-page")
    BIB_UNREADABLE = ("PB155", Severity.ERROR, "bib-unreadable")
    REFERENCE_KIND = ("PB156", Severity.ERROR, "reference-kind")
    # python code after the split
    CODE_SYNTAX = ("PB160", Severity.ERROR, "code-syntax")
    TAB_SELECTED_OUTSIDE_IF = ("PB161", Severity.ERROR, "tab-selected-outside-if")
    TAB_SELECTED_UNRESOLVED = ("PB162", Severity.WARNING, "tab-selected-unresolved")
    # markdown shape
    HEADING_SPACING = ("PB170", Severity.WARNING, "heading-spacing")
    BROKEN_IMAGE = ("PB171", Severity.WARNING, "broken-image")
    TABLE_ROW_PIPE = ("PB172", Severity.WARNING, "table-row-pipe")
    MISSING_IMAGE = ("PB173", Severity.ERROR, "missing-image")
    # translations
    MISSING_TRANSLATION = ("PB180", Severity.INFO, "missing-translation")
    # the generated library (#@save)
    SAVE_CAPTURES_NOTHING = ("PB190", Severity.WARNING, "save-captures-nothing")
    SAVE_REPEATED = ("PB191", Severity.WARNING, "save-repeated")
    SAVED_CODE_SYNTAX = ("PB192", Severity.ERROR, "saved-code-syntax")
    LIBRARY_ADD_TO_CLASS = ("PB193", Severity.ERROR, "add-to-class-unknown")
    LIBRARY_DUPLICATE_METHOD = ("PB194", Severity.INFO, "duplicate-method")
    LIBRARY_NO_SELF = ("PB195", Severity.WARNING, "library-no-self")
    SAVE_OUTSIDE_TOC = ("PB196", Severity.WARNING, "save-outside-toc")
    IMPORTS_NOT_NORMALISED = ("PB197", Severity.INFO, "imports-not-normalised")
    ALIAS_NOT_REWRITTEN = ("PB198", Severity.WARNING, "alias-not-rewritten")
    VERSION_NOT_SET = ("PB199", Severity.WARNING, "version-not-set")
    # rendering (HTML): positions are those of the book page, never of generated files
    RENDER_UNRESOLVED_REFERENCE = ("PB200", Severity.WARNING, "render-unresolved-reference")
    RENDER_UNRESOLVED_CITATION = ("PB201", Severity.WARNING, "render-unresolved-citation")
    RENDER_MISSING_IMAGE = ("PB202", Severity.WARNING, "render-missing-image")
    RENDER_WARNING = ("PB203", Severity.WARNING, "render-warning")
    RENDER_UNTRANSLATED = ("PB204", Severity.INFO, "render-untranslated")
    RENDER_NO_FRAMEWORK_CODE = ("PB205", Severity.INFO, "render-no-framework-code")
    RENDER_MALFORMED_ROLE = ("PB206", Severity.WARNING, "render-malformed-role")
    RENDER_SETUP = ("PB207", Severity.WARNING, "render-setup")
    RENDER_STALE_OUTPUTS = ("PB208", Severity.INFO, "render-stale-outputs")
    # the site has math and no MathJax: not built (render/mathjax.py)
    RENDER_NO_MATHJAX = ("PB209", Severity.ERROR, "render-no-mathjax")
    # the PDF (polybook build pdf): LaTeX log lines at book positions where traceable
    PDF_MISSING_CHARACTER = ("PB210", Severity.WARNING, "pdf-missing-character")
    PDF_LANGUAGE = ("PB211", Severity.WARNING, "pdf-language")
    PDF_UNRESOLVED_REFERENCE = ("PB212", Severity.WARNING, "pdf-unresolved-reference")
    PDF_OVERFULL_CODE = ("PB213", Severity.WARNING, "pdf-overfull-code")
    PDF_LATEX_ERROR = ("PB214", Severity.ERROR, "pdf-latex-error")
    PDF_SETUP = ("PB215", Severity.ERROR, "pdf-setup")
    PDF_SETTING = ("PB216", Severity.WARNING, "pdf-setting")
    PDF_NOT_HONOURED = ("PB217", Severity.WARNING, "pdf-not-honoured")
    PDF_OVERFULL_TEXT = ("PB218", Severity.INFO, "pdf-overfull-text")
    # contributors: executed outputs pasted into pages (check/outputs.py)
    PASTED_OUTPUT = ("PB430", Severity.ERROR, "pasted-output")
    PASTED_TRACEBACK = ("PB431", Severity.WARNING, "pasted-traceback")
    # live preview (polybook preview): a rebuild that failed
    PREVIEW_FAILED = ("PB440", Severity.ERROR, "preview-failed")
    # reader notebooks (polybook build notebooks)
    READER_UNRESOLVED_REFERENCE = ("PB450", Severity.WARNING, "reader-unresolved-reference")
    READER_MISSING_IMAGE = ("PB451", Severity.WARNING, "reader-missing-image")
    READER_MALFORMED_ROLE = ("PB452", Severity.WARNING, "reader-malformed-role")
    READER_UNKNOWN_CITATION = ("PB453", Severity.WARNING, "reader-unknown-citation")

    @property
    def id(self) -> str:
        return self.value[0]

    @property
    def severity(self) -> Severity:
        return self.value[1]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    file: str
    line: int
    message: str
    target: str | None = None

    @classmethod
    def make(
        cls,
        code: Code,
        file: str,
        line: int,
        message: str,
        target: str | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        return cls(code.id, severity or code.severity, file, line, message, target)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Diagnostic:
        target = data.get("target")
        return cls(
            str(data["code"]),
            Severity(str(data["severity"])),
            str(data["file"]),
            int(str(data["line"])),
            str(data["message"]),
            None if target is None else str(target),
        )

    def format(self) -> str:
        return f"{self.file}:{self.line}: {self.severity.value} {self.code}: {self.message}"

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.line,
            "message": self.message,
        }
        if self.target is not None:
            data["target"] = self.target
        return data


def sort_key(d: Diagnostic) -> tuple[str, int, str, str]:
    return (d.file, d.line, d.code, d.message)


def dumps(diagnostics: list[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in sorted(diagnostics, key=sort_key)], indent=2)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)
