"""Run reports: a JSON summary and JUnit XML (one testcase per notebook).

Both say why each notebook ran (JSON `reasons`; JUnit `polybook.reason`
properties, one per reason, with its code) and what the run cost (JSON
`cost`: totals per framework and language; JUnit properties per testcase)."""

from __future__ import annotations

import json
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

from polybook.execute.cost import cost_json, totals
from polybook.execute.model import ExecuteSummary, NotebookReport, Status
from polybook.files import write_atomic


def to_json(summary: ExecuteSummary) -> dict[str, object]:
    return {
        "ok": summary.ok,
        "interrupted": summary.interrupted,
        "seconds": round(summary.seconds, 3),
        "dry_run": summary.dry_run,
        "counts": summary.counts(),
        "cost": cost_json(summary),
        "notebooks": [r.to_json() for r in summary.reports],
    }


def write_json(summary: ExecuteSummary, path: Path) -> None:
    text = json.dumps(to_json(summary), indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, text.encode())


def to_junit(summary: ExecuteSummary) -> ET.Element:
    counts = summary.counts()
    suites = ET.Element("testsuites", name="polybook execute")
    groups: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(summary.reports):
        groups.setdefault((r.lang, r.framework), []).append(i)
    for (lang, framework), indices in sorted(groups.items()):
        reports = [summary.reports[i] for i in indices]
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=f"{lang}.{framework}",
            tests=str(len(reports)),
            failures=str(sum(r.status is Status.FAILED for r in reports)),
            errors="0",
            skipped="0",
            time=f"{sum(r.seconds for r in reports):.3f}",
            hostname=socket.gethostname(),
        )
        # the suite's cost: what ran (wall, CPU, GPU seconds), what the cache
        # and translations saved (`cost.Totals`, as in the JSON report)
        props = ET.SubElement(suite, "properties")
        for name, value in totals(reports).to_json().items():
            ET.SubElement(props, "property", name=f"polybook.total.{name}", value=str(value))
        for r in reports:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{lang}.{framework}",
                name=r.page,
                file=r.file,
                time=f"{r.seconds:.3f}",
            )
            _properties(case, r)
            if r.failure is not None:
                fail = ET.SubElement(
                    case,
                    "failure",
                    message=r.failure.headline(lang, framework),
                    type=r.failure.kind.value,
                )
                fail.text = r.failure.traceback or r.failure.message
            else:
                out = ET.SubElement(case, "system-out")
                out.text = f"{r.status.value} key={r.key}"
    suites.set("tests", str(len(summary.reports)))
    suites.set("failures", str(counts["failed"]))
    suites.set("time", f"{summary.seconds:.3f}")
    return suites


def _properties(case: ET.Element, report: NotebookReport) -> None:
    values: list[tuple[str, str]] = [("polybook.origin", report.origin.value)]
    for reason in report.reasons:
        values.append(("polybook.reason", f"{reason.kind.code} {reason.describe()}"))
    if report.cpu_seconds is not None:
        values.append(("polybook.cpu_seconds", f"{report.cpu_seconds:.3f}"))
    if report.gpus:
        values.append(("polybook.gpu_seconds", f"{report.gpu_seconds:.3f}"))
    if report.source_lang and report.source_lang != report.lang:
        values.append(("polybook.source_language", report.source_lang))
    if report.saved_seconds:
        values.append(("polybook.saved_seconds", f"{report.saved_seconds:.3f}"))
    props = ET.SubElement(case, "properties")
    for name, value in values:
        ET.SubElement(props, "property", name=name, value=value)


def write_junit(summary: ExecuteSummary, path: Path) -> None:
    root = to_junit(summary)
    ET.indent(root)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    write_atomic(path, data + b"\n")
