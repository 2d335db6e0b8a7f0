"""Translations: where each translation stands against the source language
(`status`), code brought back in line with the source (`sync-code`, labels
restored), and legacy pages rewritten into the new syntax (`migrate`)."""
