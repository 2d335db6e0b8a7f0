"""What a run cost and what it saved: wall, CPU and GPU seconds of the
notebooks it executed, totals per framework and language, the notebooks the
cache served (with the recorded duration of the runs they reuse) and the
translations that took another language's outputs. Also the lines that say
why each notebook ran, and the markdown summary for a GitHub job
(`GITHUB_STEP_SUMMARY`)."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from polybook.execute.model import ExecuteSummary, NotebookReport, Origin, Status

STEP_SUMMARY_VAR = "GITHUB_STEP_SUMMARY"


@dataclass(slots=True)
class Totals:
    notebooks: int = 0
    executed: int = 0
    failed: int = 0
    planned: int = 0  # a dry run's notebooks that would run
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    gpu_seconds: float = 0.0
    from_cache: int = 0  # served by the cache (or already up to date)
    shared: int = 0  # a translation that took another language's outputs
    saved_seconds: float = 0.0  # recorded duration of the runs reused

    def add(self, report: NotebookReport) -> None:
        self.notebooks += 1
        if report.status in (Status.EXECUTED, Status.FAILED):
            self.executed += report.status is Status.EXECUTED
            self.failed += report.status is Status.FAILED
            self.wall_seconds += report.seconds
            self.cpu_seconds += report.cpu_seconds or 0.0
            self.gpu_seconds += report.gpu_seconds
            return
        if report.status is Status.WOULD_RUN:
            self.planned += 1
            return
        translated = report.source_lang and report.source_lang != report.lang
        if report.origin is Origin.SHARED or translated:
            self.shared += 1
        else:
            self.from_cache += 1
        self.saved_seconds += report.saved_seconds

    def to_json(self) -> dict[str, object]:
        return {
            "notebooks": self.notebooks,
            "executed": self.executed,
            "failed": self.failed,
            "would_run": self.planned,
            "wall_seconds": round(self.wall_seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "gpu_seconds": round(self.gpu_seconds, 3),
            "from_cache": self.from_cache,
            "shared_translations": self.shared,
            "saved_seconds": round(self.saved_seconds, 3),
        }


def totals(reports: list[NotebookReport]) -> Totals:
    out = Totals()
    for report in reports:
        out.add(report)
    return out


def cost_json(summary: ExecuteSummary) -> dict[str, object]:
    """Totals for the run, per framework and per language."""
    by_fw: dict[str, list[NotebookReport]] = {}
    by_lang: dict[str, list[NotebookReport]] = {}
    for r in summary.reports:
        by_fw.setdefault(r.framework, []).append(r)
        by_lang.setdefault(r.lang, []).append(r)
    return {
        "total": totals(summary.reports).to_json(),
        "frameworks": {fw: totals(rs).to_json() for fw, rs in sorted(by_fw.items())},
        "languages": {lang: totals(rs).to_json() for lang, rs in sorted(by_lang.items())},
    }


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.1f} s"


def why_lines(summary: ExecuteSummary, cached: bool = False, ran: bool = True) -> list[str]:
    """`label: reason; reason` for each notebook that ran (or would; none
    without `ran`); with `cached`, also where each other notebook's outputs
    come from."""
    lines: list[str] = []
    for r in summary.reports:
        label = f"{r.lang}/{r.framework} {r.page}"
        if r.status is not Status.CACHED:
            if not ran:
                continue
            why = "; ".join(reason.describe() for reason in r.reasons) or "(no reason recorded)"
            lines.append(f"{label}: {why}")
        elif cached:
            lines.append(f"{label}: {origin_text(r)}")
    return lines


def origin_text(report: NotebookReport) -> str:
    if report.origin is Origin.SHARED:
        return f"outputs of the {report.source_lang} run (same code)"
    if report.origin is Origin.UP_TO_DATE:
        return "up to date"
    if report.source_lang and report.source_lang != report.lang:
        return f"cached ({report.source_lang} outputs)"
    return "cached"


def cost_line(summary: ExecuteSummary) -> str:
    """One line: what ran and what it cost, what was reused."""
    t = totals(summary.reports)
    parts: list[str] = []
    if summary.dry_run:
        parts.append(f"{t.planned} would run")
    else:
        ran = f"{t.executed + t.failed} ran: {_duration(t.wall_seconds)} wall"
        ran += f", {_duration(t.cpu_seconds)} CPU"
        if t.gpu_seconds:
            ran += f", {t.gpu_seconds:.0f} GPU-s"
        parts.append(ran)
    reused = f"{t.from_cache} from the cache"
    if t.saved_seconds:
        reused += f" (~{_duration(t.saved_seconds)} saved)"
    parts.append(reused)
    parts.append(f"{t.shared} translations reused another language's outputs")
    return "cost: " + "; ".join(parts)


def _headline(summary: ExecuteSummary) -> str:
    """ "3 notebooks re-ran because torch changed"-style: the reasons by kind."""
    counts: Counter[str] = Counter()
    for r in summary.reports:
        if r.status in (Status.EXECUTED, Status.FAILED, Status.WOULD_RUN):
            counts.update({_short(r)})
    return ", ".join(f"{n} because {why}" for why, n in sorted(counts.items()))


def _short(report: NotebookReport) -> str:
    if not report.reasons:
        return "of no recorded reason"
    reason = report.reasons[0]
    names = [c.name for c in reason.changes if c.name != "cell"][:3]
    head = reason.describe().split(":", 1)[0]
    return f"{head} ({', '.join(names)})" if names else head


def step_summary(summary: ExecuteSummary, title: str) -> str:
    """A short markdown summary of the run for a GitHub job's page."""
    t = totals(summary.reports)
    lines = [f"### {title}", ""]
    verb = "would run" if summary.dry_run else "ran"
    count = t.planned if summary.dry_run else t.executed + t.failed
    head = f"{count} notebooks {verb}"
    why = _headline(summary)
    if why:
        head += f": {why}"
    if not summary.dry_run:
        head += f"; {_duration(t.wall_seconds)} ({_duration(t.cpu_seconds)} CPU"
        head += f", {t.gpu_seconds:.0f} GPU-s)" if t.gpu_seconds else ")"
    lines.append(head + ".")
    lines.append(
        f"{t.from_cache} served by the cache (~{_duration(t.saved_seconds)} saved); "
        f"{t.shared} translations reused another language's outputs."
    )
    if t.failed:
        lines.append(f"**{t.failed} failed.**")
    reasons = why_lines(summary)
    if reasons:
        lines += ["", "<details><summary>Why each notebook ran</summary>", ""]
        lines += [f"- `{line.split(': ', 1)[0]}`: {line.split(': ', 1)[1]}" for line in reasons]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n\n"


def append_step_summary(summary: ExecuteSummary, title: str) -> Path | None:
    """Append the markdown summary to `$GITHUB_STEP_SUMMARY` when it is set."""
    target = os.environ.get(STEP_SUMMARY_VAR)
    if not target:
        return None
    path = Path(target)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(step_summary(summary, title))
    return path
