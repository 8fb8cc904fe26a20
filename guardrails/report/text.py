"""The human report: findings grouped by file, the line they point at, the fix, a verdict."""
from __future__ import annotations

from itertools import groupby

from guardrails.model import Finding, Report

_COLORS = {"fail": "31", "warn": "33", "info": "36", "pass": "32", "dim": "2", "bold": "1"}
_LABELS = {"fail": "FAIL", "warn": "WARN", "info": "INFO"}


def _paint(text: str, style: str, color: bool) -> str:
    """ANSI colour for the text reports (diff_text shares it), only when asked."""
    return f"\033[{_COLORS[style]}m{text}\033[0m" if color else text


def render(report: Report, color: bool = False) -> str:
    out: list[str] = []
    shown = [f for f in report.findings if f.status != "suppressed"]
    for file, group in groupby(shown, key=lambda f: f.file):
        out.append(_paint(file, "bold", color))
        for finding in group:
            out.extend(_finding(finding, report, color))
        out.append("")
    out.extend(problems(report, color))
    out.append(_summary(report, color))
    return "\n".join(out) + "\n"


def problems(report: Report, color: bool) -> list[str]:
    """Input errors and notes, one line each, then a blank line when there are any."""
    out = []
    for error in report.errors:
        where = f"{error.file}:{error.line}" if error.line else error.file
        out.append(_paint("error", "fail", color) + f": {where}: {error.message}")
    for note in report.notes:
        out.append(_paint("note", "dim", color) + f": {note.file}: {note.message}")
    if out:
        out.append("")
    return out


def _finding(finding: Finding, report: Report, color: bool) -> list[str]:
    label = _LABELS.get(finding.severity, finding.severity.upper())
    status = "" if finding.status == "new" else f" ({finding.status})"
    head = f"  {finding.line:>4}  {_paint(label, finding.severity, color)}  {finding.rule}  {finding.resource}{status}"
    lines = [head, f"        {finding.message}"]
    source = report.sources.get(finding.file, {}).get(finding.line)
    if source is not None and source.strip():
        lines.append(_paint(f"        {finding.line} | {source.strip()[:160]}", "dim", color))
    if finding.fix:
        lines.append(f"        fix: {finding.fix}")
    return lines


def _summary(report: Report, color: bool) -> str:
    active = [f for f in report.findings if f.status != "suppressed"]
    failed = sum(1 for f in active if f.severity == "fail" and f.status == "new")
    warned = sum(1 for f in active if f.severity == "warn" or (f.severity == "fail" and f.status == "existing"))
    suppressed = len(report.findings) - len(active)
    parts = [f"{failed} failed", f"{warned} warning{'s' if warned != 1 else ''}"]
    if suppressed:
        parts.append(f"{suppressed} suppressed")
    count = report.resources_checked
    verdict = _paint(report.verdict.upper(), report.verdict, color)
    line = f"{', '.join(parts)} in {count} resource{'s' if count != 1 else ''}: {verdict}"
    if report.errors:
        errors = len(report.errors)
        line += f" (incomplete: {errors} input error{'s' if errors != 1 else ''})"
    return line
