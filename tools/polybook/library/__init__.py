"""Library stage: `#@save` capture, class assembly, module writer, freshness and parity."""

from polybook.library.model import GeneratedFile, LibraryError, LibraryResult, Mode, SavedBlock

__all__ = ["GeneratedFile", "LibraryError", "LibraryResult", "Mode", "SavedBlock"]
