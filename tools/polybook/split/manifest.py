"""The split manifest (`.polybook-split.json` next to the notebooks): per
page, the fingerprint its notebooks were written from, their diagnostics and
the sha256 of each notebook written."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from polybook.files import read_json_object
from polybook.verified import Verified

MANIFEST = ".polybook-split.json"


@dataclass(slots=True)
class ManifestEntry:
    """What the manifest remembers of one page."""

    fingerprint: str
    # each notebook of the page -> fingerprint of the page version it was
    # written from ("" if never written: its framework was not selected)
    outputs: dict[str, str]
    diagnostics: list[dict[str, object]]
    # each notebook written -> the sha256 of its bytes
    sums: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, data: object) -> ManifestEntry | None:
        if not isinstance(data, dict):
            return None
        outputs, diagnostics = data.get("outputs"), data.get("diagnostics")
        sums = data.get("sums", {})
        if not isinstance(outputs, dict) or not isinstance(diagnostics, list):
            return None
        written = {str(k): str(v) for k, v in outputs.items()}
        checked = {str(k): str(v) for k, v in sums.items()} if isinstance(sums, dict) else {}
        return cls(str(data.get("fingerprint")), written, diagnostics, checked)

    def current(
        self, out: Path, fingerprint: str, selected: set[str], verified: Verified
    ) -> tuple[bool, list[str]]:
        """Whether every selected notebook of the page is on disk, up to date and
        intact (its bytes' sha256 is the one recorded; `verified` knows it
        without reading the file when its stat did not change); and the
        selected notebooks that are on disk but damaged."""
        if self.fingerprint != fingerprint:
            return False, []
        ok, damaged = True, []
        base = os.fspath(out)
        for rel, source in self.outputs.items():
            if rel.split("/", 1)[0] not in selected:
                continue
            if source != fingerprint:
                ok = False
                continue
            digest = verified.sha256(f"{base}/{rel}")
            if digest is None or digest != self.sums.get(rel):
                ok = False
                if digest is not None and rel in self.sums:
                    damaged.append(rel)
        return ok, damaged


def read_manifest(path: Path) -> dict[str, ManifestEntry]:
    entries = {rel: ManifestEntry.load(value) for rel, value in read_json_object(path).items()}
    return {rel: entry for rel, entry in entries.items() if entry is not None}
