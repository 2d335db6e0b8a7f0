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

    # setup and I/O faults: the command stops with exit status 2 (polybook/faults.py)
    WRITE_FAILED = ("PB001", Severity.ERROR, "write-failed")
    DISK_FULL = ("PB002", Severity.ERROR, "disk-full")
    NOT_A_FOLDER = ("PB003", Severity.ERROR, "not-a-folder")
    OUTPUT_IN_SOURCES = ("PB004", Severity.ERROR, "output-in-sources")
    GENERATED_UNREADABLE = ("PB005", Severity.ERROR, "generated-unreadable")
    READ_FAILED = ("PB006", Severity.ERROR, "read-failed")
    NO_CACHE = ("PB007", Severity.ERROR, "no-cache")
    CACHE_IN_USE = ("PB008", Severity.ERROR, "cache-in-use")
    # a generated file that did not match its recorded checksum, made again
    REGENERATED = ("PB009", Severity.WARNING, "regenerated")
    USAGE = ("PB010", Severity.ERROR, "usage")
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
    # paths that lead out of the book (source/contain.py): refused, never published
    PAGE_OUTSIDE_BOOK = ("PB145", Severity.ERROR, "page-outside-book")
    TOC_OUTSIDE_BOOK = ("PB146", Severity.ERROR, "toc-outside-book")
    IMAGE_OUTSIDE_BOOK = ("PB147", Severity.ERROR, "image-outside-book")
    BIB_OUTSIDE_BOOK = ("PB148", Severity.ERROR, "bib-outside-book")
    RST_FILE_OUTSIDE_BOOK = ("PB149", Severity.ERROR, "rst-file-outside-book")
    # labels, references, citations, toc
    DUPLICATE_LABEL = ("PB150", Severity.ERROR, "duplicate-label")
    DANGLING_REFERENCE = ("PB151", Severity.ERROR, "dangling-reference")
    MISSING_CITATION = ("PB152", Severity.ERROR, "missing-citation")
    TOC_MISSING_PAGE = ("PB153", Severity.ERROR, "toc-missing-page")
    BIB_MALFORMED = ("PB154", Severity.ERROR, "bib-malformed")
    BIB_UNREADABLE = ("PB155", Severity.ERROR, "bib-unreadable")
    REFERENCE_KIND = ("PB156", Severity.ERROR, "reference-kind")
    EMPTY_PAGE = ("PB157", Severity.WARNING, "empty-page")
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
    # the library's public API (`polybook lib --api`)
    API_FRAMEWORK_GAP = ("PB340", Severity.WARNING, "api-framework-gap")
    API_SIGNATURE_DIFFERS = ("PB341", Severity.INFO, "api-signature-differs")
    API_REMOVED = ("PB342", Severity.WARNING, "api-removed")
    API_RENAMED = ("PB343", Severity.WARNING, "api-renamed")
    API_SIGNATURE_CHANGED = ("PB344", Severity.WARNING, "api-signature-changed")
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
    # a section without code for the site's framework shows another's (split/gaps.py)
    RENDER_FALLBACK_SECTION = ("PB230", Severity.INFO, "render-fallback-section")
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
    # translations (polybook i18n, polybook migrate): positions in the translated page
    I18N_MISSING_PAGE = ("PB300", Severity.WARNING, "i18n-missing-page")
    I18N_UNTRANSLATED = ("PB301", Severity.WARNING, "i18n-untranslated-prose")
    I18N_STALE_CODE = ("PB302", Severity.WARNING, "i18n-stale-code")
    I18N_MISSING_CODE_CELL = ("PB303", Severity.WARNING, "i18n-missing-code-cell")
    I18N_EXTRA_CODE_CELL = ("PB304", Severity.WARNING, "i18n-extra-code-cell")
    I18N_MISSING_LABEL = ("PB305", Severity.WARNING, "i18n-missing-label")
    I18N_STRUCTURE = ("PB306", Severity.WARNING, "i18n-structure")
    I18N_TRANSLATED_STRING = ("PB307", Severity.INFO, "i18n-translated-string")
    I18N_EXTRA_PAGE = ("PB308", Severity.INFO, "i18n-extra-page")
    I18N_UNKNOWN_PAGE = ("PB309", Severity.ERROR, "i18n-unknown-page")
    SYNC_AMBIGUOUS = ("PB310", Severity.ERROR, "sync-ambiguous")
    SYNC_LABEL_NOT_RESTORED = ("PB311", Severity.WARNING, "sync-label-not-restored")
    SYNC_NOT_EQUAL = ("PB312", Severity.ERROR, "sync-not-equal")
    SYNC_NO_ORIGIN = ("PB313", Severity.WARNING, "sync-no-origin")
    MIGRATE_NOT_EQUIVALENT = ("PB320", Severity.ERROR, "migrate-not-equivalent")
    MIGRATE_STALE_MARKER = ("PB321", Severity.WARNING, "migrate-stale-marker")
    # `polybook edit` (edit/): notebooks for Jupyter and their changes written back
    EDIT_NOT_EDIT_NOTEBOOK = ("PB400", Severity.ERROR, "edit-not-an-edit-notebook")
    EDIT_PAGE_CHANGED = ("PB401", Severity.ERROR, "edit-page-changed")
    EDIT_CELL_ADDED = ("PB402", Severity.ERROR, "edit-cell-added")
    EDIT_CELL_DELETED = ("PB403", Severity.ERROR, "edit-cell-deleted")
    EDIT_CELL_MOVED = ("PB404", Severity.ERROR, "edit-cell-moved")
    EDIT_CELL_KIND = ("PB405", Severity.ERROR, "edit-cell-kind")
    EDIT_LINE_NOT_VERBATIM = ("PB406", Severity.ERROR, "edit-line-not-verbatim")
    EDIT_SPAN = ("PB407", Severity.ERROR, "edit-span")
    EDIT_AMBIGUOUS_INSERT = ("PB408", Severity.ERROR, "edit-ambiguous-insert")
    EDIT_NOT_REPRODUCED = ("PB409", Severity.ERROR, "edit-not-reproduced")
    EDIT_SHARED = ("PB410", Severity.INFO, "edit-shared")
    EDIT_NO_NOTEBOOK = ("PB411", Severity.ERROR, "edit-no-notebook")
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


def counts_line(diagnostics: list[Diagnostic]) -> str:
    """`2 errors, 1 warnings, 0 info`: the closing line of a report."""
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    return (
        f"{counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, "
        f"{counts[Severity.INFO]} info"
    )


INFO_SHOWN = 5  # information lines of one code shown before the rest are counted


def text_lines(diagnostics: list[Diagnostic], verbose: bool = False) -> list[str]:
    """Diagnostics as text lines. Errors and warnings are all shown; of the
    information of one code (a book without JAX code has a PB205 per page),
    the first `INFO_SHOWN` are, then one line counts the rest (all of them
    with `verbose`)."""
    lines: list[str] = []
    seen: dict[str, int] = {}
    for d in diagnostics:
        if not verbose and d.severity is Severity.INFO:
            seen[d.code] = seen.get(d.code, 0) + 1
            if seen[d.code] > INFO_SHOWN:
                continue
        lines.append(d.format())
    for code, count in sorted(seen.items()):
        if count > INFO_SHOWN:
            more = count - INFO_SHOWN
            lines.append(f"... and {more} more {code} (information; --verbose lists them)")
    return lines
