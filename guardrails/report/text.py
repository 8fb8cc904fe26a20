"""The human report: findings grouped by file, the line they point at, the fix, a verdict."""
from __future__ import annotations

from itertools import groupby

from guardrails.core.model import Finding, Report
from guardrails.report.printable import printable_report

_COLORS = {"fail": "31", "incomplete": "31", "warn": "33", "info": "36", "pass": "32", "dim": "2", "bold": "1"}
_LABELS = {"fail": "FAIL", "warn": "WARN", "info": "INFO"}


def _paint(text: str, style: str, color: bool) -> str:
    """ANSI colour for the text reports (diff_text shares it), only when asked."""
    return f"\033[{_COLORS[style]}m{text}\033[0m" if color else text


def render(report: Report, color: bool = False) -> str:
    report = printable_report(report)
    out = findings_by_file(report, color)
    out.extend(problems(report, color))
    out.append(summary_line(report, color))
    return "\n".join(out) + "\n"


def findings_by_file(report: Report, color: bool) -> list[str]:
    """Every finding not suppressed, grouped by file, each group followed by a blank line."""
    out: list[str] = []
    shown = [f for f in report.findings if f.status != "suppressed"]
    for file, group in groupby(shown, key=lambda f: f.file):
        out.append(_paint(file or "(the change as a whole)", "bold", color))
        for finding in group:
            out.extend(_finding(finding, report, color))
        out.append("")
    return out


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
    if from_other_root(finding):
        head += f"  (root {finding.root})"
    lines = [head, f"        {finding.message}"]
    source = report.sources.get(finding.file, {}).get(finding.line)
    if source is not None and source.strip():
        lines.append(_paint(f"        {finding.line} | {source.strip()[:160]}", "dim", color))
    if finding.fix:
        lines.append(f"        fix: {finding.fix}")
    return lines


def from_other_root(finding: Finding) -> bool:
    """Whether the finding lies in a module outside the root it was evaluated from: the same
    lines can then hold one finding per calling root, and the root tells them apart."""
    root = finding.root
    return bool(root) and root != "." and not finding.file.startswith(root.rstrip("/") + "/")


def verdict_text(report: Report, color: bool) -> str:
    """PASS, WARN, FAIL or INCOMPLETE, with the number of input errors when there are any."""
    text = _paint(report.verdict.upper(), report.verdict if report.verdict in _COLORS else "bold", color)
    if report.errors:
        errors = len(report.errors)
        also = "" if report.verdict == "incomplete" else "incomplete: "
        text += f" ({also}{errors} input error{'s' if errors != 1 else ''})"
    return text


def summary_line(report: Report, color: bool) -> str:
    active = [f for f in report.findings if f.status != "suppressed"]
    failed = sum(1 for f in active if f.severity == "fail" and f.status == "new")
    warned = sum(1 for f in active if f.severity == "warn" or (f.severity == "fail" and f.status == "existing"))
    suppressed = len(report.findings) - len(active)
    parts = [f"{failed} failed", f"{warned} warning{'s' if warned != 1 else ''}"]
    if suppressed:
        parts.append(f"{suppressed} suppressed")
    count = report.resources_checked
    return f"{', '.join(parts)} in {count} resource{'s' if count != 1 else ''}: {verdict_text(report, color)}"
